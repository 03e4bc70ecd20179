//! The requests that follow a career past its first stint (leaving, coming back, correcting
//! a person or a stint), parsed once for the API and the pages into the core's requests,
//! which `pendulum_app::career` authorizes and writes.
//!
//! Fields arrive as text, from JSON or from a form alike, and every field that cannot be
//! taken is named, not just the first.

use chrono::NaiveDate;
use pendulum_app::acting::{Action, Who, authorize_stint};
use pendulum_core::{
    Account, Band, Email, LeaveRequest, Level, PersonEdit, PersonId, ReturnRequest, Role,
    StintEdit, StintKey, TeamId,
};

use crate::api::{parse_date, write_target};
use crate::error::FieldProblem;
use crate::state::Snapshot;
use crate::{AppError, AppState};

/// The problems of a request's fields, gathered so that all are named at once.
#[derive(Debug, Default)]
pub(crate) struct Fields(Vec<FieldProblem>);

impl Fields {
    /// The value of a field that parsed; `None`, with its problem kept, for one that did not.
    pub(crate) fn take<T, E: std::fmt::Display>(
        &mut self,
        field: &str,
        parsed: Result<T, E>,
    ) -> Option<T> {
        parsed
            .map_err(|e| self.0.push(FieldProblem::new(field, e)))
            .ok()
    }

    /// Every problem gathered, as a refusal; `Ok` when every field parsed.
    pub(crate) fn finish(self) -> Result<(), AppError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(AppError::Invalid(self.0))
        }
    }
}

/// A required field that `Fields::take` gave no value for, once `Fields::finish` said every
/// field parsed: cannot happen, and is a fault of ours if it does.
fn parsed<T>(value: Option<T>) -> Result<T, AppError> {
    value.ok_or_else(|| AppError::Internal("a field passed its check without a value".into()))
}

fn date(raw: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d")
        .map_err(|_| format!("{raw:?} is not a date (expected YYYY-MM-DD)"))
}

/// Text that may be left empty, as a form leaves it: empty is none.
fn given(raw: Option<&str>) -> Option<&str> {
    raw.map(str::trim).filter(|r| !r.is_empty())
}

/// A departure as sent: the day, and optionally why and who takes over the reports.
#[derive(Debug, Default)]
pub(crate) struct LeaveFields<'a> {
    pub on: &'a str,
    pub reason: Option<&'a str>,
    pub reports_to: Option<&'a str>,
}

impl LeaveFields<'_> {
    pub(crate) fn parse(&self, person: &PersonId) -> Result<LeaveRequest, AppError> {
        let mut f = Fields::default();
        let on = f.take("on", date(self.on));
        let reports_to = f.take(
            "reports_to",
            given(self.reports_to).map(PersonId::parse).transpose(),
        );
        f.finish()?;
        Ok(LeaveRequest {
            person: person.clone(),
            on: parsed(on)?,
            reason: given(self.reason).map(str::to_owned),
            reports_to: reports_to.flatten(),
        })
    }
}

/// A return as sent: the day and the role, and optionally team, level, band and manager.
#[derive(Debug, Default)]
pub(crate) struct ReturnFields<'a> {
    pub on: &'a str,
    pub role: &'a str,
    pub team: Option<&'a str>,
    pub level: Option<&'a str>,
    pub band: Option<&'a str>,
    pub manager: Option<&'a str>,
}

impl ReturnFields<'_> {
    pub(crate) fn parse(
        &self,
        person: &PersonId,
        snapshot: &Snapshot,
    ) -> Result<ReturnRequest, AppError> {
        let mut f = Fields::default();
        let on = f.take("on", date(self.on));
        let role = f.take("role", self.role.trim().parse::<Role>());
        let team = f.take("team", given(self.team).map(TeamId::parse).transpose());
        let level = f.take("level", level(snapshot, given(self.level)));
        let band = f.take("band", given(self.band).map(Band::parse).transpose());
        let manager = f.take(
            "manager",
            given(self.manager).map(PersonId::parse).transpose(),
        );
        f.finish()?;
        Ok(ReturnRequest {
            person: person.clone(),
            on: parsed(on)?,
            role: parsed(role)?,
            team: team.flatten(),
            level: level.flatten(),
            band: band.flatten(),
            manager: manager.flatten(),
        })
    }
}

fn level(snapshot: &Snapshot, raw: Option<&str>) -> Result<Option<Level>, String> {
    raw.map(|l| snapshot.policy.ladder.level(l).map_err(|e| e.to_string()))
        .transpose()
}

/// A correction of a person's record as sent: each field given is set; for manager and
/// team, `Some(None)` (JSON `null`, or an empty form field) clears it.
#[derive(Debug, Default)]
pub(crate) struct PersonFields<'a> {
    pub name: Option<&'a str>,
    pub email: Option<&'a str>,
    pub aliases: Option<Vec<&'a str>>,
    pub manager: Option<Option<&'a str>>,
    pub team: Option<Option<&'a str>>,
}

impl PersonFields<'_> {
    pub(crate) fn parse(&self) -> Result<PersonEdit, AppError> {
        let mut f = Fields::default();
        let email = f.take("email", self.email.map(Email::parse).transpose());
        let aliases = f.take(
            "aliases",
            self.aliases
                .as_ref()
                .map(|a| {
                    a.iter()
                        .map(|e| Email::parse(e))
                        .collect::<Result<Vec<_>, _>>()
                })
                .transpose(),
        );
        let manager = f.take(
            "manager",
            self.manager
                .map(|m| given(m).map(PersonId::parse).transpose())
                .transpose(),
        );
        let team = f.take(
            "team",
            self.team
                .map(|t| given(t).map(TeamId::parse).transpose())
                .transpose(),
        );
        f.finish()?;
        Ok(PersonEdit {
            name: self.name.map(str::to_owned),
            email: email.flatten(),
            aliases: aliases.flatten(),
            manager: manager.flatten(),
            team: team.flatten(),
        })
    }
}

/// A correction of a stint as sent: each field given is set; for the fields that may be
/// empty, `Some(None)` (JSON `null`, or an empty form field) clears it.
#[derive(Debug, Default)]
pub(crate) struct StintFields<'a> {
    pub start: Option<&'a str>,
    pub end: Option<Option<&'a str>>,
    pub role: Option<&'a str>,
    pub team: Option<Option<&'a str>>,
    pub level: Option<&'a str>,
    pub band: Option<Option<String>>,
    pub chosen: Option<bool>,
    pub trial_end: Option<Option<&'a str>>,
}

impl StintFields<'_> {
    pub(crate) fn parse(&self, snapshot: &Snapshot) -> Result<StintEdit, AppError> {
        let mut f = Fields::default();
        let optional_date = |raw: Option<&str>| given(raw).map(date).transpose();
        let start = f.take("start", self.start.map(date).transpose());
        let end = f.take("end", self.end.map(optional_date).transpose());
        let role = f.take(
            "role",
            self.role.map(|r| r.trim().parse::<Role>()).transpose(),
        );
        let team = f.take(
            "team",
            self.team
                .map(|t| given(t).map(TeamId::parse).transpose())
                .transpose(),
        );
        let level = f.take("level", level(snapshot, self.level));
        let band = f.take(
            "band",
            self.band
                .as_ref()
                .map(|b| given(b.as_deref()).map(Band::parse).transpose())
                .transpose(),
        );
        let trial_end = f.take("trial_end", self.trial_end.map(optional_date).transpose());
        f.finish()?;
        Ok(StintEdit {
            start: start.flatten(),
            end: end.flatten(),
            role: role.flatten(),
            team: team.flatten(),
            level: level.flatten(),
            band: band.flatten(),
            chosen: self.chosen,
            trial_end: trial_end.flatten(),
        })
    }
}

/// The person and the stint (by its start, as a path gives it) that the account may correct
/// or delete: a person it may not see is "not found", a stint it may not change (its own,
/// one brought from another org, anyone's outside its line) is "forbidden", saying why;
/// both refusals are audited. The use case asks again under the write lock.
pub(crate) async fn stint_target(
    state: &AppState,
    snapshot: &Snapshot,
    account: &Account,
    raw_person: &str,
    raw_start: &str,
    action: Action,
) -> Result<(PersonId, NaiveDate), AppError> {
    let id = write_target(state, snapshot, account, raw_person, action).await?;
    let start = parse_date(raw_start, "start")?;
    let who = Who::Account(account.clone());
    let key = StintKey::Start(start);
    authorize_stint(state.store(), &snapshot.ledger, &who, action, &id, key).await?;
    Ok((id, start))
}
