//! The API of a whole career: leaving and coming back, corrections of a person and of
//! their stints, deleting a check-in, the history of corrections, and erasing a person.
//! Each handler parses the request (`crate::career` parses the fields, shared with the
//! pages), calls the use case of `pendulum_app::career`, which asks
//! `pendulum_core::access` and writes, and renders what it did.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use pendulum_app::Db;
use pendulum_app::acting::{Action, Who};
use pendulum_app::career as app;
use pendulum_core::{PersonId, StintKey};
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::ToSchema;

use super::{PersonDto, StintDto, parse_date, person_dto, visible, write_target};
use crate::auth::Authenticated;
use crate::career::{self, stint_target};
use crate::error::ErrorBody;
use crate::state::Snapshot;
use crate::{AppError, AppState};

/// A field that may be absent (left as it is) or `null` (cleared): `Some(None)` is `null`.
fn nullable<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

/// A person leaving the org.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct NewLeave {
    /// The first day they are gone (YYYY-MM-DD); their current stint ends on it.
    on: String,
    /// Why, in a sentence of at most 500 characters.
    reason: Option<String>,
    /// The id of who their direct reports report to from then on; without it, they have no
    /// manager.
    reports_to: Option<String>,
}

/// A departure as recorded, and what became of the person's reports.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Departure)]
struct LeftDto {
    person: String,
    on: String,
    reason: Option<String>,
    /// The direct reports who now have no manager.
    without_manager: Vec<String>,
    /// The direct reports who now report to `reports_to`.
    moved: Vec<String>,
}

fn ids(v: &[PersonId]) -> Vec<String> {
    v.iter().map(ToString::to_string).collect()
}

/// Records that a person left the org; for admins. Their current stint ends on the day,
/// they report to no one and belong to no team, and their reports move to `reports_to` or
/// are left without a manager.
#[utoipa::path(
    post,
    path = "/people/{id}/leave",
    tag = "career",
    params(("id" = String, Path, description = "The person's id")),
    request_body = NewLeave,
    responses(
        (status = 200, description = "The departure, with who now has no manager and who moved", body = LeftDto),
        (status = 400, description = "A body that is not the JSON of a departure", body = ErrorBody),
        (status = 401, description = "No valid API token", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 404, description = "No such person, or one the account may not see", body = ErrorBody),
        (status = 409, description = "The person already left", body = ErrorBody),
        (status = 413, description = "A body over 64 KB", body = ErrorBody),
        (status = 415, description = "A body that is not `application/json`", body = ErrorBody),
        (status = 422, description = "Every field the ledger refuses (a malformed or too early date, an unknown or departed `reports_to`, a reason too long), each named", body = ErrorBody),
    )
)]
pub(crate) async fn leave(
    State(state): State<AppState>,
    Authenticated(account): Authenticated,
    Path(id): Path<String>,
    body: Result<Json<NewLeave>, JsonRejection>,
) -> Result<Response, AppError> {
    let snapshot = state.snapshot().await?;
    let id = write_target(&state, &snapshot, &account, &id, Action::Leave).await?;
    let Json(body) = body?;
    let request = career::LeaveFields {
        on: &body.on,
        reason: body.reason.as_deref(),
        reports_to: body.reports_to.as_deref(),
    }
    .parse(&id)?;
    let who = Who::Account(account);
    let leave = state
        .write(async |store: &Db, s: &Snapshot| app::leave(store, &s.ledger, &who, &request).await)
        .await?;
    let snapshot = state.snapshot().await?;
    let departure = snapshot
        .ledger
        .person(&id)
        .and_then(|p| p.departure.clone());
    Ok(Json(LeftDto {
        person: id.to_string(),
        on: request.on.to_string(),
        reason: departure.and_then(|d| d.reason),
        without_manager: ids(&leave.without_manager),
        moved: ids(&leave.moved),
    })
    .into_response())
}

/// A person who left coming back.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct NewReturn {
    /// The first day back (YYYY-MM-DD), on or after the day they left.
    on: String,
    /// `engineer`, `tech_lead`, `manager` or `hybrid`.
    role: String,
    team: Option<String>,
    /// The level to come back at; the level they left with when absent.
    level: Option<String>,
    #[schema(minimum = 0, maximum = 999)]
    band: Option<u16>,
    /// The id of their manager from then on.
    manager: Option<String>,
}

/// Records that a person who left came back, in a new stint; for admins.
#[utoipa::path(
    post,
    path = "/people/{id}/return",
    tag = "career",
    params(("id" = String, Path, description = "The person's id")),
    request_body = NewReturn,
    responses(
        (status = 201, description = "The stint they came back in", body = StintDto),
        (status = 400, description = "A body that is not the JSON of a return", body = ErrorBody),
        (status = 401, description = "No valid API token", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 404, description = "No such person, or one the account may not see", body = ErrorBody),
        (status = 409, description = "The person has not left", body = ErrorBody),
        (status = 413, description = "A body over 64 KB", body = ErrorBody),
        (status = 415, description = "A body that is not `application/json`", body = ErrorBody),
        (status = 422, description = "Every field the ledger refuses (a date before they left, an unknown role, level, team or manager), each named", body = ErrorBody),
    )
)]
pub(crate) async fn return_to_work(
    State(state): State<AppState>,
    Authenticated(account): Authenticated,
    Path(id): Path<String>,
    body: Result<Json<NewReturn>, JsonRejection>,
) -> Result<Response, AppError> {
    let snapshot = state.snapshot().await?;
    let id = write_target(&state, &snapshot, &account, &id, Action::Return).await?;
    let Json(body) = body?;
    let band = body.band.map(|b| b.to_string());
    let request = career::ReturnFields {
        on: &body.on,
        role: &body.role,
        team: body.team.as_deref(),
        level: body.level.as_deref(),
        band: band.as_deref(),
        manager: body.manager.as_deref(),
    }
    .parse(&id, &snapshot)?;
    let who = Who::Account(account);
    let change = state
        .write(async |store: &Db, s: &Snapshot| {
            app::return_to_work(store, &s.ledger, &who, &request).await
        })
        .await?;
    let stint = change
        .stints
        .first()
        .ok_or_else(|| AppError::Internal("a return without its stint".into()))?;
    Ok((StatusCode::CREATED, Json(StintDto::new(stint))).into_response())
}

/// A correction of a person's record: each field given is set.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct PersonPatch {
    name: Option<String>,
    email: Option<String>,
    /// Every other address of theirs; replaces the ones recorded.
    aliases: Option<Vec<String>>,
    /// The id of their manager; `null` leaves them without one.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>, nullable)]
    manager: Option<Option<String>>,
    /// Their team; `null` leaves them without one.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>, nullable)]
    team: Option<Option<String>>,
}

/// Corrects a person's record (name, addresses, manager, team); for admins.
#[utoipa::path(
    patch,
    path = "/people/{id}",
    tag = "career",
    params(("id" = String, Path, description = "The person's id")),
    request_body = PersonPatch,
    responses(
        (status = 200, description = "The person as corrected", body = PersonDto),
        (status = 400, description = "A body that is not the JSON of a correction", body = ErrorBody),
        (status = 401, description = "No valid API token", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 404, description = "No such person, or one the account may not see", body = ErrorBody),
        (status = 413, description = "A body over 64 KB", body = ErrorBody),
        (status = 415, description = "A body that is not `application/json`", body = ErrorBody),
        (status = 422, description = "Every field that cannot be taken or that the ledger refuses (a malformed address, an unknown or departed manager, a loop in the reporting line, nothing changed), each named", body = ErrorBody),
    )
)]
pub(crate) async fn edit_person(
    State(state): State<AppState>,
    Authenticated(account): Authenticated,
    Path(id): Path<String>,
    body: Result<Json<PersonPatch>, JsonRejection>,
) -> Result<Response, AppError> {
    let snapshot = state.snapshot().await?;
    let id = write_target(&state, &snapshot, &account, &id, Action::EditPerson).await?;
    let Json(body) = body?;
    let edit = career::PersonFields {
        name: body.name.as_deref(),
        email: body.email.as_deref(),
        aliases: body
            .aliases
            .as_ref()
            .map(|a| a.iter().map(String::as_str).collect()),
        manager: body.manager.as_ref().map(Option::as_deref),
        team: body.team.as_ref().map(Option::as_deref),
    }
    .parse()?;
    let who = Who::Account(account.clone());
    state
        .write(async |store: &Db, s: &Snapshot| {
            app::edit_person(store, &s.ledger, &who, &id, &edit).await
        })
        .await?;
    let snapshot = state.snapshot().await?;
    let (i, _) = visible(&snapshot, &account, &id)?;
    let today = chrono::Local::now().date_naive();
    Ok(Json(person_dto(&snapshot, i, today)).into_response())
}

/// A correction of one stint: each field given is set.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct StintPatch {
    /// The first day of the stint (YYYY-MM-DD).
    start: Option<String>,
    /// The first day no longer in it; `null` reopens it.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>, nullable)]
    end: Option<Option<String>>,
    /// `engineer`, `tech_lead`, `manager` or `hybrid`.
    role: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>, nullable)]
    team: Option<Option<String>>,
    level: Option<String>,
    /// The pay band, 0 to 999; `null` for none.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<u16>, nullable, minimum = 0, maximum = 999)]
    band: Option<Option<u16>>,
    chosen: Option<bool>,
    /// The day a trial ends; `null` makes the stint no trial.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>, nullable)]
    trial_end: Option<Option<String>>,
}

const STINT_PARAMS: &str = "The first day of the stint (YYYY-MM-DD)";

/// Corrects one stint; for an admin or a manager above the person, never the person
/// themselves, and never a stint brought from another org.
#[utoipa::path(
    patch,
    path = "/people/{id}/stints/{start}",
    tag = "career",
    params(
        ("id" = String, Path, description = "The person's id"),
        ("start" = String, Path, description = STINT_PARAMS),
    ),
    request_body = StintPatch,
    responses(
        (status = 200, description = "The stint as corrected", body = StintDto),
        (status = 400, description = "A body that is not the JSON of a correction, or a malformed `start`", body = ErrorBody),
        (status = 401, description = "No valid API token", body = ErrorBody),
        (status = 403, description = "The person's own stint, one brought from another org, or neither an admin nor a manager above them; the message says which", body = ErrorBody),
        (status = 404, description = "No such person or stint, or a person the account may not see", body = ErrorBody),
        (status = 413, description = "A body over 64 KB", body = ErrorBody),
        (status = 415, description = "A body that is not `application/json`", body = ErrorBody),
        (status = 422, description = "Every field that cannot be taken or that the ledger refuses (overlapping stints, an end before the start, nothing changed), each named", body = ErrorBody),
    )
)]
pub(crate) async fn edit_stint(
    State(state): State<AppState>,
    Authenticated(account): Authenticated,
    Path((id, start)): Path<(String, String)>,
    body: Result<Json<StintPatch>, JsonRejection>,
) -> Result<Response, AppError> {
    let snapshot = state.snapshot().await?;
    let (id, start) =
        stint_target(&state, &snapshot, &account, &id, &start, Action::EditStint).await?;
    let Json(body) = body?;
    let edit = career::StintFields {
        start: body.start.as_deref(),
        end: body.end.as_ref().map(Option::as_deref),
        role: body.role.as_deref(),
        team: body.team.as_ref().map(Option::as_deref),
        level: body.level.as_deref(),
        band: body.band.map(|b| b.map(|b| b.to_string())),
        chosen: body.chosen,
        trial_end: body.trial_end.as_ref().map(Option::as_deref),
    }
    .parse(&snapshot)?;
    let who = Who::Account(account);
    let key = StintKey::Start(start);
    let change = state
        .write(async |store: &Db, s: &Snapshot| {
            app::edit_stint(store, &s.ledger, &who, &id, key, &edit).await
        })
        .await?;
    let stint = change
        .stints
        .first()
        .ok_or_else(|| AppError::Internal("a stint correction without its stint".into()))?;
    Ok(Json(StintDto::new(stint)).into_response())
}

/// Deletes one stint; for an admin or a manager above the person, never the person
/// themselves, and never a stint brought from another org.
#[utoipa::path(
    delete,
    path = "/people/{id}/stints/{start}",
    tag = "career",
    params(
        ("id" = String, Path, description = "The person's id"),
        ("start" = String, Path, description = STINT_PARAMS),
    ),
    responses(
        (status = 204, description = "The stint is deleted"),
        (status = 400, description = "A malformed `start`", body = ErrorBody),
        (status = 401, description = "No valid API token", body = ErrorBody),
        (status = 403, description = "The person's own stint, one brought from another org, or neither an admin nor a manager above them; the message says which", body = ErrorBody),
        (status = 404, description = "No such person or stint, or a person the account may not see", body = ErrorBody),
        (status = 422, description = "A deletion the ledger refuses, each problem named", body = ErrorBody),
    )
)]
pub(crate) async fn delete_stint(
    State(state): State<AppState>,
    Authenticated(account): Authenticated,
    Path((id, start)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let snapshot = state.snapshot().await?;
    let (id, start) = stint_target(
        &state,
        &snapshot,
        &account,
        &id,
        &start,
        Action::DeleteStint,
    )
    .await?;
    let who = Who::Account(account);
    let key = StintKey::Start(start);
    state
        .write(async |store: &Db, s: &Snapshot| {
            app::delete_stint(store, &s.ledger, &who, &id, key).await
        })
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Deletes a check-in; its author or an admin may. The history keeps only that it was
/// deleted, never its scores or note.
#[utoipa::path(
    delete,
    path = "/people/{id}/checkins/{date}",
    tag = "check-ins",
    params(
        ("id" = String, Path, description = "The person's id"),
        ("date" = String, Path, description = "The day of the check-in (YYYY-MM-DD)"),
    ),
    responses(
        (status = 204, description = "The check-in is deleted"),
        (status = 400, description = "A malformed `date`", body = ErrorBody),
        (status = 401, description = "No valid API token", body = ErrorBody),
        (status = 403, description = "Neither the person nor an admin", body = ErrorBody),
        (status = 404, description = "No such person or check-in, or a person the account may not see", body = ErrorBody),
    )
)]
pub(crate) async fn delete_checkin(
    State(state): State<AppState>,
    Authenticated(account): Authenticated,
    Path((id, date)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let snapshot = state.snapshot().await?;
    let id = write_target(&state, &snapshot, &account, &id, Action::DeleteCheckIn).await?;
    let date = parse_date(&date, "date")?;
    let who = Who::Account(account);
    state
        .write(async |store: &Db, s: &Snapshot| {
            app::delete_checkin(store, &s.ledger, &who, &id, date).await
        })
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// One correction: who changed which field of which record, and when.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = HistoryEntry)]
struct HistoryEntryDto {
    /// When, in UTC, as `YYYY-MM-DD HH:MM:SS`.
    at: String,
    /// Who: an account's email, or the command line and its user.
    actor: String,
    /// Which record, such as `stint from 2024-03-01`, `person`, `check-in of 2025-01-06`.
    record: String,
    /// Which field of it; `*` for the whole record.
    field: String,
    before: Option<String>,
    after: Option<String>,
}

/// The corrections of a person, oldest first.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = History)]
struct HistoryDto {
    history: Vec<HistoryEntryDto>,
}

/// The history of a person's record: every correction, departure and return, with who
/// made it; for admins.
#[utoipa::path(
    get,
    path = "/people/{id}/history",
    tag = "career",
    params(("id" = String, Path, description = "The person's id")),
    responses(
        (status = 200, description = "The corrections, oldest first", body = HistoryDto),
        (status = 401, description = "No valid API token", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 404, description = "No such person, or one the account may not see", body = ErrorBody),
    )
)]
pub(crate) async fn history(
    State(state): State<AppState>,
    Authenticated(account): Authenticated,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let snapshot = state.snapshot().await?;
    let id = write_target(&state, &snapshot, &account, &id, Action::ReadHistory).await?;
    let who = Who::Account(account);
    let entries = app::history(state.store(), &snapshot.ledger, &who, &id).await?;
    let history = entries
        .into_iter()
        .map(|e| HistoryEntryDto {
            at: e.at,
            actor: e.actor.to_string(),
            record: e.record,
            field: e.field,
            before: e.before,
            after: e.after,
        })
        .collect();
    Ok(Json(HistoryDto { history }).into_response())
}

/// How much an erasure removed.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Erased)]
struct ErasedDto {
    stints: u64,
    checkins: u64,
    /// Months of git and weeks of calendar evidence.
    evidence: u64,
    reflections: u64,
    accounts: u64,
    /// Commits kept for the next ingest whose author was made anonymous.
    commits: u64,
}

/// Erases a person and everything that is theirs, for good; for admins. Refused while
/// someone reports to them. What others keep (the audit log, their corrections, commits)
/// keeps no name, address or id of theirs; the audit line of the erasure names nobody.
#[utoipa::path(
    delete,
    path = "/people/{id}",
    tag = "career",
    params(("id" = String, Path, description = "The person's id")),
    responses(
        (status = 200, description = "What was erased", body = ErasedDto),
        (status = 401, description = "No valid API token", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 404, description = "No such person, or one the account may not see", body = ErrorBody),
        (status = 409, description = "Someone still reports to the person; the message names them", body = ErrorBody),
    )
)]
pub(crate) async fn erase(
    State(state): State<AppState>,
    Authenticated(account): Authenticated,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let snapshot = state.snapshot().await?;
    let id = write_target(&state, &snapshot, &account, &id, Action::Erase).await?;
    let who = Who::Account(account);
    let erased = state
        .write(async |store: &Db, s: &Snapshot| app::erase(store, &s.ledger, &who, &id).await)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("no person with id {:?}", id.as_str())))?;
    Ok(Json(ErasedDto {
        stints: erased.stints,
        checkins: erased.checkins,
        evidence: erased.evidence,
        reflections: erased.reflections,
        accounts: erased.accounts,
        commits: erased.commits,
    })
    .into_response())
}
