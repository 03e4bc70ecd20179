//! The shapes this crate writes, pinned by snapshots: the export document and a report.

use chrono::NaiveDate;
use pendulum_core::{
    Band, CalendarWeek, CheckIn, Email, GitMonth, IsoWeek, Ladder, Ledger, LedgerParts, Origin,
    Person, PersonId, Policy, Report, Role, Score, Sourced, Stint, Team, TeamId, WillingAnswer,
    Willingness, YearMonth,
};
use pendulum_exchange::{export_document, export_document_without_notes, report_json};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn pid(s: &str) -> PersonId {
    PersonId::parse(s).unwrap()
}

fn tid(s: &str) -> TeamId {
    TeamId::parse(s).unwrap()
}

fn db<T>(item: T) -> Sourced<T> {
    Sourced::new(item, Origin::database())
}

/// Two teams, a manager and her report, with one record of every kind: pay bands on the
/// manager's stints and her answers about managing over the years among them.
fn small_ledger() -> Ledger {
    let mut parts = small_parts();
    let answer = |date: &str, answer| {
        db(WillingAnswer {
            person: pid("ada"),
            date: d(date),
            answer,
        })
    };
    parts.answers = vec![
        answer("2020-11-02", Willingness::Yes),
        answer("2019-04-01", Willingness::No),
    ];
    for person in &mut parts.people {
        if person.item.id == pid("ada") {
            person.item.willing_since = Some(d("2020-11-02"));
        }
    }
    for stint in &mut parts.stints {
        if stint.item.person == pid("ada") {
            stint.item.band = Some(Band::new(42).unwrap());
        }
    }
    Ledger::build(parts).unwrap()
}

/// The small ledger without bands or answers about managing: what the report reads, so
/// that its snapshot speaks of the rules alone.
fn small_ledger_for_the_report() -> Ledger {
    Ledger::build(small_parts()).unwrap()
}

fn small_parts() -> LedgerParts {
    let ladder = Ladder::default();
    LedgerParts {
        answers: Vec::new(),
        teams: vec![
            db(Team {
                id: tid("platform"),
                name: "Platform".into(),
                parent: None,
            }),
            db(Team {
                id: tid("apps"),
                name: "Apps, \"mobile\" & web".into(),
                parent: Some(tid("platform")),
            }),
        ],
        people: vec![
            db(Person {
                willing_since: None,
                id: pid("bob"),
                name: "Bob Builder".into(),
                email: Email::parse("bob@example.org").unwrap(),
                aliases: vec![],
                level: ladder.level("L4").unwrap(),
                team: Some(tid("apps")),
                manager: Some(pid("ada")),
                willing_to_manage: Willingness::Unknown,
                departure: None,
            }),
            db(Person {
                willing_since: None,
                id: pid("ada"),
                name: "Ada Lovelace".into(),
                email: Email::parse("ada@example.org").unwrap(),
                aliases: vec![Email::parse("ada@old.example.org").unwrap()],
                level: ladder.level("L6").unwrap(),
                team: Some(tid("platform")),
                manager: None,
                willing_to_manage: Willingness::Yes,
                departure: None,
            }),
        ],
        stints: vec![
            db(Stint {
                band: None,
                person: pid("ada"),
                role: Role::Manager,
                team: Some(tid("platform")),
                level: ladder.level("L6").unwrap(),
                start: d("2021-01-01"),
                end: None,
                chosen: true,
                trial_end: Some(d("2021-07-01")),
                org: None,
            }),
            db(Stint {
                band: None,
                person: pid("ada"),
                role: Role::Engineer,
                team: Some(tid("platform")),
                level: ladder.level("L6").unwrap(),
                start: d("2015-03-01"),
                end: Some(d("2021-01-01")),
                chosen: true,
                trial_end: None,
                org: None,
            }),
            db(Stint {
                band: None,
                person: pid("bob"),
                role: Role::TechLead,
                team: Some(tid("apps")),
                level: ladder.level("L4").unwrap(),
                start: d("2022-05-01"),
                end: None,
                chosen: false,
                trial_end: None,
                org: None,
            }),
        ],
        checkins: vec![
            db(CheckIn {
                person: pid("ada"),
                date: d("2025-01-10"),
                joy: Score::new(2).unwrap(),
                energy: Score::new(2).unwrap(),
                learning: Score::new(2).unwrap(),
                note: pendulum_core::Note::parse("tired,\n\"busy\" week — été").unwrap(),
            }),
            db(CheckIn {
                person: pid("ada"),
                date: d("2025-04-02"),
                joy: Score::new(2).unwrap(),
                energy: Score::new(1).unwrap(),
                learning: Score::new(2).unwrap(),
                note: None,
            }),
        ],
        git: vec![db(GitMonth {
            person: pid("ada"),
            month: YearMonth::new(2025, 1).unwrap(),
            commits: 3,
            merges: 1,
            coauthored: 2,
            repositories: 1,
            lines_added: Some(120),
            lines_removed: None,
            partial: false,
        })],
        calendar: vec![db(CalendarWeek {
            person: pid("ada"),
            week: IsoWeek::parse("2025-W02").unwrap(),
            meeting_hours: 12.5,
            focus_hours: 20.0,
            fragmented_hours: 3.25,
            after_hours: 0.1,
        })],
    }
}

#[test]
fn the_export_document() {
    insta::assert_snapshot!(export_document(&small_ledger(), &Policy::default()));
}

#[test]
fn notes_can_be_left_out_and_nothing_else_changes() {
    let ledger = small_ledger();
    let full = export_document(&ledger, &Policy::default());
    let private = export_document_without_notes(&ledger, &Policy::default());
    assert_eq!(
        full.replace(r#""tired,\n\"busy\" week — été""#, "null"),
        private
    );
}

#[test]
fn a_report() {
    let ledger = small_ledger_for_the_report();
    let report = Report::new(&ledger, &Policy::default(), d("2025-06-01"));
    insta::assert_json_snapshot!(report_json(&report, &ledger));
}
