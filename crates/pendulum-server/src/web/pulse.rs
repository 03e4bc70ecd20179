//! The yearly pendulum pulse: two anonymous questions, results only for large enough groups.

use super::Form;
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use pendulum_core::Account;
use pendulum_store::Store;
use serde::Deserialize;

use super::{Nav, PageError, Signed, render};
use crate::{AppError, AppState};

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
    results: Vec<PulseRow>,
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

pub(super) async fn pulse_view(
    state: &AppState,
    signed: &Signed,
    flash: Option<String>,
) -> Result<Response, PageError> {
    use chrono::Datelike;
    let year = chrono::Local::now().date_naive().year();
    let snapshot = state.snapshot().await?;
    let min_group = snapshot.policy.pulse.min_group_size;
    let answered = state
        .store()
        .answered_pulse(&signed.account.email, year)
        .await?;
    let group = pulse_group(&snapshot, &signed.account);
    let (can_answer, why_not) = match (answered, group) {
        (true, _) => (
            false,
            "You have answered this year's pulse. Thank you.".to_owned(),
        ),
        (false, None) => (
            false,
            "Only people with a current role in the ledger answer the pulse.".to_owned(),
        ),
        (false, Some(_)) => (true, String::new()),
    };
    let answers = state.store().pulse_answers(year).await?;
    let results = [("engineers and tech leads", false), ("managers", true)]
        .into_iter()
        .map(|(label, manager)| {
            let group: Vec<_> = answers.iter().filter(|a| a.manager == manager).collect();
            // Small groups are never shown: with three answers, anyone could guess whose is whose.
            if group.len() < min_group as usize {
                return PulseRow {
                    group: label,
                    count: format!("fewer than {min_group}"),
                    manage: "hidden".into(),
                    status: "hidden".into(),
                };
            }
            let mean = |f: fn(&pendulum_store::PulseAnswer) -> u8| {
                group.iter().map(|a| f64::from(f(a))).sum::<f64>() / group.len() as f64
            };
            PulseRow {
                group: label,
                count: group.len().to_string(),
                manage: format!("{:.1}", mean(|a| a.must_manage_to_grow)),
                status: format!("{:.1}", mean(|a| a.fear_going_back)),
            }
        })
        .collect();
    let page = PulsePage {
        nav: Some(signed.nav()),
        csrf: signed.csrf.clone(),
        year,
        min_group,
        can_answer,
        why_not,
        flash,
        results,
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
    use chrono::Datelike;
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
    let answer = pendulum_store::PulseAnswer {
        year: chrono::Local::now().date_naive().year(),
        manager,
        must_manage_to_grow: form.must_manage_to_grow,
        fear_going_back: form.fear_going_back,
    };
    let fresh = state
        .store()
        .answer_pulse(&signed.account.email, &answer)
        .await?;
    let flash = if fresh {
        "Thank you: your answer is stored without your name."
    } else {
        "You had already answered this year."
    };
    pulse_view(&state, &signed, Some(flash.to_owned())).await
}
