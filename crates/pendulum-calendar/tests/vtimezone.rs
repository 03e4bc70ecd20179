//! TZIDs that no name resolves, read from their VTIMEZONE definitions: Outlook-style display
//! names and customised zones, matched to the IANA zone with the same offsets, and hostile
//! definitions that must stay bounded.

use std::time::Instant;

use chrono::{NaiveDate, TimeZone, Utc};
use pendulum_calendar::definition::DefinitionError;
use pendulum_calendar::{
    Calendar, ErrorKind, ParseError, TimeValue, Window, Zone, expand, parse_calendar,
};

/// A STANDARD or DAYLIGHT observance: the wall time of its changes, its offsets, and its
/// yearly rule's BY parts.
type Observance<'a> = (&'a str, &'a str, &'a str, &'a str);

/// A VTIMEZONE with a STANDARD and a DAYLIGHT observance, as Outlook writes them: both from
/// 1601, each with a yearly rule.
fn outlook_zone(tzid: &str, standard: Observance<'_>, daylight: Observance<'_>) -> String {
    let observance = |kind: &str, (time, from, to, rule): Observance<'_>| {
        format!(
            "BEGIN:{kind}\r\nDTSTART:16010101T{time}\r\nTZOFFSETFROM:{from}\r\nTZOFFSETTO:{to}\r\n\
             RRULE:FREQ=YEARLY;INTERVAL=1;{rule}\r\nEND:{kind}\r\n"
        )
    };
    format!(
        "BEGIN:VTIMEZONE\r\nTZID:{tzid}\r\n{}{}END:VTIMEZONE\r\n",
        observance("STANDARD", standard),
        observance("DAYLIGHT", daylight)
    )
}

/// A VTIMEZONE with one STANDARD observance and no DST.
fn fixed_zone(tzid: &str, offset: &str) -> String {
    format!(
        "BEGIN:VTIMEZONE\r\nTZID:{tzid}\r\nBEGIN:STANDARD\r\nDTSTART:16010101T000000\r\n\
         TZOFFSETFROM:{offset}\r\nTZOFFSETTO:{offset}\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
    )
}

/// A weekly 09:00-10:00 series in `tzid` from `start` (YYYYMMDD), `count` times.
fn weekly(uid: &str, tzid: &str, start: &str, count: u32) -> String {
    format!(
        "BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTART;TZID=\"{tzid}\":{start}T090000\r\n\
         DTEND;TZID=\"{tzid}\":{start}T100000\r\nRRULE:FREQ=WEEKLY;COUNT={count}\r\nEND:VEVENT\r\n"
    )
}

fn parse(body: &str) -> Result<Calendar, ParseError> {
    let text = format!("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:test\r\n{body}END:VCALENDAR\r\n");
    parse_calendar(text.as_bytes())
}

/// The zone name of the first event's DTSTART.
fn zone_name(calendar: &Calendar) -> &'static str {
    match calendar.events[0].dtstart {
        TimeValue::DateTime(value) => match value.zone {
            Zone::Tz(tz) => tz.name(),
            other => panic!("expected a named zone, got {other:?}"),
        },
        TimeValue::Date(_) => panic!("expected a DATE-TIME"),
    }
}

/// Every occurrence's UTC start, per event in file order.
fn starts(calendar: &Calendar) -> Vec<String> {
    let year = |y| Utc.from_utc_datetime(&NaiveDate::from_ymd_opt(y, 1, 1).unwrap().into());
    let window = Window::Instants {
        from: year(2025),
        to: year(2026),
    };
    expand(calendar, &window, None)
        .expect("the calendar expands")
        .iter()
        .map(|o| format!("{} {}", o.uid, o.start.format("%Y-%m-%dT%H:%MZ")))
        .collect()
}

const EUROPE: &str = "(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna";

#[test]
fn an_outlook_display_name_with_european_rules_reads_as_a_european_zone() {
    let zone = outlook_zone(
        EUROPE,
        ("030000", "+0200", "+0100", "BYDAY=-1SU;BYMONTH=10"),
        ("020000", "+0100", "+0200", "BYDAY=-1SU;BYMONTH=3"),
    );
    let calendar = parse(&format!(
        "{zone}{}{}",
        weekly("spring", EUROPE, "20250324", 2),
        weekly("autumn", EUROPE, "20251020", 2)
    ))
    .expect("the calendar parses");
    // Amsterdam is the first city the TZID names, and its offsets agree.
    assert_eq!(zone_name(&calendar), "Europe/Amsterdam");
    assert_eq!(
        starts(&calendar),
        [
            "spring 2025-03-24T08:00Z",
            "spring 2025-03-31T07:00Z",
            "autumn 2025-10-20T07:00Z",
            "autumn 2025-10-27T08:00Z",
        ]
    );
}

#[test]
fn a_customized_zone_without_a_city_takes_the_windows_mapping() {
    let tzid = "Customized Time Zone";
    let zone = outlook_zone(
        tzid,
        ("030000", "+0200", "+0100", "BYDAY=-1SU;BYMONTH=10"),
        ("020000", "+0100", "+0200", "BYDAY=-1SU;BYMONTH=3"),
    );
    let calendar = parse(&format!("{zone}{}", weekly("a", tzid, "20250324", 1))).unwrap();
    // "W. Europe Standard Time" is the first Windows zone with these offsets.
    assert_eq!(zone_name(&calendar), "Europe/Berlin");
}

#[test]
fn a_us_definition_reads_as_new_york() {
    let tzid = "(UTC-05:00) Eastern Time (US & Canada)";
    let zone = outlook_zone(
        tzid,
        ("020000", "-0400", "-0500", "BYDAY=1SU;BYMONTH=11"),
        ("020000", "-0500", "-0400", "BYDAY=2SU;BYMONTH=3"),
    );
    let calendar = parse(&format!(
        "{zone}{}{}",
        weekly("spring", tzid, "20250303", 2),
        weekly("autumn", tzid, "20251027", 2)
    ))
    .unwrap();
    // "Eastern" names only legacy links (US/Eastern, Canada/Eastern), which do not count as
    // cities; the Windows mapping decides.
    assert_eq!(zone_name(&calendar), "America/New_York");
    assert_eq!(
        starts(&calendar),
        [
            "spring 2025-03-03T14:00Z",
            "spring 2025-03-10T13:00Z",
            "autumn 2025-10-27T13:00Z",
            "autumn 2025-11-03T14:00Z",
        ]
    );
}

#[test]
fn a_southern_hemisphere_definition_reads_as_sydney_time() {
    let tzid = "(UTC+10:00) Canberra, Melbourne, Sydney";
    let zone = outlook_zone(
        tzid,
        ("030000", "+1100", "+1000", "BYDAY=1SU;BYMONTH=4"),
        ("020000", "+1000", "+1100", "BYDAY=1SU;BYMONTH=10"),
    );
    let calendar = parse(&format!(
        "{zone}{}{}",
        weekly("april", tzid, "20250331", 2),
        weekly("october", tzid, "20250929", 2)
    ))
    .unwrap();
    assert_eq!(zone_name(&calendar), "Australia/Canberra");
    assert_eq!(
        starts(&calendar),
        [
            "april 2025-03-30T22:00Z",
            "april 2025-04-06T23:00Z",
            "october 2025-09-28T23:00Z",
            "october 2025-10-05T22:00Z",
        ]
    );
}

#[test]
fn fixed_offsets_read_as_a_zone_with_that_offset_all_year() {
    let cases = [
        (
            "(UTC+05:30) Chennai, Kolkata, Mumbai, New Delhi",
            "+0530",
            "Asia/Kolkata",
        ),
        ("Customized Time Zone", "+0530", "Asia/Kolkata"),
        ("Customized Time Zone", "+0300", "Etc/GMT-3"),
        ("Customized Time Zone", "-0800", "Etc/GMT+8"),
        ("Customized Time Zone", "+0000", "Etc/UTC"),
    ];
    for (tzid, offset, expected) in cases {
        let body = format!(
            "{}{}",
            fixed_zone(tzid, offset),
            weekly("a", tzid, "20250106", 1)
        );
        let calendar = parse(&body).unwrap();
        assert_eq!(zone_name(&calendar), expected, "{tzid} {offset}");
    }
    let tzid = "India";
    let body = format!(
        "{}{}{}",
        fixed_zone(tzid, "+0530"),
        weekly("winter", tzid, "20250106", 1),
        weekly("summer", tzid, "20250707", 1)
    );
    assert_eq!(
        starts(&parse(&body).unwrap()),
        ["winter 2025-01-06T03:30Z", "summer 2025-07-07T03:30Z"]
    );
}

#[test]
fn rdate_onsets_count_like_rule_onsets() {
    let tzid = "Berlin by dates";
    let zone = format!(
        "BEGIN:VTIMEZONE\r\nTZID:{tzid}\r\n\
         BEGIN:DAYLIGHT\r\nDTSTART:20240331T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\n\
         RDATE:20250330T020000,20260329T020000\r\nRDATE:20270328T020000\r\nEND:DAYLIGHT\r\n\
         BEGIN:STANDARD\r\nDTSTART:20231029T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\n\
         RDATE:20241027T030000,20251026T030000\r\nRDATE:20261025T030000,20271031T030000\r\n\
         END:STANDARD\r\nEND:VTIMEZONE\r\n"
    );
    let calendar = parse(&format!("{zone}{}", weekly("a", tzid, "20251020", 2))).unwrap();
    assert_eq!(zone_name(&calendar), "Europe/Berlin");
    assert_eq!(
        starts(&calendar),
        ["a 2025-10-20T07:00Z", "a 2025-10-27T08:00Z"]
    );
}

#[test]
fn a_definition_of_todays_rules_matches_although_old_events_predate_them() {
    // US rules since 2007, as Outlook writes them from 1601; the calendar also holds a
    // meeting from 2005, when New York changed on other Sundays.
    let tzid = "(UTC-05:00) Eastern Time (US & Canada)";
    let zone = outlook_zone(
        tzid,
        ("020000", "-0400", "-0500", "BYDAY=1SU;BYMONTH=11"),
        ("020000", "-0500", "-0400", "BYDAY=2SU;BYMONTH=3"),
    );
    let calendar = parse(&format!(
        "{zone}{}{}",
        weekly("old", tzid, "20050110", 1),
        weekly("spring", tzid, "20250303", 2)
    ))
    .unwrap();
    assert_eq!(zone_name(&calendar), "America/New_York");
    assert_eq!(
        starts(&calendar),
        ["spring 2025-03-03T14:00Z", "spring 2025-03-10T13:00Z"]
    );
}

fn unusable(body: &str) -> (usize, usize, DefinitionError) {
    match parse(body) {
        Err(ParseError {
            line,
            kind:
                ErrorKind::UnusableTimeZone {
                    definition_line,
                    error,
                    ..
                },
        }) => (line, definition_line, error),
        other => panic!("expected an unusable zone, got {other:?}"),
    }
}

#[test]
fn a_definition_no_iana_zone_agrees_with_is_an_error_naming_tzid_and_lines() {
    let tzid = "Mars Base Time";
    // DST from the first Sunday of February to the first Sunday of June: nobody's rules.
    let zone = outlook_zone(
        tzid,
        ("030000", "+0200", "+0100", "BYDAY=1SU;BYMONTH=6"),
        ("020000", "+0100", "+0200", "BYDAY=1SU;BYMONTH=2"),
    );
    let body = format!("{zone}{}", weekly("a", tzid, "20250106", 1));
    let (line, definition_line, error) = unusable(&body);
    // The VTIMEZONE opens on line 4; the event's DTSTART is on line 21.
    assert_eq!((line, definition_line), (21, 4));
    assert_eq!(
        error,
        DefinitionError::NoMatch {
            first: 2025,
            last: 2027
        }
    );
    let message = parse(&body).unwrap_err().to_string();
    assert_eq!(
        message,
        "line 21: time zone \"Mars Base Time\", defined by the VTIMEZONE on line 4: no IANA \
         zone has its offsets in 2025-2027; name one in TZID or X-LIC-LOCATION"
    );

    // An offset of 5 h 17 min exists nowhere.
    let body = format!(
        "{}{}",
        fixed_zone(tzid, "+0517"),
        weekly("a", tzid, "20250106", 1)
    );
    assert!(matches!(unusable(&body).2, DefinitionError::NoMatch { .. }));
}

#[test]
fn hostile_definitions_stay_bounded() {
    let started = Instant::now();
    let tzid = "Hostile";
    let event = weekly("a", tzid, "20250106", 1);

    // A change every hour of 2025 is more than any zone makes.
    let hours: Vec<String> = (0..20_000)
        .map(|h| {
            let at = NaiveDate::from_ymd_opt(2025, 1, 1)
                .unwrap()
                .and_hms_opt(0, 0, 0)
                .unwrap()
                + chrono::Duration::hours(h);
            at.format("%Y%m%dT%H%M%S").to_string()
        })
        .collect();
    let zone = format!(
        "BEGIN:VTIMEZONE\r\nTZID:{tzid}\r\nBEGIN:STANDARD\r\nDTSTART:20250101T000000\r\n\
         TZOFFSETFROM:+0100\r\nTZOFFSETTO:+0100\r\nRDATE:{}\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n",
        hours.join(",")
    );
    assert!(matches!(
        unusable(&format!("{zone}{event}")).2,
        DefinitionError::TooManyOnsets { .. }
    ));

    // A hundred thousand onsets far before the calendar's years cost a comparison each.
    let old: Vec<String> = (0..100_000)
        .map(|m| {
            let at = NaiveDate::from_ymd_opt(1800, 1, 1)
                .unwrap()
                .and_hms_opt(0, 0, 0)
                .unwrap()
                + chrono::Duration::minutes(m);
            at.format("%Y%m%dT%H%M%S").to_string()
        })
        .collect();
    let zone = format!(
        "BEGIN:VTIMEZONE\r\nTZID:{tzid}\r\nBEGIN:STANDARD\r\nDTSTART:16010101T000000\r\n\
         TZOFFSETFROM:+0100\r\nTZOFFSETTO:+0100\r\nRDATE:{}\r\nRDATE:{}\r\nEND:STANDARD\r\n\
         END:VTIMEZONE\r\n",
        old[..50_000].join(","),
        old[50_000..].join(",")
    );
    let calendar = parse(&format!("{zone}{event}")).expect("the calendar parses");
    assert_eq!(zone_name(&calendar), "Etc/GMT-1");

    // Rules that change every second, with and without a COUNT that starts them in 1601.
    for rule in [
        "FREQ=SECONDLY",
        "FREQ=SECONDLY;COUNT=4000000000",
        "FREQ=MINUTELY;BYSECOND=0,1,2",
    ] {
        let zone = format!(
            "BEGIN:VTIMEZONE\r\nTZID:{tzid}\r\nBEGIN:DAYLIGHT\r\nDTSTART:16010101T000000\r\n\
             TZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nRRULE:{rule}\r\nEND:DAYLIGHT\r\n\
             END:VTIMEZONE\r\n"
        );
        let error = unusable(&format!("{zone}{event}")).2;
        assert!(
            matches!(
                error,
                DefinitionError::TooCostly { .. } | DefinitionError::TooManyOnsets { .. }
            ),
            "{rule}: {error:?}"
        );
    }

    let zone = outlook_zone(
        tzid,
        ("030000", "+0200", "+0100", "BYDAY=-1SU;BYMONTH=10"),
        ("020000", "+0100", "+0200", "BYDAY=-1SU;BYMONTH=13"),
    );
    // The DAYLIGHT observance opens on line 12.
    assert!(matches!(
        unusable(&format!("{zone}{event}")).2,
        DefinitionError::BadRule { line: 12, .. }
    ));
    assert!(
        started.elapsed().as_secs() < 10,
        "took {:?}",
        started.elapsed()
    );
}

#[test]
fn a_name_or_x_lic_location_still_wins_over_the_definition() {
    // The definition says +0300, but the TZID is an IANA name: the name is used.
    let tzid = "Europe/Berlin";
    let body = format!(
        "{}{}",
        fixed_zone(tzid, "+0300"),
        weekly("a", tzid, "20250106", 1)
    );
    assert_eq!(zone_name(&parse(&body).unwrap()), "Europe/Berlin");
}

#[test]
fn a_tzid_with_escaped_commas_matches_its_quoted_parameter() {
    let zone = outlook_zone(
        &EUROPE.replace(',', "\\,"),
        ("030000", "+0200", "+0100", "BYDAY=-1SU;BYMONTH=10"),
        ("020000", "+0100", "+0200", "BYDAY=-1SU;BYMONTH=3"),
    );
    let calendar = parse(&format!("{zone}{}", weekly("a", EUROPE, "20250324", 1))).unwrap();
    assert_eq!(zone_name(&calendar), "Europe/Amsterdam");
}

#[test]
fn a_calendar_matches_a_bounded_number_of_definitions() {
    let limit = pendulum_calendar::definition::MAX_MATCHED_DEFINITIONS;
    let body: String = (0..=limit)
        .map(|n| {
            let tzid = format!("Zone {n}");
            fixed_zone(&tzid, "+0100") + &weekly("a", &tzid, "20250106", 1)
        })
        .collect();
    assert_eq!(
        unusable(&body).2,
        DefinitionError::TooManyDefinitions { limit }
    );
    // The same zone used again and again is matched once.
    let tzid = "Zone";
    let events: String = (0..=limit)
        .map(|_| weekly("a", tzid, "20250106", 1))
        .collect();
    let calendar = parse(&format!("{}{events}", fixed_zone(tzid, "+0100"))).unwrap();
    assert_eq!(zone_name(&calendar), "Etc/GMT-1");
}

/// An Exchange export as written, display-name TZID and all: a weekly meeting across both
/// European DST changes of 2025, read by the wall-clock days of the year.
const EXCHANGE_EXPORT: &str = "BEGIN:VCALENDAR\r
METHOD:PUBLISH\r
PRODID:Microsoft Exchange Server 2010\r
VERSION:2.0\r
X-WR-CALNAME:Calendar\r
BEGIN:VTIMEZONE\r
TZID:(UTC+01:00) Amsterdam\\, Berlin\\, Bern\\, Rome\\, Stockholm\\, Vienna\r
BEGIN:STANDARD\r
DTSTART:16010101T030000\r
TZOFFSETFROM:+0200\r
TZOFFSETTO:+0100\r
RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10\r
END:STANDARD\r
BEGIN:DAYLIGHT\r
DTSTART:16010101T020000\r
TZOFFSETFROM:+0100\r
TZOFFSETTO:+0200\r
RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3\r
END:DAYLIGHT\r
END:VTIMEZONE\r
BEGIN:VEVENT\r
DESCRIPTION:\\n\r
RRULE:FREQ=WEEKLY;UNTIL=20251103T235959Z;INTERVAL=16;BYDAY=MO;WKST=MO\r
UID:040000008200E00074C5B7101A82E00800000000A0B1C2D3E4F5\r
SUMMARY:Planning\r
DTSTART;TZID=\"(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna\":20\r
 250324T091500\r
DTEND;TZID=\"(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna\":2025\r
 0324T100000\r
CLASS:PUBLIC\r
PRIORITY:5\r
TRANSP:OPAQUE\r
STATUS:CONFIRMED\r
SEQUENCE:0\r
LOCATION:Room 4\r
X-MICROSOFT-CDO-BUSYSTATUS:BUSY\r
END:VEVENT\r
END:VCALENDAR\r
";

#[test]
fn an_exchange_export_with_a_display_name_zone_expands_across_both_changes() {
    let calendar = parse_calendar(EXCHANGE_EXPORT.as_bytes()).expect("the export parses");
    assert_eq!(zone_name(&calendar), "Europe/Amsterdam");
    let year = Window::days(
        NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
        NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
    );
    let occurrences = expand(&calendar, &year, None).unwrap();
    let times: Vec<String> = occurrences
        .iter()
        .map(|o| {
            format!(
                "{}/{}",
                o.start.format("%m-%dT%H:%M"),
                o.end.format("%H:%M")
            )
        })
        .collect();
    // Every 16 weeks from 24 March at 09:15 wall time: CET (UTC+1), then CEST (UTC+2) in
    // July, then CET again after the change on 26 October.
    assert_eq!(
        times,
        [
            "03-24T08:15/09:00",
            "07-14T07:15/08:00",
            "11-03T08:15/09:00"
        ]
    );
    assert!(occurrences.iter().all(|o| o.is_meeting()));
}
