//! Sessions and sign-in: the session cookie and its timeouts (and the purge of expired
//! sessions), the CSRF token every form carries, the sign-in form with its own CSRF
//! cookie, sign-out, and the sign-in limits of `limits.rs` applied.

use std::time::{Duration, Instant};

use askama::Template;
use axum::extract::{FromRequestParts, State};
use axum::http::StatusCode;
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use pendulum_core::Account;
use pendulum_store::{NewSession, SessionExpiry, Store, StoreError};
use serde::Deserialize;

use super::{Form, Nav, PageError, render};
use crate::auth::{self, token_hash};
use crate::client::ClientKey;
use crate::limits::Admission;
use crate::{AppError, AppState};

/// A session ends after this long without a request...
pub(super) const IDLE_TIMEOUT_SECS: i64 = 30 * 60;
/// ...and after this long in any case.
pub(super) const ABSOLUTE_TIMEOUT_SECS: i64 = 12 * 60 * 60;
/// Activity is written at most this often, to keep reads from becoming writes.
pub(super) const TOUCH_EVERY_SECS: i64 = 60;
/// Expired sessions are deleted this often (and once when the server starts).
pub(crate) const PURGE_EVERY: Duration = Duration::from_secs(10 * 60);
/// The largest sign-in form taken: a CSRF token, an email address of at most 254
/// characters and a password, percent-encoded, fit many times over.
pub(crate) const LOGIN_FORM_MAX_BYTES: usize = 8 * 1024;

pub(super) fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

pub(super) fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// A signed-in browser: the account and the CSRF token its forms must carry.
#[derive(Debug, Clone)]
pub(crate) struct Signed {
    pub(crate) account: Account,
    pub(crate) csrf: String,
}

impl Signed {
    pub(crate) fn check_csrf(&self, sent: &str) -> Result<(), AppError> {
        if constant_time_eq(self.csrf.as_bytes(), sent.as_bytes()) {
            Ok(())
        } else {
            Err(AppError::Forbidden("the form is out of date or was not sent by this site; reload the page and try again".into()))
        }
    }

    pub(crate) fn nav(&self) -> Nav {
        Nav {
            email: self.account.email.to_string(),
            csrf: self.csrf.clone(),
            me: self.account.person.as_ref().map(|p| p.to_string()),
            sees_org: self.account.may_see_org_metrics(),
            admin: self.account.may_administer(),
        }
    }
}

pub(super) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Pages send a browser without a session to the sign-in page.
pub(crate) struct ToLogin;

impl IntoResponse for ToLogin {
    fn into_response(self) -> Response {
        Redirect::to("/login").into_response()
    }
}

impl FromRequestParts<AppState> for Signed {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Some(id) = cookie(&parts.headers, state.session_cookie()) else {
            return Err(ToLogin.into_response());
        };
        let hash = token_hash(id);
        let session = state
            .store()
            .session(&hash)
            .await
            .map_err(|e| AppError::from(e).into_response())?;
        let Some(session) = session else {
            return Err(ToLogin.into_response());
        };
        let now = now();
        if now - session.last_seen > IDLE_TIMEOUT_SECS
            || now - session.created_at > ABSOLUTE_TIMEOUT_SECS
        {
            let _ = state.store().delete_session(&hash).await;
            return Err(ToLogin.into_response());
        }
        if now - session.last_seen > TOUCH_EVERY_SECS {
            state
                .store()
                .touch_session(&hash, now)
                .await
                .map_err(|e| AppError::from(e).into_response())?;
        }
        Ok(Signed {
            account: session.account,
            csrf: session.csrf,
        })
    }
}

pub(super) fn random_hex() -> Result<String, AppError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(hex::encode(bytes))
}

#[derive(Template)]
#[template(path = "login.html")]
pub(super) struct LoginPage {
    nav: Option<Nav>,
    csrf: String,
    error: Option<String>,
}

/// The sign-in form carries a CSRF token that must match a cookie set with it, so another
/// site cannot sign a browser in to an account of its choosing.
pub(super) async fn login_page(State(state): State<AppState>) -> Result<Response, PageError> {
    login_form(&state, None, StatusCode::OK)
}

pub(super) fn login_form(
    state: &AppState,
    error: Option<String>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let csrf = random_hex()?;
    let page = render(&LoginPage {
        nav: None,
        csrf: csrf.clone(),
        error,
    })?;
    let cookie = format!(
        "{}={csrf}; Path=/login; HttpOnly; SameSite=Strict{}",
        state.login_cookie(),
        state.secure_attr()
    );
    Ok((status, [(header::SET_COOKIE, cookie)], page).into_response())
}

#[derive(Deserialize)]
pub(super) struct LoginForm {
    csrf: String,
    email: String,
    password: String,
}

pub(super) async fn login(
    State(state): State<AppState>,
    client: ClientKey,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Result<Response, PageError> {
    if let Admission::Refused { first, retry_after } =
        state.login_limiter().admit(client, Instant::now())
    {
        // Once per client and window: a flood of refused attempts writes one line.
        if first {
            let subject = client.to_string();
            state
                .audit(None, "sign-in", Some(&subject), "rate-limited")
                .await;
        }
        return Ok((
            StatusCode::TOO_MANY_REQUESTS,
            [(header::RETRY_AFTER, whole_seconds(retry_after).to_string())],
            "too many sign-in attempts; wait a few minutes",
        )
            .into_response());
    }
    let expected = cookie(&headers, state.login_cookie()).unwrap_or_default();
    if expected.is_empty() || !constant_time_eq(expected.as_bytes(), form.csrf.as_bytes()) {
        return login_form(
            &state,
            Some("The form expired; please sign in again.".into()),
            StatusCode::FORBIDDEN,
        );
    }
    let email = pendulum_core::Email::parse(&form.email).ok();
    if let Some(e) = &email
        && let Some(refused) = backed_off(&state, e, "sign-in").await
    {
        let page = login_form(
            &state,
            Some(refused.message.clone()),
            StatusCode::TOO_MANY_REQUESTS,
        )?;
        return Ok(refused.retry_after(page));
    }
    let stored = match &email {
        Some(e) => state.store().account(e).await?,
        None => None,
    };
    let password = form.password;
    // Verify even when the account is unknown, so timing does not tell which emails exist.
    let hash = stored
        .as_ref()
        .map(|s| s.password_hash.clone())
        .unwrap_or_else(|| state.decoy_hash().to_owned());
    let matches = state
        .password_work(move || auth::verify_password(&password, &hash))
        .await?;
    let Some(stored) = stored.filter(|s| matches && !s.disabled) else {
        if let Some(e) = &email {
            state.account_backoff().failed(e, Instant::now());
        }
        state.audit(email.as_ref(), "sign-in", None, "denied").await;
        return login_form(
            &state,
            Some("Wrong email or password.".into()),
            StatusCode::UNAUTHORIZED,
        );
    };
    state.account_backoff().succeeded(&stored.account.email);
    // A fresh session id at every sign-in: an id planted before cannot be carried over.
    let id = random_hex()?;
    state
        .store()
        .create_session(&NewSession {
            id_hash: token_hash(&id),
            account: stored.account.email.clone(),
            csrf: random_hex()?,
            now: now(),
        })
        .await?;
    state
        .audit(Some(&stored.account.email), "sign-in", None, "ok")
        .await;
    let target = match (&stored.account.person, stored.account.may_see_org_metrics()) {
        (_, true) | (None, _) => "/".to_owned(),
        (Some(p), false) => format!("/people/{p}"),
    };
    let session = format!(
        "{}={id}; Path=/; HttpOnly; SameSite=Lax{}",
        state.session_cookie(),
        state.secure_attr()
    );
    let clear = format!(
        "{}=; Path=/login; Max-Age=0; HttpOnly; SameSite=Strict{}",
        state.login_cookie(),
        state.secure_attr()
    );
    let mut response = Redirect::to(&target).into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        HeaderValue::from_str(&session).map_err(|e| AppError::Internal(e.to_string()))?,
    );
    response.headers_mut().append(
        header::SET_COOKIE,
        HeaderValue::from_str(&clear).map_err(|e| AppError::Internal(e.to_string()))?,
    );
    Ok(response)
}

/// While `email`'s back-off lasts, what to tell an attempt to prove its password: the
/// message and the seconds to wait. Known and unknown addresses alike, and before any
/// look-up, so that neither the answer nor its timing tells which accounts exist.
pub(super) async fn backed_off(
    state: &AppState,
    email: &pendulum_core::Email,
    action: &'static str,
) -> Option<BackedOff> {
    let Admission::Refused { first, retry_after } =
        state.account_backoff().admit(email, Instant::now())
    else {
        return None;
    };
    if first {
        state.audit(Some(email), action, None, "backed-off").await;
    }
    let seconds = whole_seconds(retry_after);
    let minutes = seconds.div_ceil(60);
    let message = format!(
        "Too many failed sign-ins for this email address; try again in {minutes} minute{}.",
        if minutes == 1 { "" } else { "s" }
    );
    Some(BackedOff { message, seconds })
}

/// The refusal of an attempt during a back-off.
pub(super) struct BackedOff {
    pub(super) message: String,
    pub(super) seconds: u64,
}

impl BackedOff {
    /// Adds the `Retry-After` header to the page that shows the refusal.
    pub(super) fn retry_after(&self, mut page: Response) -> Response {
        if let Ok(value) = HeaderValue::from_str(&self.seconds.to_string()) {
            page.headers_mut().insert(header::RETRY_AFTER, value);
        }
        page
    }
}

#[derive(Deserialize)]
pub(super) struct CsrfOnly {
    pub(super) csrf: String,
}

pub(super) async fn logout(
    State(state): State<AppState>,
    signed: Signed,
    headers: HeaderMap,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, PageError> {
    signed.check_csrf(&form.csrf)?;
    if let Some(id) = cookie(&headers, state.session_cookie()) {
        state.store().delete_session(&token_hash(id)).await?;
    }
    Ok(signed_out(&state))
}

/// Sends a browser whose session has ended to the sign-in page, clearing its cookie.
pub(super) fn signed_out(state: &AppState) -> Response {
    let clear = format!(
        "{}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax{}",
        state.session_cookie(),
        state.secure_attr()
    );
    ([(header::SET_COOKIE, clear)], Redirect::to("/login")).into_response()
}

/// A wait in whole seconds, rounded up, and at least one.
fn whole_seconds(wait: Duration) -> u64 {
    u64::try_from(wait.as_millis().div_ceil(1000))
        .unwrap_or(u64::MAX)
        .max(1)
}

/// Deletes the sessions past their idle or absolute timeout as of `now` (Unix seconds).
pub(crate) async fn purge_expired_sessions(state: &AppState, now: i64) -> Result<u64, StoreError> {
    state
        .store()
        .purge_sessions(SessionExpiry {
            idle_before: now - IDLE_TIMEOUT_SECS,
            created_before: now - ABSOLUTE_TIMEOUT_SECS,
        })
        .await
}

/// The periodic purge of expired sessions; it stops when dropped.
#[derive(Debug)]
pub(crate) struct SessionPurge(tokio::task::JoinHandle<()>);

impl Drop for SessionPurge {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Purges expired sessions now, then every [`PURGE_EVERY`] until the result is dropped.
/// A session is refused once expired whether or not it has been purged: the purge only
/// keeps the table from holding every session ever opened.
pub(crate) async fn start_session_purge(state: &AppState) -> SessionPurge {
    async fn purge(state: &AppState) {
        match purge_expired_sessions(state, now()).await {
            Ok(0) => {}
            Ok(sessions) => tracing::info!(sessions, "purged expired sessions"),
            Err(e) => tracing::warn!(error = %e, "cannot purge expired sessions"),
        }
    }
    purge(state).await;
    let state = state.clone();
    SessionPurge(tokio::spawn(async move {
        let mut every = tokio::time::interval(PURGE_EVERY);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        // The first tick is immediate, and the purge at start has just run.
        every.tick().await;
        loop {
            every.tick().await;
            purge(&state).await;
        }
    }))
}
