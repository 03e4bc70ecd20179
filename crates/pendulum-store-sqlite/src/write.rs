//! Writing a change inside the caller's transaction.
//!
//! An import of a whole org (a hundred thousand people, a million check-ins) is a single
//! change, so inserts go in batches: each statement carries many rows, within SQLite's limit
//! of bound parameters, and every full batch of a table has the same statement text, so the
//! connection prepares it once and reuses it from its statement cache.

use std::collections::HashMap;
use std::sync::Arc;

use pendulum_core::ledger::StintEnd;
use pendulum_core::{
    CalendarWeek, Change, CheckIn, Correction, Email, GitMonth, IsoWeek, Note, Person, PersonId,
    Policy, Stint, Team, TeamId, WillingAnswer, YearMonth,
};
use sqlx::error::BoxDynError;
use sqlx::sqlite::{SqliteArguments, SqliteConnection};
use sqlx::{Arguments, AssertSqlSafe};

use pendulum_store::StoreError;
use pendulum_store::codec::date_text;

/// SQLite refuses statements with more bound parameters than this.
const MAX_PARAMETERS: usize = 32_766;

/// Rows per insert statement at most. Past a few hundred rows, bigger statements save
/// nothing more and only take longer to prepare.
const MAX_ROWS_PER_STATEMENT: usize = 500;

/// Writes everything in `change` but its policy; its corrections are recorded as made by
/// `actor` (the audit log's text for who it was).
pub(super) async fn change(
    conn: &mut SqliteConnection,
    change: &Change,
    actor: Option<&str>,
) -> Result<(), StoreError> {
    // Teams first: people and stints refer to them.
    insert(conn, &TEAMS, &change.teams, |team: &Team, row| {
        row.add(team.id.as_str())?;
        row.add(team.name.as_str())?;
        row.add(team.parent.as_ref().map(TeamId::as_str))
    })
    .await?;

    // The aliases of replaced people go before any person is written, so that an address
    // may move from one person to another within the change.
    for person in &change.people_updates {
        sqlx::query("DELETE FROM person_aliases WHERE person = ?")
            .bind(person.id.as_str())
            .execute(&mut *conn)
            .await?;
    }
    for person in &change.people_updates {
        update_person(conn, person).await?;
    }
    insert(conn, &PEOPLE, &change.people, |person: &Person, row| {
        row.add(person.id.as_str())?;
        row.add(person.name.as_str())?;
        row.add(person.email.as_str())?;
        row.add(person.level.name())?;
        row.add(person.team.as_ref().map(TeamId::as_str))?;
        row.add(person.manager.as_ref().map(PersonId::as_str))?;
        row.add(person.willing_to_manage.as_str())?;
        row.add(person.willing_since.map(date_text))?;
        row.add(person.departure.as_ref().map(|d| date_text(d.on)))?;
        row.add(person.departure.as_ref().and_then(|d| d.reason.as_deref()))
    })
    .await?;
    let aliases: Vec<(&PersonId, i64, &Email)> = change
        .people_updates
        .iter()
        .chain(&change.people)
        .flat_map(|p| {
            p.aliases
                .iter()
                .zip(0..)
                .map(move |(alias, position)| (&p.id, position, alias))
        })
        .collect();
    insert(
        conn,
        &ALIASES,
        &aliases,
        |&(person, position, alias), row| {
            row.add(person.as_str())?;
            row.add(position)?;
            row.add(alias.as_str())
        },
    )
    .await?;

    // Ends before new stints: a swing ends one stint on the day the next begins.
    for end in &change.stint_ends {
        end_stint(conn, end).await?;
    }
    // A corrected stint goes before its replacement, which may keep its start; one that
    // is not there was changed by someone else since the ledger was read.
    let deleted = delete_replaced(conn, &STINTS, &change.stints_replaced, |day| {
        date_text(*day)
    })
    .await?;
    if deleted < change.stints_replaced.len() as u64 {
        return Err(StoreError::Conflict(
            "a stint to correct is no longer stored as it was".to_owned(),
        ));
    }
    insert(conn, &STINTS, &change.stints, |stint: &Stint, row| {
        row.add(stint.person.as_str())?;
        row.add(date_text(stint.start))?;
        row.add(stint.end.map(date_text))?;
        row.add(stint.role.as_str())?;
        row.add(stint.team.as_ref().map(TeamId::as_str))?;
        row.add(stint.level.name())?;
        row.add(stint.chosen)?;
        row.add(stint.trial_end.map(date_text))?;
        row.add(stint.band.map(|b| i64::from(b.get())))?;
        row.add(stint.org.as_deref())
    })
    .await?;
    // A replaced answer goes before the new one: one person has one answer a day.
    delete_replaced(conn, &ANSWERS, &change.answers_replaced, |day| {
        date_text(*day)
    })
    .await?;
    insert(
        conn,
        &ANSWERS,
        &change.answers,
        |answer: &WillingAnswer, row| {
            row.add(answer.person.as_str())?;
            row.add(date_text(answer.date))?;
            row.add(answer.answer.as_str())
        },
    )
    .await?;
    // A replaced check-in goes before the new one: one person has one check-in a day.
    let deleted = delete_replaced(conn, &CHECKINS, &change.checkins_replaced, |day| {
        date_text(*day)
    })
    .await?;
    if deleted < change.checkins_replaced.len() as u64 {
        return Err(StoreError::Conflict(
            "a check-in to replace or delete is no longer stored".to_owned(),
        ));
    }
    insert(
        conn,
        &CHECKINS,
        &change.checkins,
        |checkin: &CheckIn, row| {
            row.add(checkin.person.as_str())?;
            row.add(date_text(checkin.date))?;
            row.add(i64::from(checkin.joy.get()))?;
            row.add(i64::from(checkin.energy.get()))?;
            row.add(i64::from(checkin.learning.get()))?;
            row.add(checkin.note.as_ref().map(Note::as_str))
        },
    )
    .await?;
    // Replaced evidence goes before the new rows: a key in both is an update.
    delete_replaced(conn, &GIT, &change.git_replaced, YearMonth::to_string).await?;
    // An ingest of a large history writes tens of thousands of rows that repeat a few
    // hundred people (one after another) and months: each text is made once and shared.
    let mut person: Option<Arc<str>> = None;
    let mut months: HashMap<YearMonth, Arc<str>> = HashMap::new();
    insert(conn, &GIT, &change.git, |month: &GitMonth, row| {
        let person = match &person {
            Some(p) if **p == *month.person.as_str() => p,
            _ => person.insert(Arc::from(month.person.as_str())),
        };
        row.add(Arc::clone(person))?;
        let text = months
            .entry(month.month)
            .or_insert_with_key(|m| Arc::from(m.to_string()));
        row.add(Arc::clone(text))?;
        row.add(i64::from(month.commits))?;
        row.add(i64::from(month.merges))?;
        row.add(i64::from(month.coauthored))?;
        row.add(i64::from(month.repositories))?;
        row.add(line_count(month, "lines_added", month.lines_added)?)?;
        row.add(line_count(month, "lines_removed", month.lines_removed)?)?;
        row.add(month.partial)
    })
    .await?;
    delete_replaced(
        conn,
        &CALENDAR,
        &change.calendar_replaced,
        IsoWeek::to_string,
    )
    .await?;
    insert(
        conn,
        &CALENDAR,
        &change.calendar,
        |week: &CalendarWeek, row| {
            row.add(week.person.as_str())?;
            row.add(week.week.to_string())?;
            row.add(week.meeting_hours)?;
            row.add(week.focus_hours)?;
            row.add(week.fragmented_hours)?;
            row.add(week.after_hours)
        },
    )
    .await?;
    insert(
        conn,
        &CORRECTIONS,
        &change.corrections,
        |c: &Correction, row| {
            row.add(actor)?;
            row.add(c.person.as_str())?;
            row.add(c.record.as_str())?;
            row.add(c.field.as_str())?;
            row.add(c.before.as_deref())?;
            row.add(c.after.as_deref())
        },
    )
    .await?;
    Ok(())
}

/// Stores `policy` under `key`, replacing what was there.
pub(super) async fn policy(
    conn: &mut SqliteConnection,
    key: &str,
    policy: &Policy,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO settings (key, value) VALUES (?, ?) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )
    .bind(key)
    .bind(policy.to_toml())
    .execute(conn)
    .await?;
    Ok(())
}

/// Deletes the rows of `table` that a change replaces, each named by its person and period
/// (the table's second column), which `text` writes as the column holds it.
async fn delete_replaced<P>(
    conn: &mut SqliteConnection,
    table: &Table,
    keys: &[(PersonId, P)],
    text: impl Fn(&P) -> String,
) -> Result<u64, StoreError> {
    let sql = format!(
        "DELETE FROM {} WHERE {} = ? AND {} = ?",
        table.name, table.columns[0], table.columns[1]
    );
    let mut deleted = 0;
    for (person, period) in keys {
        deleted += sqlx::query(AssertSqlSafe(sql.as_str()))
            .bind(person.as_str())
            .bind(text(period))
            .execute(&mut *conn)
            .await?
            .rows_affected();
    }
    Ok(deleted)
}

async fn update_person(conn: &mut SqliteConnection, person: &Person) -> Result<(), StoreError> {
    let done = sqlx::query(
        "UPDATE people SET name = ?, email = ?, level = ?, team = ?, manager = ?, \
         willing_to_manage = ?, willing_since = ?, left_on = ?, leave_reason = ? WHERE id = ?",
    )
    .bind(person.name.as_str())
    .bind(person.email.as_str())
    .bind(person.level.name())
    .bind(person.team.as_ref().map(TeamId::as_str))
    .bind(person.manager.as_ref().map(PersonId::as_str))
    .bind(person.willing_to_manage.as_str())
    .bind(person.willing_since.map(date_text))
    .bind(person.departure.as_ref().map(|d| date_text(d.on)))
    .bind(person.departure.as_ref().and_then(|d| d.reason.as_deref()))
    .bind(person.id.as_str())
    .execute(conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Conflict(format!(
            "no person with the id {:?} is stored, so there is nobody to update",
            person.id.as_str()
        )));
    }
    Ok(())
}

async fn end_stint(conn: &mut SqliteConnection, end: &StintEnd) -> Result<(), StoreError> {
    let done = sqlx::query(
        "UPDATE stints SET end_date = ? \
         WHERE person = ? AND start_date = ? AND end_date IS NULL",
    )
    .bind(date_text(end.end))
    .bind(end.person.as_str())
    .bind(date_text(end.start))
    .execute(conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Conflict(format!(
            "{} has no open stint that began on {}, so there is none to end",
            end.person, end.start
        )));
    }
    Ok(())
}

/// A line count as the database's signed 64-bit integer.
fn line_count(
    month: &GitMonth,
    field: &str,
    lines: Option<u64>,
) -> Result<Option<i64>, BoxDynError> {
    lines
        .map(|n| {
            i64::try_from(n).map_err(|_| {
                format!(
                    "{field} of {} in {} is {n}, more than the database can hold",
                    month.person, month.month
                )
                .into()
            })
        })
        .transpose()
}

/// A table and the columns an insert fills, in the order the rows are bound.
pub(super) struct Table {
    pub(super) name: &'static str,
    pub(super) columns: &'static [&'static str],
}

const TEAMS: Table = Table {
    name: "teams",
    columns: &["id", "name", "parent"],
};
const PEOPLE: Table = Table {
    name: "people",
    columns: &[
        "id",
        "name",
        "email",
        "level",
        "team",
        "manager",
        "willing_to_manage",
        "willing_since",
        "left_on",
        "leave_reason",
    ],
};
const ALIASES: Table = Table {
    name: "person_aliases",
    columns: &["person", "position", "email"],
};
const STINTS: Table = Table {
    name: "stints",
    columns: &[
        "person",
        "start_date",
        "end_date",
        "role",
        "team",
        "level",
        "chosen",
        "trial_end",
        "band",
        "org",
    ],
};
const ANSWERS: Table = Table {
    name: "willing_answers",
    columns: &["person", "day", "answer"],
};
const CORRECTIONS: Table = Table {
    name: "corrections",
    columns: &["actor", "person", "record", "field", "before", "after"],
};
const CHECKINS: Table = Table {
    name: "checkins",
    columns: &["person", "day", "joy", "energy", "learning", "note"],
};
const GIT: Table = Table {
    name: "git_evidence",
    columns: &[
        "person",
        "month",
        "commits",
        "merges",
        "coauthored",
        "repositories",
        "lines_added",
        "lines_removed",
        "partial",
    ],
};
const CALENDAR: Table = Table {
    name: "calendar_evidence",
    columns: &[
        "person",
        "week",
        "meeting_hours",
        "focus_hours",
        "fragmented_hours",
        "after_hours",
    ],
};

impl Table {
    /// `INSERT INTO table (a, b) VALUES (?, ?), (?, ?), ...` for `rows` rows.
    fn insert_sql(&self, rows: usize) -> Arc<str> {
        let row = format!("({})", vec!["?"; self.columns.len()].join(", "));
        let mut sql = format!(
            "INSERT INTO {} ({}) VALUES ",
            self.name,
            self.columns.join(", ")
        );
        sql.reserve(rows * (row.len() + 2));
        for i in 0..rows {
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&row);
        }
        sql.into()
    }

    fn rows_per_statement(&self) -> usize {
        (MAX_PARAMETERS / self.columns.len()).min(MAX_ROWS_PER_STATEMENT)
    }
}

/// Inserts `items` into `table`, `bind` adding one item's values in column order.
pub(super) async fn insert<T: Sync>(
    conn: &mut SqliteConnection,
    table: &Table,
    items: &[T],
    mut bind: impl FnMut(&T, &mut SqliteArguments) -> Result<(), BoxDynError> + Send,
) -> Result<(), StoreError> {
    let per_statement = table.rows_per_statement();
    let mut full_batch_sql = None;
    for batch in items.chunks(per_statement) {
        let sql = if batch.len() == per_statement {
            Arc::clone(full_batch_sql.get_or_insert_with(|| table.insert_sql(per_statement)))
        } else {
            table.insert_sql(batch.len())
        };
        let mut args = SqliteArguments::default();
        args.reserve(batch.len() * table.columns.len(), 0);
        for item in batch {
            bind(item, &mut args).map_err(sqlx::Error::Encode)?;
        }
        sqlx::query_with(AssertSqlSafe(sql), args)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}
