//! The JSON API under `/api/v1`. Each handler asks `pendulum_core::access` what the signed-in
//! account may see or do: a person it may not see is "not found" (their existence is not
//! leaked), a write it may not make is "forbidden" and goes to the audit log.
//!
//! Each handler carries its `#[utoipa::path]` description and each body type its schema, so
//! the OpenAPI document (see `openapi.rs`) is generated from this file.

pub(crate) mod career;

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, delete, get, patch, post, put};
use axum::{Json, Router};
use chrono::NaiveDate;
use pendulum_app::Db;
use pendulum_app::acting::{Action, Who, authorize};
use pendulum_app::career as app_career;
use pendulum_app::reading::people::{
    self as reading, CheckInSeen, Listing, NoteSeen, PeopleQuery, Wording, current_stint, left_by,
};
use pendulum_core::{
    Account, Band, Ladder, Note, PersonId, Role, Score, Stint, TeamId, View, WillingAnswer,
    Willingness,
};
use pendulum_exchange::{InputFile, MetricsDoc, NudgeDoc};
use pendulum_plan::org::{RotationPlan, SwingKind};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::Authenticated;
use crate::error::ErrorBody;
use crate::state::Snapshot;
use crate::{AppError, AppState};

pub(crate) mod export;
pub(crate) mod org;
pub(crate) mod plans;

/// Every route of the API: one table, so that the authorization tests can check they
/// cover all of them.
fn table() -> Vec<(Method, &'static str, MethodRouter<AppState>)> {
    vec![
        (Method::GET, "/people", get(list_people)),
        (Method::GET, "/people/{id}", get(person)),
        (Method::PATCH, "/people/{id}", patch(career::edit_person)),
        (Method::DELETE, "/people/{id}", delete(career::erase)),
        (Method::GET, "/people/{id}/stints", get(stints)),
        (
            Method::PATCH,
            "/people/{id}/stints/{start}",
            patch(career::edit_stint),
        ),
        (
            Method::DELETE,
            "/people/{id}/stints/{start}",
            delete(career::delete_stint),
        ),
        (Method::GET, "/people/{id}/checkins", get(checkins)),
        (Method::POST, "/people/{id}/checkins", post(record_checkin)),
        (
            Method::DELETE,
            "/people/{id}/checkins/{date}",
            delete(career::delete_checkin),
        ),
        (Method::POST, "/people/{id}/swings", post(record_swing)),
        (Method::PUT, "/people/{id}/willing", put(record_answer)),
        (Method::GET, "/people/{id}/export", get(export::person)),
        (Method::POST, "/people/{id}/leave", post(career::leave)),
        (
            Method::POST,
            "/people/{id}/return",
            post(career::return_to_work),
        ),
        (Method::GET, "/people/{id}/history", get(career::history)),
        (Method::GET, "/nudges", get(org::nudges)),
        (Method::GET, "/metrics", get(org::metrics)),
        (Method::GET, "/export", get(org::export)),
        (
            Method::POST,
            "/import",
            post(org::import).layer(crate::transport::upload_body_limit()),
        ),
        (Method::GET, "/plans/rotations", get(plans::rotation_plan)),
        (
            Method::POST,
            "/plans/assignments",
            post(plans::assignments).layer(crate::transport::upload_body_limit()),
        ),
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
pub(crate) struct AsOf {
    /// The day to read the ledger as of (YYYY-MM-DD); today when absent.
    as_of: Option<String>,
}

/// The people to list: as of a day, and whether to include those who left.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct PeopleFilter {
    /// The day to read the ledger as of (YYYY-MM-DD); today when absent.
    as_of: Option<String>,
    /// Include the people who left by that day, with their `left_on`; false when absent.
    all: Option<bool>,
}

/// The nudges to list: as of a day, and optionally about one person only.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct NudgeFilter {
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
    let who = Who::Account(account.clone());
    Ok(pendulum_app::reading::seen(&who, &snapshot.ledger, id)?)
}

/// The person a request names, once the account may do `action` to them (see
/// `pendulum_app::acting::authorize`): anyone it may not see is "not found", as for a read,
/// so that a write cannot probe who exists; anyone it sees but may not act on is
/// "forbidden". Both refusals go to the audit log. Asked before the body is read, so that a
/// malformed body tells nothing either.
pub(crate) async fn write_target(
    state: &AppState,
    snapshot: &Snapshot,
    account: &Account,
    raw: &str,
    action: Action,
) -> Result<PersonId, AppError> {
    Ok(authorize(state.store(), &snapshot.ledger, account, action, raw).await?)
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
    /// Their answer to "would you like to manage?": `yes`, `no` or `unknown` (not asked, or
    /// not sure).
    willing_to_manage: &'static str,
    /// The day they gave that answer (YYYY-MM-DD); `null` when it is not known.
    willing_since: Option<String>,
    /// `engineer`, `tech_lead`, `manager` or `hybrid`; absent between stints.
    role: Option<&'static str>,
    /// When the current stint began.
    since: Option<String>,
    /// The day they left the org, for someone who did (and has not come back); `null`
    /// otherwise.
    left_on: Option<String>,
}

/// The people an account may see.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = PersonList)]
struct PersonListDto<'a> {
    people: Vec<PersonDto<'a>>,
}

/// One person with the nudges about them and every answer they gave about managing.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = PersonDetail)]
struct PersonDetailDto<'a> {
    #[serde(flatten)]
    person: PersonDto<'a>,
    /// Every answer to "would you like to manage?" recorded, oldest first; the latest is
    /// `willing_to_manage`.
    answers: Vec<AnswerDto>,
    nudges: Vec<NudgeDoc<'a>>,
}

/// An answer to "would you like to manage?" and the day it was given.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Answer)]
struct AnswerDto {
    date: String,
    /// `yes`, `no` or `unknown` (not sure).
    answer: &'static str,
}

fn answers_of(answers: &[WillingAnswer]) -> Vec<AnswerDto> {
    answers
        .iter()
        .map(|a| AnswerDto {
            date: a.date.to_string(),
            answer: a.answer.as_str(),
        })
        .collect()
}

fn person_dto(snapshot: &Snapshot, i: usize, as_of: NaiveDate) -> PersonDto<'_> {
    let p = snapshot.ledger.person_at(i);
    let current = current_stint(&snapshot.ledger, i, as_of);
    PersonDto {
        id: p.id.as_str(),
        name: &p.name,
        email: p.email.as_str(),
        level: p.level.name(),
        team: p.team.as_ref().map(TeamId::as_str),
        manager: p.manager.as_ref().map(PersonId::as_str),
        willing_to_manage: p.willing_to_manage.as_str(),
        willing_since: p.willing_since.map(|d| d.to_string()),
        role: current.map(|s| s.role.as_str()),
        since: current.map(|s| s.start.to_string()),
        left_on: left_by(p, as_of).map(|d| d.to_string()),
    }
}

/// The people the account may see.
#[utoipa::path(
    get,
    path = "/people",
    tag = "people",
    params(PeopleFilter),
    responses(
        (status = 200, description = "The people the account may see; without those who left unless `all` is true", body = PersonListDto),
        (status = 400, description = "A malformed `as_of`", body = ErrorBody),
        (status = 401, description = "No valid API token", body = ErrorBody),
    )
)]
async fn list_people(
    State(state): State<AppState>,
    Authenticated(account): Authenticated,
    Query(q): Query<PeopleFilter>,
) -> Result<Response, AppError> {
    let as_of = day(q.as_of.as_deref())?;
    let all = q.all.unwrap_or(false);
    let snapshot = state.snapshot().await?;
    let query = PeopleQuery {
        listing: if all {
            Listing::Everyone
        } else {
            Listing::Present
        },
        role: None,
        team: None,
    };
    let people = reading::list(&Who::Account(account), &snapshot.ledger, as_of, &query)
        .into_iter()
        .map(|l| person_dto(&snapshot, l.index, as_of))
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
    let id = person_id(&id)?;
    let snapshot = state.snapshot().await?;
    let (ledger, policy) = (&snapshot.ledger, &snapshot.policy);
    let who = Who::Account(account);
    let seen = reading::person(&who, ledger, policy, as_of, &id, Wording::AboutThem)?;
    let detail = PersonDetailDto {
        person: person_dto(&snapshot, seen.index, as_of),
        answers: answers_of(seen.answers),
        nudges: seen
            .nudges
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
    /// The pay band, on one scale for both tracks; `null` when none is recorded.
    #[schema(minimum = 0, maximum = 999)]
    band: Option<u16>,
    start: String,
    /// The first day no longer in the stint; `null` while it lasts.
    end: Option<String>,
    /// Whether the person chose this stint.
    chosen: bool,
    /// For a time-boxed trial: when either side decides to keep it or end it.
    trial_end: Option<String>,
    /// The org the stint was lived in, for a stint brought from another org with the
    /// person's own ledger (nobody here can change it); `null` for this org's.
    org: Option<&'a str>,
}

impl<'a> StintDto<'a> {
    fn new(s: &'a Stint) -> Self {
        Self {
            role: s.role.as_str(),
            team: s.team.as_ref().map(TeamId::as_str),
            level: s.level.name(),
            band: s.band.map(Band::get),
            start: s.start.to_string(),
            end: s.end.map(|e| e.to_string()),
            chosen: s.chosen,
            trial_end: s.trial_end.map(|t| t.to_string()),
            org: s.org.as_deref(),
        }
    }
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
    let id = person_id(&id)?;
    let snapshot = state.snapshot().await?;
    let stints = reading::stints(&Who::Account(account), &snapshot.ledger, &id)?
        .iter()
        .map(StintDto::new)
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
    fn new(c: &CheckInSeen<'a>) -> Self {
        Self {
            date: c.date.to_string(),
            joy: c.joy.get(),
            energy: c.energy.get(),
            learning: c.learning.get(),
            // A note is its author's alone: the key is absent for everyone else.
            note: match c.note {
                NoteSeen::Own(note) => Some(note.map(Note::as_str)),
                NoteSeen::Withheld => None,
            },
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
    let id = person_id(&id)?;
    let snapshot = state.snapshot().await?;
    let checkins = reading::checkins(&Who::Account(account), &snapshot.ledger, &id)?
        .iter()
        .map(CheckinDto::new)
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

impl TryFrom<NewCheckin> for app_career::NewCheckIn {
    type Error = AppError;

    fn try_from(body: NewCheckin) -> Result<Self, AppError> {
        Ok(app_career::NewCheckIn {
            date: match &body.date {
                Some(d) => parse_date(d, "date")?,
                None => chrono::Local::now().date_naive(),
            },
            joy: score(body.joy, "joy")?,
            energy: score(body.energy, "energy")?,
            learning: score(body.learning, "learning")?,
            note: Note::parse_optional(body.note)
                .map_err(|e| AppError::Unprocessable(format!("note: {e}")))?,
        })
    }
}

/// Records a check-in; only the person it is about may. A second check-in on one day
/// replaces the first.
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
        (status = 413, description = "A body over 64 KB", body = ErrorBody),
        (status = 415, description = "A body that is not `application/json`", body = ErrorBody),
        (status = 422, description = "A score out of range, a note over 4096 bytes, or a check-in the ledger refuses", body = ErrorBody),
    )
)]
async fn record_checkin(
    State(state): State<AppState>,
    Authenticated(account): Authenticated,
    Path(id): Path<String>,
    body: Result<Json<NewCheckin>, axum::extract::rejection::JsonRejection>,
) -> Result<impl IntoResponse, AppError> {
    let snapshot = state.snapshot().await?;
    let id = write_target(&state, &snapshot, &account, &id, Action::CheckIn).await?;
    let Json(body) = body?;
    let entry = app_career::NewCheckIn::try_from(body)?;
    let who = Who::Account(account);
    let checkin = state
        .write(async |store: &Db, s: &Snapshot| {
            app_career::check_in(store, &s.ledger, &who, &id, entry).await
        })
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(CheckinDto::new(&CheckInSeen::new(&checkin, View::Own))),
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
    /// The pay band of the new stint, 0 to 999 on one scale for both tracks; the band stays
    /// unless one is given.
    #[schema(minimum = 0, maximum = 999)]
    band: Option<u16>,
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
    /// The pay band of the new stint; `null` when none is recorded.
    band: Option<u16>,
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
        (status = 413, description = "A body over 64 KB", body = ErrorBody),
        (status = 415, description = "A body that is not `application/json`", body = ErrorBody),
        (status = 422, description = "A swing the ledger refuses (unknown role or level, a band over 999, overlapping stints)", body = ErrorBody),
    )
)]

async fn record_swing(
    State(state): State<AppState>,
    Authenticated(account): Authenticated,
    Path(id): Path<String>,
    body: Result<Json<NewSwing>, axum::extract::rejection::JsonRejection>,
) -> Result<impl IntoResponse, AppError> {
    let snapshot = state.snapshot().await?;
    let id = write_target(&state, &snapshot, &account, &id, Action::Swing).await?;
    let Json(body) = body?;
    let swing = body.parse(&snapshot.policy.ladder)?;
    let who = Who::Account(account);
    let swung = state
        .write(async |store: &Db, s: &Snapshot| {
            app_career::swing(store, &s.ledger, &who, &id, &swing).await
        })
        .await?;
    let new = &swung.stint;
    let done = SwingDto {
        person: id.as_str(),
        role: new.role.as_str(),
        start: new.start.to_string(),
        level: new.level.name(),
        band: new.band.map(Band::get),
        team: new.team.as_ref().map(TeamId::as_str),
        trial_end: new.trial_end.map(|t| t.to_string()),
    };
    Ok((StatusCode::CREATED, Json(done)).into_response())
}

impl NewSwing {
    /// The swing asked for, its level read on `ladder`; the first field that cannot be
    /// taken is the refusal.
    fn parse(self, ladder: &Ladder) -> Result<app_career::Swing, AppError> {
        let unprocessable = |field: &str, e: &dyn std::fmt::Display| {
            AppError::Unprocessable(format!("{field}: {e}"))
        };
        Ok(app_career::Swing {
            band: self
                .band
                .map(Band::new)
                .transpose()
                .map_err(|e| unprocessable("band", &e))?,
            to: self
                .to
                .parse::<Role>()
                .map_err(|e| unprocessable("to", &e))?,
            on: parse_date(&self.on, "on")?,
            team: self
                .team
                .as_deref()
                .map(TeamId::parse)
                .transpose()
                .map_err(|e| unprocessable("team", &e))?,
            level: self
                .level
                .as_deref()
                .map(|l| ladder.level(l))
                .transpose()
                .map_err(|e| unprocessable("level", &e))?,
            chosen: self.chosen.unwrap_or(true),
            trial_until: self
                .trial_until
                .as_deref()
                .map(|t| parse_date(t, "trial_until"))
                .transpose()?,
        })
    }
}

/// A person's answer to "would you like to manage?".
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct NewAnswer {
    /// `yes`, `no` or `unknown` (not sure yet).
    answer: String,
    /// The day the answer was given (YYYY-MM-DD); today when absent.
    on: Option<String>,
}

/// A person's answer about managing after a write: the current one and every one recorded.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Willingness)]
struct WillingnessDto {
    /// The current answer: the latest recorded.
    willing_to_manage: &'static str,
    willing_since: Option<String>,
    /// Every answer recorded, oldest first.
    answers: Vec<AnswerDto>,
}

/// Records a person's answer to "would you like to manage?" on a day; only the person
/// themselves or an admin may, never a manager. A second answer on the same day replaces the
/// first; an answer older than the latest joins the history and leaves the current one.
#[utoipa::path(
    put,
    path = "/people/{id}/willing",
    tag = "people",
    params(("id" = String, Path, description = "The person's id")),
    request_body = NewAnswer,
    responses(
        (status = 200, description = "The person's current answer and every one recorded", body = WillingnessDto),
        (status = 400, description = "A body that is not the JSON of an answer, or a malformed date", body = ErrorBody),
        (status = 401, description = "No valid API token", body = ErrorBody),
        (status = 403, description = "Neither the person nor an admin: a manager may not answer for someone", body = ErrorBody),
        (status = 404, description = "No such person, or one the account may not see", body = ErrorBody),
        (status = 409, description = "The store refused the write", body = ErrorBody),
        (status = 413, description = "A body over 64 KB", body = ErrorBody),
        (status = 415, description = "A body that is not `application/json`", body = ErrorBody),
        (status = 422, description = "An answer other than yes, no or unknown", body = ErrorBody),
    )
)]
async fn record_answer(
    State(state): State<AppState>,
    Authenticated(account): Authenticated,
    Path(id): Path<String>,
    body: Result<Json<NewAnswer>, axum::extract::rejection::JsonRejection>,
) -> Result<Response, AppError> {
    let snapshot = state.snapshot().await?;
    let id = write_target(&state, &snapshot, &account, &id, Action::Answer).await?;
    let Json(body) = body?;
    let answer = body
        .answer
        .parse::<Willingness>()
        .map_err(|e| AppError::Unprocessable(format!("answer: {e}")))?;
    let on = match &body.on {
        Some(d) => parse_date(d, "on")?,
        None => chrono::Local::now().date_naive(),
    };
    let who = Who::Account(account);
    state
        .write(async |store: &Db, s: &Snapshot| {
            app_career::record_answer(store, &s.ledger, &who, &id, answer, on).await
        })
        .await?;
    let snapshot = state.snapshot().await?;
    let ledger = &snapshot.ledger;
    let i = ledger
        .person_index(&id)
        .ok_or_else(|| AppError::NotFound(format!("no person with id {:?}", id.as_str())))?;
    let p = ledger.person_at(i);
    let dto = WillingnessDto {
        willing_to_manage: p.willing_to_manage.as_str(),
        willing_since: p.willing_since.map(|d| d.to_string()),
        answers: answers_of(ledger.answers_of(i)),
    };
    Ok(Json(dto).into_response())
}
