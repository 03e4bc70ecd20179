//! Any bytes through the calendar reader and, when they parse, through recurrence expansion
//! over a year and the weekly metrics: errors are fine, a panic, a hang or unbounded memory
//! is a bug. The limits in `pendulum_calendar::limits` and the expansion step caps are what
//! keep hostile rules bounded here.
#![no_main]

use chrono::NaiveDate;
use libfuzzer_sys::fuzz_target;
use pendulum_calendar::{Window, WorkingHours, expand, parse_calendar, weekly_metrics};

fuzz_target!(|data: &[u8]| {
    let Ok(calendar) = parse_calendar(data) else {
        return;
    };
    let (from, to) = (
        NaiveDate::from_ymd_opt(2025, 1, 1).expect("a date"),
        NaiveDate::from_ymd_opt(2026, 1, 1).expect("a date"),
    );
    if let Ok(occurrences) = expand(&calendar, &Window::days(from, to), Some("owner@example.com")) {
        let _ = weekly_metrics(&occurrences, &WorkingHours::default(), from, to);
    }
});
