//! The writes that follow a career past its first stint: leaving, coming back, correcting a
//! record that was wrong. Each gives a [`Change`] that `Ledger::apply` has already accepted,
//! with the [`Correction`]s that say what it changed, so that the store keeps a history
//! beside the ledger's current state.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::{
    Change, CheckIn, Correction, Departure, Ledger, Origin, Person, Problem, Problems, Sourced,
    Stint, StintEnd,
};
use crate::ids::{Email, PersonId, TeamId};
use crate::policy::Level;
use crate::role::{Band, Role};
use crate::text::without_nul;

/// Why a correction, a departure or a return cannot be recorded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    #[error("no person has the id {0:?}")]
    UnknownPerson(String),
    #[error("{person} has no stint that began on {start}")]
    NoStint { person: String, start: NaiveDate },
    #[error("{person} has no stint number {index}; they have {count}")]
    NoStintNumber {
        person: String,
        index: usize,
        count: usize,
    },
    #[error("{person} has no check-in on {date}")]
    NoCheckIn { person: String, date: NaiveDate },
    #[error("{person} already left on {on}")]
    AlreadyLeft { person: String, on: NaiveDate },
    #[error("{person} has not left; record a swing instead")]
    NotLeft { person: String },
    #[error(
        "the leave date {on} is not after {person}'s current stint began on {start}; the last day must come after the first"
    )]
    LeaveTooEarly {
        person: String,
        on: NaiveDate,
        start: NaiveDate,
    },
    #[error("the leave date {on} is before {person}'s last stint ended on {end}")]
    LeaveBeforeLastEnd {
        person: String,
        on: NaiveDate,
        end: NaiveDate,
    },
    #[error("the return date {on} is before {person} left on {left}")]
    ReturnTooEarly {
        person: String,
        on: NaiveDate,
        left: NaiveDate,
    },
    #[error("{field}: {message}")]
    Invalid {
        field: &'static str,
        message: String,
    },
    #[error("nothing to change: every value given is what is stored")]
    NoChange,
    #[error("{0}")]
    Rejected(Problems),
}

/// A person leaving the org on a day.
#[derive(Debug, Clone)]
pub struct LeaveRequest {
    pub person: PersonId,
    /// The first day they are gone.
    pub on: NaiveDate,
    pub reason: Option<String>,
    /// Who their direct reports report to from then on; without it they have no manager.
    pub reports_to: Option<PersonId>,
}

/// What a departure does: the change, and what became of the person's reports.
#[derive(Debug, Clone)]
pub struct Leave {
    pub change: Change,
    /// The direct reports who now have no manager.
    pub without_manager: Vec<PersonId>,
    /// The direct reports who now report to `LeaveRequest::reports_to`.
    pub moved: Vec<PersonId>,
}

/// A person who left coming back, in a new stint.
#[derive(Debug, Clone)]
pub struct ReturnRequest {
    pub person: PersonId,
    pub on: NaiveDate,
    pub role: Role,
    pub team: Option<TeamId>,
    /// The level to come back at; the level they left with when `None`.
    pub level: Option<Level>,
    pub band: Option<Band>,
    pub manager: Option<PersonId>,
}

/// Which stint a correction is about: the one that began on a day, or the n-th of the
/// person's stints counting from 1 in time order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StintKey {
    Start(NaiveDate),
    Index(usize),
}

/// A correction of one stint: each field that is `Some` is set; for the fields that may be
/// empty, `Some(None)` clears them (an end date cleared reopens the stint).
#[derive(Debug, Clone, Default)]
pub struct StintEdit {
    pub start: Option<NaiveDate>,
    pub end: Option<Option<NaiveDate>>,
    pub role: Option<Role>,
    pub team: Option<Option<TeamId>>,
    pub level: Option<Level>,
    pub band: Option<Option<Band>>,
    pub chosen: Option<bool>,
    pub trial_end: Option<Option<NaiveDate>>,
}

/// A correction of a person's own record; `None` fields stay as they are.
#[derive(Debug, Clone, Default)]
pub struct PersonEdit {
    pub name: Option<String>,
    pub email: Option<Email>,
    pub aliases: Option<Vec<Email>>,
    pub manager: Option<Option<PersonId>>,
    pub team: Option<Option<TeamId>>,
}

/// The longest name kept, in characters.
const MAX_NAME_CHARS: usize = 200;

fn origin(what: &str) -> Origin {
    Origin::new(what, 0)
}

/// How a stint reads in the history: `engineer on platform at L4, band 310, from 2024-03-01
/// until 2025-01-01 (chosen)`.
pub fn describe_stint(s: &Stint) -> String {
    let mut out = s.role.to_string();
    if let Some(team) = &s.team {
        out.push_str(&format!(" on {team}"));
    }
    if let Some(org) = &s.org {
        out.push_str(&format!(" at {org}"));
    }
    out.push_str(&format!(", level {}", s.level));
    if let Some(band) = s.band {
        out.push_str(&format!(", band {band}"));
    }
    out.push_str(&format!(", from {}", s.start));
    match s.end {
        Some(end) => out.push_str(&format!(" until {end}")),
        None => out.push_str(", open"),
    }
    if let Some(t) = s.trial_end {
        out.push_str(&format!(", trial until {t}"));
    }
    if !s.chosen {
        out.push_str(", not chosen");
    }
    out
}

fn stint_record(start: NaiveDate) -> String {
    format!("stint from {start}")
}

fn text<T: std::fmt::Display>(v: &Option<T>) -> Option<String> {
    v.as_ref().map(ToString::to_string)
}

/// Records each field of a person that changed.
fn person_corrections(before: &Person, after: &Person, out: &mut Vec<Correction>) {
    let mut field = |name: &str, b: Option<String>, a: Option<String>| {
        if b != a {
            out.push(Correction {
                person: before.id.clone(),
                record: "person".to_owned(),
                field: name.to_owned(),
                before: b,
                after: a,
            });
        }
    };
    field("name", Some(before.name.clone()), Some(after.name.clone()));
    field(
        "email",
        Some(before.email.to_string()),
        Some(after.email.to_string()),
    );
    let aliases = |p: &Person| {
        (!p.aliases.is_empty()).then(|| {
            p.aliases
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(" ")
        })
    };
    field("aliases", aliases(before), aliases(after));
    field("manager", text(&before.manager), text(&after.manager));
    field("team", text(&before.team), text(&after.team));
    field(
        "level",
        Some(before.level.to_string()),
        Some(after.level.to_string()),
    );
    let left = |p: &Person| {
        p.departure.as_ref().map(|d| match &d.reason {
            Some(r) => format!("{} ({r})", d.on),
            None => d.on.to_string(),
        })
    };
    field("left", left(before), left(after));
}

impl Ledger {
    fn index_of(&self, person: &PersonId) -> Result<usize, EditError> {
        self.person_index(person)
            .ok_or_else(|| EditError::UnknownPerson(person.to_string()))
    }

    /// The start of the stint `key` names.
    pub fn stint_start(&self, person: &PersonId, key: StintKey) -> Result<NaiveDate, EditError> {
        let i = self.index_of(person)?;
        let stints = self.stints_of(i);
        match key {
            StintKey::Start(start) => stints
                .iter()
                .find(|s| s.start == start)
                .map(|s| s.start)
                .ok_or(EditError::NoStint {
                    person: person.to_string(),
                    start,
                }),
            StintKey::Index(n) => n
                .checked_sub(1)
                .and_then(|k| stints.get(k))
                .map(|s| s.start)
                .ok_or(EditError::NoStintNumber {
                    person: person.to_string(),
                    index: n,
                    count: stints.len(),
                }),
        }
    }

    /// The stint `key` names.
    pub fn stint(&self, person: &PersonId, key: StintKey) -> Result<&Stint, EditError> {
        let start = self.stint_start(person, key)?;
        let i = self.index_of(person)?;
        Ok(self
            .stints_of(i)
            .iter()
            .find(|s| s.start == start)
            .expect("stint_start found it"))
    }

    fn checked(&self, change: Change, what: &str) -> Result<Change, EditError> {
        self.apply(&change, &origin(what))
            .map_err(EditError::Rejected)?;
        Ok(change)
    }

    /// The change that records a person leaving: their open stint ends on the day, they
    /// report to no one and belong to no team, and their reports move to `reports_to` or are
    /// left without a manager.
    pub fn leave(&self, req: &LeaveRequest) -> Result<Leave, EditError> {
        let i = self.index_of(&req.person)?;
        let person = self.person_at(i);
        let name = || person.id.to_string();
        if let Some(d) = &person.departure {
            return Err(EditError::AlreadyLeft {
                person: name(),
                on: d.on,
            });
        }
        if let Some(Err(e)) = req.reason.as_deref().map(without_nul) {
            return Err(EditError::Invalid {
                field: "reason",
                message: e.to_string(),
            });
        }
        let reason = match req.reason.as_deref().map(str::trim) {
            Some(r) if r.chars().count() > Departure::MAX_REASON_CHARS => {
                return Err(EditError::Invalid {
                    field: "reason",
                    message: format!(
                        "at most {} characters, not {}",
                        Departure::MAX_REASON_CHARS,
                        r.chars().count()
                    ),
                });
            }
            Some("") | None => None,
            Some(r) => Some(r.to_owned()),
        };
        let mut change = Change::default();
        if let Some(last) = self.stints_of(i).last() {
            match last.end {
                None if req.on <= last.start => {
                    return Err(EditError::LeaveTooEarly {
                        person: name(),
                        on: req.on,
                        start: last.start,
                    });
                }
                None => {
                    change.stint_ends.push(StintEnd {
                        person: person.id.clone(),
                        start: last.start,
                        end: req.on,
                    });
                    change.corrections.push(Correction {
                        person: person.id.clone(),
                        record: stint_record(last.start),
                        field: "end".to_owned(),
                        before: None,
                        after: Some(req.on.to_string()),
                    });
                }
                Some(end) if req.on < end => {
                    return Err(EditError::LeaveBeforeLastEnd {
                        person: name(),
                        on: req.on,
                        end,
                    });
                }
                Some(_) => {}
            }
        }
        let mut gone = person.clone();
        gone.departure = Some(Departure { on: req.on, reason });
        gone.manager = None;
        gone.team = None;
        person_corrections(person, &gone, &mut change.corrections);
        change.people_updates.push(gone);
        let mut without_manager = Vec::new();
        let mut moved = Vec::new();
        for r in self.reports_of(i) {
            let report = self.person_at(r);
            let mut updated = report.clone();
            updated.manager = req.reports_to.clone();
            person_corrections(report, &updated, &mut change.corrections);
            change.people_updates.push(updated);
            match req.reports_to {
                Some(_) => moved.push(report.id.clone()),
                None => without_manager.push(report.id.clone()),
            }
        }
        let change = self.checked(change, "leave")?;
        Ok(Leave {
            change,
            without_manager,
            moved,
        })
    }

    /// The change that records a person who left coming back, in a new stint.
    pub fn return_to_work(&self, req: &ReturnRequest) -> Result<Change, EditError> {
        let i = self.index_of(&req.person)?;
        let person = self.person_at(i);
        let Some(departure) = &person.departure else {
            return Err(EditError::NotLeft {
                person: person.id.to_string(),
            });
        };
        if req.on < departure.on {
            return Err(EditError::ReturnTooEarly {
                person: person.id.to_string(),
                on: req.on,
                left: departure.on,
            });
        }
        let level = req.level.clone().unwrap_or_else(|| person.level.clone());
        let mut back = person.clone();
        back.departure = None;
        back.team = req.team.clone();
        back.level = level.clone();
        back.manager = req.manager.clone();
        let stint = Stint {
            person: person.id.clone(),
            role: req.role,
            team: req.team.clone(),
            level,
            band: req.band,
            start: req.on,
            end: None,
            chosen: true,
            trial_end: None,
            org: None,
        };
        let mut change = Change::default();
        person_corrections(person, &back, &mut change.corrections);
        change.corrections.push(Correction {
            person: person.id.clone(),
            record: stint_record(req.on),
            field: "*".to_owned(),
            before: None,
            after: Some(describe_stint(&stint)),
        });
        change.people_updates.push(back);
        change.stints.push(stint);
        self.checked(change, "return")
    }

    /// The change that corrects one stint. When the stint is the person's last and open,
    /// their current team and level follow a new team or level.
    pub fn edit_stint(
        &self,
        person: &PersonId,
        key: StintKey,
        edit: &StintEdit,
    ) -> Result<Change, EditError> {
        let before = self.stint(person, key)?.clone();
        let mut after = before.clone();
        if let Some(start) = edit.start {
            after.start = start;
        }
        if let Some(end) = edit.end {
            after.end = end;
        }
        if let Some(role) = edit.role {
            after.role = role;
        }
        if let Some(team) = &edit.team {
            after.team = team.clone();
        }
        if let Some(level) = &edit.level {
            after.level = level.clone();
        }
        if let Some(band) = edit.band {
            after.band = band;
        }
        if let Some(chosen) = edit.chosen {
            after.chosen = chosen;
        }
        if let Some(trial_end) = edit.trial_end {
            after.trial_end = trial_end;
        }
        if after == before {
            return Err(EditError::NoChange);
        }
        let i = self.index_of(person)?;
        let p = self.person_at(i);
        let mut change = Change {
            stints_replaced: vec![(person.clone(), before.start)],
            corrections: vec![Correction {
                person: person.clone(),
                record: stint_record(before.start),
                field: "*".to_owned(),
                before: Some(describe_stint(&before)),
                after: Some(describe_stint(&after)),
            }],
            ..Change::default()
        };
        let is_current = self.stints_of(i).last() == Some(&before) && before.end.is_none();
        if is_current && after.end.is_none() && after.org.is_none() {
            // Only what the correction set follows: a person's team may differ from their
            // stint's on purpose (a manager's home team).
            let mut updated = p.clone();
            if edit.team.is_some() {
                updated.team = after.team.clone();
            }
            if edit.level.is_some() {
                updated.level = after.level.clone();
            }
            if updated != *p {
                person_corrections(p, &updated, &mut change.corrections);
                change.people_updates.push(updated);
            }
        }
        change.stints.push(after);
        self.checked(change, "stint edit")
    }

    /// The change that deletes one stint.
    pub fn delete_stint(&self, person: &PersonId, key: StintKey) -> Result<Change, EditError> {
        let stint = self.stint(person, key)?;
        let change = Change {
            stints_replaced: vec![(person.clone(), stint.start)],
            corrections: vec![Correction {
                person: person.clone(),
                record: stint_record(stint.start),
                field: "*".to_owned(),
                before: Some(describe_stint(stint)),
                after: None,
            }],
            ..Change::default()
        };
        self.checked(change, "stint delete")
    }

    /// The check-in a person recorded on a day.
    pub fn checkin_on(&self, person: &PersonId, date: NaiveDate) -> Result<&CheckIn, EditError> {
        let i = self.index_of(person)?;
        let checkins = self.checkins_of(i);
        checkins
            .binary_search_by(|c| c.date.cmp(&date))
            .map(|k| &checkins[k])
            .map_err(|_| EditError::NoCheckIn {
                person: person.to_string(),
                date,
            })
    }

    /// The change that deletes a person's check-in of a day. The history says only that it
    /// was deleted: neither its scores nor its note.
    pub fn delete_checkin(&self, person: &PersonId, date: NaiveDate) -> Result<Change, EditError> {
        self.checkin_on(person, date)?;
        let change = Change {
            checkins_replaced: vec![(person.clone(), date)],
            corrections: vec![Correction {
                person: person.clone(),
                record: format!("check-in of {date}"),
                field: "*".to_owned(),
                before: Some("recorded".to_owned()),
                after: None,
            }],
            ..Change::default()
        };
        self.checked(change, "check-in delete")
    }

    /// The change that corrects a person's own record.
    pub fn edit_person(&self, person: &PersonId, edit: &PersonEdit) -> Result<Change, EditError> {
        let i = self.index_of(person)?;
        let before = self.person_at(i);
        let mut after = before.clone();
        if let Some(name) = &edit.name {
            let name = name.trim();
            if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
                return Err(EditError::Invalid {
                    field: "name",
                    message: format!("a name has 1 to {MAX_NAME_CHARS} characters"),
                });
            }
            if let Err(e) = without_nul(name) {
                return Err(EditError::Invalid {
                    field: "name",
                    message: e.to_string(),
                });
            }
            after.name = name.to_owned();
        }
        if let Some(email) = &edit.email {
            after.email = email.clone();
        }
        if let Some(aliases) = &edit.aliases {
            after.aliases = aliases.clone();
        }
        if let Some(manager) = &edit.manager {
            after.manager = manager.clone();
        }
        if let Some(team) = &edit.team {
            after.team = team.clone();
        }
        if after == *before {
            return Err(EditError::NoChange);
        }
        let mut change = Change::default();
        person_corrections(before, &after, &mut change.corrections);
        change.people_updates.push(after);
        self.checked(change, "person edit")
    }

    /// Whether the person may be erased: no one may report to them, or the reporting line
    /// would name someone who no longer exists. Gives those who do.
    pub fn erase_blockers(&self, person: &PersonId) -> Result<Vec<PersonId>, EditError> {
        let i = self.index_of(person)?;
        Ok(self
            .reports_of(i)
            .map(|r| self.person_at(r).id.clone())
            .collect())
    }
}

/// Problems of the whole ledger that only a departure can cause: stints past the day a
/// person left, and people reporting to someone who left. `stints` are sorted by person
/// index, as `check_stints` leaves them.
pub(super) fn check_departures(
    people: &[Sourced<Person>],
    index: &HashMap<PersonId, usize>,
    stints: &[Stint],
    problems: &mut Vec<Problem>,
) {
    for p in people {
        if let Some(m) = &p.item.manager
            && let Some(&j) = index.get(m)
            && let Some(d) = &people[j].item.departure
        {
            problems.push(Problem::new(
                &p.origin,
                "manager",
                format!(
                    "{} reports to {m}, who left on {}; give them another manager",
                    p.item.id, d.on
                ),
            ));
        }
    }
    for s in stints {
        let p = &people[index[&s.person]];
        let Some(d) = &p.item.departure else { continue };
        if s.end.is_none_or(|end| end > d.on) {
            problems.push(Problem::new(
                &p.origin,
                "left",
                format!(
                    "{} left on {} but has a stint from {} {}",
                    p.item.id,
                    d.on,
                    s.start,
                    s.end
                        .map_or("that is still open".to_owned(), |e| format!("until {e}"))
                ),
            ));
        }
    }
}
