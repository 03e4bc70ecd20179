//! What follows a career past its first stint: leaving, coming back, corrections of a
//! person and of their stints, deleting a check-in, erasing a person, and reading the
//! history those corrections leave.
//!
//! The core makes each change already checked against the whole ledger, with the
//! `Correction`s that the store keeps as the person's history (who, which field, before,
//! after); the change, its history and its audit line are one transaction.

use chrono::NaiveDate;
use pendulum_core::{
    Change, Leave, LeaveRequest, Ledger, PersonEdit, PersonId, ReturnRequest, StintEdit, StintKey,
};
use pendulum_store::{Erased, HistoryEntry, Store};

use super::write;
use crate::acting::{Action, Who, WriteError, audit_line, audit_refusal, authorize_stint, check};

/// Records that a person left: their open stint ends, they report to no one and belong to
/// no team, and their reports move to `reports_to` or are left without a manager. An
/// admin's, or the operator's.
pub async fn leave(
    store: &impl Store,
    ledger: &Ledger,
    who: &Who,
    request: &LeaveRequest,
) -> Result<Leave, WriteError> {
    check(store, ledger, who, Action::Leave, &request.person).await?;
    let leave = ledger.leave(request)?;
    write(
        store,
        who,
        Action::Leave,
        Some(&request.person),
        &leave.change,
    )
    .await?;
    Ok(leave)
}

/// Records that a person who left came back, in a new stint: the change's one stint. An
/// admin's, or the operator's.
pub async fn return_to_work(
    store: &impl Store,
    ledger: &Ledger,
    who: &Who,
    request: &ReturnRequest,
) -> Result<Change, WriteError> {
    check(store, ledger, who, Action::Return, &request.person).await?;
    let change = ledger.return_to_work(request)?;
    write(store, who, Action::Return, Some(&request.person), &change).await?;
    Ok(change)
}

/// Corrects a person's record (name, addresses, manager, team). An admin's, or the
/// operator's.
pub async fn edit_person(
    store: &impl Store,
    ledger: &Ledger,
    who: &Who,
    person: &PersonId,
    edit: &PersonEdit,
) -> Result<Change, WriteError> {
    check(store, ledger, who, Action::EditPerson, person).await?;
    let change = ledger.edit_person(person, edit)?;
    write(store, who, Action::EditPerson, Some(person), &change).await?;
    Ok(change)
}

/// Corrects one stint; the change's one stint is the stint as corrected. An admin's, a
/// manager's above the person, or the operator's; never the person's own, and never a
/// stint brought from another org.
pub async fn edit_stint(
    store: &impl Store,
    ledger: &Ledger,
    who: &Who,
    person: &PersonId,
    key: StintKey,
    edit: &StintEdit,
) -> Result<Change, WriteError> {
    check(store, ledger, who, Action::EditStint, person).await?;
    authorize_stint(store, ledger, who, Action::EditStint, person, key).await?;
    let change = ledger.edit_stint(person, key, edit)?;
    write(store, who, Action::EditStint, Some(person), &change).await?;
    Ok(change)
}

/// Deletes one stint, as [`edit_stint`] may correct it.
pub async fn delete_stint(
    store: &impl Store,
    ledger: &Ledger,
    who: &Who,
    person: &PersonId,
    key: StintKey,
) -> Result<Change, WriteError> {
    check(store, ledger, who, Action::DeleteStint, person).await?;
    authorize_stint(store, ledger, who, Action::DeleteStint, person, key).await?;
    let change = ledger.delete_stint(person, key)?;
    write(store, who, Action::DeleteStint, Some(person), &change).await?;
    Ok(change)
}

/// Deletes a person's check-in of a day; its author's, an admin's or the operator's. The
/// history keeps only that it was deleted, never its scores or note.
pub async fn delete_checkin(
    store: &impl Store,
    ledger: &Ledger,
    who: &Who,
    person: &PersonId,
    date: NaiveDate,
) -> Result<Change, WriteError> {
    check(store, ledger, who, Action::DeleteCheckIn, person).await?;
    let change = ledger.delete_checkin(person, date)?;
    write(store, who, Action::DeleteCheckIn, Some(person), &change).await?;
    Ok(change)
}

/// Erases a person and everything that is theirs, for good; an admin's or the operator's.
/// Refused while someone reports to them. The audit line names nobody, since it outlives
/// them; `None` when the store no longer holds the person.
pub async fn erase(
    store: &impl Store,
    ledger: &Ledger,
    who: &Who,
    person: &PersonId,
) -> Result<Option<Erased>, WriteError> {
    check(store, ledger, who, Action::Erase, person).await?;
    let reports = ledger.erase_blockers(person)?;
    if !reports.is_empty() {
        audit_refusal(store, who, Action::Erase, Some(person.as_str()), "failed").await;
        return Err(WriteError::StillManages {
            person: person.clone(),
            reports,
        });
    }
    let audit = audit_line(who, Action::Erase, None, "ok");
    Ok(store.erase(person, &audit).await?)
}

/// The corrections of a person, oldest first, with who made each: for admins, whose reading
/// is audited, and the operator.
pub async fn history(
    store: &impl Store,
    ledger: &Ledger,
    who: &Who,
    person: &PersonId,
) -> Result<Vec<HistoryEntry>, WriteError> {
    check(store, ledger, who, Action::ReadHistory, person).await?;
    let entries = store.history(person).await?;
    if let Who::Account(_) = who {
        let line = audit_line(who, Action::ReadHistory, Some(person.as_str()), "ok");
        // The history was read whether or not the log took the line.
        let _ = store.audit(&line).await;
    }
    Ok(entries)
}
