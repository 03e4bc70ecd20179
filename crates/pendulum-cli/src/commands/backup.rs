//! `backup`: a consistent copy of a live database, put in place only once it is whole; and
//! `db copy`, a database moved whole into another, empty one.
//!
//! The store makes the copy (one snapshot, while others write) and checks it; this command
//! decides where it lands. The copy is written beside its final name, flushed to disk, and
//! only then given that name, so a backup cut short by a crash or a full disk never takes the
//! place of a good one, and `FILE` is never half written.

use std::fs::File;
use std::io::ErrorKind;
use std::path::Path;

use anyhow::{Context as _, Result, bail};
use pendulum_app::Db;
use pendulum_store::Store;

use crate::context::Context;
use crate::output;

/// What to do when the backup file exists already.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Existing {
    Refuse,
    Replace,
}

pub async fn backup(ctx: &Context, file: &Path, existing: Existing) -> Result<()> {
    if existing == Existing::Refuse && file.exists() {
        bail!(
            "{} exists already; choose another file, or pass --force to replace it",
            file.display()
        );
    }
    let (dir, partial) = super::exchange::beside(file, "partial")?;
    let placed = write_whole(ctx, &partial)
        .await
        .and_then(|()| place(&partial, file, existing));
    if placed.is_err() {
        // Nothing useful is left in a partial copy; a failure to remove it changes nothing.
        let _ = std::fs::remove_file(&partial);
    }
    placed?;
    // The new name is only durable once the folder that holds it is; not every platform
    // can sync a folder, and the copy itself is already on disk.
    if let Ok(folder) = File::open(&dir) {
        let _ = folder.sync_all();
    }
    let bytes = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
    output::line(format!(
        "backed up {} to {} ({bytes} bytes, integrity ok)",
        ctx.location,
        file.display()
    ))?;
    Ok(())
}

/// Copies the database to `partial` and makes sure the copy is on disk.
async fn write_whole(ctx: &Context, partial: &Path) -> Result<()> {
    ctx.store.backup(partial).await?;
    File::open(partial)
        .and_then(|f| f.sync_all())
        .with_context(|| format!("cannot flush {} to disk", partial.display()))
}

/// Gives the finished copy its name. Without `--force`, a file that appeared there meanwhile
/// is kept: a hard link fails where a rename would replace it.
fn place(partial: &Path, file: &Path, existing: Existing) -> Result<()> {
    let cannot = || format!("cannot write {}", file.display());
    if existing == Existing::Refuse {
        match std::fs::hard_link(partial, file) {
            Ok(()) => return std::fs::remove_file(partial).with_context(cannot),
            Err(e) if e.kind() == ErrorKind::AlreadyExists => {
                bail!(
                    "{} appeared while the backup was written; choose another file, or pass --force to replace it",
                    file.display()
                )
            }
            // Some file systems have no hard links; the check above has to do.
            Err(_) => {}
        }
    }
    std::fs::rename(partial, file).with_context(cannot)
}

/// `db copy FROM TO`: both locations are named on the command line, never `--db`, so that
/// which way a copy goes is always written out.
pub async fn copy(from: &str, to: &str, json: bool) -> Result<()> {
    let (from_shown, to_shown) = (
        pendulum_app::shown_location(from),
        pendulum_app::shown_location(to),
    );
    if from == to {
        bail!(
            "FROM and TO are the same database ({from_shown}); name another database to copy into"
        );
    }
    let source = Db::open_existing(from)
        .await
        .with_context(|| format!("cannot open {from_shown}"))?;
    let target = Db::open(to)
        .await
        .with_context(|| format!("cannot open {to_shown}"))?;
    let copied = pendulum_app::copy::copy(&source, &target)
        .await
        .with_context(|| {
            format!("cannot copy {from_shown} to {to_shown}; nothing was written to {to_shown}")
        })?;
    if json {
        let tables: serde_json::Map<String, serde_json::Value> = copied
            .tables
            .iter()
            .map(|(name, rows)| ((*name).to_owned(), (*rows).into()))
            .collect();
        output::json(&serde_json::json!({ "rows": copied.rows(), "tables": tables }))?;
    } else {
        output::line(format!(
            "copied {} rows in {} tables from {from_shown} to {to_shown}",
            copied.rows(),
            copied.tables.len()
        ))?;
    }
    Ok(())
}
