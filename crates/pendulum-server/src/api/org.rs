//! The org-wide readings and the admin's exchange: nudges, metrics, export and import.

use pendulum_app::acting::authorize_admin;
use pendulum_app::exchange::{self, Run};
use pendulum_app::reading::org::{self as reading, NudgeQuery, Whose};

use super::*;

/// Nudges as of a day, most severe first.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = NudgeList)]
pub(crate) struct NudgeListDto<'a> {
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
pub(crate) async fn nudges(
    State(state): State<AppState>,
    Authenticated(account): Authenticated,
    Query(q): Query<NudgeFilter>,
) -> Result<Response, AppError> {
    let as_of = day(q.as_of.as_deref())?;
    let only = q.person.as_deref().map(person_id).transpose()?;
    let snapshot = state.snapshot().await?;
    let ledger = &snapshot.ledger;
    let query = NudgeQuery {
        whose: only.map_or(Whose::Everyone, Whose::About),
        severity: None,
        rule: None,
    };
    let nudges = reading::nudges(
        &Who::Account(account),
        ledger,
        &snapshot.policy,
        as_of,
        &query,
    )?;
    let list = NudgeListDto {
        as_of: as_of.to_string(),
        nudges: nudges.iter().map(|n| NudgeDoc::new(n, ledger)).collect(),
    };
    Ok(Json(list).into_response())
}

/// The org's health metrics as of a day.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = MetricsReport)]
pub(crate) struct MetricsDto {
    as_of: String,
    metrics: MetricsDoc,
}

/// Health metrics: an admin's over the org, a manager's over their line (themselves and
/// everyone below them).
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
pub(crate) async fn metrics(
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
                pendulum_app::reading::METRICS_FOR_MANAGERS,
            )
            .await);
    }
    let as_of = day(q.as_of.as_deref())?;
    let snapshot = state.snapshot().await?;
    // A manager's metrics are their line's, never the org's.
    let who = Who::Account(account);
    let metrics = reading::metrics(&who, &snapshot.ledger, &snapshot.policy, as_of)?;
    Ok(Json(MetricsDto {
        as_of: as_of.to_string(),
        metrics: MetricsDoc::from(&metrics),
    }))
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
pub(crate) async fn export(
    State(state): State<AppState>,
    Authenticated(account): Authenticated,
) -> Result<impl IntoResponse, AppError> {
    let snapshot = state.snapshot().await?;
    // Notes are their authors' alone, so an export over the API never carries them.
    let who = Who::Account(account);
    let doc = exchange::export(state.store(), &snapshot.ledger, &snapshot.policy, &who).await?;
    Ok(([(header::CONTENT_TYPE, "application/json")], doc))
}

/// How many records an import added.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ImportCounts {
    people: usize,
    teams: usize,
    stints: usize,
    checkins: usize,
    evidence: usize,
}

/// The outcome of an import.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Imported)]
pub(crate) struct ImportedDto {
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
        (status = 413, description = "A body over 2 MB", body = ErrorBody),
        (status = 422, description = "Every problem of the input, each with its line", body = ErrorBody),
    )
)]
pub(crate) async fn import(
    State(state): State<AppState>,
    Authenticated(account): Authenticated,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<ImportedDto>, AppError> {
    let who = Who::Account(account);
    // A refusal comes before the body is looked at.
    authorize_admin(state.store(), &who, Action::Import).await?;
    let file = InputFile {
        name: "request body".into(),
        bytes: body?.to_vec(),
    };
    let imported = state
        .write(async |store: &Db, s: &Snapshot| {
            let files = std::slice::from_ref(&file);
            exchange::import(store, &s.ledger, &s.policy, &who, files, Run::Write).await
        })
        .await?;
    Ok(Json(ImportedDto {
        imported: ImportCounts {
            people: imported.people,
            teams: imported.teams,
            stints: imported.stints,
            checkins: imported.checkins,
            evidence: imported.evidence,
        },
    }))
}
