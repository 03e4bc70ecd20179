//! Hostile and random recurrences: expansion ends in occurrences inside the window or in a
//! bounded-work error, never a panic or a hang.

use chrono::{Duration, TimeZone, Utc};
use proptest::prelude::*;

use pendulum_calendar::{ErrorKind, Window, expand, parse_calendar};

const GOOGLE: &[u8] = include_bytes!("fixtures/google.ics");

const FREQUENCIES: [&str; 7] = [
    "SECONDLY", "MINUTELY", "HOURLY", "DAILY", "WEEKLY", "MONTHLY", "YEARLY",
];
const DAYS: [&str; 7] = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];

fn list(values: Vec<i32>) -> String {
    values
        .iter()
        .map(i32::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

/// An RRULE built from valid parts in random combinations.
fn rule() -> impl Strategy<Value = String> {
    (
        0..7usize,
        1..4u32,
        proptest::option::of(1..40u32),
        proptest::option::of(prop::collection::vec((-5..=5i32, 0..7usize), 1..4)),
        proptest::option::of(prop::collection::vec(
            prop_oneof![1..=31i32, -31..=-1i32],
            1..3,
        )),
        proptest::option::of(prop::collection::vec(1..=12i32, 1..3)),
        proptest::option::of(prop::collection::vec(
            prop_oneof![1..=366i32, -366..=-1i32],
            1..3,
        )),
        proptest::option::of(prop::collection::vec(
            prop_oneof![1..=53i32, -53..=-1i32],
            1..3,
        )),
        proptest::option::of(prop::collection::vec(
            prop_oneof![1..=5i32, -5..=-1i32],
            1..3,
        )),
        proptest::option::of(prop::collection::vec(0..24i32, 1..3)),
        0..7usize,
    )
        .prop_map(
            |(
                freq,
                interval,
                count,
                by_day,
                month_day,
                month,
                year_day,
                week_no,
                set_pos,
                hour,
                wkst,
            )| {
                let mut rule = format!("FREQ={};INTERVAL={interval}", FREQUENCIES[freq]);
                if let Some(count) = count {
                    rule += &format!(";COUNT={count}");
                }
                if let Some(days) = by_day {
                    let days: Vec<String> = days
                        .into_iter()
                        .map(|(n, d)| match n {
                            0 => DAYS[d].to_owned(),
                            n => format!("{n}{}", DAYS[d]),
                        })
                        .collect();
                    rule += &format!(";BYDAY={}", days.join(","));
                }
                for (name, values) in [
                    ("BYMONTHDAY", month_day),
                    ("BYMONTH", month),
                    ("BYYEARDAY", year_day),
                    ("BYWEEKNO", week_no),
                    ("BYSETPOS", set_pos),
                    ("BYHOUR", hour),
                ] {
                    if let Some(values) = values {
                        rule += &format!(";{name}={}", list(values));
                    }
                }
                rule + &format!(";WKST={}", DAYS[wkst])
            },
        )
}

fn calendar_with(rule: &str, dtstart: &str) -> Vec<u8> {
    format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:p\r\n\
         DTSTART;TZID=Europe/Berlin:{dtstart}\r\nDURATION:PT30M\r\nRRULE:{rule}\r\n\
         EXDATE;TZID=Europe/Berlin:{dtstart}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    .into_bytes()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn expansion_stays_in_the_window_or_fails_bounded(
        rule in rule(),
        start_day in 0..3000i64,
        window_start in 0..3000i64,
        window_days in 1..120i64,
    ) {
        let base = Utc.with_ymd_and_hms(2020, 1, 1, 0, 0, 0).unwrap();
        let dtstart = (base + Duration::days(start_day)).format("%Y%m%dT093000").to_string();
        let calendar = parse_calendar(&calendar_with(&rule, &dtstart)).expect("parses");
        let from = base + Duration::days(window_start);
        let to = from + Duration::days(window_days);
        match expand(&calendar, &Window::Instants { from, to }, None) {
            Ok(occurrences) => {
                for o in &occurrences {
                    prop_assert!(o.start < to && o.end > from, "{rule}: {o:?}");
                }
                let mut starts: Vec<_> = occurrences.iter().map(|o| o.start).collect();
                starts.dedup();
                prop_assert_eq!(starts.len(), occurrences.len(), "{} repeats an instant", rule);
            }
            Err(error) => prop_assert!(
                matches!(
                    error.kind,
                    ErrorKind::ExpansionTooCostly { .. } | ErrorKind::TooManyOccurrences { .. }
                ),
                "{rule}: {error}"
            ),
        }
    }

    #[test]
    fn corrupted_exports_expand_or_fail_without_panicking(
        edits in proptest::collection::vec((0..GOOGLE.len(), any::<u8>()), 1..12),
    ) {
        let mut bytes = GOOGLE.to_vec();
        for (at, byte) in edits {
            bytes[at] = byte;
        }
        if let Ok(calendar) = parse_calendar(&bytes) {
            let window = Window::Instants {
                from: Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap(),
                to: Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(),
            };
            let _ = expand(&calendar, &window, Some("ada@example.com"));
        }
    }

    #[test]
    fn arbitrary_rule_text_never_panics(text in "[A-Z0-9=;,+-]{0,80}") {
        let calendar = parse_calendar(&calendar_with(&text, "20250101T090000")).expect("parses");
        let window = Window::Instants {
            from: Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap(),
            to: Utc.with_ymd_and_hms(2025, 3, 1, 0, 0, 0).unwrap(),
        };
        let _ = expand(&calendar, &window, None);
    }
}
