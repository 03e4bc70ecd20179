//! A solver for the rotation plan: an upper bound by Lagrangian relaxation, and feasible plans
//! by local search whose every move is an exact dynamic programme over one person's quarters.
//!
//! Why this shape: once the teams' coverage, the tech-lead seats and the per-quarter churn
//! limit are set aside, the model falls apart into one small problem per person: which set of
//! teams to manage in each quarter (or none), under the stint rules (minimum, maximum,
//! cool-down, the incumbent's window), which form an automaton over quarters. A dynamic
//! programme over (quarter, stint state, team set) solves that exactly. Both halves use it:
//!
//! - **Bound.** Pricing coverage (`u`, free), tech-lead seats (`w >= 0`) and churn (`v >= 0`)
//!   gives the Lagrangian function, an upper bound for any prices; subgradient steps lower
//!   it. The change penalty is counted per person ("a team changes manager when its manager
//!   did not manage it the quarter before" is the same, under exact coverage, as summing
//!   every person's newly taken teams), so it stays inside the person's programme.
//! - **Plans.** A plan is improved one person at a time: take the person out, price every
//!   team-quarter at what covering it is worth (the interim penalty it saves) or forbid it if
//!   someone else covers it, cap their new teams by the churn left in each quarter, and let
//!   the programme pick their best quarters; the result is never worse. Pair moves (take two
//!   people of a group out, re-plan one then the other) hand teams over between managers,
//!   which single moves cannot. Without interims, an unstaffed team-quarter costs
//!   [`UNSTAFFED`] until the search covers it; a plan that still has one is not returned.
//!   The first pass plans everyone at the bound's prices rather than the true ones: that
//!   start follows the relaxation and is what makes the plans good.
//! - **Group re-plans.** Groups interact only through churn, so with time left the best
//!   plan is re-planned group by group at each kept set of prices, and each group keeps
//!   its best version.
//!
//! Deterministic: no randomness, and the order of moves is fixed; only the time limit depends
//! on the machine. Every plan is verified by [`super::check`] before it is returned.

use std::time::{Duration, Instant};

use super::{History, Plan, Role, Rotation, Score, Violation, check};

/// What an unstaffed team-quarter costs the search when interims are not allowed: far above
/// any preference, so covering a team always comes first.
pub const UNSTAFFED: i64 = 1 << 36;

/// How long and how hard to search.
#[derive(Debug, Clone)]
pub struct SolveOptions {
    /// The whole solve stops after this long: the bound takes up to 60 %, the plans the rest.
    pub time_limit: Duration,
    /// Subgradient iterations for the upper bound.
    pub bound_iterations: usize,
    /// Rounds of local search at most.
    pub max_rounds: usize,
}

impl Default for SolveOptions {
    fn default() -> Self {
        SolveOptions {
            time_limit: Duration::from_secs(10),
            bound_iterations: 4000,
            max_rounds: 60,
        }
    }
}

/// The best plan found (checked), its score, and an upper bound on every plan's objective.
#[derive(Debug, Clone)]
pub struct Solution {
    pub plan: Option<Plan>,
    pub score: Option<Score>,
    pub upper_bound: i64,
}

impl Solution {
    /// `(bound - objective) / |bound|`, or `None` without a plan.
    pub fn gap(&self) -> Option<f64> {
        let objective = self.plan.as_ref()?.objective;
        Some((self.upper_bound - objective) as f64 / (self.upper_bound.abs().max(1)) as f64)
    }
}

/// A plan the solver made that the independent checker rejects: a bug in the solver, which
/// is reported rather than handed out as a plan.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the rotation solver made a plan that breaks {} constraint(s), first: {:?}", .0.len(), .0.first())]
pub struct RejectedPlan(pub Vec<Violation>);

/// Solves `rotation`: the bound first, then the plan, which the checker verifies before it
/// is returned.
pub fn solve(rotation: &Rotation, options: &SolveOptions) -> Result<Solution, RejectedPlan> {
    let start = Instant::now();
    let sets = TeamSets::new(rotation);
    let deadline = start + options.time_limit;
    // A first bound with no plan to aim at, a plan at its prices, then the bound again aimed
    // at that plan's objective (Polyak steps need a target), and a second plan at the
    // better prices if the gap is still open. The better plan and the lower bound win.
    let first_share = options.bound_iterations / 2;
    let start_prices = Multipliers::zero(rotation);
    let (mut upper_bound, guides) = bound(
        rotation,
        &sets,
        first_share,
        &start_prices,
        None,
        None,
        start + options.time_limit.mul_f64(0.2),
    );
    // The best search so far and its plan's objective.
    let mut found: Option<(Search<'_>, i64)> = None;
    let run = Run {
        rotation,
        sets: &sets,
        options,
        deadline,
    };
    // Whole-plan searches from every snapshot until 30 % of the limit (on small instances
    // all of them, which found the 500-person optimum), then group re-plans take over.
    let restarts_until = start + options.time_limit.mul_f64(0.3);
    run.keep_better(&mut found, &guides, upper_bound, restarts_until);
    let mut all_guides = guides;
    let target = found.as_ref().map(|(_, objective)| *objective);
    if target != Some(upper_bound) {
        let group_targets: Option<Vec<i64>> = found.as_ref().map(|(search, _)| {
            (0..sets.group_teams.len())
                .map(|g| search.group_value(g))
                .collect()
        });
        let (second, guides) = bound(
            rotation,
            &sets,
            options.bound_iterations - first_share,
            &all_guides[0],
            target,
            group_targets.as_deref(),
            start + options.time_limit.mul_f64(0.6),
        );
        upper_bound = upper_bound.min(second);
        run.keep_better(&mut found, &guides, upper_bound, restarts_until);
        all_guides.extend(guides);
    }
    // With time left, re-plan the best plan group by group at every guide's prices: groups
    // interact only through churn, so the best of each group's re-plans can be combined,
    // which whole-plan restarts cannot do.
    if let Some((search, objective)) = &mut found
        && *objective < upper_bound
    {
        search.regroup(&all_guides, deadline);
    }
    let plan = found.and_then(|(search, _)| search.plan());
    let score = plan
        .as_ref()
        .map(|plan| check(rotation, plan))
        .transpose()
        .map_err(RejectedPlan)?;
    Ok(Solution {
        plan,
        score,
        upper_bound,
    })
}

/// What every search of one solve shares.
struct Run<'a> {
    rotation: &'a Rotation,
    sets: &'a TeamSets,
    options: &'a SolveOptions,
    deadline: Instant,
}

impl<'a> Run<'a> {
    /// Plans from the best prices, the last ones and some on the way, while time lasts: the
    /// search is sensitive to its guide, and several guides find better plans (measured).
    /// The first guide always gets its search; the others until `until`.
    fn keep_better(
        &self,
        found: &mut Option<(Search<'a>, i64)>,
        guides: &[Multipliers],
        upper_bound: i64,
        until: Instant,
    ) {
        for (i, guide) in guides.iter().enumerate() {
            let late = i > 0 && Instant::now() > until;
            if found
                .as_ref()
                .is_some_and(|(_, objective)| *objective >= upper_bound)
                || late
            {
                break;
            }
            let search = search_at(self.rotation, self.sets, self.options, guide, self.deadline);
            if let Some(plan) = search.plan()
                && found
                    .as_ref()
                    .is_none_or(|(_, objective)| plan.objective > *objective)
            {
                *found = Some((search, plan.objective));
            }
        }
    }
}

/// A fresh search guided by `multipliers`, run to its end.
fn search_at<'a>(
    rotation: &'a Rotation,
    sets: &'a TeamSets,
    options: &SolveOptions,
    multipliers: &Multipliers,
    deadline: Instant,
) -> Search<'a> {
    let mut search = Search::new(rotation, sets);
    search.run(options, multipliers, deadline);
    search
}

/// The team sets a manager may take in each group: every set of the group's teams whose
/// summed headcount is within the span, as bit masks over the group's team list.
#[derive(Debug)]
struct TeamSets {
    /// group -> its teams (global indices), in increasing order.
    group_teams: Vec<Vec<usize>>,
    /// team -> (group, bit position in the group's list).
    position: Vec<(usize, u32)>,
    /// group -> valid masks.
    masks: Vec<Vec<u64>>,
    /// group -> for each mask, the masks (indices) that share a team with it, itself
    /// included: the only predecessors whose start cost differs from a fresh start.
    overlaps: Vec<Vec<Vec<u32>>>,
}

impl TeamSets {
    fn new(rotation: &Rotation) -> Self {
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

    fn teams_of(&self, group: usize, mask: u64) -> impl Iterator<Item = usize> + '_ {
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
struct Prices<'a> {
    /// take[q][t]: value of covering team t in quarter q (NEG_INFINITY: forbidden).
    take: &'a [Vec<f64>],
    /// Cost of each newly taken team in quarter q.
    start_cost: &'a [f64],
    /// Newly taken teams allowed in quarter q.
    start_cap: &'a [u32],
    /// Value of quarter q off management (leading the home team, when that pays).
    off: &'a [f64],
}

/// One person's best quarters: per quarter, the mask of teams managed (0: none).
struct Trajectory {
    value: f64,
    masks: Vec<u64>,
}

/// A state the programme leaves from: its index (or `FROM_INITIAL`), its value, the stint
/// under way (length, team mask) if on, and the quarters off if not.
type Predecessor = (u32, f64, Option<(usize, u64)>, usize);

/// The exact programme for person `p`: stint automaton x team sets, forward over quarters.
// Quarters index several parallel arrays (prices, pins, back pointers) at once.
#[allow(clippy::needless_range_loop)]
fn best_trajectory(
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

/// The local search's state: every willing person's masks, who covers each team-quarter,
/// and the changes already made in each quarter.
struct Search<'a> {
    rotation: &'a Rotation,
    sets: &'a TeamSets,
    masks: Vec<Vec<u64>>,
    cover: Vec<Vec<Option<usize>>>,
    starts: Vec<u32>,
    /// group -> people who may manage in it.
    managers_of: Vec<Vec<usize>>,
    /// team -> quarter -> the members who would lead it (not excluded, joy of leading
    /// above zero), best first (ties: lowest index): the lead is the first not managing.
    lead_order: Vec<Vec<Vec<usize>>>,
    /// Each person's mask of teams managed before the horizon, in their group's bits.
    initial: Vec<u64>,
    valid: Vec<bool>,
    // Scratch for prices.
    take: Vec<Vec<f64>>,
    start_cost: Vec<f64>,
    start_cap: Vec<u32>,
    off: Vec<f64>,
}

impl<'a> Search<'a> {
    fn new(rotation: &'a Rotation, sets: &'a TeamSets) -> Self {
        let people = rotation.people();
        let quarters = rotation.quarters();
        let teams = rotation.teams().len();
        let mut managers_of = vec![Vec::new(); sets.group_teams.len()];
        let mut members = vec![Vec::new(); teams];
        let mut initial = vec![0u64; people.len()];
        for (p, person) in people.iter().enumerate() {
            members[person.home].push(p);
            let group = sets.position[person.home].0;
            if person.willing && !rotation.is_excluded(p) {
                managers_of[group].push(p);
            }
            if let History::Managing { teams, .. } = &person.history {
                for &t in teams {
                    let (g, bit) = sets.position[t];
                    if g == group {
                        initial[p] |= 1 << bit;
                    }
                }
            }
        }
        let lead_order = members
            .iter()
            .map(|list: &Vec<usize>| {
                (0..quarters)
                    .map(|q| {
                        let mut order: Vec<usize> = list
                            .iter()
                            .copied()
                            .filter(|&p| !rotation.is_excluded(p) && people[p].joy_tech_lead[q] > 0)
                            .collect();
                        order.sort_by_key(|&p| (std::cmp::Reverse(people[p].joy_tech_lead[q]), p));
                        order
                    })
                    .collect()
            })
            .collect();
        let change = rotation.policy().change_penalty as f64;
        Search {
            rotation,
            sets,
            masks: vec![vec![0; quarters]; people.len()],
            cover: vec![vec![None; teams]; quarters],
            starts: vec![0; quarters],
            managers_of,
            lead_order,
            initial,
            valid: vec![false; people.len()],
            take: vec![vec![0.0; teams]; quarters],
            start_cost: vec![change; quarters],
            start_cap: vec![0; quarters],
            off: vec![0.0; quarters],
        }
    }

    fn group_of(&self, p: usize) -> usize {
        self.sets.position[self.rotation.people()[p].home].0
    }

    fn new_teams(&self, p: usize, q: usize) -> u32 {
        let previous = if q == 0 {
            self.initial[p]
        } else {
            self.masks[p][q - 1]
        };
        (self.masks[p][q] & !previous).count_ones()
    }

    fn remove(&mut self, p: usize) {
        let group = self.group_of(p);
        for q in 0..self.rotation.quarters() {
            self.starts[q] -= self.new_teams(p, q);
            let teams: Vec<usize> = self.sets.teams_of(group, self.masks[p][q]).collect();
            for t in teams {
                self.cover[q][t] = None;
            }
        }
        self.masks[p].iter_mut().for_each(|m| *m = 0);
    }

    fn insert(&mut self, p: usize, masks: Vec<u64>) {
        let group = self.group_of(p);
        self.masks[p] = masks;
        for q in 0..self.rotation.quarters() {
            self.starts[q] += self.new_teams(p, q);
            let teams: Vec<usize> = self.sets.teams_of(group, self.masks[p][q]).collect();
            for t in teams {
                debug_assert!(self.cover[q][t].is_none());
                self.cover[q][t] = Some(p);
            }
        }
    }

    /// What an uncovered team-quarter costs.
    fn uncovered_cost(&self) -> i64 {
        self.rotation.policy().interim_penalty.unwrap_or(UNSTAFFED)
    }

    /// Re-plans person `p` (already removed) given everyone else; `None` if nothing fits.
    fn replan(&mut self, p: usize) -> Option<Trajectory> {
        self.replan_at(p, None)
    }

    /// Re-plans person `p` at the true prices, or with uncovered teams, changes and leading
    /// priced as the relaxation's `multipliers` say.
    fn replan_at(&mut self, p: usize, multipliers: Option<&Multipliers>) -> Option<Trajectory> {
        let rotation = self.rotation;
        let people = rotation.people();
        let quarters = rotation.quarters();
        let policy = rotation.policy();
        let person = &people[p];
        let group = self.group_of(p);
        let uncovered = self.uncovered_cost() as f64;
        for q in 0..quarters {
            for &t in &self.sets.group_teams[group] {
                let pinned_elsewhere = rotation
                    .pins()
                    .iter()
                    .any(|pin| pin.team == t && pin.quarter == q && pin.person != p);
                self.take[q][t] = if self.cover[q][t].is_some() || pinned_elsewhere {
                    f64::NEG_INFINITY
                } else if let Some(m) = multipliers {
                    -m.u[q][t]
                } else {
                    uncovered
                };
            }
            self.start_cost[q] = policy.change_penalty as f64 + multipliers.map_or(0.0, |m| m.v[q]);
            self.start_cap[q] = policy.churn_max.saturating_sub(self.starts[q]);
            // Leading pays only what it adds over the best other lead of the home team.
            let other = self.lead_order[person.home][q]
                .iter()
                .find(|&&o| o != p && self.masks[o][q] == 0)
                .map_or(0, |&o| people[o].joy_tech_lead[q]);
            self.off[q] = if rotation.is_excluded(p) {
                0.0
            } else if let Some(m) = multipliers {
                (person.joy_tech_lead[q] as f64 - m.w[q][person.home]).max(0.0)
            } else {
                (person.joy_tech_lead[q] - other).max(0) as f64
            };
        }
        let prices = Prices {
            take: &self.take,
            start_cost: &self.start_cost,
            start_cap: &self.start_cap,
            off: &self.off,
        };
        best_trajectory(rotation, self.sets, p, &prices)
    }

    /// The group's share of the objective, with uncovered team-quarters at their cost.
    fn group_value(&self, group: usize) -> i64 {
        let rotation = self.rotation;
        let people = rotation.people();
        let change = rotation.policy().change_penalty;
        let mut total = 0;
        for &p in &self.managers_of[group] {
            // A person whose trajectory breaks the stint rules (none fitted yet) weighs
            // like an unstaffed team, so that moves that fit them in win.
            if !self.valid[p] {
                total -= UNSTAFFED;
            }
            for q in 0..rotation.quarters() {
                let mask = self.masks[p][q];
                if mask != 0 {
                    total += people[p].joy_manager[q];
                    total += self
                        .sets
                        .teams_of(group, mask)
                        .map(|t| rotation.affinity(p, t))
                        .sum::<i64>();
                    total -= change * i64::from(self.new_teams(p, q));
                }
            }
        }
        for &t in &self.sets.group_teams[group] {
            for q in 0..rotation.quarters() {
                if self.cover[q][t].is_none() {
                    total -= self.uncovered_cost();
                }
                total += self.lead(t, q).map_or(0, |p| people[p].joy_tech_lead[q]);
            }
        }
        total
    }

    /// The tech lead of team `t` in quarter `q`: its best-liked member off management.
    fn lead(&self, t: usize, q: usize) -> Option<usize> {
        self.lead_order[t][q]
            .iter()
            .copied()
            .find(|&p| self.masks[p][q] == 0)
    }

    /// Rounds of single and pair moves until nothing improves or time runs out.
    fn run(&mut self, options: &SolveOptions, multipliers: &Multipliers, deadline: Instant) {
        // First pass: pinned people, then incumbents, then everyone else, each planned once
        // at the bound's prices (what covering a team is worth to the relaxed problem), so
        // the first plan follows the relaxation; then once more at the true prices, so no
        // team is left uncovered that someone could take.
        let mut order: Vec<usize> = self.managers_of.iter().flatten().copied().collect();
        order.sort_by_key(|&p| self.first_pass_rank(p));
        for &p in &order {
            self.remove(p);
            if let Some(trajectory) = self.replan_at(p, Some(multipliers)) {
                self.insert(p, trajectory.masks);
                self.valid[p] = true;
            }
        }
        for &p in &order {
            let group = self.group_of(p);
            self.try_move(group, &[p]);
        }
        for _ in 0..options.max_rounds {
            let mut improved = false;
            for group in 0..self.managers_of.len() {
                if Instant::now() > deadline {
                    return;
                }
                let people = self.managers_of[group].clone();
                for &p in &people {
                    improved |= self.try_move(group, &[p]);
                }
                for &a in &people {
                    for &b in &people {
                        if a != b {
                            improved |= self.try_move(group, &[a, b]);
                        }
                    }
                }
            }
            if !improved {
                return;
            }
        }
    }

    /// For each guide and each group: take the group's people out, plan them again at the
    /// guide's prices, improve the group by single and pair moves at the true prices, and
    /// keep the result only if the group's value rose. Again while some group improves.
    fn regroup(&mut self, guides: &[Multipliers], deadline: Instant) {
        while self.regroup_once(guides, deadline) {}
    }

    fn regroup_once(&mut self, guides: &[Multipliers], deadline: Instant) -> bool {
        let mut improved_any = false;
        for guide in guides {
            for group in 0..self.managers_of.len() {
                if Instant::now() > deadline {
                    return false;
                }
                let before = self.group_value(group);
                let people = self.managers_of[group].clone();
                let saved: Vec<(Vec<u64>, bool)> = people
                    .iter()
                    .map(|&p| (self.masks[p].clone(), self.valid[p]))
                    .collect();
                for &p in &people {
                    self.remove(p);
                }
                let mut order = people.clone();
                order.sort_by_key(|&p| self.first_pass_rank(p));
                for &p in &order {
                    self.valid[p] = false;
                    if let Some(trajectory) = self.replan_at(p, Some(guide)) {
                        self.insert(p, trajectory.masks);
                        self.valid[p] = true;
                    }
                }
                loop {
                    let mut improved = false;
                    for &p in &people {
                        improved |= self.try_move(group, &[p]);
                    }
                    for &a in &people {
                        for &b in &people {
                            if a != b {
                                improved |= self.try_move(group, &[a, b]);
                            }
                        }
                    }
                    if !improved || Instant::now() > deadline {
                        break;
                    }
                }
                if self.group_value(group) <= before {
                    for &p in &people {
                        self.remove(p);
                    }
                    for (&p, (masks, valid)) in people.iter().zip(saved) {
                        self.insert(p, masks);
                        self.valid[p] = valid;
                    }
                } else {
                    improved_any = true;
                }
            }
        }
        improved_any
    }

    /// The order of first passes: pinned people, then incumbents, then everyone else.
    fn first_pass_rank(&self, p: usize) -> (bool, bool, usize) {
        let pinned = self.rotation.pins().iter().any(|pin| pin.person == p);
        let incumbent = matches!(self.rotation.people()[p].history, History::Managing { .. });
        (!pinned, !incumbent, p)
    }

    /// Takes `who` out and re-plans them in order, the last first; keeps the result only if
    /// the group's value rises and everyone found a trajectory.
    fn try_move(&mut self, group: usize, who: &[usize]) -> bool {
        let before = self.group_value(group);
        let saved: Vec<Vec<u64>> = who.iter().map(|&p| self.masks[p].clone()).collect();
        let saved_valid: Vec<bool> = who.iter().map(|&p| self.valid[p]).collect();
        for &p in who {
            self.remove(p);
        }
        let mut ok = true;
        for &p in who.iter().rev() {
            match self.replan(p) {
                Some(trajectory) => {
                    self.insert(p, trajectory.masks);
                    self.valid[p] = true;
                }
                None => {
                    ok = false;
                    break;
                }
            }
        }
        if ok && self.group_value(group) > before {
            return true;
        }
        for &p in who {
            self.remove(p);
        }
        for (i, &p) in who.iter().enumerate() {
            self.insert(p, saved[i].clone());
            self.valid[p] = saved_valid[i];
        }
        false
    }

    // Teams and quarters index the cover table and the roles at once.
    #[allow(clippy::needless_range_loop)]
    /// The plan, if every team-quarter is staffed (or interims allowed) and every person's
    /// trajectory obeys the rules.
    fn plan(&self) -> Option<Plan> {
        let rotation = self.rotation;
        if self.managers_of.iter().flatten().any(|&p| !self.valid[p]) {
            return None;
        }
        // People who may not manage (unwilling or excluded) but whose stint under way has
        // not reached the minimum: no plan can satisfy them.
        let quarters = rotation.quarters();
        let nothing = vec![vec![0.0; rotation.teams().len()]; quarters];
        let zero = vec![0.0; quarters];
        let no_cap = vec![0; quarters];
        let prices = Prices {
            take: &nothing,
            start_cost: &zero,
            start_cap: &no_cap,
            off: &zero,
        };
        let stuck = (0..rotation.people().len()).any(|p| {
            (!rotation.people()[p].willing || rotation.is_excluded(p))
                && best_trajectory(rotation, self.sets, p, &prices).is_none()
        });
        if stuck {
            return None;
        }
        if rotation.policy().interim_penalty.is_none()
            && self.cover.iter().flatten().any(|c| c.is_none())
        {
            return None;
        }
        let mut roles = vec![vec![Role::Engineer; quarters]; rotation.people().len()];
        for (p, row) in roles.iter_mut().enumerate() {
            let group = self.group_of(p);
            for (q, role) in row.iter_mut().enumerate() {
                if self.masks[p][q] != 0 {
                    *role = Role::Manager(self.sets.teams_of(group, self.masks[p][q]).collect());
                }
            }
        }
        for t in 0..rotation.teams().len() {
            for q in 0..quarters {
                if let Some(p) = self.lead(t, q) {
                    roles[p][q] = Role::TechLead;
                }
            }
        }
        // Every team belongs to a group, so the groups' values add up to the objective.
        let objective = (0..self.managers_of.len())
            .map(|g| self.group_value(g))
            .sum::<i64>();
        Some(Plan { roles, objective })
    }
}

/// The Lagrangian bound: the smallest value of the relaxed problem over the subgradient
/// iterations, rounded down (the objective is an integer).
fn bound(
    rotation: &Rotation,
    sets: &TeamSets,
    iterations: usize,
    from: &Multipliers,
    best_known: Option<i64>,
    group_targets: Option<&[i64]>,
    deadline: Instant,
) -> (i64, Vec<Multipliers>) {
    let people = rotation.people();
    let quarters = rotation.quarters();
    let teams = rotation.teams().len();
    let policy = rotation.policy();
    let change = policy.change_penalty as f64;
    let mut u = from.u.clone();
    let mut w = from.w.clone();
    let mut v = from.v.clone();
    let mut take = vec![vec![0.0f64; teams]; quarters];
    let mut start_cost = vec![change; quarters];
    let start_cap = vec![u32::MAX; quarters];
    let mut off = vec![0.0f64; quarters];
    let mut best = f64::INFINITY;
    let groups = sets.group_teams.len();
    let first_theta = if best_known.is_some() { 0.5 } else { 1.0 };
    // One step control per group, and one for churn (last).
    let mut steps = vec![StepControl::new(first_theta); groups + 1];
    let mut snapshots = Vec::new();
    // Without a plan to aim at, aim at zero: long steps at first, which the halving of
    // theta shortens (measured: better than aiming a few percent below the bound).
    let aim = |_: f64| best_known.map_or(0.0, |b| b as f64);
    let mut best_multipliers = Multipliers {
        u: u.clone(),
        w: w.clone(),
        v: v.clone(),
    };
    for _ in 0..iterations.max(1) {
        let mut value = 0.0;
        let mut group_value = vec![0.0f64; groups];
        let mut covered = vec![vec![0i64; teams]; quarters];
        let mut leads = vec![vec![0i64; teams]; quarters];
        let mut starts = vec![0i64; quarters];
        for q in 0..quarters {
            for t in 0..teams {
                take[q][t] = -u[q][t];
            }
            start_cost[q] = change + v[q];
        }
        for (p, person) in people.iter().enumerate() {
            let excluded = rotation.is_excluded(p);
            for q in 0..quarters {
                off[q] = if excluded {
                    0.0
                } else {
                    (person.joy_tech_lead[q] as f64 - w[q][person.home]).max(0.0)
                };
            }
            let prices = Prices {
                take: &take,
                start_cost: &start_cost,
                start_cap: &start_cap,
                off: &off,
            };
            let Some(trajectory) = best_trajectory(rotation, sets, p, &prices) else {
                // A person with no valid quarters makes the whole instance infeasible.
                let none = Multipliers { u, w, v };
                return (i64::MIN, vec![none]);
            };
            value += trajectory.value;
            let group = sets.position[person.home].0;
            group_value[group] += trajectory.value;
            let mut previous = match &person.history {
                History::Managing { teams, .. } => teams
                    .iter()
                    .filter(|&&t| sets.position[t].0 == group)
                    .fold(0u64, |m, &t| m | (1 << sets.position[t].1)),
                _ => 0,
            };
            for q in 0..quarters {
                let mask = trajectory.masks[q];
                if mask == 0 {
                    if off[q] > 0.0 {
                        leads[q][person.home] += 1;
                    }
                } else {
                    for t in sets.teams_of(group, mask) {
                        covered[q][t] += 1;
                    }
                    starts[q] += i64::from((mask & !previous).count_ones());
                }
                previous = mask;
            }
        }
        // Groups are independent once churn is priced, so each gets its own step: one
        // group's oscillating seats no longer shrink every other group's steps (measured on
        // the 5,000-person instance: a global step stalled at a 1.8 % gap).
        let mut g_u = vec![vec![0.0f64; teams]; quarters];
        let mut g_w = vec![vec![0.0f64; teams]; quarters];
        let mut g_v = vec![0.0f64; quarters];
        let mut sq_group = vec![0.0f64; groups];
        for q in 0..quarters {
            for t in 0..teams {
                let group = sets.position[t].0;
                let mut term = u[q][t] + w[q][t];
                // Team term: u + max over interim h of -(penalty + u) h.
                let interim = match policy.interim_penalty {
                    Some(penalty) if -(penalty as f64) - u[q][t] > 0.0 => {
                        term += -(penalty as f64) - u[q][t];
                        1
                    }
                    _ => 0,
                };
                value += term;
                group_value[group] += term;
                g_u[q][t] = (1 - interim - covered[q][t]) as f64;
                g_w[q][t] = (1 - leads[q][t]) as f64;
                sq_group[group] += g_u[q][t] * g_u[q][t];
                if w[q][t] > 0.0 || g_w[q][t] < 0.0 {
                    sq_group[group] += g_w[q][t] * g_w[q][t];
                }
            }
        }
        let churn = f64::from(policy.churn_max.min(1 << 30));
        let mut sq_churn = 0.0;
        for q in 0..quarters {
            value += v[q] * churn;
            g_v[q] = churn - starts[q] as f64;
            if v[q] > 0.0 || g_v[q] < 0.0 {
                sq_churn += g_v[q] * g_v[q];
            }
        }
        if value < best - 1e-9 {
            best = value;
            best_multipliers = Multipliers {
                u: u.clone(),
                w: w.clone(),
                v: v.clone(),
            };
        }
        for (g, &gv) in group_value.iter().enumerate() {
            steps[g].observe(gv);
        }
        let theta = steps[groups].theta;
        steps[groups].observe(value);
        if steps[groups].theta < theta && snapshots.len() < SNAPSHOTS {
            snapshots.push(Multipliers {
                u: u.clone(),
                w: w.clone(),
                v: v.clone(),
            });
        }
        let finished = steps.iter().all(|s| s.theta < 1e-4)
            || sq_group.iter().all(|&s| s == 0.0) && sq_churn == 0.0;
        if finished || Instant::now() > deadline {
            break;
        }
        let group_steps: Vec<f64> = (0..groups)
            .map(|g| {
                let aim = group_targets.map_or(0.0, |targets| targets[g] as f64);
                if sq_group[g] == 0.0 {
                    0.0
                } else {
                    steps[g].theta * (group_value[g] - aim).max(1.0) / sq_group[g]
                }
            })
            .collect();
        let churn_step = if sq_churn == 0.0 {
            0.0
        } else {
            steps[groups].theta * (value - aim(best)).max(1.0)
                / (sq_churn + sq_group.iter().sum::<f64>())
        };
        for q in 0..quarters {
            for t in 0..teams {
                let step = group_steps[sets.position[t].0];
                u[q][t] -= step * g_u[q][t];
                w[q][t] = (w[q][t] - step * g_w[q][t]).max(0.0);
            }
            v[q] = (v[q] - churn_step * g_v[q]).max(0.0);
        }
    }
    // Sums of up to a few million terms: allow for rounding before taking the floor.
    let mut guides = vec![best_multipliers, Multipliers { u, w, v }];
    guides.extend(snapshots.into_iter().rev());
    ((best + 1e-6 * best.abs().max(1.0)).floor() as i64, guides)
}

/// Prices kept along the way (each time the overall step halves) to guide more plans.
const SNAPSHOTS: usize = 8;

/// Subgradient iterations without a better bound before the step is halved.
const PATIENCE: usize = 20;

/// Polyak step control: theta halves after [`PATIENCE`] iterations without a lower value.
#[derive(Debug, Clone)]
struct StepControl {
    theta: f64,
    best: f64,
    since_better: usize,
}

impl StepControl {
    fn new(theta: f64) -> Self {
        StepControl {
            theta,
            best: f64::INFINITY,
            since_better: 0,
        }
    }

    fn observe(&mut self, value: f64) {
        if value < self.best - 1e-9 {
            self.best = value;
            self.since_better = 0;
        } else {
            self.since_better += 1;
            if self.since_better >= PATIENCE {
                self.theta /= 2.0;
                self.since_better = 0;
            }
        }
    }
}

/// The prices of the best bound: what covering a team-quarter (`u`), a tech-lead seat (`w`)
/// and a change in a quarter (`v`) are worth. They guide the first plan.
#[derive(Debug, Clone)]
struct Multipliers {
    u: Vec<Vec<f64>>,
    w: Vec<Vec<f64>>,
    v: Vec<f64>,
}

impl Multipliers {
    fn zero(rotation: &Rotation) -> Self {
        let teams = rotation.teams().len();
        let quarters = rotation.quarters();
        Multipliers {
            u: vec![vec![0.0; teams]; quarters],
            w: vec![vec![0.0; teams]; quarters],
            v: vec![0.0; quarters],
        }
    }
}
