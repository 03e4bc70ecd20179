//! The document `plan rotations --json` writes: the plan in the org's terms together with
//! the instance it solves, by ids, so that `plan check` can verify it anywhere with the
//! independent checker, without the database or the solver.

use std::collections::HashMap;

use pendulum_core::Role as LedgerRole;
use serde::{Deserialize, Serialize};

use super::{OrgRotation, RotationPlan};
use crate::rotation::{self, History, Plan, Role, Rotation, Score, Violation};

/// What `plan rotations --json` writes and `plan check` reads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RotationDocument {
    /// Always `rotation`.
    pub plan: String,
    pub problem: Problem,
    pub result: RotationPlan,
}

pub const ROTATION_PLAN: &str = "rotation";

/// The instance, by ids; quarters are positions in `horizon`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Problem {
    pub horizon: Vec<String>,
    pub policy: ProblemPolicy,
    pub teams: Vec<ProblemTeam>,
    pub people: Vec<ProblemPerson>,
    pub pins: Vec<ProblemPin>,
    pub excluded: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProblemPolicy {
    pub span_min: u32,
    pub span_max: u32,
    pub min_stint_quarters: u32,
    pub max_stint_quarters: u32,
    pub cool_down_quarters: u32,
    pub max_changes_per_quarter: u32,
    pub change_penalty: i64,
    /// `null` when interim managers are not allowed.
    pub interim_penalty: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProblemTeam {
    pub id: String,
    pub department: u32,
    pub headcount: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProblemPerson {
    pub id: String,
    pub team: String,
    pub willing: bool,
    /// Position in the horizon of the first quarter they may manage in.
    pub manage_from: usize,
    pub history: ProblemHistory,
    pub joy_manager: Vec<i64>,
    pub joy_tech_lead: Vec<i64>,
    pub affinity: Vec<Affinity>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "kebab-case", deny_unknown_fields)]
pub enum ProblemHistory {
    HandsOn,
    Managing { teams: Vec<String>, tenure: u32 },
    Stopped { quarters_ago: u32 },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Affinity {
    pub team: String,
    pub value: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProblemPin {
    pub person: String,
    pub team: String,
    pub quarter: String,
}

/// A document that does not describe a valid instance or names what it does not have.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProblemError {
    #[error("plan: {0:?} is not a rotation plan (expected \"rotation\")")]
    Kind(String),
    #[error("{field}: {id:?} names no {what} of the problem")]
    Unknown {
        field: String,
        id: String,
        what: &'static str,
    },
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    #[error("problem: {0}")]
    Model(rotation::RotationError),
}

/// The verdict on a document's plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Every constraint holds and the objective is as claimed.
    Valid(Score),
    /// The document says no plan exists; there is no plan to verify.
    NoPlan,
    /// The constraints the plan breaks, in the problem's terms.
    Broken(Vec<String>),
}

impl RotationDocument {
    pub fn new(org: &OrgRotation, result: RotationPlan) -> Self {
        let r = &org.rotation;
        let team = |t: usize| org.teams[t].id.to_string();
        let history = |h: &History| match h {
            History::HandsOn => ProblemHistory::HandsOn,
            History::Managing { teams, tenure } => ProblemHistory::Managing {
                teams: teams.iter().map(|&t| team(t)).collect(),
                tenure: *tenure,
            },
            History::Stopped { quarters_ago } => ProblemHistory::Stopped {
                quarters_ago: *quarters_ago,
            },
        };
        let policy = r.policy();
        let problem = Problem {
            horizon: org.horizon.iter().map(ToString::to_string).collect(),
            policy: ProblemPolicy {
                span_min: policy.span_min,
                span_max: policy.span_max,
                min_stint_quarters: policy.min_stint,
                max_stint_quarters: policy.max_stint,
                cool_down_quarters: policy.cool_down,
                max_changes_per_quarter: policy.churn_max,
                change_penalty: policy.change_penalty,
                interim_penalty: policy.interim_penalty,
            },
            teams: r
                .teams()
                .iter()
                .enumerate()
                .map(|(t, x)| ProblemTeam {
                    id: team(t),
                    department: x.group,
                    headcount: x.headcount,
                })
                .collect(),
            people: r
                .people()
                .iter()
                .enumerate()
                .map(|(p, x)| ProblemPerson {
                    id: org.people[p].id.to_string(),
                    team: team(x.home),
                    willing: x.willing,
                    manage_from: x.manage_from,
                    history: history(&x.history),
                    joy_manager: x.joy_manager.clone(),
                    joy_tech_lead: x.joy_tech_lead.clone(),
                    affinity: x
                        .affinity
                        .iter()
                        .map(|&(t, value)| Affinity {
                            team: team(t),
                            value,
                        })
                        .collect(),
                })
                .collect(),
            pins: r
                .pins()
                .iter()
                .map(|pin| ProblemPin {
                    person: org.people[pin.person].id.to_string(),
                    team: team(pin.team),
                    quarter: org.horizon[pin.quarter].to_string(),
                })
                .collect(),
            excluded: (0..r.people().len())
                .filter(|&p| r.is_excluded(p))
                .map(|p| org.people[p].id.to_string())
                .collect(),
        };
        RotationDocument {
            plan: ROTATION_PLAN.to_owned(),
            problem,
            result,
        }
    }

    /// Rebuilds the instance from the problem and verifies the plan with the independent
    /// checker: every constraint, and the objective the document claims.
    pub fn check(&self) -> Result<Verdict, ProblemError> {
        if self.plan != ROTATION_PLAN {
            return Err(ProblemError::Kind(self.plan.clone()));
        }
        let rotation = self.problem.rotation()?;
        if !self.result.feasible {
            return Ok(Verdict::NoPlan);
        }
        let p = &self.problem;
        let people: HashMap<&str, usize> = p
            .people
            .iter()
            .enumerate()
            .map(|(i, x)| (x.id.as_str(), i))
            .collect();
        let teams = team_index(p);
        let quarters = p.horizon.len();
        let mut roles = vec![vec![Role::Engineer; quarters]; p.people.len()];
        let mut seen = vec![false; p.people.len()];
        for (k, planned) in self.result.people.iter().enumerate() {
            let field = format!("result.people[{k}]");
            let &i = people
                .get(planned.id.as_str())
                .ok_or_else(|| ProblemError::Unknown {
                    field: format!("{field}.id"),
                    id: planned.id.clone(),
                    what: "person",
                })?;
            if std::mem::replace(&mut seen[i], true) {
                return Err(ProblemError::Invalid {
                    field: format!("{field}.id"),
                    message: format!("{} is listed twice", planned.id),
                });
            }
            if planned.roles.len() != quarters {
                return Err(ProblemError::Invalid {
                    field: format!("{field}.roles"),
                    message: format!(
                        "has {} quarters; the horizon has {quarters}",
                        planned.roles.len()
                    ),
                });
            }
            for (q, role) in planned.roles.iter().enumerate() {
                let at = format!("{field}.roles[{q}]");
                roles[i][q] = match role.kind() {
                    Some(LedgerRole::Manager) => Role::Manager(
                        role.teams
                            .iter()
                            .map(|t| lookup(&teams, t, &format!("{at}.teams"), "team"))
                            .collect::<Result<_, _>>()?,
                    ),
                    Some(_) if !role.teams.is_empty() => {
                        return Err(ProblemError::Invalid {
                            field: format!("{at}.teams"),
                            message: format!("a {} manages no teams", role.role),
                        });
                    }
                    Some(LedgerRole::TechLead) => Role::TechLead,
                    Some(_) => Role::Engineer,
                    None => {
                        return Err(ProblemError::Invalid {
                            field: format!("{at}.role"),
                            message: format!(
                                "{:?} is not one of engineer, tech_lead, manager",
                                role.role
                            ),
                        });
                    }
                };
            }
        }
        if let Some(i) = seen.iter().position(|s| !s) {
            return Err(ProblemError::Invalid {
                field: "result.people".into(),
                message: format!("{} of the problem has no roles", p.people[i].id),
            });
        }
        let plan = Plan {
            roles,
            objective: self.result.objective.unwrap_or(i64::MIN),
        };
        Ok(match rotation::check(&rotation, &plan) {
            Ok(score) => Verdict::Valid(score),
            Err(violations) => Verdict::Broken(
                violations
                    .iter()
                    .map(|v| self.problem.describe(v))
                    .collect(),
            ),
        })
    }
}

fn team_index(p: &Problem) -> HashMap<&str, usize> {
    p.teams
        .iter()
        .enumerate()
        .map(|(i, t)| (t.id.as_str(), i))
        .collect()
}

fn lookup(
    index: &HashMap<&str, usize>,
    id: &str,
    field: &str,
    what: &'static str,
) -> Result<usize, ProblemError> {
    index.get(id).copied().ok_or_else(|| ProblemError::Unknown {
        field: field.to_owned(),
        id: id.to_owned(),
        what,
    })
}

impl Problem {
    /// The instance the problem states, validated by [`Rotation::new`].
    pub fn rotation(&self) -> Result<Rotation, ProblemError> {
        let teams = team_index(self);
        let quarter = |q: &str, field: &str| {
            self.horizon
                .iter()
                .position(|h| h == q)
                .ok_or_else(|| ProblemError::Unknown {
                    field: field.to_owned(),
                    id: q.to_owned(),
                    what: "quarter",
                })
        };
        let mut people = Vec::with_capacity(self.people.len());
        for (i, x) in self.people.iter().enumerate() {
            let field = format!("problem.people[{i}]");
            let history = match &x.history {
                ProblemHistory::HandsOn => History::HandsOn,
                ProblemHistory::Managing {
                    teams: managed,
                    tenure,
                } => History::Managing {
                    teams: managed
                        .iter()
                        .map(|t| lookup(&teams, t, &format!("{field}.history.teams"), "team"))
                        .collect::<Result<_, _>>()?,
                    tenure: *tenure,
                },
                ProblemHistory::Stopped { quarters_ago } => History::Stopped {
                    quarters_ago: *quarters_ago,
                },
            };
            people.push(rotation::Person {
                home: lookup(&teams, &x.team, &format!("{field}.team"), "team")?,
                willing: x.willing,
                manage_from: x.manage_from,
                history,
                joy_manager: x.joy_manager.clone(),
                joy_tech_lead: x.joy_tech_lead.clone(),
                affinity: x
                    .affinity
                    .iter()
                    .map(|a| {
                        Ok((
                            lookup(&teams, &a.team, &format!("{field}.affinity"), "team")?,
                            a.value,
                        ))
                    })
                    .collect::<Result<_, ProblemError>>()?,
            });
        }
        let person_index: HashMap<&str, usize> = self
            .people
            .iter()
            .enumerate()
            .map(|(i, x)| (x.id.as_str(), i))
            .collect();
        let mut pins = Vec::new();
        for (i, pin) in self.pins.iter().enumerate() {
            let field = format!("problem.pins[{i}]");
            pins.push(rotation::Pin {
                person: lookup(&person_index, &pin.person, &field, "person")?,
                team: lookup(&teams, &pin.team, &field, "team")?,
                quarter: quarter(&pin.quarter, &field)?,
            });
        }
        let excluded = self
            .excluded
            .iter()
            .map(|id| lookup(&person_index, id, "problem.excluded", "person"))
            .collect::<Result<Vec<_>, _>>()?;
        let pol = &self.policy;
        let policy = rotation::Policy {
            span_min: pol.span_min,
            span_max: pol.span_max,
            min_stint: pol.min_stint_quarters,
            max_stint: pol.max_stint_quarters,
            cool_down: pol.cool_down_quarters,
            churn_max: pol.max_changes_per_quarter,
            change_penalty: pol.change_penalty,
            interim_penalty: pol.interim_penalty,
        };
        let teams = self
            .teams
            .iter()
            .map(|t| rotation::Team {
                headcount: t.headcount,
                group: t.department,
            })
            .collect();
        Rotation::new(teams, people, self.horizon.len(), policy)
            .and_then(|r| r.with_what_if(pins, &excluded))
            .map_err(ProblemError::Model)
    }

    /// A violation with the problem's ids and quarters instead of positions.
    pub fn describe(&self, v: &Violation) -> String {
        let person = |p: usize| self.people.get(p).map_or("?", |x| x.id.as_str());
        let team = |t: usize| self.teams.get(t).map_or("?", |x| x.id.as_str());
        let quarter = |q: usize| self.horizon.get(q).map_or("?", String::as_str);
        match v {
            Violation::NotWilling {
                person: p,
                quarter: q,
            } => {
                format!(
                    "{} manages in {} but is not willing to",
                    person(*p),
                    quarter(*q)
                )
            }
            Violation::TooEarly {
                person: p,
                quarter: q,
            } => format!(
                "{} manages in {}, before they have the years of hands-on work a first stint needs",
                person(*p),
                quarter(*q)
            ),
            Violation::Excluded {
                person: p,
                quarter: q,
            } => {
                format!(
                    "{} is excluded but has a role in {}",
                    person(*p),
                    quarter(*q)
                )
            }
            Violation::OutsideGroup {
                person: p,
                team: t,
                quarter: q,
            } => format!(
                "{} manages {} of another department in {}",
                person(*p),
                team(*t),
                quarter(*q)
            ),
            Violation::Span {
                person: p,
                quarter: q,
                reports,
            } => format!(
                "{} has {reports} reports in {}, outside the span",
                person(*p),
                quarter(*q)
            ),
            Violation::Unstaffed {
                team: t,
                quarter: q,
            } => {
                format!("{} has no manager in {}", team(*t), quarter(*q))
            }
            Violation::Overstaffed {
                team: t,
                quarter: q,
                managers,
            } => format!("{} has {managers} managers in {}", team(*t), quarter(*q)),
            Violation::TechLeads {
                team: t,
                quarter: q,
                leads,
            } => format!("{} has {leads} tech leads in {}", team(*t), quarter(*q)),
            Violation::MinStint {
                person: p,
                quarter: q,
                lasted,
            } => format!(
                "{} stops managing in {} after {lasted} quarters, short of the minimum stint",
                person(*p),
                quarter(*q)
            ),
            Violation::MaxStint {
                person: p,
                quarter: q,
                length,
            } => format!(
                "{} manages in {} for a {length}th quarter, past the maximum stint",
                person(*p),
                quarter(*q)
            ),
            Violation::CoolDown {
                person: p,
                quarter: q,
                off,
            } => format!(
                "{} manages again in {} after only {off} quarters of hands-on work",
                person(*p),
                quarter(*q)
            ),
            Violation::IncumbentWindow {
                person: p,
                quarter: q,
            } => format!(
                "{} manages in {}, past the maximum counting the stint under way",
                person(*p),
                quarter(*q)
            ),
            Violation::Churn {
                quarter: q,
                changes,
            } => format!(
                "{changes} teams change manager in {}, more than the policy allows",
                quarter(*q)
            ),
            Violation::PinBroken { pin } => format!(
                "the pin {}:{}:{} is not kept",
                person(pin.person),
                team(pin.team),
                quarter(pin.quarter)
            ),
            Violation::Objective { claimed, actual } => {
                format!("the plan claims an objective of {claimed}; it is {actual}")
            }
            other => other.to_string(),
        }
    }
}
