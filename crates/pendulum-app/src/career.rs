//! The writes of a career, once for the command line, the API and the pages: a swing, a
//! check-in, an answer about managing and a new person here; what follows a career past its
//! first stint (leaving, coming back, corrections, erasing, the history) in
//! [`corrections`](self::corrections).
//!
//! Each use case takes the ledger it writes on: the caller reads it, and a caller that
//! writes from several tasks (the server) holds its own lock from the read to the write.
//! Whatever changed in the store since the read (another process, another server on the
//! same PostgreSQL database) is the store's [`WriteError::Conflict`], never a lost update:
//! a swing ends the stint it read as open, and the store refuses to end one that is not.
//! The change and its audit line go to the store in one transaction.

mod corrections;

use chrono::NaiveDate;
use pendulum_core::{
    Band, Change, CheckIn, Email, Ledger, Level, Note, Origin, Person, PersonId, Role, Score,
    Stint, SwingRequest, Team, TeamId, WillingAnswer, Willingness,
};
use pendulum_store::Store;

use crate::acting::{Action, Who, WriteError, audit_line, authorize_admin, check};

pub use corrections::{
    delete_checkin, delete_stint, edit_person, edit_stint, erase, history, leave, return_to_work,
};

/// A swing of the person a write names: to another role from a day on. A swing keeps the
/// team, level and band unless one is given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Swing {
    pub to: Role,
    pub on: NaiveDate,
    pub team: Option<TeamId>,
    pub level: Option<Level>,
    pub band: Option<Band>,
    /// Makes the new stint a time-boxed trial ending on this day.
    pub trial_until: Option<NaiveDate>,
    /// Whether the person chose the swing.
    pub chosen: bool,
}

/// What a swing did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Swung {
    /// The stint it opened.
    pub stint: Stint,
    /// Whether the level moved with it, which a swing never does on its own.
    pub level_changed: bool,
}

/// Records a swing: an admin's, a manager's above the person, or the operator's.
pub async fn swing(
    store: &impl Store,
    ledger: &Ledger,
    who: &Who,
    person: &PersonId,
    swing: &Swing,
) -> Result<Swung, WriteError> {
    check(store, ledger, who, Action::Swing, person).await?;
    let change = ledger.swing(&SwingRequest {
        person: person.clone(),
        to: swing.to,
        on: swing.on,
        team: swing.team.clone(),
        level: swing.level.clone(),
        band: swing.band,
        chosen: swing.chosen,
        trial_until: swing.trial_until,
    })?;
    let level_changed = change
        .people_updates
        .iter()
        .any(|p| ledger.person(&p.id).is_some_and(|old| old.level != p.level));
    write(store, who, Action::Swing, Some(person), &change).await?;
    // `Ledger::swing` opens exactly one stint.
    let stint = change.stints[0].clone();
    Ok(Swung {
        stint,
        level_changed,
    })
}

/// A check-in of the person a write names: how the work feels on a day, 1 to 5.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCheckIn {
    pub date: NaiveDate,
    pub joy: Score,
    pub energy: Score,
    pub learning: Score,
    /// Private to its author.
    pub note: Option<Note>,
}

/// Records a check-in; only the person it is about may (or the operator). A check-in of the
/// same day, as the ledger says, is replaced, so a form sent twice leaves one.
pub async fn check_in(
    store: &impl Store,
    ledger: &Ledger,
    who: &Who,
    person: &PersonId,
    entry: NewCheckIn,
) -> Result<CheckIn, WriteError> {
    check(store, ledger, who, Action::CheckIn, person).await?;
    let checkin = CheckIn {
        person: person.clone(),
        date: entry.date,
        joy: entry.joy,
        energy: entry.energy,
        learning: entry.learning,
        note: entry.note,
    };
    let change = ledger.check_in(checkin.clone());
    checked_write(store, ledger, who, Action::CheckIn, Some(person), &change).await?;
    Ok(checkin)
}

/// What recording an answer about managing did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Answered {
    /// Whether it replaced an answer given on the same day.
    pub replaced: bool,
}

/// Records a person's answer to "would you like to manage?" given on `on`: theirs, an
/// admin's record of what they said, or the operator's; never a manager's. An answer older
/// than the latest joins the history and leaves the current one.
pub async fn record_answer(
    store: &impl Store,
    ledger: &Ledger,
    who: &Who,
    person: &PersonId,
    answer: Willingness,
    on: NaiveDate,
) -> Result<Answered, WriteError> {
    check(store, ledger, who, Action::Answer, person).await?;
    let change = ledger.set_willing(person, answer, on)?;
    checked_write(store, ledger, who, Action::Answer, Some(person), &change).await?;
    Ok(Answered {
        replaced: !change.answers_replaced.is_empty(),
    })
}

/// A person new to the ledger, with their first stint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPerson {
    pub id: PersonId,
    pub name: String,
    pub email: Email,
    pub aliases: Vec<Email>,
    pub level: Level,
    pub role: Role,
    /// The first day of their first stint.
    pub since: NaiveDate,
    /// Their team; one the ledger does not know yet is created with them.
    pub team: Option<TeamId>,
    pub manager: Option<PersonId>,
    pub willing: Willingness,
    /// The day they gave that answer, which starts their history of answers.
    pub willing_since: Option<NaiveDate>,
}

/// Adds a person; for the operator or an admin.
pub async fn add_person(
    store: &impl Store,
    ledger: &Ledger,
    who: &Who,
    new: &NewPerson,
) -> Result<(), WriteError> {
    authorize_admin(store, who, Action::AddPerson).await?;
    let mut change = Change::default();
    if let Some(t) = &new.team
        && ledger.team(t).is_none()
    {
        change.teams.push(Team {
            id: t.clone(),
            name: t.to_string(),
            parent: None,
        });
    }
    change.people.push(Person {
        id: new.id.clone(),
        name: new.name.clone(),
        email: new.email.clone(),
        aliases: new.aliases.clone(),
        level: new.level.clone(),
        team: new.team.clone(),
        manager: new.manager.clone(),
        willing_to_manage: new.willing,
        willing_since: new.willing_since,
        departure: None,
    });
    // A dated answer starts the person's history of answers, as an import's does.
    change
        .answers
        .extend(new.willing_since.map(|date| WillingAnswer {
            person: new.id.clone(),
            date,
            answer: new.willing,
        }));
    change.stints.push(Stint {
        person: new.id.clone(),
        role: new.role,
        team: new.team.clone(),
        level: new.level.clone(),
        band: None,
        start: new.since,
        end: None,
        chosen: true,
        trial_end: None,
        org: None,
    });
    checked_write(
        store,
        ledger,
        who,
        Action::AddPerson,
        Some(&new.id),
        &change,
    )
    .await
}

/// Checks a change that the core made without checking it against the whole ledger, then
/// writes it as [`write`] does.
async fn checked_write(
    store: &impl Store,
    ledger: &Ledger,
    who: &Who,
    action: Action,
    person: Option<&PersonId>,
    change: &Change,
) -> Result<(), WriteError> {
    ledger
        .apply(change, &Origin::new(action.audit_name(who), 0))
        .map_err(WriteError::Refused)?;
    write(store, who, action, person, change).await
}

/// Writes a checked change with its corrections, as made by `who`, and its audit line, in
/// one transaction: the history never holds a change the log does not, nor the reverse.
async fn write(
    store: &impl Store,
    who: &Who,
    action: Action,
    person: Option<&PersonId>,
    change: &Change,
) -> Result<(), WriteError> {
    let audit = audit_line(who, action, person.map(PersonId::as_str), "ok");
    store.apply_audited(change, &audit).await?;
    Ok(())
}
