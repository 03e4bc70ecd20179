//! The authorization rules on a small org: who sees whom, and who may write what.

use chrono::NaiveDate;
use pendulum_core::ledger::{LedgerParts, Origin, Person, Sourced};
use pendulum_core::{
    Account, AccountRole, Email, Ladder, Ledger, PersonId, Role, Stint, StintRefusal, View,
    Willingness,
};

/// `boss` manages `lead`, who manages `dev` and `peer`; `other` reports to `boss` too.
fn org() -> Ledger {
    let person = |id: &str, manager: Option<&str>| {
        Sourced::new(
            Person {
                willing_since: None,
                id: PersonId::parse(id).unwrap(),
                name: id.into(),
                email: Email::parse(&format!("{id}@x.io")).unwrap(),
                aliases: vec![],
                level: Ladder::default().level("L4").unwrap(),
                team: None,
                manager: manager.map(|m| PersonId::parse(m).unwrap()),
                willing_to_manage: Willingness::Unknown,
                departure: None,
            },
            Origin::new("test", 0),
        )
    };
    Ledger::build(LedgerParts {
        people: vec![
            person("boss", None),
            person("lead", Some("boss")),
            person("other", Some("boss")),
            person("dev", Some("lead")),
            person("peer", Some("lead")),
        ],
        ..LedgerParts::default()
    })
    .unwrap()
}

fn account(role: AccountRole, person: Option<&str>) -> Account {
    Account {
        email: Email::parse("someone@x.io").unwrap(),
        role,
        person: person.map(|p| PersonId::parse(p).unwrap()),
    }
}

fn id(s: &str) -> PersonId {
    PersonId::parse(s).unwrap()
}

#[test]
fn views_follow_the_reporting_line_and_notes_stay_with_their_author() {
    let org = org();
    use AccountRole::*;
    use View::*;
    let cases = [
        (account(Member, Some("dev")), "dev", Own),
        (account(Member, Some("dev")), "peer", Hidden),
        (account(Member, Some("lead")), "dev", Hidden),
        (account(Manager, Some("lead")), "dev", WithoutNotes),
        (account(Manager, Some("lead")), "other", Hidden),
        (account(Manager, Some("lead")), "boss", Hidden),
        (account(Manager, Some("boss")), "dev", WithoutNotes),
        (account(Manager, Some("other")), "dev", Hidden),
        (account(Admin, None), "dev", WithoutNotes),
        (account(Admin, Some("boss")), "boss", Own),
        (account(Admin, None), "nobody", Hidden),
    ];
    for (who, whom, expected) in cases {
        assert_eq!(
            who.view_of(&org, &id(whom)),
            expected,
            "{who:?} looking at {whom}"
        );
    }
}

#[test]
fn writes_are_narrower_than_reads() {
    let org = org();
    let lead = account(AccountRole::Manager, Some("lead"));
    assert!(lead.may_record_swing_for(&org, &id("dev")));
    assert!(!lead.may_record_swing_for(&org, &id("lead")));
    assert!(
        !lead.may_check_in_for(&id("dev")),
        "a check-in is one's own"
    );
    assert!(lead.may_check_in_for(&id("lead")));
    assert!(
        !lead.may_record_answer_for(&org, &id("dev")),
        "an answer about managing is the person's own, not their manager's"
    );
    assert!(account(AccountRole::Member, Some("dev")).may_record_answer_for(&org, &id("dev")));
    assert!(!account(AccountRole::Member, Some("dev")).may_record_answer_for(&org, &id("peer")));
    assert!(account(AccountRole::Admin, None).may_record_answer_for(&org, &id("dev")));
    assert!(!account(AccountRole::Admin, None).may_record_answer_for(&org, &id("nobody")));
    assert!(!account(AccountRole::Member, Some("dev")).may_record_swing_for(&org, &id("dev")));
    assert!(account(AccountRole::Admin, None).may_administer());
    assert!(!lead.may_administer());
    assert!(!account(AccountRole::Member, Some("dev")).may_see_org_metrics());
}

#[test]
fn a_scope_is_what_the_account_sees_and_aggregates_over() {
    let org = org();
    use AccountRole::*;
    let members = |a: &Account| -> Vec<String> {
        let scope = a.scope(&org);
        org.people()
            .iter()
            .enumerate()
            .filter(|&(i, _)| scope.contains(i))
            .map(|(_, p)| p.id.to_string())
            .collect()
    };
    assert_eq!(account(Admin, None).scope(&org), pendulum_core::Scope::Org);
    // A mid-level manager: themselves and their reports, not their manager or a sibling.
    let mut line = members(&account(Manager, Some("lead")));
    line.sort();
    assert_eq!(line, ["dev", "lead", "peer"]);
    assert_eq!(members(&account(Member, Some("dev"))), ["dev"]);
    assert!(members(&account(Manager, None)).is_empty());
    let scope = account(Manager, Some("lead")).scope(&org);
    assert!(scope.contains_id(&org, &id("dev")));
    assert!(!scope.contains_id(&org, &id("boss")));
    assert!(!scope.contains_id(&org, &id("nobody")));
}

/// A stint of `person` from `year`, lived here or, with `org`, somewhere else.
fn stint(person: &str, year: i32, org: Option<&str>) -> Stint {
    Stint {
        person: id(person),
        role: Role::Engineer,
        team: None,
        level: Ladder::default().level("L4").unwrap(),
        band: None,
        start: NaiveDate::from_ymd_opt(year, 1, 1).unwrap(),
        end: Some(NaiveDate::from_ymd_opt(year + 1, 1, 1).unwrap()),
        chosen: true,
        trial_end: None,
        org: org.map(str::to_owned),
    }
}

/// Who may correct a stint: an admin or a manager above the person, never the person
/// themselves, and nobody a stint brought from another org.
#[test]
fn stints_are_corrected_from_above_and_never_when_brought_from_elsewhere() {
    let org = org();
    use AccountRole::*;
    let own = Err(StintRefusal::Own);
    let not_in_line = Err(StintRefusal::NotInLine);
    let foreign = Err(StintRefusal::Foreign { org: "Acme".into() });
    let cases = [
        (account(Admin, None), stint("dev", 2020, None), Ok(())),
        (
            account(Manager, Some("lead")),
            stint("dev", 2020, None),
            Ok(()),
        ),
        (
            account(Manager, Some("boss")),
            stint("dev", 2020, None),
            Ok(()),
        ),
        (
            account(Manager, Some("other")),
            stint("dev", 2020, None),
            not_in_line.clone(),
        ),
        (
            account(Manager, Some("lead")),
            stint("boss", 2020, None),
            not_in_line.clone(),
        ),
        (
            account(Member, Some("peer")),
            stint("dev", 2020, None),
            not_in_line.clone(),
        ),
        (
            account(Member, Some("dev")),
            stint("dev", 2020, None),
            own.clone(),
        ),
        (
            account(Manager, Some("lead")),
            stint("lead", 2020, None),
            own.clone(),
        ),
        (account(Admin, Some("boss")), stint("boss", 2020, None), own),
        (
            account(Admin, None),
            stint("nobody", 2020, None),
            not_in_line,
        ),
        (
            account(Admin, None),
            stint("dev", 2015, Some("Acme")),
            foreign.clone(),
        ),
        (
            account(Manager, Some("lead")),
            stint("dev", 2015, Some("Acme")),
            foreign,
        ),
    ];
    for (who, s, expected) in cases {
        assert_eq!(
            who.may_correct_stint(&org, &s),
            expected,
            "{who:?} correcting {s:?}"
        );
    }
    let message = StintRefusal::Foreign { org: "Acme".into() }.to_string();
    assert!(
        message.contains("Acme") && message.contains("nobody here"),
        "{message}"
    );
}

/// Leaving, coming back, a person's record, their history and erasing them are the
/// admin's; a check-in is deleted by its author or an admin, never by their manager.
#[test]
fn a_career_is_rewritten_by_an_admin_and_a_check_in_deleted_by_its_author() {
    let org = org();
    use AccountRole::*;
    let admin = account(Admin, None);
    let lead = account(Manager, Some("lead"));
    let dev = account(Member, Some("dev"));
    for who in [&admin, &lead, &dev] {
        let is_admin = who.role == Admin;
        assert_eq!(who.may_edit_person(&org, &id("dev")), is_admin, "{who:?}");
        assert_eq!(
            who.may_read_history_of(&org, &id("dev")),
            is_admin,
            "{who:?}"
        );
        assert_eq!(who.may_erase(&org, &id("dev")), is_admin, "{who:?}");
    }
    assert!(!admin.may_edit_person(&org, &id("nobody")));
    assert!(!admin.may_erase(&org, &id("nobody")));
    assert!(dev.may_delete_checkin_of(&org, &id("dev")));
    assert!(admin.may_delete_checkin_of(&org, &id("dev")));
    assert!(!lead.may_delete_checkin_of(&org, &id("dev")));
    assert!(!account(Member, Some("peer")).may_delete_checkin_of(&org, &id("dev")));
    assert!(lead.may_delete_checkin_of(&org, &id("lead")));
}
