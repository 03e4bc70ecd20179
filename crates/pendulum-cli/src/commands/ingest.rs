//! `pendulum ingest git`: hands-on evidence from git history.
//!
//! The repositories are probed first (tips, shallowness, mailmap); when none changed since
//! the last run and the people's addresses are the same, the run ends there, without
//! reading a commit. Otherwise the new commits are read, the evidence of every remembered
//! repository is recomputed, checked against the ledger, and written together with what the
//! next run needs, in one transaction. Any bad path or damaged repository fails the run
//! before anything is written.
//!
//! With `--diffstat`, lines added and removed are counted too, once per commit: a later run
//! counts only the commits that lack them, and a run without the flag keeps them.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result};
use pendulum_core::{
    Change, GitCommit, GitIngestWrite, GitMonth, GitRepository, Origin, PersonId, YearMonth,
};
use pendulum_ingest::git::{self, Evidence, History, Identities, Progress, ReadOptions};
use pendulum_store::Store;
use serde_json::json;

use crate::context::Context;
use crate::output;

/// How often the progress bar of a read is updated.
const BAR_UPDATE: Duration = Duration::from_millis(50);

/// Unmatched identities listed in the summary.
const UNMATCHED_SHOWN: usize = 10;

pub async fn git(ctx: &Context, paths: &[PathBuf], options: ReadOptions, json: bool) -> Result<()> {
    let started = Instant::now();
    let probed = tokio::task::block_in_place(|| git::probe(&git::discover(paths)?))?;
    let sources = ctx.store.git_sources().await?;
    // The people alone tell whether anything changed; the whole ledger (evidence included,
    // which grows with every ingest) is read only when there is evidence to check.
    let people = ctx.store.people(&ctx.policy.ladder).await?;
    let identities = Identities::new(&people, &ctx.policy.git);
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
    let shallow: Vec<&str> = probed
        .iter()
        .filter(|r| r.shallow)
        .map(|r| r.path.as_str())
        .collect();
    let lines_counted = sources.lines_counted;
    let same_people = sources.identities.as_deref() == Some(identities.digest());
    if changed.is_empty() && same_people && (lines_counted || !options.diffstat) {
        let summary = Summary {
            repositories: probed.len(),
            read_from: 0,
            commits_read: 0,
            evidence: None,
            rows_written: 0,
            shallow: &shallow,
            elapsed: started.elapsed(),
        };
        return summary.print(json);
    }

    let ledger = ctx.ledger().await?;
    let mut history = History::new(ctx.store.git_commits().await?);
    let mut all: Vec<GitRepository> = sources
        .repositories
        .iter()
        .filter(|r| !changed.iter().any(|c| c.path == r.path))
        .cloned()
        .collect();
    all.extend(changed.iter().cloned());
    // Counting lines for the first time reads every repository named, changed or not.
    let to_read = if options.diffstat && !lines_counted {
        &probed
    } else {
        &changed
    };
    let read = tokio::task::block_in_place(|| read_with_progress(to_read, &history, options))?;
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
    // Whether every commit kept has its lines counted now: a --diffstat run counts the
    // commits it reads and, the first time, those of the repositories it names, so
    // repositories only remembered from earlier runs must all be among them; a run
    // without the flag leaves any new commits uncounted.
    let now_counted = if options.diffstat {
        lines_counted || all.iter().all(|r| probed.iter().any(|p| p.path == r.path))
    } else {
        lines_counted && new.is_empty()
    };
    let write = GitIngestWrite {
        repositories: changed.clone(),
        commits: new,
        counted,
        identities: identities.digest().to_owned(),
        lines_counted: now_counted,
    };
    // Evidence is computed and checked against the ledger on a thread of its own while the
    // store writes the commits: on a large history, each takes tens of milliseconds.
    let computing = tokio::task::spawn_blocking({
        let history = Arc::clone(&history);
        move || -> Result<(Evidence, Change)> {
            let mut evidence = git::evidence(&all, &history, &identities);
            let change = evidence_change(ledger.git(), std::mem::take(&mut evidence.months));
            ledger
                .apply(&change, &Origin::new("git", 0))
                .context("the evidence read from git does not fit the ledger")?;
            Ok((evidence, change))
        }
    });
    let mut computed = None;
    ctx.store
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
    Summary {
        repositories: probed.len(),
        read_from: to_read.len(),
        commits_read,
        evidence: Some(&evidence),
        rows_written,
        shallow: &shallow,
        elapsed: started.elapsed(),
    }
    .print(json)?;
    // The process ends with the command, and the system takes its memory back at once:
    // freeing a large history commit by commit took about ten milliseconds.
    std::mem::forget(history);
    Ok(())
}

/// Reads the new commits with a progress bar on stderr (hidden off a terminal).
fn read_with_progress(
    repositories: &[GitRepository],
    history: &History,
    options: ReadOptions,
) -> Result<Vec<GitCommit>> {
    let progress = Progress::default();
    let bar = indicatif::ProgressBar::new(repositories.len() as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} {pos}/{len} repositories, {msg} commits read ({elapsed})",
        )
        .expect("the template is valid"),
    );
    let read = std::thread::scope(|scope| {
        // The reader hangs up when it is done, which ends the wait for the next update of
        // the bar at once: sleeping between updates kept every ingest waiting 25 ms on
        // average after the read.
        let (done, finished) = mpsc::channel::<()>();
        let reader = scope.spawn(|| {
            let read = git::read_new_commits(repositories, history, &progress, options);
            drop(done);
            read
        });
        while let Err(RecvTimeoutError::Timeout) = finished.recv_timeout(BAR_UPDATE) {
            bar.set_position(progress.repositories_done.load(Ordering::Relaxed) as u64);
            bar.set_message(progress.commits_read.load(Ordering::Relaxed).to_string());
        }
        reader.join().expect("the reader does not panic")
    });
    bar.finish_and_clear();
    Ok(read?)
}

/// The writes that turn the stored git evidence into `fresh`: changed and vanished
/// (person, month) rows are replaced, new ones added, equal ones left alone.
fn evidence_change(stored: &[GitMonth], fresh: Vec<GitMonth>) -> Change {
    let key = |g: &GitMonth| (g.person.clone(), g.month);
    let old: HashMap<(&PersonId, YearMonth), &GitMonth> =
        stored.iter().map(|g| ((&g.person, g.month), g)).collect();
    let fresh_keys: HashSet<(&PersonId, YearMonth)> =
        fresh.iter().map(|g| (&g.person, g.month)).collect();
    let vanished: Vec<(PersonId, YearMonth)> = stored
        .iter()
        .filter(|g| !fresh_keys.contains(&(&g.person, g.month)))
        .map(key)
        .collect();
    let mut change = Change::default();
    for g in fresh {
        match old.get(&(&g.person, g.month)) {
            Some(&before) if *before == g => {}
            Some(_) => {
                change.git_replaced.push(key(&g));
                change.git.push(g);
            }
            None => change.git.push(g),
        }
    }
    change.git_replaced.extend(vanished);
    change
}

struct Summary<'a> {
    repositories: usize,
    read_from: usize,
    commits_read: u64,
    /// `None` when nothing changed and nothing was computed.
    evidence: Option<&'a Evidence>,
    rows_written: usize,
    shallow: &'a [&'a str],
    elapsed: Duration,
}

impl Summary<'_> {
    fn print(&self, json: bool) -> Result<()> {
        let unmatched: Vec<_> = self
            .evidence
            .map(|e| e.unmatched.iter().take(UNMATCHED_SHOWN).collect())
            .unwrap_or_default();
        if json {
            output::json(&json!({
                "repositories": self.repositories,
                "repositories_read": self.read_from,
                "commits_read": self.commits_read,
                "commits": self.evidence.map(|e| e.commits),
                "commits_matched": self.evidence.map(|e| e.matched),
                "commits_by_bots": self.evidence.map(|e| e.bots),
                "unmatched": unmatched.iter().map(|u| json!({"identity": u.identity, "commits": u.commits})).collect::<Vec<_>>(),
                "evidence_rows_written": self.rows_written,
                "shallow": self.shallow,
                "partial": !self.shallow.is_empty(),
                "duration_ms": self.elapsed.as_millis() as u64,
            }))?;
            return Ok(());
        }
        let seconds = self.elapsed.as_secs_f64();
        let Some(e) = self.evidence else {
            output::line(format!(
                "{} repositories, nothing new since the last run ({seconds:.2} s)",
                self.repositories
            ))?;
            return self.print_shallow();
        };
        output::line(format!(
            "{} repositories ({} read), {} new commits read, {} commits in all, {} matched to people, {} by bots ({seconds:.2} s)",
            self.repositories, self.read_from, self.commits_read, e.commits, e.matched, e.bots
        ))?;
        output::line(format!("{} evidence rows written", self.rows_written))?;
        self.print_shallow()?;
        if !unmatched.is_empty() {
            output::line(output::heading(
                "Unmatched identities with the most commits (add them as aliases of their person):",
            ))?;
            for u in unmatched {
                output::line(format!("  {:>7}  {}", u.commits, u.identity))?;
            }
        }
        Ok(())
    }

    fn print_shallow(&self) -> Result<()> {
        for path in self.shallow {
            output::line(format!(
                "shallow clone, evidence marked partial: {}",
                Path::new(path).display()
            ))?;
        }
        Ok(())
    }
}
