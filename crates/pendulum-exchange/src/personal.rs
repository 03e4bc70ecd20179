//! The portable personal ledger: one person's career as one JSON document, which they take
//! from one pendulum to another (a new employer's, or their own on a laptop).
//!
//! A career outlives any one employer, and so should its record: the stints, the check-ins,
//! the answers about managing, the evidence and the reflections. The document holds one
//! person and nothing of anyone else (no team, no manager, no report), and every stint names
//! the org it was lived in, so that a stint brought in stays another org's stint. Exporting
//! what was imported gives the same bytes, because an imported stint keeps its org and this
//! org's own stints are written with this org's name.
//!
//! Importing is in two steps: [`read_personal`] reads the document, reporting every bad
//! field at its line; [`plan_personal`] checks it against the ledger already stored and
//! says what to write. Records already stored as they are in the document are skipped, so
//! importing a document twice changes nothing; a record that clashes with a different one
//! is a problem, as is a stint overlapping one of this org's.

use std::borrow::Cow;

use chrono::NaiveDate;
use pendulum_core::ledger::describe_stint;
use pendulum_core::{
    CalendarWeek, Change, CheckIn, GitMonth, Ladder, Ledger, LedgerParts, Origin, Person, PersonId,
    Problem, Problems, Sourced, Stint, WillingAnswer,
};
use serde::Serialize;
use serde_json::Value;

use crate::export::Notes;
use crate::fields::{self, Record, Section};
use crate::import::InputFile;
use crate::json_import::{self, Kind, Object, Positions};
use crate::unread::Unread;

/// The value of the document's `format` key.
pub const PERSONAL_FORMAT: &str = "pendulum-personal-ledger";

/// What this org's own stints are said to be lived at when the org has not said its name.
pub const UNNAMED_ORG: &str = "previous employer";

/// The shape of the document; a reader refuses versions it does not know.
const VERSION: u32 = 1;

const PERSONAL: Kind = Kind {
    format: PERSONAL_FORMAT,
    called: "pendulum personal ledger",
    versions: &[VERSION],
};

/// The keys of the document itself.
const DOCUMENT_KEYS: [&str; 8] = [
    "format",
    "version",
    "person",
    "answers",
    "stints",
    "checkins",
    "evidence",
    "reflections",
];

/// The keys of a person: this org's team and manager are not theirs to carry.
const PERSON_KEYS: [&str; 9] = [
    "id",
    "name",
    "email",
    "aliases",
    "level",
    "willing_to_manage",
    "willing_since",
    "left_on",
    "leave_reason",
];

const REFLECTION_KEYS: [&str; 2] = ["day", "answers"];

/// A reflection a person wrote about where they stand: its day and the form's answers.
#[derive(Debug, Clone, PartialEq)]
pub struct Reflection {
    pub day: NaiveDate,
    /// The answers as a JSON object, as the reflection form saved them.
    pub answers: Value,
}

impl Reflection {
    /// A reflection as a store keeps it: the day as `YYYY-MM-DD`, the answers as JSON text.
    pub fn parse(day: &str, answers: &str) -> Result<Self, String> {
        let day = fields::date(day)?;
        let answers: Value = serde_json::from_str(answers)
            .map_err(|e| format!("the answers of {day} are not JSON: {e}"))?;
        Ok(Self { day, answers })
    }

    /// The answers as JSON text, for a store.
    pub fn answers_text(&self) -> String {
        self.answers.to_string()
    }
}

/// The person's own document: everything that is theirs in `ledger`, with `reflections`
/// (from their accounts). A stint of this org is written as lived at `org`. `None` when no
/// such person is stored.
pub fn export_personal(
    ledger: &Ledger,
    person: &PersonId,
    reflections: &[Reflection],
    org: &str,
    notes: Notes,
) -> Option<String> {
    let i = ledger.person_index(person)?;
    let p = ledger.person_at(i);
    let mut reflections: Vec<ReflectionDoc<'_>> = reflections
        .iter()
        .map(|r| ReflectionDoc {
            day: r.day.to_string(),
            answers: &r.answers,
        })
        .collect();
    // The store gives them newest first; a document reads oldest first, like the rest.
    reflections
        .sort_by(|a, b| (&a.day, a.answers.to_string()).cmp(&(&b.day, b.answers.to_string())));
    let evidence = ledger
        .git_of(i)
        .iter()
        .map(|g| Evidence::Git(GitDoc::from(g)))
        .chain(
            ledger
                .calendar_of(i)
                .iter()
                .map(|c| Evidence::Calendar(CalendarDoc::from(c))),
        )
        .collect();
    let document = Document {
        format: PERSONAL_FORMAT,
        version: VERSION,
        person: PersonDoc::from(p),
        answers: ledger.answers_of(i).iter().map(AnswerDoc::from).collect(),
        stints: ledger
            .stints_of(i)
            .iter()
            .map(|s| StintDoc::new(s, org))
            .collect(),
        checkins: ledger
            .checkins_of(i)
            .iter()
            .map(|c| CheckinDoc::new(c, notes))
            .collect(),
        evidence,
        reflections,
    };
    let mut text = serde_json::to_string_pretty(&document).expect("the document always serializes");
    text.push('\n');
    Some(text)
}

/// A personal ledger as read, with every problem found in it; what could not be read is
/// left out.
#[derive(Debug, Clone)]
pub struct PersonalDocument {
    source: String,
    person: Option<Sourced<Person>>,
    parts: LedgerParts,
    reflections: Vec<Sourced<Reflection>>,
    problems: Vec<Problem>,
}

impl PersonalDocument {
    /// The id the document gives its person, if it could be read.
    pub fn person(&self) -> Option<&PersonId> {
        self.person.as_ref().map(|p| &p.item.id)
    }
}

/// Reads a personal ledger; levels are read against `ladder`, this org's.
pub fn read_personal(file: &InputFile, ladder: &Ladder) -> PersonalDocument {
    let mut doc = PersonalDocument {
        source: file.name.clone(),
        person: None,
        parts: LedgerParts::default(),
        reflections: Vec::new(),
        problems: Vec::new(),
    };
    let bytes = file
        .bytes
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(&file.bytes);
    let problems = &mut doc.problems;
    let Some((positions, document)) = json_import::parse_document(file, bytes, problems) else {
        return doc;
    };
    fields::check_names(
        document.keys(),
        &DOCUMENT_KEYS,
        "document",
        "key",
        &document.origin,
        problems,
    );
    if !json_import::is_document_of(&document, &positions, &PERSONAL, problems) {
        return doc;
    }
    let mut unread = Unread::default();
    let mut people = LedgerParts::default();
    match document.get("person") {
        None => problems.push(Problem::new(
            &document.origin,
            "person",
            "is missing (the document holds one person)",
        )),
        Some(raw) => {
            let element = json_import::Element {
                origin: positions.origin_of(raw),
                raw,
            };
            if let Some(object) = element.object("person", problems) {
                check_keys(&object, &PERSON_KEYS, "person", problems);
                Section::People.read(&object, Some(ladder), &mut people, problems, &mut unread);
            }
        }
    }
    doc.person = people.people.pop();
    // Records are read as the document's person's; without one, under a placeholder id
    // that still lets every field be checked.
    let owner = doc
        .person
        .as_ref()
        .map_or_else(|| "someone".to_owned(), |p| p.item.id.to_string());
    let parts = &mut doc.parts;
    for (key, section) in [
        ("answers", Section::Answers),
        ("stints", Section::Stints),
        ("checkins", Section::Checkins),
    ] {
        for object in objects(&document, key, &positions, problems) {
            check_keys(&object, &keys_of(section), key, problems);
            let record = Owned {
                record: &object,
                person: &owner,
            };
            let (kept, reported) = (parts.stints.len(), problems.len());
            section.read(&record, Some(ladder), parts, problems, &mut unread);
            if section == Section::Stints {
                check_stint(&object, problems, reported);
                if problems.len() > reported {
                    parts.stints.truncate(kept);
                }
            }
        }
    }
    for object in objects(&document, "evidence", &positions, problems) {
        let Some(section) = json_import::evidence_section(&object, problems) else {
            continue;
        };
        check_keys(&object, &keys_of(section), "evidence", problems);
        let record = Owned {
            record: &object,
            person: &owner,
        };
        section.read(&record, Some(ladder), parts, problems, &mut unread);
    }
    for object in objects(&document, "reflections", &positions, problems) {
        check_keys(&object, &REFLECTION_KEYS, "reflections", problems);
        if let Some(reflection) = reflection(&object, problems) {
            doc.reflections
                .push(Sourced::new(reflection, object.origin.clone()));
        }
    }
    doc
}

/// Who receives the history a personal ledger brings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recipient {
    /// The document's own person: created when missing, or the same person imported
    /// before.
    Themselves,
    /// A person of this org, who receives the history; their own record stays as it is.
    Existing(PersonId),
}

/// What importing a personal ledger writes.
#[derive(Debug, Clone)]
pub struct PersonalImport {
    /// Whose history it is here.
    pub person: PersonId,
    /// Whether the person is created.
    pub created: bool,
    /// The records to add (the person too, when created), each checked against the ledger.
    pub change: Change,
    /// The reflections to add to the person's account.
    pub reflections: Vec<Reflection>,
    /// How many records of the document are already stored as they are.
    pub skipped: usize,
}

/// Checks a document against the ledger already stored and the reflections already kept
/// for the recipient, and says what importing it writes: records already stored as they
/// are in the document are skipped. Every problem is reported at once, with the document's
/// name and line.
pub fn plan_personal(
    document: PersonalDocument,
    existing: &Ledger,
    recipient: &Recipient,
    stored_reflections: &[Reflection],
) -> Result<PersonalImport, Problems> {
    let PersonalDocument {
        source,
        person,
        mut parts,
        reflections,
        mut problems,
    } = document;
    let whole = Origin::new(source.as_str(), 0);
    let mut skipped = 0;
    let mut created = false;
    let target = match (recipient, &person) {
        (Recipient::Existing(id), _) if existing.person(id).is_some() => Some(id.clone()),
        (Recipient::Existing(id), _) => {
            // Every record would only echo that their person is not here.
            problems.push(Problem::new(
                &whole,
                "--as",
                format!(
                    "no person has the id {:?} here (name a person of this org)",
                    id.as_str()
                ),
            ));
            None
        }
        (Recipient::Themselves, Some(p)) => {
            match existing.person(&p.item.id) {
                None => {
                    created = true;
                    parts.people.push(p.clone());
                }
                Some(stored) if same_person(stored, &p.item) => skipped += 1,
                Some(stored) => problems.push(Problem::new(
                    &p.origin,
                    "id",
                    format!(
                        "{} is already a person here, with another {}; import with --as {} to bring the history to them",
                        stored.id,
                        differences(stored, &p.item).join(", "),
                        stored.id
                    ),
                )),
            }
            Some(p.item.id.clone())
        }
        // The person could not be read, which is reported.
        (Recipient::Themselves, None) => None,
    };
    let mut new_reflections = Vec::new();
    if let Some(target) = &target {
        retarget(&mut parts, target);
        if let Some(i) = existing.person_index(target) {
            skipped += skip_stored(&mut parts, existing, i, &mut problems);
        }
        for r in reflections {
            if stored_reflections.contains(&r.item) || new_reflections.contains(&r.item) {
                skipped += 1;
            } else {
                new_reflections.push(r.item);
            }
        }
        if let Err(merged) = existing.merge(parts.clone()) {
            problems.extend(merged.into_vec());
        }
    }
    match (target, Problems::from_vec(problems)) {
        (_, Some(problems)) => Err(problems),
        (Some(person), None) => Ok(PersonalImport {
            person,
            created,
            change: Change::inserting(&parts),
            reflections: new_reflections,
            skipped,
        }),
        (None, None) => unreachable!("a person that could not be read has been reported"),
    }
}

/// Whether a stored person is the document's, as a first import would have created them.
fn same_person(stored: &Person, read: &Person) -> bool {
    differences(stored, read).is_empty()
}

/// The fields in which a stored person differs from the document's, as named in it; a team
/// or manager here is a difference too, since an import never gives one.
fn differences(stored: &Person, read: &Person) -> Vec<&'static str> {
    let fields: [(&str, bool); 7] = [
        ("name", stored.name != read.name),
        ("email", stored.email != read.email),
        ("aliases", stored.aliases != read.aliases),
        ("level", stored.level != read.level),
        (
            "willing_to_manage",
            stored.willing_to_manage != read.willing_to_manage
                || stored.willing_since != read.willing_since,
        ),
        ("left_on", stored.departure != read.departure),
        ("team", stored.team.is_some() || stored.manager.is_some()),
    ];
    fields
        .into_iter()
        .filter(|(_, differs)| *differs)
        .map(|(name, _)| name)
        .collect()
}

/// Gives every record to `target`.
fn retarget(parts: &mut LedgerParts, target: &PersonId) {
    for s in &mut parts.stints {
        s.item.person = target.clone();
    }
    for c in &mut parts.checkins {
        c.item.person = target.clone();
    }
    for a in &mut parts.answers {
        a.item.person = target.clone();
    }
    for g in &mut parts.git {
        g.item.person = target.clone();
    }
    for c in &mut parts.calendar {
        c.item.person = target.clone();
    }
}

/// Drops the records stored already as they are, and reports those that clash with a
/// different stored record of the same key; returns how many were dropped.
fn skip_stored(
    parts: &mut LedgerParts,
    existing: &Ledger,
    i: usize,
    problems: &mut Vec<Problem>,
) -> usize {
    let before = parts.stints.len()
        + parts.checkins.len()
        + parts.answers.len()
        + parts.git.len()
        + parts.calendar.len();
    keep_new(
        &mut parts.stints,
        existing.stints_of(i),
        |a, b| a.start == b.start,
        |a, b| a == b,
        |read, stored| {
            (
                "start",
                format!(
                    "a different stint from {} is stored here ({}; the document has {})",
                    stored.start,
                    describe_stint(stored),
                    describe_stint(read)
                ),
            )
        },
        problems,
    );
    keep_new(
        &mut parts.checkins,
        existing.checkins_of(i),
        |a, b| a.date == b.date,
        // A document without notes (not the person's own copy) still holds the same
        // check-in.
        |read: &CheckIn, stored: &CheckIn| {
            read.joy == stored.joy
                && read.energy == stored.energy
                && read.learning == stored.learning
                && (read.note.is_none() || read.note == stored.note)
        },
        |_, stored| {
            (
                "date",
                format!(
                    "a different check-in on {} is stored here (joy {}, energy {}, learning {}, or another note)",
                    stored.date,
                    stored.joy.get(),
                    stored.energy.get(),
                    stored.learning.get()
                ),
            )
        },
        problems,
    );
    keep_new(
        &mut parts.answers,
        existing.answers_of(i),
        |a, b| a.date == b.date,
        |a, b| a == b,
        |_, stored: &WillingAnswer| {
            (
                "date",
                format!(
                    "a different answer about managing on {} is stored here ({})",
                    stored.date,
                    stored.answer.as_str()
                ),
            )
        },
        problems,
    );
    keep_new(
        &mut parts.git,
        existing.git_of(i),
        |a, b| a.month == b.month,
        |a, b| a == b,
        |_, stored: &GitMonth| {
            (
                "month",
                format!("different git evidence for {} is stored here", stored.month),
            )
        },
        problems,
    );
    keep_new(
        &mut parts.calendar,
        existing.calendar_of(i),
        |a, b| a.week == b.week,
        |a, b| a == b,
        |_, stored: &CalendarWeek| {
            (
                "week",
                format!(
                    "different calendar evidence for {} is stored here",
                    stored.week
                ),
            )
        },
        problems,
    );
    before
        - (parts.stints.len()
            + parts.checkins.len()
            + parts.answers.len()
            + parts.git.len()
            + parts.calendar.len())
}

/// Keeps the records of `read` that have no stored record of the same key; one whose
/// stored record is not the same is reported with `clash`.
fn keep_new<T>(
    read: &mut Vec<Sourced<T>>,
    stored: &[T],
    same_key: impl Fn(&T, &T) -> bool,
    same: impl Fn(&T, &T) -> bool,
    clash: impl Fn(&T, &T) -> (&'static str, String),
    problems: &mut Vec<Problem>,
) {
    read.retain(|r| match stored.iter().find(|s| same_key(&r.item, s)) {
        None => true,
        Some(s) if same(&r.item, s) => false,
        Some(s) => {
            let (field, message) = clash(&r.item, s);
            problems.push(Problem::new(&r.origin, field, message));
            false
        }
    });
}

/// The fields a record of `section` has in a personal ledger: not its person, which is the
/// document's, nor a team, which is the org's.
fn keys_of(section: Section) -> Vec<&'static str> {
    section
        .fields()
        .iter()
        .copied()
        .filter(|key| !matches!(*key, "person" | "team"))
        .collect()
}

fn check_keys(object: &Object<'_>, allowed: &[&str], owner: &str, problems: &mut Vec<Problem>) {
    fields::check_names(
        object.keys(),
        allowed,
        owner,
        "key",
        &object.origin,
        problems,
    );
}

/// The objects of the array under `key`; what is not an object is reported.
fn objects<'a>(
    document: &Object<'a>,
    key: &str,
    positions: &Positions<'a>,
    problems: &mut Vec<Problem>,
) -> Vec<Object<'a>> {
    json_import::elements(document, key, positions, problems)
        .into_iter()
        .flatten()
        .filter_map(|element| element.object(key, problems))
        .collect()
}

/// A stint of a personal ledger names the org it was lived in; and a level this org's
/// ladder lacks is said to be about the stint, which cannot come in as it is.
fn check_stint(object: &Object<'_>, problems: &mut Vec<Problem>, reported: usize) {
    let text = |key: &str| object.text(key).ok().flatten().map(Cow::into_owned);
    let org = text("org");
    let start = text("start").unwrap_or_else(|| "?".to_owned());
    for p in &mut problems[reported..] {
        if p.field == "level" && p.origin == object.origin {
            p.message = format!(
                "{}: the stint from {start} at {} is on a level this org's ladder does not have; add the level to the policy's ladder, or change it in the document to the level it matches here",
                p.message,
                org.as_deref().unwrap_or("another org")
            );
        }
    }
    if org.is_none() {
        problems.push(Problem::new(
            &object.origin,
            "org",
            "is missing (every stint of a personal ledger names the org it was lived in)",
        ));
    }
}

fn reflection(object: &Object<'_>, problems: &mut Vec<Problem>) -> Option<Reflection> {
    let before = problems.len();
    let day = match object.text("day") {
        Ok(Some(day)) => fields::date(&day)
            .map_err(|message| problems.push(Problem::new(&object.origin, "day", message)))
            .ok(),
        Ok(None) => {
            problems.push(Problem::new(
                &object.origin,
                "day",
                "is missing (a value is required)",
            ));
            None
        }
        Err(message) => {
            problems.push(Problem::new(&object.origin, "day", message));
            None
        }
    };
    let answers = match object.get("answers") {
        Some(raw) if raw.get().starts_with('{') => serde_json::from_str::<Value>(raw.get()).ok(),
        Some(raw) => {
            problems.push(Problem::new(
                &object.origin,
                "answers",
                format!(
                    "expected an object (the reflection's answers), not {}",
                    json_import::kind_of(raw)
                ),
            ));
            None
        }
        None => {
            problems.push(Problem::new(
                &object.origin,
                "answers",
                "is missing (a value is required)",
            ));
            None
        }
    };
    if problems.len() > before {
        return None;
    }
    Some(Reflection {
        day: day?,
        answers: answers?,
    })
}

/// A record of the document read as its person's, who is named once for all of them.
struct Owned<'r, R> {
    record: &'r R,
    person: &'r str,
}

impl<R: Record> Record for Owned<'_, R> {
    fn origin(&self) -> &Origin {
        self.record.origin()
    }

    fn text(&self, key: &str) -> Result<Option<Cow<'_, str>>, String> {
        if key == "person" {
            return Ok(Some(Cow::Borrowed(self.person)));
        }
        self.record.text(key)
    }

    fn flag(&self, key: &str) -> Result<Option<bool>, String> {
        self.record.flag(key)
    }

    fn list(&self, key: &str) -> Result<Vec<Cow<'_, str>>, String> {
        self.record.list(key)
    }

    fn number(&self, key: &str) -> Result<Option<Cow<'_, str>>, String> {
        self.record.number(key)
    }
}

#[derive(Serialize)]
struct Document<'a> {
    format: &'static str,
    version: u32,
    person: PersonDoc<'a>,
    answers: Vec<AnswerDoc>,
    stints: Vec<StintDoc<'a>>,
    checkins: Vec<CheckinDoc<'a>>,
    evidence: Vec<Evidence>,
    reflections: Vec<ReflectionDoc<'a>>,
}

#[derive(Serialize)]
struct PersonDoc<'a> {
    id: &'a str,
    name: &'a str,
    email: &'a str,
    aliases: Vec<&'a str>,
    level: &'a str,
    willing_to_manage: &'static str,
    willing_since: Option<String>,
    left_on: Option<String>,
    leave_reason: Option<&'a str>,
}

impl<'a> From<&'a Person> for PersonDoc<'a> {
    fn from(p: &'a Person) -> Self {
        Self {
            id: p.id.as_str(),
            name: &p.name,
            email: p.email.as_str(),
            aliases: p.aliases.iter().map(|a| a.as_str()).collect(),
            level: p.level.name(),
            willing_to_manage: p.willing_to_manage.as_str(),
            willing_since: p.willing_since.map(|d| d.to_string()),
            left_on: p.departure.as_ref().map(|d| d.on.to_string()),
            leave_reason: p.departure.as_ref().and_then(|d| d.reason.as_deref()),
        }
    }
}

#[derive(Serialize)]
struct AnswerDoc {
    date: String,
    answer: &'static str,
}

impl From<&WillingAnswer> for AnswerDoc {
    fn from(a: &WillingAnswer) -> Self {
        Self {
            date: a.date.to_string(),
            answer: a.answer.as_str(),
        }
    }
}

#[derive(Serialize)]
struct StintDoc<'a> {
    org: &'a str,
    role: &'static str,
    level: &'a str,
    band: Option<u16>,
    start: String,
    end: Option<String>,
    chosen: bool,
    trial_end: Option<String>,
}

impl<'a> StintDoc<'a> {
    /// A stint of this org's (without an org of its own) is written as lived at `org`.
    fn new(s: &'a Stint, org: &'a str) -> Self {
        Self {
            org: s.org.as_deref().unwrap_or(org),
            role: s.role.as_str(),
            level: s.level.name(),
            band: s.band.map(|b| b.get()),
            start: s.start.to_string(),
            end: s.end.map(|d| d.to_string()),
            chosen: s.chosen,
            trial_end: s.trial_end.map(|d| d.to_string()),
        }
    }
}

#[derive(Serialize)]
struct CheckinDoc<'a> {
    date: String,
    joy: u8,
    energy: u8,
    learning: u8,
    note: Option<&'a str>,
}

impl<'a> CheckinDoc<'a> {
    fn new(c: &'a CheckIn, notes: Notes) -> Self {
        Self {
            date: c.date.to_string(),
            joy: c.joy.get(),
            energy: c.energy.get(),
            learning: c.learning.get(),
            note: match notes {
                Notes::Keep => c.note.as_ref().map(|n| n.as_str()),
                Notes::Strip => None,
            },
        }
    }
}

/// Evidence rows of both sources in one array, told apart by their `source` key.
#[derive(Serialize)]
#[serde(untagged)]
enum Evidence {
    Git(GitDoc),
    Calendar(CalendarDoc),
}

#[derive(Serialize)]
struct GitDoc {
    month: String,
    source: &'static str,
    commits: u32,
    merges: u32,
    coauthored: u32,
    repositories: u32,
    lines_added: Option<u64>,
    lines_removed: Option<u64>,
    partial: bool,
}

impl From<&GitMonth> for GitDoc {
    fn from(g: &GitMonth) -> Self {
        Self {
            month: g.month.to_string(),
            source: "git",
            commits: g.commits,
            merges: g.merges,
            coauthored: g.coauthored,
            repositories: g.repositories,
            lines_added: g.lines_added,
            lines_removed: g.lines_removed,
            partial: g.partial,
        }
    }
}

#[derive(Serialize)]
struct CalendarDoc {
    week: String,
    source: &'static str,
    meeting_hours: f64,
    focus_hours: f64,
    fragmented_hours: f64,
    after_hours: f64,
}

impl From<&CalendarWeek> for CalendarDoc {
    fn from(c: &CalendarWeek) -> Self {
        Self {
            week: c.week.to_string(),
            source: "calendar",
            meeting_hours: c.meeting_hours,
            focus_hours: c.focus_hours,
            fragmented_hours: c.fragmented_hours,
            after_hours: c.after_hours,
        }
    }
}

#[derive(Serialize)]
struct ReflectionDoc<'a> {
    day: String,
    answers: &'a Value,
}
