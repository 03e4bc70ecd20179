//! The stretch assignment in the org's terms: the band's growth curve, plans against every
//! possible assignment of random tiny teams, the explanation of each assignment, and the
//! CSV files it is read from.

use pendulum_core::PersonId;
use pendulum_plan::csv::{read_backlog, read_skills};
use pendulum_plan::stretch::BandError;
use pendulum_plan::{
    BacklogItem, Capacity, SkillLevel, StretchBand, StretchError, StretchLimits, StretchProblem,
    check,
};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn person(id: &str) -> PersonId {
    PersonId::parse(id).unwrap()
}

fn level(who: &str, skill: &str, level: f64) -> SkillLevel {
    SkillLevel {
        person: person(who),
        skill: skill.to_owned(),
        level,
    }
}

fn item(id: &str, skill: &str, difficulty: f64) -> BacklogItem {
    BacklogItem {
        item: id.to_owned(),
        skill: skill.to_owned(),
        difficulty,
        size: 1,
    }
}

#[test]
fn default_band_peaks_one_level_up_and_ends_at_minus_one_and_three() {
    let band = StretchBand::default();
    for (gap, growth) in [
        (1.0, Some(1000)),
        (0.0, Some(750)),
        (2.0, Some(750)),
        (1.5, Some(938)), // 937.5 rounds half to even, as numpy's rint does
        (-1.0, Some(0)),
        (3.0, Some(0)),
        (-1.01, None),
        (3.2, None),
    ] {
        assert_eq!(band.growth(gap), growth, "gap {gap}");
    }
}

#[test]
fn band_refuses_nonsense() {
    assert_eq!(
        StretchBand::new(0.0, 2.0, 3.0, 2.0),
        Err(BandError::TargetOutside {
            lowest: 0.0,
            highest: 2.0,
            target: 3.0
        })
    );
    assert_eq!(
        StretchBand::new(-1.0, 3.0, 1.0, 0.0),
        Err(BandError::Spread(0.0))
    );
    assert_eq!(
        StretchBand::new(f64::NAN, 3.0, 1.0, 2.0),
        Err(BandError::NotFinite)
    );
}

#[test]
fn each_assignment_is_explained() {
    let skills = [
        level("ana", "rust", 4.0),
        level("ana", "sql", 7.0),
        level("bo", "rust", 6.0),
    ];
    let backlog = [
        item("parser", "rust", 5.0),  // ana +1 (1000), bo -1 (0)
        item("planner", "rust", 7.0), // ana +3 (0), bo +1 (1000)
        item("index", "sql", 7.5),    // ana +0.5 (938)
        item("easy", "rust", 1.0),    // below everyone's band
    ];
    let problem = StretchProblem::build(
        &skills,
        &backlog,
        &Capacity::uniform(1).with(person("ana"), 2),
        &StretchBand::default(),
    )
    .unwrap();
    let plan = problem.solve().unwrap();
    let summary: Vec<_> = plan
        .assignments
        .iter()
        .map(|a| {
            (
                a.person.as_str(),
                a.item.as_str(),
                a.level,
                a.difficulty,
                a.gap,
                a.growth,
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            ("ana", "parser", 4.0, 5.0, 1.0, 1000),
            ("bo", "planner", 6.0, 7.0, 1.0, 1000),
            ("ana", "index", 7.0, 7.5, 0.5, 938),
        ]
    );
    assert_eq!(plan.unassigned, vec!["easy".to_owned()]);
    assert_eq!(plan.total_growth, 2938);
}

#[test]
fn capacity_counts_in_units_of_item_size() {
    let skills = [level("ana", "rust", 4.0)];
    let backlog: Vec<_> = ["a", "b", "c"]
        .iter()
        .map(|id| BacklogItem {
            size: 2,
            ..item(id, "rust", 5.0)
        })
        .collect();
    let problem = StretchProblem::build(
        &skills,
        &backlog,
        &Capacity::uniform(5),
        &StretchBand::default(),
    )
    .unwrap();
    assert_eq!(problem.solve().unwrap().assignments.len(), 2);

    let mixed = [
        item("a", "rust", 5.0),
        BacklogItem {
            size: 3,
            ..item("b", "rust", 5.0)
        },
    ];
    assert_eq!(
        StretchProblem::build(
            &skills,
            &mixed,
            &Capacity::uniform(5),
            &StretchBand::default()
        )
        .unwrap_err(),
        StretchError::MixedSizes {
            first: 1,
            second: 3
        }
    );
}

#[test]
fn duplicates_are_refused() {
    let band = StretchBand::default();
    let twice = [level("ana", "rust", 4.0), level("ana", "rust", 5.0)];
    assert!(matches!(
        StretchProblem::build(&twice, &[], &Capacity::uniform(1), &band),
        Err(StretchError::DuplicateLevel { .. })
    ));
    let items = [item("a", "rust", 5.0), item("a", "sql", 5.0)];
    assert_eq!(
        StretchProblem::build(&[], &items, &Capacity::uniform(1), &band).unwrap_err(),
        StretchError::DuplicateItem("a".to_owned())
    );
}

/// The best total growth over every way to give each item to someone in the band or to no
/// one, straight from the definitions.
fn brute_force(
    skills: &[SkillLevel],
    backlog: &[BacklogItem],
    capacity: &Capacity,
    band: &StretchBand,
    from: usize,
    used: &mut Vec<PersonId>,
) -> i64 {
    let Some(item) = backlog.get(from) else {
        return 0;
    };
    let mut best = brute_force(skills, backlog, capacity, band, from + 1, used);
    for row in skills.iter().filter(|s| s.skill == item.skill) {
        let Some(growth) = band.growth(item.difficulty - row.level) else {
            continue;
        };
        let load = used.iter().filter(|p| **p == row.person).count() as u32;
        if load < capacity.of(&row.person) {
            used.push(row.person.clone());
            let rest = brute_force(skills, backlog, capacity, band, from + 1, used);
            used.pop();
            best = best.max(growth + rest);
        }
    }
    best
}

#[test]
fn plans_equal_brute_force_on_random_tiny_teams() {
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    let band = StretchBand::default();
    let names = ["ana", "bo", "cy"];
    let skill_names = ["rust", "sql"];
    let mut assigned_any = 0;
    for case in 0..1500 {
        let mut skills = Vec::new();
        for name in &names[..rng.random_range(1..=3)] {
            for skill in skill_names {
                if rng.random_bool(0.8) {
                    skills.push(level(
                        name,
                        skill,
                        f64::from(rng.random_range(0..=20)) / 2.0,
                    ));
                }
            }
        }
        let backlog: Vec<_> = (0..rng.random_range(0..=6))
            .map(|i| {
                let skill = skill_names[rng.random_range(0..2)];
                item(
                    &format!("i{i}"),
                    skill,
                    f64::from(rng.random_range(0..=20)) / 2.0,
                )
            })
            .collect();
        let mut capacity = Capacity::uniform(rng.random_range(0..=2));
        if rng.random_bool(0.5) {
            capacity = capacity.with(person("ana"), rng.random_range(0..=3));
        }
        let problem = StretchProblem::build(&skills, &backlog, &capacity, &band).unwrap();
        let plan = problem.solve().unwrap();
        let expected = brute_force(&skills, &backlog, &capacity, &band, 0, &mut Vec::new());
        assert_eq!(
            plan.total_growth, expected,
            "case {case}: {skills:?} {backlog:?}"
        );
        for a in &plan.assignments {
            let row = skills
                .iter()
                .find(|s| s.person == a.person && s.skill == a.skill)
                .expect("assigned a person without the skill");
            let wanted = backlog.iter().find(|i| i.item == a.item).unwrap();
            assert_eq!((a.level, a.difficulty), (row.level, wanted.difficulty));
            assert_eq!(a.gap, wanted.difficulty - row.level);
            assert_eq!(Some(a.growth), band.growth(a.gap));
        }
        assert_eq!(
            plan.assignments.len() + plan.unassigned.len(),
            backlog.len(),
            "case {case}"
        );
        assigned_any += usize::from(!plan.assignments.is_empty());
    }
    assert!(
        assigned_any > 500,
        "only {assigned_any} cases assign anything"
    );
}

/// The candidate edges are counted before any is made, and the count is exact: a limit of
/// the count lets the problem through, one less refuses it.
#[test]
fn the_candidate_limit_counts_exactly_the_edges_it_would_make() {
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    let band = StretchBand::default();
    let capacity = Capacity::uniform(1);
    for case in 0..300 {
        let mut skills = Vec::new();
        for p in 0..rng.random_range(0..=12) {
            for s in ["rust", "sql", "ops"] {
                if rng.random_bool(0.6) {
                    let l = f64::from(rng.random_range(0..=40)) / 4.0;
                    skills.push(level(&format!("p{p}"), s, l));
                }
            }
        }
        let backlog: Vec<_> = (0..rng.random_range(0..=12))
            .map(|i| {
                let skill = ["rust", "sql", "ops", "go"][rng.random_range(0..4)];
                item(
                    &format!("i{i}"),
                    skill,
                    f64::from(rng.random_range(0..=40)) / 4.0,
                )
            })
            .collect();
        let edges = StretchProblem::build(&skills, &backlog, &capacity, &band)
            .unwrap()
            .instance()
            .edges()
            .len();
        let within = |limit: usize| {
            let limits = StretchLimits {
                candidate_edges: Some(limit),
                ..StretchLimits::NONE
            };
            StretchProblem::build_within(&skills, &backlog, &capacity, &band, &limits)
        };
        assert!(within(edges).is_ok(), "case {case}: {edges} edges");
        if edges > 0 {
            assert_eq!(
                within(edges - 1).unwrap_err(),
                StretchError::TooManyCandidates { limit: edges - 1 },
                "case {case}"
            );
        }
    }
}

/// 8,000 people and 8,000 items of one skill, all in the band: 64 million edges, refused
/// by the count alone (building them would take gigabytes).
#[test]
fn a_problem_over_the_candidate_limit_is_refused_before_its_edges_exist() {
    let skills: Vec<_> = (0..8000)
        .map(|p| level(&format!("p{p}"), "rust", 4.0))
        .collect();
    let backlog: Vec<_> = (0..8000)
        .map(|i| item(&format!("i{i}"), "rust", 5.0))
        .collect();
    let limits = StretchLimits {
        candidate_edges: Some(500_000),
        ..StretchLimits::NONE
    };
    let e = StretchProblem::build_within(
        &skills,
        &backlog,
        &Capacity::uniform(1),
        &StretchBand::default(),
        &limits,
    )
    .unwrap_err();
    assert_eq!(e, StretchError::TooManyCandidates { limit: 500_000 });
    assert!(
        e.to_string()
            .contains("the limit of 500000 candidate pairs"),
        "{e}"
    );
}

#[test]
fn rows_are_counted_on_the_text_before_it_is_read() {
    let limits = StretchLimits {
        rows_per_file: Some(2),
        ..StretchLimits::NONE
    };
    let text = "person,skill,level\na,rust,4\n\nb,rust,5\n";
    assert_eq!(limits.check_rows("skills", text), Ok(()));
    let e = limits
        .check_rows("skills", &format!("{text}c,rust,6\n"))
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "skills: more than 2 rows, above the limit of 2 rows per file: split the file"
    );
    assert_eq!(
        StretchLimits::NONE.check_rows("skills", &"a\n".repeat(10_000)),
        Ok(())
    );
}

/// A solve whose time is up gives up with the limit named, whatever the machine's speed:
/// with no time at all, the deadline has passed before the first phase.
#[test]
fn a_solve_past_its_time_limit_gives_up_naming_the_limit() {
    let skills: Vec<_> = (0..50)
        .map(|p| level(&format!("p{p}"), "rust", f64::from(p % 7)))
        .collect();
    let backlog: Vec<_> = (0..80)
        .map(|i| item(&format!("i{i}"), "rust", f64::from(i % 9)))
        .collect();
    let problem = StretchProblem::build(
        &skills,
        &backlog,
        &Capacity::uniform(2),
        &StretchBand::default(),
    )
    .unwrap();
    let limits = StretchLimits {
        time_limit: Some(std::time::Duration::ZERO),
        ..StretchLimits::NONE
    };
    let e = problem.solve_within(&limits).unwrap_err();
    assert_eq!(
        e.to_string(),
        "no plan was found within the time limit of 0 s: split the backlog or the people"
    );
    assert!(problem.solve_within(&StretchLimits::NONE).is_ok());
}

#[test]
fn csv_files_to_an_explained_plan() {
    let skills = read_skills(
        "skills.csv",
        "person,skill,level,capacity\nana,rust,4,2\nana,sql,7,2\nbo,rust,6,1\n",
    )
    .unwrap();
    let backlog = read_backlog(
        "backlog.csv",
        "item,skill,difficulty\nparser,rust,5\nplanner,rust,7\nindex,sql,7.5\n",
    )
    .unwrap();
    let mut capacity = Capacity::uniform(0);
    for (who, &units) in &skills.capacities {
        capacity = capacity.with(who.clone(), units);
    }
    let problem =
        StretchProblem::build(&skills.levels, &backlog, &capacity, &StretchBand::default())
            .unwrap();
    let plan = problem.solve().unwrap();
    assert_eq!(plan.total_growth, 2938);
    assert_eq!(plan.assignments.len(), 3);
    let objective = check(problem.instance(), &problem.instance().solve().unwrap()).unwrap();
    assert_eq!(objective.total_growth, 2938);
}

#[test]
fn csv_problems_name_file_line_and_field_and_all_are_reported() {
    let problems = read_skills(
        "skills.csv",
        "person,skill,level,capacity\nana,rust,four,2\nbo!,rust,3,1\nana,sql,7,3\nana,rust,5,2\n",
    )
    .unwrap_err();
    let lines: Vec<String> = problems.0.iter().map(ToString::to_string).collect();
    assert_eq!(lines.len(), 3, "{lines:#?}");
    assert_eq!(lines[0], "skills.csv:2: level: \"four\" is not a number");
    assert!(
        lines[1].starts_with("skills.csv:3: person: "),
        "{}",
        lines[1]
    );
    assert_eq!(
        lines[2],
        "skills.csv:5: capacity: ana has capacity 3 on line 4, 2 here"
    );
}

#[test]
fn csv_header_problems() {
    let problems = read_backlog("backlog.csv", "item,skil,difficulty\nx,rust,3\n").unwrap_err();
    let lines: Vec<String> = problems.0.iter().map(ToString::to_string).collect();
    assert_eq!(
        lines,
        vec![
            "backlog.csv:1: skil: unknown column; expected item, skill, difficulty, size",
            "backlog.csv:1: skill: required column is missing",
        ]
    );
    let problems = read_backlog(
        "backlog.csv",
        "item,skill,difficulty,size\na,rust,3,0\nb,rust,4,1\nb,sql,4,\n",
    )
    .unwrap_err();
    let lines: Vec<String> = problems.0.iter().map(ToString::to_string).collect();
    assert_eq!(
        lines,
        vec![
            "backlog.csv:2: size: must be 1 or more",
            "backlog.csv:4: item: \"b\" already appears on line 3",
        ]
    );
}
