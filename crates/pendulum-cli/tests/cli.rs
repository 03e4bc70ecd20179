//! The `pendulum` binary end to end, on real database files in temporary folders.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

const AS_OF: &str = "2026-06-30";

/// A fresh database in its own folder, and a way to run `pendulum` against it.
struct Env {
    dir: TempDir,
}

impl Env {
    fn new() -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn db(&self) -> PathBuf {
        self.dir.path().join("ledger.db")
    }

    fn cmd(&self) -> Command {
        let mut c = Command::cargo_bin("pendulum").unwrap();
        c.env_clear()
            .env("HOME", self.dir.path())
            .env("XDG_DATA_HOME", self.dir.path().join("data"))
            .env("NO_COLOR", "1")
            .arg("--db")
            .arg(self.db());
        c
    }

    fn run(&self, args: &[&str]) -> String {
        let out = self.cmd().args(args).output().unwrap();
        assert!(
            out.status.success(),
            "pendulum {args:?} failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// Runs a command that must fail with `code`; returns its stderr.
    fn fail(&self, args: &[&str], code: i32) -> String {
        let out = self.cmd().args(args).output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(code),
            "pendulum {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stderr).unwrap()
    }

    fn json(&self, args: &[&str]) -> Value {
        serde_json::from_str(&self.run(args)).unwrap()
    }

    fn write(&self, name: &str, text: &str) -> String {
        let path = self.dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path.display().to_string()
    }

    fn import_fixture(&self) {
        let files: Vec<String> = ["teams.csv", "people.csv", "stints.csv", "checkins.csv"]
            .iter()
            .map(|f| fixture(f))
            .collect();
        let mut args = vec!["import"];
        args.extend(files.iter().map(String::as_str));
        self.run(&args);
    }

    fn nudges(&self) -> Vec<String> {
        let report = self.json(&["report", "--json", "--as-of", AS_OF]);
        report["nudges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| {
                format!(
                    "{} {} {}",
                    n["person"].as_str().unwrap(),
                    n["rule"].as_str().unwrap(),
                    n["severity"].as_str().unwrap()
                )
            })
            .collect()
    }
}

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/org")
        .join(name)
        .display()
        .to_string()
}

fn read_fixture(name: &str) -> String {
    std::fs::read_to_string(fixture(name)).unwrap()
}

const EXPECTED: [&str; 11] = [
    "ada hands-on-distance alert",
    "gus unwilling-manager alert",
    "ben hybrid-drift warn",
    "dan swing-as-promotion warn",
    "finn unhappy-manager warn",
    "ivan trial-overdue warn",
    // Max's swing back came with a level up, and the stint it opened is still open.
    "max swing-as-promotion warn",
    "cleo lead-without-management info",
    "eve new-manager-grace info",
    "hana itch info",
    "nia trial-midpoint info",
];

#[test]
fn a_hand_written_org_yields_exactly_the_expected_nudges() {
    let env = Env::new();
    env.import_fixture();
    assert_eq!(env.nudges(), EXPECTED);
    let report = env.json(&["report", "--json", "--as-of", AS_OF]);
    insta::assert_json_snapshot!("fixture_report", report);
}

#[test]
fn the_human_report_shows_metrics_and_nudges() {
    let env = Env::new();
    env.import_fixture();
    let out = env.run(&["report", "--as-of", AS_OF]);
    assert!(out.contains("14 people"), "{out}");
    assert!(out.contains("11 nudges: 2 alert, 5 warn, 4 info"), "{out}");
    assert!(
        !out.contains('\u{1b}'),
        "NO_COLOR and a pipe mean no escape codes:\n{out}"
    );
    let nudges = env.run(&["nudges", "--person", "ada", "--as-of", AS_OF]);
    assert!(nudges.contains("hands-on-distance"), "{nudges}");
    assert!(nudges.contains("next: "), "{nudges}");
}

#[test]
fn a_swing_changes_the_nudges() {
    let env = Env::new();
    env.import_fixture();
    env.run(&["swing", "ada", "--to", "engineer", "--on", "2026-06-01"]);
    let nudges = env.nudges();
    // The distance is gone; in its place, the re-entry plan for her first months back.
    let ada: Vec<&String> = nudges.iter().filter(|n| n.starts_with("ada ")).collect();
    assert_eq!(ada, ["ada returning-engineer info"], "{nudges:?}");
    let stints = env.json(&["person", "show", "ada", "--json", "--as-of", AS_OF]);
    let stints = stints["stints"].as_array().unwrap();
    assert_eq!(stints.len(), 3);
    assert_eq!(stints[1]["end"], "2026-06-01");
    assert_eq!(stints[2]["role"], "engineer");
    assert_eq!(stints[2]["level"], "L6", "a swing keeps the level");
}

#[test]
fn a_swing_with_a_level_change_is_flagged() {
    let env = Env::new();
    env.import_fixture();
    let err = env
        .cmd()
        .args([
            "swing",
            "jo",
            "--to",
            "manager",
            "--on",
            "2026-06-01",
            "--level",
            "L4",
        ])
        .output()
        .unwrap();
    assert!(err.status.success());
    assert!(String::from_utf8_lossy(&err.stderr).contains("swing-as-promotion"));
    assert!(
        env.nudges()
            .contains(&"jo swing-as-promotion warn".to_owned())
    );
}

#[test]
fn swings_that_cannot_be_are_refused() {
    let env = Env::new();
    env.import_fixture();
    let err = env.fail(
        &["swing", "ada", "--to", "engineer", "--on", "2020-01-01"],
        1,
    );
    assert!(err.contains("must be dated after"), "{err}");
    let err = env.fail(
        &["swing", "nobody", "--to", "engineer", "--on", "2026-01-01"],
        1,
    );
    assert!(err.contains("no person has the id \"nobody\""), "{err}");
    let err = env.fail(&["swing", "ada", "--to", "boss", "--on", "2026-01-01"], 2);
    assert!(err.contains("boss"), "{err}");
}

#[test]
fn a_checkin_note_is_kept_but_never_shown_by_reading_commands() {
    let env = Env::new();
    env.import_fixture();
    let mut c = env.cmd();
    c.args([
        "checkin",
        "jo",
        "--joy",
        "2",
        "--energy",
        "3",
        "--learning",
        "4",
        "--date",
        "2026-06-20",
        "--note-stdin",
    ])
    .write_stdin("thinking about leaving, do not tell anyone\n");
    c.assert().success();
    let show = env.run(&["person", "show", "jo", "--json", "--as-of", AS_OF]);
    assert!(!show.contains("thinking about leaving"), "{show}");
    assert!(show.contains("\"joy\": 2"), "{show}");
    let export = env.run(&["export", "--json"]);
    assert!(
        export.contains("thinking about leaving, do not tell anyone"),
        "the local backup keeps notes"
    );
    let err = env.fail(
        &[
            "checkin",
            "jo",
            "--joy",
            "6",
            "--energy",
            "3",
            "--learning",
            "4",
        ],
        2,
    );
    assert!(err.contains("6"), "{err}");
}

#[test]
fn a_second_checkin_on_a_day_replaces_the_first_and_a_long_note_is_refused() {
    let env = Env::new();
    env.import_fixture();
    fn checkin(joy: &str) -> [&str; 10] {
        [
            "checkin",
            "jo",
            "--joy",
            joy,
            "--energy",
            "3",
            "--learning",
            "4",
            "--date",
            "2026-06-21",
        ]
    }
    let before = env.json(&["person", "show", "jo", "--json", "--as-of", AS_OF])["checkins"]
        .as_array()
        .unwrap()
        .len();
    env.run(&checkin("2"));
    env.run(&checkin("5"));
    let after = env.json(&["person", "show", "jo", "--json", "--as-of", AS_OF]);
    let checkins = after["checkins"].as_array().unwrap();
    assert_eq!(checkins.len(), before + 1, "{after}");
    assert_eq!(checkins.last().unwrap()["joy"], 5, "{after}");

    let mut c = env.cmd();
    c.args(checkin("3"))
        .arg("--note-stdin")
        .write_stdin("n".repeat(4097));
    let out = c.assert().failure();
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        err.contains("note: 4097 bytes is more than a note may hold (4096 bytes, 4 KB)"),
        "{err}"
    );
}

/// Ada, a manager in the fixture, swings back to engineering with a pay band.
const ADA_SWINGS_WITH_A_BAND: [&str; 8] = [
    "swing",
    "ada",
    "--to",
    "engineer",
    "--on",
    "2026-06-01",
    "--band",
    "14",
];

#[test]
fn export_then_import_into_an_empty_database_is_identical() {
    let env = Env::new();
    env.import_fixture();
    env.run(&ADA_SWINGS_WITH_A_BAND);
    env.run(&["person", "set-willing", "gus", "yes", "--on", "2026-02-01"]);
    env.run(&["person", "set-willing", "gus", "no", "--on", "2026-03-01"]);
    let first = env.run(&["export", "--json"]);
    assert!(first.contains("\"band\": 14"), "{first}");
    let document: Value = serde_json::from_str(&first).unwrap();
    assert_eq!(document["answers"].as_array().unwrap().len(), 2);
    let copy = Env::new();
    let file = copy.write("export.json", &first);
    copy.run(&["import", &file]);
    assert_eq!(copy.run(&["export", "--json"]), first);
    let out = env.dir.path().join("out.json");
    env.run(&["export", "--json", "--output", out.to_str().unwrap()]);
    assert_eq!(std::fs::read_to_string(out).unwrap(), first);
}

/// Each bad file is refused with `file:line: field: message`, exit 1, and the database
/// is exactly as before.
#[test]
fn bad_input_is_refused_with_its_line_and_leaves_the_database_unchanged() {
    let env = Env::new();
    env.import_fixture();
    let before = env.run(&["export", "--json"]);
    let cases: &[(&str, &str, &str)] = &[
        (
            "people.csv",
            "id,name,email,level,shoe_size\nzoe,Zoe,zoe@example.com,L3,42\n",
            "people.csv:1: shoe_size",
        ),
        (
            "stints.csv",
            "person,role,level,start,end\nzoe,engineer,L3,2024-01-01,\n",
            "stints.csv:2: person: no person has the id \"zoe\"",
        ),
        (
            "stints.csv",
            "person,role,level,start,end\njo,engineer,L3,2024-13-01,\n",
            "stints.csv:2: start",
        ),
        (
            "stints.csv",
            "person,role,level,start,end\njo,engineer,L3,2024-05-01,2024-04-01\n",
            "stints.csv:2: end",
        ),
        (
            "stints.csv",
            "person,role,level,start,end\njo,engineer,L3,2023-01-01,2024-01-01\n",
            "stints.csv:2:",
        ),
        (
            "stints.csv",
            "person,role,level,start,end\njo,wizard,L3,2020-01-01,2021-01-01\n",
            "stints.csv:2: role",
        ),
        (
            "checkins.csv",
            "person,date,joy,energy,learning\njo,2026-01-01,6,3,3\njo,2026-01-02,3,0,3\n",
            "checkins.csv:3: energy",
        ),
        (
            "people.csv",
            "id,name,email,level\njo,Jo Again,jo2@example.com,L3\n",
            "people.csv:2: id",
        ),
        (
            "people.csv",
            "id,name,email,level\nzoe,Zoe,not-an-email,L3\n",
            "people.csv:2: email",
        ),
        (
            "people.csv",
            "id,name,email,level\nzoe,Zoe,zoe@example.com,L99\n",
            "people.csv:2: level",
        ),
    ];
    for (name, text, expected) in cases {
        let file = env.write(name, text);
        let err = env.fail(&["import", &file], 1);
        assert!(
            err.contains(expected),
            "{name} {text:?}: expected {expected:?} in:\n{err}"
        );
        assert!(err.contains("nothing was written"), "{err}");
        assert_eq!(
            env.run(&["export", "--json"]),
            before,
            "{name} {text:?} changed the database"
        );
    }
}

/// A NUL character, which PostgreSQL cannot keep in text and SQLite can, is refused in a
/// name like any other bad field, so that both backends hold the same ledgers.
#[test]
fn a_name_with_a_nul_character_is_refused_with_its_line() {
    let env = Env::new();
    env.import_fixture();
    let before = env.run(&["export", "--json"]);
    let people = env.write(
        "people.csv",
        "id,name,email,level\nzoe,Zoe\0Park,zoe@example.com,L3\n",
    );
    let err = env.fail(&["import", &people], 1);
    assert!(
        err.contains(
            "people.csv:2: name: contains a NUL character (\\0) at byte 3; no text may hold one, so remove it"
        ),
        "{err}"
    );
    assert!(err.contains("nothing was written"), "{err}");
    assert_eq!(env.run(&["export", "--json"]), before);
}

#[test]
fn every_problem_of_an_import_is_reported_not_just_the_first() {
    let env = Env::new();
    let people = env.write(
        "people.csv",
        &read_fixture("people.csv")
            .replace("ada@example.com", "ada-at-example")
            .replace(",L3,", ",L0,"),
    );
    let stints = env.write(
        "stints.csv",
        &read_fixture("stints.csv").replace(
            "finn,manager,platform,L6,2024-09-02",
            "finn,manager,platform,L6,2024-08-01",
        ),
    );
    let err = env.fail(&["import", &people, &stints], 1);
    let lines: Vec<&str> = err.lines().filter(|l| l.contains(".csv:")).collect();
    assert_eq!(lines.len(), 3, "{err}");
    assert!(
        lines.iter().any(|l| l.contains("people.csv:3: email")),
        "{err}"
    );
    assert!(
        lines.iter().any(|l| l.contains("people.csv:12: level")),
        "{err}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("stints.csv:15: start:") && l.contains("overlap")),
        "{err}"
    );
    assert_eq!(
        env.run(&["export", "--json"]).matches("\"id\"").count(),
        0,
        "nothing imported"
    );
}

/// A field problem on one line and a ledger problem on the next are both reported, in
/// order, and nothing is written.
#[test]
fn a_bad_score_and_an_unknown_person_are_reported_together() {
    let env = Env::new();
    env.import_fixture();
    let before = env.run(&["export", "--json"]);
    let checkins = env.write(
        "checkins.csv",
        "person,date,joy,energy,learning\nada,2026-06-01,7,3,3\nzed,2026-06-02,3,3,3\n",
    );
    let err = env.fail(&["import", &checkins], 1);
    let lines: Vec<&str> = err
        .lines()
        .filter(|l| l.contains("checkins.csv:"))
        .collect();
    assert_eq!(lines.len(), 2, "{err}");
    assert!(
        lines[0].ends_with("checkins.csv:2: joy: \"7\" is not a score from 1 to 5"),
        "{err}"
    );
    assert!(
        lines[1].ends_with("checkins.csv:3: person: no person has the id \"zed\""),
        "{err}"
    );
    assert!(err.contains("nothing was written"), "{err}");
    assert_eq!(env.run(&["export", "--json"]), before);
}

#[test]
fn person_add_list_and_show() {
    let env = Env::new();
    env.run(&[
        "person",
        "add",
        "zoe",
        "--name",
        "Zoe Park",
        "--email",
        "Zoe@Example.com",
        "--alias",
        "zp@old.example.com",
        "--level",
        "L4",
        "--role",
        "engineer",
        "--since",
        "2024-02-01",
        "--team",
        "core",
        "--willing",
        "yes",
        "--willing-since",
        "2024-01-15",
    ]);
    let list = env.json(&["person", "list", "--json", "--as-of", AS_OF]);
    assert_eq!(list[0]["id"], "zoe");
    assert_eq!(list[0]["team"], "core");
    let show = env.json(&["person", "show", "zoe", "--json", "--as-of", AS_OF]);
    assert_eq!(show["email"], "zoe@example.com");
    assert_eq!(show["aliases"][0], "zp@old.example.com");
    // A dated answer starts the person's history of answers.
    assert_eq!(show["willing_since"], "2024-01-15");
    assert_eq!(
        show["answers"],
        serde_json::json!([{"date": "2024-01-15", "answer": "yes"}])
    );
    let err = env.fail(
        &[
            "person",
            "add",
            "zoe",
            "--name",
            "Z",
            "--email",
            "z@x.io",
            "--level",
            "L4",
            "--role",
            "engineer",
            "--since",
            "2024-01-01",
        ],
        1,
    );
    assert!(err.contains("defined twice"), "{err}");
    let err = env.fail(&["person", "show", "nobody"], 1);
    assert!(err.contains("no person has the id"), "{err}");
}

#[test]
fn timeline_draws_an_svg() {
    let env = Env::new();
    env.import_fixture();
    let svg = env.dir.path().join("ada.svg");
    let out = env.run(&[
        "timeline",
        "ada",
        "--as-of",
        AS_OF,
        "--svg",
        svg.to_str().unwrap(),
    ]);
    assert!(
        out.contains("swing on 2023-01-02: engineer → manager"),
        "{out}"
    );
    assert!(
        out.contains("36 months since hands-on work: 2026-01-02"),
        "{out}"
    );
    let svg = std::fs::read_to_string(svg).unwrap();
    assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
    insta::assert_snapshot!("ada_timeline_svg", svg);
    let max = env.json(&["timeline", "max", "--json", "--as-of", AS_OF]);
    assert_eq!(max["swings"].as_array().unwrap().len(), 2);
    assert_eq!(max["swings"][1]["level_changed"], true);
}

#[test]
fn policy_from_a_file_overrides_and_can_be_stored() {
    let env = Env::new();
    env.import_fixture();
    let strict = env.write(
        "strict.toml",
        "[hands_on_distance]\nwarn_months = 12\nalert_months = 20\n",
    );
    let shown = env.run(&["--policy", &strict, "policy", "show"]);
    assert!(shown.contains("warn_months = 12"), "{shown}");
    env.run(&["policy", "set", &strict]);
    let nudges = env.nudges();
    assert!(
        nudges.contains(&"finn hands-on-distance alert".to_owned()),
        "{nudges:?}"
    );
    let typo = env.write("typo.toml", "[hands_on_distance]\nwarn_month = 12\n");
    let err = env.fail(&["policy", "set", &typo], 1);
    assert!(
        err.contains("typo.toml") && err.contains("warn_month"),
        "{err}"
    );
    let narrow = env.write(
        "narrow.toml",
        "ladder = [\"A\", \"B\"]\nsenior_level = \"B\"\n",
    );
    let err = env.fail(&["policy", "set", &narrow], 1);
    assert!(err.contains("ladder"), "{err}");
}

#[test]
fn the_demo_builds_an_org_and_reports_on_it() {
    let env = Env::new();
    let out = env.run(&[
        "demo",
        "--people",
        "40",
        "--seed",
        "7",
        "--no-serve",
        "--as-of",
        AS_OF,
    ]);
    assert!(
        out.contains("Org health as of 2026-06-30: 40 people"),
        "{out}"
    );
    let err = env.fail(&["demo", "--people", "40", "--no-serve"], 1);
    assert!(
        err.contains("already holds a ledger"),
        "a named database is never overwritten: {err}"
    );
    let help = env.run(&["demo", "--help"]);
    let words = help.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        words.contains(&format!(
            "every rule nudges someone from {} on",
            pendulum_demo::PEOPLE_FOR_EVERY_RULE
        )),
        "--people says from what size every rule shows: {help}"
    );
}

#[test]
fn usage_errors_exit_2_and_help_works() {
    let env = Env::new();
    env.fail(&["report", "--as-of", "yesterday"], 2);
    env.fail(&["frobnicate"], 2);
    let help = env.run(&["--help"]);
    assert!(help.contains("Examples:"), "{help}");
    let completions = env.run(&["completions", "bash"]);
    assert!(completions.contains("pendulum"));
}

#[test]
fn set_willing_records_answers_with_their_day_and_keeps_the_history() {
    let env = Env::new();
    env.import_fixture();
    let out = env.run(&["person", "set-willing", "gus", "yes", "--on", "2026-02-01"]);
    assert_eq!(
        out.trim(),
        "recorded for gus on 2026-02-01: would like to manage: yes (since 2026-02-01)"
    );
    // An older answer joins the history and leaves the current one alone, and says so.
    let out = env
        .cmd()
        .args(["person", "set-willing", "gus", "no", "--on", "2025-05-01"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("the answer of 2026-02-01 (yes) is later and stays the current one"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // A second answer on a day replaces the first.
    let out = env.run(&[
        "person",
        "set-willing",
        "gus",
        "unknown",
        "--on",
        "2026-02-01",
    ]);
    assert!(out.contains("replacing the answer of that day"), "{out}");

    let show = env.json(&["person", "show", "gus", "--json", "--as-of", AS_OF]);
    assert_eq!(show["willing_to_manage"], "unknown");
    assert_eq!(show["willing_since"], "2026-02-01");
    assert_eq!(
        show["answers"],
        serde_json::json!([
            {"date": "2025-05-01", "answer": "no"},
            {"date": "2026-02-01", "answer": "unknown"},
        ])
    );
    let text = env.run(&["person", "show", "gus", "--as-of", AS_OF]);
    assert!(
        text.contains("would like to manage: not sure yet (since 2026-02-01)"),
        "{text}"
    );
    assert!(
        text.contains("answers so far: no on 2025-05-01 → not sure yet on 2026-02-01"),
        "{text}"
    );
    let list = env.json(&["person", "list", "--json", "--as-of", AS_OF]);
    let gus = list
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "gus")
        .unwrap();
    assert_eq!(gus["willing_since"], "2026-02-01");
    // Someone never asked, in plain words.
    let text = env.run(&["person", "show", "hana", "--as-of", AS_OF]);
    assert!(
        text.contains("would like to manage: not asked yet"),
        "{text}"
    );

    // The day defaults to today.
    env.run(&["person", "set-willing", "hana", "no"]);
    let hana = env.json(&["person", "show", "hana", "--json"]);
    let today = chrono::Local::now().date_naive().to_string();
    assert_eq!(hana["willing_since"], today.as_str());
}

#[test]
fn set_willing_refuses_bad_input_and_writes_nothing() {
    let env = Env::new();
    env.import_fixture();
    let before = env.run(&["export", "--json"]);
    let err = env.fail(&["person", "set-willing", "gus", "maybe"], 2);
    assert!(err.contains("invalid value 'maybe'"), "{err}");
    assert!(err.contains("[possible values: yes, no, unknown]"), "{err}");
    let err = env.fail(
        &["person", "set-willing", "gus", "yes", "--on", "2026-02-30"],
        2,
    );
    assert!(err.contains("\"2026-02-30\" is not a date"), "{err}");
    let err = env.fail(&["person", "set-willing", "nobody", "yes"], 1);
    assert!(err.contains("no person has the id \"nobody\""), "{err}");
    assert_eq!(env.run(&["export", "--json"]), before);
}

#[test]
fn a_swing_records_a_band_that_the_next_swing_keeps() {
    let env = Env::new();
    env.import_fixture();
    let out = env.run(&ADA_SWINGS_WITH_A_BAND);
    assert!(out.contains("(level L6, band 14)"), "{out}");
    env.run(&["swing", "ada", "--to", "tech_lead", "--on", "2026-06-15"]);
    let show = env.json(&["person", "show", "ada", "--json", "--as-of", AS_OF]);
    let bands: Vec<&Value> = show["stints"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| &s["band"])
        .collect();
    assert_eq!(bands, [&Value::Null, &Value::Null, &14.into(), &14.into()]);
    let timeline = env.json(&["timeline", "ada", "--json", "--as-of", AS_OF]);
    assert_eq!(timeline["segments"][3]["band"], 14);
    let text = env.run(&["person", "show", "ada", "--as-of", AS_OF]);
    assert!(text.contains("┆ band ┆"), "{text}");

    for bad in ["1000", "-1", "x"] {
        let band = format!("--band={bad}");
        let err = env.fail(
            &[
                "swing",
                "ada",
                "--to",
                "manager",
                "--on",
                "2026-06-20",
                &band,
            ],
            2,
        );
        assert!(err.contains("is not a pay band"), "{bad}: {err}");
    }
}
