//! A solved rotation in the org's terms: each team's manager and each person's role per
//! quarter, and every swing with the facts that put it there.

use pendulum_core::Role as LedgerRole;
use serde::{Deserialize, Serialize};

use super::diagnose::Diagnosis;
use super::{OrgRotation, PersonFacts};
use crate::rotation::{History, Plan, Role, Solution};

/// The rotation plan of an org, ready to print, serve or check.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RotationPlan {
    /// The quarters planned, `YYYY-Qn`.
    pub horizon: Vec<String>,
    /// Whether every constraint holds. When not, `teams`, `people` and `swings` show the
    /// closest plan, with interim managers where nobody can be found, and `diagnosis` says
    /// which constraint binds.
    pub feasible: bool,
    /// The plan's total preference.
    pub objective: Option<i64>,
    /// No plan's total preference can exceed this.
    pub upper_bound: Option<i64>,
    pub teams: Vec<TeamPlan>,
    pub people: Vec<PersonPlan>,
    pub swings: Vec<Swing>,
    /// People of the org the plan leaves alone, and why.
    pub left_out: Vec<LeftOut>,
    pub diagnosis: Option<Diagnosis>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TeamPlan {
    pub id: String,
    pub name: String,
    pub department: String,
    /// Hands-on members: the reports of its manager.
    pub headcount: u32,
    /// Who manages it on the horizon's first day.
    pub manager_now: Option<String>,
    /// The manager's person id per quarter; `None` is an interim manager.
    pub managers: Vec<Option<String>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonPlan {
    pub id: String,
    pub name: String,
    /// Their team's id.
    pub team: String,
    /// Their role on the horizon's first day, in words.
    pub now: String,
    pub roles: Vec<PlannedRole>,
}

/// One person's role in one quarter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlannedRole {
    /// `engineer`, `tech_lead` or `manager`.
    pub role: String,
    /// The teams managed (ids), for a manager.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub teams: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SwingKind {
    /// From hands-on work into management.
    ToManagement,
    /// From management back to hands-on work.
    ToHandsOn,
    /// A manager who takes on or hands over teams.
    Moves,
}

impl SwingKind {
    pub fn words(self) -> &'static str {
        match self {
            SwingKind::ToManagement => "into management",
            SwingKind::ToHandsOn => "back to hands-on work",
            SwingKind::Moves => "moves teams",
        }
    }
}

/// A change of side (or of teams managed) in the plan, with why it is there.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Swing {
    pub person: String,
    pub name: String,
    /// The first quarter in the new role.
    pub quarter: String,
    pub kind: SwingKind,
    /// The teams managed from that quarter (for a swing to hands-on work: the teams left).
    pub teams: Vec<String>,
    pub why: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LeftOut {
    pub person: String,
    pub name: String,
    pub reason: String,
}

impl PlannedRole {
    fn of(role: &Role, org: &OrgRotation) -> Self {
        let (kind, teams) = match role {
            Role::Engineer => (LedgerRole::Engineer, vec![]),
            Role::TechLead => (LedgerRole::TechLead, vec![]),
            Role::Manager(teams) => (
                LedgerRole::Manager,
                teams.iter().map(|&t| org.teams[t].id.to_string()).collect(),
            ),
        };
        PlannedRole {
            role: kind.as_str().to_owned(),
            teams,
        }
    }

    /// The role in the ledger's terms, when `role` names one a plan gives (engineer, tech
    /// lead or manager).
    pub fn kind(&self) -> Option<LedgerRole> {
        self.role.parse().ok().filter(|r| {
            [
                LedgerRole::Engineer,
                LedgerRole::TechLead,
                LedgerRole::Manager,
            ]
            .contains(r)
        })
    }
}

/// Puts the solution (or, without one, the diagnosis's closest plan) in the org's terms.
pub(super) fn explain(
    org: &OrgRotation,
    solution: &Solution,
    diagnosis: Option<(Diagnosis, Option<Plan>)>,
) -> RotationPlan {
    let (plan, diagnosis) = match (&solution.plan, diagnosis) {
        (Some(plan), _) => (Some(plan.clone()), None),
        (None, Some((d, closest))) => (closest, Some(d)),
        (None, None) => (None, None),
    };
    let rotation = &org.rotation;
    let quarters = rotation.quarters();
    let feasible = solution.plan.is_some();
    let mut teams: Vec<TeamPlan> = org
        .teams
        .iter()
        .zip(rotation.teams())
        .map(|(facts, team)| TeamPlan {
            id: facts.id.to_string(),
            name: facts.name.clone(),
            department: facts.department.clone(),
            headcount: team.headcount,
            manager_now: None,
            managers: vec![None; quarters],
        })
        .collect();
    let mut people = Vec::with_capacity(org.people.len());
    let mut swings = Vec::new();
    if let Some(plan) = &plan {
        let ctx = Context::new(org, plan);
        for (t, team) in teams.iter_mut().enumerate() {
            let mut ids = ctx
                .managers
                .iter()
                .map(|row| row[t].map(|p| org.people[p].id.to_string()));
            team.manager_now = ids.next().flatten();
            team.managers = ids.collect();
        }
        for (p, facts) in org.people.iter().enumerate() {
            people.push(PersonPlan {
                id: facts.id.to_string(),
                name: facts.name.clone(),
                team: org.teams[rotation.people()[p].home].id.to_string(),
                now: facts.now.clone(),
                roles: plan.roles[p]
                    .iter()
                    .map(|r| PlannedRole::of(r, org))
                    .collect(),
            });
            swings.extend(ctx.swings_of(p));
        }
    }
    RotationPlan {
        horizon: org.horizon.iter().map(ToString::to_string).collect(),
        feasible,
        objective: solution.plan.as_ref().map(|p| p.objective),
        upper_bound: feasible.then_some(solution.upper_bound),
        teams,
        people,
        swings,
        left_out: org
            .left_out
            .iter()
            .map(|(id, name, reason)| LeftOut {
                person: id.to_string(),
                name: name.clone(),
                reason: reason.clone(),
            })
            .collect(),
        diagnosis,
    }
}

struct Context<'a> {
    org: &'a OrgRotation,
    plan: &'a Plan,
    /// `managers[q + 1][t]`: who manages team `t` in quarter `q` (row 0: the first day).
    managers: Vec<Vec<Option<usize>>>,
}

impl<'a> Context<'a> {
    fn new(org: &'a OrgRotation, plan: &'a Plan) -> Self {
        let teams = org.teams.len();
        let mut managers = vec![vec![None; teams]; plan.roles.first().map_or(0, Vec::len) + 1];
        for (p, facts) in org.people.iter().enumerate() {
            if let Some(t) = facts.managing_now {
                managers[0][t] = Some(p);
            }
            for (q, role) in plan.roles[p].iter().enumerate() {
                if let Role::Manager(managed) = role {
                    for &t in managed {
                        managers[q + 1][t] = Some(p);
                    }
                }
            }
        }
        Context {
            org,
            plan,
            managers,
        }
    }

    /// The role of `p` in quarter `q`, where quarter -1 is the day the horizon opens.
    fn role(&self, p: usize, q: isize) -> Role {
        if q >= 0 {
            return self.plan.roles[p][q as usize].clone();
        }
        let facts = &self.org.people[p];
        match facts.managing_now {
            Some(team) => Role::Manager(vec![team]),
            None if facts.tech_lead_now => Role::TechLead,
            None => Role::Engineer,
        }
    }

    /// Who manages team `t` in quarter `q` (-1: on the first day).
    fn manager_of(&self, t: usize, q: isize) -> Option<usize> {
        self.managers[(q + 1) as usize][t]
    }

    fn team_name(&self, t: usize) -> &str {
        &self.org.teams[t].name
    }

    fn quarter(&self, q: usize) -> String {
        self.org.horizon[q].to_string()
    }

    fn swings_of(&self, p: usize) -> Vec<Swing> {
        let facts = &self.org.people[p];
        let mut out = Vec::new();
        for q in 0..self.org.rotation.quarters() {
            let before = self.role(p, q as isize - 1);
            let now = self.role(p, q as isize);
            let (kind, teams, why) = match (&before, &now) {
                (Role::Manager(_), Role::Manager(a)) if before == now || a.is_empty() => continue,
                (Role::Manager(old), Role::Manager(new)) => (
                    SwingKind::Moves,
                    new.clone(),
                    self.why_moves(p, q, old, new),
                ),
                (Role::Manager(old), _) => (
                    SwingKind::ToHandsOn,
                    old.clone(),
                    self.why_steps_down(p, q, old, &now),
                ),
                (_, Role::Manager(new)) => (
                    SwingKind::ToManagement,
                    new.clone(),
                    self.why_steps_up(p, q, new),
                ),
                _ => continue,
            };
            out.push(Swing {
                person: facts.id.to_string(),
                name: facts.name.clone(),
                quarter: self.quarter(q),
                kind,
                teams: teams
                    .iter()
                    .map(|&t| self.org.teams[t].id.to_string())
                    .collect(),
                why,
            });
        }
        out
    }

    /// Quarters of management up to and including `q` in the run that holds `q`, with the
    /// tenure before the horizon when the run goes back that far.
    fn stint_length(&self, p: usize, q: usize) -> u32 {
        let mut length = 0;
        let mut k = q as isize;
        while k >= 0 && self.plan.roles[p][k as usize].is_manager() {
            length += 1;
            k -= 1;
        }
        if k < 0
            && let History::Managing { tenure, .. } = &self.org.rotation.people()[p].history
        {
            length += tenure;
        }
        length
    }

    /// The value per quarter of `p` managing `teams`, as the plan counts it.
    fn value(&self, p: usize, q: usize, teams: &[usize]) -> i64 {
        let r = &self.org.rotation;
        r.people()[p].joy_manager[q] + teams.iter().map(|&t| r.affinity(p, t)).sum::<i64>()
    }

    fn why_steps_up(&self, p: usize, q: usize, teams: &[usize]) -> Vec<String> {
        let facts = &self.org.people[p];
        let settings = &self.org.settings;
        let mut why = Vec::new();
        for &t in teams {
            why.push(self.why_team_needs(t, q, p));
        }
        why.push(match facts.willingness {
            pendulum_core::Willingness::Yes => "Said they would like to manage.".to_owned(),
            pendulum_core::Willingness::No => "Said they would rather not manage.".to_owned(),
            pendulum_core::Willingness::Unknown => {
                "Has not said yet whether they would like to manage.".to_owned()
            }
        });
        if facts.bench {
            why.push(
                "On the bench (swing-again): managed before with good check-ins, hands-on again for at least the cool-down, and would manage again."
                    .to_owned(),
            );
        }
        why.extend(joy_fact(facts));
        if facts.first_time {
            why.push(format!(
                "First management stint, after {:.1} years of hands-on work (the policy asks for {}).",
                facts.engineering_years, self.org.min_engineering_years
            ));
        } else if let Some(last) = facts.last_managed {
            why.push(format!(
                "Back to management after hands-on work since {}; the cool-down of {} months is served.",
                last.plus(1),
                settings.cool_down_months
            ));
        }
        let home = self.org.rotation.people()[p].home;
        for &t in teams {
            if t == home {
                why.push(format!("{} is their own team.", self.team_name(t)));
            } else if facts.managed_before.contains(&t) {
                why.push(format!("They managed {} before.", self.team_name(t)));
            }
        }
        if self
            .org
            .rotation
            .pins()
            .iter()
            .any(|pin| pin.person == p && pin.quarter == q)
        {
            why.push("Pinned for this quarter (what-if).".to_owned());
        }
        why.push(format!(
            "Worth {} a quarter to the plan; the stint lasts at least {} months.",
            self.value(p, q, teams),
            settings.min_stint_months
        ));
        why
    }

    /// Why team `t` takes a new manager (`p`) in quarter `q`.
    fn why_team_needs(&self, t: usize, q: usize, p: usize) -> String {
        let name = self.team_name(t);
        match self.manager_of(t, q as isize - 1) {
            None if q == 0 => format!("{name} has no manager when the horizon opens."),
            None => format!("{name} has no manager in {}.", self.quarter(q - 1)),
            Some(o) if o == p => format!("Keeps {name}."),
            Some(o) => format!(
                "{name} needs a new manager: {}",
                self.why_leaves(o, q, Some(t))
            ),
        }
    }

    /// Why `o`, who managed the quarter before `q`, no longer manages (team `t`) in `q`.
    fn why_leaves(&self, o: usize, q: usize, t: Option<usize>) -> String {
        let r = &self.org.rotation;
        let facts = &self.org.people[o];
        let settings = &self.org.settings;
        let who = &facts.name;
        if r.is_excluded(o) {
            return format!("{who} is excluded from the plan (what-if).");
        }
        if facts.willingness == pendulum_core::Willingness::No {
            return format!("{who} said they are not willing to manage.");
        }
        let length = if q == 0 {
            match &r.people()[o].history {
                History::Managing { tenure, .. } => *tenure,
                _ => 0,
            }
        } else {
            self.stint_length(o, q - 1)
        };
        let window = match &r.people()[o].history {
            History::Managing { tenure, .. } => r.policy().max_stint.saturating_sub(*tenure),
            _ => u32::MAX,
        };
        if length >= r.policy().max_stint || q as u32 >= window {
            let since = facts
                .managing_since
                .filter(|_| length as usize > q)
                .map(|s| format!(" (managing since {s})"))
                .unwrap_or_default();
            return format!(
                "{who} reaches the policy maximum of {} months in management{since}.",
                settings.max_stint_months
            );
        }
        let now = self.role(o, q as isize);
        let months = length * 3;
        let tenure = match &r.people()[o].history {
            History::Managing { tenure, .. } => *tenure as usize,
            _ => 0,
        };
        // Still in the stint under way when the horizon opened: the trial ends.
        if let Some(until) = facts.trial_until.filter(|_| length as usize == tenure + q) {
            return format!(
                "{who} ends the management trial due for a decision on {until}; a trial is not held to the minimum stint."
            );
        }
        match (now, t) {
            (Role::Manager(_), Some(t)) => format!(
                "{who} moves on from {} after {months} months.",
                self.team_name(t)
            ),
            (Role::Manager(_), None) => format!("{who} moves teams after {months} months."),
            (Role::TechLead, _) => format!(
                "{who} goes back to hands-on work as tech lead after {months} months (the minimum is {}).",
                settings.min_stint_months
            ),
            _ => format!(
                "{who} goes back to hands-on work after {months} months (the minimum is {}).",
                settings.min_stint_months
            ),
        }
    }

    fn why_steps_down(&self, p: usize, q: usize, old: &[usize], now: &Role) -> Vec<String> {
        let mut why = vec![self.why_leaves(p, q, None)];
        let facts = &self.org.people[p];
        why.extend(joy_fact(facts));
        for &t in old {
            match self.manager_of(t, q as isize) {
                Some(next) => {
                    let next_teams = match self.role(next, q as isize) {
                        Role::Manager(teams) => teams,
                        _ => vec![t],
                    };
                    why.push(format!(
                        "{} takes over {} (worth {} a quarter to the plan, against {} for staying).",
                        self.org.people[next].name,
                        self.team_name(t),
                        self.value(next, q, &next_teams),
                        self.value(p, q, old)
                    ))
                }
                None => why.push(format!(
                    "{} is left to an interim manager.",
                    self.team_name(t)
                )),
            }
        }
        if *now == Role::TechLead {
            why.push(format!(
                "Leads {} as its tech lead.",
                self.team_name(self.org.rotation.people()[p].home)
            ));
        }
        why
    }

    fn why_moves(&self, p: usize, q: usize, old: &[usize], new: &[usize]) -> Vec<String> {
        let mut why = Vec::new();
        for &t in new.iter().filter(|t| !old.contains(t)) {
            why.push(self.why_team_needs(t, q, p));
        }
        for &t in old.iter().filter(|t| !new.contains(t)) {
            why.push(match self.manager_of(t, q as isize) {
                Some(next) => format!(
                    "Hands {} to {}.",
                    self.team_name(t),
                    self.org.people[next].name
                ),
                None => format!("Leaves {} to an interim manager.", self.team_name(t)),
            });
        }
        let reports: u32 = new
            .iter()
            .map(|&t| self.org.rotation.teams()[t].headcount)
            .sum();
        why.push(format!(
            "{reports} reports from {} (the span is {} to {}).",
            self.quarter(q),
            self.org.settings.span_min,
            self.org.settings.span_max
        ));
        why
    }
}

fn joy_fact(facts: &PersonFacts) -> Option<String> {
    let (m, n) = facts.joy_managing?;
    Some(match facts.joy_hands_on {
        Some((h, k)) => format!(
            "Check-in joy {m:.1} while managing ({n} check-ins) against {h:.1} while hands-on ({k})."
        ),
        None => format!("Check-in joy {m:.1} while managing ({n} check-ins)."),
    })
}
