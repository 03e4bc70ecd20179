//! `serve`, `user` and `token`: the web face and its accounts.

use std::io::{self, IsTerminal, Read};
use std::net::SocketAddr;

use anyhow::{Context as _, Result, bail};
use pendulum_core::{Account, AccountRole, Email, PersonId};
use pendulum_server::auth::NewPassword;
use pendulum_server::{AppState, TrustedProxies, auth};
use pendulum_store::{Actor, AuditEntry, NewAccount, Store};

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
    proxies: TrustedProxies,
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
    state = state.with_trusted_proxies(proxies);
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
    let password = read_password()?;
    let hash = tokio::task::spawn_blocking(move || password.hash()).await??;
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
    audit(ctx, "create account", email.as_str(), "ok").await?;
    output::line(format!("account {email} created ({role})"))?;
    Ok(())
}

/// A new password from standard input, without its line ending.
fn read_password() -> Result<NewPassword> {
    let mut password = String::new();
    io::stdin()
        .read_to_string(&mut password)
        .context("cannot read the password from standard input")?;
    let password = password.trim_end_matches(['\n', '\r']).to_owned();
    Ok(NewPassword::parse(password)?)
}

/// Records what a command did to an account in the audit log, as done by the command line
/// and the operating system user running it.
async fn audit(ctx: &Context, action: &str, subject: &str, outcome: &str) -> Result<()> {
    ctx.store
        .audit(&AuditEntry {
            actor: Actor::command_line(),
            action: action.to_owned(),
            subject: Some(subject.to_owned()),
            outcome: outcome.to_owned(),
        })
        .await?;
    Ok(())
}

pub async fn disable_user(ctx: &Context, raw_email: &str) -> Result<()> {
    let email = email(raw_email)?;
    if !ctx.store.set_account_disabled(&email, true).await? {
        audit(ctx, "disable account", email.as_str(), "failed").await?;
        bail!("there is no account for {email}");
    }
    audit(ctx, "disable account", email.as_str(), "ok").await?;
    output::line(format!(
        "account {email} disabled; its tokens no longer work"
    ))?;
    Ok(())
}

/// Gives an account a new password and ends its sessions, so that a browser signed in
/// with the old one (perhaps someone else's) is signed out.
pub async fn set_password(ctx: &Context, raw_email: &str) -> Result<()> {
    let email = email(raw_email)?;
    let password = read_password()?;
    let hash = tokio::task::spawn_blocking(move || password.hash()).await??;
    if !ctx.store.set_password_hash(&email, &hash).await? {
        audit(ctx, "change password", email.as_str(), "failed").await?;
        bail!("there is no account for {email}");
    }
    let ended = ctx.store.delete_sessions_of(&email, None).await?;
    audit(ctx, "change password", email.as_str(), "ok").await?;
    output::line(format!(
        "password of {email} changed; {ended} session{} ended",
        if ended == 1 { "" } else { "s" }
    ))?;
    Ok(())
}

/// Ends every session of an account; its API tokens are left alone (`token revoke`).
pub async fn sign_out_user(ctx: &Context, raw_email: &str) -> Result<()> {
    let email = email(raw_email)?;
    if ctx.store.account(&email).await?.is_none() {
        audit(ctx, "sign out everywhere", email.as_str(), "failed").await?;
        bail!("there is no account for {email}");
    }
    let ended = ctx.store.delete_sessions_of(&email, None).await?;
    audit(ctx, "sign out everywhere", email.as_str(), "ok").await?;
    output::line(format!(
        "{ended} session{} of {email} ended",
        if ended == 1 { "" } else { "s" }
    ))?;
    Ok(())
}

pub async fn create_token(ctx: &Context, raw_email: &str) -> Result<()> {
    let email = email(raw_email)?;
    let token = auth::new_token()?;
    let created = ctx.store.create_token(&email, &token.id, &token.hash).await;
    let subject = format!("{email} (token {})", token.id);
    let outcome = if created.is_ok() { "ok" } else { "failed" };
    audit(ctx, "create token", &subject, outcome).await?;
    created?;
    anstream::eprintln!(
        "token {} for {email}; it is shown this once, so keep it now:",
        token.id
    );
    output::line(&token.token)?;
    Ok(())
}

pub async fn revoke_token(ctx: &Context, id: &str) -> Result<()> {
    let subject = format!("token {id}");
    if !ctx.store.revoke_token(id).await? {
        audit(ctx, "revoke token", &subject, "failed").await?;
        bail!("no live token has the id {id:?}");
    }
    audit(ctx, "revoke token", &subject, "ok").await?;
    output::line(format!("token {id} revoked"))?;
    Ok(())
}
