//! `pendulum plan assignments` and `pendulum plan check` end to end: real CSV files, the real
//! binary, and plans checked (and tampered with) as files.

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use serde_json::{Value, json};
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

fn write(dir: &TempDir, name: &str, text: &str) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// Ada can take two items, Bob one, Cy one (from --capacity). With the default band (gap
/// -1 to +3, best at +1, spread 2) the optimum gives `parser` to Ada rather than Bob: Bob's
/// gap of +3 on it would grow him 0, and `planner` grows him 938.
fn team(dir: &TempDir) -> (PathBuf, PathBuf) {
    let skills = write(
        dir,
        "skills.csv",
        "person,skill,level,capacity\nada,rust,5,2\nada,sql,7,2\nbob,rust,3,1\ncy,sql,4,\n",
    );
    let backlog = write(
        dir,
        "backlog.csv",
        "item,skill,difficulty\nparser,rust,6\nplanner,rust,4.5\nschema,sql,8\nindex,sql,5\ntoo-hard,rust,9.5\n",
    );
    (skills, backlog)
}

/// `pendulum [--policy FILE] plan assignments [flags] --skills SKILLS --backlog BACKLOG`.
fn assign(
    dir: &TempDir,
    policy: &[&Path],
    flags: &[&str],
    skills: &Path,
    backlog: &Path,
) -> Output {
    let mut cmd = pendulum(dir);
    for file in policy {
        cmd.arg("--policy").arg(file);
    }
    cmd.args(["plan", "assignments"])
        .args(flags)
        .arg("--skills")
        .arg(skills)
        .arg("--backlog")
        .arg(backlog)
        .output()
        .unwrap()
}

fn plan_json(dir: &TempDir, skills: &Path, backlog: &Path) -> Value {
    let out = assign(dir, &[], &["--capacity", "1", "--json"], skills, backlog);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The server's limits protect the server; the command line plans files above them, here
/// more rows per file and more person-item pairs in the band than a server takes.
#[test]
fn the_command_line_plans_files_above_the_servers_limits() {
    let limits = pendulum_server::PlanLimits::default();
    let dir = TempDir::new().unwrap();
    let people = limits.stretch_rows_per_file + 1000;
    let items = limits.stretch_candidates / people + 1;
    let mut skills = String::from("person,skill,level\n");
    for p in 0..people {
        skills.push_str(&format!("p{p},rust,4\n"));
    }
    let mut backlog = String::from("item,skill,difficulty\n");
    for i in 0..items {
        backlog.push_str(&format!("i{i},rust,5\n"));
    }
    assert!(people * items > limits.stretch_candidates);
    let skills = write(&dir, "skills.csv", &skills);
    let backlog = write(&dir, "backlog.csv", &backlog);
    let plan = plan_json(&dir, &skills, &backlog);
    assert_eq!(plan["assignments"].as_array().unwrap().len(), items);
    assert_eq!(plan["total_growth"], 1000 * items as i64);
}

/// Changes a plan document the way a hand edit could.
type Tamper = Box<dyn Fn(&mut Value)>;

#[test]
fn assignments_are_optimal_explained_and_check_as_valid() {
    let dir = tempfile::tempdir().unwrap();
    let (skills, backlog) = team(&dir);
    let plan = plan_json(&dir, &skills, &backlog);
    let pairs: Vec<(&str, &str, i64)> = plan["assignments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["person"].as_str().unwrap(),
                a["item"].as_str().unwrap(),
                a["growth"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        pairs,
        [
            ("ada", "parser", 1000),
            ("bob", "planner", 938),
            ("ada", "schema", 1000),
            ("cy", "index", 1000),
        ]
    );
    assert_eq!(plan["total_growth"], 3938);
    assert_eq!(plan["unassigned"], json!(["too-hard"]));
    assert_eq!(
        plan["assignments"][1],
        json!({"person": "bob", "item": "planner", "skill": "rust", "level": 3.0,
               "difficulty": 4.5, "gap": 1.5, "growth": 938})
    );

    let file = write(&dir, "plan.json", &plan.to_string());
    let out = pendulum(&dir)
        .args(["plan", "check", "--json"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let verdict: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        verdict,
        json!({"valid": true, "total_growth": 3938, "problems": []})
    );

    // The table says the same for people.
    let out = assign(&dir, &[], &["--capacity", "1"], &skills, &backlog);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("4 assignments, total growth 3938"), "{text}");
    assert!(text.contains("Unassigned (1): too-hard"), "{text}");
}

#[test]
fn a_tampered_plan_fails_its_check_naming_what_is_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let (skills, backlog) = team(&dir);
    let plan = plan_json(&dir, &skills, &backlog);
    let cases: Vec<(Tamper, &str)> = vec![
        (
            // Cy has room for one item only.
            Box::new(|p| {
                p["assignments"].as_array_mut().unwrap().push(json!({
                    "person": "cy", "item": "too-hard", "skill": "rust", "level": 4.0,
                    "difficulty": 9.5, "gap": 5.5, "growth": 0}));
                p["unassigned"] = json!([]);
            }),
            "cy -> too-hard",
        ),
        (
            Box::new(|p| p["assignments"][0]["growth"] = json!(999)),
            "ada -> parser: growth 999 stated; the band gives 1000",
        ),
        (
            Box::new(|p| p["assignments"][1]["level"] = json!(4.0)),
            "bob -> planner: the level stated does not match",
        ),
        (
            Box::new(|p| p["capacity"]["people"]["ada"] = json!(1)),
            "ada has 2 items; their capacity is 1",
        ),
        (
            Box::new(|p| p["total_growth"] = json!(5000)),
            "claims total growth 5000",
        ),
    ];
    for (tamper, expected) in cases {
        let mut bad = plan.clone();
        tamper(&mut bad);
        let file = write(&dir, "bad.json", &bad.to_string());
        let out = pendulum(&dir)
            .args(["plan", "check"])
            .arg(&file)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{expected}: {stderr}");
        assert!(stderr.contains(expected), "{expected}: {stderr}");
    }
}

#[test]
fn bad_files_are_named_with_line_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let (skills, backlog) = team(&dir);
    let broken = write(
        &dir,
        "broken.csv",
        "person,skill,level\nada,rust,five\nbob,,3\n",
    );
    let out = assign(&dir, &[], &["--capacity", "1"], &broken, &backlog);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("broken.csv:2: level"), "{stderr}");
    assert!(stderr.contains("broken.csv:3: skill"), "{stderr}");

    // Cy has no capacity in the file, and none is given on the command line.
    let out = assign(&dir, &[], &[], &skills, &backlog);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("no capacity for cy"), "{stderr}");

    let not_json = write(
        &dir,
        "plan.json",
        "{\n  \"plan\": \"stretch-assignment\",\n  oops\n}",
    );
    let out = pendulum(&dir)
        .args(["plan", "check"])
        .arg(&not_json)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("plan.json:3:"), "{stderr}");
}

#[test]
fn the_policy_sets_the_stretch_band() {
    let dir = tempfile::tempdir().unwrap();
    let (skills, backlog) = team(&dir);
    // A band of work at or below the level only (a team in recovery, say).
    let policy = write(
        &dir,
        "policy.toml",
        "[stretch]\nlowest_gap = -2.0\nhighest_gap = 0.0\ntarget_gap = 0.0\nspread = 1.0\n",
    );
    let out = assign(
        &dir,
        &[&policy],
        &["--capacity", "1", "--json"],
        &skills,
        &backlog,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let plan: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(plan["band"]["highest_gap"], 0.0);
    let gaps: Vec<f64> = plan["assignments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["gap"].as_f64().unwrap())
        .collect();
    assert!(!gaps.is_empty());
    assert!(gaps.iter().all(|g| (-2.0..=0.0).contains(g)), "{gaps:?}");

    let bad = write(&dir, "bad.toml", "[stretch]\nspread = 0.0\n");
    let out = assign(&dir, &[&bad], &["--capacity", "1"], &skills, &backlog);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("stretch.spread"), "{stderr}");
}

/// A database holding the demo org of 60 people as of 2026-12-01.
fn demo_org(dir: &TempDir) {
    pendulum(dir)
        .args(["demo", "--no-serve", "--as-of", "2026-12-01"])
        .assert()
        .success();
}

fn rotations(dir: &TempDir, extra: &[&str]) -> Output {
    pendulum(dir)
        .args([
            "plan",
            "rotations",
            "--quarters",
            "4",
            "--from",
            "2027-Q1",
            "--time-limit",
            "2",
        ])
        .args(extra)
        .output()
        .unwrap()
}

#[test]
fn rotations_staff_every_team_explain_swings_and_check_as_valid() {
    let dir = TempDir::new().unwrap();
    demo_org(&dir);
    let svg = dir.path().join("plan.svg");
    let out = rotations(&dir, &["--svg", svg.to_str().unwrap()]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        text.starts_with("Rotation plan 2027-Q1 to 2027-Q4:"),
        "{text}"
    );
    assert!(text.contains("2027-Q4"), "{text}");
    assert!(text.contains("Swings ("), "{text}");
    assert!(text.contains("needs a new manager"), "{text}");
    assert!(text.contains("Not planned ("), "{text}");
    assert!(!text.contains("(interim)"), "{text}");
    let drawn = std::fs::read_to_string(&svg).unwrap();
    assert!(
        drawn.starts_with("<svg") && drawn.contains("2027-Q1"),
        "{drawn}"
    );

    let out = rotations(&dir, &["--json"]);
    assert!(out.status.success());
    let mut document: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(document["plan"], "rotation");
    assert_eq!(document["result"]["feasible"], true);
    assert!(
        document["result"]["teams"]
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t["managers"]
                .as_array()
                .unwrap()
                .iter()
                .all(|m| m.is_string()))
    );
    let file = write(&dir, "rotation.json", &document.to_string());
    let check = pendulum(&dir)
        .args(["plan", "check"])
        .arg(&file)
        .output()
        .unwrap();
    let said = String::from_utf8(check.stdout).unwrap();
    assert!(check.status.success(), "{said}");
    assert!(
        said.contains("valid:") && said.contains("over 4 quarters"),
        "{said}"
    );

    // A team left without its manager in the first quarter fails the check, by name.
    let team = document["result"]["teams"][0].clone();
    let manager = team["managers"][0].as_str().unwrap().to_owned();
    let person = document["result"]["people"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|p| p["id"] == manager.as_str())
        .unwrap();
    person["roles"][0] = json!({"role": "engineer"});
    let file = write(&dir, "tampered.json", &document.to_string());
    let check = pendulum(&dir)
        .args(["plan", "check"])
        .arg(&file)
        .output()
        .unwrap();
    let said = String::from_utf8(check.stderr).unwrap();
    assert!(!check.status.success());
    assert!(
        said.contains(&format!(
            "{} has no manager in 2027-Q1",
            team["id"].as_str().unwrap()
        )),
        "{said}"
    );
}

#[test]
fn an_org_that_cannot_be_staffed_gets_the_binding_constraint_and_fails() {
    let dir = TempDir::new().unwrap();
    demo_org(&dir);
    // Nobody manages more than three reports, and every team has more.
    let policy = write(
        &dir,
        "policy.toml",
        "[rotation]\nspan_min = 1\nspan_max = 3\n",
    );
    let out = pendulum(&dir)
        .arg("--policy")
        .arg(&policy)
        .args(["plan", "rotations", "--quarters", "2", "--from", "2027-Q1"])
        .args(["--time-limit", "1"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(!out.status.success());
    assert!(
        err.contains("no rotation plan found that keeps every constraint"),
        "{err}"
    );
    assert!(
        text.contains("No rotation plan found for 2027-Q1 to 2027-Q2"),
        "{text}"
    );
    assert!(
        text.contains("the span of 1 to 3 reports (rotation.span_min, rotation.span_max)"),
        "{text}"
    );
    assert!(
        text.contains("hands-on members, above the span maximum of 3: nobody can manage it alone"),
        "{text}"
    );
}

#[test]
fn bad_rotation_requests_are_named() {
    let dir = TempDir::new().unwrap();
    demo_org(&dir);
    for (args, expected) in [
        (
            vec!["--pin", "nobody:t-x:2027-Q1"],
            "pin nobody:t-x:2027-Q1: no person has the id nobody",
        ),
        (
            vec!["--pin", "p-1:2027-Q1"],
            "is not a pin (expected PERSON:TEAM:QUARTER",
        ),
        (
            vec!["--exclude", "ghost"],
            "exclusion ghost: no person has the id ghost",
        ),
        (vec!["--from", "2027-Q5"], "\"2027-Q5\" is not a quarter"),
        (
            vec!["--time-limit", "0"],
            "--time-limit: 0 is not a number of seconds",
        ),
        (
            vec!["--quarters", "17"],
            "quarters: must be from 1 to 16, not 17",
        ),
    ] {
        let out = pendulum(&dir)
            .args(["plan", "rotations"])
            .args(&args)
            .output()
            .unwrap();
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(!out.status.success(), "{args:?}");
        assert!(err.contains(expected), "{args:?}: {err}");
    }
}
