//! What each field of the contract means, written once for both syntaxes.
//!
//! A CSV row and a JSON object spell values differently (`yes` against `true`, `a;b` against
//! `["a", "b"]`), but a person is the same person in both. [`Record`] hides the spelling; the
//! functions here turn a record into a core value and report every bad field as a
//! [`Problem`] named after its column or key, so that both syntaxes say the same thing about
//! the same mistake.

use std::borrow::Cow;
use std::fmt::Display;
use std::str::FromStr;

use chrono::NaiveDate;
use pendulum_core::text::without_nul;
use pendulum_core::{
    Band, CalendarWeek, CheckIn, Departure, Email, GitMonth, IsoWeek, Ladder, LedgerParts, Level,
    Note, NulError, Origin, Person, PersonId, Problem, Role, Score, Sourced, Stint, Team, TeamId,
    WillingAnswer, Willingness, YearMonth,
};

use crate::unread::Unread;

/// A kind of record: a CSV file holds one kind, a JSON document an array of each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Section {
    Teams,
    People,
    Stints,
    Checkins,
    /// Answers about managing with their day: the JSON document's history. A CSV people row
    /// with `willing_since` records its answer without a file of its own.
    Answers,
    Git,
    Calendar,
}

impl Section {
    /// The kinds a CSV file may hold; evidence comes from the readers of git and calendars.
    pub(crate) const TABLES: [Section; 4] = [
        Section::People,
        Section::Stints,
        Section::Checkins,
        Section::Teams,
    ];

    /// What records of this kind are called, as in the JSON document's keys.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Section::Teams => "teams",
            Section::People => "people",
            Section::Stints => "stints",
            Section::Checkins => "checkins",
            Section::Answers => "answers",
            Section::Git | Section::Calendar => "evidence",
        }
    }

    /// Every field, in the order the export writes them.
    pub(crate) fn fields(self) -> &'static [&'static str] {
        match self {
            Section::Teams => &["id", "name", "parent"],
            Section::People => &[
                "id",
                "name",
                "email",
                "aliases",
                "level",
                "team",
                "manager",
                "willing_to_manage",
                "willing_since",
                "left_on",
                "leave_reason",
            ],
            Section::Stints => &[
                "person",
                "role",
                "team",
                "level",
                "band",
                "start",
                "end",
                "chosen",
                "trial_end",
                "org",
            ],
            Section::Checkins => &["person", "date", "joy", "energy", "learning", "note"],
            Section::Answers => &["person", "date", "answer"],
            Section::Git => &[
                "person",
                "month",
                "source",
                "commits",
                "merges",
                "coauthored",
                "repositories",
                "lines_added",
                "lines_removed",
                "partial",
            ],
            Section::Calendar => &[
                "person",
                "week",
                "source",
                "meeting_hours",
                "focus_hours",
                "fragmented_hours",
                "after_hours",
            ],
        }
    }

    /// The fields without which there is no record. The evidence's `source` is not listed:
    /// it chooses the kind before the fields are read.
    pub(crate) fn required(self) -> &'static [&'static str] {
        match self {
            Section::Teams => &["id", "name"],
            Section::People => &["id", "name", "email", "level"],
            Section::Stints => &["person", "role", "level", "start"],
            Section::Checkins => &["person", "date", "joy", "energy", "learning"],
            Section::Answers => &["person", "date", "answer"],
            Section::Git => &[
                "person",
                "month",
                "commits",
                "merges",
                "coauthored",
                "repositories",
            ],
            Section::Calendar => &[
                "person",
                "week",
                "meeting_hours",
                "focus_hours",
                "fragmented_hours",
                "after_hours",
            ],
        }
    }

    /// Reads one record of this kind into `parts`, or reports why it cannot be read and
    /// remembers it in `unread`. Levels are parsed against `ladder`; without one (the
    /// document's own policy was refused), records with a level are checked but not kept.
    pub(crate) fn read(
        self,
        record: &impl Record,
        ladder: Option<&Ladder>,
        parts: &mut LedgerParts,
        problems: &mut Vec<Problem>,
        unread: &mut Unread,
    ) {
        let origin = record.origin().clone();
        let mut r = Reader {
            record,
            ladder,
            problems,
            complete: true,
        };
        let kept = match self {
            Section::Teams => keep(&mut parts.teams, team(&mut r), origin),
            Section::People => keep(&mut parts.people, person(&mut r), origin),
            Section::Stints => keep(&mut parts.stints, stint(&mut r), origin),
            Section::Checkins => keep(&mut parts.checkins, checkin(&mut r), origin),
            Section::Answers => keep(&mut parts.answers, answer(&mut r), origin),
            Section::Git => keep(&mut parts.git, git_month(&mut r), origin),
            Section::Calendar => keep(&mut parts.calendar, calendar_week(&mut r), origin),
        };
        if !kept {
            unread.record(self, record);
        }
    }
}

/// Keeps the record if it was read; says whether it was.
fn keep<T>(into: &mut Vec<Sourced<T>>, item: Option<T>, origin: Origin) -> bool {
    match item {
        Some(item) => {
            into.push(Sourced::new(item, origin));
            true
        }
        None => false,
    }
}

/// Checks the names of a record's fields (a CSV header, a JSON object's keys): each must be
/// one of `allowed` and appear once. `owner` names what holds the fields, for a name that is
/// empty; `noun` says what a name is: "column" or "key".
pub(crate) fn check_names<'n>(
    names: impl IntoIterator<Item = &'n str>,
    allowed: &[&str],
    owner: &str,
    noun: &str,
    origin: &Origin,
    problems: &mut Vec<Problem>,
) {
    let mut seen: Vec<&str> = Vec::new();
    for name in names {
        if seen.contains(&name) {
            problems.push(Problem::new(
                origin,
                name,
                format!("the {noun} appears twice (each may appear once)"),
            ));
        } else if name.is_empty() {
            problems.push(Problem::new(origin, owner, format!("a {noun} has no name")));
        } else if !allowed.contains(&name) {
            problems.push(Problem::new(
                origin,
                name,
                format!("unknown {noun} (expected one of {})", allowed.join(", ")),
            ));
        }
        seen.push(name);
    }
}

/// One record of an import, whatever its syntax: a CSV row or a JSON object. Each accessor
/// gives `Ok(None)` (or an empty list) when the field is absent, empty or null, and `Err`
/// with a message when the field is spelt wrong for its syntax.
pub(crate) trait Record {
    fn origin(&self) -> &Origin;

    /// A field of text.
    fn text(&self, key: &str) -> Result<Option<Cow<'_, str>>, String>;

    /// A yes/no field.
    fn flag(&self, key: &str) -> Result<Option<bool>, String>;

    /// A list of texts.
    fn list(&self, key: &str) -> Result<Vec<Cow<'_, str>>, String>;

    /// A number, as the text that spells it.
    fn number(&self, key: &str) -> Result<Option<Cow<'_, str>>, String>;
}

/// What an empty required field is told.
const MISSING: &str = "is missing (a value is required)";

enum Presence {
    Required,
    Optional,
}

/// Reads the fields of one record, reporting each bad one; the record is kept only if all
/// of them were good.
struct Reader<'r, R> {
    record: &'r R,
    ladder: Option<&'r Ladder>,
    problems: &'r mut Vec<Problem>,
    complete: bool,
}

impl<'r, R: Record> Reader<'r, R> {
    fn report(&mut self, key: &str, message: impl Into<String>) {
        self.complete = false;
        self.problems
            .push(Problem::new(self.record.origin(), key, message));
    }

    fn take<T, E: Display>(
        &mut self,
        key: &str,
        presence: Presence,
        raw: Result<Option<Cow<'r, str>>, String>,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Option<T> {
        match raw {
            Ok(Some(text)) => match parse(&text) {
                Ok(value) => Some(value),
                Err(e) => {
                    self.report(key, e.to_string());
                    None
                }
            },
            Ok(None) => {
                if let Presence::Required = presence {
                    self.report(key, MISSING);
                }
                None
            }
            Err(message) => {
                self.report(key, message);
                None
            }
        }
    }

    fn required<T, E: Display>(
        &mut self,
        key: &str,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Option<T> {
        let record = self.record;
        self.take(key, Presence::Required, record.text(key), parse)
    }

    fn optional<T, E: Display>(
        &mut self,
        key: &str,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Option<T> {
        let record = self.record;
        self.take(key, Presence::Optional, record.text(key), parse)
    }

    fn required_number<T, E: Display>(
        &mut self,
        key: &str,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Option<T> {
        let record = self.record;
        self.take(key, Presence::Required, record.number(key), parse)
    }

    fn optional_number<T, E: Display>(
        &mut self,
        key: &str,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Option<T> {
        let record = self.record;
        self.take(key, Presence::Optional, record.number(key), parse)
    }

    fn flag(&mut self, key: &str) -> Option<bool> {
        self.record.flag(key).unwrap_or_else(|message| {
            self.report(key, message);
            None
        })
    }

    fn list<T, E: Display>(&mut self, key: &str, parse: impl Fn(&str) -> Result<T, E>) -> Vec<T> {
        let record = self.record;
        match record.list(key) {
            Ok(items) => items
                .iter()
                .filter_map(|item| match parse(item) {
                    Ok(value) => Some(value),
                    Err(e) => {
                        self.report(key, e.to_string());
                        None
                    }
                })
                .collect(),
            Err(message) => {
                self.report(key, message);
                Vec::new()
            }
        }
    }

    fn level(&mut self, key: &str) -> Option<Level> {
        match self.ladder {
            Some(ladder) => self.required(key, |name| ladder.level(name)),
            None => {
                // The refused policy has been reported; a level cannot be read without it.
                self.complete = false;
                None
            }
        }
    }

    /// The record, if every field was good.
    fn build<T>(&self, make: impl FnOnce() -> Option<T>) -> Option<T> {
        if self.complete { make() } else { None }
    }
}

fn team(r: &mut Reader<'_, impl Record>) -> Option<Team> {
    let id = r.required("id", TeamId::parse);
    let name = r.required("name", verbatim);
    let parent = r.optional("parent", TeamId::parse);
    r.build(|| {
        Some(Team {
            id: id?,
            name: name?,
            parent,
        })
    })
}

fn person(r: &mut Reader<'_, impl Record>) -> Option<Person> {
    let id = r.required("id", PersonId::parse);
    let name = r.required("name", verbatim);
    let email = r.required("email", Email::parse);
    let aliases = r.list("aliases", Email::parse);
    let level = r.level("level");
    let team = r.optional("team", TeamId::parse);
    let manager = r.optional("manager", PersonId::parse);
    let willing_to_manage = r
        .optional("willing_to_manage", Willingness::from_str)
        .unwrap_or(Willingness::Unknown);
    let willing_since = r.optional("willing_since", date);
    let left_on = r.optional("left_on", date);
    let leave_reason = r.optional("leave_reason", reason);
    if left_on.is_none() && leave_reason.is_some() {
        r.report(
            "leave_reason",
            "is given without left_on (a reason needs the day they left)",
        );
    }
    r.build(|| {
        Some(Person {
            willing_since,
            id: id?,
            name: name?,
            email: email?,
            aliases,
            level: level?,
            team,
            manager,
            willing_to_manage,
            departure: left_on.map(|on| Departure {
                on,
                reason: leave_reason,
            }),
        })
    })
}

fn stint(r: &mut Reader<'_, impl Record>) -> Option<Stint> {
    let person = r.required("person", PersonId::parse);
    let role = r.required("role", Role::from_str);
    let team = r.optional("team", TeamId::parse);
    let level = r.level("level");
    let band = r.optional_number("band", Band::parse);
    let start = r.required("start", date);
    let end = r.optional("end", date);
    let chosen = r.flag("chosen").unwrap_or(true);
    let trial_end = r.optional("trial_end", date);
    let org = r.optional("org", verbatim);
    if let (Some(org), Some(team)) = (&org, &team) {
        // Another org's teams are not this org's: the stint is kept for the person's history.
        r.report(
            "team",
            format!("{team} is a team of this org, but the stint was lived at {org:?} (leave team empty)"),
        );
    }
    r.build(|| {
        Some(Stint {
            band,
            person: person?,
            role: role?,
            team,
            level: level?,
            start: start?,
            end,
            chosen,
            trial_end,
            org,
        })
    })
}

fn checkin(r: &mut Reader<'_, impl Record>) -> Option<CheckIn> {
    let person = r.required("person", PersonId::parse);
    let date = r.required("date", date);
    let joy = r.required_number("joy", Score::parse);
    let energy = r.required_number("energy", Score::parse);
    let learning = r.required_number("learning", Score::parse);
    let note = r.optional("note", |text: &str| Note::parse(text)).flatten();
    r.build(|| {
        Some(CheckIn {
            person: person?,
            date: date?,
            joy: joy?,
            energy: energy?,
            learning: learning?,
            note,
        })
    })
}

fn answer(r: &mut Reader<'_, impl Record>) -> Option<WillingAnswer> {
    let person = r.required("person", PersonId::parse);
    let date = r.required("date", date);
    let answer = r.required("answer", Willingness::from_str);
    r.build(|| {
        Some(WillingAnswer {
            person: person?,
            date: date?,
            answer: answer?,
        })
    })
}

fn git_month(r: &mut Reader<'_, impl Record>) -> Option<GitMonth> {
    let person = r.required("person", PersonId::parse);
    let month = r.required("month", YearMonth::parse);
    let commits = r.required_number("commits", count);
    let merges = r.required_number("merges", count);
    let coauthored = r.required_number("coauthored", count);
    let repositories = r.required_number("repositories", count);
    let lines_added = r.optional_number("lines_added", count);
    let lines_removed = r.optional_number("lines_removed", count);
    let partial = r.flag("partial").unwrap_or(false);
    r.build(|| {
        Some(GitMonth {
            person: person?,
            month: month?,
            commits: commits?,
            merges: merges?,
            coauthored: coauthored?,
            repositories: repositories?,
            lines_added,
            lines_removed,
            partial,
        })
    })
}

fn calendar_week(r: &mut Reader<'_, impl Record>) -> Option<CalendarWeek> {
    let person = r.required("person", PersonId::parse);
    let week = r.required("week", IsoWeek::parse);
    let meeting_hours = r.required_number("meeting_hours", hours);
    let focus_hours = r.required_number("focus_hours", hours);
    let fragmented_hours = r.required_number("fragmented_hours", hours);
    let after_hours = r.required_number("after_hours", hours);
    r.build(|| {
        Some(CalendarWeek {
            person: person?,
            week: week?,
            meeting_hours: meeting_hours?,
            focus_hours: focus_hours?,
            fragmented_hours: fragmented_hours?,
            after_hours: after_hours?,
        })
    })
}

/// Text kept as it is written (names, an org's), holding no NUL character.
fn verbatim(text: &str) -> Result<String, NulError> {
    without_nul(text).map(str::to_owned)
}

/// Why a person left, in their words: a sentence, not a file.
fn reason(text: &str) -> Result<String, String> {
    without_nul(text).map_err(|e| e.to_string())?;
    let chars = text.chars().count();
    if chars > Departure::MAX_REASON_CHARS {
        return Err(format!(
            "is {chars} characters long (at most {} are kept)",
            Departure::MAX_REASON_CHARS
        ));
    }
    Ok(text.to_owned())
}

/// A day written `YYYY-MM-DD`, and only so: `2025-2-3` and `2025-02-30` are refused.
pub(crate) fn date(text: &str) -> Result<NaiveDate, String> {
    let bytes = text.as_bytes();
    let shaped = bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            _ => b.is_ascii_digit(),
        });
    if !shaped {
        return Err(format!("{text:?} is not a date (expected YYYY-MM-DD)"));
    }
    let part = |range: std::ops::Range<usize>| text[range].parse().unwrap_or(0);
    NaiveDate::from_ymd_opt(part(0..4) as i32, part(5..7), part(8..10)).ok_or_else(|| {
        format!("{text:?} is not a day of the calendar (expected a real date as YYYY-MM-DD)")
    })
}

fn count<T: FromStr>(text: &str) -> Result<T, String> {
    text.parse()
        .map_err(|_| format!("{text:?} is not a count (expected a whole number, 0 or more)"))
}

fn hours(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(h) if h.is_finite() && h >= 0.0 => Ok(h),
        _ => Err(format!(
            "{text:?} is not a number of hours (expected a number, 0 or more)"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A record whose fields are all empty, to see which ones each kind insists on.
    struct Empty(Origin);

    impl Record for Empty {
        fn origin(&self) -> &Origin {
            &self.0
        }

        fn text(&self, _: &str) -> Result<Option<Cow<'_, str>>, String> {
            Ok(None)
        }

        fn flag(&self, _: &str) -> Result<Option<bool>, String> {
            Ok(None)
        }

        fn list(&self, _: &str) -> Result<Vec<Cow<'_, str>>, String> {
            Ok(Vec::new())
        }

        fn number(&self, _: &str) -> Result<Option<Cow<'_, str>>, String> {
            Ok(None)
        }
    }

    #[test]
    fn the_required_lists_match_what_the_readers_insist_on() {
        let sections = [
            Section::Teams,
            Section::People,
            Section::Stints,
            Section::Checkins,
            Section::Answers,
            Section::Git,
            Section::Calendar,
        ];
        for section in sections {
            let mut problems = Vec::new();
            let mut parts = LedgerParts::default();
            let ladder = Ladder::default();
            let record = Empty(Origin::new("x", 1));
            section.read(
                &record,
                Some(&ladder),
                &mut parts,
                &mut problems,
                &mut Unread::default(),
            );
            let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
            assert_eq!(fields, section.required(), "{section:?}");
            assert!(problems.iter().all(|p| p.message == MISSING));
            assert!(parts.is_empty());
            for required in section.required() {
                assert!(section.fields().contains(required), "{required}");
            }
        }
    }

    #[test]
    fn dates_are_iso_days_that_exist() {
        assert_eq!(
            date("2024-02-29"),
            Ok(NaiveDate::from_ymd_opt(2024, 2, 29).unwrap())
        );
        assert_eq!(
            date("2025-02-30").unwrap_err(),
            "\"2025-02-30\" is not a day of the calendar (expected a real date as YYYY-MM-DD)"
        );
        for bad in [
            "2025-2-03",
            "25-02-03",
            "2025/02/03",
            "2025-02-03x",
            "+025-02-03",
        ] {
            assert_eq!(
                date(bad).unwrap_err(),
                format!("{bad:?} is not a date (expected YYYY-MM-DD)")
            );
        }
    }

    #[test]
    fn counts_and_hours_refuse_negatives() {
        assert_eq!(count::<u32>("12"), Ok(12));
        assert!(count::<u32>("-1").is_err());
        assert!(count::<u32>("1.5").is_err());
        assert_eq!(hours("1.5e1"), Ok(15.0));
        assert!(hours("-0.5").is_err());
        assert!(hours("inf").is_err());
    }
}
