//! Importing and exporting through the exchange contract (`pendulum-exchange`), once for
//! the command line and the API: a whole org's files in, a person's own ledger in, and both
//! out. Bytes come in as [`InputFile`]s and documents go out as text; reading files and
//! writing them is the caller's.
//!
//! Check-in notes are their authors' alone: the operator's export is a backup of the
//! database they hold and keeps them, an account's never does, and a person's own ledger
//! carries them only to that person, and only when they ask.

use pendulum_core::{Change, Email, Ledger, PersonId, Policy};
use pendulum_exchange::{InputFile, Notes, Recipient, Reflection};
use pendulum_store::{Store, StoreError};

use crate::acting::{Action, Who, WriteError, audit_line, audit_refusal, authorize_admin, check};

/// Whether an import is written, or only checked and counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Run {
    Write,
    DryRun,
}

/// What an import of a whole org brought (or, in a dry run, would bring).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Imported {
    pub people: usize,
    pub teams: usize,
    pub stints: usize,
    pub checkins: usize,
    pub answers: usize,
    /// Months of git and weeks of calendar evidence.
    pub evidence: usize,
    /// Whether the document carried a policy, stored with it.
    pub policy: bool,
}

/// Imports CSV files (each one's kind told by its header) or one export document into the
/// ledger, all or nothing; for the operator or an admin. Every problem of every file is
/// [`WriteError::Refused`], located. A document's policy with another ladder than the one in
/// force goes only into an empty ledger, since its levels and the stored ones would rank
/// differently.
pub async fn import(
    store: &impl Store,
    ledger: &Ledger,
    policy: &Policy,
    who: &Who,
    files: &[InputFile],
    run: Run,
) -> Result<Imported, WriteError> {
    authorize_admin(store, who, Action::Import).await?;
    let outcome = import_checked(store, ledger, policy, who, files, run).await;
    if outcome.is_err() {
        audit_refusal(store, who, Action::Import, None, "failed").await;
    }
    outcome
}

async fn import_checked(
    store: &impl Store,
    ledger: &Ledger,
    policy: &Policy,
    who: &Who,
    files: &[InputFile],
    run: Run,
) -> Result<Imported, WriteError> {
    let import =
        pendulum_exchange::parse_import(files, policy, ledger).map_err(WriteError::Refused)?;
    if import
        .policy
        .as_ref()
        .is_some_and(|p| p.ladder != policy.ladder)
        && !ledger.people().is_empty()
    {
        return Err(WriteError::OtherLadder);
    }
    let parts = &import.parts;
    let imported = Imported {
        people: parts.people.len(),
        teams: parts.teams.len(),
        stints: parts.stints.len(),
        checkins: parts.checkins.len(),
        answers: parts.answers.len(),
        evidence: parts.git.len() + parts.calendar.len(),
        policy: import.policy.is_some(),
    };
    if run == Run::DryRun {
        return Ok(imported);
    }
    let mut change = Change::inserting(parts);
    change.policy = import.policy;
    store
        .apply_audited(&change, &audit_line(who, Action::Import, None, "ok"))
        .await?;
    Ok(imported)
}

/// What importing a person's own ledger brought (or, in a dry run, would bring).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonalImported {
    pub person: PersonId,
    /// Whether the person was new here.
    pub created: bool,
    pub stints: usize,
    pub checkins: usize,
    pub answers: usize,
    pub evidence: usize,
    /// The reflections the document brings that are not stored yet.
    pub reflections: usize,
    /// Records stored already as the document has them.
    pub skipped: usize,
    /// Reflections not written because the person has no account to keep them with yet.
    pub reflections_left_out: usize,
}

/// Imports one person's own ledger (`pendulum-personal-ledger`), all of it or nothing, as
/// theirs (`as_person: None`) or as an existing person's; for the operator or an admin.
/// What is stored already as the document has it is skipped, so a second import changes
/// nothing. A reflection is kept with an account, which an import does not create: without
/// one the records are written and the reflections counted as left out, and an import
/// once the account exists brings them.
pub async fn import_personal(
    store: &impl Store,
    ledger: &Ledger,
    policy: &Policy,
    who: &Who,
    file: &InputFile,
    as_person: Option<PersonId>,
    run: Run,
) -> Result<PersonalImported, WriteError> {
    authorize_admin(store, who, Action::ImportPersonal).await?;
    let document = pendulum_exchange::read_personal(file, &policy.ladder);
    let whose = as_person.clone().or_else(|| document.person().cloned());
    let (account, stored) = match whose.filter(|id| ledger.person(id).is_some()) {
        Some(id) => (
            account_of(store, policy, &id).await?,
            reflections_of(store, &id).await?,
        ),
        None => (None, Vec::new()),
    };
    let recipient = match as_person {
        Some(id) => Recipient::Existing(id),
        None => Recipient::Themselves,
    };
    let import = pendulum_exchange::plan_personal(document, ledger, &recipient, &stored)
        .map_err(WriteError::Refused)?;
    let change = &import.change;
    let mut imported = PersonalImported {
        person: import.person.clone(),
        created: import.created,
        stints: change.stints.len(),
        checkins: change.checkins.len(),
        answers: change.answers.len(),
        evidence: change.git.len() + change.calendar.len(),
        reflections: import.reflections.len(),
        skipped: import.skipped,
        reflections_left_out: 0,
    };
    if run == Run::DryRun {
        return Ok(imported);
    }
    let audit = audit_line(
        who,
        Action::ImportPersonal,
        Some(import.person.as_str()),
        "ok",
    );
    store.apply_audited(change, &audit).await?;
    let account = match account {
        Some(account) => Some(account),
        None => account_of(store, policy, &import.person).await?,
    };
    match account {
        Some(email) => {
            for r in &import.reflections {
                store
                    .save_reflection(&email, &r.day.to_string(), &r.answers_text())
                    .await
                    .map_err(WriteError::ReflectionsNotWritten)?;
            }
        }
        None => imported.reflections_left_out = import.reflections.len(),
    }
    Ok(imported)
}

/// The whole org as the JSON document that [`import`] reads back; for the operator (with
/// check-in notes: they hold the database already) or an admin (without, and audited).
pub async fn export(
    store: &impl Store,
    ledger: &Ledger,
    policy: &Policy,
    who: &Who,
) -> Result<String, WriteError> {
    authorize_admin(store, who, Action::Export).await?;
    Ok(match who {
        Who::Operator => pendulum_exchange::export_document(ledger, policy),
        Who::Account(_) => {
            let document = pendulum_exchange::export_document_without_notes(ledger, policy);
            audit_ok(store, who, Action::Export, None).await?;
            document
        }
    })
}

/// A person's own ledger as one JSON document, every stint naming `org` or the org it was
/// brought from; for the person, an admin or the operator. `notes` is what was asked for:
/// notes and reflections go to the operator, and to the person themselves when they ask,
/// never to anyone else. `None` when the ledger has no such person.
pub async fn export_personal(
    store: &impl Store,
    ledger: &Ledger,
    who: &Who,
    person: &PersonId,
    org: &str,
    notes: Notes,
) -> Result<Option<String>, WriteError> {
    check(store, ledger, who, Action::ExportPersonal, person).await?;
    let notes = match who {
        Who::Operator => Notes::Keep,
        Who::Account(account) if account.person.as_ref() == Some(person) => notes,
        Who::Account(_) => Notes::Strip,
    };
    let reflections = match notes {
        Notes::Keep => reflections_of(store, person).await?,
        Notes::Strip => Vec::new(),
    };
    let Some(document) =
        pendulum_exchange::export_personal(ledger, person, &reflections, org, notes)
    else {
        return Ok(None);
    };
    audit_ok(store, who, Action::ExportPersonal, Some(person)).await?;
    Ok(Some(document))
}

/// Audits a read that was made. The operator is told when the log cannot take the line; an
/// account's request is not failed for it, since what it read is read already.
async fn audit_ok(
    store: &impl Store,
    who: &Who,
    action: Action,
    person: Option<&PersonId>,
) -> Result<(), WriteError> {
    let line = audit_line(who, action, person.map(PersonId::as_str), "ok");
    match (who, store.audit(&line).await) {
        (Who::Operator, Err(e)) => Err(e.into()),
        _ => Ok(()),
    }
}

/// The reflections of every account of the person.
async fn reflections_of(
    store: &impl Store,
    person: &PersonId,
) -> Result<Vec<Reflection>, WriteError> {
    let mut reflections = Vec::new();
    for account in store.accounts_of(person).await? {
        for (day, answers) in store.reflections(&account.email).await? {
            let reflection = Reflection::parse(&day, &answers).map_err(|e| {
                WriteError::UnreadableReflection {
                    account: account.email.clone(),
                    message: e.to_string(),
                }
            })?;
            reflections.push(reflection);
        }
    }
    Ok(reflections)
}

/// The account a person's imported reflections are kept with: the one of their primary
/// address, else their first.
async fn account_of(
    store: &impl Store,
    policy: &Policy,
    person: &PersonId,
) -> Result<Option<Email>, StoreError> {
    let accounts = store.accounts_of(person).await?;
    let primary = store
        .people(&policy.ladder)
        .await?
        .into_iter()
        .find(|p| p.id == *person)
        .map(|p| p.email);
    let chosen = accounts
        .iter()
        .find(|a| Some(&a.email) == primary.as_ref())
        .or(accounts.first());
    Ok(chosen.map(|a| a.email.clone()))
}
