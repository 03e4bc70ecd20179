//! The pendulum domain: who held which role when, what the org's policy says about it, and
//! the nudges, metrics and timelines that follow.
//!
//! Everything here is pure and synchronous. Time ("as of"), randomness and data come in as
//! arguments, so a report is reproducible from the ledger, the evidence and the policy alone.
//! Parsing of raw text into these types happens at the edges (`pendulum-exchange`, the store,
//! the command line); once a value of a type here exists, it is valid.

pub mod access;
pub mod activity;
mod chart;
pub mod git;
pub mod ids;
pub mod interruptions;
pub mod ledger;
pub mod metrics;
pub mod note;
pub mod period;
pub mod policy;
pub mod reflect;
pub mod report;
pub mod role;
pub mod rules;
pub mod text;
pub mod timeline;

pub use access::{Account, AccountRole, Scope, StintRefusal, View};
pub use git::{
    CommitId, CommitIdHasher, CommitMap, CommitSet, GitCommit, GitIngestWrite, GitRepository,
    GitSources,
};
pub use ids::{Email, PersonId, TeamId};
pub use ledger::{
    CalendarWeek, Change, CheckIn, Correction, Departure, EditError, GitMonth, Leave, LeaveRequest,
    Ledger, LedgerParts, Origin, Person, PersonEdit, Problem, Problems, Reference, ReturnRequest,
    Sourced, Stint, StintEdit, StintKey, SwingRequest, Team, WillingAnswer,
};
pub use note::{MAX_NOTE_BYTES, Note, NoteError};
pub use period::{IsoWeek, Quarter, YearMonth};
pub use policy::{Ladder, Level, Policy, PolicyFile};
pub use report::Report;
pub use role::{Band, Role, Score, Side, Willingness};
pub use rules::{Fact, FactSource, Nudge, RuleId, Severity};
pub use text::NulError;
