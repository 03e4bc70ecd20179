//! The readings called directly, as the command line, the API and the pages call them, on a
//! small org: who sees whom, whose figures and nudges, and the note that reaches its author
//! alone. Readings touch no store, so the org is a ledger built from CSV text.

use chrono::NaiveDate;
use pendulum_app::acting::Who;
use pendulum_app::reading::org::{self, NudgeQuery, Whose};
use pendulum_app::reading::people::{self, Listing, NoteSeen, PeopleQuery, Wording};
use pendulum_app::reading::{METRICS_FOR_MANAGERS, ReadError};
use pendulum_core::{Account, AccountRole, Email, Ledger, PersonId, Policy};
use pendulum_exchange::InputFile;

mod common;

use common::{PEOPLE, STINTS};

/// `dev` wrote a note with their first check-in.
const CHECKINS: &str = "person,date,joy,energy,learning,note\n\
    dev,2026-01-05,2,3,2,thinking of leaving\n\
    dev,2026-02-05,3,3,3,\n";

fn org() -> Ledger {
    let files = [
        ("people.csv", PEOPLE),
        ("stints.csv", STINTS),
        ("checkins.csv", CHECKINS),
    ]
    .map(|(name, text)| InputFile {
        name: name.into(),
        bytes: text.as_bytes().to_vec(),
    });
    let empty = Ledger::default();
    let import = pendulum_exchange::parse_import(&files, &Policy::default(), &empty).unwrap();
    Ledger::build(import.parts).unwrap()
}

fn account(role: AccountRole, person: Option<&str>) -> Who {
    Who::Account(Account {
        email: Email::parse("reader@accounts.x.io").unwrap(),
        role,
        person: person.map(id),
    })
}

fn id(raw: &str) -> PersonId {
    PersonId::parse(raw).unwrap()
}

fn as_of() -> NaiveDate {
    "2026-06-01".parse().unwrap()
}

/// The readers of the tests, by name.
fn reader(name: &str) -> Who {
    match name {
        "operator" => Who::Operator,
        "admin" => account(AccountRole::Admin, None),
        "boss" | "lead" => account(AccountRole::Manager, Some(name)),
        member => account(AccountRole::Member, Some(member)),
    }
}

#[test]
fn each_reader_lists_the_people_they_see() {
    let ledger = org();
    let query = PeopleQuery {
        listing: Listing::Holding,
        role: None,
        team: None,
    };
    for (who, expected) in [
        ("operator", "boss dev lead ot other"),
        ("admin", "boss dev lead ot other"),
        ("boss", "boss dev lead ot other"),
        ("lead", "dev lead"),
        ("dev", "dev"),
    ] {
        let listed: Vec<&str> = people::list(&reader(who), &ledger, as_of(), &query)
            .iter()
            .map(|l| l.person.id.as_str())
            .collect();
        assert_eq!(listed.join(" "), expected, "{who}");
    }
}

#[test]
fn someone_out_of_sight_is_not_found_by_every_reading() {
    let ledger = org();
    let policy = Policy::default();
    for (who, whom) in [
        ("lead", "ot"),
        ("dev", "lead"),
        ("ot", "dev"),
        ("admin", "zed"),
    ] {
        let (who, whom) = (reader(who), id(whom));
        let not_found = Err(ReadError::NotFound(whom.clone()));
        let wording = Wording::ForTheReader;
        let person = people::person(&who, &ledger, &policy, as_of(), &whom, wording);
        assert_eq!(person.map(|p| p.index), not_found);
        assert_eq!(
            people::stints(&who, &ledger, &whom).map(<[_]>::len),
            not_found
        );
        let checkins = people::checkins(&who, &ledger, &whom);
        assert_eq!(checkins.map(|c| c.len()), not_found);
        let timeline = people::timeline(&who, &ledger, &policy, as_of(), &whom);
        assert_eq!(timeline.map(|t| t.segments.len()), not_found);
        for whose in [Whose::About(whom.clone()), Whose::Concerning(whom.clone())] {
            let query = NudgeQuery {
                whose,
                severity: None,
                rule: None,
            };
            let nudges = org::nudges(&who, &ledger, &policy, as_of(), &query);
            assert_eq!(nudges.map(|n| n.len()), not_found);
        }
    }
}

#[test]
fn a_note_reaches_its_author_alone() {
    let ledger = org();
    let policy = Policy::default();
    let dev = id("dev");
    for who in ["dev", "lead", "boss", "admin", "operator"] {
        let checkins = people::checkins(&reader(who), &ledger, &dev).unwrap();
        let notes: Vec<Option<&str>> = checkins
            .iter()
            .map(|c| match c.note {
                NoteSeen::Own(note) => note.map(|n| n.as_str()),
                NoteSeen::Withheld => Some("withheld"),
            })
            .collect();
        let expected = match who {
            "dev" => vec![Some("thinking of leaving"), None],
            _ => vec![Some("withheld"), Some("withheld")],
        };
        assert_eq!(notes, expected, "{who}");
        let seen = people::person(
            &reader(who),
            &ledger,
            &policy,
            as_of(),
            &dev,
            Wording::ForTheReader,
        )
        .unwrap();
        assert_eq!(seen.checkins, checkins, "{who}");
    }
}

#[test]
fn figures_are_a_managers_line_and_never_a_members() {
    let ledger = org();
    let policy = Policy::default();
    for (who, people) in [("operator", 5), ("admin", 5), ("boss", 5), ("lead", 2)] {
        let report = org::report(&reader(who), &ledger, &policy, as_of()).unwrap();
        assert_eq!(report.metrics.people, people, "{who}");
        let metrics = org::metrics(&reader(who), &ledger, &policy, as_of()).unwrap();
        assert_eq!(metrics.people, people, "{who}");
        let overview = org::overview(&reader(who), &ledger, &policy, as_of()).unwrap();
        assert_eq!(overview.report.metrics.people, people, "{who}");
    }
    let member = reader("dev");
    let refused = Err(ReadError::Forbidden(METRICS_FOR_MANAGERS));
    let report = org::report(&member, &ledger, &policy, as_of());
    assert_eq!(report.map(|r| r.metrics.people), refused);
    let metrics = org::metrics(&member, &ledger, &policy, as_of());
    assert_eq!(metrics.map(|m| m.people), refused);
    let overview = org::overview(&member, &ledger, &policy, as_of());
    assert_eq!(overview.map(|o| o.report.metrics.people), refused);
}

#[test]
fn nudges_stay_within_the_readers_line() {
    let ledger = org();
    let policy = Policy::default();
    let everyone = NudgeQuery {
        whose: Whose::Everyone,
        severity: None,
        rule: None,
    };
    let about = |who: &str| {
        let mut people: Vec<String> =
            org::nudges(&reader(who), &ledger, &policy, as_of(), &everyone)
                .unwrap()
                .into_iter()
                .map(|n| n.person.to_string())
                .collect();
        people.sort();
        people.dedup();
        people
    };
    let org_wide = about("operator");
    assert!(org_wide.contains(&"boss".to_owned()), "{org_wide:?}");
    assert_eq!(about("admin"), org_wide);
    let line = about("lead");
    assert!(!line.is_empty());
    assert!(line.iter().all(|p| p == "lead" || p == "dev"), "{line:?}");
}

#[test]
fn a_page_speaks_to_its_own_reader_and_the_api_about_them() {
    let ledger = org();
    let policy = Policy::default();
    let lead = id("lead");
    let texts = |who: &str, wording| {
        let seen = people::person(&reader(who), &ledger, &policy, as_of(), &lead, wording);
        let nudges = seen.unwrap().nudges;
        assert!(!nudges.is_empty());
        nudges
            .iter()
            .map(|n| n.facts[0].text.clone())
            .collect::<Vec<_>>()
    };
    let about = texts("lead", Wording::AboutThem);
    assert_eq!(texts("admin", Wording::ForTheReader), about);
    assert_eq!(texts("boss", Wording::AboutThem), about);
    assert_ne!(texts("lead", Wording::ForTheReader), about);
}
