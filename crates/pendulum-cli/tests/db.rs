//! `pendulum db copy`: a whole database moved into another, empty one.

mod common;

use std::path::Path;

use common::{import_fixture, member_token, pendulum, run};

/// What a database says of itself through the commands a user reads.
fn readings(home: &Path, db: &Path) -> Vec<String> {
    [
        vec!["export", "--json"],
        vec!["report", "--json", "--as-of", "2026-06-01"],
        vec!["person", "show", "ada"],
        vec!["history", "ada"],
    ]
    .iter()
    .map(|args| run(home, db, args))
    .collect()
}

#[test]
fn a_copy_reads_like_its_source_and_goes_only_into_an_empty_database() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path();
    let (a, b) = (home.join("a.db"), home.join("b.db"));
    import_fixture(home, &a);
    member_token(home, &a, "ada");
    run(home, &a, &["person", "edit", "ada", "--name", "Ada O."]);

    let out = run(
        home,
        &a,
        &["db", "copy", a.to_str().unwrap(), b.to_str().unwrap()],
    );
    assert!(out.starts_with("copied "), "{out}");
    assert_eq!(readings(home, &b), readings(home, &a));

    // Into a database that holds anything: refused, and it is left as it was.
    let before = readings(home, &b);
    let out = pendulum(home, &a)
        .args(["db", "copy", a.to_str().unwrap(), b.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("not empty") && stderr.contains("nothing was written"),
        "{stderr}"
    );
    assert_eq!(readings(home, &b), before);
}

#[test]
fn a_copy_needs_a_source_that_exists_and_a_target_that_differs() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path();
    let a = home.join("a.db");
    import_fixture(home, &a);
    let missing = home.join("typo.db");
    let out = pendulum(home, &a)
        .args([
            "db",
            "copy",
            missing.to_str().unwrap(),
            home.join("new.db").to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("no database file"), "{stderr}");
    assert!(!missing.exists(), "a missing source is not created");

    let out = pendulum(home, &a)
        .args(["db", "copy", a.to_str().unwrap(), a.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("same database"));
}
