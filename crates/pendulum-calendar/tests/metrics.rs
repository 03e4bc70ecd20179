//! Weekly metrics from real .ics text, checked against weeks computed by hand.

use chrono::{NaiveDate, NaiveTime};
use chrono_tz::Tz;
use pendulum_calendar::metrics::{WeekMetrics, WorkingHours, weekly_metrics};
use pendulum_calendar::{Window, expand, parse_calendar};

const OWNER: &str = "me@example.com";

/// One VEVENT in UTC with `extra` property lines.
fn event(uid: &str, start: &str, end: &str, extra: &str) -> String {
    format!(
        "BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTART:{start}Z\r\nDTEND:{end}Z\r\n{extra}END:VEVENT\r\n"
    )
}

const WITH_ANN: &str = "ATTENDEE:mailto:me@example.com\r\nATTENDEE:mailto:ann@example.com\r\n";

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a date")
}

fn metrics(
    events: &[String],
    policy: &WorkingHours,
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<WeekMetrics> {
    let text = format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n{}END:VCALENDAR\r\n",
        events.concat()
    );
    let calendar = parse_calendar(text.as_bytes()).expect("the calendar parses");
    let occurrences = expand(
        &calendar,
        &Window::days(from - chrono::Duration::days(7), to),
        Some(OWNER),
    )
    .expect("the calendar expands");
    weekly_metrics(&occurrences, policy, from, to)
}

/// (label, meeting, focus, fragmented, after-hours) in hours.
fn summary(weeks: &[WeekMetrics]) -> Vec<(String, f64, f64, f64, f64)> {
    weeks
        .iter()
        .map(|w| {
            (
                w.label(),
                w.meeting_hours,
                w.focus_hours,
                w.fragmented_hours,
                w.after_hours,
            )
        })
        .collect()
}

#[test]
fn a_hand_computed_week() {
    let events = [
        // Monday: two overlapping meetings count once (09:00-10:30), then 13:00-13:30.
        // Free: 10:30-13:00 and 13:30-17:00, both focus (2.5 h + 3.5 h).
        event("mon-a", "20250106T090000", "20250106T100000", WITH_ANN),
        event("mon-b", "20250106T093000", "20250106T103000", WITH_ANN),
        event("mon-c", "20250106T130000", "20250106T133000", WITH_ANN),
        // Tuesday: 08:00-09:30 (1 h after hours) and 11:00-12:00.
        // Free: 09:30-11:00 fragmented (1.5 h), 12:00-17:00 focus (5 h).
        event("tue-a", "20250107T080000", "20250107T093000", WITH_ANN),
        event("tue-b", "20250107T110000", "20250107T120000", WITH_ANN),
        // Wednesday: nothing that is a meeting; 8 h of focus.
        event(
            "cancelled",
            "20250108T100000",
            "20250108T110000",
            &format!("STATUS:CANCELLED\r\n{WITH_ANN}"),
        ),
        event(
            "declined",
            "20250108T120000",
            "20250108T130000",
            "ATTENDEE;PARTSTAT=DECLINED:mailto:me@example.com\r\nATTENDEE:mailto:ann@example.com\r\n",
        ),
        event(
            "alone",
            "20250108T140000",
            "20250108T150000",
            "ATTENDEE:mailto:me@example.com\r\n",
        ),
        event(
            "transparent",
            "20250108T150000",
            "20250108T160000",
            &format!("TRANSP:TRANSPARENT\r\n{WITH_ANN}"),
        ),
        "BEGIN:VEVENT\r\nUID:holiday\r\nDTSTART;VALUE=DATE:20250108\r\nEND:VEVENT\r\n".to_owned(),
        // Thursday: a room booked 09:00-16:00 is a meeting; 16:00-17:00 is fragmented.
        event(
            "offsite",
            "20250109T090000",
            "20250109T160000",
            "LOCATION:Offsite\r\n",
        ),
        // Friday: free, 8 h of focus. Saturday: 1 h after hours.
        event("sat", "20250111T100000", "20250111T110000", WITH_ANN),
        // Sunday 23:00 to Monday 01:00: one hour in each week, both after hours.
        event("late", "20250112T230000", "20250113T010000", WITH_ANN),
    ];
    let weeks = metrics(
        &events,
        &WorkingHours::default(),
        date(2025, 1, 6),
        date(2025, 1, 14),
    );
    assert_eq!(
        summary(&weeks),
        [
            ("2025-W02".to_owned(), 13.5, 27.0, 2.5, 3.0),
            ("2025-W03".to_owned(), 1.0, 8.0, 0.0, 1.0),
        ]
    );
}

#[test]
fn working_hours_follow_the_policy_zone_and_days() {
    // 09:00-10:00 in New York is 14:00-15:00 UTC; the policy works 10:00-16:00 on
    // Monday only, in New York, with focus from 3 hours.
    let events = [event(
        "call",
        "20250106T140000",
        "20250106T150000",
        WITH_ANN,
    )];
    let policy = WorkingHours {
        zone: Tz::America__New_York,
        day_start: NaiveTime::from_hms_opt(10, 0, 0).expect("a time"),
        day_end: NaiveTime::from_hms_opt(16, 0, 0).expect("a time"),
        working_days: vec![chrono::Weekday::Mon],
        focus_threshold: chrono::Duration::hours(3),
    };
    let weeks = metrics(&events, &policy, date(2025, 1, 6), date(2025, 1, 13));
    assert_eq!(
        summary(&weeks),
        [("2025-W02".to_owned(), 1.0, 6.0, 0.0, 1.0)]
    );
    // A meeting in the middle leaves two 2.5 h blocks: fragmented under a 3 h threshold.
    let events = [event("mid", "20250106T173000", "20250106T183000", WITH_ANN)];
    let weeks = metrics(&events, &policy, date(2025, 1, 6), date(2025, 1, 13));
    assert_eq!(
        summary(&weeks),
        [("2025-W02".to_owned(), 1.0, 0.0, 5.0, 0.0)]
    );
}

#[test]
fn a_dst_night_counts_real_hours() {
    // 01:00 to 04:00 on the night New York springs forward is two hours, all after hours;
    // the working days around it keep their eight hours.
    let text = "BEGIN:VEVENT\r\nUID:night\r\nDTSTART;TZID=America/New_York:20250309T010000\r\n\
                DTEND;TZID=America/New_York:20250309T040000\r\nLOCATION:Ops room\r\nEND:VEVENT\r\n";
    let policy = WorkingHours {
        zone: Tz::America__New_York,
        ..WorkingHours::default()
    };
    let weeks = metrics(
        &[text.to_owned()],
        &policy,
        date(2025, 3, 3),
        date(2025, 3, 17),
    );
    assert_eq!(
        summary(&weeks),
        [
            ("2025-W10".to_owned(), 2.0, 40.0, 0.0, 2.0),
            ("2025-W11".to_owned(), 0.0, 40.0, 0.0, 0.0),
        ]
    );
}
