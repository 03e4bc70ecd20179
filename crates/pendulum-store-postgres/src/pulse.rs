//! Private reflections and the anonymous pulse in PostgreSQL.
//!
//! The pulse keeps counts, never answers: taking part is one row in `pulse_participation`,
//! what was answered is one more in a count of `pulse_tallies`, and nothing links the two.

use pendulum_core::Email;
use sqlx::postgres::PgPool;

use pendulum_store::{PulseAnswer, PulseTally, StoreError};

pub(super) async fn save_reflection(
    pool: &PgPool,
    email: &Email,
    day: &str,
    answers: &str,
) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO reflections (account, day, answers) VALUES ($1, $2, $3)")
        .bind(email.as_str())
        .bind(day)
        .bind(answers)
        .execute(pool)
        .await?;
    Ok(())
}

pub(super) async fn reflections(
    pool: &PgPool,
    email: &Email,
) -> Result<Vec<(String, String)>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT day, answers FROM reflections WHERE account = $1 \
         ORDER BY day DESC, id DESC",
    )
    .bind(email.as_str())
    .fetch_all(pool)
    .await?)
}

pub(super) async fn answer(
    pool: &PgPool,
    email: &Email,
    answer: &PulseAnswer,
) -> Result<bool, StoreError> {
    let year = i64::from(answer.year);
    let mut tx = pool.begin().await?;
    let closed: Option<i32> = sqlx::query_scalar("SELECT 1 FROM pulse_closed WHERE year = $1")
        .bind(year)
        .fetch_optional(&mut *tx)
        .await?;
    if closed.is_some() {
        return Ok(false);
    }
    // A second answer of the same account, even a concurrent one, waits for the first and
    // then inserts nothing.
    let joined = sqlx::query(
        "INSERT INTO pulse_participation (account, year) VALUES ($1, $2) ON CONFLICT DO NOTHING",
    )
    .bind(email.as_str())
    .bind(year)
    .execute(&mut *tx)
    .await?;
    if joined.rows_affected() == 0 {
        return Ok(false);
    }
    let group = if answer.manager { "manager" } else { "ic" };
    for (statement, score) in [
        ("must_manage_to_grow", answer.must_manage_to_grow),
        ("fear_going_back", answer.fear_going_back),
    ] {
        sqlx::query(
            "INSERT INTO pulse_tallies (year, grp, statement, score, answers) \
             VALUES ($1, $2, $3, $4, 1) ON CONFLICT (year, grp, statement, score) \
             DO UPDATE SET answers = pulse_tallies.answers + 1",
        )
        .bind(year)
        .bind(group)
        .bind(statement)
        .bind(i64::from(score))
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(true)
}

pub(super) async fn close(pool: &PgPool, year: i32) -> Result<bool, StoreError> {
    let closed = sqlx::query("INSERT INTO pulse_closed (year) VALUES ($1) ON CONFLICT DO NOTHING")
        .bind(i64::from(year))
        .execute(pool)
        .await?;
    Ok(closed.rows_affected() == 1)
}

pub(super) async fn closed(pool: &PgPool, year: i32) -> Result<bool, StoreError> {
    let found: Option<i32> = sqlx::query_scalar("SELECT 1 FROM pulse_closed WHERE year = $1")
        .bind(i64::from(year))
        .fetch_optional(pool)
        .await?;
    Ok(found.is_some())
}

pub(super) async fn answered(pool: &PgPool, email: &Email, year: i32) -> Result<bool, StoreError> {
    let found: Option<i32> =
        sqlx::query_scalar("SELECT 1 FROM pulse_participation WHERE account = $1 AND year = $2")
            .bind(email.as_str())
            .bind(i64::from(year))
            .fetch_optional(pool)
            .await?;
    Ok(found.is_some())
}

pub(super) async fn tally(pool: &PgPool, year: i32) -> Result<PulseTally, StoreError> {
    let rows: Vec<(String, String, i64, i64)> =
        sqlx::query_as("SELECT grp, statement, score, answers FROM pulse_tallies WHERE year = $1")
            .bind(i64::from(year))
            .fetch_all(pool)
            .await?;
    let mut tally = PulseTally::default();
    for (group, statement, score, answers) in rows {
        let corrupt = || StoreError::Corrupt {
            table: "pulse_tallies",
            key: format!("year={year}"),
            message: format!("{group} {statement} {score}: {answers}"),
        };
        let group = match group.as_str() {
            "manager" => &mut tally.managers,
            "ic" => &mut tally.hands_on,
            _ => return Err(corrupt()),
        };
        let counts = match statement.as_str() {
            "must_manage_to_grow" => &mut group.must_manage_to_grow,
            "fear_going_back" => &mut group.fear_going_back,
            _ => return Err(corrupt()),
        };
        let slot = usize::try_from(score - 1)
            .ok()
            .and_then(|i| counts.get_mut(i))
            .ok_or_else(corrupt)?;
        *slot = u32::try_from(answers).map_err(|_| corrupt())?;
    }
    Ok(tally)
}

pub(super) async fn years(pool: &PgPool, at_most: u32) -> Result<Vec<i32>, StoreError> {
    let years: Vec<i64> = sqlx::query_scalar(
        "SELECT DISTINCT year FROM pulse_tallies WHERE answers > 0 ORDER BY year DESC LIMIT $1",
    )
    .bind(i64::from(at_most))
    .fetch_all(pool)
    .await?;
    years
        .into_iter()
        .map(|year| {
            i32::try_from(year).map_err(|_| StoreError::Corrupt {
                table: "pulse_tallies",
                key: format!("year={year}"),
                message: "column year: not a year pendulum can hold".to_owned(),
            })
        })
        .collect()
}
