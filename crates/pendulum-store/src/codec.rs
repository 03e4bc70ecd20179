//! How domain values are written as column text and read back, the same for every backend.
//!
//! Dates are stored as ISO 8601 text so that the schema stays portable and the rows stay
//! readable in any SQL shell. Loading a large ledger reads well over a million dates, so they
//! are formatted and parsed by hand rather than through chrono's general-purpose formats.

use chrono::{Datelike, NaiveDate};

/// `YYYY-MM-DD`; a year outside 0000-9999 falls back to chrono's signed form (`+10000-01-01`),
/// which [`parse_date`] reads too.
pub fn date_text(date: NaiveDate) -> String {
    let year = date.year();
    if !(0..=9999).contains(&year) {
        return date.to_string();
    }
    let mut out = [b'-'; 10];
    write_digits(&mut out[0..4], year.unsigned_abs());
    write_digits(&mut out[5..7], date.month());
    write_digits(&mut out[8..10], date.day());
    out.iter().map(|&b| char::from(b)).collect()
}

/// Reads what [`date_text`] writes; `None` for anything else.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let bytes = text.as_bytes();
    if bytes.len() == 10 && bytes[4] == b'-' && bytes[7] == b'-' {
        let year = read_digits(&bytes[0..4])?;
        let month = read_digits(&bytes[5..7])?;
        let day = read_digits(&bytes[8..10])?;
        return NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day);
    }
    if text.starts_with(['+', '-']) {
        return text.parse().ok();
    }
    None
}

fn write_digits(out: &mut [u8], mut value: u32) {
    for slot in out.iter_mut().rev() {
        *slot = b'0' + (value % 10) as u8;
        value /= 10;
    }
}

fn read_digits(bytes: &[u8]) -> Option<u32> {
    bytes.iter().try_fold(0u32, |acc, &b| {
        b.is_ascii_digit().then(|| acc * 10 + u32::from(b - b'0'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn dates_round_trip_through_text() {
        for date in [
            d(2026, 2, 28),
            d(1999, 12, 31),
            d(2024, 2, 29),
            d(1, 1, 1),
            d(0, 6, 15),
            d(9999, 12, 31),
            d(10_000, 1, 1),
            d(-44, 3, 15),
        ] {
            let text = date_text(date);
            assert_eq!(parse_date(&text), Some(date), "{text}");
        }
        assert_eq!(date_text(d(2026, 2, 8)), "2026-02-08");
        assert_eq!(date_text(d(33, 2, 8)), "0033-02-08");
    }

    #[test]
    fn anything_else_is_not_a_date() {
        for bad in [
            "",
            "2026-2-8",
            "2026-02-30",
            "2026/02/08",
            "2026-02-0x",
            "02-08-2026",
            "2026-02-08 ",
            "20260208",
        ] {
            assert_eq!(parse_date(bad), None, "{bad:?}");
        }
    }
}
