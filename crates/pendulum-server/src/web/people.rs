//! The people list, with filters by role, team, rule and severity, and sorting. People who
//! left are out of it unless asked for (`?all=1`), and then marked with the day they left.
//! Who is on it and with which nudges is `pendulum_app::reading::people::board`'s to say.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use pendulum_app::acting::Who;
use pendulum_app::reading::people::{self as reading, BoardQuery, BoardRow, Listing, Standing};
use pendulum_core::{Role, RuleId, Severity};
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

impl PersonRow {
    fn new(row: &BoardRow) -> Self {
        let p = row.person;
        match row.standing {
            Standing::Left(on) => PersonRow {
                id: p.id.to_string(),
                name: p.name.clone(),
                role: "–".into(),
                level: p.level.to_string(),
                team: "–".into(),
                since: on.to_string(),
                nudges: 0,
                worst: None,
                left_on: Some(on.to_string()),
            },
            Standing::Holding(current) => PersonRow {
                id: p.id.to_string(),
                name: p.name.clone(),
                role: current.role.to_string(),
                level: current.level.to_string(),
                team: current
                    .team
                    .as_ref()
                    .map_or("–".into(), ToString::to_string),
                since: current.start.to_string(),
                nudges: row.nudges,
                worst: row.worst.map(Severity::as_str),
                left_on: None,
            },
        }
    }
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
    let query = BoardQuery {
        listing: if all {
            Listing::Everyone
        } else {
            Listing::Holding
        },
        role: role_filter,
        team: team.as_deref(),
        rule: rule_filter,
        severity: severity_filter,
    };
    let who = Who::Account(signed.account.clone());
    let board = reading::board(&who, &snapshot.ledger, &snapshot.policy, as_of, &query);
    let mut rows: Vec<PersonRow> = board.rows.iter().map(PersonRow::new).collect();
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
        teams: options(board.teams.iter().map(ToString::to_string), team.as_deref()),
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
