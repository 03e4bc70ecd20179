//! The timeline picture with a plan's roles after its day: faded stints, open circles where
//! the plan changes side, and a description that says so.

use chrono::NaiveDate;
use pendulum_core::ledger::{LedgerParts, Origin, Person, Sourced, Stint};
use pendulum_core::timeline::{PlannedStint, Timeline};
use pendulum_core::{Email, Ladder, Ledger, PersonId, Policy, Role, Willingness};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn ledger() -> Ledger {
    let level = Ladder::default().level("L5").unwrap();
    Ledger::build(LedgerParts {
        people: vec![Sourced::new(
            Person {
                willing_since: None,
                id: PersonId::parse("ada").unwrap(),
                name: "Ada".into(),
                email: Email::parse("ada@x.io").unwrap(),
                aliases: vec![],
                level: level.clone(),
                team: None,
                manager: None,
                willing_to_manage: Willingness::Yes,
                departure: None,
            },
            Origin::new("people.csv", 2),
        )],
        stints: vec![Sourced::new(
            Stint {
                band: None,
                person: PersonId::parse("ada").unwrap(),
                role: Role::Engineer,
                team: None,
                level,
                start: d("2020-01-01"),
                end: None,
                chosen: true,
                trial_end: None,
                org: None,
            },
            Origin::new("stints.csv", 2),
        )],
        ..LedgerParts::default()
    })
    .unwrap()
}

#[test]
fn planned_roles_are_drawn_faded_with_their_swings() {
    let l = ledger();
    let policy = Policy::default();
    let plain = Timeline::new(&l, 0, &policy, d("2026-12-03"));
    assert!(!plain.to_svg().contains("planned"));
    let planned = plain.with_plan(vec![
        PlannedStint {
            role: Role::TechLead,
            start: d("2027-01-01"),
            end: d("2027-04-01"),
            label: String::new(),
        },
        PlannedStint {
            role: Role::Manager,
            start: d("2027-04-01"),
            end: d("2029-01-01"),
            label: "manages Storage".into(),
        },
    ]);
    let svg = planned.to_svg();
    // Two faded stints and one swing: engineer to tech lead stays hands-on.
    assert_eq!(svg.matches("<rect class=\"planned\"").count(), 2, "{svg}");
    assert_eq!(svg.matches("<circle class=\"planned\"").count(), 1, "{svg}");
    assert!(svg.contains("<title>planned swing on 2027-04-01: tech lead to manager</title>"));
    assert!(svg.contains("planned: manager, 2027-04-01 to 2029-01-01, manages Storage"));
    // The years run on to the end of the plan.
    assert!(svg.contains(">2029</text>"), "{svg}");
    assert!(
        planned
            .describe()
            .ends_with("The plan has 1 swing, the first to manager on 2027-04-01."),
        "{}",
        planned.describe()
    );
}
