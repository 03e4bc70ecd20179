//! Calendar evidence: meeting, focus, fragmented and after-hours time per ISO week, over the
//! last few full weeks.
//!
//! Engineers keep long free stretches and sit in few meetings, tech leads in a few more;
//! managers live in meetings and keep little focus time; hybrids sit in between. Two patterns
//! break the mould, so that the calendar facts have something to say: a few makers whose
//! weeks are chopped up by meetings, under the policy's minimum of focus time every week
//! (`interrupted-maker`), and a few hybrids drowning in meetings (`hybrid-drift` shows their
//! meeting load).
//!
//! The patterns and the hours come from their own random stream, so an org with calendar
//! evidence has the same people, stints, check-ins and git evidence as one without.

use chrono::{Datelike, Days, NaiveDate};
use pendulum_core::{IsoWeek, Policy, Role};
use rand::Rng;
use rand::seq::SliceRandom;

use crate::career::Career;

/// How many full weeks of calendar evidence the demo writes.
pub(crate) const WEEKS: u32 = 12;

/// The policy's numbers the generator works with, in hours a week.
#[derive(Debug, Clone)]
pub(crate) struct CalendarThresholds {
    /// Working hours in a week: the policy's working day times its working days.
    working: f64,
    min_focus: f64,
    /// A tech lead's minimum of focus time, when the policy counts tech leads as makers.
    tech_lead_min_focus: Option<f64>,
}

impl CalendarThresholds {
    pub fn new(policy: &Policy) -> Self {
        let c = &policy.calendar;
        let day = (c.day_end() - c.day_start()).num_minutes() as f64 / 60.0;
        Self {
            working: day * c.working_days().len() as f64,
            min_focus: c.min_focus_hours,
            tech_lead_min_focus: c
                .tech_leads_are_makers
                .then_some(c.tech_lead_min_focus_hours),
        }
    }

    /// The minimum of focus time the policy holds someone in `role` to, if it holds them
    /// to one: engineers, and tech leads when they count as makers.
    fn maker_min_focus(&self, role: Role) -> Option<f64> {
        match role {
            Role::Engineer => Some(self.min_focus),
            Role::TechLead => self.tech_lead_min_focus,
            Role::Manager | Role::Hybrid => None,
        }
    }
}

/// How a person's weeks depart from their role's usual pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Pattern {
    Usual,
    /// A maker (an engineer, or a tech lead when the policy counts them) under the policy's
    /// minimum of focus time every week.
    Interrupted,
    /// A hybrid whose weeks are nearly all meetings.
    Drowning,
}

/// One week of evidence, before the person's id is known.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Week {
    pub week: IsoWeek,
    pub meeting: f64,
    pub focus: f64,
    pub fragmented: f64,
    pub after_hours: f64,
}

/// Every seat's pattern: a few makers who have held their role through all the weeks are
/// interrupted, and a few hybrids drown, one of each at least when someone fits; the rest are
/// usual. Nothing is drawn when no weeks are written.
pub(crate) fn patterns(
    careers: &[Career],
    weeks: u32,
    th: &CalendarThresholds,
    rng: &mut impl Rng,
) -> Vec<Pattern> {
    let mut patterns = vec![Pattern::Usual; careers.len()];
    if weeks == 0 {
        return patterns;
    }
    // Held since before the first week written, with a week to spare.
    let settled = i32::try_from(weeks * 7 + 14).unwrap_or(i32::MAX);
    let current = |c: &Career| c.stints.last().map(|s| (s.role, s.start));
    let mut makers: Vec<usize> = (0..careers.len())
        .filter(|&i| {
            current(&careers[i])
                .is_some_and(|(role, start)| th.maker_min_focus(role).is_some() && start >= settled)
        })
        .collect();
    let mut hybrids: Vec<usize> = (0..careers.len())
        .filter(|&i| current(&careers[i]).is_some_and(|(role, _)| role == Role::Hybrid))
        .collect();
    for (seats, pattern, per) in [
        (&mut makers, Pattern::Interrupted, 30),
        (&mut hybrids, Pattern::Drowning, 4),
    ] {
        seats.shuffle(rng);
        for &i in seats.iter().take(1 + seats.len() / per) {
            patterns[i] = pattern;
        }
    }
    patterns
}

/// The weeks of evidence of one career, oldest first: the last `weeks` full ISO weeks that
/// ended on or before `as_of`, from the week the person joined. Hours are in quarter hours,
/// and meetings, focus and fragmented time add up to the working week.
pub(crate) fn write(
    career: &Career,
    pattern: Pattern,
    th: &CalendarThresholds,
    as_of: NaiveDate,
    weeks: u32,
    rng: &mut impl Rng,
) -> Vec<Week> {
    let mut out = Vec::new();
    // The Monday after the last full week.
    let after = as_of + Days::new(1);
    let end = after - Days::new(u64::from(after.weekday().num_days_from_monday()));
    for back in (1..=u64::from(weeks)).rev() {
        let monday = end - Days::new(7 * back);
        let ago = i32::try_from((as_of - monday).num_days()).unwrap_or(i32::MAX);
        if ago >= career.tenure {
            continue;
        }
        // A week belongs to the role held on its Monday.
        let Some(stint) = career
            .stints
            .iter()
            .find(|s| ago <= s.start && s.end.is_none_or(|e| ago > e))
        else {
            continue;
        };
        out.push(week(IsoWeek::of(monday), stint.role, pattern, th, rng));
    }
    out
}

fn week(
    week: IsoWeek,
    role: Role,
    pattern: Pattern,
    th: &CalendarThresholds,
    rng: &mut impl Rng,
) -> Week {
    let w = th.working;
    // Meetings as a share of the working week, and the share of the free time left in blocks
    // long enough to count as focus.
    let (meeting, focus_share, after_hours) = match (role, pattern) {
        (Role::Engineer | Role::TechLead, Pattern::Interrupted) => {
            (rng.random_range(0.35..0.5), 0.0, late(rng, 0.4))
        }
        (Role::Engineer, _) => (
            rng.random_range(0.1..0.22),
            rng.random_range(0.6..0.85),
            0.0,
        ),
        (Role::TechLead, _) => (
            rng.random_range(0.2..0.35),
            rng.random_range(0.55..0.8),
            late(rng, 0.2),
        ),
        (Role::Hybrid, Pattern::Drowning) => (
            rng.random_range(0.75..0.85),
            rng.random_range(0.0..0.3),
            rng.random_range(3.0..8.0),
        ),
        (Role::Hybrid, _) => (
            rng.random_range(0.4..0.55),
            rng.random_range(0.3..0.5),
            late(rng, 0.5),
        ),
        (Role::Manager, _) => (
            rng.random_range(0.5..0.7),
            rng.random_range(0.15..0.4),
            late(rng, 0.6),
        ),
    };
    let meeting = quarter(w * meeting);
    let free = w - meeting;
    let interrupted = (pattern == Pattern::Interrupted)
        .then(|| th.maker_min_focus(role))
        .flatten();
    let focus = if let Some(min_focus) = interrupted {
        // Some focus, never the policy's minimum.
        quarter(min_focus * rng.random_range(0.1..0.7)).min(free)
    } else if matches!(role, Role::Engineer | Role::TechLead) {
        // A usual maker keeps the policy's minimum with room to spare, where the week allows.
        quarter((free * focus_share).max((th.min_focus * 1.2 + 1.0).min(free)))
    } else {
        quarter(free * focus_share)
    };
    let focus = focus.min(free);
    Week {
        week,
        meeting,
        focus,
        fragmented: free - focus,
        after_hours: quarter(after_hours),
    }
}

/// Meetings after hours in some weeks: up to three hours, with the chance given.
fn late(rng: &mut impl Rng, chance: f64) -> f64 {
    if rng.random_bool(chance) {
        rng.random_range(0.5..3.0)
    } else {
        0.0
    }
}

/// Rounded to the quarter hour.
fn quarter(hours: f64) -> f64 {
    (hours * 4.0).round() / 4.0
}
