//! "Should I swing?": the guided self-assessment, whose answers only their author reads.

use std::collections::HashMap;

use super::Form;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::{Nav, PageError, Signed, render};
use pendulum_store::Store;

use crate::{AppError, AppState};

#[derive(Template)]
#[template(path = "reflect.html")]
pub(super) struct ReflectPage {
    nav: Option<Nav>,
    csrf: String,
    statements: Vec<(&'static str, &'static str)>,
    outcome: Option<OutcomeView>,
    error: Option<String>,
    past: Vec<(String, String)>,
}

pub(super) struct OutcomeView {
    direction: &'static str,
    reasons: Vec<String>,
}

pub(super) async fn reflect_view(
    state: &AppState,
    signed: &Signed,
    outcome: Option<OutcomeView>,
    error: Option<String>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let past = state
        .store()
        .reflections(&signed.account.email)
        .await?
        .into_iter()
        .map(|(day, answers)| {
            let direction = serde_json::from_str::<serde_json::Value>(&answers)
                .ok()
                .and_then(|v| v["direction"].as_str().map(str::to_owned))
                .unwrap_or_default();
            (day, direction)
        })
        .collect();
    let page = ReflectPage {
        nav: Some(signed.nav()),
        csrf: signed.csrf.clone(),
        statements: pendulum_core::reflect::STATEMENTS.to_vec(),
        outcome,
        error,
        past,
    };
    Ok((status, render(&page)?).into_response())
}

pub(super) async fn reflect_page(
    State(state): State<AppState>,
    signed: Signed,
) -> Result<Response, PageError> {
    reflect_view(&state, &signed, None, None, StatusCode::OK).await
}

pub(super) async fn reflect(
    State(state): State<AppState>,
    signed: Signed,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    signed.check_csrf(form.get("csrf").map_or("", String::as_str))?;
    let Some(me) = signed.account.person.clone() else {
        return reflect_view(
            &state,
            &signed,
            None,
            Some("This account is not tied to a person of the ledger.".into()),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let score = |key: &str| {
        form.get(key)
            .and_then(|v| v.parse::<u8>().ok())
            .filter(|v| (1..=5).contains(v))
    };
    let keys: Vec<&str> = pendulum_core::reflect::STATEMENTS
        .iter()
        .map(|s| s.0)
        .collect();
    let scores: Option<Vec<u8>> = keys.iter().map(|k| score(k)).collect();
    let Some(scores) = scores else {
        return reflect_view(
            &state,
            &signed,
            None,
            Some("Rate every statement from 1 to 5.".into()),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let answers = pendulum_core::reflect::Answers {
        same_problems: scores[0],
        learning: scores[1],
        joy: scores[2],
        people_pull: scores[3],
        build_pull: scores[4],
        status: scores[5],
    };
    let snapshot = state.snapshot().await?;
    let ledger = &snapshot.ledger;
    let today = chrono::Local::now().date_naive();
    let i = ledger
        .person_index(&me)
        .ok_or_else(|| AppError::NotFound("your person is not in the ledger".into()))?;
    let situation = pendulum_core::reflect::Situation::of(ledger, &snapshot.policy, i, today);
    let outcome = pendulum_core::reflect::assess(&answers, &situation);
    let mut record = serde_json::Map::new();
    for (k, v) in keys.iter().zip(&scores) {
        record.insert((*k).to_owned(), serde_json::json!(v));
    }
    record.insert(
        "direction".into(),
        serde_json::json!(outcome.direction.as_str()),
    );
    state
        .store()
        .save_reflection(
            &signed.account.email,
            &today.to_string(),
            &serde_json::Value::Object(record).to_string(),
        )
        .await?;
    let view = OutcomeView {
        direction: outcome.direction.as_str(),
        reasons: outcome.reasons,
    };
    reflect_view(&state, &signed, Some(view), None, StatusCode::OK).await
}
