//! Git evidence: monthly commits that follow each career, over the last few years.
//!
//! Engineers and tech leads commit at a pace of their own (tech leads a little less, with
//! more merges); managers taper off within a few months of leaving hands-on work and stay
//! under the policy's hands-on threshold; hybrids keep some of their pace, less and less as
//! the stint goes on. Two habits break the pattern, so that the git rules have something to
//! say: a few managers keep coding at an engineer's pace (`manager-clinging`), and a few
//! whose ledger shows a recent hands-on stint have almost no commits of their own in it
//! (`hands-on-distance` then names the contradiction).
//!
//! The habits and the pace come from their own random stream, so an org with git evidence
//! has the same people, stints and check-ins as one without.

use chrono::{Months, NaiveDate};
use pendulum_core::{Policy, Role, Side, YearMonth};
use rand::Rng;
use rand::seq::SliceRandom;

use crate::career::{Career, Draft, days};

/// The policy's numbers the generator keeps clear of, in months and commits.
#[derive(Debug, Clone)]
pub(crate) struct GitThresholds {
    warn: f64,
    alert: f64,
    hands_on: u32,
    clinging_after: f64,
    clinging: u32,
}

impl GitThresholds {
    pub fn new(policy: &Policy) -> Self {
        Self {
            warn: f64::from(policy.hands_on_distance.warn_months),
            alert: f64::from(policy.hands_on_distance.alert_months),
            hands_on: policy.git.hands_on_commits,
            clinging_after: f64::from(policy.git.clinging_after_months),
            clinging: policy.git.clinging_commits,
        }
    }
}

/// How a person's commits depart from their role's usual pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Habit {
    Usual,
    /// A manager still coding at an engineer's pace, months into the stint.
    Clinging,
    /// A manager whose last hands-on stint shows reviews and merges, few commits of their own.
    Reviewing,
}

/// One month of evidence, before the person's id is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Month {
    pub month: YearMonth,
    pub commits: u32,
    pub merges: u32,
    pub coauthored: u32,
    pub repositories: u32,
}

/// Every seat's habit: a few managers cling and a few review, one of each at least when
/// some manager fits, and the rest are usual.
pub(crate) fn habits(
    careers: &[Career],
    th: &GitThresholds,
    months: u32,
    rng: &mut impl Rng,
) -> Vec<Habit> {
    let mut habits = vec![Habit::Usual; careers.len()];
    if months == 0 {
        return habits;
    }
    let window = days(f64::from(months));
    let mut clinging: Vec<usize> = (0..careers.len())
        .filter(|&i| may_cling(&careers[i], th))
        .collect();
    let mut reviewing: Vec<usize> = (0..careers.len())
        .filter(|&i| may_review(&careers[i], th, window))
        .collect();
    for (seats, habit) in [
        (&mut clinging, Habit::Clinging),
        (&mut reviewing, Habit::Reviewing),
    ] {
        seats.shuffle(rng);
        for &i in seats.iter().take(1 + seats.len() / 20) {
            if habits[i] == Habit::Usual {
                habits[i] = habit;
            }
        }
    }
    habits
}

/// A manager past the policy's months for clinging, straight from hands-on work and within
/// the warning distance of it: coding at an engineer's pace then changes no other nudge.
fn may_cling(c: &Career, th: &GitThresholds) -> bool {
    let [.., before, current] = c.stints.as_slice() else {
        return false;
    };
    current.role == Role::Manager
        && before.role.side() == Side::HandsOn
        && current.start >= days(th.clinging_after) + 20
        && current.start <= days(th.warn) - 31
}

/// A manager whose run of management stints (managers only) began between the warning and
/// alert distances ago, after a hands-on stint whose last month the git window covers.
fn may_review(c: &Career, th: &GitThresholds, window: i32) -> bool {
    let Some(h) = c
        .stints
        .iter()
        .rposition(|s| s.role.side() == Side::HandsOn)
    else {
        return false;
    };
    let run = &c.stints[h + 1..];
    let Some(left) = run.first().map(|s| s.start) else {
        return false;
    };
    run.iter().all(|s| s.role == Role::Manager)
        && left >= days(th.warn) + 31
        && left <= days(th.alert) - 31
        && left + 31 < window
}

/// The months of evidence of one career, oldest first: the last `months` months up to the
/// month of `as_of`, since the person joined, and only months with something in them.
pub(crate) fn write(
    career: &Career,
    habit: Habit,
    th: &GitThresholds,
    as_of: NaiveDate,
    months: u32,
    rng: &mut impl Rng,
) -> Vec<Month> {
    let mut out = Vec::new();
    if months == 0 {
        return out;
    }
    // The person's own pace as an engineer, and as a tech lead a little less.
    let pace = f64::from(rng.random_range(14..=38));
    let now = YearMonth::of(as_of);
    for back in (0..months).rev() {
        let Some(first) = now.first_day().checked_sub_months(Months::new(back)) else {
            continue;
        };
        let month = YearMonth::of(first);
        // A month belongs to the role held on its last day: a month in which someone
        // stopped hands-on work is already a management month.
        let last = first
            .checked_add_months(Months::new(1))
            .and_then(|d| d.pred_opt())
            .unwrap_or(as_of)
            .min(as_of);
        let ago = i32::try_from((as_of - last).num_days()).unwrap_or(i32::MAX);
        if ago >= career.tenure {
            continue;
        }
        let Some(k) = career
            .stints
            .iter()
            .position(|s| ago <= s.start && s.end.is_none_or(|e| ago > e))
        else {
            continue;
        };
        let Counts {
            commits,
            merges,
            coauthored,
        } = counts(career, k, ago, habit, pace, th, rng);
        if commits + coauthored + merges > 0 {
            out.push(Month {
                month,
                commits,
                merges,
                coauthored,
                repositories: rng.random_range(1..=3),
            });
        }
    }
    out
}

struct Counts {
    commits: u32,
    merges: u32,
    coauthored: u32,
}

/// One month's counts in the stint at `k`, for the month ending `ago` days before the as-of
/// day.
fn counts(
    career: &Career,
    k: usize,
    ago: i32,
    habit: Habit,
    pace: f64,
    th: &GitThresholds,
    rng: &mut impl Rng,
) -> Counts {
    let stint = &career.stints[k];
    let current = k + 1 == career.stints.len();
    // Now and then a quiet month: holidays, an offsite, a hard incident.
    let quiet = rng.random_bool(0.08);
    let noise = rng.random_range(0.7..1.3);
    let below = th.hands_on.saturating_sub(1);
    let (mut commits, mut merges, mut coauthored) = match stint.role {
        Role::Engineer | Role::TechLead if habit == Habit::Reviewing => (
            rng.random_range(0..=below.min(6)),
            rng.random_range(3..=12),
            0,
        ),
        Role::Engineer => (
            (pace * noise).round() as u32,
            rng.random_range(0..=3),
            rng.random_range(0..=3),
        ),
        Role::TechLead => (
            (pace * 0.7 * noise).round() as u32,
            rng.random_range(4..=14),
            rng.random_range(0..=4),
        ),
        Role::Manager if habit == Habit::Clinging && current => (
            th.clinging + rng.random_range(2..=th.clinging / 2 + 3),
            rng.random_range(2..=8),
            rng.random_range(0..=2),
        ),
        Role::Manager => {
            // Halving each month since the management run began, and then a few small
            // fixes, always under the hands-on threshold. Someone who mostly reviewed
            // before managing has nothing to taper from.
            let since = months_since(run_start(career, k), ago);
            let tapering = if habit == Habit::Reviewing {
                0
            } else {
                (pace * 0.5f64.powi(since + 1)).round() as u32
            };
            let trickle = if rng.random_bool(0.3) {
                rng.random_range(1..=3)
            } else {
                0
            };
            (tapering.max(trickle).min(below), rng.random_range(0..=3), 0)
        }
        Role::Hybrid => {
            // From about half the pace at the start of the stint to a fifth after two years.
            let since = f64::from(months_since(stint.start, ago));
            let share = (0.5 - 0.3 * since / 24.0).max(0.2);
            (
                (pace * share * noise).round() as u32,
                rng.random_range(2..=10),
                rng.random_range(0..=2),
            )
        }
    };
    if quiet && habit != Habit::Clinging {
        commits = commits.min(rng.random_range(0..=3));
        merges = merges.min(1);
        coauthored = 0;
    }
    Counts {
        commits,
        merges,
        coauthored,
    }
}

/// Where the run of management stints holding stint `k` began, in days before the as-of
/// day.
fn run_start(career: &Career, k: usize) -> i32 {
    let stints: &[Draft] = &career.stints[..=k];
    let first = stints
        .iter()
        .rposition(|s| !s.role.manages())
        .map_or(0, |h| h + 1);
    stints[first.min(k)].start
}

/// Whole months from `start` to `ago`, both in days before the as-of day.
fn months_since(start: i32, ago: i32) -> i32 {
    ((start - ago).max(0) as f64 / pendulum_core::period::DAYS_PER_MONTH) as i32
}
