//! The stints written from a plan, and the older past before the story: swings between the
//! two sides, or a stay on one, on older teams.

use pendulum_core::{Role, Side};
use rand::Rng;

use super::live::{Before, Booking, Plan, Split};
use super::{Draft, Thresholds, band, days, weighted};
use crate::org::{Org, Seat};

/// The stints of a plan, oldest first, written from the current one backwards until the
/// person's join date, or until an earlier step no longer fits (nobody joins below the
/// lowest rung).
pub(super) fn write_stints(
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
pub(super) struct Earlier {
    pub(super) role: Role,
    pub(super) rank: u8,
    pub(super) team: usize,
    pub(super) trial_end: Option<i32>,
}

impl Earlier {
    pub(super) fn draft(self, start: i32, end: i32, chosen: bool) -> Draft {
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
pub(super) fn swing_older(
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
pub(super) fn same_side_older(
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
pub(super) fn older_team(newer: usize, org: &Org, rng: &mut impl Rng) -> usize {
    if org.is_working_team(newer) && rng.random_bool(0.7) {
        newer
    } else {
        org.any_working_team(newer, rng)
    }
}
