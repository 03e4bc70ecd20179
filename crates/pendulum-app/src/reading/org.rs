//! The org as an account sees it: the report (metrics and nudges), the metrics alone, the
//! nudges asked for, and the overview page's figures. Every count, share and nudge is taken
//! over the account's `Scope`, so that no figure crosses a line: a manager reads their
//! line's, never the org's.

use std::collections::{BTreeSet, HashSet};

use chrono::NaiveDate;
use pendulum_core::metrics::{Metrics, hands_on_distance};
use pendulum_core::period::months_between;
use pendulum_core::{
    Ledger, Nudge, PersonId, Policy, Report, RuleId, Scope, Severity, TeamId, View, YearMonth,
};

use super::people::{current_stint, left_by};
use super::{METRICS_FOR_MANAGERS, ReadError, scope, seen, view_of};
use crate::acting::Who;

/// The org's report as of `as_of` for `who`: the operator's and an admin's over the org, a
/// manager's over their line. A member has none.
pub fn report(
    who: &Who,
    ledger: &Ledger,
    policy: &Policy,
    as_of: NaiveDate,
) -> Result<Report, ReadError> {
    Ok(match figures_scope(who, ledger)? {
        Scope::Org => Report::new(ledger, policy, as_of),
        line => Report::within(ledger, policy, as_of, &line),
    })
}

/// The org's health metrics as of `as_of` for `who`, over the same people as [`report`].
pub fn metrics(
    who: &Who,
    ledger: &Ledger,
    policy: &Policy,
    as_of: NaiveDate,
) -> Result<Metrics, ReadError> {
    let scope = figures_scope(who, ledger)?;
    Ok(Metrics::compute_in(ledger, policy, as_of, &scope))
}

/// Whose nudges to give.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Whose {
    /// Everyone's the reader sees.
    Everyone,
    /// Those about one person, alone.
    About(PersonId),
    /// Those about one person and those they are the one to act on.
    Concerning(PersonId),
}

/// The nudges to give.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NudgeQuery {
    pub whose: Whose,
    /// Only those at least this severe.
    pub severity: Option<Severity>,
    pub rule: Option<RuleId>,
}

/// The nudges `query` asks for as of `as_of`, about the people `who` sees, most severe
/// first, then by rule. A person named who is out of sight is [`ReadError::NotFound`].
pub fn nudges(
    who: &Who,
    ledger: &Ledger,
    policy: &Policy,
    as_of: NaiveDate,
    query: &NudgeQuery,
) -> Result<Vec<Nudge>, ReadError> {
    let sees = |n: &Nudge| view_of(who, ledger, &n.person) != View::Hidden;
    let mut nudges = match &query.whose {
        // One person's nudges need one person's rules, not the whole org's, in the order
        // `evaluate` gives them.
        Whose::About(id) => {
            let (i, _) = seen(who, ledger, id)?;
            let mut nudges = pendulum_core::rules::evaluate_person(ledger, policy, as_of, i);
            nudges.sort_by(|a, b| b.severity.cmp(&a.severity).then(a.rule.cmp(&b.rule)));
            nudges
        }
        Whose::Concerning(id) => {
            seen(who, ledger, id)?;
            pendulum_core::rules::evaluate(ledger, policy, as_of)
                .into_iter()
                .filter(|n| n.person == *id || n.act_by.as_ref() == Some(id))
                .filter(sees)
                .collect()
        }
        Whose::Everyone => pendulum_core::rules::evaluate(ledger, policy, as_of)
            .into_iter()
            .filter(sees)
            .collect(),
    };
    nudges.retain(|n| {
        query.severity.is_none_or(|s| n.severity >= s) && query.rule.is_none_or(|r| n.rule == r)
    });
    Ok(nudges)
}

/// The overview page's reading: the report over the reader's people and what the page draws
/// beside it.
#[derive(Debug, Clone)]
pub struct Overview {
    pub report: Report,
    /// The people it is computed over: the org, or a manager's line.
    pub scope: Scope,
    /// Whether git has any month of evidence by the day for someone in scope.
    pub git_evidence: bool,
    /// The teams of the people in scope with hands-on members on the day and no current
    /// manager or hybrid stint on the team, in id order.
    pub unmanaged: Vec<UnmanagedTeam>,
    /// Each person in scope who manages on the day (manager or hybrid), in ledger order.
    pub managers: Vec<ManagerStanding>,
}

/// A team with hands-on members and nobody managing them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnmanagedTeam {
    pub team: TeamId,
    /// When its last manager left the org, when one did.
    pub manager_left_on: Option<NaiveDate>,
}

/// Where one manager stands on the day.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ManagerStanding {
    /// Months in the current stint.
    pub tenure_months: f64,
    /// Months since hands-on work, hybrid stints weighted as the policy says.
    pub hands_on_distance_months: f64,
    pub direct_reports: u32,
}

/// The overview page as `who` sees it as of `as_of`; for the operator, an admin and a
/// manager only.
pub fn overview(
    who: &Who,
    ledger: &Ledger,
    policy: &Policy,
    as_of: NaiveDate,
) -> Result<Overview, ReadError> {
    let scope = figures_scope(who, ledger)?;
    let report = Report::within(ledger, policy, as_of, &scope);
    let in_scope = || (0..ledger.people().len()).filter(|&i| scope.contains(i));
    let git_evidence = in_scope().any(|i| {
        ledger
            .git_of(i)
            .iter()
            .any(|g| g.month <= YearMonth::of(as_of))
    });
    let weight = policy.hands_on_distance.hybrid_hands_on_weight;
    let managers = in_scope()
        .filter_map(|i| {
            let stints = ledger.stints_of(i);
            let cut = &stints[..stints.partition_point(|s| s.start <= as_of)];
            let current = cut.last().filter(|s| s.covers(as_of) && s.role.manages())?;
            Some(ManagerStanding {
                tenure_months: months_between(current.start, as_of),
                hands_on_distance_months: hands_on_distance(cut, as_of, weight).months,
                direct_reports: ledger.direct_reports(i),
            })
        })
        .collect();
    Ok(Overview {
        unmanaged: teams_without_manager(ledger, &scope, as_of),
        report,
        scope,
        git_evidence,
        managers,
    })
}

/// The people whose figures `who` reads: a member reads none.
fn figures_scope(who: &Who, ledger: &Ledger) -> Result<Scope, ReadError> {
    match who {
        Who::Account(account) if !account.may_see_org_metrics() => {
            Err(ReadError::Forbidden(METRICS_FOR_MANAGERS))
        }
        _ => Ok(scope(who, ledger)),
    }
}

/// The teams of the people in `scope` that have hands-on members on `as_of` but no current
/// manager or hybrid stint on the team, each with when its last manager left when one did.
fn teams_without_manager(ledger: &Ledger, scope: &Scope, as_of: NaiveDate) -> Vec<UnmanagedTeam> {
    let people = 0..ledger.people().len();
    let current = |i: usize| current_stint(ledger, i, as_of);
    let managed: HashSet<&TeamId> = people
        .clone()
        .filter_map(current)
        .filter(|s| s.role.manages())
        .filter_map(|s| s.team.as_ref())
        .collect();
    let hands_on: BTreeSet<&TeamId> = people
        .clone()
        .filter(|&i| scope.contains(i))
        .filter_map(current)
        .filter(|s| !s.role.manages())
        .filter_map(|s| s.team.as_ref())
        .filter(|t| !managed.contains(t))
        .collect();
    hands_on
        .into_iter()
        .map(|team| {
            // A manager of the team whose last stint there ended the day they left.
            let manager_left_on = people
                .clone()
                .filter_map(|i| {
                    let on = left_by(ledger.person_at(i), as_of)?;
                    ledger
                        .stints_of(i)
                        .iter()
                        .any(|s| {
                            s.role.manages() && s.team.as_ref() == Some(team) && s.end == Some(on)
                        })
                        .then_some(on)
                })
                .max();
            UnmanagedTeam {
                team: team.clone(),
                manager_left_on,
            }
        })
        .collect()
}
