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

mod bound;
mod programme;
mod search;

use super::{Plan, Rotation, Score, Violation, check};
use bound::{Multipliers, bound};
use programme::TeamSets;
use search::Search;

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
