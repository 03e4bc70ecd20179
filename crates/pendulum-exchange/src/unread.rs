//! What an import could not read, as far as other records may name it.
//!
//! A check-in for `ada` whose people row was malformed would otherwise be told "no person has
//! the id ada" on top of that row's own problem: two reports of one mistake, and the second
//! one wrong, since `ada` is in the file. So the readers remember the ids of the people and
//! teams they could not read, and whether a record of a kind was lost before its id could be
//! known at all (a row with the wrong number of fields, a file whose header names no kind).
//! A reference to a person or team that is not there is held back only when it may point at
//! such a record; every other one is reported together with the field problems, so that one
//! round of fixing is enough.

use std::collections::HashSet;

use pendulum_core::{PersonId, Reference, TeamId};

use crate::fields::{Record, Section};

/// The people and teams an import meant to define but could not read.
#[derive(Debug, Default)]
pub(crate) struct Unread {
    people: HashSet<PersonId>,
    teams: HashSet<TeamId>,
    /// A record of people was lost before its id could be read, so any id may be its.
    some_person: bool,
    /// The same for teams.
    some_team: bool,
}

impl Unread {
    /// Remembers a record of `section` that was read but not kept. Its id is remembered when
    /// it is well formed; a missing or malformed id cannot be what a well-formed reference
    /// names (a reference spelt the same way is malformed too, and reported as such).
    pub(crate) fn record(&mut self, section: Section, record: &impl Record) {
        let Ok(Some(id)) = record.text("id") else {
            return;
        };
        match section {
            Section::People => {
                if let Ok(id) = PersonId::parse(&id) {
                    self.people.insert(id);
                }
            }
            Section::Teams => {
                if let Ok(id) = TeamId::parse(&id) {
                    self.teams.insert(id);
                }
            }
            Section::Stints
            | Section::Checkins
            | Section::Answers
            | Section::Git
            | Section::Calendar => {}
        }
    }

    /// Remembers that a record of `section` was lost before any of its fields was read.
    pub(crate) fn lost(&mut self, section: Section) {
        match section {
            Section::People => self.some_person = true,
            Section::Teams => self.some_team = true,
            Section::Stints
            | Section::Checkins
            | Section::Answers
            | Section::Git
            | Section::Calendar => {}
        }
    }

    /// Remembers that a whole file was lost before its kind was known.
    pub(crate) fn lost_file(&mut self) {
        self.some_person = true;
        self.some_team = true;
    }

    /// Whether the person or team `reference` names may be one of the records not read.
    pub(crate) fn may_define(&self, reference: &Reference) -> bool {
        match reference {
            Reference::Person(id) => self.some_person || self.people.contains(id),
            Reference::Team(id) => self.some_team || self.teams.contains(id),
        }
    }
}
