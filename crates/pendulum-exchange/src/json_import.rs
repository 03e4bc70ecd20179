//! The JSON document read back: restoring a backup, or moving a ledger between installations.
//!
//! The document is the export format (see `export.rs`), so whatever `export_document` writes
//! reads back to the same ledger. Problems point at lines: serde_json parses the document
//! into raw values borrowed from the input, so the position of each record in the text is
//! known, and a bad record is reported at the line where it begins, under the key that is
//! wrong. Records are read by the same field functions as CSV rows, so a mistake gets the
//! same message in both syntaxes.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use pendulum_core::role::EnumError;
use pendulum_core::{LedgerParts, Origin, Policy, PolicyFile, Problem};
use serde::Deserialize;
use serde::de::{Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

use crate::export::{FORMAT, VERSION};
use crate::fields::{self, Record, Section};
use crate::import::InputFile;
use crate::unread::Unread;

/// The keys of the document itself.
const DOCUMENT_KEYS: [&str; 9] = [
    "format", "version", "policy", "teams", "people", "stints", "checkins", "answers", "evidence",
];

/// The versions of the document this program reads: version 1 is version 2 without pay
/// bands, the day of each answer about managing, and their history, and version 2 is
/// version 3 without departures and stints' orgs; what an older version lacks is read as
/// absent.
const READABLE_VERSIONS: [u32; 3] = [1, 2, VERSION];

/// The arrays of records other than evidence, under their keys.
const SECTIONS: [(&str, Section); 5] = [
    ("teams", Section::Teams),
    ("people", Section::People),
    ("stints", Section::Stints),
    ("checkins", Section::Checkins),
    ("answers", Section::Answers),
];

/// Reads the document into `parts`, reporting every problem and remembering in `unread` what
/// could not be read, and returns the policy it carries. Levels are read against that
/// policy's ladder, or `fallback`'s without one.
pub(crate) fn read(
    file: &InputFile,
    bytes: &[u8],
    fallback: &Policy,
    parts: &mut LedgerParts,
    problems: &mut Vec<Problem>,
    unread: &mut Unread,
) -> Option<Policy> {
    let (positions, document) = parse_document(file, bytes, problems)?;
    fields::check_names(
        document.keys(),
        &DOCUMENT_KEYS,
        "document",
        "key",
        &document.origin,
        problems,
    );
    if !is_document_of(&document, &positions, &LEDGER, problems) {
        return None;
    }

    let policy = document
        .get("policy")
        .map(|raw| read_policy(raw, &positions))
        .transpose();
    let ladder = match &policy {
        Ok(Some(policy)) => Some(&policy.ladder),
        Ok(None) => Some(&fallback.ladder),
        Err(_) => None,
    };

    for (key, section) in SECTIONS {
        let Some(elements) = elements(&document, key, &positions, problems) else {
            unread.lost(section);
            continue;
        };
        for element in elements {
            match element.object(key, problems) {
                Some(object) => {
                    object.check_keys(section, problems);
                    section.read(&object, ladder, parts, problems, unread);
                }
                None => unread.lost(section),
            }
        }
    }
    let evidence = elements(&document, "evidence", &positions, problems);
    for element in evidence.into_iter().flatten() {
        let Some(object) = element.object("evidence", problems) else {
            continue;
        };
        let Some(section) = evidence_section(&object, problems) else {
            continue;
        };
        object.check_keys(section, problems);
        section.read(&object, ladder, parts, problems, unread);
    }
    policy.unwrap_or_else(|problem| {
        problems.push(problem);
        None
    })
}

/// The text of a JSON file parsed as one object, with the positions of its lines; `None`
/// when it is not UTF-8 or not a JSON object, which is reported.
pub(crate) fn parse_document<'a>(
    file: &InputFile,
    bytes: &'a [u8],
    problems: &mut Vec<Problem>,
) -> Option<(Positions<'a>, Object<'a>)> {
    let source: Arc<str> = Arc::from(file.name.as_str());
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let line = bytes[..e.valid_up_to()]
                .iter()
                .filter(|b| **b == b'\n')
                .count()
                + 1;
            problems.push(Problem::new(
                &Origin::new(source, u32::try_from(line).unwrap_or(u32::MAX)),
                "document",
                "is not valid UTF-8 text (save the file as UTF-8)",
            ));
            return None;
        }
    };
    let positions = Positions::new(source, text);
    let top: Entries<'_> = match serde_json::from_str(text) {
        Ok(top) => top,
        Err(e) => {
            problems.push(Problem::new(
                &positions.origin_at_line(e.line()),
                "document",
                format!(
                    "is not valid JSON: {} at column {}",
                    serde_message(&e),
                    e.column()
                ),
            ));
            return None;
        }
    };
    let origin = positions.origin(text.len() - text.trim_start().len());
    let document = Object {
        origin,
        entries: top.0,
    };
    Some((positions, document))
}

/// The kind of an evidence record, told by its `source`; `None` when that is wrong, which
/// is reported.
pub(crate) fn evidence_section(
    object: &Object<'_>,
    problems: &mut Vec<Problem>,
) -> Option<Section> {
    match object.text("source") {
        Ok(Some(source)) if source == "git" => Some(Section::Git),
        Ok(Some(source)) if source == "calendar" => Some(Section::Calendar),
        Ok(Some(other)) => {
            let e = EnumError {
                value: other.into_owned(),
                expected: "git, calendar",
            };
            problems.push(Problem::new(&object.origin, "source", e.to_string()));
            None
        }
        Ok(None) => {
            problems.push(Problem::new(
                &object.origin,
                "source",
                "is missing (expected git or calendar)",
            ));
            None
        }
        Err(message) => {
            problems.push(Problem::new(&object.origin, "source", message));
            None
        }
    }
}

/// A kind of JSON document this program reads.
pub(crate) struct Kind {
    /// The value of its `format` key.
    pub(crate) format: &'static str,
    /// What it is called in messages, such as "pendulum ledger".
    pub(crate) called: &'static str,
    /// The versions read, the one written last.
    pub(crate) versions: &'static [u32],
}

/// The whole-org document.
const LEDGER: Kind = Kind {
    format: FORMAT,
    called: "pendulum ledger",
    versions: &READABLE_VERSIONS,
};

/// Checks `format` and `version` against `kind`; when they are wrong, nothing else is worth
/// reading.
pub(crate) fn is_document_of(
    document: &Object<'_>,
    positions: &Positions<'_>,
    kind: &Kind,
    problems: &mut Vec<Problem>,
) -> bool {
    let expected = kind.format;
    let latest = kind.versions.last().copied().unwrap_or_default();
    let before = problems.len();
    match document.get("format") {
        None => problems.push(Problem::new(
            &document.origin,
            "format",
            format!("is missing (expected {expected:?})"),
        )),
        Some(raw) => {
            let wrong = match document.text("format") {
                Ok(Some(format)) if format == expected => None,
                Ok(other) => Some(format!(
                    "{:?} is not a {} (expected {expected:?})",
                    other.unwrap_or_default(),
                    kind.called
                )),
                Err(message) => Some(message),
            };
            if let Some(message) = wrong {
                problems.push(Problem::new(&positions.origin_of(raw), "format", message));
            }
        }
    }
    match document.get("version") {
        None => problems.push(Problem::new(
            &document.origin,
            "version",
            format!("is missing (expected {latest})"),
        )),
        Some(raw) if kind.versions.iter().any(|v| raw.get() == v.to_string()) => {}
        Some(raw) => problems.push(Problem::new(
            &positions.origin_of(raw),
            "version",
            format!(
                "{} is not a version this program reads (expected {})",
                raw.get(),
                spelt_as_choice(kind.versions)
            ),
        )),
    }
    problems.len() == before
}

/// `1, 2 or 3`: the versions, as a reader would say them.
fn spelt_as_choice(versions: &[u32]) -> String {
    let words: Vec<String> = versions.iter().map(u32::to_string).collect();
    match words.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// The document's policy, checked as a policy file would be.
fn read_policy(raw: &RawValue, positions: &Positions<'_>) -> Result<Policy, Problem> {
    let origin = positions.origin_of(raw);
    let file: PolicyFile = serde_json::from_str(raw.get()).map_err(|e| {
        let line = origin.line() as usize + e.line().saturating_sub(1);
        Problem::new(&positions.origin_at_line(line), "policy", serde_message(&e))
    })?;
    Policy::try_from(file).map_err(|e| Problem::new(&origin, "policy", e.to_string()))
}

/// The elements of the array under `key`, each with its origin; `None` when the key holds
/// something else than an array, which is reported.
pub(crate) fn elements<'a>(
    document: &Object<'a>,
    key: &str,
    positions: &Positions<'a>,
    problems: &mut Vec<Problem>,
) -> Option<Vec<Element<'a>>> {
    let Some(raw) = document.get(key) else {
        return Some(Vec::new());
    };
    match serde_json::from_str::<Vec<&RawValue>>(raw.get()) {
        Ok(elements) => Some(
            elements
                .into_iter()
                .map(|raw| Element {
                    origin: positions.origin_of(raw),
                    raw,
                })
                .collect(),
        ),
        Err(_) => {
            problems.push(Problem::new(
                &positions.origin_of(raw),
                key,
                format!("expected a list of objects, not {}", kind_of(raw)),
            ));
            None
        }
    }
}

/// serde_json's message without the position it appends: problems carry their own.
pub(crate) fn serde_message(e: &serde_json::Error) -> String {
    let message = e.to_string();
    let position = format!(" at line {} column {}", e.line(), e.column());
    match message.strip_suffix(&position) {
        Some(bare) => bare.to_owned(),
        None => message,
    }
}

/// What a JSON value is, for messages. A raw value is valid JSON, so its first byte tells.
pub(crate) fn kind_of(raw: &RawValue) -> &'static str {
    match raw.get().as_bytes().first() {
        Some(b'"') => "text",
        Some(b'{') => "an object",
        Some(b'[') => "a list",
        Some(b't' | b'f') => "true or false",
        Some(b'n') => "null",
        _ => "a number",
    }
}

fn is_number(raw: &RawValue) -> bool {
    matches!(raw.get().as_bytes().first(), Some(b'-' | b'0'..=b'9'))
}

/// Where each line of the document begins, for turning positions into origins.
pub(crate) struct Positions<'a> {
    source: Arc<str>,
    text: &'a str,
    /// The byte offset at which each line begins.
    line_starts: Vec<usize>,
}

impl<'a> Positions<'a> {
    fn new(source: Arc<str>, text: &'a str) -> Self {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Self {
            source,
            text,
            line_starts,
        }
    }

    fn origin_at_line(&self, line: usize) -> Origin {
        Origin::new(self.source.clone(), u32::try_from(line).unwrap_or(u32::MAX))
    }

    /// The origin of the byte at `offset`.
    fn origin(&self, offset: usize) -> Origin {
        self.origin_at_line(self.line_starts.partition_point(|start| *start <= offset))
    }

    /// The origin of a value borrowed from the text.
    pub(crate) fn origin_of(&self, raw: &RawValue) -> Origin {
        self.origin(raw.get().as_ptr().addr() - self.text.as_ptr().addr())
    }
}

/// One element of an array, not yet known to be an object.
pub(crate) struct Element<'a> {
    pub(crate) origin: Origin,
    pub(crate) raw: &'a RawValue,
}

impl<'a> Element<'a> {
    pub(crate) fn object(self, key: &str, problems: &mut Vec<Problem>) -> Option<Object<'a>> {
        match serde_json::from_str::<Entries<'a>>(self.raw.get()) {
            Ok(entries) => Some(Object {
                origin: self.origin,
                entries: entries.0,
            }),
            Err(e) => {
                problems.push(Problem::new(&self.origin, key, serde_message(&e)));
                None
            }
        }
    }
}

/// A JSON object's entries in the order written, duplicates included, so that a key given
/// twice is reported rather than silently overwritten.
struct Entries<'a>(Vec<(String, &'a RawValue)>);

impl<'de> Deserialize<'de> for Entries<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct EntriesVisitor;

        impl<'de> Visitor<'de> for EntriesVisitor {
            type Value = Entries<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry::<String, &'de RawValue>()? {
                    entries.push(entry);
                }
                Ok(Entries(entries))
            }
        }

        deserializer.deserialize_map(EntriesVisitor)
    }
}

/// A JSON object as a record: every problem in it is reported at the line where it begins.
pub(crate) struct Object<'a> {
    pub(crate) origin: Origin,
    entries: Vec<(String, &'a RawValue)>,
}

impl<'a> Object<'a> {
    pub(crate) fn keys(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|(key, _)| key.as_str())
    }

    fn check_keys(&self, section: Section, problems: &mut Vec<Problem>) {
        fields::check_names(
            self.keys(),
            section.fields(),
            section.name(),
            "key",
            &self.origin,
            problems,
        );
    }

    /// The value of `key`, if it is there and not null.
    pub(crate) fn get(&self, key: &str) -> Option<&'a RawValue> {
        self.entries
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, value)| *value)
            .filter(|value| value.get() != "null")
    }
}

impl Record for Object<'_> {
    fn origin(&self) -> &Origin {
        &self.origin
    }

    fn text(&self, key: &str) -> Result<Option<Cow<'_, str>>, String> {
        let Some(raw) = self.get(key) else {
            return Ok(None);
        };
        let text: String = serde_json::from_str(raw.get())
            .map_err(|_| format!("expected text, not {}", kind_of(raw)))?;
        Ok((!text.is_empty()).then_some(Cow::Owned(text)))
    }

    fn flag(&self, key: &str) -> Result<Option<bool>, String> {
        let Some(raw) = self.get(key) else {
            return Ok(None);
        };
        match raw.get() {
            "true" => Ok(Some(true)),
            "false" => Ok(Some(false)),
            _ => Err(format!("expected true or false, not {}", kind_of(raw))),
        }
    }

    fn list(&self, key: &str) -> Result<Vec<Cow<'_, str>>, String> {
        let Some(raw) = self.get(key) else {
            return Ok(Vec::new());
        };
        let items: Vec<String> = serde_json::from_str(raw.get())
            .map_err(|_| format!("expected a list of text, not {}", kind_of(raw)))?;
        Ok(items
            .into_iter()
            .filter(|item| !item.is_empty())
            .map(Cow::Owned)
            .collect())
    }

    fn number(&self, key: &str) -> Result<Option<Cow<'_, str>>, String> {
        match self.get(key) {
            None => Ok(None),
            Some(raw) if is_number(raw) => Ok(Some(Cow::Borrowed(raw.get()))),
            Some(raw) => Err(format!("expected a number, not {}", kind_of(raw))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems_of(text: &str) -> Vec<String> {
        let file = InputFile {
            name: "d.json".into(),
            bytes: text.as_bytes().to_vec(),
        };
        let mut problems = Vec::new();
        read(
            &file,
            &file.bytes,
            &Policy::default(),
            &mut LedgerParts::default(),
            &mut problems,
            &mut Unread::default(),
        );
        problems.iter().map(|p| p.to_string()).collect()
    }

    #[test]
    fn values_of_the_wrong_type_name_what_was_expected() {
        let text = r#"{"format": "pendulum-ledger", "version": 1,
"people": [
  {"id": 7, "name": "Ada", "email": "ada@x.io", "aliases": "a@x.io", "level": "L3",
   "willing_to_manage": true},
  3
],
"stints": {}
}"#;
        assert_eq!(
            problems_of(text),
            [
                "d.json:3: id: expected text, not a number",
                "d.json:3: aliases: expected a list of text, not text",
                "d.json:3: willing_to_manage: expected text, not true or false",
                "d.json:5: people: invalid type: integer `3`, expected a JSON object",
                "d.json:7: stints: expected a list of objects, not an object",
            ]
        );
    }

    #[test]
    fn a_wrong_format_or_version_stops_the_reading() {
        assert_eq!(
            problems_of("{\"format\": \"other\",\n\"version\": 4, \"people\": [1]}"),
            [
                "d.json:1: format: \"other\" is not a pendulum ledger (expected \"pendulum-ledger\")",
                "d.json:2: version: 4 is not a version this program reads (expected 1, 2 or 3)",
            ]
        );
        assert_eq!(
            problems_of("\n {}"),
            [
                "d.json:2: format: is missing (expected \"pendulum-ledger\")",
                "d.json:2: version: is missing (expected 3)",
            ]
        );
    }
}
