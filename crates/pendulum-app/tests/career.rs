//! The career use cases called directly, as the command line and the server call them, on a
//! SQLite file and, when `PENDULUM_TEST_POSTGRES` names a server, on PostgreSQL: who may
//! swing and check in for whom, what a refusal says and leaves in the audit log, and two
//! swings of one person at once.

use chrono::NaiveDate;
use pendulum_app::Db;
use pendulum_app::acting::{Who, WriteError};
use pendulum_app::career::{self, NewCheckIn, Swing};
use pendulum_app::exchange::{self, Run};
use pendulum_core::{Account, AccountRole, Email, Ledger, PersonId, Policy, Role, Score};
use pendulum_exchange::InputFile;
use pendulum_store::{Actor, Store};

mod common;

use common::{PEOPLE, STINTS};

/// The databases to run on: a fresh SQLite file always, a fresh PostgreSQL database when a
/// server is configured; each with the org imported by the operator.
async fn backends(dir: &tempfile::TempDir) -> Vec<(&'static str, Db)> {
    let mut stores = vec![(
        "sqlite",
        Db::open(&dir.path().join("app.db").display().to_string())
            .await
            .unwrap(),
    )];
    if let Some(url) = pendulum_store_postgres::testing::scratch_database().await {
        stores.push(("postgres", Db::open(&url).await.unwrap()));
    }
    for (_, store) in &stores {
        let files =
            [("people.csv", PEOPLE), ("stints.csv", STINTS)].map(|(name, text)| InputFile {
                name: name.into(),
                bytes: text.as_bytes().to_vec(),
            });
        let empty = Ledger::default();
        let policy = Policy::default();
        exchange::import(store, &empty, &policy, &Who::Operator, &files, Run::Write)
            .await
            .unwrap();
    }
    stores
}

fn account(label: &str, role: AccountRole, person: Option<&str>) -> Who {
    Who::Account(Account {
        email: Email::parse(&format!("{label}@accounts.x.io")).unwrap(),
        role,
        person: person.map(|p| PersonId::parse(p).unwrap()),
    })
}

fn id(raw: &str) -> PersonId {
    PersonId::parse(raw).unwrap()
}

fn day(raw: &str) -> NaiveDate {
    raw.parse().unwrap()
}

async fn ledger(store: &Db) -> Ledger {
    store.ledger(&Policy::default().ladder).await.unwrap()
}

fn to_tech_lead(on: &str) -> Swing {
    Swing {
        to: Role::TechLead,
        on: day(on),
        team: None,
        level: None,
        band: None,
        trial_until: None,
        chosen: true,
    }
}

fn feeling(on: &str) -> NewCheckIn {
    NewCheckIn {
        date: day(on),
        joy: Score::new(4).unwrap(),
        energy: Score::new(3).unwrap(),
        learning: Score::new(5).unwrap(),
        note: None,
    }
}

/// The audit log as `actor action subject outcome` lines, oldest first.
async fn audit(store: &Db) -> Vec<String> {
    store
        .audit_log()
        .await
        .unwrap()
        .iter()
        .map(|e| {
            let subject = e.subject.as_deref().unwrap_or("-");
            format!("{} {} {subject} {}", e.actor, e.action, e.outcome)
        })
        .collect()
}

#[tokio::test]
async fn a_manager_swings_someone_in_their_line_and_nobody_outside_it() {
    let dir = tempfile::tempdir().unwrap();
    for (backend, store) in backends(&dir).await {
        let lead = account("lead", AccountRole::Manager, Some("lead"));
        let now = ledger(&store).await;
        let swung = career::swing(&store, &now, &lead, &id("dev"), &to_tech_lead("2026-06-01"))
            .await
            .unwrap();
        assert_eq!(swung.stint.role, Role::TechLead, "{backend}");
        assert_eq!(swung.stint.start, day("2026-06-01"), "{backend}");
        assert!(!swung.level_changed, "{backend}: a swing keeps the level");

        // Outside the line is out of sight: "not found", as for a read.
        let now = ledger(&store).await;
        let outside =
            career::swing(&store, &now, &lead, &id("ot"), &to_tech_lead("2026-06-01")).await;
        assert!(
            matches!(&outside, Err(WriteError::NotFound(m)) if m.contains("\"ot\"")),
            "{backend}: {outside:?}"
        );
        // A member sees themselves, but a swing is not theirs to record.
        let dev = account("dev", AccountRole::Member, Some("dev"));
        let own = career::swing(&store, &now, &dev, &id("dev"), &to_tech_lead("2026-07-01")).await;
        assert!(
            matches!(&own, Err(WriteError::Forbidden(m)) if m.contains("admin or a manager above")),
            "{backend}: {own:?}"
        );
        // An admin may swing anyone.
        let admin = account("admin", AccountRole::Admin, None);
        career::swing(&store, &now, &admin, &id("ot"), &to_tech_lead("2026-06-15"))
            .await
            .unwrap();

        let after = ledger(&store).await;
        let ot = after.person_index(&id("ot")).unwrap();
        assert_eq!(after.stints_of(ot).len(), 2, "{backend}");
        let lines = audit(&store).await;
        assert!(lines[0].contains(" import - ok"), "{backend}: {lines:?}");
        assert_eq!(
            lines[1..],
            [
                "lead@accounts.x.io record swing dev ok",
                "lead@accounts.x.io record swing ot denied",
                "dev@accounts.x.io record swing dev denied",
                "admin@accounts.x.io record swing ot ok",
            ],
            "{backend}: each write and each refusal has its line, the import the operator's"
        );
    }
}

#[tokio::test]
async fn a_check_in_is_the_persons_own() {
    let dir = tempfile::tempdir().unwrap();
    for (backend, store) in backends(&dir).await {
        let now = ledger(&store).await;
        let dev = account("dev", AccountRole::Member, Some("dev"));
        let recorded = career::check_in(&store, &now, &dev, &id("dev"), feeling("2026-05-04"))
            .await
            .unwrap();
        assert_eq!(recorded.person, id("dev"), "{backend}");
        // Nobody records how someone else feels: not their manager, not an admin.
        for who in [
            account("lead", AccountRole::Manager, Some("lead")),
            account("admin", AccountRole::Admin, None),
        ] {
            let refused =
                career::check_in(&store, &now, &who, &id("dev"), feeling("2026-05-05")).await;
            assert!(
                matches!(&refused, Err(WriteError::Forbidden(m)) if m.contains("person it is about")),
                "{backend}: {refused:?}"
            );
        }
        // A member sees nobody else: the write is "not found".
        let peer = career::check_in(&store, &now, &dev, &id("ot"), feeling("2026-05-05")).await;
        assert!(
            matches!(peer, Err(WriteError::NotFound(_))),
            "{backend}: {peer:?}"
        );
        // A second check-in the same day replaces the first.
        let now = ledger(&store).await;
        career::check_in(&store, &now, &dev, &id("dev"), feeling("2026-05-04"))
            .await
            .unwrap();
        let after = ledger(&store).await;
        let i = after.person_index(&id("dev")).unwrap();
        assert_eq!(after.checkins_of(i).len(), 1, "{backend}");
        let lines = audit(&store).await;
        assert_eq!(
            lines[1..],
            [
                "dev@accounts.x.io record check-in dev ok",
                "lead@accounts.x.io record check-in dev denied",
                "admin@accounts.x.io record check-in dev denied",
                "dev@accounts.x.io record check-in ot denied",
                "dev@accounts.x.io record check-in dev ok",
            ],
            "{backend}"
        );
    }
}

/// Two swings of one person made from the same ledger, at once (two servers on one
/// database, or a command and a server): the store lets exactly one end the open stint;
/// the other is a conflict and leaves nothing, not even an audit line.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn of_two_swings_at_once_exactly_one_wins() {
    let dir = tempfile::tempdir().unwrap();
    for (backend, store) in backends(&dir).await {
        let now = ledger(&store).await;
        let admin = account("admin", AccountRole::Admin, None);
        let lead = account("lead", AccountRole::Manager, Some("lead"));
        let dev = id("dev");
        let (june_1, june_2) = (to_tech_lead("2026-06-01"), to_tech_lead("2026-06-02"));
        let (first, second) = tokio::join!(
            career::swing(&store, &now, &admin, &dev, &june_1),
            career::swing(&store, &now, &lead, &dev, &june_2),
        );
        let outcomes = [first.is_ok(), second.is_ok()];
        assert_eq!(
            outcomes.iter().filter(|&&won| won).count(),
            1,
            "{backend}: {first:?} {second:?}"
        );
        let lost = if first.is_ok() { second } else { first };
        assert!(
            matches!(lost, Err(WriteError::Conflict(_))),
            "{backend}: {lost:?}"
        );
        let after = ledger(&store).await;
        let i = after.person_index(&dev).unwrap();
        assert_eq!(
            after.stints_of(i).len(),
            2,
            "{backend}: one swing, one new stint"
        );
        let swings: Vec<String> = audit(&store)
            .await
            .into_iter()
            .filter(|l| l.contains("record swing"))
            .collect();
        assert_eq!(swings.len(), 1, "{backend}: {swings:?}");
        assert!(swings[0].ends_with(" ok"), "{backend}: {swings:?}");
    }
}

/// The audit line goes with the change: the operator's swing names the command line.
#[tokio::test]
async fn the_operator_writes_with_the_command_line_as_actor() {
    let dir = tempfile::tempdir().unwrap();
    for (backend, store) in backends(&dir).await {
        let now = ledger(&store).await;
        career::swing(
            &store,
            &now,
            &Who::Operator,
            &id("ot"),
            &to_tech_lead("2026-06-01"),
        )
        .await
        .unwrap();
        let log = store.audit_log().await.unwrap();
        let last = log.last().unwrap();
        assert!(
            matches!(last.actor, Actor::CommandLine(_)),
            "{backend}: {last:?}"
        );
        assert_eq!(
            (
                last.action.as_str(),
                last.subject.as_deref(),
                last.outcome.as_str()
            ),
            ("record swing", Some("ot"), "ok"),
            "{backend}"
        );
        // The ledger refuses a swing before the current stint began, every field named.
        let now = ledger(&store).await;
        let early = career::swing(
            &store,
            &now,
            &Who::Operator,
            &id("dev"),
            &to_tech_lead("2020-01-01"),
        )
        .await;
        assert!(
            matches!(&early, Err(WriteError::Swing(e)) if e.to_string().contains("dated after")),
            "{backend}: {early:?}"
        );
        assert_eq!(
            store.audit_log().await.unwrap().len(),
            log.len(),
            "{backend}"
        );
    }
}
