//! Recurrence rules (RFC 5545 section 3.3.10): RRULE text to a [`Rule`], and a rule to the
//! wall times it produces.
//!
//! A rule works on wall time: "every Monday at 09:00" stays at 09:00 across a DST change, so
//! the expander hands this module the wall time of DTSTART in its own zone and converts what
//! comes back to instants afterwards (see [`mod@crate::expand`]).
//!
//! The expansion walks the rule period by period (a year, a month, a week starting on WKST,
//! a day, an hour, a minute or a second, times INTERVAL). In each period it lists the days
//! that pass every BYxxx day filter, crosses them with the times of day, applies BYSETPOS,
//! and keeps what is at or after DTSTART. Listing real days rather than day numbers is what
//! skips the invalid dates a rule can name (February 30th, BYMONTHDAY=31 in April), as
//! RFC 5545 requires. The semantics follow the reference implementation our numbers are
//! checked against (python-dateutil): ordinals in BYDAY count within the month for MONTHLY
//! rules and for YEARLY rules with BYMONTH, within the year otherwise, and are ignored by
//! finer frequencies; the defaults taken from DTSTART are those of section 3.3.10.
//!
//! Work is bounded: without COUNT the walk starts at the period that contains the start of
//! the wanted range, so a rule from 1990 costs nothing before 2025, and every period and
//! every candidate counts against a budget ([`Budget`]); a rule that would exceed it stops
//! with [`Exhausted`] instead of running for hours.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Timelike, Weekday};
use thiserror::Error;

use crate::value::{parse_date, parse_date_time};

/// Why RRULE text is not a rule.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RuleError {
    #[error("FREQ is missing")]
    MissingFrequency,
    #[error("{0:?} is not a FREQ (SECONDLY to YEARLY)")]
    UnknownFrequency(String),
    #[error("{0:?} is not a NAME=VALUE rule part")]
    MalformedPart(String),
    #[error("{part} appears more than once")]
    DuplicatePart { part: String },
    #[error("{part}={value:?} is out of range or not a number")]
    BadPartValue { part: String, value: String },
}

/// FREQ, from the finest to the coarsest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Frequency {
    Secondly,
    Minutely,
    Hourly,
    Daily,
    Weekly,
    Monthly,
    Yearly,
}

/// One BYDAY entry: a weekday, with an ordinal such as the 1 of `1MO` or the -1 of `-1FR`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WeekdayNum {
    pub ordinal: Option<i32>,
    pub weekday: Weekday,
}

/// When a rule stops by itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Until {
    /// UNTIL as a UTC DATE-TIME.
    Instant(NaiveDateTime),
    /// UNTIL as a DATE-TIME without `Z`, read as wall time in the rule's zone.
    WallTime(NaiveDateTime),
    /// UNTIL as a DATE: the last day, inclusive, in the rule's zone.
    Day(NaiveDate),
}

/// A parsed RRULE. The BY lists are sorted and free of duplicates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub frequency: Frequency,
    pub interval: u32,
    pub count: Option<u32>,
    pub until: Option<Until>,
    pub by_second: Vec<u32>,
    pub by_minute: Vec<u32>,
    pub by_hour: Vec<u32>,
    pub by_day: Vec<WeekdayNum>,
    pub by_month_day: Vec<i32>,
    pub by_year_day: Vec<i32>,
    pub by_week_no: Vec<i32>,
    pub by_month: Vec<u32>,
    pub by_set_pos: Vec<i32>,
    pub week_start: Weekday,
}

impl Rule {
    /// Parses RRULE text such as `FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;UNTIL=20251231T235959Z`.
    ///
    /// Part names and values are case-insensitive; unknown parts (`X-...`, or RFC 7529's
    /// RSCALE and SKIP) are ignored rather than rejected, so a newer producer's rule still
    /// expands the way its Gregorian parts say. A rule with both COUNT and UNTIL, which
    /// RFC 5545 forbids, stops at whichever comes first.
    pub fn parse(text: &str) -> Result<Self, RuleError> {
        let mut rule = Self {
            frequency: Frequency::Yearly,
            interval: 1,
            count: None,
            until: None,
            by_second: Vec::new(),
            by_minute: Vec::new(),
            by_hour: Vec::new(),
            by_day: Vec::new(),
            by_month_day: Vec::new(),
            by_year_day: Vec::new(),
            by_week_no: Vec::new(),
            by_month: Vec::new(),
            by_set_pos: Vec::new(),
            week_start: Weekday::Mon,
        };
        let mut frequency = None;
        let mut seen: Vec<String> = Vec::new();
        for part in text.trim().split(';').filter(|p| !p.trim().is_empty()) {
            let (name, value) = part
                .split_once('=')
                .ok_or_else(|| RuleError::MalformedPart(part.to_owned()))?;
            let name = name.trim().to_ascii_uppercase();
            let value = value.trim();
            if seen.contains(&name) {
                return Err(RuleError::DuplicatePart { part: name });
            }
            let bad = || RuleError::BadPartValue {
                part: name.clone(),
                value: value.to_owned(),
            };
            match name.as_str() {
                "FREQ" => {
                    frequency = Some(match value.to_ascii_uppercase().as_str() {
                        "SECONDLY" => Frequency::Secondly,
                        "MINUTELY" => Frequency::Minutely,
                        "HOURLY" => Frequency::Hourly,
                        "DAILY" => Frequency::Daily,
                        "WEEKLY" => Frequency::Weekly,
                        "MONTHLY" => Frequency::Monthly,
                        "YEARLY" => Frequency::Yearly,
                        _ => return Err(RuleError::UnknownFrequency(value.to_owned())),
                    });
                }
                "INTERVAL" => {
                    rule.interval = value.parse().ok().filter(|&n| n >= 1).ok_or_else(bad)?;
                }
                // A negative COUNT is a known producer bug; it reads as no COUNT, as the
                // reference does.
                "COUNT" => {
                    let count: i64 = value.parse().map_err(|_| bad())?;
                    rule.count = u32::try_from(count).ok();
                }
                "UNTIL" => rule.until = Some(parse_until(value).ok_or_else(bad)?),
                "BYSECOND" => rule.by_second = numbers(value, 0, 60, false).ok_or_else(bad)?,
                "BYMINUTE" => rule.by_minute = numbers(value, 0, 59, false).ok_or_else(bad)?,
                "BYHOUR" => rule.by_hour = numbers(value, 0, 23, false).ok_or_else(bad)?,
                "BYMONTHDAY" => rule.by_month_day = numbers(value, 1, 31, true).ok_or_else(bad)?,
                "BYYEARDAY" => rule.by_year_day = numbers(value, 1, 366, true).ok_or_else(bad)?,
                "BYWEEKNO" => rule.by_week_no = numbers(value, 1, 53, true).ok_or_else(bad)?,
                "BYMONTH" => rule.by_month = numbers(value, 1, 12, false).ok_or_else(bad)?,
                "BYSETPOS" => rule.by_set_pos = numbers(value, 1, 366, true).ok_or_else(bad)?,
                "BYDAY" => rule.by_day = weekday_nums(value).ok_or_else(bad)?,
                "WKST" => rule.week_start = weekday(value).ok_or_else(bad)?,
                _ => {}
            }
            seen.push(name);
        }
        rule.frequency = frequency.ok_or(RuleError::MissingFrequency)?;
        Ok(rule)
    }

    /// The wall times this rule produces from `dtstart`, in order, from the period that holds
    /// `from` up to and including `to`, plus those before `from` in that first period.
    ///
    /// With COUNT the walk starts at DTSTART whatever `from` is, since counting needs every
    /// earlier occurrence. DTSTART itself is not added here unless the rule produces it; the
    /// caller adds it (RFC 5545: it is always the first occurrence). `until` is UNTIL turned
    /// into wall time by the caller, who knows the zone.
    pub fn wall_times(
        &self,
        dtstart: NaiveDateTime,
        until: Option<NaiveDateTime>,
        from: NaiveDateTime,
        to: NaiveDateTime,
        budget: &mut Budget,
    ) -> Result<Vec<NaiveDateTime>, Exhausted> {
        let mut out = Vec::new();
        let mut walk = Walk::new(self, dtstart);
        if self.count.is_none() {
            walk.skip_to(from);
        }
        let mut remaining = self.count;
        let mut candidates = Vec::new();
        while remaining != Some(0) {
            let Some(period_start) = walk.period_start() else {
                break;
            };
            if period_start > to {
                break;
            }
            budget.spend(1)?;
            candidates.clear();
            walk.candidates(&mut candidates, budget)?;
            for &time in &candidates {
                if time < dtstart {
                    continue;
                }
                if until.is_some_and(|until| time > until) || time > to {
                    return Ok(out);
                }
                if let Some(left) = remaining.as_mut() {
                    *left -= 1;
                }
                out.push(time);
                if remaining == Some(0) {
                    break;
                }
            }
            walk.advance();
        }
        Ok(out)
    }
}

/// How much work an expansion may still do; every period and every candidate costs one.
#[derive(Debug)]
pub struct Budget {
    left: u64,
}

/// The budget ran out: the rule asks for more work than any honest calendar needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exhausted;

impl Budget {
    pub fn new(steps: u64) -> Self {
        Self { left: steps }
    }

    /// The steps not spent yet.
    pub fn left(&self) -> u64 {
        self.left
    }

    fn spend(&mut self, steps: u64) -> Result<(), Exhausted> {
        self.left = self.left.checked_sub(steps).ok_or(Exhausted)?;
        Ok(())
    }
}

fn parse_until(value: &str) -> Option<Until> {
    if value.len() == 8 {
        return parse_date(value).ok().map(Until::Day);
    }
    let (local, utc) = parse_date_time(value).ok()?;
    Some(if utc {
        Until::Instant(local)
    } else {
        Until::WallTime(local)
    })
}

/// A comma-separated list of integers in `min..=max`, or their negatives when `signed`.
fn numbers<T>(value: &str, min: i32, max: i32, signed: bool) -> Option<Vec<T>>
where
    T: TryFrom<i32> + Ord,
{
    let mut out = Vec::new();
    for item in value.split(',') {
        let n: i32 = item.trim().trim_start_matches('+').parse().ok()?;
        let in_range = (min..=max).contains(&n) || (signed && (-max..=-min).contains(&n));
        if !in_range {
            return None;
        }
        out.push(T::try_from(n).ok()?);
    }
    out.sort();
    out.dedup();
    Some(out)
}

fn weekday(text: &str) -> Option<Weekday> {
    Some(match text.trim().to_ascii_uppercase().as_str() {
        "MO" => Weekday::Mon,
        "TU" => Weekday::Tue,
        "WE" => Weekday::Wed,
        "TH" => Weekday::Thu,
        "FR" => Weekday::Fri,
        "SA" => Weekday::Sat,
        "SU" => Weekday::Sun,
        _ => return None,
    })
}

fn weekday_nums(value: &str) -> Option<Vec<WeekdayNum>> {
    value
        .split(',')
        .map(|item| {
            let item = item.trim();
            let split = item.len().checked_sub(2)?;
            let (number, day) = (item.get(..split)?, item.get(split..)?);
            let ordinal = match number.trim_start_matches('+') {
                "" => None,
                n => {
                    let n: i32 = n.parse().ok()?;
                    (n != 0 && n.abs() <= 53).then_some(n)?;
                    Some(n)
                }
            };
            Some(WeekdayNum {
                ordinal,
                weekday: weekday(day)?,
            })
        })
        .collect()
}

/// The period-by-period walk of one rule from one DTSTART.
struct Walk<'a> {
    rule: &'a Rule,
    dtstart: NaiveDateTime,
    /// The first wall time of the first period, from which periods are counted.
    origin: NaiveDateTime,
    /// Index of the current period, counted in INTERVALs from the first one.
    period: i64,
    /// BY lists with the defaults DTSTART supplies (section 3.3.10).
    by_day: Vec<WeekdayNum>,
    by_month_day: Vec<i32>,
    by_month: Vec<u32>,
    /// Times of day for frequencies of a day or coarser: BYHOUR x BYMINUTE x BYSECOND.
    times: Vec<NaiveTime>,
}

impl<'a> Walk<'a> {
    fn new(rule: &'a Rule, dtstart: NaiveDateTime) -> Self {
        let mut by_day = rule.by_day.clone();
        let mut by_month_day = rule.by_month_day.clone();
        let mut by_month = rule.by_month.clone();
        let has_day_part = !rule.by_day.is_empty()
            || !rule.by_month_day.is_empty()
            || !rule.by_year_day.is_empty()
            || !rule.by_week_no.is_empty();
        if !has_day_part {
            match rule.frequency {
                Frequency::Yearly => {
                    if by_month.is_empty() {
                        by_month.push(dtstart.month());
                    }
                    by_month_day.push(dtstart.day() as i32);
                }
                Frequency::Monthly => by_month_day.push(dtstart.day() as i32),
                Frequency::Weekly => by_day.push(WeekdayNum {
                    ordinal: None,
                    weekday: dtstart.weekday(),
                }),
                _ => {}
            }
        }
        // Ordinals only mean something for MONTHLY and YEARLY rules.
        if rule.frequency < Frequency::Monthly {
            for day in &mut by_day {
                day.ordinal = None;
            }
        }
        let or_start = |list: &[u32], start: u32| match list {
            [] => vec![start],
            list => list.to_vec(),
        };
        let mut times = Vec::new();
        for &h in &or_start(&rule.by_hour, dtstart.hour()) {
            for &m in &or_start(&rule.by_minute, dtstart.minute()) {
                for &s in &or_start(&rule.by_second, dtstart.second()) {
                    // BYSECOND=60 names a leap second, which wall time never shows.
                    times.extend(NaiveTime::from_hms_opt(h, m, s));
                }
            }
        }
        Self {
            rule,
            dtstart,
            origin: origin(rule, dtstart),
            period: 0,
            by_day,
            by_month_day,
            by_month,
            times,
        }
    }

    fn interval(&self) -> i64 {
        i64::from(self.rule.interval)
    }

    /// The length in seconds of one step of a frequency finer than a day.
    fn step_seconds(&self) -> Option<i64> {
        let unit = match self.rule.frequency {
            Frequency::Secondly => 1,
            Frequency::Minutely => 60,
            Frequency::Hourly => 3600,
            _ => return None,
        };
        Some(unit * self.interval())
    }

    /// The first wall time of the current period, or `None` past the end of chrono's range.
    fn period_start(&self) -> Option<NaiveDateTime> {
        let origin = self.origin;
        let n = self.period.checked_mul(self.interval())?;
        match self.rule.frequency {
            Frequency::Yearly => {
                let year = i64::from(origin.year()).checked_add(n)?;
                NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, 1, 1)
                    .map(|d| d.and_time(NaiveTime::MIN))
            }
            Frequency::Monthly => {
                let months = i64::from(origin.year()) * 12 + i64::from(origin.month0()) + n;
                let year = i32::try_from(months.div_euclid(12)).ok()?;
                NaiveDate::from_ymd_opt(year, months.rem_euclid(12) as u32 + 1, 1)
                    .map(|d| d.and_time(NaiveTime::MIN))
            }
            Frequency::Weekly => origin.checked_add_signed(Duration::try_days(n.checked_mul(7)?)?),
            Frequency::Daily => origin.checked_add_signed(Duration::try_days(n)?),
            _ => origin.checked_add_signed(Duration::try_seconds(
                (self.period).checked_mul(self.step_seconds()?)?,
            )?),
        }
    }

    /// Moves to the last period that starts at or before `from`, never backwards.
    fn skip_to(&mut self, from: NaiveDateTime) {
        let origin = self.origin;
        if from <= origin {
            return;
        }
        let interval = self.interval();
        let periods = match self.rule.frequency {
            Frequency::Yearly => i64::from(from.year() - origin.year()) / interval,
            Frequency::Monthly => {
                let months = i64::from(from.year() - origin.year()) * 12 + i64::from(from.month0())
                    - i64::from(origin.month0());
                months / interval
            }
            Frequency::Weekly => (from - origin).num_days() / (7 * interval),
            Frequency::Daily => (from - origin).num_days() / interval,
            _ => match self.step_seconds() {
                Some(step) => (from - origin).num_seconds() / step,
                None => 0,
            },
        };
        self.period = self.period.max(periods);
    }

    fn advance(&mut self) {
        self.period += 1;
    }

    /// Every wall time of the current period that the rule selects, in order, BYSETPOS
    /// applied; DTSTART and UNTIL are the caller's business.
    fn candidates(
        &self,
        out: &mut Vec<NaiveDateTime>,
        budget: &mut Budget,
    ) -> Result<(), Exhausted> {
        let Some(start) = self.period_start() else {
            return Ok(());
        };
        let first_day = start.date();
        let days = match self.rule.frequency {
            Frequency::Yearly => {
                if is_leap(first_day.year()) {
                    366
                } else {
                    365
                }
            }
            Frequency::Monthly => month_length(first_day.year(), first_day.month()),
            Frequency::Weekly => 7,
            _ => 1,
        };
        if self.step_seconds().is_some() {
            // Finer than a day: the period is one instant's hour, minute or second.
            if !self.day_matches(first_day) || !self.time_matches(start.time()) {
                return Ok(());
            }
            let times = self.sub_daily_times(start);
            budget.spend(times.len() as u64)?;
            out.extend(times);
        } else {
            for offset in 0..days {
                let Some(day) = first_day.checked_add_signed(Duration::days(offset)) else {
                    break;
                };
                budget.spend(1)?;
                if self.day_matches(day) {
                    budget.spend(self.times.len() as u64)?;
                    out.extend(self.times.iter().map(|&t| day.and_time(t)));
                }
            }
        }
        if !self.rule.by_set_pos.is_empty() {
            let all = std::mem::take(out);
            let len = all.len() as i32;
            let mut picked: Vec<NaiveDateTime> = self
                .rule
                .by_set_pos
                .iter()
                .filter_map(|&pos| {
                    let index = if pos > 0 { pos - 1 } else { len + pos };
                    (0..len).contains(&index).then(|| all[index as usize])
                })
                .collect();
            picked.sort();
            picked.dedup();
            *out = picked;
        }
        Ok(())
    }

    /// For HOURLY, MINUTELY and SECONDLY: the wall times of the period that starts at
    /// `start`, expanding the finer BY lists (BYMINUTE and BYSECOND for HOURLY, BYSECOND
    /// for MINUTELY).
    fn sub_daily_times(&self, start: NaiveDateTime) -> Vec<NaiveDateTime> {
        let minutes: Vec<u32> = match self.rule.frequency {
            Frequency::Hourly if !self.rule.by_minute.is_empty() => self.rule.by_minute.clone(),
            Frequency::Hourly => vec![self.dtstart.minute()],
            _ => vec![start.minute()],
        };
        let seconds: Vec<u32> = match self.rule.frequency {
            Frequency::Secondly => vec![start.second()],
            _ if !self.rule.by_second.is_empty() => self.rule.by_second.clone(),
            _ => vec![self.dtstart.second()],
        };
        let mut out = Vec::with_capacity(minutes.len() * seconds.len());
        for &m in &minutes {
            for &s in &seconds {
                if let Some(time) = NaiveTime::from_hms_opt(start.hour(), m, s) {
                    out.push(start.date().and_time(time));
                }
            }
        }
        out
    }

    /// BYHOUR, BYMINUTE and BYSECOND as limits, for the parts a finer frequency fixes.
    fn time_matches(&self, time: NaiveTime) -> bool {
        let f = self.rule.frequency;
        let limit = |list: &[u32], value: u32| list.is_empty() || list.contains(&value);
        limit(&self.rule.by_hour, time.hour())
            && (f > Frequency::Minutely || limit(&self.rule.by_minute, time.minute()))
            && (f > Frequency::Secondly || limit(&self.rule.by_second, time.second()))
    }

    /// Whether `day` passes BYMONTH, BYWEEKNO, BYYEARDAY, BYMONTHDAY and BYDAY.
    fn day_matches(&self, day: NaiveDate) -> bool {
        let rule = self.rule;
        if !self.by_month.is_empty() && !self.by_month.contains(&day.month()) {
            return false;
        }
        if !rule.by_week_no.is_empty() {
            let (week, weeks) = week_number(day, rule.week_start);
            let hit = rule
                .by_week_no
                .iter()
                .any(|&n| n == week || n == week - weeks - 1);
            if !hit {
                return false;
            }
        }
        if !rule.by_year_day.is_empty() {
            let ordinal = day.ordinal() as i32;
            let length = if is_leap(day.year()) { 366 } else { 365 };
            let hit = rule
                .by_year_day
                .iter()
                .any(|&n| n == ordinal || n == ordinal - length - 1);
            if !hit {
                return false;
            }
        }
        if !self.by_month_day.is_empty() {
            let d = day.day() as i32;
            let length = month_length(day.year(), day.month()) as i32;
            let hit = self
                .by_month_day
                .iter()
                .any(|&n| n == d || n == d - length - 1);
            if !hit {
                return false;
            }
        }
        if !self.by_day.is_empty() {
            return self
                .by_day
                .iter()
                .any(|entry| self.weekday_matches(*entry, day));
        }
        true
    }

    fn weekday_matches(&self, entry: WeekdayNum, day: NaiveDate) -> bool {
        if entry.weekday != day.weekday() {
            return false;
        }
        let Some(ordinal) = entry.ordinal else {
            return true;
        };
        let within_month = self.rule.frequency == Frequency::Monthly
            || (self.rule.frequency == Frequency::Yearly && !self.rule.by_month.is_empty());
        let (position, length) = if within_month {
            (
                day.day() as i32,
                month_length(day.year(), day.month()) as i32,
            )
        } else {
            let length = if is_leap(day.year()) { 366 } else { 365 };
            (day.ordinal() as i32, length)
        };
        if ordinal > 0 {
            (position - 1) / 7 + 1 == ordinal
        } else {
            (length - position) / 7 + 1 == -ordinal
        }
    }
}

/// The first wall time of the first period: the start of DTSTART's year, month, week (from
/// WKST), day, hour or minute, or DTSTART itself for SECONDLY.
fn origin(rule: &Rule, dtstart: NaiveDateTime) -> NaiveDateTime {
    let date = dtstart.date();
    let midnight = |d: NaiveDate| d.and_time(NaiveTime::MIN);
    let t = dtstart;
    match rule.frequency {
        Frequency::Yearly => midnight(date.with_ordinal(1).unwrap_or(date)),
        Frequency::Monthly => midnight(date.with_day(1).unwrap_or(date)),
        Frequency::Weekly => {
            let back = days_from(rule.week_start, date.weekday());
            midnight(date - Duration::days(back))
        }
        Frequency::Daily => midnight(date),
        Frequency::Hourly => t.with_minute(0).and_then(|t| t.with_second(0)).unwrap_or(t),
        Frequency::Minutely => t.with_second(0).unwrap_or(t),
        Frequency::Secondly => t,
    }
}

/// Days from `from` forward to `to` within a week, 0 to 6.
fn days_from(from: Weekday, to: Weekday) -> i64 {
    i64::from((to.num_days_from_monday() + 7 - from.num_days_from_monday()) % 7)
}

fn is_leap(year: i32) -> bool {
    NaiveDate::from_ymd_opt(year, 2, 29).is_some()
}

fn month_length(year: i32, month: u32) -> i64 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if is_leap(year) => 29,
        _ => 28,
    }
}

/// The week number of `day` (section 3.3.10: week 1 is the first week, starting on
/// `week_start`, with at least four days in the year) and the number of weeks in its
/// week-numbering year. A day in early January may belong to the last week of the year
/// before, and a day in late December to week 1 of the next.
fn week_number(day: NaiveDate, week_start: Weekday) -> (i32, i32) {
    let week_one = |year: i32| {
        // The week holding January 4th is week 1.
        let jan4 = NaiveDate::from_ymd_opt(year, 1, 4).unwrap_or(day);
        jan4 - Duration::days(days_from(week_start, jan4.weekday()))
    };
    let mut year = day.year();
    if day < week_one(year) {
        year -= 1;
    } else if day >= week_one(year + 1) {
        year += 1;
    }
    let start = week_one(year);
    let week = (day - start).num_days() / 7 + 1;
    let weeks = (week_one(year + 1) - start).num_days() / 7;
    (week as i32, weeks as i32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_part() {
        let rule = Rule::parse(
            "freq=monthly;INTERVAL=2;COUNT=10;BYDAY=1SU,-1SU,+2MO,TU;BYMONTHDAY=-1,1;\
             BYMONTH=1,12;BYSETPOS=-1;BYHOUR=9;BYMINUTE=0,30;BYSECOND=0;WKST=SU;X-FOO=bar",
        )
        .unwrap();
        assert_eq!(rule.frequency, Frequency::Monthly);
        assert_eq!(rule.interval, 2);
        assert_eq!(rule.count, Some(10));
        assert_eq!(rule.by_day.len(), 4);
        assert_eq!(
            rule.by_day[1],
            WeekdayNum {
                ordinal: Some(-1),
                weekday: Weekday::Sun
            }
        );
        assert_eq!(rule.by_day[2].ordinal, Some(2));
        assert_eq!(rule.by_month_day, vec![-1, 1]);
        assert_eq!(rule.by_minute, vec![0, 30]);
        assert_eq!(rule.week_start, Weekday::Sun);
        let until = Rule::parse("FREQ=DAILY;UNTIL=20250301").unwrap().until;
        assert_eq!(
            until,
            Some(Until::Day(NaiveDate::from_ymd_opt(2025, 3, 1).unwrap()))
        );
    }

    #[test]
    fn rejects_malformed_rules() {
        let cases = [
            ("", RuleError::MissingFrequency),
            ("INTERVAL=2", RuleError::MissingFrequency),
            (
                "FREQ=FORTNIGHTLY",
                RuleError::UnknownFrequency("FORTNIGHTLY".into()),
            ),
            ("FREQ=DAILY;COUNT", RuleError::MalformedPart("COUNT".into())),
            (
                "FREQ=DAILY;FREQ=WEEKLY",
                RuleError::DuplicatePart {
                    part: "FREQ".into(),
                },
            ),
        ];
        for (text, error) in cases {
            assert_eq!(Rule::parse(text), Err(error), "{text}");
        }
        for text in [
            "FREQ=DAILY;INTERVAL=0",
            "FREQ=DAILY;BYHOUR=24",
            "FREQ=MONTHLY;BYMONTHDAY=0",
            "FREQ=MONTHLY;BYMONTHDAY=32",
            "FREQ=YEARLY;BYMONTH=13",
            "FREQ=WEEKLY;BYDAY=XX",
            "FREQ=MONTHLY;BYDAY=0MO",
            "FREQ=WEEKLY;WKST=1",
            "FREQ=DAILY;UNTIL=tomorrow",
        ] {
            assert!(
                matches!(Rule::parse(text), Err(RuleError::BadPartValue { .. })),
                "{text}"
            );
        }
    }

    /// Expands `rule` from `dtstart` (no zone: wall times) and compares with `expected`.
    fn check(dtstart: &str, rule: &str, expected: &[&str]) {
        let start = crate::value::parse_date_time(dtstart).unwrap().0;
        let end = start + Duration::days(365 * 10);
        let got: Vec<String> = Rule::parse(rule)
            .unwrap()
            .wall_times(start, None, start, end, &mut Budget::new(1_000_000))
            .unwrap()
            .iter()
            .map(|t| t.format("%Y-%m-%dT%H:%M").to_string())
            .collect();
        assert_eq!(got, expected, "{rule}");
    }

    #[test]
    fn expands_the_corners_of_the_rfc() {
        // Week 1 of 2025 starts on Monday 30 December 2024, and week 1 of 2026 on 29
        // December 2025: both belong to the year they fall in.
        check(
            "20241201T090000",
            "FREQ=YEARLY;BYWEEKNO=1;BYDAY=MO,TU,WE,TH,FR,SA,SU;COUNT=9",
            &[
                "2024-12-30T09:00",
                "2024-12-31T09:00",
                "2025-01-01T09:00",
                "2025-01-02T09:00",
                "2025-01-03T09:00",
                "2025-01-04T09:00",
                "2025-01-05T09:00",
                "2025-12-29T09:00",
                "2025-12-30T09:00",
            ],
        );
        // The last week of 2020 is week 53 and ends on Sunday 3 January 2021.
        check(
            "20200101T090000",
            "FREQ=YEARLY;BYWEEKNO=-1;BYDAY=SU;COUNT=3",
            &["2021-01-03T09:00", "2022-01-02T09:00", "2023-01-01T09:00"],
        );
        check(
            "20230101T090000",
            "FREQ=YEARLY;BYYEARDAY=-1,-365;COUNT=4",
            &[
                "2023-01-01T09:00",
                "2023-12-31T09:00",
                "2024-01-02T09:00",
                "2024-12-31T09:00",
            ],
        );
        check(
            "20230101T090000",
            "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1;COUNT=4",
            &[
                "2023-02-28T09:00",
                "2024-02-29T09:00",
                "2025-02-28T09:00",
                "2026-02-28T09:00",
            ],
        );
        check(
            "20250101T230000",
            "FREQ=HOURLY;INTERVAL=5;BYMINUTE=15,45;COUNT=6",
            &[
                "2025-01-01T23:15",
                "2025-01-01T23:45",
                "2025-01-02T04:15",
                "2025-01-02T04:45",
                "2025-01-02T09:15",
                "2025-01-02T09:45",
            ],
        );
        check(
            "20250101T090000",
            "FREQ=YEARLY;BYDAY=-1FR;COUNT=3",
            &["2025-12-26T09:00", "2026-12-25T09:00", "2027-12-31T09:00"],
        );
        check(
            "20250101T090000",
            "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=1,-1;COUNT=6",
            &[
                "2025-01-01T09:00",
                "2025-01-31T09:00",
                "2025-02-03T09:00",
                "2025-02-28T09:00",
                "2025-03-03T09:00",
                "2025-03-31T09:00",
            ],
        );
        // The 31st of a month that has none is skipped, not moved; so is 29 February.
        check(
            "20250131T090000",
            "FREQ=MONTHLY;COUNT=5",
            &[
                "2025-01-31T09:00",
                "2025-03-31T09:00",
                "2025-05-31T09:00",
                "2025-07-31T09:00",
                "2025-08-31T09:00",
            ],
        );
        check(
            "20240229T090000",
            "FREQ=YEARLY;COUNT=3",
            &["2024-02-29T09:00", "2028-02-29T09:00", "2032-02-29T09:00"],
        );
    }

    #[test]
    fn numbers_weeks_like_iso_8601_when_weeks_start_on_monday() {
        for (y, m, d) in [(2025, 1, 1), (2024, 12, 30), (2021, 1, 3), (2020, 12, 31)] {
            let day = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            let (week, _) = week_number(day, Weekday::Mon);
            assert_eq!(week as u32, day.iso_week().week(), "{day}");
        }
        let (_, weeks) = week_number(NaiveDate::from_ymd_opt(2020, 6, 1).unwrap(), Weekday::Mon);
        assert_eq!(weeks, 53);
    }
}
