//! The assignment model: its optimum against every possible assignment of random tiny
//! instances, the checker against plans that break each constraint, and the TRN1 reader.

use pendulum_plan::transport::{InstanceError, Trn1Error};
use pendulum_plan::{Assignment, Edge, Instance, Objective, Plan, Violation, check};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn edge(person: u32, item: u32, growth: i64) -> Edge {
    Edge {
        person,
        item,
        growth,
    }
}

fn assignment(person: u32, item: u32, growth: i64) -> Assignment {
    Assignment {
        person,
        item,
        growth,
    }
}

/// The best total growth over every way of giving each item to one of its candidates or to
/// no one, within the capacities.
fn brute_force(instance: &Instance) -> i64 {
    let mut candidates: Vec<Vec<&Edge>> = vec![Vec::new(); instance.items()];
    for edge in instance.edges() {
        candidates[edge.item as usize].push(edge);
    }
    let mut load = vec![0i64; instance.people()];
    best_from(instance, &candidates, 0, &mut load)
}

fn best_from(instance: &Instance, candidates: &[Vec<&Edge>], item: usize, load: &mut [i64]) -> i64 {
    if item == candidates.len() {
        return 0;
    }
    let mut best = best_from(instance, candidates, item + 1, load);
    for edge in &candidates[item] {
        let person = edge.person as usize;
        if load[person] < instance.capacities()[person] {
            load[person] += 1;
            best = best.max(edge.growth + best_from(instance, candidates, item + 1, load));
            load[person] -= 1;
        }
    }
    best
}

fn random_instance(rng: &mut ChaCha8Rng) -> Instance {
    let people = rng.random_range(1..=3);
    let items = rng.random_range(0..=6);
    let capacities = (0..people).map(|_| rng.random_range(0..=2)).collect();
    let mut pairs: Vec<(u32, u32)> = (0..people as u32)
        .flat_map(|p| (0..items as u32).map(move |i| (p, i)))
        .collect();
    pairs.shuffle(rng);
    pairs.truncate(rng.random_range(0..=pairs.len()));
    // Mostly growth in the band's range, sometimes negative: an item worth nothing to
    // anyone must stay unassigned.
    let edges = pairs
        .into_iter()
        .map(|(p, i)| edge(p, i, rng.random_range(-200..=1000)))
        .collect();
    Instance::new(capacities, items, edges).unwrap()
}

#[test]
fn optimum_equals_brute_force_on_random_tiny_instances() {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let mut nonzero = 0;
    for case in 0..3000 {
        let instance = random_instance(&mut rng);
        let plan = instance.solve().unwrap();
        let objective = check(&instance, &plan)
            .unwrap_or_else(|v| panic!("case {case}: checker rejects the plan: {v:?}"));
        assert_eq!(
            objective.total_growth,
            brute_force(&instance),
            "case {case}: {instance:?}"
        );
        nonzero += usize::from(objective.total_growth > 0);
    }
    assert!(nonzero > 1500, "only {nonzero} cases assign anything");
}

#[test]
fn capacity_binds_and_the_better_person_wins() {
    // One person of capacity 1 and two items: the better item is taken. The second person
    // is a worse fit for item 0 but the only candidate for item 1.
    let instance = Instance::new(
        vec![1, 1],
        2,
        vec![edge(0, 0, 900), edge(0, 1, 700), edge(1, 0, 500)],
    )
    .unwrap();
    let plan = instance.solve().unwrap();
    // Person 0 on item 1 and person 1 on item 0 (1,200) beats person 0 on item 0 (900).
    assert_eq!(
        plan.assignments,
        vec![assignment(1, 0, 500), assignment(0, 1, 700)]
    );
    assert_eq!(
        check(&instance, &plan),
        Ok(Objective {
            total_growth: 1200,
            assigned: 2
        })
    );
}

#[test]
fn checker_names_every_broken_constraint() {
    let instance = Instance::new(vec![1, 0], 2, vec![edge(0, 0, 10), edge(1, 1, 20)]).unwrap();
    let plan = Plan {
        assignments: vec![
            assignment(0, 0, 11),
            assignment(0, 0, 10),
            assignment(1, 1, 20),
            assignment(1, 0, 5),
            assignment(2, 0, 1),
            assignment(0, 9, 1),
        ],
        total_growth: 0,
    };
    let violations = check(&instance, &plan).unwrap_err();
    for expected in [
        Violation::GrowthMismatch {
            person: 0,
            item: 0,
            claimed: 11,
            actual: 10,
        },
        Violation::NotACandidate { person: 1, item: 0 },
        Violation::UnknownPerson { person: 2 },
        Violation::UnknownItem { item: 9 },
        Violation::ItemAssignedTwice { item: 0, times: 3 },
        Violation::OverCapacity {
            person: 0,
            assigned: 2,
            capacity: 1,
        },
        Violation::OverCapacity {
            person: 1,
            assigned: 2,
            capacity: 0,
        },
        Violation::ObjectiveMismatch {
            claimed: 0,
            actual: 40,
        },
    ] {
        assert!(
            violations.contains(&expected),
            "missing {expected:?} in {violations:?}"
        );
    }
    assert_eq!(violations.len(), 8, "{violations:?}");
}

#[test]
fn checker_accepts_an_empty_plan() {
    let instance = Instance::new(vec![3], 2, vec![edge(0, 1, 5)]).unwrap();
    let plan = Plan {
        assignments: Vec::new(),
        total_growth: 0,
    };
    assert_eq!(
        check(&instance, &plan),
        Ok(Objective {
            total_growth: 0,
            assigned: 0
        })
    );
}

#[test]
fn instance_refuses_bad_parts() {
    assert_eq!(
        Instance::new(vec![1, -2], 1, vec![]),
        Err(InstanceError::NegativeCapacity {
            person: 1,
            capacity: -2
        })
    );
    assert_eq!(
        Instance::new(vec![1], 1, vec![edge(1, 0, 1)]),
        Err(InstanceError::UnknownPerson {
            edge: 0,
            person: 1,
            people: 1
        })
    );
    assert_eq!(
        Instance::new(vec![1], 1, vec![edge(0, 3, 1)]),
        Err(InstanceError::UnknownItem {
            edge: 0,
            item: 3,
            items: 1
        })
    );
    assert_eq!(
        Instance::new(vec![1], 1, vec![edge(0, 0, 1), edge(0, 0, 2)]),
        Err(InstanceError::DuplicateEdge {
            edge: 1,
            person: 0,
            item: 0
        })
    );
}

#[test]
fn trn1_round_trip_of_a_small_instance() {
    let text = "TRN1 2 3 4\n2 1\n0 0 500\n1 0 900\n0 1 1000\n0 2 100\n";
    let instance = Instance::parse_trn1(text).unwrap();
    assert_eq!(instance.capacities(), &[2, 1]);
    assert_eq!(instance.items(), 3);
    let plan = instance.solve().unwrap();
    assert_eq!(plan.total_growth, 900 + 1000 + 100);
    assert_eq!(check(&instance, &plan).unwrap().assigned, 3);
}

#[test]
fn trn1_errors_name_the_line() {
    let cases = [
        ("TRN2 1 1 0\n1\n", 1, "expected the tag TRN1"),
        (
            "TRN1 1 1 1\nx\n0 0 1\n",
            2,
            "capacity: \"x\" is not a valid number",
        ),
        (
            "TRN1 1 1 2\n1\n0 0 1\n0 0",
            4,
            "the text ends where an edge's growth",
        ),
        ("TRN1 1 1 1\n1\n0 0 1\n7\n", 4, "unexpected \"7\""),
    ];
    for (text, line, message) in cases {
        match Instance::parse_trn1(text) {
            Err(Trn1Error::Syntax {
                line: l,
                message: m,
            }) => {
                assert_eq!(l, line, "{text:?}: {m}");
                assert!(m.contains(message), "{text:?}: {m}");
            }
            other => panic!("{text:?}: {other:?}"),
        }
    }
    assert_eq!(
        Instance::parse_trn1("TRN1 1 1 1\n1\n0 4 1\n"),
        Err(Trn1Error::Instance(InstanceError::UnknownItem {
            edge: 0,
            item: 4,
            items: 1
        }))
    );
}
