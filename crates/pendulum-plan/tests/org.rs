//! The rotation plan of an org in a ledger: where people stand, who may manage, why each
//! swing is there, which constraint binds when no plan exists, and the document that
//! `plan check` verifies, on small orgs written out by hand and on the demo org.

use std::time::Duration;

use chrono::NaiveDate;
use pendulum_core::ledger::{CheckIn, LedgerParts, Origin, Person, Sourced, Stint, Team};
use pendulum_core::{
    Email, Ladder, Ledger, PersonId, Policy, Quarter, Role, Score, TeamId, Willingness,
};
use pendulum_plan::org::{
    OrgError, OrgPin, OrgRotation, RotationDocument, RotationPlan, RotationRequest, SwingKind,
    Verdict,
};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn q(s: &str) -> Quarter {
    Quarter::parse(s).unwrap()
}

fn pid(s: &str) -> PersonId {
    PersonId::parse(s).unwrap()
}

fn tid(s: &str) -> TeamId {
    TeamId::parse(s).unwrap()
}

fn team(id: &str, parent: Option<&str>) -> Sourced<Team> {
    Sourced::new(
        Team {
            id: tid(id),
            name: format!("Team {id}"),
            parent: parent.map(tid),
        },
        Origin::new("teams.csv", 1),
    )
}

fn person(id: &str, team: &str, willing: Willingness) -> Sourced<Person> {
    Sourced::new(
        Person {
            willing_since: None,
            id: pid(id),
            name: format!("Person {id}"),
            email: Email::parse(&format!("{id}@example.org")).unwrap(),
            aliases: vec![],
            level: Ladder::default().level("L5").unwrap(),
            team: Some(tid(team)),
            manager: None,
            willing_to_manage: willing,
            departure: None,
        },
        Origin::new("people.csv", 1),
    )
}

fn stint(id: &str, role: Role, team: &str, start: &str, end: Option<&str>) -> Sourced<Stint> {
    Sourced::new(
        Stint {
            band: None,
            person: pid(id),
            role,
            team: Some(tid(team)),
            level: Ladder::default().level("L5").unwrap(),
            start: d(start),
            end: end.map(d),
            chosen: true,
            trial_end: None,
            org: None,
        },
        Origin::new("stints.csv", 1),
    )
}

/// One department `d` (led by `lead`) with teams `a` and `b` of five hands-on people each.
///
/// - `ma` has managed `a` since 2024-01-01: 36 months when 2027-Q1 opens, the maximum.
/// - `mb` manages `b` since 2026-01-01 but said no to managing.
/// - `a1` is willing, hands-on since 2019: a first stint is open to them.
/// - `b1` is willing but hands-on only since 2025: short of five years.
/// - `b2` is willing and managed `b` until 2026-07-01: cooling down until 2027-Q3.
/// - `b3` is willing, hands-on since 2020.
fn org() -> LedgerParts {
    let w = Willingness::Yes;
    let u = Willingness::Unknown;
    let mut people = vec![
        person("lead", "d", w),
        person("ma", "a", w),
        person("mb", "b", Willingness::No),
    ];
    let mut stints = vec![
        stint("lead", Role::Manager, "d", "2015-01-01", None),
        stint("ma", Role::Engineer, "a", "2016-01-01", Some("2024-01-01")),
        stint("ma", Role::Manager, "a", "2024-01-01", None),
        stint("mb", Role::Engineer, "b", "2018-01-01", Some("2026-01-01")),
        stint("mb", Role::Manager, "b", "2026-01-01", None),
    ];
    for (id, team, willing, since) in [
        ("a1", "a", w, "2019-01-01"),
        ("a2", "a", u, "2019-01-01"),
        ("a3", "a", Willingness::No, "2019-01-01"),
        ("a4", "a", u, "2022-01-01"),
        ("a5", "a", u, "2023-01-01"),
        ("b1", "b", w, "2025-01-01"),
        ("b3", "b", w, "2020-01-01"),
        ("b4", "b", u, "2020-01-01"),
        ("b5", "b", u, "2021-01-01"),
    ] {
        people.push(person(id, team, willing));
        stints.push(stint(id, Role::Engineer, team, since, None));
    }
    people.push(person("b2", "b", w));
    stints.push(stint(
        "b2",
        Role::Engineer,
        "b",
        "2015-01-01",
        Some("2023-01-01"),
    ));
    stints.push(stint(
        "b2",
        Role::Manager,
        "b",
        "2023-01-01",
        Some("2026-07-01"),
    ));
    stints.push(stint("b2", Role::Engineer, "b", "2026-07-01", None));
    LedgerParts {
        teams: vec![team("d", None), team("a", Some("d")), team("b", Some("d"))],
        people,
        stints,
        ..LedgerParts::default()
    }
}

fn ledger(parts: LedgerParts) -> Ledger {
    Ledger::build(parts).expect("a valid ledger")
}

/// Every team may change manager in the same quarter: both of the org's teams must at once.
fn free_policy() -> Policy {
    let mut policy = Policy::default();
    policy.rotation.max_change_share = 1.0;
    policy
}

fn request(quarters: usize) -> RotationRequest {
    RotationRequest {
        from: q("2027-Q1"),
        quarters,
        pins: vec![],
        excluded: vec![],
        time_limit: Duration::from_secs(5),
    }
}

fn plan(ledger: &Ledger, policy: &Policy, request: &RotationRequest) -> RotationPlan {
    OrgRotation::build(ledger, policy, request)
        .expect("the org maps")
        .plan(request.time_limit)
        .expect("the solver's plan passes the checker")
}

fn role_of<'a>(plan: &'a RotationPlan, person: &str, quarter: usize) -> &'a str {
    let p = plan.people.iter().find(|p| p.id == person).expect(person);
    &p.roles[quarter].role
}

fn swing<'a>(plan: &'a RotationPlan, person: &str) -> &'a pendulum_plan::org::Swing {
    plan.swings
        .iter()
        .find(|s| s.person == person)
        .unwrap_or_else(|| panic!("{person} has no swing in {:#?}", plan.swings))
}

#[test]
fn stints_willingness_years_and_cool_down_decide_who_manages() {
    let l = ledger(org());
    let plan = plan(&l, &free_policy(), &request(4));
    assert!(plan.feasible, "{:#?}", plan.diagnosis);
    assert_eq!(
        plan.objective, plan.upper_bound,
        "a tiny org is solved to optimality"
    );
    assert_eq!(plan.horizon, ["2027-Q1", "2027-Q2", "2027-Q3", "2027-Q4"]);
    // Every team has a manager every quarter; the department's own team is not planned.
    assert_eq!(
        plan.teams.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(),
        ["a", "b"]
    );
    assert!(
        plan.teams
            .iter()
            .all(|t| t.managers.iter().all(Option::is_some))
    );
    assert_eq!(plan.teams[0].headcount, 5);
    assert_eq!(plan.teams[0].manager_now.as_deref(), Some("ma"));
    assert_eq!(plan.left_out.len(), 1);
    assert_eq!(plan.left_out[0].person, "lead");
    assert!(plan.left_out[0].reason.contains("no hands-on members"));

    // The maximum and the "no" end the stints under way at once, with the reason given.
    assert_ne!(role_of(&plan, "ma", 0), "manager");
    assert_ne!(role_of(&plan, "mb", 0), "manager");
    let ma = swing(&plan, "ma");
    assert_eq!(
        (ma.kind, ma.quarter.as_str()),
        (SwingKind::ToHandsOn, "2027-Q1")
    );
    assert!(ma.why[0].contains("maximum of 36 months"), "{:?}", ma.why);
    assert!(ma.why[0].contains("since 2024-Q1"), "{:?}", ma.why);
    let mb = swing(&plan, "mb");
    assert!(mb.why[0].contains("not willing"), "{:?}", mb.why);

    // Nobody unwilling, short of years or cooling down manages.
    for q in 0..4 {
        for unwilling in ["a2", "a3", "a4", "a5", "b4", "b5", "mb", "b1"] {
            assert_ne!(
                role_of(&plan, unwilling, q),
                "manager",
                "{unwilling} in {q}"
            );
        }
    }
    assert_ne!(role_of(&plan, "b2", 0), "manager");
    assert_ne!(role_of(&plan, "b2", 1), "manager");

    // The new managers' swings name the team's need and their own facts.
    for s in plan
        .swings
        .iter()
        .filter(|s| s.kind == SwingKind::ToManagement)
    {
        assert!(["a1", "b3", "b2"].contains(&s.person.as_str()), "{s:?}");
        assert!(
            s.why.iter().any(|w| w.contains("would like to manage")),
            "{s:?}"
        );
        if s.person != "b2" {
            assert!(
                s.why.iter().any(|w| w.contains("First management stint")),
                "{s:?}"
            );
        }
    }
}

#[test]
fn someone_who_left_is_not_planned_nor_listed_as_left_out() {
    let l = ledger(org());
    let left = l
        .leave(&pendulum_core::LeaveRequest {
            person: pid("a1"),
            on: d("2026-10-01"),
            reason: None,
            reports_to: None,
        })
        .unwrap();
    let l = l
        .apply(&left.change, &pendulum_core::Origin::new("test", 0))
        .unwrap();
    let plan = plan(&l, &free_policy(), &request(4));
    assert!(plan.feasible, "{:#?}", plan.diagnosis);
    assert!(plan.people.iter().all(|p| p.id != "a1"));
    assert!(plan.left_out.iter().all(|p| p.person != "a1"));
    assert_eq!(plan.teams[0].headcount, 4);
}

#[test]
fn the_change_limit_binds_when_both_teams_must_change_at_once() {
    let l = ledger(org());
    // The default share of a quarter lets one of the two teams change manager, but both
    // incumbents must go in the first quarter.
    let plan = plan(&l, &Policy::default(), &request(4));
    assert!(!plan.feasible);
    assert_eq!(plan.objective, None);
    let d = plan.diagnosis.as_ref().expect("a diagnosis");
    assert!(
        d.binding
            .iter()
            .any(|b| b.contains("changing manager in a quarter")),
        "{d:#?}"
    );
    assert!(
        d.binding.iter().all(|b| !b.contains("cool-down")),
        "the cool-down alone does not help: {d:#?}"
    );
    // The closest plan leaves one team-quarter to an interim and says who could not take it.
    let interims: usize = plan
        .teams
        .iter()
        .map(|t| t.managers.iter().filter(|m| m.is_none()).count())
        .sum();
    assert_eq!(interims, 1, "{:#?}", plan.teams);
    assert_eq!(d.unstaffed.len(), 1);
    assert_eq!(d.unstaffed[0].quarters, ["2027-Q1"]);
    let candidates = d.unstaffed[0].candidates.join("\n");
    for expected in [
        "Person mb: said they are not willing to manage",
        "Person b1: 2.0 years of hands-on work, short of the 5",
        "Person b2: in the cool-down after managing, until 2027-Q3",
        "Person ma: reaches the maximum of 36 months",
        "Person a2: has not said whether they are willing",
    ] {
        assert!(candidates.contains(expected), "{expected}\n{candidates}");
    }
}

/// The time limit bounds the whole answer, the diagnosis included: with no time left once
/// the first search is done, no constraint is probed, and the diagnosis says which were
/// not (the same org, given time, finds the binding one above).
#[test]
fn the_diagnosis_keeps_to_the_time_limit_and_names_what_it_did_not_probe() {
    let l = ledger(org());
    let org = OrgRotation::build(&l, &Policy::default(), &request(4)).unwrap();
    let plan = org.plan(Duration::ZERO).unwrap();
    assert!(!plan.feasible);
    let d = plan.diagnosis.as_ref().expect("a diagnosis");
    assert!(d.binding.is_empty(), "{d:#?}");
    assert!(
        d.unprobed
            .iter()
            .any(|b| b.contains("changing manager in a quarter")),
        "{d:#?}"
    );
    assert!(
        d.unprobed.iter().any(|b| b.contains("minimum stint")),
        "{d:#?}"
    );
    let given_time = plan_of(&org, Duration::from_secs(5));
    assert!(given_time.unprobed.is_empty(), "{given_time:#?}");
}

fn plan_of(org: &OrgRotation, limit: Duration) -> pendulum_plan::org::Diagnosis {
    org.plan(limit).unwrap().diagnosis.expect("a diagnosis")
}

#[test]
fn exclusions_and_pins_are_what_ifs_and_bad_ones_are_named() {
    let l = ledger(org());
    let policy = free_policy();
    // Without a1 and b3, nobody may take the teams in the first quarter (b2 cools down
    // until 2027-Q3), and the exclusions are what binds.
    let mut r = request(4);
    r.excluded = vec![pid("a1"), pid("b3")];
    let without = plan(&l, &policy, &r);
    assert!(!without.feasible);
    let d = without.diagnosis.as_ref().unwrap();
    assert!(d.binding.iter().any(|b| b.contains("exclusions")), "{d:#?}");
    assert!(
        d.unstaffed[0]
            .candidates
            .iter()
            .any(|c| c.contains("Person a1: excluded")),
        "{d:#?}"
    );

    // Pinning b3 to team a in the second quarter is kept.
    let mut r = request(4);
    r.pins = vec![OrgPin {
        person: pid("b3"),
        team: tid("a"),
        quarter: q("2027-Q2"),
    }];
    let pinned = plan(&l, &policy, &r);
    assert!(pinned.feasible);
    let b3 = pinned.people.iter().find(|p| p.id == "b3").unwrap();
    assert!(b3.roles[1].teams.contains(&"a".to_owned()), "{b3:?}");

    let fail = |pins: Vec<OrgPin>, excluded: Vec<PersonId>, quarters: usize| {
        let r = RotationRequest {
            pins,
            excluded,
            ..request(quarters)
        };
        OrgRotation::build(&l, &policy, &r).unwrap_err()
    };
    let pin = |p: &str, t: &str, quarter: &str| OrgPin {
        person: pid(p),
        team: tid(t),
        quarter: q(quarter),
    };
    let e = fail(vec![pin("lead", "a", "2027-Q1")], vec![], 4).to_string();
    assert!(
        e.contains("lead:a:2027-Q1") && e.contains("not part of the plan"),
        "{e}"
    );
    let e = fail(vec![pin("a1", "d", "2027-Q1")], vec![], 4).to_string();
    assert!(e.contains("team d has no hands-on members"), "{e}");
    let e = fail(vec![pin("a1", "zz", "2027-Q1")], vec![], 4).to_string();
    assert!(e.contains("no team has the id zz"), "{e}");
    let e = fail(vec![pin("a1", "a", "2028-Q1")], vec![], 4).to_string();
    assert!(e.contains("outside the horizon 2027-Q1 to 2027-Q4"), "{e}");
    let e = fail(vec![], vec![pid("nobody")], 4).to_string();
    assert!(
        e.contains("exclusion nobody: no person has the id nobody"),
        "{e}"
    );
    assert!(matches!(
        fail(vec![], vec![], 0),
        OrgError::Horizon { found: 0, .. }
    ));
}

#[test]
fn joy_while_managing_against_hands_on_sets_the_value_of_managing() {
    let mut parts = org();
    // a1 loved a management trial (joy 5) and is lukewarm hands-on (joy 3); b3 the reverse.
    parts
        .stints
        .retain(|s| !["a1", "b3"].contains(&s.item.person.as_str()));
    for (id, team) in [("a1", "a"), ("b3", "b")] {
        parts.stints.push(stint(
            id,
            Role::Engineer,
            team,
            "2015-01-01",
            Some("2021-01-01"),
        ));
        parts.stints.push(stint(
            id,
            Role::Manager,
            team,
            "2021-01-01",
            Some("2022-01-01"),
        ));
        parts
            .stints
            .push(stint(id, Role::Engineer, team, "2022-01-01", None));
    }
    let checkin = |id: &str, date: &str, joy: u8| {
        Sourced::new(
            CheckIn {
                person: pid(id),
                date: d(date),
                joy: Score::new(joy).unwrap(),
                energy: Score::new(3).unwrap(),
                learning: Score::new(3).unwrap(),
                note: None,
            },
            Origin::new("checkins.csv", 1),
        )
    };
    for (date, managing) in [
        ("2021-02-01", true),
        ("2021-05-01", true),
        ("2021-08-01", true),
        ("2022-03-01", false),
        ("2022-06-01", false),
        ("2022-09-01", false),
    ] {
        parts
            .checkins
            .push(checkin("a1", date, if managing { 5 } else { 3 }));
        parts
            .checkins
            .push(checkin("b3", date, if managing { 1 } else { 4 }));
    }
    let l = ledger(parts);
    let org = OrgRotation::build(&l, &free_policy(), &request(4)).unwrap();
    let people = org.rotation().people();
    let index = |id: &str| l.people().iter().position(|p| p.id.as_str() == id).unwrap();
    // Interest 2 + joy weight 2 x (5 - 3) = 6; interest 2 + 2 x (1 - 4) = -4. The lead is
    // not planned, so model positions are ledger positions minus one for those after it.
    let model = |id: &str| {
        let i = index(id);
        let lead = index("lead");
        if i > lead { i - 1 } else { i }
    };
    assert_eq!(people[model("a1")].joy_manager, vec![6; 4]);
    assert_eq!(people[model("b3")].joy_manager, vec![-4; 4]);
    let plan = org.plan(Duration::from_secs(5)).unwrap();
    let a1 = swing(&plan, "a1");
    assert!(
        a1.why
            .iter()
            .any(|w| w.contains("Check-in joy 5.0 while managing (3 check-ins) against 3.0")),
        "{a1:?}"
    );
    assert!(
        a1.why.iter().any(|w| w.contains("Back to management")),
        "{a1:?}"
    );
}

#[test]
fn the_document_checks_as_valid_and_a_tampered_one_is_named() {
    let l = ledger(org());
    let policy = free_policy();
    let org = OrgRotation::build(&l, &policy, &request(4)).unwrap();
    let plan = org.plan(Duration::from_secs(5)).unwrap();
    let document = RotationDocument::new(&org, plan.clone());
    let text = serde_json::to_string(&document).unwrap();
    let back: RotationDocument = serde_json::from_str(&text).unwrap();
    assert_eq!(back, document);
    match back.check().unwrap() {
        Verdict::Valid(score) => assert_eq!(Some(score.objective), plan.objective),
        other => panic!("{other:?}"),
    }

    // ma keeps managing a in the first quarter, beside the planned manager.
    let mut tampered = document.clone();
    let ma = tampered
        .result
        .people
        .iter_mut()
        .find(|p| p.id == "ma")
        .unwrap();
    ma.roles[0].role = "manager".into();
    ma.roles[0].teams = vec!["a".into()];
    match tampered.check().unwrap() {
        Verdict::Broken(problems) => {
            let all = problems.join("\n");
            assert!(all.contains("a has 2 managers in 2027-Q1"), "{all}");
            assert!(
                all.contains("ma manages in 2027-Q1 for a 13th quarter, past the maximum"),
                "{all}"
            );
        }
        other => panic!("{other:?}"),
    }

    // A claimed objective that is not the plan's.
    let mut inflated = document.clone();
    inflated.result.objective = plan.objective.map(|o| o + 1);
    match inflated.check().unwrap() {
        Verdict::Broken(problems) => {
            assert!(problems[0].contains("claims an objective"), "{problems:?}")
        }
        other => panic!("{other:?}"),
    }

    // Ids that the problem does not have are named with their field.
    let mut unknown = document.clone();
    unknown.result.people[0].roles[0] = pendulum_plan::org::PlannedRole {
        role: "manager".into(),
        teams: vec!["zz".into()],
    };
    let e = unknown.check().unwrap_err().to_string();
    assert!(
        e.contains("result.people[0].roles[0].teams") && e.contains("\"zz\""),
        "{e}"
    );
}

fn demo(people: usize) -> Ledger {
    let policy = Policy::default();
    let spec = pendulum_demo::DemoSpec {
        people,
        seed: 1,
        as_of: d("2026-12-01"),
        git_months: 0,
    };
    ledger(pendulum_demo::generate(&spec, &policy))
}

#[test]
fn the_demo_org_is_staffed_every_quarter_and_every_swing_explained() {
    let l = demo(60);
    let org = OrgRotation::build(&l, &Policy::default(), &request(8)).unwrap();
    let plan = org.plan(Duration::from_secs(5)).unwrap();
    assert!(plan.feasible, "{:#?}", plan.diagnosis);
    assert!(plan.objective.unwrap() <= plan.upper_bound.unwrap());
    assert!(
        plan.teams
            .iter()
            .all(|t| t.managers.iter().all(Option::is_some))
    );
    assert!(!plan.swings.is_empty());
    for s in &plan.swings {
        assert!(s.why.len() >= 2, "{s:?}");
    }
    let svg = pendulum_plan::org::to_svg(&plan);
    assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
    assert_eq!(svg.matches("<g class=").count(), plan.teams.len() * 8);
    let document = RotationDocument::new(&org, plan);
    assert!(matches!(document.check().unwrap(), Verdict::Valid(_)));
}

#[test]
fn a_larger_demo_org_that_cannot_be_staffed_is_told_why() {
    // At 98 people the generated org runs out of people who said yes in one department
    // once its managers reach the maximum: a real answer, not a failure.
    let l = demo(98);
    let org = OrgRotation::build(&l, &Policy::default(), &request(8)).unwrap();
    let plan = org.plan(Duration::from_secs(3)).unwrap();
    assert!(!plan.feasible);
    let d = plan.diagnosis.as_ref().unwrap();
    assert!(!d.binding.is_empty(), "{d:#?}");
    assert!(
        d.binding.iter().any(|b| b.contains("maximum stint")),
        "{d:#?}"
    );
    // The diagnosis lists exactly the team-quarters the closest plan leaves to an interim.
    let mut listed: Vec<(String, String)> = d
        .unstaffed
        .iter()
        .flat_map(|u| u.quarters.iter().map(|q| (u.team.clone(), q.clone())))
        .collect();
    let mut interim: Vec<(String, String)> = plan
        .teams
        .iter()
        .flat_map(|t| {
            t.managers
                .iter()
                .zip(&plan.horizon)
                .filter(|(m, _)| m.is_none())
                .map(|(_, q)| (t.name.clone(), q.clone()))
        })
        .collect();
    listed.sort();
    interim.sort();
    assert!(!listed.is_empty());
    assert_eq!(listed, interim);
    let document = RotationDocument::new(&org, plan);
    assert_eq!(document.check().unwrap(), Verdict::NoPlan);
}

/// `ma` started managing `a` on 2026-10-01, unhappily (joy 1 while managing, 5 before);
/// `trial` makes that stint a trial decided on 2027-04-01.
fn unhappy_new_manager(trial: bool) -> Ledger {
    let mut parts = org();
    for s in parts
        .stints
        .iter_mut()
        .filter(|s| s.item.person == pid("ma"))
    {
        if s.item.role == Role::Manager {
            s.item.start = d("2026-10-01");
            s.item.trial_end = trial.then(|| d("2027-04-01"));
        } else {
            s.item.end = Some(d("2026-10-01"));
        }
    }
    for (day, joy) in [
        ("2026-03-01", 5),
        ("2026-06-01", 5),
        ("2026-11-01", 1),
        ("2026-12-01", 1),
    ] {
        parts.checkins.push(Sourced::new(
            CheckIn {
                person: pid("ma"),
                date: d(day),
                joy: Score::new(joy).unwrap(),
                energy: Score::new(3).unwrap(),
                learning: Score::new(3).unwrap(),
                note: None,
            },
            Origin::new("checkins.csv", 1),
        ));
    }
    ledger(parts)
}

#[test]
fn a_trial_manager_is_not_held_to_the_minimum_stint() {
    let held = plan(&unhappy_new_manager(false), &free_policy(), &request(4));
    assert!(held.feasible, "{:#?}", held.diagnosis);
    // Without a trial the stint under way lasts at least 18 months: ma keeps team a.
    assert!((0..4).all(|q| role_of(&held, "ma", q) == "manager"));
    let trial = plan(&unhappy_new_manager(true), &free_policy(), &request(4));
    assert!(trial.feasible, "{:#?}", trial.diagnosis);
    assert_ne!(role_of(&trial, "ma", 0), "manager", "{:#?}", trial.people);
    let takes_over = trial
        .swings
        .iter()
        .find(|s| s.kind == SwingKind::ToManagement && s.teams == ["a"])
        .expect("someone takes team a");
    assert!(
        takes_over
            .why
            .iter()
            .any(|w| w.contains("ends the management trial due for a decision on 2027-04-01")),
        "{takes_over:?}"
    );
}

#[test]
fn a_former_manager_on_the_bench_is_named_so_when_stepping_up() {
    let mut parts = org();
    for s in parts
        .stints
        .iter_mut()
        .filter(|s| s.item.person == pid("b2"))
    {
        match (s.item.role, s.item.end) {
            (Role::Manager, _) => s.item.end = Some(d("2025-07-01")),
            (Role::Engineer, None) => s.item.start = d("2025-07-01"),
            _ => {}
        }
    }
    for day in ["2023-06-01", "2024-01-01", "2024-06-01"] {
        parts.checkins.push(Sourced::new(
            CheckIn {
                person: pid("b2"),
                date: d(day),
                joy: Score::new(4).unwrap(),
                energy: Score::new(4).unwrap(),
                learning: Score::new(4).unwrap(),
                note: None,
            },
            Origin::new("checkins.csv", 1),
        ));
    }
    let plan = plan(&ledger(parts), &free_policy(), &request(4));
    let b2 = swing(&plan, "b2");
    assert_eq!(b2.kind, SwingKind::ToManagement);
    assert!(
        b2.why
            .iter()
            .any(|w| w.starts_with("On the bench (swing-again)")),
        "{b2:?}"
    );
    // Nobody else is on the bench.
    assert!(
        plan.swings
            .iter()
            .filter(|s| s.person != "b2")
            .all(|s| s.why.iter().all(|w| !w.contains("bench")))
    );
}
