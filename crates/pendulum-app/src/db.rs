//! The database a command or a server works on, picked at run time by its location.
//!
//! [`Db`] is one type whichever backend holds the data, so the command line, the server and
//! their tests never name a backend: they open a location and get a [`Store`].

use std::path::Path;

use pendulum_core::{
    Account, Change, Email, GitCommit, GitIngestWrite, GitSources, Ladder, Ledger, Person,
    PersonId, Policy,
};
use pendulum_store::tables::{Rows, Table};
use pendulum_store::{
    AuditEntry, Erased, HistoryEntry, NewAccount, NewSession, PulseAnswer, PulseTally, Revisions,
    Session, SessionExpiry, Store, StoreError, StoredAccount,
};
use pendulum_store_postgres::PgStore;
use pendulum_store_sqlite::SqliteStore;

use crate::location::Location;

/// A store on one of the backends.
#[derive(Debug, Clone)]
pub enum Db {
    Sqlite(SqliteStore),
    Postgres(PgStore),
}

impl Db {
    /// Opens the store at a location given on the command line: a file path, a
    /// `sqlite://` or `sqlite:` URL, or a `postgres://` or `postgresql://` URL. Other schemes
    /// are [`StoreError::Unsupported`], with what to pass instead.
    pub async fn open(location: &str) -> Result<Self, StoreError> {
        match Location::parse(location)? {
            Location::Sqlite(path) => Ok(Db::Sqlite(SqliteStore::open(&path).await?)),
            Location::Postgres(url) => Ok(Db::Postgres(PgStore::open(&url).await?)),
        }
    }

    /// Opens a store that must exist already, as the source of a copy: a SQLite file that
    /// is not there is [`StoreError::Unsupported`] rather than a new, empty database.
    pub async fn open_existing(location: &str) -> Result<Self, StoreError> {
        if let Location::Sqlite(path) = Location::parse(location)?
            && !path.is_file()
        {
            return Err(StoreError::Unsupported(format!(
                "there is no database file at {}",
                path.display()
            )));
        }
        Self::open(location).await
    }
}

/// Runs the same expression on whichever backend `db` is.
macro_rules! each {
    ($db:expr, $s:ident => $body:expr) => {
        match $db {
            Db::Sqlite($s) => $body,
            Db::Postgres($s) => $body,
        }
    };
}

impl Store for Db {
    async fn ledger(&self, ladder: &Ladder) -> Result<Ledger, StoreError> {
        each!(self, s => s.ledger(ladder).await)
    }

    async fn apply(&self, change: &Change) -> Result<(), StoreError> {
        each!(self, s => s.apply(change).await)
    }

    async fn apply_audited(&self, change: &Change, audit: &AuditEntry) -> Result<(), StoreError> {
        each!(self, s => s.apply_audited(change, audit).await)
    }

    async fn history(&self, person: &PersonId) -> Result<Vec<HistoryEntry>, StoreError> {
        each!(self, s => s.history(person).await)
    }

    async fn erase(
        &self,
        person: &PersonId,
        audit: &AuditEntry,
    ) -> Result<Option<Erased>, StoreError> {
        each!(self, s => s.erase(person, audit).await)
    }

    async fn accounts_of(&self, person: &PersonId) -> Result<Vec<Account>, StoreError> {
        each!(self, s => s.accounts_of(person).await)
    }

    async fn people(&self, ladder: &Ladder) -> Result<Vec<Person>, StoreError> {
        each!(self, s => s.people(ladder).await)
    }

    async fn git_sources(&self) -> Result<GitSources, StoreError> {
        each!(self, s => s.git_sources().await)
    }

    async fn git_commits(&self) -> Result<Vec<GitCommit>, StoreError> {
        each!(self, s => s.git_commits().await)
    }

    async fn ingest_git(
        &self,
        write: &GitIngestWrite<'_>,
        change: impl Future<Output = Option<Change>> + Send,
    ) -> Result<(), StoreError> {
        each!(self, s => s.ingest_git(write, change).await)
    }

    async fn policy(&self) -> Result<Option<Policy>, StoreError> {
        each!(self, s => s.policy().await)
    }

    async fn set_policy(&self, policy: &Policy) -> Result<(), StoreError> {
        each!(self, s => s.set_policy(policy).await)
    }

    async fn is_empty(&self) -> Result<bool, StoreError> {
        each!(self, s => s.is_empty().await)
    }

    async fn revisions(&self) -> Result<Revisions, StoreError> {
        each!(self, s => s.revisions().await)
    }

    async fn create_account(&self, new: &NewAccount) -> Result<(), StoreError> {
        each!(self, s => s.create_account(new).await)
    }

    async fn account(&self, email: &Email) -> Result<Option<StoredAccount>, StoreError> {
        each!(self, s => s.account(email).await)
    }

    async fn set_account_disabled(
        &self,
        email: &Email,
        disabled: bool,
    ) -> Result<bool, StoreError> {
        each!(self, s => s.set_account_disabled(email, disabled).await)
    }

    async fn create_token(
        &self,
        email: &Email,
        id: &str,
        secret_hash: &str,
    ) -> Result<(), StoreError> {
        each!(self, s => s.create_token(email, id, secret_hash).await)
    }

    async fn account_for_token(&self, secret_hash: &str) -> Result<Option<Account>, StoreError> {
        each!(self, s => s.account_for_token(secret_hash).await)
    }

    async fn revoke_token(&self, id: &str) -> Result<bool, StoreError> {
        each!(self, s => s.revoke_token(id).await)
    }

    async fn set_password_hash(
        &self,
        email: &Email,
        password_hash: &str,
    ) -> Result<bool, StoreError> {
        each!(self, s => s.set_password_hash(email, password_hash).await)
    }

    async fn create_session(&self, session: &NewSession) -> Result<(), StoreError> {
        each!(self, s => s.create_session(session).await)
    }

    async fn session(&self, id_hash: &str) -> Result<Option<Session>, StoreError> {
        each!(self, s => s.session(id_hash).await)
    }

    async fn touch_session(&self, id_hash: &str, now: i64) -> Result<(), StoreError> {
        each!(self, s => s.touch_session(id_hash, now).await)
    }

    async fn delete_session(&self, id_hash: &str) -> Result<(), StoreError> {
        each!(self, s => s.delete_session(id_hash).await)
    }

    async fn delete_sessions_of(
        &self,
        email: &Email,
        keep: Option<&str>,
    ) -> Result<u64, StoreError> {
        each!(self, s => s.delete_sessions_of(email, keep).await)
    }

    async fn purge_sessions(&self, expiry: SessionExpiry) -> Result<u64, StoreError> {
        each!(self, s => s.purge_sessions(expiry).await)
    }

    async fn save_reflection(
        &self,
        email: &Email,
        day: &str,
        answers: &str,
    ) -> Result<(), StoreError> {
        each!(self, s => s.save_reflection(email, day, answers).await)
    }

    async fn reflections(&self, email: &Email) -> Result<Vec<(String, String)>, StoreError> {
        each!(self, s => s.reflections(email).await)
    }

    async fn answer_pulse(&self, email: &Email, answer: &PulseAnswer) -> Result<bool, StoreError> {
        each!(self, s => s.answer_pulse(email, answer).await)
    }

    async fn close_pulse(&self, year: i32) -> Result<bool, StoreError> {
        each!(self, s => s.close_pulse(year).await)
    }

    async fn pulse_closed(&self, year: i32) -> Result<bool, StoreError> {
        each!(self, s => s.pulse_closed(year).await)
    }

    async fn answered_pulse(&self, email: &Email, year: i32) -> Result<bool, StoreError> {
        each!(self, s => s.answered_pulse(email, year).await)
    }

    async fn pulse_tally(&self, year: i32) -> Result<PulseTally, StoreError> {
        each!(self, s => s.pulse_tally(year).await)
    }

    async fn pulse_years(&self, at_most: u32) -> Result<Vec<i32>, StoreError> {
        each!(self, s => s.pulse_years(at_most).await)
    }

    async fn backup(&self, to: &Path) -> Result<(), StoreError> {
        each!(self, s => s.backup(to).await)
    }

    async fn dump_table(&self, table: &'static Table) -> Result<Rows, StoreError> {
        each!(self, s => s.dump_table(table).await)
    }

    async fn restore(&self, tables: &[(&'static Table, Rows)]) -> Result<(), StoreError> {
        each!(self, s => s.restore(tables).await)
    }

    async fn audit(&self, entry: &AuditEntry) -> Result<(), StoreError> {
        each!(self, s => s.audit(entry).await)
    }

    async fn audit_log(&self) -> Result<Vec<AuditEntry>, StoreError> {
        each!(self, s => s.audit_log().await)
    }
}
