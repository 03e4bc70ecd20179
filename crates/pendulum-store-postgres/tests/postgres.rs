//! The PostgreSQL backend: the conformance tests on a fresh database each, then what only
//! PostgreSQL shows (several stores, or servers, on one database; concurrent opens; rows
//! damaged behind the store's back; locations that hold a password).
//!
//! Each test gets its database from `PENDULUM_TEST_POSTGRES` (see
//! `pendulum_store_postgres::testing`) and is skipped, saying so, without it.

use pendulum_core::{Ladder, Role, SwingRequest};
use pendulum_store::conformance;
use pendulum_store::tables::TABLES;
use pendulum_store::{Store, StoreError};
use pendulum_store_postgres::PgStore;
use pendulum_store_postgres::testing::scratch_database;
use sqlx::Connection as _;
use sqlx::Row as _;
use sqlx::postgres::PgConnection;

macro_rules! conformance {
    ($($name:ident),* $(,)?) => {
        $(
            #[tokio::test]
            async fn $name() {
                let Some(url) = scratch_database().await else { return };
                let store = PgStore::open(&url).await.unwrap();
                conformance::$name(&store).await;
            }
        )*
    };
}

conformance!(
    a_new_store_is_empty,
    is_empty_looks_at_the_ledger_only,
    every_field_round_trips,
    people_updates_replace_people_and_their_aliases,
    a_check_in_replaces_the_one_of_its_day,
    an_answer_replaces_the_one_of_its_day,
    stint_ends_close_open_stints,
    the_policy_round_trips,
    a_failed_apply_changes_nothing,
    stale_changes_are_conflicts,
    a_level_off_the_ladder_is_corrupt,
    large_changes_round_trip,
    people_read_alone_match_the_ledger,
    git_ingests_remember_repositories_and_commits,
    an_abandoned_git_ingest_writes_nothing,
    many_small_git_ingests_read_back_whole,
    the_pulse_counts_answers_once_and_closes,
    pulse_years_are_those_with_answers_newest_first,
    departures_and_stints_from_elsewhere_round_trip,
    corrections_are_kept_with_who_made_them,
    erase_is_refused_while_someone_reports_to_the_person,
    accounts_tokens_and_the_audit_log,
    the_audit_log_names_the_command_line_and_keeps_no_long_subject,
    sessions_end_by_account_and_expired_ones_are_purged,
    a_password_hash_is_replaced,
    an_account_names_a_person_who_exists,
    every_write_moves_the_revision,
    every_change_to_access_moves_the_access_revision,
);

#[tokio::test]
async fn a_copy_holds_every_row() {
    let Some(from) = scratch_database().await else {
        return;
    };
    let Some(to) = scratch_database().await else {
        return;
    };
    let source = PgStore::open(&from).await.unwrap();
    let target = PgStore::open(&to).await.unwrap();
    conformance::a_copy_holds_every_row(&source, &target).await;
}

/// A copy moves the tables `TABLES` lists, so the schema must have exactly those, with
/// exactly those columns: a table or column added without listing it would be left behind.
#[tokio::test]
async fn the_schema_has_exactly_the_tables_a_copy_moves() {
    let Some(url) = scratch_database().await else {
        return;
    };
    drop(PgStore::open(&url).await.unwrap());
    let mut conn = PgConnection::connect(&url).await.unwrap();
    let columns: Vec<(String, String)> = sqlx::query_as(
        "SELECT c.table_name::text, c.column_name::text \
         FROM information_schema.columns c JOIN information_schema.tables t \
         ON t.table_schema = c.table_schema AND t.table_name = c.table_name \
         WHERE t.table_schema = current_schema() AND t.table_type = 'BASE TABLE' \
         AND t.table_name <> '_sqlx_migrations' \
         ORDER BY c.table_name, c.column_name",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    let mut listed: Vec<(String, String)> = TABLES
        .iter()
        .flat_map(|t| {
            t.columns
                .iter()
                .map(|c| (t.name.to_owned(), c.name.to_owned()))
        })
        .collect();
    listed.sort_unstable();
    assert_eq!(columns, listed);
}

/// Every cell of every table of the database, found from its catalogue: text as UTF-8,
/// numbers as decimal text, bytea as its bytes, dates as YYYY-MM-DD, booleans as 0 or 1,
/// times as PostgreSQL writes them.
async fn cells(url: &str) -> conformance::Cells {
    let mut conn = PgConnection::connect(url).await.unwrap();
    let columns: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT c.table_name::text, c.column_name::text, c.data_type::text \
         FROM information_schema.columns c JOIN information_schema.tables t \
         ON t.table_schema = c.table_schema AND t.table_name = c.table_name \
         WHERE t.table_schema = current_schema() AND t.table_type = 'BASE TABLE' \
         ORDER BY c.table_name, c.ordinal_position",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    assert!(
        columns.iter().any(|(t, _, _)| t == "git_commit_packs"),
        "the catalogue lists the store's tables"
    );
    let mut out = Vec::new();
    for (table, column, kind) in &columns {
        let rendered = match kind.as_str() {
            "bytea" => format!("\"{column}\""),
            "boolean" => format!("CASE WHEN \"{column}\" THEN '1' ELSE '0' END"),
            "date" => format!("to_char(\"{column}\", 'YYYY-MM-DD')"),
            _ => format!("\"{column}\"::text"),
        };
        let sql = format!("SELECT {rendered} FROM \"{table}\"");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .fetch_all(&mut conn)
            .await
            .unwrap();
        for row in rows {
            let cell: Option<Vec<u8>> = if kind == "bytea" {
                row.try_get(0).unwrap()
            } else {
                row.try_get::<Option<String>, _>(0)
                    .unwrap()
                    .map(String::into_bytes)
            };
            out.extend(cell.map(|c| (table.clone(), c)));
        }
    }
    conn.close().await.unwrap();
    out
}

#[tokio::test]
async fn erase_leaves_no_trace() {
    let Some(url) = scratch_database().await else {
        return;
    };
    let store = PgStore::open(&url).await.unwrap();
    conformance::erase_leaves_no_trace(&store, async || cells(&url).await).await;
}

/// Two stores on one database, as two servers would be, see each other's writes, and
/// the revision tells each that the other wrote.
#[tokio::test]
async fn two_stores_on_one_database_see_each_others_writes() {
    let Some(url) = scratch_database().await else {
        return;
    };
    // Opened at once, both find the schema brought up to date exactly once.
    let (a, b) = tokio::join!(PgStore::open(&url), PgStore::open(&url));
    let (a, b) = (a.unwrap(), b.unwrap());
    let mut conn = PgConnection::connect(&url).await.unwrap();
    let applied: Vec<i64> = sqlx::query_scalar("SELECT version FROM _sqlx_migrations")
        .fetch_all(&mut conn)
        .await
        .unwrap();
    assert_eq!(applied, [1, 2], "each migration is applied once");

    let before = b.revision().await.unwrap();
    a.apply(&conformance::sample()).await.unwrap();
    let after = b.revision().await.unwrap();
    assert!(after > before, "{before} -> {after}");
    assert_eq!(
        b.ledger(&Ladder::default()).await.unwrap().people(),
        a.ledger(&Ladder::default()).await.unwrap().people()
    );
    b.set_policy(&pendulum_core::Policy::default())
        .await
        .unwrap();
    assert!(a.revision().await.unwrap() > after);
    assert_eq!(
        a.policy().await.unwrap(),
        Some(pendulum_core::Policy::default())
    );
}

/// Two servers that swing the same person at the same moment, each from the ledger it
/// read, cannot both win: the ledger lock makes one wait for the other, which then finds
/// the stint already ended, a conflict.
#[tokio::test]
async fn concurrent_swings_of_one_person_give_one_conflict() {
    let Some(url) = scratch_database().await else {
        return;
    };
    let a = PgStore::open(&url).await.unwrap();
    let b = PgStore::open(&url).await.unwrap();
    a.apply(&conformance::sample()).await.unwrap();
    for round in 0..20u32 {
        let ledger = a.ledger(&Ladder::default()).await.unwrap();
        let on = chrono::NaiveDate::from_ymd_opt(2030, 1, 1).unwrap()
            + chrono::Days::new(u64::from(round) * 7);
        let to = if round % 2 == 0 {
            Role::Engineer
        } else {
            Role::Manager
        };
        let swing = ledger
            .swing(&SwingRequest {
                band: None,
                person: pendulum_core::PersonId::parse("p-ada").unwrap(),
                to,
                on,
                team: None,
                level: None,
                chosen: true,
                trial_until: None,
            })
            .unwrap();
        assert_eq!(swing.stint_ends.len(), 1);
        let (first, second) = (a.clone(), b.clone());
        let (one, two) = (swing.clone(), swing);
        let one = tokio::spawn(async move { first.apply(&one).await });
        let two = tokio::spawn(async move { second.apply(&two).await });
        let results = [one.await.unwrap(), two.await.unwrap()];
        let won = results.iter().filter(|r| r.is_ok()).count();
        let conflicts = results
            .iter()
            .filter(|r| matches!(r, Err(StoreError::Conflict(_))))
            .count();
        assert_eq!((won, conflicts), (1, 1), "round {round}: {results:?}");
    }
    let ledger = b.ledger(&Ladder::default()).await.unwrap();
    let ada = ledger
        .person_index(&pendulum_core::PersonId::parse("p-ada").unwrap())
        .unwrap();
    let open = ledger.stints_of(ada).iter().filter(|s| s.end.is_none());
    assert_eq!(open.count(), 1, "one open stint after all the swings");
}

/// A value that the schema's types allow but the ledger does not is corrupt, named by its
/// table, its row's key and its column.
#[tokio::test]
async fn damaged_rows_are_corrupt_with_their_table_and_key() {
    let damage = [
        (
            "UPDATE stints SET level = 'L99' \
             WHERE person = 'p-linus' AND start_date = '2025-01-01'",
            "stints",
            "person=p-linus, start_date=2025-01-01",
            "\"L99\" is not a level of the ladder",
        ),
        (
            "UPDATE person_aliases SET email = 'not-an-address' \
             WHERE person = 'p-ada' AND position = 1",
            "person_aliases",
            "person=p-ada, position=1",
            "column email: \"not-an-address\"",
        ),
        (
            "UPDATE git_evidence SET month = '2024-4' WHERE person = 'p-grace'",
            "git_evidence",
            "person=p-grace, month=2024-4",
            "is not a month (expected YYYY-MM)",
        ),
        (
            "UPDATE stints SET role = 'wizard' WHERE person = 'p-grace'",
            "stints",
            "person=p-grace, start_date=2015-01-01",
            "column role: \"wizard\"",
        ),
    ];
    for (sql, table, key, hint) in damage {
        let Some(url) = scratch_database().await else {
            return;
        };
        let store = PgStore::open(&url).await.unwrap();
        store.apply(&conformance::sample()).await.unwrap();
        let mut conn = PgConnection::connect(&url).await.unwrap();
        // The checks would refuse some of the damage; a hand edit may have dropped them.
        sqlx::raw_sql("ALTER TABLE stints DROP CONSTRAINT stints_role_check")
            .execute(&mut conn)
            .await
            .unwrap();
        sqlx::query(sql).execute(&mut conn).await.unwrap();
        let err = store.ledger(&Ladder::default()).await.unwrap_err();
        match &err {
            StoreError::Corrupt {
                table: t,
                key: k,
                message,
            } => {
                assert_eq!((*t, k.as_str()), (table, key), "{sql}: {message}");
                assert!(message.contains(hint), "{sql}: {message}");
            }
            other => panic!("{sql}: expected a corrupt row, got {other:?}"),
        }
    }
}

/// The error of a database that cannot be reached names where it is, never the password,
/// and comes at once rather than after the pool's retries.
#[tokio::test]
async fn an_unreachable_database_is_named_without_its_password() {
    let started = std::time::Instant::now();
    let err = PgStore::open("postgres://ops:s3cret-pw@127.0.0.1:1/pendulum?sslmode=disable")
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Open { .. }), "{err:?}");
    let message = err.to_string();
    assert!(!message.contains("s3cret"), "{message}");
    assert!(!format!("{err:?}").contains("s3cret"), "{err:?}");
    assert!(
        message.contains("postgres://ops@127.0.0.1:1/pendulum"),
        "{message}"
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
}

/// PostgreSQL is backed up with its own tools, which the refusal names.
#[tokio::test]
async fn backup_names_the_tools_to_use() {
    let Some(url) = scratch_database().await else {
        return;
    };
    let store = PgStore::open(&url).await.unwrap();
    let err = store
        .backup(std::path::Path::new("/tmp/never-written.db"))
        .await
        .unwrap_err();
    match err {
        StoreError::Unsupported(why) => {
            assert!(
                why.contains("pg_dump") && why.contains("pendulum db copy"),
                "{why}"
            );
        }
        other => panic!("expected unsupported, got {other:?}"),
    }
    assert!(!std::path::Path::new("/tmp/never-written.db").exists());
}

/// PostgreSQL text holds no NUL character; an audit subject, which a client may have sent,
/// keeps its place with U+FFFD instead of failing the audit line.
#[tokio::test]
async fn a_nul_in_an_audit_subject_is_replaced() {
    let Some(url) = scratch_database().await else {
        return;
    };
    let store = PgStore::open(&url).await.unwrap();
    let entry = pendulum_store::AuditEntry {
        actor: pendulum_store::Actor::Unknown,
        action: "sign-in".into(),
        subject: Some("a\0b@x.io".into()),
        outcome: "rate-limited".into(),
    };
    store.audit(&entry).await.unwrap();
    let log = store.audit_log().await.unwrap();
    assert_eq!(log[0].subject.as_deref(), Some("a\u{FFFD}b@x.io"));
}
