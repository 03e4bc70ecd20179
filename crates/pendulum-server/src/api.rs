//! The JSON API under `/api/v1`. Each handler asks `pendulum_core::access` what the signed-in
//! account may see or do: a person it may not see is "not found" (their existence is not
//! leaked), a write it may not make is "forbidden" and goes to the audit log.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{Method, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::{MethodRouter, get, post};
use axum::{Json, Router};
use chrono::NaiveDate;
use pendulum_core::ledger::CheckIn;
use pendulum_core::{Account, Change, PersonId, Report, Role, Score, SwingRequest, TeamId, View};
use pendulum_exchange::InputFile;
use pendulum_store::Store;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::auth::Authenticated;
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

#[derive(Debug, Deserialize)]
struct AsOf {
    as_of: Option<String>,
    person: Option<String>,
}

impl AsOf {
    fn day(&self) -> Result<NaiveDate, AppError> {
        match &self.as_of {
            Some(raw) => parse_date(raw, "as_of"),
            None => Ok(chrono::Local::now().date_naive()),
        }
    }
}

fn parse_date(raw: &str, field: &str) -> Result<NaiveDate, AppError> {
    NaiveDate::parse_from_str(raw, "%Y-%m-%d").map_err(|_| {
        AppError::BadRequest(format!(
            "{field}: {raw:?} is not a date (expected YYYY-MM-DD)"
        ))
    })
}

fn person_id(raw: &str) -> Result<PersonId, AppError> {
    PersonId::parse(raw).map_err(|e| AppError::NotFound(format!("no person with id {raw:?} ({e})")))
}

/// The index of a person the account may see, or "not found" for anyone else.
fn visible(
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

#[derive(Serialize)]
struct PersonDto<'a> {
    id: &'a str,
    name: &'a str,
    email: &'a str,
    level: &'a str,
    team: Option<&'a str>,
    manager: Option<&'a str>,
    willing_to_manage: &'static str,
    role: Option<&'static str>,
    since: Option<String>,
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

async fn list_people(
    State(state): State<AppState>,
    Authenticated(account): Authenticated,
    Query(q): Query<AsOf>,
) -> Result<Json<Value>, AppError> {
    let as_of = q.day()?;
    let snapshot = state.snapshot().await?;
    let people: Vec<PersonDto<'_>> = (0..snapshot.ledger.people().len())
        .filter(|&i| {
            account.view_of(&snapshot.ledger, &snapshot.ledger.person_at(i).id) != View::Hidden
        })
        .map(|i| person_dto(&snapshot, i, as_of))
        .collect();
    Ok(Json(json!({ "people": people })))
}

async fn person(
    State(state): State<AppState>,
    Authenticated(account): Authenticated,
    Path(id): Path<String>,
    Query(q): Query<AsOf>,
) -> Result<Json<Value>, AppError> {
    let as_of = q.day()?;
    let snapshot = state.snapshot().await?;
    let (i, _) = visible(&snapshot, &account, &person_id(&id)?)?;
    let nudges =
        pendulum_core::rules::evaluate_person(&snapshot.ledger, &snapshot.policy, as_of, i);
    let mut value = serde_json::to_value(person_dto(&snapshot, i, as_of))
        .map_err(|e| AppError::Internal(e.to_string()))?;
    value["nudges"] = pendulum_exchange::nudges_json(&nudges, &snapshot.ledger);
    Ok(Json(value))
}

async fn stints(
    State(state): State<AppState>,
    Authenticated(account): Authenticated,
    Path(id): Path<String>,
) -> Result<Json<Value>, AppError> {
    let snapshot = state.snapshot().await?;
    let (i, _) = visible(&snapshot, &account, &person_id(&id)?)?;
    let stints: Vec<Value> = snapshot
        .ledger
        .stints_of(i)
        .iter()
        .map(|s| {
            json!({
                "role": s.role.as_str(), "team": s.team.as_ref().map(TeamId::as_str), "level": s.level.name(),
                "start": s.start.to_string(), "end": s.end.map(|e| e.to_string()), "chosen": s.chosen,
                "trial_end": s.trial_end.map(|t| t.to_string()),
            })
        })
        .collect();
    Ok(Json(json!({ "stints": stints })))
}

fn checkin_json(c: &CheckIn, view: View) -> Value {
    let mut value = json!({
        "date": c.date.to_string(), "joy": c.joy.get(), "energy": c.energy.get(), "learning": c.learning.get(),
    });
    // A note is its author's alone: the key is absent for everyone else.
    if view == View::Own {
        value["note"] = json!(c.note);
    }
    value
}

async fn checkins(
    State(state): State<AppState>,
    Authenticated(account): Authenticated,
    Path(id): Path<String>,
) -> Result<Json<Value>, AppError> {
    let snapshot = state.snapshot().await?;
    let (i, view) = visible(&snapshot, &account, &person_id(&id)?)?;
    let list: Vec<Value> = snapshot
        .ledger
        .checkins_of(i)
        .iter()
        .map(|c| checkin_json(c, view))
        .collect();
    Ok(Json(json!({ "checkins": list })))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NewCheckin {
    date: Option<String>,
    joy: u8,
    energy: u8,
    learning: u8,
    note: Option<String>,
}

fn score(value: u8, field: &str) -> Result<Score, AppError> {
    Score::new(value).map_err(|e| AppError::Unprocessable(format!("{field}: {e}")))
}

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
        state
            .audit(
                Some(&account.email),
                "record check-in",
                Some(id.as_str()),
                "denied",
            )
            .await;
        return Err(AppError::Forbidden(
            "a check-in can only be recorded by the person it is about".into(),
        ));
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
    Ok((StatusCode::CREATED, Json(checkin_json(&checkin, View::Own))))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NewSwing {
    to: String,
    on: String,
    team: Option<String>,
    level: Option<String>,
    trial_until: Option<String>,
    chosen: Option<bool>,
}

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
        state
            .audit(
                Some(&account.email),
                "record swing",
                Some(id.as_str()),
                "denied",
            )
            .await;
        return Err(AppError::Forbidden(
            "only an admin or a manager above this person can record their swing".into(),
        ));
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
    Ok((
        StatusCode::CREATED,
        Json(json!({
            "person": id.as_str(), "role": new.role.as_str(), "start": new.start.to_string(),
            "level": new.level.name(), "team": new.team.as_ref().map(TeamId::as_str),
            "trial_end": new.trial_end.map(|t| t.to_string()),
        })),
    ))
}

async fn nudges(
    State(state): State<AppState>,
    Authenticated(account): Authenticated,
    Query(q): Query<AsOf>,
) -> Result<Json<Value>, AppError> {
    let as_of = q.day()?;
    let only = q.person.as_deref().map(person_id).transpose()?;
    let snapshot = state.snapshot().await?;
    if let Some(id) = &only {
        visible(&snapshot, &account, id)?;
    }
    let ledger = &snapshot.ledger;
    let nudges: Vec<_> = pendulum_core::rules::evaluate(ledger, &snapshot.policy, as_of)
        .into_iter()
        .filter(|n| only.as_ref().is_none_or(|p| n.person == *p))
        .filter(|n| account.view_of(ledger, &n.person) != View::Hidden)
        .collect();
    Ok(Json(
        json!({"as_of": as_of.to_string(), "nudges": pendulum_exchange::nudges_json(&nudges, ledger)}),
    ))
}

async fn metrics(
    State(state): State<AppState>,
    Authenticated(account): Authenticated,
    Query(q): Query<AsOf>,
) -> Result<Json<Value>, AppError> {
    if !account.may_see_org_metrics() {
        state
            .audit(Some(&account.email), "read metrics", None, "denied")
            .await;
        return Err(AppError::Forbidden(
            "org metrics are for managers and admins".into(),
        ));
    }
    let as_of = q.day()?;
    let snapshot = state.snapshot().await?;
    let report = Report::new(&snapshot.ledger, &snapshot.policy, as_of);
    let mut value = pendulum_exchange::report_json(&report, &snapshot.ledger);
    Ok(Json(
        json!({"as_of": as_of.to_string(), "metrics": value["metrics"].take()}),
    ))
}

fn require_admin(account: &Account) -> Result<(), AppError> {
    if account.may_administer() {
        Ok(())
    } else {
        Err(AppError::Forbidden("this needs an admin account".into()))
    }
}

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

async fn import(
    State(state): State<AppState>,
    Authenticated(account): Authenticated,
    body: Bytes,
) -> Result<Json<Value>, AppError> {
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
            let import = pendulum_exchange::parse_import(std::slice::from_ref(&file), &snapshot.policy, &snapshot.ledger)
                .map_err(|p| AppError::Unprocessable(p.to_string()))?;
            if import.policy.as_ref().is_some_and(|p| p.ladder != snapshot.policy.ladder) && !snapshot.ledger.people().is_empty() {
                return Err(AppError::Unprocessable(
                    "the document's policy has a different ladder from the one in force".into(),
                ));
            }
            let parts = &import.parts;
            let counts = json!({
                "people": parts.people.len(), "teams": parts.teams.len(), "stints": parts.stints.len(),
                "checkins": parts.checkins.len(), "evidence": parts.git.len() + parts.calendar.len(),
            });
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
    Ok(Json(json!({ "imported": counts? })))
}
