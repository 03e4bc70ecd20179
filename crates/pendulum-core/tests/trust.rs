//! Nudges people can trust: each rule fires on the right person and stays quiet on the
//! wrong one. The management span, evidence before "unhappy", frontline distance, asking
//! before offering, pay kept on the way back, the return trip, the bench, and the people
//! around a manager.

mod common;

use common::Org;
use pendulum_core::Willingness::{No, Unknown, Yes};
use pendulum_core::rules::{Nudge, RuleId, Severity};

fn of<'a>(nudges: &'a [Nudge], who: &str, rule: RuleId) -> Option<&'a Nudge> {
    nudges
        .iter()
        .find(|n| n.person.as_str() == who && n.rule == rule)
}

fn rules_of(nudges: &[Nudge], who: &str) -> Vec<&'static str> {
    nudges
        .iter()
        .filter(|n| n.person.as_str() == who)
        .map(|n| n.rule.as_str())
        .collect()
}

const LOW: &[(&str, u8, u8, u8)] = &[
    ("2026-02-01", 2, 2, 3),
    ("2026-04-01", 2, 2, 3),
    ("2026-05-01", 2, 2, 3),
];

#[test]
fn grace_follows_the_management_span_across_a_team_move() {
    // Five months into managing, across two stints (a move to another team): still the
    // first months of a new profession.
    let org = Org::default()
        .person("moved", Yes, None)
        .stint("moved", "engineer L5 2018-01-01 2026-01-15")
        .stint("moved", "manager L5 2026-01-15 2026-04-01")
        .stint("moved", "manager L5 2026-04-01")
        .checkins("moved", LOW);
    let nudges = org.all();
    assert_eq!(rules_of(&nudges, "moved"), ["new-manager-grace"]);
    let grace = of(&nudges, "moved", RuleId::NewManagerGrace).unwrap();
    assert!(
        grace.facts[0]
            .text
            .contains("started managing for the first time on 2026-01-15: 5 months in"),
        "{}",
        grace.facts[0].text
    );
    // Past the grace months of the span, the same check-ins are unhappiness.
    let late = Org::default()
        .person("late", Yes, None)
        .stint("late", "engineer L5 2018-01-01 2024-01-01")
        .stint("late", "manager L5 2024-01-01 2026-04-01")
        .stint("late", "manager L5 2026-04-01")
        .checkins("late", LOW)
        .all();
    assert!(rules_of(&late, "late").contains(&"unhappy-manager"));
    assert!(!rules_of(&late, "late").contains(&"new-manager-grace"));
}

#[test]
fn a_trial_gets_grace_pointing_at_its_decision_day() {
    let org = Org::default()
        .person("trial", Yes, None)
        .stint("trial", "engineer L5 2018-01-01 2026-02-01")
        .stint("trial", "manager L5 2026-02-01 trial=2026-08-01")
        .checkins(
            "trial",
            &[
                ("2026-03-01", 2, 2, 3),
                ("2026-04-01", 2, 2, 3),
                ("2026-05-20", 2, 2, 3),
            ],
        );
    let nudges = org.all();
    assert_eq!(rules_of(&nudges, "trial"), ["new-manager-grace"]);
    let n = of(&nudges, "trial", RuleId::NewManagerGrace).unwrap();
    assert!(
        n.suggestion.contains("trial's decision on 2026-08-01"),
        "{}",
        n.suggestion
    );
    assert!(!n.suggestion.contains("Revisit after"), "{}", n.suggestion);
}

#[test]
fn unhappy_needs_three_check_ins_from_the_span_and_a_fall_of_means() {
    let org = Org::default()
        // Low joy, but two of the three check-ins were on hands-on work.
        .person("before", Yes, None)
        .stint("before", "engineer L5 2015-01-01 2019-01-01")
        .stint("before", "manager L5 2019-01-01 2022-01-01")
        .stint("before", "engineer L5 2022-01-01 2026-03-15")
        .stint("before", "manager L5 2026-03-15")
        .checkins("before", LOW)
        // 4 then 4 then 3: one score against another, not a fall.
        .person("wobble", Yes, None)
        .stint("wobble", "engineer L5 2018-01-01 2024-01-01")
        .stint("wobble", "manager L5 2024-01-01")
        .checkins(
            "wobble",
            &[
                ("2026-02-01", 4, 4, 4),
                ("2026-04-01", 4, 4, 4),
                ("2026-06-01", 3, 4, 4),
            ],
        )
        // A fall of the means: 5 and 4, then 3 and 3.
        .person("falling", Yes, None)
        .stint("falling", "engineer L5 2018-01-01 2024-01-01")
        .stint("falling", "manager L5 2024-01-01")
        .checkins(
            "falling",
            &[
                ("2026-01-15", 5, 4, 4),
                ("2026-03-01", 4, 4, 4),
                ("2026-05-01", 3, 4, 4),
                ("2026-06-15", 3, 4, 4),
            ],
        );
    let nudges = org.all();
    assert!(of(&nudges, "before", RuleId::UnhappyManager).is_none());
    assert!(of(&nudges, "wobble", RuleId::UnhappyManager).is_none());
    let f = of(&nudges, "falling", RuleId::UnhappyManager).unwrap();
    assert_eq!(f.severity, Severity::Warn);
    assert!(
        f.facts.iter().any(|x| x.text.contains("Joy fell by 1.5")),
        "{:?}",
        f.facts
    );
}

#[test]
fn a_manager_of_managers_gets_at_most_an_info_nudge_about_distance() {
    let mut org = Org::default()
        .person("director", Yes, None)
        .stint("director", "engineer L7 2010-01-01 2020-01-01")
        .stint("director", "manager L7 2020-01-01")
        .person("lead", Yes, None)
        .stint("lead", "engineer L6 2010-01-01 2020-01-01")
        .stint("lead", "manager L6 2020-01-01");
    for (who, boss, role) in [
        ("m1", "director", "manager"),
        ("m2", "director", "manager"),
        ("e0", "director", "engineer"),
        ("e1", "lead", "engineer"),
        ("e2", "lead", "engineer"),
    ] {
        org = org
            .person(who, Yes, Some(boss))
            .stint(who, &format!("{role} L4 2025-01-01"));
    }
    let nudges = org.all();
    let director = of(&nudges, "director", RuleId::HandsOnDistance).unwrap();
    assert_eq!(director.severity, Severity::Info);
    assert!(director.facts.iter().any(|f| {
        f.text
            .contains("2 of Director's 3 direct reports manage others")
    }));
    let lead = of(&nudges, "lead", RuleId::HandsOnDistance).unwrap();
    assert_eq!(lead.severity, Severity::Alert);
    assert!(
        lead.suggestion.contains("re-entry plan"),
        "{}",
        lead.suggestion
    );
    assert!(
        lead.suggestion.contains("1. pick a team"),
        "{}",
        lead.suggestion
    );
}

#[test]
fn a_lead_is_asked_before_being_offered_a_trial_and_an_old_no_is_asked_once() {
    let org = Org::default()
        .person("unasked", Unknown, None)
        .stint("unasked", "tech_lead L6 2015-01-01")
        .person("keen", Unknown, None)
        .answer("keen", "2026-01-10", Yes)
        .stint("keen", "tech_lead L6 2015-01-01")
        .person("recent-no", Unknown, None)
        .answer("recent-no", "2025-06-01", No)
        .stint("recent-no", "tech_lead L6 2015-01-01")
        .person("old-no", Unknown, None)
        .answer("old-no", "2023-01-01", No)
        .stint("old-no", "tech_lead L6 2015-01-01")
        .person("no-twice", Unknown, None)
        .answer("no-twice", "2020-01-01", No)
        .answer("no-twice", "2023-01-01", No)
        .stint("no-twice", "tech_lead L6 2015-01-01")
        .person("undated-no", No, None)
        .stint("undated-no", "tech_lead L6 2015-01-01");
    let nudges = org.all();
    let ask = of(&nudges, "unasked", RuleId::LeadWithoutManagement).unwrap();
    assert!(
        ask.suggestion
            .starts_with("Ask Unasked whether they would like to try managing"),
        "{}",
        ask.suggestion
    );
    assert!(!ask.suggestion.contains("Offer"));
    let offer = of(&nudges, "keen", RuleId::LeadWithoutManagement).unwrap();
    assert!(
        offer
            .suggestion
            .starts_with("Offer Keen a time-boxed management trial"),
        "{}",
        offer.suggestion
    );
    assert!(
        offer
            .facts
            .iter()
            .any(|f| f.text == "Keen said they would like to try managing (on 2026-01-10).")
    );
    assert!(of(&nudges, "recent-no", RuleId::LeadWithoutManagement).is_none());
    let again = of(&nudges, "old-no", RuleId::LeadWithoutManagement).unwrap();
    assert_eq!(again.severity, Severity::Info);
    assert!(
        again.suggestion.contains("once more, gently"),
        "{}",
        again.suggestion
    );
    assert!(of(&nudges, "no-twice", RuleId::LeadWithoutManagement).is_none());
    assert!(of(&nudges, "undated-no", RuleId::LeadWithoutManagement).is_none());
}

#[test]
fn a_swing_booked_as_a_promotion_stays_visible_while_its_stint_lasts() {
    let org = Org::default()
        .person("up", Yes, None)
        .stint("up", "engineer L5 2015-01-01 2021-01-01")
        .stint("up", "manager L6 2021-01-01")
        .person("banded", Yes, None)
        .stint("banded", "engineer L5 2015-01-01 2025-01-01 band=30")
        .stint("banded", "manager L5 2025-01-01 band=33")
        .person("kept", Yes, None)
        .stint("kept", "engineer L5 2015-01-01 2025-01-01 band=30")
        .stint("kept", "manager L5 2025-01-01 band=30");
    let nudges = org.all();
    let up = of(&nudges, "up", RuleId::SwingAsPromotion).unwrap();
    assert_eq!(up.severity, Severity::Warn);
    let banded = of(&nudges, "banded", RuleId::SwingAsPromotion).unwrap();
    assert!(
        banded
            .facts
            .iter()
            .any(|f| f.text == "The pay band moved up at that swing, from 30 to 33.")
    );
    assert!(of(&nudges, "kept", RuleId::SwingAsPromotion).is_none());
}

#[test]
fn a_swing_back_below_the_level_or_band_held_before_managing_is_an_alert() {
    let org = Org::default()
        .person("cut", Yes, None)
        .stint("cut", "engineer L6 2012-01-01 2019-01-01 band=30")
        .stint("cut", "manager L6 2019-01-01 2025-01-01 band=30")
        .stint("cut", "engineer L6 2025-01-01 band=27")
        .person("demoted", Yes, None)
        .stint("demoted", "engineer L6 2012-01-01 2019-01-01")
        .stint("demoted", "manager L6 2019-01-01 2022-01-01")
        .stint("demoted", "manager L7 2022-01-01 2025-01-01")
        .stint("demoted", "engineer L5 2025-01-01")
        .person("fair", Yes, None)
        .stint("fair", "engineer L6 2012-01-01 2019-01-01 band=30")
        .stint("fair", "manager L6 2019-01-01 2025-01-01 band=30")
        .stint("fair", "engineer L6 2025-01-01 band=30");
    let nudges = org.all();
    let cut = of(&nudges, "cut", RuleId::SwingAsPromotion).unwrap();
    assert_eq!(cut.severity, Severity::Alert);
    assert!(
        cut.facts
            .iter()
            .any(|f| f.text.ends_with("the way back lowered their pay band.")),
        "{:?}",
        cut.facts
    );
    assert!(
        cut.suggestion
            .starts_with("Restore Cut's level and pay (L6 and band 30)"),
        "{}",
        cut.suggestion
    );
    let demoted = nudges
        .iter()
        .filter(|n| n.person.as_str() == "demoted" && n.rule == RuleId::SwingAsPromotion)
        .map(|n| n.severity)
        .collect::<Vec<_>>();
    assert_eq!(demoted, [Severity::Alert]);
    assert!(of(&nudges, "fair", RuleId::SwingAsPromotion).is_none());
}

#[test]
fn returning_engineers_get_a_reentry_plan_for_their_first_months() {
    let org = Org::default()
        .person("boss", Yes, None)
        .stint("boss", "manager L7 2015-01-01")
        .person("back", Yes, Some("boss"))
        .stint("back", "engineer L5 2015-01-01 2020-01-01")
        .stint("back", "manager L5 2020-01-01 2026-03-01")
        .stint("back", "engineer L5 2026-03-01")
        .person("settled", Yes, Some("boss"))
        .stint("settled", "engineer L5 2015-01-01 2020-01-01")
        .stint("settled", "manager L5 2020-01-01 2025-10-01")
        .stint("settled", "engineer L5 2025-10-01")
        .person("never", Yes, Some("boss"))
        .stint("never", "engineer L5 2026-03-01");
    let nudges = org.all();
    let back = of(&nudges, "back", RuleId::ReturningEngineer).unwrap();
    assert_eq!(back.severity, Severity::Info);
    assert_eq!(back.act_by.as_ref().map(|p| p.as_str()), Some("boss"));
    assert!(
        back.suggestion
            .starts_with("Boss: make Back's first 6 months a re-entry"),
        "{}",
        back.suggestion
    );
    assert!(back.suggestion.contains("no performance verdict"));
    assert!(of(&nudges, "settled", RuleId::ReturningEngineer).is_none());
    assert!(of(&nudges, "never", RuleId::ReturningEngineer).is_none());
    // Written to the person: second person, no name of theirs.
    let own = org.to_person("back");
    let r = own
        .iter()
        .find(|n| n.rule == RuleId::ReturningEngineer)
        .unwrap();
    assert!(
        r.suggestion
            .starts_with("Your first 6 months back are a re-entry"),
        "{}",
        r.suggestion
    );
}

#[test]
fn a_former_manager_who_managed_well_is_named_for_the_bench() {
    let good = [
        ("2021-01-01", 4, 4, 4),
        ("2022-01-01", 4, 4, 4),
        ("2023-01-01", 5, 4, 4),
    ];
    let org = Org::default()
        .person("bench", Yes, None)
        .stint("bench", "engineer L5 2015-01-01 2020-01-01")
        .stint("bench", "manager L5 2020-01-01 2024-01-01")
        .stint("bench", "engineer L5 2024-01-01")
        .checkins("bench", &good)
        .person("unsure", Unknown, None)
        .stint("unsure", "engineer L5 2015-01-01 2020-01-01")
        .stint("unsure", "manager L5 2020-01-01 2024-01-01")
        .stint("unsure", "engineer L5 2024-01-01")
        .checkins("unsure", &good)
        .person("cooling", Yes, None)
        .stint("cooling", "engineer L5 2015-01-01 2020-01-01")
        .stint("cooling", "manager L5 2020-01-01 2025-12-01")
        .stint("cooling", "engineer L5 2025-12-01")
        .checkins("cooling", &good)
        .person("drained", Yes, None)
        .stint("drained", "engineer L5 2015-01-01 2020-01-01")
        .stint("drained", "manager L5 2020-01-01 2024-01-01")
        .stint("drained", "engineer L5 2024-01-01")
        .checkins(
            "drained",
            &[
                ("2021-01-01", 2, 2, 4),
                ("2022-01-01", 3, 2, 4),
                ("2023-01-01", 3, 3, 4),
            ],
        );
    let nudges = org.all();
    let bench = of(&nudges, "bench", RuleId::SwingAgain).unwrap();
    assert_eq!(bench.severity, Severity::Info);
    assert!(
        bench
            .facts
            .iter()
            .any(|f| f.text == "3 check-ins while managing: joy averaged 4.3 out of 5.")
    );
    for quiet in ["unsure", "cooling", "drained"] {
        assert!(of(&nudges, quiet, RuleId::SwingAgain).is_none(), "{quiet}");
    }
    let ledger = org.ledger();
    let i = ledger
        .person_index(&pendulum_core::PersonId::parse("bench").unwrap())
        .unwrap();
    assert!(pendulum_core::rules::swing_again_candidate(
        &ledger,
        &org.policy,
        common::d(common::AS_OF),
        i
    ));
}

/// A manager with `n` reports, of whom `checked` checked in with joy `joy`.
fn team(n: usize, checked: usize, joy: u8) -> Org {
    let mut org = Org::default()
        .person("top", Yes, None)
        .stint("top", "manager L7 2015-01-01")
        .person("mgr", Yes, Some("top"))
        .stint("mgr", "engineer L5 2015-01-01 2024-06-01")
        .stint("mgr", "manager L5 2024-06-01");
    for r in 0..n {
        let who = format!("report{r}");
        org = org
            .person(&who, Unknown, Some("mgr"))
            .stint(&who, "engineer L4 2022-01-01");
        if r < checked {
            org = org.checkins(
                &who,
                &[("2026-03-01", joy, 3, 3), ("2026-05-01", joy, 3, 3)],
            );
        }
    }
    org
}

#[test]
fn a_manager_whose_reports_are_unhappy_hears_it_with_their_manager_and_no_scores() {
    let nudges = team(6, 5, 2).all();
    let n = of(&nudges, "mgr", RuleId::ReportsUnhappy).unwrap();
    assert_eq!(n.severity, Severity::Warn);
    assert_eq!(n.act_by.as_ref().map(|p| p.as_str()), Some("top"));
    assert!(
        n.facts[0].text.starts_with(
            "5 of Mgr's 6 direct reports checked in over the last 6 months; their joy averages 2.0"
        ),
        "{}",
        n.facts[0].text
    );
    for f in &n.facts {
        assert!(
            !f.text.contains("Report"),
            "no single report is named: {}",
            f.text
        );
    }
    // One person's nudges read their reports' check-ins the same way.
    let own = team(6, 5, 2).to_person("mgr");
    let mine = own
        .iter()
        .find(|n| n.rule == RuleId::ReportsUnhappy)
        .unwrap();
    assert!(
        mine.facts[0].text.starts_with("5 of your 6 direct reports"),
        "{}",
        mine.facts[0].text
    );
    // Four who checked in are fewer than the pulse's minimum group: nothing is read.
    assert!(of(&team(6, 4, 1).all(), "mgr", RuleId::ReportsUnhappy).is_none());
    // A content team.
    assert!(of(&team(6, 6, 4).all(), "mgr", RuleId::ReportsUnhappy).is_none());
}

#[test]
fn nudges_written_to_the_person_never_name_them_or_read_like_a_form() {
    let org = Org::default()
        .person("quinn", No, None)
        .stint("quinn", "engineer L5 2010-01-01 2019-01-01 band=30")
        .stint("quinn", "manager L6 2019-01-01 unchosen band=31")
        .checkins("quinn", LOW)
        .person("robin", Unknown, Some("quinn"))
        .stint("robin", "tech_lead L6 2015-01-01");
    for who in ["quinn", "robin"] {
        let name = if who == "quinn" { "Quinn" } else { "Robin" };
        let own = org.to_person(who);
        assert!(!own.is_empty(), "{who} has nudges");
        for n in &own {
            let texts = n
                .facts
                .iter()
                .map(|f| f.text.as_str())
                .chain([n.suggestion.as_str()]);
            for t in texts {
                assert!(!t.contains(name), "{} names {name}: {t}", n.rule);
                assert!(!t.contains("willing to manage:"), "{t}");
            }
        }
    }
    let third = org.all();
    assert!(third.iter().all(|n| {
        n.facts
            .iter()
            .all(|f| !f.text.contains("willing to manage:"))
    }));
}

#[test]
fn the_two_ladders_pay_and_progress_alike_or_say_where_not() {
    use pendulum_core::metrics::Metrics;
    let org = Org::default()
        .person("e1", Unknown, None)
        .stint("e1", "engineer L5 2020-01-01 band=30")
        .person("e2", Unknown, None)
        .stint("e2", "engineer L5 2020-01-01 band=32")
        .person("m1", Yes, None)
        .stint("m1", "manager L5 2020-01-01 band=35")
        .person("top-ic", Unknown, None)
        .stint("top-ic", "tech_lead L6 2020-01-01")
        .person("dir", Yes, None)
        .stint("dir", "manager L7 2020-01-01")
        .person("vp", Yes, None)
        .stint("vp", "manager L8 2020-01-01");
    let m = Metrics::compute(&org.ledger(), &org.policy, common::d(common::AS_OF));
    let l5 = m.levels.iter().find(|l| l.level.name() == "L5").unwrap();
    assert_eq!((l5.hands_on, l5.managers), (2, 1));
    assert_eq!(l5.hands_on_band, Some(31.0));
    assert_eq!(l5.band_gap(), Some(4.0));
    let l6 = m.levels.iter().find(|l| l.level.name() == "L6").unwrap();
    assert_eq!(l6.band_gap(), None, "no bands recorded at L6");
    let names: Vec<&str> = m.only_managers_above.iter().map(|l| l.name()).collect();
    assert_eq!(names, ["L7", "L8"]);
    assert_eq!(m.ladder_parity_violations, 0);
    // A swing that moved the pay band breaks parity as a level change does.
    let swung = Org::default()
        .person("s", Yes, None)
        .stint("s", "engineer L5 2015-01-01 2025-01-01 band=30")
        .stint("s", "manager L5 2025-01-01 band=33");
    let m = Metrics::compute(&swung.ledger(), &swung.policy, common::d(common::AS_OF));
    assert_eq!(m.ladder_parity_violations, 1);
    // A principal engineer at L8 shows the hands-on ladder reaches the top.
    let org = org
        .person("principal", Unknown, None)
        .stint("principal", "engineer L8 2020-01-01");
    let m = Metrics::compute(&org.ledger(), &org.policy, common::d(common::AS_OF));
    assert!(m.only_managers_above.is_empty());
}
