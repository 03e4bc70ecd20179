//! Occurrence by occurrence against the Python reference (recurring-ical-events), on a small
//! corpus from the shared anchors' generator. Skipped, with a note, when the anchors, python3
//! or the Python packages are not there; `docs/CALENDAR.md` has the full-size comparison.

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use pendulum_calendar::{Occurrence, Status, Window, expand, parse_calendar};

fn anchor(name: &str) -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/anchors/calendar")
        .join(name);
    path.is_file().then_some(path)
}

/// The reference can run: python3 with recurring-ical-events installed.
fn reference_available() -> bool {
    Command::new("python3")
        .args(["-c", "import icalendar, recurring_ical_events"])
        .output()
        .is_ok_and(|out| out.status.success())
}

/// One line per occurrence, in the format of `scripts/occurrences.py`.
fn line(file: &str, o: &Occurrence<'_>, floating: Tz) -> String {
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

#[test]
fn every_occurrence_matches_the_python_reference() {
    let Some(generator) = anchor("gen_calendars.py") else {
        eprintln!("skipped: the calendar anchors are not next to the workspace");
        return;
    };
    if !reference_available() {
        eprintln!("skipped: python3 with icalendar and recurring-ical-events is not available");
        return;
    }
    let dir = tempfile::tempdir().expect("temporary directory");
    let status = Command::new("python3")
        .arg(&generator)
        .arg(dir.path())
        .arg("8")
        .output()
        .expect("python3 runs");
    assert!(status.status.success(), "the generator failed");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/occurrences.py");
    let reference = Command::new("python3")
        .arg(script)
        .arg(dir.path())
        .output()
        .expect("python3 runs");
    assert!(
        reference.status.success(),
        "{}",
        String::from_utf8_lossy(&reference.stderr)
    );
    let expected = String::from_utf8(reference.stdout).expect("UTF-8 output");

    let year = |y| NaiveDate::from_ymd_opt(y, 1, 1).expect("a date");
    let window = Window::days(year(2025), year(2026));
    let mut lines = Vec::new();
    for entry in std::fs::read_dir(dir.path()).expect("corpus directory") {
        let path = entry.expect("directory entry").path();
        let name = path
            .file_name()
            .expect("a file name")
            .to_string_lossy()
            .into_owned();
        let bytes = std::fs::read(&path).expect("corpus file");
        let calendar = parse_calendar(&bytes).unwrap_or_else(|e| panic!("{name}:{e}"));
        let floating = calendar.floating_zone.unwrap_or(Tz::UTC);
        let occurrences = expand(&calendar, &window, None).unwrap_or_else(|e| panic!("{name}:{e}"));
        lines.extend(occurrences.iter().map(|o| line(&name, o, floating)));
    }
    lines.sort();
    let expected: Vec<&str> = expected.lines().collect();
    assert!(
        expected.len() > 1000,
        "the corpus has {} occurrences",
        expected.len()
    );
    let first_difference = lines.iter().zip(&expected).position(|(a, b)| a != b);
    assert_eq!(
        (lines.len(), first_difference),
        (expected.len(), None),
        "first difference: ours {:?}, reference {:?}",
        first_difference.map(|i| &lines[i]),
        first_difference.map(|i| expected[i]),
    );
}
