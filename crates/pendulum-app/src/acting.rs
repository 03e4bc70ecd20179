//! Who makes a write, whether they may, and how a write is refused.
//!
//! Every use case takes a [`Who`]: the operator at the command line, who holds the whole
//! database and may do anything, or a signed-in account, whose every write is decided by
//! `pendulum_core::access` inside the use case itself, so that no edge can forget to ask.
//! An account's refusals go to the audit log; the operator's are shown to them only.
//!
//! An edge that must refuse before it reads a request's body (so that someone out of sight
//! learns nothing from a malformed one) calls [`authorize`] first; the use case asks again
//! of the ledger it writes on, which only ever differs when someone wrote in between.

use pendulum_core::ledger::SwingError;
use pendulum_core::{Account, EditError, Email, Ledger, PersonId, Problems, StintKey, View};
use pendulum_store::{Actor, AuditEntry, Store, StoreError};

/// Who makes a write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Who {
    /// A `pendulum` command: whoever runs it holds the database already.
    Operator,
    /// A signed-in account, held to `pendulum_core::access`.
    Account(Account),
}

impl Who {
    /// Who the audit log names.
    pub fn actor(&self) -> Actor {
        match self {
            Who::Operator => Actor::command_line(),
            Who::Account(account) => Actor::Account(account.email.clone()),
        }
    }
}

/// What is done to the ledger, for the access rules and the audit log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Swing,
    CheckIn,
    Answer,
    AddPerson,
    Leave,
    Return,
    EditPerson,
    EditStint,
    DeleteStint,
    DeleteCheckIn,
    Erase,
    ReadHistory,
    Import,
    ImportPersonal,
    Export,
    ExportPersonal,
    ReadRotationPlan,
    PlanAssignments,
}

impl Action {
    /// The audit log's words for the action. The command line and the server named some
    /// actions differently before they shared this code; both names are kept, so that a
    /// log reads the same before and after.
    pub fn audit_name(self, who: &Who) -> &'static str {
        let operator = matches!(who, Who::Operator);
        match self {
            Action::Swing => "record swing",
            Action::CheckIn => "record check-in",
            Action::Answer if operator => "record answer",
            Action::Answer => "record answer about managing",
            Action::AddPerson => "add person",
            Action::Leave if operator => "leave",
            Action::Leave => "record leave",
            Action::Return if operator => "return",
            Action::Return => "record return",
            Action::EditPerson if operator => "edit person",
            Action::EditPerson => "correct person",
            Action::EditStint if operator => "edit stint",
            Action::EditStint => "correct stint",
            Action::DeleteStint => "delete stint",
            Action::DeleteCheckIn => "delete check-in",
            Action::Erase => "erase person",
            Action::ReadHistory => "read history",
            Action::Import => "import",
            Action::ImportPersonal => "import personal ledger",
            Action::Export => "export",
            Action::ExportPersonal if operator => "export personal ledger",
            Action::ExportPersonal => "export person",
            Action::ReadRotationPlan => "read rotation plan",
            Action::PlanAssignments => "plan assignments",
        }
    }

    /// Whether `account` may do this to `person`, whom it sees; `Err` says why not.
    fn allowed(self, account: &Account, ledger: &Ledger, person: &PersonId) -> Result<(), String> {
        let (allowed, why) = match self {
            Action::Swing => (
                account.may_record_swing_for(ledger, person),
                "only an admin or a manager above this person can record their swing",
            ),
            Action::CheckIn => (
                account.may_check_in_for(person),
                "a check-in can only be recorded by the person it is about",
            ),
            Action::Answer => (
                account.may_record_answer_for(ledger, person),
                "an answer about managing is recorded by the person themselves or an admin",
            ),
            Action::Leave | Action::Return | Action::EditPerson => {
                (account.may_edit_person(ledger, person), ADMIN_ONLY)
            }
            Action::EditStint | Action::DeleteStint => {
                return account
                    .may_correct_stints_of(ledger, person)
                    .map_err(|r| r.to_string());
            }
            Action::DeleteCheckIn => (
                account.may_delete_checkin_of(ledger, person),
                "a check-in is deleted by the person who recorded it, or by an admin",
            ),
            Action::Erase => (
                account.may_erase(ledger, person),
                "only an admin can erase a person",
            ),
            Action::ReadHistory => (
                account.may_read_history_of(ledger, person),
                "the history of corrections is for admins",
            ),
            Action::ExportPersonal => (
                account.view_of(ledger, person) == View::Own || account.may_administer(),
                "a person's ledger is exported by the person themselves or an admin",
            ),
            Action::AddPerson | Action::Import | Action::ImportPersonal | Action::Export => {
                (account.may_administer(), NEEDS_ADMIN)
            }
            Action::ReadRotationPlan | Action::PlanAssignments => {
                return self.plan_allowed(account).unwrap_or(Ok(()));
            }
        };
        if allowed { Ok(()) } else { Err(why.to_owned()) }
    }

    /// Whether `account` may make or read a plan of the org, which names no person; `Err`
    /// says why not. `None` for the actions that are not plans.
    pub(crate) fn plan_allowed(self, account: &Account) -> Option<Result<(), String>> {
        let (allowed, why) = match self {
            Action::ReadRotationPlan => (account.may_administer(), ROTATION_PLAN_FOR_ADMINS),
            Action::PlanAssignments => (
                account.may_see_org_metrics(),
                "stretch assignments are for managers and admins",
            ),
            _ => return None,
        };
        Some(if allowed { Ok(()) } else { Err(why.to_owned()) })
    }

    /// A read that names someone out of sight is "not found" like any other, but only a
    /// write (or taking a copy out) is worth a line in the audit log.
    fn audits_not_found(self) -> bool {
        self != Action::ReadHistory
    }
}

/// Leaving, coming back and a person's record are an admin's.
pub const ADMIN_ONLY: &str =
    "only an admin can change a person's record, their leaving or their return";

/// The rotation plan shows the whole org, and values read from check-ins.
pub const ROTATION_PLAN_FOR_ADMINS: &str =
    "the rotation plan is for admins: it shows the whole org";

/// What the org-wide writes and reads say to anyone but an admin.
pub const NEEDS_ADMIN: &str = "this needs an admin account";

/// Why a write was not made.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// No such person, or one the account may not see: the two read the same, so that a
    /// write cannot probe who exists.
    #[error("{0}")]
    NotFound(String),
    /// The account sees the person but may not do this; the message says why.
    #[error("{0}")]
    Forbidden(String),
    /// The core refused the swing or the answer as asked.
    #[error(transparent)]
    Swing(#[from] SwingError),
    /// The core refused the correction, departure or return as asked.
    #[error(transparent)]
    Edit(#[from] EditError),
    /// The ledger as it would be after the change is not valid: every problem, located.
    #[error("{0}")]
    Refused(Problems),
    /// An import's policy ranks levels on another ladder than the stored people's.
    #[error("the document's policy has a different ladder from the one in force")]
    OtherLadder,
    /// A person cannot be erased while people report to them.
    #[error("{person} still has people reporting to them")]
    StillManages {
        person: PersonId,
        reports: Vec<PersonId>,
    },
    /// The store no longer holds what the change was made from: someone else wrote first.
    #[error("{0}")]
    Conflict(String),
    /// A reflection stored for the person that no longer reads as one.
    #[error("a stored reflection of {account} cannot be read: {message}")]
    UnreadableReflection { account: Email, message: String },
    /// A personal import's records are written, but not all of its reflections.
    #[error("the reflections were not all written; import the document again to finish: {0}")]
    ReflectionsNotWritten(StoreError),
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for WriteError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict(message) => WriteError::Conflict(message),
            other => WriteError::Store(other),
        }
    }
}

/// The audit line of `action` by `who` on `subject`, with its outcome.
pub(crate) fn audit_line(
    who: &Who,
    action: Action,
    subject: Option<&str>,
    outcome: &str,
) -> AuditEntry {
    AuditEntry {
        actor: who.actor(),
        action: action.audit_name(who).to_owned(),
        subject: subject.map(str::to_owned),
        outcome: outcome.to_owned(),
    }
}

/// Appends a refusal (or failure) of an account to the audit log. The refusal is what the
/// caller returns either way: a log that cannot be written must not turn it into a fault.
pub(crate) async fn audit_refusal(
    store: &impl Store,
    who: &Who,
    action: Action,
    subject: Option<&str>,
    outcome: &str,
) {
    if let Who::Account(_) = who {
        // The refusal stands whether or not the log took it.
        let _ = store
            .audit(&audit_line(who, action, subject, outcome))
            .await;
    }
}

/// The person `raw` names (as a request's path gives it), once `account` may do `action` to
/// them: anyone it may not see, or an id that does not parse, is "not found"; anyone it sees
/// but may not act on is "forbidden", saying why. Both refusals are audited.
pub async fn authorize(
    store: &impl Store,
    ledger: &Ledger,
    account: &Account,
    action: Action,
    raw: &str,
) -> Result<PersonId, WriteError> {
    let who = Who::Account(account.clone());
    let id = match PersonId::parse(raw) {
        Ok(id) => id,
        Err(e) => {
            if action.audits_not_found() {
                audit_refusal(store, &who, action, Some(raw), "denied").await;
            }
            return Err(WriteError::NotFound(format!(
                "no person with id {raw:?} ({e})"
            )));
        }
    };
    check(store, ledger, &who, action, &id).await?;
    Ok(id)
}

/// Whether `who` may do `action` to `person`, asked of `ledger`: always for the operator; for
/// an account, as [`authorize`] says, and audited the same way.
pub(crate) async fn check(
    store: &impl Store,
    ledger: &Ledger,
    who: &Who,
    action: Action,
    person: &PersonId,
) -> Result<(), WriteError> {
    let Who::Account(account) = who else {
        return Ok(());
    };
    if account.view_of(ledger, person) == View::Hidden {
        if action.audits_not_found() {
            audit_refusal(store, who, action, Some(person.as_str()), "denied").await;
        }
        return Err(WriteError::NotFound(format!(
            "no person with id {:?}",
            person.as_str()
        )));
    }
    if let Err(why) = action.allowed(account, ledger, person) {
        audit_refusal(store, who, action, Some(person.as_str()), "denied").await;
        return Err(WriteError::Forbidden(why));
    }
    Ok(())
}

/// Whether `who` may correct or delete the stint of `person` that `key` names, which the
/// account may correct stints of already: never one brought from another org. A stint that
/// is not there is the core's "not found".
pub async fn authorize_stint(
    store: &impl Store,
    ledger: &Ledger,
    who: &Who,
    action: Action,
    person: &PersonId,
    key: StintKey,
) -> Result<(), WriteError> {
    let stint = ledger.stint(person, key)?;
    if let Who::Account(account) = who
        && let Err(refusal) = account.may_correct_stint(ledger, stint)
    {
        audit_refusal(store, who, action, Some(person.as_str()), "denied").await;
        return Err(WriteError::Forbidden(refusal.to_string()));
    }
    Ok(())
}

/// Whether `who` may do an action that names no person (an import, an export of the org,
/// a new person): for an account, an admin's; a refusal is audited without a subject. The
/// use cases ask themselves; an edge asks first to refuse before it reads a body.
pub async fn authorize_admin(
    store: &impl Store,
    who: &Who,
    action: Action,
) -> Result<(), WriteError> {
    if let Who::Account(account) = who
        && !account.may_administer()
    {
        audit_refusal(store, who, action, None, "denied").await;
        return Err(WriteError::Forbidden(NEEDS_ADMIN.to_owned()));
    }
    Ok(())
}
