//! The career ledger: teams, people, their role stints, check-ins and evidence.
//!
//! A [`Ledger`] is only ever made by [`Ledger::build`], which checks every invariant of the
//! whole (unique ids and emails, known references, reporting lines without loops, stints of
//! one person that never overlap, no NUL in any text). Every record carries an [`Origin`] while it is being
//! built, so a problem is reported where the record came from: `people.csv:7`, or
//! `database` for what was already stored. Nothing else in the crate re-checks these facts.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use chrono::NaiveDate;

use crate::ids::{Email, PersonId, TeamId};
use crate::note::Note;
use crate::period::{IsoWeek, YearMonth};
use crate::policy::{Level, Policy};
use crate::role::{Band, Role, Score, Willingness};

mod career;
mod check;

pub use career::{
    EditError, Leave, LeaveRequest, PersonEdit, ReturnRequest, StintEdit, StintKey, describe_stint,
};

use check::{
    Unique, check_people, check_stints, check_teams, check_texts, drop_replaced, keyed, ranges,
    unknown_person,
};

/// Where a record came from: a file and line, or a named place such as `database`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Origin {
    source: Arc<str>,
    line: u32,
}

impl Origin {
    /// `line` counts from 1; 0 means the place has no lines.
    pub fn new(source: impl Into<Arc<str>>, line: u32) -> Self {
        Self {
            source: source.into(),
            line,
        }
    }

    /// Records already stored, when they take part in a check.
    pub fn database() -> Self {
        Self::new("database", 0)
    }

    pub fn source(&self) -> &str {
        &self.source
    }

    pub fn line(&self) -> u32 {
        self.line
    }

    fn is_database(&self) -> bool {
        &*self.source == "database" && self.line == 0
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            f.write_str(&self.source)
        } else {
            write!(f, "{}:{}", self.source, self.line)
        }
    }
}

/// A record and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Sourced<T> {
    pub item: T,
    pub origin: Origin,
}

impl<T> Sourced<T> {
    pub fn new(item: T, origin: Origin) -> Self {
        Self { item, origin }
    }
}

/// One thing wrong with the input, reported as `origin: field: message`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem {
    pub origin: Origin,
    pub field: String,
    pub message: String,
    /// The person or team the record names that is not there. When the record that would
    /// have defined it could not be read, such a problem only echoes that record's own.
    pub unresolved: Option<Reference>,
}

/// A person or team one record names by id.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Reference {
    Person(PersonId),
    Team(TeamId),
}

impl Problem {
    pub fn new(origin: &Origin, field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            origin: origin.clone(),
            field: field.into(),
            message: message.into(),
            unresolved: None,
        }
    }

    /// A reference to a person or team that does not exist.
    pub fn unresolved(
        origin: &Origin,
        field: impl Into<String>,
        reference: Reference,
        message: impl Into<String>,
    ) -> Self {
        Self {
            unresolved: Some(reference),
            ..Self::new(origin, field, message)
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.origin, self.field, self.message)
    }
}

/// Every problem found, in file and line order. Never empty.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct Problems(Vec<Problem>);

impl Problems {
    /// Sorts the problems; `None` when there are none.
    pub fn from_vec(mut problems: Vec<Problem>) -> Option<Self> {
        if problems.is_empty() {
            return None;
        }
        problems.sort();
        problems.dedup();
        Some(Self(problems))
    }

    pub fn iter(&self) -> impl Iterator<Item = &Problem> {
        self.0.iter()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn into_vec(self) -> Vec<Problem> {
        self.0
    }
}

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            p.fmt(f)?;
        }
        Ok(())
    }
}

/// A team; teams may nest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Team {
    pub id: TeamId,
    pub name: String,
    pub parent: Option<TeamId>,
}

/// A person as the org knows them today.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub id: PersonId,
    pub name: String,
    /// The primary address; together with `aliases` it matches evidence to the person.
    pub email: Email,
    pub aliases: Vec<Email>,
    pub level: Level,
    pub team: Option<TeamId>,
    /// The reporting line: who this person reports to now.
    pub manager: Option<PersonId>,
    pub willing_to_manage: Willingness,
    /// When the person last gave that answer, if known: an old "no" may be asked again.
    pub willing_since: Option<NaiveDate>,
    /// Set while the person is away from the org (they left, and have not come back). A
    /// person who left holds no stint past the day they left and reports to no one.
    pub departure: Option<Departure>,
}

impl Person {
    /// Whether the person has left the org (and not come back).
    pub fn has_left(&self) -> bool {
        self.departure.is_some()
    }
}

/// A person's leaving: from which day they are gone, and why, if they said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Departure {
    /// The first day the person is gone; their last stint ends on it.
    pub on: NaiveDate,
    pub reason: Option<String>,
}

impl Departure {
    /// The longest reason kept, in characters: a sentence, not a file.
    pub const MAX_REASON_CHARS: usize = 500;
}

/// A stretch of time in one role. Stints of one person never overlap: a swing ends one on
/// the day the next begins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stint {
    pub person: PersonId,
    pub role: Role,
    pub team: Option<TeamId>,
    pub level: Level,
    /// The pay band, on one scale for both tracks, when the org records it.
    pub band: Option<Band>,
    pub start: NaiveDate,
    /// The first day no longer in the stint; `None` while it lasts.
    pub end: Option<NaiveDate>,
    /// Whether the person chose this stint.
    pub chosen: bool,
    /// For a time-boxed trial: when either side decides to keep it or end it.
    pub trial_end: Option<NaiveDate>,
    /// The org the stint was lived in, when it came from another pendulum with the person's
    /// own ledger; `None` for this org's stints. Such a stint counts for the rules like any
    /// other, belongs to no team here, and this org's managers cannot change it.
    pub org: Option<String>,
}

impl Stint {
    /// Whether `day` falls inside the stint.
    pub fn covers(&self, day: NaiveDate) -> bool {
        self.start <= day && self.end.is_none_or(|e| day < e)
    }
}

/// How a person feels about their current work, on a given day; a person has at most one
/// check-in a day. The note is private to its author: nothing derived from a ledger ever
/// reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckIn {
    pub person: PersonId,
    pub date: NaiveDate,
    pub joy: Score,
    pub energy: Score,
    pub learning: Score,
    pub note: Option<Note>,
}

/// An answer a person gave, on a day, to "would you like to manage?". The person's current
/// answer is on [`Person`]; these are every answer recorded with its day, the current one
/// included, so that a change of mind stays visible.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WillingAnswer {
    pub person: PersonId,
    pub date: NaiveDate,
    pub answer: Willingness,
}

/// Hands-on activity read from git, for one person and month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GitMonth {
    pub person: PersonId,
    pub month: YearMonth,
    /// Non-merge commits authored.
    pub commits: u32,
    pub merges: u32,
    /// Commits that credit the person in a `Co-authored-by` trailer.
    pub coauthored: u32,
    pub repositories: u32,
    pub lines_added: Option<u64>,
    pub lines_removed: Option<u64>,
    /// Read from a shallow clone: the month may be missing commits.
    pub partial: bool,
}

/// Interruption load read from a calendar, for one person and ISO week. Hours are within the
/// policy's working hours, except `after_hours`.
#[derive(Debug, Clone, PartialEq)]
pub struct CalendarWeek {
    pub person: PersonId,
    pub week: IsoWeek,
    pub meeting_hours: f64,
    pub focus_hours: f64,
    pub fragmented_hours: f64,
    pub after_hours: f64,
}

/// The raw material of a ledger, each record with its origin.
#[derive(Debug, Clone, Default)]
pub struct LedgerParts {
    pub teams: Vec<Sourced<Team>>,
    pub people: Vec<Sourced<Person>>,
    pub stints: Vec<Sourced<Stint>>,
    pub checkins: Vec<Sourced<CheckIn>>,
    pub git: Vec<Sourced<GitMonth>>,
    pub calendar: Vec<Sourced<CalendarWeek>>,
    pub answers: Vec<Sourced<WillingAnswer>>,
}

impl LedgerParts {
    pub fn extend(&mut self, other: LedgerParts) {
        self.teams.extend(other.teams);
        self.people.extend(other.people);
        self.stints.extend(other.stints);
        self.checkins.extend(other.checkins);
        self.git.extend(other.git);
        self.calendar.extend(other.calendar);
        self.answers.extend(other.answers);
    }

    pub fn is_empty(&self) -> bool {
        self.teams.is_empty()
            && self.people.is_empty()
            && self.stints.is_empty()
            && self.checkins.is_empty()
            && self.git.is_empty()
            && self.calendar.is_empty()
            && self.answers.is_empty()
    }
}

/// The end of an open stint, as a swing writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StintEnd {
    pub person: PersonId,
    pub start: NaiveDate,
    pub end: NaiveDate,
}

/// A set of writes, checked against the whole ledger by [`Ledger::apply`] before a store
/// commits it in one transaction.
#[derive(Debug, Clone, Default)]
pub struct Change {
    pub teams: Vec<Team>,
    pub people: Vec<Person>,
    /// Replacements of existing people, matched by id.
    pub people_updates: Vec<Person>,
    pub stint_ends: Vec<StintEnd>,
    pub stints: Vec<Stint>,
    pub checkins: Vec<CheckIn>,
    pub git: Vec<GitMonth>,
    /// Git evidence to drop (by person and month) before `git` is added: an ingest of git
    /// history recomputes these months, and a key in both lists is a replacement.
    pub git_replaced: Vec<(PersonId, YearMonth)>,
    pub calendar: Vec<CalendarWeek>,
    /// Calendar evidence to drop (by person and ISO week) before `calendar` is added: an
    /// ingest of calendars recomputes these weeks, and a key in both lists is a replacement.
    pub calendar_replaced: Vec<(PersonId, IsoWeek)>,
    /// Check-ins to drop (by person and day) before `checkins` are added: a second check-in
    /// on one day replaces the first (see [`Ledger::check_in`]).
    pub checkins_replaced: Vec<(PersonId, NaiveDate)>,
    /// Answers about managing, recorded with their day.
    pub answers: Vec<WillingAnswer>,
    /// Answers to drop (by person and day) before `answers` are added: a second answer on
    /// one day replaces the first.
    pub answers_replaced: Vec<(PersonId, NaiveDate)>,
    /// Stints to drop (by person and start) before `stints` are added: a correction
    /// replaces a stint, or deletes it when nothing takes its place.
    pub stints_replaced: Vec<(PersonId, NaiveDate)>,
    /// What a correction changed, kept with who made it for accountability: the store
    /// writes these beside the change, and the ledger itself never reads them back.
    pub corrections: Vec<Correction>,
    /// A new policy for the store, written in the same transaction (a JSON import carries one).
    pub policy: Option<Policy>,
}

/// One thing a write changed about a person: which record and field, what it held before
/// and what it holds now, as short text. Never the text of a private note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Correction {
    pub person: PersonId,
    /// Which record, such as `stint from 2024-03-01`, `person`, `check-in of 2025-01-06`.
    pub record: String,
    /// Which field of it, such as `end`, `manager`; `*` for the whole record.
    pub field: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

impl Change {
    /// The inserts of an import, without their origins.
    pub fn inserting(parts: &LedgerParts) -> Self {
        fn items<T: Clone>(v: &[Sourced<T>]) -> Vec<T> {
            v.iter().map(|s| s.item.clone()).collect()
        }
        Self {
            teams: items(&parts.teams),
            people: items(&parts.people),
            stints: items(&parts.stints),
            checkins: items(&parts.checkins),
            git: items(&parts.git),
            calendar: items(&parts.calendar),
            answers: items(&parts.answers),
            ..Self::default()
        }
    }
}

/// What a swing asks for: end the current stint on `on` and open the next.
#[derive(Debug, Clone)]
pub struct SwingRequest {
    pub person: PersonId,
    pub to: Role,
    pub on: NaiveDate,
    /// The team of the next stint; the current team when `None`.
    pub team: Option<TeamId>,
    /// A new level; `None` keeps the level, which is what a swing should do.
    pub level: Option<Level>,
    /// A new pay band; `None` keeps the band, which is what a swing should do.
    pub band: Option<Band>,
    pub chosen: bool,
    pub trial_until: Option<NaiveDate>,
}

/// Why a swing cannot be recorded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SwingError {
    #[error("no person has the id {0:?}")]
    UnknownPerson(String),
    #[error("{person} has no open stint to swing from; import their current stint first")]
    NoOpenStint { person: String },
    #[error("{person}'s current stint began on {start}; the swing must be dated after that")]
    TooEarly { person: String, start: NaiveDate },
    #[error("{person} is already {role} on that team at that level; nothing would change")]
    NoChange { person: String, role: Role },
    #[error("the trial must end after the swing date {on}")]
    TrialBeforeSwing { on: NaiveDate },
    #[error("{0}")]
    Rejected(Problems),
}

/// A checked ledger with each person's records grouped and ordered for fast reading.
#[derive(Debug, Clone)]
pub struct Ledger {
    teams: Vec<Team>,
    people: Vec<Person>,
    index: HashMap<PersonId, usize>,
    stints: Vec<Stint>,
    stint_ranges: Vec<Range<usize>>,
    checkins: Vec<CheckIn>,
    checkin_ranges: Vec<Range<usize>>,
    git: Vec<GitMonth>,
    git_ranges: Vec<Range<usize>>,
    calendar: Vec<CalendarWeek>,
    calendar_ranges: Vec<Range<usize>>,
    answers: Vec<WillingAnswer>,
    answer_ranges: Vec<Range<usize>>,
    /// Who reports to whom: people's indices grouped by their manager's, in id order.
    reports: Vec<(usize, usize)>,
    report_ranges: Vec<Range<usize>>,
}

impl Default for Ledger {
    fn default() -> Self {
        Ledger::build(LedgerParts::default()).expect("an empty ledger is valid")
    }
}

impl Ledger {
    /// Checks the parts as a whole and groups them; every problem is reported, not just the
    /// first.
    pub fn build(parts: LedgerParts) -> Result<Ledger, Problems> {
        let mut problems = Vec::new();
        check_texts(&parts, &mut problems);
        let teams = check_teams(parts.teams, &mut problems);
        let team_ids: HashSet<&TeamId> = teams.iter().map(|t| &t.item.id).collect();
        let people = check_people(parts.people, &team_ids, &mut problems);
        let index: HashMap<PersonId, usize> = people
            .iter()
            .enumerate()
            .map(|(i, p)| (p.item.id.clone(), i))
            .collect();

        let stints = check_stints(parts.stints, &index, &team_ids, &mut problems);
        career::check_departures(&people, &index, &stints, &mut problems);
        let checkins = keyed(
            parts.checkins,
            &index,
            |c| (&c.person, c.date),
            &mut problems,
            Unique::new("date", "a check-in on"),
        );
        let git = keyed(
            parts.git,
            &index,
            |g| (&g.person, g.month),
            &mut problems,
            Unique::new("month", "evidence for"),
        );
        let calendar = keyed(
            parts.calendar,
            &index,
            |c| (&c.person, c.week),
            &mut problems,
            Unique::new("week", "evidence for"),
        );
        let answers = keyed(
            parts.answers,
            &index,
            |a| (&a.person, a.date),
            &mut problems,
            Unique::new("willing_since", "an answer about managing on"),
        );

        if let Some(problems) = Problems::from_vec(problems) {
            return Err(problems);
        }
        let n = people.len();
        let stint_ranges = ranges(n, &stints, |s| index[&s.person]);
        let checkin_ranges = ranges(n, &checkins, |c| index[&c.person]);
        let git_ranges = ranges(n, &git, |g| index[&g.person]);
        let calendar_ranges = ranges(n, &calendar, |c| index[&c.person]);
        let answer_ranges = ranges(n, &answers, |a| index[&a.person]);
        let mut reports: Vec<(usize, usize)> = people
            .iter()
            .enumerate()
            .filter_map(|(i, p)| Some((index[p.item.manager.as_ref()?], i)))
            .collect();
        reports.sort_unstable();
        let report_ranges = ranges(n, &reports, |&(m, _)| m);
        Ok(Ledger {
            teams: teams.into_iter().map(|t| t.item).collect(),
            people: people.into_iter().map(|p| p.item).collect(),
            index,
            stints,
            stint_ranges,
            checkins,
            checkin_ranges,
            git,
            git_ranges,
            calendar,
            calendar_ranges,
            answers,
            answer_ranges,
            reports,
            report_ranges,
        })
    }

    /// The ledger's records as parts whose origin is `database`, ready to be merged with new
    /// ones.
    pub fn to_parts(&self) -> LedgerParts {
        fn db<T: Clone>(v: &[T]) -> Vec<Sourced<T>> {
            v.iter()
                .map(|x| Sourced::new(x.clone(), Origin::database()))
                .collect()
        }
        LedgerParts {
            teams: db(&self.teams),
            people: db(&self.people),
            stints: db(&self.stints),
            checkins: db(&self.checkins),
            git: db(&self.git),
            calendar: db(&self.calendar),
            answers: db(&self.answers),
        }
    }

    /// The ledger with `incoming` added, if the whole still holds together.
    pub fn merge(&self, incoming: LedgerParts) -> Result<Ledger, Problems> {
        let mut parts = self.to_parts();
        parts.extend(incoming);
        Ledger::build(parts)
    }

    /// The ledger after `change`, if the whole still holds together; problems name `origin`.
    pub fn apply(&self, change: &Change, origin: &Origin) -> Result<Ledger, Problems> {
        let mut parts = self.to_parts();
        let mut problems = Vec::new();
        for update in &change.people_updates {
            match parts.people.iter_mut().find(|p| p.item.id == update.id) {
                Some(p) => *p = Sourced::new(update.clone(), origin.clone()),
                None => problems.push(unknown_person(origin, "person", &update.id)),
            }
        }
        for end in &change.stint_ends {
            let open = parts.stints.iter_mut().find(|s| {
                s.item.person == end.person && s.item.start == end.start && s.item.end.is_none()
            });
            match open {
                Some(s) => {
                    s.item.end = Some(end.end);
                    s.origin = origin.clone();
                }
                None => problems.push(Problem::new(
                    origin,
                    "stint",
                    format!(
                        "{} has no open stint that began on {}",
                        end.person, end.start
                    ),
                )),
            }
        }
        let replaced = [
            drop_replaced(&mut parts.stints, &change.stints_replaced, |s| {
                (&s.person, s.start)
            }),
            drop_replaced(&mut parts.git, &change.git_replaced, |g| {
                (&g.person, g.month)
            }),
            drop_replaced(&mut parts.calendar, &change.calendar_replaced, |c| {
                (&c.person, c.week)
            }),
            drop_replaced(&mut parts.checkins, &change.checkins_replaced, |c| {
                (&c.person, c.date)
            }),
            drop_replaced(&mut parts.answers, &change.answers_replaced, |a| {
                (&a.person, a.date)
            }),
        ];
        let missing = [
            ("stint", "the change replaces a stint that is not stored"),
            ("git", "the change replaces git evidence that is not stored"),
            (
                "calendar",
                "the change replaces calendar evidence that is not stored",
            ),
            (
                "checkin",
                "the change replaces a check-in that is not stored",
            ),
            (
                "willing_since",
                "the change replaces an answer about managing that is not stored",
            ),
        ];
        for (all_there, (field, message)) in replaced.into_iter().zip(missing) {
            if !all_there {
                problems.push(Problem::new(origin, field, message));
            }
        }
        if let Some(problems) = Problems::from_vec(problems) {
            return Err(problems);
        }
        fn tag<T: Clone>(v: &[T], origin: &Origin) -> Vec<Sourced<T>> {
            v.iter()
                .map(|x| Sourced::new(x.clone(), origin.clone()))
                .collect()
        }
        parts.extend(LedgerParts {
            teams: tag(&change.teams, origin),
            people: tag(&change.people, origin),
            stints: tag(&change.stints, origin),
            checkins: tag(&change.checkins, origin),
            git: tag(&change.git, origin),
            calendar: tag(&change.calendar, origin),
            answers: tag(&change.answers, origin),
        });
        Ledger::build(parts)
    }

    /// The change that records `checkin`: a check-in of the same person on the same day is
    /// replaced by it, so that a form sent twice leaves one check-in. The change is checked
    /// when it is applied.
    pub fn check_in(&self, checkin: CheckIn) -> Change {
        let stored = self.person_index(&checkin.person).is_some_and(|i| {
            self.checkins_of(i)
                .binary_search_by(|c| c.date.cmp(&checkin.date))
                .is_ok()
        });
        Change {
            checkins_replaced: if stored {
                vec![(checkin.person.clone(), checkin.date)]
            } else {
                Vec::new()
            },
            checkins: vec![checkin],
            ..Change::default()
        }
    }

    /// The change that records a swing, checked against the ledger.
    pub fn swing(&self, req: &SwingRequest) -> Result<Change, SwingError> {
        let i = self
            .person_index(&req.person)
            .ok_or_else(|| SwingError::UnknownPerson(req.person.to_string()))?;
        let person = &self.people[i];
        let name = || person.id.to_string();
        let current = self
            .stints_of(i)
            .iter()
            .rev()
            .find(|s| s.end.is_none())
            .ok_or_else(|| SwingError::NoOpenStint { person: name() })?;
        if req.on <= current.start {
            return Err(SwingError::TooEarly {
                person: name(),
                start: current.start,
            });
        }
        if req.trial_until.is_some_and(|t| t <= req.on) {
            return Err(SwingError::TrialBeforeSwing { on: req.on });
        }
        let team = req.team.clone().or_else(|| current.team.clone());
        let level = req.level.clone().unwrap_or_else(|| current.level.clone());
        let band = req.band.or(current.band);
        let confirms_trial = current.trial_end.is_some();
        if req.to == current.role
            && team == current.team
            && level == current.level
            && band == current.band
            && !confirms_trial
        {
            return Err(SwingError::NoChange {
                person: name(),
                role: req.to,
            });
        }
        let mut updated = person.clone();
        updated.level = level.clone();
        updated.team = team.clone();
        let change = Change {
            people_updates: if updated == *person {
                vec![]
            } else {
                vec![updated]
            },
            stint_ends: vec![StintEnd {
                person: person.id.clone(),
                start: current.start,
                end: req.on,
            }],
            stints: vec![Stint {
                person: person.id.clone(),
                role: req.to,
                team,
                level,
                band,
                start: req.on,
                end: None,
                chosen: req.chosen,
                trial_end: req.trial_until,
                org: None,
            }],
            ..Change::default()
        };
        self.apply(&change, &Origin::new("swing", 0))
            .map_err(SwingError::Rejected)?;
        Ok(change)
    }

    pub fn teams(&self) -> &[Team] {
        &self.teams
    }

    /// People, ordered by id.
    pub fn people(&self) -> &[Person] {
        &self.people
    }

    /// All stints, ordered by person id, then start.
    pub fn stints(&self) -> &[Stint] {
        &self.stints
    }

    /// All check-ins, ordered by person id, then date.
    pub fn checkins(&self) -> &[CheckIn] {
        &self.checkins
    }

    pub fn git(&self) -> &[GitMonth] {
        &self.git
    }

    pub fn calendar(&self) -> &[CalendarWeek] {
        &self.calendar
    }

    pub fn person_index(&self, id: &PersonId) -> Option<usize> {
        self.index.get(id).copied()
    }

    pub fn person(&self, id: &PersonId) -> Option<&Person> {
        self.person_index(id).map(|i| &self.people[i])
    }

    /// The person at `i` (an index from [`Ledger::person_index`] or a position in `people()`).
    pub fn person_at(&self, i: usize) -> &Person {
        &self.people[i]
    }

    pub fn stints_of(&self, i: usize) -> &[Stint] {
        &self.stints[self.stint_ranges[i].clone()]
    }

    pub fn checkins_of(&self, i: usize) -> &[CheckIn] {
        &self.checkins[self.checkin_ranges[i].clone()]
    }

    pub fn git_of(&self, i: usize) -> &[GitMonth] {
        &self.git[self.git_ranges[i].clone()]
    }

    pub fn calendar_of(&self, i: usize) -> &[CalendarWeek] {
        &self.calendar[self.calendar_ranges[i].clone()]
    }

    /// All recorded answers about managing, ordered by person id, then day.
    pub fn answers(&self) -> &[WillingAnswer] {
        &self.answers
    }

    /// The answers about managing the person at `i` gave, oldest first.
    pub fn answers_of(&self, i: usize) -> &[WillingAnswer] {
        &self.answers[self.answer_ranges[i].clone()]
    }

    /// The change that records a person's answer about managing on a day: it becomes their
    /// current answer and joins their history; another answer on the same day is replaced.
    pub fn set_willing(
        &self,
        person: &PersonId,
        answer: Willingness,
        on: NaiveDate,
    ) -> Result<Change, SwingError> {
        let i = self
            .person_index(person)
            .ok_or_else(|| SwingError::UnknownPerson(person.to_string()))?;
        let mut updated = self.people[i].clone();
        updated.willing_to_manage = answer;
        updated.willing_since = Some(on);
        let history = self.answers_of(i);
        // A later answer already recorded stays the current one.
        if history.iter().any(|a| a.date > on) {
            updated = self.people[i].clone();
        }
        let replaced = history.iter().any(|a| a.date == on);
        Ok(Change {
            people_updates: vec![updated],
            answers: vec![WillingAnswer {
                person: person.clone(),
                date: on,
                answer,
            }],
            answers_replaced: if replaced {
                vec![(person.clone(), on)]
            } else {
                Vec::new()
            },
            ..Change::default()
        })
    }

    /// How many people name the person at `i` as their manager.
    pub fn direct_reports(&self, i: usize) -> u32 {
        self.report_ranges[i].len() as u32
    }

    /// The indices of the people who name the person at `i` as their manager, in id order.
    pub fn reports_of(&self, i: usize) -> impl ExactSizeIterator<Item = usize> + '_ {
        self.reports[self.report_ranges[i].clone()]
            .iter()
            .map(|&(_, r)| r)
    }

    pub fn team(&self, id: &TeamId) -> Option<&Team> {
        self.teams
            .binary_search_by(|t| t.id.cmp(id))
            .ok()
            .map(|i| &self.teams[i])
    }
}
