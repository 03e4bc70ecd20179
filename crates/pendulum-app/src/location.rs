//! The database location given on the command line, read into the backend it names:
//! a path or `sqlite:` URL is a SQLite file, a `postgres://` URL a PostgreSQL database.
//!
//! A location is a plain file path or a URL whose scheme picks the backend. Only a `://`
//! marks a scheme in general, so that a file name with a colon in it stays a path; `sqlite:`
//! is recognised without the slashes because that is how SQLite URLs are often written.

use std::path::PathBuf;

use pendulum_store::StoreError;

/// A location whose backend is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Location {
    /// A SQLite database file.
    Sqlite(PathBuf),
    /// A PostgreSQL database, by its URL as given (it may hold a password).
    Postgres(String),
}

impl Location {
    pub(crate) fn parse(raw: &str) -> Result<Self, StoreError> {
        let unsupported = |why: String| Err(StoreError::Unsupported(why));
        if raw.trim().is_empty() {
            return unsupported(
                "the database location is empty; pass a file path or a sqlite:// URL".into(),
            );
        }
        let lower = raw.to_ascii_lowercase();
        let sqlite_path = ["sqlite://", "sqlite:"]
            .into_iter()
            .find(|prefix| lower.starts_with(prefix))
            .map(|prefix| &raw[prefix.len()..]);
        if let Some(path) = sqlite_path {
            if path.is_empty() {
                return unsupported(format!(
                    "{raw:?} names no database file; write sqlite://path/to/pendulum.db"
                ));
            }
            if path.starts_with(":memory:") || path.contains("mode=memory") {
                return unsupported(format!(
                    "{raw:?} is an in-memory database, which would be lost when the command ends; pass a file path"
                ));
            }
            if path.contains('?') {
                return unsupported(format!(
                    "{raw:?} has URL options, which pendulum does not take; pass the file path alone"
                ));
            }
            return Ok(Location::Sqlite(PathBuf::from(path)));
        }
        if let Some((scheme, _)) = lower.split_once("://") {
            return match scheme {
                "postgres" | "postgresql" => Ok(Location::Postgres(raw.to_owned())),
                _ => unsupported(format!(
                    "{scheme}:// databases are not supported; use a SQLite file path, a sqlite:// URL or a postgres:// URL"
                )),
            };
        }
        Ok(Location::Sqlite(PathBuf::from(raw)))
    }
}

/// A location as it may be shown in messages and logs: a password in a URL's user part or
/// in its `password=` option is replaced by `***`, since a location can be a secret.
pub fn shown(raw: &str) -> String {
    let Some((scheme, rest)) = raw.split_once("://") else {
        return raw.to_owned();
    };
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let authority = match authority.rsplit_once('@') {
        Some((user_info, host)) => match user_info.split_once(':') {
            Some((user, _password)) => format!("{user}:***@{host}"),
            None => authority.to_owned(),
        },
        None => authority.to_owned(),
    };
    let tail = match tail.split_once('?') {
        Some((path, query)) => {
            let options: Vec<String> = query
                .split('&')
                .map(|option| match option.split_once('=') {
                    Some((key, _)) if key.eq_ignore_ascii_case("password") => {
                        format!("{key}=***")
                    }
                    _ => option.to_owned(),
                })
                .collect();
            format!("{path}?{}", options.join("&"))
        }
        None => tail.to_owned(),
    };
    format!("{scheme}://{authority}{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sqlite(raw: &str) -> PathBuf {
        match Location::parse(raw) {
            Ok(Location::Sqlite(path)) => path,
            Ok(other) => panic!("{raw:?} should be a SQLite location, not {other:?}"),
            Err(e) => panic!("{raw:?} should be a SQLite location: {e}"),
        }
    }

    fn refusal(raw: &str) -> String {
        match Location::parse(raw) {
            Err(StoreError::Unsupported(why)) => why,
            other => panic!("{raw:?} should be refused, got {other:?}"),
        }
    }

    #[test]
    fn paths_and_sqlite_urls_name_a_file() {
        assert_eq!(sqlite("data/p.db"), PathBuf::from("data/p.db"));
        assert_eq!(sqlite("/abs/p.db"), PathBuf::from("/abs/p.db"));
        assert_eq!(sqlite("sqlite:///abs/p.db"), PathBuf::from("/abs/p.db"));
        assert_eq!(sqlite("sqlite://rel/p.db"), PathBuf::from("rel/p.db"));
        assert_eq!(sqlite("SQLite:p.db"), PathBuf::from("p.db"));
        assert_eq!(sqlite("C:\\data\\p.db"), PathBuf::from("C:\\data\\p.db"));
        assert_eq!(sqlite("backup:2026.db"), PathBuf::from("backup:2026.db"));
    }

    #[test]
    fn passwords_are_not_shown() {
        assert_eq!(
            shown("postgres://app:s3cret@db.internal:5432/pendulum"),
            "postgres://app:***@db.internal:5432/pendulum"
        );
        assert_eq!(
            shown("postgresql://db/pendulum?user=app&password=s3cret&sslmode=require"),
            "postgresql://db/pendulum?user=app&password=***&sslmode=require"
        );
        assert_eq!(shown("postgres://app@db/p"), "postgres://app@db/p");
        assert_eq!(shown("/data/p:w.db"), "/data/p:w.db");
        assert_eq!(shown("sqlite:///data/p.db"), "sqlite:///data/p.db");
    }

    #[test]
    fn other_schemes_and_odd_sqlite_urls_are_refused_with_a_way_out() {
        assert_eq!(
            Location::parse("postgres://u@h/db").unwrap(),
            Location::Postgres("postgres://u@h/db".into())
        );
        assert_eq!(
            Location::parse("PostgreSQL://h/db").unwrap(),
            Location::Postgres("PostgreSQL://h/db".into())
        );
        assert!(refusal("mysql://h/db").contains("mysql://"));
        assert!(refusal("sqlite::memory:").contains("in-memory"));
        assert!(refusal("sqlite://p.db?mode=ro").contains("options"));
        assert!(refusal("sqlite://").contains("names no database file"));
        assert!(refusal("  ").contains("empty"));
    }
}
