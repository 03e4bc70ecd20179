//! Every occurrence over 2025 of every .ics file in a folder, one line each, sorted: file,
//! UID, start and end (UTC `YYYYMMDDTHHMMSSZ`, or `YYYYMMDD` for all-day), and `cancelled`
//! when so. `scripts/occurrences.py` prints the same from the Python reference, so that
//! `diff` compares the two expansions occurrence by occurrence.
//!
//! Usage: `calendar_occurrences CORPUS_DIR > rust.txt`

use std::io::Write;
use std::process::ExitCode;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use pendulum_calendar::{Occurrence, Status, Window, expand, parse_calendar};

fn main() -> ExitCode {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: calendar_occurrences CORPUS_DIR");
        return ExitCode::from(2);
    };
    match run(&dir) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("calendar_occurrences: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(dir: &str) -> Result<(), String> {
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| format!("{dir}: {e}"))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "ics"))
        .collect();
    paths.sort();
    let year = |y| NaiveDate::from_ymd_opt(y, 1, 1).unwrap_or_default();
    let window = Window::days(year(2025), year(2026));
    let mut lines = Vec::new();
    for path in paths {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        let name = name.unwrap_or_default();
        let bytes = std::fs::read(&path).map_err(|e| format!("{name}: {e}"))?;
        let calendar = parse_calendar(&bytes).map_err(|e| format!("{name}:{e}"))?;
        let floating = calendar.floating_zone.unwrap_or(Tz::UTC);
        let occurrences = expand(&calendar, &window, None).map_err(|e| format!("{name}:{e}"))?;
        lines.extend(occurrences.iter().map(|o| line(&name, o, floating)));
    }
    lines.sort();
    let mut out = std::io::stdout().lock();
    for line in lines {
        if let Err(e) = writeln!(out, "{line}") {
            // A closed pipe (`| head`) is not a failure.
            return match e.kind() {
                std::io::ErrorKind::BrokenPipe => Ok(()),
                _ => Err(e.to_string()),
            };
        }
    }
    Ok(())
}

fn line(file: &str, o: &Occurrence<'_>, floating: Tz) -> String {
    // All-day occurrences are dates in the calendar's floating zone.
    let stamp = |t: DateTime<Utc>| match o.all_day {
        true => t.with_timezone(&floating).format("%Y%m%d").to_string(),
        false => t.format("%Y%m%dT%H%M%SZ").to_string(),
    };
    let cancelled = match o.status {
        Some(Status::Cancelled) => " cancelled",
        _ => "",
    };
    format!(
        "{file} {} {} {}{cancelled}",
        o.uid,
        stamp(o.start),
        stamp(o.end)
    )
}
