//! The SQLite backend: one database file, opened in WAL mode so that reads never wait for
//! a write, with its schema brought up to date from `migrations/sqlite` on every open.

mod accounts;
mod copy;
mod erase;
mod git;
mod read;
mod write;

use std::path::Path;
use std::time::Duration;

use pendulum_core::{Account, Change, Email, Ladder, Ledger, PersonId, Policy};
use sqlx::ConnectOptions as _;
use sqlx::Connection as _;
use sqlx::Row as _;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

use pendulum_store::tables::{Rows, Table};
use pendulum_store::{
    AuditEntry, Erased, HistoryEntry, NewAccount, NewSession, PulseAnswer, PulseTally, Revisions,
    Session, SessionExpiry, Store, StoreError, StoredAccount,
};

/// What `PRAGMA integrity_check` says of the database behind `conn`: `ok`, or every problem
/// found, one a line. The connection is closed afterwards.
async fn integrity(mut conn: sqlx::SqliteConnection) -> Result<String, sqlx::Error> {
    let lines: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_all(&mut conn)
        .await?;
    conn.close().await?;
    Ok(lines.join("\n"))
}

/// The key of the policy in the `settings` table.
const POLICY_KEY: &str = "policy";

/// The key of the write counter in the `settings` table.
const REVISION_KEY: &str = "revision";
/// Kept by triggers (see the migration `access_revision`).
const ACCESS_REVISION_KEY: &str = "access_revision";

/// How long a write waits for another one to finish before it gives up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Connections kept open at most: SQLite writes one at a time, and a handful of readers is
/// plenty for one command or a small server.
const MAX_CONNECTIONS: u32 = 4;

/// A ledger kept in a SQLite database file.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
}

impl SqliteStore {
    /// Opens the database at `path`, creating the file and its folder if they are missing,
    /// and brings its schema up to date.
    pub async fn open(path: &Path) -> Result<Self, StoreError> {
        let open_error = |source: sqlx::Error| StoreError::Open {
            location: path.display().to_string(),
            source,
        };
        if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(folder).map_err(|e| open_error(sqlx::Error::Io(e)))?;
        }
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(BUSY_TIMEOUT);
        let pool = SqlitePoolOptions::new()
            .max_connections(MAX_CONNECTIONS)
            .connect_with(options)
            .await
            .map_err(open_error)?;
        sqlx::migrate!("./migrations").run(&pool).await?;
        git::migrate_commit_rows(&pool).await?;
        Ok(Self { pool })
    }
}

impl Store for SqliteStore {
    async fn ledger(&self, ladder: &Ladder) -> Result<Ledger, StoreError> {
        // One read transaction, so that every table is read from the same snapshot.
        let mut tx = self.pool.begin().await?;
        let parts = read::ledger_parts(&mut tx, ladder).await?;
        tx.commit().await?;
        read::build(parts)
    }

    async fn apply(&self, change: &Change) -> Result<(), StoreError> {
        // IMMEDIATE takes the write lock up front: a transaction that first reads and then
        // tries to write can fail at once when another writer got in between, whatever the
        // busy timeout.
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        write::change(&mut tx, change, None).await?;
        bump_revision(&mut tx).await?;
        if let Some(policy) = &change.policy {
            write::policy(&mut tx, POLICY_KEY, policy).await?;
        }
        // An error above drops the transaction, which rolls it back.
        tx.commit().await?;
        Ok(())
    }

    async fn apply_audited(&self, change: &Change, audit: &AuditEntry) -> Result<(), StoreError> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let actor = accounts::actor_text(&audit.actor);
        write::change(&mut tx, change, actor.as_deref()).await?;
        bump_revision(&mut tx).await?;
        if let Some(policy) = &change.policy {
            write::policy(&mut tx, POLICY_KEY, policy).await?;
        }
        accounts::audit(&mut *tx, audit).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn history(&self, person: &PersonId) -> Result<Vec<HistoryEntry>, StoreError> {
        let rows = sqlx::query(
            "SELECT at, actor, record, field, before, after FROM corrections \
             WHERE person = ? ORDER BY id",
        )
        .bind(person.as_str())
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(HistoryEntry {
                    at: row.try_get("at")?,
                    actor: accounts::actor_of(row.try_get("actor")?),
                    record: row.try_get("record")?,
                    field: row.try_get("field")?,
                    before: row.try_get("before")?,
                    after: row.try_get("after")?,
                })
            })
            .collect()
    }

    async fn erase(
        &self,
        person: &PersonId,
        audit: &AuditEntry,
    ) -> Result<Option<Erased>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        erase::erase(&mut conn, person, audit).await
    }

    async fn accounts_of(&self, person: &PersonId) -> Result<Vec<Account>, StoreError> {
        accounts::accounts_of(&self.pool, person).await
    }

    async fn people(&self, ladder: &Ladder) -> Result<Vec<pendulum_core::Person>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let people = read::people(&mut conn, ladder).await?;
        Ok(people.into_iter().map(|p| p.item).collect())
    }

    async fn git_sources(&self) -> Result<pendulum_core::GitSources, StoreError> {
        git::sources(&self.pool).await
    }

    async fn git_commits(&self) -> Result<Vec<pendulum_core::GitCommit>, StoreError> {
        git::commits(&self.pool).await
    }

    async fn ingest_git(
        &self,
        state: &pendulum_core::GitIngestWrite<'_>,
        change: impl Future<Output = Option<Change>> + Send,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        git::write(&mut tx, state).await?;
        // Dropping the transaction rolls it back.
        let Some(change) = change.await else {
            return Ok(());
        };
        write::change(&mut tx, &change, None).await?;
        bump_revision(&mut tx).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn policy(&self) -> Result<Option<Policy>, StoreError> {
        let text: Option<String> = sqlx::query_scalar("SELECT value FROM settings WHERE key = ?")
            .bind(POLICY_KEY)
            .fetch_optional(&self.pool)
            .await?;
        text.map(|text| {
            Policy::from_toml(&text).map_err(|e| StoreError::Corrupt {
                table: "settings",
                key: format!("key={POLICY_KEY}"),
                message: format!("the stored policy is not valid: {e}"),
            })
        })
        .transpose()
    }

    async fn set_policy(&self, policy: &Policy) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        write::policy(&mut tx, POLICY_KEY, policy).await?;
        bump_revision(&mut tx).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn is_empty(&self) -> Result<bool, StoreError> {
        let any: Option<i64> = sqlx::query_scalar(
            "SELECT 1 FROM teams UNION ALL SELECT 1 FROM people \
             UNION ALL SELECT 1 FROM stints UNION ALL SELECT 1 FROM checkins \
             UNION ALL SELECT 1 FROM git_evidence UNION ALL SELECT 1 FROM calendar_evidence \
             LIMIT 1",
        )
        .fetch_optional(&self.pool)
        .await?;
        Ok(any.is_none())
    }

    async fn dump_table(&self, table: &'static Table) -> Result<Rows, StoreError> {
        copy::dump(&self.pool, table).await
    }

    async fn restore(&self, tables: &[(&'static Table, Rows)]) -> Result<(), StoreError> {
        copy::restore(&self.pool, tables).await
    }

    async fn backup(&self, to: &Path) -> Result<(), StoreError> {
        let location = to.display().to_string();
        let failed = |message: String| StoreError::Backup {
            location: location.clone(),
            message,
        };
        let target = to
            .to_str()
            .ok_or_else(|| failed("the path is not valid UTF-8".into()))?;
        // VACUUM INTO reads the source in one read transaction, so the copy is a single
        // snapshot; in WAL mode the writers go on meanwhile. SQLite itself refuses a target
        // that exists.
        sqlx::query("VACUUM INTO ?")
            .bind(target)
            .execute(&self.pool)
            .await
            .map_err(|e| failed(e.to_string()))?;
        let copy = SqliteConnectOptions::new()
            .filename(to)
            .read_only(true)
            .connect()
            .await
            .map_err(|e| failed(format!("the copy cannot be opened: {e}")))?;
        let verdict = integrity(copy).await.map_err(|e| failed(e.to_string()))?;
        if verdict != "ok" {
            return Err(failed(format!(
                "the copy fails its integrity check: {verdict}"
            )));
        }
        Ok(())
    }

    async fn revisions(&self) -> Result<Revisions, StoreError> {
        // Each of SQLite's own counters sees only part of the picture (data_version ignores
        // this connection's writes, total_changes other connections'), so the writes keep
        // counters of their own.
        let (ledger, access): (Option<i64>, Option<i64>) = sqlx::query_as(
            "SELECT (SELECT CAST(value AS INTEGER) FROM settings WHERE key = ?), \
                    (SELECT CAST(value AS INTEGER) FROM settings WHERE key = ?)",
        )
        .bind(REVISION_KEY)
        .bind(ACCESS_REVISION_KEY)
        .fetch_one(&self.pool)
        .await?;
        Ok(Revisions {
            ledger: ledger.unwrap_or(0),
            access: access.unwrap_or(0),
        })
    }

    async fn create_account(&self, new: &NewAccount) -> Result<(), StoreError> {
        accounts::create(&self.pool, new).await
    }

    async fn account(&self, email: &Email) -> Result<Option<StoredAccount>, StoreError> {
        accounts::by_email(&self.pool, email).await
    }

    async fn set_account_disabled(
        &self,
        email: &Email,
        disabled: bool,
    ) -> Result<bool, StoreError> {
        accounts::set_disabled(&self.pool, email, disabled).await
    }

    async fn create_token(
        &self,
        email: &Email,
        id: &str,
        secret_hash: &str,
    ) -> Result<(), StoreError> {
        accounts::create_token(&self.pool, email, id, secret_hash).await
    }

    async fn account_for_token(&self, secret_hash: &str) -> Result<Option<Account>, StoreError> {
        accounts::by_token(&self.pool, secret_hash).await
    }

    async fn revoke_token(&self, id: &str) -> Result<bool, StoreError> {
        accounts::revoke_token(&self.pool, id).await
    }

    async fn set_password_hash(
        &self,
        email: &Email,
        password_hash: &str,
    ) -> Result<bool, StoreError> {
        accounts::set_password_hash(&self.pool, email, password_hash).await
    }

    async fn create_session(&self, session: &NewSession) -> Result<(), StoreError> {
        accounts::create_session(&self.pool, session).await
    }

    async fn session(&self, id_hash: &str) -> Result<Option<Session>, StoreError> {
        accounts::session(&self.pool, id_hash).await
    }

    async fn touch_session(&self, id_hash: &str, now: i64) -> Result<(), StoreError> {
        sqlx::query("UPDATE sessions SET last_seen = ? WHERE id_hash = ?")
            .bind(now)
            .bind(id_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn delete_session(&self, id_hash: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sessions WHERE id_hash = ?")
            .bind(id_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn delete_sessions_of(
        &self,
        email: &Email,
        keep: Option<&str>,
    ) -> Result<u64, StoreError> {
        accounts::delete_sessions_of(&self.pool, email, keep).await
    }

    async fn purge_sessions(&self, expiry: SessionExpiry) -> Result<u64, StoreError> {
        accounts::purge_sessions(&self.pool, expiry).await
    }

    async fn save_reflection(
        &self,
        email: &Email,
        day: &str,
        answers: &str,
    ) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO reflections (account, day, answers) VALUES (?, ?, ?)")
            .bind(email.as_str())
            .bind(day)
            .bind(answers)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn reflections(&self, email: &Email) -> Result<Vec<(String, String)>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT day, answers FROM reflections WHERE account = ? ORDER BY day DESC, id DESC",
        )
        .bind(email.as_str())
        .fetch_all(&self.pool)
        .await?)
    }

    async fn answer_pulse(&self, email: &Email, answer: &PulseAnswer) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        let closed: Option<i64> = sqlx::query_scalar("SELECT 1 FROM pulse_closed WHERE year = ?")
            .bind(answer.year)
            .fetch_optional(&mut *tx)
            .await?;
        if closed.is_some() {
            return Ok(false);
        }
        let joined = sqlx::query(
            "INSERT INTO pulse_participation (account, year) VALUES (?, ?) ON CONFLICT DO NOTHING",
        )
        .bind(email.as_str())
        .bind(answer.year)
        .execute(&mut *tx)
        .await?;
        if joined.rows_affected() == 0 {
            return Ok(false);
        }
        let group = if answer.manager { "manager" } else { "ic" };
        for (statement, score) in [
            ("must_manage_to_grow", answer.must_manage_to_grow),
            ("fear_going_back", answer.fear_going_back),
        ] {
            sqlx::query(
                "INSERT INTO pulse_tallies (year, grp, statement, score, answers) VALUES (?, ?, ?, ?, 1)
                 ON CONFLICT (year, grp, statement, score) DO UPDATE SET answers = answers + 1",
            )
            .bind(answer.year)
            .bind(group)
            .bind(statement)
            .bind(i64::from(score))
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    async fn close_pulse(&self, year: i32) -> Result<bool, StoreError> {
        let closed =
            sqlx::query("INSERT INTO pulse_closed (year) VALUES (?) ON CONFLICT DO NOTHING")
                .bind(year)
                .execute(&self.pool)
                .await?;
        Ok(closed.rows_affected() == 1)
    }

    async fn pulse_closed(&self, year: i32) -> Result<bool, StoreError> {
        let found: Option<i64> = sqlx::query_scalar("SELECT 1 FROM pulse_closed WHERE year = ?")
            .bind(year)
            .fetch_optional(&self.pool)
            .await?;
        Ok(found.is_some())
    }

    async fn answered_pulse(&self, email: &Email, year: i32) -> Result<bool, StoreError> {
        let found: Option<i64> =
            sqlx::query_scalar("SELECT 1 FROM pulse_participation WHERE account = ? AND year = ?")
                .bind(email.as_str())
                .bind(year)
                .fetch_optional(&self.pool)
                .await?;
        Ok(found.is_some())
    }

    async fn pulse_tally(&self, year: i32) -> Result<PulseTally, StoreError> {
        let rows: Vec<(String, String, i64, i64)> = sqlx::query_as(
            "SELECT grp, statement, score, answers FROM pulse_tallies WHERE year = ?",
        )
        .bind(year)
        .fetch_all(&self.pool)
        .await?;
        let mut tally = PulseTally::default();
        for (group, statement, score, answers) in rows {
            let corrupt = || StoreError::Corrupt {
                table: "pulse_tallies",
                key: format!("year={year}"),
                message: format!("{group} {statement} {score}: {answers}"),
            };
            let group = match group.as_str() {
                "manager" => &mut tally.managers,
                "ic" => &mut tally.hands_on,
                _ => return Err(corrupt()),
            };
            let counts = match statement.as_str() {
                "must_manage_to_grow" => &mut group.must_manage_to_grow,
                "fear_going_back" => &mut group.fear_going_back,
                _ => return Err(corrupt()),
            };
            let slot = usize::try_from(score - 1)
                .ok()
                .and_then(|i| counts.get_mut(i))
                .ok_or_else(corrupt)?;
            *slot = u32::try_from(answers).map_err(|_| corrupt())?;
        }
        Ok(tally)
    }

    async fn pulse_years(&self, at_most: u32) -> Result<Vec<i32>, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT DISTINCT year FROM pulse_tallies WHERE answers > 0 ORDER BY year DESC LIMIT ?",
        )
        .bind(at_most)
        .fetch_all(&self.pool)
        .await?)
    }

    async fn audit(&self, entry: &AuditEntry) -> Result<(), StoreError> {
        accounts::audit(&self.pool, entry).await
    }

    async fn audit_log(&self) -> Result<Vec<AuditEntry>, StoreError> {
        accounts::audit_log(&self.pool).await
    }
}

/// Counts a write of the ledger or the policy, inside its transaction.
async fn bump_revision(conn: &mut sqlx::SqliteConnection) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO settings (key, value) VALUES (?, '1') \
         ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)",
    )
    .bind(REVISION_KEY)
    .execute(conn)
    .await?;
    Ok(())
}
