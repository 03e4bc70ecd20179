//! `import` and `export`: files in and out through the exchange contract.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, anyhow, bail};
use pendulum_core::{Change, Email, PersonId, Problems};
use pendulum_exchange::{InputFile, Notes, Recipient, Reflection};
use pendulum_store::Store;

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
    let counts = serde_json::json!({
        "people": parts.people.len(),
        "teams": parts.teams.len(),
        "stints": parts.stints.len(),
        "checkins": parts.checkins.len(),
        "answers": parts.answers.len(),
        "evidence": parts.git.len() + parts.calendar.len(),
        "policy": import.policy.is_some(),
        "dry_run": dry_run,
    });
    if dry_run {
        return said(
            json,
            &counts,
            format!("would import {summary}; nothing written (--dry-run)"),
        );
    }
    let mut change = Change::inserting(parts);
    change.policy = import.policy;
    ctx.store
        .apply_audited(&change, &super::audit_line("import", None))
        .await
        .context("the import was not written")?;
    said(
        json,
        &counts,
        format!("imported {summary} into {}", ctx.location),
    )
}

/// Prints every problem on stderr, then fails with a summary.
/// What an import did, as JSON counts or as a sentence.
fn said(json: bool, counts: &serde_json::Value, sentence: String) -> Result<()> {
    if json {
        output::json(counts)?;
    } else {
        output::line(sentence)?;
    }
    Ok(())
}

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

/// `export --person`: the person's own ledger, notes included: whoever runs the command line
/// has the whole database in hand already.
pub async fn export_person(
    ctx: &Context,
    person: &PersonId,
    org: &str,
    output_file: Option<&Path>,
) -> Result<()> {
    let ledger = ctx.ledger().await?;
    let (_, reflections) = reflections_of(ctx, person).await?;
    let doc = pendulum_exchange::export_personal(&ledger, person, &reflections, org, Notes::Keep)
        .ok_or_else(|| anyhow!("no person has the id {:?}", person.as_str()))?;
    ctx.store
        .audit(&super::audit_line("export personal ledger", Some(person)))
        .await?;
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
    let document = pendulum_exchange::read_personal(&file, &ctx.policy.ladder);
    let existing = ctx.ledger().await?;
    let whose = as_person.clone().or_else(|| document.person().cloned());
    let (account, stored) = match whose.filter(|id| existing.person(id).is_some()) {
        Some(id) => reflections_of(ctx, &id).await?,
        None => (None, Vec::new()),
    };
    let recipient = match as_person {
        Some(id) => Recipient::Existing(id),
        None => Recipient::Themselves,
    };
    let import = pendulum_exchange::plan_personal(document, &existing, &recipient, &stored)
        .map_err(refused)?;
    let change = &import.change;
    let summary = format!(
        "{}{} stints, {} check-ins, {} answers about managing, {} evidence rows and {} reflections of {} ({} already here)",
        if import.created { "the person, " } else { "" },
        change.stints.len(),
        change.checkins.len(),
        change.answers.len(),
        change.git.len() + change.calendar.len(),
        import.reflections.len(),
        import.person,
        import.skipped,
    );
    let counts = serde_json::json!({
        "person": import.person.as_str(),
        "created": import.created,
        "stints": change.stints.len(),
        "checkins": change.checkins.len(),
        "answers": change.answers.len(),
        "evidence": change.git.len() + change.calendar.len(),
        "reflections": import.reflections.len(),
        "skipped": import.skipped,
        "dry_run": dry_run,
    });
    if dry_run {
        return said(
            json,
            &counts,
            format!("would import {summary}; nothing written (--dry-run)"),
        );
    }
    ctx.store
        .apply_audited(
            change,
            &super::audit_line("import personal ledger", Some(&import.person)),
        )
        .await
        .context("the import was not written")?;
    // A reflection is kept with an account, which an import does not create: the records
    // are written, and a second import once the account exists brings the reflections.
    let account = match account {
        Some(account) => Some(account),
        None => account_of(ctx, &import.person).await?,
    };
    let mut left_out = 0;
    match (&account, import.reflections.as_slice()) {
        (_, []) => {}
        (Some(email), reflections) => {
            for r in reflections {
                ctx.store
                    .save_reflection(email, &r.day.to_string(), &r.answers_text())
                    .await
                    .context(
                        "the reflections were not all written; import the document again to finish",
                    )?;
            }
        }
        (None, reflections) => {
            left_out = reflections.len();
            anstream::eprintln!(
                "{} not imported: {} has no account here to keep them; add one with `pendulum user add EMAIL --person {}`, then import the document again (what is here already is skipped)",
                match reflections.len() {
                    1 => "1 reflection was".to_owned(),
                    n => format!("{n} reflections were"),
                },
                import.person,
                import.person
            )
        }
    }
    let mut counts = counts;
    counts["reflections_left_out"] = left_out.into();
    said(
        json,
        &counts,
        format!("imported {summary} into {}", ctx.location),
    )
}

/// The reflections of every account of the person, and the account new ones are kept with.
async fn reflections_of(
    ctx: &Context,
    person: &PersonId,
) -> Result<(Option<Email>, Vec<Reflection>)> {
    let mut reflections = Vec::new();
    for account in ctx.store.accounts_of(person).await? {
        for (day, answers) in ctx.store.reflections(&account.email).await? {
            let reflection = Reflection::parse(&day, &answers).map_err(|e| {
                anyhow!(
                    "a stored reflection of {} cannot be read: {e}",
                    account.email
                )
            })?;
            reflections.push(reflection);
        }
    }
    Ok((account_of(ctx, person).await?, reflections))
}

/// The account a person's imported reflections are kept with: the one of their primary
/// address, else their first.
async fn account_of(ctx: &Context, person: &PersonId) -> Result<Option<Email>> {
    let accounts = ctx.store.accounts_of(person).await?;
    let primary = ctx
        .store
        .people(&ctx.policy.ladder)
        .await?
        .into_iter()
        .find(|p| p.id == *person)
        .map(|p| p.email);
    let chosen = accounts
        .iter()
        .find(|a| Some(&a.email) == primary.as_ref())
        .or(accounts.first());
    Ok(chosen.map(|a| a.email.clone()))
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
