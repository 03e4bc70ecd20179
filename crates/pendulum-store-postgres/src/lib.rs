//! The PostgreSQL backend: a pool of connections to one database, which several servers may
//! share, with its schema brought up to date from `migrations` on every open.
//!
//! It behaves as the SQLite backend does, held to it by pendulum-store's conformance suite.
//! Where SQLite has one writer at a time by nature (`BEGIN IMMEDIATE`), every transaction
//! that writes the ledger or the policy here first takes one transaction-level advisory
//! lock, [`LEDGER_LOCK`]: two servers on one database then write the ledger one after the
//! other, and a change checked against a ledger that has moved on fails as a conflict, as
//! it would on SQLite, instead of both writers winning.

mod accounts;
mod copy;
mod erase;
mod git;
mod pulse;
mod read;
#[cfg(feature = "testing")]
pub mod testing;
mod write;

use std::path::Path;
use std::str::FromStr as _;

use pendulum_core::{
    Account, Change, Email, GitCommit, GitIngestWrite, GitSources, Ladder, Ledger, Person,
    PersonId, Policy,
};
use sqlx::Connection as _;
use sqlx::Row as _;
use sqlx::postgres::{PgConnectOptions, PgConnection, PgPool, PgPoolOptions, PgTransaction};

use pendulum_store::tables::{Rows, Table};
use pendulum_store::{
    AuditEntry, Erased, HistoryEntry, NewAccount, NewSession, PulseAnswer, PulseTally, Revisions,
    Session, SessionExpiry, Store, StoreError, StoredAccount,
};

/// The key of the policy in the `settings` table.
const POLICY_KEY: &str = "policy";

/// The key of the write counter in the `settings` table.
const REVISION_KEY: &str = "revision";
/// Kept by triggers (see the migration `access_revision`).
const ACCESS_REVISION_KEY: &str = "access_revision";

/// Connections kept open at most by one process. Several servers may share the database,
/// and each connection costs the server a process of its own.
const MAX_CONNECTIONS: u32 = 8;

/// The advisory lock every ledger or policy write holds until it commits or rolls back:
/// the bytes of "pendulum". Advisory locks are scoped to one database, so this serialises
/// the writers of one database and no others.
const LEDGER_LOCK: i64 = 0x7065_6e64_756c_756d;

/// A ledger kept in a PostgreSQL database.
#[derive(Debug, Clone)]
pub struct PgStore {
    pool: PgPool,
}

impl PgStore {
    /// Connects to the database at `url` (a `postgres://` or `postgresql://` URL, whose
    /// options are all honoured) and brings its schema up to date. The database must exist.
    ///
    /// The first connection is made on its own, so that an unreachable server or a refused
    /// login fails at once with its cause (the pool would retry a refused connection for
    /// half a minute and then report only a timeout); it runs the migrations and is closed.
    /// Two processes opening one database at once are safe: sqlx's migrator holds a
    /// session-level advisory lock while it looks at and applies the migrations, so the
    /// second waits and then finds them applied; closing the connection releases the lock
    /// even when a migration fails.
    pub async fn open(url: &str) -> Result<Self, StoreError> {
        let open_error = |source: sqlx::Error| StoreError::Open {
            location: location(url),
            source,
        };
        if !is_postgres_url(url) {
            return Err(open_error(sqlx::Error::Configuration(
                "not a postgres:// or postgresql:// URL".into(),
            )));
        }
        let options = PgConnectOptions::from_str(url).map_err(open_error)?;
        let mut first = PgConnection::connect_with(&options)
            .await
            .map_err(open_error)?;
        let migrated = sqlx::migrate!("./migrations").run(&mut first).await;
        // A connection that cannot say goodbye is dropped all the same.
        let _ = first.close().await;
        migrated?;
        let pool = PgPoolOptions::new()
            .max_connections(MAX_CONNECTIONS)
            .connect_lazy_with(options);
        Ok(Self { pool })
    }

    /// A transaction that writes the ledger or the policy, holding [`LEDGER_LOCK`].
    async fn begin_ledger_write(&self) -> Result<PgTransaction<'static>, StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(LEDGER_LOCK)
            .execute(&mut *tx)
            .await?;
        Ok(tx)
    }
}

/// `url` as it may be shown: scheme, user, host, port and database, without the password
/// or the query (whose options may hold one too).
fn location(url: &str) -> String {
    if !is_postgres_url(url) {
        return "(a location that is not a postgres:// URL)".to_owned();
    }
    if let Ok(options) = PgConnectOptions::from_str(url) {
        return format!(
            "postgres://{}@{}:{}/{}",
            options.get_username(),
            options.get_host(),
            options.get_port(),
            options.get_database().unwrap_or_default()
        );
    }
    // A URL sqlx cannot read: show no more than the scheme, the host and the path.
    let without_query = url.split(['?', '#']).next().unwrap_or_default();
    let (scheme, rest) = without_query.split_once("://").unwrap_or(("postgres", ""));
    let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    format!("{scheme}://{host}/{path}")
}

/// Whether `url` has the scheme of a PostgreSQL URL; sqlx would read others too, such as
/// `user:password` as a scheme and a database name.
fn is_postgres_url(url: &str) -> bool {
    let lower = url.get(..13).unwrap_or(url).to_ascii_lowercase();
    lower.starts_with("postgres://") || lower.starts_with("postgresql://")
}

impl Store for PgStore {
    async fn ledger(&self, ladder: &Ladder) -> Result<Ledger, StoreError> {
        // One snapshot for every table; read-only, so it never waits for a writer.
        let mut tx = self
            .pool
            .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            .await?;
        let parts = read::ledger_parts(&mut tx, ladder).await?;
        tx.commit().await?;
        read::build(parts)
    }

    async fn apply(&self, change: &Change) -> Result<(), StoreError> {
        let mut tx = self.begin_ledger_write().await?;
        write::change(&mut tx, change, None).await?;
        bump_revision(&mut tx).await?;
        if let Some(policy) = &change.policy {
            write::policy(&mut tx, POLICY_KEY, policy).await?;
        }
        // An error above drops the transaction, which rolls it back. Deferred foreign keys
        // are checked here, so a commit can fail too.
        tx.commit().await?;
        Ok(())
    }

    async fn apply_audited(&self, change: &Change, audit: &AuditEntry) -> Result<(), StoreError> {
        let mut tx = self.begin_ledger_write().await?;
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
            "SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') AS at, actor, \
             record, field, before, after FROM corrections WHERE person = $1 ORDER BY id",
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
        let tx = self.begin_ledger_write().await?;
        let erased = erase::erase(tx, person, audit).await?;
        if erased.is_some() {
            erase::vacuum(&self.pool).await;
        }
        Ok(erased)
    }

    async fn accounts_of(&self, person: &PersonId) -> Result<Vec<Account>, StoreError> {
        accounts::accounts_of(&self.pool, person).await
    }

    async fn people(&self, ladder: &Ladder) -> Result<Vec<Person>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let people = read::people(&mut conn, ladder).await?;
        Ok(people.into_iter().map(|p| p.item).collect())
    }

    async fn git_sources(&self) -> Result<GitSources, StoreError> {
        git::sources(&self.pool).await
    }

    async fn git_commits(&self) -> Result<Vec<GitCommit>, StoreError> {
        git::commits(&self.pool).await
    }

    async fn ingest_git(
        &self,
        state: &GitIngestWrite<'_>,
        change: impl Future<Output = Option<Change>> + Send,
    ) -> Result<(), StoreError> {
        // The lock is held while the caller computes the evidence, as SQLite's write lock
        // is: the evidence is checked against the ledger as it stands in this transaction.
        let mut tx = self.begin_ledger_write().await?;
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
        let text: Option<String> = sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
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
        let mut tx = self.begin_ledger_write().await?;
        write::policy(&mut tx, POLICY_KEY, policy).await?;
        bump_revision(&mut tx).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn is_empty(&self) -> Result<bool, StoreError> {
        let any: Option<i32> = sqlx::query_scalar(
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
        let mut tx = self.begin_ledger_write().await?;
        copy::restore(&mut tx, tables).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn backup(&self, _to: &Path) -> Result<(), StoreError> {
        Err(StoreError::Unsupported(
            "a PostgreSQL database is backed up with PostgreSQL's own tools: run pg_dump \
             (for example `pg_dump --format=custom --file=pendulum.dump <url>`), or, once it \
             is available, `pendulum db copy` to write the data to a SQLite file"
                .to_owned(),
        ))
    }

    async fn revisions(&self) -> Result<Revisions, StoreError> {
        let (ledger, access): (Option<i64>, Option<i64>) = sqlx::query_as(
            "SELECT (SELECT value::bigint FROM settings WHERE key = $1), \
                    (SELECT value::bigint FROM settings WHERE key = $2)",
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
        accounts::touch_session(&self.pool, id_hash, now).await
    }

    async fn delete_session(&self, id_hash: &str) -> Result<(), StoreError> {
        accounts::delete_session(&self.pool, id_hash).await
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
        pulse::save_reflection(&self.pool, email, day, answers).await
    }

    async fn reflections(&self, email: &Email) -> Result<Vec<(String, String)>, StoreError> {
        pulse::reflections(&self.pool, email).await
    }

    async fn answer_pulse(&self, email: &Email, answer: &PulseAnswer) -> Result<bool, StoreError> {
        pulse::answer(&self.pool, email, answer).await
    }

    async fn close_pulse(&self, year: i32) -> Result<bool, StoreError> {
        pulse::close(&self.pool, year).await
    }

    async fn pulse_closed(&self, year: i32) -> Result<bool, StoreError> {
        pulse::closed(&self.pool, year).await
    }

    async fn answered_pulse(&self, email: &Email, year: i32) -> Result<bool, StoreError> {
        pulse::answered(&self.pool, email, year).await
    }

    async fn pulse_tally(&self, year: i32) -> Result<PulseTally, StoreError> {
        pulse::tally(&self.pool, year).await
    }

    async fn pulse_years(&self, at_most: u32) -> Result<Vec<i32>, StoreError> {
        pulse::years(&self.pool, at_most).await
    }

    async fn audit(&self, entry: &AuditEntry) -> Result<(), StoreError> {
        accounts::audit(&self.pool, entry).await
    }

    async fn audit_log(&self) -> Result<Vec<AuditEntry>, StoreError> {
        accounts::audit_log(&self.pool).await
    }
}

/// Counts a write of the ledger or the policy, inside its transaction.
async fn bump_revision(conn: &mut PgConnection) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO settings (key, value) VALUES ($1, '1') \
         ON CONFLICT (key) DO UPDATE SET value = (settings.value::bigint + 1)::text",
    )
    .bind(REVISION_KEY)
    .execute(conn)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::location;

    #[test]
    fn a_location_never_shows_a_password() {
        for (url, shown) in [
            (
                "postgres://ops:s3cret@db.example:6543/pendulum?sslmode=require",
                "postgres://ops@db.example:6543/pendulum",
            ),
            (
                "postgresql://ops@db.example/pendulum?password=s3cret",
                "postgres://ops@db.example:5432/pendulum",
            ),
            ("postgres://ops:s3cret@[::1", "postgres://[::1/"),
            ("ops:s3cret", "(a location that is not a postgres:// URL)"),
        ] {
            assert_eq!(location(url), shown, "{url}");
        }
    }
}
