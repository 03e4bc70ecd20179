//! The stretch assignment: each person's backlog work just above their level, within
//! capacity, for the most growth in the policy's stretch band (`pendulum_plan::stretch`).
//!
//! Skills and a backlog come as the edge read them (files for the command line, CSV text
//! with a row limit for the server); the solve and what it may cost are here. A server
//! solves through [`super::Planner::stretch`], the command line through [`assign`].

use pendulum_core::Policy;
use pendulum_plan::csv::Skills;
use pendulum_plan::{BacklogItem, StretchBand, StretchLimits, StretchPlan, StretchProblem};

use super::PlanError;

/// Skills and a backlog to plan, as read.
#[derive(Debug, Clone)]
pub struct StretchInput {
    pub skills: Skills,
    pub backlog: Vec<BacklogItem>,
    /// Everyone's capacity in units of item size, where the skills give none.
    pub capacity: Option<u32>,
}

/// A stretch plan with the band it was made in.
#[derive(Debug)]
pub struct Stretch {
    pub band: StretchBand,
    pub plan: StretchPlan,
}

/// The stretch assignment of `input` in the stretch band of `policy`, within `limits`
/// (`StretchLimits::NONE` for none), at once: for the command line, which plans what it is
/// given as the operator.
pub fn assign(
    policy: &Policy,
    input: &StretchInput,
    limits: &StretchLimits,
) -> Result<Stretch, PlanError> {
    // The policy was checked when it was read; this only makes it the planner's type.
    let band = StretchBand::of_policy(&policy.stretch)?;
    solve(band, input, limits)
}

/// Builds the problem of `input` in `band`, refusing it over `limits`, and solves it. The
/// plan is checked before it is returned.
pub(super) fn solve(
    band: StretchBand,
    input: &StretchInput,
    limits: &StretchLimits,
) -> Result<Stretch, PlanError> {
    let without = input.skills.without_capacity();
    if input.capacity.is_none() && !without.is_empty() {
        return Err(PlanError::NoCapacity(
            without.into_iter().cloned().collect(),
        ));
    }
    let capacities = input.skills.capacity(input.capacity);
    let plan = StretchProblem::build_within(
        &input.skills.levels,
        &input.backlog,
        &capacities,
        &band,
        limits,
    )
    .and_then(|problem| problem.solve_within(limits))?;
    Ok(Stretch { band, plan })
}
