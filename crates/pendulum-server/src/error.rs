//! One error type for every route: the status and `{"error": {"code", "message"}}` body a
//! client sees. Server faults are logged once, here, and never shown in detail.

use std::time::Duration;

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
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
    #[error("{0}")]
    Conflict(String),
    /// Every slot for the work asked for is taken; the client may try again after
    /// `retry_after`.
    #[error("{message}")]
    Busy {
        message: String,
        retry_after: Duration,
    },
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
            AppError::Unprocessable(_) => (StatusCode::UNPROCESSABLE_ENTITY, "invalid"),
            AppError::Conflict(_) => (StatusCode::CONFLICT, "conflict"),
            AppError::Busy { .. } => (StatusCode::SERVICE_UNAVAILABLE, "busy"),
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
    /// One of `unauthenticated` (401), `forbidden` (403), `not_found` (404),
    /// `bad_request` (400), `invalid` (422), `conflict` (409), `busy` (503, with a
    /// `Retry-After` header) and `internal` (500).
    #[schema(example = "not_found")]
    code: &'static str,
    /// What failed and what to do; never internal detail.
    message: String,
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
