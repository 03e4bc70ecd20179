//! Why no rotation plan was found for an org: which constraint binds, found by solving
//! again with one constraint lifted at a time, and which team-quarters the closest plan
//! (interim managers allowed, at a cost far above any preference) leaves without a manager,
//! with what stops each person of the department from taking them.
//!
//! The solver is a search: "not found" is proven only by the facts listed first (a team
//! larger than any span, a department where nobody may manage); the rest is what the search
//! found within its time, and the wording says so.
//!
//! Every solve here shares what is left of the plan's own time limit (a deadline passed
//! in), so a page that asks for a plan of an infeasible org waits no longer than for any
//! other plan; constraints not probed when the time is up are listed as such.

use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::OrgRotation;
use crate::rotation::{self, History, Plan, RejectedPlan, Role, Rotation, SolveOptions};

/// The least time worth giving one probe: a search cut shorter finds nothing.
const MIN_PROBE: Duration = Duration::from_millis(5);

/// What the closest plan pays for an interim team-quarter: above any sum of preferences,
/// so it leaves a team without a manager only when nobody can take it.
const CLOSEST_INTERIM: i64 = 1 << 30;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Diagnosis {
    pub summary: String,
    /// What the org's shape alone rules out: teams too large for any manager, departments
    /// where nobody may manage.
    pub facts: Vec<String>,
    /// Constraints each of which, lifted alone, lets a plan exist.
    pub binding: Vec<String>,
    /// Teams the closest plan leaves to an interim manager.
    pub unstaffed: Vec<Unstaffed>,
    /// Constraints not probed because the time limit was reached first: any of them may
    /// bind as well.
    #[serde(default)]
    pub unprobed: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Unstaffed {
    pub team: String,
    pub department: String,
    pub quarters: Vec<String>,
    /// Why each person of the department cannot manage it, in the first of those quarters.
    pub candidates: Vec<String>,
}

/// A constraint lifted for a probe.
struct Probe {
    what: String,
    lift: Box<dyn Fn(&mut Parts)>,
}

/// The instance's parts, to rebuild with one constraint lifted.
#[derive(Clone)]
struct Parts {
    teams: Vec<rotation::Team>,
    people: Vec<rotation::Person>,
    policy: rotation::Policy,
    pins: Vec<rotation::Pin>,
    excluded: Vec<usize>,
}

impl Parts {
    fn of(r: &Rotation) -> Self {
        Parts {
            teams: r.teams().to_vec(),
            people: r.people().to_vec(),
            policy: r.policy().clone(),
            pins: r.pins().to_vec(),
            excluded: (0..r.people().len())
                .filter(|&p| r.is_excluded(p))
                .collect(),
        }
    }

    fn build(self, quarters: usize) -> Option<Rotation> {
        Rotation::new(self.teams, self.people, quarters, self.policy)
            .and_then(|r| r.with_what_if(self.pins, &self.excluded))
            .ok()
    }
}

/// The plan closest to keeping every constraint: interim managers allowed, at a price
/// nothing else outweighs. A closest plan with no interim is a plan: the solver's search
/// had missed it.
pub(super) fn closest(org: &OrgRotation, deadline: Instant) -> Result<Option<Plan>, RejectedPlan> {
    // Half of what is left: the probes share the other half.
    let time_limit = deadline.saturating_duration_since(Instant::now()) / 2;
    let r = &org.rotation;
    let mut parts = Parts::of(r);
    parts.policy.interim_penalty = Some(CLOSEST_INTERIM);
    Ok(match parts.build(r.quarters()) {
        Some(relaxed) => {
            rotation::solve(
                &relaxed,
                &SolveOptions {
                    time_limit,
                    ..SolveOptions::default()
                },
            )?
            .plan
        }
        None => None,
    })
}

/// Why no plan was found, given the closest plan (if any).
pub(super) fn diagnose(
    org: &OrgRotation,
    closest: Option<Plan>,
    deadline: Instant,
) -> Result<(Diagnosis, Option<Plan>), RejectedPlan> {
    let r = &org.rotation;
    let quarters = r.quarters();
    let settings = &org.settings;
    let policy = r.policy();
    let mut probes: Vec<Probe> = Vec::new();
    probes.push(Probe {
        what: format!(
            "the minimum stint of {} months (rotation.min_stint_months)",
            settings.min_stint_months
        ),
        lift: Box::new(|p| p.policy.min_stint = 1),
    });
    let longest = r
        .people()
        .iter()
        .map(|p| match &p.history {
            History::Managing { tenure, .. } => *tenure,
            _ => 0,
        })
        .max()
        .unwrap_or(0)
        + quarters as u32;
    probes.push(Probe {
        what: format!(
            "the maximum stint of {} months (rotation.max_stint_months)",
            settings.max_stint_months
        ),
        lift: Box::new(move |p| p.policy.max_stint = p.policy.max_stint.max(longest)),
    });
    probes.push(Probe {
        what: format!(
            "the cool-down of {} months (rotation.cool_down_months)",
            settings.cool_down_months
        ),
        lift: Box::new(|p| p.policy.cool_down = 0),
    });
    let biggest = r.teams().iter().map(|t| t.headcount).max().unwrap_or(0);
    let smallest = r.teams().iter().map(|t| t.headcount).min().unwrap_or(0);
    probes.push(Probe {
        what: format!(
            "the span of {} to {} reports (rotation.span_min, rotation.span_max)",
            settings.span_min, settings.span_max
        ),
        lift: Box::new(move |p| {
            p.policy.span_min = p.policy.span_min.min(smallest);
            p.policy.span_max = p.policy.span_max.max(biggest);
        }),
    });
    probes.push(Probe {
        what: format!(
            "at most {} teams changing manager in a quarter (rotation.max_change_share {})",
            policy.churn_max, settings.max_change_share
        ),
        lift: Box::new(|p| p.policy.churn_max = u32::MAX),
    });
    if r.people().iter().any(|p| p.manage_from > 0) {
        probes.push(Probe {
            what: format!(
                "{} years of hands-on work before a first management stint (lead_without_management.min_engineering_years)",
                org.min_engineering_years
            ),
            lift: Box::new(|p| p.people.iter_mut().for_each(|x| x.manage_from = 0)),
        });
    }
    let unknown: Vec<usize> = (0..org.people.len())
        .filter(|&p| {
            org.people[p].willingness == pendulum_core::Willingness::Unknown
                && !r.people()[p].willing
        })
        .collect();
    if !unknown.is_empty() {
        let count = unknown.len();
        probes.push(Probe {
            what: format!(
                "willingness: only people who said yes manage, and {count} people have not said"
            ),
            lift: Box::new(move |p| unknown.iter().for_each(|&i| p.people[i].willing = true)),
        });
    }
    if !r.pins().is_empty() {
        probes.push(Probe {
            what: "the pins (what-if)".to_owned(),
            lift: Box::new(|p| p.pins.clear()),
        });
    }
    if (0..r.people().len()).any(|p| r.is_excluded(p)) {
        probes.push(Probe {
            what: "the exclusions (what-if)".to_owned(),
            lift: Box::new(|p| p.excluded.clear()),
        });
    }
    let mut binding = Vec::new();
    let mut unprobed = Vec::new();
    for (done, probe) in probes.iter().enumerate() {
        // An equal share of what is left for each probe still to run; none when the time
        // is up, since a search given no time proves nothing.
        let left = deadline.saturating_duration_since(Instant::now());
        if left < MIN_PROBE {
            unprobed.push(probe.what.clone());
            continue;
        }
        let share = SolveOptions {
            time_limit: left / (probes.len() - done) as u32,
            ..SolveOptions::default()
        };
        let mut parts = Parts::of(r);
        (probe.lift)(&mut parts);
        let Some(lifted) = parts.build(quarters) else {
            continue;
        };
        if rotation::solve(&lifted, &share)?.plan.is_some() {
            binding.push(probe.what.clone());
        }
    }

    let unstaffed = closest
        .as_ref()
        .map(|plan| unstaffed(org, plan))
        .unwrap_or_default();
    let team_quarters: usize = unstaffed.iter().map(|u| u.quarters.len()).sum();
    let mut summary = match (&closest, binding.is_empty()) {
        (None, _) => "No plan was found that keeps every constraint, not even with interim managers: a stint under way cannot go on within the other limits, or the pins contradict them.".to_owned(),
        (Some(_), true) => format!(
            "No plan was found that keeps every constraint: the closest plan leaves {team_quarters} team-quarter(s) to an interim manager, and lifting any one constraint alone was not enough."
        ),
        (Some(_), false) => format!(
            "No plan was found that keeps every constraint: the closest plan leaves {team_quarters} team-quarter(s) to an interim manager. With any one of the constraints below lifted, a plan was found."
        ),
    };
    if !unprobed.is_empty() {
        summary.push_str(&format!(
            " The time limit was reached before {} of the constraints could be lifted in turn: they are listed as not probed, and any of them may bind.",
            unprobed.len()
        ));
    }
    // The closest plan's objective counts interims at a price that means nothing to a
    // reader; the plan shows who goes where, not a total.
    let closest = closest.map(|mut plan| {
        plan.objective = 0;
        plan
    });
    Ok((
        Diagnosis {
            summary,
            facts: facts(org),
            binding,
            unstaffed,
            unprobed,
        },
        closest,
    ))
}

/// What the shape of the org rules out, whatever the plan.
fn facts(org: &OrgRotation) -> Vec<String> {
    let r = &org.rotation;
    let mut out = Vec::new();
    for (t, team) in r.teams().iter().enumerate() {
        if team.headcount > r.policy().span_max {
            out.push(format!(
                "{} ({}) has {} hands-on members, above the span maximum of {}: nobody can manage it alone.",
                org.teams[t].name,
                org.teams[t].department,
                team.headcount,
                r.policy().span_max
            ));
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    for (t, team) in r.teams().iter().enumerate() {
        if !seen.insert(team.group) {
            continue;
        }
        if !(0..r.people().len()).any(|p| r.may_manage(p, t)) {
            out.push(format!(
                "Nobody in {} may manage: nobody there said yes (or has the years a first stint needs) and is not excluded.",
                org.teams[t].department
            ));
        }
    }
    out
}

/// The teams a plan leaves without a manager, and what keeps each person of the
/// department from taking one.
fn unstaffed(org: &OrgRotation, plan: &Plan) -> Vec<Unstaffed> {
    let r = &org.rotation;
    let quarters = r.quarters();
    let mut out = Vec::new();
    for (t, team) in r.teams().iter().enumerate() {
        let empty: Vec<usize> = (0..quarters)
            .filter(|&q| {
                !plan
                    .roles
                    .iter()
                    .any(|roles| matches!(&roles[q], Role::Manager(m) if m.contains(&t)))
            })
            .collect();
        let Some(&first) = empty.first() else {
            continue;
        };
        let mut candidates = Vec::new();
        if team.headcount > r.policy().span_max {
            candidates.push(format!(
                "The team has {} hands-on members, above the span maximum of {}: nobody can manage it alone.",
                team.headcount,
                r.policy().span_max
            ));
        }
        for (p, person) in r.people().iter().enumerate() {
            if r.teams()[person.home].group != team.group {
                continue;
            }
            candidates.push(format!(
                "{}: {}",
                org.people[p].name,
                blocker(org, plan, p, first)
            ));
        }
        if candidates.is_empty() {
            candidates.push("Nobody in the department is part of the plan.".to_owned());
        }
        out.push(Unstaffed {
            team: org.teams[t].name.clone(),
            department: org.teams[t].department.clone(),
            quarters: empty.iter().map(|&q| org.horizon[q].to_string()).collect(),
            candidates,
        });
    }
    out
}

/// What keeps `p` from managing one more team in quarter `q` of `plan`.
fn blocker(org: &OrgRotation, plan: &Plan, p: usize, q: usize) -> String {
    let r = &org.rotation;
    let person = &r.people()[p];
    let facts = &org.people[p];
    let policy = r.policy();
    if r.is_excluded(p) {
        return "excluded (what-if)".to_owned();
    }
    if !person.willing {
        return match facts.willingness {
            pendulum_core::Willingness::No => "said they are not willing to manage".to_owned(),
            _ => "has not said whether they are willing to manage".to_owned(),
        };
    }
    if q < person.manage_from {
        return format!(
            "{:.1} years of hands-on work, short of the {} a first stint needs until {}",
            facts.engineering_years,
            org.min_engineering_years,
            org.horizon
                .get(person.manage_from)
                .map_or_else(|| "after the horizon".to_owned(), ToString::to_string)
        );
    }
    if let History::Managing { tenure, .. } = &person.history
        && q as u32 >= policy.max_stint.saturating_sub(*tenure)
    {
        return format!(
            "reaches the maximum of {} months in management",
            org.settings.max_stint_months
        );
    }
    if let Role::Manager(teams) = &plan.roles[p][q] {
        let reports: u32 = teams.iter().map(|&t| r.teams()[t].headcount).sum();
        return format!(
            "already manages {} ({reports} reports, span maximum {})",
            teams
                .iter()
                .map(|&t| org.teams[t].name.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            policy.span_max
        );
    }
    if let History::Stopped { quarters_ago } = &person.history
        && (*quarters_ago as usize + q) < policy.cool_down as usize
    {
        let free = policy.cool_down as usize - *quarters_ago as usize;
        return format!(
            "in the cool-down after managing, until {}",
            org.horizon
                .get(free)
                .map_or_else(|| "after the horizon".to_owned(), ToString::to_string)
        );
    }
    "free this quarter, but a stint here would break the stint length or the limit on changes per quarter".to_owned()
}
