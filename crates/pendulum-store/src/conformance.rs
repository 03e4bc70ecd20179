//! What every backend of `Store` must do, written against the trait alone.
//!
//! Each backend's test file runs every function here on a fresh, empty database of its own,
//! so that SQLite and PostgreSQL are held to exactly the same behaviour. The expected ledger
//! is always what `Ledger::apply` makes of the same change in memory: a store must give back
//! what the core would have, record for record and field for field.

use crate::{Store, StoreError};
use chrono::NaiveDate;
use pendulum_core::ledger::StintEnd;
use pendulum_core::{
    Band, CalendarWeek, Change, CheckIn, Email, GitMonth, IsoWeek, Ladder, Ledger, Level, Origin,
    Person, PersonId, Policy, Role, Score, Stint, SwingRequest, Team, TeamId, WillingAnswer,
    Willingness, YearMonth,
};

mod accounts;
mod career;
mod copy;
mod git;
mod pulse;

pub use accounts::*;
pub use career::*;
pub use copy::*;
pub use git::*;
pub use pulse::*;

/// A store that has never been written to reads as an empty ledger with no policy.
pub async fn a_new_store_is_empty(store: &impl Store) {
    assert!(store.is_empty().await.unwrap());
    assert!(store.policy().await.unwrap().is_none());
    let ledger = store.ledger(&Ladder::default()).await.unwrap();
    assert_same(&ledger, &Ledger::default());
}

/// A stored policy does not count as ledger rows; any ledger row does.
pub async fn is_empty_looks_at_the_ledger_only(store: &impl Store) {
    store.set_policy(&Policy::default()).await.unwrap();
    assert!(store.is_empty().await.unwrap());
    let one_team = Change {
        teams: vec![team("solo", "Solo", None)],
        ..Change::default()
    };
    store.apply(&one_team).await.unwrap();
    assert!(!store.is_empty().await.unwrap());
}

/// Every field of every kind of record comes back as it was written, `None`s included.
pub async fn every_field_round_trips(store: &impl Store) {
    let change = sample();
    let expected = in_memory(&Ledger::default(), &change);
    store.apply(&change).await.unwrap();
    let loaded = store.ledger(&Ladder::default()).await.unwrap();
    assert_same(&loaded, &expected);

    // Spot checks of what `assert_same` covers, so that a failure reads plainly.
    let ada = loaded.person(&pid("p-ada")).unwrap();
    assert_eq!(
        ada.aliases,
        vec![email("zed@old.example"), email("ada@old.example")],
        "aliases keep the order they were given in"
    );
    let notes: Vec<Option<&str>> = loaded
        .checkins()
        .iter()
        .map(|c| c.note.as_deref())
        .collect();
    assert_eq!(
        notes,
        vec![
            Some("recorded first, 'quoted', ünïcödé"),
            None,
            Some("recorded second"),
            None,
        ],
        "check-ins come back ordered by person and day"
    );
    assert_eq!(loaded.git()[0].lines_added, Some(5_000_000_000_000));
    assert_eq!(loaded.git()[1].lines_added, None);
    assert!(loaded.git()[0].partial && !loaded.git()[1].partial);
    assert_eq!(loaded.calendar()[0].after_hours, 0.1);
    let bands: Vec<Option<u16>> = loaded
        .stints()
        .iter()
        .map(|s| s.band.map(Band::get))
        .collect();
    assert_eq!(bands, vec![Some(0), Some(999), None, Some(12), None]);
    assert_eq!(ada.willing_since, Some(d("2024-02-01")));
    let ada_answers: Vec<(NaiveDate, Willingness)> = loaded
        .answers_of(loaded.person_index(&pid("p-ada")).unwrap())
        .iter()
        .map(|a| (a.date, a.answer))
        .collect();
    assert_eq!(
        ada_answers,
        vec![
            (d("2023-01-01"), Willingness::No),
            (d("2024-02-01"), Willingness::Yes)
        ],
        "answers come back ordered by person and day"
    );
    assert_eq!(store.policy().await.unwrap(), change.policy);
}

/// An answer about managing on a day that already has one replaces it; a later answer
/// becomes the current one; the store refuses a second answer on a day that does not
/// replace the first.
pub async fn an_answer_replaces_the_one_of_its_day(store: &impl Store) {
    store.apply(&sample()).await.unwrap();
    let before = store.ledger(&Ladder::default()).await.unwrap();
    let ada = pid("p-ada");
    let change = before
        .set_willing(&ada, Willingness::Unknown, d("2024-02-01"))
        .unwrap();
    assert_eq!(
        change.answers_replaced,
        vec![(ada.clone(), d("2024-02-01"))]
    );
    let expected = in_memory(&before, &change);
    store.apply(&change).await.unwrap();
    let after = store.ledger(&Ladder::default()).await.unwrap();
    assert_same(&after, &expected);
    assert_eq!(after.answers().len(), before.answers().len());
    assert_eq!(
        after.person(&ada).unwrap().willing_to_manage,
        Willingness::Unknown
    );

    let later = after
        .set_willing(&ada, Willingness::Yes, d("2025-05-05"))
        .unwrap();
    let expected = in_memory(&after, &later);
    store.apply(&later).await.unwrap();
    let latest = store.ledger(&Ladder::default()).await.unwrap();
    assert_same(&latest, &expected);
    let now = latest.person(&ada).unwrap();
    assert_eq!(
        (now.willing_to_manage, now.willing_since),
        (Willingness::Yes, Some(d("2025-05-05")))
    );
    assert_eq!(latest.answers().len(), before.answers().len() + 1);

    let twice = Change {
        answers: vec![WillingAnswer {
            person: ada,
            date: d("2025-05-05"),
            answer: Willingness::No,
        }],
        ..Change::default()
    };
    assert!(store.apply(&twice).await.is_err());
    let unchanged = store.ledger(&Ladder::default()).await.unwrap();
    assert_eq!(unchanged.answers(), latest.answers());
}

/// A check-in that replaces the one of its person and day leaves one, the newer; the store
/// refuses a second check-in on a day that does not replace the first.
pub async fn a_check_in_replaces_the_one_of_its_day(store: &impl Store) {
    store.apply(&sample()).await.unwrap();
    let before = store.ledger(&Ladder::default()).await.unwrap();
    let again = checkin("p-ada", "2024-05-02", [1, 2, 3], Some("changed my mind"));
    let change = before.check_in(again.clone());
    assert_eq!(
        change.checkins_replaced,
        vec![(pid("p-ada"), d("2024-05-02"))]
    );
    store.apply(&change).await.unwrap();
    let after = store.ledger(&Ladder::default()).await.unwrap();
    assert_eq!(after.checkins().len(), before.checkins().len());
    let ada = after.person_index(&pid("p-ada")).unwrap();
    assert!(after.checkins_of(ada).contains(&again));

    let twice = Change {
        checkins: vec![checkin("p-ada", "2024-05-02", [5, 5, 5], None)],
        ..Change::default()
    };
    assert!(store.apply(&twice).await.is_err());
    let unchanged = store.ledger(&Ladder::default()).await.unwrap();
    assert_eq!(unchanged.checkins(), after.checkins());
}

/// Updates replace the whole person, aliases included, and an address may move from one
/// person to another within one change.
pub async fn people_updates_replace_people_and_their_aliases(store: &impl Store) {
    store.apply(&sample()).await.unwrap();
    let before = store.ledger(&Ladder::default()).await.unwrap();

    let mut ada = before.person(&pid("p-ada")).unwrap().clone();
    let mut grace = before.person(&pid("p-grace")).unwrap().clone();
    let moved = ada.aliases.remove(0);
    ada.aliases.push(email("ada@new.example"));
    ada.name = "Ada King".into();
    ada.email = email("ada.king@example.com");
    ada.level = level("L6");
    ada.team = None;
    ada.manager = None;
    ada.willing_to_manage = Willingness::No;
    ada.willing_since = None;
    grace.aliases = vec![moved];
    grace.team = Some(tid("eng-core"));
    grace.manager = Some(pid("p-ada"));
    grace.willing_to_manage = Willingness::Yes;
    grace.willing_since = Some(d("2025-02-02"));
    let change = Change {
        people_updates: vec![ada, grace],
        ..Change::default()
    };

    let expected = in_memory(&before, &change);
    store.apply(&change).await.unwrap();
    assert_same(&store.ledger(&Ladder::default()).await.unwrap(), &expected);
}

/// A swing ends the open stint and opens the next one, as `Ledger::swing` describes it.
pub async fn stint_ends_close_open_stints(store: &impl Store) {
    store.apply(&sample()).await.unwrap();
    let before = store.ledger(&Ladder::default()).await.unwrap();
    let swing = before
        .swing(&SwingRequest {
            band: None,
            person: pid("p-ada"),
            to: Role::Engineer,
            on: d("2025-03-01"),
            team: Some(tid("eng")),
            level: None,
            chosen: true,
            trial_until: None,
        })
        .unwrap();
    assert_eq!(swing.stint_ends.len(), 1);

    let expected = in_memory(&before, &swing);
    store.apply(&swing).await.unwrap();
    let after = store.ledger(&Ladder::default()).await.unwrap();
    assert_same(&after, &expected);
    let i = after.person_index(&pid("p-ada")).unwrap();
    let ends: Vec<Option<NaiveDate>> = after.stints_of(i).iter().map(|s| s.end).collect();
    assert_eq!(
        ends,
        vec![Some(d("2021-06-15")), Some(d("2025-03-01")), None]
    );
}

/// The policy comes back as it was set, and setting it again replaces it.
pub async fn the_policy_round_trips(store: &impl Store) {
    store.set_policy(&Policy::default()).await.unwrap();
    assert_eq!(store.policy().await.unwrap(), Some(Policy::default()));
    let custom = custom_policy();
    store.set_policy(&custom).await.unwrap();
    assert_eq!(store.policy().await.unwrap(), Some(custom));
}

/// A change that fails anywhere leaves no trace: not its first rows, not its policy.
pub async fn a_failed_apply_changes_nothing(store: &impl Store) {
    store.apply(&sample()).await.unwrap();
    store.set_policy(&Policy::default()).await.unwrap();
    let before = store.ledger(&Ladder::default()).await.unwrap();

    // Each failure rides on a change that would otherwise write to every table.
    let failures: Vec<(&str, Change)> = vec![
        (
            "a stint end for a stint that does not exist",
            Change {
                stint_ends: vec![StintEnd {
                    person: pid("p-ada"),
                    start: d("2019-01-01"),
                    end: d("2025-01-01"),
                }],
                ..Change::default()
            },
        ),
        (
            "a stint end for a stint that has already ended",
            Change {
                stint_ends: vec![StintEnd {
                    person: pid("p-ada"),
                    start: d("2018-03-01"),
                    end: d("2025-01-01"),
                }],
                ..Change::default()
            },
        ),
        (
            "an update of a person who is not stored",
            Change {
                people_updates: vec![person("p-nobody", "nobody@example.com", None)],
                ..Change::default()
            },
        ),
        (
            "a stint of a person who is not stored",
            Change {
                stints: vec![stint("p-nobody", Role::Engineer, "2020-01-01", None)],
                ..Change::default()
            },
        ),
        (
            "a manager who is not stored (a reference checked at commit)",
            Change {
                people: vec![person("p-orphan", "orphan@example.com", Some("p-nobody"))],
                ..Change::default()
            },
        ),
        (
            "a person who is already stored",
            Change {
                people: vec![person("p-grace", "grace.again@example.com", None)],
                ..Change::default()
            },
        ),
        (
            "an answer of a person who is not stored",
            Change {
                answers: vec![answer("p-nobody", "2025-01-01", Willingness::Yes)],
                ..Change::default()
            },
        ),
    ];
    for (what, failure) in failures {
        let mut change = everything_new();
        change.people.extend(failure.people);
        change.people_updates.extend(failure.people_updates);
        change.stint_ends.extend(failure.stint_ends);
        change.stints.extend(failure.stints);
        change.answers.extend(failure.answers);
        let result = store.apply(&change).await;
        assert!(result.is_err(), "{what} must be refused");
        let after = store.ledger(&Ladder::default()).await.unwrap();
        assert_same(&after, &before);
        assert_eq!(
            store.policy().await.unwrap(),
            Some(Policy::default()),
            "{what}: the policy of a failed change must not be stored"
        );
    }

    // The same change without the failure goes through, so the failures were the cause.
    let change = everything_new();
    let expected = in_memory(&before, &change);
    store.apply(&change).await.unwrap();
    assert_same(&store.ledger(&Ladder::default()).await.unwrap(), &expected);
}

/// Stint ends and updates that do not match the database are conflicts, not database
/// errors: the caller's view of the ledger is out of date.
pub async fn stale_changes_are_conflicts(store: &impl Store) {
    store.apply(&sample()).await.unwrap();
    let stale_end = Change {
        stint_ends: vec![StintEnd {
            person: pid("p-ada"),
            start: d("2018-03-01"),
            end: d("2025-01-01"),
        }],
        ..Change::default()
    };
    let err = store.apply(&stale_end).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");
    let message = err.to_string();
    assert!(
        message.contains("p-ada") && message.contains("2018-03-01"),
        "{message}"
    );

    let stale_update = Change {
        people_updates: vec![person("p-nobody", "nobody@example.com", None)],
        ..Change::default()
    };
    let err = store.apply(&stale_update).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");
    assert!(err.to_string().contains("p-nobody"), "{err}");
}

/// Reading with a ladder that lacks a stored level names the table, the row and the level.
pub async fn a_level_off_the_ladder_is_corrupt(store: &impl Store) {
    store.apply(&sample()).await.unwrap();
    let short = Ladder::new(vec!["L1".into(), "L4".into(), "L5".into(), "L6".into()]).unwrap();
    let err = store.ledger(&short).await.unwrap_err();
    match &err {
        StoreError::Corrupt {
            table,
            key,
            message,
        } => {
            assert_eq!(*table, "people");
            assert_eq!(key, "id=p-grace");
            assert!(
                message.contains("level") && message.contains("\"L7\""),
                "{message}"
            );
        }
        other => panic!("expected a corrupt row, got {other:?}"),
    }
    let text = err.to_string();
    assert!(
        text.contains("people") && text.contains("p-grace"),
        "{text}"
    );
}

/// Changes larger than one insert statement can carry are split and still come back whole.
pub async fn large_changes_round_trip(store: &impl Store) {
    let change = synthetic_org(1_500);
    let expected = in_memory(&Ledger::default(), &change);
    store.apply(&change).await.unwrap();
    let loaded = store.ledger(&Ladder::default()).await.unwrap();
    assert_eq!(loaded.people().len(), 1_500);
    assert_eq!(loaded.checkins().len(), 1_500 * 6);
    assert_same(&loaded, &expected);
}

// What a store is compared with.

/// What the core makes of `change` on top of `ledger`, which the store must reproduce.
fn in_memory(ledger: &Ledger, change: &Change) -> Ledger {
    ledger
        .apply(change, &Origin::new("test", 0))
        .unwrap_or_else(|problems| panic!("the test change itself is invalid: {problems}"))
}

fn assert_same(actual: &Ledger, expected: &Ledger) {
    assert_eq!(actual.teams(), expected.teams(), "teams");
    assert_eq!(actual.people(), expected.people(), "people");
    assert_eq!(actual.stints(), expected.stints(), "stints");
    assert_eq!(actual.checkins(), expected.checkins(), "check-ins");
    assert_eq!(actual.git(), expected.git(), "git evidence");
    assert_eq!(actual.calendar(), expected.calendar(), "calendar evidence");
    assert_eq!(
        actual.answers(),
        expected.answers(),
        "answers about managing"
    );
}

// The data: built by hand from the core types, so that every field takes each of its shapes.

/// A small org using every field: nested teams defined before their parent, a report stored
/// before their manager, people with and without aliases, team, manager and a dated answer
/// about managing, open and closed stints with and without trials and bands (the lowest and
/// the highest), a history of answers, two check-ins on one day, git months with and without
/// line counts, and a policy.
pub fn sample() -> Change {
    let mut ada = person("p-ada", "ada@example.com", Some("p-grace"));
    ada.name = "Ada Lovelace".into();
    ada.aliases = vec![email("zed@old.example"), email("ada@old.example")];
    ada.level = level("L5");
    ada.team = Some(tid("eng-core"));
    ada.willing_to_manage = Willingness::Yes;
    ada.willing_since = Some(d("2024-02-01"));
    let mut grace = person("p-grace", "grace@example.com", None);
    grace.level = level("L7");
    grace.team = Some(tid("eng"));
    let mut linus = person("p-linus", "linus@example.com", Some("p-grace"));
    linus.name = "Linus Þórsson".into();
    linus.level = level("L1");
    linus.willing_to_manage = Willingness::No;
    linus.willing_since = Some(d("2024-07-01"));

    let mut ada_engineer = stint("p-ada", Role::Engineer, "2018-03-01", Some("2021-06-15"));
    ada_engineer.team = Some(tid("eng-core"));
    ada_engineer.level = level("L4");
    ada_engineer.band = Some(Band::new(0).unwrap());
    let mut ada_manager = stint("p-ada", Role::Manager, "2021-06-15", None);
    ada_manager.team = Some(tid("eng-core"));
    ada_manager.level = level("L5");
    ada_manager.chosen = false;
    ada_manager.trial_end = Some(d("2021-12-15"));
    ada_manager.band = Some(Band::new(Band::MAX).unwrap());
    let mut grace_hybrid = stint("p-grace", Role::Hybrid, "2015-01-01", None);
    grace_hybrid.level = level("L7");
    let mut linus_lead = stint("p-linus", Role::TechLead, "2024-02-29", Some("2025-01-01"));
    linus_lead.team = Some(tid("eng"));
    linus_lead.level = level("L1");
    linus_lead.chosen = false;
    linus_lead.trial_end = Some(d("2024-08-29"));
    linus_lead.band = Some(Band::new(12).unwrap());
    let mut linus_engineer = stint("p-linus", Role::Engineer, "2025-01-01", None);
    linus_engineer.level = level("L1");

    Change {
        teams: vec![
            team("eng-core", "Core", Some("eng-platform")),
            team("eng-platform", "Platform", Some("eng")),
            team("eng", "Engineering", None),
        ],
        // Linus and Ada come before Grace, their manager.
        people: vec![linus, ada, grace],
        stints: vec![
            ada_manager,
            linus_lead,
            ada_engineer,
            grace_hybrid,
            linus_engineer,
        ],
        checkins: vec![
            checkin("p-linus", "2024-01-01", [1, 1, 1], None),
            checkin("p-ada", "2024-05-02", [3, 3, 3], None),
            checkin(
                "p-ada",
                "2024-05-01",
                [5, 4, 2],
                Some("recorded first, 'quoted', ünïcödé"),
            ),
            checkin("p-ada", "2024-05-03", [2, 3, 4], Some("recorded second")),
        ],
        // Out of order: the store gives them back by person and day.
        answers: vec![
            answer("p-linus", "2024-07-01", Willingness::No),
            answer("p-ada", "2024-02-01", Willingness::Yes),
            answer("p-ada", "2023-01-01", Willingness::No),
        ],
        git: vec![
            GitMonth {
                person: pid("p-ada"),
                month: YearMonth::parse("2024-04").unwrap(),
                commits: 41,
                merges: 3,
                coauthored: 2,
                repositories: 4,
                lines_added: Some(5_000_000_000_000),
                lines_removed: Some(0),
                partial: true,
            },
            GitMonth {
                person: pid("p-ada"),
                month: YearMonth::parse("2024-05").unwrap(),
                commits: 0,
                merges: 0,
                coauthored: 0,
                repositories: 0,
                lines_added: None,
                lines_removed: None,
                partial: false,
            },
            GitMonth {
                person: pid("p-grace"),
                month: YearMonth::parse("2024-05").unwrap(),
                commits: u32::MAX,
                merges: 1,
                coauthored: 7,
                repositories: 1,
                lines_added: Some(10),
                lines_removed: None,
                partial: false,
            },
        ],
        calendar: vec![
            CalendarWeek {
                person: pid("p-ada"),
                week: IsoWeek::parse("2024-W18").unwrap(),
                meeting_hours: 12.5,
                focus_hours: 20.25,
                fragmented_hours: 3.0,
                after_hours: 0.1,
            },
            CalendarWeek {
                person: pid("p-grace"),
                week: IsoWeek::parse("2020-W53").unwrap(),
                meeting_hours: 31.0,
                focus_hours: 0.0,
                fragmented_hours: 1.0 / 3.0,
                after_hours: 6.75,
            },
        ],
        policy: Some(custom_policy()),
        ..Change::default()
    }
}

/// A valid change that writes to every table and sets a policy, with nothing in common with
/// [`sample`] but Grace, whom it names as a manager.
fn everything_new() -> Change {
    let mut newcomer = person("p-new", "new@example.com", Some("p-grace"));
    newcomer.aliases = vec![email("new@old.example")];
    newcomer.team = Some(tid("new-team"));
    Change {
        teams: vec![team("new-team", "New", Some("eng"))],
        people: vec![newcomer],
        stints: vec![stint("p-new", Role::Engineer, "2025-01-01", None)],
        checkins: vec![checkin("p-new", "2025-02-01", [4, 4, 4], Some("hello"))],
        answers: vec![answer("p-new", "2025-02-01", Willingness::Unknown)],
        git: vec![GitMonth {
            person: pid("p-new"),
            month: YearMonth::parse("2025-01").unwrap(),
            commits: 1,
            merges: 0,
            coauthored: 0,
            repositories: 1,
            lines_added: Some(1),
            lines_removed: Some(1),
            partial: false,
        }],
        calendar: vec![CalendarWeek {
            person: pid("p-new"),
            week: IsoWeek::parse("2025-W05").unwrap(),
            meeting_hours: 1.0,
            focus_hours: 2.0,
            fragmented_hours: 3.0,
            after_hours: 4.0,
        }],
        policy: Some(custom_policy()),
        ..Change::default()
    }
}

/// `people` people in departments of fifty, each with a manager, three stints, six
/// check-ins, two git months and two calendar weeks: enough rows that every table needs
/// more than one insert statement.
fn synthetic_org(people: usize) -> Change {
    let mut change = Change {
        teams: (0..people / 50 + 1)
            .map(|t| team(&format!("t{t}"), &format!("Team {t}"), None))
            .collect(),
        ..Change::default()
    };
    for i in 0..people {
        let id = format!("e{i:06}");
        let boss = (i % 50 != 0).then(|| format!("e{:06}", i - i % 50));
        let mut p = person(&id, &format!("{id}@example.com"), boss.as_deref());
        p.team = Some(tid(&format!("t{}", i / 50)));
        p.aliases = (0..i % 3)
            .map(|a| email(&format!("{id}.{a}@old.example")))
            .collect();
        change.people.push(p);
        let roles = [Role::Engineer, Role::Manager, Role::TechLead];
        let starts = ["2016-01-01", "2019-04-15", "2022-09-30"];
        for (k, (role, start)) in roles.iter().zip(starts).enumerate() {
            let end = starts.get(k + 1).copied();
            change.stints.push(stint(&id, *role, start, end));
        }
        for day in 1..=6u8 {
            let score = day % 5 + 1;
            change.checkins.push(checkin(
                &id,
                &format!("2025-03-{:02}", 7 - day),
                [score, 6 - score, 3],
                (day % 2 == 0)
                    .then(|| format!("note {day} of {id}"))
                    .as_deref(),
            ));
        }
        for month in ["2025-01", "2025-02"] {
            change.git.push(GitMonth {
                person: pid(&id),
                month: YearMonth::parse(month).unwrap(),
                commits: u32::try_from(i).unwrap(),
                merges: 1,
                coauthored: 0,
                repositories: 2,
                lines_added: (i % 2 == 0).then_some(i as u64 * 10),
                lines_removed: None,
                partial: i % 7 == 0,
            });
        }
        for week in ["2025-W01", "2025-W02"] {
            change.calendar.push(CalendarWeek {
                person: pid(&id),
                week: IsoWeek::parse(week).unwrap(),
                meeting_hours: i as f64 / 8.0,
                focus_hours: 10.0,
                fragmented_hours: 0.5,
                after_hours: 0.0,
            });
        }
    }
    change
}

fn custom_policy() -> Policy {
    Policy::from_toml(
        "senior_level = \"L6\"\n\
         [hands_on_distance]\nwarn_months = 12\nhybrid_hands_on_weight = 0.25\n\
         [pulse]\nmin_group_size = 7\n",
    )
    .unwrap()
}

fn team(id: &str, name: &str, parent: Option<&str>) -> Team {
    Team {
        id: tid(id),
        name: name.into(),
        parent: parent.map(tid),
    }
}

fn person(id: &str, address: &str, manager: Option<&str>) -> Person {
    Person {
        willing_since: None,
        id: pid(id),
        name: id.into(),
        email: email(address),
        aliases: vec![],
        level: level("L3"),
        team: None,
        manager: manager.map(pid),
        willing_to_manage: Willingness::Unknown,
        departure: None,
    }
}

fn stint(person: &str, role: Role, start: &str, end: Option<&str>) -> Stint {
    Stint {
        band: None,
        person: pid(person),
        role,
        team: None,
        level: level("L3"),
        start: d(start),
        end: end.map(d),
        chosen: true,
        trial_end: None,
        org: None,
    }
}

fn answer(person: &str, date: &str, answer: Willingness) -> WillingAnswer {
    WillingAnswer {
        person: pid(person),
        date: d(date),
        answer,
    }
}

fn checkin(
    person: &str,
    date: &str,
    [joy, energy, learning]: [u8; 3],
    note: Option<&str>,
) -> CheckIn {
    CheckIn {
        person: pid(person),
        date: d(date),
        joy: Score::new(joy).unwrap(),
        energy: Score::new(energy).unwrap(),
        learning: Score::new(learning).unwrap(),
        note: note.and_then(|n| pendulum_core::Note::parse(n).unwrap()),
    }
}

fn d(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

fn pid(id: &str) -> PersonId {
    PersonId::parse(id).unwrap()
}

fn tid(id: &str) -> TeamId {
    TeamId::parse(id).unwrap()
}

fn email(address: &str) -> Email {
    Email::parse(address).unwrap()
}

fn level(name: &str) -> Level {
    Ladder::default().level(name).unwrap()
}
