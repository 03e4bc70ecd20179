//! The rotation plan: which team each manager manages, quarter by quarter, from the ledger
//! and the policy (`pendulum_plan::org`), with the index a page reads one person's part of
//! it from.
//!
//! A plan of a 10,000-person org is solved once per revision of the store, and a person's
//! page is asked for far more often: [`IndexedPlan`] is built with the plan, so that a page
//! finds one person's swings and planned stints without reading the whole org.

use std::collections::HashMap;
use std::time::Duration;

use chrono::NaiveDate;
use pendulum_core::timeline::PlannedStint;
use pendulum_core::{Ledger, PersonId, Policy, Quarter, Role};
use pendulum_plan::org::{OrgPin, OrgRotation, PlannedRole, RotationPlan, RotationRequest, Swing};
use pendulum_store::Store;

use super::{PlanError, authorize};
use crate::acting::{Action, Who, audit_line};

/// How long a server's rotation solver may search for one plan; a plan without a proof of
/// optimality is still a good plan, and a page should not wait longer. Explaining an
/// infeasible org takes a few more solves, each on a share of this.
pub const ROTATION_TIME_LIMIT: Duration = Duration::from_secs(2);

/// Quarters planned when a request does not say.
pub const DEFAULT_QUARTERS: usize = 8;

/// A rotation plan asked for: the horizon and the what-if pins and exclusions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RotationQuery {
    pub from: Quarter,
    pub quarters: usize,
    pub pins: Vec<OrgPin>,
    pub excluded: Vec<PersonId>,
}

impl RotationQuery {
    /// The default plan: from the quarter after `today`, for the default number of quarters.
    pub fn default_from(today: NaiveDate) -> Self {
        Self {
            from: Self::first_quarter(today),
            quarters: DEFAULT_QUARTERS,
            pins: Vec::new(),
            excluded: Vec::new(),
        }
    }

    /// Where a plan starts when a request does not say: the quarter after `today`.
    pub fn first_quarter(today: NaiveDate) -> Quarter {
        Quarter::of(today).plus(1)
    }

    /// The planner's request, searching at most `time_limit`.
    pub fn request(&self, time_limit: Duration) -> RotationRequest {
        RotationRequest {
            from: self.from,
            quarters: self.quarters,
            pins: self.pins.clone(),
            excluded: self.excluded.clone(),
            time_limit,
        }
    }

    /// What identifies the plan within one revision of the store.
    pub(crate) fn key(&self) -> String {
        let mut key = format!("{}+{}", self.from, self.quarters);
        for pin in &self.pins {
            key.push_str(&format!("&pin={pin}"));
        }
        for person in &self.excluded {
            key.push_str(&format!("&exclude={person}"));
        }
        key
    }
}

/// A rotation plan with what its readers look up in it, built once with the plan: each
/// team's shown name and each person's swings and planned stints, by id.
#[derive(Debug)]
pub struct IndexedPlan {
    plan: RotationPlan,
    /// "Experiments (Data)": team names repeat across departments.
    team_labels: HashMap<String, String>,
    people: HashMap<String, PersonIndex>,
}

/// One person's part of a plan.
#[derive(Debug, Default)]
struct PersonIndex {
    /// Where they are in the plan's people, if they are.
    position: Option<usize>,
    /// Their swings, as positions in the plan's swings, in the plan's order.
    swings: Vec<usize>,
    stints: Vec<PlannedStint>,
}

impl IndexedPlan {
    /// Indexes `plan`: one pass over its teams, people and swings.
    pub fn new(plan: RotationPlan) -> Self {
        let mut team_labels = HashMap::with_capacity(plan.teams.len());
        let mut team_names = HashMap::with_capacity(plan.teams.len());
        for t in &plan.teams {
            team_labels
                .entry(t.id.clone())
                .or_insert_with(|| format!("{} ({})", t.name, t.department));
            team_names.entry(t.id.as_str()).or_insert(t.name.as_str());
        }
        let quarters: Vec<Option<Quarter>> = plan
            .horizon
            .iter()
            .map(|q| Quarter::parse(q).ok())
            .collect();
        let mut people: HashMap<String, PersonIndex> = HashMap::with_capacity(plan.people.len());
        for (position, p) in plan.people.iter().enumerate() {
            let entry = people.entry(p.id.clone()).or_default();
            if entry.position.is_none() {
                entry.position = Some(position);
                entry.stints = planned_stints(&p.roles, &quarters, &team_names);
            }
        }
        for (position, s) in plan.swings.iter().enumerate() {
            people
                .entry(s.person.clone())
                .or_default()
                .swings
                .push(position);
        }
        Self {
            plan,
            team_labels,
            people,
        }
    }

    pub fn plan(&self) -> &RotationPlan {
        &self.plan
    }

    /// The team's name with its department's, as pages show a team.
    pub fn team_label(&self, team: &str) -> Option<&str> {
        self.team_labels.get(team).map(String::as_str)
    }

    /// The person's name, if the plan places them.
    pub fn person_name(&self, person: &str) -> Option<&str> {
        let position = self.people.get(person)?.position?;
        Some(&self.plan.people[position].name)
    }

    /// The person's swings, in the plan's order.
    pub fn swings_of(&self, person: &str) -> impl Iterator<Item = &Swing> {
        self.people
            .get(person)
            .map_or(&[][..], |p| &p.swings[..])
            .iter()
            .map(|&s| &self.plan.swings[s])
    }

    /// The roles the person has in the plan, one stint per run of quarters in the same
    /// role (and, for a manager, the same teams).
    pub fn stints_of(&self, person: &str) -> &[PlannedStint] {
        self.people.get(person).map_or(&[], |p| &p.stints)
    }
}

/// The stints of one person's planned `roles`, a role per quarter of `quarters` (a quarter
/// that does not parse is skipped); teams are named by `team_names`.
fn planned_stints(
    roles: &[PlannedRole],
    quarters: &[Option<Quarter>],
    team_names: &HashMap<&str, &str>,
) -> Vec<PlannedStint> {
    let mut out: Vec<PlannedStint> = Vec::new();
    let mut previous: Option<&PlannedRole> = None;
    for (role, quarter) in roles.iter().zip(quarters) {
        let Some(quarter) = quarter else {
            continue;
        };
        let (start, end) = (quarter.first_day(), quarter.plus(1).first_day());
        if previous == Some(role)
            && let Some(last) = out.last_mut()
        {
            last.end = end;
            continue;
        }
        previous = Some(role);
        let (role, label) = match role.kind().unwrap_or(Role::Engineer) {
            Role::Manager => (
                Role::Manager,
                format!(
                    "manages {}",
                    role.teams
                        .iter()
                        .map(|t| team_names.get(t.as_str()).copied().unwrap_or(t))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ),
            Role::TechLead => (Role::TechLead, "leads their team".to_owned()),
            _ => (Role::Engineer, String::new()),
        };
        out.push(PlannedStint {
            role,
            start,
            end,
            label,
        });
    }
    out
}

/// A rotation plan with the model it was solved on, which a plan document states.
#[derive(Debug)]
pub struct SolvedRotation {
    pub org: OrgRotation,
    pub plan: RotationPlan,
}

/// The rotation plan of `ledger` under `policy` as `query` asks, searching at most
/// `time_limit`, on the blocking pool: for the operator or an admin. An org with no plan
/// that keeps every constraint still has a result, `feasible` false with its diagnosis.
pub async fn rotations(
    store: &impl Store,
    who: &Who,
    ledger: Ledger,
    policy: Policy,
    query: &RotationQuery,
    time_limit: Duration,
) -> Result<SolvedRotation, PlanError> {
    authorize(store, who, Action::ReadRotationPlan).await?;
    let request = query.request(time_limit);
    let solved = tokio::task::spawn_blocking(move || solve(&ledger, &policy, &request))
        .await
        .map_err(|e| stopped("rotation", e))??;
    audit_read(store, who).await;
    Ok(solved)
}

/// Puts the org of `ledger` into the planner's model and solves it.
pub(super) fn solve(
    ledger: &Ledger,
    policy: &Policy,
    request: &RotationRequest,
) -> Result<SolvedRotation, PlanError> {
    let org = OrgRotation::build(ledger, policy, request)?;
    let plan = org.plan(request.time_limit)?;
    Ok(SolvedRotation { org, plan })
}

/// Audits an account's read of the whole plan. The plan is read already: a log that
/// cannot take the line does not fail the request. The operator's reads are not audited.
pub(super) async fn audit_read(store: &impl Store, who: &Who) {
    if let Who::Account(_) = who {
        let line = audit_line(who, Action::ReadRotationPlan, None, "ok");
        // The read stands whether or not the log took it.
        let _ = store.audit(&line).await;
    }
}

/// The error of a solver's thread that ended without an answer.
pub(super) fn stopped(what: &'static str, e: tokio::task::JoinError) -> PlanError {
    PlanError::Stopped {
        what,
        message: e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use pendulum_plan::org::{PersonPlan, SwingKind, TeamPlan};

    use super::*;

    fn role(role: &str, teams: &[&str]) -> PlannedRole {
        PlannedRole {
            role: role.to_owned(),
            teams: teams.iter().map(|t| (*t).to_owned()).collect(),
        }
    }

    fn person(id: &str, roles: Vec<PlannedRole>) -> PersonPlan {
        PersonPlan {
            id: id.to_owned(),
            name: format!("Name of {id}"),
            team: "t1".to_owned(),
            now: "engineer".to_owned(),
            roles,
        }
    }

    fn swing(person: &str, quarter: &str) -> Swing {
        Swing {
            person: person.to_owned(),
            name: format!("Name of {person}"),
            quarter: quarter.to_owned(),
            kind: SwingKind::ToManagement,
            teams: vec!["t1".to_owned()],
            why: Vec::new(),
        }
    }

    fn team(id: &str, name: &str) -> TeamPlan {
        TeamPlan {
            id: id.to_owned(),
            name: name.to_owned(),
            department: "Data".to_owned(),
            headcount: 4,
            manager_now: None,
            managers: Vec::new(),
        }
    }

    #[test]
    fn the_index_finds_each_persons_part_of_the_plan() {
        let engineer = role("engineer", &[]);
        let manager = role("manager", &["t1", "t2"]);
        let plan = RotationPlan {
            horizon: ["2027-Q1", "2027-Q2", "2027-Q3", "2027-Q4"]
                .map(str::to_owned)
                .into(),
            feasible: true,
            objective: Some(1),
            upper_bound: Some(1),
            teams: vec![team("t1", "Experiments"), team("t2", "Storage")],
            people: vec![
                person(
                    "p1",
                    vec![engineer.clone(), manager.clone(), manager, engineer],
                ),
                person("p2", vec![role("tech_lead", &[]); 4]),
            ],
            swings: vec![
                swing("p1", "2027-Q2"),
                swing("p2", "2027-Q1"),
                swing("p1", "2027-Q4"),
            ],
            left_out: Vec::new(),
            diagnosis: None,
        };
        let indexed = IndexedPlan::new(plan);
        assert_eq!(indexed.team_label("t2"), Some("Storage (Data)"));
        assert_eq!(indexed.team_label("t3"), None);
        assert_eq!(indexed.person_name("p2"), Some("Name of p2"));
        assert_eq!(indexed.person_name("p3"), None);
        let quarters: Vec<&str> = indexed
            .swings_of("p1")
            .map(|s| s.quarter.as_str())
            .collect();
        assert_eq!(quarters, ["2027-Q2", "2027-Q4"]);
        assert_eq!(indexed.swings_of("p3").count(), 0);

        let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let stints: Vec<(Role, NaiveDate, NaiveDate, &str)> = indexed
            .stints_of("p1")
            .iter()
            .map(|s| (s.role, s.start, s.end, s.label.as_str()))
            .collect();
        assert_eq!(
            stints,
            [
                (Role::Engineer, day("2027-01-01"), day("2027-04-01"), ""),
                (
                    Role::Manager,
                    day("2027-04-01"),
                    day("2027-10-01"),
                    "manages Experiments, Storage"
                ),
                (Role::Engineer, day("2027-10-01"), day("2028-01-01"), ""),
            ]
        );
        let lead = indexed.stints_of("p2");
        assert_eq!(lead.len(), 1, "four quarters leading are one stint");
        assert_eq!(
            (lead[0].role, lead[0].label.as_str()),
            (Role::TechLead, "leads their team")
        );
        assert!(indexed.stints_of("p3").is_empty());
    }

    #[test]
    fn a_query_is_known_by_its_horizon_and_what_ifs() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        let mut query = RotationQuery::default_from(today);
        assert_eq!(query.key(), "2027-Q1+8");
        query.pins.push(OrgPin::parse("p1:t1:2027-Q2").unwrap());
        query.excluded.push(PersonId::parse("p2").unwrap());
        assert_eq!(query.key(), "2027-Q1+8&pin=p1:t1:2027-Q2&exclude=p2");
    }
}
