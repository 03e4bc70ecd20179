//! The demo org as its users meet it: always a valid ledger, the same for the same seed,
//! shaped like a real engineering org, and with something for every rule to say about a few
//! people while most get no nudge at all.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::NaiveDate;
use pendulum_core::period::months_between;
use pendulum_core::{
    FactSource, Ladder, Ledger, LedgerParts, Policy, Role, RuleId, Severity, YearMonth, rules,
};
use pendulum_demo::{DEFAULT_PEOPLE, DEFAULT_SEED, DemoSpec, PEOPLE_FOR_EVERY_RULE, generate};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

const AS_OF: &str = "2026-06-30";
/// Four years of git evidence: longer than the 36 months the shares look back.
const GIT_MONTHS: u32 = 48;

fn spec(people: usize, seed: u64) -> DemoSpec {
    DemoSpec {
        people,
        seed,
        as_of: d(AS_OF),
        git_months: GIT_MONTHS,
    }
}

fn ledger(people: usize, seed: u64, policy: &Policy) -> Ledger {
    Ledger::build(generate(&spec(people, seed), policy))
        .unwrap_or_else(|p| panic!("{people} people, seed {seed}:\n{p}"))
}

/// Which rules fire, at which severities, and how many people get no nudge.
struct Coverage {
    rules: BTreeSet<RuleId>,
    hands_on_distance: BTreeSet<(Severity, bool)>,
    quiet: usize,
    people: usize,
    has_git: bool,
    has_calendar: bool,
}

fn coverage(ledger: &Ledger, policy: &Policy, as_of: NaiveDate) -> Coverage {
    let nudges = rules::evaluate(ledger, policy, as_of);
    let nudged: BTreeSet<_> = nudges.iter().map(|n| n.person.clone()).collect();
    Coverage {
        rules: nudges.iter().map(|n| n.rule).collect(),
        hands_on_distance: nudges
            .iter()
            .filter(|n| n.rule == RuleId::HandsOnDistance)
            .map(|n| (n.severity, n.suggestion.contains("re-entry plan")))
            .collect(),
        quiet: ledger.people().len() - nudged.len(),
        people: ledger.people().len(),
        has_git: !ledger.git().is_empty(),
        has_calendar: !ledger.calendar().is_empty(),
    }
}

fn assert_covers_every_rule(c: &Coverage, context: &str) {
    // Without evidence from git or calendars, the rules that need it cannot fire.
    let missing: Vec<_> = RuleId::ALL
        .into_iter()
        .filter(|r| {
            (c.has_git || !r.needs_git())
                && (c.has_calendar || !r.needs_calendar())
                && !c.rules.contains(r)
        })
        .collect();
    assert!(missing.is_empty(), "{context}: no nudge for {missing:?}");
    assert!(
        c.quiet * 2 >= c.people,
        "{context}: only {} of {} people have no nudge",
        c.quiet,
        c.people
    );
}

/// Managers of managers hear about their distance from hands-on work for information;
/// frontline managers get a warning, an alert, and past the re-entry months a plan. A small
/// org has too few frontline managers for all of them, and keeps its rotation plan staffed.
fn assert_distance_at_every_severity(c: &Coverage, context: &str) {
    assert!(
        c.hands_on_distance
            .iter()
            .any(|&(s, _)| s == Severity::Info),
        "{context}: no hands-on-distance nudge for a manager of managers"
    );
    for level in [
        (Severity::Warn, false),
        (Severity::Alert, false),
        (Severity::Alert, true),
    ] {
        assert!(
            c.hands_on_distance.contains(&level),
            "{context}: no hands-on-distance nudge at {level:?}"
        );
    }
}

#[test]
fn every_size_and_seed_makes_a_valid_ledger() {
    let policy = Policy::default();
    for people in [1, 2, 3, 4, 5, 7, 9, 10, 15, 16, 17, 60, 150] {
        for seed in 0..25 {
            let l = ledger(people, seed, &policy);
            assert_eq!(l.people().len(), people);
        }
    }
    for seed in 0..3 {
        assert_eq!(ledger(1000, seed, &policy).people().len(), 1000);
    }
    assert!(generate(&spec(0, 1), &policy).is_empty());
}

#[test]
fn the_same_spec_gives_the_same_org_byte_for_byte() {
    let policy = Policy::default();
    let show = |p: &LedgerParts| format!("{p:?}");
    let first = generate(&spec(200, 42), &policy);
    assert_eq!(show(&first), show(&generate(&spec(200, 42), &policy)));
    assert_ne!(show(&first), show(&generate(&spec(200, 43), &policy)));
    let later = DemoSpec {
        as_of: d("2027-01-31"),
        ..spec(200, 42)
    };
    assert_ne!(show(&first), show(&generate(&later, &policy)));
    // Git evidence draws on a stream of its own: without it, the org is the same.
    let without = generate(
        &DemoSpec {
            git_months: 0,
            ..spec(200, 42)
        },
        &policy,
    );
    assert!(without.git.is_empty() && !first.git.is_empty());
    assert!(without.calendar.is_empty() && !first.calendar.is_empty());
    let org = |p: &LedgerParts| format!("{:?}", (&p.teams, &p.people, &p.stints, &p.checkins));
    assert_eq!(org(&first), org(&without));
}

#[test]
fn calendar_evidence_follows_the_roles_and_the_calendar_rules_speak() {
    let policy = Policy::default();
    let as_of = d(AS_OF);
    let l = ledger(60, 1, &policy);

    // Twelve full weeks, the last ending on Sunday 2026-06-28; each adds up to the working
    // week, in quarter hours.
    let weeks: BTreeSet<String> = l.calendar().iter().map(|w| w.week.to_string()).collect();
    assert_eq!(weeks.len(), 12, "{weeks:?}");
    assert_eq!(weeks.first().unwrap(), "2026-W15");
    assert_eq!(weeks.last().unwrap(), "2026-W26");
    for w in l.calendar() {
        assert_eq!(
            w.meeting_hours + w.focus_hours + w.fragmented_hours,
            40.0,
            "{w:?}"
        );
        for h in [
            w.meeting_hours,
            w.focus_hours,
            w.fragmented_hours,
            w.after_hours,
        ] {
            assert!(h >= 0.0 && (h * 4.0).fract() == 0.0, "{w:?}");
        }
    }

    let nudges = rules::evaluate(&l, &policy, as_of);
    let interrupted: Vec<_> = nudges
        .iter()
        .filter(|n| n.rule == RuleId::InterruptedMaker)
        .collect();
    assert!(!interrupted.is_empty(), "some maker is interrupted");
    assert!(
        interrupted.len() * 10 <= l.people().len(),
        "{} interrupted makers of {}",
        interrupted.len(),
        l.people().len()
    );
    let drowning = nudges
        .iter()
        .filter(|n| n.rule == RuleId::HybridDrift)
        .flat_map(|n| &n.facts)
        .any(|f| {
            f.source == FactSource::Calendar && f.text.ends_with("meetings outweigh focus time.")
        });
    assert!(drowning, "some hybrid drowns in meetings");

    // Makers keep more focus time than managers, and sit in fewer meetings.
    let m = pendulum_core::metrics::Metrics::compute(&l, &policy, as_of);
    let c = m.calendar.expect("calendar evidence");
    let (makers, managers) = (c.makers.unwrap(), c.managers.unwrap());
    assert!(makers.focus_hours > managers.focus_hours + 5.0, "{c:?}");
    assert!(
        makers.meeting_hours + 10.0 < managers.meeting_hours,
        "{c:?}"
    );
}

#[test]
fn git_evidence_follows_the_careers_and_the_git_rules_speak() {
    let policy = Policy::default();
    let as_of = d(AS_OF);
    let l = ledger(60, 1, &policy);
    let nudges = rules::evaluate(&l, &policy, as_of);
    let git_fact = |rule: RuleId, starts: &str| {
        nudges
            .iter()
            .filter(|n| n.rule == rule)
            .flat_map(|n| &n.facts)
            .any(|f| f.source == FactSource::Git && f.text.starts_with(starts))
    };
    assert!(nudges.iter().any(|n| n.rule == RuleId::ManagerClinging));
    assert!(git_fact(
        RuleId::HandsOnDistance,
        "Git contradicts the ledger"
    ));
    assert!(git_fact(RuleId::HybridDrift, "Git activity is"));

    // Engineers commit most months; managers other than the clinging ones stay under the
    // hands-on threshold after a few months of managing.
    let threshold = policy.git.hands_on_commits;
    let (mut engineers, mut active, mut managers, mut coding) = (0, 0, 0, 0);
    for i in 0..l.people().len() {
        let current = l.stints_of(i).last().unwrap();
        let recent: Vec<_> = l
            .git_of(i)
            .iter()
            .filter(|g| g.month >= YearMonth::parse("2026-01").unwrap())
            .collect();
        let hands_on = recent
            .iter()
            .filter(|g| g.commits + g.coauthored >= threshold)
            .count();
        match current.role {
            Role::Engineer if months_between(current.start, as_of) >= 6.0 => {
                engineers += 1;
                active += usize::from(hands_on >= 3);
            }
            Role::Manager if months_between(current.start, as_of) >= 12.0 => {
                managers += 1;
                coding += usize::from(hands_on > 0);
            }
            _ => {}
        }
    }
    assert!(
        active * 10 >= engineers * 8,
        "{active} of {engineers} engineers active"
    );
    assert!(
        coding * 5 <= managers,
        "{coding} of {managers} managers coding"
    );

    let m = pendulum_core::metrics::Metrics::compute(&l, &policy, as_of);
    let (within_24, within_36) = (
        m.managers_git_hands_on_within_warn_share.unwrap(),
        m.managers_git_hands_on_within_alert_share.unwrap(),
    );
    assert!(
        0.0 < within_24 && within_24 <= within_36 && within_36 < 1.0,
        "{m:?}"
    );
}

/// The rules that nudge nobody in the demo org of `people` (with git and calendar evidence)
/// as of `as_of`, under the default policy.
fn rules_nudging_nobody(people: usize, seed: u64, as_of: NaiveDate) -> Vec<RuleId> {
    let policy = Policy::default();
    let spec = DemoSpec {
        as_of,
        ..spec(people, seed)
    };
    let l = Ledger::build(generate(&spec, &policy)).expect("the demo org is a valid ledger");
    let fired: BTreeSet<RuleId> = rules::evaluate(&l, &policy, as_of)
        .into_iter()
        .map(|n| n.rule)
        .collect();
    RuleId::ALL
        .into_iter()
        .filter(|r| !fired.contains(r))
        .collect()
}

#[test]
fn every_rule_nudges_someone_in_the_default_org_a_small_one_and_a_large_one() {
    // The org `pendulum demo` builds, on two days: its stories are told relative to the day.
    for as_of in [AS_OF, "2027-03-15"] {
        let missing = rules_nudging_nobody(DEFAULT_PEOPLE, DEFAULT_SEED, d(as_of));
        assert!(
            missing.is_empty(),
            "the default demo as of {as_of}: no nudge for {missing:?}"
        );
    }
    for seed in 0..12 {
        for people in [PEOPLE_FOR_EVERY_RULE, DEFAULT_PEOPLE] {
            let missing = rules_nudging_nobody(people, seed, d(AS_OF));
            assert!(
                missing.is_empty(),
                "{people} people, seed {seed}: no nudge for {missing:?}"
            );
        }
    }
    for seed in 1..=2 {
        let missing = rules_nudging_nobody(1000, seed, d(AS_OF));
        assert!(
            missing.is_empty(),
            "1000 people, seed {seed}: no nudge for {missing:?}"
        );
    }
}

#[test]
fn sixty_people_show_every_rule_and_most_get_no_nudge() {
    let policy = Policy::default();
    let c = coverage(&ledger(60, 1, &policy), &policy, d(AS_OF));
    assert_covers_every_rule(&c, "60 people, seed 1");
}

#[test]
fn a_thousand_people_show_every_rule_for_every_seed() {
    let policy = Policy::default();
    for seed in 1..=5 {
        let c = coverage(&ledger(1000, seed, &policy), &policy, d(AS_OF));
        assert_covers_every_rule(&c, &format!("1000 people, seed {seed}"));
        assert_distance_at_every_severity(&c, &format!("1000 people, seed {seed}"));
    }
}

#[test]
fn other_policies_and_ladders_still_show_every_rule() {
    let strict = Policy::from_toml(
        "ladder = [\"IC1\", \"IC2\", \"IC3\", \"IC4\", \"IC5\", \"IC6\", \"IC7\", \"IC8\", \"IC9\", \"IC10\"]\n\
         senior_level = \"IC6\"\n\
         [hands_on_distance]\nwarn_months = 12\nalert_months = 18\nreentry_months = 30\n\
         [new_manager_grace]\nmonths = 12\n\
         [itch]\nstint_months = 24\n\
         [trial]\nmidpoint_grace_days = 30\n",
    )
    .unwrap();
    for seed in 1..=3 {
        let c = coverage(&ledger(1000, seed, &strict), &strict, d(AS_OF));
        assert_covers_every_rule(&c, &format!("strict policy, seed {seed}"));
        assert_distance_at_every_severity(&c, &format!("strict policy, seed {seed}"));
    }
    // A ladder too short for promotions still makes a valid org.
    for rungs in [vec!["Staff"], vec!["Junior", "Senior"]] {
        let ladder = Ladder::new(rungs.iter().map(|r| r.to_string()).collect()).unwrap();
        let policy = Policy {
            senior_level: ladder.level(rungs[rungs.len() - 1]).unwrap(),
            ladder,
            ..Policy::default()
        };
        for seed in 0..5 {
            let l = ledger(300, seed, &policy);
            assert!(l.people().iter().all(|p| rungs.contains(&p.level.name())));
        }
    }
}

#[test]
fn reporting_lines_run_from_every_team_to_one_leader() {
    let policy = Policy::default();
    let l = ledger(1000, 7, &policy);
    let current = |i: usize| l.stints_of(i).last().unwrap();
    let index: HashMap<_, _> = l
        .people()
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id.clone(), i))
        .collect();

    let leaders: Vec<usize> = (0..l.people().len())
        .filter(|&i| l.person_at(i).manager.is_none())
        .collect();
    assert_eq!(leaders.len(), 1, "one top leader");
    let leader = leaders[0];
    assert_eq!(current(leader).role, Role::Manager);
    assert_eq!(
        l.person_at(leader).team.as_ref().unwrap().as_str(),
        "engineering"
    );

    // Everyone with a manager reports to someone who manages now.
    for (i, p) in l.people().iter().enumerate() {
        if let Some(m) = &p.manager {
            let m = index[m];
            assert!(
                current(m).role.manages(),
                "{} reports to a non-manager",
                p.id
            );
            assert_eq!(current(i).end, None);
        }
    }

    // Teams with no sub-teams are working teams of five to nine with one lead, to whom the
    // other members report; their parents are departments whose heads report to the leader.
    let parents: BTreeSet<_> = l.teams().iter().filter_map(|t| t.parent.clone()).collect();
    let mut departments = BTreeSet::new();
    for team in l.teams().iter().filter(|t| !parents.contains(&t.id)) {
        let members: Vec<usize> = (0..l.people().len())
            .filter(|&i| l.person_at(i).team.as_ref() == Some(&team.id))
            .collect();
        assert!(
            (5..=9).contains(&members.len()),
            "{} has {} people",
            team.id,
            members.len()
        );
        let leads: Vec<usize> = members
            .iter()
            .copied()
            .filter(|&i| current(i).role.manages())
            .collect();
        assert_eq!(leads.len(), 1, "{} has one lead", team.id);
        let lead = &l.person_at(leads[0]).id;
        for &i in &members {
            if i != leads[0] {
                assert_eq!(l.person_at(i).manager.as_ref(), Some(lead));
            }
        }
        departments.insert(team.parent.clone().unwrap());
    }
    assert!((5..=30).contains(&departments.len()), "{departments:?}");
    for dept in &departments {
        let heads: Vec<usize> = (0..l.people().len())
            .filter(|&i| l.person_at(i).team.as_ref() == Some(dept))
            .collect();
        assert_eq!(heads.len(), 1, "{dept} has one head");
        assert_eq!(
            l.person_at(heads[0]).manager.as_ref(),
            Some(&l.person_at(leader).id)
        );
    }
}

#[test]
fn roles_and_willingness_are_mixed_as_in_a_real_org() {
    let policy = Policy::default();
    for seed in 1..=3 {
        let l = ledger(1000, seed, &policy);
        let mut roles: BTreeMap<Role, usize> = BTreeMap::new();
        for i in 0..l.people().len() {
            *roles
                .entry(l.stints_of(i).last().unwrap().role)
                .or_default() += 1;
        }
        let share = |r: Role| roles.get(&r).copied().unwrap_or(0) as f64 / 1000.0;
        assert!((0.11..=0.16).contains(&share(Role::Manager)), "{roles:?}");
        assert!((0.11..=0.19).contains(&share(Role::TechLead)), "{roles:?}");
        assert!((0.005..=0.04).contains(&share(Role::Hybrid)), "{roles:?}");
        assert!(share(Role::Engineer) > 0.6, "{roles:?}");
        let mut willing: BTreeMap<String, usize> = BTreeMap::new();
        for p in l.people() {
            *willing.entry(p.willing_to_manage.to_string()).or_default() += 1;
        }
        assert!(willing.values().all(|&n| n >= 150), "{willing:?}");
    }
}

#[test]
fn ids_names_and_addresses_look_like_an_hr_export() {
    let policy = Policy::default();
    let ids = |people| {
        let l = ledger(people, 3, &policy);
        l.people()
            .iter()
            .map(|p| p.id.to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(1), ["p1"]);
    assert_eq!(ids(9).last().unwrap(), "p9");
    assert_eq!(ids(60)[..2], ["p01", "p02"]);
    assert_eq!(ids(1000).last().unwrap(), "p1000");
    assert_eq!(ids(1000)[0], "p0001");

    let l = ledger(1000, 3, &policy);
    let mut with_aliases = 0;
    let mut with_two = 0;
    for p in l.people() {
        let (first, last) = p.name.split_once(' ').expect("a first and a last name");
        assert!(!first.is_empty() && !last.is_empty());
        let (local, domain) = p.email.as_str().split_once('@').unwrap();
        assert_eq!(domain, "example.com");
        assert!(
            local.contains('.') && p.email.as_str().is_ascii(),
            "{}",
            p.email
        );
        with_aliases += usize::from(!p.aliases.is_empty());
        with_two += usize::from(p.aliases.len() == 2);
        assert!(p.aliases.len() <= 2);
    }
    assert!(
        (150..=400).contains(&with_aliases),
        "{with_aliases} with aliases"
    );
    assert!(with_two >= 30, "{with_two} with two aliases");
    assert!(
        l.people().iter().any(|p| !p.name.is_ascii()),
        "some names are not plain ASCII"
    );
}

#[test]
fn histories_span_up_to_about_ten_years_and_climb_one_ladder() {
    let policy = Policy::default();
    let as_of = d(AS_OF);
    let l = ledger(1000, 4, &policy);
    let (mut swings, mut booked, mut short, mut long) = (0, 0, 0, 0);
    for (i, p) in l.people().iter().enumerate() {
        let stints = l.stints_of(i);
        let current = stints.last().unwrap();
        assert_eq!(current.end, None, "{} has an open current stint", p.id);
        assert_eq!(
            p.level, current.level,
            "{}'s level is the current one",
            p.id
        );
        assert_eq!(p.team, current.team);
        let years = months_between(stints[0].start, as_of) / 12.0;
        assert!(years <= 11.0, "{} has {years:.1} years of history", p.id);
        short += usize::from(years < 1.0);
        long += usize::from(years > 7.0);
        for pair in stints.windows(2) {
            let (a, b) = (&pair[0], &pair[1]);
            assert_eq!(a.end, Some(b.start), "{}'s stints follow each other", p.id);
            assert!(b.level >= a.level || a.role.side() != b.role.side());
            if a.role.side() != b.role.side() {
                swings += 1;
                booked += usize::from(a.level != b.level);
            }
        }
    }
    assert!(
        short >= 30 && long >= 100,
        "{short} new hires, {long} long-timers"
    );
    assert!(swings >= 400, "{swings} swings");
    assert!(
        booked * 10 < swings,
        "{booked} of {swings} swings changed level"
    );
}

#[test]
fn trials_are_time_boxed_and_end_either_way() {
    let policy = Policy::default();
    let as_of = d(AS_OF);
    let l = ledger(1000, 5, &policy);
    let (mut running, mut overdue, mut confirmed, mut ended) = (0, 0, 0, 0);
    for i in 0..l.people().len() {
        let stints = l.stints_of(i);
        for (k, s) in stints.iter().enumerate() {
            let Some(trial_end) = s.trial_end else {
                continue;
            };
            let days = (trial_end - s.start).num_days();
            assert!((90..=122).contains(&days), "a trial of {days} days");
            assert!(s.role.manages(), "trials are for management");
            match stints.get(k + 1) {
                None if trial_end > as_of => running += 1,
                None => overdue += 1,
                Some(next) if next.role == s.role => confirmed += 1,
                Some(next) => {
                    assert!(!next.role.manages());
                    assert!(s.end.unwrap() <= trial_end);
                    ended += 1;
                }
            }
        }
    }
    for (what, n) in [
        ("running", running),
        ("overdue", overdue),
        ("confirmed", confirmed),
        ("ended", ended),
    ] {
        assert!(n >= 3, "only {n} {what} trials");
    }
}

#[test]
fn check_ins_come_every_few_months_over_the_last_years() {
    let policy = Policy::default();
    let as_of = d(AS_OF);
    let l = ledger(1000, 6, &policy);
    let mut checking_in = 0;
    let mut notes = 0;
    for i in 0..l.people().len() {
        let checkins = l.checkins_of(i);
        checking_in += usize::from(!checkins.is_empty());
        for c in checkins {
            assert!(c.date <= as_of);
            assert!(months_between(c.date, as_of) <= 36.5, "{c:?}");
            assert!(
                c.date >= l.stints_of(i)[0].start,
                "no check-in before joining"
            );
            notes += usize::from(c.note.is_some());
        }
        for pair in checkins.windows(2) {
            let gap = (pair[1].date - pair[0].date).num_days();
            assert!((1..=111).contains(&gap), "{gap} days between check-ins");
        }
    }
    assert!(checking_in >= 800, "{checking_in} people check in");
    assert!(notes >= 300, "{notes} notes");
}

/// The benchmarks generate a hundred thousand people; that must stay quick. Timing means
/// nothing in a debug build, so this runs in release only (`cargo test --release`).
#[cfg(not(debug_assertions))]
#[test]
fn a_hundred_thousand_people_generate_in_well_under_two_seconds() {
    let policy = Policy::default();
    let started = std::time::Instant::now();
    // Without git evidence, as the report benchmark generates it.
    let parts = generate(
        &DemoSpec {
            git_months: 0,
            ..spec(100_000, 1)
        },
        &policy,
    );
    let took = started.elapsed();
    assert_eq!(parts.people.len(), 100_000);
    assert!(took.as_secs_f64() < 2.0, "took {took:?}");
    let l = Ledger::build(parts).expect("a valid ledger");
    let c = coverage(&l, &policy, d(AS_OF));
    assert_covers_every_rule(&c, "100,000 people");
    assert_distance_at_every_severity(&c, "100,000 people");
}
