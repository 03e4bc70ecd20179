//! Who is in the org as an account sees it, and one person's record: the people list of the
//! command line and the API, the people page's board with each person's nudges, a person's
//! record with their nudges in the voice the reader needs, their stints, their check-ins
//! (the note to its author alone) and their timeline.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use pendulum_core::rules::{self, Voice};
use pendulum_core::timeline::Timeline;
use pendulum_core::{
    CheckIn, Ledger, Note, Nudge, Person, PersonId, Policy, Role, RuleId, Score, Severity, Stint,
    TeamId, View, WillingAnswer,
};

use super::{ReadError, seen, view_of};
use crate::acting::Who;

/// Who a list holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listing {
    /// Those who hold a stint on the day.
    Holding,
    /// Those who have not left by the day, whether or not they hold a stint.
    Present,
    /// Everyone, those who left too.
    Everyone,
}

/// The people to list, beside those `who` may not see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeopleQuery {
    pub listing: Listing,
    /// Only those whose stint (see [`Listed::stint`]) is in this role.
    pub role: Option<Role>,
    /// Only those whose stint, or whose record, is on this team.
    pub team: Option<TeamId>,
}

/// A person as a list shows them on a day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed<'a> {
    pub index: usize,
    pub person: &'a Person,
    /// The stint they hold on the day.
    pub current: Option<&'a Stint>,
    /// The stint a list shows: the current one, or else their last.
    pub stint: Option<&'a Stint>,
    /// The day they left, if they had by the day.
    pub left_on: Option<NaiveDate>,
}

/// The people `who` may see that `query` lists as of `as_of`, in ledger order.
pub fn list<'a>(
    who: &Who,
    ledger: &'a Ledger,
    as_of: NaiveDate,
    query: &PeopleQuery,
) -> Vec<Listed<'a>> {
    (0..ledger.people().len())
        .filter(|&i| view_of(who, ledger, &ledger.person_at(i).id) != View::Hidden)
        .filter_map(|i| {
            let person = ledger.person_at(i);
            let current = current_stint(ledger, i, as_of);
            let left_on = left_by(person, as_of);
            let listed = match query.listing {
                Listing::Holding => current.is_some(),
                Listing::Present => left_on.is_none(),
                Listing::Everyone => true,
            };
            listed.then(|| Listed {
                index: i,
                person,
                current,
                stint: current.or_else(|| ledger.stints_of(i).last()),
                left_on,
            })
        })
        .filter(|l| {
            query
                .role
                .is_none_or(|r| l.stint.is_some_and(|s| s.role == r))
        })
        .filter(|l| {
            query.team.as_ref().is_none_or(|t| {
                l.stint.is_some_and(|s| s.team.as_ref() == Some(t))
                    || l.person.team.as_ref() == Some(t)
            })
        })
        .collect()
}

/// The people page's question: the people holding a stint, filtered by it and by their
/// nudges; with `Listing::Everyone` and no filter, those who left as well.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoardQuery<'q> {
    pub listing: Listing,
    pub role: Option<Role>,
    /// A team's id as it was asked for: one that no team has matches nobody.
    pub team: Option<&'q str>,
    /// Only those with a nudge of this rule.
    pub rule: Option<RuleId>,
    /// Only those with a nudge at least this severe.
    pub severity: Option<Severity>,
}

impl BoardQuery<'_> {
    fn filters(&self) -> bool {
        self.role.is_some() || self.team.is_some() || self.rule.is_some() || self.severity.is_some()
    }
}

/// Where a person of the board stands on the day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Standing<'a> {
    Holding(&'a Stint),
    /// They left on this day.
    Left(NaiveDate),
}

/// A person on the people page, with how many nudges are about them and the worst.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoardRow<'a> {
    pub person: &'a Person,
    pub standing: Standing<'a>,
    pub nudges: usize,
    pub worst: Option<Severity>,
}

/// The people page: its rows in ledger order, and the teams its filter offers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Board<'a> {
    pub rows: Vec<BoardRow<'a>>,
    /// The org's teams for the operator and an admin; for anyone else only those of the
    /// people they see, since the org's shape is not theirs.
    pub teams: Vec<&'a TeamId>,
}

/// The people page as `who` sees it as of `as_of`.
pub fn board<'a>(
    who: &Who,
    ledger: &'a Ledger,
    policy: &Policy,
    as_of: NaiveDate,
    query: &BoardQuery<'_>,
) -> Board<'a> {
    let nudges = rules::evaluate(ledger, policy, as_of);
    let mut by_person: HashMap<&PersonId, Vec<&Nudge>> = HashMap::new();
    for n in &nudges {
        by_person.entry(&n.person).or_default().push(n);
    }
    let mut rows = Vec::new();
    let mut seen_teams = HashSet::new();
    for i in 0..ledger.people().len() {
        let p = ledger.person_at(i);
        if view_of(who, ledger, &p.id) == View::Hidden {
            continue;
        }
        if let Some(on) = left_by(p, as_of) {
            // Someone who left holds no role or team: only the filters they cannot fail
            // keep them.
            if query.listing == Listing::Everyone && !query.filters() {
                rows.push(BoardRow {
                    person: p,
                    standing: Standing::Left(on),
                    nudges: 0,
                    worst: None,
                });
            }
            continue;
        }
        let Some(current) = current_stint(ledger, i, as_of) else {
            continue;
        };
        if let Some(t) = &current.team {
            seen_teams.insert(t);
        }
        let theirs = by_person.get(&p.id).map_or(&[][..], Vec::as_slice);
        let keep = query.role.is_none_or(|r| current.role == r)
            && query
                .team
                .is_none_or(|t| current.team.as_ref().is_some_and(|x| x.as_str() == t))
            && query
                .rule
                .is_none_or(|r| theirs.iter().any(|n| n.rule == r))
            && query
                .severity
                .is_none_or(|s| theirs.iter().any(|n| n.severity >= s));
        if keep {
            rows.push(BoardRow {
                person: p,
                standing: Standing::Holding(current),
                nudges: theirs.len(),
                worst: theirs.iter().map(|n| n.severity).max(),
            });
        }
    }
    let whole_org = match who {
        Who::Operator => true,
        Who::Account(account) => account.may_administer(),
    };
    let teams = ledger
        .teams()
        .iter()
        .map(|t| &t.id)
        .filter(|t| whole_org || seen_teams.contains(t))
        .collect();
    Board { rows, teams }
}

/// How a person's nudges are worded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wording {
    /// About them, by name, whoever reads: the API's and the command line's contract.
    AboutThem,
    /// To them when they read their own, about them for anyone else: a page.
    ForTheReader,
}

/// One person as `who` sees them as of a day.
#[derive(Debug, Clone, PartialEq)]
pub struct PersonView<'a> {
    pub index: usize,
    pub person: &'a Person,
    /// `View::Own` for the person themselves, who alone reads their notes.
    pub view: View,
    pub as_of: NaiveDate,
    /// The stint they hold on the day.
    pub current: Option<&'a Stint>,
    /// Every stint, oldest first.
    pub stints: &'a [Stint],
    /// Every check-in, oldest first; the note only for its author.
    pub checkins: Vec<CheckInSeen<'a>>,
    /// Every answer about managing, oldest first.
    pub answers: &'a [WillingAnswer],
    /// The nudges about them on the day, in rule order.
    pub nudges: Vec<Nudge>,
}

impl<'a> PersonView<'a> {
    /// The stints begun by the day.
    pub fn stints_begun(&self) -> impl Iterator<Item = &'a Stint> + use<'a> {
        let as_of = self.as_of;
        self.stints.iter().filter(move |s| s.start <= as_of)
    }

    /// The check-ins made by the day.
    pub fn checkins_made(&self) -> impl Iterator<Item = &CheckInSeen<'a>> {
        self.checkins.iter().filter(|c| c.date <= self.as_of)
    }
}

/// A check-in as a reader gets it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckInSeen<'a> {
    pub date: NaiveDate,
    pub joy: Score,
    pub energy: Score,
    pub learning: Score,
    pub note: NoteSeen<'a>,
}

/// A check-in's note as a reader gets it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoteSeen<'a> {
    /// The reader is not its author: whether there is a note is not theirs to know.
    Withheld,
    /// The author's own: their note, or `None` when they wrote none.
    Own(Option<&'a Note>),
}

impl<'a> CheckInSeen<'a> {
    /// `checkin` as a reader with `view` of its author gets it.
    pub fn new(checkin: &'a CheckIn, view: View) -> Self {
        Self {
            date: checkin.date,
            joy: checkin.joy,
            energy: checkin.energy,
            learning: checkin.learning,
            note: match view {
                View::Own => NoteSeen::Own(checkin.note.as_ref()),
                View::Hidden | View::WithoutNotes => NoteSeen::Withheld,
            },
        }
    }
}

/// The person `id` names as `who` sees them as of `as_of`, with their nudges worded as
/// `wording` says.
pub fn person<'a>(
    who: &Who,
    ledger: &'a Ledger,
    policy: &Policy,
    as_of: NaiveDate,
    id: &PersonId,
    wording: Wording,
) -> Result<PersonView<'a>, ReadError> {
    let (i, view) = seen(who, ledger, id)?;
    // On their own page the nudges speak to the person; to anyone else, about them.
    let voice = match (wording, view) {
        (Wording::ForTheReader, View::Own) => Voice::Second,
        _ => Voice::Third,
    };
    Ok(PersonView {
        index: i,
        person: ledger.person_at(i),
        view,
        as_of,
        current: current_stint(ledger, i, as_of),
        stints: ledger.stints_of(i),
        checkins: seen_checkins(ledger, i, view),
        answers: ledger.answers_of(i),
        nudges: rules::evaluate_person_for(ledger, policy, as_of, i, voice),
    })
}

/// Every stint of the person `id` names, oldest first.
pub fn stints<'a>(who: &Who, ledger: &'a Ledger, id: &PersonId) -> Result<&'a [Stint], ReadError> {
    let (i, _) = seen(who, ledger, id)?;
    Ok(ledger.stints_of(i))
}

/// Every check-in of the person `id` names, oldest first; the note only for its author.
pub fn checkins<'a>(
    who: &Who,
    ledger: &'a Ledger,
    id: &PersonId,
) -> Result<Vec<CheckInSeen<'a>>, ReadError> {
    let (i, view) = seen(who, ledger, id)?;
    Ok(seen_checkins(ledger, i, view))
}

/// The pendulum timeline of the person `id` names, as of `as_of`.
pub fn timeline<'a>(
    who: &Who,
    ledger: &'a Ledger,
    policy: &Policy,
    as_of: NaiveDate,
    id: &PersonId,
) -> Result<Timeline<'a>, ReadError> {
    let (i, _) = seen(who, ledger, id)?;
    Ok(Timeline::new(ledger, i, policy, as_of))
}

/// The stint the person at `i` holds on `as_of`.
pub fn current_stint(ledger: &Ledger, i: usize, as_of: NaiveDate) -> Option<&Stint> {
    ledger.stints_of(i).iter().rev().find(|s| s.covers(as_of))
}

/// The day `person` left, if they had left by `as_of`: such a person is out of the lists
/// and the nudges of that day, though an admin still finds them.
pub fn left_by(person: &Person, as_of: NaiveDate) -> Option<NaiveDate> {
    person
        .departure
        .as_ref()
        .map(|d| d.on)
        .filter(|&on| on <= as_of)
}

fn seen_checkins(ledger: &Ledger, i: usize, view: View) -> Vec<CheckInSeen<'_>> {
    ledger
        .checkins_of(i)
        .iter()
        .map(|c| CheckInSeen::new(c, view))
        .collect()
}
