//! The policy page: an admin reads and edits the thresholds in force, checked like
//! `pendulum policy set`.

use super::Form;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use pendulum_store::Store;
use serde::Deserialize;

use super::{Nav, PageError, Signed, render};
use crate::{AppError, AppState};

#[derive(Template)]
#[template(path = "policy.html")]
pub(super) struct PolicyPage {
    nav: Option<Nav>,
    csrf: String,
    text: String,
    flash: Option<String>,
    error: Option<String>,
}

pub(super) async fn policy_page(
    State(state): State<AppState>,
    signed: Signed,
) -> Result<Response, PageError> {
    if !signed.account.may_administer() {
        return Err(AppError::Forbidden("the policy is the admin's".into()).into());
    }
    let snapshot = state.snapshot().await?;
    let page = PolicyPage {
        nav: Some(signed.nav()),
        csrf: signed.csrf.clone(),
        text: snapshot.policy.to_toml(),
        flash: None,
        error: None,
    };
    Ok(render(&page)?.into_response())
}

#[derive(Deserialize)]
pub(super) struct PolicyForm {
    csrf: String,
    policy: String,
}

pub(super) async fn save_policy(
    State(state): State<AppState>,
    signed: Signed,
    Form(form): Form<PolicyForm>,
) -> Result<Response, PageError> {
    signed.check_csrf(&form.csrf)?;
    if !signed.account.may_administer() {
        state
            .audit(Some(&signed.account.email), "set policy", None, "denied")
            .await;
        return Err(AppError::Forbidden("the policy is the admin's".into()).into());
    }
    let checked = match pendulum_core::Policy::from_toml(&form.policy) {
        // Every stored level must still be a rung of the new ladder.
        Ok(policy) => match state.store().ledger(&policy.ladder).await {
            Ok(_) => Ok(policy),
            Err(e) => Err(format!("the ledger does not fit this ladder: {e}")),
        },
        Err(e) => Err(e.to_string()),
    };
    let (flash, error, status) = match checked {
        Ok(policy) => {
            state.store().set_policy(&policy).await?;
            crate::fresh::forget_seen();
            state
                .audit(Some(&signed.account.email), "set policy", None, "ok")
                .await;
            (Some("Policy saved.".to_owned()), None, StatusCode::OK)
        }
        Err(e) => (None, Some(e), StatusCode::UNPROCESSABLE_ENTITY),
    };
    let page = PolicyPage {
        nav: Some(signed.nav()),
        csrf: signed.csrf.clone(),
        text: form.policy,
        flash,
        error,
    };
    Ok((status, render(&page)?).into_response())
}
