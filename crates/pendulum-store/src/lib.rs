//! Where the ledger and the policy are kept between commands.
//!
//! [`Store`] is the one interface the rest of pendulum writes against; each database is a
//! backend that implements it in a crate of its own, with its own migrations
//! (`pendulum-store-sqlite`'s `SqliteStore`, `pendulum-store-postgres`'s `PgStore`), picked
//! at run time by the scheme of the location given to pendulum-app's `Db::open`. A store never
//! judges what it is given: every [`Change`] has already been checked by `Ledger::apply` or
//! `Ledger::merge`, and the store's job is to write it whole or not at all, and to read it
//! back exactly as it was written.

pub mod codec;
pub mod commit_pack;
#[cfg(feature = "conformance")]
pub mod conformance;
pub mod tables;

use std::path::Path;

use tables::{Rows, Table};

use pendulum_core::{
    Account, Change, Email, GitCommit, GitIngestWrite, GitSources, Ladder, Ledger, Person,
    PersonId, Policy,
};

/// A place that keeps the ledger and the policy.
pub trait Store: Send + Sync {
    /// The whole ledger, levels parsed against `ladder`.
    ///
    /// The rows go through `Ledger::build`; a row that does not parse (a level not on the
    /// ladder, a malformed date, ...) is [`StoreError::Corrupt`], naming its table and key.
    fn ledger(&self, ladder: &Ladder) -> impl Future<Output = Result<Ledger, StoreError>> + Send;

    /// Writes a change, already checked against the ledger by the caller, in one
    /// transaction: all of it or none of it.
    ///
    /// Inserts its teams, people (with their aliases), stints, check-ins and evidence;
    /// replaces the people in `people_updates` (aliases too); ends the open stints named by
    /// `stint_ends`; and stores `policy` when it is set. A stint end that names no open
    /// stint, or an update of a person who is not stored, is [`StoreError::Conflict`].
    fn apply(&self, change: &Change) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Writes a change someone made (a correction, a departure, a return) and its audit line
    /// in one transaction: the change as [`Store::apply`] does, its corrections as made by
    /// `audit.actor`, and `audit` itself.
    fn apply_audited(
        &self,
        change: &Change,
        audit: &AuditEntry,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// The corrections recorded about a person, oldest first.
    fn history(
        &self,
        person: &PersonId,
    ) -> impl Future<Output = Result<Vec<HistoryEntry>, StoreError>> + Send;

    /// Erases a person and everything that is theirs, in one transaction, and appends
    /// `audit` (which must not name them); `None` when no such person is stored. Someone
    /// still reporting to the person is [`StoreError::Conflict`]. Rows kept for others (the
    /// commits an ingest remembers, the audit log, others' corrections) keep no name,
    /// address or id of theirs. Counts that name no one (the pulse's tallies) stay.
    fn erase(
        &self,
        person: &PersonId,
        audit: &AuditEntry,
    ) -> impl Future<Output = Result<Option<Erased>, StoreError>> + Send;

    /// The accounts that are a person's.
    fn accounts_of(
        &self,
        person: &PersonId,
    ) -> impl Future<Output = Result<Vec<Account>, StoreError>> + Send;

    /// The people, with their aliases, without the rest of the ledger: what matching
    /// evidence to people needs, at a fraction of the cost of [`Store::ledger`].
    fn people(
        &self,
        ladder: &Ladder,
    ) -> impl Future<Output = Result<Vec<Person>, StoreError>> + Send;

    /// What earlier git ingests remembered of their repositories (without the commits).
    fn git_sources(&self) -> impl Future<Output = Result<GitSources, StoreError>> + Send;

    /// Every commit a git ingest has read.
    fn git_commits(&self) -> impl Future<Output = Result<Vec<GitCommit>, StoreError>> + Send;

    /// Writes a git ingest in one transaction: what the ingest remembers for the next run,
    /// then the evidence that `change` yields (already checked against the ledger, usually
    /// replacing the months it recomputed). The commits are written while the caller is
    /// still computing the evidence; when `change` yields `None` instead, the transaction
    /// is rolled back and nothing is written.
    fn ingest_git(
        &self,
        write: &GitIngestWrite<'_>,
        change: impl Future<Output = Option<Change>> + Send,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// The policy stored with the ledger, if one was ever stored.
    fn policy(&self) -> impl Future<Output = Result<Option<Policy>, StoreError>> + Send;

    /// Stores `policy`, replacing the one stored before.
    fn set_policy(&self, policy: &Policy) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Whether the ledger holds no rows at all (a stored policy does not count).
    fn is_empty(&self) -> impl Future<Output = Result<bool, StoreError>> + Send;

    /// A number that changes whenever the ledger or the policy is written, by this process
    /// or another: a reader that caches the ledger compares it to know when to read again.
    fn revision(&self) -> impl Future<Output = Result<i64, StoreError>> + Send {
        async { Ok(self.revisions().await?.ledger) }
    }

    /// The ledger's revision and the access revision, read together in one query: what a
    /// server reads on every request to know whether its cached ledger and the accounts it
    /// keeps for API tokens are still the stored ones.
    fn revisions(&self) -> impl Future<Output = Result<Revisions, StoreError>> + Send;

    /// Creates an account; an existing email is [`StoreError::Conflict`].
    fn create_account(
        &self,
        new: &NewAccount,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// The account with this email, with its password hash, if there is one.
    fn account(
        &self,
        email: &Email,
    ) -> impl Future<Output = Result<Option<StoredAccount>, StoreError>> + Send;

    /// Disables or re-enables an account; `false` when there is no such account.
    fn set_account_disabled(
        &self,
        email: &Email,
        disabled: bool,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send;

    /// Stores a new API token of an account by its public id and the hash of its secret.
    fn create_token(
        &self,
        email: &Email,
        id: &str,
        secret_hash: &str,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// The enabled account that holds the live token with this secret hash.
    fn account_for_token(
        &self,
        secret_hash: &str,
    ) -> impl Future<Output = Result<Option<Account>, StoreError>> + Send;

    /// Revokes a token by its public id; `false` when no live token has that id.
    fn revoke_token(&self, id: &str) -> impl Future<Output = Result<bool, StoreError>> + Send;

    /// Replaces an account's password hash; `false` when there is no such account.
    fn set_password_hash(
        &self,
        email: &Email,
        password_hash: &str,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send;

    /// Stores a new browser session by the hash of its id, with its CSRF token.
    fn create_session(
        &self,
        session: &NewSession,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// The live session with this id hash, if its account is enabled.
    fn session(
        &self,
        id_hash: &str,
    ) -> impl Future<Output = Result<Option<Session>, StoreError>> + Send;

    /// Records activity on a session (for the idle timeout).
    fn touch_session(
        &self,
        id_hash: &str,
        now: i64,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Ends a session.
    fn delete_session(&self, id_hash: &str) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Ends every session of an account but the one with the id hash `keep`, if given;
    /// gives how many ended.
    fn delete_sessions_of(
        &self,
        email: &Email,
        keep: Option<&str>,
    ) -> impl Future<Output = Result<u64, StoreError>> + Send;

    /// Deletes the sessions that have expired, which would otherwise stay until their
    /// cookie came back; gives how many were deleted.
    fn purge_sessions(
        &self,
        expiry: SessionExpiry,
    ) -> impl Future<Output = Result<u64, StoreError>> + Send;

    /// Stores a reflection of an account's own; `answers` is the form as JSON text.
    fn save_reflection(
        &self,
        email: &Email,
        day: &str,
        answers: &str,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// An account's reflections, newest first, as (day, answers).
    fn reflections(
        &self,
        email: &Email,
    ) -> impl Future<Output = Result<Vec<(String, String)>, StoreError>> + Send;

    /// Records a pulse answer as counts (how many gave each score), with nothing that
    /// links it to who gave it; `false` when the account has already answered this year or
    /// the year's pulse was closed by an admin.
    fn answer_pulse(
        &self,
        email: &Email,
        answer: &PulseAnswer,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send;

    /// Closes the pulse of `year` early (an admin's decision); `false` when it already was.
    fn close_pulse(&self, year: i32) -> impl Future<Output = Result<bool, StoreError>> + Send;

    /// Whether an admin closed the pulse of `year`.
    fn pulse_closed(&self, year: i32) -> impl Future<Output = Result<bool, StoreError>> + Send;

    /// Whether the account has answered the pulse of `year`.
    fn answered_pulse(
        &self,
        email: &Email,
        year: i32,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send;

    /// The counts of a year's pulse, by group.
    fn pulse_tally(&self, year: i32)
    -> impl Future<Output = Result<PulseTally, StoreError>> + Send;

    /// The years whose pulse has at least one answer, newest first, at most `at_most` of
    /// them; open or closed alike, so a caller decides which it may show.
    fn pulse_years(
        &self,
        at_most: u32,
    ) -> impl Future<Output = Result<Vec<i32>, StoreError>> + Send;

    /// Writes a consistent copy of the whole database, as it stood at one moment, to a new
    /// file at `to`, while others go on reading and writing; then checks the copy's
    /// integrity. The file must not exist yet. A copy cut short (a crash, a full disk) may
    /// be incomplete, so a caller writes it beside its final name and moves it there.
    fn backup(&self, to: &Path) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Every row of one table, as neutral values in the table's column order, in the order
    /// of its key: one half of a copy between databases.
    fn dump_table(
        &self,
        table: &'static Table,
    ) -> impl Future<Output = Result<Rows, StoreError>> + Send;

    /// Writes whole tables into this store in one transaction: the other half of a copy.
    /// Refuses with [`StoreError::NotEmpty`] when any table already has a row, so that a
    /// copy never mixes two databases; counters the backend keeps for new rows continue
    /// after the copied ones.
    fn restore(
        &self,
        tables: &[(&'static Table, Rows)],
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Appends to the audit log.
    fn audit(&self, entry: &AuditEntry) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// The whole audit log, oldest first.
    fn audit_log(&self) -> impl Future<Output = Result<Vec<AuditEntry>, StoreError>> + Send;
}

/// The store's two counters of writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Revisions {
    /// Moves with every write of the ledger or the policy ([`Store::revision`]).
    pub ledger: i64,
    /// Moves with every change to an account or an API token (a disabled account, a new
    /// password, a revoked token, an erased account). Triggers in the database keep it, so
    /// no write path, present or future, can forget to; creating an account or a token
    /// does not move it, as nothing kept before can be wrong about them.
    pub access: i64,
}

/// One correction as the history shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEntry {
    /// When, in UTC, as `YYYY-MM-DD HH:MM:SS`.
    pub at: String,
    pub actor: Actor,
    /// Which record, such as `stint from 2024-03-01` or `person`.
    pub record: String,
    /// Which field of it; `*` for the whole record.
    pub field: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// How much an erasure removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Erased {
    pub stints: u64,
    pub checkins: u64,
    /// Months of git and weeks of calendar evidence.
    pub evidence: u64,
    pub reflections: u64,
    pub accounts: u64,
    /// Commits kept for the next ingest whose author or co-author was made anonymous.
    pub commits: u64,
}

/// An account to create. The password arrives hashed: the store never sees a secret.
#[derive(Debug, Clone)]
pub struct NewAccount {
    pub account: Account,
    pub password_hash: String,
}

/// One anonymous answer to the yearly pendulum pulse (scores 1-5, 5 = strongly agree).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PulseAnswer {
    pub year: i32,
    /// Whether the answer came from someone managing now.
    pub manager: bool,
    /// "To be heard or to grow here, I would have to manage."
    pub must_manage_to_grow: u8,
    /// "Going back to engineering would cost status here."
    pub fear_going_back: u8,
}

/// How many answered a year's pulse, and how many gave each score, per group.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PulseTally {
    /// Engineers and tech leads.
    pub hands_on: GroupTally,
    /// Managers and hybrids.
    pub managers: GroupTally,
}

/// One group's counts: `must_manage_to_grow[s - 1]` answers gave score `s`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GroupTally {
    pub must_manage_to_grow: [u32; 5],
    pub fear_going_back: [u32; 5],
}

impl GroupTally {
    /// How many answered (each answer scores both statements).
    pub fn answers(&self) -> u32 {
        self.must_manage_to_grow.iter().sum()
    }

    /// The mean score of one statement's counts; `None` without answers.
    pub fn mean(counts: &[u32; 5]) -> Option<f64> {
        let n: u32 = counts.iter().sum();
        (n > 0).then(|| {
            let total: u32 = counts.iter().zip(1..).map(|(c, s)| c * s).sum();
            f64::from(total) / f64::from(n)
        })
    }
}

/// A session to store. Times are Unix seconds.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub id_hash: String,
    pub account: Email,
    pub csrf: String,
    pub now: i64,
}

/// When sessions count as expired, in Unix seconds: idle since before `idle_before`, or
/// created before `created_before`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionExpiry {
    pub idle_before: i64,
    pub created_before: i64,
}

/// A stored session and the account it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub account: Account,
    pub csrf: String,
    pub created_at: i64,
    pub last_seen: i64,
}

/// An account as stored, with what signing in needs.
#[derive(Clone)]
pub struct StoredAccount {
    pub account: Account,
    /// An Argon2id PHC string.
    pub password_hash: String,
    pub disabled: bool,
}

/// The hash is a secret too: it never appears in logs or debug output.
impl std::fmt::Debug for StoredAccount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoredAccount")
            .field("account", &self.account)
            .field("password_hash", &"<redacted>")
            .field("disabled", &self.disabled)
            .finish()
    }
}

/// One line of the audit log: who did what to whose data, and how it ended. Never note
/// text or secrets, and never more client text than [`AuditEntry::MAX_SUBJECT_CHARS`]: the
/// store cuts a longer subject, so that no request can make a row as big as itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub actor: Actor,
    /// What was attempted, such as `sign-in`, `read person`, `record check-in`.
    pub action: String,
    /// Whose data, such as a person id.
    pub subject: Option<String>,
    /// `ok`, `denied`, `failed`, `rate-limited` (a client past the sign-in limit) or
    /// `backed-off` (an email address during its sign-in back-off).
    pub outcome: String,
}

impl AuditEntry {
    /// The longest subject kept; ids and emails are shorter.
    pub const MAX_SUBJECT_CHARS: usize = 256;
}

/// Who did what an audit line records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// A signed-in account, or the account a sign-in named.
    Account(Email),
    /// A `pendulum` command, run by this user of the operating system.
    CommandLine(String),
    /// Nobody known: a request that named no valid account.
    Unknown,
}

impl std::fmt::Display for Actor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Actor::Account(email) => email.fmt(f),
            Actor::CommandLine(user) => write!(f, "command line ({user})"),
            Actor::Unknown => f.write_str("unknown"),
        }
    }
}

impl Actor {
    /// The longest operating system user name kept.
    pub const MAX_USER_CHARS: usize = 64;

    /// The command line, run by the operating system user of `$USER` (or `$LOGNAME`).
    pub fn command_line() -> Self {
        let user = std::env::var("USER")
            .or_else(|_| std::env::var("LOGNAME"))
            .unwrap_or_default();
        Actor::CommandLine(user.chars().take(Self::MAX_USER_CHARS).collect())
    }
}

/// Why the store could not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "cannot open database {location}: {source}; check that its folder can be created and written to"
    )]
    Open {
        location: String,
        source: sqlx::Error,
    },
    #[error(
        "cannot bring the database schema up to date: {0}; the file may have been written by a newer pendulum"
    )]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// A stored row that does not parse; or rows that parse but together do not make a
    /// valid ledger, when `key` is empty, `table` is `"the ledger tables"` and `message`
    /// lists every problem.
    #[error("{}", corrupt_message(.table, .key, .message))]
    Corrupt {
        table: &'static str,
        key: String,
        message: String,
    },
    #[error("{0}")]
    Unsupported(String),
    #[error(
        "the database is not empty (table {table} has rows); a copy goes only into an empty database"
    )]
    NotEmpty { table: &'static str },
    #[error("cannot back up to {location}: {message}")]
    Backup { location: String, message: String },
    #[error(
        "the change does not match the database: {0}; someone else may have changed it, so read the ledger again and retry"
    )]
    Conflict(String),
}

fn corrupt_message(table: &str, key: &str, message: &str) -> String {
    if key.is_empty() {
        format!(
            "the rows stored in {table} do not make a valid ledger: {message}; repair the rows named, or restore a backup"
        )
    } else {
        format!(
            "the database holds a bad row in {table} ({key}): {message}; repair or remove the row, or restore a backup"
        )
    }
}
