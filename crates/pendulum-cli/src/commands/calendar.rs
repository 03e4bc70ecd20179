//! `pendulum calendar occurrences` and `pendulum ingest calendar`: interruption evidence from
//! the calendars people already keep.
//!
//! `occurrences` shows what expansion makes of one file, so that a user can check what was
//! counted. `ingest` is `pendulum_app::ingest::ingest_calendar` (reading on all cores,
//! matching owners to people, the weeks with the policy's working hours, one transaction),
//! rendered as the summary a person or a script reads.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, bail};
use chrono::{NaiveDate, SecondsFormat};
use pendulum_app::ingest::calendar::read_calendar;
use pendulum_app::ingest::{CalendarIngestError, CalendarInput, CalendarReport, ingest_calendar};
use pendulum_calendar::{Status, Transparency, Window, expand};
use serde_json::json;

use crate::context::Context;
use crate::output;

/// Prints every occurrence of the events in `path` that overlaps the days `from` to `to`
/// (both included, read as wall-clock days in each event's own zone), ordered by start.
pub fn occurrences(path: &Path, from: NaiveDate, to: NaiveDate, json: bool) -> Result<()> {
    if to < from {
        bail!("--to {to} is before --from {from}");
    }
    let calendar = read_calendar(path)?;
    let end = to.succ_opt().context("--to is the last day chrono knows")?;
    let mut found = expand(&calendar, &Window::days(from, end), None).map_err(|error| {
        CalendarIngestError::Invalid {
            path: path.to_owned(),
            error,
        }
    })?;
    found.sort_by(|a, b| (a.start, a.end, a.uid, a.line).cmp(&(b.start, b.end, b.uid, b.line)));
    if json {
        let rows: Vec<_> = found
            .iter()
            .map(|o| {
                json!({
                    "uid": o.uid,
                    "start": rfc3339(o.start),
                    "end": rfc3339(o.end),
                    "all_day": o.all_day,
                    "status": o.status.map(status_name),
                    "transparency": transparency_name(o.transparency),
                })
            })
            .collect();
        output::json(&serde_json::Value::Array(rows))?;
        return Ok(());
    }
    let mut table = output::table([
        "start (UTC)",
        "end (UTC)",
        "all-day",
        "status",
        "transp",
        "uid",
    ]);
    for o in &found {
        table.add_row([
            rfc3339(o.start),
            rfc3339(o.end),
            if o.all_day { "yes" } else { "no" }.to_owned(),
            o.status.map_or("-", status_name).to_owned(),
            transparency_name(o.transparency).to_owned(),
            o.uid.to_owned(),
        ]);
    }
    output::line(table.to_string())?;
    output::line(output::dim(format!(
        "{} occurrences from {from} to {to}",
        found.len()
    )))?;
    Ok(())
}

pub async fn ingest(ctx: &Context, input: &CalendarInput, json: bool) -> Result<()> {
    let started = Instant::now();
    let bar = output::Bar::new("{spinner} {pos}/{len} calendars read ({elapsed})");
    let report = ingest_calendar(&ctx.store, &ctx.policy, input, &bar).await?;
    print(&report, started.elapsed(), json)
}

fn rfc3339(t: chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn status_name(s: Status) -> &'static str {
    match s {
        Status::Tentative => "tentative",
        Status::Confirmed => "confirmed",
        Status::Cancelled => "cancelled",
    }
}

fn transparency_name(t: Transparency) -> &'static str {
    match t {
        Transparency::Opaque => "opaque",
        Transparency::Transparent => "transparent",
    }
}

fn print(report: &CalendarReport, elapsed: Duration, json: bool) -> Result<()> {
    if json {
        output::json(&json!({
            "files": report.files,
            "people_matched": report.people_matched,
            "unmatched_files": report.unmatched.iter().map(|u| json!({"file": u.file.display().to_string(), "reason": u.reason})).collect::<Vec<_>>(),
            "weeks": report.weeks,
            "weeks_written": report.weeks_written,
            "weeks_removed": report.weeks_removed,
            "duration_ms": elapsed.as_millis() as u64,
        }))?;
        return Ok(());
    }
    output::line(format!(
        "{} calendar files, {} people matched, {} files unmatched ({:.2} s)",
        report.files,
        report.people_matched,
        report.unmatched.len(),
        elapsed.as_secs_f64()
    ))?;
    output::line(format!(
        "{} weeks computed, {} written, {} removed",
        report.weeks, report.weeks_written, report.weeks_removed
    ))?;
    if !report.unmatched.is_empty() {
        output::line(output::heading(
            "Files whose owner is unknown (add the address as an alias, or use --person):",
        ))?;
        for u in &report.unmatched {
            output::line(format!("  {}: {}", u.file.display(), u.reason))?;
        }
    }
    Ok(())
}
