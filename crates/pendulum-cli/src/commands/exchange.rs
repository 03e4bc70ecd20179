//! `import` and `export`: files read and written here, what they hold brought in and out by
//! `pendulum_app::exchange` as the operator.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, anyhow, bail};
use pendulum_app::acting::{Action, Who, WriteError};
use pendulum_app::exchange::{self, Run};
use pendulum_core::{PersonId, Problems};
use pendulum_exchange::{InputFile, Notes};
use pendulum_store::StoreError;

use crate::context::Context;
use crate::output;

pub async fn import(ctx: &Context, files: &[PathBuf], dry_run: bool, json: bool) -> Result<()> {
    let mut inputs = Vec::with_capacity(files.len());
    for path in files {
        let bytes =
            std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
        inputs.push(InputFile {
            name: path.display().to_string(),
            bytes,
        });
    }
    let existing = ctx.ledger().await?;
    let run = if dry_run { Run::DryRun } else { Run::Write };
    let imported = exchange::import(
        &ctx.store,
        &existing,
        &ctx.policy,
        &Who::Operator,
        &inputs,
        run,
    )
    .await
    .map_err(|e| import_not_done(Action::Import, e))?;
    let summary = format!(
        "{} people, {} teams, {} stints, {} check-ins, {} answers about managing, {} evidence rows{}",
        imported.people,
        imported.teams,
        imported.stints,
        imported.checkins,
        imported.answers,
        imported.evidence,
        if imported.policy {
            " and the policy"
        } else {
            ""
        },
    );
    let counts = serde_json::json!({
        "people": imported.people,
        "teams": imported.teams,
        "stints": imported.stints,
        "checkins": imported.checkins,
        "answers": imported.answers,
        "evidence": imported.evidence,
        "policy": imported.policy,
        "dry_run": dry_run,
    });
    if dry_run {
        return said(
            json,
            &counts,
            format!("would import {summary}; nothing written (--dry-run)"),
        );
    }
    said(
        json,
        &counts,
        format!("imported {summary} into {}", ctx.location),
    )
}

/// An import's refusal as the command line words it: every problem on stderr, then a
/// summary.
fn import_not_done(action: Action, e: WriteError) -> anyhow::Error {
    match e {
        WriteError::Refused(problems) => refused(problems),
        // A document's levels were read against its own ladder; stored levels against ours.
        WriteError::OtherLadder => anyhow!(
            "the document's policy has a different ladder from the one in force; import it into an empty database, or store its policy first with `pendulum policy set`"
        ),
        WriteError::Store(e) => anyhow::Error::new(e).context("the import was not written"),
        WriteError::Conflict(message) => {
            anyhow::Error::new(StoreError::Conflict(message)).context("the import was not written")
        }
        other => super::not_done("import", action, other),
    }
}

/// What an import did, as JSON counts or as a sentence.
fn said(json: bool, counts: &serde_json::Value, sentence: String) -> Result<()> {
    if json {
        output::json(counts)?;
    } else {
        output::line(sentence)?;
    }
    Ok(())
}

/// Prints every problem on stderr, then fails with a summary.
pub fn refused(problems: Problems) -> anyhow::Error {
    for p in problems.iter() {
        anstream::eprintln!("{p}");
    }
    let n = problems.len();
    anyhow::anyhow!(
        "import refused: {n} problem{}; nothing was written",
        if n == 1 { "" } else { "s" }
    )
}

pub async fn export(ctx: &Context, output_file: Option<&Path>) -> Result<()> {
    let ledger = ctx.ledger().await?;
    let doc = exchange::export(&ctx.store, &ledger, &ctx.policy, &Who::Operator).await?;
    match output_file {
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(doc.as_bytes())?;
            out.flush()?;
        }
        Some(path) => write_atomically(path, doc.as_bytes())?,
    }
    Ok(())
}

/// `export --person`: the person's own ledger, notes included: whoever runs the command line
/// has the whole database in hand already.
pub async fn export_person(
    ctx: &Context,
    person: &PersonId,
    org: &str,
    output_file: Option<&Path>,
) -> Result<()> {
    let ledger = ctx.ledger().await?;
    let doc = exchange::export_personal(
        &ctx.store,
        &ledger,
        &Who::Operator,
        person,
        org,
        Notes::Keep,
    )
    .await?
    .ok_or_else(|| anyhow!("no person has the id {:?}", person.as_str()))?;
    match output_file {
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(doc.as_bytes())?;
            out.flush()?;
        }
        Some(path) => write_atomically(path, doc.as_bytes())?,
    }
    Ok(())
}

/// `import --person-ledger`: one person's history brought in, all of it or nothing; what is
/// stored already as the document has it is skipped, so a second import changes nothing.
pub async fn import_person(
    ctx: &Context,
    path: &Path,
    as_person: Option<PersonId>,
    dry_run: bool,
    json: bool,
) -> Result<()> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let file = InputFile {
        name: path.display().to_string(),
        bytes,
    };
    let existing = ctx.ledger().await?;
    let run = if dry_run { Run::DryRun } else { Run::Write };
    let imported = exchange::import_personal(
        &ctx.store,
        &existing,
        &ctx.policy,
        &Who::Operator,
        &file,
        as_person,
        run,
    )
    .await
    .map_err(|e| import_not_done(Action::ImportPersonal, e))?;
    let summary = format!(
        "{}{} stints, {} check-ins, {} answers about managing, {} evidence rows and {} reflections of {} ({} already here)",
        if imported.created { "the person, " } else { "" },
        imported.stints,
        imported.checkins,
        imported.answers,
        imported.evidence,
        imported.reflections,
        imported.person,
        imported.skipped,
    );
    let mut counts = serde_json::json!({
        "person": imported.person.as_str(),
        "created": imported.created,
        "stints": imported.stints,
        "checkins": imported.checkins,
        "answers": imported.answers,
        "evidence": imported.evidence,
        "reflections": imported.reflections,
        "skipped": imported.skipped,
        "dry_run": dry_run,
    });
    if dry_run {
        return said(
            json,
            &counts,
            format!("would import {summary}; nothing written (--dry-run)"),
        );
    }
    let left_out = imported.reflections_left_out;
    if left_out > 0 {
        anstream::eprintln!(
            "{} not imported: {} has no account here to keep them; add one with `pendulum user add EMAIL --person {}`, then import the document again (what is here already is skipped)",
            match left_out {
                1 => "1 reflection was".to_owned(),
                n => format!("{n} reflections were"),
            },
            imported.person,
            imported.person
        )
    }
    counts["reflections_left_out"] = left_out.into();
    said(
        json,
        &counts,
        format!("imported {summary} into {}", ctx.location),
    )
}

/// Writes beside the target and renames, so a reader never sees half a file.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let (_, tmp) = beside(path, "tmp")?;
    std::fs::write(&tmp, bytes).with_context(|| format!("cannot write {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| {
        let _ = std::fs::remove_file(&tmp);
        format!("cannot write {}", path.display())
    })
}

/// The folder of `path`, and a hidden file beside it, named after it, `purpose` and this
/// process, to write before it takes `path`'s place: a rename within one folder is atomic.
pub fn beside(path: &Path, purpose: &str) -> Result<(PathBuf, PathBuf)> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let Some(name) = path.file_name() else {
        bail!("{} is not a file name", path.display())
    };
    let hidden = dir.join(format!(
        ".{}.{purpose}-{}",
        name.to_string_lossy(),
        std::process::id()
    ));
    Ok((dir.to_owned(), hidden))
}
