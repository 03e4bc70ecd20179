//! What a store does for accounts, whatever holds them: API tokens, sessions and their
//! purge, password hashes, the audit log, and the revision every write moves.

use pendulum_core::{Account, AccountRole, Change, Email, PersonId, Policy};

use crate::{Actor, AuditEntry, NewAccount, NewSession, SessionExpiry, Store, StoreError};

fn account(email: &str, role: AccountRole) -> NewAccount {
    NewAccount {
        account: Account {
            email: Email::parse(email).unwrap(),
            role,
            person: None,
        },
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
    }
}

/// An account is created once, found by its address in any case, and kept out of debug
/// output; its tokens work while it is enabled and until they are revoked; the audit log
/// reads back what was written.
pub async fn accounts_tokens_and_the_audit_log(store: &impl Store) {
    let admin = account("admin@x.io", AccountRole::Admin);
    store.create_account(&admin).await.unwrap();
    assert!(matches!(
        store.create_account(&admin).await,
        Err(StoreError::Conflict(_))
    ));
    let email = Email::parse("ADMIN@x.io").unwrap();
    let stored = store.account(&email).await.unwrap().unwrap();
    assert_eq!(stored.account, admin.account);
    assert!(
        !format!("{stored:?}").contains("argon2"),
        "the hash stays out of debug output"
    );

    store.create_token(&email, "t1", "hash-1").await.unwrap();
    assert_eq!(
        store.account_for_token("hash-1").await.unwrap(),
        Some(admin.account.clone())
    );
    assert_eq!(store.account_for_token("hash-2").await.unwrap(), None);
    assert!(store.set_account_disabled(&email, true).await.unwrap());
    assert!(store.account(&email).await.unwrap().unwrap().disabled);
    assert_eq!(
        store.account_for_token("hash-1").await.unwrap(),
        None,
        "a disabled account's tokens stop working"
    );
    store.set_account_disabled(&email, false).await.unwrap();
    assert!(store.revoke_token("t1").await.unwrap());
    assert!(!store.revoke_token("t1").await.unwrap());
    assert_eq!(store.account_for_token("hash-1").await.unwrap(), None);
    let nobody = Email::parse("nobody@x.io").unwrap();
    assert!(matches!(
        store.create_token(&nobody, "t2", "hash-3").await,
        Err(StoreError::Conflict(_))
    ));
    assert!(!store.set_account_disabled(&nobody, true).await.unwrap());

    let entry = AuditEntry {
        actor: Actor::Account(email),
        action: "sign-in".into(),
        subject: None,
        outcome: "ok".into(),
    };
    store.audit(&entry).await.unwrap();
    assert_eq!(store.audit_log().await.unwrap(), vec![entry]);
}

/// The audit log names the command line with its user, and cuts a subject to
/// [`AuditEntry::MAX_SUBJECT_CHARS`] characters (not bytes).
pub async fn the_audit_log_names_the_command_line_and_keeps_no_long_subject(store: &impl Store) {
    let entries = [
        (Actor::CommandLine("ops".into()), Some("a".repeat(1 << 20))),
        (Actor::Unknown, Some("é".repeat(300))),
        (Actor::CommandLine(String::new()), None),
    ];
    for (actor, subject) in &entries {
        let entry = AuditEntry {
            actor: actor.clone(),
            action: "sign-in".into(),
            subject: subject.clone(),
            outcome: "denied".into(),
        };
        store.audit(&entry).await.unwrap();
    }
    let log = store.audit_log().await.unwrap();
    let read: Vec<(Actor, Option<usize>)> = log
        .into_iter()
        .map(|e| (e.actor, e.subject.map(|s| s.chars().count())))
        .collect();
    assert_eq!(
        read,
        vec![
            (Actor::CommandLine("ops".into()), Some(256)),
            (Actor::Unknown, Some(256)),
            (Actor::CommandLine(String::new()), None),
        ]
    );
}

/// Sessions idle or old past their cut are purged, and an account's sessions end all at
/// once, but for the one kept.
pub async fn sessions_end_by_account_and_expired_ones_are_purged(store: &impl Store) {
    for email in ["a@x.io", "b@x.io"] {
        store
            .create_account(&account(email, AccountRole::Admin))
            .await
            .unwrap();
    }
    let a = Email::parse("a@x.io").unwrap();
    let b = Email::parse("b@x.io").unwrap();
    // (id, account, created, last seen), with the idle cut at 100 and the absolute at 50.
    let sessions = [
        ("idle", &a, 90, 99),
        ("old", &a, 49, 150),
        ("edge", &a, 50, 100),
        ("live", &b, 120, 150),
    ];
    for (id, account, created, seen) in sessions {
        let new = NewSession {
            id_hash: id.into(),
            account: account.clone(),
            csrf: "c".into(),
            now: created,
        };
        store.create_session(&new).await.unwrap();
        store.touch_session(id, seen).await.unwrap();
    }
    let edge = store.session("edge").await.unwrap().unwrap();
    assert_eq!(
        (edge.account.email.as_str(), edge.csrf.as_str()),
        ("a@x.io", "c")
    );
    assert_eq!((edge.created_at, edge.last_seen), (50, 100));
    let expiry = SessionExpiry {
        idle_before: 100,
        created_before: 50,
    };
    assert_eq!(store.purge_sessions(expiry).await.unwrap(), 2);
    for (id, alive) in [
        ("idle", false),
        ("old", false),
        ("edge", true),
        ("live", true),
    ] {
        assert_eq!(store.session(id).await.unwrap().is_some(), alive, "{id}");
    }
    assert_eq!(store.purge_sessions(expiry).await.unwrap(), 0);

    let new = NewSession {
        id_hash: "second".into(),
        account: a.clone(),
        csrf: "c".into(),
        now: 120,
    };
    store.create_session(&new).await.unwrap();
    assert_eq!(store.delete_sessions_of(&a, Some("edge")).await.unwrap(), 1);
    assert!(
        store.session("edge").await.unwrap().is_some(),
        "the kept one"
    );
    assert_eq!(store.delete_sessions_of(&a, None).await.unwrap(), 1);
    assert!(store.session("edge").await.unwrap().is_none());
    assert!(
        store.session("live").await.unwrap().is_some(),
        "another account's sessions stay"
    );
    store.delete_session("live").await.unwrap();
    assert!(store.session("live").await.unwrap().is_none());
}

/// A password hash is replaced; there is none to replace for an unknown address.
pub async fn a_password_hash_is_replaced(store: &impl Store) {
    store
        .create_account(&account("a@x.io", AccountRole::Admin))
        .await
        .unwrap();
    let a = Email::parse("a@x.io").unwrap();
    assert!(store.set_password_hash(&a, "$argon2id$new").await.unwrap());
    assert_eq!(
        store.account(&a).await.unwrap().unwrap().password_hash,
        "$argon2id$new"
    );
    let nobody = Email::parse("nobody@x.io").unwrap();
    assert!(
        !store
            .set_password_hash(&nobody, "$argon2id$new")
            .await
            .unwrap()
    );
}

/// An account may only name a person who is stored.
pub async fn an_account_names_a_person_who_exists(store: &impl Store) {
    let mut member = account("m@x.io", AccountRole::Member);
    member.account.person = Some(PersonId::parse("ghost").unwrap());
    assert!(matches!(
        store.create_account(&member).await,
        Err(StoreError::Conflict(_))
    ));
}

/// Every write of the ledger or the policy moves the revision forward.
pub async fn every_write_moves_the_revision(store: &impl Store) {
    let before = store.revision().await.unwrap();
    store.apply(&Change::default()).await.unwrap();
    let after_apply = store.revision().await.unwrap();
    assert!(after_apply > before);
    store.set_policy(&Policy::default()).await.unwrap();
    assert!(store.revision().await.unwrap() > after_apply);
}

/// Every change to an account or a token moves the access revision, and nothing else does:
/// a server keeps the account behind a token while it stands still.
pub async fn every_change_to_access_moves_the_access_revision(store: &impl Store) {
    let admin = account("a@x.io", AccountRole::Admin);
    let email = &admin.account.email;
    store.create_account(&admin).await.unwrap();
    store.create_token(email, "t1", "hash-1").await.unwrap();
    let start = store.revisions().await.unwrap();
    // Reading moves nothing, and a ledger write moves the ledger's revision alone.
    assert!(store.account_for_token("hash-1").await.unwrap().is_some());
    store.apply(&Change::default()).await.unwrap();
    let after_write = store.revisions().await.unwrap();
    assert_eq!(after_write.access, start.access, "a ledger write");
    assert!(after_write.ledger > start.ledger);
    assert_eq!(after_write.ledger, store.revision().await.unwrap());

    let mut last = after_write.access;
    let mut moved = async |what: &str| {
        let now = store.revisions().await.unwrap().access;
        assert!(now > last, "{what} did not move the access revision");
        last = now;
    };
    assert!(store.revoke_token("t1").await.unwrap());
    moved("revoking a token").await;
    assert!(store.set_account_disabled(email, true).await.unwrap());
    moved("disabling an account").await;
    assert!(
        store
            .set_password_hash(email, "$argon2id$other")
            .await
            .unwrap()
    );
    moved("a new password").await;
}
