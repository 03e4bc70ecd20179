//! What git and calendars add to a nudge's facts: later or missing hands-on work, the trend
//! of a stint's commits, the meeting load of recent weeks.

use chrono::{Datelike, Months};

use super::{Subject, months};
use crate::ledger::{CalendarWeek, GitMonth, Stint};
use crate::metrics;
use crate::period::YearMonth;
use crate::policy::Policy;

/// The last month of hands-on activity in git, and how many months ago it ended.
pub(super) fn last_git_hands_on<'a>(
    s: &Subject<'a>,
    policy: &Policy,
) -> Option<(&'a GitMonth, f64)> {
    metrics::last_git_hands_on(s.git, policy.git.hands_on_commits, s.as_of)
}

/// A period of hands-on work on the ledger's word, in whole months.
pub(super) struct Claim {
    /// What the ledger says, as a clause: "it has Pat as engineer from ... to ...".
    pub(super) what: String,
    pub(super) from: YearMonth,
    pub(super) until: YearMonth,
}

/// When git watched a claimed period and shows no hands-on month in it or after it, the
/// words for that contradiction. The distance still counts from the ledger (the work may
/// live in repositories git was not read from); the fact names both sides.
pub(super) fn contradiction(
    s: &Subject<'_>,
    claim: &Claim,
    last_git: Option<(&GitMonth, f64)>,
    policy: &Policy,
) -> Option<String> {
    let first = s.git.first()?;
    if first.month > claim.until || last_git.is_some_and(|(g, _)| g.month >= claim.from) {
        return None;
    }
    let text = format!(
        "Git contradicts the ledger: {}, yet in git no month from {} to {} reaches {} commits",
        claim.what, claim.from, claim.until, policy.git.hands_on_commits
    );
    Some(match last_git {
        Some((g, m)) => format!(
            "{text}; the last hands-on month in git is {} ({} commits, {} ago).",
            g.month,
            g.commits + g.coauthored,
            months(m)
        ),
        None => format!(
            "{text}; git shows no hands-on month at all (its evidence begins in {}).",
            first.month
        ),
    })
}

/// Mean monthly commits (authored and co-authored) over the whole months `from..=to`.
pub(super) fn mean_commits(git: &[GitMonth], from: YearMonth, to: YearMonth) -> Option<f64> {
    let span = (to.year() - from.year()) * 12 + to.month() as i32 - from.month() as i32 + 1;
    if span <= 0 {
        return None;
    }
    let total: u32 = git
        .iter()
        .filter(|g| from <= g.month && g.month <= to)
        .map(|g| g.commits + g.coauthored)
        .sum();
    Some(f64::from(total) / f64::from(span))
}

pub(super) fn month_back(m: YearMonth, back: u32) -> YearMonth {
    YearMonth::of(
        m.first_day()
            .checked_sub_months(Months::new(back))
            .unwrap_or(m.first_day()),
    )
}

/// How a stint's git activity moved: its first three months against its last three.
pub(super) fn git_trend(s: &Subject<'_>, current: &Stint) -> Option<String> {
    if s.git.is_empty() {
        return None;
    }
    let start = YearMonth::of(current.start);
    let now = YearMonth::of(s.as_of);
    let first_end = YearMonth::of(
        start
            .first_day()
            .checked_add_months(Months::new(2))
            .unwrap_or(start.first_day()),
    )
    .min(now);
    let first = mean_commits(s.git, start, first_end)?;
    let last = mean_commits(s.git, month_back(now, 2).max(start), now)?;
    let word = if last < first * 0.75 {
        "falling"
    } else if last > first * 1.25 {
        "rising"
    } else {
        "steady"
    };
    Some(format!(
        "Git activity is {word}: {first:.1} commits a month in the stint's first three months, {last:.1} in the last three."
    ))
}

/// The calendar weeks the calendar facts read: the `focus_weeks` most recent ones with
/// evidence among the `2 * focus_weeks` full weeks that ended on or before `as_of`, and only
/// those that overlap the current stint. Fewer when there are fewer, since old or missing
/// evidence says nothing about now.
pub(super) fn recent_weeks<'a>(
    s: &Subject<'a>,
    current: &Stint,
    policy: &Policy,
) -> Vec<&'a CalendarWeek> {
    let focus_weeks = policy.calendar.focus_weeks;
    // Full weeks only: the last one ends on the Sunday on or before `as_of`.
    let after = s.as_of + chrono::Days::new(1);
    let end = after - chrono::Days::new(u64::from(after.weekday().num_days_from_monday()));
    let begin = end - chrono::Days::new(14 * u64::from(focus_weeks));
    let weeks: Vec<&CalendarWeek> = s
        .calendar
        .iter()
        .filter(|w| {
            let monday = w.week.monday();
            monday >= begin && monday < end && monday + chrono::Days::new(6) >= current.start
        })
        .collect();
    let skip = weeks.len().saturating_sub(focus_weeks as usize);
    weeks[skip..].to_vec()
}

/// A hybrid's meeting load against their focus time over the recent weeks, when their
/// calendar has been read.
pub(super) fn meeting_load(s: &Subject<'_>, current: &Stint, policy: &Policy) -> Option<String> {
    let weeks = recent_weeks(s, current, policy);
    let (first, last) = (weeks.first()?, weeks.last()?);
    let n = weeks.len() as f64;
    let meeting = weeks.iter().map(|w| w.meeting_hours).sum::<f64>() / n;
    let focus = weeks.iter().map(|w| w.focus_hours).sum::<f64>() / n;
    let reading = if meeting > focus {
        "meetings outweigh focus time"
    } else {
        "focus time still outweighs meetings"
    };
    let span = if weeks.len() == 1 {
        format!("in {}", first.week)
    } else {
        format!(
            "a week over the {} weeks from {} to {}",
            weeks.len(),
            first.week,
            last.week
        )
    };
    Some(format!(
        "The calendar shows {meeting:.1} h of meetings against {focus:.1} h of focus time {span}: {reading}."
    ))
}
