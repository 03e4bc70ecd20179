//! The readings, once for the command line, the API and the pages: who is in the org and
//! what they hold ([`people`]), one person's record, check-ins and timeline, and the org's
//! report, metrics and nudges ([`org`]).
//!
//! A reading takes a snapshot of the ledger and the policy, the day it is as of and a
//! [`Who`], and gives typed views; the edges render them. What an account may see is decided
//! here, by `pendulum_core::access`, whatever the edge asked first: a person out of sight is
//! [`ReadError::NotFound`], and lists, nudges and figures hold only the people the account
//! sees. A check-in's note reaches its author alone ([`NoteSeen`]); the operator, who holds
//! the database but wrote no note, reads none either.
//!
//! Readings are pure: they touch no store, write no audit line and know no clock.

pub mod org;
pub mod people;

use pendulum_core::{Ledger, PersonId, Scope, View};

use crate::acting::Who;

/// Why a reading was not given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    /// No such person, or one the account may not see: the two read the same, so that a
    /// reading cannot probe who exists.
    #[error("no person with id {:?}", .0.as_str())]
    NotFound(PersonId),
    /// The reading is not for this account; the message says why.
    #[error("{0}")]
    Forbidden(&'static str),
}

/// What org-wide figures say to a member.
pub const METRICS_FOR_MANAGERS: &str = "org metrics are for managers and admins";

/// How much of `person`'s data `who` may read: the operator everyone's but their notes.
pub fn view_of(who: &Who, ledger: &Ledger, person: &PersonId) -> View {
    match who {
        Who::Operator if ledger.person(person).is_some() => View::WithoutNotes,
        Who::Operator => View::Hidden,
        Who::Account(account) => account.view_of(ledger, person),
    }
}

/// The people `who` may see, which figures and lists are computed over: the operator's and
/// an admin's are the org, a manager's their line.
pub fn scope(who: &Who, ledger: &Ledger) -> Scope {
    match who {
        Who::Operator => Scope::Org,
        Who::Account(account) => account.scope(ledger),
    }
}

/// The index of `person` and how much of them `who` sees, or [`ReadError::NotFound`] for
/// anyone out of sight.
pub fn seen(who: &Who, ledger: &Ledger, person: &PersonId) -> Result<(usize, View), ReadError> {
    let not_found = || ReadError::NotFound(person.clone());
    match view_of(who, ledger, person) {
        View::Hidden => Err(not_found()),
        view => Ok((ledger.person_index(person).ok_or_else(not_found)?, view)),
    }
}
