//! The stretch assignment's two CSV files, read from text (the caller reads the file):
//! skills `person,skill,level[,capacity]` and backlog `item,skill,difficulty[,size]`.
//!
//! Columns are found by their header name, in any order; a column nobody asked for is an
//! error, because a misspelt `capacity` silently ignored would change the plan. Every
//! problem in a file is reported, each as `file:line: field: message`.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt;

use pendulum_core::PersonId;

use crate::stretch::{BacklogItem, Capacity, SkillLevel};

/// One problem in a CSV file, located at its line (1-based; the header is line 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvProblem {
    pub file: String,
    pub line: u64,
    /// The column, when the problem is in one field.
    pub field: Option<String>,
    pub message: String,
}

impl fmt::Display for CsvProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.field {
            Some(field) => write!(f, "{}:{}: {field}: {}", self.file, self.line, self.message),
            None => write!(f, "{}:{}: {}", self.file, self.line, self.message),
        }
    }
}

/// Every problem found in one file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
pub struct CsvProblems(pub Vec<CsvProblem>);

/// The skills file: levels, and the capacities its optional `capacity` column gives.
#[derive(Debug, Clone, PartialEq)]
pub struct Skills {
    pub levels: Vec<SkillLevel>,
    pub capacities: BTreeMap<PersonId, u32>,
}

impl Skills {
    /// The people the file gives no capacity, in id order: they need a capacity for
    /// everyone, or the plan cannot be made.
    pub fn without_capacity(&self) -> BTreeSet<&PersonId> {
        self.levels
            .iter()
            .map(|l| &l.person)
            .filter(|p| !self.capacities.contains_key(*p))
            .collect()
    }

    /// The capacities the file gives, and `default` for everyone else.
    pub fn capacity(&self, default: Option<u32>) -> Capacity {
        self.capacities
            .iter()
            .fold(Capacity::uniform(default.unwrap_or(0)), |c, (p, units)| {
                c.with(p.clone(), *units)
            })
    }
}

/// Reads `person,skill,level[,capacity]`. A person's capacity, when given on several rows,
/// must be the same on each.
pub fn read_skills(file: &str, text: &str) -> Result<Skills, CsvProblems> {
    let mut table = Table::open(file, text, &["person", "skill", "level"], &["capacity"])?;
    let mut levels = Vec::new();
    let mut capacities: BTreeMap<PersonId, (u32, u64)> = BTreeMap::new();
    let mut seen: HashMap<(PersonId, String), u64> = HashMap::new();
    while let Some(row) = table.next_row() {
        let person = row.field("person", |raw| {
            PersonId::parse(raw).map_err(|e| e.to_string())
        });
        let skill = row.field("skill", parse_name);
        let level = row.field("level", parse_number);
        let capacity = row.optional("capacity", parse_units);
        let (Some(person), Some(skill), Some(level), Some(capacity)) =
            (person, skill, level, capacity)
        else {
            continue;
        };
        if let Some(first) = seen.insert((person.clone(), skill.clone()), row.line) {
            row.problem(
                Some("skill"),
                format!("{person} already has a level in {skill:?} on line {first}"),
            );
            continue;
        }
        if let Some(units) = capacity {
            match capacities.get(&person) {
                Some(&(earlier, line)) if earlier != units => row.problem(
                    Some("capacity"),
                    format!("{person} has capacity {earlier} on line {line}, {units} here"),
                ),
                Some(_) => {}
                None => {
                    capacities.insert(person.clone(), (units, row.line));
                }
            }
        }
        levels.push(SkillLevel {
            person,
            skill,
            level,
        });
    }
    table.finish(Skills {
        levels,
        capacities: capacities.into_iter().map(|(p, (c, _))| (p, c)).collect(),
    })
}

/// Reads `item,skill,difficulty[,size]`; the size is 1 where not given.
pub fn read_backlog(file: &str, text: &str) -> Result<Vec<BacklogItem>, CsvProblems> {
    let mut table = Table::open(file, text, &["item", "skill", "difficulty"], &["size"])?;
    let mut items = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    while let Some(row) = table.next_row() {
        let item = row.field("item", parse_name);
        let skill = row.field("skill", parse_name);
        let difficulty = row.field("difficulty", parse_number);
        let size = row.optional("size", |raw| match parse_units(raw)? {
            0 => Err("must be 1 or more".to_owned()),
            units => Ok(units),
        });
        let (Some(item), Some(skill), Some(difficulty), Some(size)) =
            (item, skill, difficulty, size)
        else {
            continue;
        };
        if let Some(first) = seen.insert(item.clone(), row.line) {
            row.problem(
                Some("item"),
                format!("{item:?} already appears on line {first}"),
            );
            continue;
        }
        items.push(BacklogItem {
            item,
            skill,
            difficulty,
            size: size.unwrap_or(1),
        });
    }
    table.finish(items)
}

fn parse_name(raw: &str) -> Result<String, String> {
    let name = raw.trim();
    if name.is_empty() {
        Err("must not be empty".to_owned())
    } else {
        Ok(name.to_owned())
    }
}

fn parse_number(raw: &str) -> Result<f64, String> {
    match raw.trim().parse::<f64>() {
        Ok(value) if value.is_finite() => Ok(value),
        _ => Err(format!("{raw:?} is not a number")),
    }
}

fn parse_units(raw: &str) -> Result<u32, String> {
    raw.trim()
        .parse::<u32>()
        .map_err(|_| format!("{raw:?} is not a whole number of 0 or more"))
}

/// A CSV file being read: its columns by name, and the problems found so far.
struct Table<'a> {
    file: &'a str,
    records: ::csv::StringRecordsIntoIter<&'a [u8]>,
    columns: HashMap<String, usize>,
    problems: std::cell::RefCell<Vec<CsvProblem>>,
}

/// One data row, with the table to report problems to.
struct Row<'t, 'a> {
    table: &'t Table<'a>,
    record: ::csv::StringRecord,
    line: u64,
}

impl<'a> Table<'a> {
    fn open(
        file: &'a str,
        text: &'a str,
        required: &[&str],
        optional: &[&str],
    ) -> Result<Self, CsvProblems> {
        let problem = |field: Option<&str>, message: String| CsvProblem {
            file: file.to_owned(),
            line: 1,
            field: field.map(str::to_owned),
            message,
        };
        let mut reader = ::csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(text.as_bytes());
        let header = reader
            .headers()
            .map_err(|e| CsvProblems(vec![problem(None, e.to_string())]))?
            .clone();
        let mut columns = HashMap::new();
        let mut problems = Vec::new();
        for (position, name) in header.iter().enumerate() {
            let name = name.trim().to_ascii_lowercase();
            if !required.contains(&name.as_str()) && !optional.contains(&name.as_str()) {
                problems.push(problem(
                    Some(&name),
                    format!(
                        "unknown column; expected {}",
                        [required, optional].concat().join(", ")
                    ),
                ));
            } else if columns.insert(name.clone(), position).is_some() {
                problems.push(problem(Some(&name), "column appears twice".to_owned()));
            }
        }
        let mut seen = HashSet::new();
        for name in required {
            if !columns.contains_key(*name) && seen.insert(*name) {
                problems.push(problem(Some(name), "required column is missing".to_owned()));
            }
        }
        if !problems.is_empty() {
            return Err(CsvProblems(problems));
        }
        Ok(Self {
            file,
            records: reader.into_records(),
            columns,
            problems: std::cell::RefCell::new(Vec::new()),
        })
    }

    fn next_row(&mut self) -> Option<Row<'_, 'a>> {
        loop {
            match self.records.next()? {
                Ok(record) => {
                    let line = record.position().map_or(0, |p| p.line());
                    if record.iter().all(|f| f.trim().is_empty()) {
                        continue;
                    }
                    return Some(Row {
                        table: self,
                        record,
                        line,
                    });
                }
                Err(e) => {
                    let line = e.position().map_or(0, |p| p.line());
                    self.problems.borrow_mut().push(CsvProblem {
                        file: self.file.to_owned(),
                        line,
                        field: None,
                        message: e.to_string(),
                    });
                }
            }
        }
    }

    fn finish<T>(self, value: T) -> Result<T, CsvProblems> {
        let problems = self.problems.into_inner();
        if problems.is_empty() {
            Ok(value)
        } else {
            Err(CsvProblems(problems))
        }
    }
}

impl Row<'_, '_> {
    fn problem(&self, field: Option<&str>, message: String) {
        self.table.problems.borrow_mut().push(CsvProblem {
            file: self.table.file.to_owned(),
            line: self.line,
            field: field.map(str::to_owned),
            message,
        });
    }

    /// A required column's value, parsed; `None` (and a problem) if it does not parse.
    fn field<T>(&self, name: &str, parse: impl Fn(&str) -> Result<T, String>) -> Option<T> {
        let raw = self
            .table
            .columns
            .get(name)
            .and_then(|&i| self.record.get(i));
        match parse(raw.unwrap_or("")) {
            Ok(value) => Some(value),
            Err(message) => {
                self.problem(Some(name), message);
                None
            }
        }
    }

    /// An optional column's value: `Some(None)` when the column or the cell is empty,
    /// `None` (and a problem) when it does not parse.
    fn optional<T>(
        &self,
        name: &str,
        parse: impl Fn(&str) -> Result<T, String>,
    ) -> Option<Option<T>> {
        match self
            .table
            .columns
            .get(name)
            .and_then(|&i| self.record.get(i))
        {
            None => Some(None),
            Some(raw) if raw.trim().is_empty() => Some(None),
            Some(_) => self.field(name, parse).map(Some),
        }
    }
}
