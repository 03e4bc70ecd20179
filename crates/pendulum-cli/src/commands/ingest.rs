//! `pendulum ingest git`: hands-on evidence from git history, rendered.
//!
//! The ingest itself (probing, reading, matching, the evidence diff, the transaction) is
//! `pendulum_app::ingest::ingest_git`; this module turns its report into the summary a
//! person or a script reads.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::Result;
use pendulum_app::ingest::{GitInput, GitReport, ingest_git};
use serde_json::json;

use crate::context::Context;
use crate::output;

/// Unmatched identities listed in the summary.
const UNMATCHED_SHOWN: usize = 10;

pub async fn git(ctx: &Context, input: &GitInput, json: bool) -> Result<()> {
    let started = Instant::now();
    let bar =
        output::Bar::new("{spinner} {pos}/{len} repositories, {msg} commits read ({elapsed})");
    let report = ingest_git(&ctx.store, &ctx.policy, input, &bar).await?;
    print(&report, started.elapsed(), json)
}

fn print(report: &GitReport, elapsed: Duration, json: bool) -> Result<()> {
    let unmatched: Vec<_> = report
        .evidence
        .as_ref()
        .map(|e| e.unmatched.iter().take(UNMATCHED_SHOWN).collect())
        .unwrap_or_default();
    if json {
        let evidence = report.evidence.as_ref();
        output::json(&json!({
            "repositories": report.repositories,
            "repositories_read": report.repositories_read,
            "commits_read": report.commits_read,
            "commits": evidence.map(|e| e.commits),
            "commits_matched": evidence.map(|e| e.matched),
            "commits_by_bots": evidence.map(|e| e.bots),
            "unmatched": unmatched.iter().map(|u| json!({"identity": u.identity, "commits": u.commits})).collect::<Vec<_>>(),
            "evidence_rows_written": report.rows_written,
            "shallow": report.shallow,
            "partial": !report.shallow.is_empty(),
            "duration_ms": elapsed.as_millis() as u64,
        }))?;
        return Ok(());
    }
    let seconds = elapsed.as_secs_f64();
    let Some(e) = &report.evidence else {
        output::line(format!(
            "{} repositories, nothing new since the last run ({seconds:.2} s)",
            report.repositories
        ))?;
        return print_shallow(report);
    };
    output::line(format!(
        "{} repositories ({} read), {} new commits read, {} commits in all, {} matched to people, {} by bots ({seconds:.2} s)",
        report.repositories,
        report.repositories_read,
        report.commits_read,
        e.commits,
        e.matched,
        e.bots
    ))?;
    output::line(format!("{} evidence rows written", report.rows_written))?;
    print_shallow(report)?;
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

fn print_shallow(report: &GitReport) -> Result<()> {
    for path in &report.shallow {
        output::line(format!(
            "shallow clone, evidence marked partial: {}",
            Path::new(path).display()
        ))?;
    }
    Ok(())
}
