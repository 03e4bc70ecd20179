//! The plans pages: the org's rotation plan as a quarter-by-quarter table with every swing
//! explained (admins), each person's planned swings on their page (admins), and the
//! stretch assignment of a pasted or uploaded backlog (managers and admins).

use std::collections::HashMap;

use askama::Template;
use axum::extract::{FromRequest, Multipart, Query, Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use pendulum_app::acting::{Action, Who};
use pendulum_app::plans::{IndexedPlan, KeptPlan, RotationQuery, Shown, Stretch, authorize};
use pendulum_core::timeline::PlannedStint;
use pendulum_core::{Account, Ledger, PersonId, View};
use pendulum_plan::org::{Diagnosis, Swing, SwingKind};

use super::{Nav, PageError, Signed, render};
use crate::plans::{parse_query, query_pairs};
use crate::{AppError, AppState};

/// A rotation plan as the page shows it.
pub(crate) struct PlanView {
    horizon: Vec<String>,
    feasible: bool,
    /// Whether there is a plan to show: without a feasible one, the closest plan, which an
    /// org may not have either.
    shown: bool,
    /// How good the plan is, in words.
    quality: String,
    rows: Vec<TeamRow>,
    /// The swings of each quarter that has any.
    quarters: Vec<(String, Vec<SwingView>)>,
    left_out: Vec<(String, String, String)>,
    diagnosis: Option<Diagnosis>,
}

struct TeamRow {
    name: String,
    department: String,
    headcount: u32,
    /// Who manages it before the plan begins.
    now: Option<(String, String)>,
    cells: Vec<Cell>,
}

struct Cell {
    /// The manager (id, name); `None` is an interim manager.
    manager: Option<(String, String)>,
    /// The team changes manager in this quarter.
    change: bool,
}

/// A planned swing, with team names instead of ids.
pub(crate) struct SwingView {
    pub(super) person: String,
    pub(super) name: String,
    pub(super) quarter: String,
    pub(super) kind: &'static str,
    pub(super) teams: String,
    pub(super) why: Vec<String>,
}

/// A swing as pages show it, with team names (and their departments: names repeat across
/// departments) instead of ids.
fn swing_view(plan: &IndexedPlan, s: &Swing) -> SwingView {
    let teams = s
        .teams
        .iter()
        .map(|t| plan.team_label(t).unwrap_or(t))
        .collect::<Vec<_>>()
        .join(", ");
    SwingView {
        person: s.person.clone(),
        name: s.name.clone(),
        quarter: s.quarter.clone(),
        kind: s.kind.words(),
        // For a swing back to hands-on work, the teams are those left.
        teams: match s.kind {
            SwingKind::ToHandsOn => format!("leaves {teams}"),
            SwingKind::ToManagement | SwingKind::Moves => format!("manages {teams}"),
        },
        why: s.why.clone(),
    }
}

impl PlanView {
    fn new(indexed: &IndexedPlan) -> Self {
        let plan = indexed.plan();
        let person = |id: &String| {
            let name = indexed.person_name(id).unwrap_or(id);
            (id.clone(), name.to_owned())
        };
        let rows = plan
            .teams
            .iter()
            .map(|t| TeamRow {
                name: t.name.clone(),
                department: t.department.clone(),
                headcount: t.headcount,
                now: t.manager_now.as_ref().map(person),
                cells: t
                    .managers
                    .iter()
                    .enumerate()
                    .map(|(q, m)| {
                        let before = match q {
                            0 => &t.manager_now,
                            _ => &t.managers[q - 1],
                        };
                        Cell {
                            manager: m.as_ref().map(person),
                            change: before != m,
                        }
                    })
                    .collect(),
            })
            .collect();
        let quarters = plan
            .horizon
            .iter()
            .map(|q| {
                let swings: Vec<SwingView> = plan
                    .swings
                    .iter()
                    .filter(|s| s.quarter == *q)
                    .map(|s| swing_view(indexed, s))
                    .collect();
                (q.clone(), swings)
            })
            .filter(|(_, swings)| !swings.is_empty())
            .collect();
        let quality = match (plan.objective, plan.upper_bound) {
            (Some(o), Some(b)) if o == b => {
                format!("total preference {o}, proved the best possible")
            }
            (Some(o), Some(b)) => format!(
                "total preference {o}; no plan can exceed {b} (the solver did not prove this plan the best)"
            ),
            _ => "no plan found that keeps every constraint".to_owned(),
        };
        Self {
            horizon: plan.horizon.clone(),
            feasible: plan.feasible,
            shown: !plan.people.is_empty(),
            quality,
            rows,
            quarters,
            left_out: plan
                .left_out
                .iter()
                .map(|l| (l.person.clone(), l.name.clone(), l.reason.clone()))
                .collect(),
            diagnosis: plan.diagnosis.clone(),
        }
    }
}

/// A what-if in force, with the link that drops it.
struct WhatIf {
    text: String,
    without: String,
}

#[derive(Template)]
#[template(path = "plans.html")]
struct RotationPage {
    nav: Option<Nav>,
    from: String,
    quarters: usize,
    pins: Vec<WhatIf>,
    excluded: Vec<WhatIf>,
    /// The what-ifs in force, carried by the form as hidden fields.
    carried: Vec<(&'static str, String)>,
    people: Options,
    teams: Options,
    horizon: Vec<String>,
    error: Option<String>,
    /// When the default plan was solved, and whether a newer one is on its way.
    freshness: Option<String>,
    plan: Option<PlanView>,
}

/// The message a page shows for an error, and its status; a server fault stays generic
/// (it was logged where the response was made), a busy server says so.
fn shown(e: AppError) -> (StatusCode, String) {
    let message = e.to_string();
    let busy = matches!(e, AppError::Busy { .. });
    let status = e.into_response().status();
    if status.is_server_error() && !busy {
        (
            status,
            "Something went wrong on our side; it has been logged.".into(),
        )
    } else {
        (status, message)
    }
}

/// The query of a plans page: the API's parameters, and a pin chosen in three fields
/// (`pin_person`, `pin_team`, `pin_quarter`) that becomes one `pin`.
fn page_query(pairs: Vec<(String, String)>) -> Result<RotationQuery, AppError> {
    let mut chosen: HashMap<String, String> = HashMap::new();
    let mut rest = Vec::new();
    for (k, v) in pairs {
        match k.as_str() {
            "pin_person" | "pin_team" | "pin_quarter" => {
                chosen.insert(k, v.trim().to_owned());
            }
            _ => rest.push((k, v)),
        }
    }
    let field = |k: &str| chosen.get(k).map_or("", String::as_str);
    let parts = [field("pin_person"), field("pin_team"), field("pin_quarter")];
    match parts.iter().filter(|p| !p.is_empty()).count() {
        0 => {}
        3 => rest.push(("pin".into(), parts.join(":"))),
        _ => {
            return Err(AppError::BadRequest(
                "pin: choose a person, a team and a quarter".into(),
            ));
        }
    }
    parse_query(&rest, chrono::Local::now().date_naive())
}

/// The link to the plan of `query`.
fn plans_link(query: &RotationQuery) -> String {
    let pairs: Vec<String> = query_pairs(query)
        .into_iter()
        .map(|(k, v)| format!("{k}={}", encode(&v)))
        .collect();
    format!("/plans?{}", pairs.join("&"))
}

/// Percent-encodes what ids and quarters may hold beyond the safe characters (they are
/// letters, digits, `.`, `_`, `-` and `:`, but a link should not rely on it).
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'.' | b'_' | b'-' | b':' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The options of a select: value and label.
type Options = Vec<(String, String)>;

/// Everyone in the ledger by name, and every team with its department, for the what-if
/// fields; the planner says which of them it cannot take.
fn choices(ledger: &Ledger) -> (Options, Options) {
    let mut people: Options = ledger
        .people()
        .iter()
        .map(|p| (p.id.to_string(), format!("{} ({})", p.name, p.id)))
        .collect();
    people.sort_by(|a, b| a.1.cmp(&b.1));
    let mut teams: Options = ledger
        .teams()
        .iter()
        .map(|t| {
            let label = match t.parent.as_ref().and_then(|p| ledger.team(p)) {
                Some(parent) => format!("{} ({})", t.name, parent.name),
                None => t.name.clone(),
            };
            (t.id.to_string(), label)
        })
        .collect();
    teams.sort_by(|a, b| a.1.cmp(&b.1));
    (people, teams)
}

pub(crate) async fn rotation_page(
    State(state): State<AppState>,
    signed: Signed,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let who = Who::Account(signed.account.clone());
    authorize(state.store(), &who, Action::ReadRotationPlan)
        .await
        .map_err(AppError::from)?;
    let snapshot = state.snapshot().await?;
    let (people, teams) = choices(&snapshot.ledger);
    let today = chrono::Local::now().date_naive();
    // The default plan is the background planner's, shown as last solved; a what-if is
    // solved for this request, or refused while the solvers are busy.
    let mut freshness = None;
    let (query, outcome) = match page_query(pairs) {
        Ok(query) if query == RotationQuery::default_from(today) => {
            let kept = state.default_plan(&who, Shown::WholePlan).await?;
            freshness = Some(freshness_of(&kept));
            let outcome = kept
                .solved
                .map(|s| s.outcome.clone().map_err(AppError::from));
            (query, outcome.transpose())
        }
        Ok(query) => {
            let plan = state.rotation_plan(&who, &query).await;
            (query, plan.map(Some))
        }
        Err(e) => (RotationQuery::default_from(today), Err(e)),
    };
    let (status, error, plan) = match outcome {
        Ok(None) => (StatusCode::OK, None, None),
        Ok(Some(plan)) => (StatusCode::OK, None, Some(PlanView::new(&plan))),
        Err(e) => {
            let (status, message) = shown(e);
            (status, Some(message), None)
        }
    };
    let what_ifs = |kind: &str| -> Vec<WhatIf> {
        query_pairs(&query)
            .into_iter()
            .skip(2)
            .filter(|(k, _)| *k == kind)
            .map(|(_, text)| {
                let mut rest = query.clone();
                rest.pins.retain(|p| p.to_string() != text);
                rest.excluded.retain(|p| p.as_str() != text);
                WhatIf {
                    without: plans_link(&rest),
                    text,
                }
            })
            .collect()
    };
    let page = RotationPage {
        nav: Some(signed.nav()),
        from: query.from.to_string(),
        quarters: query.quarters,
        pins: what_ifs("pin"),
        excluded: what_ifs("exclude"),
        carried: query_pairs(&query).split_off(2),
        people,
        teams,
        horizon: (0..query.quarters)
            .map(|q| query.from.plus(q as i64).to_string())
            .collect(),
        error,
        freshness,
        plan,
    };
    Ok((status, render(&page)?).into_response())
}

/// When the plan shown was solved, and whether a newer one is being computed.
fn freshness_of(kept: &KeptPlan) -> String {
    match (&kept.solved, kept.current) {
        (None, _) => {
            "The plan is being computed; reload the page in a moment to see it.".to_owned()
        }
        (Some(s), true) => format!("Updated at {}.", s.solved_at.format("%Y-%m-%d %H:%M UTC")),
        (Some(s), false) => format!(
            "Updated at {}; the ledger or the policy has changed since, and a new plan is being computed.",
            s.solved_at.format("%Y-%m-%d %H:%M UTC")
        ),
    }
}

/// What a person page shows an admin of the person's planned swings.
pub(crate) struct PlannedSwings {
    pub(super) horizon: String,
    pub(super) swings: Vec<SwingView>,
    /// Why the swings are missing, or what to keep in mind about them.
    pub(super) note: Option<String>,
    /// The person's planned roles, for the timeline.
    pub(super) stints: Vec<PlannedStint>,
    /// When the plan was solved, or that it is being computed.
    pub(super) freshness: String,
    /// Whether there is a plan to read the swings from.
    pub(super) solved: bool,
}

/// The planned swings of `person` in the default rotation plan, as the background planner
/// last solved it, for `account` (an admin): the page never waits for a solve, and reads
/// only the person's part of the plan's index.
pub(crate) async fn planned_swings(
    state: &AppState,
    account: &Account,
    person: &PersonId,
) -> PlannedSwings {
    let query = RotationQuery::default_from(chrono::Local::now().date_naive());
    let horizon = format!(
        "{} to {}",
        query.from,
        query.from.plus(query.quarters as i64 - 1)
    );
    let who = Who::Account(account.clone());
    let (outcome, freshness) = match state.default_plan(&who, Shown::OnePerson).await {
        Ok(kept) => {
            let freshness = freshness_of(&kept);
            let outcome = kept
                .solved
                .map(|s| s.outcome.clone().map_err(AppError::from));
            (outcome, freshness)
        }
        Err(e) => (Some(Err(e)), String::new()),
    };
    match outcome {
        None => PlannedSwings {
            horizon,
            swings: Vec::new(),
            note: None,
            stints: Vec::new(),
            freshness,
            solved: false,
        },
        Some(Ok(plan)) => {
            let swings = plan
                .swings_of(person.as_str())
                .map(|s| swing_view(&plan, s))
                .collect();
            let note = (!plan.plan().feasible).then(|| {
                "No rotation plan was found that keeps every constraint: these are the swings of the closest plan.".to_owned()
            });
            PlannedSwings {
                horizon,
                swings,
                note,
                stints: plan.stints_of(person.as_str()).to_vec(),
                freshness,
                solved: true,
            }
        }
        Some(Err(e)) => PlannedSwings {
            horizon,
            swings: Vec::new(),
            note: Some(format!("No rotation plan: {}", shown(e).1)),
            stints: Vec::new(),
            freshness,
            solved: false,
        },
    }
}

/// One explained assignment.
struct AssignmentRow {
    person: String,
    /// The person's name and page, when the account may see them.
    name: Option<String>,
    item: String,
    skill: String,
    level: String,
    difficulty: String,
    gap: String,
    growth: i64,
    why: String,
}

struct StretchView {
    band: String,
    total_growth: i64,
    rows: Vec<AssignmentRow>,
    unassigned: Vec<String>,
}

impl StretchView {
    fn new(stretch: &Stretch, ledger: &Ledger, signed: &Signed) -> Self {
        let band = &stretch.band;
        let rows = stretch
            .plan
            .assignments
            .iter()
            .map(|a| {
                let name = ledger
                    .person(&a.person)
                    .filter(|_| signed.account.view_of(ledger, &a.person) != View::Hidden)
                    .map(|p| p.name.clone());
                let place = if a.gap > 0.0 {
                    format!("{:.1} above", a.gap)
                } else if a.gap < 0.0 {
                    format!("{:.1} below", -a.gap)
                } else {
                    "at".to_owned()
                };
                AssignmentRow {
                    person: a.person.to_string(),
                    name,
                    item: a.item.clone(),
                    skill: a.skill.clone(),
                    level: format!("{:.1}", a.level),
                    difficulty: format!("{:.1}", a.difficulty),
                    gap: format!("{:+.1}", a.gap),
                    growth: a.growth,
                    why: format!(
                        "Difficulty {:.1} is {place} their level {:.1} in {}: growth {} of 1000, the most at {:+}.",
                        a.difficulty,
                        a.level,
                        a.skill,
                        a.growth,
                        band.target()
                    ),
                }
            })
            .collect();
        Self {
            band: format!(
                "gaps from {:+} to {:+}, growth highest at {:+}",
                band.lowest(),
                band.highest(),
                band.target()
            ),
            total_growth: stretch.plan.total_growth,
            rows,
            unassigned: stretch.plan.unassigned.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "assignments.html")]
struct AssignmentsPage {
    nav: Option<Nav>,
    csrf: String,
    skills: String,
    backlog: String,
    capacity: String,
    error: Option<String>,
    result: Option<StretchView>,
}

fn assignments_view(
    signed: &Signed,
    form: AssignmentsForm,
    error: Option<String>,
    result: Option<StretchView>,
) -> AssignmentsPage {
    AssignmentsPage {
        nav: Some(signed.nav()),
        csrf: signed.csrf.clone(),
        skills: form.skills,
        backlog: form.backlog,
        capacity: form.capacity,
        error,
        result,
    }
}

/// Refuses an account that may not plan assignments (audited), before anything is read.
async fn authorize_assignments(state: &AppState, who: &Who) -> Result<(), PageError> {
    authorize(state.store(), who, Action::PlanAssignments)
        .await
        .map_err(|e| AppError::from(e).into())
}

pub(crate) async fn assignments_page(
    State(state): State<AppState>,
    signed: Signed,
) -> Result<Response, PageError> {
    authorize_assignments(&state, &Who::Account(signed.account.clone())).await?;
    let form = AssignmentsForm {
        csrf: String::new(),
        skills: String::new(),
        backlog: String::new(),
        capacity: String::new(),
    };
    Ok(render(&assignments_view(&signed, form, None, None))?.into_response())
}

/// The assignments form: each CSV pasted or uploaded (an uploaded file wins over the
/// text beside it), and everyone's capacity.
struct AssignmentsForm {
    csrf: String,
    skills: String,
    backlog: String,
    capacity: String,
}

impl AssignmentsForm {
    /// Reads the form as the page sends it (`multipart/form-data`, for the uploads) or
    /// URL-encoded (pasted text only).
    async fn read(request: Request, state: &AppState) -> Result<Self, AppError> {
        let multipart = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("multipart/form-data"));
        let mut fields: HashMap<String, String> = HashMap::new();
        if multipart {
            let mut form = Multipart::from_request(request, state)
                .await
                .map_err(|e| AppError::BadRequest(e.body_text()))?;
            while let Some(field) = form
                .next_field()
                .await
                .map_err(|e| AppError::BadRequest(e.body_text()))?
            {
                let name = field.name().unwrap_or_default().to_owned();
                let bytes = field
                    .bytes()
                    .await
                    .map_err(|e| AppError::BadRequest(e.body_text()))?;
                let text = String::from_utf8(bytes.to_vec()).map_err(|_| {
                    AppError::Unprocessable(format!("{name}: the file is not UTF-8 text"))
                })?;
                fields.insert(name, text);
            }
        } else {
            let axum::Form(pairs) =
                axum::Form::<Vec<(String, String)>>::from_request(request, state)
                    .await
                    .map_err(|e| AppError::BadRequest(e.body_text()))?;
            fields.extend(pairs);
        }
        let mut take = |name: &str| fields.remove(name).unwrap_or_default();
        let pick = |file: String, text: String| if file.trim().is_empty() { text } else { file };
        let skills_file = take("skills_file");
        let backlog_file = take("backlog_file");
        Ok(Self {
            csrf: take("csrf"),
            skills: pick(skills_file, take("skills")),
            backlog: pick(backlog_file, take("backlog")),
            capacity: take("capacity").trim().to_owned(),
        })
    }
}

pub(crate) async fn plan_assignments(
    State(state): State<AppState>,
    signed: Signed,
    request: Request,
) -> Result<Response, PageError> {
    let form = AssignmentsForm::read(request, &state).await?;
    signed.check_csrf(&form.csrf)?;
    let who = Who::Account(signed.account.clone());
    authorize_assignments(&state, &who).await?;
    let capacity = match form.capacity.as_str() {
        "" => Ok(None),
        raw => raw.parse::<u32>().map(Some).map_err(|_| {
            AppError::Unprocessable(format!("capacity: {raw:?} is not a whole number of units"))
        }),
    };
    let snapshot = state.snapshot().await?;
    let outcome = match capacity {
        Ok(capacity) => {
            state
                .stretch(
                    &who,
                    &snapshot.policy,
                    form.skills.clone(),
                    form.backlog.clone(),
                    capacity,
                )
                .await
        }
        Err(e) => Err(e),
    };
    let (status, page) = match outcome {
        Ok(stretch) => {
            let view = StretchView::new(&stretch, &snapshot.ledger, &signed);
            (
                StatusCode::OK,
                assignments_view(&signed, form, None, Some(view)),
            )
        }
        Err(e) => {
            let (status, message) = shown(e);
            (status, assignments_view(&signed, form, Some(message), None))
        }
    };
    Ok((status, render(&page)?).into_response())
}
