//! The export document: the whole ledger and its policy as one JSON file.
//!
//! The document is the operator's backup and what the JSON import reads, so its shape is a
//! contract. Every key is always written (an absent value is `null`), records keep the
//! ledger's own order, and the same ledger always gives the same bytes: exports can be
//! diffed, and `export(import(export(L))) == export(L)` holds byte for byte.

use pendulum_core::{
    CalendarWeek, CheckIn, GitMonth, Ledger, Note, Person, Policy, Stint, Team, WillingAnswer,
};
use serde::Serialize;

/// The value of the document's `format` key.
pub(crate) const FORMAT: &str = "pendulum-ledger";

/// The version of the document's shape; a reader refuses versions it does not know.
/// Version 2 added stints' `band`, people's `willing_since` and the `answers` history;
/// version 3 added people's `left_on` and `leave_reason` and stints' `org`.
pub(crate) const VERSION: u32 = 3;

/// The full document, check-in notes included: the operator's backup of everything stored.
pub fn export_document(ledger: &Ledger, policy: &Policy) -> String {
    document(ledger, policy, Notes::Keep)
}

/// The document with every check-in note written as `null`. A note is private to the person
/// who wrote it, so any export that leaves the operator's hands goes without them.
pub fn export_document_without_notes(ledger: &Ledger, policy: &Policy) -> String {
    document(ledger, policy, Notes::Strip)
}

/// Whether an export carries check-in notes, which are private to the person who wrote them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notes {
    /// Every note as written: for the operator's backup, or the person's own copy.
    Keep,
    /// Every note written as `null`: for anyone else's eyes.
    Strip,
}

fn document(ledger: &Ledger, policy: &Policy, notes: Notes) -> String {
    let evidence = ledger
        .git()
        .iter()
        .map(|g| Evidence::Git(GitDoc::from(g)))
        .chain(
            ledger
                .calendar()
                .iter()
                .map(|c| Evidence::Calendar(CalendarDoc::from(c))),
        )
        .collect();
    let document = Document {
        format: FORMAT,
        version: VERSION,
        policy,
        teams: ledger.teams().iter().map(TeamDoc::from).collect(),
        people: ledger.people().iter().map(PersonDoc::from).collect(),
        stints: ledger.stints().iter().map(StintDoc::from).collect(),
        checkins: ledger
            .checkins()
            .iter()
            .map(|c| CheckinDoc::new(c, notes))
            .collect(),
        answers: ledger.answers().iter().map(AnswerDoc::from).collect(),
        evidence,
    };
    let mut text = serde_json::to_string_pretty(&document).expect("the document always serializes");
    text.push('\n');
    text
}

#[derive(Serialize)]
struct Document<'a> {
    format: &'static str,
    version: u32,
    policy: &'a Policy,
    teams: Vec<TeamDoc<'a>>,
    people: Vec<PersonDoc<'a>>,
    stints: Vec<StintDoc<'a>>,
    checkins: Vec<CheckinDoc<'a>>,
    answers: Vec<AnswerDoc<'a>>,
    evidence: Vec<Evidence<'a>>,
}

#[derive(Serialize)]
struct TeamDoc<'a> {
    id: &'a str,
    name: &'a str,
    parent: Option<&'a str>,
}

impl<'a> From<&'a Team> for TeamDoc<'a> {
    fn from(t: &'a Team) -> Self {
        Self {
            id: t.id.as_str(),
            name: &t.name,
            parent: t.parent.as_ref().map(|p| p.as_str()),
        }
    }
}

#[derive(Serialize)]
struct PersonDoc<'a> {
    id: &'a str,
    name: &'a str,
    email: &'a str,
    aliases: Vec<&'a str>,
    level: &'a str,
    team: Option<&'a str>,
    manager: Option<&'a str>,
    willing_to_manage: &'static str,
    willing_since: Option<String>,
    left_on: Option<String>,
    leave_reason: Option<&'a str>,
}

impl<'a> From<&'a Person> for PersonDoc<'a> {
    fn from(p: &'a Person) -> Self {
        Self {
            id: p.id.as_str(),
            name: &p.name,
            email: p.email.as_str(),
            aliases: p.aliases.iter().map(|a| a.as_str()).collect(),
            level: p.level.name(),
            team: p.team.as_ref().map(|t| t.as_str()),
            manager: p.manager.as_ref().map(|m| m.as_str()),
            willing_to_manage: p.willing_to_manage.as_str(),
            willing_since: p.willing_since.map(|d| d.to_string()),
            left_on: p.departure.as_ref().map(|d| d.on.to_string()),
            leave_reason: p.departure.as_ref().and_then(|d| d.reason.as_deref()),
        }
    }
}

#[derive(Serialize)]
struct StintDoc<'a> {
    person: &'a str,
    role: &'static str,
    team: Option<&'a str>,
    level: &'a str,
    band: Option<u16>,
    start: String,
    end: Option<String>,
    chosen: bool,
    trial_end: Option<String>,
    org: Option<&'a str>,
}

impl<'a> From<&'a Stint> for StintDoc<'a> {
    fn from(s: &'a Stint) -> Self {
        Self {
            person: s.person.as_str(),
            role: s.role.as_str(),
            team: s.team.as_ref().map(|t| t.as_str()),
            level: s.level.name(),
            band: s.band.map(|b| b.get()),
            start: s.start.to_string(),
            end: s.end.map(|d| d.to_string()),
            chosen: s.chosen,
            trial_end: s.trial_end.map(|d| d.to_string()),
            org: s.org.as_deref(),
        }
    }
}

#[derive(Serialize)]
struct CheckinDoc<'a> {
    person: &'a str,
    date: String,
    joy: u8,
    energy: u8,
    learning: u8,
    note: Option<&'a str>,
}

impl<'a> CheckinDoc<'a> {
    fn new(c: &'a CheckIn, notes: Notes) -> Self {
        Self {
            person: c.person.as_str(),
            date: c.date.to_string(),
            joy: c.joy.get(),
            energy: c.energy.get(),
            learning: c.learning.get(),
            note: match notes {
                Notes::Keep => c.note.as_ref().map(Note::as_str),
                Notes::Strip => None,
            },
        }
    }
}

#[derive(Serialize)]
struct AnswerDoc<'a> {
    person: &'a str,
    date: String,
    answer: &'static str,
}

impl<'a> From<&'a WillingAnswer> for AnswerDoc<'a> {
    fn from(a: &'a WillingAnswer) -> Self {
        Self {
            person: a.person.as_str(),
            date: a.date.to_string(),
            answer: a.answer.as_str(),
        }
    }
}

/// Evidence rows of both sources in one array, told apart by their `source` key.
#[derive(Serialize)]
#[serde(untagged)]
enum Evidence<'a> {
    Git(GitDoc<'a>),
    Calendar(CalendarDoc<'a>),
}

#[derive(Serialize)]
struct GitDoc<'a> {
    person: &'a str,
    month: String,
    source: &'static str,
    commits: u32,
    merges: u32,
    coauthored: u32,
    repositories: u32,
    lines_added: Option<u64>,
    lines_removed: Option<u64>,
    partial: bool,
}

impl<'a> From<&'a GitMonth> for GitDoc<'a> {
    fn from(g: &'a GitMonth) -> Self {
        Self {
            person: g.person.as_str(),
            month: g.month.to_string(),
            source: "git",
            commits: g.commits,
            merges: g.merges,
            coauthored: g.coauthored,
            repositories: g.repositories,
            lines_added: g.lines_added,
            lines_removed: g.lines_removed,
            partial: g.partial,
        }
    }
}

/// Hours are written as the shortest decimal that reads back to the same number.
#[derive(Serialize)]
struct CalendarDoc<'a> {
    person: &'a str,
    week: String,
    source: &'static str,
    meeting_hours: f64,
    focus_hours: f64,
    fragmented_hours: f64,
    after_hours: f64,
}

impl<'a> From<&'a CalendarWeek> for CalendarDoc<'a> {
    fn from(c: &'a CalendarWeek) -> Self {
        Self {
            person: c.person.as_str(),
            week: c.week.to_string(),
            source: "calendar",
            meeting_hours: c.meeting_hours,
            focus_hours: c.focus_hours,
            fragmented_hours: c.fragmented_hours,
            after_hours: c.after_hours,
        }
    }
}
