//! `pendulum ingest git` end to end: a real repository, a real database file.

use std::path::Path;
use std::process::Command as Process;

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

fn pendulum(dir: &TempDir) -> Command {
    let mut c = Command::cargo_bin("pendulum").unwrap();
    c.env_clear()
        .env("HOME", dir.path())
        .env("NO_COLOR", "1")
        .arg("--db")
        .arg(dir.path().join("ledger.db"));
    c
}

fn git(dir: &Path, args: &[&str], env: &[(&str, &str)]) {
    let status = Process::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_COMMITTER_NAME", "C")
        .env("GIT_COMMITTER_EMAIL", "c@example.com")
        .envs(env.iter().copied())
        .output()
        .unwrap();
    assert!(status.status.success(), "git {args:?}");
}

fn commit(dir: &Path, n: usize, name: &str, email: &str, date: &str) {
    std::fs::write(dir.join(format!("{n}.txt")), "x").unwrap();
    git(dir, &["add", "."], &[]);
    git(
        dir,
        &["commit", "-q", "-m", "work"],
        &[
            ("GIT_AUTHOR_NAME", name),
            ("GIT_AUTHOR_EMAIL", email),
            ("GIT_AUTHOR_DATE", date),
        ],
    );
}

fn json(cmd: &mut Command) -> Value {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Every git evidence row of `pendulum export --json`.
fn git_rows(dir: &TempDir) -> Vec<Value> {
    fn walk(v: &Value, out: &mut Vec<Value>) {
        match v {
            Value::Object(o) if o.get("source") == Some(&Value::from("git")) => out.push(v.clone()),
            Value::Object(o) => o.values().for_each(|x| walk(x, out)),
            Value::Array(a) => a.iter().for_each(|x| walk(x, out)),
            _ => {}
        }
    }
    let doc = json(pendulum(dir).args(["export", "--json"]));
    let mut out = Vec::new();
    walk(&doc, &mut out);
    out
}

#[test]
fn ingest_writes_evidence_once_and_reports_strangers() {
    let dir = tempfile::tempdir().unwrap();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/org");
    let mut import = pendulum(&dir);
    import.arg("import");
    for f in ["teams.csv", "people.csv", "stints.csv", "checkins.csv"] {
        import.arg(fixtures.join(f));
    }
    import.assert().success();

    let repo = dir.path().join("repos").join("service");
    std::fs::create_dir_all(&repo).unwrap();
    git(&repo, &["init", "-q", "-b", "main"], &[]);
    commit(
        &repo,
        1,
        "Ada",
        "ada.okafor@OLD.example.com",
        "1767300000 +0000",
    );
    commit(&repo, 2, "Ada", "ada@example.com", "1767300001 +0000");
    commit(&repo, 3, "Ben", "ben@example.com", "1770000000 +0000");
    commit(
        &repo,
        4,
        "Someone",
        "someone@elsewhere.example",
        "1770000001 +0000",
    );

    let summary = json(
        pendulum(&dir)
            .args(["ingest", "git", "--json"])
            .arg(dir.path().join("repos")),
    );
    assert_eq!(summary["repositories"], 1);
    assert_eq!(summary["commits_read"], 4);
    assert_eq!(summary["commits_matched"], 3);
    assert_eq!(
        summary["unmatched"][0]["identity"],
        "Someone <someone@elsewhere.example>"
    );
    assert_eq!(summary["partial"], false);

    let rows = git_rows(&dir);
    let ada = rows
        .iter()
        .find(|r| r["person"] == "ada" && r["month"] == "2026-01")
        .expect("ada's January");
    assert_eq!(ada["commits"], 2);
    assert_eq!(ada["merges"], 0);
    assert_eq!(ada["coauthored"], 0);
    assert_eq!(ada["repositories"], 1);
    assert_eq!(rows.len(), 2, "{rows:?}");

    // Nothing new: nothing read, nothing written.
    let again = json(pendulum(&dir).args(["ingest", "git", "--json"]).arg(&repo));
    assert_eq!(again["commits_read"], 0);
    assert_eq!(again["repositories_read"], 0);
    assert_eq!(git_rows(&dir), rows);

    // One new commit: only it is read, and Ben's February is replaced.
    commit(&repo, 5, "Ben", "ben@example.com", "1770000002 +0000");
    let more = json(pendulum(&dir).args(["ingest", "git", "--json"]).arg(&repo));
    assert_eq!(more["commits_read"], 1);
    let rows = git_rows(&dir);
    let ben = rows.iter().find(|r| r["person"] == "ben").unwrap();
    assert_eq!(ben["commits"], 2);

    // A bad path fails the run, names the path, and writes nothing.
    commit(&repo, 6, "Ben", "ben@example.com", "1770000003 +0000");
    let missing = dir.path().join("no-such-repo");
    let out = pendulum(&dir)
        .args(["ingest", "git"])
        .arg(&repo)
        .arg(&missing)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(missing.to_str().unwrap()), "{stderr}");
    assert_eq!(git_rows(&dir), rows);

    let human = pendulum(&dir)
        .args(["ingest", "git"])
        .arg(&repo)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(text.contains("1 new commits read"), "{text}");
}

#[test]
fn diffstat_counts_lines_once_and_keeps_them() {
    let dir = tempfile::tempdir().unwrap();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/org");
    pendulum(&dir)
        .arg("import")
        .arg(fixtures.join("teams.csv"))
        .arg(fixtures.join("people.csv"))
        .assert()
        .success();
    let repo = dir.path().join("service");
    std::fs::create_dir_all(&repo).unwrap();
    git(&repo, &["init", "-q", "-b", "main"], &[]);
    commit(&repo, 1, "Ada", "ada@example.com", "1767300000 +0000");
    commit(&repo, 2, "Ada", "ada@example.com", "1767300001 +0000");
    std::fs::write(repo.join("1.txt"), "one\ntwo\nthree\n").unwrap();
    commit(&repo, 3, "Ada", "ada@example.com", "1767300002 +0000");
    let ada = |dir: &TempDir| {
        git_rows(dir)
            .into_iter()
            .find(|r| r["person"] == "ada")
            .expect("ada's row")
    };

    let plain = json(pendulum(&dir).args(["ingest", "git", "--json"]).arg(&repo));
    assert_eq!(plain["commits_read"], 3);
    assert_eq!(ada(&dir)["lines_added"], Value::Null);

    // The commits already kept are counted now, without being stored twice.
    let counted = json(
        pendulum(&dir)
            .args(["ingest", "git", "--diffstat", "--json"])
            .arg(&repo),
    );
    assert_eq!(counted["commits_read"], 3);
    let row = ada(&dir);
    // 1 + 1 + (3 added and 1 removed in 1.txt, 1 in 3.txt), as `git log --numstat` counts.
    assert_eq!(
        (&row["lines_added"], &row["lines_removed"]),
        (&Value::from(6), &Value::from(1))
    );
    assert_eq!(row["commits"], 3);

    for flags in [&["--diffstat", "--json"][..], &["--json"][..]] {
        let again = json(
            pendulum(&dir)
                .args(["ingest", "git"])
                .args(flags)
                .arg(&repo),
        );
        assert_eq!(again["commits_read"], 0, "{flags:?}");
        assert_eq!(ada(&dir), row);
    }

    // A commit read without the flag has no lines yet; the next --diffstat run counts it.
    commit(&repo, 4, "Ada", "ada@example.com", "1767300003 +0000");
    let plain = json(pendulum(&dir).args(["ingest", "git", "--json"]).arg(&repo));
    assert_eq!(plain["commits_read"], 1);
    assert_eq!(ada(&dir)["commits"], 4);
    assert_eq!(ada(&dir)["lines_added"], 6);
    let counted = json(
        pendulum(&dir)
            .args(["ingest", "git", "--diffstat", "--json"])
            .arg(&repo),
    );
    assert_eq!(counted["commits_read"], 1);
    assert_eq!(ada(&dir)["lines_added"], 7);
}
