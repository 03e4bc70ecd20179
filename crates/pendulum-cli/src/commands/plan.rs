//! `pendulum plan rotations`, `pendulum plan assignments` and `pendulum plan check`: the
//! rotation plan of the org and stretch assignments by optimisation (`pendulum_app::plans`,
//! as the operator), and a check of a plan that trusts nothing but the problem it states.
//! This module reads the files, and prints and writes what the plans are.
//!
//! A plan written with `--json` carries the problem it solves (for a stretch plan the band,
//! the capacities, the skills and the backlog; for a rotation plan the instance by ids), so
//! `plan check` can verify it on its own, anywhere, without the database or files it came
//! from or the solver that made it.

use std::collections::BTreeMap;
use std::path::Path;

use std::time::Duration;

use anyhow::{Context as _, Result, anyhow, bail};
use pendulum_app::acting::Who;
use pendulum_app::plans::{PlanError, RotationQuery, Stretch, StretchInput};
use pendulum_core::{PersonId, Policy, Quarter};
use pendulum_plan::org::{OrgPin, RotationDocument, RotationPlan, SwingKind, Verdict};
use pendulum_plan::{
    BacklogItem, Capacity, SkillLevel, StretchAssignment, StretchBand, StretchLimits, StretchPlan,
    StretchProblem,
};
use serde::{Deserialize, Serialize};

use crate::context::Context;
use crate::output;

/// What `plan assignments --json` writes and `plan check` reads.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct PlanDocument {
    /// Always `stretch-assignment`: room for the rotation plan beside it.
    plan: String,
    band: Band,
    capacity: Capacities,
    skills: Vec<Skill>,
    backlog: Vec<Item>,
    assignments: Vec<Assigned>,
    unassigned: Vec<String>,
    total_growth: i64,
}

const STRETCH_PLAN: &str = "stretch-assignment";

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Band {
    lowest_gap: f64,
    highest_gap: f64,
    target_gap: f64,
    spread: f64,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Capacities {
    /// Everyone's capacity unless `people` says otherwise; `null` when every person has one.
    default: Option<u32>,
    people: BTreeMap<String, u32>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Skill {
    person: String,
    skill: String,
    level: f64,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Item {
    item: String,
    skill: String,
    difficulty: f64,
    size: u32,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Assigned {
    person: String,
    item: String,
    skill: String,
    level: f64,
    difficulty: f64,
    gap: f64,
    growth: i64,
}

pub fn assignments(
    policy: &Policy,
    skills_path: &Path,
    backlog_path: &Path,
    capacity: Option<u32>,
    json: bool,
) -> Result<()> {
    let skills_text = read(skills_path)?;
    let backlog_text = read(backlog_path)?;
    let skills_name = skills_path.display().to_string();
    let input = StretchInput {
        skills: pendulum_plan::csv::read_skills(&skills_name, &skills_text)?,
        backlog: pendulum_plan::csv::read_backlog(
            &backlog_path.display().to_string(),
            &backlog_text,
        )?,
        capacity,
    };
    // The command line plans files of any size: the limits protect a server.
    let Stretch { band, plan } = pendulum_app::plans::assign(policy, &input, &StretchLimits::NONE)
        .map_err(|e| match e {
            PlanError::NoCapacity(_) => {
                anyhow!("{skills_name}: {e}: give one in a capacity column or pass --capacity")
            }
            other => other.into(),
        })?;
    let StretchInput {
        skills, backlog, ..
    } = input;
    if json {
        let document = PlanDocument {
            plan: STRETCH_PLAN.into(),
            band: Band {
                lowest_gap: band.lowest(),
                highest_gap: band.highest(),
                target_gap: band.target(),
                spread: band.spread(),
            },
            capacity: Capacities {
                default: capacity,
                people: skills
                    .capacities
                    .iter()
                    .map(|(p, c)| (p.to_string(), *c))
                    .collect(),
            },
            skills: skills
                .levels
                .iter()
                .map(|l| Skill {
                    person: l.person.to_string(),
                    skill: l.skill.clone(),
                    level: l.level,
                })
                .collect(),
            backlog: backlog
                .iter()
                .map(|b| Item {
                    item: b.item.clone(),
                    skill: b.skill.clone(),
                    difficulty: b.difficulty,
                    size: b.size,
                })
                .collect(),
            assignments: plan
                .assignments
                .iter()
                .map(|a| Assigned {
                    person: a.person.to_string(),
                    item: a.item.clone(),
                    skill: a.skill.clone(),
                    level: a.level,
                    difficulty: a.difficulty,
                    gap: a.gap,
                    growth: a.growth,
                })
                .collect(),
            unassigned: plan.unassigned.clone(),
            total_growth: plan.total_growth,
        };
        output::json(&serde_json::to_value(&document)?)?;
        return Ok(());
    }
    print_plan(&plan, &band)
}

/// The rotation plan asked for by `plan rotations`, and how long its solver may search.
pub struct RotationArgs {
    pub query: RotationQuery,
    pub time_limit: Duration,
}

impl RotationArgs {
    /// Checks the arguments; a plan without `from` starts the quarter after today.
    pub fn parse(
        quarters: usize,
        from: Option<Quarter>,
        pins: Vec<OrgPin>,
        excluded: Vec<PersonId>,
        time_limit: f64,
    ) -> Result<Self> {
        if !(time_limit.is_finite() && time_limit > 0.0 && time_limit <= 3600.0) {
            bail!("--time-limit: {time_limit} is not a number of seconds from above 0 to 3600");
        }
        Ok(Self {
            query: RotationQuery {
                from: from.unwrap_or_else(|| RotationQuery::first_quarter(crate::context::today())),
                quarters,
                pins,
                excluded,
            },
            time_limit: Duration::from_secs_f64(time_limit),
        })
    }
}

pub async fn rotations(
    ctx: &Context,
    args: &RotationArgs,
    json: bool,
    svg: Option<&Path>,
) -> Result<()> {
    let ledger = ctx.ledger().await?;
    let solved = pendulum_app::plans::rotations(
        &ctx.store,
        &Who::Operator,
        ledger,
        ctx.policy.clone(),
        &args.query,
        args.time_limit,
    )
    .await?;
    let (org, plan) = (solved.org, solved.plan);
    if let Some(path) = svg {
        std::fs::write(path, pendulum_plan::org::to_svg(&plan))
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    let feasible = plan.feasible;
    if json {
        let document = RotationDocument::new(&org, plan);
        output::json(&serde_json::to_value(&document)?)?;
    } else {
        print_rotation(&plan)?;
    }
    if !feasible {
        bail!(
            "no rotation plan found that keeps every constraint (the diagnosis above says what binds)"
        );
    }
    Ok(())
}

fn print_rotation(plan: &RotationPlan) -> Result<()> {
    let first = plan.horizon.first().map_or("", String::as_str);
    let last = plan.horizon.last().map_or("", String::as_str);
    let names: BTreeMap<&str, &str> = plan
        .people
        .iter()
        .map(|p| (p.id.as_str(), p.name.as_str()))
        .collect();
    let headline = match (plan.objective, plan.upper_bound) {
        (Some(objective), Some(bound)) => format!(
            "Rotation plan {first} to {last}: {} teams, {} people; total preference {objective} (no plan can exceed {bound})",
            plan.teams.len(),
            plan.people.len()
        ),
        _ => format!(
            "No rotation plan found for {first} to {last} that keeps every constraint ({} teams, {} people)",
            plan.teams.len(),
            plan.people.len()
        ),
    };
    output::line(output::heading(headline))?;
    if let Some(d) = &plan.diagnosis {
        output::line(format!("\n{}", d.summary))?;
        for f in &d.facts {
            output::line(format!("  - {f}"))?;
        }
        if !d.binding.is_empty() {
            output::line(output::heading(
                "Binding constraints (lifting any one alone lets a plan exist):",
            ))?;
            for b in &d.binding {
                output::line(format!("  - {b}"))?;
            }
        }
        if !d.unprobed.is_empty() {
            output::line(output::heading(
                "Not probed before the time limit (any of them may bind too):",
            ))?;
            for b in &d.unprobed {
                output::line(format!("  - {b}"))?;
            }
        }
        for u in &d.unstaffed {
            output::line(output::heading(format!(
                "{} ({}) has nobody who may manage it in {}:",
                u.team,
                u.department,
                u.quarters.join(", ")
            )))?;
            for c in &u.candidates {
                output::line(format!("  - {c}"))?;
            }
        }
        if !plan.teams.is_empty() && !plan.people.is_empty() {
            output::line("\nThe closest plan, with interim managers:")?;
        }
    }
    if !plan.people.is_empty() {
        let mut header = vec![
            "team".to_owned(),
            "department".to_owned(),
            "reports".to_owned(),
        ];
        header.extend(plan.horizon.iter().cloned());
        let mut t = output::table(header);
        for team in &plan.teams {
            let mut row = vec![
                team.name.clone(),
                team.department.clone(),
                team.headcount.to_string(),
            ];
            let mut previous: Option<&str> = None;
            for manager in &team.managers {
                let cell = match manager.as_deref() {
                    None => "(interim)".to_owned(),
                    Some(id) if Some(id) == previous => "〃".to_owned(),
                    Some(id) => names.get(id).copied().unwrap_or(id).to_owned(),
                };
                previous = manager.as_deref();
                row.push(cell);
            }
            t.add_row(row);
        }
        output::line(t.to_string())?;
    }
    let team_names: BTreeMap<&str, &str> = plan
        .teams
        .iter()
        .map(|t| (t.id.as_str(), t.name.as_str()))
        .collect();
    if plan.swings.is_empty() {
        output::line("\nNo swings: everyone keeps their side of the pendulum.")?;
    } else {
        output::line(output::heading(format!("\nSwings ({})", plan.swings.len())))?;
        let mut swings: Vec<_> = plan.swings.iter().collect();
        swings.sort_by(|a, b| a.quarter.cmp(&b.quarter).then(a.name.cmp(&b.name)));
        for s in swings {
            let teams: Vec<&str> = s
                .teams
                .iter()
                .map(|t| team_names.get(t.as_str()).copied().unwrap_or(t))
                .collect();
            let what = match s.kind {
                SwingKind::ToHandsOn => format!("{}, leaving {}", s.kind.words(), teams.join(", ")),
                _ => format!("{}: {}", s.kind.words(), teams.join(", ")),
            };
            output::line(format!("{}  {}  {what}", s.quarter, s.name))?;
            for why in &s.why {
                output::line(output::dim(format!("    - {why}")))?;
            }
        }
    }
    if !plan.left_out.is_empty() {
        output::line(output::heading(format!(
            "\nNot planned ({})",
            plan.left_out.len()
        )))?;
        for l in &plan.left_out {
            output::line(format!("  {}: {}", l.name, l.reason))?;
        }
    }
    Ok(())
}

pub fn check(path: &Path, json: bool) -> Result<()> {
    let text = read(path)?;
    let kind = serde_json::from_str::<serde_json::Value>(&text)
        .ok()
        .and_then(|v| v.get("plan").and_then(|p| p.as_str()).map(str::to_owned));
    if kind.as_deref() == Some(pendulum_plan::org::ROTATION_PLAN) {
        return check_rotation(path, &text, json);
    }
    let document: PlanDocument = serde_json::from_str(&text).map_err(|e| {
        anyhow!(
            "{}:{}:{}: not a plan document: {e}",
            path.display(),
            e.line(),
            e.column()
        )
    })?;
    let name = path.display();
    if document.plan != STRETCH_PLAN {
        bail!(
            "{name}: plan: {:?} is not a plan this version checks (expected {STRETCH_PLAN:?} or {:?})",
            document.plan,
            pendulum_plan::org::ROTATION_PLAN
        );
    }
    let person = |raw: &str, field: &str| {
        PersonId::parse(raw).map_err(|e| anyhow!("{name}: {field}: {raw:?}: {e}"))
    };
    let b = &document.band;
    let band = StretchBand::new(b.lowest_gap, b.highest_gap, b.target_gap, b.spread)
        .map_err(|e| anyhow!("{name}: band: {e}"))?;
    let mut overrides = BTreeMap::new();
    for (p, units) in &document.capacity.people {
        overrides.insert(person(p, "capacity.people")?, *units);
    }
    let capacities = capacities(document.capacity.default, &overrides);
    let skills = document
        .skills
        .iter()
        .map(|s| {
            Ok(SkillLevel {
                person: person(&s.person, "skills.person")?,
                skill: s.skill.clone(),
                level: s.level,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let backlog: Vec<BacklogItem> = document
        .backlog
        .iter()
        .map(|i| BacklogItem {
            item: i.item.clone(),
            skill: i.skill.clone(),
            difficulty: i.difficulty,
            size: i.size,
        })
        .collect();
    let problem = StretchProblem::build(&skills, &backlog, &capacities, &band)
        .with_context(|| format!("{name}: the problem it states is not valid"))?;
    let plan = StretchPlan {
        assignments: document
            .assignments
            .iter()
            .map(|a| {
                Ok(StretchAssignment {
                    person: person(&a.person, "assignments.person")?,
                    item: a.item.clone(),
                    skill: a.skill.clone(),
                    level: a.level,
                    difficulty: a.difficulty,
                    gap: a.gap,
                    growth: a.growth,
                })
            })
            .collect::<Result<Vec<_>>>()?,
        unassigned: document.unassigned.clone(),
        total_growth: document.total_growth,
    };
    let verdict = problem.check(&plan);
    if json {
        output::json(&match &verdict {
            Ok(total) => serde_json::json!({"valid": true, "total_growth": total, "problems": []}),
            Err(problems) => {
                serde_json::json!({"valid": false, "total_growth": null, "problems": problems})
            }
        })?;
    }
    match verdict {
        Ok(total) => {
            if !json {
                output::line(format!(
                    "{name}: valid: {} assignments, {} items unassigned, total growth {total}",
                    plan.assignments.len(),
                    plan.unassigned.len()
                ))?;
            }
            Ok(())
        }
        Err(problems) => {
            if !json {
                for p in &problems {
                    eprintln!("{name}: {p}");
                }
            }
            bail!("{name}: the plan breaks {} check(s)", problems.len())
        }
    }
}

fn check_rotation(path: &Path, text: &str, json: bool) -> Result<()> {
    let name = path.display();
    let document: RotationDocument = serde_json::from_str(text).map_err(|e| {
        anyhow!(
            "{name}:{}:{}: not a rotation plan document: {e}",
            e.line(),
            e.column()
        )
    })?;
    let verdict = document.check().map_err(|e| anyhow!("{name}: {e}"))?;
    match verdict {
        Verdict::Valid(score) => {
            if json {
                output::json(&serde_json::json!({
                    "valid": true,
                    "objective": score.objective,
                    "changes": score.changes,
                    "interims": score.interims,
                    "problems": [],
                }))?;
            } else {
                output::line(format!(
                    "{name}: valid: {} people over {} quarters, {} changes of manager, {} interim team-quarters, total preference {}",
                    document.problem.people.len(),
                    document.problem.horizon.len(),
                    score.changes,
                    score.interims,
                    score.objective
                ))?;
            }
            Ok(())
        }
        Verdict::NoPlan => {
            if json {
                output::json(&serde_json::json!({
                    "valid": false,
                    "objective": null,
                    "problems": ["the document states that no plan was found that keeps every constraint"],
                }))?;
            }
            bail!(
                "{name}: the document holds no plan to check: it states that no plan was found that keeps every constraint"
            )
        }
        Verdict::Broken(problems) => {
            if json {
                output::json(&serde_json::json!({
                    "valid": false,
                    "objective": null,
                    "problems": problems,
                }))?;
            } else {
                for p in &problems {
                    eprintln!("{name}: {p}");
                }
            }
            bail!("{name}: the plan breaks {} check(s)", problems.len())
        }
    }
}

fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))
}

fn capacities(default: Option<u32>, people: &BTreeMap<PersonId, u32>) -> Capacity {
    people
        .iter()
        .fold(Capacity::uniform(default.unwrap_or(0)), |c, (p, units)| {
            c.with(p.clone(), *units)
        })
}

fn print_plan(plan: &StretchPlan, band: &StretchBand) -> Result<()> {
    output::line(output::heading(format!(
        "{} assignments, total growth {} (stretch band {:+} to {:+}, best at {:+})",
        plan.assignments.len(),
        plan.total_growth,
        band.lowest(),
        band.highest(),
        band.target()
    )))?;
    let mut t = output::table([
        "person",
        "item",
        "skill",
        "level",
        "difficulty",
        "gap",
        "growth",
    ]);
    for a in &plan.assignments {
        t.add_row([
            a.person.to_string(),
            a.item.clone(),
            a.skill.clone(),
            format!("{:.1}", a.level),
            format!("{:.1}", a.difficulty),
            format!("{:+.1}", a.gap),
            a.growth.to_string(),
        ]);
    }
    output::line(t.to_string())?;
    if !plan.unassigned.is_empty() {
        output::line(format!(
            "Unassigned ({}): {}",
            plan.unassigned.len(),
            plan.unassigned.join(", ")
        ))?;
    }
    Ok(())
}
