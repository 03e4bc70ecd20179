//! Weekly interruption metrics from one person's occurrences: how much of the working week
//! went to meetings, and how much was left in blocks long enough for deep work.
//!
//! Engineering needs unbroken time and management is interruptive; the rules that watch the
//! pendulum compare the two through these figures, per ISO week of the person's own zone:
//!
//! - meeting hours: time in meetings ([`Occurrence::is_meeting`]), overlapping meetings
//!   merged so that two at once count once;
//! - after-hours: the part of it outside working hours (before the start of the day, after
//!   its end, or on a day off);
//! - focus hours: free working time in blocks of at least the policy's threshold (2 hours);
//! - fragmented hours: free working time in shorter pieces.
//!
//! Focus plus fragmented plus in-hours meeting time is the working time of the week. A day
//! belongs to the week of its local date, and a meeting across midnight is split there.

use chrono::{DateTime, Datelike, Duration, IsoWeek, NaiveDate, NaiveTime, Utc, Weekday};
use chrono_tz::Tz;

use crate::expand::Occurrence;
use crate::zone::to_instant;

/// A person's working hours: the policy the metrics measure against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkingHours {
    pub zone: Tz,
    pub day_start: NaiveTime,
    pub day_end: NaiveTime,
    pub working_days: Vec<Weekday>,
    /// The shortest free block that counts as focus time.
    pub focus_threshold: Duration,
}

impl Default for WorkingHours {
    /// 09:00 to 17:00 UTC, Monday to Friday, focus from two hours.
    fn default() -> Self {
        Self {
            zone: Tz::UTC,
            day_start: NaiveTime::from_hms_opt(9, 0, 0).unwrap_or(NaiveTime::MIN),
            day_end: NaiveTime::from_hms_opt(17, 0, 0).unwrap_or(NaiveTime::MIN),
            working_days: vec![
                Weekday::Mon,
                Weekday::Tue,
                Weekday::Wed,
                Weekday::Thu,
                Weekday::Fri,
            ],
            focus_threshold: Duration::hours(2),
        }
    }
}

/// The metrics of one ISO week.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WeekMetrics {
    pub week: IsoWeek,
    pub meeting_hours: f64,
    pub focus_hours: f64,
    pub fragmented_hours: f64,
    pub after_hours: f64,
}

impl WeekMetrics {
    /// The week as evidence names it, e.g. `2025-W01`.
    pub fn label(&self) -> String {
        format!("{}-W{:02}", self.week.year(), self.week.week())
    }
}

/// The metrics of every ISO week that has a day in `[from, to)` (local dates in the policy's
/// zone), counting only those days, in order.
pub fn weekly_metrics(
    occurrences: &[Occurrence<'_>],
    policy: &WorkingHours,
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<WeekMetrics> {
    let meetings = merged_meetings(occurrences);
    let mut weeks: Vec<WeekMetrics> = Vec::new();
    let mut first = 0;
    let midnight = |day: NaiveDate| to_instant(day.and_time(NaiveTime::MIN), policy.zone);
    for day in from.iter_days().take_while(|day| *day < to) {
        let week = day.iso_week();
        if weeks.last().is_none_or(|w| w.week != week) {
            weeks.push(WeekMetrics {
                week,
                meeting_hours: 0.0,
                focus_hours: 0.0,
                fragmented_hours: 0.0,
                after_hours: 0.0,
            });
        }
        let Some(next_day) = day.succ_opt() else {
            break;
        };
        let (day_begin, day_end) = (midnight(day), midnight(next_day));
        let work = (policy.working_days.contains(&day.weekday())
            && policy.day_start < policy.day_end)
            .then(|| {
                (
                    to_instant(day.and_time(policy.day_start), policy.zone),
                    to_instant(day.and_time(policy.day_end), policy.zone),
                )
            });
        while meetings.get(first).is_some_and(|m| m.1 <= day_begin) {
            first += 1;
        }
        let today = meetings[first..]
            .iter()
            .take_while(|m| m.0 < day_end)
            .copied();
        let mut in_day = Duration::zero();
        let mut in_work = Duration::zero();
        let mut focus = Duration::zero();
        let mut fragmented = Duration::zero();
        let mut free_from = work.map(|w| w.0);
        let mut free_block = |block: Duration| {
            if block >= policy.focus_threshold {
                focus += block;
            } else if block > Duration::zero() {
                fragmented += block;
            }
        };
        for meeting in today {
            in_day += overlap(meeting, (day_begin, day_end));
            if let (Some(work), Some(cursor)) = (work, free_from.as_mut()) {
                in_work += overlap(meeting, work);
                if meeting.0 < work.1 && meeting.1 > work.0 {
                    free_block(meeting.0.max(work.0) - *cursor);
                    *cursor = (*cursor).max(meeting.1.min(work.1));
                }
            }
        }
        if let (Some(work), Some(cursor)) = (work, free_from) {
            free_block(work.1 - cursor);
        }
        if let Some(week) = weeks.last_mut() {
            week.meeting_hours += hours(in_day);
            week.after_hours += hours(in_day - in_work);
            week.focus_hours += hours(focus);
            week.fragmented_hours += hours(fragmented);
        }
    }
    weeks
}

/// Meetings as disjoint intervals in order: overlapping or touching ones merged.
fn merged_meetings(occurrences: &[Occurrence<'_>]) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
    let mut intervals: Vec<_> = occurrences
        .iter()
        .filter(|o| o.is_meeting() && o.end > o.start)
        .map(|o| (o.start, o.end))
        .collect();
    intervals.sort_unstable();
    let mut merged: Vec<(DateTime<Utc>, DateTime<Utc>)> = Vec::with_capacity(intervals.len());
    for (start, end) in intervals {
        match merged.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => merged.push((start, end)),
        }
    }
    merged
}

fn overlap(a: (DateTime<Utc>, DateTime<Utc>), b: (DateTime<Utc>, DateTime<Utc>)) -> Duration {
    (a.1.min(b.1) - a.0.max(b.0)).max(Duration::zero())
}

fn hours(d: Duration) -> f64 {
    d.num_seconds() as f64 / 3600.0
}
