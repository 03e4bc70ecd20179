//! What a store does for a career past its first stint: departures and stints from another
//! org read back, corrections kept with who made them, and an erasure that leaves no trace
//! of the person in any table, however the backend lays them out.

use crate::{Actor, AuditEntry, NewAccount, NewSession, PulseAnswer, Store, StoreError};
use pendulum_core::{
    Account, AccountRole, CalendarWeek, Change, CheckIn, Departure, GitCommit, GitIngestWrite,
    GitMonth, GitRepository, IsoWeek, Ladder, Ledger, Note, Origin, PersonEdit, Role, Score,
    Willingness, YearMonth,
};

use super::{d, email, person, pid, stint, team};

/// Every cell of every table: the table's name and the cell's bytes (text as UTF-8,
/// numbers as their decimal text). A backend's test gives this from its own catalogue, so
/// that a table added later is scanned without anyone remembering to.
pub type Cells = Vec<(String, Vec<u8>)>;

/// The person to erase, with identifiers that cannot occur by chance.
const ID: &str = "p-zoraq";
const NAME: &str = "Zora Quixley";
const ADDRESS: &str = "zora.quixley@erase.example";
const ALIAS: &str = "zq-old@erase.example";

fn org() -> Change {
    let mut zora = person(ID, ADDRESS, None);
    zora.name = NAME.to_owned();
    zora.aliases = vec![email(ALIAS)];
    zora.team = Some(super::tid("t-core"));
    let mut wil = person("p-wil", "wil@keep.example", Some(ID));
    wil.team = Some(super::tid("t-core"));
    let boss = person("p-boss", "boss@keep.example", None);
    let mut zora_stint = stint(ID, Role::Manager, "2022-01-01", None);
    zora_stint.team = Some(super::tid("t-core"));
    let mut before = stint(ID, Role::Engineer, "2015-01-01", Some("2020-01-01"));
    before.org = Some("Previous Co".into());
    Change {
        teams: vec![team("t-core", "Core", None)],
        people: vec![zora, wil, boss],
        stints: vec![
            before,
            zora_stint,
            stint("p-wil", Role::Engineer, "2022-01-01", None),
            stint("p-boss", Role::Manager, "2020-01-01", None),
        ],
        checkins: vec![CheckIn {
            person: pid(ID),
            date: d("2026-01-05"),
            joy: Score::new(2).unwrap(),
            energy: Score::new(3).unwrap(),
            learning: Score::new(4).unwrap(),
            note: Note::parse(format!("private: {NAME} is tired")).unwrap(),
        }],
        answers: vec![pendulum_core::WillingAnswer {
            person: pid(ID),
            date: d("2021-06-01"),
            answer: Willingness::Yes,
        }],
        git: vec![GitMonth {
            person: pid(ID),
            month: YearMonth::parse("2026-02").unwrap(),
            commits: 3,
            merges: 0,
            coauthored: 1,
            repositories: 1,
            lines_added: None,
            lines_removed: None,
            partial: false,
        }],
        calendar: vec![CalendarWeek {
            person: pid(ID),
            week: IsoWeek::parse("2026-W05").unwrap(),
            meeting_hours: 12.0,
            focus_hours: 10.0,
            fragmented_hours: 3.0,
            after_hours: 1.0,
        }],
        ..Change::default()
    }
}

/// A person who left and a stint from another org read back as they were written.
pub async fn departures_and_stints_from_elsewhere_round_trip(store: &impl Store) {
    store.apply(&org()).await.unwrap();
    let ledger = store.ledger(&Ladder::default()).await.unwrap();
    let left = ledger
        .leave(&pendulum_core::LeaveRequest {
            person: pid("p-boss"),
            on: d("2026-03-01"),
            reason: Some("a new challenge, 'quoted'".into()),
            reports_to: None,
        })
        .unwrap();
    store.apply(&left.change).await.unwrap();
    let loaded = store.ledger(&Ladder::default()).await.unwrap();
    assert_eq!(
        loaded.person(&pid("p-boss")).unwrap().departure,
        Some(Departure {
            on: d("2026-03-01"),
            reason: Some("a new challenge, 'quoted'".into()),
        })
    );
    let zora = loaded.person_index(&pid(ID)).unwrap();
    assert_eq!(
        loaded.stints_of(zora)[0].org.as_deref(),
        Some("Previous Co")
    );
    let expected = ledger.apply(&left.change, &Origin::database()).unwrap();
    super::assert_same(&loaded, &expected);
}

/// A correction, its history and its audit line are written together; the history names
/// who made it, oldest first, and a stint replaced by a correction is gone.
pub async fn corrections_are_kept_with_who_made_them(store: &impl Store) {
    store.apply(&org()).await.unwrap();
    let ledger = store.ledger(&Ladder::default()).await.unwrap();
    let edit = ledger
        .edit_stint(
            &pid("p-wil"),
            pendulum_core::StintKey::Start(d("2022-01-01")),
            &pendulum_core::StintEdit {
                start: Some(d("2021-11-01")),
                ..Default::default()
            },
        )
        .unwrap();
    let admin = Actor::Account(email("admin@keep.example"));
    let audit = AuditEntry {
        actor: admin.clone(),
        action: "edit stint".into(),
        subject: Some("p-wil".into()),
        outcome: "ok".into(),
    };
    store.apply_audited(&edit, &audit).await.unwrap();
    let delete = store
        .ledger(&Ladder::default())
        .await
        .unwrap()
        .delete_checkin(&pid(ID), d("2026-01-05"))
        .unwrap();
    store
        .apply_audited(
            &delete,
            &AuditEntry {
                actor: Actor::CommandLine("ops".into()),
                ..audit.clone()
            },
        )
        .await
        .unwrap();

    let loaded = store.ledger(&Ladder::default()).await.unwrap();
    let wil = loaded.person_index(&pid("p-wil")).unwrap();
    assert_eq!(loaded.stints_of(wil).len(), 1);
    assert_eq!(loaded.stints_of(wil)[0].start, d("2021-11-01"));
    let history = store.history(&pid("p-wil")).await.unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].actor, admin);
    assert_eq!(history[0].record, "stint from 2022-01-01");
    assert!(history[0].before.as_deref().unwrap().contains("2022-01-01"));
    assert!(history[0].after.as_deref().unwrap().contains("2021-11-01"));
    let zora = store.history(&pid(ID)).await.unwrap();
    assert_eq!(zora[0].actor, Actor::CommandLine("ops".into()));
    assert_eq!(zora[0].before.as_deref(), Some("recorded"));
    assert_eq!(store.audit_log().await.unwrap().len(), 2);
    // A correction of a record that is no longer there is a conflict, and writes nothing.
    let stale = store.apply_audited(&edit, &audit).await;
    assert!(matches!(stale, Err(StoreError::Conflict(_))), "{stale:?}");
    assert_eq!(store.history(&pid("p-wil")).await.unwrap().len(), 1);
    assert_eq!(store.audit_log().await.unwrap().len(), 2);
}

/// Everything the person touched, through every way a store is written.
async fn fill(store: &impl Store) {
    store.apply(&org()).await.unwrap();
    let commits = vec![
        GitCommit {
            id: [1; 20],
            parents: vec![],
            month: YearMonth::parse("2026-02").unwrap(),
            author_name: NAME.into(),
            author_email: ADDRESS.to_uppercase().into(),
            coauthors: vec![],
            lines: Some((10, 2)),
        },
        GitCommit {
            id: [2; 20],
            parents: vec![[1; 20]],
            month: YearMonth::parse("2026-02").unwrap(),
            author_name: "Wil".into(),
            author_email: "wil@keep.example".into(),
            coauthors: vec![format!("{NAME} <{ALIAS}>"), "Pat <pat@keep.example>".into()],
            lines: None,
        },
    ];
    let write = GitIngestWrite {
        repositories: vec![GitRepository {
            path: "/srv/git/core".into(),
            tips: vec![[2; 20]],
            shallow: false,
            mailmap: format!("{NAME} <{ADDRESS}> <{ALIAS}>\nWil <wil@keep.example>\n"),
        }],
        commits: &commits,
        identities: "digest".into(),
        ..GitIngestWrite::default()
    };
    store
        .ingest_git(&write, std::future::ready(Some(Change::default())))
        .await
        .unwrap();

    let theirs = Account {
        email: email(ADDRESS),
        role: AccountRole::Member,
        person: Some(pid(ID)),
    };
    let admin = Account {
        email: email("admin@keep.example"),
        role: AccountRole::Admin,
        person: None,
    };
    for account in [&theirs, &admin] {
        store
            .create_account(&NewAccount {
                account: account.clone(),
                password_hash: "not a real hash".into(),
            })
            .await
            .unwrap();
    }
    store
        .create_token(&theirs.email, "tok1", "hash-of-secret")
        .await
        .unwrap();
    store
        .create_session(&NewSession {
            id_hash: "session-hash".into(),
            account: theirs.email.clone(),
            csrf: "csrf".into(),
            now: 1_700_000_000,
        })
        .await
        .unwrap();
    store
        .save_reflection(
            &theirs.email,
            "2026-01-10",
            &format!("{{\"note\":\"{NAME}\"}}"),
        )
        .await
        .unwrap();
    let answer = PulseAnswer {
        year: 2026,
        manager: true,
        must_manage_to_grow: 4,
        fear_going_back: 2,
    };
    assert!(store.answer_pulse(&theirs.email, &answer).await.unwrap());
    store
        .audit(&AuditEntry {
            actor: Actor::Account(theirs.email.clone()),
            action: "read person".into(),
            subject: Some(ID.into()),
            outcome: "ok".into(),
        })
        .await
        .unwrap();
    // Someone else's history that names them: Wil is moved to another manager.
    let ledger = store.ledger(&Ladder::default()).await.unwrap();
    let moved = ledger
        .edit_person(
            &pid("p-wil"),
            &PersonEdit {
                manager: Some(Some(pid("p-boss"))),
                ..PersonEdit::default()
            },
        )
        .unwrap();
    store
        .apply_audited(
            &moved,
            &AuditEntry {
                actor: Actor::Account(theirs.email.clone()),
                action: "edit person".into(),
                subject: Some("p-wil".into()),
                outcome: "ok".into(),
            },
        )
        .await
        .unwrap();
}

/// Erasing refuses while someone reports to the person, naming them, and writes nothing.
pub async fn erase_is_refused_while_someone_reports_to_the_person(store: &impl Store) {
    store.apply(&org()).await.unwrap();
    let audit = erase_audit();
    let err = store.erase(&pid(ID), &audit).await.unwrap_err();
    assert!(
        matches!(&err, StoreError::Conflict(m) if m.contains("p-wil")),
        "{err}"
    );
    assert!(
        store
            .ledger(&Ladder::default())
            .await
            .unwrap()
            .person(&pid(ID))
            .is_some()
    );
    assert!(
        store
            .erase(&pid("p-nobody"), &audit)
            .await
            .unwrap()
            .is_none()
    );
}

fn erase_audit() -> AuditEntry {
    AuditEntry {
        actor: Actor::Account(email("admin@keep.example")),
        action: "erase person".into(),
        subject: None,
        outcome: "ok".into(),
    }
}

/// After an erasure no cell of any table holds the person's id, name, address or alias,
/// in any case; what others keep stays (their records, the commits an ingest needs, the
/// pulse's counts), and the audit log says an admin erased someone.
pub async fn erase_leaves_no_trace(store: &impl Store, cells: impl AsyncFn() -> Cells) {
    fill(store).await;
    let before = cells().await;
    let identifiers = [ID, NAME, ADDRESS, ALIAS];
    assert!(
        identifiers
            .iter()
            .all(|i| before.iter().any(|(_, c)| contains(c, i))),
        "the test must put every identifier somewhere before the erasure"
    );
    let commits = store.git_commits().await.unwrap().len();
    let tally = store.pulse_tally(2026).await.unwrap();

    let erased = store
        .erase(&pid(ID), &erase_audit())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(erased.stints, 2);
    assert_eq!(erased.checkins, 1);
    assert_eq!(erased.evidence, 2);
    assert_eq!(erased.reflections, 1);
    assert_eq!(erased.accounts, 1);
    assert_eq!(erased.commits, 2);

    let after = cells().await;
    let left: Vec<String> = after
        .iter()
        .filter(|(_, c)| identifiers.iter().any(|i| contains(c, i)))
        .map(|(t, c)| format!("{t}: {}", String::from_utf8_lossy(c)))
        .collect();
    assert!(left.is_empty(), "traces left after the erasure: {left:#?}");

    let ledger: Ledger = store.ledger(&Ladder::default()).await.unwrap();
    assert!(ledger.person(&pid(ID)).is_none());
    assert_eq!(ledger.people().len(), 2);
    assert_eq!(store.git_commits().await.unwrap().len(), commits);
    let wil = store.git_commits().await.unwrap()[1].clone();
    assert_eq!(wil.coauthors, vec!["Pat <pat@keep.example>".to_owned()]);
    assert_eq!(store.pulse_tally(2026).await.unwrap(), tally);
    assert!(store.account(&email(ADDRESS)).await.unwrap().is_none());
    let last = store.audit_log().await.unwrap().pop().unwrap();
    assert_eq!(last, erase_audit());
    assert!(store.history(&pid(ID)).await.unwrap().is_empty());
    assert_eq!(store.history(&pid("p-wil")).await.unwrap().len(), 1);
}

fn contains(cell: &[u8], needle: &str) -> bool {
    let cell = String::from_utf8_lossy(cell).to_lowercase();
    cell.contains(&needle.to_lowercase())
}
