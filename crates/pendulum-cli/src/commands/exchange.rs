//! `import` and `export`: files in and out through the exchange contract.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};
use pendulum_core::{Change, Problems};
use pendulum_exchange::InputFile;
use pendulum_store::Store;

use crate::context::Context;
use crate::output;

pub async fn import(ctx: &Context, files: &[PathBuf], dry_run: bool) -> Result<()> {
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
    let import =
        pendulum_exchange::parse_import(&inputs, &ctx.policy, &existing).map_err(refused)?;
    // A document's levels were read against its own ladder; stored levels against ours.
    // Mixing the two would rank levels inconsistently, so a new ladder needs an empty ledger
    // (or `policy set` first, which checks every stored level).
    if let Some(policy) = &import.policy
        && policy.ladder != ctx.policy.ladder
        && !existing.people().is_empty()
    {
        bail!(
            "the document's policy has a different ladder from the one in force; import it into an empty database, or store its policy first with `pendulum policy set`"
        );
    }
    let parts = &import.parts;
    let summary = format!(
        "{} people, {} teams, {} stints, {} check-ins, {} answers about managing, {} evidence rows{}",
        parts.people.len(),
        parts.teams.len(),
        parts.stints.len(),
        parts.checkins.len(),
        parts.answers.len(),
        parts.git.len() + parts.calendar.len(),
        if import.policy.is_some() {
            " and the policy"
        } else {
            ""
        },
    );
    if dry_run {
        output::line(format!(
            "would import {summary}; nothing written (--dry-run)"
        ))?;
        return Ok(());
    }
    let mut change = Change::inserting(parts);
    change.policy = import.policy;
    ctx.store
        .apply(&change)
        .await
        .context("the import was not written")?;
    output::line(format!("imported {summary} into {}", ctx.location))?;
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
    let doc = pendulum_exchange::export_document(&ledger, &ctx.policy);
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
