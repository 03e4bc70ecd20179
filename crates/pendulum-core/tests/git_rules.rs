//! The rules that read git evidence: hands-on-distance corrected by git, manager-clinging,
//! and hybrid-drift's activity trend.

use chrono::NaiveDate;
use pendulum_core::ledger::{LedgerParts, Origin, Person, Sourced, Stint};
use pendulum_core::{
    Email, FactSource, GitMonth, Ladder, Ledger, Nudge, PersonId, Policy, RuleId, Willingness,
    YearMonth, rules,
};

const AS_OF: &str = "2026-06-30";

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// One person with stints (`role start [end]`) and monthly commits (`YYYY-MM commits`).
fn nudges(stints: &[&str], git: &[(&str, u32)]) -> Vec<Nudge> {
    let ladder = Ladder::default();
    let origin = Origin::new("test", 0);
    let id = PersonId::parse("pat").unwrap();
    let mut parts = LedgerParts::default();
    parts.people.push(Sourced::new(
        Person {
            id: id.clone(),
            name: "Pat".into(),
            email: Email::parse("pat@example.com").unwrap(),
            aliases: vec![],
            level: ladder.level("L5").unwrap(),
            team: None,
            manager: None,
            willing_to_manage: Willingness::Yes,
        },
        origin.clone(),
    ));
    for spec in stints {
        let w: Vec<&str> = spec.split_whitespace().collect();
        parts.stints.push(Sourced::new(
            Stint {
                person: id.clone(),
                role: w[0].parse().unwrap(),
                team: None,
                level: ladder.level("L5").unwrap(),
                start: d(w[1]),
                end: w.get(2).map(|e| d(e)),
                chosen: true,
                trial_end: None,
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
    let ledger = Ledger::build(parts).unwrap();
    rules::evaluate(&ledger, &Policy::default(), d(AS_OF))
}

fn of(nudges: &[Nudge], rule: RuleId) -> Option<&Nudge> {
    nudges.iter().find(|n| n.rule == rule)
}

#[test]
fn git_hands_on_work_shortens_the_distance_and_names_both_facts() {
    let stints = ["engineer 2020-01-01 2023-01-01", "manager 2023-01-01"];
    // The ledger alone: 42 months away, an alert.
    let alone = nudges(&stints, &[]);
    assert_eq!(
        of(&alone, RuleId::HandsOnDistance).unwrap().severity,
        rules::Severity::Alert
    );
    // Git shows real work until May 2024: about 25 months away, a warning.
    let with_git = nudges(&stints, &[("2024-05", 12), ("2025-09", 1)]);
    let n = of(&with_git, RuleId::HandsOnDistance).unwrap();
    assert_eq!(n.severity, rules::Severity::Warn);
    assert!(n.facts.iter().any(|f| f.source == FactSource::Ledger));
    let git = n
        .facts
        .iter()
        .find(|f| f.source == FactSource::Git)
        .unwrap();
    assert!(git.text.contains("2024-05"), "{}", git.text);
    // Recent work in git ends the nudge.
    let recent = nudges(&stints, &[("2026-04", 15)]);
    assert!(of(&recent, RuleId::HandsOnDistance).is_none());
    // A month under the policy's threshold is not hands-on work.
    let trickle = nudges(&stints, &[("2026-04", 2)]);
    assert!(of(&trickle, RuleId::HandsOnDistance).is_some());
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
