//! Check-ins: how people say their work feels, every few months over the last two to three
//! years.
//!
//! `unhappy-manager`, `new-manager-grace`, `itch` and `reports-unhappy` read only the recent
//! check-ins, `swing-again` those from the time someone managed, while the timeline draws
//! them all. So each person has a mood, chosen with their story: the recent scores say what
//! the story needs (falling joy, low energy, little learning, or nothing to worry about),
//! and the older ones wander around the person's usual scores. People in an unhappy team
//! share its low joy, whatever their own story. A manager who is having a hard time checks
//! in more often, monthly or so, as someone in trouble is asked to.

use rand::Rng;
use rand::seq::IndexedRandom;

use crate::career::{Career, Morale, Thresholds, days};

/// How the recent check-ins read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mood {
    /// Steady or rising scores.
    Content,
    /// Joy falling to low.
    Unhappy,
    /// Low energy, as in the first hard months of managing.
    Drained,
    /// Learning little.
    Itchy,
    /// Content now, and content while managing before, with check-ins from then.
    Fulfilled,
}

/// What happened at a running or overdue trial's mid-point, in days before `as_of`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Midpoint {
    /// No check-in on or after the mid-point.
    Skipped(i32),
    /// A review check-in soon after the mid-point, once it has passed.
    Held(i32),
}

/// One check-in, dated in days before `as_of`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Entry {
    pub ago: i32,
    pub joy: u8,
    pub energy: u8,
    pub learning: u8,
    pub note: Option<&'static str>,
}

const CONTENT_NOTES: [&str; 8] = [
    "Good quarter: the team shipped the migration.",
    "Pairing more this month, and enjoying it.",
    "Steady. Nothing to report.",
    "Learned a lot from the incident review.",
    "Enjoying the new project.",
    "Mentoring a new hire; it is going well.",
    "Finally fixed the flaky build.",
    "I feel trusted by the team.",
];
const UNHAPPY_NOTES: [&str; 5] = [
    "Back-to-back meetings all week.",
    "I miss building things.",
    "Two hard conversations with reports this month.",
    "Not sure managing is for me any more.",
    "Most days end without anything I would call progress.",
];
const DRAINED_NOTES: [&str; 4] = [
    "Still finding my feet as a manager.",
    "Exhausted: hiring and one-on-ones fill every day.",
    "Everything takes longer than I expected.",
    "Asked for a mentor; waiting to hear back.",
];
const ITCHY_NOTES: [&str; 4] = [
    "Same problems as last year.",
    "I could do this in my sleep.",
    "Looking for something new to learn.",
    "Restless. Maybe it is time for a change.",
];
const LOW_MORALE_NOTES: [&str; 5] = [
    "Priorities changed again this month.",
    "The team is stretched thin.",
    "Hard to see where we are going.",
    "On-call has been rough.",
    "Nobody seems to have time for questions.",
];
const REVIEW_NOTE: &str = "Mid-point review of the trial.";

/// Share of people who check in at all when nothing in their story needs them to.
const PARTICIPATION: f64 = 0.85;

/// The person's check-ins, oldest first.
pub(crate) fn write(career: &Career, th: &Thresholds, rng: &mut impl Rng) -> Vec<Entry> {
    let needed =
        career.mood != Mood::Content || career.midpoint.is_some() || career.morale == Morale::Low;
    if !needed && !rng.random_bool(PARTICIPATION) {
        return Vec::new();
    }
    // Every three months or so, the latest a few weeks ago: at least two fall inside the
    // rules' window of six months.
    let mut span = career.tenure.min(rng.random_range(days(24.0)..=days(36.0)));
    if career.mood == Mood::Fulfilled {
        // Back into the management stint before the current run, far enough for the
        // check-ins `swing-again` counts, at one every 110 days at most.
        let managing = 110 * (i32::try_from(th.managing_checkins).unwrap_or(i32::MAX / 220) + 1);
        span = span.max(career.run_start() + managing).min(career.tenure);
    }
    // Someone having a hard time checks in monthly or so over the window, often enough for
    // the rules to read their mood.
    let troubled = matches!(career.mood, Mood::Unhappy | Mood::Drained);
    let needs = i32::try_from(th.mood_checkins).unwrap_or(i32::MAX).max(1);
    let close = ((th.window_days - 25) / needs).clamp(7, 45);
    let mut dates = Vec::with_capacity(16);
    let mut ago = if troubled {
        rng.random_range(3..=20)
    } else {
        rng.random_range(3..=45)
    };
    while ago <= span {
        dates.push(ago);
        ago += if troubled && ago < th.window_days {
            rng.random_range(close * 2 / 3..=close)
        } else {
            rng.random_range(75..=110)
        };
    }
    let mut review = None;
    match career.midpoint {
        Some(Midpoint::Skipped(midpoint)) => dates.retain(|&a| a > midpoint),
        Some(Midpoint::Held(midpoint))
            if midpoint >= 0 && !dates.iter().any(|&a| a <= midpoint) =>
        {
            let at = midpoint - rng.random_range(0..=midpoint.min(th.trial_grace_days));
            dates.push(at);
            dates.sort_unstable();
            review = Some(at);
        }
        _ => {}
    }

    let usual = Scores {
        joy: if career.mood == Mood::Fulfilled {
            // Above the joy `swing-again` asks for, without wandering below it.
            if th.managing_joy > 4.0 {
                5
            } else {
                *[4, 4, 5].choose(rng).expect("listed")
            }
        } else {
            *[3, 4, 4, 5].choose(rng).expect("listed")
        },
        energy: *[3, 3, 4, 4, 5].choose(rng).expect("listed"),
        learning: *[3, 3, 4, 4, 5].choose(rng).expect("listed"),
    };
    let rising = rng.random_bool(0.3);
    let recent_days = th.window_days + 20;
    let recent_count = dates.iter().filter(|&&a| a <= recent_days).count();
    let unhappy = unhappy_joy(recent_count, th.low_joy);
    let mut entries: Vec<Entry> = dates
        .iter()
        .enumerate()
        .map(|(newest_first, &ago)| {
            let recent = ago <= recent_days;
            let k = newest_first.min(2);
            let mut s = match (career.mood, recent) {
                (Mood::Content | Mood::Fulfilled, true) => Scores {
                    joy: usual.joy + i32::from(newest_first == 0 && rising),
                    ..usual
                },
                (Mood::Unhappy, true) => Scores {
                    joy: if newest_first == 0 {
                        rng.random_range(1..=2)
                    } else {
                        unhappy[newest_first]
                    },
                    energy: 2 + rng.random_range(0..=1),
                    learning: usual.learning,
                },
                (Mood::Drained, true) => Scores {
                    joy: if k == 0 { rng.random_range(2..=3) } else { 3 },
                    energy: if k == 0 { rng.random_range(1..=2) } else { 2 },
                    learning: usual.learning,
                },
                (Mood::Itchy, true) => Scores {
                    joy: 3,
                    energy: 3,
                    learning: if k == 0 { rng.random_range(1..=2) } else { 2 },
                },
                // Further back the scores wander around the usual ones; unhappy managers
                // were happier, restless people learned more, and fulfilled ones were as
                // happy as now.
                (mood, false) => Scores {
                    joy: match mood {
                        Mood::Unhappy => rng.random_range(4..=5),
                        Mood::Fulfilled => usual.joy,
                        _ => usual.joy + wander(rng),
                    },
                    energy: usual.energy + wander(rng),
                    learning: match mood {
                        Mood::Itchy => 3 + i32::from(ago > 500),
                        _ => usual.learning + wander(rng),
                    },
                },
            };
            if recent && career.morale == Morale::Low {
                s.joy = rng.random_range(1..=2);
            }
            let note = if review == Some(ago) {
                Some(REVIEW_NOTE)
            } else {
                let list: &[&'static str] = match (career.mood, career.morale, recent) {
                    (Mood::Unhappy, _, true) => &UNHAPPY_NOTES,
                    (Mood::Drained, _, true) => &DRAINED_NOTES,
                    (Mood::Itchy, _, true) => &ITCHY_NOTES,
                    (_, Morale::Low, true) => &LOW_MORALE_NOTES,
                    _ => &CONTENT_NOTES,
                };
                let odds =
                    if (career.mood != Mood::Content || career.morale == Morale::Low) && recent {
                        0.5
                    } else {
                        0.12
                    };
                rng.random_bool(odds)
                    .then(|| *list.choose(rng).expect("listed"))
            };
            Entry {
                ago,
                joy: score(s.joy),
                energy: score(s.energy),
                learning: score(s.learning),
                note,
            }
        })
        .collect();
    entries.reverse();
    entries
}

/// Joy for an unhappy manager's `n` recent check-ins, newest first: 2 throughout, and 3 for
/// the oldest few while the mean, with the newest at its highest of 2, stays at `low` or
/// under. So the joy reads as low however many check-ins the window holds, and usually as
/// falling too once there are enough for two halves.
fn unhappy_joy(n: usize, low: f64) -> Vec<i32> {
    let mut joy = vec![2; n];
    let budget = (low * n as f64).floor() as i64 - 2 * n as i64;
    let raised = usize::try_from(budget.max(0))
        .unwrap_or(0)
        .min(n.saturating_sub(2));
    for j in joy.iter_mut().rev().take(raised) {
        *j = 3;
    }
    joy
}

#[derive(Debug, Clone, Copy)]
struct Scores {
    joy: i32,
    energy: i32,
    learning: i32,
}

/// A step of -1, 0 or +1, mostly 0.
fn wander(rng: &mut impl Rng) -> i32 {
    match rng.random_range(0..5) {
        0 => -1,
        4 => 1,
        _ => 0,
    }
}

fn score(raw: i32) -> u8 {
    raw.clamp(1, 5) as u8
}
