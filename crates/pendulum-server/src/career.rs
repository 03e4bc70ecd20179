//! The writes that follow a career past its first stint (leaving, coming back, correcting
//! a person or a stint, deleting a check-in, erasing a person), once for the API and the
//! pages: who may make each, how raw fields become the core's requests, and the write
//! itself, which goes to the store with its corrections and its audit line in one
//! transaction.
//!
//! Fields arrive as text, from JSON or from a form alike, and every field that cannot be
//! taken is named, not just the first.

use chrono::NaiveDate;
use pendulum_core::{
    Account, Band, Change, Email, Leave, LeaveRequest, Ledger, Level, PersonEdit, PersonId,
    ReturnRequest, Role, StintEdit, StintKey, TeamId,
};

use crate::api::{parse_date, write_target};
use crate::error::FieldProblem;
use crate::state::Snapshot;
use crate::{AppError, AppState};

/// What the audit log calls each write.
pub(crate) const LEAVE: &str = "record leave";
pub(crate) const RETURN: &str = "record return";
pub(crate) const EDIT_PERSON: &str = "correct person";
pub(crate) const EDIT_STINT: &str = "correct stint";
pub(crate) const DELETE_STINT: &str = "delete stint";
pub(crate) const DELETE_CHECKIN: &str = "delete check-in";
pub(crate) const READ_HISTORY: &str = "read history";
pub(crate) const ERASE: &str = "erase person";

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

/// The person `raw` names, once the account may make `action` on them: anyone it may
/// not see is "not found" (see [`write_target`]); anyone it sees but may not change is
/// "forbidden", with `why`; both refusals are audited.
pub(crate) async fn person_target(
    state: &AppState,
    snapshot: &Snapshot,
    account: &Account,
    raw: &str,
    action: &'static str,
    allowed: fn(&Account, &Ledger, &PersonId) -> bool,
    why: &str,
) -> Result<PersonId, AppError> {
    let id = write_target(state, snapshot, account, raw, action).await?;
    if !allowed(account, &snapshot.ledger, &id) {
        return Err(state.deny(account, action, Some(id.as_str()), why).await);
    }
    Ok(id)
}

/// Why a check-in delete is refused.
pub(crate) const CHECKIN_DELETE_REFUSED: &str =
    "a check-in is deleted by the person who recorded it, or by an admin";

/// Leaving, coming back and a person's record are an admin's.
pub(crate) const ADMIN_ONLY: &str =
    "only an admin can change a person's record, their leaving or their return";

/// The person and stint (by its start, as a path gives it) that the account may correct or
/// delete: a person it may not see is "not found", a stint it may not change (its own, one
/// brought from another org, anyone's outside its line) is "forbidden", saying why.
pub(crate) async fn stint_target(
    state: &AppState,
    snapshot: &Snapshot,
    account: &Account,
    raw_person: &str,
    raw_start: &str,
    action: &'static str,
) -> Result<(PersonId, NaiveDate), AppError> {
    let id = write_target(state, snapshot, account, raw_person, action).await?;
    let ledger = &snapshot.ledger;
    if let Err(refusal) = account.may_correct_stints_of(ledger, &id) {
        return Err(state
            .deny(account, action, Some(id.as_str()), &refusal.to_string())
            .await);
    }
    let start = parse_date(raw_start, "start")?;
    let stint = ledger.stint(&id, StintKey::Start(start))?;
    if let Err(refusal) = account.may_correct_stint(ledger, stint) {
        return Err(state
            .deny(account, action, Some(id.as_str()), &refusal.to_string())
            .await);
    }
    Ok((id, start))
}

/// Records a departure.
pub(crate) async fn leave(
    state: &AppState,
    account: &Account,
    request: &LeaveRequest,
) -> Result<Leave, AppError> {
    state
        .write_audited(account, LEAVE, &request.person, |ledger| {
            let leave = ledger.leave(request)?;
            Ok((leave.change.clone(), leave))
        })
        .await
}

/// Records a return; gives the change, whose one stint is the new one.
pub(crate) async fn return_to_work(
    state: &AppState,
    account: &Account,
    request: &ReturnRequest,
) -> Result<Change, AppError> {
    state
        .write_audited(account, RETURN, &request.person, |ledger| {
            let change = ledger.return_to_work(request)?;
            Ok((change.clone(), change))
        })
        .await
}

/// Corrects a person's record.
pub(crate) async fn edit_person(
    state: &AppState,
    account: &Account,
    person: &PersonId,
    edit: &PersonEdit,
) -> Result<(), AppError> {
    state
        .write_audited(account, EDIT_PERSON, person, |ledger| {
            Ok((ledger.edit_person(person, edit)?, ()))
        })
        .await
}

/// Corrects a stint; gives the change, whose one stint is the stint as corrected. Whether
/// the account may is asked again of the ledger current under the write lock.
pub(crate) async fn edit_stint(
    state: &AppState,
    account: &Account,
    person: &PersonId,
    start: NaiveDate,
    edit: &StintEdit,
) -> Result<Change, AppError> {
    state
        .write_audited(account, EDIT_STINT, person, |ledger| {
            may_still_correct(account, ledger, person, start)?;
            let change = ledger.edit_stint(person, StintKey::Start(start), edit)?;
            Ok((change.clone(), change))
        })
        .await
}

/// Deletes a stint, if the account still may under the write lock.
pub(crate) async fn delete_stint(
    state: &AppState,
    account: &Account,
    person: &PersonId,
    start: NaiveDate,
) -> Result<(), AppError> {
    state
        .write_audited(account, DELETE_STINT, person, |ledger| {
            may_still_correct(account, ledger, person, start)?;
            Ok((ledger.delete_stint(person, StintKey::Start(start))?, ()))
        })
        .await
}

fn may_still_correct(
    account: &Account,
    ledger: &Ledger,
    person: &PersonId,
    start: NaiveDate,
) -> Result<(), AppError> {
    let stint = ledger.stint(person, StintKey::Start(start))?;
    account
        .may_correct_stint(ledger, stint)
        .map_err(|refusal| AppError::Forbidden(refusal.to_string()))
}

/// Deletes a person's check-in of a day.
pub(crate) async fn delete_checkin(
    state: &AppState,
    account: &Account,
    person: &PersonId,
    date: NaiveDate,
) -> Result<(), AppError> {
    state
        .write_audited(account, DELETE_CHECKIN, person, |ledger| {
            Ok((ledger.delete_checkin(person, date)?, ()))
        })
        .await
}
