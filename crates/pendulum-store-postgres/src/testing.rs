//! A fresh database per test, on the PostgreSQL server that `PENDULUM_TEST_POSTGRES` names.
//!
//! The variable holds the URL of a database the tests may connect to in order to create
//! others (such as `postgres://pendulum@127.0.0.1:5433/postgres`). Without it the tests of
//! PostgreSQL are skipped, loudly; on CI (`CI=true`) they fail instead, so that a missing
//! server can never pass for a green run. The databases made are left for the server's
//! owner to drop: a test that fails keeps its data to look at.

use std::hash::{BuildHasher as _, Hasher as _};
use std::str::FromStr as _;
use std::time::{SystemTime, UNIX_EPOCH};

use sqlx::Connection as _;
use sqlx::postgres::{PgConnectOptions, PgConnection};

/// The variable that names the test server.
pub const SERVER_VARIABLE: &str = "PENDULUM_TEST_POSTGRES";

/// Creates a new, empty database with a random name on the test server and gives its URL;
/// `None`, after saying so on stderr, when no server is configured.
///
/// # Panics
///
/// When `CI` is `true` and no server is configured, and when the server cannot be reached
/// or refuses to create the database: a test cannot go on without it.
pub async fn scratch_database() -> Option<String> {
    let Ok(base) = std::env::var(SERVER_VARIABLE) else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "the PostgreSQL tests need a server: set {SERVER_VARIABLE} to the URL of a \
             database they may connect to and create databases from, such as \
             postgres://pendulum@127.0.0.1:5433/postgres"
        );
        eprintln!("skipped: {SERVER_VARIABLE} is not set");
        return None;
    };
    let options = PgConnectOptions::from_str(&base)
        .unwrap_or_else(|e| panic!("{SERVER_VARIABLE} is not a PostgreSQL URL: {e}"));
    let name = format!("pendulum_test_{}", random_hex());
    let mut conn = PgConnection::connect_with(&options)
        .await
        .unwrap_or_else(|e| panic!("cannot connect to the server {SERVER_VARIABLE} names: {e}"));
    // The name is made of hex digits only, so it needs no quoting.
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut conn)
        .await
        .unwrap_or_else(|e| panic!("cannot create the test database {name}: {e}"));
    conn.close().await.ok();
    Some(with_database(&base, &name))
}

/// 64 random bits as hex. The standard library's hasher is seeded from the operating
/// system's randomness once per process and differently for each `RandomState`; the time
/// and process id are mixed in as well.
fn random_hex() -> String {
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    hasher.write_u128(nanos);
    hasher.write_u32(std::process::id());
    format!("{:016x}", hasher.finish())
}

/// `url` with its database replaced by `name`, keeping its user, host and options.
fn with_database(url: &str, name: &str) -> String {
    let (main, query) = match url.split_once('?') {
        Some((main, query)) => (main, Some(query)),
        None => (url, None),
    };
    let authority_start = main.find("://").map_or(0, |i| i + 3);
    let server = match main[authority_start..].find('/') {
        Some(slash) => &main[..authority_start + slash],
        None => main,
    };
    match query {
        Some(query) => format!("{server}/{name}?{query}"),
        None => format!("{server}/{name}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_database_of_a_url_is_replaced_and_the_rest_kept() {
        for (url, made) in [
            ("postgres://u@h:5433/postgres", "postgres://u@h:5433/db1"),
            ("postgres://u:pw@h", "postgres://u:pw@h/db1"),
            (
                "postgresql://u@h/postgres?sslmode=disable",
                "postgresql://u@h/db1?sslmode=disable",
            ),
        ] {
            assert_eq!(with_database(url, "db1"), made);
        }
    }

    #[test]
    fn names_differ() {
        let a = random_hex();
        assert_eq!(a.len(), 16);
        assert_ne!(a, random_hex());
    }
}
