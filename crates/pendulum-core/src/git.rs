//! What an ingest of git history remembers between runs, so that the next run reads only
//! commits it has not seen.
//!
//! Evidence is derived from these records and nothing else: each repository's ref tips (and
//! its mailmap, since identities are resolved when evidence is computed), and every commit
//! ever read, once, whatever repositories hold it. Which commits a repository holds is the
//! closure of its tips over the recorded parents, so a rewritten history (a force-push, a
//! deleted branch) drops commits from the evidence without any of them being read again.
//! The records are plain data: reading repositories is `pendulum-ingest`'s job and keeping
//! the records is the store's.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

use crate::period::YearMonth;

/// A commit's object id (SHA-1).
pub type CommitId = [u8; 20];

/// A map keyed by commit id, hashed by the id's own first bytes.
pub type CommitMap<V> = HashMap<CommitId, V, BuildHasherDefault<CommitIdHasher>>;

/// A set of commit ids, hashed by the id's own first bytes.
pub type CommitSet = HashSet<CommitId, BuildHasherDefault<CommitIdHasher>>;

/// Hashes a commit id by taking its first eight bytes.
///
/// Ids are SHA-1 digests, already uniform, and an ingest hashes each of hundreds of
/// thousands of them several times: a keyed hash of all twenty bytes was a noticeable share
/// of the time. Choosing commit ids that collide in a table's low bits takes deliberate
/// work on each commit; the worst such a repository can do is slow its own ingest.
#[derive(Debug, Default, Clone, Copy)]
pub struct CommitIdHasher(u64);

impl Hasher for CommitIdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // An id arrives as its length (the same for every id) and then its twenty bytes;
        // shorter writes fold in byte by byte.
        if let Some(head) = bytes.first_chunk::<8>() {
            self.0 ^= u64::from_le_bytes(*head);
        } else {
            for &b in bytes {
                self.0 = self.0.rotate_left(8) ^ u64::from(b);
            }
        }
    }
}

/// One commit as read from a repository: what evidence needs of it, and its parents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GitCommit {
    pub id: CommitId,
    /// In the order the commit lists them; more than one makes it a merge.
    pub parents: Vec<CommitId>,
    /// The author date's month in the author's own time zone.
    pub month: YearMonth,
    /// As written in the commit, before any mailmap; shared between the commits of one
    /// author, since a history has far fewer authors than commits.
    pub author_name: Arc<str>,
    pub author_email: Arc<str>,
    /// The values of the `Co-authored-by` trailers, as written (`Name <email>`).
    pub coauthors: Vec<String>,
    /// Lines added and removed against the first parent, when they were counted.
    pub lines: Option<(u64, u64)>,
}

impl GitCommit {
    pub fn is_merge(&self) -> bool {
        self.parents.len() > 1
    }
}

/// A repository as it was at its last ingest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GitRepository {
    /// The repository's canonical path: its key.
    pub path: String,
    /// The commits its branches and tags pointed at, sorted, without duplicates.
    pub tips: Vec<CommitId>,
    /// Whether it was a shallow clone: its history, and so its evidence, may be incomplete.
    pub shallow: bool,
    /// The text of its mailmap (empty when it has none).
    pub mailmap: String,
}

/// Everything an ingest remembers but the commits, which are only needed when something
/// changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GitSources {
    pub repositories: Vec<GitRepository>,
    /// A digest of what identities were resolved with (people's addresses, the bot
    /// patterns), so that a change of them recomputes evidence from the commits kept.
    pub identities: Option<String>,
    /// Whether every commit kept has its lines counted (a `--diffstat` run saw them all).
    pub lines_counted: bool,
}

/// What one ingest writes besides evidence, in the same transaction as the evidence.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GitIngestWrite<'a> {
    /// Repositories read in this run, replacing what was kept of them.
    pub repositories: Vec<GitRepository>,
    /// Commits read for the first time, borrowed: a first ingest of a large history holds
    /// hundreds of thousands of them, already in memory once.
    pub commits: &'a [GitCommit],
    /// Lines added and removed, counted in this run, of commits kept from earlier runs.
    pub counted: Vec<(CommitId, (u64, u64))>,
    pub identities: String,
    /// Whether every commit kept now has its lines counted.
    pub lines_counted: bool,
}
