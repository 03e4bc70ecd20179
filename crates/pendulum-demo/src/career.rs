//! Careers: the story each person in the org lives, and the stints that tell it.
//!
//! The rules look for stories (a manager three years away from hands-on work, a tech lead
//! who never managed, a trial nobody decided on), so a story is chosen first for every seat.
//! The stints are then written backwards from `as_of`: the facts a rule reads, such as how
//! long the current stint has run or how far back the last hands-on stint ended, come out
//! exactly as the story asked, while the older past is free to swing between the two sides
//! of the pendulum. Levels climb slowly and change at a swing only where the story is about
//! a swing booked as a promotion. Pay bands follow the level on one scale for both tracks,
//! so an ordinary swing keeps the band too.
//!
//! Each person's answers about managing are written with their career: when they were last
//! asked, and now and then what they said before, so that an old "no" can be asked again and
//! a "no" given twice is left alone.

use pendulum_core::period::DAYS_PER_MONTH;
use pendulum_core::{Policy, Role, Side, Willingness};
use rand::Rng;
use rand::seq::SliceRandom;

use crate::checkins::{Midpoint, Mood};
use crate::org::{Org, Post, Seat};

/// The pay band of the lowest level; each level spans [`BANDS_PER_LEVEL`] bands above it.
const LOWEST_BAND: u16 = 20;
const BANDS_PER_LEVEL: u16 = 3;

/// The band someone at level `rank` is paid in: the first band of the level, the same on
/// either side of the pendulum.
pub(crate) fn band(rank: u8) -> u16 {
    LOWEST_BAND + BANDS_PER_LEVEL * u16::from(rank)
}

/// The policy's thresholds, as the generator uses them.
#[derive(Debug, Clone)]
pub(crate) struct Thresholds {
    /// `hands-on-distance` thresholds, in months.
    warn: f64,
    alert: f64,
    reentry: f64,
    hybrid_warn: f64,
    grace: f64,
    lookback: f64,
    itch: f64,
    /// The months into a management span after which git can show a manager still coding.
    clinging_after: f64,
    /// `returning-engineer`'s months back, the rotation's cool-down (after which a former
    /// manager is on the bench), and the age of a "no" that is asked again, in months.
    returning: f64,
    cool_down: f64,
    ask_again: f64,
    /// The fewest reports whose check-ins `reports-unhappy` reads.
    min_group: usize,
    /// How far back the rules read check-ins, in days, counted as the rules count it.
    pub window_days: i32,
    /// How many check-ins inside the window a manager's mood needs before a rule reads it.
    pub mood_checkins: u32,
    /// The highest mean joy that reads as low.
    pub low_joy: f64,
    /// Check-ins while managing that `swing-again` needs, and their lowest mean joy.
    pub managing_checkins: u32,
    pub managing_joy: f64,
    pub trial_grace_days: i32,
    senior: u8,
    top: u8,
    /// The lowest level at which anyone leads: a tech lead, a hybrid or a manager.
    lead_floor: u8,
}

impl Thresholds {
    pub fn new(policy: &Policy) -> Self {
        let senior = policy.senior_level().rank();
        let top = u8::try_from(policy.ladder.levels().count() - 1)
            .expect("a ladder has at most 255 levels");
        let window = policy.checkins.window_months;
        let hands_on = &policy.hands_on_distance;
        Self {
            warn: f64::from(hands_on.warn_months),
            alert: f64::from(hands_on.alert_months),
            reentry: f64::from(hands_on.reentry_months),
            hybrid_warn: f64::from(policy.hybrid_drift.warn_months),
            grace: f64::from(policy.new_manager_grace.months),
            lookback: f64::from(policy.swing_as_promotion.lookback_months),
            itch: f64::from(policy.itch.stint_months),
            clinging_after: f64::from(policy.git.clinging_after_months),
            returning: f64::from(policy.returning_engineer.months),
            cool_down: f64::from(policy.rotation.cool_down_months),
            ask_again: f64::from(policy.lead_without_management.ask_again_months),
            min_group: usize::try_from(policy.pulse.min_group_size).unwrap_or(usize::MAX),
            window_days: i32::try_from(window * 30 + window / 2).unwrap_or(i32::MAX),
            mood_checkins: policy
                .unhappy_manager
                .min_checkins
                .max(policy.checkins.min_count),
            low_joy: policy
                .checkins
                .low_score
                .min(policy.reports_unhappy.low_score),
            managing_checkins: policy.swing_again.min_checkins,
            managing_joy: policy.swing_again.min_joy,
            trial_grace_days: i32::try_from(policy.trial.midpoint_grace_days).unwrap_or(i32::MAX),
            senior,
            top,
            lead_floor: senior.saturating_sub(1),
        }
    }
}

/// What a person's ledger is about, as of the demo's day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Story {
    /// A manager well within reach of hands-on work.
    Settled,
    /// Managing long enough for a `hands-on-distance` warning.
    Seasoned,
    /// Long enough for an alert.
    Veteran,
    /// Past the point where the way back needs a re-entry plan.
    Lifer,
    /// In a first management stint, and doing fine.
    FirstTime,
    /// A recent first move into management, booked with a level change.
    PromotedIn,
    /// A first management stint that is hard going.
    Struggling,
    /// A manager whose joy is low or falling.
    Unhappy,
    /// Managing without wanting to, or without having chosen it.
    Reluctant,
    /// A management trial whose decision date has passed.
    TrialOverdue,
    /// A management trial past its mid-point with no check-in since.
    TrialMidpoint,
    /// A management trial going as planned.
    OnTrial,
    /// A hybrid for longer than it lasts.
    HybridDrifting,
    /// A hybrid of a few months.
    HybridNew,
    /// Hands-on again after managing, past the first months back.
    Swinger,
    /// Back on hands-on work after managing, within the first months.
    Returning,
    /// Hands-on again for longer than the cool-down, after managing happily, and willing to
    /// manage again: the bench for the next team that needs a manager.
    Bench,
    /// A hands-on engineer who never wants to manage.
    Craftsperson,
    /// A tech lead or senior engineer who has never managed but might.
    UntriedLead,
    /// Years in the same stint and learning little.
    Restless,
    /// Back to hands-on work recently, booked with a level change.
    BookedDown,
    /// Early in a hands-on career.
    Growing,
}

/// How the people someone manages feel about their work lately.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Morale {
    /// However each of them feels.
    Usual,
    /// Low joy all round, over the months the rules read.
    Low,
}

/// A seat's story and current level, and for a team lead, how their team feels.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Cast {
    pub story: Story,
    pub rank: u8,
    pub team: Morale,
}

/// One stint as the generator writes it, dated in days before `as_of`.
#[derive(Debug, Clone)]
pub(crate) struct Draft {
    pub role: Role,
    pub rank: u8,
    /// Index into the org's teams.
    pub team: usize,
    pub start: i32,
    /// The first day after the stint; `None` while it lasts.
    pub end: Option<i32>,
    pub chosen: bool,
    /// The trial's decision date; negative while it is still ahead.
    pub trial_end: Option<i32>,
    pub band: u16,
}

/// An answer to "would you like to manage?", dated in days before `as_of`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Answer {
    pub ago: i32,
    pub answer: Willingness,
}

/// Everything about a person's past that the ledger will show.
#[derive(Debug, Clone)]
pub(crate) struct Career {
    /// The current answer about managing: the last of `answers`, or unknown when nobody
    /// has asked.
    pub willing: Willingness,
    /// Every answer recorded, oldest first.
    pub answers: Vec<Answer>,
    /// Days since the person joined: the start of the oldest stint.
    pub tenure: i32,
    /// Oldest first; the last one is open.
    pub stints: Vec<Draft>,
    pub mood: Mood,
    /// How the person's team feels lately, which their own check-ins share.
    pub morale: Morale,
    pub midpoint: Option<Midpoint>,
}

impl Career {
    /// Days since the person's current side of the pendulum began: the first of the stints
    /// on it that follow each other without a swing.
    pub fn run_start(&self) -> i32 {
        let side = |d: &Draft| d.role.side();
        let current = self
            .stints
            .last()
            .expect("every career has a current stint");
        self.stints
            .iter()
            .rev()
            .take_while(|d| side(d) == side(current))
            .last()
            .map_or(current.start, |d| d.start)
    }
}

/// Whole days in `months` average months.
pub(crate) fn days(months: f64) -> i32 {
    (months * DAYS_PER_MONTH).round() as i32
}

/// A number of days strictly between `lo` and `hi` months, ten days clear of both, so that
/// no story lands on a threshold by rounding.
fn within(rng: &mut impl Rng, lo: f64, hi: f64) -> i32 {
    let (lo, hi) = (days(lo) + 10, days(hi) - 10);
    if lo >= hi {
        lo
    } else {
        rng.random_range(lo..hi)
    }
}

/// One of the options, each as likely as its share of the total weight.
fn weighted<T: Copy>(rng: &mut impl Rng, options: &[(T, u32)]) -> T {
    let total: u32 = options.iter().map(|&(_, w)| w).sum();
    let mut roll = rng.random_range(0..total);
    for &(item, weight) in options {
        if roll < weight {
            return item;
        }
        roll -= weight;
    }
    unreachable!("the roll is below the total weight")
}

/// Chooses every seat's level and story, and how each team lead's team feels.
///
/// A handful of stories are cast first, each on a seat picked at random among those that
/// fit, so that an org of a few dozen people already shows every rule at work; the other
/// seats draw their stories by weight, which sets how common each story is in a large org.
pub(crate) fn cast(org: &Org, th: &Thresholds, rng: &mut impl Rng) -> Vec<Cast> {
    use Story::*;
    let ranks: Vec<u8> = org.seats.iter().map(|s| rank_for(s, th, rng)).collect();
    let mut reports = vec![0usize; org.seats.len()];
    for seat in &org.seats {
        if let Some(m) = seat.manager {
            reports[m] += 1;
        }
    }
    let mut stories: Vec<Option<Story>> = vec![None; org.seats.len()];
    stories[0] = Some(Lifer);

    let leads = shuffled(org, rng, |s, _| {
        s.post == Post::TeamLead && s.role == Role::Manager
    });
    let big_teams: Vec<usize> = leads
        .iter()
        .copied()
        .filter(|&i| reports[i] >= th.min_group)
        .collect();
    let dept_heads = shuffled(org, rng, |s, _| s.post == Post::DeptHead);
    let hybrids = shuffled(org, rng, |s, _| {
        s.post == Post::TeamLead && s.role == Role::Hybrid
    });
    let seniors = shuffled(org, rng, |s, i| {
        s.post == Post::Member
            && (s.role == Role::TechLead || (s.role == Role::Engineer && ranks[i] >= th.senior))
    });
    let members = shuffled(org, rng, |s, _| s.post == Post::Member);
    // In order of what they show, the first on the list being cast first when seats are
    // few: each story's seats are tried list by list.
    let script: [(Story, &[&[usize]]); 11] = [
        // Pushed into managing, with a team that feels it.
        (Reluctant, &[&big_teams, &leads]),
        (TrialOverdue, &[&leads]),
        (TrialMidpoint, &[&leads]),
        (Struggling, &[&leads]),
        (HybridDrifting, &[&hybrids]),
        (Unhappy, &[&dept_heads, &leads]),
        (UntriedLead, &[&seniors]),
        (BookedDown, &[&seniors]),
        (Returning, &[&seniors]),
        (Bench, &[&seniors]),
        (Restless, &[&members]),
    ];
    let mut unhappy_team = None;
    for (story, lists) in script {
        let free = lists
            .iter()
            .flat_map(|seats| seats.iter().copied())
            .find(|&i| stories[i].is_none());
        if let Some(i) = free {
            stories[i] = Some(story);
            if story == Reluctant {
                unhappy_team = Some(i);
            }
        }
    }

    let mut casts = Vec::with_capacity(org.seats.len());
    for (i, (seat, story)) in org.seats.iter().zip(stories).enumerate() {
        let rank = ranks[i];
        let story = story.unwrap_or_else(|| draw(seat, rank, th, rng));
        // A team is read as a group only from the pulse's minimum on; under a manager who
        // did not want the job, or who no longer enjoys it, a team is often unhappy too.
        let chance = match story {
            _ if seat.post != Post::TeamLead || reports[i] < th.min_group => 0.0,
            _ if unhappy_team == Some(i) => 1.0,
            Reluctant => 0.5,
            Unhappy => 0.2,
            _ => 0.0,
        };
        let team = if chance > 0.0 && rng.random_bool(chance) {
            Morale::Low
        } else {
            Morale::Usual
        };
        casts.push(Cast { story, rank, team });
    }
    casts
}

/// The seats for which `wanted(seat, index)` holds, in random order.
fn shuffled(org: &Org, rng: &mut impl Rng, wanted: impl Fn(&Seat, usize) -> bool) -> Vec<usize> {
    let mut seats: Vec<usize> = (0..org.seats.len())
        .filter(|&i| wanted(&org.seats[i], i))
        .collect();
    seats.shuffle(rng);
    seats
}

/// A current level for the seat, relative to the policy's senior level.
fn rank_for(seat: &Seat, th: &Thresholds, rng: &mut impl Rng) -> u8 {
    let offset: i32 = match (seat.post, seat.role) {
        (Post::Leader, _) => 3,
        (Post::DeptHead, _) => weighted(rng, &[(2, 3), (1, 2)]),
        (Post::TeamLead, Role::Hybrid) => weighted(rng, &[(0, 3), (-1, 2)]),
        (Post::TeamLead, _) => weighted(rng, &[(0, 55), (1, 30), (-1, 15)]),
        (Post::Member, Role::TechLead) => weighted(rng, &[(-1, 20), (0, 50), (1, 25), (2, 5)]),
        (Post::Member, _) => weighted(
            rng,
            &[
                (-4, 5),
                (-3, 10),
                (-2, 20),
                (-1, 27),
                (0, 25),
                (1, 10),
                (2, 3),
            ],
        ),
    };
    let floor = if seat.role == Role::Engineer {
        0
    } else {
        i32::from(th.lead_floor)
    };
    (i32::from(th.senior) + offset).clamp(floor, i32::from(th.top)) as u8
}

/// A story by weight, for a seat the casting left free.
fn draw(seat: &Seat, rank: u8, th: &Thresholds, rng: &mut impl Rng) -> Story {
    use Story::*;
    match (seat.post, seat.role) {
        (Post::Leader, _) => Lifer,
        (Post::DeptHead, _) => weighted(
            rng,
            &[
                (Settled, 3),
                (Seasoned, 3),
                (Veteran, 3),
                (Lifer, 2),
                (Unhappy, 1),
            ],
        ),
        (Post::TeamLead, Role::Hybrid) => weighted(rng, &[(HybridDrifting, 6), (HybridNew, 4)]),
        (Post::TeamLead, _) => weighted(
            rng,
            &[
                (Settled, 30),
                (Seasoned, 16),
                (Veteran, 7),
                (Lifer, 2),
                (FirstTime, 10),
                (PromotedIn, 2),
                (Struggling, 5),
                (Unhappy, 6),
                (Reluctant, 5),
                (TrialOverdue, 3),
                (TrialMidpoint, 3),
                (OnTrial, 5),
            ],
        ),
        (Post::Member, Role::TechLead) => weighted(
            rng,
            &[
                (Swinger, 30),
                (Returning, 4),
                (Bench, 2),
                (Craftsperson, 24),
                (UntriedLead, 27),
                (Restless, 6),
                (BookedDown, 3),
            ],
        ),
        (Post::Member, _) if rank >= th.senior => weighted(
            rng,
            &[
                (Swinger, 34),
                (Returning, 4),
                (Bench, 2),
                (Craftsperson, 31),
                (UntriedLead, 20),
                (Restless, 5),
                (BookedDown, 3),
            ],
        ),
        (Post::Member, _) => weighted(rng, &[(Growing, 96), (Restless, 3)]),
    }
}

/// What comes before the current side of the pendulum.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Before {
    /// Alternating runs on either side, as far back as the level allows managing.
    Pendulum,
    /// Hands-on work only.
    HandsOnOnly,
    /// A short management trial that ended with a swing back, and hands-on work before it.
    FailedTrial,
}

/// How the current side's run splits into two stints, when it does.
#[derive(Debug, Clone, Copy)]
enum Split {
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
struct Plan {
    /// Days since the current stint began; set from `run` and `split` once the story is
    /// told.
    current: i32,
    /// Days since the current side of the pendulum began.
    run: i32,
    split: Option<Split>,
    before: Before,
    chosen: bool,
    /// The current stint is a trial of this many days.
    trial_days: Option<i32>,
    /// How the most recent swing was booked.
    booked: Booking,
}

/// What a swing changed besides the role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Booking {
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
const OLD_NO_ROOM: i32 = 30 + 200;

/// A day of an earlier answer: half a year to a year and a half before the one `ago` days
/// ago, if the person had joined by then.
fn earlier(rng: &mut impl Rng, ago: i32, joined: i32) -> Option<i32> {
    let lo = ago + 180;
    (lo <= joined).then(|| day_between(rng, lo, (ago + 540).min(joined)))
}

/// A day between `lo` and `hi` days ago, both included; `hi` when the range is empty.
fn day_between(rng: &mut impl Rng, lo: i32, hi: i32) -> i32 {
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
fn answers(
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
fn pendulum_or_not(rng: &mut impl Rng, p: f64) -> Before {
    if rng.random_bool(p) {
        Before::Pendulum
    } else {
        Before::HandsOnOnly
    }
}

/// The stints of a plan, oldest first, written from the current one backwards until the
/// person's join date, or until an earlier step no longer fits (nobody joins below the
/// lowest rung).
fn write_stints(
    seat: &Seat,
    rank: u8,
    plan: &Plan,
    tenure: i32,
    org: &Org,
    th: &Thresholds,
    rng: &mut impl Rng,
) -> Vec<Draft> {
    let mut out = Vec::with_capacity(6);
    out.push(Draft {
        role: seat.role,
        rank,
        team: seat.team,
        start: plan.current,
        end: None,
        chosen: plan.chosen,
        trial_end: plan.trial_days.map(|t| plan.current - t),
        band: band(rank) + u16::from(plan.booked == Booking::Pay),
    });
    if let Some(split) = plan.split.filter(|_| plan.run > plan.current) {
        let newer = &out[0];
        let older = match split {
            Split::ConfirmedTrial { .. } => Some(Earlier {
                role: newer.role,
                rank: newer.rank,
                team: newer.team,
                trial_end: Some(plan.current),
            }),
            Split::Promotion => newer
                .rank
                .checked_sub(1)
                .filter(|&r| r >= th.lead_floor)
                .map(|r| Earlier {
                    role: newer.role,
                    rank: r,
                    team: older_team(newer.team, org, rng),
                    trial_end: None,
                }),
            Split::Any => same_side_older(newer, true, org, th, rng),
            Split::KeepLevel => same_side_older(newer, false, org, th, rng),
        };
        match older {
            Some(e) => out.push(e.draft(plan.run, plan.current, true)),
            None => out[0].start = plan.run,
        }
    }

    let mut at = plan.run;
    let mut swung = false;
    let mut first = true;
    'history: while at < tenure {
        let left = tenure - at;
        let newest = out.last_mut().expect("the current stint is written");
        if left < 120 {
            newest.start = tenure;
            break;
        }
        let can_manage = newest.rank >= th.lead_floor;
        let hands_on = newest.role.side() == Side::HandsOn;
        let failed_trial = first && plan.before == Before::FailedTrial && can_manage && hands_on;
        let side = match plan.before {
            Before::Pendulum if !hands_on => Side::HandsOn,
            Before::Pendulum if can_manage => Side::Management,
            _ if failed_trial => Side::Management,
            _ => Side::HandsOn,
        };
        let run = if failed_trial {
            rng.random_range(60..=120).min(left)
        } else if side == Side::Management {
            // Leave a year of hands-on work before it when there is room: most managers
            // here were engineers here first.
            let run = rng.random_range(days(14.0)..=days(44.0));
            let room = left - days(12.0);
            if room >= days(6.0) {
                run.min(room)
            } else {
                left
            }
        } else {
            let run = rng.random_range(days(18.0)..=days(60.0));
            if left - run < 180 { left } else { run }
        };
        let mut filled = 0;
        while filled < run {
            let mut seg = if failed_trial {
                run
            } else {
                rng.random_range(days(18.0)..=days(48.0))
            };
            if run - filled - seg < 150 {
                seg = run - filled;
            }
            let boundary = at + filled;
            let newer = out.last().expect("the current stint is written");
            let older = if newer.role.side() != side {
                let booked = plan.booked == Booking::Level && !swung;
                swung = true;
                let (role, rank) = swing_older(newer, boundary, booked, th, rng);
                // A trial that ended on or before its decision date, with a swing back.
                let trial_end = failed_trial
                    .then(|| boundary + seg - rng.random_range(seg.max(90)..=seg.max(122)));
                Earlier {
                    role,
                    rank,
                    team: older_team(newer.team, org, rng),
                    trial_end,
                }
            } else {
                match same_side_older(newer, true, org, th, rng) {
                    Some(e) => e,
                    None => break 'history,
                }
            };
            let chosen = rng.random_bool(0.95);
            out.push(older.draft(boundary + seg, boundary, chosen));
            filled += seg;
        }
        at += run;
        first = false;
    }
    out.reverse();
    out
}

/// The stint before another one, before its dates are known.
#[derive(Debug, Clone, Copy)]
struct Earlier {
    role: Role,
    rank: u8,
    team: usize,
    trial_end: Option<i32>,
}

impl Earlier {
    fn draft(self, start: i32, end: i32, chosen: bool) -> Draft {
        Draft {
            role: self.role,
            rank: self.rank,
            team: self.team,
            start,
            end: Some(end),
            chosen,
            trial_end: self.trial_end,
            band: band(self.rank),
        }
    }
}

/// The stint before a swing: the other side, at the same level unless the swing is booked
/// as a change of level (the story's own swing, or now and then one from long ago that
/// opened a stint which has ended since: the rules show a booked swing while its stint
/// lasts).
fn swing_older(
    newer: &Draft,
    boundary: i32,
    booked: bool,
    th: &Thresholds,
    rng: &mut impl Rng,
) -> (Role, u8) {
    let to_management = newer.role.side() == Side::HandsOn;
    let long_ago = boundary > days(th.lookback) + 45 && newer.end.is_some();
    let shifted = booked || (long_ago && rng.random_bool(0.04));
    let rank = match (shifted, to_management) {
        (false, _) => newer.rank,
        // Managed one level higher, and came back to hands-on work one lower.
        (true, true) if newer.rank < th.top => newer.rank + 1,
        (true, true) => newer.rank.saturating_sub(1).max(th.lead_floor),
        // Moved into management one level up.
        (true, false) => newer.rank.saturating_sub(1),
    };
    let role = if to_management {
        if rng.random_bool(0.8) {
            Role::Manager
        } else {
            Role::Hybrid
        }
    } else {
        let lead_share = if newer.role == Role::Hybrid { 0.7 } else { 0.4 };
        if rank >= th.lead_floor && rng.random_bool(lead_share) {
            Role::TechLead
        } else {
            Role::Engineer
        }
    };
    (role, rank)
}

/// The stint before a change on the same side: a promotion, a change of role, a move to
/// another team, or a mix. `None` when nothing fits: nobody was promoted into the lowest
/// rung, so a history reaching it begins there.
fn same_side_older(
    newer: &Draft,
    level_may_change: bool,
    org: &Org,
    th: &Thresholds,
    rng: &mut impl Rng,
) -> Option<Earlier> {
    use Role::*;
    let r = newer.rank;
    if r == 0 {
        return None;
    }
    let down = if level_may_change { Some(r - 1) } else { None };
    // Promotions come faster early in a career.
    let promotion = if r <= th.senior { 6 } else { 3 };
    let options: [(Role, Option<u8>, u32, bool); 4] = match newer.role {
        Engineer => [
            (Engineer, down, promotion, false),
            (TechLead, Some(r), 1, false),
            (Engineer, Some(r), 3, true),
            (Engineer, None, 0, false),
        ],
        TechLead => [
            (Engineer, Some(r), 4, false),
            (Engineer, down, 3, false),
            (TechLead, down, 3, false),
            (TechLead, Some(r), 2, true),
        ],
        Manager => [
            (Manager, down, 5, false),
            (Hybrid, Some(r), 3, false),
            (Hybrid, down, 1, false),
            (Manager, Some(r), 2, true),
        ],
        Hybrid => [
            (Hybrid, down, 2, false),
            (Manager, Some(r), 2, false),
            (Hybrid, None, 0, false),
            (Hybrid, None, 0, false),
        ],
    };
    let can_move = org.other_working_team(newer.team, rng);
    let fitting: Vec<(Earlier, u32)> = options
        .into_iter()
        .filter_map(|(role, rank, weight, moves)| {
            let rank = rank?;
            let team = if moves { can_move? } else { newer.team };
            let fits = weight > 0 && (role == Engineer || rank >= th.lead_floor);
            fits.then_some((
                Earlier {
                    role,
                    rank,
                    team,
                    trial_end: None,
                },
                weight,
            ))
        })
        .collect();
    if fitting.is_empty() {
        return None;
    }
    let mut chosen = weighted(rng, &fitting);
    if chosen.team == newer.team {
        chosen.team = older_team(newer.team, org, rng);
    }
    Some(chosen)
}

/// The team of an earlier stint: mostly the same, sometimes another working team.
fn older_team(newer: usize, org: &Org, rng: &mut impl Rng) -> usize {
    if org.is_working_team(newer) && rng.random_bool(0.7) {
        newer
    } else {
        org.any_working_team(newer, rng)
    }
}
