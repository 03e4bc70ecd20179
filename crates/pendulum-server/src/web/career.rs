//! The person page's forms that correct a career: a stint corrected or deleted (an admin or
//! a manager above the person), a check-in deleted (its author or an admin), a departure
//! and a return (an admin). Each is parsed by `crate::career` and authorized and written by
//! `pendulum_app::career`, exactly as over the API; what the ledger refuses is shown on the
//! page, every problem named.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use pendulum_app::Db;
use pendulum_app::acting::{Action, Who};
use pendulum_app::career as app;
use pendulum_core::StintKey;
use serde::Deserialize;

use super::person::refused_with;
use super::{Form, PageError, Signed};
use crate::api::write_target;
use crate::career::{self, stint_target};
use crate::state::Snapshot;
use crate::{AppError, AppState};

/// Where a form ends: back on the person page with `done` confirmed, or with the problems
/// the ledger found shown where the user wrote them. Anything else (not found, forbidden,
/// a fault) is an error page.
async fn outcome(
    state: &AppState,
    signed: &Signed,
    id: &str,
    result: Result<(), AppError>,
    done: &str,
) -> Result<Response, PageError> {
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/people/{id}?done={done}")).into_response()),
        Err(e @ (AppError::Invalid(_) | AppError::Unprocessable(_))) => {
            refused_with(
                state,
                signed,
                id,
                e.to_string(),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(AppError::Conflict(message)) => {
            refused_with(state, signed, id, message, StatusCode::CONFLICT).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub(super) struct StintForm {
    csrf: String,
    start: String,
    end: String,
    role: String,
    team: String,
    level: String,
    band: String,
}

pub(super) async fn correct_stint(
    State(state): State<AppState>,
    signed: Signed,
    Path((id, start)): Path<(String, String)>,
    Form(form): Form<StintForm>,
) -> Result<Response, PageError> {
    signed.check_csrf(&form.csrf)?;
    let snapshot = state.snapshot().await?;
    let (pid, start) = stint_target(
        &state,
        &snapshot,
        &signed.account,
        &id,
        &start,
        Action::EditStint,
    )
    .await?;
    // The form sends every field; those left as they were change nothing.
    let fields = career::StintFields {
        start: Some(&form.start),
        end: Some(Some(&form.end)),
        role: Some(&form.role),
        team: Some(Some(&form.team)),
        level: Some(&form.level),
        band: Some(Some(form.band.clone())),
        chosen: None,
        trial_end: None,
    };
    let result = async {
        let edit = fields.parse(&snapshot)?;
        let who = Who::Account(signed.account.clone());
        let key = StintKey::Start(start);
        state
            .write(async |store: &Db, s: &Snapshot| {
                app::edit_stint(store, &s.ledger, &who, &pid, key, &edit).await
            })
            .await
            .map(drop)
    }
    .await;
    outcome(&state, &signed, &id, result, "stint").await
}

#[derive(Deserialize)]
pub(super) struct CsrfOnly {
    csrf: String,
}

pub(super) async fn delete_stint(
    State(state): State<AppState>,
    signed: Signed,
    Path((id, start)): Path<(String, String)>,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, PageError> {
    signed.check_csrf(&form.csrf)?;
    let snapshot = state.snapshot().await?;
    let (pid, start) = stint_target(
        &state,
        &snapshot,
        &signed.account,
        &id,
        &start,
        Action::DeleteStint,
    )
    .await?;
    let who = Who::Account(signed.account.clone());
    let key = StintKey::Start(start);
    let result = state
        .write(async |store: &Db, s: &Snapshot| {
            app::delete_stint(store, &s.ledger, &who, &pid, key).await
        })
        .await
        .map(drop);
    outcome(&state, &signed, &id, result, "stint-deleted").await
}

pub(super) async fn delete_checkin(
    State(state): State<AppState>,
    signed: Signed,
    Path((id, date)): Path<(String, String)>,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, PageError> {
    signed.check_csrf(&form.csrf)?;
    let snapshot = state.snapshot().await?;
    let pid = write_target(
        &state,
        &snapshot,
        &signed.account,
        &id,
        Action::DeleteCheckIn,
    )
    .await?;
    let date = crate::api::parse_date(&date, "date")?;
    let who = Who::Account(signed.account.clone());
    let result = state
        .write(async |store: &Db, s: &Snapshot| {
            app::delete_checkin(store, &s.ledger, &who, &pid, date).await
        })
        .await
        .map(drop);
    outcome(&state, &signed, &id, result, "checkin-deleted").await
}

#[derive(Deserialize)]
pub(super) struct LeaveForm {
    csrf: String,
    on: String,
    reason: Option<String>,
    reports_to: Option<String>,
}

pub(super) async fn leave(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
    Form(form): Form<LeaveForm>,
) -> Result<Response, PageError> {
    signed.check_csrf(&form.csrf)?;
    let snapshot = state.snapshot().await?;
    let pid = write_target(&state, &snapshot, &signed.account, &id, Action::Leave).await?;
    let fields = career::LeaveFields {
        on: &form.on,
        reason: form.reason.as_deref(),
        reports_to: form.reports_to.as_deref(),
    };
    let result = async {
        let request = fields.parse(&pid)?;
        let who = Who::Account(signed.account.clone());
        state
            .write(async |store: &Db, s: &Snapshot| {
                app::leave(store, &s.ledger, &who, &request).await
            })
            .await
            .map(drop)
    }
    .await;
    outcome(&state, &signed, &id, result, "leave").await
}

#[derive(Deserialize)]
pub(super) struct ReturnForm {
    csrf: String,
    on: String,
    role: String,
    team: Option<String>,
    level: Option<String>,
    band: Option<String>,
    manager: Option<String>,
}

pub(super) async fn return_to_work(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
    Form(form): Form<ReturnForm>,
) -> Result<Response, PageError> {
    signed.check_csrf(&form.csrf)?;
    let snapshot = state.snapshot().await?;
    let pid = write_target(&state, &snapshot, &signed.account, &id, Action::Return).await?;
    let fields = career::ReturnFields {
        on: &form.on,
        role: &form.role,
        team: form.team.as_deref(),
        level: form.level.as_deref(),
        band: form.band.as_deref(),
        manager: form.manager.as_deref(),
    };
    let result = async {
        let request = fields.parse(&pid, &snapshot)?;
        let who = Who::Account(signed.account.clone());
        state
            .write(async |store: &Db, s: &Snapshot| {
                app::return_to_work(store, &s.ledger, &who, &request).await
            })
            .await
            .map(drop)
    }
    .await;
    outcome(&state, &signed, &id, result, "return").await
}
