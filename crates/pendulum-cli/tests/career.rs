//! A career past its first stint, through the real binary on a real database: leaving and
//! coming back, corrections and their history, erasure. Each write is checked as a whole,
//! refused with every problem named and nothing written, and recorded in the audit log.

mod common;

use std::path::{Path, PathBuf};

use common::{import_fixture, pendulum, run};
use serde_json::Value;
use tempfile::TempDir;

struct Org {
    home: TempDir,
}

impl Org {
    /// The hand-written org of the fixtures, imported.
    fn new() -> Self {
        let org = Org {
            home: tempfile::tempdir().unwrap(),
        };
        import_fixture(org.home(), &org.db());
        org
    }

    fn home(&self) -> &Path {
        self.home.path()
    }

    fn db(&self) -> PathBuf {
        self.home.path().join("pendulum.db")
    }

    fn run(&self, args: &[&str]) -> String {
        run(self.home(), &self.db(), args)
    }

    fn json(&self, args: &[&str]) -> Value {
        serde_json::from_str(&self.run(args)).unwrap()
    }

    /// Runs a command that must fail; returns its stderr, and checks that the ledger did
    /// not change.
    fn refused(&self, args: &[&str]) -> String {
        let before = self.run(&["export"]);
        let out = pendulum(self.home(), &self.db())
            .args(args)
            .output()
            .unwrap();
        assert!(!out.status.success(), "pendulum {args:?} should fail");
        assert_eq!(self.run(&["export"]), before, "pendulum {args:?} wrote");
        String::from_utf8(out.stderr).unwrap()
    }

    fn ids(&self, args: &[&str]) -> Vec<String> {
        self.json(args)
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["id"].as_str().unwrap().to_owned())
            .collect()
    }
}

const AS_OF: &str = "2026-06-30";

#[test]
fn a_manager_who_leaves_drops_out_and_their_reports_are_named() {
    let org = Org::new();
    // Ada manages Cleo, Hana and Max.
    let left = org.json(&[
        "person",
        "leave",
        "ada",
        "--on",
        "2026-06-01",
        "--reason",
        "moved abroad",
        "--json",
    ]);
    assert_eq!(
        left["without_manager"],
        serde_json::json!(["cleo", "hana", "max"])
    );
    let listed = org.ids(&["person", "list", "--json", "--as-of", AS_OF]);
    assert!(!listed.contains(&"ada".to_owned()));
    let all = org.json(&["person", "list", "--all", "--json", "--as-of", AS_OF]);
    let ada = all
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "ada")
        .unwrap();
    assert_eq!(ada["left_on"], "2026-06-01");
    let nudges = org.json(&["nudges", "--json", "--as-of", AS_OF, "--person", "ada"]);
    assert_eq!(nudges.as_array().map_or(0, Vec::len), 0, "{nudges}");
    let shown = org.json(&["person", "show", "cleo", "--json"]);
    assert_eq!(shown["manager"], Value::Null);
}

#[test]
fn reports_move_with_reports_to_and_a_returner_starts_a_new_stint() {
    let org = Org::new();
    org.run(&[
        "person",
        "leave",
        "ada",
        "--on",
        "2026-06-01",
        "--reports-to",
        "kai",
    ]);
    assert_eq!(
        org.json(&["person", "show", "hana", "--json"])["manager"],
        "kai"
    );
    let early = org.refused(&[
        "person",
        "return",
        "ada",
        "--on",
        "2026-05-01",
        "--role",
        "engineer",
    ]);
    assert!(early.contains("before ada left on 2026-06-01"), "{early}");
    org.run(&[
        "person",
        "return",
        "ada",
        "--on",
        "2026-09-01",
        "--role",
        "engineer",
        "--team",
        "platform",
        "--manager",
        "kai",
    ]);
    let ada = org.json(&["person", "show", "ada", "--json", "--as-of", "2026-10-01"]);
    let stints = ada["stints"].as_array().unwrap();
    assert_eq!(stints.len(), 3);
    assert_eq!(stints[1]["end"], "2026-06-01");
    assert_eq!(stints[2]["start"], "2026-09-01");
    assert_eq!(ada["manager"], "kai");
}

#[test]
fn bad_leaves_and_edits_are_refused_with_every_problem_named() {
    let org = Org::new();
    let early = org.refused(&["person", "leave", "ada", "--on", "2020-01-01"]);
    assert!(early.contains("2023-01-02"), "{early}");
    let unknown = org.refused(&["person", "leave", "nobody", "--on", "2026-01-01"]);
    assert!(unknown.contains("nobody"), "{unknown}");
    // Ada's first stint may not run past the start of her second.
    let overlap = org.refused(&[
        "stint",
        "edit",
        "ada",
        "--index",
        "1",
        "--set-end",
        "2024-01-01",
    ]);
    assert!(overlap.contains("overlap"), "{overlap}");
    let missing = org.refused(&[
        "stint",
        "edit",
        "ada",
        "--start",
        "2019-01-01",
        "--role",
        "manager",
    ]);
    assert!(
        missing.contains("no stint that began on 2019-01-01"),
        "{missing}"
    );
    let looped = org.refused(&["person", "edit", "kai", "--manager", "hana"]);
    assert!(looped.contains("loops"), "{looped}");
    let no_checkin = org.refused(&["checkin", "delete", "ada", "--date", "2026-01-01"]);
    assert!(
        no_checkin.contains("no check-in on 2026-01-01"),
        "{no_checkin}"
    );
}

#[test]
fn corrections_keep_what_was_there_in_the_history_and_the_audit_log() {
    let org = Org::new();
    let fixed = org.json(&[
        "stint",
        "edit",
        "ada",
        "--start",
        "2023-01-02",
        "--set-start",
        "2023-02-01",
        "--band",
        "310",
        "--json",
    ]);
    assert_eq!(fixed["corrections"][0]["record"], "stint from 2023-01-02");
    org.run(&[
        "person",
        "edit",
        "hana",
        "--name",
        "Hana Satō",
        "--alias",
        "hana@old.example",
    ]);
    org.run(&["checkin", "delete", "eve", "--date", "2026-02-02"]);
    org.run(&["stint", "delete", "max", "--index", "1"]);

    let ada = org.json(&["history", "ada", "--json"]);
    let ada = ada.as_array().unwrap();
    assert_eq!(ada.len(), 1);
    assert!(
        ada[0]["before"]
            .as_str()
            .unwrap()
            .contains("from 2023-01-02")
    );
    assert!(ada[0]["after"].as_str().unwrap().contains("band 310"));
    assert!(
        ada[0]["actor"]
            .as_str()
            .unwrap()
            .starts_with("command line")
    );
    let hana = org.json(&["history", "hana", "--json"]);
    let fields: Vec<&str> = hana
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["name", "aliases"]);
    // The deleted check-in's note is in neither the history nor anything else printed.
    let eve = org.run(&["history", "eve"]);
    assert!(eve.contains("check-in of 2026-02-02"), "{eve}");
    assert!(!eve.contains("takes longer"), "{eve}");
    let shown = org.json(&["person", "show", "ada", "--json"]);
    assert_eq!(shown["stints"][1]["start"], "2023-02-01");
    assert_eq!(shown["stints"][1]["band"], 310);
    let max = org.json(&["person", "show", "max", "--json"]);
    assert_eq!(max["stints"].as_array().unwrap().len(), 2);
    // Each write left one audit line naming what was done and to whom.
    let audit = common::audit_rows(&org.db());
    for (action, subject) in [
        ("edit stint", "ada"),
        ("edit person", "hana"),
        ("delete check-in", "eve"),
        ("delete stint", "max"),
    ] {
        assert!(
            audit
                .iter()
                .any(|(a, s)| a == action && s.as_deref() == Some(subject)),
            "{action} {subject} not in {audit:?}"
        );
    }
}

#[test]
fn erase_refuses_while_someone_reports_then_leaves_nothing_of_the_person() {
    let org = Org::new();
    let blocked = org.refused(&["erase", "ada", "--yes"]);
    assert!(blocked.contains("cleo, hana, max"), "{blocked}");
    let unconfirmed = org.refused(&["erase", "hana"]);
    assert!(unconfirmed.contains("--yes"), "{unconfirmed}");
    org.run(&["person", "edit", "hana", "--name", "Hana Q. Sato"]);
    let erased = org.json(&["erase", "hana", "--yes", "--json"]);
    assert_eq!(erased["stints"], 1);
    assert_eq!(erased["checkins"], 2);
    let everything = org.run(&["export"]);
    for trace in ["hana", "Hana", "Sato"] {
        assert!(!everything.contains(trace), "{trace} still in the export");
    }
    let audit = common::audit_rows(&org.db());
    let last = audit.last().unwrap();
    assert_eq!((last.0.as_str(), last.1.as_deref()), ("erase person", None));
    assert!(
        audit.iter().all(|(_, s)| s.as_deref() != Some("hana")),
        "{audit:?}"
    );
    let gone = org.refused(&["history", "hana"]);
    assert!(gone.contains("no person has the id"), "{gone}");
}

#[test]
fn every_write_of_the_command_line_leaves_an_audit_line() {
    let org = Org::new();
    org.run(&[
        "checkin",
        "hana",
        "--joy",
        "4",
        "--energy",
        "3",
        "--learning",
        "4",
        "--date",
        "2026-06-29",
    ]);
    org.run(&["swing", "hana", "--to", "tech_lead", "--on", "2026-07-01"]);
    org.run(&["person", "set-willing", "hana", "yes", "--on", "2026-06-01"]);
    org.run(&[
        "person",
        "add",
        "zed",
        "--name",
        "Zed",
        "--email",
        "zed@example.com",
        "--level",
        "L3",
        "--role",
        "engineer",
        "--since",
        "2026-06-01",
        "--team",
        "platform",
    ]);
    let audit = common::audit_rows(&org.db());
    let expected: [(&str, Option<&str>); 5] = [
        ("import", None),
        ("record check-in", Some("hana")),
        ("record swing", Some("hana")),
        ("record answer", Some("hana")),
        ("add person", Some("zed")),
    ];
    let got: Vec<(&str, Option<&str>)> = audit
        .iter()
        .map(|(a, s)| (a.as_str(), s.as_deref()))
        .collect();
    assert_eq!(got, expected);
}
