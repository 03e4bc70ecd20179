//! `interrupted-maker`: the rule that reads calendar evidence. An engineer or tech lead whose
//! focus hours stay under the policy's minimum week after week gets a nudge written for their
//! manager. `hybrid-drift` adds the hybrid's meeting load to its facts, and the org metrics
//! compare makers' and managers' weeks.

use chrono::NaiveDate;
use pendulum_core::ledger::{LedgerParts, Origin, Person, Sourced, Stint};
use pendulum_core::{
    CalendarWeek, Email, FactSource, IsoWeek, Ladder, Ledger, Nudge, PersonId, Policy, RuleId,
    Severity, Willingness, rules,
};

/// A Tuesday: the last full week is 2026-W26 (22 to 28 June).
const AS_OF: &str = "2026-06-30";

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// The `interrupted-maker` nudges of [`ledger`] as of [`AS_OF`].
fn nudges(role: &str, weeks: &[(&str, f64)]) -> Vec<Nudge> {
    nudges_with(&Policy::default(), role, weeks)
}

fn nudges_with(policy: &Policy, role: &str, weeks: &[(&str, f64)]) -> Vec<Nudge> {
    rules::evaluate(&ledger(role, weeks), policy, d(AS_OF))
        .into_iter()
        .filter(|n| n.rule == RuleId::InterruptedMaker)
        .collect()
}

/// Pat (in the role given, since 2025-01-01) reports to Morgan, a manager; `weeks` are Pat's
/// calendar evidence as `(week, focus hours)`, with 36 hours less the focus in meetings, and
/// Morgan has the same weeks.
fn ledger(role: &str, weeks: &[(&str, f64)]) -> Ledger {
    let ladder = Ladder::default();
    let origin = Origin::new("test", 0);
    let mut parts = LedgerParts::default();
    for (id, name, manager, role) in [
        ("morgan", "Morgan", None, "manager"),
        ("pat", "Pat", Some("morgan"), role),
    ] {
        let id = PersonId::parse(id).unwrap();
        parts.people.push(Sourced::new(
            Person {
                willing_since: None,
                id: id.clone(),
                name: name.into(),
                email: Email::parse(&format!("{id}@example.com")).unwrap(),
                aliases: vec![],
                level: ladder.level("L4").unwrap(),
                team: None,
                manager: manager.map(|m| PersonId::parse(m).unwrap()),
                willing_to_manage: Willingness::Unknown,
                departure: None,
            },
            origin.clone(),
        ));
        parts.stints.push(Sourced::new(
            Stint {
                band: None,
                person: id.clone(),
                role: role.parse().unwrap(),
                team: None,
                level: ladder.level("L4").unwrap(),
                start: d("2025-01-01"),
                end: None,
                chosen: true,
                trial_end: None,
                org: None,
            },
            origin.clone(),
        ));
        for &(week, focus) in weeks {
            parts.calendar.push(Sourced::new(
                CalendarWeek {
                    person: id.clone(),
                    week: IsoWeek::parse(week).unwrap(),
                    meeting_hours: 40.0 - focus - 4.0,
                    focus_hours: focus,
                    fragmented_hours: 4.0,
                    after_hours: 0.0,
                },
                origin.clone(),
            ));
        }
    }
    Ledger::build(parts).unwrap()
}

const LAST_FOUR: [&str; 4] = ["2026-W23", "2026-W24", "2026-W25", "2026-W26"];

fn weeks(focus: [f64; 4]) -> Vec<(&'static str, f64)> {
    LAST_FOUR.into_iter().zip(focus).collect()
}

#[test]
fn an_engineer_under_the_minimum_every_week_gets_a_nudge_for_their_manager() {
    let n = nudges("engineer", &weeks([4.0, 6.5, 9.9, 2.0]));
    assert_eq!(n.len(), 1, "{n:#?}");
    let nudge = &n[0];
    assert_eq!(nudge.person.as_str(), "pat");
    assert_eq!(nudge.severity, Severity::Warn);
    let calendar: Vec<&str> = nudge
        .facts
        .iter()
        .filter(|f| f.source == FactSource::Calendar)
        .map(|f| f.text.as_str())
        .collect();
    assert_eq!(calendar.len(), 4, "one fact per week: {calendar:?}");
    assert!(
        calendar[0].starts_with("2026-W23: 4.0 h of focus"),
        "{}",
        calendar[0]
    );
    assert!(calendar[2].contains("9.9 h of focus"), "{}", calendar[2]);
    assert!(calendar[2].contains("in meetings"), "{}", calendar[2]);
    assert!(
        nudge
            .facts
            .iter()
            .any(|f| f.source == FactSource::Ledger && f.text.contains("reports to Morgan"))
    );
    assert!(
        nudge.suggestion.starts_with("Morgan: shield Pat's time"),
        "{}",
        nudge.suggestion
    );
    assert_eq!(nudge.principle, RuleId::InterruptedMaker.principle());
    // It is Morgan's to act on, and says so.
    assert_eq!(nudge.act_by.as_ref().map(PersonId::as_str), Some("morgan"));
}

#[test]
fn one_week_at_the_minimum_is_enough_to_stay_quiet() {
    assert!(nudges("engineer", &weeks([4.0, 10.0, 2.0, 2.0])).is_empty());
    assert!(nudges("engineer", &weeks([4.0, 2.0, 2.0, 25.0])).is_empty());
}

#[test]
fn tech_leads_count_only_when_the_policy_says_so_and_managers_never() {
    // A tech lead's job includes meetings: by default they are not makers.
    assert!(nudges("tech_lead", &weeks([1.0; 4])).is_empty());
    let mut policy = Policy::from_toml("[calendar]\ntech_leads_are_makers = true\n").unwrap();
    assert_eq!(nudges_with(&policy, "tech_lead", &weeks([1.0; 4])).len(), 1);
    // With their own minimum: 5 hours a week clears 4, not 6 (the default).
    assert_eq!(nudges_with(&policy, "tech_lead", &weeks([5.0; 4])).len(), 1);
    policy.calendar.tech_lead_min_focus_hours = 4.0;
    assert!(nudges_with(&policy, "tech_lead", &weeks([5.0; 4])).is_empty());
    // The engineers' minimum stays theirs.
    assert_eq!(nudges_with(&policy, "engineer", &weeks([5.0; 4])).len(), 1);
    // Morgan, the manager, has the same empty weeks and is never flagged.
    let n = nudges("engineer", &weeks([1.0; 4]));
    assert!(n.iter().all(|n| n.person.as_str() == "pat"));
    assert!(nudges("manager", &weeks([1.0; 4])).is_empty());
    assert!(nudges("hybrid", &weeks([1.0; 4])).is_empty());
}

#[test]
fn no_evidence_too_little_or_stale_evidence_gives_no_nudge() {
    assert!(nudges("engineer", &[]).is_empty());
    // Three weeks are fewer than the policy's four.
    assert!(nudges("engineer", &weeks([1.0; 4])[1..]).is_empty());
    // Weeks with evidence may have gaps, within twice the span.
    let gappy = [
        ("2026-W19", 1.0),
        ("2026-W21", 1.0),
        ("2026-W24", 1.0),
        ("2026-W26", 1.0),
    ];
    assert_eq!(nudges("engineer", &gappy).len(), 1);
    // A year-old pattern says nothing about now.
    let old = [
        ("2025-W23", 1.0),
        ("2025-W24", 1.0),
        ("2025-W25", 1.0),
        ("2025-W26", 1.0),
    ];
    assert!(nudges("engineer", &old).is_empty());
    // The week in progress (2026-W27) is not read.
    let current = [
        ("2026-W24", 1.0),
        ("2026-W25", 1.0),
        ("2026-W26", 1.0),
        ("2026-W27", 1.0),
    ];
    assert!(nudges("engineer", &current).is_empty());
}

/// The calendar facts of Pat's `hybrid-drift` nudge (Pat is a hybrid for 18 months, past the
/// policy's warning).
fn hybrid_calendar_facts(weeks: &[(&str, f64)]) -> Vec<String> {
    let n: Vec<Nudge> = rules::evaluate(&ledger("hybrid", weeks), &Policy::default(), d(AS_OF))
        .into_iter()
        .filter(|n| n.rule == RuleId::HybridDrift)
        .collect();
    assert_eq!(n.len(), 1, "{n:#?}");
    n[0].facts
        .iter()
        .filter(|f| f.source == FactSource::Calendar)
        .map(|f| f.text.clone())
        .collect()
}

#[test]
fn hybrid_drift_weighs_meetings_against_focus_time_when_the_calendar_was_read() {
    assert_eq!(
        hybrid_calendar_facts(&weeks([4.0, 6.0, 8.0, 2.0])),
        [
            "The calendar shows 31.0 h of meetings against 5.0 h of focus time a week over the 4 weeks from 2026-W23 to 2026-W26: meetings outweigh focus time."
        ]
    );
    // Only the recent weeks count: a quiet week a year ago does not.
    let mixed = [("2025-W10", 30.0), ("2026-W25", 24.0), ("2026-W26", 20.0)];
    assert_eq!(
        hybrid_calendar_facts(&mixed),
        [
            "The calendar shows 14.0 h of meetings against 22.0 h of focus time a week over the 2 weeks from 2026-W25 to 2026-W26: focus time still outweighs meetings."
        ]
    );
    assert_eq!(
        hybrid_calendar_facts(&[("2026-W26", 6.0)]),
        [
            "The calendar shows 30.0 h of meetings against 6.0 h of focus time in 2026-W26: meetings outweigh focus time."
        ]
    );
}

#[test]
fn hybrid_drift_without_recent_calendar_evidence_has_no_calendar_fact() {
    assert!(hybrid_calendar_facts(&[]).is_empty());
    assert!(hybrid_calendar_facts(&[("2025-W10", 2.0)]).is_empty());
}

#[test]
fn the_metrics_compare_makers_and_managers_over_the_last_weeks_with_evidence() {
    let policy = Policy::default();
    let m = |role: &str, weeks: &[(&str, f64)]| {
        pendulum_core::metrics::Metrics::compute(&ledger(role, weeks), &policy, d(AS_OF)).calendar
    };
    assert_eq!(
        m("engineer", &[]),
        None,
        "no calendar evidence is not zero hours"
    );
    assert_eq!(
        m("engineer", &[("2026-W27", 2.0)]),
        None,
        "the week in progress is not read"
    );

    // Five weeks: the oldest falls outside the policy's four. Pat the engineer and Morgan the
    // manager share the weeks, so both groups read the same means.
    let five = [
        ("2026-W20", 36.0),
        ("2026-W21", 4.0),
        ("2026-W22", 6.0),
        ("2026-W23", 8.0),
        ("2026-W26", 10.0),
    ];
    let loads = m("engineer", &five).unwrap();
    assert_eq!(loads.first_week.to_string(), "2026-W21");
    assert_eq!(loads.last_week.to_string(), "2026-W26");
    for group in [loads.makers.unwrap(), loads.managers.unwrap()] {
        assert_eq!(group.people, 1);
        assert_eq!(group.focus_hours, 7.0);
        assert_eq!(group.meeting_hours, 29.0);
    }

    // With Pat a hybrid, both are managers and no maker has evidence.
    let loads = m("hybrid", &five).unwrap();
    assert_eq!(loads.makers, None);
    assert_eq!(loads.managers.unwrap().people, 2);
}
