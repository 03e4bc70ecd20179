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

mod history;
mod live;

pub(crate) use live::live;

use pendulum_core::period::DAYS_PER_MONTH;
use pendulum_core::{Policy, Role, Willingness};
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
