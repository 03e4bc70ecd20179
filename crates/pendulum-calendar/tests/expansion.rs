//! Expansion beyond the RFC's rule examples: EXDATE, RDATE, overrides, DST, all-day and
//! floating events, meeting facts, and hostile rules that must stay bounded.

use chrono::{NaiveDate, TimeZone, Utc};
use pendulum_calendar::{
    ErrorKind, Occurrence, ParseError, Status, Window, expand, limits, parse_calendar,
};

fn calendar_text(body: &str) -> String {
    format!("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n{body}END:VCALENDAR\r\n")
}

fn instants(from: &str, to: &str) -> Window {
    let day = |text: &str| {
        let d = NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a date");
        Utc.from_utc_datetime(&d.and_hms_opt(0, 0, 0).expect("midnight"))
    };
    Window::Instants {
        from: day(from),
        to: day(to),
    }
}

/// Each occurrence as `uid start/end` in UTC, with ` cancelled` or ` all-day` when so.
fn describe(occurrences: &[Occurrence<'_>]) -> Vec<String> {
    occurrences
        .iter()
        .map(|o| {
            let mut text = format!(
                "{} {}/{}",
                o.uid,
                o.start.format("%Y-%m-%dT%H:%M"),
                o.end.format("%Y-%m-%dT%H:%M")
            );
            if o.status == Some(Status::Cancelled) {
                text.push_str(" cancelled");
            }
            if o.all_day {
                text.push_str(" all-day");
            }
            text
        })
        .collect()
}

fn check(body: &str, window: Window, expected: &[&str]) {
    let text = calendar_text(body);
    let calendar = parse_calendar(text.as_bytes()).expect("the calendar parses");
    let occurrences = expand(&calendar, &window, None).expect("the calendar expands");
    assert_eq!(describe(&occurrences), expected, "{body}");
}

fn expand_error(body: &str, window: Window) -> ParseError {
    let text = calendar_text(body);
    let calendar = parse_calendar(text.as_bytes()).expect("the calendar parses");
    expand(&calendar, &window, None).expect_err("the expansion fails")
}

#[test]
fn exdate_removes_instances_named_in_any_form() {
    check(
        "BEGIN:VEVENT\r\nUID:w\r\nDTSTART;TZID=Europe/Berlin:20250106T100000\r\n\
         DURATION:PT30M\r\nRRULE:FREQ=WEEKLY;COUNT=5\r\n\
         EXDATE;TZID=Europe/Berlin:20250113T100000\r\nEXDATE:20250120T090000Z\r\n\
         EXDATE;VALUE=DATE:20250127\r\nEND:VEVENT\r\n",
        instants("2025-01-01", "2026-01-01"),
        &[
            "w 2025-01-06T09:00/2025-01-06T09:30",
            "w 2025-02-03T09:00/2025-02-03T09:30",
        ],
    );
}

#[test]
fn rdate_adds_instances_and_periods_bring_their_own_length() {
    check(
        "BEGIN:VEVENT\r\nUID:r\r\nDTSTART:20250106T090000Z\r\nDTEND:20250106T100000Z\r\n\
         RRULE:FREQ=WEEKLY;COUNT=2\r\nRDATE:20250108T150000Z,20250113T090000Z\r\n\
         RDATE;VALUE=PERIOD:20250110T120000Z/PT3H\r\nEND:VEVENT\r\n",
        instants("2025-01-01", "2026-01-01"),
        &[
            "r 2025-01-06T09:00/2025-01-06T10:00",
            "r 2025-01-08T15:00/2025-01-08T16:00",
            "r 2025-01-10T12:00/2025-01-10T15:00",
            "r 2025-01-13T09:00/2025-01-13T10:00",
        ],
    );
}

#[test]
fn overrides_move_retime_and_cancel_instances_in_any_file_order() {
    // The overrides come before and after the series they change.
    check(
        "BEGIN:VEVENT\r\nUID:s\r\nRECURRENCE-ID;TZID=America/New_York:20250107T090000\r\n\
         DTSTART;TZID=America/New_York:20250107T140000\r\n\
         DTEND;TZID=America/New_York:20250107T150000\r\nEND:VEVENT\r\n\
         BEGIN:VEVENT\r\nUID:s\r\nDTSTART;TZID=America/New_York:20250106T090000\r\n\
         DTEND;TZID=America/New_York:20250106T100000\r\nRRULE:FREQ=DAILY;COUNT=4\r\n\
         END:VEVENT\r\n\
         BEGIN:VEVENT\r\nUID:s\r\nRECURRENCE-ID;TZID=America/New_York:20250108T090000\r\n\
         DTSTART;TZID=America/New_York:20250108T090000\r\n\
         DTEND;TZID=America/New_York:20250108T110000\r\nEND:VEVENT\r\n\
         BEGIN:VEVENT\r\nUID:s\r\nRECURRENCE-ID:20250109T140000Z\r\n\
         DTSTART;TZID=America/New_York:20250109T090000\r\n\
         DTEND;TZID=America/New_York:20250109T100000\r\nSTATUS:CANCELLED\r\nEND:VEVENT\r\n",
        instants("2025-01-01", "2026-01-01"),
        &[
            "s 2025-01-07T19:00/2025-01-07T20:00",
            "s 2025-01-06T14:00/2025-01-06T15:00",
            "s 2025-01-08T14:00/2025-01-08T16:00",
            "s 2025-01-09T14:00/2025-01-09T15:00 cancelled",
        ],
    );
}

#[test]
fn an_override_counts_where_it_moved_to() {
    let series = "BEGIN:VEVENT\r\nUID:m\r\nDTSTART:20250106T090000Z\r\nDURATION:PT1H\r\n\
                  RRULE:FREQ=WEEKLY;COUNT=3\r\nEND:VEVENT\r\n\
                  BEGIN:VEVENT\r\nUID:m\r\nRECURRENCE-ID:20250113T090000Z\r\n\
                  DTSTART:20250110T090000Z\r\nDURATION:PT1H\r\nEND:VEVENT\r\n";
    // The instance of the 13th moved to the 10th: a window of the 10th holds it, a window
    // of the 13th holds nothing.
    check(
        series,
        instants("2025-01-10", "2025-01-11"),
        &["m 2025-01-10T09:00/2025-01-10T10:00"],
    );
    check(series, instants("2025-01-13", "2025-01-14"), &[]);
    // An EXDATE on the series removes an override of the same instance too.
    check(
        &series.replace("COUNT=3\r\n", "COUNT=3\r\nEXDATE:20250113T090000Z\r\n"),
        instants("2025-01-01", "2026-01-01"),
        &[
            "m 2025-01-06T09:00/2025-01-06T10:00",
            "m 2025-01-20T09:00/2025-01-20T10:00",
        ],
    );
}

#[test]
fn dtstart_is_the_first_occurrence_even_off_the_rule() {
    // A Wednesday DTSTART with a Monday rule: the Wednesday, then COUNT Mondays.
    check(
        "BEGIN:VEVENT\r\nUID:d\r\nDTSTART:20250101T090000Z\r\n\
         RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=2\r\nEND:VEVENT\r\n",
        instants("2025-01-01", "2026-01-01"),
        &[
            "d 2025-01-01T09:00/2025-01-01T09:00",
            "d 2025-01-06T09:00/2025-01-06T09:00",
            "d 2025-01-13T09:00/2025-01-13T09:00",
        ],
    );
    // Unless it is after UNTIL.
    check(
        "BEGIN:VEVENT\r\nUID:u\r\nDTSTART:20250301T090000Z\r\n\
         RRULE:FREQ=DAILY;UNTIL=20250201T000000Z\r\nEND:VEVENT\r\n",
        instants("2025-01-01", "2026-01-01"),
        &[],
    );
}

#[test]
fn wall_time_holds_across_dst_changes() {
    // Berlin moves to CEST on 30 March 2025: 10:00 local is 09:00 UTC, then 08:00.
    check(
        "BEGIN:VEVENT\r\nUID:b\r\nDTSTART;TZID=Europe/Berlin:20250324T100000\r\n\
         DTEND;TZID=Europe/Berlin:20250324T110000\r\nRRULE:FREQ=WEEKLY;COUNT=2\r\nEND:VEVENT\r\n",
        instants("2025-01-01", "2026-01-01"),
        &[
            "b 2025-03-24T09:00/2025-03-24T10:00",
            "b 2025-03-31T08:00/2025-03-31T09:00",
        ],
    );
    // 02:30 does not exist in Los Angeles on 9 March 2025: it moves forward to 03:30 PDT.
    // 01:30 happens twice in New York on 2 November 2025: the first (EDT) counts.
    check(
        "BEGIN:VEVENT\r\nUID:gap\r\nDTSTART;TZID=America/Los_Angeles:20250308T023000\r\n\
         RRULE:FREQ=DAILY;COUNT=3\r\nEND:VEVENT\r\n\
         BEGIN:VEVENT\r\nUID:overlap\r\nDTSTART;TZID=America/New_York:20251101T013000\r\n\
         DURATION:PT1H\r\nRRULE:FREQ=DAILY;COUNT=3\r\nEND:VEVENT\r\n",
        instants("2025-01-01", "2026-01-01"),
        &[
            "gap 2025-03-08T10:30/2025-03-08T10:30",
            "gap 2025-03-09T10:30/2025-03-09T10:30",
            "gap 2025-03-10T09:30/2025-03-10T09:30",
            "overlap 2025-11-01T05:30/2025-11-01T06:30",
            "overlap 2025-11-02T05:30/2025-11-02T06:30",
            "overlap 2025-11-03T06:30/2025-11-03T07:30",
        ],
    );
}

#[test]
fn all_day_and_floating_events_live_in_the_calendar_zone() {
    let body = "BEGIN:VEVENT\r\nUID:a\r\nDTSTART;VALUE=DATE:20250704\r\n\
                RRULE:FREQ=YEARLY;COUNT=2\r\nEND:VEVENT\r\n\
                BEGIN:VEVENT\r\nUID:trip\r\nDTSTART;VALUE=DATE:20250801\r\n\
                DTEND;VALUE=DATE:20250804\r\nEND:VEVENT\r\n\
                BEGIN:VEVENT\r\nUID:f\r\nDTSTART:20250102T090000\r\nDURATION:PT1H\r\n\
                RRULE:FREQ=DAILY;COUNT=2\r\nEND:VEVENT\r\n";
    let window = instants("2025-01-01", "2026-01-01");
    check(
        body,
        window,
        &[
            "a 2025-07-04T00:00/2025-07-05T00:00 all-day",
            "trip 2025-08-01T00:00/2025-08-04T00:00 all-day",
            "f 2025-01-02T09:00/2025-01-02T10:00",
            "f 2025-01-03T09:00/2025-01-03T10:00",
        ],
    );
    check(
        &format!("X-WR-TIMEZONE:America/Los_Angeles\r\n{body}"),
        window,
        &[
            "a 2025-07-04T07:00/2025-07-05T07:00 all-day",
            "trip 2025-08-01T07:00/2025-08-04T07:00 all-day",
            "f 2025-01-02T17:00/2025-01-02T18:00",
            "f 2025-01-03T17:00/2025-01-03T18:00",
        ],
    );
}

#[test]
fn a_wall_clock_window_is_read_in_each_events_zone() {
    // 16:30 on 31 December in Los Angeles is already 2026 in UTC.
    let body = "BEGIN:VEVENT\r\nUID:late\r\nDTSTART;TZID=America/Los_Angeles:20251231T163000\r\n\
                DURATION:PT30M\r\nEND:VEVENT\r\n";
    check(body, instants("2025-01-01", "2026-01-01"), &[]);
    let year = |y| NaiveDate::from_ymd_opt(y, 1, 1).expect("a date");
    check(
        body,
        Window::days(year(2025), year(2026)),
        &["late 2026-01-01T00:30/2026-01-01T01:00"],
    );
}

#[test]
fn occurrences_carry_the_facts_a_meeting_needs() {
    let text = calendar_text(
        "BEGIN:VEVENT\r\nUID:declined\r\nDTSTART:20250106T090000Z\r\nDURATION:PT1H\r\n\
         ATTENDEE;PARTSTAT=ACCEPTED:mailto:boss@example.com\r\n\
         ATTENDEE;PARTSTAT=DECLINED:MAILTO:Me@Example.com\r\nEND:VEVENT\r\n\
         BEGIN:VEVENT\r\nUID:alone\r\nDTSTART:20250106T110000Z\r\nDURATION:PT1H\r\n\
         ATTENDEE;PARTSTAT=ACCEPTED:mailto:me@example.com\r\nEND:VEVENT\r\n\
         BEGIN:VEVENT\r\nUID:room\r\nDTSTART:20250106T130000Z\r\nDURATION:PT1H\r\n\
         LOCATION:Room 4\r\nEND:VEVENT\r\n\
         BEGIN:VEVENT\r\nUID:meeting\r\nDTSTART:20250106T150000Z\r\nDURATION:PT1H\r\n\
         ATTENDEE:mailto:me@example.com\r\nATTENDEE:mailto:ann@example.com\r\nEND:VEVENT\r\n\
         BEGIN:VEVENT\r\nUID:free\r\nDTSTART:20250106T160000Z\r\nDURATION:PT1H\r\n\
         LOCATION:Room 4\r\nTRANSP:TRANSPARENT\r\nEND:VEVENT\r\n",
    );
    let calendar = parse_calendar(text.as_bytes()).expect("the calendar parses");
    let window = instants("2025-01-01", "2026-01-01");
    let occurrences = expand(&calendar, &window, Some("mailto:me@example.com")).expect("expands");
    let meetings: Vec<_> = occurrences
        .iter()
        .filter(|o| o.is_meeting())
        .map(|o| o.uid)
        .collect();
    assert_eq!(meetings, ["room", "meeting"]);
    assert!(occurrences[0].declined_by_owner);
    assert!(!occurrences[1].with_others);
    // Without an owner, any attendee is someone else and nobody declined.
    let occurrences = expand(&calendar, &window, None).expect("expands");
    let meetings: Vec<_> = occurrences
        .iter()
        .filter(|o| o.is_meeting())
        .map(|o| o.uid)
        .collect();
    assert_eq!(meetings, ["declined", "alone", "room", "meeting"]);
}

#[test]
fn absurd_rules_stop_with_an_error_naming_the_rrule_line() {
    let window = instants("2025-01-01", "2026-01-01");
    // Every second for ten years, with and without COUNT: the budget ends it.
    let sixty: Vec<String> = (0..60).map(|n| n.to_string()).collect();
    let four_hours_a_day_by_the_second = format!(
        "FREQ=DAILY;BYMINUTE={0};BYSECOND={0};BYHOUR=0,6,12,18",
        sixty.join(",")
    );
    for rule in [
        "FREQ=SECONDLY;UNTIL=20301231T235959Z",
        "FREQ=SECONDLY;COUNT=1000000000",
        &four_hours_a_day_by_the_second,
    ] {
        let error = expand_error(
            &format!(
                "BEGIN:VEVENT\r\nUID:x\r\nDTSTART:20200101T000000Z\r\nRRULE:{rule}\r\nEND:VEVENT\r\n"
            ),
            window,
        );
        assert_eq!(
            error,
            ParseError {
                line: 6,
                kind: ErrorKind::ExpansionTooCostly {
                    limit: limits::MAX_RULE_STEPS
                }
            },
            "{rule}"
        );
        assert!(
            error
                .to_string()
                .starts_with("line 6: expanding the recurrence")
        );
    }
    let error = expand_error(
        "BEGIN:VEVENT\r\nUID:x\r\nDTSTART:20200101T000000Z\r\nRRULE:FREQ=DAILY;BYDAY=XX\r\n\
         END:VEVENT\r\n",
        window,
    );
    assert_eq!(error.line, 6);
    assert_eq!(
        error.to_string(),
        "line 6: RRULE: BYDAY=\"XX\" is out of range or not a number"
    );
}

#[test]
fn a_year_of_a_minutely_rule_is_within_bounds() {
    let text = calendar_text(
        "BEGIN:VEVENT\r\nUID:tick\r\nDTSTART:20240101T000000Z\r\nRRULE:FREQ=MINUTELY\r\n\
         END:VEVENT\r\n",
    );
    let calendar = parse_calendar(text.as_bytes()).expect("the calendar parses");
    let occurrences =
        expand(&calendar, &instants("2025-01-01", "2026-01-01"), None).expect("a year expands");
    assert_eq!(occurrences.len(), 365 * 24 * 60);
}

#[test]
fn rules_that_never_match_end_quietly() {
    // February 30th never comes; the walk still ends at the window.
    check(
        "BEGIN:VEVENT\r\nUID:never\r\nDTSTART:20240101T090000Z\r\n\
         RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30\r\nEND:VEVENT\r\n",
        instants("2025-01-01", "2026-01-01"),
        &[],
    );
    // A rule from 1970 skips straight to the window (2025-06-01 12:00 is minute 29,146,320
    // since the start, a multiple of 7).
    check(
        "BEGIN:VEVENT\r\nUID:old\r\nDTSTART:19700101T000000Z\r\nRRULE:FREQ=MINUTELY;INTERVAL=7\r\n\
         END:VEVENT\r\n",
        Window::Instants {
            from: Utc.with_ymd_and_hms(2025, 6, 1, 12, 0, 0).unwrap(),
            to: Utc.with_ymd_and_hms(2025, 6, 1, 12, 15, 0).unwrap(),
        },
        &[
            "old 2025-06-01T12:00/2025-06-01T12:00",
            "old 2025-06-01T12:07/2025-06-01T12:07",
            "old 2025-06-01T12:14/2025-06-01T12:14",
        ],
    );
}

#[test]
fn extreme_dates_and_lengths_stay_in_range() {
    // Lengths that run past the year 9999 end at chrono's last instant instead of
    // overflowing; an event from the year 1 to 9999 overlaps any window.
    let text = calendar_text(
        "BEGIN:VEVENT\r\nUID:far\r\nDTSTART:99991230T000000Z\r\nDURATION:P3000000000D\r\n\
         RRULE:FREQ=DAILY\r\nRDATE:99991231T120000Z\r\nEND:VEVENT\r\n\
         BEGIN:VEVENT\r\nUID:long\r\nDTSTART;TZID=America/New_York:00010101T000000\r\n\
         DTEND:99991231T235959Z\r\nRRULE:FREQ=WEEKLY;BYDAY=MO\r\nEND:VEVENT\r\n\
         BEGIN:VEVENT\r\nUID:weeks\r\nDTSTART;VALUE=DATE:20250101\r\nDURATION:P3160000000W\r\n\
         END:VEVENT\r\n",
    );
    let calendar = parse_calendar(text.as_bytes()).expect("the calendar parses");
    for window in [
        instants("2025-01-01", "2026-01-01"),
        instants("9999-12-01", "9999-12-31"),
        instants("0001-01-01", "0001-02-01"),
    ] {
        if let Ok(occurrences) = expand(&calendar, &window, None) {
            assert!(occurrences.iter().all(|o| o.start <= o.end));
        }
    }
    let occurrences = expand(&calendar, &instants("2025-01-01", "2026-01-01"), None)
        .expect("the year 2025 expands");
    let uids: Vec<_> = occurrences.iter().map(|o| o.uid).collect();
    assert!(
        uids.contains(&"long") && uids.contains(&"weeks"),
        "{uids:?}"
    );
}

#[test]
fn an_organizer_other_than_the_owner_makes_a_meeting() {
    let text = calendar_text(
        "BEGIN:VEVENT\r\nUID:invited\r\nDTSTART:20250106T090000Z\r\nDURATION:PT1H\r\n\
         ORGANIZER:mailto:boss@example.com\r\n\
         ATTENDEE;PARTSTAT=ACCEPTED:mailto:me@example.com\r\nEND:VEVENT\r\n\
         BEGIN:VEVENT\r\nUID:mine\r\nDTSTART:20250106T110000Z\r\nDURATION:PT1H\r\n\
         ORGANIZER:mailto:me@example.com\r\nEND:VEVENT\r\n",
    );
    let calendar = parse_calendar(text.as_bytes()).expect("the calendar parses");
    let window = instants("2025-01-01", "2026-01-01");
    let meetings = |owner| {
        expand(&calendar, &window, owner)
            .expect("expands")
            .iter()
            .filter(|o| o.is_meeting())
            .map(|o| o.uid.to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(meetings(Some("me@example.com")), ["invited"]);
    // Without an owner only attendees count, and the owner's own event has none.
    assert_eq!(meetings(None), ["invited"]);
}
