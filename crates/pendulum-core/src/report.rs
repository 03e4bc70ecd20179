//! A report: the metrics and nudges of a ledger under a policy, as of one day.

use chrono::NaiveDate;

use crate::access::Scope;
use crate::ledger::Ledger;
use crate::metrics::Metrics;
use crate::policy::Policy;
use crate::rules::{self, Nudge};

/// Everything `pendulum report` shows. Reproducible: the same ledger, policy and day always
/// give the same report.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub as_of: NaiveDate,
    pub metrics: Metrics,
    /// Most severe first, then by person id and rule.
    pub nudges: Vec<Nudge>,
}

impl Report {
    pub fn new(ledger: &Ledger, policy: &Policy, as_of: NaiveDate) -> Self {
        Self {
            as_of,
            metrics: Metrics::compute(ledger, policy, as_of),
            nudges: rules::evaluate(ledger, policy, as_of),
        }
    }

    /// The report of the people in `scope` alone: their metrics, and the nudges about them.
    pub fn within(ledger: &Ledger, policy: &Policy, as_of: NaiveDate, scope: &Scope) -> Self {
        let mut nudges = rules::evaluate(ledger, policy, as_of);
        nudges.retain(|n| scope.contains_id(ledger, &n.person));
        Self {
            as_of,
            metrics: Metrics::compute_in(ledger, policy, as_of, scope),
            nudges,
        }
    }
}
