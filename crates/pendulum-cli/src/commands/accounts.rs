//! `serve`, `user` and `token`: the web face and its accounts.

use std::io::{self, IsTerminal, Read};
use std::net::SocketAddr;

use anyhow::{Context as _, Result, bail};
use pendulum_core::{Account, AccountRole, Email, PersonId};
use pendulum_server::{AppState, auth};
use pendulum_store::{NewAccount, Store};

use crate::cli::LogFormat;
use crate::context::Context;
use crate::output;

/// Whether the server is reached over TLS, which decides how its cookies are marked.
#[derive(Debug, Clone, Copy)]
pub enum Cookies {
    Plain,
    Secure,
}

pub async fn serve(
    ctx: Context,
    bind: SocketAddr,
    cookies: Cookies,
    log_format: LogFormat,
) -> Result<()> {
    let logs = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_writer(io::stderr);
    match log_format {
        // Each line carries the fields of the request's span, its id among them.
        LogFormat::Json => logs.json().with_current_span(true).init(),
        LogFormat::Text => logs.with_ansi(io::stderr().is_terminal()).init(),
    }
    let listener = tokio::net::TcpListener::bind(bind)
        .await
        .with_context(|| format!("cannot listen on {bind}; is another server using it?"))?;
    let policy_override = match ctx.policy_source {
        crate::context::PolicySource::File(_) => Some(ctx.policy.clone()),
        _ => None,
    };
    let mut state = AppState::new(ctx.store.clone(), policy_override);
    if matches!(cookies, Cookies::Secure) {
        state = state.with_secure_cookies();
    }
    tracing::info!(address = %listener.local_addr()?, database = %ctx.location, "serving");
    output::line(format!(
        "serving {} on http://{}",
        ctx.location,
        listener.local_addr()?
    ))?;
    pendulum_server::serve(listener, state, shutdown_signal()).await?;
    tracing::info!("stopped");
    Ok(())
}

/// Ctrl-C or SIGTERM: stop taking connections and finish the requests under way.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}

fn email(raw: &str) -> Result<Email> {
    Email::parse(raw).context("EMAIL")
}

pub async fn add_user(
    ctx: &Context,
    raw_email: &str,
    role: AccountRole,
    person: Option<PersonId>,
) -> Result<()> {
    let email = email(raw_email)?;
    if person.is_none() && role != AccountRole::Admin {
        bail!(
            "--person: a {role} account must name the person it is (only an admin may have none)"
        );
    }
    if let Some(p) = &person
        && ctx.ledger().await?.person(p).is_none()
    {
        bail!("--person: no person has the id {:?}", p.as_str());
    }
    let mut password = String::new();
    io::stdin()
        .read_to_string(&mut password)
        .context("cannot read the password from standard input")?;
    let password = password.trim_end_matches(['\n', '\r']).to_owned();
    if password.chars().count() < 12 {
        bail!("the password must be at least 12 characters long");
    }
    let hash = tokio::task::spawn_blocking(move || auth::hash_password(&password)).await??;
    let account = Account {
        email: email.clone(),
        role,
        person,
    };
    ctx.store
        .create_account(&NewAccount {
            account,
            password_hash: hash,
        })
        .await?;
    ctx.store
        .audit(&pendulum_store::AuditEntry {
            actor: None,
            action: "create account".into(),
            subject: Some(email.to_string()),
            outcome: "ok".into(),
        })
        .await?;
    output::line(format!("account {email} created ({role})"))?;
    Ok(())
}

pub async fn disable_user(ctx: &Context, raw_email: &str) -> Result<()> {
    let email = email(raw_email)?;
    if !ctx.store.set_account_disabled(&email, true).await? {
        bail!("there is no account for {email}");
    }
    output::line(format!(
        "account {email} disabled; its tokens no longer work"
    ))?;
    Ok(())
}

pub async fn create_token(ctx: &Context, raw_email: &str) -> Result<()> {
    let email = email(raw_email)?;
    let token = auth::new_token()?;
    ctx.store
        .create_token(&email, &token.id, &token.hash)
        .await?;
    anstream::eprintln!(
        "token {} for {email}; it is shown this once, so keep it now:",
        token.id
    );
    output::line(&token.token)?;
    Ok(())
}

pub async fn revoke_token(ctx: &Context, id: &str) -> Result<()> {
    if !ctx.store.revoke_token(id).await? {
        bail!("no live token has the id {id:?}");
    }
    output::line(format!("token {id} revoked"))?;
    Ok(())
}
