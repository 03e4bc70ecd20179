//! Reading the ledger back: every table in one pass each, parsed into the core's types.
//!
//! The database keeps what the core checked, but a file can be edited by hand or read with
//! another policy's ladder, so each column is parsed again; a value that does not parse is
//! reported with its table, the key of its row and the column. The rows then go through
//! `Ledger::build` like any other input.

use std::collections::HashMap;
use std::fmt::Display;

use chrono::NaiveDate;
use pendulum_core::{
    Band, CalendarWeek, CheckIn, Departure, Email, GitMonth, IsoWeek, Ladder, Ledger, LedgerParts,
    Level, Note, Origin, Person, PersonId, Problems, Score, Sourced, Stint, Team, TeamId,
    WillingAnswer, YearMonth,
};
use sqlx::sqlite::{SqliteConnection, SqliteRow};
use sqlx::{Column, Row, ValueRef};

use pendulum_store::StoreError;
use pendulum_store::codec::parse_date;

/// Problems listed in full when the stored rows do not make a ledger; more are counted.
const PROBLEMS_SHOWN: usize = 10;

/// Rows kept after parsing, to be freed together; see [`load`].
const RETIRE_BATCH: usize = 8192;

/// The people with their aliases, without the rest of the ledger.
pub(super) async fn people(
    conn: &mut SqliteConnection,
    ladder: &Ladder,
) -> Result<Vec<Sourced<Person>>, StoreError> {
    let aliases = load(
        conn,
        "SELECT person, position, email FROM person_aliases ORDER BY person, position",
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
    conn: &mut SqliteConnection,
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

    let stints = stints(conn, ladder).await?;

    let checkins = checkins(conn).await?;

    let git = git_months(conn).await?;

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

/// Every check-in. Check-ins are most of the ledger's rows, and SQLite's driver copies each
/// value out on its own allocation and hands each row across threads, so they are read as
/// one row per person, the person's check-ins packed by SQLite into one JSON array (for
/// the demo org, 10,000 rows of 2 values instead of 80,000 of 7). Should any value not
/// parse, they are read again row by row, which names the bad row and column.
async fn checkins(conn: &mut SqliteConnection) -> Result<Vec<Sourced<CheckIn>>, StoreError> {
    // `Ledger::build` sorts them by person and day; a person has one a day.
    let sql = "SELECT person, json_group_array(json_array(day, joy, energy, learning, note)) \
               FROM checkins GROUP BY person";
    match packed(conn, sql, "checkins", unpack_checkin).await? {
        Some(all) => Ok(all),
        None => checkins_row_by_row(conn).await,
    }
}

/// Every stint, read packed per person like [`checkins`], for the same reason.
async fn stints(
    conn: &mut SqliteConnection,
    ladder: &Ladder,
) -> Result<Vec<Sourced<Stint>>, StoreError> {
    let sql = "SELECT person, json_group_array(json_array(start_date, end_date, role, team, \
               level, chosen, trial_end, band, org)) FROM stints GROUP BY person";
    let unpack = |person: &PersonId, packed: PackedStint| unpack_stint(person, packed, ladder);
    match packed(conn, sql, "stints", unpack).await? {
        Some(all) => Ok(all),
        None => stints_row_by_row(conn, ladder).await,
    }
}

/// Every month of git evidence, read packed per person like [`checkins`]: there are more
/// of them than of anything else (38 a person in the demo org).
async fn git_months(conn: &mut SqliteConnection) -> Result<Vec<Sourced<GitMonth>>, StoreError> {
    let sql = "SELECT person, json_group_array(json_array(month, commits, merges, coauthored, \
               repositories, lines_added, lines_removed, partial)) \
               FROM git_evidence GROUP BY person";
    match packed(conn, sql, "git_evidence", unpack_git_month).await? {
        Some(all) => Ok(all),
        None => git_months_row_by_row(conn).await,
    }
}

/// Runs `sql`, whose rows are a person and a JSON array of that person's records, and
/// unpacks each record; `None` as soon as anything does not parse, for the caller to read
/// row by row and name it.
async fn packed<P: serde::de::DeserializeOwned, T>(
    conn: &mut SqliteConnection,
    sql: &'static str,
    table: &'static str,
    unpack: impl Fn(&PersonId, P) -> Option<T>,
) -> Result<Option<Vec<Sourced<T>>>, StoreError> {
    let rows: Vec<(String, String)> = sqlx::query_as(sql).fetch_all(&mut *conn).await?;
    let origin = Origin::new(table, 0);
    let mut all = Vec::new();
    for (person, records) in &rows {
        let Ok(person) = PersonId::parse(person) else {
            return Ok(None);
        };
        let Ok(records) = serde_json::from_str::<Vec<P>>(records) else {
            return Ok(None);
        };
        all.reserve(records.len());
        for record in records {
            let Some(item) = unpack(&person, record) else {
                return Ok(None);
            };
            all.push(Sourced::new(item, origin.clone()));
        }
    }
    Ok(Some(all))
}

type PackedCheckIn = (String, i64, i64, i64, Option<String>);

fn unpack_checkin(person: &PersonId, packed: PackedCheckIn) -> Option<CheckIn> {
    let (day, joy, energy, learning, note) = packed;
    let score = |v: i64| Score::new(u8::try_from(v).ok()?).ok();
    Some(CheckIn {
        person: person.clone(),
        date: parse_date(&day)?,
        joy: score(joy)?,
        energy: score(energy)?,
        learning: score(learning)?,
        note: note.map(Note::parse).transpose().ok()?.flatten(),
    })
}

type PackedStint = (
    String,
    Option<String>,
    String,
    Option<String>,
    String,
    i64,
    Option<String>,
    Option<i64>,
    Option<String>,
);

fn unpack_stint(person: &PersonId, packed: PackedStint, ladder: &Ladder) -> Option<Stint> {
    let (start, end, role, team, level, chosen, trial_end, band, org) = packed;
    let date = |day: Option<String>| {
        day.map(|d| parse_date(&d))
            .map_or(Some(None), |d| d.map(Some))
    };
    Some(Stint {
        person: person.clone(),
        start: parse_date(&start)?,
        end: date(end)?,
        role: role.parse().ok()?,
        team: team.as_deref().map(TeamId::parse).transpose().ok()?,
        level: ladder.level(&level).ok()?,
        chosen: match chosen {
            0 => false,
            1 => true,
            _ => return None,
        },
        trial_end: date(trial_end)?,
        band: band
            .map(|b| u16::try_from(b).ok().and_then(|b| Band::new(b).ok()))
            .map_or(Some(None), |b| b.map(Some))?,
        org,
    })
}

type PackedGitMonth = (String, u32, u32, u32, u32, Option<u64>, Option<u64>, i64);

fn unpack_git_month(person: &PersonId, packed: PackedGitMonth) -> Option<GitMonth> {
    let (month, commits, merges, coauthored, repositories, lines_added, lines_removed, partial) =
        packed;
    Some(GitMonth {
        person: person.clone(),
        month: YearMonth::parse(&month).ok()?,
        commits,
        merges,
        coauthored,
        repositories,
        lines_added,
        lines_removed,
        partial: match partial {
            0 => false,
            1 => true,
            _ => return None,
        },
    })
}

/// Every month of git evidence, one row each, each value parsed on its own.
async fn git_months_row_by_row(
    conn: &mut SqliteConnection,
) -> Result<Vec<Sourced<GitMonth>>, StoreError> {
    load(
        conn,
        "SELECT person, month, commits, merges, coauthored, repositories, lines_added, \
         lines_removed, partial FROM git_evidence ORDER BY person, month",
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
    .await
}

/// Every stint, one row each, each value parsed on its own.
async fn stints_row_by_row(
    conn: &mut SqliteConnection,
    ladder: &Ladder,
) -> Result<Vec<Sourced<Stint>>, StoreError> {
    load(
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
    .await
}

/// Every check-in, one row each, each value parsed on its own.
async fn checkins_row_by_row(
    conn: &mut SqliteConnection,
) -> Result<Vec<Sourced<CheckIn>>, StoreError> {
    load(
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
    .await
}

/// Runs `sql` and parses each row as it arrives, each record's origin naming its table.
/// `key` is the table's name and how many leading columns of `sql` make a row's key.
///
/// The connection's worker thread allocates every row, and freeing each one here as soon as
/// it is parsed makes the two threads contend for the allocators' locks on every value,
/// which made loading a million check-ins about four times slower. So parsed rows are kept
/// and freed [`RETIRE_BATCH`] at a time, while the worker waits on its full channel.
async fn load<T: Send + Unpin>(
    conn: &mut SqliteConnection,
    sql: &'static str,
    key: (&'static str, usize),
    mut parse: impl FnMut(&Cells<'_>) -> Result<T, StoreError> + Send,
) -> Result<Vec<Sourced<T>>, StoreError> {
    let (table, key_columns) = key;
    let origin = Origin::new(table, 0);
    let mut retired: Vec<SqliteRow> = Vec::with_capacity(RETIRE_BATCH);
    let parsed: Vec<Result<Sourced<T>, StoreError>> = sqlx::query(sql)
        .try_map(|row: SqliteRow| {
            let cells = Cells {
                row: &row,
                table,
                key_columns,
            };
            let item = parse(&cells).map(|item| Sourced::new(item, origin.clone()));
            if retired.len() == RETIRE_BATCH {
                retired.clear();
            }
            retired.push(row);
            Ok(item)
        })
        .fetch_all(conn)
        .await?;
    parsed.into_iter().collect()
}

/// One row being parsed, and how to name it when a value is bad.
struct Cells<'r> {
    row: &'r SqliteRow,
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
        self.parse(i, date)
    }

    fn date_opt(&self, i: usize) -> Result<Option<NaiveDate>, StoreError> {
        self.parse_opt(i, date)
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
        match self.int(i)? {
            0 => Ok(false),
            1 => Ok(true),
            other => Err(self.bad(i, format!("{other} is not 0 (no) or 1 (yes)"))),
        }
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

    /// A value as it would be typed in SQL, for naming a row.
    fn show(&self, i: usize) -> String {
        if self.row.try_get_raw(i).is_ok_and(|v| v.is_null()) {
            return "NULL".to_owned();
        }
        if let Ok(text) = self.row.try_get::<&str, _>(i) {
            return text.to_owned();
        }
        if let Ok(n) = self.row.try_get::<i64, _>(i) {
            return n.to_string();
        }
        "?".to_owned()
    }
}

fn date(text: &str) -> Result<NaiveDate, String> {
    parse_date(text).ok_or_else(|| "not a date (expected YYYY-MM-DD)".to_owned())
}
