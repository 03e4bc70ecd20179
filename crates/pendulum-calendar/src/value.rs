//! Value types (RFC 5545 section 3.3): DATE, DATE-TIME, DURATION, UTC-OFFSET and TEXT.
//!
//! Each parser takes the raw value text and returns a typed value or a [`ValueError`] that
//! says what is wrong; the caller adds the property name and line. Impossible dates such as
//! 20250230 are errors, not normalised into March.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use chrono_tz::Tz;
use thiserror::Error;

use crate::zone;

/// Why a value could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ValueError {
    #[error("{0:?} is not a DATE (YYYYMMDD)")]
    DateFormat(String),
    #[error("{0:?} is not a calendar date")]
    ImpossibleDate(String),
    #[error("{0:?} is not a DATE-TIME (YYYYMMDDTHHMMSS, optionally ending in Z)")]
    DateTimeFormat(String),
    #[error("{0:?} is not a time of day")]
    ImpossibleTime(String),
    #[error("{0:?} is not a DURATION (e.g. PT1H30M, P1D, P2W)")]
    DurationFormat(String),
    #[error("{0:?} is not a UTC-OFFSET (e.g. +0100, -053000)")]
    UtcOffsetFormat(String),
}

/// Where a DATE-TIME's wall time lives (RFC 5545 section 3.3.5, forms 1 to 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zone {
    /// Ends in `Z`: the wall time is UTC.
    Utc,
    /// No `Z` and no TZID: the same wall time wherever the reader is.
    Floating,
    /// A TZID, resolved to a zone when the calendar was read.
    Tz(Tz),
}

/// A DATE-TIME: a wall time and where it lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateTimeValue {
    pub local: NaiveDateTime,
    pub zone: Zone,
}

impl DateTimeValue {
    /// The instant this value names; floating times are read in `floating`.
    ///
    /// Wall times that a DST change skips or repeats follow [`zone::to_instant`].
    pub fn to_utc(&self, floating: Tz) -> DateTime<Utc> {
        match self.zone {
            Zone::Utc => self.local.and_utc(),
            Zone::Floating => zone::to_instant(self.local, floating),
            Zone::Tz(tz) => zone::to_instant(self.local, tz),
        }
    }
}

/// A DATE or DATE-TIME property value (DTSTART, DTEND, RDATE, EXDATE, RECURRENCE-ID).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeValue {
    Date(NaiveDate),
    DateTime(DateTimeValue),
}

/// Parses a DATE: `YYYYMMDD`.
pub fn parse_date(text: &str) -> Result<NaiveDate, ValueError> {
    let bytes = text.as_bytes();
    if bytes.len() != 8 || !bytes.iter().all(u8::is_ascii_digit) {
        return Err(ValueError::DateFormat(text.to_owned()));
    }
    let year = digits(&bytes[0..4]) as i32;
    let month = digits(&bytes[4..6]);
    let day = digits(&bytes[6..8]);
    NaiveDate::from_ymd_opt(year, month, day)
        .ok_or_else(|| ValueError::ImpossibleDate(format!("{year:04}-{month:02}-{day:02}")))
}

/// Parses a DATE-TIME: `YYYYMMDDTHHMMSS` with an optional trailing `Z`; returns the wall
/// time and whether it is UTC. A leap second (`60`) reads as `59`, since chrono has no
/// leap seconds in wall times and calendars never rely on them.
pub fn parse_date_time(text: &str) -> Result<(NaiveDateTime, bool), ValueError> {
    let (body, utc) = match text.strip_suffix(['Z', 'z']) {
        Some(body) => (body, true),
        None => (text, false),
    };
    let bytes = body.as_bytes();
    let shape = bytes.len() == 15
        && matches!(bytes[8], b'T' | b't')
        && bytes[..8].iter().chain(&bytes[9..]).all(u8::is_ascii_digit);
    if !shape {
        return Err(ValueError::DateTimeFormat(text.to_owned()));
    }
    let date = parse_date(&body[..8])?;
    let (hour, minute) = (digits(&bytes[9..11]), digits(&bytes[11..13]));
    let second = match digits(&bytes[13..15]) {
        60 => 59,
        second => second,
    };
    let time = NaiveTime::from_hms_opt(hour, minute, second)
        .ok_or_else(|| ValueError::ImpossibleTime(text.to_owned()))?;
    Ok((date.and_time(time), utc))
}

fn digits(bytes: &[u8]) -> u32 {
    bytes
        .iter()
        .fold(0, |acc, b| acc * 10 + u32::from(b - b'0'))
}

/// A DURATION (RFC 5545 section 3.3.6): nominal days (weeks are seven of them) and exact
/// seconds, kept apart because a day across a DST change is not 86,400 seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Duration {
    /// Nominal days, negative for a negative duration.
    pub days: i64,
    /// Exact seconds, negative for a negative duration.
    pub seconds: i64,
}

/// The largest number in one DURATION field; a hundred years of seconds is far beyond any
/// event and keeps the arithmetic clear of overflow.
const MAX_DURATION_FIELD: i64 = 100 * 366 * 86_400;

impl Duration {
    /// Parses `[+|-]P` followed by weeks, or days and/or a time part (`T` with hours,
    /// minutes, seconds). Weeks combined with other fields are accepted, as some producers
    /// write `P1W2D`.
    pub fn parse(text: &str) -> Result<Self, ValueError> {
        let bad = || ValueError::DurationFormat(text.to_owned());
        let (sign, rest) = match text.as_bytes().first() {
            Some(b'-') => (-1, &text[1..]),
            Some(b'+') => (1, &text[1..]),
            _ => (1, text),
        };
        let rest = rest.strip_prefix(['P', 'p']).ok_or_else(bad)?;
        let (mut days, mut seconds) = (0i64, 0i64);
        let mut in_time = false;
        let mut number: Option<i64> = None;
        let mut fields = 0;
        for c in rest.chars() {
            match c.to_ascii_uppercase() {
                '0'..='9' => {
                    let digit = i64::from(c as u8 - b'0');
                    let value = number.unwrap_or(0) * 10 + digit;
                    if value > MAX_DURATION_FIELD {
                        return Err(bad());
                    }
                    number = Some(value);
                }
                'T' if !in_time && number.is_none() => in_time = true,
                unit => {
                    let n = number.take().ok_or_else(bad)?;
                    match (in_time, unit) {
                        (false, 'W') => days += 7 * n,
                        (false, 'D') => days += n,
                        (true, 'H') => seconds += 3600 * n,
                        (true, 'M') => seconds += 60 * n,
                        (true, 'S') => seconds += n,
                        _ => return Err(bad()),
                    }
                    fields += 1;
                }
            }
        }
        if number.is_some() || fields == 0 {
            return Err(bad());
        }
        Ok(Self {
            days: sign * days,
            seconds: sign * seconds,
        })
    }
}

/// Parses a UTC-OFFSET: `+HHMM` or `-HHMM`, optionally with seconds.
pub fn parse_utc_offset(text: &str) -> Result<FixedOffset, ValueError> {
    let bad = || ValueError::UtcOffsetFormat(text.to_owned());
    let bytes = text.as_bytes();
    let sign = match bytes.first() {
        Some(b'+') => 1,
        Some(b'-') => -1,
        _ => return Err(bad()),
    };
    let body = &bytes[1..];
    if !matches!(body.len(), 4 | 6) || !body.iter().all(u8::is_ascii_digit) {
        return Err(bad());
    }
    let (hours, minutes) = (digits(&body[0..2]), digits(&body[2..4]));
    let seconds = if body.len() == 6 {
        digits(&body[4..6])
    } else {
        0
    };
    if hours > 23 || minutes > 59 || seconds > 59 {
        return Err(bad());
    }
    let total = (hours * 3600 + minutes * 60 + seconds) as i32;
    FixedOffset::east_opt(sign * total).ok_or_else(bad)
}

/// Undoes TEXT escapes (RFC 5545 section 3.3.11): `\n` or `\N` is a newline, `\,` `\;` and
/// `\\` are the character itself. An unknown escape is kept as written, backslash included,
/// since producers emit stray backslashes and losing text would be worse.
pub fn unescape_text(text: &str) -> String {
    if !text.contains('\\') {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n' | 'N') => out.push('\n'),
            Some(e @ (',' | ';' | '\\')) => out.push(e),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn reads_dates_and_rejects_impossible_ones() {
        assert_eq!(parse_date("20240229"), Ok(date(2024, 2, 29)));
        assert_eq!(
            parse_date("20250230"),
            Err(ValueError::ImpossibleDate("2025-02-30".into()))
        );
        assert_eq!(
            parse_date("2025-01-01"),
            Err(ValueError::DateFormat("2025-01-01".into()))
        );
        assert_eq!(
            parse_date("2025010１"),
            Err(ValueError::DateFormat("2025010１".into()))
        );
    }

    #[test]
    fn reads_date_times_in_utc_and_local_forms() {
        let wall = date(2025, 3, 9).and_hms_opt(2, 30, 0).unwrap();
        assert_eq!(parse_date_time("20250309T023000Z"), Ok((wall, true)));
        assert_eq!(parse_date_time("20250309T023000"), Ok((wall, false)));
        assert_eq!(
            parse_date_time("20251231T235960Z").unwrap().0,
            date(2025, 12, 31).and_hms_opt(23, 59, 59).unwrap()
        );
        assert!(matches!(
            parse_date_time("20250309T250000"),
            Err(ValueError::ImpossibleTime(_))
        ));
        assert!(matches!(
            parse_date_time("20250230T100000"),
            Err(ValueError::ImpossibleDate(_))
        ));
        assert!(matches!(
            parse_date_time("20250309"),
            Err(ValueError::DateTimeFormat(_))
        ));
    }

    #[test]
    fn reads_durations() {
        let cases = [
            ("PT1H30M", 0, 5400),
            ("P1D", 1, 0),
            ("P2W", 14, 0),
            ("-PT15M", 0, -900),
            ("+P1DT2H3M4S", 1, 7384),
            ("P1W2D", 9, 0),
            ("PT0S", 0, 0),
        ];
        for (text, days, seconds) in cases {
            assert_eq!(
                Duration::parse(text),
                Ok(Duration { days, seconds }),
                "{text}"
            );
        }
        for bad in [
            "",
            "P",
            "PT",
            "1H",
            "PT1D",
            "P1H",
            "PT1H2",
            "P99999999999999D",
            "PTT1H",
        ] {
            assert!(Duration::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn reads_utc_offsets() {
        assert_eq!(parse_utc_offset("+0530").unwrap().local_minus_utc(), 19_800);
        assert_eq!(
            parse_utc_offset("-0800").unwrap().local_minus_utc(),
            -28_800
        );
        assert_eq!(
            parse_utc_offset("-003015").unwrap().local_minus_utc(),
            -1815
        );
        for bad in ["0100", "+1", "+2400", "+0160", "+01:00"] {
            assert!(parse_utc_offset(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn unescapes_text() {
        assert_eq!(
            unescape_text(r"a\nb\Nc\, d\; e\\f\x\"),
            "a\nb\nc, d; e\\f\\x\\"
        );
        assert_eq!(unescape_text("plain"), "plain");
    }
}
