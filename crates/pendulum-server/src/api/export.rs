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
use pendulum_core::{Account, PersonId, View};
use pendulum_exchange::{Notes, Reflection, UNNAMED_ORG};
use pendulum_store::Store;
use serde::Deserialize;
use utoipa::IntoParams;

use super::{person_id, visible};
use crate::auth::Authenticated;
use crate::error::ErrorBody;
use crate::{AppError, AppState};

/// The audit log's name for the read.
const EXPORT_PERSON: &str = "export person";

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
    let found = person_id(&id).and_then(|p| visible(&snapshot, &account, &p).map(|(_, v)| (p, v)));
    let (person, view) = match found {
        Ok(found) => found,
        Err(e) => {
            state
                .audit(Some(&account.email), EXPORT_PERSON, Some(&id), "denied")
                .await;
            return Err(e);
        }
    };
    let notes = match (view, query.notes) {
        (View::Own, Some(true)) => Notes::Keep,
        (View::Own, _) => Notes::Strip,
        _ if account.may_administer() => Notes::Strip,
        _ => {
            return Err(state
                .deny(
                    &account,
                    EXPORT_PERSON,
                    Some(person.as_str()),
                    "a person's ledger is exported by the person themselves or an admin",
                )
                .await);
        }
    };
    let reflections = match notes {
        Notes::Keep => reflections_of(&state, &person).await?,
        Notes::Strip => Vec::new(),
    };
    let document = pendulum_exchange::export_personal(
        &snapshot.ledger,
        &person,
        &reflections,
        UNNAMED_ORG,
        notes,
    )
    .ok_or_else(|| AppError::NotFound(format!("no person with id {:?}", person.as_str())))?;
    state
        .audit(
            Some(&account.email),
            EXPORT_PERSON,
            Some(person.as_str()),
            "ok",
        )
        .await;
    Ok(([(header::CONTENT_TYPE, "application/json")], document))
}

/// The reflections of every account of the person.
async fn reflections_of(state: &AppState, person: &PersonId) -> Result<Vec<Reflection>, AppError> {
    let mut reflections = Vec::new();
    let accounts: Vec<Account> = state.store().accounts_of(person).await?;
    for account in accounts {
        for (day, answers) in state.store().reflections(&account.email).await? {
            let reflection = Reflection::parse(&day, &answers).map_err(|e| {
                AppError::Internal(format!(
                    "a stored reflection of {} cannot be read: {e}",
                    account.email
                ))
            })?;
            reflections.push(reflection);
        }
    }
    Ok(reflections)
}
