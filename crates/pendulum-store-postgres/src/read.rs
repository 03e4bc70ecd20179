//! Reading the ledger back: every table in one query each, parsed into the core's types.
//!
//! The columns have PostgreSQL's own types, so a day is always a date and a flag a boolean;
//! but text can be edited by hand or read with another policy's ladder, and counts can be
//! out of range, so each value is parsed again, as SQLite's rows are. A value that does not
//! parse is reported with its table, the key of its row and the column. The rows then go
//! through `Ledger::build` like any other input.
//!
//! Text keys have the collation "C" in the schema, so they sort byte by byte, as SQLite
//! sorts them, whatever the database's collation.

use std::collections::HashMap;
use std::fmt::Display;

use chrono::NaiveDate;
use pendulum_core::{
    Band, CalendarWeek, CheckIn, Departure, Email, GitMonth, IsoWeek, Ladder, Ledger, LedgerParts,
    Level, Note, Origin, Person, PersonId, Problems, Score, Sourced, Stint, Team, TeamId,
    WillingAnswer, YearMonth,
};
use sqlx::postgres::{PgConnection, PgRow};
use sqlx::{Column, Row, ValueRef};

use pendulum_store::StoreError;
use pendulum_store::codec::date_text;

/// Problems listed in full when the stored rows do not make a ledger; more are counted.
const PROBLEMS_SHOWN: usize = 10;

/// The people with their aliases, without the rest of the ledger.
pub(super) async fn people(
    conn: &mut PgConnection,
    ladder: &Ladder,
) -> Result<Vec<Sourced<Person>>, StoreError> {
    let aliases = load(
        conn,
        "SELECT person, position, email FROM person_aliases \
         ORDER BY person, position",
        ("person_aliases", 2),
        |c| Ok((c.text(0)?.to_owned(), c.parse(2, Email::parse)?)),
    )
    .await?;
    let mut aliases_of: HashMap<String, Vec<Email>> = HashMap::new();
    for alias in aliases {
        let (person, email) = alias.item;
        aliases_of.entry(person).or_default().push(email);
    }
    let mut people = load(
        conn,
        "SELECT id, name, email, level, team, manager, willing_to_manage, willing_since, \
         left_on, leave_reason FROM people ORDER BY id",
        ("people", 1),
        |c| {
            Ok(Person {
                willing_since: c.date_opt(7)?,
                id: c.parse(0, PersonId::parse)?,
                name: c.text(1)?.to_owned(),
                email: c.parse(2, Email::parse)?,
                aliases: Vec::new(),
                level: c.level(3, ladder)?,
                team: c.parse_opt(4, TeamId::parse)?,
                manager: c.parse_opt(5, PersonId::parse)?,
                willing_to_manage: c.parse(6, str::parse)?,
                departure: match c.date_opt(8)? {
                    Some(on) => Some(Departure {
                        on,
                        reason: c.text_opt(9)?.map(str::to_owned),
                    }),
                    None => None,
                },
            })
        },
    )
    .await?;
    for person in &mut people {
        if let Some(aliases) = aliases_of.remove(person.item.id.as_str()) {
            person.item.aliases = aliases;
        }
    }
    Ok(people)
}

/// Every row of the ledger tables.
pub(super) async fn ledger_parts(
    conn: &mut PgConnection,
    ladder: &Ladder,
) -> Result<LedgerParts, StoreError> {
    let teams = load(
        conn,
        "SELECT id, name, parent FROM teams ORDER BY id",
        ("teams", 1),
        |c| {
            Ok(Team {
                id: c.parse(0, TeamId::parse)?,
                name: c.text(1)?.to_owned(),
                parent: c.parse_opt(2, TeamId::parse)?,
            })
        },
    )
    .await?;

    let people = people(conn, ladder).await?;

    let stints = load(
        conn,
        "SELECT person, start_date, end_date, role, team, level, chosen, trial_end, band, org \
         FROM stints ORDER BY person, start_date",
        ("stints", 2),
        |c| {
            Ok(Stint {
                band: c.band_opt(8)?,
                person: c.parse(0, PersonId::parse)?,
                start: c.date(1)?,
                end: c.date_opt(2)?,
                role: c.parse(3, str::parse)?,
                team: c.parse_opt(4, TeamId::parse)?,
                level: c.level(5, ladder)?,
                chosen: c.flag(6)?,
                trial_end: c.date_opt(7)?,
                org: c.text_opt(9)?.map(str::to_owned),
            })
        },
    )
    .await?;

    // `Ledger::build` sorts them by person and day; a person has one a day.
    let checkins = load(
        conn,
        "SELECT id, person, day, joy, energy, learning, note FROM checkins ORDER BY id",
        ("checkins", 1),
        |c| {
            Ok(CheckIn {
                person: c.parse(1, PersonId::parse)?,
                date: c.date(2)?,
                joy: c.score(3)?,
                energy: c.score(4)?,
                learning: c.score(5)?,
                // The error leaves the text out: a note is private to its author.
                note: c
                    .text_opt(6)?
                    .map(Note::parse)
                    .transpose()
                    .map_err(|e| c.bad(6, e.to_string()))?
                    .flatten(),
            })
        },
    )
    .await?;

    let git = load(
        conn,
        "SELECT person, month, commits, merges, coauthored, repositories, lines_added, \
         lines_removed, partial FROM git_evidence \
         ORDER BY person, month",
        ("git_evidence", 2),
        |c| {
            Ok(GitMonth {
                person: c.parse(0, PersonId::parse)?,
                month: c.parse(1, YearMonth::parse)?,
                commits: c.count(2)?,
                merges: c.count(3)?,
                coauthored: c.count(4)?,
                repositories: c.count(5)?,
                lines_added: c.count_opt(6)?,
                lines_removed: c.count_opt(7)?,
                partial: c.flag(8)?,
            })
        },
    )
    .await?;

    let calendar = load(
        conn,
        "SELECT person, week, meeting_hours, focus_hours, fragmented_hours, after_hours \
         FROM calendar_evidence ORDER BY person, week",
        ("calendar_evidence", 2),
        |c| {
            Ok(CalendarWeek {
                person: c.parse(0, PersonId::parse)?,
                week: c.parse(1, IsoWeek::parse)?,
                meeting_hours: c.real(2)?,
                focus_hours: c.real(3)?,
                fragmented_hours: c.real(4)?,
                after_hours: c.real(5)?,
            })
        },
    )
    .await?;

    let answers = load(
        conn,
        "SELECT person, day, answer FROM willing_answers ORDER BY person, day",
        ("willing_answers", 2),
        |c| {
            Ok(WillingAnswer {
                person: c.parse(0, PersonId::parse)?,
                date: c.date(1)?,
                answer: c.parse(2, str::parse)?,
            })
        },
    )
    .await?;

    Ok(LedgerParts {
        answers,
        teams,
        people,
        stints,
        checkins,
        git,
        calendar,
    })
}

/// The ledger made of the rows, or every reason they do not make one.
pub(super) fn build(parts: LedgerParts) -> Result<Ledger, StoreError> {
    Ledger::build(parts).map_err(|problems| StoreError::Corrupt {
        table: "the ledger tables",
        key: String::new(),
        message: summary(&problems),
    })
}

fn summary(problems: &Problems) -> String {
    let mut lines: Vec<String> = problems
        .iter()
        .take(PROBLEMS_SHOWN)
        .map(ToString::to_string)
        .collect();
    if problems.len() > PROBLEMS_SHOWN {
        lines.push(format!("and {} more", problems.len() - PROBLEMS_SHOWN));
    }
    lines.join("; ")
}

/// Runs `sql` and parses each row as it arrives, each record's origin naming its table.
/// `key` is the table's name and how many leading columns of `sql` make a row's key.
async fn load<T: Send + Unpin>(
    conn: &mut PgConnection,
    sql: &'static str,
    key: (&'static str, usize),
    mut parse: impl FnMut(&Cells<'_>) -> Result<T, StoreError> + Send,
) -> Result<Vec<Sourced<T>>, StoreError> {
    let (table, key_columns) = key;
    let origin = Origin::new(table, 0);
    let parsed: Vec<Result<Sourced<T>, StoreError>> = sqlx::query(sql)
        .try_map(|row: PgRow| {
            let cells = Cells {
                row: &row,
                table,
                key_columns,
            };
            Ok(parse(&cells).map(|item| Sourced::new(item, origin.clone())))
        })
        .fetch_all(conn)
        .await?;
    parsed.into_iter().collect()
}

/// One row being parsed, and how to name it when a value is bad.
struct Cells<'r> {
    row: &'r PgRow,
    table: &'static str,
    key_columns: usize,
}

impl<'r> Cells<'r> {
    fn text(&self, i: usize) -> Result<&'r str, StoreError> {
        self.text_opt(i)?
            .ok_or_else(|| self.bad(i, "is empty (NULL) but must have a value"))
    }

    fn text_opt(&self, i: usize) -> Result<Option<&'r str>, StoreError> {
        self.row
            .try_get::<Option<&str>, _>(i)
            .map_err(|e| self.bad(i, format!("is not text: {e}")))
    }

    fn int_opt(&self, i: usize) -> Result<Option<i64>, StoreError> {
        self.row
            .try_get::<Option<i64>, _>(i)
            .map_err(|e| self.bad(i, format!("is not an integer: {e}")))
    }

    fn int(&self, i: usize) -> Result<i64, StoreError> {
        self.int_opt(i)?
            .ok_or_else(|| self.bad(i, "is empty (NULL) but must have a value"))
    }

    fn real(&self, i: usize) -> Result<f64, StoreError> {
        self.row
            .try_get::<Option<f64>, _>(i)
            .map_err(|e| self.bad(i, format!("is not a number: {e}")))?
            .ok_or_else(|| self.bad(i, "is empty (NULL) but must have a value"))
    }

    fn parse<T, E: Display>(
        &self,
        i: usize,
        parse: impl FnOnce(&'r str) -> Result<T, E>,
    ) -> Result<T, StoreError> {
        let text = self.text(i)?;
        parse(text).map_err(|e| self.bad(i, format!("{text:?}: {e}")))
    }

    fn parse_opt<T, E: Display>(
        &self,
        i: usize,
        parse: impl FnOnce(&'r str) -> Result<T, E>,
    ) -> Result<Option<T>, StoreError> {
        match self.text_opt(i)? {
            Some(text) => parse(text)
                .map(Some)
                .map_err(|e| self.bad(i, format!("{text:?}: {e}"))),
            None => Ok(None),
        }
    }

    fn date(&self, i: usize) -> Result<NaiveDate, StoreError> {
        self.date_opt(i)?
            .ok_or_else(|| self.bad(i, "is empty (NULL) but must have a value"))
    }

    fn date_opt(&self, i: usize) -> Result<Option<NaiveDate>, StoreError> {
        self.row
            .try_get::<Option<NaiveDate>, _>(i)
            .map_err(|e| self.bad(i, format!("is not a date pendulum can hold: {e}")))
    }

    fn level(&self, i: usize, ladder: &Ladder) -> Result<Level, StoreError> {
        let name = self.text(i)?;
        ladder.level(name).map_err(|e| {
            self.bad(
                i,
                format!("{e}; is the policy's ladder the one the ledger was written with?"),
            )
        })
    }

    fn score(&self, i: usize) -> Result<Score, StoreError> {
        let value = self.int(i)?;
        u8::try_from(value)
            .ok()
            .and_then(|v| Score::new(v).ok())
            .ok_or_else(|| self.bad(i, format!("{value} is not a score from 1 to 5")))
    }

    fn band_opt(&self, i: usize) -> Result<Option<Band>, StoreError> {
        self.int_opt(i)?
            .map(|value| {
                u16::try_from(value)
                    .ok()
                    .and_then(|v| Band::new(v).ok())
                    .ok_or_else(|| self.bad(i, format!("{value} is not a pay band from 0 to 999")))
            })
            .transpose()
    }

    fn count<N: TryFrom<i64>>(&self, i: usize) -> Result<N, StoreError> {
        let value = self.int(i)?;
        self.in_range(i, value)
    }

    fn count_opt<N: TryFrom<i64>>(&self, i: usize) -> Result<Option<N>, StoreError> {
        self.int_opt(i)?
            .map(|value| self.in_range(i, value))
            .transpose()
    }

    fn in_range<N: TryFrom<i64>>(&self, i: usize, value: i64) -> Result<N, StoreError> {
        N::try_from(value).map_err(|_| {
            self.bad(
                i,
                format!("{value} is not a count (negative, or too large for the field)"),
            )
        })
    }

    fn flag(&self, i: usize) -> Result<bool, StoreError> {
        self.row
            .try_get::<Option<bool>, _>(i)
            .map_err(|e| self.bad(i, format!("is not a boolean: {e}")))?
            .ok_or_else(|| self.bad(i, "is empty (NULL) but must have a value"))
    }

    /// A corrupt value in column `i`, with the row named by its key columns.
    fn bad(&self, i: usize, message: impl Display) -> StoreError {
        let key = (0..self.key_columns)
            .map(|k| format!("{}={}", self.row.column(k).name(), self.show(k)))
            .collect::<Vec<_>>()
            .join(", ");
        StoreError::Corrupt {
            table: self.table,
            key,
            message: format!("column {}: {message}", self.row.column(i).name()),
        }
    }

    /// A key value as it would be typed in SQL, for naming a row.
    fn show(&self, i: usize) -> String {
        if self.row.try_get_raw(i).is_ok_and(|v| v.is_null()) {
            return "NULL".to_owned();
        }
        if let Ok(text) = self.row.try_get::<&str, _>(i) {
            return text.to_owned();
        }
        if let Ok(day) = self.row.try_get::<NaiveDate, _>(i) {
            return date_text(day);
        }
        if let Ok(n) = self.row.try_get::<i64, _>(i) {
            return n.to_string();
        }
        "?".to_owned()
    }
}
