//! The personal ledger's import, case by case: what is brought in, what is skipped, and the
//! exact problems shown for a document that cannot be.

use pendulum_core::{Ledger, Origin, PersonId, Policy};
use pendulum_exchange::{
    InputFile, PersonalImport, Recipient, parse_import, plan_personal, read_personal,
};

/// Ada's own copy, as another pendulum wrote it.
const ADA: &str = r#"{
  "format": "pendulum-personal-ledger",
  "version": 1,
  "person": {
    "id": "ada",
    "name": "Ada",
    "email": "ada@x.io",
    "aliases": [],
    "level": "L5",
    "willing_to_manage": "yes",
    "willing_since": "2020-02-01",
    "left_on": "2024-01-01",
    "leave_reason": null
  },
  "answers": [
    {
      "date": "2020-02-01",
      "answer": "yes"
    }
  ],
  "stints": [
    {
      "org": "Initech",
      "role": "engineer",
      "level": "L4",
      "band": null,
      "start": "2018-01-01",
      "end": "2021-01-01",
      "chosen": true,
      "trial_end": null
    },
    {
      "org": "Initech",
      "role": "manager",
      "level": "L5",
      "band": 12,
      "start": "2021-01-01",
      "end": "2024-01-01",
      "chosen": true,
      "trial_end": null
    }
  ],
  "checkins": [
    {
      "date": "2023-05-02",
      "joy": 4,
      "energy": 3,
      "learning": 2,
      "note": "a good week"
    }
  ],
  "evidence": [
    {
      "month": "2023-05",
      "source": "git",
      "commits": 3,
      "merges": 0,
      "coauthored": 1,
      "repositories": 1,
      "lines_added": null,
      "lines_removed": null,
      "partial": false
    }
  ],
  "reflections": [
    {
      "day": "2023-06-01",
      "answers": {
        "energy": "low"
      }
    }
  ]
}
"#;

/// This org: Bob, an engineer since 2022, and Ada, here under the id `ada-l` since she left
/// Initech.
fn here() -> Ledger {
    let file = |name: &str, text: &str| InputFile {
        name: name.into(),
        bytes: text.as_bytes().to_vec(),
    };
    let import = parse_import(
        &[
            file(
                "people.csv",
                "id,name,email,level\nbob,Bob,bob@x.io,L3\nada-l,Ada L.,ada@home.io,L5\n",
            ),
            file(
                "stints.csv",
                "person,role,level,start\nbob,engineer,L3,2022-01-01\nada-l,engineer,L5,2024-01-01\n",
            ),
        ],
        &Policy::default(),
        &Ledger::default(),
    )
    .unwrap();
    Ledger::default().merge(import.parts).unwrap()
}

fn plan(text: &str, existing: &Ledger, recipient: &Recipient) -> Result<PersonalImport, String> {
    let file = InputFile {
        name: "ada.json".into(),
        bytes: text.as_bytes().to_vec(),
    };
    let document = read_personal(&file, &Policy::default().ladder);
    plan_personal(document, existing, recipient, &[]).map_err(|p| p.to_string())
}

fn check(text: &str, existing: &Ledger, recipient: &Recipient, expect: &str) {
    let expect: Vec<&str> = expect
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let actual = match plan(text, existing, recipient) {
        Ok(_) => "ok".to_owned(),
        Err(problems) => problems,
    };
    assert_eq!(actual, expect.join("\n"));
}

fn id(text: &str) -> PersonId {
    PersonId::parse(text).unwrap()
}

#[test]
fn a_new_person_is_created_with_their_history_and_no_team() {
    let import = plan(ADA, &here(), &Recipient::Themselves).unwrap();
    assert!(import.created);
    assert_eq!(import.person, id("ada"));
    let change = &import.change;
    assert_eq!(change.people.len(), 1);
    assert_eq!(change.people[0].team, None);
    assert_eq!(
        change.people[0].departure.as_ref().unwrap().on.to_string(),
        "2024-01-01"
    );
    assert_eq!(change.stints.len(), 2);
    assert!(
        change
            .stints
            .iter()
            .all(|s| s.org.as_deref() == Some("Initech") && s.team.is_none())
    );
    assert_eq!(
        change.checkins[0].note.as_ref().unwrap().as_str(),
        "a good week"
    );
    assert_eq!((change.answers.len(), change.git.len()), (1, 1));
    assert_eq!(import.reflections.len(), 1);
}

#[test]
fn an_existing_person_receives_the_history_and_keeps_their_record() {
    let import = plan(ADA, &here(), &Recipient::Existing(id("ada-l"))).unwrap();
    assert!(!import.created);
    assert!(import.change.people.is_empty());
    assert!(import.change.stints.iter().all(|s| s.person == id("ada-l")));
    assert!(
        here()
            .apply(&import.change, &Origin::new("ada.json", 0))
            .is_ok()
    );
}

#[test]
fn a_second_import_skips_what_is_there_and_names_what_clashes() {
    let first = plan(ADA, &here(), &Recipient::Themselves).unwrap();
    let there = here()
        .apply(&first.change, &Origin::new("ada.json", 0))
        .unwrap();
    let again = plan(ADA, &there, &Recipient::Themselves).unwrap();
    assert!(!again.created);
    assert_eq!(again.skipped, 6);
    assert!(again.change.stints.is_empty() && again.change.checkins.is_empty());

    let changed = ADA
        .replace(r#""joy": 4"#, r#""joy": 5"#)
        .replace(r#""band": 12"#, r#""band": 13"#);
    check(
        &changed,
        &there,
        &Recipient::Themselves,
        "
        ada.json:32: start: a different stint from 2021-01-01 is stored here (manager at Initech, level L5, band 12, from 2021-01-01 until 2024-01-01; the document has manager at Initech, level L5, band 13, from 2021-01-01 until 2024-01-01)
        ada.json:44: date: a different check-in on 2023-05-02 is stored here (joy 4, energy 3, learning 2, or another note)
        ",
    );
}

#[test]
fn bad_input_is_named_all_at_once() {
    let bad = ADA
        .replace(r#""start": "2018-01-01""#, r#""start": "2018-13-01""#)
        .replace(r#""level": "L4""#, r#""level": "Staff""#)
        .replace(
            r#""org": "Initech",
      "role": "manager""#,
            r#""role": "manager""#,
        )
        .replace(r#""day": "2023-06-01""#, r#""day": "June""#);
    check(
        &bad,
        &here(),
        &Recipient::Themselves,
        r#"
        ada.json:22: level: "Staff" is not a level of the ladder (L1, L2, L3, L4, L5, L6, L7, L8): the stint from 2018-13-01 at Initech is on a level this org's ladder does not have; add the level to the policy's ladder, or change it in the document to the level it matches here
        ada.json:22: start: "2018-13-01" is not a day of the calendar (expected a real date as YYYY-MM-DD)
        ada.json:32: org: is missing (every stint of a personal ledger names the org it was lived in)
        ada.json:65: day: "June" is not a date (expected YYYY-MM-DD)
        "#,
    );
}

#[test]
fn a_stint_overlapping_one_of_this_org_is_refused() {
    check(
        ADA,
        &here(),
        &Recipient::Existing(id("bob")),
        "ada.json:32: end: bob's stints overlap: manager from 2021-01-01 (until 2024-01-01) and engineer from 2022-01-01 (already in the database)",
    );
    check(
        ADA,
        &here(),
        &Recipient::Existing(id("nobody")),
        r#"ada.json: --as: no person has the id "nobody" here (name a person of this org)"#,
    );
}

#[test]
fn an_unknown_format_or_version_stops_the_reading() {
    check(
        &ADA.replace(r#""version": 1"#, r#""version": 2"#),
        &here(),
        &Recipient::Themselves,
        "ada.json:3: version: 2 is not a version this program reads (expected 1)",
    );
    check(
        &ADA.replace("pendulum-personal-ledger", "pendulum-ledger"),
        &here(),
        &Recipient::Themselves,
        r#"ada.json:2: format: "pendulum-ledger" is not a pendulum personal ledger (expected "pendulum-personal-ledger")"#,
    );
    check(
        "{\n  \"format\": \"pendulum-personal-ledger\",\n  \"version\": 1,\n  \"people\": []\n}",
        &here(),
        &Recipient::Themselves,
        "
        ada.json:1: people: unknown key (expected one of format, version, person, answers, stints, checkins, evidence, reflections)
        ada.json:1: person: is missing (the document holds one person)
        ",
    );
}
