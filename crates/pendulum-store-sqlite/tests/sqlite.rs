//! The SQLite backend: the conformance tests on a fresh database file each, then what only
//! SQLite shows (files and folders made on open, schema upgrades, rows damaged behind the
//! store's back). Which locations name a SQLite file is pendulum-app's to test.

use std::path::Path;

use pendulum_core::{Change, Ladder};
use pendulum_store::conformance;
use pendulum_store::tables::TABLES;
use pendulum_store::{Store, StoreError};
use pendulum_store_sqlite::SqliteStore;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePool, SqlitePoolOptions};
use sqlx::{AssertSqlSafe, Row as _, TypeInfo as _, ValueRef as _};
use tempfile::TempDir;

/// A new, empty database in a folder of its own, removed when the folder is dropped.
async fn fresh() -> (TempDir, SqliteStore) {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("pendulum.db"))
        .await
        .unwrap();
    (dir, store)
}

macro_rules! conformance {
    ($($name:ident),* $(,)?) => {
        $(
            #[tokio::test]
            async fn $name() {
                let (_dir, store) = fresh().await;
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
    let (_a, source) = fresh().await;
    let (_b, target) = fresh().await;
    conformance::a_copy_holds_every_row(&source, &target).await;
}

/// A copy moves the tables `TABLES` lists, so the schema must have exactly those, with
/// exactly those columns: a table or column added without listing it would be left behind.
/// `git_commits` is the exception: the commits it held before packs move into
/// `git_commit_packs` on open, and it stays empty.
#[tokio::test]
async fn the_schema_has_exactly_the_tables_a_copy_moves() {
    let (dir, store) = fresh().await;
    drop(store);
    let pool = raw(&dir.path().join("pendulum.db")).await;
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' \
         AND name NOT IN ('_sqlx_migrations', 'git_commits') AND name NOT LIKE 'sqlite_%' \
         ORDER BY name",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let mut listed: Vec<&str> = TABLES.iter().map(|t| t.name).collect();
    listed.sort_unstable();
    assert_eq!(names, listed);
    for table in TABLES {
        let columns: Vec<String> = sqlx::query_scalar(AssertSqlSafe(format!(
            "SELECT name FROM pragma_table_info('{}') ORDER BY cid",
            table.name
        )))
        .fetch_all(&pool)
        .await
        .unwrap();
        let mut columns = columns;
        columns.sort_unstable();
        let mut expected: Vec<&str> = table.columns.iter().map(|c| c.name).collect();
        expected.sort_unstable();
        assert_eq!(columns, expected, "columns of {}", table.name);
    }
}

/// Every cell of every table in the database file, found from SQLite's own catalogue.
async fn cells(path: &Path) -> conformance::Cells {
    let pool = raw(path).await;
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let mut out = Vec::new();
    for table in tables {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT * FROM \"{table}\"")))
            .fetch_all(&pool)
            .await
            .unwrap();
        for row in rows {
            for i in 0..row.len() {
                let raw = row.try_get_raw(i).unwrap();
                if raw.is_null() {
                    continue;
                }
                // A number cannot hold a name or an address; text and blobs are read as
                // their bytes.
                if matches!(raw.type_info().name(), "INTEGER" | "REAL" | "NUMERIC") {
                    continue;
                }
                out.push((table.clone(), row.try_get::<Vec<u8>, _>(i).unwrap()));
            }
        }
    }
    pool.close().await;
    out
}

#[tokio::test]
async fn erase_leaves_no_trace() {
    let (dir, store) = fresh().await;
    let path = dir.path().join("pendulum.db");
    conformance::erase_leaves_no_trace(&store, async || cells(&path).await).await;
}

/// A database from before commit packs kept a row per commit; opening it moves the rows
/// into a pack, drops the old table, and reads the same commits back.
#[tokio::test]
async fn commits_kept_one_a_row_move_into_a_pack_on_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    drop(SqliteStore::open(&path).await.unwrap());
    let pool = raw(&path).await;
    sqlx::query(
        "CREATE TABLE git_commits (id BLOB NOT NULL PRIMARY KEY, parents BLOB NOT NULL, \
         month TEXT NOT NULL, author_name TEXT NOT NULL, author_email TEXT NOT NULL, \
         coauthors TEXT NOT NULL, lines_added INTEGER, lines_removed INTEGER) WITHOUT ROWID",
    )
    .execute(&pool)
    .await
    .unwrap();
    for (id, parents, lines) in [
        (vec![1u8; 20], Vec::new(), Some(7i64)),
        (vec![2u8; 20], vec![1u8; 20], None),
    ] {
        sqlx::query(
            "INSERT INTO git_commits VALUES (?, ?, '2025-03', 'Ada', 'ada@example.com', ?, ?, ?)",
        )
        .bind(id)
        .bind(parents)
        .bind("Bob <bob@example.com>\nCy <cy@example.com>")
        .bind(lines)
        .bind(lines)
        .execute(&pool)
        .await
        .unwrap();
    }
    sqlx::query("INSERT INTO settings (key, value) VALUES ('git_identities', 'abc+lines')")
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;

    let store = SqliteStore::open(&path).await.unwrap();
    let commits = store.git_commits().await.unwrap();
    assert_eq!(commits.len(), 2);
    assert_eq!(commits[0].lines, Some((7, 7)));
    assert_eq!(commits[1].parents, vec![[1u8; 20]]);
    assert_eq!(
        commits[1].coauthors,
        ["Bob <bob@example.com>", "Cy <cy@example.com>"]
    );
    assert_eq!(&*commits[1].author_email, "ada@example.com");
    // The old way of saying that lines were counted still reads as such.
    let sources = store.git_sources().await.unwrap();
    assert_eq!(sources.identities.as_deref(), Some("abc"));
    assert!(sources.lines_counted);
    let pool = raw(&path).await;
    let left: Option<i64> = sqlx::query_scalar(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'git_commits'",
    )
    .fetch_optional(&pool)
    .await
    .unwrap();
    assert_eq!(left, None);
}

/// A database from before one check-in a day may hold several on one day and notes of any
/// length: opening it keeps the last check-in of each day and cuts long notes to at most
/// 4096 bytes, and the ledger reads.
#[tokio::test]
async fn check_ins_of_one_day_and_long_notes_are_mended_on_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    old_database(
        &path,
        &[
            "DROP INDEX checkins_one_per_day",
            "DELETE FROM _sqlx_migrations WHERE version = 9",
            "INSERT INTO people (id, name, email, level, willing_to_manage) \
             VALUES ('ada', 'Ada', 'ada@x.io', 'L3', 'unknown')",
            "INSERT INTO checkins (person, day, joy, energy, learning, note) VALUES \
             ('ada', '2025-01-01', 1, 1, 1, 'first'), ('ada', '2025-01-01', 5, 5, 5, 'last'), \
             ('ada', '2025-01-02', 3, 3, 3, NULL)",
        ],
    )
    .await;
    let pool = raw(&path).await;
    sqlx::query("INSERT INTO checkins (person, day, joy, energy, learning, note) VALUES ('ada', '2025-01-03', 2, 2, 2, ?)")
        .bind("é".repeat(3000))
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;

    let store = SqliteStore::open(&path).await.unwrap();
    let ledger = store.ledger(&Ladder::default()).await.unwrap();
    let checkins = ledger.checkins();
    assert_eq!(checkins.len(), 3);
    assert_eq!(checkins[0].joy.get(), 5);
    assert_eq!(checkins[0].note.as_deref(), Some("last"));
    assert_eq!(checkins[2].note.as_deref(), Some("é".repeat(1024).as_str()));
}

/// A database from before pay bands and dated answers reads with no band, no day for each
/// answer and no history; the next answer is kept with its day.
#[tokio::test]
async fn a_ledger_from_before_bands_and_answers_reads_without_them() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    old_database(
        &path,
        &[
            "DROP TABLE willing_answers",
            "ALTER TABLE stints DROP COLUMN band",
            "ALTER TABLE people DROP COLUMN willing_since",
            "DELETE FROM _sqlx_migrations WHERE version = 11",
            "INSERT INTO people (id, name, email, level, willing_to_manage) \
             VALUES ('ada', 'Ada', 'ada@x.io', 'L3', 'no')",
            "INSERT INTO stints (person, start_date, role, level, chosen) \
             VALUES ('ada', '2020-01-01', 'engineer', 'L3', 1)",
        ],
    )
    .await;

    let store = SqliteStore::open(&path).await.unwrap();
    let ledger = store.ledger(&Ladder::default()).await.unwrap();
    let ada = &ledger.people()[0];
    assert_eq!(
        (ada.willing_to_manage, ada.willing_since),
        (pendulum_core::Willingness::No, None)
    );
    assert_eq!(ledger.stints()[0].band, None);
    assert!(ledger.answers().is_empty());

    let day = "2026-03-01".parse().unwrap();
    let change = ledger
        .set_willing(&ada.id, pendulum_core::Willingness::Yes, day)
        .unwrap();
    store.apply(&change).await.unwrap();
    let ledger = store.ledger(&Ladder::default()).await.unwrap();
    assert_eq!(ledger.people()[0].willing_since, Some(day));
    assert_eq!(ledger.answers().len(), 1);
}

/// A damaged commit pack is corrupt, named by its row.
#[tokio::test]
async fn a_damaged_commit_pack_is_corrupt() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.db");
    drop(SqliteStore::open(&path).await.unwrap());
    let pool = raw(&path).await;
    sqlx::query("INSERT INTO git_commit_packs (seq, commits, data) VALUES (5, 1, x'50435032ff')")
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
    let store = SqliteStore::open(&path).await.unwrap();
    let err = store.git_commits().await.unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::Corrupt {
                table: "git_commit_packs",
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("seq=5"), "{err}");
}

/// Makes the database at `path` as an older version left it: today's schema, taken back by
/// `statements` (run with foreign keys and CHECK constraints off), which also forget the
/// migrations they undo.
async fn old_database(path: &Path, statements: &[&str]) {
    drop(SqliteStore::open(path).await.unwrap());
    let pool = raw(path).await;
    for sql in statements {
        sqlx::query(sqlx::AssertSqlSafe(*sql))
            .execute(&pool)
            .await
            .unwrap();
    }
    pool.close().await;
}

/// A plain connection to the same file, for looking at rows and damaging them the way a
/// hand edit could: with foreign keys and CHECK constraints off.
async fn raw(path: &Path) -> SqlitePool {
    let options = SqliteConnectOptions::new()
        .filename(path)
        .foreign_keys(false)
        .pragma("ignore_check_constraints", "ON");
    SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await
        .unwrap()
}

#[tokio::test]
async fn open_creates_the_file_and_its_folders_and_reopening_keeps_the_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested").join("deeper").join("pendulum.db");
    let store = SqliteStore::open(&path).await.unwrap();
    assert!(path.is_file());
    store.apply(&conformance::sample()).await.unwrap();
    let written = store.ledger(&Ladder::default()).await.unwrap();
    drop(store);

    // The second open finds the migrations applied and must neither fail nor redo them.
    let store = SqliteStore::open(&path).await.unwrap();
    let read = store.ledger(&Ladder::default()).await.unwrap();
    assert_eq!(read.people(), written.people());
    assert_eq!(read.checkins(), written.checkins());
    assert_eq!(store.policy().await.unwrap(), conformance::sample().policy);
    drop(store);

    let pool = raw(&path).await;
    let migrations: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations")
        .fetch_one(&pool)
        .await
        .unwrap();
    let shipped = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations"))
        .unwrap()
        .count();
    assert_eq!(
        migrations as usize, shipped,
        "each migration applied exactly once"
    );
    let journal: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(journal, "wal");
}

#[tokio::test]
async fn open_names_the_file_it_cannot_open() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("not-a-folder");
    std::fs::write(&blocker, "a file where a folder should be").unwrap();
    let path = blocker.join("pendulum.db");
    let err = SqliteStore::open(&path).await.unwrap_err();
    assert!(matches!(err, StoreError::Open { .. }), "{err:?}");
    let message = err.to_string();
    assert!(
        message.starts_with("cannot open database ") && message.contains("not-a-folder"),
        "{message}"
    );
}

#[tokio::test]
async fn damaged_rows_are_corrupt_with_their_table_and_key() {
    let damage = [
        (
            "UPDATE stints SET end_date = '2021-13-01' \
             WHERE person = 'p-ada' AND start_date = '2018-03-01'",
            "stints",
            "person=p-ada, start_date=2018-03-01",
            "column end_date: \"2021-13-01\": not a date (expected YYYY-MM-DD)",
        ),
        (
            "UPDATE stints SET level = 'L99' \
             WHERE person = 'p-linus' AND start_date = '2025-01-01'",
            "stints",
            "person=p-linus, start_date=2025-01-01",
            "\"L99\" is not a level of the ladder",
        ),
        (
            "UPDATE stints SET chosen = 2 WHERE person = 'p-grace'",
            "stints",
            "person=p-grace, start_date=2015-01-01",
            "column chosen: 2 is not 0 (no) or 1 (yes)",
        ),
        (
            "UPDATE person_aliases SET email = 'not-an-address' \
             WHERE person = 'p-ada' AND position = 1",
            "person_aliases",
            "person=p-ada, position=1",
            "not an email address",
        ),
        (
            "UPDATE people SET willing_to_manage = 'maybe' WHERE id = 'p-linus'",
            "people",
            "id=p-linus",
            "\"maybe\" is not one of yes, no, unknown",
        ),
        (
            "UPDATE people SET willing_since = 'soon' WHERE id = 'p-ada'",
            "people",
            "id=p-ada",
            "column willing_since: \"soon\": not a date",
        ),
        (
            "UPDATE stints SET band = 1000 WHERE person = 'p-linus' AND start_date = '2024-02-29'",
            "stints",
            "person=p-linus, start_date=2024-02-29",
            "column band: 1000 is not a pay band from 0 to 999",
        ),
        (
            "UPDATE willing_answers SET answer = 'maybe' WHERE person = 'p-linus'",
            "willing_answers",
            "person=p-linus, day=2024-07-01",
            "column answer: \"maybe\": \"maybe\" is not one of yes, no, unknown",
        ),
        (
            "UPDATE teams SET id = 'has space' WHERE id = 'eng-platform'",
            "teams",
            "id=has space",
            "contains ' '",
        ),
        (
            "UPDATE checkins SET joy = 9 WHERE note = 'recorded second'",
            "checkins",
            "id=4",
            "column joy: 9 is not a score from 1 to 5",
        ),
        (
            "UPDATE git_evidence SET month = '2024-4' WHERE person = 'p-grace'",
            "git_evidence",
            "person=p-grace, month=2024-4",
            "is not a month (expected YYYY-MM)",
        ),
        (
            "UPDATE git_evidence SET commits = -1 WHERE person = 'p-grace'",
            "git_evidence",
            "person=p-grace, month=2024-05",
            "column commits: -1 is not a count",
        ),
        (
            "UPDATE calendar_evidence SET focus_hours = 'lots' WHERE person = 'p-grace'",
            "calendar_evidence",
            "person=p-grace, week=2020-W53",
            "column focus_hours: is not a number",
        ),
    ];
    for (sql, table, key, hint) in damage {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pendulum.db");
        let store = SqliteStore::open(&path).await.unwrap();
        store.apply(&conformance::sample()).await.unwrap();
        sqlx::query(sql).execute(&raw(&path).await).await.unwrap();
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
        let text = err.to_string();
        assert!(
            text.starts_with(&format!(
                "the database holds a bad row in {table} ({key}): "
            )),
            "{text}"
        );
    }
}

#[tokio::test]
async fn rows_that_do_not_make_a_ledger_are_corrupt_with_every_problem() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pendulum.db");
    let store = SqliteStore::open(&path).await.unwrap();
    store.apply(&conformance::sample()).await.unwrap();
    let pool = raw(&path).await;
    sqlx::query("UPDATE people SET manager = 'p-ada' WHERE id = 'p-grace'")
        .execute(&pool)
        .await
        .unwrap();
    let err = store.ledger(&Ladder::default()).await.unwrap_err();
    let StoreError::Corrupt {
        table,
        key,
        message,
    } = &err
    else {
        panic!("expected corrupt rows, got {err:?}");
    };
    assert_eq!((*table, key.as_str()), ("the ledger tables", ""));
    assert!(
        message.contains("people: manager: the reporting line loops"),
        "{message}"
    );
    assert!(
        err.to_string()
            .starts_with("the rows stored in the ledger tables do not make a valid ledger"),
        "{err}"
    );
}

#[tokio::test]
async fn a_stored_policy_that_no_longer_parses_is_corrupt() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pendulum.db");
    let store = SqliteStore::open(&path).await.unwrap();
    store.apply(&Change::default()).await.unwrap();
    let pool = raw(&path).await;
    sqlx::query("INSERT INTO settings (key, value) VALUES ('policy', 'warn_month = 3')")
        .execute(&pool)
        .await
        .unwrap();
    let err = store.policy().await.unwrap_err();
    assert!(
        matches!(&err, StoreError::Corrupt { table: "settings", key, .. } if key == "key=policy"),
        "{err:?}"
    );
    assert!(err.to_string().contains("warn_month"), "{err}");
}

/// Migration 0008 brings the audit lines an earlier version wrote within today's bounds:
/// a subject cut at 256 characters, an actor longer than any address made unknown.
#[tokio::test]
async fn migration_0008_trims_audit_lines_written_before_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.db");
    drop(SqliteStore::open(&path).await.unwrap());
    let pool = raw(&path).await;
    let huge_actor = format!("{}@x.io", "a".repeat(300));
    let huge_subject = "b".repeat(1 << 20);
    for (actor, subject) in [
        (huge_actor.as_str(), Some(huge_subject.as_str())),
        ("ok@x.io", Some("dev")),
    ] {
        sqlx::query("INSERT INTO audit_log (actor, action, subject, outcome) VALUES (?, 'sign-in', ?, 'denied')")
            .bind(actor)
            .bind(subject)
            .execute(&pool)
            .await
            .unwrap();
    }
    // The database as a version before 0008 left it.
    for statement in [
        "DELETE FROM _sqlx_migrations WHERE version = 8",
        "DROP INDEX sessions_last_seen",
        "DROP INDEX sessions_created_at",
    ] {
        sqlx::query(statement).execute(&pool).await.unwrap();
    }
    pool.close().await;

    let store = SqliteStore::open(&path).await.unwrap();
    let log: Vec<(String, Option<usize>)> = store
        .audit_log()
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.actor.to_string(), e.subject.map(|s| s.len())))
        .collect();
    assert_eq!(
        log,
        [
            ("unknown".to_owned(), Some(256)),
            ("ok@x.io".to_owned(), Some(3))
        ]
    );
}

/// A database from before the pulse kept counts had a row per answer (whose row id lined up
/// with the participants' rows); opening it turns the rows into counts and drops them.
#[tokio::test]
async fn pulse_answers_kept_one_a_row_become_counts_on_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    old_database(
        &path,
        &[
            "DROP TABLE pulse_tallies",
            "DROP TABLE pulse_participation",
            "DROP TABLE pulse_closed",
            "CREATE TABLE pulse_participants (account TEXT NOT NULL, year INTEGER NOT NULL, \
             PRIMARY KEY (account, year))",
            "CREATE TABLE pulse_answers (id INTEGER PRIMARY KEY, year INTEGER NOT NULL, \
             grp TEXT NOT NULL, must_manage_to_grow INTEGER NOT NULL, fear_going_back INTEGER NOT NULL)",
            "INSERT INTO accounts (email, role, password_hash) VALUES ('a@x.io', 'member', 'h'), \
             ('b@x.io', 'member', 'h')",
            "INSERT INTO pulse_participants VALUES ('a@x.io', 2025), ('b@x.io', 2025)",
            "INSERT INTO pulse_answers (year, grp, must_manage_to_grow, fear_going_back) \
             VALUES (2025, 'ic', 4, 2), (2025, 'ic', 4, 3)",
            "DELETE FROM _sqlx_migrations WHERE description = 'pulse tallies'",
        ],
    )
    .await;

    let store = SqliteStore::open(&path).await.unwrap();
    let tally = store.pulse_tally(2025).await.unwrap();
    assert_eq!(tally.hands_on.must_manage_to_grow, [0, 0, 0, 2, 0]);
    assert_eq!(tally.hands_on.fear_going_back, [0, 1, 1, 0, 0]);
    let a = pendulum_core::Email::parse("a@x.io").unwrap();
    assert!(store.answered_pulse(&a, 2025).await.unwrap());
    drop(store);
    let pool = raw(&path).await;
    let left: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM sqlite_master WHERE name IN ('pulse_answers', 'pulse_participants')",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(left, 0, "the rows of answers are gone");
}
