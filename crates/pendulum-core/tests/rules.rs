//! Each rule on small hand-built ledgers: who trips it, at which severity, and who does not.

mod common;

use common::Org;
use pendulum_core::Willingness;

use Willingness::{No, Unknown, Yes};

#[test]
fn hands_on_distance_warns_at_24_alerts_at_36_and_asks_for_reentry_at_60() {
    let nudges = Org::default()
        .person("near", Yes, None)
        .stint("near", "engineer L5 2015-01-01 2025-01-01")
        .stint("near", "manager L5 2025-01-01")
        .person("warn", Yes, None)
        .stint("warn", "engineer L5 2015-01-01 2024-04-01")
        .stint("warn", "manager L5 2024-04-01")
        .person("alert", Yes, None)
        .stint("alert", "engineer L5 2015-01-01 2023-01-01")
        .stint("alert", "manager L5 2023-01-01")
        .person("reentry", Yes, None)
        .stint("reentry", "engineer L5 2010-01-01 2020-01-01")
        .stint("reentry", "manager L5 2020-01-01")
        .nudges();
    assert_eq!(
        nudges,
        [
            "alert hands-on-distance alert",
            "reentry hands-on-distance alert",
            "warn hands-on-distance warn"
        ]
    );
}

#[test]
fn hybrid_time_counts_at_its_management_share() {
    // 40 months of hybrid at weight 0.5 is 20 months away: under the warning.
    let nudges = Org::default()
        .person("h", Yes, None)
        .stint("h", "engineer L5 2015-01-01 2023-02-01")
        .stint("h", "hybrid L5 2023-02-01")
        .nudges();
    assert_eq!(nudges, ["h hybrid-drift alert"]);
}

#[test]
fn hybrid_drift_flags_long_stints_and_large_teams() {
    let mut org = Org::default()
        .person("short", Yes, None)
        .stint("short", "engineer L5 2018-01-01 2026-03-01")
        .stint("short", "hybrid L5 2026-03-01")
        .person("long", Yes, None)
        .stint("long", "engineer L5 2018-01-01 2025-10-01")
        .stint("long", "hybrid L5 2025-10-01");
    for r in 0..5 {
        let id = format!("r{r}");
        org = org
            .person(&id, Unknown, Some("short"))
            .stint(&id, "engineer L3 2024-01-01");
    }
    assert_eq!(
        org.nudges(),
        ["long hybrid-drift warn", "short hybrid-drift warn"]
    );
}

#[test]
fn lead_without_management_skips_the_unwilling_and_the_experienced() {
    let nudges = Org::default()
        .person("lead", Unknown, None)
        .stint("lead", "tech_lead L6 2018-01-01")
        .person("senior", Yes, None)
        .stint("senior", "engineer L5 2019-01-01")
        .person("junior", Yes, None)
        .stint("junior", "engineer L3 2019-01-01")
        .person("refuses", No, None)
        .stint("refuses", "tech_lead L6 2018-01-01")
        .person("managed", Yes, None)
        .stint("managed", "manager L6 2018-01-01 2021-01-01")
        .stint("managed", "tech_lead L6 2021-01-01")
        .nudges();
    assert_eq!(
        nudges,
        [
            "lead lead-without-management info",
            "senior lead-without-management info"
        ]
    );
}

#[test]
fn swing_as_promotion_looks_back_two_years_and_ignores_same_side_moves() {
    let nudges = Org::default()
        .person("up", Yes, None)
        .stint("up", "engineer L5 2020-01-01 2025-01-01")
        .stint("up", "manager L6 2025-01-01")
        .person("old", Yes, None)
        .stint("old", "engineer L5 2012-01-01 2018-01-01")
        .stint("old", "manager L6 2018-01-01 2022-01-01")
        .stint("old", "engineer L6 2022-01-01")
        .person("ic", No, None)
        .stint("ic", "engineer L4 2020-01-01 2025-01-01")
        .stint("ic", "tech_lead L5 2025-01-01")
        .nudges();
    assert_eq!(nudges, ["up swing-as-promotion warn"]);
}

#[test]
fn unwilling_and_unchosen_managers() {
    let nudges = Org::default()
        .person("forced", No, None)
        .stint("forced", "engineer L5 2018-01-01 2026-01-01")
        .stint("forced", "manager L5 2026-01-01 unchosen")
        .person("drafted", Unknown, None)
        .stint("drafted", "engineer L5 2018-01-01 2026-01-01")
        .stint("drafted", "manager L5 2026-01-01 unchosen")
        .nudges();
    assert_eq!(
        nudges,
        [
            "forced unwilling-manager alert",
            "drafted unwilling-manager warn"
        ]
    );
}

const LOW: &[(&str, u8, u8, u8)] = &[
    ("2026-02-01", 2, 2, 3),
    ("2026-04-01", 2, 2, 3),
    ("2026-05-01", 2, 2, 3),
];
const FALLING: &[(&str, u8, u8, u8)] = &[
    ("2026-01-15", 5, 4, 4),
    ("2026-03-01", 4, 4, 4),
    ("2026-05-01", 3, 4, 4),
    ("2026-06-15", 3, 4, 4),
];
const FINE: &[(&str, u8, u8, u8)] = &[("2026-02-01", 4, 4, 4), ("2026-05-01", 4, 4, 4)];

#[test]
fn unhappy_managers_and_the_grace_of_new_ones() {
    let nudges = Org::default()
        .person("low", Yes, None)
        .stint("low", "engineer L5 2018-01-01 2024-09-01")
        .stint("low", "manager L5 2024-09-01")
        .checkins("low", LOW)
        .person("falling", Yes, None)
        .stint("falling", "engineer L5 2018-01-01 2024-09-01")
        .stint("falling", "manager L5 2024-09-01")
        .checkins("falling", FALLING)
        .person("newbie", Yes, None)
        .stint("newbie", "engineer L5 2018-01-01 2025-09-01")
        .stint("newbie", "manager L5 2025-09-01")
        .checkins("newbie", LOW)
        .person("happy", Yes, None)
        .stint("happy", "engineer L5 2018-01-01 2024-09-01")
        .stint("happy", "manager L5 2024-09-01")
        .checkins("happy", FINE)
        .person("old-news", Yes, None)
        .stint("old-news", "engineer L5 2018-01-01 2024-09-01")
        .stint("old-news", "manager L5 2024-09-01")
        .checkins(
            "old-news",
            &[("2025-01-01", 1, 1, 1), ("2025-02-01", 1, 1, 1)],
        )
        // Two low scores are not evidence enough to call managing unhappy.
        .person("thin", Yes, None)
        .stint("thin", "engineer L5 2018-01-01 2024-09-01")
        .stint("thin", "manager L5 2024-09-01")
        .checkins("thin", &LOW[1..])
        .nudges();
    assert_eq!(
        nudges,
        [
            "falling unhappy-manager warn",
            "low unhappy-manager warn",
            "newbie new-manager-grace info"
        ]
    );
}

#[test]
fn itch_needs_a_long_stint_and_low_learning() {
    let nudges = Org::default()
        .person("itchy", Unknown, None)
        .stint("itchy", "engineer L4 2020-01-01")
        .checkins("itchy", &[("2026-02-01", 4, 4, 2), ("2026-05-01", 4, 4, 2)])
        .person("fresh", Unknown, None)
        .stint("fresh", "engineer L4 2024-01-01")
        .checkins("fresh", &[("2026-02-01", 4, 4, 2), ("2026-05-01", 4, 4, 2)])
        .nudges();
    assert_eq!(nudges, ["itchy itch info"]);
}

#[test]
fn trials_ask_for_a_midpoint_review_and_a_decision() {
    let nudges = Org::default()
        .person("overdue", Yes, None)
        .stint("overdue", "engineer L5 2018-01-01 2026-01-01")
        .stint("overdue", "manager L5 2026-01-01 trial=2026-04-30")
        .person("midway", Yes, None)
        .stint("midway", "engineer L5 2018-01-01 2026-04-01")
        .stint("midway", "manager L5 2026-04-01 trial=2026-08-01")
        .person("reviewed", Yes, None)
        .stint("reviewed", "engineer L5 2018-01-01 2026-04-01")
        .stint("reviewed", "manager L5 2026-04-01 trial=2026-08-01")
        .checkins("reviewed", &[("2026-06-05", 4, 4, 4)])
        .nudges();
    assert_eq!(
        nudges,
        ["overdue trial-overdue warn", "midway trial-midpoint info"]
    );
}

#[test]
fn people_without_a_current_stint_and_future_stints_are_ignored() {
    let nudges = Org::default()
        .person("left", No, None)
        .stint("left", "manager L5 2010-01-01 2020-01-01 unchosen")
        .person("future", No, None)
        .stint("future", "manager L5 2027-01-01 unchosen")
        .nudges();
    assert!(nudges.is_empty(), "{nudges:?}");
}
