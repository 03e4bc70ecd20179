//! Writing a change inside the caller's transaction.
//!
//! An import of a whole org (ten thousand people, a hundred thousand check-ins) is a single
//! change, so rows are not inserted one by one: each table's rows go as one array per
//! column in a single `INSERT ... SELECT FROM UNNEST(...)`, one round trip per table however
//! many rows, and replaced rows are deleted the same way. The order of the steps is the
//! SQLite backend's, so that a change fails, or not, for the same reasons on both.

use pendulum_core::ledger::StintEnd;
use pendulum_core::{Change, Note, Person, PersonId, Policy, TeamId};
use sqlx::postgres::{PgBindIterExt as _, PgConnection, PgHasArrayType, Postgres};
use sqlx::{Encode, Type};

use pendulum_store::StoreError;

/// Writes everything in `change` but its policy; its corrections are recorded as made by
/// `actor` (the audit log's text for who it was).
pub(super) async fn change(
    conn: &mut PgConnection,
    change: &Change,
    actor: Option<&str>,
) -> Result<(), StoreError> {
    // Teams first: people and stints refer to them.
    let teams = &change.teams;
    if !teams.is_empty() {
        sqlx::query(
            "INSERT INTO teams (id, name, parent) \
             SELECT * FROM UNNEST($1::text[], $2::text[], $3::text[])",
        )
        .bind(teams.iter().map(|t| t.id.as_str()).bind_iter())
        .bind(teams.iter().map(|t| t.name.as_str()).bind_iter())
        .bind(
            teams
                .iter()
                .map(|t| t.parent.as_ref().map(TeamId::as_str))
                .bind_iter(),
        )
        .execute(&mut *conn)
        .await?;
    }

    // The aliases of replaced people go before any person is written, so that an address
    // may move from one person to another within the change.
    let updates = &change.people_updates;
    if !updates.is_empty() {
        sqlx::query("DELETE FROM person_aliases WHERE person = ANY($1::text[])")
            .bind(updates.iter().map(|p| p.id.as_str()).bind_iter())
            .execute(&mut *conn)
            .await?;
    }
    // One by one, in order, as SQLite does: an address that moves from one person to the
    // next is free by the time the next is written.
    for person in updates {
        update_person(conn, person).await?;
    }
    insert_people(conn, &change.people).await?;
    insert_aliases(conn, updates.iter().chain(&change.people)).await?;

    // Ends before new stints: a swing ends one stint on the day the next begins.
    for end in &change.stint_ends {
        end_stint(conn, end).await?;
    }
    // A corrected stint goes before its replacement, which may keep its start; one that
    // is not there was changed by someone else since the ledger was read.
    let deleted = delete_replaced(
        conn,
        "DELETE FROM stints t USING UNNEST($1::text[], $2::date[]) AS k(person, period) \
         WHERE t.person = k.person AND t.start_date = k.period",
        &change.stints_replaced,
        |day| *day,
    )
    .await?;
    if deleted < change.stints_replaced.len() as u64 {
        return Err(StoreError::Conflict(
            "a stint to correct is no longer stored as it was".to_owned(),
        ));
    }
    let stints = &change.stints;
    if !stints.is_empty() {
        sqlx::query(
            "INSERT INTO stints \
             (person, start_date, end_date, role, team, level, chosen, trial_end, band, org) \
             SELECT * FROM UNNEST($1::text[], $2::date[], $3::date[], $4::text[], $5::text[], \
             $6::text[], $7::boolean[], $8::date[], $9::bigint[], $10::text[])",
        )
        .bind(stints.iter().map(|s| s.person.as_str()).bind_iter())
        .bind(stints.iter().map(|s| s.start).bind_iter())
        .bind(stints.iter().map(|s| s.end).bind_iter())
        .bind(stints.iter().map(|s| s.role.as_str()).bind_iter())
        .bind(
            stints
                .iter()
                .map(|s| s.team.as_ref().map(TeamId::as_str))
                .bind_iter(),
        )
        .bind(stints.iter().map(|s| s.level.name()).bind_iter())
        .bind(stints.iter().map(|s| s.chosen).bind_iter())
        .bind(stints.iter().map(|s| s.trial_end).bind_iter())
        .bind(
            stints
                .iter()
                .map(|s| s.band.map(|b| i64::from(b.get())))
                .bind_iter(),
        )
        .bind(stints.iter().map(|s| s.org.as_deref()).bind_iter())
        .execute(&mut *conn)
        .await?;
    }

    // A replaced answer goes before the new one: one person has one answer a day.
    delete_replaced(
        conn,
        "DELETE FROM willing_answers t USING UNNEST($1::text[], $2::date[]) AS k(person, period) \
         WHERE t.person = k.person AND t.day = k.period",
        &change.answers_replaced,
        |day| *day,
    )
    .await?;
    let answers = &change.answers;
    if !answers.is_empty() {
        sqlx::query(
            "INSERT INTO willing_answers (person, day, answer) \
             SELECT * FROM UNNEST($1::text[], $2::date[], $3::text[])",
        )
        .bind(answers.iter().map(|a| a.person.as_str()).bind_iter())
        .bind(answers.iter().map(|a| a.date).bind_iter())
        .bind(answers.iter().map(|a| a.answer.as_str()).bind_iter())
        .execute(&mut *conn)
        .await?;
    }

    // A replaced check-in goes before the new one: one person has one check-in a day.
    let deleted = delete_replaced(
        conn,
        "DELETE FROM checkins t USING UNNEST($1::text[], $2::date[]) AS k(person, period) \
         WHERE t.person = k.person AND t.day = k.period",
        &change.checkins_replaced,
        |day| *day,
    )
    .await?;
    if deleted < change.checkins_replaced.len() as u64 {
        return Err(StoreError::Conflict(
            "a check-in to replace or delete is no longer stored".to_owned(),
        ));
    }
    let checkins = &change.checkins;
    if !checkins.is_empty() {
        // Ordered by position, so that the ids keep the order the check-ins were given in.
        sqlx::query(
            "INSERT INTO checkins (person, day, joy, energy, learning, note) \
             SELECT person, day, joy, energy, learning, note FROM UNNEST($1::text[], \
             $2::date[], $3::bigint[], $4::bigint[], $5::bigint[], $6::text[]) \
             WITH ORDINALITY AS u(person, day, joy, energy, learning, note, n) ORDER BY n",
        )
        .bind(checkins.iter().map(|c| c.person.as_str()).bind_iter())
        .bind(checkins.iter().map(|c| c.date).bind_iter())
        .bind(checkins.iter().map(|c| i64::from(c.joy.get())).bind_iter())
        .bind(
            checkins
                .iter()
                .map(|c| i64::from(c.energy.get()))
                .bind_iter(),
        )
        .bind(
            checkins
                .iter()
                .map(|c| i64::from(c.learning.get()))
                .bind_iter(),
        )
        .bind(
            checkins
                .iter()
                .map(|c| c.note.as_ref().map(Note::as_str))
                .bind_iter(),
        )
        .execute(&mut *conn)
        .await?;
    }

    // Replaced evidence goes before the new rows: a key in both is an update.
    delete_replaced(
        conn,
        "DELETE FROM git_evidence t USING UNNEST($1::text[], $2::text[]) AS k(person, period) \
         WHERE t.person = k.person AND t.month = k.period",
        &change.git_replaced,
        ToString::to_string,
    )
    .await?;
    let git = &change.git;
    if !git.is_empty() {
        let mut lines = Vec::with_capacity(git.len());
        for month in git {
            let count = |field: &str, n: Option<u64>| {
                n.map(i64::try_from).transpose().map_err(|_| {
                    sqlx::Error::Encode(
                        format!(
                            "{field} of {} in {} is {}, more than the database can hold",
                            month.person,
                            month.month,
                            n.unwrap_or_default()
                        )
                        .into(),
                    )
                })
            };
            lines.push((
                count("lines_added", month.lines_added)?,
                count("lines_removed", month.lines_removed)?,
            ));
        }
        sqlx::query(
            "INSERT INTO git_evidence (person, month, commits, merges, coauthored, \
             repositories, lines_added, lines_removed, partial) \
             SELECT * FROM UNNEST($1::text[], $2::text[], $3::bigint[], $4::bigint[], \
             $5::bigint[], $6::bigint[], $7::bigint[], $8::bigint[], $9::boolean[])",
        )
        .bind(git.iter().map(|g| g.person.as_str()).bind_iter())
        .bind(git.iter().map(|g| g.month.to_string()).bind_iter())
        .bind(git.iter().map(|g| i64::from(g.commits)).bind_iter())
        .bind(git.iter().map(|g| i64::from(g.merges)).bind_iter())
        .bind(git.iter().map(|g| i64::from(g.coauthored)).bind_iter())
        .bind(git.iter().map(|g| i64::from(g.repositories)).bind_iter())
        .bind(lines.iter().map(|l| l.0).bind_iter())
        .bind(lines.iter().map(|l| l.1).bind_iter())
        .bind(git.iter().map(|g| g.partial).bind_iter())
        .execute(&mut *conn)
        .await?;
    }

    delete_replaced(
        conn,
        "DELETE FROM calendar_evidence t USING UNNEST($1::text[], $2::text[]) \
         AS k(person, period) WHERE t.person = k.person AND t.week = k.period",
        &change.calendar_replaced,
        ToString::to_string,
    )
    .await?;
    let calendar = &change.calendar;
    if !calendar.is_empty() {
        sqlx::query(
            "INSERT INTO calendar_evidence (person, week, meeting_hours, focus_hours, \
             fragmented_hours, after_hours) \
             SELECT * FROM UNNEST($1::text[], $2::text[], $3::float8[], $4::float8[], \
             $5::float8[], $6::float8[])",
        )
        .bind(calendar.iter().map(|w| w.person.as_str()).bind_iter())
        .bind(calendar.iter().map(|w| w.week.to_string()).bind_iter())
        .bind(calendar.iter().map(|w| w.meeting_hours).bind_iter())
        .bind(calendar.iter().map(|w| w.focus_hours).bind_iter())
        .bind(calendar.iter().map(|w| w.fragmented_hours).bind_iter())
        .bind(calendar.iter().map(|w| w.after_hours).bind_iter())
        .execute(&mut *conn)
        .await?;
    }

    let corrections = &change.corrections;
    if !corrections.is_empty() {
        // Ordered by position: the history reads them back in the order they were made.
        sqlx::query(
            "INSERT INTO corrections (actor, person, record, field, before, after) \
             SELECT $1::text, person, record, field, before, after FROM UNNEST($2::text[], \
             $3::text[], $4::text[], $5::text[], $6::text[]) \
             WITH ORDINALITY AS u(person, record, field, before, after, n) ORDER BY n",
        )
        .bind(actor)
        .bind(corrections.iter().map(|c| c.person.as_str()).bind_iter())
        .bind(corrections.iter().map(|c| c.record.as_str()).bind_iter())
        .bind(corrections.iter().map(|c| c.field.as_str()).bind_iter())
        .bind(corrections.iter().map(|c| c.before.as_deref()).bind_iter())
        .bind(corrections.iter().map(|c| c.after.as_deref()).bind_iter())
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Stores `policy` under `key`, replacing what was there.
pub(super) async fn policy(
    conn: &mut PgConnection,
    key: &str,
    policy: &Policy,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO settings (key, value) VALUES ($1, $2) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )
    .bind(key)
    .bind(policy.to_toml())
    .execute(conn)
    .await?;
    Ok(())
}

async fn insert_people(conn: &mut PgConnection, people: &[Person]) -> Result<(), StoreError> {
    if people.is_empty() {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO people (id, name, email, level, team, manager, willing_to_manage, \
         willing_since, left_on, leave_reason) \
         SELECT * FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], \
         $6::text[], $7::text[], $8::date[], $9::date[], $10::text[])",
    )
    .bind(people.iter().map(|p| p.id.as_str()).bind_iter())
    .bind(people.iter().map(|p| p.name.as_str()).bind_iter())
    .bind(people.iter().map(|p| p.email.as_str()).bind_iter())
    .bind(people.iter().map(|p| p.level.name()).bind_iter())
    .bind(
        people
            .iter()
            .map(|p| p.team.as_ref().map(TeamId::as_str))
            .bind_iter(),
    )
    .bind(
        people
            .iter()
            .map(|p| p.manager.as_ref().map(PersonId::as_str))
            .bind_iter(),
    )
    .bind(
        people
            .iter()
            .map(|p| p.willing_to_manage.as_str())
            .bind_iter(),
    )
    .bind(people.iter().map(|p| p.willing_since).bind_iter())
    .bind(
        people
            .iter()
            .map(|p| p.departure.as_ref().map(|d| d.on))
            .bind_iter(),
    )
    .bind(
        people
            .iter()
            .map(|p| p.departure.as_ref().and_then(|d| d.reason.as_deref()))
            .bind_iter(),
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Inserts the aliases of `people`, each at its position in the person's list.
async fn insert_aliases<'a>(
    conn: &mut PgConnection,
    people: impl Iterator<Item = &'a Person>,
) -> Result<(), StoreError> {
    let aliases: Vec<(&str, i64, &str)> = people
        .flat_map(|p| {
            p.aliases
                .iter()
                .zip(0..)
                .map(move |(alias, position)| (p.id.as_str(), position, alias.as_str()))
        })
        .collect();
    if aliases.is_empty() {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO person_aliases (person, position, email) \
         SELECT * FROM UNNEST($1::text[], $2::bigint[], $3::text[])",
    )
    .bind(aliases.iter().map(|a| a.0).bind_iter())
    .bind(aliases.iter().map(|a| a.1).bind_iter())
    .bind(aliases.iter().map(|a| a.2).bind_iter())
    .execute(conn)
    .await?;
    Ok(())
}

/// Deletes the rows that a change replaces, each named by its person and period, with
/// `sql` (which takes the people as `$1` and the periods, as `period` writes them, as `$2`);
/// gives how many rows went.
async fn delete_replaced<P, V>(
    conn: &mut PgConnection,
    sql: &'static str,
    keys: &[(PersonId, P)],
    period: impl Fn(&P) -> V,
) -> Result<u64, StoreError>
where
    V: for<'q> Encode<'q, Postgres> + Type<Postgres> + PgHasArrayType,
{
    if keys.is_empty() {
        return Ok(0);
    }
    let done = sqlx::query(sql)
        .bind(keys.iter().map(|(person, _)| person.as_str()).bind_iter())
        .bind(keys.iter().map(|(_, p)| period(p)).bind_iter())
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}

async fn update_person(conn: &mut PgConnection, person: &Person) -> Result<(), StoreError> {
    let done = sqlx::query(
        "UPDATE people SET name = $1, email = $2, level = $3, team = $4, manager = $5, \
         willing_to_manage = $6, willing_since = $7, left_on = $8, leave_reason = $9 \
         WHERE id = $10",
    )
    .bind(person.name.as_str())
    .bind(person.email.as_str())
    .bind(person.level.name())
    .bind(person.team.as_ref().map(TeamId::as_str))
    .bind(person.manager.as_ref().map(PersonId::as_str))
    .bind(person.willing_to_manage.as_str())
    .bind(person.willing_since)
    .bind(person.departure.as_ref().map(|d| d.on))
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

async fn end_stint(conn: &mut PgConnection, end: &StintEnd) -> Result<(), StoreError> {
    // `end_date IS NULL` is what turns a change checked against an older ledger into a
    // conflict; the ledger lock makes sure no other writer ends the stint meanwhile.
    let done = sqlx::query(
        "UPDATE stints SET end_date = $1 \
         WHERE person = $2 AND start_date = $3 AND end_date IS NULL",
    )
    .bind(end.end)
    .bind(end.person.as_str())
    .bind(end.start)
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
