//! CSV files: one kind of record per file, named by the header rather than the file name.
//!
//! Spreadsheets are how most orgs will first bring their history in, so the reader is
//! forgiving where it costs nothing (columns in any order, cells trimmed, optional columns
//! left out) and precise where it matters: every bad cell is reported with its line and
//! column, and a bad row never stops the rows after it from being checked.

use std::borrow::Cow;
use std::sync::Arc;

use pendulum_core::role::parse_yes_no;
use pendulum_core::{Ladder, LedgerParts, Origin, Problem};

use crate::fields::{self, Record, Section};
use crate::import::InputFile;
use crate::unread::Unread;

/// Reads one CSV file into `parts`, reporting every problem and remembering in `unread` what
/// could not be read. Returns the kind of records the header names, if it names one.
pub(crate) fn read(
    file: &InputFile,
    bytes: &[u8],
    ladder: &Ladder,
    parts: &mut LedgerParts,
    problems: &mut Vec<Problem>,
    unread: &mut Unread,
) -> Option<Section> {
    let source: Arc<str> = Arc::from(file.name.as_str());
    let at = |line: u64| Origin::new(source.clone(), u32::try_from(line).unwrap_or(u32::MAX));
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut records = reader.byte_records();

    let header = match records.next() {
        Some(Ok(header)) => header,
        Some(Err(e)) => {
            problems.push(Problem::new(&at(1), "header", csv_message(&e)));
            unread.lost_file();
            return None;
        }
        None => {
            problems.push(Problem::new(
                &at(1),
                "header",
                "the file is empty (expected a header line naming the columns)",
            ));
            unread.lost_file();
            return None;
        }
    };
    let header_origin = at(header.position().map_or(1, |p| p.line()));
    let Ok(names) = header
        .iter()
        .map(|name| std::str::from_utf8(name).map(str::trim))
        .collect::<Result<Vec<&str>, _>>()
    else {
        problems.push(Problem::new(&header_origin, "header", NOT_UTF8));
        unread.lost_file();
        return None;
    };
    let Some(section) = detect(&names, &header_origin, problems) else {
        unread.lost_file();
        return None;
    };
    let before = problems.len();
    fields::check_names(
        names.iter().copied(),
        section.fields(),
        "header",
        "column",
        &header_origin,
        problems,
    );
    for required in section.required() {
        if !names.contains(required) {
            problems.push(Problem::new(
                &header_origin,
                *required,
                format!(
                    "the column is missing ({} files need {})",
                    section.name(),
                    section.required().join(", ")
                ),
            ));
        }
    }
    if problems.len() > before {
        // With the columns misread, every row would repeat the header's problem.
        unread.lost(section);
        return Some(section);
    }

    for record in records {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                problems.push(Problem::new(&at(line), "row", csv_message(&e)));
                unread.lost(section);
                continue;
            }
        };
        let origin = at(record.position().map_or(0, |p| p.line()));
        if record.len() != names.len() {
            problems.push(Problem::new(
                &origin,
                "row",
                format!(
                    "has {} fields, but the header names {} columns",
                    record.len(),
                    names.len()
                ),
            ));
            unread.lost(section);
            continue;
        }
        let mut cells = Vec::with_capacity(names.len());
        for (name, cell) in names.iter().zip(record.iter()) {
            match std::str::from_utf8(cell) {
                Ok(text) => cells.push(text.trim()),
                Err(_) => problems.push(Problem::new(&origin, *name, NOT_UTF8)),
            }
        }
        if cells.len() == names.len() {
            let row = Row {
                origin,
                names: &names,
                cells,
            };
            section.read(&row, Some(ladder), parts, problems, unread);
        } else {
            unread.lost(section);
        }
    }
    Some(section)
}

const NOT_UTF8: &str = "is not valid UTF-8 text (save the file as UTF-8)";

/// The kind of file a header names, by its telling column.
fn detect(names: &[&str], origin: &Origin, problems: &mut Vec<Problem>) -> Option<Section> {
    let has = |column: &str| names.contains(&column);
    let section = if has("email") {
        Section::People
    } else if has("role") {
        Section::Stints
    } else if has("joy") {
        Section::Checkins
    } else if has("parent") || (names.len() == 2 && has("id") && has("name")) {
        Section::Teams
    } else {
        let kinds: Vec<String> = Section::TABLES
            .iter()
            .map(|s| format!("{} ({})", s.name(), s.fields().join(",")))
            .collect();
        problems.push(Problem::new(
            origin,
            "header",
            format!(
                "the columns {:?} match no kind of file (expected the header of one of: {})",
                names.join(","),
                kinds.join("; ")
            ),
        ));
        return None;
    };
    Some(section)
}

fn csv_message(e: &csv::Error) -> String {
    format!("cannot be read as CSV: {e}")
}

/// A row whose cells are text, each under its column's name.
struct Row<'a> {
    origin: Origin,
    names: &'a [&'a str],
    cells: Vec<&'a str>,
}

impl Row<'_> {
    fn cell(&self, key: &str) -> Option<&str> {
        let i = self.names.iter().position(|name| *name == key)?;
        Some(self.cells[i]).filter(|cell| !cell.is_empty())
    }
}

impl Record for Row<'_> {
    fn origin(&self) -> &Origin {
        &self.origin
    }

    fn text(&self, key: &str) -> Result<Option<Cow<'_, str>>, String> {
        Ok(self.cell(key).map(Cow::Borrowed))
    }

    fn flag(&self, key: &str) -> Result<Option<bool>, String> {
        self.cell(key)
            .map(parse_yes_no)
            .transpose()
            .map_err(|e| e.to_string())
    }

    /// Lists are `;`-separated in one cell; empty items are ignored.
    fn list(&self, key: &str) -> Result<Vec<Cow<'_, str>>, String> {
        Ok(self
            .cell(key)
            .into_iter()
            .flat_map(|cell| cell.split(';'))
            .map(str::trim)
            .filter(|item| !item.is_empty())
            .map(Cow::Borrowed)
            .collect())
    }

    fn number(&self, key: &str) -> Result<Option<Cow<'_, str>>, String> {
        self.text(key)
    }
}
