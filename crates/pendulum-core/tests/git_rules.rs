//! The rules that read git evidence: hands-on-distance corrected (or contradicted) by git,
//! manager-clinging and hybrid-drift's activity trend; the org's share of managers with
//! hands-on activity in git; and a person's monthly activity chart.

use chrono::NaiveDate;
use pendulum_core::ledger::{LedgerParts, Origin, Person, Sourced, Stint};
use pendulum_core::metrics::Metrics;
use pendulum_core::{
    Email, FactSource, GitMonth, Ladder, Ledger, Nudge, PersonId, Policy, RuleId, Willingness,
    YearMonth, rules,
};

const AS_OF: &str = "2026-06-30";

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// A person as an id, stints (`role start [end]`) and monthly commits (`YYYY-MM`, commits).
type Who<'a> = (&'a str, &'a [&'a str], &'a [(&'a str, u32)]);

/// The people's ledger; a name is the id, capitalised.
fn ledger(people: &[Who<'_>]) -> Ledger {
    let ladder = Ladder::default();
    let origin = Origin::new("test", 0);
    let mut parts = LedgerParts::default();
    for &(who, stints, git) in people {
        let id = PersonId::parse(who).unwrap();
        parts.people.push(Sourced::new(
            Person {
                willing_since: None,
                id: id.clone(),
                name: format!("{}{}", who[..1].to_uppercase(), &who[1..]),
                email: Email::parse(&format!("{who}@example.com")).unwrap(),
                aliases: vec![],
                level: ladder.level("L5").unwrap(),
                team: None,
                manager: None,
                willing_to_manage: Willingness::Yes,
                departure: None,
            },
            origin.clone(),
        ));
        for spec in stints {
            let w: Vec<&str> = spec.split_whitespace().collect();
            parts.stints.push(Sourced::new(
                Stint {
                    band: None,
                    person: id.clone(),
                    role: w[0].parse().unwrap(),
                    team: None,
                    level: ladder.level("L5").unwrap(),
                    start: d(w[1]),
                    end: w.get(2).map(|e| d(e)),
                    chosen: true,
                    trial_end: None,
                    org: None,
                },
                origin.clone(),
            ));
        }
        for &(month, commits) in git {
            parts.git.push(Sourced::new(
                GitMonth {
                    person: id.clone(),
                    month: YearMonth::parse(month).unwrap(),
                    commits,
                    merges: 0,
                    coauthored: 0,
                    repositories: 1,
                    lines_added: None,
                    lines_removed: None,
                    partial: false,
                },
                origin.clone(),
            ));
        }
    }
    Ledger::build(parts).unwrap()
}

/// The nudges about one person, Pat.
fn nudges(stints: &[&str], git: &[(&str, u32)]) -> Vec<Nudge> {
    rules::evaluate(
        &ledger(&[("pat", stints, git)]),
        &Policy::default(),
        d(AS_OF),
    )
}

fn of(nudges: &[Nudge], rule: RuleId) -> Option<&Nudge> {
    nudges.iter().find(|n| n.rule == rule)
}

#[test]
fn commits_while_managing_never_shorten_the_distance() {
    let stints = ["engineer 2020-01-01 2023-01-01", "manager 2023-01-01"];
    // The ledger alone: 42 months away, an alert.
    let alone = nudges(&stints, &[]);
    let alert = of(&alone, RuleId::HandsOnDistance).unwrap();
    assert_eq!(alert.severity, rules::Severity::Alert);
    // Git shows busy months while managing: coding on the side, named but not counted.
    let with_git = nudges(&stints, &[("2024-05", 12), ("2025-09", 1)]);
    let n = of(&with_git, RuleId::HandsOnDistance).unwrap();
    assert_eq!(n.severity, rules::Severity::Alert);
    assert_eq!(n.facts[0], alert.facts[0]);
    assert_eq!(
        git_fact(n),
        Some(
            "Git shows 12 commits in 2024-05, while managing: coding on the side does not shorten the distance, since the hands-on work of a team is more than commits."
        )
    );
    // Even recent work keeps the nudge: the distance is the ledger's.
    let recent = nudges(&stints, &[("2026-04", 15)]);
    assert_eq!(
        of(&recent, RuleId::HandsOnDistance).unwrap().severity,
        rules::Severity::Alert
    );
}

#[test]
fn a_manager_coding_at_an_engineers_pace_is_clinging() {
    let stints = ["engineer 2020-01-01 2025-06-01", "manager 2025-06-01"];
    let busy = [("2026-04", 30), ("2026-05", 25), ("2026-06", 28)];
    let n = nudges(&stints, &busy);
    let c = of(&n, RuleId::ManagerClinging).unwrap();
    assert!(c.facts.iter().any(|f| f.source == FactSource::Git));
    // Too early in the stint, or a few commits only: no nudge.
    let early = nudges(
        &["engineer 2020-01-01 2026-03-01", "manager 2026-03-01"],
        &busy,
    );
    assert!(of(&early, RuleId::ManagerClinging).is_none());
    let light = nudges(&stints, &[("2026-05", 6), ("2026-06", 4)]);
    assert!(of(&light, RuleId::ManagerClinging).is_none());
    // Months count from the start of the management span, across a move to another team.
    let moved = nudges(
        &[
            "engineer 2020-01-01 2025-06-01",
            "manager 2025-06-01 2026-03-01",
            "manager 2026-03-01",
        ],
        &busy,
    );
    assert!(of(&moved, RuleId::ManagerClinging).is_some());
}

#[test]
fn hybrid_drift_tells_the_activity_trend() {
    let stints = ["engineer 2020-01-01 2025-01-01", "hybrid 2025-01-01"];
    let git = [
        ("2025-01", 40),
        ("2025-02", 35),
        ("2025-03", 30),
        ("2026-05", 5),
        ("2026-06", 4),
    ];
    let n = nudges(&stints, &git);
    let h = of(&n, RuleId::HybridDrift).unwrap();
    let trend = h
        .facts
        .iter()
        .find(|f| f.source == FactSource::Git)
        .unwrap();
    assert!(trend.text.contains("falling"), "{}", trend.text);
    let without = nudges(&stints, &[]);
    assert!(
        of(&without, RuleId::HybridDrift)
            .unwrap()
            .facts
            .iter()
            .all(|f| f.source != FactSource::Git)
    );
}

fn git_fact(n: &Nudge) -> Option<&str> {
    n.facts
        .iter()
        .find(|f| f.source == FactSource::Git)
        .map(|f| f.text.as_str())
}

#[test]
fn git_without_hands_on_work_in_the_last_hands_on_stint_contradicts_the_ledger() {
    // The ledger: hands-on until 2024-01, so 29 months away, a warning.
    let stints = ["engineer 2020-01-01 2024-01-01", "manager 2024-01-01"];
    let alone = nudges(&stints, &[]);
    let warn = of(&alone, RuleId::HandsOnDistance).unwrap();
    assert_eq!(warn.severity, rules::Severity::Warn);
    assert_eq!(
        git_fact(warn),
        None,
        "no git evidence, nothing to contradict"
    );

    // Git watched the whole stint and its last hands-on month is 2019-04: the severity
    // still follows the ledger, and the nudge names both claims.
    let quiet = [
        ("2019-04", 14),
        ("2021-06", 3),
        ("2023-11", 2),
        ("2025-02", 1),
    ];
    let n = nudges(&stints, &quiet);
    let h = of(&n, RuleId::HandsOnDistance).unwrap();
    assert_eq!(h.severity, warn.severity);
    assert_eq!(h.facts[0], warn.facts[0], "the ledger's claim comes first");
    assert_eq!(
        git_fact(h),
        Some(
            "Git contradicts the ledger: it has Pat as an engineer from 2020-01-01 to 2024-01-01, yet in git no month from 2020-01 to 2023-12 reaches 10 commits; the last hands-on month in git is 2019-04 (14 commits, 86 months ago)."
        )
    );

    // No hands-on month at all.
    let n = nudges(&stints, &[("2021-06", 3), ("2023-11", 2)]);
    assert_eq!(
        git_fact(of(&n, RuleId::HandsOnDistance).unwrap()),
        Some(
            "Git contradicts the ledger: it has Pat as an engineer from 2020-01-01 to 2024-01-01, yet in git no month from 2020-01 to 2023-12 reaches 10 commits; git shows no hands-on month at all (its evidence begins in 2021-06)."
        )
    );
}

#[test]
fn git_that_agrees_or_did_not_watch_does_not_contradict() {
    let stints = ["engineer 2020-01-01 2024-01-01", "manager 2024-01-01"];
    let fact = |git: &[(&str, u32)]| {
        let n = nudges(&stints, git);
        git_fact(of(&n, RuleId::HandsOnDistance).unwrap()).map(str::to_owned)
    };
    // One hands-on month inside the stint bears the ledger out, even its first month.
    assert_eq!(fact(&[("2020-01", 10), ("2025-01", 1)]), None);
    assert_eq!(fact(&[("2023-12", 30)]), None);
    // Evidence that begins after the stint ended says nothing about it.
    assert_eq!(fact(&[("2024-01", 2), ("2025-01", 1)]), None);
    // A month under the policy's threshold is not hands-on work.
    assert!(fact(&[("2022-03", 9)]).unwrap().contains("contradicts"));
    // Busy months after the stint are coding while managing, named as such.
    let later = fact(&[("2024-02", 12)]).unwrap_or_default();
    assert!(
        later.starts_with("Git shows 12 commits in 2024-02, while managing"),
        "{later}"
    );
}

#[test]
fn a_hybrid_without_hands_on_months_in_git_contradicts_the_ledger_too() {
    // Hybrid time counts half: 66 months of it are 33 months away, a warning.
    let stints = ["engineer 2015-01-01 2021-01-01", "hybrid 2021-01-01"];
    let fact = |git: &[(&str, u32)]| {
        let n = nudges(&stints, git);
        let h = of(&n, RuleId::HandsOnDistance).unwrap();
        assert_eq!(h.severity, rules::Severity::Warn);
        git_fact(h).map(str::to_owned)
    };
    assert_eq!(
        fact(&[("2020-06", 20), ("2022-03", 6), ("2025-11", 4)]).as_deref(),
        Some(
            "Git contradicts the ledger: it counts Pat's hybrid stint since 2021-01-01 as partly hands-on, yet in git no month from 2021-01 to 2026-06 reaches 10 commits; the last hands-on month in git is 2020-06 (20 commits, 72 months ago)."
        )
    );
    // A busy month in the hybrid stint is coding while managing, not a contradiction.
    let later = fact(&[("2020-06", 20), ("2024-03", 12)]).unwrap_or_default();
    assert!(
        later.starts_with("Git shows 12 commits in 2024-03, while managing"),
        "{later}"
    );
    // Without any evidence in the last hands-on stint's time, the stint's claim comes first.
    let both = fact(&[("2019-06", 2), ("2023-02", 3)]).unwrap_or_default();
    assert!(
        both.contains("it has Pat as an engineer from 2015-01-01 to 2021-01-01"),
        "{both}"
    );
}

/// The share of managers (and hybrids) with a hands-on month in git within the policy's
/// warn and alert distances (24 and 36 months by default), as of 2026-06-30.
#[test]
fn the_share_of_managers_hands_on_in_git_counts_managers_and_hybrids_only() {
    let manager: &[&str] = &["engineer 2015-01-01 2020-01-01", "manager 2020-01-01"];
    let hybrid: &[&str] = &["engineer 2015-01-01 2020-01-01", "hybrid 2020-01-01"];
    let engineer: &[&str] = &["engineer 2015-01-01"];
    let policy = Policy::default();
    let as_of = d(AS_OF);
    let shares = |people: &[Who<'_>]| {
        let m = Metrics::compute(&ledger(people), &policy, as_of);
        (
            m.managers_git_hands_on_within_warn_share,
            m.managers_git_hands_on_within_alert_share,
        )
    };
    let org: [Who<'_>; 5] = [
        // 2025-03 ended 15 months ago: within both.
        ("ana", manager, &[("2025-03", 12)]),
        // 2023-09 ended 33 months ago: within 36 only; the later trickle does not count.
        ("ben", hybrid, &[("2023-09", 15), ("2026-05", 3)]),
        // Never hands-on in git.
        ("cy", manager, &[("2026-01", 4)]),
        // No evidence at all: counted, as not hands-on.
        ("dee", manager, &[]),
        // An engineer is not a manager, whatever git says.
        ("eve", engineer, &[("2026-06", 40)]),
    ];
    assert_eq!(shares(&org), (Some(0.25), Some(0.5)));

    // The edge: 2024-06 ended just under 24 months before the as-of day, 2024-05 just over.
    let edge: [Who<'_>; 2] = [
        ("ana", manager, &[("2024-06", 12)]),
        ("cy", manager, &[("2024-05", 12)]),
    ];
    assert_eq!(shares(&edge), (Some(0.5), Some(1.0)));
    // Evidence after the as-of day does not count.
    let future: [Who<'_>; 2] = [
        ("ana", manager, &[("2025-03", 12), ("2026-07", 50)]),
        ("cy", manager, &[("2026-08", 50)]),
    ];
    assert_eq!(shares(&future), (Some(0.5), Some(0.5)));

    // No git evidence in the ledger, or no managers: no share, rather than 0%.
    let no_git: [Who<'_>; 2] = [("ana", manager, &[]), ("eve", engineer, &[])];
    assert_eq!(shares(&no_git), (None, None));
    let no_managers: [Who<'_>; 1] = [("eve", engineer, &[("2026-06", 40)])];
    assert_eq!(shares(&no_managers), (None, None));
}

#[test]
fn the_activity_chart_has_a_month_for_every_month_and_the_stints_behind_them() {
    use pendulum_core::activity::Activity;
    let l = ledger(&[
        (
            "pat",
            &["engineer 2019-01-01 2026-03-01", "manager 2026-03-01"],
            &[
                ("2025-11", 25),
                ("2026-02", 12),
                ("2026-04", 3),
                ("2026-07", 9),
            ],
        ),
        ("sam", &["engineer 2019-01-01"], &[]),
    ]);
    let policy = Policy::default();
    let a = Activity::new(&l, 0, &policy, d(AS_OF)).unwrap();
    let months: Vec<(String, u32)> = a
        .bars
        .iter()
        .map(|b| (b.month.to_string(), b.hands_on_commits()))
        .collect();
    assert_eq!(
        months,
        [
            ("2025-11", 25),
            ("2025-12", 0),
            ("2026-01", 0),
            ("2026-02", 12),
            ("2026-03", 0),
            ("2026-04", 3),
            ("2026-05", 0),
            ("2026-06", 0),
        ]
        .map(|(m, c)| (m.to_owned(), c)),
        "zero-filled from the first month with evidence to the as-of month, none after"
    );
    let bands: Vec<_> = a.bands.iter().map(|b| (b.role, b.first, b.last)).collect();
    assert_eq!(
        bands,
        [
            (pendulum_core::Role::Engineer, 0, 3),
            (pendulum_core::Role::Manager, 4, 7)
        ]
    );
    assert_eq!(
        a.describe(),
        "Commits in 3 of 8 months from 2025-11 to 2026-06; 2 of them hands-on (at least 10 commits, authored or co-authored), the last in 2026-02. Merges are shown apart and never count as hands-on work."
    );
    let svg = a.to_svg();
    assert_eq!(
        svg.matches("<g><title>").count(),
        3,
        "a bar per month with data"
    );
    assert!(svg.contains("<title id=\"activity-t\">Monthly git activity of Pat</title>"));
    assert!(!a.has_partial());
    // No evidence up to the as-of day: no chart at all.
    assert!(Activity::new(&l, 1, &policy, d(AS_OF)).is_none());
    assert!(Activity::new(&l, 0, &policy, d("2025-10-31")).is_none());
}
