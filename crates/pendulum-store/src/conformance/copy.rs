//! A copy between two stores: every row of every table moves, reads back the same, and a
//! store that holds anything is never copied into.

use pendulum_core::{Change, Ladder, WillingAnswer, Willingness};

use super::{assert_same, d, email, pid};
use crate::tables::TABLES;
use crate::{Actor, AuditEntry, Store, StoreError};

/// Everything `source` holds moves to the empty `target`; afterwards both read the same,
/// new rows in the target continue after the copied ones, and a second copy is refused.
pub async fn a_copy_holds_every_row(source: &impl Store, target: &impl Store) {
    super::career::fill(source).await;
    let answer = Change {
        answers: vec![WillingAnswer {
            person: pid("p-wil"),
            date: d("2026-03-01"),
            answer: Willingness::Yes,
        }],
        ..Change::default()
    };
    source.apply(&answer).await.unwrap();
    source
        .create_token(&email("admin@keep.example"), "tok2", "hash-2")
        .await
        .unwrap();
    assert!(source.revoke_token("tok2").await.unwrap());
    assert!(source.close_pulse(2025).await.unwrap());

    let mut tables = Vec::new();
    for table in TABLES {
        tables.push((table, source.dump_table(table).await.unwrap()));
    }
    let empty: Vec<&str> = tables
        .iter()
        .filter(|(_, rows)| rows.is_empty())
        .map(|(t, _)| t.name)
        .collect();
    assert!(
        empty.is_empty(),
        "the test must fill every table: {empty:?}"
    );

    target.restore(&tables).await.unwrap();
    for (table, rows) in &tables {
        let copied = target.dump_table(table).await.unwrap();
        assert_eq!(&copied, rows, "table {}", table.name);
    }

    let ladder = Ladder::default();
    assert_same(
        &target.ledger(&ladder).await.unwrap(),
        &source.ledger(&ladder).await.unwrap(),
    );
    assert_eq!(
        target.policy().await.unwrap(),
        source.policy().await.unwrap()
    );
    assert_eq!(
        target.revision().await.unwrap(),
        source.revision().await.unwrap()
    );
    assert_eq!(
        target.audit_log().await.unwrap(),
        source.audit_log().await.unwrap()
    );
    assert_eq!(
        target.history(&pid("p-wil")).await.unwrap(),
        source.history(&pid("p-wil")).await.unwrap()
    );
    assert_eq!(
        target.git_commits().await.unwrap(),
        source.git_commits().await.unwrap()
    );
    assert_eq!(
        target.git_sources().await.unwrap(),
        source.git_sources().await.unwrap()
    );
    assert_eq!(
        target.pulse_tally(2026).await.unwrap(),
        source.pulse_tally(2026).await.unwrap()
    );
    assert!(target.pulse_closed(2025).await.unwrap());
    let session = target.session("session-hash").await.unwrap().unwrap();
    assert_eq!(
        session,
        source.session("session-hash").await.unwrap().unwrap()
    );
    assert!(
        target
            .account_for_token("hash-of-secret")
            .await
            .unwrap()
            .is_some()
    );
    assert!(target.account_for_token("hash-2").await.unwrap().is_none());

    // Rows numbered by the backend go on after the copied ones.
    let line = AuditEntry {
        actor: Actor::CommandLine("ops".into()),
        action: "copy check".into(),
        subject: None,
        outcome: "ok".into(),
    };
    target.audit(&line).await.unwrap();
    let log = target.audit_log().await.unwrap();
    assert_eq!(log.len(), source.audit_log().await.unwrap().len() + 1);
    assert_eq!(log.last(), Some(&line));
    target
        .save_reflection(&email("admin@keep.example"), "2026-04-01", "{}")
        .await
        .unwrap();

    let before: Vec<_> = {
        let mut all = Vec::new();
        for table in TABLES {
            all.push(target.dump_table(table).await.unwrap());
        }
        all
    };
    let err = target.restore(&tables).await.unwrap_err();
    assert!(matches!(err, StoreError::NotEmpty { .. }), "{err}");
    for (table, rows) in TABLES.iter().zip(before) {
        assert_eq!(
            target.dump_table(table).await.unwrap(),
            rows,
            "{}",
            table.name
        );
    }
}
