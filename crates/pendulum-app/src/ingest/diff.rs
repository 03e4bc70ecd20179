//! The evidence diff: the writes that turn the stored evidence into what an ingest just
//! computed.
//!
//! Both ingests recompute evidence from their sources and must leave equal rows alone (a run
//! over unchanged sources writes nothing, and the store's revision does not move), replace
//! changed rows and drop rows that vanished. Only which stored rows a run recomputed
//! differs: every git month (git evidence is counted over every remembered repository), but
//! only the weeks inside each calendar owner's span read this time.

use std::collections::{HashMap, HashSet};
use std::hash::Hash;

use chrono::NaiveDate;
use pendulum_core::{CalendarWeek, Change, GitMonth, IsoWeek, PersonId, YearMonth};

/// A row of evidence: one person, one period.
pub(crate) trait Row: PartialEq {
    type Period: Copy + Eq + Hash;

    fn person(&self) -> &PersonId;
    fn period(&self) -> Self::Period;

    fn key(&self) -> (&PersonId, Self::Period) {
        (self.person(), self.period())
    }
}

impl Row for GitMonth {
    type Period = YearMonth;

    fn person(&self) -> &PersonId {
        &self.person
    }

    fn period(&self) -> YearMonth {
        self.month
    }
}

impl Row for CalendarWeek {
    type Period = IsoWeek;

    fn person(&self) -> &PersonId {
        &self.person
    }

    fn period(&self) -> IsoWeek {
        self.week
    }
}

/// Rows to write and keys to drop first; a key in both is a replacement.
#[derive(Debug, PartialEq)]
pub(crate) struct Diff<R: Row> {
    pub written: Vec<R>,
    pub replaced: Vec<(PersonId, R::Period)>,
}

/// The diff from `stored` to `fresh`: fresh rows that are new or differ are written (a
/// differing one replaces the stored row), and stored rows that `recomputed` says this run
/// covered but that `fresh` lacks are dropped. Other stored rows are kept.
pub(crate) fn diff<R: Row>(
    stored: &[R],
    fresh: Vec<R>,
    recomputed: impl Fn(&R) -> bool,
) -> Diff<R> {
    let owned = |(person, period): (&PersonId, R::Period)| (person.clone(), period);
    let old: HashMap<_, &R> = stored.iter().map(|r| (r.key(), r)).collect();
    let fresh_keys: HashSet<_> = fresh.iter().map(Row::key).collect();
    let vanished: Vec<_> = stored
        .iter()
        .filter(|r| recomputed(r) && !fresh_keys.contains(&r.key()))
        .map(|r| owned(r.key()))
        .collect();
    let mut diff = Diff {
        written: Vec::new(),
        replaced: Vec::new(),
    };
    for row in fresh {
        match old.get(&row.key()).copied() {
            Some(before) if *before == row => {}
            Some(_) => {
                diff.replaced.push(owned(row.key()));
                diff.written.push(row);
            }
            None => diff.written.push(row),
        }
    }
    diff.replaced.extend(vanished);
    diff
}

/// The change that makes the stored git evidence equal `fresh`: a git ingest counts every
/// remembered repository, so every stored month is recomputed.
pub(crate) fn git_change(stored: &[GitMonth], fresh: Vec<GitMonth>) -> Change {
    let Diff { written, replaced } = diff(stored, fresh, |_| true);
    Change {
        git: written,
        git_replaced: replaced,
        ..Change::default()
    }
}

/// One person's recomputed weeks: the span `[from, to)` as Mondays, and the evidence found
/// in it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PersonWeeks {
    pub person: PersonId,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub weeks: Vec<CalendarWeek>,
}

/// The change that makes the stored weeks of the people read equal `fresh` within the span
/// recomputed for each. Weeks outside a person's span, and other people's, are kept: a
/// calendar export covers a window of time, and last year's export read last year stays
/// true.
pub(crate) fn calendar_change(stored: &[CalendarWeek], fresh: &[PersonWeeks]) -> Change {
    let spans: HashMap<&PersonId, (NaiveDate, NaiveDate)> =
        fresh.iter().map(|p| (&p.person, (p.from, p.to))).collect();
    let weeks = fresh.iter().flat_map(|p| p.weeks.iter().cloned()).collect();
    let Diff { written, replaced } = diff(stored, weeks, |w| {
        spans
            .get(&w.person)
            .is_some_and(|&(from, to)| (from..to).contains(&w.week.monday()))
    });
    Change {
        calendar: written,
        calendar_replaced: replaced,
        ..Change::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(s: &str) -> PersonId {
        PersonId::parse(s).unwrap()
    }

    fn month(person: &str, m: &str, commits: u32) -> GitMonth {
        GitMonth {
            person: id(person),
            month: YearMonth::parse(m).unwrap(),
            commits,
            merges: 0,
            coauthored: 0,
            repositories: 1,
            lines_added: None,
            lines_removed: None,
            partial: false,
        }
    }

    fn week(person: &str, w: u32, meeting_hours: f64) -> CalendarWeek {
        CalendarWeek {
            person: id(person),
            week: IsoWeek::new(2025, w).unwrap(),
            meeting_hours,
            focus_hours: 30.0,
            fragmented_hours: 2.0,
            after_hours: 0.0,
        }
    }

    fn span(person: &str, from_week: u32, to_week: u32, weeks: Vec<CalendarWeek>) -> PersonWeeks {
        let monday = |w| IsoWeek::new(2025, w).unwrap().monday();
        PersonWeeks {
            person: id(person),
            from: monday(from_week),
            to: monday(to_week),
            weeks,
        }
    }

    fn keys<P: Copy>(replaced: &[(PersonId, P)]) -> Vec<(&str, P)> {
        replaced.iter().map(|(p, k)| (p.as_str(), *k)).collect()
    }

    #[test]
    fn equal_rows_are_left_alone_and_the_others_written() {
        let stored = [month("ada", "2025-01", 3), month("ada", "2025-02", 1)];
        let change = git_change(&stored, stored.to_vec());
        assert!(change.git.is_empty() && change.git_replaced.is_empty());

        let fresh = vec![
            month("ada", "2025-01", 3),
            month("ada", "2025-02", 2),
            month("ben", "2025-02", 1),
        ];
        let change = git_change(&stored, fresh);
        assert_eq!(
            change.git,
            [month("ada", "2025-02", 2), month("ben", "2025-02", 1)]
        );
        let feb = YearMonth::parse("2025-02").unwrap();
        assert_eq!(keys(&change.git_replaced), [("ada", feb)]);
    }

    #[test]
    fn a_git_month_that_vanished_is_dropped() {
        let stored = [month("ada", "2025-01", 3), month("ben", "2025-01", 1)];
        let change = git_change(&stored, vec![month("ada", "2025-01", 3)]);
        assert!(change.git.is_empty());
        let jan = YearMonth::parse("2025-01").unwrap();
        assert_eq!(keys(&change.git_replaced), [("ben", jan)]);
    }

    #[test]
    fn calendar_weeks_outside_the_span_read_are_kept() {
        let stored = [
            week("ada", 2, 1.0),
            week("ada", 10, 1.0),
            week("ada", 11, 1.0),
            week("ada", 12, 1.0),
            week("grace", 11, 1.0),
        ];
        // Ada's files now cover weeks 10 and 11 only: week 10 changed, week 11 has no
        // evidence any more; week 2 and week 12 lie outside, Grace was not read.
        let fresh = [span("ada", 10, 12, vec![week("ada", 10, 4.0)])];
        let change = calendar_change(&stored, &fresh);
        assert_eq!(change.calendar, [week("ada", 10, 4.0)]);
        let w = |n| IsoWeek::new(2025, n).unwrap();
        assert_eq!(
            keys(&change.calendar_replaced),
            [("ada", w(10)), ("ada", w(11))]
        );
    }

    #[test]
    fn an_empty_span_drops_nothing() {
        let stored = [week("ada", 10, 1.0)];
        let change = calendar_change(&stored, &[span("ada", 10, 10, vec![])]);
        assert!(change.calendar.is_empty() && change.calendar_replaced.is_empty());
    }
}
