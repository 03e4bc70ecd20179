//! `pendulum calendar occurrences` and `pendulum ingest calendar` end to end: real .ics text,
//! a real database file, the real binary.

use std::path::Path;

use assert_cmd::Command;
use serde_json::{Value, json};
use tempfile::TempDir;

fn pendulum(dir: &TempDir) -> Command {
    let mut c = Command::cargo_bin("pendulum").unwrap();
    c.env_clear()
        .env("HOME", dir.path())
        .env("NO_COLOR", "1")
        .arg("--db")
        .arg(dir.path().join("ledger.db"));
    c
}

fn run_json(cmd: &mut Command) -> Value {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Writes `lines` as a CRLF-terminated file, as exports are.
fn write_ics(path: &Path, lines: &[&str]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let mut text = lines.join("\r\n");
    text.push_str("\r\n");
    std::fs::write(path, text).unwrap();
}

/// A weekly meeting in Berlin (five Mondays across the DST change of 30 March), one week
/// excluded, one instance moved to the Tuesday afternoon, and a two-day transparent all-day
/// event.
const WEEKLY: &[&str] = &[
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//pendulum tests//EN",
    "BEGIN:VEVENT",
    "UID:weekly-1",
    "DTSTART;TZID=Europe/Berlin:20250303T100000",
    "DTEND;TZID=Europe/Berlin:20250303T103000",
    "RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=5",
    "EXDATE;TZID=Europe/Berlin:20250310T100000",
    "SUMMARY:Planning",
    "ORGANIZER:mailto:ada@example.com",
    "ATTENDEE;PARTSTAT=ACCEPTED:mailto:grace@example.com",
    "END:VEVENT",
    "BEGIN:VEVENT",
    "UID:weekly-1",
    "RECURRENCE-ID;TZID=Europe/Berlin:20250317T100000",
    "DTSTART;TZID=Europe/Berlin:20250318T140000",
    "DTEND;TZID=Europe/Berlin:20250318T143000",
    "STATUS:CONFIRMED",
    "SUMMARY:Planning (moved)",
    "END:VEVENT",
    "BEGIN:VEVENT",
    "UID:offsite",
    "DTSTART;VALUE=DATE:20250327",
    "DTEND;VALUE=DATE:20250329",
    "TRANSP:TRANSPARENT",
    "SUMMARY:Offsite",
    "END:VEVENT",
    "END:VCALENDAR",
];

#[test]
fn occurrences_are_listed_in_utc_with_exceptions_and_overrides_applied() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("weekly.ics");
    write_ics(&file, WEEKLY);
    let got = run_json(
        pendulum(&dir)
            .args(["calendar", "occurrences"])
            .arg(&file)
            .args(["--from", "2025-03-01", "--to", "2025-03-31", "--json"]),
    );
    let row = |uid: &str, start: &str, end: &str, status: Value, transparency: &str| {
        json!({
            "uid": uid, "start": start, "end": end, "all_day": uid == "offsite",
            "status": status, "transparency": transparency,
        })
    };
    assert_eq!(
        got,
        json!([
            row(
                "weekly-1",
                "2025-03-03T09:00:00Z",
                "2025-03-03T09:30:00Z",
                Value::Null,
                "opaque"
            ),
            row(
                "weekly-1",
                "2025-03-18T13:00:00Z",
                "2025-03-18T13:30:00Z",
                json!("confirmed"),
                "opaque"
            ),
            row(
                "weekly-1",
                "2025-03-24T09:00:00Z",
                "2025-03-24T09:30:00Z",
                Value::Null,
                "opaque"
            ),
            row(
                "offsite",
                "2025-03-27T00:00:00Z",
                "2025-03-29T00:00:00Z",
                Value::Null,
                "transparent"
            ),
            // Summer time: 10:00 in Berlin is 08:00 UTC from 30 March.
            row(
                "weekly-1",
                "2025-03-31T08:00:00Z",
                "2025-03-31T08:30:00Z",
                Value::Null,
                "opaque"
            ),
        ])
    );

    // --to is included; the table says how many it found.
    let table = pendulum(&dir)
        .args(["calendar", "occurrences"])
        .arg(&file)
        .args(["--from", "2025-03-18", "--to", "2025-03-18"])
        .output()
        .unwrap();
    let text = String::from_utf8(table.stdout).unwrap();
    assert!(text.contains("2025-03-18T13:00:00Z"), "{text}");
    assert!(
        text.contains("1 occurrences from 2025-03-18 to 2025-03-18"),
        "{text}"
    );
}

#[test]
fn occurrences_of_a_bad_file_name_the_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.ics");
    let mut lines = WEEKLY.to_vec();
    lines[5] = "DTSTART;TZID=Mars/Olympus_Mons:20250303T100000";
    write_ics(&file, &lines);
    let out = pendulum(&dir)
        .args(["calendar", "occurrences"])
        .arg(&file)
        .args(["--from", "2025-03-01", "--to", "2025-03-31"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains(&format!("{}:6: unknown time zone", file.display())),
        "{err}"
    );
}

/// Ada reports to Morgan; Grace is also known by an old address.
fn import_people(dir: &TempDir) {
    let people = dir.path().join("people.csv");
    std::fs::write(
        &people,
        "id,name,email,aliases,level,team,manager\n\
         morgan,Morgan Lee,morgan@example.com,,L6,,\n\
         ada,Ada Lovelace,ada@example.com,,L5,,morgan\n\
         grace,Grace Hopper,grace@example.com,G.Hopper@example.org,L5,,morgan\n",
    )
    .unwrap();
    pendulum(dir).arg("import").arg(&people).assert().success();
}

/// Ada's Google export: named after her, in Berlin. One meeting in hours on Monday, one after
/// hours on Wednesday.
const ADA: &[&str] = &[
    "BEGIN:VCALENDAR",
    "PRODID:-//Google Inc//Google Calendar 70.9054//EN",
    "VERSION:2.0",
    "X-WR-CALNAME:ada@example.com",
    "X-WR-TIMEZONE:Europe/Berlin",
    "BEGIN:VEVENT",
    "UID:a1",
    "DTSTART;TZID=Europe/Berlin:20250303T100000",
    "DTEND;TZID=Europe/Berlin:20250303T110000",
    "ORGANIZER:mailto:grace@example.com",
    "ATTENDEE;PARTSTAT=ACCEPTED:mailto:ada@example.com",
    "DESCRIPTION:Secret agenda",
    "END:VEVENT",
    "BEGIN:VEVENT",
    "UID:a2",
    "DTSTART;TZID=Europe/Berlin:20250305T180000",
    "DTEND;TZID=Europe/Berlin:20250305T190000",
    "LOCATION:Pub",
    "END:VEVENT",
    "END:VCALENDAR",
];

/// Grace's Outlook-like export from New York, without a name: she is the one address on
/// every invitation (under her old address). She declined the 13:00 meeting; the focus
/// block on Friday is hers alone.
const GRACE: &[&str] = &[
    "BEGIN:VCALENDAR",
    "PRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN",
    "VERSION:2.0",
    "X-WR-CALNAME:Calendar",
    "BEGIN:VEVENT",
    "UID:g1",
    "DTSTART;TZID=Eastern Standard Time:20250304T090000",
    "DTEND;TZID=Eastern Standard Time:20250304T103000",
    "ORGANIZER:mailto:G.Hopper@example.org",
    "ATTENDEE:mailto:ada@example.com",
    "END:VEVENT",
    "BEGIN:VEVENT",
    "UID:g2",
    "DTSTART;TZID=Eastern Standard Time:20250304T130000",
    "DTEND;TZID=Eastern Standard Time:20250304T140000",
    "ORGANIZER:mailto:ada@example.com",
    "ATTENDEE;PARTSTAT=DECLINED:mailto:g.hopper@example.org",
    "END:VEVENT",
    "BEGIN:VEVENT",
    "UID:g3",
    "DTSTART;TZID=Eastern Standard Time:20250306T150000",
    "DTEND;TZID=Eastern Standard Time:20250306T160000",
    "ORGANIZER:mailto:g.hopper@example.org",
    "ATTENDEE:mailto:morgan@example.com",
    "END:VEVENT",
    "BEGIN:VEVENT",
    "UID:g4",
    "DTSTART;TZID=Eastern Standard Time:20250307T090000",
    "DTEND;TZID=Eastern Standard Time:20250307T120000",
    "END:VEVENT",
    "END:VCALENDAR",
];

/// Somebody's calendar that names nobody of the org.
const STRANGER: &[&str] = &[
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "X-WR-CALNAME:nobody@example.net",
    "BEGIN:VEVENT",
    "UID:s1",
    "DTSTART:20250303T100000Z",
    "DTEND:20250303T110000Z",
    "ORGANIZER:mailto:ada@example.com",
    "END:VEVENT",
    "END:VCALENDAR",
];

/// Every calendar evidence row of `pendulum export --json`.
fn calendar_rows(dir: &TempDir) -> Vec<Value> {
    let doc = run_json(pendulum(dir).args(["export", "--json"]));
    let mut rows = Vec::new();
    let mut stack = vec![&doc];
    while let Some(v) = stack.pop() {
        match v {
            Value::Object(o) if o.get("source") == Some(&json!("calendar")) => rows.push(v.clone()),
            Value::Object(o) => stack.extend(o.values()),
            Value::Array(a) => stack.extend(a),
            _ => {}
        }
    }
    rows.sort_by_key(|r| (r["person"].to_string(), r["week"].to_string()));
    rows
}

fn export(dir: &TempDir) -> Vec<u8> {
    let out = pendulum(dir).args(["export", "--json"]).output().unwrap();
    assert!(out.status.success());
    out.stdout
}

#[test]
fn ingest_stores_weekly_evidence_per_owner_and_lists_unmatched_files() {
    let dir = tempfile::tempdir().unwrap();
    import_people(&dir);
    let exports = dir.path().join("exports");
    write_ics(&exports.join("ada.ics"), ADA);
    write_ics(&exports.join("nested/deeper/grace.ICS"), GRACE);
    write_ics(&exports.join("stranger.ics"), STRANGER);
    std::fs::write(exports.join("notes.txt"), "not a calendar").unwrap();

    let ingest = |dir: &TempDir| {
        run_json(
            pendulum(dir)
                .args(["ingest", "calendar", "--as-of", "2025-12-31", "--json"])
                .arg(&exports),
        )
    };
    let summary = ingest(&dir);
    assert_eq!(summary["files"], 3);
    assert_eq!(summary["people_matched"], 2);
    assert_eq!(summary["weeks"], 2);
    assert_eq!(summary["weeks_written"], 2);
    assert_eq!(summary["weeks_removed"], 0);
    let unmatched = summary["unmatched_files"].as_array().unwrap();
    assert_eq!(unmatched.len(), 1, "{unmatched:?}");
    assert!(
        unmatched[0]["file"]
            .as_str()
            .unwrap()
            .ends_with("stranger.ics"),
        "{unmatched:?}"
    );
    assert!(
        unmatched[0]["reason"]
            .as_str()
            .unwrap()
            .contains("nobody@example.net"),
        "{unmatched:?}"
    );

    // Working hours are 09:00 to 17:00 in each calendar's own zone, Monday to Friday.
    let rows = calendar_rows(&dir);
    assert_eq!(
        rows,
        [
            // Monday: 09-10 fragmented, 11-17 focus; Wednesday's 18:00 meeting is after hours.
            json!({"person": "ada", "week": "2025-W10", "source": "calendar",
                   "meeting_hours": 2.0, "focus_hours": 38.0, "fragmented_hours": 1.0,
                   "after_hours": 1.0}),
            // Tuesday 09:00-10:30 and Thursday 15-16 in New York; the declined meeting and
            // the focus block are not meetings.
            json!({"person": "grace", "week": "2025-W10", "source": "calendar",
                   "meeting_hours": 2.5, "focus_hours": 36.5, "fragmented_hours": 1.0,
                   "after_hours": 0.0}),
        ]
    );
    let text = String::from_utf8(export(&dir)).unwrap();
    for private in ["Secret agenda", "Pub"] {
        assert!(!text.contains(private), "{private} leaked into the export");
    }

    // A second run over the same files changes nothing.
    let before = export(&dir);
    let again = ingest(&dir);
    assert_eq!(again["weeks"], 2);
    assert_eq!(again["weeks_written"], 0);
    assert_eq!(export(&dir), before);

    // --person claims a file for someone; the text summary lists what it did.
    let out = pendulum(&dir)
        .args([
            "ingest",
            "calendar",
            "--person",
            "morgan",
            "--as-of",
            "2025-12-31",
        ])
        .arg(exports.join("stranger.ics"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("1 calendar files, 1 people matched, 0 files unmatched"),
        "{text}"
    );
    let morgan: Vec<_> = calendar_rows(&dir)
        .into_iter()
        .filter(|r| r["person"] == "morgan")
        .collect();
    // Ada organizes the one event, so it is a meeting for Morgan, in UTC (the file names no
    // zone): Monday 10:00 to 11:00 leaves one fragmented hour before it.
    assert_eq!(
        morgan,
        [
            json!({"person": "morgan", "week": "2025-W10", "source": "calendar",
                "meeting_hours": 1.0, "focus_hours": 38.0, "fragmented_hours": 1.0,
                "after_hours": 0.0})
        ]
    );
}

#[test]
fn a_bad_file_fails_the_run_by_file_and_line_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    import_people(&dir);
    let exports = dir.path().join("exports");
    write_ics(&exports.join("ada.ics"), ADA);
    pendulum(&dir)
        .args(["ingest", "calendar", "--as-of", "2025-12-31"])
        .arg(&exports)
        .assert()
        .success();
    let before = export(&dir);
    write_ics(&exports.join("grace.ics"), GRACE);

    for (line, text, says) in [
        (
            7,
            "DTSTART;TZID=Atlantis/Lost_City:20250304T090000",
            "unknown time zone",
        ),
        (9, "THISLINEHASNOCOLON", "no ':'"),
    ] {
        let mut bad = GRACE.to_vec();
        bad[line - 1] = text;
        let file = exports.join("zz-bad.ics");
        write_ics(&file, &bad);
        let out = pendulum(&dir)
            .args(["ingest", "calendar", "--as-of", "2025-12-31"])
            .arg(&exports)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(
            err.contains(&format!("{}:{line}: ", file.display())) && err.contains(says),
            "{err}"
        );
        assert_eq!(export(&dir), before, "nothing written after {says}");
    }
}

#[test]
fn a_maker_without_focus_time_gets_a_nudge_for_their_manager() {
    let dir = tempfile::tempdir().unwrap();
    import_people(&dir);
    let stints = dir.path().join("stints.csv");
    std::fs::write(
        &stints,
        "person,role,level,start\n\
         morgan,manager,L6,2024-01-01\n\
         ada,engineer,L5,2024-01-01\n",
    )
    .unwrap();
    pendulum(&dir).arg("import").arg(&stints).assert().success();
    // Meetings from 10:00 to 16:00 every working day leave two single free hours a day: no
    // focus block of two hours in five weeks. The last event starts in 2025-W27.
    let file = dir.path().join("ada.ics");
    write_ics(
        &file,
        &[
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "X-WR-CALNAME:ada@example.com",
            "X-WR-TIMEZONE:UTC",
            "BEGIN:VEVENT",
            "UID:all-day-meetings",
            "DTSTART:20250602T100000Z",
            "DTEND:20250602T160000Z",
            "RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
            "ATTENDEE:mailto:morgan@example.com",
            "END:VEVENT",
            "BEGIN:VEVENT",
            "UID:last",
            "DTSTART:20250630T090000Z",
            "DTEND:20250630T093000Z",
            "ATTENDEE:mailto:morgan@example.com",
            "END:VEVENT",
            "END:VCALENDAR",
        ],
    );
    let summary = run_json(
        pendulum(&dir)
            .args(["ingest", "calendar", "--as-of", "2025-07-08", "--json"])
            .arg(&file),
    );
    assert_eq!(summary["weeks_written"], 5, "2025-W23 to 2025-W27");

    let nudges = run_json(pendulum(&dir).args([
        "nudges",
        "--json",
        "--as-of",
        "2025-07-08",
        "--rule",
        "interrupted-maker",
    ]));
    let nudges = nudges["nudges"].as_array().unwrap();
    assert_eq!(nudges.len(), 1, "{nudges:#?}");
    let nudge = &nudges[0];
    assert_eq!(nudge["person"], "ada");
    assert!(
        nudge["suggestion"]
            .as_str()
            .unwrap()
            .starts_with("Morgan Lee: shield Ada Lovelace's time"),
        "{nudge:#}"
    );
    let calendar_facts: Vec<&str> = nudge["facts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["source"] == "calendar")
        .map(|f| f["text"].as_str().unwrap())
        .collect();
    assert_eq!(calendar_facts.len(), 4, "{calendar_facts:?}");
    assert!(
        calendar_facts[3].starts_with("2025-W27: 0.0 h of focus time"),
        "{calendar_facts:?}"
    );
    // The nudge is Morgan's to act on: it says so, and it is among Morgan's nudges.
    assert_eq!(nudge["act_by"], "morgan");
    let morgans = run_json(pendulum(&dir).args([
        "nudges",
        "--json",
        "--as-of",
        "2025-07-08",
        "--person",
        "morgan",
    ]));
    assert!(
        morgans["nudges"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["rule"] == "interrupted-maker" && n["person"] == "ada"),
        "{morgans:#}"
    );
    let out = pendulum(&dir)
        .args([
            "nudges",
            "--as-of",
            "2025-07-08",
            "--rule",
            "interrupted-maker",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("for: Morgan Lee (morgan), who can act on it"),
        "{text}"
    );
}

/// The shared anchors' calendar folder, when it sits next to the workspace.
fn anchor(name: &str) -> Option<std::path::PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/anchors/calendar")
        .join(name);
    path.is_file().then_some(path)
}

#[test]
fn occurrences_over_a_year_match_the_python_reference_file_by_file() {
    let Some(generator) = anchor("gen_calendars.py") else {
        eprintln!("skipped: the calendar anchors are not next to the workspace");
        return;
    };
    let python = |args: &[&std::ffi::OsStr]| {
        std::process::Command::new("python3")
            .args(args)
            .output()
            .ok()
            .filter(|out| out.status.success())
    };
    if python(&[
        "-c".as_ref(),
        "import icalendar, recurring_ical_events".as_ref(),
    ])
    .is_none()
    {
        eprintln!("skipped: python3 with icalendar and recurring-ical-events is not available");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    python(&[generator.as_os_str(), corpus.as_os_str(), "6".as_ref()]).expect("the generator runs");
    let script =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../pendulum-calendar/scripts/occurrences.py");
    let reference = python(&[script.as_os_str(), corpus.as_os_str()]).expect("the reference runs");
    let expected = String::from_utf8(reference.stdout).unwrap();

    // Ours, in the reference's format: UTC stamps, and all-day occurrences as dates in the
    // calendar's floating zone.
    let mut lines = Vec::new();
    for entry in std::fs::read_dir(&corpus).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let floating = pendulum_calendar::parse_calendar(&std::fs::read(&path).unwrap())
            .unwrap()
            .floating_zone;
        let occurrences = run_json(
            pendulum(&dir)
                .args(["calendar", "occurrences"])
                .arg(&path)
                .args(["--from", "2025-01-01", "--to", "2025-12-31", "--json"]),
        );
        for o in occurrences.as_array().unwrap() {
            let stamp = |key: &str| {
                let t = chrono::DateTime::parse_from_rfc3339(o[key].as_str().unwrap())
                    .unwrap()
                    .to_utc();
                match (o["all_day"].as_bool().unwrap(), floating) {
                    (false, _) => t.format("%Y%m%dT%H%M%SZ").to_string(),
                    (true, Some(zone)) => t.with_timezone(&zone).format("%Y%m%d").to_string(),
                    (true, None) => t.format("%Y%m%d").to_string(),
                }
            };
            let cancelled = if o["status"] == "cancelled" {
                " cancelled"
            } else {
                ""
            };
            lines.push(format!(
                "{name} {} {} {}{cancelled}",
                o["uid"].as_str().unwrap(),
                stamp("start"),
                stamp("end")
            ));
        }
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
