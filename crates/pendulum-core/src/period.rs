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

/// A calendar quarter, `YYYY-Qn`: the step of a rotation plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quarter {
    year: i32,
    /// 1 to 4.
    quarter: u32,
}

impl Quarter {
    pub fn new(year: i32, quarter: u32) -> Option<Self> {
        ((1..=4).contains(&quarter) && (1..=9999).contains(&year)).then_some(Self { year, quarter })
    }

    pub fn of(date: NaiveDate) -> Self {
        Self {
            year: date.year(),
            quarter: date.month0() / 3 + 1,
        }
    }

    /// Parses `YYYY-Qn`, such as `2027-Q1` (also written `2027Q1`).
    pub fn parse(raw: &str) -> Result<Self, PeriodError> {
        let err = || {
            PeriodError(
                raw.to_owned(),
                "quarter (expected YYYY-Qn, such as 2027-Q1)",
            )
        };
        let text = raw.trim();
        let (y, q) = text
            .split_once("-Q")
            .or_else(|| text.split_once('Q'))
            .ok_or_else(err)?;
        if y.len() != 4 || q.len() != 1 {
            return Err(err());
        }
        Self::new(y.parse().map_err(|_| err())?, q.parse().map_err(|_| err())?).ok_or_else(err)
    }

    pub fn year(self) -> i32 {
        self.year
    }

    /// 1 to 4.
    pub fn number(self) -> u32 {
        self.quarter
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, (self.quarter - 1) * 3 + 1, 1)
            .expect("a valid quarter has a first day")
    }

    /// The quarter `n` quarters later (earlier when negative).
    pub fn plus(self, n: i64) -> Self {
        let index = i64::from(self.year) * 4 + i64::from(self.quarter - 1) + n;
        Self {
            year: index.div_euclid(4) as i32,
            quarter: index.rem_euclid(4) as u32 + 1,
        }
    }

    /// Quarters from `self` to `later` (negative when `later` is earlier).
    pub fn until(self, later: Quarter) -> i64 {
        (i64::from(later.year) - i64::from(self.year)) * 4 + i64::from(later.quarter)
            - i64::from(self.quarter)
    }
}

impl fmt::Display for Quarter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-Q{}", self.year, self.quarter)
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
    fn quarters_parse_print_and_count() {
        let q = Quarter::parse("2027-Q1").unwrap();
        assert_eq!(q, Quarter::parse("2027Q1").unwrap());
        assert_eq!(q.to_string(), "2027-Q1");
        assert_eq!(q.first_day(), d("2027-01-01"));
        assert_eq!(Quarter::of(d("2026-12-31")).to_string(), "2026-Q4");
        assert_eq!(Quarter::of(d("2026-04-01")).to_string(), "2026-Q2");
        assert_eq!(q.plus(-1).to_string(), "2026-Q4");
        assert_eq!(q.plus(7).to_string(), "2028-Q4");
        assert_eq!(q.until(q.plus(-5)), -5);
        for bad in ["2027-Q5", "2027-Q0", "2027-1", "27-Q1", "2027-Q12", "Q1"] {
            assert!(Quarter::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn two_years_are_24_months() {
        let m = months_between(d("2020-03-01"), d("2022-03-01"));
        assert!((m - 24.0).abs() < 0.05, "{m}");
    }
}
