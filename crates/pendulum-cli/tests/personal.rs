//! The personal ledger end to end on the real binary: a person's career exported from one
//! database and imported into another reads back to the same bytes; importing it again
//! changes nothing; a corrupted document is refused whole, with every problem named.

mod common;

use std::path::Path;

use common::{import_fixture, member_token, pendulum, run};
use sqlx::{ConnectOptions, Connection};

/// Keeps a reflection for an account, as the reflection form of the web pages saves it.
fn reflect(db: &Path, account: &str, day: &str, answers: &str) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let mut conn = sqlx::sqlite::SqliteConnectOptions::new()
            .filename(db)
            .connect()
            .await
            .unwrap();
        sqlx::query("INSERT INTO reflections (account, day, answers) VALUES (?, ?, ?)")
            .bind(account)
            .bind(day)
            .bind(answers)
            .execute(&mut conn)
            .await
            .unwrap();
        conn.close().await.unwrap();
    });
}

/// The org of the fixtures, with a check-in of Ada's that has a private note, an account of
/// hers and a reflection.
fn first_employer(home: &Path, db: &Path) {
    import_fixture(home, db);
    pendulum(home, db)
        .args([
            "checkin",
            "ada",
            "--joy",
            "2",
            "--energy",
            "3",
            "--learning",
            "4",
            "--date",
            "2026-06-15",
            "--note-stdin",
        ])
        .write_stdin("thinking about going back to code\n")
        .assert()
        .success();
    member_token(home, db, "ada");
    reflect(
        db,
        "ada@example.com",
        "2026-06-20",
        r#"{"missing":"building things","next":"ask for a tech lead trial"}"#,
    );
}

#[test]
fn a_career_moves_to_another_database_and_back_to_the_same_bytes() {
    let home = tempfile::tempdir().unwrap();
    let (first, second) = (home.path().join("acme.db"), home.path().join("mine.db"));
    first_employer(home.path(), &first);
    let file = home.path().join("ada.json");
    let file_arg = file.to_str().unwrap();
    run(
        home.path(),
        &first,
        &["export", "--person", "ada", "--org", "Acme", "-o", file_arg],
    );
    let document = std::fs::read_to_string(&file).unwrap();
    assert!(document.contains("\"format\": \"pendulum-personal-ledger\""));
    assert!(document.contains("thinking about going back to code"));
    assert!(document.contains("\"org\": \"Acme\""));
    assert!(document.contains("ask for a tech lead trial"));
    assert!(
        !document.contains("\"team\""),
        "no team of the org leaves with a person"
    );

    // A new database: the person is created; their reflections wait for an account.
    let out = pendulum(home.path(), &second)
        .args(["import", "--person-ledger", file_arg])
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("1 reflection was not imported: ada has no account here"),
        "{stderr}"
    );
    member_token(home.path(), &second, "ada");
    let out = run(
        home.path(),
        &second,
        &["import", "--person-ledger", file_arg],
    );
    assert!(
        out.starts_with("imported 0 stints, 0 check-ins, 0 answers about managing, 0 evidence rows and 1 reflections of ada"),
        "{out}"
    );

    // Stints there carry their org, so any name given for that org's own changes nothing.
    let again = run(
        home.path(),
        &second,
        &["export", "--person", "ada", "--json"],
    );
    assert_eq!(again, document);
    let whole = run(home.path(), &second, &["export", "--json"]);
    assert!(whole.contains("\"org\": \"Acme\""));

    // A third import finds everything there and changes nothing; `--json` says so.
    let out = run(
        home.path(),
        &second,
        &["import", "--person-ledger", file_arg, "--json"],
    );
    let counts: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(counts["person"], "ada");
    assert_eq!(counts["created"], false);
    for added in ["stints", "checkins", "answers", "evidence", "reflections"] {
        assert_eq!(counts[added], 0, "{added} in {out}");
    }
    assert!(counts["skipped"].as_u64().unwrap() > 0, "{out}");
    assert_eq!(run(home.path(), &second, &["export", "--json"]), whole);
    assert_eq!(
        run(home.path(), &second, &["export", "--person", "ada"]),
        document
    );
}

#[test]
fn a_corrupted_document_is_refused_with_every_problem_named_and_nothing_written() {
    let home = tempfile::tempdir().unwrap();
    let (first, second) = (home.path().join("acme.db"), home.path().join("other.db"));
    first_employer(home.path(), &first);
    let document = run(home.path(), &first, &["export", "--person", "ada"]);
    // Another org, where Ben is to receive the history while his own stint is open.
    import_fixture(home.path(), &second);
    let before = run(home.path(), &second, &["export", "--json"]);

    let corrupted = document
        .replacen("\"start\": \"2015-01-05\"", "\"start\": \"2015-01-32\"", 1)
        .replacen(
            "\"level\": \"L6\",\n      \"band\"",
            "\"level\": \"Staff\",\n      \"band\"",
            1,
        )
        .replacen("\"date\": \"2026-02-10\"", "\"date\": \"10/02/2026\"", 1);
    let file = home.path().join("ada-bad.json");
    std::fs::write(&file, &corrupted).unwrap();
    let file_arg = file.to_str().unwrap();
    let out = pendulum(home.path(), &second)
        .args(["import", "--person-ledger", file_arg, "--as", "ben"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    // A problem is named at the line where its record begins.
    let at = |needle: &str| {
        let lines: Vec<&str> = corrupted.lines().collect();
        let key = lines.iter().position(|l| l.contains(needle)).unwrap();
        let open = lines[..key].iter().rposition(|l| l.trim() == "{").unwrap();
        format!("{file_arg}:{}:", open + 1)
    };
    for expected in [
        format!(
            "{} start: \"2015-01-32\" is not a day of the calendar",
            at("2015-01-32")
        ),
        format!(
            "{} level: \"Staff\" is not a level of the ladder",
            at("2015-01-32")
        ),
        format!("{} date: \"10/02/2026\" is not a date", at("10/02/2026")),
        format!(
            "{} start: ben's stints overlap",
            at("\"start\": \"2023-01-02\"")
        ),
    ] {
        assert!(stderr.contains(&expected), "{expected}\nnot in\n{stderr}");
    }
    assert!(stderr.contains("import refused:"), "{stderr}");
    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert_eq!(run(home.path(), &second, &["export", "--json"]), before);

    // An unknown version is named before anything else is read.
    std::fs::write(
        &file,
        document.replacen("\"version\": 1", "\"version\": 7", 1),
    )
    .unwrap();
    pendulum(home.path(), &second)
        .args(["import", "--person-ledger", file_arg])
        .assert()
        .code(1)
        .stderr(predicates::str::contains(format!(
            "{file_arg}:3: version: 7 is not a version this program reads (expected 1)"
        )));
    assert_eq!(run(home.path(), &second, &["export", "--json"]), before);
}
