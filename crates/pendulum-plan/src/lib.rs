//! Planning by optimisation for pendulum: the stretch assignment of backlog work to people,
//! solved exactly by a minimum-cost flow of our own, and checked by code that shares nothing
//! with the solver.
//!
//! The crate is pure: no I/O, no clock. Instances come in as values (or text to parse), plans
//! go out as values, and every plan can be verified with [`transport::check`].
//!
//! - [`flow`]: minimum-cost flow by cost scaling, `i64` costs, negative costs allowed.
//! - [`transport`]: the assignment model (people, items, candidate edges with growth), its
//!   TRN1 text format, the solver on top of [`flow`], and the independent checker.
//! - [`stretch`]: the same model in the org's terms: skill levels, a backlog and the
//!   policy's stretch band in, explained assignments out.
//! - [`rotation`]: the rotation plan (who manages which team, quarter by quarter), its
//!   reader for the anchors' generated instances, the independent checker and the solver.
//! - [`org`]: the rotation plan of the org in a ledger: the instance built from stints,
//!   check-ins and the policy, the plan explained swing by swing, and, when no plan exists,
//!   which constraint binds.
//! - [`mod@csv`]: the skills and backlog CSV files, from text, with located problems.
//!
//! `docs/PLANNING.md` describes the model, the method and the benchmark.

pub mod csv;
pub mod flow;
pub mod org;
pub mod rotation;
pub mod stretch;
pub mod transport;

pub use flow::{ArcId, Flow, FlowError, Network};
pub use stretch::{
    BacklogItem, Capacity, SkillLevel, StretchAssignment, StretchBand, StretchError, StretchLimits,
    StretchPlan, StretchProblem,
};
pub use transport::{Assignment, Edge, Instance, Objective, Plan, Violation, check};
