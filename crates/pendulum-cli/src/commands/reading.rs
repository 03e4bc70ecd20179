//! The reading commands: `report`, `nudges` and `timeline`. The readings are
//! `pendulum_app::reading`'s, as the operator; what is here is their arguments and their
//! printing.

use std::path::Path;

use anyhow::{Context as _, Result, anyhow};
use pendulum_app::acting::Who;
use pendulum_app::reading::org::{self, NudgeQuery, Whose};
use pendulum_core::metrics::CalendarLoad;
use pendulum_core::policy::HandsOnDistance;
use pendulum_core::{Ledger, Nudge, PersonId, Report, RuleId, Severity};
use serde_json::json;

use crate::cli::Reading;
use crate::context::{Context, today};
use crate::output;

pub async fn report(ctx: &Context, reading: &Reading) -> Result<()> {
    let ledger = ctx.ledger().await?;
    let as_of = reading.as_of.unwrap_or_else(today);
    let report = org::report(&Who::Operator, &ledger, &ctx.policy, as_of)?;
    if reading.json {
        output::json(&pendulum_exchange::report_json(&report, &ledger))?;
    } else {
        print_report(&ledger, &report, &ctx.policy.hands_on_distance)?;
    }
    Ok(())
}

/// The human report: the metrics, then the nudges in a compact table.
pub fn print_report(ledger: &Ledger, report: &Report, distance: &HandsOnDistance) -> Result<()> {
    let (warn_months, alert_months) = (distance.warn_months, distance.alert_months);
    let m = &report.metrics;
    output::line(output::heading(format!(
        "Org health as of {}: {} ({}, {}, {}, {})",
        report.as_of,
        count(m.people, "person", "people"),
        count(m.engineers, "engineer", "engineers"),
        count(m.tech_leads, "tech lead", "tech leads"),
        count(m.managers, "manager", "managers"),
        count(m.open_hybrid_stints, "hybrid", "hybrids"),
    )))?;
    let mut t = output::table(["metric", "value", "what it says"]);
    let rows = [
        (
            format!("managers within {alert_months} months of hands-on work"),
            output::percent(m.managers_near_hands_on_share),
            "managers who still know the work they manage",
        ),
        (
            format!("managers hands-on in git, last {warn_months} months"),
            output::percent(m.managers_git_hands_on_within_warn_share),
            "managers whose commits show recent hands-on work",
        ),
        (
            format!("managers hands-on in git, last {alert_months} months"),
            output::percent(m.managers_git_hands_on_within_alert_share),
            "the same, over the alert distance",
        ),
        (
            "tech leads who have managed".into(),
            output::percent(m.tech_leads_with_management_share),
            "leads with the full toolset",
        ),
        (
            "swings per senior person".into(),
            output::ratio(m.swings_per_senior_person),
            "is the pendulum swinging at all",
        ),
        (
            "managers from within".into(),
            output::percent(m.managers_from_within_share),
            "managers who built here before managing",
        ),
        (
            "bench depth".into(),
            output::ratio(m.bench_depth),
            "willing, experienced people per manager seat",
        ),
        (
            "open hybrid stints".into(),
            m.open_hybrid_stints.to_string(),
            "unstable if they last",
        ),
        (
            "ladder-parity violations".into(),
            m.ladder_parity_violations.to_string(),
            "swings booked with a level or band change",
        ),
    ];
    let mut rows: Vec<(String, String, String)> = rows
        .into_iter()
        .map(|(name, value, why)| (name, value, why.to_owned()))
        .collect();
    let calendar = m.calendar.as_ref();
    let hours = |load: Option<&CalendarLoad>, h: fn(&CalendarLoad) -> f64| {
        load.map_or("-".into(), |l| format!("{:.1} h", h(l)))
    };
    let weeks = calendar.map_or_else(
        || "no calendar evidence".to_owned(),
        |c| format!("{} to {}", c.first_week, c.last_week),
    );
    for (group, load) in [
        ("makers'", calendar.and_then(|c| c.makers.as_ref())),
        ("managers'", calendar.and_then(|c| c.managers.as_ref())),
    ] {
        rows.push((
            format!("{group} focus time a week"),
            hours(load, |l| l.focus_hours),
            format!("long free stretches, from calendars ({weeks})"),
        ));
        rows.push((
            format!("{group} meetings a week"),
            hours(load, |l| l.meeting_hours),
            format!("interruptions, from calendars ({weeks})"),
        ));
    }
    for (name, value, why) in rows {
        t.add_row([name, value, why]);
    }
    output::line(t.to_string())?;
    if !m.levels.is_empty() {
        output::line("")?;
        output::line(output::heading("The two ladders"))?;
        let mut t = output::table([
            "level",
            "hands-on",
            "managers",
            "mean band (hands-on / managers)",
        ]);
        let band = |b: Option<f64>| b.map_or("-".into(), |b| format!("{b:.1}"));
        for l in &m.levels {
            let gap = l
                .band_gap()
                .map_or_else(String::new, |g| format!(", gap {g:+.1}"));
            t.add_row([
                l.level.to_string(),
                l.hands_on.to_string(),
                l.managers.to_string(),
                format!("{} / {}{gap}", band(l.hands_on_band), band(l.managers_band)),
            ]);
        }
        output::line(t.to_string())?;
        if !m.only_managers_above.is_empty() {
            let levels: Vec<&str> = m.only_managers_above.iter().map(|l| l.name()).collect();
            output::line(format!(
                "Only managers hold {}: the hands-on ladder stops below, so progressing means managing.",
                levels.join(", ")
            ))?;
        }
    }
    let severity = |s: Severity| report.nudges.iter().filter(|n| n.severity == s).count();
    output::line("")?;
    output::line(output::heading(format!(
        "{}: {} alert, {} warn, {} info",
        count(report.nudges.len() as u32, "nudge", "nudges"),
        severity(Severity::Alert),
        severity(Severity::Warn),
        severity(Severity::Info)
    )))?;
    if report.nudges.is_empty() {
        return Ok(());
    }
    let mut t = output::table(["severity", "person", "rule", "why"]);
    for n in &report.nudges {
        let name = ledger
            .person(&n.person)
            .map_or(n.person.to_string(), |p| format!("{} ({})", p.name, p.id));
        t.add_row([
            n.severity.to_string(),
            name,
            n.rule.to_string(),
            n.facts[0].text.clone(),
        ]);
    }
    output::line(t.to_string())?;
    output::line(output::dim(
        "`pendulum nudges` shows every fact, the principle and the next step.",
    ))?;
    Ok(())
}

/// `1 person`, `2 people`.
fn count(n: u32, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

pub async fn nudges(
    ctx: &Context,
    reading: &Reading,
    person: Option<&PersonId>,
    severity: Option<Severity>,
    rule: Option<&str>,
) -> Result<()> {
    let rule = rule
        .map(|r| {
            RuleId::parse(r).ok_or_else(|| {
                let ids: Vec<&str> = RuleId::ALL.iter().map(|r| r.as_str()).collect();
                anyhow!(
                    "--rule: {r:?} is not a rule; the rules are {}",
                    ids.join(", ")
                )
            })
        })
        .transpose()?;
    let ledger = ctx.ledger().await?;
    let as_of = reading.as_of.unwrap_or_else(today);
    let query = NudgeQuery {
        // A person's nudges are those about them and those they are the one to act on.
        whose: person.map_or(Whose::Everyone, |p| Whose::Concerning(p.clone())),
        severity,
        rule,
    };
    let nudges = org::nudges(&Who::Operator, &ledger, &ctx.policy, as_of, &query)
        .map_err(super::not_read)?;
    if reading.json {
        output::json(
            &json!({"as_of": as_of.to_string(), "nudges": pendulum_exchange::nudges_json(&nudges, &ledger)}),
        )?;
        return Ok(());
    }
    if nudges.is_empty() {
        output::line(format!("no nudges as of {as_of}"))?;
    }
    print_nudges(&ledger, &nudges)
}

/// Each nudge in full: facts with their source, the principle, the next step.
pub fn print_nudges(ledger: &Ledger, nudges: &[Nudge]) -> Result<()> {
    for n in nudges {
        let name = ledger
            .person(&n.person)
            .map_or(n.person.to_string(), |p| format!("{} ({})", p.name, p.id));
        output::line(format!(
            "{} {} · {}",
            output::severity(n.severity),
            output::heading(&name),
            n.rule
        ))?;
        for f in &n.facts {
            output::line(format!(
                "  • {} {}",
                f.text,
                output::dim(format!("[{}]", f.source.as_str()))
            ))?;
        }
        output::line(format!("  why: {}", n.principle))?;
        output::line(format!("  next: {}", n.suggestion))?;
        if let Some(id) = &n.act_by {
            let who = ledger.person(id).map_or(id.as_str(), |p| p.name.as_str());
            output::line(format!("  for: {who} ({id}), who can act on it"))?;
        }
        output::line("")?;
    }
    Ok(())
}

pub async fn timeline(
    ctx: &Context,
    person: &PersonId,
    reading: &Reading,
    svg: Option<&Path>,
) -> Result<()> {
    let ledger = ctx.ledger().await?;
    let as_of = reading.as_of.unwrap_or_else(today);
    let timeline = pendulum_app::reading::people::timeline(
        &Who::Operator,
        &ledger,
        &ctx.policy,
        as_of,
        person,
    )
    .map_err(super::not_read)?;
    if let Some(path) = svg {
        super::exchange::write_atomically(path, timeline.to_svg().as_bytes())
            .with_context(|| format!("cannot write the SVG to {}", path.display()))?;
    }
    if reading.json {
        let value = json!({
            "person": person.as_str(),
            "as_of": as_of.to_string(),
            "segments": timeline.segments.iter().map(|s| json!({
                "role": s.role.as_str(), "team": s.team, "level": s.level.name(), "band": s.band.map(|b| b.get()), "start": s.start.to_string(),
                "end": s.end.to_string(), "open": s.open, "chosen": s.chosen, "trial_end": s.trial_end.map(|t| t.to_string()),
            })).collect::<Vec<_>>(),
            "swings": timeline.swings.iter().map(|s| json!({
                "on": s.on.to_string(), "from": s.from.as_str(), "to": s.to.as_str(), "level_changed": s.level_changed,
            })).collect::<Vec<_>>(),
            "markers": timeline.markers.iter().map(|m| json!({"on": m.on.to_string(), "months_since_hands_on": m.months})).collect::<Vec<_>>(),
        });
        output::json(&value)?;
        return Ok(());
    }
    output::line(output::heading(format!(
        "{} ({}): {}",
        timeline.person.name,
        person,
        timeline.describe()
    )))?;
    let mut t = output::table(["", "role", "level", "band", "from", "until", "months"]);
    for s in &timeline.segments {
        let side = if s.role.manages() {
            if s.role == pendulum_core::Role::Hybrid {
                "    ◆    "
            } else {
                "        ●"
            }
        } else {
            "●        "
        };
        t.add_row([
            side.to_owned(),
            s.role.to_string(),
            s.level.to_string(),
            super::people::band_cell(s.band),
            s.start.to_string(),
            if s.open {
                "now".to_owned()
            } else {
                s.end.to_string()
            },
            format!(
                "{:.0}",
                pendulum_core::period::months_between(s.start, s.end)
            ),
        ]);
    }
    output::line(t.to_string())?;
    for sw in &timeline.swings {
        output::line(format!(
            "swing on {}: {} → {}{}",
            sw.on,
            sw.from,
            sw.to,
            if sw.level_changed {
                " (the level changed too)"
            } else {
                ""
            }
        ))?;
    }
    for m in &timeline.markers {
        output::line(format!("{} months since hands-on work: {}", m.months, m.on))?;
    }
    if let Some(path) = svg {
        output::line(output::dim(format!(
            "pendulum picture written to {}",
            path.display()
        )))?;
    }
    Ok(())
}
