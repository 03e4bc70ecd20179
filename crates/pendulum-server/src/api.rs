//! The JSON API under `/api/v1`. Each handler asks `pendulum_core::access` what the signed-in
//! account may see or do: a person it may not see is "not found" (their existence is not
//! leaked), a write it may not make is "forbidden" and goes to the audit log.
//!
//! Each handler carries its `#[utoipa::path]` description and each body type its schema, so
//! the OpenAPI document (see `openapi.rs`) is generated from this file.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get, post};
use axum::{Json, Router};
use chrono::NaiveDate;
use pendulum_core::ledger::CheckIn;
use pendulum_core::metrics::Metrics;
use pendulum_core::{Account, Change, PersonId, Role, Score, SwingRequest, TeamId, View};
use pendulum_exchange::{InputFile, MetricsDoc, NudgeDoc};
use pendulum_store::Store;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::Authenticated;
use crate::error::ErrorBody;
use crate::state::Snapshot;
use crate::{AppError, AppState};

/// Every route of the API: one table, so that the authorization tests can check they
/// cover all of them.
fn table() -> Vec<(Method, &'static str, MethodRouter<AppState>)> {
    vec![
        (Method::GET, "/people", get(list_people)),
        (Method::GET, "/people/{id}", get(person)),
        (Method::GET, "/people/{id}/stints", get(stints)),
        (Method::GET, "/people/{id}/checkins", get(checkins)),
        (Method::POST, "/people/{id}/checkins", post(record_checkin)),
        (Method::POST, "/people/{id}/swings", post(record_swing)),
        (Method::GET, "/nudges", get(nudges)),
        (Method::GET, "/metrics", get(metrics)),
        (Method::GET, "/export", get(export)),
        (Method::POST, "/import", post(import)),
        (Method::GET, "/openapi.json", get(crate::openapi::document)),
    ]
}

/// The API's routes, as method and path under `/api/v1`.
pub fn routes() -> Vec<(Method, &'static str)> {
    table().into_iter().map(|(m, p, _)| (m, p)).collect()
}

pub(crate) fn router() -> Router<AppState> {
    table()
        .into_iter()
        .fold(Router::new(), |r, (_, path, handler)| {
            r.route(path, handler)
        })
}

/// The day a reading is as of.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct AsOf {
    /// The day to read the ledger as of (YYYY-MM-DD); today when absent.
    as_of: Option<String>,
}

/// The nudges to list: as of a day, and optionally about one person only.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct NudgeFilter {
    /// The day to read the ledger as of (YYYY-MM-DD); today when absent.
    as_of: Option<String>,
    /// Only the nudges about the person with this id.
    person: Option<String>,
}

/// The `as_of` of a request: the day given, or today when it is absent or empty (as an
/// empty form field sends it).
pub(crate) fn day(as_of: Option<&str>) -> Result<NaiveDate, AppError> {
    match as_of.filter(|raw| !raw.is_empty()) {
        Some(raw) => parse_date(raw, "as_of"),
        None => Ok(chrono::Local::now().date_naive()),
    }
}

pub(crate) fn parse_date(raw: &str, field: &str) -> Result<NaiveDate, AppError> {
    NaiveDate::parse_from_str(raw, "%Y-%m-%d").map_err(|_| {
        AppError::BadRequest(format!(
            "{field}: {raw:?} is not a date (expected YYYY-MM-DD)"
        ))
    })
}

pub(crate) fn person_id(raw: &str) -> Result<PersonId, AppError> {
    PersonId::parse(raw).map_err(|e| AppError::NotFound(format!("no person with id {raw:?} ({e})")))
}

/// The index of a person the account may see, or "not found" for anyone else.
pub(crate) fn visible(
    snapshot: &Snapshot,
    account: &Account,
    id: &PersonId,
) -> Result<(usize, View), AppError> {
    match account.view_of(&snapshot.ledger, id) {
        View::Hidden => Err(AppError::NotFound(format!(
            "no person with id {:?}",
            id.as_str()
        ))),
        view => Ok((
            snapshot
                .ledger
                .person_index(id)
                .expect("a visible person exists"),
            view,
        )),
    }
}

/// A person and the role they hold as of the day asked.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Person)]
struct PersonDto<'a> {
    id: &'a str,
    name: &'a str,
    email: &'a str,
    level: &'a str,
    team: Option<&'a str>,
    /// The id of their manager.
    manager: Option<&'a str>,
    /// `yes`, `no` or `unknown`.
    willing_to_manage: &'static str,
    /// `engineer`, `tech_lead`, `manager` or `hybrid`; absent between stints.
    role: Option<&'static str>,
    /// When the current stint began.
    since: Option<String>,
}

/// The people an account may see.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = PersonList)]
struct PersonListDto<'a> {
    people: Vec<PersonDto<'a>>,
}

/// One person with the nudges about them.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = PersonDetail)]
struct PersonDetailDto<'a> {
    #[serde(flatten)]
    person: PersonDto<'a>,
    nudges: Vec<NudgeDoc<'a>>,
}

fn person_dto(snapshot: &Snapshot, i: usize, as_of: NaiveDate) -> PersonDto<'_> {
    let p = snapshot.ledger.person_at(i);
    let current = snapshot
        .ledger
        .stints_of(i)
        .iter()
        .rev()
        .find(|s| s.covers(as_of));
    PersonDto {
        id: p.id.as_str(),
        name: &p.name,
        email: p.email.as_str(),
        level: p.level.name(),
        team: p.team.as_ref().map(TeamId::as_str),
        manager: p.manager.as_ref().map(PersonId::as_str),
        willing_to_manage: p.willing_to_manage.as_str(),
        role: current.map(|s| s.role.as_str()),
        since: current.map(|s| s.start.to_string()),
    }
}

/// The people the account may see.
#[utoipa::path(
    get,
    path = "/people",
    tag = "people",
    params(AsOf),
    responses(
        (status = 200, description = "The people the account may see", body = PersonListDto),
        (status = 400, description = "A malformed `as_of`", body = ErrorBody),
        (status = 401, description = "No valid API token", body = ErrorBody),
    )
)]
async fn list_people(
    State(state): State<AppState>,
    Authenticated(account): Authenticated,
    Query(q): Query<AsOf>,
) -> Result<Response, AppError> {
    let as_of = day(q.as_of.as_deref())?;
    let snapshot = state.snapshot().await?;
    let people = (0..snapshot.ledger.people().len())
        .filter(|&i| {
            account.view_of(&snapshot.ledger, &snapshot.ledger.person_at(i).id) != View::Hidden
        })
        .map(|i| person_dto(&snapshot, i, as_of))
        .collect();
    Ok(Json(PersonListDto { people }).into_response())
}

/// One person, with the nudges about them.
#[utoipa::path(
    get,
    path = "/people/{id}",
    tag = "people",
    params(("id" = String, Path, description = "The person's id"), AsOf),
    responses(
        (status = 200, description = "The person and their nudges", body = PersonDetailDto),
        (status = 400, description = "A malformed `as_of`", body = ErrorBody),
        (status = 401, description = "No valid API token", body = ErrorBody),
        (status = 404, description = "No such person, or one the account may not see", body = ErrorBody),
    )
)]
async fn person(
    State(state): State<AppState>,
    Authenticated(account): Authenticated,
    Path(id): Path<String>,
    Query(q): Query<AsOf>,
) -> Result<Response, AppError> {
    let as_of = day(q.as_of.as_deref())?;
    let snapshot = state.snapshot().await?;
    let (i, _) = visible(&snapshot, &account, &person_id(&id)?)?;
    let nudges =
        pendulum_core::rules::evaluate_person(&snapshot.ledger, &snapshot.policy, as_of, i);
    let detail = PersonDetailDto {
        person: person_dto(&snapshot, i, as_of),
        nudges: nudges
            .iter()
            .map(|n| NudgeDoc::new(n, &snapshot.ledger))
            .collect(),
    };
    Ok(Json(detail).into_response())
}

/// A stint: a span of time in one role.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Stint)]
struct StintDto<'a> {
    /// `engineer`, `tech_lead`, `manager` or `hybrid`.
    role: &'static str,
    team: Option<&'a str>,
    level: &'a str,
    start: String,
    /// The first day no longer in the stint; `null` while it lasts.
    end: Option<String>,
    /// Whether the person chose this stint.
    chosen: bool,
    /// For a time-boxed trial: when either side decides to keep it or end it.
    trial_end: Option<String>,
}

/// A person's stints, oldest first.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = StintList)]
struct StintListDto<'a> {
    stints: Vec<StintDto<'a>>,
}

/// A person's stints, oldest first.
#[utoipa::path(
    get,
    path = "/people/{id}/stints",
    tag = "people",
    params(("id" = String, Path, description = "The person's id")),
    responses(
        (status = 200, description = "The person's stints", body = StintListDto),
        (status = 401, description = "No valid API token", body = ErrorBody),
        (status = 404, description = "No such person, or one the account may not see", body = ErrorBody),
    )
)]
async fn stints(
    State(state): State<AppState>,
    Authenticated(account): Authenticated,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let snapshot = state.snapshot().await?;
    let (i, _) = visible(&snapshot, &account, &person_id(&id)?)?;
    let stints = snapshot
        .ledger
        .stints_of(i)
        .iter()
        .map(|s| StintDto {
            role: s.role.as_str(),
            team: s.team.as_ref().map(TeamId::as_str),
            level: s.level.name(),
            start: s.start.to_string(),
            end: s.end.map(|e| e.to_string()),
            chosen: s.chosen,
            trial_end: s.trial_end.map(|t| t.to_string()),
        })
        .collect();
    Ok(Json(StintListDto { stints }).into_response())
}

/// A check-in: how the work feels, on a scale of 1 to 5.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Checkin)]
struct CheckinDto<'a> {
    date: String,
    joy: u8,
    energy: u8,
    learning: u8,
    /// The private note: present for its author alone (`null` when they wrote none), and
    /// absent for everyone else.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    note: Option<Option<&'a str>>,
}

impl<'a> CheckinDto<'a> {
    fn new(c: &'a CheckIn, view: View) -> Self {
        Self {
            date: c.date.to_string(),
            joy: c.joy.get(),
            energy: c.energy.get(),
            learning: c.learning.get(),
            // A note is its author's alone: the key is absent for everyone else.
            note: (view == View::Own).then_some(c.note.as_deref()),
        }
    }
}

/// A person's check-ins, oldest first.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = CheckinList)]
struct CheckinListDto<'a> {
    checkins: Vec<CheckinDto<'a>>,
}

/// A person's check-ins; the notes only to their author.
#[utoipa::path(
    get,
    path = "/people/{id}/checkins",
    tag = "check-ins",
    params(("id" = String, Path, description = "The person's id")),
    responses(
        (status = 200, description = "The person's check-ins", body = CheckinListDto),
        (status = 401, description = "No valid API token", body = ErrorBody),
        (status = 404, description = "No such person, or one the account may not see", body = ErrorBody),
    )
)]
async fn checkins(
    State(state): State<AppState>,
    Authenticated(account): Authenticated,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let snapshot = state.snapshot().await?;
    let (i, view) = visible(&snapshot, &account, &person_id(&id)?)?;
    let checkins = snapshot
        .ledger
        .checkins_of(i)
        .iter()
        .map(|c| CheckinDto::new(c, view))
        .collect();
    Ok(Json(CheckinListDto { checkins }).into_response())
}

/// A check-in to record; scores run from 1 to 5.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct NewCheckin {
    /// The day of the check-in (YYYY-MM-DD); today when absent.
    date: Option<String>,
    #[schema(minimum = 1, maximum = 5)]
    joy: u8,
    #[schema(minimum = 1, maximum = 5)]
    energy: u8,
    #[schema(minimum = 1, maximum = 5)]
    learning: u8,
    /// A private note, readable by its author alone.
    note: Option<String>,
}

fn score(value: u8, field: &str) -> Result<Score, AppError> {
    Score::new(value).map_err(|e| AppError::Unprocessable(format!("{field}: {e}")))
}

/// Records a check-in; only the person it is about may.
#[utoipa::path(
    post,
    path = "/people/{id}/checkins",
    tag = "check-ins",
    params(("id" = String, Path, description = "The person's id")),
    request_body = NewCheckin,
    responses(
        (status = 201, description = "The check-in as recorded", body = CheckinDto),
        (status = 400, description = "A body that is not the JSON of a check-in, or a malformed date", body = ErrorBody),
        (status = 401, description = "No valid API token", body = ErrorBody),
        (status = 403, description = "The check-in is someone else's", body = ErrorBody),
        (status = 404, description = "No such person, or one the account may not see", body = ErrorBody),
        (status = 409, description = "The store refused the write", body = ErrorBody),
        (status = 422, description = "A score out of range, or a check-in the ledger refuses", body = ErrorBody),
    )
)]
async fn record_checkin(
    State(state): State<AppState>,
    Authenticated(account): Authenticated,
    Path(id): Path<String>,
    body: Result<Json<NewCheckin>, axum::extract::rejection::JsonRejection>,
) -> Result<impl IntoResponse, AppError> {
    let id = person_id(&id)?;
    let snapshot = state.snapshot().await?;
    visible(&snapshot, &account, &id)?;
    if !account.may_check_in_for(&id) {
        return Err(state
            .deny(
                &account,
                "record check-in",
                Some(id.as_str()),
                "a check-in can only be recorded by the person it is about",
            )
            .await);
    }
    let Json(body) = body.map_err(|e| AppError::BadRequest(e.body_text()))?;
    let checkin = CheckIn {
        person: id.clone(),
        date: match &body.date {
            Some(d) => parse_date(d, "date")?,
            None => chrono::Local::now().date_naive(),
        },
        joy: score(body.joy, "joy")?,
        energy: score(body.energy, "energy")?,
        learning: score(body.learning, "learning")?,
        note: body.note.filter(|n| !n.trim().is_empty()),
    };
    let change = Change {
        checkins: vec![checkin.clone()],
        ..Change::default()
    };
    state.write(&change, "check-in").await?;
    state
        .audit(
            Some(&account.email),
            "record check-in",
            Some(id.as_str()),
            "ok",
        )
        .await;
    Ok((
        StatusCode::CREATED,
        Json(CheckinDto::new(&checkin, View::Own)),
    )
        .into_response())
}

/// A swing to record: a new stint in another role, from a day on.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct NewSwing {
    /// `engineer`, `tech_lead`, `manager` or `hybrid`.
    to: String,
    /// The first day in the new role (YYYY-MM-DD).
    on: String,
    /// The team of the new stint; the current one when absent.
    team: Option<String>,
    /// A new level; a swing keeps the level unless one is given.
    level: Option<String>,
    /// Makes the stint a time-boxed trial that ends on this day (YYYY-MM-DD).
    trial_until: Option<String>,
    /// Whether the person chose the swing; true when absent.
    chosen: Option<bool>,
}

/// The stint a swing opened.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Swing)]
struct SwingDto<'a> {
    person: &'a str,
    role: &'static str,
    start: String,
    level: &'a str,
    team: Option<&'a str>,
    trial_end: Option<String>,
}

/// Records a swing; an admin or a manager above the person may.
#[utoipa::path(
    post,
    path = "/people/{id}/swings",
    tag = "people",
    params(("id" = String, Path, description = "The person's id")),
    request_body = NewSwing,
    responses(
        (status = 201, description = "The stint the swing opened", body = SwingDto),
        (status = 400, description = "A body that is not the JSON of a swing, or a malformed date", body = ErrorBody),
        (status = 401, description = "No valid API token", body = ErrorBody),
        (status = 403, description = "Neither an admin nor a manager above the person", body = ErrorBody),
        (status = 404, description = "No such person, or one the account may not see", body = ErrorBody),
        (status = 409, description = "The store refused the write", body = ErrorBody),
        (status = 422, description = "A swing the ledger refuses (unknown role or level, overlapping stints)", body = ErrorBody),
    )
)]

async fn record_swing(
    State(state): State<AppState>,
    Authenticated(account): Authenticated,
    Path(id): Path<String>,
    body: Result<Json<NewSwing>, axum::extract::rejection::JsonRejection>,
) -> Result<impl IntoResponse, AppError> {
    let id = person_id(&id)?;
    let snapshot = state.snapshot().await?;
    visible(&snapshot, &account, &id)?;
    if !account.may_record_swing_for(&snapshot.ledger, &id) {
        return Err(state
            .deny(
                &account,
                "record swing",
                Some(id.as_str()),
                "only an admin or a manager above this person can record their swing",
            )
            .await);
    }
    let Json(body) = body.map_err(|e| AppError::BadRequest(e.body_text()))?;
    let unprocessable =
        |field: &str, e: &dyn std::fmt::Display| AppError::Unprocessable(format!("{field}: {e}"));
    let request = SwingRequest {
        person: id.clone(),
        to: body
            .to
            .parse::<Role>()
            .map_err(|e| unprocessable("to", &e))?,
        on: parse_date(&body.on, "on")?,
        team: body
            .team
            .as_deref()
            .map(TeamId::parse)
            .transpose()
            .map_err(|e| unprocessable("team", &e))?,
        level: body
            .level
            .as_deref()
            .map(|l| snapshot.policy.ladder.level(l))
            .transpose()
            .map_err(|e| unprocessable("level", &e))?,
        chosen: body.chosen.unwrap_or(true),
        trial_until: body
            .trial_until
            .as_deref()
            .map(|t| parse_date(t, "trial_until"))
            .transpose()?,
    };
    let change = snapshot
        .ledger
        .swing(&request)
        .map_err(|e| AppError::Unprocessable(e.to_string()))?;
    state.write(&change, "swing").await?;
    state
        .audit(
            Some(&account.email),
            "record swing",
            Some(id.as_str()),
            "ok",
        )
        .await;
    let new = &change.stints[0];
    let done = SwingDto {
        person: id.as_str(),
        role: new.role.as_str(),
        start: new.start.to_string(),
        level: new.level.name(),
        team: new.team.as_ref().map(TeamId::as_str),
        trial_end: new.trial_end.map(|t| t.to_string()),
    };
    Ok((StatusCode::CREATED, Json(done)).into_response())
}

/// Nudges as of a day, most severe first.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = NudgeList)]
struct NudgeListDto<'a> {
    as_of: String,
    nudges: Vec<NudgeDoc<'a>>,
}

/// The nudges about the people the account may see, most severe first.
#[utoipa::path(
    get,
    path = "/nudges",
    tag = "nudges",
    params(NudgeFilter),
    responses(
        (status = 200, description = "The nudges", body = NudgeListDto),
        (status = 400, description = "A malformed `as_of`", body = ErrorBody),
        (status = 401, description = "No valid API token", body = ErrorBody),
        (status = 404, description = "No such person, or one the account may not see", body = ErrorBody),
    )
)]
async fn nudges(
    State(state): State<AppState>,
    Authenticated(account): Authenticated,
    Query(q): Query<NudgeFilter>,
) -> Result<Response, AppError> {
    let as_of = day(q.as_of.as_deref())?;
    let only = q.person.as_deref().map(person_id).transpose()?;
    let snapshot = state.snapshot().await?;
    let ledger = &snapshot.ledger;
    let nudges = match &only {
        // One person's nudges need one person's rules, not the whole org's, in the order
        // `evaluate` gives them: most severe first, then by rule.
        Some(id) => {
            let (i, _) = visible(&snapshot, &account, id)?;
            let mut nudges =
                pendulum_core::rules::evaluate_person(ledger, &snapshot.policy, as_of, i);
            nudges.sort_by(|a, b| b.severity.cmp(&a.severity).then(a.rule.cmp(&b.rule)));
            nudges
        }
        None => pendulum_core::rules::evaluate(ledger, &snapshot.policy, as_of)
            .into_iter()
            .filter(|n| account.view_of(ledger, &n.person) != View::Hidden)
            .collect(),
    };
    let list = NudgeListDto {
        as_of: as_of.to_string(),
        nudges: nudges.iter().map(|n| NudgeDoc::new(n, ledger)).collect(),
    };
    Ok(Json(list).into_response())
}

/// The org's health metrics as of a day.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = MetricsReport)]
struct MetricsDto {
    as_of: String,
    metrics: MetricsDoc,
}

/// The org's health metrics; for managers and admins.
#[utoipa::path(
    get,
    path = "/metrics",
    tag = "org",
    params(AsOf),
    responses(
        (status = 200, description = "The metrics", body = MetricsDto),
        (status = 400, description = "A malformed `as_of`", body = ErrorBody),
        (status = 401, description = "No valid API token", body = ErrorBody),
        (status = 403, description = "A member's account", body = ErrorBody),
    )
)]
async fn metrics(
    State(state): State<AppState>,
    Authenticated(account): Authenticated,
    Query(q): Query<AsOf>,
) -> Result<Json<MetricsDto>, AppError> {
    if !account.may_see_org_metrics() {
        return Err(state
            .deny(
                &account,
                "read metrics",
                None,
                "org metrics are for managers and admins",
            )
            .await);
    }
    let as_of = day(q.as_of.as_deref())?;
    let snapshot = state.snapshot().await?;
    let metrics = Metrics::compute(&snapshot.ledger, &snapshot.policy, as_of);
    Ok(Json(MetricsDto {
        as_of: as_of.to_string(),
        metrics: MetricsDoc::from(&metrics),
    }))
}

fn require_admin(account: &Account) -> Result<(), AppError> {
    if account.may_administer() {
        Ok(())
    } else {
        Err(AppError::Forbidden("this needs an admin account".into()))
    }
}

/// The whole org as the JSON document that `POST /import` and `pendulum import` read; for
/// admins. Check-in notes are left out.
#[utoipa::path(
    get,
    path = "/export",
    tag = "org",
    responses(
        (status = 200, description = "The export document", content_type = "application/json", body = Object),
        (status = 401, description = "No valid API token", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
    )
)]
async fn export(
    State(state): State<AppState>,
    Authenticated(account): Authenticated,
) -> Result<impl IntoResponse, AppError> {
    if let Err(e) = require_admin(&account) {
        state
            .audit(Some(&account.email), "export", None, "denied")
            .await;
        return Err(e);
    }
    let snapshot = state.snapshot().await?;
    // Notes are their authors' alone, so an export over the API never carries them.
    let doc = pendulum_exchange::export_document_without_notes(&snapshot.ledger, &snapshot.policy);
    state
        .audit(Some(&account.email), "export", None, "ok")
        .await;
    Ok(([(header::CONTENT_TYPE, "application/json")], doc))
}

/// How many records an import added.
#[derive(Debug, Serialize, ToSchema)]
struct ImportCounts {
    people: usize,
    teams: usize,
    stints: usize,
    checkins: usize,
    evidence: usize,
}

/// The outcome of an import.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Imported)]
struct ImportedDto {
    imported: ImportCounts,
}

/// Imports one CSV file (its kind told by its header) or an export document, with the same
/// checks as `pendulum import`: all or nothing. For admins.
#[utoipa::path(
    post,
    path = "/import",
    tag = "org",
    request_body(
        description = "A CSV file of people, teams, stints, check-ins or evidence, or an export document",
        content(("text/csv"), ("application/json")),
    ),
    responses(
        (status = 200, description = "What was imported", body = ImportedDto),
        (status = 401, description = "No valid API token", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 409, description = "The store refused the write", body = ErrorBody),
        (status = 422, description = "Every problem of the input, each with its line", body = ErrorBody),
    )
)]
async fn import(
    State(state): State<AppState>,
    Authenticated(account): Authenticated,
    body: Bytes,
) -> Result<Json<ImportedDto>, AppError> {
    if let Err(e) = require_admin(&account) {
        state
            .audit(Some(&account.email), "import", None, "denied")
            .await;
        return Err(e);
    }
    let file = InputFile {
        name: "request body".into(),
        bytes: body.to_vec(),
    };
    let counts = state
        .exclusive(async |snapshot: Arc<Snapshot>| {
            let import = pendulum_exchange::parse_import(
                std::slice::from_ref(&file),
                &snapshot.policy,
                &snapshot.ledger,
            )
            .map_err(|p| AppError::Unprocessable(p.to_string()))?;
            if import
                .policy
                .as_ref()
                .is_some_and(|p| p.ladder != snapshot.policy.ladder)
                && !snapshot.ledger.people().is_empty()
            {
                return Err(AppError::Unprocessable(
                    "the document's policy has a different ladder from the one in force".into(),
                ));
            }
            let parts = &import.parts;
            let counts = ImportCounts {
                people: parts.people.len(),
                teams: parts.teams.len(),
                stints: parts.stints.len(),
                checkins: parts.checkins.len(),
                evidence: parts.git.len() + parts.calendar.len(),
            };
            let mut change = Change::inserting(parts);
            change.policy = import.policy;
            state.store().apply(&change).await?;
            Ok(counts)
        })
        .await;
    let outcome = if counts.is_ok() { "ok" } else { "failed" };
    state
        .audit(Some(&account.email), "import", None, outcome)
        .await;
    Ok(Json(ImportedDto { imported: counts? }))
}
