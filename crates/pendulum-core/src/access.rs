//! Who may see and change whose data: the authorization rules, decided on the ledger.
//!
//! A member sees and edits their own data; a manager also sees the data of everyone below
//! them in the reporting line; an admin (the people partner) manages the whole org. A
//! check-in note is different: it is readable by its author alone, admins included, so no
//! view but a person's own ever carries notes.

use std::fmt;
use std::str::FromStr;

use crate::ids::{Email, PersonId};
use crate::ledger::{Ledger, Stint};
use crate::role::EnumError;

/// What an account may do in the org.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AccountRole {
    Member,
    Manager,
    Admin,
}

impl AccountRole {
    pub const ALL: [AccountRole; 3] = [
        AccountRole::Member,
        AccountRole::Manager,
        AccountRole::Admin,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AccountRole::Member => "member",
            AccountRole::Manager => "manager",
            AccountRole::Admin => "admin",
        }
    }
}

impl FromStr for AccountRole {
    type Err = EnumError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|r| r.as_str() == s.trim())
            .ok_or_else(|| EnumError {
                value: s.to_owned(),
                expected: "member, manager, admin",
            })
    }
}

impl fmt::Display for AccountRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A signed-in user: an account, optionally tied to a person of the ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub email: Email,
    pub role: AccountRole,
    /// The person this account is; an admin may have none.
    pub person: Option<PersonId>,
}

/// How much of a person's data an account may read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum View {
    /// Nothing, not even that the person exists.
    Hidden,
    /// Everything but private check-in notes.
    WithoutNotes,
    /// Everything, notes included: the person's own data.
    Own,
}

impl Account {
    /// How much of `person`'s data this account may read.
    pub fn view_of(&self, ledger: &Ledger, person: &PersonId) -> View {
        if self.person.as_ref() == Some(person) {
            return View::Own;
        }
        let visible = match self.role {
            AccountRole::Admin => ledger.person(person).is_some(),
            AccountRole::Manager => self.manages(ledger, person),
            AccountRole::Member => false,
        };
        if visible {
            View::WithoutNotes
        } else {
            View::Hidden
        }
    }

    /// Whether `person` is below this account's person in the reporting line, at any depth.
    pub fn manages(&self, ledger: &Ledger, person: &PersonId) -> bool {
        let Some(me) = &self.person else { return false };
        let mut at = ledger.person(person).and_then(|p| p.manager.as_ref());
        // The ledger guarantees reporting lines end, so this walk terminates.
        while let Some(manager) = at {
            if manager == me {
                return true;
            }
            at = ledger.person(manager).and_then(|p| p.manager.as_ref());
        }
        false
    }

    /// Check-ins are one's own: nobody records how someone else feels.
    pub fn may_check_in_for(&self, person: &PersonId) -> bool {
        self.person.as_ref() == Some(person)
    }

    /// An answer to "would you like to manage?" is the person's own: they record it, or an
    /// admin records what they said. A manager never does, even one above them: nobody
    /// should be put down as willing by the one who would make them manage.
    pub fn may_record_answer_for(&self, ledger: &Ledger, person: &PersonId) -> bool {
        self.person.as_ref() == Some(person)
            || (self.role == AccountRole::Admin && ledger.person(person).is_some())
    }

    /// A swing is recorded by an admin or by a manager above the person.
    pub fn may_record_swing_for(&self, ledger: &Ledger, person: &PersonId) -> bool {
        match self.role {
            AccountRole::Admin => ledger.person(person).is_some(),
            AccountRole::Manager => self.manages(ledger, person),
            AccountRole::Member => false,
        }
    }

    /// A person's own record (name, addresses, manager, team), their leaving and their
    /// coming back are the admin's: a manager who could mark someone as gone could make
    /// them disappear from the org's figures.
    pub fn may_edit_person(&self, ledger: &Ledger, person: &PersonId) -> bool {
        self.role == AccountRole::Admin && ledger.person(person).is_some()
    }

    /// Whether the account may correct or delete any stint of `person`: an admin, or a
    /// manager above them in the line, but never the person themselves, who would be
    /// grading their own record. See [`Account::may_correct_stint`] for one stint.
    pub fn may_correct_stints_of(
        &self,
        ledger: &Ledger,
        person: &PersonId,
    ) -> Result<(), StintRefusal> {
        if self.person.as_ref() == Some(person) {
            return Err(StintRefusal::Own);
        }
        let allowed = match self.role {
            AccountRole::Admin => ledger.person(person).is_some(),
            AccountRole::Manager => self.manages(ledger, person),
            AccountRole::Member => false,
        };
        if allowed {
            Ok(())
        } else {
            Err(StintRefusal::NotInLine)
        }
    }

    /// Whether the account may correct or delete `stint`: as for
    /// [`Account::may_correct_stints_of`], and never a stint brought from another org,
    /// which is the person's own account of it and not this org's to change.
    pub fn may_correct_stint(&self, ledger: &Ledger, stint: &Stint) -> Result<(), StintRefusal> {
        self.may_correct_stints_of(ledger, &stint.person)?;
        match &stint.org {
            Some(org) => Err(StintRefusal::Foreign { org: org.clone() }),
            None => Ok(()),
        }
    }

    /// A check-in is deleted by its author, or by an admin (say, on the person's request);
    /// never by a manager, who could drop the ones they dislike.
    pub fn may_delete_checkin_of(&self, ledger: &Ledger, person: &PersonId) -> bool {
        self.person.as_ref() == Some(person)
            || (self.role == AccountRole::Admin && ledger.person(person).is_some())
    }

    /// The history of corrections names who changed what: the admin's, for accountability.
    pub fn may_read_history_of(&self, ledger: &Ledger, person: &PersonId) -> bool {
        self.role == AccountRole::Admin && ledger.person(person).is_some()
    }

    /// Erasing a person cannot be undone: the admin's alone.
    pub fn may_erase(&self, ledger: &Ledger, person: &PersonId) -> bool {
        self.role == AccountRole::Admin && ledger.person(person).is_some()
    }

    /// Import, export, policy and accounts are the admin's.
    pub fn may_administer(&self) -> bool {
        self.role == AccountRole::Admin
    }

    /// Aggregates (metrics, distributions) are for those who look after people: an admin's
    /// over the org, a manager's over their [`Scope`].
    pub fn may_see_org_metrics(&self) -> bool {
        self.role >= AccountRole::Manager
    }

    /// The people this account may see, which is also what its aggregates are computed over:
    /// the whole org for an admin, a manager's line (themselves and everyone below them), a
    /// member's own entry.
    pub fn scope(&self, ledger: &Ledger) -> Scope {
        if self.role == AccountRole::Admin {
            return Scope::Org;
        }
        Scope::People(
            ledger
                .people()
                .iter()
                .map(|p| self.view_of(ledger, &p.id) != View::Hidden)
                .collect(),
        )
    }
}

/// Why an account may not correct a stint; the message says so to the one refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StintRefusal {
    #[error("nobody corrects their own stints; ask an admin or a manager above you")]
    Own,
    #[error("only an admin or a manager above this person can correct their stints")]
    NotInLine,
    #[error(
        "this stint was lived at {org} and brought with the person's own ledger; nobody here can change it"
    )]
    Foreign { org: String },
}

/// A set of the ledger's people, by index: whose data a page, a count or a list may use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Everyone in the ledger.
    Org,
    /// Those whose index holds `true`, in ledger order.
    People(Vec<bool>),
}

impl Scope {
    /// Whether the person at ledger index `i` is in the scope.
    pub fn contains(&self, i: usize) -> bool {
        match self {
            Scope::Org => true,
            Scope::People(inside) => inside.get(i).copied().unwrap_or(false),
        }
    }

    /// Whether the person with this id is in the scope; nobody unknown to the ledger is.
    pub fn contains_id(&self, ledger: &Ledger, id: &PersonId) -> bool {
        ledger.person_index(id).is_some_and(|i| self.contains(i))
    }
}
