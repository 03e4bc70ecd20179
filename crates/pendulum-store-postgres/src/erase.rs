//! Erasing a person: every row that is theirs goes, and every text that names them
//! elsewhere is cut, in one transaction under the ledger lock.
//!
//! What is theirs: the person and their aliases, stints, check-ins with notes, answers about
//! managing, git and calendar evidence, corrections; the accounts that are them or use one
//! of their addresses, with those accounts' tokens, sessions, reflections and pulse
//! participation. What names them elsewhere: the commits a git ingest keeps (authored or
//! co-authored), the repositories' cached mailmaps, the audit log and other people's
//! corrections. Those are kept, for the next ingest and for accountability, with the
//! person's identifiers replaced by [`ERASED`]. The pulse's tallies are counts without
//! names and stay.
//!
//! What PostgreSQL still holds afterwards, which SQLite's `secure_delete` and checkpoint
//! would have overwritten: a deleted or updated row stays in its table's files as a dead
//! tuple until a vacuum; [`vacuum`] runs one right after the commit, which frees the space
//! and the index entries, but the freed bytes are not wiped and stay on disk until new rows
//! reuse the space. The write-ahead log holds the rows as written (and whole pages) until
//! its segments are recycled, and so do archived WAL, replicas and backups taken before;
//! those are the operator's to expire.

use sqlx::Row;
use sqlx::postgres::{PgPool, PgTransaction};

use super::{accounts, bump_revision, git};
use pendulum_core::PersonId;
use pendulum_store::{AuditEntry, Erased, StoreError};

/// What stands where an erased person's identifier was.
const ERASED: &str = "[erased]";

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

/// Vacuums every table an erasure deletes from or rewrites rows of.
const VACUUM: &str = "VACUUM people, person_aliases, stints, checkins, willing_answers, \
     git_evidence, calendar_evidence, corrections, accounts, sessions, api_tokens, \
     reflections, pulse_participation, audit_log, git_repositories, git_commit_packs";

/// Erases `person` in `tx`, which holds the ledger lock, and commits.
pub(super) async fn erase(
    mut tx: PgTransaction<'static>,
    person: &PersonId,
    audit: &AuditEntry,
) -> Result<Option<Erased>, StoreError> {
    let Some(row) = sqlx::query("SELECT name, email FROM people WHERE id = $1")
        .bind(person.as_str())
        .fetch_optional(&mut *tx)
        .await?
    else {
        return Ok(None);
    };
    let name: String = row.try_get(0)?;
    let email: String = row.try_get(1)?;
    let reports: Vec<String> =
        sqlx::query_scalar("SELECT id FROM people WHERE manager = $1 ORDER BY id")
            .bind(person.as_str())
            .fetch_all(&mut *tx)
            .await?;
    if !reports.is_empty() {
        return Err(StoreError::Conflict(format!(
            "{person} still has people reporting to them ({}); give them another manager first",
            reports.join(", ")
        )));
    }
    let mut emails: Vec<String> =
        sqlx::query_scalar("SELECT email FROM person_aliases WHERE person = $1")
            .bind(person.as_str())
            .fetch_all(&mut *tx)
            .await?;
    emails.push(email);
    let mut accounts: Vec<String> =
        sqlx::query_scalar("SELECT email FROM accounts WHERE person = $1")
            .bind(person.as_str())
            .fetch_all(&mut *tx)
            .await?;
    for e in &emails {
        let same: Option<String> =
            sqlx::query_scalar("SELECT email FROM accounts WHERE lower(email) = lower($1)")
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
            "DELETE FROM {table} WHERE {column} = $1"
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
                "DELETE FROM {table} WHERE {column} = $1"
            )))
            .bind(account)
            .execute(&mut *tx)
            .await?;
            if table == "reflections" {
                erased.reflections += done.rows_affected();
            }
        }
        sqlx::query("DELETE FROM accounts WHERE email = $1")
            .bind(account)
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query("DELETE FROM people WHERE id = $1")
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
            // `strpos` and `replace` are exact and case-sensitive, as SQLite's `instr` and
            // `replace` are. Addresses differ in case in the wild, so each is cut in its
            // stored case and in lower case.
            for variant in [n.clone(), n.to_lowercase()] {
                sqlx::query(sqlx::AssertSqlSafe(format!(
                    "UPDATE {table} SET {column} = replace({column}, $1, $2) \
                     WHERE strpos({column}, $1) > 0"
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

/// Vacuums the tables an erasure touched, so that the dead rows holding the person go from
/// the tables and their indexes now rather than at the next autovacuum. VACUUM cannot run
/// inside a transaction, so this runs after the erasure's commit; it is best effort: the
/// erasure is done whether or not it succeeds (another vacuum holding a table, a role that
/// does not own the tables), and autovacuum gets there later.
pub(super) async fn vacuum(pool: &PgPool) {
    let _ = sqlx::raw_sql(VACUUM).execute(pool).await;
}

/// Whether `text` names any of `names`, ignoring case.
pub(super) fn names_any(text: &str, names: &[String]) -> bool {
    let lower = text.to_lowercase();
    names.iter().any(|n| lower.contains(&n.to_lowercase()))
}
