//! Commands that write or read one person: `person add|show|list|set-willing`, `swing`,
//! `checkin`. `show` and `list` are readings of `pendulum_app::reading::people` as the
//! operator, printed here.

use anyhow::{Context as _, Result};
use chrono::NaiveDate;
use pendulum_app::acting::{Action, Who};
use pendulum_app::career;
use pendulum_app::reading::people::{self, CheckInSeen, Listing, PeopleQuery, Wording};
use pendulum_core::{
    Band, Email, Ledger, Note, Person, PersonId, Role, Score, Stint, TeamId, Willingness,
};
use serde_json::json;

use crate::cli::{PersonCommand, Reading, YesNo};
use crate::context::{Context, today};
use crate::output;

pub async fn person(ctx: &Context, cmd: PersonCommand) -> Result<()> {
    match cmd {
        PersonCommand::Add {
            id,
            name,
            email,
            aliases,
            level,
            role,
            since,
            team,
            manager,
            willing,
            willing_since,
        } => {
            let level = ctx.policy.ladder.level(&level).context("--level")?;
            let email = Email::parse(&email).context("--email")?;
            let aliases = aliases
                .iter()
                .map(|a| Email::parse(a).context("--alias"))
                .collect::<Result<Vec<_>>>()?;
            anyhow::ensure!(!name.trim().is_empty(), "--name: must not be empty");
            let ledger = ctx.ledger().await?;
            let new = career::NewPerson {
                id: id.clone(),
                name: name.trim().to_owned(),
                email,
                aliases,
                level,
                role,
                since,
                team,
                manager,
                willing: willing.into(),
                willing_since,
            };
            career::add_person(&ctx.store, &ledger, &Who::Operator, &new)
                .await
                .map_err(|e| super::not_done("person add", Action::AddPerson, e))?;
            output::line(format!(
                "added {id} ({}) as {role} since {since}",
                name.trim()
            ))?;
            Ok(())
        }
        PersonCommand::Show { id, reading } => show(ctx, &id, &reading).await,
        PersonCommand::SetWilling { id, answer, on } => {
            set_willing(ctx, &id, answer.into(), on.unwrap_or_else(today)).await
        }
        PersonCommand::List {
            reading,
            all,
            role,
            team,
        } => list(ctx, &reading, all, role, team.as_ref()).await,
        PersonCommand::Leave(args) => super::career::leave(ctx, args).await,
        PersonCommand::Return(args) => super::career::return_to_work(ctx, args).await,
        PersonCommand::Edit(args) => super::career::edit_person(ctx, args).await,
    }
}

/// Records `answer` as the person's answer about managing on `on`, replacing another answer
/// of the same day; an answer older than the latest one joins the history only.
async fn set_willing(
    ctx: &Context,
    id: &PersonId,
    answer: Willingness,
    on: NaiveDate,
) -> Result<()> {
    let ledger = ctx.ledger().await?;
    let i = find(&ledger, id)?;
    let answered = career::record_answer(&ctx.store, &ledger, &Who::Operator, id, answer, on)
        .await
        .map_err(|e| super::not_done("set-willing", Action::Answer, e))?;
    let replaced = if answered.replaced {
        ", replacing the answer of that day"
    } else {
        ""
    };
    output::line(format!(
        "recorded for {id} on {on}: would like to manage: {}{replaced}",
        in_words(answer, Some(on))
    ))?;
    if let Some(later) = ledger.answers_of(i).iter().rev().find(|a| a.date > on) {
        anstream::eprintln!(
            "note: the answer of {} ({}) is later and stays the current one",
            later.date,
            later.answer
        );
    }
    Ok(())
}

/// An answer about managing in plain words, with the day it was given when known.
fn in_words(answer: Willingness, since: Option<NaiveDate>) -> String {
    let words = answer.in_words(since);
    match since {
        Some(day) => format!("{words} (since {day})"),
        None => words.to_owned(),
    }
}

pub fn find(ledger: &Ledger, id: &PersonId) -> Result<usize> {
    ledger
        .person_index(id)
        .ok_or_else(|| super::no_such_person(id))
}

async fn show(ctx: &Context, id: &PersonId, reading: &Reading) -> Result<()> {
    let ledger = ctx.ledger().await?;
    let as_of = reading.as_of.unwrap_or_else(today);
    let seen = people::person(
        &Who::Operator,
        &ledger,
        &ctx.policy,
        as_of,
        id,
        Wording::AboutThem,
    )
    .map_err(super::not_read)?;
    let (i, p, nudges) = (seen.index, seen.person, &seen.nudges);
    let checkins: Vec<&CheckInSeen> = seen.checkins_made().collect();
    if reading.json {
        let value = json!({
            "id": p.id.as_str(),
            "name": p.name,
            "email": p.email.as_str(),
            "aliases": p.aliases.iter().map(Email::as_str).collect::<Vec<_>>(),
            "level": p.level.name(),
            "team": p.team.as_ref().map(TeamId::as_str),
            "manager": p.manager.as_ref().map(PersonId::as_str),
            "willing_to_manage": p.willing_to_manage.as_str(),
            "willing_since": p.willing_since.map(|d| d.to_string()),
            "left_on": p.departure.as_ref().map(|d| d.on.to_string()),
            "leave_reason": p.departure.as_ref().and_then(|d| d.reason.as_deref()),
            "answers": seen.answers.iter().map(|a| json!({
                "date": a.date.to_string(), "answer": a.answer.as_str(),
            })).collect::<Vec<_>>(),
            "direct_reports": ledger.direct_reports(i),
            "stints": seen.stints_begun().map(stint_json).collect::<Vec<_>>(),
            // Scores only: a note is readable by its author alone, and the reading holds
            // none for the operator.
            "checkins": checkins.iter().map(|c| json!({
                "date": c.date.to_string(), "joy": c.joy.get(), "energy": c.energy.get(), "learning": c.learning.get(),
            })).collect::<Vec<_>>(),
            "nudges": pendulum_exchange::nudges_json(nudges, &ledger),
        });
        output::json(&value)?;
        return Ok(());
    }
    output::line(output::heading(format!("{} ({})", p.name, p.id)))?;
    output::line(format!(
        "{} · level {} · team {} · manager {} · {} direct reports",
        p.email,
        p.level,
        p.team.as_ref().map_or("-", TeamId::as_str),
        p.manager.as_ref().map_or("-", PersonId::as_str),
        ledger.direct_reports(i)
    ))?;
    if let Some(d) = &p.departure {
        output::line(format!(
            "left on {}{}",
            d.on,
            d.reason
                .as_deref()
                .map(|r| format!(": {r}"))
                .unwrap_or_default()
        ))?;
    }
    output::line(format!(
        "would like to manage: {}",
        in_words(p.willing_to_manage, p.willing_since)
    ))?;
    let answers = seen.answers;
    if answers.len() > 1 {
        let history: Vec<String> = answers
            .iter()
            .map(|a| format!("{} on {}", a.answer.in_words(Some(a.date)), a.date))
            .collect();
        output::line(output::dim(format!(
            "answers so far: {}",
            history.join(" → ")
        )))?;
    }
    output::line("")?;
    output::line(stint_table(seen.stints_begun(), as_of).to_string())?;
    if let Some(last) = checkins.last() {
        let recent = &checkins[checkins.len().saturating_sub(4)..];
        let trend = |f: fn(&CheckInSeen) -> Score| {
            recent
                .iter()
                .map(|c| f(c).to_string())
                .collect::<Vec<_>>()
                .join(" → ")
        };
        output::line(format!(
            "\ncheck-ins: {} in all, latest {}; joy {} · energy {} · learning {}",
            checkins.len(),
            last.date,
            trend(|c| c.joy),
            trend(|c| c.energy),
            trend(|c| c.learning)
        ))?;
    }
    output::line("")?;
    if nudges.is_empty() {
        output::line(format!("no nudges as of {as_of}"))?;
    }
    super::reading::print_nudges(&ledger, nudges)?;
    Ok(())
}

pub fn stint_json(s: &Stint) -> serde_json::Value {
    json!({
        "role": s.role.as_str(),
        "team": s.team.as_ref().map(TeamId::as_str),
        "level": s.level.name(),
        "band": s.band.map(Band::get),
        "start": s.start.to_string(),
        "end": s.end.map(|e| e.to_string()),
        "chosen": s.chosen,
        "trial_end": s.trial_end.map(|e| e.to_string()),
        "org": s.org,
    })
}

pub fn stint_table<'a>(
    stints: impl Iterator<Item = &'a Stint>,
    as_of: NaiveDate,
) -> comfy_table::Table {
    let mut t = output::table([
        "role", "team", "level", "band", "from", "until", "months", "notes",
    ]);
    for s in stints {
        let until = s.end.filter(|&e| e <= as_of);
        let months = pendulum_core::period::months_between(s.start, until.unwrap_or(as_of));
        let mut notes = Vec::new();
        if let Some(org) = &s.org {
            notes.push(format!("at {org}"));
        }
        if let Some(trial) = s.trial_end {
            notes.push(format!("trial until {trial}"));
        }
        if !s.chosen {
            notes.push("not chosen".to_owned());
        }
        t.add_row([
            s.role.to_string(),
            s.team.as_ref().map_or("-".into(), ToString::to_string),
            s.level.to_string(),
            band_cell(s.band),
            s.start.to_string(),
            until.map_or("now".into(), |e| e.to_string()),
            format!("{months:.0}"),
            notes.join(", "),
        ]);
    }
    t
}

/// A band in a table: `-` when none is recorded.
pub fn band_cell(band: Option<Band>) -> String {
    band.map_or_else(|| "-".to_owned(), |b| b.to_string())
}

async fn list(
    ctx: &Context,
    reading: &Reading,
    all: bool,
    role: Option<Role>,
    team: Option<&TeamId>,
) -> Result<()> {
    let ledger = ctx.ledger().await?;
    let as_of = reading.as_of.unwrap_or_else(today);
    // Without a current stint (someone who left, or not started yet) a person is listed
    // only with --all, with their last stint.
    let query = PeopleQuery {
        listing: if all {
            Listing::Everyone
        } else {
            Listing::Holding
        },
        role,
        team: team.cloned(),
    };
    let rows: Vec<(&Person, Option<&Stint>)> = people::list(&Who::Operator, &ledger, as_of, &query)
        .into_iter()
        .map(|l| (l.person, l.stint))
        .collect();
    if reading.json {
        let value: Vec<_> = rows
            .iter()
            .map(|(p, s)| {
                json!({
                    "id": p.id.as_str(), "name": p.name, "role": s.map(|s| s.role.as_str()),
                    "level": s.map_or(p.level.name(), |s| s.level.name()),
                    "team": s.and_then(|s| s.team.as_ref()).map(TeamId::as_str),
                    "manager": p.manager.as_ref().map(PersonId::as_str),
                    "since": s.map(|s| s.start.to_string()), "willing_to_manage": p.willing_to_manage.as_str(),
                    "willing_since": p.willing_since.map(|d| d.to_string()),
                    "left_on": p.departure.as_ref().map(|d| d.on.to_string()),
                })
            })
            .collect();
        output::json(&serde_json::Value::Array(value))?;
        return Ok(());
    }
    let mut t = output::table(["id", "name", "role", "level", "team", "manager", "since"]);
    for (p, s) in &rows {
        let role = match (&p.departure, s) {
            (Some(d), _) => format!("left on {}", d.on),
            (None, Some(s)) if s.covers(as_of) => s.role.to_string(),
            (None, _) => "no current stint".to_owned(),
        };
        t.add_row([
            p.id.to_string(),
            p.name.clone(),
            role,
            s.map_or(p.level.to_string(), |s| s.level.to_string()),
            s.and_then(|s| s.team.as_ref())
                .map_or("-".into(), ToString::to_string),
            p.manager.as_ref().map_or("-".into(), ToString::to_string),
            s.map_or("-".into(), |s| s.start.to_string()),
        ]);
    }
    output::line(t.to_string())?;
    output::line(output::dim(format!("{} people as of {as_of}", rows.len())))?;
    Ok(())
}

/// The arguments of `swing`, typed.
#[derive(Debug)]
pub struct Swing {
    pub person: PersonId,
    pub to: Role,
    pub on: NaiveDate,
    pub team: Option<TeamId>,
    pub level: Option<String>,
    pub band: Option<Band>,
    pub trial_until: Option<NaiveDate>,
    pub chosen: YesNo,
}

/// The level `--level` names, on the policy's ladder.
pub fn level_arg(ctx: &Context, level: Option<&str>) -> Result<Option<pendulum_core::Level>> {
    level
        .map(|l| ctx.policy.ladder.level(l))
        .transpose()
        .context("--level")
}

pub async fn swing(ctx: &Context, args: Swing) -> Result<()> {
    let level = level_arg(ctx, args.level.as_deref())?;
    let ledger = ctx.ledger().await?;
    let swing = career::Swing {
        to: args.to,
        on: args.on,
        team: args.team,
        level,
        band: args.band,
        trial_until: args.trial_until,
        chosen: matches!(args.chosen, YesNo::Yes),
    };
    let swung = career::swing(&ctx.store, &ledger, &Who::Operator, &args.person, &swing)
        .await
        .map_err(|e| super::not_done("swing", Action::Swing, e))?;
    let new = &swung.stint;
    output::line(format!(
        "{} swings to {} on {} (level {}{}{})",
        args.person,
        new.role,
        new.start,
        new.level,
        new.band.map(|b| format!(", band {b}")).unwrap_or_default(),
        new.trial_end
            .map(|t| format!(", trial until {t}"))
            .unwrap_or_default()
    ))?;
    if swung.level_changed {
        anstream::eprintln!(
            "note: the level changed with the swing; `swing-as-promotion` will point this out"
        );
    }
    Ok(())
}

/// The arguments of `checkin`, typed.
#[derive(Debug)]
pub struct CheckinArgs {
    pub person: PersonId,
    pub joy: u8,
    pub energy: u8,
    pub learning: u8,
    pub date: Option<NaiveDate>,
    pub note: Option<Note>,
}

pub async fn checkin(ctx: &Context, args: CheckinArgs) -> Result<()> {
    let ledger = ctx.ledger().await?;
    find(&ledger, &args.person)?;
    let date = args.date.unwrap_or_else(today);
    // A second check-in on one day replaces the first.
    let entry = career::NewCheckIn {
        date,
        joy: Score::new(args.joy)?,
        energy: Score::new(args.energy)?,
        learning: Score::new(args.learning)?,
        note: args.note,
    };
    career::check_in(&ctx.store, &ledger, &Who::Operator, &args.person, entry)
        .await
        .map_err(|e| super::not_done("checkin", Action::CheckIn, e))?;
    output::line(format!("check-in recorded for {} on {date}", args.person))?;
    Ok(())
}
