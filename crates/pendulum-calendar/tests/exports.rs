//! Real exports: hand-written files in the style of Google, Outlook and Apple, and, when the
//! shared anchors are next to the workspace, a small corpus from the reference generator.

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::{NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use pendulum_calendar::{Calendar, PartStat, TimeValue, Transparency, Zone, parse_calendar};

fn fixture(name: &str) -> Calendar {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    let bytes = std::fs::read(&path).expect("fixture is readable");
    parse_calendar(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn start_utc(calendar: &Calendar, index: usize) -> chrono::DateTime<Utc> {
    match calendar.events[index].dtstart {
        TimeValue::DateTime(value) => value.to_utc(calendar.floating_zone.unwrap_or(Tz::UTC)),
        TimeValue::Date(_) => panic!("expected a DATE-TIME"),
    }
}

#[test]
fn reads_a_google_export() {
    let calendar = fixture("google.ics");
    assert_eq!(calendar.name.as_deref(), Some("ada@example.com"));
    assert_eq!(calendar.floating_zone, Some(Tz::America__Los_Angeles));
    assert_eq!(calendar.events.len(), 2);
    let standup = &calendar.events[0];
    assert_eq!(standup.uid, "0a1b2c3d4e5f6g7h8i9j0k1l2m@google.com");
    assert_eq!(standup.attendees[0].address, "mailto:grace@example.com");
    assert_eq!(standup.attendees[0].partstat, PartStat::Accepted);
    assert_eq!(standup.location.as_deref(), Some(""));
    assert_eq!(
        start_utc(&calendar, 0),
        Utc.with_ymd_and_hms(2025, 1, 6, 17, 30, 0).unwrap()
    );
    assert_eq!(calendar.events[1].attendees[0].partstat, PartStat::Declined);
    assert_eq!(
        start_utc(&calendar, 1),
        Utc.with_ymd_and_hms(2025, 2, 12, 17, 0, 0).unwrap()
    );
}

#[test]
fn reads_an_outlook_export_with_windows_zone_names() {
    let calendar = fixture("outlook.ics");
    assert_eq!(calendar.timezones[0].tzid, "W. Europe Standard Time");
    assert_eq!(calendar.timezones[0].observances.len(), 2);
    let sync = &calendar.events[0];
    assert_eq!(
        sync.location.as_deref(),
        Some("Konferenzraum Zürich / online")
    );
    assert_eq!(sync.exdate.len(), 2);
    assert_eq!(sync.attendees[0].partstat, PartStat::Tentative);
    assert_eq!(
        start_utc(&calendar, 0),
        Utc.with_ymd_and_hms(2025, 1, 7, 13, 0, 0).unwrap()
    );
    let moved = &calendar.events[1];
    assert_eq!(moved.uid, sync.uid);
    assert!(matches!(
        moved.recurrence_id,
        Some(TimeValue::DateTime(v)) if v.zone == Zone::Tz(Tz::Europe__Berlin)
    ));
    let vacation = &calendar.events[2];
    assert!(vacation.is_all_day());
    assert_eq!(vacation.transparency, Transparency::Transparent);
    assert_eq!(
        vacation.dtend,
        Some(TimeValue::Date(
            NaiveDate::from_ymd_opt(2025, 8, 9).unwrap()
        ))
    );
}

#[test]
fn reads_an_apple_export_with_lf_line_ends() {
    let calendar = fixture("apple.ics");
    assert_eq!(calendar.floating_zone, None);
    let one_on_one = &calendar.events[0];
    assert_eq!(
        one_on_one.rrule.as_ref().map(|(text, _)| text.as_str()),
        Some("FREQ=WEEKLY;INTERVAL=2;BYDAY=FR;UNTIL=20250630T225959Z")
    );
    assert_eq!(one_on_one.exdate.len(), 2);
    assert_eq!(one_on_one.rdate.len(), 1);
    assert_eq!(one_on_one.status, None);
    assert!(calendar.events[1].is_all_day());
    assert_eq!(
        start_utc(&calendar, 0),
        Utc.with_ymd_and_hms(2025, 1, 10, 11, 0, 0).unwrap()
    );
}

/// The reference generator, if the shared anchors sit next to the workspace.
fn generator() -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/anchors/calendar/gen_calendars.py");
    path.is_file().then_some(path)
}

#[test]
fn reads_every_file_of_the_reference_corpus() {
    let Some(script) = generator() else {
        eprintln!("skipped: the calendar anchors are not next to the workspace");
        return;
    };
    let dir = tempfile::tempdir().expect("temporary directory");
    let status = Command::new("python3")
        .arg(&script)
        .arg(dir.path())
        .arg("8")
        .status();
    let Ok(status) = status else {
        eprintln!("skipped: python3 is not available");
        return;
    };
    assert!(status.success(), "the generator failed");
    let mut files = 0;
    let mut producers = Vec::new();
    for entry in std::fs::read_dir(dir.path()).expect("corpus directory") {
        let path = entry.expect("directory entry").path();
        let bytes = std::fs::read(&path).expect("corpus file");
        let calendar = parse_calendar(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let text = String::from_utf8_lossy(&bytes);
        assert_eq!(calendar.events.len(), text.matches("BEGIN:VEVENT").count());
        assert!(calendar.events.iter().any(|e| e.rrule.is_some()));
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        producers.push(name.rsplit('_').next().unwrap().to_owned());
        files += 1;
    }
    assert_eq!(files, 8);
    producers.sort();
    producers.dedup();
    assert!(producers.contains(&"outlook".to_owned()), "{producers:?}");
}
