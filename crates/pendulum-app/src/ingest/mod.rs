//! The ingests: evidence read from the sources people already keep (git history, calendars)
//! and stored next to the ledger.
//!
//! Each ingest is one function that takes a store, the policy and typed inputs, does all of
//! its reading before it writes, writes in one transaction, and returns a report of what it
//! read, matched and wrote. The command line renders that report; the server and scheduled
//! sources call the same functions. Reading runs on the blocking pool, on all cores, so that
//! an ingest never holds up the async workers of a server; while it runs, the caller hears
//! how far it came through a [`Progress`] of its own (a terminal bar, a log line, nothing).

pub mod calendar;
mod diff;
pub mod git;
mod parallel;

pub use calendar::{
    CalendarIngestError, CalendarInput, CalendarReport, UnmatchedFile, ingest_calendar,
};
pub use git::{GitEvidence, GitIngestError, GitInput, GitReport, Unmatched, ingest_git};

/// Hears how far the reading step of an ingest has come: the only long step, the one worth
/// showing. Every method has a default that ignores it, so an implementation picks what it
/// shows.
///
/// The calls come from the task that awaits the ingest, a few times a second, never from
/// the threads that read.
pub trait Progress: Sync {
    /// Reading begins: `total` repositories, or calendar files.
    fn start(&self, total: usize) {
        let _ = total;
    }

    /// `done` of them are read, and `commits` commits in all so far (0 for calendars).
    fn advance(&self, done: usize, commits: u64) {
        let _ = (done, commits);
    }

    /// Reading is over, whether it succeeded or not.
    fn finish(&self) {}
}

/// Shows nothing: for callers with no one watching, and for tests.
#[derive(Debug, Clone, Copy, Default)]
pub struct Quiet;

impl Progress for Quiet {}
