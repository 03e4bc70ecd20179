//! A career past its first stint: leaving, coming back, corrections, and what each does to
//! the rules and the metrics.

mod common;

use common::{Org, d};
use pendulum_core::metrics::Metrics;
use pendulum_core::{
    EditError, LeaveRequest, Origin, PersonEdit, PersonId, ReturnRequest, Role, StintEdit,
    StintKey, Willingness, rules,
};

fn id(s: &str) -> PersonId {
    PersonId::parse(s).unwrap()
}

/// A manager with two reports, one of whom manages too.
fn org() -> Org {
    Org::default()
        .person("boss", Willingness::Yes, None)
        .person("mia", Willingness::Yes, Some("boss"))
        .person("eve", Willingness::Unknown, Some("mia"))
        .person("raj", Willingness::Unknown, Some("mia"))
        .stint("boss", "manager L7 2018-01-01")
        .stint("mia", "engineer L5 2019-01-01 2022-01-01")
        .stint("mia", "manager L5 2022-01-01")
        .stint("eve", "engineer L5 2020-01-01")
        .stint("raj", "engineer L5 2020-01-01")
}

fn leave(who: &str, on: &str, reports_to: Option<&str>) -> LeaveRequest {
    LeaveRequest {
        person: id(who),
        on: d(on),
        reason: Some("moved abroad".into()),
        reports_to: reports_to.map(id),
    }
}

#[test]
fn a_manager_who_leaves_ends_their_stint_and_leaves_their_reports_without_one() {
    let ledger = org().ledger();
    let left = ledger.leave(&leave("mia", "2026-05-01", None)).unwrap();
    assert_eq!(left.without_manager, vec![id("eve"), id("raj")]);
    assert!(left.moved.is_empty());
    let after = ledger.apply(&left.change, &Origin::new("t", 0)).unwrap();
    let mia = after.person(&id("mia")).unwrap();
    assert_eq!(mia.departure.as_ref().unwrap().on, d("2026-05-01"));
    assert_eq!(mia.manager, None);
    let i = after.person_index(&id("mia")).unwrap();
    assert_eq!(
        after.stints_of(i).last().unwrap().end,
        Some(d("2026-05-01"))
    );
    assert_eq!(after.person(&id("eve")).unwrap().manager, None);
    // The history says what moved: the stint's end, and each person's manager.
    let fields: Vec<(&str, &str)> = left
        .change
        .corrections
        .iter()
        .map(|c| (c.person.as_str(), c.field.as_str()))
        .collect();
    assert!(fields.contains(&("mia", "end")));
    assert!(fields.contains(&("mia", "left")));
    assert!(fields.contains(&("eve", "manager")));
}

#[test]
fn reports_can_move_to_another_manager_as_the_person_leaves() {
    let ledger = org().ledger();
    let left = ledger
        .leave(&leave("mia", "2026-05-01", Some("boss")))
        .unwrap();
    assert_eq!(left.moved, vec![id("eve"), id("raj")]);
    let after = ledger.apply(&left.change, &Origin::new("t", 0)).unwrap();
    assert_eq!(after.person(&id("raj")).unwrap().manager, Some(id("boss")));
    // Moving them to the person who leaves is no move at all.
    let refused = ledger.leave(&leave("mia", "2026-05-01", Some("mia")));
    assert!(
        matches!(refused, Err(EditError::Rejected(_))),
        "{refused:?}"
    );
}

#[test]
fn a_leave_before_the_current_stint_began_is_refused() {
    let ledger = org().ledger();
    let err = ledger.leave(&leave("mia", "2021-06-01", None)).unwrap_err();
    assert!(err.to_string().contains("2022-01-01"), "{err}");
    let err = ledger
        .leave(&leave("nobody", "2026-01-01", None))
        .unwrap_err();
    assert_eq!(err, EditError::UnknownPerson("nobody".into()));
    let left = ledger.leave(&leave("eve", "2026-01-01", None)).unwrap();
    let after = ledger.apply(&left.change, &Origin::new("t", 0)).unwrap();
    let again = after.leave(&leave("eve", "2026-02-01", None)).unwrap_err();
    assert!(matches!(again, EditError::AlreadyLeft { .. }));
}

#[test]
fn no_nudges_about_someone_who_left_but_they_stay_in_the_past() {
    // Mia, an unwilling manager, is nudged while she is there.
    let org = org()
        .person("ann", Willingness::No, Some("boss"))
        .stint("ann", "manager L5 2024-01-01");
    let ledger = org.ledger();
    let as_of = d("2026-06-30");
    let about = |l: &pendulum_core::Ledger, who: &str, day| {
        rules::evaluate(l, &org.policy, day)
            .into_iter()
            .filter(|n| n.person == id(who))
            .count()
    };
    assert!(about(&ledger, "ann", as_of) > 0);
    let left = ledger.leave(&leave("ann", "2026-03-01", None)).unwrap();
    let after = ledger.apply(&left.change, &Origin::new("t", 0)).unwrap();
    assert_eq!(about(&after, "ann", as_of), 0);
    // Read as of a day before she left, she is still there.
    assert!(about(&after, "ann", d("2026-02-01")) > 0);
    let metrics = Metrics::compute(&after, &org.policy, as_of);
    let before = Metrics::compute(&ledger, &org.policy, as_of);
    assert_eq!(metrics.people + 1, before.people);
}

#[test]
fn a_return_starts_a_new_span_and_the_time_away_counts_for_neither_side() {
    let ledger = org().ledger();
    let left = ledger.leave(&leave("eve", "2024-01-01", None)).unwrap();
    let gone = ledger.apply(&left.change, &Origin::new("t", 0)).unwrap();
    let refused = gone.return_to_work(&ReturnRequest {
        person: id("eve"),
        on: d("2023-06-01"),
        role: Role::Manager,
        team: None,
        level: None,
        band: None,
        manager: Some(id("boss")),
    });
    assert!(matches!(refused, Err(EditError::ReturnTooEarly { .. })));
    let change = gone
        .return_to_work(&ReturnRequest {
            person: id("eve"),
            on: d("2025-01-01"),
            role: Role::Engineer,
            team: None,
            level: None,
            band: None,
            manager: Some(id("boss")),
        })
        .unwrap();
    let back = gone.apply(&change, &Origin::new("t", 0)).unwrap();
    let eve = back.person(&id("eve")).unwrap();
    assert!(!eve.has_left());
    let i = back.person_index(&id("eve")).unwrap();
    let stints = back.stints_of(i);
    assert_eq!(stints.len(), 2);
    // Two hands-on stints with a year between them are two spans, not one.
    assert_eq!(rules::span_start(stints, 1), 1);
    // Someone who has not left cannot return.
    let again = back.return_to_work(&ReturnRequest {
        person: id("eve"),
        on: d("2026-01-01"),
        role: Role::Engineer,
        team: None,
        level: None,
        band: None,
        manager: None,
    });
    assert!(matches!(again, Err(EditError::NotLeft { .. })));
}

#[test]
fn a_stint_edit_is_checked_as_a_whole_and_names_every_problem() {
    let ledger = org().ledger();
    // Mia's first stint may not run into her second.
    let err = ledger
        .edit_stint(
            &id("mia"),
            StintKey::Index(1),
            &StintEdit {
                end: Some(Some(d("2023-01-01"))),
                ..StintEdit::default()
            },
        )
        .unwrap_err();
    let EditError::Rejected(problems) = err else {
        panic!("{err:?}")
    };
    assert!(problems.to_string().contains("overlap"), "{problems}");
    // An edit that changes nothing is refused too.
    let same = ledger.edit_stint(
        &id("mia"),
        StintKey::Start(d("2019-01-01")),
        &StintEdit {
            role: Some(Role::Engineer),
            ..StintEdit::default()
        },
    );
    assert_eq!(same.unwrap_err(), EditError::NoChange);
    // A correction of the start keeps what was there before.
    let change = ledger
        .edit_stint(
            &id("mia"),
            StintKey::Index(1),
            &StintEdit {
                start: Some(d("2018-06-01")),
                ..StintEdit::default()
            },
        )
        .unwrap();
    let c = &change.corrections[0];
    assert!(c.before.as_deref().unwrap().contains("from 2019-01-01"));
    assert!(c.after.as_deref().unwrap().contains("from 2018-06-01"));
    let after = ledger.apply(&change, &Origin::new("t", 0)).unwrap();
    let i = after.person_index(&id("mia")).unwrap();
    assert_eq!(after.stints_of(i)[0].start, d("2018-06-01"));
    assert!(matches!(
        ledger.stint(&id("mia"), StintKey::Index(3)),
        Err(EditError::NoStintNumber { count: 2, .. })
    ));
}

#[test]
fn a_person_edit_that_would_make_a_loop_is_refused() {
    let ledger = org().ledger();
    let err = ledger
        .edit_person(
            &id("boss"),
            &PersonEdit {
                manager: Some(Some(id("eve"))),
                ..PersonEdit::default()
            },
        )
        .unwrap_err();
    assert!(err.to_string().contains("loops"), "{err}");
    let change = ledger
        .edit_person(
            &id("eve"),
            &PersonEdit {
                name: Some("Eve Adams".into()),
                ..PersonEdit::default()
            },
        )
        .unwrap();
    assert_eq!(change.corrections[0].before.as_deref(), Some("Eve"));
    assert_eq!(change.corrections[0].after.as_deref(), Some("Eve Adams"));
}

#[test]
fn a_deleted_checkin_leaves_no_score_or_note_in_the_history() {
    let ledger = org().checkins("eve", &[("2026-01-05", 2, 3, 4)]).ledger();
    let change = ledger.delete_checkin(&id("eve"), d("2026-01-05")).unwrap();
    let [c] = change.corrections.as_slice() else {
        panic!("{:?}", change.corrections)
    };
    assert_eq!(
        (c.before.as_deref(), c.after.as_deref()),
        (Some("recorded"), None)
    );
    let after = ledger.apply(&change, &Origin::new("t", 0)).unwrap();
    let i = after.person_index(&id("eve")).unwrap();
    assert!(after.checkins_of(i).is_empty());
    assert!(matches!(
        after.delete_checkin(&id("eve"), d("2026-01-05")),
        Err(EditError::NoCheckIn { .. })
    ));
}

#[test]
fn erase_is_blocked_by_the_people_who_report_to_the_person() {
    let ledger = org().ledger();
    assert_eq!(
        ledger.erase_blockers(&id("mia")).unwrap(),
        vec![id("eve"), id("raj")]
    );
    assert!(ledger.erase_blockers(&id("eve")).unwrap().is_empty());
}

#[test]
fn a_stint_from_another_org_counts_for_the_rules_but_not_as_a_swing_here() {
    let mut org = Org::default()
        .person("kai", Willingness::Yes, None)
        .stint("kai", "engineer L5 2015-01-01 2020-01-01")
        .stint("kai", "manager L5 2020-01-01");
    org.parts.stints[0].item.org = Some("Previous Co".into());
    let ledger = org.ledger();
    let metrics = Metrics::compute(&ledger, &org.policy, d("2026-06-30"));
    assert_eq!(metrics.swings_per_senior_person.unwrap_or(0.0), 0.0);
    assert_eq!(metrics.managers_from_within_share, Some(0.0));
}

/// PostgreSQL cannot keep a NUL in text and SQLite can: every text of the ledger refuses one
/// where it is parsed, so that both backends keep the same ledgers.
#[test]
fn no_text_of_the_ledger_holds_a_nul_character() {
    let ledger = org().ledger();
    let nul = "contains a NUL character (\\0) at byte 3; no text may hold one, so remove it";
    let renamed = ledger.edit_person(
        &id("eve"),
        &PersonEdit {
            name: Some("Eve\0Adams".into()),
            ..PersonEdit::default()
        },
    );
    assert_eq!(
        renamed.unwrap_err().to_string(),
        format!("name: {nul}"),
        "a new name"
    );
    let mut request = leave("raj", "2026-05-01", None);
    request.reason = Some("for\0ever".into());
    let left = ledger.leave(&request).map(|_| ());
    assert_eq!(
        left.unwrap_err().to_string(),
        format!("reason: {nul}"),
        "a reason"
    );
    // What reaches the ledger another way is refused by `build`, located.
    let mut parts = ledger.to_parts();
    parts.people[0].origin = Origin::new("people.csv", 2);
    parts.people[0].item.name = "Bo\0ss".into();
    let problems = pendulum_core::Ledger::build(parts).unwrap_err().to_string();
    assert!(
        problems.contains(&format!(
            "people.csv:2: name: {}",
            nul.replace("byte 3", "byte 2")
        )),
        "{problems}"
    );
    let ladder = pendulum_core::Ladder::new(vec!["L1".into(), "L\u{0}2".into()]);
    assert!(
        ladder.unwrap_err().to_string().contains("NUL character"),
        "a level"
    );
}
