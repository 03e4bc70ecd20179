//! Calendar periods that evidence is aggregated by, and month arithmetic on dates.

use std::fmt;

use chrono::{Datelike, NaiveDate};

/// The average month in days (365.2425 / 12): durations in months are fractional so that
/// thresholds such as "24 months" mean the same thing whatever day a stint began.
pub const DAYS_PER_MONTH: f64 = 30.436_875;

/// Fractional months from `from` to `to` (negative when `to` is earlier).
pub fn months_between(from: NaiveDate, to: NaiveDate) -> f64 {
    (to - from).num_days() as f64 / DAYS_PER_MONTH
}

/// A calendar month, `YYYY-MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth {
    year: i32,
    month: u32,
}

/// Why text is not a `YYYY-MM` month or a `YYYY-Www` week.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a {1}")]
pub struct PeriodError(String, &'static str);

impl YearMonth {
    pub fn new(year: i32, month: u32) -> Option<Self> {
        ((1..=12).contains(&month) && (1..=9999).contains(&year)).then_some(Self { year, month })
    }

    pub fn of(date: NaiveDate) -> Self {
        Self {
            year: date.year(),
            month: date.month(),
        }
    }

    /// Parses `YYYY-MM`.
    pub fn parse(raw: &str) -> Result<Self, PeriodError> {
        let err = || PeriodError(raw.to_owned(), "month (expected YYYY-MM)");
        let (y, m) = raw.trim().split_once('-').ok_or_else(err)?;
        if y.len() != 4 || m.len() != 2 {
            return Err(err());
        }
        Self::new(y.parse().map_err(|_| err())?, m.parse().map_err(|_| err())?).ok_or_else(err)
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn month(self) -> u32 {
        self.month
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).expect("a valid month has a first day")
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// An ISO 8601 week, `YYYY-Www`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IsoWeek {
    year: i32,
    week: u32,
}

impl IsoWeek {
    pub fn new(year: i32, week: u32) -> Option<Self> {
        // Weeks 1..=52 always exist; week 53 only in long ISO years.
        NaiveDate::from_isoywd_opt(year, week, chrono::Weekday::Mon).map(|_| Self { year, week })
    }

    pub fn of(date: NaiveDate) -> Self {
        let w = date.iso_week();
        Self {
            year: w.year(),
            week: w.week(),
        }
    }

    /// Parses `YYYY-Www`, such as `2026-W07`.
    pub fn parse(raw: &str) -> Result<Self, PeriodError> {
        let err = || PeriodError(raw.to_owned(), "ISO week (expected YYYY-Www)");
        let (y, w) = raw.trim().split_once("-W").ok_or_else(err)?;
        if y.len() != 4 || w.len() != 2 {
            return Err(err());
        }
        Self::new(y.parse().map_err(|_| err())?, w.parse().map_err(|_| err())?).ok_or_else(err)
    }

    pub fn monday(self) -> NaiveDate {
        NaiveDate::from_isoywd_opt(self.year, self.week, chrono::Weekday::Mon)
            .expect("checked on construction")
    }
}

impl fmt::Display for IsoWeek {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-W{:02}", self.year, self.week)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn months_parse_and_print_round_trip() {
        let m = YearMonth::parse("2026-02").unwrap();
        assert_eq!(m.to_string(), "2026-02");
        assert_eq!(m.first_day(), d("2026-02-01"));
        for bad in ["2026-13", "2026-2", "26-02", "2026/02", "x"] {
            assert!(YearMonth::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn weeks_follow_iso_8601() {
        assert_eq!(IsoWeek::of(d("2021-01-03")).to_string(), "2020-W53");
        assert_eq!(
            IsoWeek::parse("2020-W53").unwrap().monday(),
            d("2020-12-28")
        );
        assert!(IsoWeek::parse("2021-W53").is_err(), "2021 has 52 ISO weeks");
        assert!(IsoWeek::parse("2021-W1").is_err());
    }

    #[test]
    fn two_years_are_24_months() {
        let m = months_between(d("2020-03-01"), d("2022-03-01"));
        assert!((m - 24.0).abs() < 0.05, "{m}");
    }
}
