//! Ledger invariants and swings: what `Ledger::build` refuses, and where it says the problem is.

use chrono::NaiveDate;
use pendulum_core::ledger::{LedgerParts, Origin, Person, Sourced, Stint, SwingError};
use pendulum_core::{Email, Ladder, Ledger, PersonId, Role, SwingRequest, Willingness};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn person(id: &str, email: &str, manager: Option<&str>, line: u32) -> Sourced<Person> {
    Sourced::new(
        Person {
            willing_since: None,
            id: PersonId::parse(id).unwrap(),
            name: id.into(),
            email: Email::parse(email).unwrap(),
            aliases: vec![],
            level: Ladder::default().level("L4").unwrap(),
            team: None,
            manager: manager.map(|m| PersonId::parse(m).unwrap()),
            willing_to_manage: Willingness::Unknown,
            departure: None,
        },
        Origin::new("people.csv", line),
    )
}

fn stint(id: &str, role: Role, start: &str, end: Option<&str>, line: u32) -> Sourced<Stint> {
    Sourced::new(
        Stint {
            band: None,
            person: PersonId::parse(id).unwrap(),
            role,
            team: None,
            level: Ladder::default().level("L4").unwrap(),
            start: d(start),
            end: end.map(d),
            chosen: true,
            trial_end: None,
            org: None,
        },
        Origin::new("stints.csv", line),
    )
}

fn problems(parts: LedgerParts) -> Vec<String> {
    Ledger::build(parts)
        .unwrap_err()
        .iter()
        .map(|p| p.to_string())
        .collect()
}

#[test]
fn every_problem_is_reported_with_its_origin() {
    let parts = LedgerParts {
        people: vec![
            person("a", "a@x.io", Some("b"), 2),
            person("b", "b@x.io", Some("a"), 3),
            person("c", "A@x.io", Some("nobody"), 4),
            person("a", "a2@x.io", None, 5),
        ],
        stints: vec![
            stint("a", Role::Engineer, "2020-01-01", None, 2),
            stint("a", Role::Manager, "2022-01-01", None, 3),
            stint("zed", Role::Engineer, "2020-01-01", None, 4),
            stint("b", Role::Engineer, "2020-01-01", Some("2019-01-01"), 5),
        ],
        ..LedgerParts::default()
    };
    assert_eq!(
        problems(parts),
        [
            "people.csv:2: manager: the reporting line loops: a -> b -> a",
            "people.csv:4: email: a@x.io is used by both a and c (also at people.csv:2)",
            "people.csv:4: manager: no person has the id \"nobody\"",
            "people.csv:5: id: person \"a\" is defined twice (also at people.csv:2)",
            "stints.csv:3: start: a's stints overlap: engineer from 2020-01-01 (open-ended) and manager from 2022-01-01 (also at stints.csv:2)",
            "stints.csv:4: person: no person has the id \"zed\"",
            "stints.csv:5: end: the stint ends on 2019-01-01, not after it starts on 2020-01-01",
        ]
    );
}

#[test]
fn a_clash_with_stored_records_blames_the_newcomer() {
    let stored = Ledger::build(LedgerParts {
        people: vec![person("a", "a@x.io", None, 1)],
        stints: vec![stint(
            "a",
            Role::Engineer,
            "2020-01-01",
            Some("2024-01-01"),
            1,
        )],
        ..LedgerParts::default()
    })
    .unwrap();
    let incoming = LedgerParts {
        stints: vec![stint(
            "a",
            Role::Manager,
            "2019-06-01",
            Some("2021-01-01"),
            7,
        )],
        ..LedgerParts::default()
    };
    let err = stored.merge(incoming).unwrap_err().to_string();
    assert_eq!(
        err,
        "stints.csv:7: end: a's stints overlap: manager from 2019-06-01 (until 2021-01-01) and engineer from 2020-01-01 (already in the database)"
    );
}

fn one_engineer() -> Ledger {
    Ledger::build(LedgerParts {
        people: vec![person("a", "a@x.io", None, 1)],
        stints: vec![stint("a", Role::Engineer, "2020-01-01", None, 1)],
        ..LedgerParts::default()
    })
    .unwrap()
}

fn swing_to(role: Role, on: &str) -> SwingRequest {
    SwingRequest {
        band: None,
        person: PersonId::parse("a").unwrap(),
        to: role,
        on: d(on),
        team: None,
        level: None,
        chosen: true,
        trial_until: None,
    }
}

#[test]
fn a_swing_ends_the_open_stint_and_opens_the_next_at_the_same_level() {
    let ledger = one_engineer();
    let change = ledger
        .swing(&swing_to(Role::Manager, "2024-03-01"))
        .unwrap();
    let after = ledger.apply(&change, &Origin::new("swing", 0)).unwrap();
    let stints = after.stints_of(0);
    assert_eq!(stints.len(), 2);
    assert_eq!(stints[0].end, Some(d("2024-03-01")));
    assert_eq!(
        (stints[1].role, stints[1].start, stints[1].end),
        (Role::Manager, d("2024-03-01"), None)
    );
    assert_eq!(stints[1].level, stints[0].level);
    assert!(
        change.people_updates.is_empty(),
        "level and team are unchanged"
    );
}

#[test]
fn swings_that_make_no_sense_are_refused() {
    let ledger = one_engineer();
    assert!(matches!(
        ledger.swing(&swing_to(Role::Manager, "2020-01-01")),
        Err(SwingError::TooEarly { .. })
    ));
    assert!(matches!(
        ledger.swing(&swing_to(Role::Engineer, "2024-01-01")),
        Err(SwingError::NoChange { .. })
    ));
    let mut unknown = swing_to(Role::Manager, "2024-01-01");
    unknown.person = PersonId::parse("b").unwrap();
    assert!(matches!(
        ledger.swing(&unknown),
        Err(SwingError::UnknownPerson(_))
    ));
    let mut trial = swing_to(Role::Manager, "2024-01-01");
    trial.trial_until = Some(d("2023-12-01"));
    assert!(matches!(
        ledger.swing(&trial),
        Err(SwingError::TrialBeforeSwing { .. })
    ));
}
