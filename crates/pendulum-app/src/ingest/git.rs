//! The git ingest: hands-on evidence from git history.
//!
//! The repositories are probed first (tips, shallowness, mailmap); when none changed since
//! the last run and the people's addresses are the same, the run ends there, without
//! reading a commit. Otherwise the new commits are read, the evidence of every remembered
//! repository is recomputed, checked against the ledger, and written together with what the
//! next run needs, in one transaction. Any bad path or damaged repository fails the run
//! before anything is written.
//!
//! With [`GitInput::diffstat`], lines added and removed are counted too, once per commit: a
//! later run counts only the commits that lack them, and a run without it keeps them.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use pendulum_core::{Change, GitCommit, GitIngestWrite, GitRepository, Origin, Policy, Problems};
use pendulum_ingest::git::{self, History, Identities, IngestError, ReadOptions};
use pendulum_store::{Store, StoreError};

pub use pendulum_ingest::git::Unmatched;

use super::Progress;
use super::diff::git_change;
use super::parallel::{blocking, watched};

/// What to ingest.
#[derive(Debug, Clone, Default)]
pub struct GitInput {
    /// Repositories (bare or with a work tree), or folders that hold them.
    pub paths: Vec<PathBuf>,
    /// Counts lines added and removed per commit, which costs a diff of each commit's tree.
    pub diffstat: bool,
}

/// What a git ingest did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GitReport {
    /// Repositories found behind the paths.
    pub repositories: usize,
    /// Repositories read (the changed ones, or all named when lines are counted first).
    pub repositories_read: usize,
    /// Commits read this run.
    pub commits_read: u64,
    /// What the evidence counted; `None` when nothing changed and nothing was computed.
    pub evidence: Option<GitEvidence>,
    /// Evidence rows (person and month) written or replaced.
    pub rows_written: usize,
    /// Shallow clones among the repositories, whose evidence is marked partial.
    pub shallow: Vec<String>,
}

/// The counts behind the evidence, over every remembered repository.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GitEvidence {
    /// Distinct commits reachable.
    pub commits: u64,
    /// Commits whose author is a person of the ledger.
    pub matched: u64,
    /// Commits by bots, which count for no one.
    pub bots: u64,
    /// Authors matched to no one, most commits first.
    pub unmatched: Vec<Unmatched>,
}

/// Why a git ingest failed. Nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum GitIngestError {
    /// A path names no repository, or a repository cannot be read; the message names it.
    #[error(transparent)]
    Read(#[from] IngestError),
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The evidence names someone or something the ledger refuses.
    #[error("the evidence read from git does not fit the ledger")]
    Misfit(#[source] Problems),
}

/// Ingests the repositories behind `input.paths` into `store`, matching authors to the
/// people with `policy`'s identities, and reports how the read went to `progress`.
pub async fn ingest_git(
    store: &impl Store,
    policy: &Policy,
    input: &GitInput,
    progress: &dyn Progress,
) -> Result<GitReport, GitIngestError> {
    let options = ReadOptions {
        diffstat: input.diffstat,
    };
    let paths = input.paths.clone();
    let probed = blocking(move || git::probe(&git::discover(&paths)?)).await?;
    let sources = store.git_sources().await?;
    // The people alone tell whether anything changed; the whole ledger (evidence included,
    // which grows with every ingest) is read only when there is evidence to check.
    let people = store.people(&policy.ladder).await?;
    let identities = Identities::new(&people, &policy.git);
    let stored: HashMap<&str, &GitRepository> = sources
        .repositories
        .iter()
        .map(|r| (r.path.as_str(), r))
        .collect();
    let changed: Vec<GitRepository> = probed
        .iter()
        .filter(|r| stored.get(r.path.as_str()) != Some(r))
        .cloned()
        .collect();
    let shallow: Vec<String> = probed
        .iter()
        .filter(|r| r.shallow)
        .map(|r| r.path.clone())
        .collect();
    let lines_counted = sources.lines_counted;
    let same_people = sources.identities.as_deref() == Some(identities.digest());
    if changed.is_empty() && same_people && (lines_counted || !options.diffstat) {
        return Ok(GitReport {
            repositories: probed.len(),
            repositories_read: 0,
            commits_read: 0,
            evidence: None,
            rows_written: 0,
            shallow,
        });
    }

    let ledger = store.ledger(&policy.ladder).await?;
    let history = History::new(store.git_commits().await?);
    let mut all: Vec<GitRepository> = sources
        .repositories
        .iter()
        .filter(|r| !changed.iter().any(|c| c.path == r.path))
        .cloned()
        .collect();
    all.extend(changed.iter().cloned());
    // Counting lines for the first time reads every repository named, changed or not.
    let to_read = if options.diffstat && !lines_counted {
        probed.clone()
    } else {
        changed.clone()
    };
    let repositories_read = to_read.len();
    let (mut history, read) = read_commits(to_read, history, options, progress).await;
    let read = read?;
    let commits_read = read.len() as u64;
    // Commits kept from before come back only when their lines were counted now.
    let counted: Vec<_> = read
        .iter()
        .filter(|c| history.contains(&c.id))
        .filter_map(|c| c.lines.map(|lines| (c.id, lines)))
        .collect();
    let kept = history.len();
    history.extend(read);
    let history = Arc::new(history);
    let new = history.added_since(kept);
    // Whether every commit kept has its lines counted now: a diffstat run counts the
    // commits it reads and, the first time, those of the repositories it names, so
    // repositories only remembered from earlier runs must all be among them; a run
    // without it leaves any new commits uncounted.
    let now_counted = if options.diffstat {
        lines_counted || all.iter().all(|r| probed.iter().any(|p| p.path == r.path))
    } else {
        lines_counted && new.is_empty()
    };
    let write = GitIngestWrite {
        repositories: changed,
        commits: new,
        counted,
        identities: identities.digest().to_owned(),
        lines_counted: now_counted,
    };
    // Evidence is computed and checked against the ledger on a thread of its own while the
    // store writes the commits: on a large history, each takes tens of milliseconds.
    let computing = tokio::task::spawn_blocking({
        let history = Arc::clone(&history);
        move || -> Result<(GitEvidence, Change), GitIngestError> {
            let evidence = git::evidence(&all, &history, &identities);
            let change = git_change(ledger.git(), evidence.months);
            ledger
                .apply(&change, &Origin::new("git", 0))
                .map_err(GitIngestError::Misfit)?;
            let counts = GitEvidence {
                commits: evidence.commits,
                matched: evidence.matched,
                bots: evidence.bots,
                unmatched: evidence.unmatched,
            };
            Ok((counts, change))
        }
    });
    let mut computed = None;
    store
        .ingest_git(&write, async {
            let result = computing.await.expect("computing evidence does not panic");
            let (evidence, change) = match result {
                Ok((evidence, change)) => (Ok(evidence), Some(change)),
                Err(e) => (Err(e), None),
            };
            let rows_written = change
                .as_ref()
                .map_or(0, |c| c.git.len() + c.git_replaced.len());
            computed = Some(evidence.map(|e| (e, rows_written)));
            change
        })
        .await?;
    // The store awaits the evidence unless writing failed, which returned above.
    let (evidence, rows_written) = computed.expect("the store awaited the evidence")?;
    drop(write);
    free_in_background(history);
    Ok(GitReport {
        repositories: probed.len(),
        repositories_read,
        commits_read,
        evidence: Some(evidence),
        rows_written,
        shallow,
    })
}

/// Reads the new commits of `repositories` on the blocking pool, telling `progress` how
/// far it came; the history comes back with the result, whatever it is.
async fn read_commits(
    repositories: Vec<GitRepository>,
    history: History,
    options: ReadOptions,
    progress: &dyn Progress,
) -> (History, Result<Vec<GitCommit>, IngestError>) {
    let counters = Arc::new(git::Progress::default());
    let sample = {
        let counters = Arc::clone(&counters);
        move || {
            (
                counters.repositories_done.load(Ordering::Relaxed),
                counters.commits_read.load(Ordering::Relaxed),
            )
        }
    };
    let total = repositories.len();
    watched(total, progress, sample, move || {
        let read = git::read_new_commits(&repositories, &history, &counters, options);
        (history, read)
    })
    .await
}

/// Frees a history on a thread of its own. Freeing a large history commit by commit takes
/// about ten milliseconds that no caller needs to wait for, and a command line that exits
/// right after does not wait for it at all.
fn free_in_background(history: Arc<History>) {
    // Should no thread start, the closure and the history in it are freed right here.
    let _ = std::thread::Builder::new()
        .name("pendulum-free-history".into())
        .spawn(move || drop(history));
}
