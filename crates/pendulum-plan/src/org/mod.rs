//! The rotation plan for the org in the ledger: who is where when the horizon opens, what
//! each person would value, and the policy's limits, turned into a [`Rotation`] instance;
//! the solved plan turned back into the org's terms, with a reason for every swing; and,
//! when no plan exists, which constraint binds.
//!
//! The mapping, in the org's words (`docs/PLANNING.md` has the long form):
//!
//! - **Teams** are planned when they have hands-on members: their headcount is those members
//!   (the reports a manager takes on), and their department (the parent team) is the group
//!   within which managers move. A team of managers only (a department, the leadership) is
//!   not planned; nor is anyone whose team is not.
//! - **Where people stand** on the first day of the horizon: a management stint under way
//!   (its length counts toward the minimum and the maximum, a stint of several management
//!   roles back to back counting as one), a management stint that ended less than the
//!   cool-down ago, or hands-on work.
//! - **Who may manage**: people who said yes, and a current manager whose willingness is not
//!   on record, for their stint under way (someone who said no is never planned into
//!   management, and a manager who said no goes back to hands-on work at once). A first
//!   stint waits until the person has the policy's years of hands-on work.
//! - **Values** per quarter: stated interest, the check-in joy they had while managing above
//!   their joy while hands-on, their own team, a team they managed before, and leading their
//!   team for senior people; a change of manager costs.

mod chart;
mod diagnose;
mod explain;
mod problem;

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use chrono::NaiveDate;
use pendulum_core::period::months_between;
use pendulum_core::policy::Rotation as RotationPolicy;
use pendulum_core::{Ledger, PersonId, Policy, Quarter, Side, TeamId, Willingness};

pub use chart::to_svg;
pub use diagnose::{Diagnosis, Unstaffed};
pub use explain::{LeftOut, PersonPlan, PlannedRole, RotationPlan, Swing, SwingKind, TeamPlan};
pub use problem::{Problem, ProblemError, ROTATION_PLAN, RotationDocument, Verdict};

use crate::rotation::{self, History, Person, Pin, Rotation, RotationError, Team};

/// What to plan: the horizon, and what-if pins and exclusions.
#[derive(Debug, Clone)]
pub struct RotationRequest {
    /// The first quarter of the horizon.
    pub from: Quarter,
    pub quarters: usize,
    /// `person` manages `team` (possibly among others) in `quarter`.
    pub pins: Vec<OrgPin>,
    /// People who neither manage nor lead in the plan.
    pub excluded: Vec<PersonId>,
    /// How long the solver may search.
    pub time_limit: Duration,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgPin {
    pub person: PersonId,
    pub team: TeamId,
    pub quarter: Quarter,
}

impl OrgPin {
    /// Parses `PERSON:TEAM:QUARTER`, as `--pin` and the `pin` parameter write it; an error
    /// quotes the text and names the part that is wrong.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let parts: Vec<&str> = raw.split(':').collect();
        let [person, team, quarter] = parts[..] else {
            return Err(format!(
                "{raw:?} is not a pin (expected PERSON:TEAM:QUARTER, such as p07:platform-docs:2027-Q2)"
            ));
        };
        Ok(OrgPin {
            person: PersonId::parse(person).map_err(|e| format!("{raw:?}: person: {e}"))?,
            team: TeamId::parse(team).map_err(|e| format!("{raw:?}: team: {e}"))?,
            quarter: Quarter::parse(quarter).map_err(|e| format!("{raw:?}: quarter: {e}"))?,
        })
    }
}

/// `PERSON:TEAM:QUARTER`, which [`OrgPin::parse`] reads back.
impl std::fmt::Display for OrgPin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}", self.person, self.team, self.quarter)
    }
}

/// Why the org cannot be planned as asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OrgError {
    #[error("quarters: must be from 1 to {max}, not {found}")]
    Horizon { found: usize, max: usize },
    #[error("the org has no team with hands-on members to plan")]
    NothingToPlan,
    #[error("pin {pin}: {reason}")]
    Pin { pin: String, reason: String },
    #[error("exclusion {person}: {reason}")]
    Exclude { person: String, reason: String },
    #[error(
        "department {department} has {teams} teams with hands-on members; the planner moves managers within a department of at most {max} teams"
    )]
    DepartmentTooLarge {
        department: String,
        teams: usize,
        max: usize,
    },
    #[error("the rotation model: {0}")]
    Model(RotationError),
}

/// The most quarters a plan looks ahead.
pub const MAX_QUARTERS: usize = 16;

/// The share of a plan's time limit the first search has; the rest is for finding the
/// closest plan and diagnosing an org that has none, so the whole answer keeps the limit.
pub const FIRST_SEARCH_SHARE: f64 = 0.6;

/// The org as a rotation instance, with the names and facts the explanations need.
#[derive(Debug, Clone)]
pub struct OrgRotation {
    pub(crate) rotation: Rotation,
    pub(crate) horizon: Vec<Quarter>,
    pub(crate) teams: Vec<TeamFacts>,
    pub(crate) people: Vec<PersonFacts>,
    /// People in the org who are not part of the plan, and why.
    pub(crate) left_out: Vec<(PersonId, String, String)>,
    pub(crate) settings: RotationPolicy,
    pub(crate) min_engineering_years: u32,
}

#[derive(Debug, Clone)]
pub(crate) struct TeamFacts {
    pub id: TeamId,
    pub name: String,
    pub department: String,
}

/// What the explanations say about a person.
#[derive(Debug, Clone)]
pub(crate) struct PersonFacts {
    pub id: PersonId,
    pub name: String,
    pub willingness: Willingness,
    /// Their role on the horizon's first day, in words.
    pub now: String,
    pub tech_lead_now: bool,
    /// The planned team they manage on the first day, willing or not.
    pub managing_now: Option<usize>,
    /// Quarter the management run under way began in.
    pub managing_since: Option<Quarter>,
    /// The last quarter of their last ended management run.
    pub last_managed: Option<Quarter>,
    pub first_time: bool,
    pub engineering_years: f64,
    /// Mean check-in joy while managing and while hands-on, with their counts.
    pub joy_managing: Option<(f64, usize)>,
    pub joy_hands_on: Option<(f64, usize)>,
    /// Teams (indices) they managed in ended stints.
    pub managed_before: Vec<usize>,
    /// The decision day of the management trial under way: the plan does not hold them to
    /// the minimum stint.
    pub trial_until: Option<NaiveDate>,
    /// Named for the bench by `swing-again`.
    pub bench: bool,
}

impl OrgRotation {
    /// Builds the instance for `ledger` under `policy`.
    pub fn build(
        ledger: &Ledger,
        policy: &Policy,
        request: &RotationRequest,
    ) -> Result<Self, OrgError> {
        if request.quarters == 0 || request.quarters > MAX_QUARTERS {
            return Err(OrgError::Horizon {
                found: request.quarters,
                max: MAX_QUARTERS,
            });
        }
        let settings = policy.rotation.clone();
        let day = request.from.first_day();
        let horizon: Vec<Quarter> = (0..request.quarters)
            .map(|q| request.from.plus(q as i64))
            .collect();

        // Each person's state on the first day.
        let states: Vec<State> = (0..ledger.people().len())
            .map(|i| State::of(ledger, i, day))
            .collect();

        // Teams with hands-on members are planned.
        let mut headcount: HashMap<&TeamId, u32> = HashMap::new();
        for (i, person) in ledger.people().iter().enumerate() {
            if let Some(team) = &person.team
                && states[i].side == Side::HandsOn
            {
                *headcount.entry(team).or_default() += 1;
            }
        }
        let planned: Vec<&pendulum_core::Team> = ledger
            .teams()
            .iter()
            .filter(|t| headcount.contains_key(&t.id))
            .collect();
        if planned.is_empty() {
            return Err(OrgError::NothingToPlan);
        }
        let team_index: HashMap<&TeamId, usize> = planned
            .iter()
            .enumerate()
            .map(|(i, t)| (&t.id, i))
            .collect();
        let mut groups: BTreeMap<&TeamId, u32> = BTreeMap::new();
        let mut teams = Vec::with_capacity(planned.len());
        let mut team_facts = Vec::with_capacity(planned.len());
        for team in &planned {
            let department = team.parent.as_ref().unwrap_or(&team.id);
            let next = groups.len() as u32;
            let group = *groups.entry(department).or_insert(next);
            teams.push(Team {
                headcount: headcount[&team.id],
                group,
            });
            team_facts.push(TeamFacts {
                id: team.id.clone(),
                name: team.name.clone(),
                department: ledger
                    .team(department)
                    .map_or_else(|| department.to_string(), |t| t.name.clone()),
            });
        }
        for (department, &group) in &groups {
            let count = teams.iter().filter(|t| t.group == group).count();
            if count > rotation::MAX_GROUP_TEAMS {
                return Err(OrgError::DepartmentTooLarge {
                    department: ledger
                        .team(department)
                        .map_or_else(|| department.to_string(), |t| t.name.clone()),
                    teams: count,
                    max: rotation::MAX_GROUP_TEAMS,
                });
            }
        }

        let quarters = request.quarters;
        let cool_down = RotationPolicy::quarters(settings.cool_down_months);
        let min_years = policy.lead_without_management.min_engineering_years;
        let senior = policy.senior_level();
        let min_checkins = policy.checkins.min_count as usize;
        let mut people = Vec::new();
        let mut facts = Vec::new();
        let mut left_out = Vec::new();
        for (i, person) in ledger.people().iter().enumerate() {
            // Someone who left is not the org's to plan, not even as left out.
            if person.has_left() {
                continue;
            }
            let state = &states[i];
            // A manager's home is the team they manage when their own is not planned.
            let home = person
                .team
                .as_ref()
                .and_then(|t| team_index.get(t))
                .or_else(|| state.managed.as_ref().and_then(|t| team_index.get(t)))
                .copied();
            let Some(home) = home else {
                let reason = match &person.team {
                    None => "belongs to no team".to_owned(),
                    Some(t) => format!(
                        "their team {} has no hands-on members (a department or leadership team)",
                        ledger.team(t).map_or(t.as_str(), |t| t.name.as_str())
                    ),
                };
                left_out.push((person.id.clone(), person.name.clone(), reason));
                continue;
            };
            let willingness = person.willing_to_manage;
            // Someone excluded steps down like someone unwilling: the what-if is that they
            // are not there, whatever their stint under way.
            let stays = willingness != Willingness::No && !request.excluded.contains(&person.id);
            let incumbent = state
                .managed
                .as_ref()
                .and_then(|t| team_index.get(t))
                .copied()
                .filter(|_| state.side == Side::Management);
            let history = match (incumbent, state.run_start) {
                (Some(team), Some(start)) if stays => {
                    let tenure = Quarter::of(start).until(request.from).max(0) as u32;
                    History::Managing {
                        teams: vec![team],
                        // A trial may end at its decision, whatever the minimum stint: the
                        // model sees it as served (and counts the maximum from there).
                        tenure: if state.trial_until.is_some() {
                            tenure.max(RotationPolicy::quarters(settings.min_stint_months))
                        } else {
                            tenure
                        },
                    }
                }
                // Managing, but said no (or excluded): they step down when the horizon opens.
                (Some(_), _) => History::Stopped { quarters_ago: 0 },
                _ => match state.last_end {
                    Some(end) => {
                        // Whole quarters off since the last one managed in, as the model
                        // counts the cool-down.
                        let ago = (last_quarter(end).until(request.from) - 1).max(0) as u32;
                        if ago >= cool_down {
                            History::HandsOn
                        } else {
                            History::Stopped { quarters_ago: ago }
                        }
                    }
                    None => History::HandsOn,
                },
            };
            let is_incumbent = matches!(history, History::Managing { .. });
            let willing = willingness == Willingness::Yes
                || (willingness == Willingness::Unknown && is_incumbent);
            let first_time = !state.ever_managed;
            let engineering_months = state.hands_on_months;
            let manage_from = if first_time {
                let missing = f64::from(min_years) * 12.0 - engineering_months;
                if missing <= 0.0 {
                    0
                } else {
                    ((missing / 3.0).ceil() as usize).min(quarters)
                }
            } else {
                0
            };
            let joy = joy_by_side(ledger, i, min_checkins);
            let joy_points = joy.managing.map_or(0.0, |(m, _)| {
                let baseline = joy.hands_on.map_or(3.0, |(h, _)| h);
                f64::from(settings.joy_weight) * (m - baseline)
            });
            let interest = if willingness == Willingness::Yes {
                i64::from(settings.interest)
            } else {
                0
            };
            let joy_manager = interest + joy_points.round() as i64;
            let tech_lead = if person.level >= senior {
                i64::from(settings.tech_lead)
            } else {
                0
            };
            let mut affinity = vec![(home, i64::from(settings.home_team))];
            let managed_before: Vec<usize> = state
                .managed_before
                .iter()
                .filter_map(|t| team_index.get(t).copied())
                .filter(|&t| t != home)
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect();
            for &t in &managed_before {
                affinity.push((t, i64::from(settings.known_team)));
            }
            people.push(Person {
                home,
                willing,
                manage_from,
                history,
                joy_manager: vec![joy_manager; quarters],
                joy_tech_lead: vec![tech_lead; quarters],
                affinity,
            });
            facts.push(PersonFacts {
                id: person.id.clone(),
                name: person.name.clone(),
                willingness,
                now: state.role_words(ledger),
                tech_lead_now: state.role == pendulum_core::Role::TechLead,
                managing_now: incumbent,
                managing_since: incumbent.and(state.run_start.map(Quarter::of)),
                last_managed: state.last_end.map(last_quarter),
                first_time,
                engineering_years: engineering_months / 12.0,
                joy_managing: joy.managing,
                joy_hands_on: joy.hands_on,
                managed_before,
                trial_until: state.trial_until.filter(|_| incumbent.is_some()),
                bench: pendulum_core::rules::swing_again_candidate(ledger, policy, day, i),
            });
        }

        let team_count = teams.len();
        let model_policy = rotation::Policy {
            span_min: settings.span_min,
            span_max: settings.span_max,
            min_stint: RotationPolicy::quarters(settings.min_stint_months),
            max_stint: RotationPolicy::quarters(settings.max_stint_months),
            cool_down,
            churn_max: ((settings.max_change_share * team_count as f64).floor() as u32).max(1),
            change_penalty: i64::from(settings.change_penalty),
            interim_penalty: settings
                .allow_interims
                .then(|| i64::from(settings.interim_penalty)),
        };
        let person_index: HashMap<&PersonId, usize> =
            facts.iter().enumerate().map(|(i, f)| (&f.id, i)).collect();
        let not_planned = |id: &PersonId| -> String {
            match left_out.iter().find(|(p, _, _)| p == id) {
                Some((_, _, reason)) => format!("{id} is not part of the plan: {reason}"),
                None => format!("no person has the id {id}"),
            }
        };
        let mut pins = Vec::new();
        for pin in &request.pins {
            let text = pin.to_string();
            let fail = |reason: String| OrgError::Pin {
                pin: text.clone(),
                reason,
            };
            let person = *person_index
                .get(&pin.person)
                .ok_or_else(|| fail(not_planned(&pin.person)))?;
            let team = *team_index.get(&pin.team).ok_or_else(|| {
                fail(match ledger.team(&pin.team) {
                    Some(_) => format!("team {} has no hands-on members to manage", pin.team),
                    None => format!("no team has the id {}", pin.team),
                })
            })?;
            let quarter = request.from.until(pin.quarter);
            if quarter < 0 || quarter as usize >= quarters {
                return Err(fail(format!(
                    "{} is outside the horizon {} to {}",
                    pin.quarter,
                    horizon[0],
                    horizon[quarters - 1]
                )));
            }
            pins.push(Pin {
                person,
                team,
                quarter: quarter as usize,
            });
        }
        let mut excluded = Vec::new();
        for id in &request.excluded {
            let p = *person_index.get(id).ok_or_else(|| OrgError::Exclude {
                person: id.to_string(),
                reason: not_planned(id),
            })?;
            excluded.push(p);
        }
        let rotation = Rotation::new(teams, people, quarters, model_policy)
            .and_then(|r| r.with_what_if(pins, &excluded))
            .map_err(OrgError::Model)?;
        Ok(OrgRotation {
            rotation,
            horizon,
            teams: team_facts,
            people: facts,
            left_out,
            settings,
            min_engineering_years: min_years,
        })
    }

    pub fn rotation(&self) -> &Rotation {
        &self.rotation
    }

    pub fn horizon(&self) -> &[Quarter] {
        &self.horizon
    }

    /// Solves the instance and explains the plan, all within `time_limit`. When the search
    /// finds none, it looks for the closest plan with interim managers allowed: one that
    /// needs no interim is a plan after all; otherwise the diagnosis says which constraint
    /// binds (a few more solves). The first search has [`FIRST_SEARCH_SHARE`] of the time;
    /// the closest plan and the diagnosis share what is left of it.
    pub fn plan(&self, time_limit: Duration) -> Result<RotationPlan, rotation::RejectedPlan> {
        let deadline = std::time::Instant::now() + time_limit;
        let options = rotation::SolveOptions {
            time_limit: time_limit.mul_f64(FIRST_SEARCH_SHARE),
            ..rotation::SolveOptions::default()
        };
        let mut solution = rotation::solve(&self.rotation, &options)?;
        let mut diagnosis = None;
        if solution.plan.is_none() {
            let closest = diagnose::closest(self, deadline)?;
            match closest.map(|plan| (rotation::check(&self.rotation, &plan), plan)) {
                Some((Ok(score), plan)) => {
                    solution.plan = Some(plan);
                    solution.score = Some(score);
                }
                other => {
                    let closest = other.map(|(_, plan)| plan);
                    diagnosis = Some(diagnose::diagnose(self, closest, deadline)?);
                }
            }
        }
        Ok(explain::explain(self, &solution, diagnosis))
    }
}

/// The last quarter of a stint that ends (first day no longer in it) on `end`.
fn last_quarter(end: NaiveDate) -> Quarter {
    Quarter::of(end.pred_opt().unwrap_or(end))
}

/// A person's position on one day, read from their stints.
#[derive(Debug, Clone)]
struct State {
    role: pendulum_core::Role,
    side: Side,
    /// The team of the management stint under way.
    managed: Option<TeamId>,
    /// The first day of the run of management stints under way.
    run_start: Option<NaiveDate>,
    /// The decision day of a management trial under way.
    trial_until: Option<NaiveDate>,
    /// The end of the last management stint before the day, when none is under way.
    last_end: Option<NaiveDate>,
    ever_managed: bool,
    hands_on_months: f64,
    managed_before: Vec<TeamId>,
}

impl State {
    fn of(ledger: &Ledger, i: usize, day: NaiveDate) -> State {
        let stints = ledger.stints_of(i);
        let current = stints.iter().rfind(|s| s.covers(day));
        let role = current.map_or(pendulum_core::Role::Engineer, |s| s.role);
        let side = role.side();
        let mut run_start = None;
        if let Some(now) = current.filter(|s| s.role.manages()) {
            // Walk back over management stints that end where the next begins.
            let mut start = now.start;
            for s in stints.iter().rev().filter(|s| s.start < now.start) {
                if s.role.manages() && s.end == Some(start) {
                    start = s.start;
                } else if s.end.is_some_and(|e| e <= start) {
                    break;
                }
            }
            run_start = Some(start);
        }
        let past = stints.iter().filter(|s| s.start < day);
        let last_end = if run_start.is_some() {
            None
        } else {
            past.clone()
                .filter(|s| s.role.manages())
                .filter_map(|s| s.end)
                .filter(|&e| e <= day)
                .max()
        };
        let hands_on_months = past
            .clone()
            .filter(|s| s.role.side() == Side::HandsOn)
            .map(|s| months_between(s.start, s.end.map_or(day, |e| e.min(day))).max(0.0))
            .sum();
        let managed_before = past
            .clone()
            .filter(|s| s.role.manages() && s.end.is_some_and(|e| e <= day))
            .filter_map(|s| s.team.clone())
            .collect();
        State {
            role,
            side,
            managed: current
                .filter(|s| s.role.manages())
                .and_then(|s| s.team.clone().or_else(|| ledger.person_at(i).team.clone())),
            run_start,
            trial_until: current
                .filter(|s| s.role.manages())
                .and_then(|s| s.trial_end)
                .filter(|&t| t > day),
            last_end,
            ever_managed: stints.iter().any(|s| s.role.manages() && s.start < day),
            hands_on_months,
            managed_before,
        }
    }

    fn role_words(&self, ledger: &Ledger) -> String {
        match &self.managed {
            Some(team) => format!(
                "{} of {}",
                self.role,
                ledger.team(team).map_or(team.as_str(), |t| t.name.as_str())
            ),
            None => self.role.to_string(),
        }
    }
}

struct Joy {
    managing: Option<(f64, usize)>,
    hands_on: Option<(f64, usize)>,
}

/// Mean check-in joy by the side of the pendulum the person was on that day; a side with
/// fewer than `min` check-ins has no mean.
fn joy_by_side(ledger: &Ledger, i: usize, min: usize) -> Joy {
    let stints = ledger.stints_of(i);
    let mut sums = [(0.0, 0usize); 2];
    for c in ledger.checkins_of(i) {
        let Some(stint) = stints.iter().find(|s| s.covers(c.date)) else {
            continue;
        };
        let slot = &mut sums[usize::from(stint.role.manages())];
        slot.0 += f64::from(c.joy.get());
        slot.1 += 1;
    }
    let mean = |(sum, n): (f64, usize)| (n >= min.max(1)).then(|| (sum / n as f64, n));
    Joy {
        hands_on: mean(sums[0]),
        managing: mean(sums[1]),
    }
}
