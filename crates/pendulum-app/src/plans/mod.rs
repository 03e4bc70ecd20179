//! The plans, once for the command line and the server: the org's rotation plan
//! (`rotation.rs`), the stretch assignment of a backlog (`stretch.rs`), and who may solve
//! and when on a server (`planner.rs`).
//!
//! Both solvers are work of seconds, so they run on the blocking pool, never on an async
//! worker. The command line solves as the operator, at once and without limits but the
//! ones it is given; a server solves through its [`Planner`], which holds a few solve slots,
//! keeps rotation plans per revision of the store and solves the default plan in the
//! background. Parsing what a plan is asked with (arguments, a query string, CSV text with
//! its row limit) stays with the edge that reads it.

mod planner;
mod rotation;
mod stretch;

pub use planner::{
    BUSY_RETRY_AFTER, Basis, KeptPlan, Ledgers, PlanLimits, Planner, Shown, SolvedPlan,
    SolversOccupied,
};
pub use rotation::{
    DEFAULT_QUARTERS, IndexedPlan, ROTATION_TIME_LIMIT, RotationQuery, SolvedRotation, rotations,
};
pub use stretch::{Stretch, StretchInput, assign};

use pendulum_core::PersonId;
use pendulum_plan::StretchError;
use pendulum_plan::org::OrgError;
use pendulum_plan::rotation::RejectedPlan;
use pendulum_plan::stretch::BandError;
use pendulum_store::Store;

use crate::acting::{Action, Who, audit_refusal};

/// Why a plan was not made. Cheap to clone: the background planner keeps its last outcome
/// for every request that reads it.
#[derive(Debug, Clone, thiserror::Error)]
pub enum PlanError {
    /// The account may not make or read this plan; the message says why.
    #[error("{0}")]
    Forbidden(String),
    /// The org cannot be planned as asked: the request's fault (a pin or an exclusion
    /// that names nobody, a horizon too long) or an org the model cannot take.
    #[error(transparent)]
    Org(#[from] OrgError),
    /// The rotation solver made a plan its checker refuses: a fault of the solver, never
    /// the request's.
    #[error(transparent)]
    Rejected(#[from] RejectedPlan),
    /// The skills and backlog make no stretch problem, or it has no plan within the
    /// limits; a plan the checker refuses and a flow that fails are the solver's.
    #[error(transparent)]
    Stretch(#[from] StretchError),
    /// People of the skills with no capacity, and no capacity for everyone.
    #[error("no capacity for {}", names(.0))]
    NoCapacity(Vec<PersonId>),
    /// The policy's stretch band is not one the planner can use (the policy is checked
    /// when it is read, so this is a fault).
    #[error("policy: stretch: {0}")]
    Band(#[from] BandError),
    /// Every solve slot is taken; the client may try again after [`BUSY_RETRY_AFTER`].
    #[error("the server is busy with other plans; try the {what} again in a few seconds")]
    Busy { what: &'static str },
    /// A solver's thread ended without an answer.
    #[error("the {what} solver stopped: {message}")]
    Stopped { what: &'static str, message: String },
}

fn names(people: &[PersonId]) -> String {
    people
        .iter()
        .map(PersonId::as_str)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Whether `who` may make or read the plan of `action` (`ReadRotationPlan` is an admin's,
/// `PlanAssignments` a manager's or an admin's); a refusal is audited without a subject.
/// The use cases ask themselves; an edge asks first, to refuse before it reads a request.
pub async fn authorize(store: &impl Store, who: &Who, action: Action) -> Result<(), PlanError> {
    if let Who::Account(account) = who
        && let Some(Err(why)) = action.plan_allowed(account)
    {
        audit_refusal(store, who, action, None, "denied").await;
        return Err(PlanError::Forbidden(why));
    }
    Ok(())
}
