//! The same commands on SQLite and on PostgreSQL give the same bytes, and `db copy` moves a
//! database between the two and back without a difference `export --json` can see.
//!
//! Skipped, saying so, without a PostgreSQL server for tests (`PENDULUM_TEST_POSTGRES`; see
//! `scripts/test-postgres`); with `CI=true` a missing server fails the run instead.

mod common;

use std::path::Path;

use common::{import_fixture, run};

/// A new database on the test server, or `None` when there is none.
fn scratch() -> Option<String> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(pendulum_store_postgres::testing::scratch_database())
}

/// Writes through the command line: a correction, a check-in, a departure with a report
/// moved, and an erasure.
const WRITES: &[&[&str]] = &[
    &["person", "edit", "ada", "--name", "Ada O."],
    &[
        "checkin",
        "ben",
        "--joy",
        "4",
        "--energy",
        "3",
        "--learning",
        "5",
        "--date",
        "2026-05-02",
    ],
    &[
        "person",
        "leave",
        "ada",
        "--on",
        "2026-06-01",
        "--reason",
        "moved abroad",
        "--json",
    ],
    &["erase", "hana", "--yes", "--json"],
];

/// What a user reads back.
const READS: &[&[&str]] = &[
    &["export", "--json"],
    &["report", "--json", "--as-of", "2026-06-30"],
    &["person", "list", "--all"],
    &["person", "show", "ben"],
    &["nudges", "--as-of", "2026-06-30"],
];

fn outputs(home: &Path, db: &Path, commands: &[&[&str]]) -> Vec<String> {
    commands.iter().map(|args| run(home, db, args)).collect()
}

#[test]
fn the_same_commands_give_the_same_bytes_on_both_databases() {
    let Some(url) = scratch() else { return };
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path();
    let sqlite = home.join("p.db");
    let postgres = Path::new(&url);

    import_fixture(home, &sqlite);
    import_fixture(home, postgres);
    assert_eq!(
        outputs(home, postgres, WRITES),
        outputs(home, &sqlite, WRITES)
    );
    assert_eq!(
        outputs(home, postgres, READS),
        outputs(home, &sqlite, READS)
    );
}

#[test]
fn db_copy_goes_to_postgres_and_back() {
    let Some(url) = scratch() else { return };
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path();
    let (a, c) = (home.join("a.db"), home.join("c.db"));
    import_fixture(home, &a);
    run(home, &a, WRITES[0]);
    run(home, &a, WRITES[1]);

    let to_postgres = run(home, &a, &["db", "copy", a.to_str().unwrap(), &url]);
    assert!(to_postgres.starts_with("copied "), "{to_postgres}");
    let back = run(home, &a, &["db", "copy", &url, c.to_str().unwrap()]);
    let rows = |out: &str| out.split_whitespace().nth(1).map(str::to_owned);
    assert_eq!(rows(&back), rows(&to_postgres), "{back}");

    let postgres = Path::new(&url);
    assert_eq!(outputs(home, postgres, READS), outputs(home, &a, READS));
    assert_eq!(outputs(home, &c, READS), outputs(home, &a, READS));
    // History rows and their moments move too.
    assert_eq!(
        run(home, &c, &["history", "ada"]),
        run(home, &a, &["history", "ada"])
    );
}
