//! A life lived backwards from `as_of`: the plan of a person's stints from their story,
//! and their answers about managing.

use pendulum_core::Willingness;
use rand::Rng;

use super::history::write_stints;
use super::{Answer, Career, Cast, Morale, Story, Thresholds, days, weighted, within};
use crate::checkins::{Midpoint, Mood};
use crate::org::{Org, Post, Seat};

/// What comes before the current side of the pendulum.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Before {
    /// Alternating runs on either side, as far back as the level allows managing.
    Pendulum,
    /// Hands-on work only.
    HandsOnOnly,
    /// A short management trial that ended with a swing back, and hands-on work before it.
    FailedTrial,
}

/// How the current side's run splits into two stints, when it does.
#[derive(Debug, Clone, Copy)]
pub(super) enum Split {
    /// The same role one level lower.
    Promotion,
    /// Whatever fits on the same side: a promotion, a change of role, a move to another team.
    Any,
    /// A change of role or team at the same level.
    KeepLevel,
    /// A trial of the same role and this many days, confirmed when it ended.
    ConfirmedTrial { days: i32 },
}

/// The facts a story fixes about the present.
#[derive(Debug, Clone)]
pub(super) struct Plan {
    /// Days since the current stint began; set from `run` and `split` once the story is
    /// told.
    pub(super) current: i32,
    /// Days since the current side of the pendulum began.
    pub(super) run: i32,
    pub(super) split: Option<Split>,
    pub(super) before: Before,
    pub(super) chosen: bool,
    /// The current stint is a trial of this many days.
    pub(super) trial_days: Option<i32>,
    /// How the most recent swing was booked.
    pub(super) booked: Booking,
}

/// What a swing changed besides the role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Booking {
    /// Nothing: the level and the band stay.
    Kept,
    /// The level, and the band with it.
    Level,
    /// The band only, one up: a raise that came with the move into management.
    Pay,
}

/// Writes the career a story asks for; `morale` is how the person's team feels.
pub(crate) fn live(
    seat: &Seat,
    cast: Cast,
    morale: Morale,
    org: &Org,
    th: &Thresholds,
    rng: &mut impl Rng,
) -> Career {
    use Story::*;
    let manages = seat.role.manages();
    let mut willing = if manages {
        weighted(rng, &[(Willingness::Yes, 4), (Willingness::Unknown, 1)])
    } else {
        weighted(
            rng,
            &[
                (Willingness::Yes, 6),
                (Willingness::Unknown, 2),
                (Willingness::No, 2),
            ],
        )
    };
    let mut mood = Mood::Content;
    let mut midpoint = None;
    let mut plan = Plan {
        current: 0,
        run: 0,
        split: None,
        before: Before::HandsOnOnly,
        chosen: true,
        trial_days: None,
        booked: Booking::Kept,
    };
    match cast.story {
        Settled => {
            plan.run = within(rng, 6.0, th.warn);
            plan.split = Some(Split::Any);
            plan.before = pendulum_or_not(rng, 0.6);
        }
        Seasoned | Veteran | Lifer => {
            let (lo, hi, p) = match cast.story {
                Seasoned => (th.warn, th.alert, 0.7),
                Veteran => (th.alert, th.reentry, 0.8),
                _ => (th.reentry, th.reentry + 30.0, 1.0),
            };
            plan.run = within(rng, lo, hi);
            plan.split = Some(Split::Promotion);
            plan.before = pendulum_or_not(rng, p);
        }
        FirstTime => {
            if rng.random_bool(0.3) {
                let trial = rng.random_range(90..=122);
                plan.run = within(rng, 1.5, th.grace - 4.0) + trial;
                plan.split = Some(Split::ConfirmedTrial { days: trial });
            } else {
                plan.run = within(rng, 2.0, th.grace);
            }
        }
        PromotedIn => {
            plan.run = within(rng, 3.0, th.lookback.min(th.warn));
            plan.booked = if rng.random_bool(0.5) {
                Booking::Level
            } else {
                Booking::Pay
            };
        }
        Struggling => {
            // Long enough in that a new manager who still codes would show in git.
            plan.run = within(rng, (th.clinging_after + 1.0).max(3.0), th.grace);
            mood = if rng.random_bool(0.5) {
                Mood::Drained
            } else {
                Mood::Unhappy
            };
        }
        Unhappy => {
            plan.run = within(rng, th.grace, th.alert);
            plan.split = Some(Split::Promotion);
            plan.before = pendulum_or_not(rng, 0.5);
            mood = Mood::Unhappy;
        }
        Reluctant => {
            plan.run = within(rng, 4.0, th.warn);
            plan.before = pendulum_or_not(rng, 0.3);
            plan.chosen = false;
            willing = if rng.random_bool(0.7) {
                Willingness::No
            } else {
                Willingness::Unknown
            };
            if rng.random_bool(0.4) {
                mood = Mood::Unhappy;
            }
        }
        TrialOverdue | TrialMidpoint | OnTrial => {
            let mut trial: i32 = rng.random_range(90..=122);
            plan.run = match cast.story {
                TrialOverdue => trial + rng.random_range(7..=75),
                TrialMidpoint => {
                    // Past the mid-point and its grace, before the decision date.
                    trial = trial.max(2 * (th.trial_grace_days + 10));
                    let lo = trial / 2 + th.trial_grace_days + 3;
                    let hi = trial - 3;
                    if lo < hi {
                        rng.random_range(lo..=hi)
                    } else {
                        hi
                    }
                }
                _ => rng.random_range(7..=trial - 3),
            };
            plan.trial_days = Some(trial);
            let days_since_midpoint = plan.run - trial / 2;
            midpoint = Some(if cast.story == TrialMidpoint {
                Midpoint::Skipped(days_since_midpoint)
            } else {
                Midpoint::Held(days_since_midpoint)
            });
        }
        HybridDrifting => {
            plan.run = within(rng, th.hybrid_warn, th.hybrid_warn + 24.0);
            plan.before = pendulum_or_not(rng, 0.4);
        }
        HybridNew => {
            plan.run = within(rng, 1.0, th.hybrid_warn);
            plan.before = pendulum_or_not(rng, 0.4);
        }
        Swinger => {
            plan.run = within(rng, th.returning, 60.0);
            plan.split = Some(Split::KeepLevel);
            plan.before = if rng.random_bool(0.7) {
                Before::Pendulum
            } else {
                Before::FailedTrial
            };
        }
        BookedDown => {
            plan.run = within(rng, 3.0, th.lookback);
            plan.before = Before::Pendulum;
            plan.booked = Booking::Level;
        }
        Returning => {
            plan.run = within(rng, 1.0, th.returning);
            plan.before = Before::Pendulum;
        }
        Bench => {
            plan.run = within(rng, th.cool_down, th.cool_down + 6.0);
            plan.split = Some(Split::KeepLevel);
            plan.before = Before::Pendulum;
            willing = Willingness::Yes;
            mood = Mood::Fulfilled;
        }
        Craftsperson | UntriedLead => {
            plan.run = within(rng, 3.0, 48.0);
            willing = match cast.story {
                Craftsperson => Willingness::No,
                // An old "no", asked again when the history is long enough for one.
                _ => weighted(
                    rng,
                    &[
                        (Willingness::Yes, 45),
                        (Willingness::Unknown, 35),
                        (Willingness::No, 20),
                    ],
                ),
            };
        }
        Restless => {
            plan.run = within(rng, th.itch, th.itch + 36.0);
            if cast.rank >= th.lead_floor {
                plan.before = pendulum_or_not(rng, 0.5);
            }
            mood = Mood::Itchy;
        }
        Growing => {
            plan.run = within(rng, 2.0, 30.0);
            willing = weighted(
                rng,
                &[
                    (Willingness::Yes, 6),
                    (Willingness::No, 5),
                    (Willingness::Unknown, 9),
                ],
            );
        }
    }
    plan.current = match plan.split {
        Some(Split::ConfirmedTrial { days }) => plan.run - days,
        Some(_) if plan.run >= days(14.0) && rng.random_bool(0.4) => {
            (f64::from(plan.run) * rng.random_range(0.35..0.75)) as i32
        }
        _ => plan.run,
    };

    let prior = match plan.before {
        Before::Pendulum => days(30.0),
        Before::HandsOnOnly if manages => days(18.0),
        Before::HandsOnOnly => 0,
        Before::FailedTrial => days(8.0),
    };
    let u: f64 = rng.random();
    let drawn = match seat.post {
        Post::Leader => days(84.0 + 36.0 * u),
        Post::DeptHead => days(48.0 + 72.0 * u),
        Post::TeamLead => days(24.0 + 96.0 * u),
        Post::Member if cast.rank >= th.lead_floor => days(4.0 + 116.0 * u.powf(1.2)),
        Post::Member => days(2.0 + 46.0 * u.powf(1.3)),
    };
    let stints = write_stints(
        seat,
        cast.rank,
        &plan,
        drawn.max(plan.run + prior),
        org,
        th,
        rng,
    );
    let tenure = stints[0].start;
    if cast.story == UntriedLead
        && willing == Willingness::No
        && tenure < days(th.ask_again) + OLD_NO_ROOM
    {
        willing = Willingness::Unknown;
    }
    let answers = answers(cast.story, willing, tenure, plan.run, th, rng);
    Career {
        willing,
        answers,
        tenure,
        stints,
        mood,
        morale,
        midpoint,
    }
}

/// The history an untried lead's old "no" needs beyond the policy's age for asking again,
/// in days: a month past that age, and room for an answer before it.
pub(super) const OLD_NO_ROOM: i32 = 30 + 200;

/// A day of an earlier answer: half a year to a year and a half before the one `ago` days
/// ago, if the person had joined by then.
pub(super) fn earlier(rng: &mut impl Rng, ago: i32, joined: i32) -> Option<i32> {
    let lo = ago + 180;
    (lo <= joined).then(|| day_between(rng, lo, (ago + 540).min(joined)))
}

/// A day between `lo` and `hi` days ago, both included; `hi` when the range is empty.
pub(super) fn day_between(rng: &mut impl Rng, lo: i32, hi: i32) -> i32 {
    if lo >= hi {
        hi
    } else {
        rng.random_range(lo..=hi)
    }
}

/// The person's answers about managing, oldest first, the last one being `willing`; none
/// when nobody has asked yet, which only an unknown answer can mean.
///
/// People are asked at their reviews, so the answer on record is from the last three years,
/// and now and then a different, earlier answer is on record too. A "no" from someone who
/// never managed is either recent or the second "no" in a row, which is final; only the
/// untried lead's old "no" is old enough to be asked again.
pub(super) fn answers(
    story: Story,
    willing: Willingness,
    tenure: i32,
    run: i32,
    th: &Thresholds,
    rng: &mut impl Rng,
) -> Vec<Answer> {
    use Willingness::{No, Unknown, Yes};
    if willing == Unknown && rng.random_bool(0.5) {
        return Vec::new();
    }
    let joined = tenure - 1;
    let ask_again = days(th.ask_again);
    let recent = day_between(rng, 7, joined.min(days(36.0)));
    let (ago, before) = match (story, willing) {
        (Story::UntriedLead, No) => {
            let ago = day_between(
                rng,
                ask_again + 30,
                (ask_again + days(30.0)).min(joined - 200),
            );
            let before = rng.random_bool(0.4).then_some(Unknown);
            (ago, before.zip(earlier(rng, ago, joined)))
        }
        (Story::Craftsperson, _) if recent + 30 >= ask_again => {
            match earlier(rng, recent, joined) {
                Some(day) => (recent, Some((No, day))),
                None => (day_between(rng, 7, ask_again - 30), None),
            }
        }
        // Since the swing back, or since being made a manager.
        (Story::Bench | Story::Reluctant, _) => (day_between(rng, 7, run - 7), None),
        (_, answer) => {
            let other = match answer {
                Yes => Unknown,
                No | Unknown => Yes,
            };
            let before = rng.random_bool(0.25).then_some(other);
            (recent, before.zip(earlier(rng, recent, joined)))
        }
    };
    let mut answers = Vec::with_capacity(2);
    if let Some((answer, ago)) = before {
        answers.push(Answer { ago, answer });
    }
    answers.push(Answer {
        ago,
        answer: willing,
    });
    answers
}

/// Alternating sides of the pendulum with probability `p`, hands-on work only otherwise.
pub(super) fn pendulum_or_not(rng: &mut impl Rng, p: f64) -> Before {
    if rng.random_bool(p) {
        Before::Pendulum
    } else {
        Before::HandsOnOnly
    }
}
