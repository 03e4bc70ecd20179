//! The SQLite backend: one database file, opened in WAL mode so that reads never wait for
//! a write, with its schema brought up to date from `migrations/sqlite` on every open.

mod read;
mod write;

use std::path::Path;
use std::time::Duration;

use pendulum_core::{Change, Ladder, Ledger, Policy};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

use crate::{Store, StoreError};

/// The key of the policy in the `settings` table.
const POLICY_KEY: &str = "policy";

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
        sqlx::migrate!("./migrations/sqlite").run(&pool).await?;
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
        write::change(&mut tx, change).await?;
        if let Some(policy) = &change.policy {
            write::policy(&mut tx, POLICY_KEY, policy).await?;
        }
        // An error above drops the transaction, which rolls it back.
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
        let mut conn = self.pool.acquire().await?;
        write::policy(&mut conn, POLICY_KEY, policy).await
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
}
