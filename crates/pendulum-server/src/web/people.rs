//! The people list, with filters by role, team, rule and severity, and sorting. People who
//! left are out of it unless asked for (`?all=1`), and then marked with the day they left.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use pendulum_core::{Nudge, PersonId, Role, RuleId, Severity, View};
use serde::Deserialize;

use super::{Nav, PageError, Signed, render};
use crate::{AppError, AppState};

#[derive(Deserialize)]
pub(super) struct PeopleQuery {
    role: Option<String>,
    team: Option<String>,
    rule: Option<String>,
    severity: Option<String>,
    sort: Option<String>,
    as_of: Option<String>,
    /// `1` lists the people who left too.
    all: Option<String>,
}

pub(super) struct PersonRow {
    id: String,
    name: String,
    role: String,
    level: String,
    team: String,
    since: String,
    nudges: usize,
    worst: Option<&'static str>,
    /// The day they left, for someone who did.
    left_on: Option<String>,
}

#[derive(Template)]
#[template(path = "people.html")]
pub(super) struct PeoplePage {
    nav: Option<Nav>,
    roles: Vec<(String, bool)>,
    teams: Vec<(String, bool)>,
    rules: Vec<(String, bool)>,
    severities: Vec<(String, bool)>,
    sorts: Vec<(String, bool)>,
    rows: Vec<PersonRow>,
    /// The list includes the people who left.
    all: bool,
}

pub(super) fn options(
    all: impl IntoIterator<Item = String>,
    chosen: Option<&str>,
) -> Vec<(String, bool)> {
    all.into_iter()
        .map(|o| {
            let selected = chosen == Some(o.as_str());
            (o, selected)
        })
        .collect()
}

pub(super) async fn people(
    State(state): State<AppState>,
    signed: Signed,
    Query(q): Query<PeopleQuery>,
) -> Result<Response, PageError> {
    let as_of = crate::api::day(q.as_of.as_deref())?;
    let nonempty = |o: &Option<String>| o.as_deref().filter(|s| !s.is_empty()).map(str::to_owned);
    let (role, team, rule, severity) = (
        nonempty(&q.role),
        nonempty(&q.team),
        nonempty(&q.rule),
        nonempty(&q.severity),
    );
    let role_filter = role
        .as_deref()
        .map(str::parse::<Role>)
        .transpose()
        .map_err(|e| AppError::BadRequest(e.to_string()))?;
    let rule_filter = rule
        .as_deref()
        .map(|r| {
            RuleId::parse(r).ok_or_else(|| AppError::BadRequest(format!("{r:?} is not a rule")))
        })
        .transpose()?;
    let severity_filter = severity
        .as_deref()
        .map(|s| {
            Severity::ALL
                .into_iter()
                .find(|x| x.as_str() == s)
                .ok_or_else(|| AppError::BadRequest(format!("{s:?} is not a severity")))
        })
        .transpose()?;
    let all = q.all.as_deref() == Some("1");
    let snapshot = state.snapshot().await?;
    let ledger = &snapshot.ledger;
    let nudges: Vec<Nudge> = pendulum_core::rules::evaluate(ledger, &snapshot.policy, as_of);
    let mut by_person: HashMap<&PersonId, Vec<&Nudge>> = HashMap::new();
    for n in &nudges {
        by_person.entry(&n.person).or_default().push(n);
    }
    let mut rows = Vec::new();
    let mut visible_teams = std::collections::HashSet::new();
    for i in 0..ledger.people().len() {
        let p = ledger.person_at(i);
        if signed.account.view_of(ledger, &p.id) == View::Hidden {
            continue;
        }
        if let Some(on) = crate::api::left_by(p, as_of) {
            // Someone who left holds no role or team: only the filters they cannot fail
            // keep them.
            if all && role.is_none() && team.is_none() && rule.is_none() && severity.is_none() {
                rows.push(PersonRow {
                    id: p.id.to_string(),
                    name: p.name.clone(),
                    role: "–".into(),
                    level: p.level.to_string(),
                    team: "–".into(),
                    since: on.to_string(),
                    nudges: 0,
                    worst: None,
                    left_on: Some(on.to_string()),
                });
            }
            continue;
        }
        let Some(current) = ledger.stints_of(i).iter().rev().find(|s| s.covers(as_of)) else {
            continue;
        };
        if let Some(t) = &current.team {
            visible_teams.insert(t.as_str());
        }
        let theirs = by_person.get(&p.id).map_or(&[][..], Vec::as_slice);
        let keep = role_filter.is_none_or(|r| current.role == r)
            && team
                .as_deref()
                .is_none_or(|t| current.team.as_ref().is_some_and(|x| x.as_str() == t))
            && rule_filter.is_none_or(|r| theirs.iter().any(|n| n.rule == r))
            && severity_filter.is_none_or(|s| theirs.iter().any(|n| n.severity >= s));
        if !keep {
            continue;
        }
        rows.push(PersonRow {
            id: p.id.to_string(),
            name: p.name.clone(),
            role: current.role.to_string(),
            level: current.level.to_string(),
            team: current
                .team
                .as_ref()
                .map_or("–".into(), ToString::to_string),
            since: current.start.to_string(),
            nudges: theirs.len(),
            worst: theirs
                .iter()
                .map(|n| n.severity)
                .max()
                .map(Severity::as_str),
            left_on: None,
        });
    }
    let sort = q.sort.as_deref().unwrap_or("name");
    match sort {
        "nudges" => rows.sort_by(|a, b| b.nudges.cmp(&a.nudges).then(a.name.cmp(&b.name))),
        "since" => rows.sort_by(|a, b| a.since.cmp(&b.since)),
        "role" => rows.sort_by(|a, b| a.role.cmp(&b.role).then(a.name.cmp(&b.name))),
        _ => rows.sort_by(|a, b| a.name.cmp(&b.name)),
    }
    let page = PeoplePage {
        nav: Some(signed.nav()),
        roles: options(
            Role::ALL.iter().map(|r| r.as_str().to_owned()),
            role.as_deref(),
        ),
        // Only the teams of people the account may see: the org's shape is not theirs.
        teams: options(
            ledger
                .teams()
                .iter()
                .filter(|t| {
                    signed.account.may_administer() || visible_teams.contains(t.id.as_str())
                })
                .map(|t| t.id.to_string()),
            team.as_deref(),
        ),
        rules: options(
            RuleId::ALL.iter().map(|r| r.as_str().to_owned()),
            rule.as_deref(),
        ),
        severities: options(
            Severity::ALL.iter().map(|s| s.as_str().to_owned()),
            severity.as_deref(),
        ),
        sorts: options(
            ["name", "role", "since", "nudges"].map(String::from),
            Some(sort),
        ),
        rows,
        all,
    };
    Ok(render(&page)?.into_response())
}
