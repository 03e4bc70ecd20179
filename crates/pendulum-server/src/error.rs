//! One error type for every route: the status and `{"error": {"code", "message"}}` body a
//! client sees. Server faults are logged once, here, and never shown in detail. Refusals made
//! before a handler runs (a body too large, a malformed form, an unknown route) are turned
//! into the same shape by [`json_or_page_errors`].

use std::time::Duration;

use axum::Json;
use axum::extract::Request;
use axum::extract::rejection::{BytesRejection, FormRejection, JsonRejection};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// What went wrong, as the client may learn it.
#[derive(Debug, Clone, thiserror::Error)]
pub enum AppError {
    #[error("sign in, or send an API token as `Authorization: Bearer TOKEN`")]
    Unauthenticated,
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    BadRequest(String),
    /// The request was understood but refused by the ledger's checks.
    #[error("{0}")]
    Unprocessable(String),
    /// The request was understood but some of its fields cannot be taken: every one is
    /// named, so that a client fixes them all at once. Never empty.
    #[error("{}", problems_text(.0))]
    Invalid(Vec<FieldProblem>),
    #[error("{0}")]
    Conflict(String),
    /// Every slot for the work asked for is taken (the server's requests at once, or its
    /// solvers); the client may try again after `retry_after`.
    #[error("{message}")]
    Busy {
        message: String,
        retry_after: Duration,
    },
    #[error("{0}")]
    TooLarge(String),
    #[error("{0}")]
    UnsupportedMediaType(String),
    #[error("{0}")]
    MethodNotAllowed(String),
    /// The client sent its body too slowly.
    #[error("the request body was not received in time")]
    RequestTimeout,
    /// The request took longer than its budget.
    #[error("the request took longer than {} s and was stopped", .0.as_secs())]
    TimedOut(Duration),
    /// A fault of the server; the detail goes to the log only.
    #[error("internal error")]
    Internal(String),
}

impl AppError {
    fn status_and_code(&self) -> (StatusCode, &'static str) {
        match self {
            AppError::Unauthenticated => (StatusCode::UNAUTHORIZED, "unauthenticated"),
            AppError::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden"),
            AppError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            AppError::BadRequest(_) => (StatusCode::BAD_REQUEST, "bad_request"),
            AppError::Unprocessable(_) | AppError::Invalid(_) => {
                (StatusCode::UNPROCESSABLE_ENTITY, "invalid")
            }
            AppError::Conflict(_) => (StatusCode::CONFLICT, "conflict"),
            AppError::Busy { .. } => (StatusCode::SERVICE_UNAVAILABLE, "busy"),
            AppError::TooLarge(_) => (StatusCode::PAYLOAD_TOO_LARGE, "too_large"),
            AppError::UnsupportedMediaType(_) => {
                (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type")
            }
            AppError::MethodNotAllowed(_) => (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed"),
            AppError::RequestTimeout => (StatusCode::REQUEST_TIMEOUT, "request_timeout"),
            AppError::TimedOut(_) => (StatusCode::SERVICE_UNAVAILABLE, "timeout"),
            AppError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        }
    }
}

/// The body of every error response.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(as = Error)]
pub struct ErrorBody {
    error: ErrorDetail,
}

/// What went wrong: a stable code for programs and a sentence for people.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// One of `bad_request` (400), `unauthenticated` (401), `forbidden` (403), `not_found`
    /// (404), `method_not_allowed` (405), `request_timeout` (408, a body sent too slowly),
    /// `conflict` (409), `too_large` (413), `unsupported_media_type` (415), `invalid` (422),
    /// `internal` (500), `busy` (503, too many requests or solves at once, with a
    /// `Retry-After` header) and `timeout` (503, a request over its time budget).
    #[schema(example = "not_found")]
    code: &'static str,
    /// What failed and what to do; never internal detail.
    message: String,
    /// For a request with fields that cannot be taken (422): each field and what is wrong
    /// with it; absent otherwise.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    problems: Vec<FieldProblem>,
}

/// One field of a request that cannot be taken, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FieldProblem {
    /// The field, as the request names it (`on`, `manager`, ...); `*` for the whole request.
    #[schema(example = "on")]
    pub field: String,
    #[schema(example = "\"2026-02-30\" is not a date (expected YYYY-MM-DD)")]
    pub message: String,
}

impl FieldProblem {
    pub fn new(field: impl Into<String>, message: impl ToString) -> Self {
        Self {
            field: field.into(),
            message: message.to_string(),
        }
    }
}

impl std::fmt::Display for FieldProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

fn problems_text(problems: &[FieldProblem]) -> String {
    problems
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// Why a correction, a departure or a return cannot be recorded, as the client sees it: a
/// record that is not there is not found, a state that forbids it (already left, not left)
/// is a conflict, and everything the ledger's checks refuse is named field by field.
impl From<pendulum_core::EditError> for AppError {
    fn from(e: pendulum_core::EditError) -> Self {
        use pendulum_core::EditError as E;
        match e {
            E::UnknownPerson(_)
            | E::NoStint { .. }
            | E::NoStintNumber { .. }
            | E::NoCheckIn { .. } => AppError::NotFound(e.to_string()),
            E::AlreadyLeft { .. } | E::NotLeft { .. } => AppError::Conflict(e.to_string()),
            E::LeaveTooEarly { .. } | E::LeaveBeforeLastEnd { .. } | E::ReturnTooEarly { .. } => {
                AppError::Invalid(vec![FieldProblem::new("on", &e)])
            }
            E::Invalid { field, message } => {
                AppError::Invalid(vec![FieldProblem::new(field, message)])
            }
            E::NoChange => AppError::Invalid(vec![FieldProblem::new("*", &e)]),
            E::Rejected(problems) => AppError::Invalid(
                problems
                    .iter()
                    .map(|p| FieldProblem::new(p.field.clone(), &p.message))
                    .collect(),
            ),
        }
    }
}

/// A use case's refusal as the client sees it: the ledger's refusals are 422 (a correction's
/// named field by field), a state that forbids the write or a store that changed since it
/// was read is a conflict, and anything else is a fault of ours.
impl From<pendulum_app::acting::WriteError> for AppError {
    fn from(e: pendulum_app::acting::WriteError) -> Self {
        use pendulum_app::acting::WriteError as W;
        match e {
            W::NotFound(message) => AppError::NotFound(message),
            W::Forbidden(message) => AppError::Forbidden(message),
            W::Edit(e) => e.into(),
            W::Swing(_) | W::Refused(_) | W::OtherLadder => AppError::Unprocessable(e.to_string()),
            W::StillManages { person, reports } => {
                let reports: Vec<&str> = reports.iter().map(|p| p.as_str()).collect();
                AppError::Conflict(format!(
                    "{person} still has people reporting to them ({}); give them another manager first",
                    reports.join(", ")
                ))
            }
            W::Conflict(message) => AppError::Conflict(message),
            W::UnreadableReflection { .. } | W::ReflectionsNotWritten(_) | W::Store(_) => {
                AppError::Internal(e.to_string())
            }
        }
    }
}

/// A reading's refusal: someone out of sight is "not found", a reading not for the account
/// "forbidden".
impl From<pendulum_app::reading::ReadError> for AppError {
    fn from(e: pendulum_app::reading::ReadError) -> Self {
        use pendulum_app::reading::ReadError as R;
        match e {
            R::NotFound(_) => AppError::NotFound(e.to_string()),
            R::Forbidden(message) => AppError::Forbidden(message.to_owned()),
        }
    }
}

/// Why a plan was not made, as the client sees it: the request's own fault (a pin or an
/// exclusion that names nobody, a horizon too long) is a bad request; an org the model
/// cannot take and input the stretch planner cannot take are unprocessable; a plan a
/// checker refuses, a flow that fails or a solver that stopped are faults of ours.
impl From<pendulum_app::plans::PlanError> for AppError {
    fn from(e: pendulum_app::plans::PlanError) -> Self {
        use pendulum_app::plans::PlanError as P;
        use pendulum_plan::StretchError;
        use pendulum_plan::org::OrgError;
        match e {
            P::Forbidden(message) => AppError::Forbidden(message),
            P::Org(OrgError::Exclude { person, reason }) => {
                AppError::BadRequest(format!("exclude {person}: {reason}"))
            }
            P::Org(e @ (OrgError::Pin { .. } | OrgError::Horizon { .. })) => {
                AppError::BadRequest(e.to_string())
            }
            P::Org(e) => AppError::Unprocessable(e.to_string()),
            P::Stretch(e @ (StretchError::Rejected(_) | StretchError::Flow(_))) => {
                AppError::Internal(e.to_string())
            }
            P::Stretch(e) => AppError::Unprocessable(e.to_string()),
            P::NoCapacity(_) => AppError::Unprocessable(format!(
                "skills: {e}: give one in a capacity column or a capacity for everyone"
            )),
            P::Band(_) => AppError::Unprocessable(e.to_string()),
            P::Busy { .. } => AppError::Busy {
                message: e.to_string(),
                retry_after: pendulum_app::plans::BUSY_RETRY_AFTER,
            },
            P::Rejected(_) | P::Stopped { .. } => AppError::Internal(e.to_string()),
        }
    }
}

impl From<pendulum_store::StoreError> for AppError {
    fn from(e: pendulum_store::StoreError) -> Self {
        match e {
            pendulum_store::StoreError::Conflict(m) => AppError::Conflict(m),
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        if let AppError::Internal(detail) = &self {
            tracing::error!(error = %detail, "request failed");
        }
        let body = ErrorBody {
            error: ErrorDetail {
                code,
                message: self.to_string(),
                problems: match &self {
                    AppError::Invalid(problems) => problems.clone(),
                    _ => Vec::new(),
                },
            },
        };
        let mut response = (status, Json(body)).into_response();
        if let AppError::Busy { retry_after, .. } = &self {
            response.headers_mut().insert(
                header::RETRY_AFTER,
                HeaderValue::from(retry_after.as_secs()),
            );
        }
        if status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

impl AppError {
    /// The server is handling as many requests as it may at once.
    pub(crate) fn server_busy() -> Self {
        AppError::Busy {
            message: "the server is busy; try again in a moment".into(),
            retry_after: Duration::from_secs(1),
        }
    }

    /// The error of a body an extractor refused: too large (413), of the wrong content type
    /// (415), cut off by the body timeout (408), or not the expected shape (400, as the API
    /// documents it; axum says 422 for a well-formed body of the wrong shape, which the API
    /// keeps for refusals of the ledger).
    fn rejected(
        status: StatusCode,
        text: String,
        error: &(dyn std::error::Error + 'static),
    ) -> Self {
        let mut source = Some(error);
        while let Some(e) = source {
            if e.is::<tower_http::timeout::TimeoutError>() {
                return AppError::RequestTimeout;
            }
            source = e.source();
        }
        match status {
            StatusCode::UNPROCESSABLE_ENTITY => AppError::BadRequest(text),
            other => Self::from_status(other, text),
        }
    }

    /// The error for a status and message made outside the handlers (axum's plain-text
    /// refusals); a blank message gets a sentence of its own.
    fn from_status(status: StatusCode, message: String) -> Self {
        let message = message.trim().to_owned();
        let or = |default: &str| {
            if message.is_empty() {
                default.to_owned()
            } else {
                message.clone()
            }
        };
        match status {
            StatusCode::BAD_REQUEST => AppError::BadRequest(or("the request is malformed")),
            StatusCode::UNAUTHORIZED => AppError::Unauthenticated,
            StatusCode::FORBIDDEN => AppError::Forbidden(or("you may not do this")),
            StatusCode::NOT_FOUND => AppError::NotFound(or("there is nothing at this address")),
            StatusCode::METHOD_NOT_ALLOWED => {
                AppError::MethodNotAllowed(or("this address does not take this method"))
            }
            StatusCode::REQUEST_TIMEOUT => AppError::RequestTimeout,
            StatusCode::CONFLICT => AppError::Conflict(or("the request conflicts with the data")),
            StatusCode::PAYLOAD_TOO_LARGE => {
                AppError::TooLarge(or("the request body is larger than this address accepts"))
            }
            StatusCode::UNSUPPORTED_MEDIA_TYPE => {
                AppError::UnsupportedMediaType(or("the request body has the wrong content type"))
            }
            StatusCode::UNPROCESSABLE_ENTITY => {
                AppError::Unprocessable(or("the request is invalid"))
            }
            StatusCode::SERVICE_UNAVAILABLE => AppError::server_busy(),
            other => AppError::Internal(format!("{other}: {message}")),
        }
    }
}

impl From<JsonRejection> for AppError {
    fn from(e: JsonRejection) -> Self {
        Self::rejected(e.status(), e.body_text(), &e)
    }
}

impl From<FormRejection> for AppError {
    fn from(e: FormRejection) -> Self {
        Self::rejected(e.status(), e.body_text(), &e)
    }
}

impl From<BytesRejection> for AppError {
    fn from(e: BytesRejection) -> Self {
        Self::rejected(e.status(), e.body_text(), &e)
    }
}

/// Rewrites an error response that is not already ours (axum's plain-text refusals, an
/// unknown route, a wrong method) into the JSON error shape under `/api/`, and into the
/// error page elsewhere; other headers (`Allow`, `Retry-After`) are kept.
pub(crate) async fn json_or_page_errors(request: Request, next: Next) -> Response {
    let api = request.uri().path().starts_with("/api/");
    let response = next.run(request).await;
    let status = response.status();
    let wanted = if api { "application/json" } else { "text/html" };
    let ours = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with(wanted));
    if !(status.is_client_error() || status.is_server_error()) || ours {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    // axum's refusals are a sentence; anything longer is not one and is not shown.
    let text = axum::body::to_bytes(body, 4096)
        .await
        .ok()
        .and_then(|b| String::from_utf8(b.to_vec()).ok())
        .unwrap_or_default();
    let error = AppError::from_status(status, text);
    let mut rewritten = if api {
        error.into_response()
    } else {
        crate::web::PageError::from(error).into_response()
    };
    *rewritten.status_mut() = status;
    parts.headers.remove(header::CONTENT_TYPE);
    parts.headers.remove(header::CONTENT_LENGTH);
    for (name, value) in &parts.headers {
        rewritten.headers_mut().insert(name, value.clone());
    }
    rewritten
}
