//! Commands that follow a career past its first stint: `person leave|return|edit`,
//! `stint edit|delete`, `checkin delete`, `history` and `erase`. Each parses its arguments,
//! calls the use case of `pendulum_app::career` as the operator (checked by the ledger as a
//! whole, written in one transaction with its corrections and an audit line) and prints.

use anyhow::{Context as _, Result, anyhow, bail};
use pendulum_app::acting::{Action, Who, WriteError};
use pendulum_app::career;
use pendulum_core::{
    Correction, EditError, Email, LeaveRequest, PersonEdit, PersonId, ReturnRequest, StintEdit,
    StintKey,
};
use pendulum_store::{Store, StoreError};
use serde_json::json;

use super::people::level_arg;
use crate::cli::{
    CheckinAction, LeaveArgs, PersonEditArgs, ReturnArgs, StintCommand, WhichStint, YesNo,
};
use crate::context::Context;
use crate::output;

fn still_manages(id: &PersonId, reports: &[PersonId]) -> anyhow::Error {
    anyhow!(
        "erase refused: {} still report to {id}; give them another manager first \
         (`pendulum person edit ID --manager M`)",
        ids(reports).join(", ")
    )
}

/// An edit refused by the ledger, with every problem on its own line.
fn refused(what: &str, e: EditError) -> anyhow::Error {
    match e {
        EditError::Rejected(problems) => anyhow!("{what} refused:\n{problems}"),
        other => anyhow!("{what} refused: {other}"),
    }
}

fn corrections_json(corrections: &[Correction]) -> serde_json::Value {
    corrections
        .iter()
        .map(|c| {
            json!({
                "person": c.person.as_str(), "record": c.record, "field": c.field,
                "before": c.before, "after": c.after,
            })
        })
        .collect()
}

fn ids(v: &[PersonId]) -> Vec<&str> {
    v.iter().map(PersonId::as_str).collect()
}

/// Prints what changed, one line a correction, or as JSON.
fn print_corrections(corrections: &[Correction], json: bool) -> Result<()> {
    if json {
        output::json(&json!({ "corrections": corrections_json(corrections) }))?;
        return Ok(());
    }
    for c in corrections {
        output::line(format!(
            "{}: {}{}: {} → {}",
            c.person,
            c.record,
            if c.field == "*" {
                String::new()
            } else {
                format!(" {}", c.field)
            },
            c.before.as_deref().unwrap_or("(none)"),
            c.after.as_deref().unwrap_or("(none)")
        ))?;
    }
    Ok(())
}

pub async fn leave(ctx: &Context, args: LeaveArgs) -> Result<()> {
    let ledger = ctx.ledger().await?;
    let request = LeaveRequest {
        person: args.id.clone(),
        on: args.on,
        reason: args.reason,
        reports_to: args.reports_to.clone(),
    };
    let left = career::leave(&ctx.store, &ledger, &Who::Operator, &request)
        .await
        .map_err(|e| super::not_done("leave", Action::Leave, e))?;
    if args.json {
        output::json(&json!({
            "person": args.id.as_str(),
            "left_on": args.on.to_string(),
            "moved": ids(&left.moved),
            "reports_to": args.reports_to.as_ref().map(PersonId::as_str),
            "without_manager": ids(&left.without_manager),
        }))?;
        return Ok(());
    }
    output::line(format!("{} left on {}", args.id, args.on))?;
    if let Some(to) = &args.reports_to
        && !left.moved.is_empty()
    {
        output::line(format!(
            "now reporting to {to}: {}",
            ids(&left.moved).join(", ")
        ))?;
    }
    // Their accounts stay enabled, so that they can take their own ledger with them; the
    // operator decides when they stop.
    for account in ctx.store.accounts_of(&args.id).await? {
        anstream::eprintln!(
            "note: the account {} can still sign in (to export their own ledger); \
             `pendulum user disable {}` when it should not",
            account.email,
            account.email
        );
    }
    if !left.without_manager.is_empty() {
        anstream::eprintln!(
            "left without a manager: {}; give them one with `pendulum person edit ID --manager M`",
            ids(&left.without_manager).join(", ")
        );
    }
    Ok(())
}

pub async fn return_to_work(ctx: &Context, args: ReturnArgs) -> Result<()> {
    let level = level_arg(ctx, args.level.as_deref())?;
    let ledger = ctx.ledger().await?;
    let request = ReturnRequest {
        person: args.id.clone(),
        on: args.on,
        role: args.role,
        team: args.team.clone(),
        level,
        band: args.band,
        manager: args.manager,
    };
    let change = career::return_to_work(&ctx.store, &ledger, &Who::Operator, &request)
        .await
        .map_err(|e| super::not_done("return", Action::Return, e))?;
    if args.json {
        return print_corrections(&change.corrections, true);
    }
    output::line(format!(
        "{} is back as {} from {}",
        args.id, args.role, args.on
    ))?;
    Ok(())
}

pub async fn edit_person(ctx: &Context, args: PersonEditArgs) -> Result<()> {
    let email = args
        .email
        .as_deref()
        .map(Email::parse)
        .transpose()
        .context("--email")?;
    let aliases = if args.no_aliases {
        Some(Vec::new())
    } else if args.aliases.is_empty() {
        None
    } else {
        Some(
            args.aliases
                .iter()
                .map(|a| Email::parse(a).context("--alias"))
                .collect::<Result<Vec<_>>>()?,
        )
    };
    let edit = PersonEdit {
        name: args.name,
        email,
        aliases,
        manager: either(args.manager, args.no_manager),
        team: either(args.team, args.no_team),
    };
    let ledger = ctx.ledger().await?;
    let change = career::edit_person(&ctx.store, &ledger, &Who::Operator, &args.id, &edit)
        .await
        .map_err(|e| super::not_done("person edit", Action::EditPerson, e))?;
    print_corrections(&change.corrections, args.json)
}

/// A value to set, to clear (`clear`), or to leave as it is.
fn either<T>(value: Option<T>, clear: bool) -> Option<Option<T>> {
    if clear { Some(None) } else { value.map(Some) }
}

fn key(which: &WhichStint) -> Result<StintKey> {
    match (which.start, which.index) {
        (Some(start), None) => Ok(StintKey::Start(start)),
        (None, Some(n)) => Ok(StintKey::Index(n)),
        _ => bail!("name the stint with --start DATE or --index N"),
    }
}

pub async fn stint(ctx: &Context, cmd: StintCommand) -> Result<()> {
    let ledger = ctx.ledger().await?;
    match cmd {
        StintCommand::Edit {
            person,
            which,
            set_start,
            set_end,
            reopen,
            role,
            team,
            no_team,
            level,
            band,
            no_band,
            chosen,
            trial_end,
            no_trial,
            json,
        } => {
            let level = level_arg(ctx, level.as_deref())?;
            let edit = StintEdit {
                start: set_start,
                end: if reopen {
                    Some(None)
                } else {
                    set_end.map(Some)
                },
                role,
                team: either(team, no_team),
                level,
                band: either(band, no_band),
                chosen: chosen.map(|c| matches!(c, YesNo::Yes)),
                trial_end: either(trial_end, no_trial),
            };
            let key = key(&which)?;
            let change =
                career::edit_stint(&ctx.store, &ledger, &Who::Operator, &person, key, &edit)
                    .await
                    .map_err(|e| super::not_done("stint edit", Action::EditStint, e))?;
            print_corrections(&change.corrections, json)
        }
        StintCommand::Delete {
            person,
            which,
            json,
        } => {
            let key = key(&which)?;
            let change = career::delete_stint(&ctx.store, &ledger, &Who::Operator, &person, key)
                .await
                .map_err(|e| super::not_done("stint delete", Action::DeleteStint, e))?;
            print_corrections(&change.corrections, json)
        }
    }
}

pub async fn checkin(ctx: &Context, action: CheckinAction) -> Result<()> {
    let CheckinAction::Delete { person, date, json } = action;
    let ledger = ctx.ledger().await?;
    let change = career::delete_checkin(&ctx.store, &ledger, &Who::Operator, &person, date)
        .await
        .map_err(|e| super::not_done("checkin delete", Action::DeleteCheckIn, e))?;
    if json {
        return print_corrections(&change.corrections, true);
    }
    output::line(format!("deleted {person}'s check-in of {date}"))?;
    Ok(())
}

pub async fn history(ctx: &Context, id: &PersonId, json: bool) -> Result<()> {
    let ledger = ctx.ledger().await?;
    super::people::find(&ledger, id)?;
    let entries = career::history(&ctx.store, &ledger, &Who::Operator, id)
        .await
        .map_err(anyhow::Error::new)?;
    if json {
        let value: Vec<_> = entries
            .iter()
            .map(|e| {
                json!({
                    "at": e.at, "actor": e.actor.to_string(), "record": e.record,
                    "field": e.field, "before": e.before, "after": e.after,
                })
            })
            .collect();
        output::json(&serde_json::Value::Array(value))?;
        return Ok(());
    }
    if entries.is_empty() {
        output::line(format!("no corrections recorded for {id}"))?;
        return Ok(());
    }
    let mut t = output::table(["when (UTC)", "by", "record", "field", "before", "after"]);
    for e in &entries {
        t.add_row([
            e.at.clone(),
            e.actor.to_string(),
            e.record.clone(),
            e.field.clone(),
            e.before.clone().unwrap_or_else(|| "-".into()),
            e.after.clone().unwrap_or_else(|| "-".into()),
        ]);
    }
    output::line(t.to_string())?;
    Ok(())
}

pub async fn erase(ctx: &Context, id: &PersonId, yes: bool, json: bool) -> Result<()> {
    let ledger = ctx.ledger().await?;
    let i = super::people::find(&ledger, id)?;
    if !yes {
        // Someone still reporting to them is said first: confirming would not help.
        let reports = ledger.erase_blockers(id).map_err(|e| refused("erase", e))?;
        if !reports.is_empty() {
            return Err(still_manages(id, &reports));
        }
        bail!(
            "erase {id} deletes {} stints, {} check-ins and all evidence, history and accounts \
             of theirs, with no undo; run again with --yes to erase",
            ledger.stints_of(i).len(),
            ledger.checkins_of(i).len()
        );
    }
    let erased = match career::erase(&ctx.store, &ledger, &Who::Operator, id).await {
        Ok(erased) => erased,
        Err(WriteError::StillManages { person, reports }) => {
            return Err(still_manages(&person, &reports));
        }
        Err(WriteError::Edit(e)) => return Err(refused("erase", e)),
        Err(WriteError::Conflict(message)) => {
            return Err(
                anyhow::Error::new(StoreError::Conflict(message)).context("erase was not written")
            );
        }
        Err(WriteError::Store(e)) => {
            return Err(anyhow::Error::new(e).context("erase was not written"));
        }
        Err(other) => return Err(other.into()),
    }
    .ok_or_else(|| anyhow!("no person has the id {:?}", id.as_str()))?;
    if json {
        output::json(&json!({
            "erased": true,
            "stints": erased.stints,
            "checkins": erased.checkins,
            "evidence": erased.evidence,
            "reflections": erased.reflections,
            "accounts": erased.accounts,
            "commits_made_anonymous": erased.commits,
        }))?;
        return Ok(());
    }
    output::line(format!(
        "erased {id}: {} stints, {} check-ins, {} evidence rows, {} reflections, {} accounts; \
         {} kept commits made anonymous",
        erased.stints,
        erased.checkins,
        erased.evidence,
        erased.reflections,
        erased.accounts,
        erased.commits
    ))?;
    anstream::eprintln!("note: backups taken before still hold them; delete or re-take those too");
    Ok(())
}
