//! Accounts, API tokens, sessions and the audit log in PostgreSQL.
//!
//! Who did something is written as SQLite writes it (an address, `cli:` and the operating
//! system user, or NULL), so that the two backends' rows mean the same and copy across.

use pendulum_core::{Account, Email, PersonId};
use sqlx::Row;
use sqlx::postgres::{PgPool, PgRow};

use pendulum_store::{
    Actor, AuditEntry, NewAccount, NewSession, Session, SessionExpiry, StoreError, StoredAccount,
};

/// How the command line is written in the `actor` column, before the operating system user;
/// no real email address starts so.
const COMMAND_LINE_PREFIX: &str = "cli:";

fn account_from(row: &PgRow) -> Result<Account, StoreError> {
    let email: String = row.try_get("email")?;
    let corrupt = |message: String| StoreError::Corrupt {
        table: "accounts",
        key: format!("email={email}"),
        message,
    };
    Ok(Account {
        email: Email::parse(&email).map_err(|e| corrupt(format!("email: {e}")))?,
        role: row
            .try_get::<String, _>("role")?
            .parse()
            .map_err(|e| corrupt(format!("role: {e}")))?,
        person: row
            .try_get::<Option<String>, _>("person")?
            .map(|p| PersonId::parse(&p).map_err(|e| corrupt(format!("person: {e}"))))
            .transpose()?,
    })
}

pub(super) async fn create(pool: &PgPool, new: &NewAccount) -> Result<(), StoreError> {
    let result = sqlx::query(
        "INSERT INTO accounts (email, role, person, password_hash) VALUES ($1, $2, $3, $4)",
    )
    .bind(new.account.email.as_str())
    .bind(new.account.role.as_str())
    .bind(new.account.person.as_ref().map(PersonId::as_str))
    .bind(&new.password_hash)
    .execute(pool)
    .await;
    match result {
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Err(StoreError::Conflict(
            format!("an account for {} already exists", new.account.email),
        )),
        Err(sqlx::Error::Database(e)) if e.is_foreign_key_violation() => {
            Err(StoreError::Conflict(format!(
                "no person has the id {:?}",
                new.account.person.as_ref().map_or("", PersonId::as_str)
            )))
        }
        other => other.map(drop).map_err(StoreError::from),
    }
}

pub(super) async fn accounts_of(
    pool: &PgPool,
    person: &PersonId,
) -> Result<Vec<Account>, StoreError> {
    let rows =
        sqlx::query("SELECT email, role, person FROM accounts WHERE person = $1 ORDER BY email")
            .bind(person.as_str())
            .fetch_all(pool)
            .await?;
    rows.iter().map(account_from).collect()
}

pub(super) async fn by_email(
    pool: &PgPool,
    email: &Email,
) -> Result<Option<StoredAccount>, StoreError> {
    let row = sqlx::query(
        "SELECT email, role, person, password_hash, disabled FROM accounts WHERE email = $1",
    )
    .bind(email.as_str())
    .fetch_optional(pool)
    .await?;
    row.map(|row| {
        Ok(StoredAccount {
            account: account_from(&row)?,
            password_hash: row.try_get("password_hash")?,
            disabled: row.try_get("disabled")?,
        })
    })
    .transpose()
}

pub(super) async fn set_disabled(
    pool: &PgPool,
    email: &Email,
    disabled: bool,
) -> Result<bool, StoreError> {
    let done = sqlx::query("UPDATE accounts SET disabled = $1 WHERE email = $2")
        .bind(disabled)
        .bind(email.as_str())
        .execute(pool)
        .await?;
    Ok(done.rows_affected() > 0)
}

pub(super) async fn create_token(
    pool: &PgPool,
    email: &Email,
    id: &str,
    secret_hash: &str,
) -> Result<(), StoreError> {
    let result =
        sqlx::query("INSERT INTO api_tokens (id, account, secret_hash) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(email.as_str())
            .bind(secret_hash)
            .execute(pool)
            .await;
    match result {
        Err(sqlx::Error::Database(e)) if e.is_foreign_key_violation() => Err(StoreError::Conflict(
            format!("there is no account for {email}"),
        )),
        other => other.map(drop).map_err(StoreError::from),
    }
}

pub(super) async fn by_token(
    pool: &PgPool,
    secret_hash: &str,
) -> Result<Option<Account>, StoreError> {
    let row = sqlx::query(
        "SELECT a.email, a.role, a.person FROM api_tokens t JOIN accounts a ON a.email = t.account \
         WHERE t.secret_hash = $1 AND t.revoked_at IS NULL AND NOT a.disabled",
    )
    .bind(secret_hash)
    .fetch_optional(pool)
    .await?;
    row.as_ref().map(account_from).transpose()
}

pub(super) async fn revoke_token(pool: &PgPool, id: &str) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE api_tokens SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL",
    )
    .bind(id)
    .execute(pool)
    .await?;
    Ok(done.rows_affected() > 0)
}

pub(super) async fn set_password_hash(
    pool: &PgPool,
    email: &Email,
    password_hash: &str,
) -> Result<bool, StoreError> {
    let done = sqlx::query("UPDATE accounts SET password_hash = $1 WHERE email = $2")
        .bind(password_hash)
        .bind(email.as_str())
        .execute(pool)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// How the audit log and the corrections write who did it.
pub(super) fn actor_text(actor: &Actor) -> Option<String> {
    match actor {
        Actor::Account(email) => Some(email.as_str().to_owned()),
        Actor::CommandLine(user) => Some(format!(
            "{COMMAND_LINE_PREFIX}{}",
            bounded(user, Actor::MAX_USER_CHARS)
        )),
        Actor::Unknown => None,
    }
}

/// Who the text [`actor_text`] wrote names.
pub(super) fn actor_of(text: Option<String>) -> Actor {
    match text {
        None => Actor::Unknown,
        Some(a) => match a.strip_prefix(COMMAND_LINE_PREFIX) {
            Some(user) => Actor::CommandLine(user.to_owned()),
            None => Email::parse(&a).map_or(Actor::Unknown, Actor::Account),
        },
    }
}

pub(super) async fn audit<'c>(
    conn: impl sqlx::PgExecutor<'c>,
    entry: &AuditEntry,
) -> Result<(), StoreError> {
    let actor = actor_text(&entry.actor);
    // PostgreSQL text cannot hold a NUL character, and a subject may be whatever a client
    // sent (an email field of a refused sign-in): a NUL becomes U+FFFD rather than the
    // audit line failing.
    let subject = entry
        .subject
        .as_deref()
        .map(|s| bounded(s, AuditEntry::MAX_SUBJECT_CHARS).replace('\0', "\u{FFFD}"));
    sqlx::query("INSERT INTO audit_log (actor, action, subject, outcome) VALUES ($1, $2, $3, $4)")
        .bind(actor)
        .bind(&entry.action)
        .bind(subject)
        .bind(&entry.outcome)
        .execute(conn)
        .await?;
    Ok(())
}

pub(super) async fn audit_log(pool: &PgPool) -> Result<Vec<AuditEntry>, StoreError> {
    let rows = sqlx::query("SELECT actor, action, subject, outcome FROM audit_log ORDER BY id")
        .fetch_all(pool)
        .await?;
    rows.iter()
        .map(|row| {
            let actor = actor_of(row.try_get("actor")?);
            Ok(AuditEntry {
                actor,
                action: row.try_get("action")?,
                subject: row.try_get("subject")?,
                outcome: row.try_get("outcome")?,
            })
        })
        .collect()
}

pub(super) async fn create_session(pool: &PgPool, new: &NewSession) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO sessions (id_hash, account, csrf, created_at, last_seen) \
         VALUES ($1, $2, $3, $4, $4)",
    )
    .bind(&new.id_hash)
    .bind(new.account.as_str())
    .bind(&new.csrf)
    .bind(new.now)
    .execute(pool)
    .await?;
    Ok(())
}

pub(super) async fn session(pool: &PgPool, id_hash: &str) -> Result<Option<Session>, StoreError> {
    let row = sqlx::query(
        "SELECT a.email, a.role, a.person, s.csrf, s.created_at, s.last_seen FROM sessions s \
         JOIN accounts a ON a.email = s.account WHERE s.id_hash = $1 AND NOT a.disabled",
    )
    .bind(id_hash)
    .fetch_optional(pool)
    .await?;
    row.map(|row| {
        Ok(Session {
            account: account_from(&row)?,
            csrf: row.try_get("csrf")?,
            created_at: row.try_get("created_at")?,
            last_seen: row.try_get("last_seen")?,
        })
    })
    .transpose()
}

pub(super) async fn touch_session(
    pool: &PgPool,
    id_hash: &str,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE sessions SET last_seen = $1 WHERE id_hash = $2")
        .bind(now)
        .bind(id_hash)
        .execute(pool)
        .await?;
    Ok(())
}

pub(super) async fn delete_session(pool: &PgPool, id_hash: &str) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
        .bind(id_hash)
        .execute(pool)
        .await?;
    Ok(())
}

pub(super) async fn delete_sessions_of(
    pool: &PgPool,
    email: &Email,
    keep: Option<&str>,
) -> Result<u64, StoreError> {
    let done =
        sqlx::query("DELETE FROM sessions WHERE account = $1 AND id_hash IS DISTINCT FROM $2")
            .bind(email.as_str())
            .bind(keep)
            .execute(pool)
            .await?;
    Ok(done.rows_affected())
}

pub(super) async fn purge_sessions(
    pool: &PgPool,
    expiry: SessionExpiry,
) -> Result<u64, StoreError> {
    let done = sqlx::query("DELETE FROM sessions WHERE last_seen < $1 OR created_at < $2")
        .bind(expiry.idle_before)
        .bind(expiry.created_before)
        .execute(pool)
        .await?;
    Ok(done.rows_affected())
}

/// The first `max` characters of `text`.
fn bounded(text: &str, max: usize) -> &str {
    text.char_indices()
        .nth(max)
        .map_or(text, |(at, _)| &text[..at])
}
