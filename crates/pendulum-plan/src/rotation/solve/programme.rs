//! One person's best quarters: the team sets a manager may take, and the exact dynamic
//! programme over quarters, stint states and team sets that both the bound and the search use.

use super::super::{History, Rotation};

/// The team sets a manager may take in each group: every set of the group's teams whose
/// summed headcount is within the span, as bit masks over the group's team list.
#[derive(Debug)]
pub(super) struct TeamSets {
    /// group -> its teams (global indices), in increasing order.
    pub(super) group_teams: Vec<Vec<usize>>,
    /// team -> (group, bit position in the group's list).
    pub(super) position: Vec<(usize, u32)>,
    /// group -> valid masks.
    pub(super) masks: Vec<Vec<u64>>,
    /// group -> for each mask, the masks (indices) that share a team with it, itself
    /// included: the only predecessors whose start cost differs from a fresh start.
    pub(super) overlaps: Vec<Vec<Vec<u32>>>,
}

impl TeamSets {
    pub(super) fn new(rotation: &Rotation) -> Self {
        let teams = rotation.teams();
        let mut groups: Vec<u32> = teams.iter().map(|t| t.group).collect();
        groups.sort_unstable();
        groups.dedup();
        let mut group_teams = vec![Vec::new(); groups.len()];
        let mut position = Vec::with_capacity(teams.len());
        for (t, team) in teams.iter().enumerate() {
            let g = groups.binary_search(&team.group).expect("listed");
            position.push((g, group_teams[g].len() as u32));
            group_teams[g].push(t);
        }
        let policy = rotation.policy();
        let masks: Vec<Vec<u64>> = group_teams
            .iter()
            .map(|list| {
                // Depth-first over teams, pruning once the span's maximum is passed. A group
                // has at most 64 teams (`Rotation::new` refuses more), one bit each.
                let mut out = Vec::new();
                let mut stack = vec![(0usize, 0u64, 0u32)];
                while let Some((next, mask, reports)) = stack.pop() {
                    if mask != 0 && reports >= policy.span_min {
                        out.push(mask);
                    }
                    for (i, &t) in list.iter().enumerate().skip(next) {
                        let r = reports + teams[t].headcount;
                        if r <= policy.span_max {
                            stack.push((i + 1, mask | (1 << i), r));
                        }
                    }
                }
                out.sort_unstable();
                out
            })
            .collect();
        let overlaps = masks
            .iter()
            .map(|list| {
                list.iter()
                    .map(|&j| {
                        (0..list.len() as u32)
                            .filter(|&i| list[i as usize] & j != 0)
                            .collect()
                    })
                    .collect()
            })
            .collect();
        TeamSets {
            group_teams,
            position,
            masks,
            overlaps,
        }
    }

    pub(super) fn teams_of(&self, group: usize, mask: u64) -> impl Iterator<Item = usize> + '_ {
        // The set bits alone, lowest first: a department may have dozens of teams and a
        // mask only one or two of them.
        let list = &self.group_teams[group];
        let mut rest = mask;
        std::iter::from_fn(move || {
            (rest != 0).then(|| {
                let bit = rest.trailing_zeros() as usize;
                rest &= rest - 1;
                list[bit]
            })
        })
    }
}

/// The prices one person's programme sees.
pub(super) struct Prices<'a> {
    /// take[q][t]: value of covering team t in quarter q (NEG_INFINITY: forbidden).
    pub(super) take: &'a [Vec<f64>],
    /// Cost of each newly taken team in quarter q.
    pub(super) start_cost: &'a [f64],
    /// Newly taken teams allowed in quarter q.
    pub(super) start_cap: &'a [u32],
    /// Value of quarter q off management (leading the home team, when that pays).
    pub(super) off: &'a [f64],
}

/// One person's best quarters: per quarter, the mask of teams managed (0: none).
pub(super) struct Trajectory {
    pub(super) value: f64,
    pub(super) masks: Vec<u64>,
}

/// A state the programme leaves from: its index (or `FROM_INITIAL`), its value, the stint
/// under way (length, team mask) if on, and the quarters off if not.
pub(super) type Predecessor = (u32, f64, Option<(usize, u64)>, usize);

/// The exact programme for person `p`: stint automaton x team sets, forward over quarters.
// Quarters index several parallel arrays (prices, pins, back pointers) at once.
#[allow(clippy::needless_range_loop)]
pub(super) fn best_trajectory(
    rotation: &Rotation,
    sets: &TeamSets,
    p: usize,
    prices: &Prices<'_>,
) -> Option<Trajectory> {
    let person = &rotation.people()[p];
    let policy = rotation.policy();
    let quarters = rotation.quarters();
    let group = sets.position[person.home].0;
    let may_manage = person.willing && !rotation.is_excluded(p);
    let (masks, overlaps): (&[u64], &[Vec<u32>]) = if may_manage {
        (&sets.masks[group], &sets.overlaps[group])
    } else {
        (&[], &[])
    };
    let k = masks.len();
    let cool = policy.cool_down as usize;
    let max = policy.max_stint as usize;
    let min = policy.min_stint as usize;
    // State layout: off states 0..=cool (off for that many quarters, capped at cool), then
    // on states cool + 1 + (length - 1) * k + option.
    let off_states = cool + 1;
    let states = off_states + max * k;
    let on = |length: usize, i: usize| off_states + (length - 1) * k + i;
    let mask_of_group = |teams: &[usize]| -> u64 {
        teams
            .iter()
            .filter(|&&t| sets.position[t].0 == group)
            .fold(0, |m, &t| m | (1 << sets.position[t].1))
    };
    // The state before quarter 0: one virtual predecessor.
    let (initial_on, initial_off) = match &person.history {
        History::HandsOn => (None, cool),
        History::Stopped { quarters_ago } => (None, (*quarters_ago as usize).min(cool)),
        History::Managing { teams, tenure } => (Some((*tenure as usize, mask_of_group(teams))), 0),
    };
    let window = match &person.history {
        History::Managing { tenure, .. } => policy.max_stint.saturating_sub(*tenure) as usize,
        _ => usize::MAX,
    };
    let pinned: Vec<u64> = (0..quarters)
        .map(|q| {
            rotation
                .pins()
                .iter()
                .filter(|pin| pin.person == p && pin.quarter == q)
                .fold(0u64, |m, pin| {
                    let (g, bit) = sets.position[pin.team];
                    if g == group { m | (1 << bit) } else { u64::MAX }
                })
        })
        .collect();

    const NONE: f64 = f64::NEG_INFINITY;
    let mut value = vec![NONE; states];
    let mut back: Vec<Vec<u32>> = Vec::with_capacity(quarters);
    let mut next = vec![NONE; states];
    let mut option_value = vec![NONE; k];
    const FROM_INITIAL: u32 = u32::MAX;

    // Stint lengths with a reachable state, this quarter and the next: the on states of
    // other lengths are all NONE and need no visit.
    let mut live = vec![false; max + 2];
    let mut live_next = vec![false; max + 2];
    for q in 0..quarters {
        next.fill(NONE);
        live_next.fill(false);
        let mut from = vec![FROM_INITIAL; states];
        // Value of managing each option this quarter (before start costs).
        for (i, &mask) in masks.iter().enumerate() {
            option_value[i] =
                if mask & pinned[q] != pinned[q] || q >= window || q < person.manage_from {
                    NONE
                } else {
                    let mut v = person.joy_manager[q] as f64;
                    for t in sets.teams_of(group, mask) {
                        v += prices.take[q][t] + rotation.affinity(p, t) as f64;
                    }
                    v
                };
        }
        let off_value = if pinned[q] != 0 { NONE } else { prices.off[q] };
        let start_cost = prices.start_cost[q];
        let cap = prices.start_cap[q];
        // Predecessors: (state index or FROM_INITIAL, on length, mask, off length).
        let mut predecessors: Vec<Predecessor> = Vec::new();
        if q == 0 {
            predecessors.push((FROM_INITIAL, 0.0, initial_on, initial_off));
        } else {
            // Off states here; the on states follow the loop, a stint length at a time.
            for s in 0..off_states {
                if value[s] != NONE {
                    predecessors.push((s as u32, value[s], None, s));
                }
            }
        }
        for &(s, v, stint, off) in &predecessors {
            match stint {
                None => {
                    // Stay off.
                    let o = (off + 1).min(cool);
                    let w = v + off_value;
                    if w > next[o] {
                        next[o] = w;
                        from[o] = s;
                    }
                    // Start a stint, after the cool-down.
                    if off >= cool {
                        for i in 0..k {
                            let new = masks[i].count_ones();
                            if option_value[i] == NONE || new > cap {
                                continue;
                            }
                            let w = v + option_value[i] - start_cost * f64::from(new);
                            let t = on(1, i);
                            live_next[1] = true;
                            if w > next[t] {
                                next[t] = w;
                                from[t] = s;
                            }
                        }
                    }
                }
                Some((length, previous)) => {
                    // Stop, once the minimum is served.
                    if length >= min {
                        let o = 1.min(cool);
                        let w = v + off_value;
                        if w > next[o] {
                            next[o] = w;
                            from[o] = s;
                        }
                    }
                    // Go on, within the maximum.
                    if length < max {
                        for i in 0..k {
                            let new = (masks[i] & !previous).count_ones();
                            if option_value[i] == NONE || new > cap {
                                continue;
                            }
                            let w = v + option_value[i] - start_cost * f64::from(new);
                            let t = on(length + 1, i);
                            live_next[length + 1] = true;
                            if w > next[t] {
                                next[t] = w;
                                from[t] = s;
                            }
                        }
                    }
                }
            }
        }
        if q > 0 {
            for length in (1..=max).filter(|&l| live[l]) {
                let base = on(length, 0);
                let here = &value[base..base + k];
                // The best state of this length: any mask may follow it, paying to start
                // every team of the next one; only masks sharing a team pay less. (Start
                // costs are never negative: `Rotation::new` refuses a negative change
                // penalty and the churn prices are at least zero, so the fresh start
                // never overstates what going on from an overlapping mask is worth.)
                let Some((best_i, best_v)) = here
                    .iter()
                    .copied()
                    .enumerate()
                    .filter(|&(_, v)| v != NONE)
                    .fold(None, |b: Option<(usize, f64)>, (i, v)| match b {
                        Some((_, bv)) if bv >= v => b,
                        _ => Some((i, v)),
                    })
                else {
                    continue;
                };
                // Stop, once the minimum is served.
                if length >= min {
                    let o = 1.min(cool);
                    let w = best_v + off_value;
                    if w > next[o] {
                        next[o] = w;
                        from[o] = (base + best_i) as u32;
                    }
                }
                // Go on, within the maximum.
                if length < max {
                    for j in 0..k {
                        if option_value[j] == NONE {
                            continue;
                        }
                        let all = masks[j].count_ones();
                        let (mut v, mut from_i) = if all <= cap {
                            (best_v - start_cost * f64::from(all), best_i)
                        } else {
                            (NONE, usize::MAX)
                        };
                        for &i in &overlaps[j] {
                            let i = i as usize;
                            let new = (masks[j] & !masks[i]).count_ones();
                            if here[i] == NONE || new > cap {
                                continue;
                            }
                            let w = here[i] - start_cost * f64::from(new);
                            if w > v {
                                v = w;
                                from_i = i;
                            }
                        }
                        if v == NONE {
                            continue;
                        }
                        let w = v + option_value[j];
                        let t = on(length + 1, j);
                        live_next[length + 1] = true;
                        if w > next[t] {
                            next[t] = w;
                            from[t] = (base + from_i) as u32;
                        }
                    }
                }
            }
        }
        std::mem::swap(&mut value, &mut next);
        std::mem::swap(&mut live, &mut live_next);
        back.push(from);
    }
    let (mut state, best) = value.iter().enumerate().fold(
        (usize::MAX, NONE),
        |(bs, bv), (s, &v)| if v > bv { (s, v) } else { (bs, bv) },
    );
    if best == NONE {
        return None;
    }
    let mut out = vec![0u64; quarters];
    for q in (0..quarters).rev() {
        if state >= off_states {
            out[q] = masks[(state - off_states) % k];
        }
        let previous = back[q][state];
        if previous == FROM_INITIAL {
            break;
        }
        state = previous as usize;
    }
    Some(Trajectory {
        value: best,
        masks: out,
    })
}
