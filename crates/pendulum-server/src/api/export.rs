//! `GET /api/v1/people/{id}/export`: a person's own ledger, for them to take to another
//! pendulum (see `docs/EXCHANGE.md`).
//!
//! The portable copy of a career is the person's: they may take it, and an admin may hand
//! it to them. A manager reads their reports' careers on the pages, but taking a copy out
//! is not theirs to do, so they are refused (403) where they could see the person, and
//! anyone who could not is told there is no such person (404), as for every read. Check-in
//! notes and reflections are private: only the person's own export carries them, and only
//! when they ask (`?notes=true`), so that a copy meant for a new employer does not carry
//! them by accident. Every export, and every refusal, goes to the audit log.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::IntoResponse;
use pendulum_app::acting::{Action, Who};
use pendulum_app::exchange;
use pendulum_exchange::{Notes, UNNAMED_ORG};
use serde::Deserialize;
use utoipa::IntoParams;

use super::write_target;
use crate::auth::Authenticated;
use crate::error::ErrorBody;
use crate::{AppError, AppState};

/// What the export carries.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct ExportQuery {
    /// `true` to carry check-in notes and reflections: for the person's own export only,
    /// and ignored for anyone else's.
    notes: Option<bool>,
}

/// A person's own ledger as one JSON document (`pendulum-personal-ledger`, version 1): their
/// stints, each naming the org it was lived in, check-ins, answers about managing and
/// evidence. For the person themselves (notes and reflections with `?notes=true`) and
/// admins (never with notes or reflections).
#[utoipa::path(
    get,
    path = "/people/{id}/export",
    tag = "people",
    params(("id" = String, Path, description = "The person's id"), ExportQuery),
    responses(
        (status = 200, description = "The person's ledger, as `pendulum import --person-ledger` reads it", content_type = "application/json", body = String),
        (status = 400, description = "A malformed query", body = ErrorBody),
        (status = 401, description = "No valid API token", body = ErrorBody),
        (status = 403, description = "Neither the person nor an admin (their managers included)", body = ErrorBody),
        (status = 404, description = "No such person, or one the account may not see", body = ErrorBody),
    )
)]
pub(crate) async fn person(
    State(state): State<AppState>,
    Authenticated(account): Authenticated,
    Path(id): Path<String>,
    query: Result<Query<ExportQuery>, QueryRejection>,
) -> Result<impl IntoResponse, AppError> {
    let Query(query) = query.map_err(|e| AppError::BadRequest(e.body_text()))?;
    let snapshot = state.snapshot().await?;
    let person = write_target(&state, &snapshot, &account, &id, Action::ExportPersonal).await?;
    let asked = match query.notes {
        Some(true) => Notes::Keep,
        _ => Notes::Strip,
    };
    let who = Who::Account(account);
    let document = exchange::export_personal(
        state.store(),
        &snapshot.ledger,
        &who,
        &person,
        UNNAMED_ORG,
        asked,
    )
    .await?
    .ok_or_else(|| AppError::NotFound(format!("no person with id {:?}", person.as_str())))?;
    Ok(([(header::CONTENT_TYPE, "application/json")], document))
}
