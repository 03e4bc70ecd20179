//! The import contract, case by case: for each kind of bad input, the exact problems the
//! user is shown, all of them at once; and the happy paths that must stay happy.

use chrono::NaiveDate;
use pendulum_core::{Ledger, PersonId, Policy, Role, Willingness};
use pendulum_exchange::{Import, InputFile, parse_import};

const PEOPLE: &str = "\
id,name,email,level
ada,Ada,ada@x.io,L5
bob,Bob,bob@x.io,L4
";

fn files(files: &[(&str, &str)]) -> Vec<InputFile> {
    files
        .iter()
        .map(|(name, text)| InputFile {
            name: (*name).to_owned(),
            bytes: text.as_bytes().to_vec(),
        })
        .collect()
}

fn import(existing: &Ledger, inputs: &[InputFile]) -> Result<Import, String> {
    parse_import(inputs, &Policy::default(), existing).map_err(|p| p.to_string())
}

/// Imports `files` into an empty ledger and compares every problem, one per line.
fn check(files: &[(&str, &str)], expect: &str) {
    check_with(&Ledger::default(), files, expect);
}

fn check_with(existing: &Ledger, inputs: &[(&str, &str)], expect: &str) {
    check_inputs(existing, &files(inputs), expect);
}

fn check_inputs(existing: &Ledger, inputs: &[InputFile], expect: &str) {
    let expect: Vec<&str> = expect
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let actual = match import(existing, inputs) {
        Ok(_) => "ok".to_owned(),
        Err(problems) => problems,
    };
    assert_eq!(actual, expect.join("\n"));
}

/// A ledger already stored, as the store would hand it over.
fn stored(inputs: &[(&str, &str)]) -> Ledger {
    let import = import(&Ledger::default(), &files(inputs)).expect("the stored ledger is valid");
    Ledger::default().merge(import.parts).unwrap()
}

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

#[test]
fn unknown_column() {
    check(
        &[(
            "people.csv",
            "id,name,email,level,colour\nada,Ada,ada@x.io,L5,red\n",
        )],
        "people.csv:1: colour: unknown column (expected one of id, name, email, aliases, level, team, manager, willing_to_manage, willing_since, left_on, leave_reason)",
    );
}

#[test]
fn missing_required_columns() {
    check(
        &[("people.csv", "id,email\nada,ada@x.io\n")],
        "
        people.csv:1: level: the column is missing (people files need id, name, email, level)
        people.csv:1: name: the column is missing (people files need id, name, email, level)
        ",
    );
}

#[test]
fn duplicate_column() {
    check(
        &[(
            "stints.csv",
            "person,role,level,start,role\nada,engineer,L5,2020-01-01,manager\n",
        )],
        "stints.csv:1: role: the column appears twice (each may appear once)",
    );
}

#[test]
fn wrong_number_of_fields() {
    check(
        &[(
            "people.csv",
            "id,name,email,level\nada,Ada,ada@x.io\nbob,Bob,bob@x.io,L4,extra\n",
        )],
        "
        people.csv:2: row: has 3 fields, but the header names 4 columns
        people.csv:3: row: has 5 fields, but the header names 4 columns
        ",
    );
}

#[test]
fn bad_and_impossible_dates() {
    check(
        &[
            ("people.csv", PEOPLE),
            (
                "stints.csv",
                "person,role,level,start,end\n\
                 ada,engineer,L5,2020/01/01,\n\
                 bob,engineer,L4,2025-02-30,2025-2-1\n",
            ),
        ],
        r#"
        stints.csv:2: start: "2020/01/01" is not a date (expected YYYY-MM-DD)
        stints.csv:3: end: "2025-2-1" is not a date (expected YYYY-MM-DD)
        stints.csv:3: start: "2025-02-30" is not a day of the calendar (expected a real date as YYYY-MM-DD)
        "#,
    );
}

#[test]
fn unknown_role_and_yes_no() {
    check(
        &[
            ("people.csv", PEOPLE),
            (
                "stints.csv",
                "person,role,level,start,chosen\nada,boss,L5,2020-01-01,maybe\n",
            ),
        ],
        r#"
        stints.csv:2: chosen: "maybe" is not one of yes, no
        stints.csv:2: role: "boss" is not one of engineer, tech_lead, manager, hybrid
        "#,
    );
}

#[test]
fn scores_outside_one_to_five() {
    check(
        &[
            ("people.csv", PEOPLE),
            (
                "checkins.csv",
                "person,date,joy,energy,learning,note\n\
                 ada,2025-01-01,0,6,x,\n\
                 bob,2025-01-01,3,,5,fine\n",
            ),
        ],
        r#"
        checkins.csv:2: energy: "6" is not a score from 1 to 5
        checkins.csv:2: joy: "0" is not a score from 1 to 5
        checkins.csv:2: learning: "x" is not a score from 1 to 5
        checkins.csv:3: energy: is missing (a value is required)
        "#,
    );
}

#[test]
fn bad_email_alias_id_and_willingness() {
    check(
        &[(
            "people.csv",
            "id,name,email,aliases,level,willing_to_manage\n\
             ada,Ada,bob,ok@x.io;not an address,L5,perhaps\n\
             a b,Bee,bee@x.io,,L4,\n",
        )],
        r#"
        people.csv:2: aliases: "not an address" is not an email address (expected name@domain)
        people.csv:2: email: "bob" is not an email address (expected name@domain)
        people.csv:2: willing_to_manage: "perhaps" is not one of yes, no, unknown
        people.csv:3: id: contains ' '; use letters, digits, '.', '_' and '-' only
        "#,
    );
}

#[test]
fn level_not_on_the_ladder() {
    check(
        &[("people.csv", "id,name,email,level\nada,Ada,ada@x.io,E5\n")],
        r#"people.csv:2: level: "E5" is not a level of the ladder (L1, L2, L3, L4, L5, L6, L7, L8)"#,
    );
}

#[test]
fn unknown_people_in_stints_checkins_and_manager() {
    check(
        &[
            (
                "people.csv",
                "id,name,email,level,manager\nada,Ada,ada@x.io,L5,zed\n",
            ),
            (
                "stints.csv",
                "person,role,level,start\nyan,engineer,L5,2020-01-01\n",
            ),
            (
                "checkins.csv",
                "person,date,joy,energy,learning\nxi,2025-01-01,3,3,3\n",
            ),
        ],
        r#"
        checkins.csv:2: person: no person has the id "xi"
        people.csv:2: manager: no person has the id "zed"
        stints.csv:2: person: no person has the id "yan"
        "#,
    );
}

#[test]
fn a_note_longer_than_4096_bytes() {
    let long = "é".repeat(2049);
    check(
        &[
            ("people.csv", PEOPLE),
            (
                "checkins.csv",
                &format!("person,date,joy,energy,learning,note\nada,2025-01-01,3,3,3,{long}\n"),
            ),
        ],
        "checkins.csv:2: note: 4098 bytes is more than a note may hold (4096 bytes, 4 KB)",
    );
}

#[test]
fn two_check_ins_of_one_person_on_one_day() {
    let checkins = "person,date,joy,energy,learning,note\n\
                    ada,2025-01-01,3,3,3,\n\
                    bob,2025-01-01,3,3,3,\n\
                    ada,2025-01-01,4,4,4,again\n";
    check(
        &[("people.csv", PEOPLE), ("checkins.csv", checkins)],
        "checkins.csv:4: date: ada already has a check-in on 2025-01-01 (also at checkins.csv:2)",
    );
    check_with(
        &stored(&[
            ("people.csv", PEOPLE),
            (
                "checkins.csv",
                checkins.split_at(checkins.rfind("ada").unwrap()).0,
            ),
        ]),
        &[(
            "more.csv",
            "person,date,joy,energy,learning\nbob,2025-01-01,5,5,5\n",
        )],
        "more.csv:2: date: bob already has a check-in on 2025-01-01 (already in the database)",
    );
}

#[test]
fn field_and_ledger_problems_are_reported_together() {
    // A score out of range on one line and an unknown person on the next: both, in order.
    check(
        &[
            ("people.csv", PEOPLE),
            (
                "checkins.csv",
                "person,date,joy,energy,learning\n\
                 ada,2025-01-01,9,3,3\n\
                 zed,2025-01-02,3,3,3\n",
            ),
        ],
        r#"
        checkins.csv:2: joy: "9" is not a score from 1 to 5
        checkins.csv:3: person: no person has the id "zed"
        "#,
    );
    // Across files, with the other ledger problems: an overlap, a duplicate, a loop.
    check(
        &[
            (
                "people.csv",
                "id,name,email,level,manager\n\
                 ada,Ada,ada@x.io,L5,bob\n\
                 bob,Bob,bob@x.io,L4,ada\n\
                 cy,Cy,cy@x.io,L9,\n\
                 ada,Ada again,ada2@x.io,L5,\n",
            ),
            (
                "stints.csv",
                "person,role,level,start,end\n\
                 ada,engineer,L5,2020-01-01,\n\
                 ada,manager,L5,2021-01-01,\n\
                 bob,engineer,L4,2020-01-01,2019-01-01\n\
                 bob,chef,L4,2020-01-01,\n",
            ),
        ],
        r#"
        people.csv:2: manager: the reporting line loops: ada -> bob -> ada
        people.csv:4: level: "L9" is not a level of the ladder (L1, L2, L3, L4, L5, L6, L7, L8)
        people.csv:5: id: person "ada" is defined twice (also at people.csv:2)
        stints.csv:3: start: ada's stints overlap: engineer from 2020-01-01 (open-ended) and manager from 2021-01-01 (also at stints.csv:2)
        stints.csv:4: end: the stint ends on 2019-01-01, not after it starts on 2020-01-01
        stints.csv:5: role: "chef" is not one of engineer, tech_lead, manager, hybrid
        "#,
    );
}

#[test]
fn a_record_that_names_an_unreadable_one_is_not_blamed_again() {
    // Bob's row is malformed: his stint and check-in do not also say that no person has the
    // id "bob", since fixing his row fixes them; Zed, who is in no file, is still reported.
    check(
        &[
            (
                "people.csv",
                "id,name,email,level,manager\n\
                 ada,Ada,ada@x.io,L5,bob\n\
                 bob,Bob,bob,L4,\n",
            ),
            (
                "stints.csv",
                "person,role,level,start\nbob,engineer,L4,2020-01-01\n",
            ),
            (
                "checkins.csv",
                "person,date,joy,energy,learning\n\
                 bob,2025-01-01,3,3,3\n\
                 zed,2025-01-01,3,3,3\n",
            ),
        ],
        r#"
        checkins.csv:3: person: no person has the id "zed"
        people.csv:3: email: "bob" is not an email address (expected name@domain)
        "#,
    );
    // The same for a team whose row is malformed.
    check(
        &[
            ("teams.csv", "id,name,parent\napps,,\n"),
            (
                "people.csv",
                "id,name,email,level,team\nada,Ada,ada@x.io,L5,apps\nbob,Bob,bob@x.io,L4,web\n",
            ),
        ],
        r#"
        people.csv:3: team: no team has the id "web"
        teams.csv:2: name: is missing (a value is required)
        "#,
    );
}

#[test]
fn a_row_lost_before_its_id_was_read_holds_back_references_of_its_kind() {
    // Which person the row with a stray comma meant cannot be known, so references to people
    // not found wait for it to be fixed; references to teams do not.
    check(
        &[
            (
                "people.csv",
                "id,name,email,level,team\nada,Lovelace, Ada,ada@x.io,L5,apps\n",
            ),
            ("teams.csv", "id,name,parent\nweb,Web,apps\n"),
            (
                "stints.csv",
                "person,role,level,start\nada,engineer,L5,2020-01-01\n",
            ),
        ],
        r#"
        people.csv:2: row: has 6 fields, but the header names 5 columns
        teams.csv:2: parent: no team has the id "apps"
        "#,
    );
    // A file whose header names no kind may have held anyone.
    check(
        &[
            ("people.csv", "id,name,emial,level\nada,Ada,ada@x.io,L5\n"),
            (
                "checkins.csv",
                "person,date,joy,energy,learning\nada,2025-01-01,3,3,3\n",
            ),
        ],
        r#"
        people.csv:1: header: the columns "id,name,emial,level" match no kind of file (expected the header of one of: people (id,name,email,aliases,level,team,manager,willing_to_manage,willing_since,left_on,leave_reason); stints (person,role,team,level,band,start,end,chosen,trial_end,org); checkins (person,date,joy,energy,learning,note); teams (id,name,parent))
        "#,
    );
}

#[test]
fn a_json_document_reports_field_and_ledger_problems_together() {
    let document = format!(
        "{DOCUMENT_HEAD}  \"people\": [\n\
         {{\"id\": \"ada\", \"name\": \"Ada\", \"email\": \"ada@x.io\", \"level\": \"L5\"}},\n\
         {{\"id\": \"bob\", \"name\": \"Bob\", \"email\": \"bob\", \"level\": \"L4\"}}\n\
         ],\n\
         \"checkins\": [\n\
         {{\"person\": \"ada\", \"date\": \"2025-01-01\", \"joy\": 0, \"energy\": 3, \"learning\": 3}},\n\
         {{\"person\": \"bob\", \"date\": \"2025-01-01\", \"joy\": 3, \"energy\": 3, \"learning\": 3}},\n\
         {{\"person\": \"zed\", \"date\": \"2025-01-01\", \"joy\": 3, \"energy\": 3, \"learning\": 3}}\n\
         ]\n\
         }}\n"
    );
    check(
        &[("ledger.json", &document)],
        r#"
        ledger.json:6: email: "bob" is not an email address (expected name@domain)
        ledger.json:9: joy: "0" is not a score from 1 to 5
        ledger.json:11: person: no person has the id "zed"
        "#,
    );
}

#[test]
fn duplicate_person_within_the_import_and_against_the_stored_ledger() {
    check(
        &[(
            "people.csv",
            "id,name,email,level\nada,Ada,ada@x.io,L5\nada,Ada 2,ada2@x.io,L5\n",
        )],
        r#"people.csv:3: id: person "ada" is defined twice (also at people.csv:2)"#,
    );
    check_with(
        &stored(&[("people.csv", PEOPLE)]),
        &[(
            "more.csv",
            "id,name,email,level\nbob,Robert,robert@x.io,L4\n",
        )],
        r#"more.csv:2: id: person "bob" is defined twice (already in the database)"#,
    );
}

#[test]
fn overlapping_stints_within_the_import_and_against_the_stored_ledger() {
    check(
        &[
            ("people.csv", PEOPLE),
            (
                "stints.csv",
                "person,role,level,start,end\n\
                 ada,engineer,L5,2020-01-01,2021-01-01\n\
                 ada,manager,L5,2020-06-01,\n",
            ),
        ],
        "stints.csv:3: start: ada's stints overlap: engineer from 2020-01-01 (until 2021-01-01) and manager from 2020-06-01 (also at stints.csv:2)",
    );
    let existing = stored(&[
        ("people.csv", PEOPLE),
        (
            "stints.csv",
            "person,role,level,start\nbob,engineer,L4,2019-01-01\n",
        ),
    ]);
    check_with(
        &existing,
        &[(
            "stints.csv",
            "person,role,level,start\nbob,manager,L4,2024-01-01\n",
        )],
        "stints.csv:2: start: bob's stints overlap: engineer from 2019-01-01 (open-ended) and manager from 2024-01-01 (already in the database)",
    );
}

#[test]
fn end_and_trial_end_before_start() {
    check(
        &[
            ("people.csv", PEOPLE),
            (
                "stints.csv",
                "person,role,level,start,end,trial_end\n\
                 ada,engineer,L5,2020-01-01,2019-01-01,\n\
                 bob,manager,L4,2020-01-01,,2020-01-01\n",
            ),
        ],
        "
        stints.csv:2: end: the stint ends on 2019-01-01, not after it starts on 2020-01-01
        stints.csv:3: trial_end: the trial ends on 2020-01-01, not after the stint starts on 2020-01-01
        ",
    );
}

#[test]
fn reporting_line_loop() {
    check(
        &[(
            "people.csv",
            "id,name,email,level,manager\n\
             ada,Ada,ada@x.io,L5,bob\n\
             bob,Bob,bob@x.io,L5,cy\n\
             cy,Cy,cy@x.io,L5,ada\n",
        )],
        "people.csv:2: manager: the reporting line loops: ada -> bob -> cy -> ada",
    );
}

#[test]
fn an_email_used_by_two_people() {
    check(
        &[(
            "people.csv",
            "id,name,email,aliases,level\n\
             ada,Ada,ada@x.io,,L5\n\
             bob,Bob,bob@x.io,ADA@x.io,L5\n",
        )],
        "people.csv:3: aliases: ada@x.io is used by both ada and bob (also at people.csv:2)",
    );
}

#[test]
fn unknown_team_when_the_import_defines_teams() {
    check(
        &[
            (
                "teams.csv",
                "id,name,parent\nplatform,Platform,\napps,Apps,products\n",
            ),
            (
                "people.csv",
                "id,name,email,level,team\nada,Ada,ada@x.io,L5,payments\n",
            ),
        ],
        r#"
        people.csv:2: team: no team has the id "payments"
        teams.csv:3: parent: no team has the id "products"
        "#,
    );
}

#[test]
fn a_file_of_no_known_kind() {
    check(
        &[("notes.csv", "who,what\nada,hello\n")],
        r#"notes.csv:1: header: the columns "who,what" match no kind of file (expected the header of one of: people (id,name,email,aliases,level,team,manager,willing_to_manage,willing_since,left_on,leave_reason); stints (person,role,team,level,band,start,end,chosen,trial_end,org); checkins (person,date,joy,energy,learning,note); teams (id,name,parent))"#,
    );
    check(
        &[("empty.csv", "")],
        "empty.csv:1: header: the file is empty (expected a header line naming the columns)",
    );
}

#[test]
fn text_that_is_not_utf8() {
    let mut people = b"id,name,email,level\nada,Ad".to_vec();
    people.extend([0xE9, b'a']);
    people.extend(b",ada@x.io,L5\n");
    let mut document =
        b"{\"format\": \"pendulum-ledger\",\n\"version\": 1,\n\"teams\": [\"".to_vec();
    document.extend([0xFF]);
    document.extend(b"\"]}\n");
    let input = |name: &str, bytes: Vec<u8>| InputFile {
        name: name.into(),
        bytes,
    };
    check_inputs(
        &Ledger::default(),
        &[input("people.csv", people)],
        "people.csv:2: name: is not valid UTF-8 text (save the file as UTF-8)",
    );
    check_inputs(
        &Ledger::default(),
        &[input("ledger.json", document)],
        "ledger.json:3: document: is not valid UTF-8 text (save the file as UTF-8)",
    );
}

#[test]
fn json_syntax_error_at_its_line() {
    check(
        &[(
            "ledger.json",
            "{\n  \"format\": \"pendulum-ledger\",\n  \"version\": 1\n  \"people\": []\n}\n",
        )],
        "ledger.json:4: document: is not valid JSON: expected `,` or `}` at column 3",
    );
}

const DOCUMENT_HEAD: &str = "{\n  \"format\": \"pendulum-ledger\",\n  \"version\": 1,\n";

#[test]
fn json_records_are_blamed_at_the_line_where_they_begin() {
    let document = format!(
        "{DOCUMENT_HEAD}  \"people\": [\n\
         {{\"id\": \"ada\", \"name\": \"Ada\", \"email\": \"ada@x.io\", \"level\": \"L5\"}},\n\
         {{\n\
         \"id\": \"bob\", \"name\": \"Bob\", \"name\": \"Robert\",\n\
         \"email\": \"bob\", \"level\": \"L4\", \"colour\": \"red\"\n\
         }}\n\
         ],\n\
         \"stints\": [{{\"person\": \"ada\", \"role\": \"engineer\", \"level\": \"L5\",\n\
         \"start\": \"2020-01-01\", \"end\": \"2020-13-01\", \"chosen\": \"yes\"}}],\n\
         \"evidence\": [{{\"person\": \"ada\", \"month\": \"2025-01\", \"source\": \"svn\"}}],\n\
         \"colour\": \"red\"\n\
         }}\n"
    );
    check(
        &[("ledger.json", &document)],
        r#"
        ledger.json:1: colour: unknown key (expected one of format, version, policy, teams, people, stints, checkins, answers, evidence)
        ledger.json:6: colour: unknown key (expected one of id, name, email, aliases, level, team, manager, willing_to_manage, willing_since, left_on, leave_reason)
        ledger.json:6: email: "bob" is not an email address (expected name@domain)
        ledger.json:6: name: the key appears twice (each may appear once)
        ledger.json:11: chosen: expected true or false, not text
        ledger.json:11: end: "2020-13-01" is not a day of the calendar (expected a real date as YYYY-MM-DD)
        ledger.json:13: source: "svn" is not one of git, calendar
        "#,
    );
}

#[test]
fn json_policy_that_cannot_be_used() {
    let document = format!(
        "{DOCUMENT_HEAD}  \"policy\": {{\n    \"ladder\": [\"A\", \"B\"],\n    \"senior_level\": \"C\"\n  }},\n\
         \"people\": [{{\"id\": \"ada\", \"name\": \"Ada\", \"email\": \"ada@x.io\", \"level\": \"A\"}}]\n}}\n"
    );
    check(
        &[("ledger.json", &document)],
        r#"ledger.json:4: policy: senior_level: "C" is not a level of the ladder (A, B)"#,
    );
    let document = format!(
        "{DOCUMENT_HEAD}  \"policy\": {{\n    \"ladder\": [\"A\"],\n    \"senior\": \"A\"\n  }}\n}}\n"
    );
    check(
        &[("ledger.json", &document)],
        "ledger.json:6: policy: unknown field `senior`, expected one of `ladder`, `senior_level`, `hands_on_distance`, `hybrid_drift`, `lead_without_management`, `swing_as_promotion`, `new_manager_grace`, `unhappy_manager`, `returning_engineer`, `swing_again`, `reports_unhappy`, `checkins`, `itch`, `trial`, `pulse`, `git`, `calendar`, `stretch`, `rotation`",
    );
}

#[test]
fn json_mixed_with_other_files() {
    check(
        &[
            ("ledger.json", "{}"),
            ("people.csv", PEOPLE),
            ("more.json", " \n{}"),
        ],
        "
        ledger.json: file: a JSON document must be imported on its own, without other files
        more.json: file: a JSON document must be imported on its own, without other files
        ",
    );
}

#[test]
fn every_problem_of_every_file_is_reported() {
    check(
        &[
            (
                "people.csv",
                "id,name,email,level\nada,,ada@x.io,L9\nbob,Bob,bob,L4\n",
            ),
            (
                "stints.csv",
                "person,role,level,start\nada,engineer,L5,yesterday\n",
            ),
            ("teams.csv", "id,name\nt 1,T\n"),
        ],
        r#"
        people.csv:2: level: "L9" is not a level of the ladder (L1, L2, L3, L4, L5, L6, L7, L8)
        people.csv:2: name: is missing (a value is required)
        people.csv:3: email: "bob" is not an email address (expected name@domain)
        stints.csv:2: start: "yesterday" is not a date (expected YYYY-MM-DD)
        teams.csv:2: id: contains ' '; use letters, digits, '.', '_' and '-' only
        "#,
    );
}

#[test]
fn the_four_kinds_of_csv_together() {
    let inputs = files(&[
        (
            "people.csv",
            "\u{feff}willing_to_manage, id ,name,email,aliases,level,team,manager\n\
             yes,ada,\"Lovelace, Ada\",Ada@X.io,ada@old.io; a@x.io ,L6,platform,\n\
             ,bob,Bob \"the builder\",bob@x.io,,L4,apps,ada\n",
        ),
        (
            "stints.csv",
            "person,role,team,level,start,end,chosen,trial_end\n\
             ada,engineer,platform,L6,2015-03-01,2021-01-01,,\n\
             ada,manager,platform,L6,2021-01-01,,no,2021-07-01\n\
             bob,tech_lead,apps,L4,2022-05-01,,yes,\n",
        ),
        (
            "checkins.csv",
            "person,date,joy,energy,learning,note\n\
             ada,2025-01-10,4,3,2,\"tired,\n\"\"busy\"\" week\"\n\
             bob,2025-01-11, 5 ,5,5,\n",
        ),
        (
            "teams.csv",
            "\r\nid,name,parent\r\n\r\nplatform,Platform,\r\napps,Apps,platform",
        ),
    ]);
    let parts = import(&Ledger::default(), &inputs).unwrap().parts;
    assert_eq!(parts.teams.len(), 2);
    assert_eq!(parts.people.len(), 2);
    assert_eq!(parts.stints.len(), 3);
    assert_eq!(parts.checkins.len(), 2);
    let ada = &parts.people[0];
    assert_eq!(ada.origin.to_string(), "people.csv:2");
    assert_eq!(ada.item.name, "Lovelace, Ada");
    assert_eq!(ada.item.email.as_str(), "ada@x.io");
    let aliases: Vec<&str> = ada.item.aliases.iter().map(|a| a.as_str()).collect();
    assert_eq!(aliases, ["ada@old.io", "a@x.io"]);
    assert_eq!(ada.item.willing_to_manage, Willingness::Yes);
    let bob = &parts.people[1].item;
    assert_eq!(bob.name, "Bob \"the builder\"");
    assert_eq!(bob.willing_to_manage, Willingness::Unknown);
    assert_eq!(bob.manager.as_ref().unwrap().as_str(), "ada");
    let manager = &parts.stints[1];
    assert_eq!(manager.origin.to_string(), "stints.csv:3");
    assert_eq!(manager.item.role, Role::Manager);
    assert!(!manager.item.chosen);
    assert_eq!(manager.item.trial_end, Some(d("2021-07-01")));
    assert!(parts.stints[0].item.chosen, "chosen defaults to yes");
    assert_eq!(
        parts.checkins[0].item.note.as_deref(),
        Some("tired,\n\"busy\" week")
    );
    assert_eq!(parts.checkins[1].origin.to_string(), "checkins.csv:4");
    assert_eq!(parts.checkins[1].item.note, None);
    assert_eq!(
        parts.teams[1].item.parent.as_ref().unwrap().as_str(),
        "platform"
    );
}

#[test]
fn teams_are_implied_when_the_import_defines_none() {
    let existing = stored(&[("teams.csv", "id,name\nplatform,The Platform\n")]);
    let inputs = files(&[
        (
            "people.csv",
            "id,name,email,level,team\nada,Ada,ada@x.io,L5,platform\nbob,Bob,bob@x.io,L4,apps\n",
        ),
        (
            "stints.csv",
            "person,role,team,level,start\nada,engineer,data,L5,2020-01-01\nbob,engineer,apps,L4,2020-01-01\n",
        ),
    ]);
    let teams: Vec<String> = import(&existing, &inputs)
        .unwrap()
        .parts
        .teams
        .iter()
        .map(|t| {
            let parent = t.item.parent.as_ref().map_or("-", |p| p.as_str());
            format!("{} {} {} {parent}", t.origin, t.item.id, t.item.name)
        })
        .collect();
    assert_eq!(
        teams,
        ["people.csv:3 apps apps -", "stints.csv:2 data data -"]
    );
}

#[test]
fn a_json_document_reads_levels_against_its_own_ladder() {
    let document = format!(
        "{DOCUMENT_HEAD}  \"policy\": {{\"ladder\": [\"IC1\", \"IC2\", \"IC3\"], \"senior_level\": \"IC3\"}},\n\
         \"teams\": [],\n\
         \"people\": [{{\"id\": \"ada\", \"name\": \"Ada\", \"email\": \"ada@x.io\", \"aliases\": [],\n\
           \"level\": \"IC3\", \"team\": \"core\", \"manager\": null, \"willing_to_manage\": \"no\"}}],\n\
         \"stints\": [{{\"person\": \"ada\", \"role\": \"hybrid\", \"team\": null, \"level\": \"IC3\",\n\
           \"start\": \"2024-01-01\", \"end\": null, \"chosen\": false, \"trial_end\": null}}],\n\
         \"checkins\": [{{\"person\": \"ada\", \"date\": \"2025-01-01\", \"joy\": 2, \"energy\": 3,\n\
           \"learning\": 4, \"note\": \"\u{e9}t\u{e9} \\\"long\\\"\"}}],\n\
         \"evidence\": [\n\
           {{\"person\": \"ada\", \"month\": \"2025-01\", \"source\": \"git\", \"commits\": 3, \"merges\": 1,\n\
             \"coauthored\": 0, \"repositories\": 2, \"lines_added\": null, \"lines_removed\": 7, \"partial\": true}},\n\
           {{\"person\": \"ada\", \"week\": \"2025-W02\", \"source\": \"calendar\", \"meeting_hours\": 12.5,\n\
             \"focus_hours\": 20, \"fragmented_hours\": 3.25, \"after_hours\": 0}}\n\
         ]\n}}\n"
    );
    let import = import(&Ledger::default(), &files(&[("ledger.json", &document)])).unwrap();
    let policy = import.policy.expect("the document carries a policy");
    assert_eq!(policy.senior_level().name(), "IC3");
    let parts = import.parts;
    assert_eq!(
        parts.people[0].item.level,
        policy.ladder.level("IC3").unwrap()
    );
    assert_eq!(parts.people[0].origin.to_string(), "ledger.json:6");
    assert_eq!(parts.people[0].item.willing_to_manage, Willingness::No);
    assert_eq!(parts.teams.len(), 1, "the team is implied");
    let stint = &parts.stints[0].item;
    assert_eq!(
        (stint.role, stint.chosen, stint.end),
        (Role::Hybrid, false, None)
    );
    assert_eq!(
        parts.checkins[0].item.note.as_deref(),
        Some("\u{e9}t\u{e9} \"long\"")
    );
    let git = &parts.git[0];
    assert_eq!(git.origin.to_string(), "ledger.json:13");
    assert_eq!(
        (
            git.item.commits,
            git.item.lines_added,
            git.item.lines_removed,
            git.item.partial
        ),
        (3, None, Some(7), true)
    );
    let week = &parts.calendar[0].item;
    assert_eq!(week.week.to_string(), "2025-W02");
    assert_eq!(
        (week.meeting_hours, week.focus_hours, week.fragmented_hours),
        (12.5, 20.0, 3.25)
    );

    check(
        &[(
            "ledger.json",
            &document.replace(
                "\"level\": \"IC3\", \"team\"",
                "\"level\": \"L5\", \"team\"",
            ),
        )],
        r#"ledger.json:6: level: "L5" is not a level of the ladder (IC1, IC2, IC3)"#,
    );
}

#[test]
fn bad_bands_and_answer_days_are_located_like_any_field() {
    check(
        &[
            (
                "people.csv",
                "id,name,email,level,willing_to_manage,willing_since\n\
                 ada,Ada,ada@x.io,L5,yes,2024-02-30\n\
                 bob,Bob,bob@x.io,L4,no,last year\n",
            ),
            (
                "stints.csv",
                "person,role,level,band,start\n\
                 ada,engineer,L5,1000,2020-01-01\n\
                 bob,engineer,L4,-1,2020-01-01\n\
                 bob,manager,L4,3.5,2021-01-01\n",
            ),
        ],
        r#"
        people.csv:2: willing_since: "2024-02-30" is not a day of the calendar (expected a real date as YYYY-MM-DD)
        people.csv:3: willing_since: "last year" is not a date (expected YYYY-MM-DD)
        stints.csv:2: band: "1000" is not a pay band (a whole number from 0 to 999)
        stints.csv:3: band: "-1" is not a pay band (a whole number from 0 to 999)
        stints.csv:4: band: "3.5" is not a pay band (a whole number from 0 to 999)
        "#,
    );
}

#[test]
fn a_people_row_with_willing_since_records_its_answer() {
    let inputs = files(&[
        (
            "people.csv",
            "id,name,email,level,willing_to_manage,willing_since\n\
             ada,Ada,ada@x.io,L5,no,2024-03-01\n\
             bob,Bob,bob@x.io,L4,yes,\n",
        ),
        (
            "stints.csv",
            "person,role,level,band,start,end\n\
             ada,engineer,L5, 12 ,2020-01-01,2023-01-01\n\
             ada,manager,L5,,2023-01-01,\n",
        ),
    ]);
    let parts = import(&Ledger::default(), &inputs).unwrap().parts;
    let ada = &parts.people[0].item;
    assert_eq!(ada.willing_since, Some(d("2024-03-01")));
    assert_eq!(parts.people[1].item.willing_since, None);
    let answers: Vec<String> = parts
        .answers
        .iter()
        .map(|a| {
            let (who, when, what) = (&a.item.person, a.item.date, a.item.answer);
            format!("{} {who} {when} {what}", a.origin)
        })
        .collect();
    assert_eq!(answers, ["people.csv:2 ada 2024-03-01 no"]);
    let bands: Vec<Option<u16>> = parts
        .stints
        .iter()
        .map(|s| s.item.band.map(|b| b.get()))
        .collect();
    assert_eq!(bands, [Some(12), None]);
}

#[test]
fn a_documents_history_of_answers_is_checked_against_each_current_answer() {
    let document = r#"{
  "format": "pendulum-ledger",
  "version": 2,
  "people": [
    {"id": "ada", "name": "Ada", "email": "ada@x.io", "level": "L5",
     "willing_to_manage": "yes", "willing_since": "2024-01-01"},
    {"id": "bob", "name": "Bob", "email": "bob@x.io", "level": "L4",
     "willing_to_manage": "no", "willing_since": "2023-01-01"},
    {"id": "cy", "name": "Cy", "email": "cy@x.io", "level": "L4",
     "willing_to_manage": "no", "willing_since": "2023-01-01"}
  ],
  "stints": [{"person": "ada", "role": "engineer", "level": "L5", "band": "7",
    "start": "2020-01-01"}],
  "answers": [
    {"person": "ada", "date": "2024-01-01", "answer": "no"},
    {"person": "bob", "date": "2024-06-01", "answer": "yes"},
    {"person": "cy", "date": "2023-01-01", "answer": "no"},
    {"person": "cy", "date": "2020-01-01", "answer": "maybe"},
    {"person": "dan", "date": "2020-01-01", "answer": "yes"}
  ]
}
"#;
    check(
        &[("ledger.json", document)],
        r#"
        ledger.json:5: willing_since: the history records the answer "no" on 2024-01-01 (ledger.json:15), not "yes"
        ledger.json:7: willing_since: 2023-01-01 is before the answer of 2024-06-01 in the history (ledger.json:16); the latest answer is the current one
        ledger.json:12: band: expected a number, not text
        ledger.json:18: answer: "maybe" is not one of yes, no, unknown
        ledger.json:19: person: no person has the id "dan"
        "#,
    );
}

#[test]
fn departures_and_stints_of_other_orgs_come_in_from_csv() {
    let import = import(
        &Ledger::default(),
        &files(&[
            (
                "people.csv",
                "id,name,email,level,left_on,leave_reason\n\
                 ada,Ada,ada@x.io,L5,2024-06-01,moved abroad\n\
                 bob,Bob,bob@x.io,L4,,\n",
            ),
            (
                "stints.csv",
                "person,role,level,start,end,org\n\
                 ada,engineer,L5,2015-01-01,2019-01-01,Initech\n\
                 ada,manager,L5,2019-01-01,2024-06-01,\n",
            ),
        ]),
    )
    .unwrap();
    let ledger = Ledger::default().merge(import.parts).unwrap();
    let ada = ledger.person(&PersonId::parse("ada").unwrap()).unwrap();
    let departure = ada.departure.as_ref().unwrap();
    assert_eq!(departure.on, d("2024-06-01"));
    assert_eq!(departure.reason.as_deref(), Some("moved abroad"));
    assert!(
        !ledger
            .person(&PersonId::parse("bob").unwrap())
            .unwrap()
            .has_left()
    );
    let orgs: Vec<Option<&str>> = ledger.stints().iter().map(|s| s.org.as_deref()).collect();
    assert_eq!(orgs, [Some("Initech"), None]);
}

#[test]
fn a_departure_and_an_org_are_checked() {
    check(
        &[
            (
                "people.csv",
                "id,name,email,level,team,left_on,leave_reason\n\
                 ada,Ada,ada@x.io,L5,,2024-06-31,\n\
                 bob,Bob,bob@x.io,L4,,,no day given\n\
                 cy,Cy,cy@x.io,L4,,2020-01-01,\n",
            ),
            (
                "stints.csv",
                "person,role,team,level,start,end,org\n\
                 bob,engineer,apps,L4,2015-01-01,2019-01-01,Initech\n\
                 cy,engineer,,L4,2019-01-01,,\n",
            ),
        ],
        r#"
        people.csv:2: left_on: "2024-06-31" is not a day of the calendar (expected a real date as YYYY-MM-DD)
        people.csv:3: leave_reason: is given without left_on (a reason needs the day they left)
        people.csv:4: left: cy left on 2020-01-01 but has a stint from 2019-01-01 that is still open
        stints.csv:2: team: apps is a team of this org, but the stint was lived at "Initech" (leave team empty)
        "#,
    );
}
