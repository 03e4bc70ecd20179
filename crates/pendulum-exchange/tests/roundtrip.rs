//! Properties of the contract over generated ledgers: the export reads back to itself, and
//! an accepted import never leaves one person in two stints at once.

use chrono::{Days, NaiveDate};
use pendulum_core::{
    Band, CalendarWeek, CheckIn, Departure, Email, GitMonth, IsoWeek, Ladder, Ledger, LedgerParts,
    Level, Origin, Person, PersonId, Policy, Role, Score, Sourced, Stint, Team, TeamId,
    WillingAnswer, Willingness, YearMonth,
};
use pendulum_exchange::{
    InputFile, Notes, Recipient, Reflection, export_document, export_document_without_notes,
    export_personal, parse_import, plan_personal, read_personal,
};
use proptest::collection::{btree_set, vec};
use proptest::prelude::*;
use proptest::sample::Index;

fn day(offset: u64) -> NaiveDate {
    NaiveDate::from_ymd_opt(2000, 1, 1).unwrap() + Days::new(offset)
}

/// Names and notes with what CSV and JSON must escape: commas, quotes, backslashes, line
/// breaks, tabs, control characters (but NUL, which no text of the ledger may hold), and
/// text beyond ASCII.
fn text() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9 ,;\"'\\\\\n\r\t\u{1}\u{7f}\u{e9}\u{fc}\u{4e2d}\u{1f600}]{1,16}"
}

/// The default policy, or one with a ladder of its own and a changed threshold.
fn policy() -> impl Strategy<Value = Policy> {
    let custom = (1usize..7, any::<Index>(), 0.0f64..=1.0).prop_map(|(n, senior, weight)| {
        let rungs: Vec<String> = (1..=n).map(|i| format!("IC{i}")).collect();
        let ladder = Ladder::new(rungs.clone()).unwrap();
        let mut policy = Policy {
            senior_level: ladder.level(&rungs[senior.index(n)]).unwrap(),
            ladder,
            ..Policy::default()
        };
        policy.hands_on_distance.hybrid_hands_on_weight = weight;
        policy
    });
    prop_oneof![Just(Policy::default()), custom]
}

fn hours() -> impl Strategy<Value = f64> {
    use proptest::num::f64::{NORMAL, POSITIVE, SUBNORMAL, ZERO};
    prop_oneof![0.0f64..80.0, POSITIVE | NORMAL | SUBNORMAL | ZERO]
}

#[derive(Debug, Clone)]
struct StintSeed {
    role: Index,
    team: Option<Index>,
    level: Index,
    band: Option<u16>,
    gap_days: u64,
    length_days: u64,
    chosen: bool,
    trial_days: Option<u64>,
    /// Lived at another org, and then on no team of this one.
    org: Option<String>,
}

#[derive(Debug, Clone)]
struct PersonSeed {
    id_prefix: String,
    name: String,
    local: String,
    aliases: usize,
    level: Index,
    team: Option<Index>,
    manager: Option<Index>,
    willing: Index,
    /// Answers about managing by day; with `dated`, the last one is the current answer.
    answers: std::collections::BTreeMap<u64, Index>,
    dated: bool,
    first_start: u64,
    stints: Vec<StintSeed>,
    last_is_open: bool,
    /// Days after the last stint ends that the person left, and why; kept only for the
    /// last person (whom no one reports to) when their last stint is closed.
    leaves: Option<(u64, Option<String>)>,
    /// At most one check-in a day, as the ledger allows.
    checkins: std::collections::BTreeMap<u64, ([u8; 3], Option<String>)>,
    git: std::collections::BTreeSet<u32>,
    git_counts: (u32, u32, u32, u32, Option<u64>, Option<u64>, bool),
    weeks: std::collections::BTreeSet<u64>,
    week_hours: [f64; 4],
}

fn stint_seed() -> impl Strategy<Value = StintSeed> {
    (
        any::<Index>(),
        any::<Option<Index>>(),
        any::<Index>(),
        proptest::option::of(0u16..=Band::MAX),
        0u64..400,
        1u64..2000,
        any::<bool>(),
        proptest::option::of(1u64..400),
        proptest::option::of(text()),
    )
        .prop_map(
            |(role, team, level, band, gap_days, length_days, chosen, trial_days, org)| StintSeed {
                role,
                team,
                level,
                band,
                gap_days,
                length_days,
                chosen,
                trial_days,
                org,
            },
        )
}

fn person_seed() -> impl Strategy<Value = PersonSeed> {
    let who = (
        "[a-zA-Z0-9._-]{0,5}",
        text(),
        "[a-zA-Z0-9._]{1,6}",
        0usize..3,
        any::<Index>(),
        any::<Option<Index>>(),
        any::<Option<Index>>(),
        any::<Index>(),
        proptest::collection::btree_map(0u64..10_000, any::<Index>(), 0..3),
        any::<bool>(),
    );
    let history = (
        0u64..3000,
        vec(stint_seed(), 0..4),
        any::<bool>(),
        proptest::collection::btree_map(
            0u64..10_000,
            ([1u8..=5, 1u8..=5, 1u8..=5], proptest::option::of(text())),
            0..4,
        ),
        proptest::option::of((0u64..100, proptest::option::of(text()))),
    );
    let evidence = (
        btree_set(0u32..300, 0..3),
        any::<(u32, u32, u32, u32, Option<u64>, Option<u64>, bool)>(),
        btree_set(0u64..1000, 0..3),
        [hours(), hours(), hours(), hours()],
    );
    (who, history, evidence).prop_map(
        |(
            (id_prefix, name, local, aliases, level, team, manager, willing, answers, dated),
            (first_start, stints, last_is_open, checkins, leaves),
            (git, git_counts, weeks, week_hours),
        )| PersonSeed {
            id_prefix,
            name,
            local,
            aliases,
            level,
            team,
            manager,
            willing,
            answers,
            dated,
            first_start,
            stints,
            last_is_open,
            leaves,
            checkins,
            git,
            git_counts,
            weeks,
            week_hours,
        },
    )
}

fn pick<'a, T>(items: &'a [T], index: &Index) -> &'a T {
    &items[index.index(items.len())]
}

/// A valid ledger: nested teams without loops, reporting lines that point to earlier
/// people, stints that follow each other, unique emails and evidence periods.
fn ledger() -> impl Strategy<Value = (Policy, Ledger)> {
    let teams = vec((text(), any::<Option<Index>>()), 0..4);
    (policy(), teams, vec(person_seed(), 0..6)).prop_map(|(policy, teams, people)| {
        let origin = Origin::database;
        let levels: Vec<Level> = policy.ladder.levels().collect();
        let team_ids: Vec<TeamId> = (0..teams.len())
            .map(|i| TeamId::parse(&format!("team-{i}")).unwrap())
            .collect();
        let team_of = |index: &Option<Index>| {
            index
                .as_ref()
                .filter(|_| !team_ids.is_empty())
                .map(|i| pick(&team_ids, i).clone())
        };
        let mut parts = LedgerParts::default();
        for (i, (name, parent)) in teams.into_iter().enumerate() {
            let parent = parent
                .filter(|_| i > 0)
                .map(|p| team_ids[p.index(i)].clone());
            let team = Team {
                id: team_ids[i].clone(),
                name,
                parent,
            };
            parts.teams.push(Sourced::new(team, origin()));
        }
        let ids: Vec<PersonId> = people
            .iter()
            .enumerate()
            .map(|(i, p)| PersonId::parse(&format!("{}-{i}", p.id_prefix)).unwrap())
            .collect();
        let willingness = [Willingness::Yes, Willingness::No, Willingness::Unknown];
        let count = people.len();
        for (i, seed) in people.into_iter().enumerate() {
            let id = ids[i].clone();
            let answers: Vec<WillingAnswer> = seed
                .answers
                .iter()
                .map(|(date, answer)| WillingAnswer {
                    person: id.clone(),
                    date: day(*date),
                    answer: *pick(&willingness, answer),
                })
                .collect();
            // The current answer is the latest of the history, as `Ledger::set_willing` keeps it.
            let current = answers.last().filter(|_| seed.dated);
            let last_end = seed.first_start
                + seed
                    .stints
                    .iter()
                    .map(|s| s.gap_days + s.length_days)
                    .sum::<u64>();
            let departure = seed
                .leaves
                .filter(|_| i + 1 == count && (seed.stints.is_empty() || !seed.last_is_open))
                .map(|(after, reason)| Departure {
                    on: day(last_end + after),
                    reason,
                });
            let person = Person {
                willing_since: current.map(|a| a.date),
                id: id.clone(),
                name: seed.name,
                email: Email::parse(&format!("{}+{i}@Example.org", seed.local)).unwrap(),
                aliases: (0..seed.aliases)
                    .map(|k| Email::parse(&format!("{}+{i}.{k}@alias.org", seed.local)).unwrap())
                    .collect(),
                level: pick(&levels, &seed.level).clone(),
                team: team_of(&seed.team).filter(|_| departure.is_none()),
                manager: seed
                    .manager
                    .filter(|_| i > 0 && departure.is_none())
                    .map(|m| ids[m.index(i)].clone()),
                willing_to_manage: current.map_or(*pick(&willingness, &seed.willing), |a| a.answer),
                departure,
            };
            parts.people.push(Sourced::new(person, origin()));
            parts
                .answers
                .extend(answers.into_iter().map(|a| Sourced::new(a, origin())));

            let mut start = seed.first_start;
            let count = seed.stints.len();
            for (k, s) in seed.stints.into_iter().enumerate() {
                start += s.gap_days;
                let end = start + s.length_days;
                let stint = Stint {
                    band: s.band.map(|b| Band::new(b).unwrap()),
                    person: id.clone(),
                    role: *pick(&Role::ALL, &s.role),
                    team: team_of(&s.team).filter(|_| s.org.is_none()),
                    level: pick(&levels, &s.level).clone(),
                    start: day(start),
                    end: (k + 1 < count || !seed.last_is_open).then(|| day(end)),
                    chosen: s.chosen,
                    trial_end: s.trial_days.map(|t| day(start + t)),
                    org: s.org,
                };
                parts.stints.push(Sourced::new(stint, origin()));
                start = end;
            }
            for (date, ([joy, energy, learning], note)) in seed.checkins {
                let checkin = CheckIn {
                    person: id.clone(),
                    date: day(date),
                    joy: Score::new(joy).unwrap(),
                    energy: Score::new(energy).unwrap(),
                    learning: Score::new(learning).unwrap(),
                    note: note.and_then(|n| pendulum_core::Note::parse(n).unwrap()),
                };
                parts.checkins.push(Sourced::new(checkin, origin()));
            }
            let (commits, merges, coauthored, repositories, added, removed, partial) =
                seed.git_counts;
            for month in seed.git {
                let git = GitMonth {
                    person: id.clone(),
                    month: YearMonth::new(2000 + (month / 12) as i32, month % 12 + 1).unwrap(),
                    commits,
                    merges,
                    coauthored,
                    repositories,
                    lines_added: added,
                    lines_removed: removed,
                    partial,
                };
                parts.git.push(Sourced::new(git, origin()));
            }
            let [meeting, focus, fragmented, after] = seed.week_hours;
            for week in seed.weeks {
                let calendar = CalendarWeek {
                    person: id.clone(),
                    week: IsoWeek::of(day(2 + 7 * week)),
                    meeting_hours: meeting,
                    focus_hours: focus,
                    fragmented_hours: fragmented,
                    after_hours: after,
                };
                parts.calendar.push(Sourced::new(calendar, origin()));
            }
        }
        let ledger = Ledger::build(parts).expect("the generated ledger is valid");
        (policy, ledger)
    })
}

fn json(document: &str) -> Vec<InputFile> {
    vec![InputFile {
        name: "ledger.json".into(),
        bytes: document.as_bytes().to_vec(),
    }]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn an_export_reads_back_to_the_same_bytes((policy, ledger) in ledger()) {
        let document = export_document(&ledger, &policy);
        // The importer's own policy differs: the document's must win.
        let import = parse_import(&json(&document), &Policy::default(), &Ledger::default())
            .map_err(|p| TestCaseError::fail(p.to_string()))?;
        let policy_back = import.policy.expect("the export carries its policy");
        prop_assert_eq!(&policy_back, &policy);
        let again = Ledger::default()
            .merge(import.parts)
            .map_err(|p| TestCaseError::fail(p.to_string()))?;
        prop_assert_eq!(export_document(&again, &policy_back), document);

        let private = export_document_without_notes(&ledger, &policy);
        let import = parse_import(&json(&private), &Policy::default(), &Ledger::default())
            .map_err(|p| TestCaseError::fail(p.to_string()))?;
        prop_assert!(import.parts.checkins.iter().all(|c| c.item.note.is_none()));
        prop_assert_eq!(import.parts.checkins.len(), ledger.checkins().len());
    }

    #[test]
    fn a_personal_ledger_reads_back_to_the_same_bytes_and_a_second_import_adds_nothing(
        (policy, ledger) in ledger(),
        reflection_days in btree_set(0u64..1000, 0..3),
    ) {
        let reflections: Vec<Reflection> = reflection_days
            .iter()
            .map(|d| Reflection::parse(&day(*d).to_string(), r#"{"why": "a, \"b\"", "scores": [1, 2]}"#).unwrap())
            .collect();
        for person in ledger.people() {
            let document = export_personal(&ledger, &person.id, &reflections, "Acme, Inc.", Notes::Keep)
                .expect("the person is in the ledger");
            let file = InputFile { name: "me.json".into(), bytes: document.clone().into_bytes() };
            let read = read_personal(&file, &policy.ladder);
            let import = plan_personal(read, &Ledger::default(), &Recipient::Themselves, &[])
                .map_err(|p| TestCaseError::fail(p.to_string()))?;
            prop_assert!(import.created);
            prop_assert_eq!(&import.reflections, &reflections);
            let there = Ledger::default()
                .apply(&import.change, &pendulum_core::Origin::new("me.json", 0))
                .map_err(|p| TestCaseError::fail(p.to_string()))?;
            prop_assert!(there.stints().iter().all(|s| s.org.is_some() && s.team.is_none()));
            // Another org's name for its own stints changes nothing: they all carry theirs.
            let again = export_personal(&there, &person.id, &import.reflections, "Elsewhere", Notes::Keep);
            prop_assert_eq!(again.as_deref(), Some(document.as_str()));

            let twice = plan_personal(read_personal(&file, &policy.ladder), &there, &Recipient::Themselves, &import.reflections)
                .map_err(|p| TestCaseError::fail(p.to_string()))?;
            prop_assert!(!twice.created);
            prop_assert!(twice.reflections.is_empty());
            let change = &twice.change;
            prop_assert!(
                change.people.is_empty() && change.stints.is_empty() && change.checkins.is_empty()
                    && change.answers.is_empty() && change.git.is_empty() && change.calendar.is_empty()
            );
        }
    }

    #[test]
    fn accepted_stints_of_one_person_never_overlap(
        stored in vec((0usize..2, 0u64..100, proptest::option::of(-5i64..60)), 0..3),
        rows in vec((0usize..2, 0u64..100, proptest::option::of(-5i64..60)), 0..6),
    ) {
        let csv = |rows: &[(usize, u64, Option<i64>)]| {
            let mut text = String::from("person,role,level,start,end\n");
            for (person, start, length) in rows {
                let end = length.map_or(String::new(), |l| {
                    day(start.saturating_add_signed(l)).to_string()
                });
                text += &format!("{},engineer,L3,{},{end}\n", ["ann", "ben"][*person], day(*start));
            }
            text
        };
        let people = "id,name,email,level\nann,Ann,ann@x.io,L3\nben,Ben,ben@x.io,L3\n";
        let file = |name: &str, text: &str| InputFile { name: name.into(), bytes: text.as_bytes().to_vec() };
        let Ok(existing) = parse_import(
            &[file("people.csv", people), file("stored.csv", &csv(&stored))],
            &Policy::default(),
            &Ledger::default(),
        )
        .and_then(|import| Ledger::default().merge(import.parts)) else {
            return Ok(());
        };
        if let Ok(import) = parse_import(&[file("stints.csv", &csv(&rows))], &Policy::default(), &existing) {
            let mut all: Vec<Stint> = existing.stints().to_vec();
            all.extend(import.parts.stints.into_iter().map(|s| s.item));
            all.sort_by(|a, b| a.person.cmp(&b.person).then(a.start.cmp(&b.start)));
            for pair in all.windows(2) {
                let (a, b) = (&pair[0], &pair[1]);
                if a.person == b.person {
                    prop_assert!(
                        a.end.is_some_and(|end| end <= b.start),
                        "{a:?} overlaps {b:?}"
                    );
                }
            }
        }
    }
}
