//! The org overview: health metrics, distributions, the teams left without a manager, and
//! the nudges an account may see.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use pendulum_app::acting::Who;
use pendulum_app::reading::org::{self as reading, UnmanagedTeam};
use pendulum_core::{Scope, Severity};

use super::{AsOfQuery, Nav, NudgeView, PageError, Signed, nudge_views, render};
use crate::AppState;

pub(super) struct Card {
    value: String,
    label: String,
    /// How the value is counted, when the label alone does not say.
    note: Option<String>,
}

pub(super) struct Bucket {
    label: &'static str,
    count: usize,
    width: usize,
}

pub(super) struct Distribution {
    title: &'static str,
    buckets: Vec<Bucket>,
}

#[derive(Template)]
#[template(path = "overview.html")]
pub(super) struct OverviewPage {
    nav: Option<Nav>,
    /// An admin's overview of the org; otherwise a manager's of their line.
    whole_org: bool,
    as_of: NaiveDate,
    cards: Vec<Card>,
    /// The ledger has no git evidence, so the git shares are left out.
    no_git: bool,
    /// How the calendar cards are counted; `None` without calendar evidence, when they are
    /// left out.
    calendar_note: Option<String>,
    distributions: Vec<Distribution>,
    /// Each level on both tracks: (level, hands-on, managers, mean bands, gap).
    ladders: Vec<LadderRow>,
    /// The senior levels only managers hold, in words, when there are any.
    only_managers: Option<String>,
    /// The teams with hands-on members and nobody managing them, each in words.
    unmanaged: Vec<String>,
    alerts: usize,
    warns: usize,
    infos: usize,
    nudges: Vec<NudgeView>,
}

/// A team left without a manager, in words: `platform (since their manager left on
/// 2026-11-30)`.
fn unmanaged_in_words(team: &UnmanagedTeam) -> String {
    match team.manager_left_on {
        Some(on) => format!("{} (since their manager left on {on})", team.team),
        None => team.team.to_string(),
    }
}

pub(super) struct LadderRow {
    level: String,
    hands_on: u32,
    managers: u32,
    hands_on_band: String,
    managers_band: String,
    gap: String,
}

pub(super) fn percent(share: Option<f64>) -> String {
    share.map_or_else(|| "–".into(), |s| format!("{:.0}%", s * 100.0))
}

/// Counts values into labelled ranges of months (or counts), for a small bar chart.
pub(super) fn distribution(
    title: &'static str,
    values: &[f64],
    edges: &[(f64, &'static str)],
) -> Distribution {
    let mut counts = vec![0usize; edges.len()];
    for &v in values {
        let i = edges
            .iter()
            .position(|&(upper, _)| v < upper)
            .unwrap_or(edges.len() - 1);
        counts[i] += 1;
    }
    let most = counts.iter().copied().max().unwrap_or(0).max(1);
    Distribution {
        title,
        buckets: edges
            .iter()
            .zip(counts)
            .map(|(&(_, label), count)| Bucket {
                label,
                count,
                width: count * 120 / most,
            })
            .collect(),
    }
}

pub(super) async fn overview(
    State(state): State<AppState>,
    signed: Signed,
    Query(q): Query<AsOfQuery>,
) -> Result<Response, PageError> {
    if !signed.account.may_see_org_metrics() {
        return Ok(match &signed.account.person {
            Some(p) => Redirect::to(&format!("/people/{p}")).into_response(),
            None => Redirect::to("/people").into_response(),
        });
    }
    let as_of = crate::api::day(q.as_of.as_deref())?;
    let snapshot = state.snapshot().await?;
    let ledger = &snapshot.ledger;
    // A manager sees their line's health, never the org's: every count, share,
    // distribution and nudge below is computed over the people the account may see.
    let who = Who::Account(signed.account.clone());
    let overview = reading::overview(&who, ledger, &snapshot.policy, as_of)?;
    let m = &overview.report.metrics;
    let limit = snapshot.policy.hands_on_distance.alert_months;
    let mut cards = vec![
        Card {
            value: m.people.to_string(),
            label: format!(
                "people ({} managers, {} tech leads, {} hybrids)",
                m.managers, m.tech_leads, m.open_hybrid_stints
            ),
            note: None,
        },
        Card {
            value: percent(m.managers_near_hands_on_share),
            label: format!("managers within {limit} months of hands-on work"),
            note: None,
        },
        Card {
            value: percent(m.tech_leads_with_management_share),
            label: "tech leads who have managed".into(),
            note: None,
        },
        Card {
            value: m
                .swings_per_senior_person
                .map_or("–".into(), |v| format!("{v:.2}")),
            label: "swings per senior person".into(),
            note: None,
        },
        Card {
            value: percent(m.managers_from_within_share),
            label: "managers from within".into(),
            note: None,
        },
        Card {
            value: m.bench_depth.map_or("–".into(), |v| format!("{v:.2}")),
            label: "bench depth per manager seat".into(),
            note: None,
        },
        Card {
            value: m.ladder_parity_violations.to_string(),
            label: "swings booked with a level or pay band change".into(),
            note: None,
        },
    ];
    let h = &snapshot.policy.hands_on_distance;
    let git = [
        (m.managers_git_hands_on_within_warn_share, h.warn_months),
        (m.managers_git_hands_on_within_alert_share, h.alert_months),
    ];
    // Next to the ledger's own hands-on share, when git has been read.
    for (k, (share, months)) in git.into_iter().enumerate() {
        if let Some(share) = share {
            cards.insert(2 + k, Card {
                value: percent(Some(share)),
                label: format!("managers hands-on in git in the last {months} months"),
                note: Some(format!(
                    "Managers and hybrids with a month of at least {} commits, authored or co-authored (merges do not count).",
                    snapshot.policy.git.hands_on_commits
                )),
            });
        }
    }
    let calendar_note = m.calendar.as_ref().map(|c| {
        let groups = [
            ("makers", "engineers and tech leads", c.makers),
            ("managers", "managers and hybrids", c.managers),
        ];
        for (group, who, load) in groups {
            let people = load.map_or(0, |l| l.people);
            let note = Some(format!("{who} with calendar evidence: {people}"));
            let hours = |h: fn(&pendulum_core::metrics::CalendarLoad) -> f64| {
                load.as_ref().map_or("–".into(), |l| format!("{:.1} h", h(l)))
            };
            cards.push(Card {
                value: hours(|l| l.focus_hours),
                label: format!("{group}' focus time a week"),
                note: note.clone(),
            });
            cards.push(Card {
                value: hours(|l| l.meeting_hours),
                label: format!("{group}' meetings a week"),
                note,
            });
        }
        format!(
            "Calendar: mean hours per person and week from {} to {}, the most recent weeks with calendar evidence (at most {}). Focus time is free working time in blocks of at least {} h; makers need it, managers' work lives in meetings.",
            c.first_week,
            c.last_week,
            snapshot.policy.calendar.focus_weeks,
            snapshot.policy.calendar.focus_block_hours,
        )
    });
    let managers = &overview.managers;
    let tenure: Vec<f64> = managers.iter().map(|m| m.tenure_months).collect();
    let distance: Vec<f64> = managers
        .iter()
        .map(|m| m.hands_on_distance_months)
        .collect();
    let spans: Vec<f64> = managers
        .iter()
        .map(|m| f64::from(m.direct_reports))
        .collect();
    let months = [
        (12.0, "< 1 year"),
        (24.0, "1-2 years"),
        (36.0, "2-3 years"),
        (60.0, "3-5 years"),
        (f64::INFINITY, "5+ years"),
    ];
    let distributions = vec![
        distribution("Manager tenure in the current stint", &tenure, &months),
        distribution("Managers' time since hands-on work", &distance, &months),
        distribution(
            "Span of control (direct reports)",
            &spans,
            &[
                (1.0, "0"),
                (4.0, "1-3"),
                (8.0, "4-7"),
                (11.0, "8-10"),
                (f64::INFINITY, "11+"),
            ],
        ),
    ];
    let band = |b: Option<f64>| b.map_or_else(|| "–".to_owned(), |b| format!("{b:.1}"));
    let ladders = m
        .levels
        .iter()
        .map(|l| LadderRow {
            level: l.level.to_string(),
            hands_on: l.hands_on,
            managers: l.managers,
            hands_on_band: band(l.hands_on_band),
            managers_band: band(l.managers_band),
            gap: l
                .band_gap()
                .map_or_else(|| "–".to_owned(), |g| format!("{g:+.1}")),
        })
        .collect();
    let only_managers = (!m.only_managers_above.is_empty()).then(|| {
        let levels: Vec<&str> = m.only_managers_above.iter().map(|l| l.name()).collect();
        format!(
            "Only managers hold {}: the hands-on ladder stops below, so progressing here means managing. A dual ladder needs hands-on people at the top levels too.",
            levels.join(", ")
        )
    });
    let nudges = &overview.report.nudges;
    let count = |s: Severity| nudges.iter().filter(|n| n.severity == s).count();
    let page = OverviewPage {
        nav: Some(signed.nav()),
        whole_org: overview.scope == Scope::Org,
        as_of,
        cards,
        no_git: !overview.git_evidence,
        calendar_note,
        distributions,
        ladders,
        only_managers,
        unmanaged: overview.unmanaged.iter().map(unmanaged_in_words).collect(),
        alerts: count(Severity::Alert),
        warns: count(Severity::Warn),
        infos: count(Severity::Info),
        nudges: nudge_views(nudges, ledger),
    };
    Ok(render(&page)?.into_response())
}
