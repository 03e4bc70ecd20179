//! The rotation plan: for every person and every quarter of the horizon, a role (engineer,
//! tech lead of their home team, or manager of a set of teams), so that every team has one
//! manager, spans and stints stay within the policy, few teams change manager at once, and the
//! total preference is as large as it can be.
//!
//! This module holds the model as validated values; [`json`] reads the planning anchors'
//! generated instances, [`check`] verifies a plan without sharing code with any solver, and
//! [`solve`] finds plans together with an upper bound on the best objective. The formulation
//! is the one in the anchors' `gen_rotation.py` docstring; `docs/PLANNING.md` restates it.
//!
//! Indices are plain `usize`: people, teams and quarters are dense ranges fixed by the
//! instance, and [`Rotation::new`] checks every index once, so the solver and checker can
//! index arrays without re-checking.

pub mod check;
pub mod json;
pub mod solve;

pub use check::{Score, Violation, check};
pub use solve::{RejectedPlan, Solution, SolveOptions, solve};

/// A team: its number of individual contributors (the reports its manager takes on) and the
/// department group whose willing people may manage it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Team {
    pub headcount: u32,
    pub group: u32,
}

/// Where a person stands when the horizon opens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum History {
    /// On hands-on work long enough that nothing constrains their next stint.
    HandsOn,
    /// Managing `teams` for `tenure` quarters already (the stint under way).
    Managing { teams: Vec<usize>, tenure: u32 },
    /// Stopped managing `quarters_ago` quarters before the horizon opens (1 = last quarter).
    Stopped { quarters_ago: u32 },
}

/// A person, with their preferences per quarter of the horizon.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    /// The team they belong to; they can be its tech lead, and its group is theirs.
    pub home: usize,
    /// Only willing people manage.
    pub willing: bool,
    /// The first quarter of the horizon they may manage in (0: from the start): a
    /// first-time manager waits until they have the policy's years of hands-on work.
    pub manage_from: usize,
    pub history: History,
    /// Joy of managing, per quarter (any sign).
    pub joy_manager: Vec<i64>,
    /// Joy of being their home team's tech lead, per quarter.
    pub joy_tech_lead: Vec<i64>,
    /// Extra value of managing a given team (knowing it), per quarter managed; teams not
    /// listed are worth 0.
    pub affinity: Vec<(usize, i64)>,
}

/// The policy's limits, in quarters and reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    /// Reports (the summed headcount of the teams managed) a manager has at least.
    pub span_min: u32,
    /// Reports a manager has at most.
    pub span_max: u32,
    /// A stint, once started, lasts at least this many quarters (or to the horizon's end);
    /// the tenure of the stint under way counts.
    pub min_stint: u32,
    /// A stint lasts at most this many quarters, tenure included.
    pub max_stint: u32,
    /// Quarters of hands-on work after a stint before managing again.
    pub cool_down: u32,
    /// Teams that may change manager in one quarter.
    pub churn_max: u32,
    /// Cost of one team changing manager (to a person who did not manage it last quarter).
    pub change_penalty: i64,
    /// Cost of one team-quarter staffed by an interim (external) manager; `None` forbids
    /// interims, and a team without a willing manager makes the instance infeasible.
    pub interim_penalty: Option<i64>,
}

impl Default for Policy {
    /// The planner's defaults: spans 4-10, stints of 18 to 36 months, a year of cool-down,
    /// a change costs 3.
    fn default() -> Self {
        Policy {
            span_min: 4,
            span_max: 10,
            min_stint: 6,
            max_stint: 12,
            cool_down: 4,
            churn_max: u32::MAX,
            change_penalty: 3,
            interim_penalty: None,
        }
    }
}

/// A what-if pin: `person` manages `team` (possibly among others) in `quarter`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Pin {
    pub person: usize,
    pub team: usize,
    pub quarter: usize,
}

/// The values a preference may take either way: far beyond any real scale, small enough
/// that no sum over a plan overflows `i64`.
pub const MAX_VALUE: i64 = 1 << 32;

/// A valid rotation instance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rotation {
    teams: Vec<Team>,
    people: Vec<Person>,
    quarters: usize,
    policy: Policy,
    pins: Vec<Pin>,
    excluded: Vec<bool>,
}

/// Why the parts do not make a rotation instance.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RotationError {
    #[error("person {person}: {field} has {found} quarters; the horizon has {quarters}")]
    WrongLength {
        person: usize,
        field: &'static str,
        found: usize,
        quarters: usize,
    },
    #[error("person {person}: {field} names team {team}, but there are {teams} teams")]
    UnknownTeam {
        person: usize,
        field: &'static str,
        team: usize,
        teams: usize,
    },
    #[error("person {person}: {field} is {value}; values must stay within {MAX_VALUE} either way")]
    ValueOutOfRange {
        person: usize,
        field: &'static str,
        value: i64,
    },
    #[error("the policy is inconsistent: {0}")]
    Policy(&'static str),
    #[error("pin {person}:{team}:{quarter} names no existing person, team or quarter")]
    BadPin {
        person: usize,
        team: usize,
        quarter: usize,
    },
    #[error("excluded person {person} does not exist ({people} people)")]
    BadExclusion { person: usize, people: usize },
    #[error("more than {limit} people, teams or quarters")]
    TooLarge { limit: usize },
    #[error(
        "department group {group} has {teams} teams; a group may have at most {MAX_GROUP_TEAMS} (split it: managers move only within their group)"
    )]
    GroupTooLarge { group: u32, teams: usize },
}

/// The largest instance accepted: indices fit `u32` and quarter counts stay small, which the
/// solver's per-person automaton relies on.
const LIMIT: usize = 1 << 24;
const MAX_QUARTERS: usize = 64;

/// The most teams in one department group: the solver keeps a manager's teams of one group
/// as the bits of a `u64`.
pub const MAX_GROUP_TEAMS: usize = 64;

impl Rotation {
    /// Checks every index, length and value; the result is safe to index without checks.
    pub fn new(
        teams: Vec<Team>,
        people: Vec<Person>,
        quarters: usize,
        policy: Policy,
    ) -> Result<Self, RotationError> {
        if teams.len() > LIMIT || people.len() > LIMIT || quarters > MAX_QUARTERS {
            return Err(RotationError::TooLarge { limit: LIMIT });
        }
        let mut per_group: std::collections::HashMap<u32, usize> = Default::default();
        for team in &teams {
            *per_group.entry(team.group).or_default() += 1;
        }
        if let Some((&group, &count)) = per_group
            .iter()
            .filter(|(_, n)| **n > MAX_GROUP_TEAMS)
            .min_by_key(|(g, _)| **g)
        {
            return Err(RotationError::GroupTooLarge {
                group,
                teams: count,
            });
        }
        if policy.span_min > policy.span_max {
            return Err(RotationError::Policy("span_min is above span_max"));
        }
        if policy.min_stint == 0 || policy.max_stint < policy.min_stint {
            return Err(RotationError::Policy(
                "stints need 1 <= min_stint <= max_stint",
            ));
        }
        if policy.change_penalty < 0 {
            // The solver's programme relies on it: a fresh start never costs less than
            // going on from a team set that shares teams.
            return Err(RotationError::Policy(
                "change_penalty is negative: a change of manager cannot be worth something",
            ));
        }
        if policy.change_penalty.abs() > MAX_VALUE
            || policy.interim_penalty.is_some_and(|v| v.abs() > MAX_VALUE)
        {
            return Err(RotationError::Policy("a penalty is beyond MAX_VALUE"));
        }
        for (p, person) in people.iter().enumerate() {
            let unknown = |field, team| RotationError::UnknownTeam {
                person: p,
                field,
                team,
                teams: teams.len(),
            };
            if person.home >= teams.len() {
                return Err(unknown("home", person.home));
            }
            for (field, values) in [
                ("joy_manager", &person.joy_manager),
                ("joy_tech_lead", &person.joy_tech_lead),
            ] {
                if values.len() != quarters {
                    return Err(RotationError::WrongLength {
                        person: p,
                        field,
                        found: values.len(),
                        quarters,
                    });
                }
                if let Some(&value) = values.iter().find(|v| v.abs() > MAX_VALUE) {
                    return Err(RotationError::ValueOutOfRange {
                        person: p,
                        field,
                        value,
                    });
                }
            }
            for &(team, value) in &person.affinity {
                if team >= teams.len() {
                    return Err(unknown("affinity", team));
                }
                if value.abs() > MAX_VALUE {
                    return Err(RotationError::ValueOutOfRange {
                        person: p,
                        field: "affinity",
                        value,
                    });
                }
            }
            if let History::Managing { teams: managed, .. } = &person.history
                && let Some(&team) = managed.iter().find(|&&t| t >= teams.len())
            {
                return Err(unknown("incumbent teams", team));
            }
        }
        let excluded = vec![false; people.len()];
        Ok(Rotation {
            teams,
            people,
            quarters,
            policy,
            pins: Vec::new(),
            excluded,
        })
    }

    /// The same instance with what-if pins and exclusions: an excluded person neither
    /// manages nor leads (their team's headcount is unchanged), a pinned person manages the
    /// pinned team in the pinned quarter.
    pub fn with_what_if(
        mut self,
        pins: Vec<Pin>,
        excluded: &[usize],
    ) -> Result<Self, RotationError> {
        for pin in &pins {
            if pin.person >= self.people.len()
                || pin.team >= self.teams.len()
                || pin.quarter >= self.quarters
            {
                return Err(RotationError::BadPin {
                    person: pin.person,
                    team: pin.team,
                    quarter: pin.quarter,
                });
            }
        }
        for &p in excluded {
            let slot = self
                .excluded
                .get_mut(p)
                .ok_or(RotationError::BadExclusion {
                    person: p,
                    people: self.people.len(),
                })?;
            *slot = true;
        }
        self.pins = pins;
        Ok(self)
    }

    pub fn teams(&self) -> &[Team] {
        &self.teams
    }

    pub fn people(&self) -> &[Person] {
        &self.people
    }

    pub fn quarters(&self) -> usize {
        self.quarters
    }

    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    pub fn pins(&self) -> &[Pin] {
        &self.pins
    }

    pub fn is_excluded(&self, person: usize) -> bool {
        self.excluded[person]
    }

    /// Whether `person` may manage `team` in some quarter: willing, not excluded, same
    /// group (and `manage_from` within the horizon).
    pub fn may_manage(&self, person: usize, team: usize) -> bool {
        let p = &self.people[person];
        p.willing
            && !self.excluded[person]
            && p.manage_from < self.quarters
            && self.teams[p.home].group == self.teams[team].group
    }

    /// The value of `person` managing `team` for one quarter, besides their joy of managing.
    pub fn affinity(&self, person: usize, team: usize) -> i64 {
        self.people[person]
            .affinity
            .iter()
            .filter(|&&(t, _)| t == team)
            .map(|&(_, v)| v)
            .sum()
    }
}

/// What one person does in one quarter.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Role {
    Engineer,
    /// Tech lead of their home team.
    TechLead,
    /// Manager of these teams (in increasing order).
    Manager(Vec<usize>),
}

impl Role {
    pub fn is_manager(&self) -> bool {
        matches!(self, Role::Manager(_))
    }
}

/// A plan: `roles[person][quarter]`, and the objective its maker claims. A team-quarter
/// that no person manages is staffed by an interim, which the policy must allow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub roles: Vec<Vec<Role>>,
    pub objective: i64,
}
