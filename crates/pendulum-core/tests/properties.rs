//! Properties of the ledger that must hold for any input, not just the examples.

use chrono::{Days, NaiveDate};
use pendulum_core::ledger::{LedgerParts, Origin, Person, Sourced, Stint};
use pendulum_core::{Email, Ladder, Ledger, PersonId, Role, Willingness};
use proptest::prelude::*;

fn person(i: usize) -> Sourced<Person> {
    Sourced::new(
        Person {
            willing_since: None,
            id: PersonId::parse(&format!("p{i}")).unwrap(),
            name: format!("P{i}"),
            email: Email::parse(&format!("p{i}@x.io")).unwrap(),
            aliases: vec![],
            level: Ladder::default().level("L3").unwrap(),
            team: None,
            manager: None,
            willing_to_manage: Willingness::Unknown,
            departure: None,
        },
        Origin::new("people.csv", i as u32 + 2),
    )
}

/// Stints with random people, starts and lengths: many of them overlap.
fn stints() -> impl Strategy<Value = Vec<(usize, u16, Option<u16>, usize)>> {
    prop::collection::vec(
        (
            0usize..4,
            0u16..3000,
            prop::option::of(1u16..800),
            0usize..4,
        ),
        0..24,
    )
}

proptest! {
    #[test]
    fn a_built_ledger_never_holds_overlapping_stints(raw in stints()) {
        let base = NaiveDate::from_ymd_opt(2015, 1, 1).unwrap();
        let parts = LedgerParts {
            people: (0..4).map(person).collect(),
            stints: raw
                .iter()
                .enumerate()
                .map(|(line, &(p, start, len, role))| {
                    let start = base + Days::new(u64::from(start));
                    Sourced::new(
                        Stint {
band: None,
                            person: PersonId::parse(&format!("p{p}")).unwrap(),
                            role: Role::ALL[role],
                            team: None,
                            level: Ladder::default().level("L3").unwrap(),
                            start,
                            end: len.map(|l| start + Days::new(u64::from(l))),
                            chosen: true,
                            trial_end: None, org: None,
                        },
                        Origin::new("stints.csv", line as u32 + 2),
                    )
                })
                .collect(),
            ..LedgerParts::default()
        };
        match Ledger::build(parts) {
            Ok(ledger) => {
                for i in 0..4 {
                    for pair in ledger.stints_of(i).windows(2) {
                        let end = pair[0].end;
                        prop_assert!(end.is_some_and(|e| e <= pair[1].start), "{:?} overlaps {:?}", pair[0], pair[1]);
                    }
                }
            }
            Err(problems) => {
                for p in problems.iter() {
                    prop_assert!(p.origin.source() == "stints.csv" && p.origin.line() >= 2, "{p}");
                }
            }
        }
    }
}
