//! Erasing a person: every row that is theirs goes, and every text that names them
//! elsewhere is cut, in one transaction with `secure_delete` on, so the freed pages are
//! overwritten rather than left for a file reader to find.
//!
//! What is theirs: the person and their aliases, stints, check-ins with notes, answers about
//! managing, git and calendar evidence, corrections; the accounts that are them or use one
//! of their addresses, with those accounts' tokens, sessions, reflections and pulse
//! participation. What names them elsewhere: the commits a git ingest keeps (authored or
//! co-authored), the repositories' cached mailmaps, the audit log and other people's
//! corrections. Those are kept, for the next ingest and for accountability, with the
//! person's identifiers replaced by [`ERASED`]. The pulse's tallies are counts without
//! names and stay.

use sqlx::sqlite::SqliteConnection;
use sqlx::{Connection, Row};

use super::{accounts, bump_revision, git};
use pendulum_core::PersonId;
use pendulum_store::{AuditEntry, Erased, StoreError};

/// What stands where an erased person's identifier was.
pub(crate) const ERASED: &str = "[erased]";

/// The tables that belong to a person, and the column that names them.
const PERSON_TABLES: &[(&str, &str)] = &[
    ("stints", "person"),
    ("checkins", "person"),
    ("willing_answers", "person"),
    ("git_evidence", "person"),
    ("calendar_evidence", "person"),
    ("corrections", "person"),
    ("person_aliases", "person"),
];

/// The tables that belong to an account, and the column that names it.
const ACCOUNT_TABLES: &[(&str, &str)] = &[
    ("sessions", "account"),
    ("api_tokens", "account"),
    ("reflections", "account"),
    ("pulse_participation", "account"),
];

/// The texts elsewhere that may name a person, as (table, column).
const MENTIONS: &[(&str, &str)] = &[
    ("audit_log", "actor"),
    ("audit_log", "subject"),
    ("corrections", "actor"),
    ("corrections", "before"),
    ("corrections", "after"),
    ("git_repositories", "mailmap"),
];

pub(super) async fn erase(
    conn: &mut SqliteConnection,
    person: &PersonId,
    audit: &AuditEntry,
) -> Result<Option<Erased>, StoreError> {
    sqlx::query("PRAGMA secure_delete = ON")
        .execute(&mut *conn)
        .await?;
    let result = erase_in_transaction(conn, person, audit).await;
    sqlx::query("PRAGMA secure_delete = OFF")
        .execute(&mut *conn)
        .await?;
    if matches!(result, Ok(Some(_))) {
        // The write-ahead log still holds the pages as they were; fold it into the file
        // (which secure_delete overwrites) and empty it.
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(&mut *conn)
            .await?;
    }
    result
}

async fn erase_in_transaction(
    conn: &mut SqliteConnection,
    person: &PersonId,
    audit: &AuditEntry,
) -> Result<Option<Erased>, StoreError> {
    let mut tx = conn.begin_with("BEGIN IMMEDIATE").await?;
    let Some(row) = sqlx::query("SELECT name, email FROM people WHERE id = ?")
        .bind(person.as_str())
        .fetch_optional(&mut *tx)
        .await?
    else {
        return Ok(None);
    };
    let name: String = row.try_get(0)?;
    let email: String = row.try_get(1)?;
    let reports: Vec<String> =
        sqlx::query_scalar("SELECT id FROM people WHERE manager = ? ORDER BY id")
            .bind(person.as_str())
            .fetch_all(&mut *tx)
            .await?;
    if !reports.is_empty() {
        return Err(StoreError::Conflict(format!(
            "{person} still has people reporting to them ({}); give them another manager first",
            reports.join(", ")
        )));
    }
    let aliases: Vec<String> =
        sqlx::query_scalar("SELECT email FROM person_aliases WHERE person = ?")
            .bind(person.as_str())
            .fetch_all(&mut *tx)
            .await?;
    let mut emails = aliases;
    emails.push(email);
    let mut accounts: Vec<String> =
        sqlx::query_scalar("SELECT email FROM accounts WHERE person = ?")
            .bind(person.as_str())
            .fetch_all(&mut *tx)
            .await?;
    for e in &emails {
        let same: Option<String> =
            sqlx::query_scalar("SELECT email FROM accounts WHERE lower(email) = lower(?)")
                .bind(e)
                .fetch_optional(&mut *tx)
                .await?;
        accounts.extend(same);
    }
    accounts.sort();
    accounts.dedup();

    let mut erased = Erased {
        accounts: accounts.len() as u64,
        ..Erased::default()
    };
    for &(table, column) in PERSON_TABLES {
        let done = sqlx::query(sqlx::AssertSqlSafe(format!(
            "DELETE FROM {table} WHERE {column} = ?"
        )))
        .bind(person.as_str())
        .execute(&mut *tx)
        .await?;
        match table {
            "stints" => erased.stints = done.rows_affected(),
            "checkins" => erased.checkins = done.rows_affected(),
            "git_evidence" | "calendar_evidence" => erased.evidence += done.rows_affected(),
            _ => {}
        }
    }
    for account in &accounts {
        for &(table, column) in ACCOUNT_TABLES {
            let done = sqlx::query(sqlx::AssertSqlSafe(format!(
                "DELETE FROM {table} WHERE {column} = ?"
            )))
            .bind(account)
            .execute(&mut *tx)
            .await?;
            if table == "reflections" {
                erased.reflections += done.rows_affected();
            }
        }
        sqlx::query("DELETE FROM accounts WHERE email = ?")
            .bind(account)
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query("DELETE FROM people WHERE id = ?")
        .bind(person.as_str())
        .execute(&mut *tx)
        .await?;

    // Longest first, so that an address is cut whole before a name inside it.
    let mut names: Vec<String> = [person.as_str().to_owned(), name]
        .into_iter()
        .chain(emails)
        .chain(accounts)
        .filter(|n| !n.trim().is_empty())
        .collect();
    names.sort_by_key(|n| std::cmp::Reverse(n.len()));
    names.dedup();
    erased.commits = git::erase_authors(&mut tx, &names, ERASED).await?;
    for &(table, column) in MENTIONS {
        for n in &names {
            // `instr` is exact and case-sensitive; `replace` is too. Addresses differ in
            // case in the wild, so each is cut in its stored case and in lower case.
            for variant in [n.clone(), n.to_lowercase()] {
                sqlx::query(sqlx::AssertSqlSafe(format!(
                    "UPDATE {table} SET {column} = replace({column}, ?1, ?2) \
                     WHERE instr({column}, ?1) > 0"
                )))
                .bind(&variant)
                .bind(ERASED)
                .execute(&mut *tx)
                .await?;
            }
        }
    }
    accounts::audit(&mut *tx, audit).await?;
    bump_revision(&mut tx).await?;
    tx.commit().await?;
    Ok(Some(erased))
}

/// Whether `text` names any of `names`, ignoring case.
pub(super) fn names_any(text: &str, names: &[String]) -> bool {
    let lower = text.to_lowercase();
    names.iter().any(|n| lower.contains(&n.to_lowercase()))
}
