//! The yearly pendulum pulse: two anonymous questions, results only for large enough groups,
//! and the closed years compared with one another.

use std::fmt;

use super::Form;
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use chrono::{Datelike, NaiveDate};
use pendulum_core::{Account, Policy};
use pendulum_store::{GroupTally, PulseTally, Store};
use serde::Deserialize;

use super::{Nav, PageError, Signed, render};
use crate::{AppError, AppState};

/// The most closed years the comparison shows.
const YEARS_COMPARED: u32 = 10;

/// Where one group's counts are in a year's tally.
type GroupOf = fn(&PulseTally) -> &GroupTally;

/// The groups of the results, in the order of their rows.
const GROUPS: [(&str, GroupOf); 2] = [
    ("engineers and tech leads", |tally| &tally.hands_on),
    ("managers", |tally| &tally.managers),
];

pub(super) struct PulseRow {
    group: &'static str,
    count: String,
    manage: String,
    status: String,
}

#[derive(Template)]
#[template(path = "pulse.html")]
pub(super) struct PulsePage {
    nav: Option<Nav>,
    csrf: String,
    year: i32,
    min_group: u32,
    can_answer: bool,
    why_not: String,
    flash: Option<String>,
    /// The last day this year's pulse takes answers, unless an admin closes it first.
    closes_on: NaiveDate,
    /// This year's pulse is closed (by date or by an admin).
    closed: bool,
    /// An admin may close this year's pulse now.
    may_close: bool,
    /// The year whose results are shown: this one once closed, the one before otherwise.
    results_year: i32,
    results: Vec<PulseRow>,
    years_compared: u32,
    /// The closed years with answers, newest first, a row per group.
    years: Vec<YearRow>,
}

/// One group's results in one closed year of the comparison.
pub(super) struct YearRow {
    year: i32,
    group: &'static str,
    /// `None` when the group was smaller than the policy's smallest shown group that year.
    figures: Option<YearFigures>,
}

pub(super) struct YearFigures {
    count: u32,
    manage: String,
    /// Against the year below in the table; "–" when that year's figure is hidden or absent.
    manage_change: String,
    status: String,
    status_change: String,
}

/// A mean score rounded to tenths, as the page shows it. Changes are taken between these, so
/// a change always matches the two figures it compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Tenths(i64);

impl Tenths {
    fn mean(counts: &[u32; 5]) -> Option<Self> {
        // Means lie between 1 and 5, so the cast loses nothing.
        GroupTally::mean(counts).map(|m| Self((m * 10.0).round() as i64))
    }

    /// The change from `earlier` to `self`, signed ("+0.3", "−1.0", "0.0").
    fn change_since(self, earlier: Self) -> String {
        let delta = self.0 - earlier.0;
        let sign = match delta.signum() {
            1 => "+",
            -1 => "\u{2212}",
            _ => "",
        };
        format!("{sign}{}", Self(delta.abs()))
    }

    fn shown(counts: &[u32; 5]) -> String {
        Self::mean(counts).map_or_else(|| "–".into(), |m| m.to_string())
    }
}

impl fmt::Display for Tenths {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.0 / 10, self.0 % 10)
    }
}

/// The comparison's rows from closed years' tallies, newest first. A group below
/// `min_group` in a year shows no figures that year, and no change is taken from or to a
/// hidden figure: that would give it away as surely as showing it.
fn compare_years(tallies: &[(i32, PulseTally)], min_group: u32) -> Vec<YearRow> {
    let shown = |group: &GroupTally| group.answers() >= min_group;
    let mut rows = Vec::with_capacity(tallies.len() * GROUPS.len());
    for (i, (year, tally)) in tallies.iter().enumerate() {
        let earlier_tally = tallies.get(i + 1).map(|(_, earlier)| earlier);
        for (label, group_of) in GROUPS {
            let group = group_of(tally);
            let earlier = earlier_tally.map(group_of).filter(|g| shown(g));
            let figures = shown(group).then(|| YearFigures {
                count: group.answers(),
                manage: Tenths::shown(&group.must_manage_to_grow),
                manage_change: change(
                    &group.must_manage_to_grow,
                    earlier.map(|g| &g.must_manage_to_grow),
                ),
                status: Tenths::shown(&group.fear_going_back),
                status_change: change(&group.fear_going_back, earlier.map(|g| &g.fear_going_back)),
            });
            rows.push(YearRow {
                year: *year,
                group: label,
                figures,
            });
        }
    }
    rows
}

/// The change of one statement's mean since the year before, "–" without a shown figure
/// that year.
fn change(now: &[u32; 5], earlier: Option<&[u32; 5]>) -> String {
    match (Tenths::mean(now), earlier.and_then(Tenths::mean)) {
        (Some(now), Some(earlier)) => now.change_since(earlier),
        _ => "–".into(),
    }
}

/// The tallies of the closed years with answers, newest first, at most [`YEARS_COMPARED`].
/// An open year is left out whatever it holds, like the results above.
async fn closed_tallies(
    state: &AppState,
    policy: &Policy,
) -> Result<Vec<(i32, PulseTally)>, PageError> {
    let mut tallies = Vec::new();
    // One more than shown: this year's may be open, and then it is skipped.
    for year in state.store().pulse_years(YEARS_COMPARED + 1).await? {
        if closed(state, policy, year).await? {
            tallies.push((year, state.store().pulse_tally(year).await?));
        }
    }
    tallies.truncate(YEARS_COMPARED as usize);
    Ok(tallies)
}

/// The group an account answers in: by the role its person holds today.
pub(super) fn pulse_group(snapshot: &crate::state::Snapshot, account: &Account) -> Option<bool> {
    let today = chrono::Local::now().date_naive();
    let i = snapshot.ledger.person_index(account.person.as_ref()?)?;
    let current = snapshot
        .ledger
        .stints_of(i)
        .iter()
        .rev()
        .find(|s| s.covers(today))?;
    Some(current.role.manages())
}

/// Whether the pulse of `year` takes no more answers: its day in the policy has passed, or
/// an admin closed it.
async fn closed(state: &AppState, policy: &Policy, year: i32) -> Result<bool, PageError> {
    let today = chrono::Local::now().date_naive();
    Ok(policy.pulse.closed_by_date(year, today) || state.store().pulse_closed(year).await?)
}

async fn pulse_view(
    state: &AppState,
    signed: &Signed,
    flash: Option<String>,
) -> Result<Response, PageError> {
    let year = chrono::Local::now().date_naive().year();
    let snapshot = state.snapshot().await?;
    let policy = &snapshot.policy;
    let min_group = policy.pulse.min_group_size;
    let closed = closed(state, policy, year).await?;
    let answered = state
        .store()
        .answered_pulse(&signed.account.email, year)
        .await?;
    let group = pulse_group(&snapshot, &signed.account);
    let (can_answer, why_not) = match (closed, answered, group) {
        (_, true, _) => (
            false,
            "You have answered this year's pulse. Thank you.".to_owned(),
        ),
        (true, false, _) => (
            false,
            "This year's pulse is closed; the next one opens in January.".to_owned(),
        ),
        (false, false, None) => (
            false,
            "Only people with a current role in the ledger answer the pulse.".to_owned(),
        ),
        (false, false, Some(_)) => (true, String::new()),
    };
    // An open pulse shows nothing of itself: results read before and after one answer
    // would give that answer away. Last year's pulse closed long ago.
    let results_year = if closed { year } else { year - 1 };
    let tally = state.store().pulse_tally(results_year).await?;
    let results = [
        ("engineers and tech leads", &tally.hands_on),
        ("managers", &tally.managers),
    ]
    .into_iter()
    .map(|(label, group)| {
        let count = group.answers();
        // Small groups are never shown: with three answers, anyone could guess whose is whose.
        if count < min_group {
            return PulseRow {
                group: label,
                count: format!("fewer than {min_group}"),
                manage: "hidden".into(),
                status: "hidden".into(),
            };
        }
        PulseRow {
            group: label,
            count: count.to_string(),
            manage: Tenths::shown(&group.must_manage_to_grow),
            status: Tenths::shown(&group.fear_going_back),
        }
    })
    .collect();
    let years = compare_years(&closed_tallies(state, policy).await?, min_group);
    let page = PulsePage {
        nav: Some(signed.nav()),
        csrf: signed.csrf.clone(),
        year,
        min_group,
        can_answer,
        why_not,
        flash,
        closes_on: policy.pulse.closes_on.in_year(year),
        closed,
        may_close: signed.account.may_administer() && !closed,
        results_year,
        results,
        years_compared: YEARS_COMPARED,
        years,
    };
    Ok(render(&page)?.into_response())
}

pub(super) async fn pulse_page(
    State(state): State<AppState>,
    signed: Signed,
) -> Result<Response, PageError> {
    pulse_view(&state, &signed, None).await
}

#[derive(Deserialize)]
pub(super) struct PulseForm {
    csrf: String,
    must_manage_to_grow: u8,
    fear_going_back: u8,
}

pub(super) async fn answer_pulse(
    State(state): State<AppState>,
    signed: Signed,
    Form(form): Form<PulseForm>,
) -> Result<Response, PageError> {
    signed.check_csrf(&form.csrf)?;
    let in_range = |v: u8| (1..=5).contains(&v);
    if !in_range(form.must_manage_to_grow) || !in_range(form.fear_going_back) {
        return Err(AppError::Unprocessable("answers are from 1 to 5".into()).into());
    }
    let snapshot = state.snapshot().await?;
    let Some(manager) = pulse_group(&snapshot, &signed.account) else {
        return Err(
            AppError::Forbidden("only people with a current role answer the pulse".into()).into(),
        );
    };
    let year = chrono::Local::now().date_naive().year();
    if closed(&state, &snapshot.policy, year).await? {
        return Err(AppError::Conflict("this year's pulse is closed".into()).into());
    }
    let answer = pendulum_store::PulseAnswer {
        year,
        manager,
        must_manage_to_grow: form.must_manage_to_grow,
        fear_going_back: form.fear_going_back,
    };
    let fresh = state
        .store()
        .answer_pulse(&signed.account.email, &answer)
        .await?;
    let flash = if fresh {
        "Thank you: your answer is counted without your name."
    } else {
        "You had already answered this year, or the pulse has just closed."
    };
    pulse_view(&state, &signed, Some(flash.to_owned())).await
}

#[derive(Deserialize)]
pub(super) struct CsrfForm {
    csrf: String,
}

/// An admin closes this year's pulse before its day, so its results can be read.
pub(super) async fn close_pulse(
    State(state): State<AppState>,
    signed: Signed,
    Form(form): Form<CsrfForm>,
) -> Result<Response, PageError> {
    signed.check_csrf(&form.csrf)?;
    let year = chrono::Local::now().date_naive().year();
    if !signed.account.may_administer() {
        return Err(state
            .deny(
                &signed.account,
                "close pulse",
                Some(&year.to_string()),
                "only an admin closes the pulse",
            )
            .await
            .into());
    }
    let fresh = state.store().close_pulse(year).await?;
    state
        .audit(
            Some(&signed.account.email),
            "close pulse",
            Some(&year.to_string()),
            "ok",
        )
        .await;
    let flash = if fresh {
        format!("The {year} pulse is closed; its results are below.")
    } else {
        format!("The {year} pulse was already closed.")
    };
    pulse_view(&state, &signed, Some(flash)).await
}
