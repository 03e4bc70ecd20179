//! The plans served over the API: the rotation plan of the org and stretch assignments.

use super::*;
use pendulum_app::plans::{Stretch, authorize};

use crate::plans::parse_query;

/// The rotation plan of the org: which team each manager manages, quarter by quarter.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = RotationPlan)]
pub(crate) struct RotationPlanDto<'a> {
    /// The quarters planned (`YYYY-Qn`), first to last; every per-quarter list follows it.
    horizon: Vec<&'a str>,
    /// Whether every constraint holds. When not, `teams`, `people` and `swings` show the
    /// closest plan, with interim managers where nobody can be found, and `diagnosis` says
    /// which constraint binds.
    feasible: bool,
    /// The plan's total preference; `null` without a plan.
    objective: Option<i64>,
    /// No plan's total preference can exceed this: equal to `objective` when the plan is
    /// proved optimal.
    upper_bound: Option<i64>,
    /// The teams planned: those with hands-on members.
    teams: Vec<TeamPlanDto<'a>>,
    /// Everyone the plan places, with their role in each quarter.
    people: Vec<PersonPlanDto<'a>>,
    /// Every change of side or of teams managed, with why it is in the plan.
    swings: Vec<PlannedSwingDto<'a>>,
    /// People of the org the plan leaves alone, and why.
    left_out: Vec<LeftOutDto<'a>>,
    /// Why the org has no plan; `null` when it has one.
    diagnosis: Option<DiagnosisDto<'a>>,
}

/// A planned team and its manager in each quarter.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = TeamPlan)]
pub(crate) struct TeamPlanDto<'a> {
    id: &'a str,
    name: &'a str,
    /// The department (parent team) within which managers move.
    department: &'a str,
    /// Hands-on members: the reports of its manager.
    headcount: u32,
    /// The id of who manages it on the horizon's first day, before the plan.
    manager_now: Option<&'a str>,
    /// The manager's person id per quarter; `null` is an interim manager.
    managers: Vec<Option<&'a str>>,
}

/// A person's role in each quarter of the plan.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = PersonPlan)]
pub(crate) struct PersonPlanDto<'a> {
    id: &'a str,
    name: &'a str,
    /// Their team's id.
    team: &'a str,
    /// Their role on the horizon's first day, in words.
    now: &'a str,
    roles: Vec<PlannedRoleDto<'a>>,
}

/// One person's role in one quarter.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = PlannedRole)]
pub(crate) struct PlannedRoleDto<'a> {
    /// `engineer`, `tech_lead` or `manager`.
    role: &'a str,
    /// The ids of the teams managed, for a manager; absent otherwise.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    teams: Vec<&'a str>,
}

/// A swing the plan makes, with the facts that put it there.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = PlannedSwing)]
pub(crate) struct PlannedSwingDto<'a> {
    person: &'a str,
    name: &'a str,
    /// The first quarter in the new role.
    quarter: &'a str,
    /// `to-management`, `to-hands-on`, or `moves` (a manager who takes on or hands over
    /// teams).
    kind: &'static str,
    /// The team ids managed from that quarter (for a swing to hands-on work: those left).
    teams: Vec<&'a str>,
    /// Why the swing is in the plan, one sentence each.
    why: Vec<&'a str>,
}

/// A person the plan leaves alone.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = LeftOut)]
pub(crate) struct LeftOutDto<'a> {
    person: &'a str,
    name: &'a str,
    reason: &'a str,
}

/// Why an org has no rotation plan.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Diagnosis)]
pub(crate) struct DiagnosisDto<'a> {
    summary: &'a str,
    /// What the org's shape alone rules out, whatever the plan: teams too large for any
    /// manager, departments where nobody may manage.
    facts: Vec<&'a str>,
    /// Constraints each of which, lifted alone, lets a plan exist.
    binding: Vec<&'a str>,
    /// Teams the closest plan leaves to an interim manager.
    unstaffed: Vec<UnstaffedDto<'a>>,
    /// Constraints not probed because the plan's time limit was reached first; any of
    /// them may bind too.
    unprobed: Vec<&'a str>,
}

/// A team the closest plan cannot staff, and what stops each candidate.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = UnstaffedTeam)]
pub(crate) struct UnstaffedDto<'a> {
    team: &'a str,
    department: &'a str,
    quarters: Vec<&'a str>,
    /// Why each person of the department cannot manage it, in the first of those quarters.
    candidates: Vec<&'a str>,
}

fn strs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

pub(crate) fn swing_kind(kind: SwingKind) -> &'static str {
    match kind {
        SwingKind::ToManagement => "to-management",
        SwingKind::ToHandsOn => "to-hands-on",
        SwingKind::Moves => "moves",
    }
}

impl<'a> From<&'a RotationPlan> for RotationPlanDto<'a> {
    fn from(plan: &'a RotationPlan) -> Self {
        Self {
            horizon: strs(&plan.horizon),
            feasible: plan.feasible,
            objective: plan.objective,
            upper_bound: plan.upper_bound,
            teams: plan
                .teams
                .iter()
                .map(|t| TeamPlanDto {
                    id: &t.id,
                    name: &t.name,
                    department: &t.department,
                    headcount: t.headcount,
                    manager_now: t.manager_now.as_deref(),
                    managers: t.managers.iter().map(Option::as_deref).collect(),
                })
                .collect(),
            people: plan
                .people
                .iter()
                .map(|p| PersonPlanDto {
                    id: &p.id,
                    name: &p.name,
                    team: &p.team,
                    now: &p.now,
                    roles: p
                        .roles
                        .iter()
                        .map(|r| PlannedRoleDto {
                            role: &r.role,
                            teams: strs(&r.teams),
                        })
                        .collect(),
                })
                .collect(),
            swings: plan
                .swings
                .iter()
                .map(|s| PlannedSwingDto {
                    person: &s.person,
                    name: &s.name,
                    quarter: &s.quarter,
                    kind: swing_kind(s.kind),
                    teams: strs(&s.teams),
                    why: strs(&s.why),
                })
                .collect(),
            left_out: plan
                .left_out
                .iter()
                .map(|l| LeftOutDto {
                    person: &l.person,
                    name: &l.name,
                    reason: &l.reason,
                })
                .collect(),
            diagnosis: plan.diagnosis.as_ref().map(|d| DiagnosisDto {
                summary: &d.summary,
                facts: strs(&d.facts),
                binding: strs(&d.binding),
                unprobed: strs(&d.unprobed),
                unstaffed: d
                    .unstaffed
                    .iter()
                    .map(|u| UnstaffedDto {
                        team: &u.team,
                        department: &u.department,
                        quarters: strs(&u.quarters),
                        candidates: strs(&u.candidates),
                    })
                    .collect(),
            }),
        }
    }
}

/// The org's rotation plan, with why each swing is in it; for admins.
///
/// Admins only, since it shows the whole org and values read from check-ins. A plan is
/// solved within a short time limit and kept until the ledger or the policy changes.
#[utoipa::path(
    get,
    path = "/plans/rotations",
    tag = "plans",
    params(
        ("from" = Option<String>, Query, description = "The first quarter of the plan (`YYYY-Qn`); the quarter after today when absent", example = "2027-Q1"),
        ("quarters" = Option<u32>, Query, description = "How many quarters to plan, 1 to 16; 8 when absent", minimum = 1, maximum = 16),
        ("pin" = Option<Vec<String>>, Query, style = Form, explode, description = "A what-if: `PERSON:TEAM:QUARTER`, the person manages the team in that quarter; repeatable", example = "p07:platform-docs:2027-Q2"),
        ("exclude" = Option<Vec<String>>, Query, style = Form, explode, description = "A what-if: the person (an id) neither manages nor leads in the plan; repeatable"),
    ),
    responses(
        (status = 200, description = "The plan; `feasible` is false, with a `diagnosis`, for an org that has none", body = RotationPlanDto),
        (status = 400, description = "A malformed or unknown parameter, or a pin or exclusion the org cannot take; the message names it", body = ErrorBody),
        (status = 401, description = "No valid API token", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 422, description = "An org the planner cannot take (no team with hands-on members, a department too large)", body = ErrorBody),
        (status = 503, description = "The plan asked for is not solved yet and every solve slot is taken; try again after `Retry-After` seconds", body = ErrorBody),
    )
)]
pub(crate) async fn rotation_plan(
    State(state): State<AppState>,
    Authenticated(account): Authenticated,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Response, AppError> {
    let who = Who::Account(account);
    authorize(state.store(), &who, Action::ReadRotationPlan).await?;
    let Query(pairs) = query.map_err(|e| AppError::BadRequest(e.body_text()))?;
    let query = parse_query(&pairs, chrono::Local::now().date_naive())?;
    let plan = state.rotation_plan(&who, &query).await?;
    Ok(Json(RotationPlanDto::from(plan.plan())).into_response())
}

/// Skills and a backlog to plan stretch assignments for, as CSV text.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct NewStretchPlan {
    /// CSV `person,skill,level[,capacity]`: each person's level in each skill.
    #[schema(example = "person,skill,level\np1,rust,4\np2,rust,6\n")]
    skills: String,
    /// CSV `item,skill,difficulty[,size]`: the work to hand out.
    #[schema(example = "item,skill,difficulty\nparser,rust,5\nplanner,rust,7\n")]
    backlog: String,
    /// Everyone's capacity in units of item size, where the skills give none.
    capacity: Option<u32>,
}

/// The stretch band: work a little above a person's level, growth highest at the target.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = StretchBand)]
pub(crate) struct BandDto {
    lowest_gap: f64,
    highest_gap: f64,
    target_gap: f64,
    spread: f64,
}

/// One assignment and the facts that explain it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = StretchAssignment)]
pub(crate) struct AssignmentDto<'a> {
    person: &'a str,
    item: &'a str,
    skill: &'a str,
    /// The person's level in the item's skill.
    level: f64,
    difficulty: f64,
    /// `difficulty - level`: how far the item stretches the person.
    gap: f64,
    /// What the band gives the gap, 0 to 1000.
    growth: i64,
}

/// The optimal stretch assignment.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = StretchPlan)]
pub(crate) struct StretchPlanDto<'a> {
    band: BandDto,
    /// In backlog order.
    assignments: Vec<AssignmentDto<'a>>,
    /// Items nobody in the band can take, or that capacity left over.
    unassigned: Vec<&'a str>,
    total_growth: i64,
}

impl<'a> From<&'a Stretch> for StretchPlanDto<'a> {
    fn from(s: &'a Stretch) -> Self {
        Self {
            band: BandDto {
                lowest_gap: s.band.lowest(),
                highest_gap: s.band.highest(),
                target_gap: s.band.target(),
                spread: s.band.spread(),
            },
            assignments: s
                .plan
                .assignments
                .iter()
                .map(|a| AssignmentDto {
                    person: a.person.as_str(),
                    item: &a.item,
                    skill: &a.skill,
                    level: a.level,
                    difficulty: a.difficulty,
                    gap: a.gap,
                    growth: a.growth,
                })
                .collect(),
            unassigned: strs(&s.plan.unassigned),
            total_growth: s.plan.total_growth,
        }
    }
}

/// Stretch assignments of a backlog; for managers and admins.
///
/// Gives each person backlog work just above their level, within capacity, for the most
/// growth in the policy's stretch band. Skills and backlog are not stored: they come with
/// the request.
#[utoipa::path(
    post,
    path = "/plans/assignments",
    tag = "plans",
    request_body = NewStretchPlan,
    responses(
        (status = 200, description = "The optimal assignments, each with its facts", body = StretchPlanDto),
        (status = 400, description = "A body that is not the JSON of a stretch plan request", body = ErrorBody),
        (status = 401, description = "No valid API token", body = ErrorBody),
        (status = 403, description = "A member's account", body = ErrorBody),
        (status = 422, description = "Every problem of the CSV text, each as `skills:LINE: FIELD: message` or `backlog:LINE: ...`, or a problem the planner cannot take: more rows per file, person-item pairs in the band or solving time than the server's limits allow, each named", body = ErrorBody),
        (status = 503, description = "Every solve slot is taken; try again after `Retry-After` seconds", body = ErrorBody),
    )
)]
pub(crate) async fn assignments(
    State(state): State<AppState>,
    Authenticated(account): Authenticated,
    body: Result<Json<NewStretchPlan>, axum::extract::rejection::JsonRejection>,
) -> Result<Response, AppError> {
    let who = Who::Account(account);
    authorize(state.store(), &who, Action::PlanAssignments).await?;
    let Json(body) = body.map_err(|e| AppError::BadRequest(e.body_text()))?;
    let snapshot = state.snapshot().await?;
    let stretch = state
        .stretch(
            &who,
            &snapshot.policy,
            body.skills,
            body.backlog,
            body.capacity,
        )
        .await?;
    Ok(Json(StretchPlanDto::from(&stretch)).into_response())
}
