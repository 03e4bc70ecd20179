//! The signed-in account's own page: a new password, and signing out everywhere, for when
//! a password or a signed-in browser may be in other hands. Either ends the account's
//! other sessions; signing out everywhere ends this one too.

use std::time::Instant;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::http::header::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use pendulum_store::Store;
use serde::Deserialize;

use super::session::{self, CsrfOnly, ToLogin};
use super::{Form, Nav, PageError, Signed, render};
use crate::auth::{self, MIN_PASSWORD_CHARS, NewPassword, token_hash};
use crate::{AppError, AppState};

#[derive(Template)]
#[template(path = "account.html")]
pub(super) struct AccountPage {
    nav: Option<Nav>,
    email: String,
    csrf: String,
    min_chars: usize,
    flash: Option<String>,
    error: Option<String>,
}

#[derive(Deserialize)]
pub(super) struct AccountQuery {
    done: Option<String>,
}

pub(super) async fn account_page(
    signed: Signed,
    Query(q): Query<AccountQuery>,
) -> Result<Response, PageError> {
    let flash = (q.done.as_deref() == Some("password"))
        .then(|| "Password changed; every other session of yours has ended.".to_owned());
    page(&signed, flash, None, StatusCode::OK)
}

fn page(
    signed: &Signed,
    flash: Option<String>,
    error: Option<String>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let page = AccountPage {
        nav: Some(signed.nav()),
        email: signed.account.email.to_string(),
        csrf: signed.csrf.clone(),
        min_chars: MIN_PASSWORD_CHARS,
        flash,
        error,
    };
    Ok((status, render(&page)?).into_response())
}

#[derive(Deserialize)]
pub(super) struct PasswordForm {
    csrf: String,
    current: String,
    new: String,
    repeat: String,
}

/// Changes the account's password: the current one is required (a browser left signed
/// in is not enough), and counts towards the same back-off as a sign-in.
pub(super) async fn change_password(
    State(state): State<AppState>,
    signed: Signed,
    headers: HeaderMap,
    Form(form): Form<PasswordForm>,
) -> Result<Response, PageError> {
    const ACTION: &str = "change password";
    signed.check_csrf(&form.csrf)?;
    let email = signed.account.email.clone();
    if let Some(refused) = session::backed_off(&state, &email, ACTION).await {
        let shown = page(
            &signed,
            None,
            Some(refused.message.clone()),
            StatusCode::TOO_MANY_REQUESTS,
        )?;
        return Ok(refused.retry_after(shown));
    }
    let invalid = |message: String| {
        page(
            &signed,
            None,
            Some(message),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
    };
    if form.new != form.repeat {
        return invalid("The new password and its repetition differ.".to_owned());
    }
    let new = match NewPassword::parse(form.new) {
        Ok(new) => new,
        Err(e) => return invalid(format!("New password: {e}.")),
    };
    let Some(stored) = state.store().account(&email).await? else {
        return Ok(ToLogin.into_response());
    };
    let current = form.current;
    let hash = stored.password_hash;
    let matches = state
        .password_work(move || auth::verify_password(&current, &hash))
        .await?;
    if !matches {
        state.account_backoff().failed(&email, Instant::now());
        state.audit(Some(&email), ACTION, None, "denied").await;
        return page(
            &signed,
            None,
            Some("The current password is wrong.".to_owned()),
            StatusCode::FORBIDDEN,
        );
    }
    state.account_backoff().succeeded(&email);
    let new_hash = state
        .password_work(move || new.hash())
        .await?
        .map_err(|e| AppError::Internal(e.to_string()))?;
    state.store().set_password_hash(&email, &new_hash).await?;
    // Whoever signed in with the old password is signed out; this browser stays.
    let this = session::cookie(&headers, state.session_cookie()).map(token_hash);
    state
        .store()
        .delete_sessions_of(&email, this.as_deref())
        .await?;
    state.audit(Some(&email), ACTION, None, "ok").await;
    Ok(Redirect::to("/account?done=password").into_response())
}

/// Ends every session of the account, this one included.
pub(super) async fn sign_out_everywhere(
    State(state): State<AppState>,
    signed: Signed,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, PageError> {
    signed.check_csrf(&form.csrf)?;
    let email = &signed.account.email;
    state.store().delete_sessions_of(email, None).await?;
    state
        .audit(Some(email), "sign out everywhere", None, "ok")
        .await;
    Ok(session::signed_out(&state))
}
