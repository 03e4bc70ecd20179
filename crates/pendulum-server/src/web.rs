//! The dashboard: server-rendered pages with sessions, CSRF protection on every form, and a
//! sign-in rate limit. What a page shows is decided by `pendulum_core::access`, exactly as
//! for the API.

mod account;
mod career;
mod overview;
mod people;
mod person;
mod plans;
mod policy;
mod pulse;
mod reflect;
mod session;

use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, FromRequest, State};
use axum::http::header::{self, HeaderValue};
use axum::http::{Method, Request, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{MethodRouter, get, post};
use pendulum_core::Nudge;
use serde::Deserialize;

use crate::{AppError, AppState};

pub(crate) use session::{Signed, start_session_purge};

/// Every page route: one table, so that the authorization tests can check they cover all
/// of them.
fn table() -> Vec<(Method, &'static str, MethodRouter<AppState>)> {
    vec![
        (Method::GET, "/", get(overview::overview)),
        (Method::GET, "/login", get(session::login_page)),
        (
            Method::POST,
            "/login",
            post(session::login).layer(DefaultBodyLimit::max(session::LOGIN_FORM_MAX_BYTES)),
        ),
        (Method::POST, "/logout", post(session::logout)),
        (Method::GET, "/account", get(account::account_page)),
        (
            Method::POST,
            "/account/password",
            post(account::change_password),
        ),
        (
            Method::POST,
            "/account/sign-out-everywhere",
            post(account::sign_out_everywhere),
        ),
        (Method::GET, "/people", get(people::people)),
        (Method::GET, "/people/{id}", get(person::person)),
        (
            Method::POST,
            "/people/{id}/checkins",
            post(person::record_checkin),
        ),
        (
            Method::POST,
            "/people/{id}/swings",
            post(person::record_swing),
        ),
        (
            Method::POST,
            "/people/{id}/willing",
            post(person::record_answer),
        ),
        (
            Method::POST,
            "/people/{id}/stints/{start}",
            post(career::correct_stint),
        ),
        (
            Method::POST,
            "/people/{id}/stints/{start}/delete",
            post(career::delete_stint),
        ),
        (
            Method::POST,
            "/people/{id}/checkins/{date}/delete",
            post(career::delete_checkin),
        ),
        (Method::POST, "/people/{id}/leave", post(career::leave)),
        (
            Method::POST,
            "/people/{id}/return",
            post(career::return_to_work),
        ),
        (Method::GET, "/reflect", get(reflect::reflect_page)),
        (Method::POST, "/reflect", post(reflect::reflect)),
        (Method::GET, "/pulse", get(pulse::pulse_page)),
        (Method::POST, "/pulse", post(pulse::answer_pulse)),
        (Method::POST, "/pulse/close", post(pulse::close_pulse)),
        (Method::GET, "/plans", get(plans::rotation_page)),
        (
            Method::GET,
            "/plans/assignments",
            get(plans::assignments_page),
        ),
        (
            Method::POST,
            "/plans/assignments",
            post(plans::plan_assignments).layer(crate::transport::upload_body_limit()),
        ),
        (Method::GET, "/policy", get(policy::policy_page)),
        (Method::POST, "/policy", post(policy::save_policy)),
        (Method::GET, "/static/app.css", get(stylesheet)),
        (Method::GET, "/healthz", get(|| async { "ok" })),
    ]
}

/// The dashboard's routes, as method and path.
pub fn page_routes() -> Vec<(Method, &'static str)> {
    table().into_iter().map(|(m, p, _)| (m, p)).collect()
}

pub(crate) fn router() -> Router<AppState> {
    table()
        .into_iter()
        .fold(Router::new(), |r, (_, path, handler)| {
            r.route(path, handler)
        })
}

async fn stylesheet() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../static/app.css"),
    )
}

/// Headers on every response: a strict content policy, no sniffing, no framing, no caching
/// of anything but static files (pages and API answers carry people's data), and, behind
/// TLS, HSTS so that browsers never reach the server over plain HTTP again.
pub(crate) async fn security_headers(
    State(state): State<AppState>,
    request: Request<axum::body::Body>,
    next: Next,
) -> Response {
    let is_static = request.uri().path().starts_with("/static/");
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    if !is_static {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if state.secure_cookies() {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    response
}

/// A URL-encoded form whose refusal (too large, malformed, sent too slowly) is an error page
/// like any other.
pub(crate) struct Form<T>(pub T);

impl<T, S> FromRequest<S> for Form<T>
where
    axum::Form<T>: FromRequest<S, Rejection = axum::extract::rejection::FormRejection>,
    S: Send + Sync,
{
    type Rejection = PageError;

    async fn from_request(request: axum::extract::Request, state: &S) -> Result<Self, PageError> {
        let axum::Form(form) = axum::Form::<T>::from_request(request, state)
            .await
            .map_err(AppError::from)?;
        Ok(Form(form))
    }
}

/// The part of every page that knows who is signed in.
#[derive(Debug, Clone)]
pub(crate) struct Nav {
    email: String,
    csrf: String,
    me: Option<String>,
    sees_org: bool,
    admin: bool,
}

/// An error on a page: the same status as the API would give, shown as a page.
pub(crate) struct PageError(AppError);

impl From<AppError> for PageError {
    fn from(e: AppError) -> Self {
        Self(e)
    }
}

impl From<pendulum_app::reading::ReadError> for PageError {
    fn from(e: pendulum_app::reading::ReadError) -> Self {
        Self(e.into())
    }
}

impl From<pendulum_store::StoreError> for PageError {
    fn from(e: pendulum_store::StoreError) -> Self {
        Self(e.into())
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    nav: Option<Nav>,
    title: &'static str,
    message: String,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let api = self.0.into_response();
        let status = api.status();
        // The message the API would send; server faults were logged and stay generic.
        let title = status.canonical_reason().unwrap_or("Error");
        let message = match status {
            StatusCode::NOT_FOUND => "There is nothing here, or nothing you may see.".to_owned(),
            StatusCode::FORBIDDEN => "You may not do this.".to_owned(),
            StatusCode::PAYLOAD_TOO_LARGE => {
                "What was sent is larger than this page accepts (64 KB).".to_owned()
            }
            StatusCode::REQUEST_TIMEOUT => {
                "The form was not received in time; send it again.".to_owned()
            }
            StatusCode::SERVICE_UNAVAILABLE => {
                "The server is busy; try again in a moment.".to_owned()
            }
            s if s.is_server_error() => {
                "Something went wrong on our side; it has been logged.".to_owned()
            }
            _ => "The request could not be handled.".to_owned(),
        };
        match (ErrorPage {
            nav: None,
            title,
            message,
        })
        .render()
        {
            Ok(html) => (status, Html(html)).into_response(),
            Err(_) => status.into_response(),
        }
    }
}

fn render(template: &impl Template) -> Result<Html<String>, AppError> {
    template
        .render()
        .map(Html)
        .map_err(|e| AppError::Internal(e.to_string()))
}

#[derive(Deserialize)]
struct AsOfQuery {
    as_of: Option<String>,
}

/// A nudge as pages show it.
pub(crate) struct NudgeView {
    severity: &'static str,
    person: String,
    person_name: String,
    rule: &'static str,
    facts: Vec<FactView>,
    principle: &'static str,
    suggestion: String,
    /// Who should act on it, when not the person: (id, name).
    act_by: Option<(String, String)>,
}

struct FactView {
    text: String,
    source: &'static str,
}

fn nudge_views(nudges: &[Nudge], ledger: &pendulum_core::Ledger) -> Vec<NudgeView> {
    nudges
        .iter()
        .map(|n| NudgeView {
            severity: n.severity.as_str(),
            person: n.person.to_string(),
            person_name: ledger
                .person(&n.person)
                .map_or_else(|| n.person.to_string(), |p| p.name.clone()),
            rule: n.rule.as_str(),
            facts: n
                .facts
                .iter()
                .map(|f| FactView {
                    text: f.text.clone(),
                    source: f.source.as_str(),
                })
                .collect(),
            principle: n.principle,
            suggestion: n.suggestion.clone(),
            act_by: n.act_by.as_ref().map(|id| {
                let name = ledger
                    .person(id)
                    .map_or_else(|| id.to_string(), |p| p.name.clone());
                (id.to_string(), name)
            }),
        })
        .collect()
}
