//! Every table a store keeps, named the same way by every backend, with each column's kind:
//! what `pendulum db copy` moves from one database to another.
//!
//! Each backend lays a kind out in its own types (a day is `TEXT` in SQLite and `date` in
//! PostgreSQL), and gives and takes it as the one neutral [`Value`] listed here, so that a
//! copy between any two backends is a table-by-table move of values, with no backend knowing
//! the other. The list is in the order a copy writes the tables, every table after the ones
//! its rows refer to. Each backend's tests check that its schema has exactly these tables and
//! columns, so a table added later cannot be left out of copies.

/// How a column's values are carried between backends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// [`Value::Text`].
    Text,
    /// [`Value::Int`].
    Int,
    /// [`Value::Real`].
    Real,
    /// [`Value::Bytes`].
    Bytes,
    /// A day, as [`Value::Text`] `YYYY-MM-DD`.
    Date,
    /// Yes or no, as [`Value::Int`] 0 or 1.
    Flag,
    /// A moment in UTC, as [`Value::Text`] `YYYY-MM-DD HH:MM:SS`.
    Time,
}

/// One value of one cell, in the form every backend gives and takes.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    Bytes(Vec<u8>),
}

/// A column: its name and kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub name: &'static str,
    pub kind: Kind,
}

/// A table: its name, its columns in order, and the columns of its key, by which its rows
/// are read in a stable order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Table {
    pub name: &'static str,
    pub columns: &'static [Column],
    pub key: &'static [&'static str],
}

/// The rows of one table, each with a value per column of the table, in order.
pub type Rows = Vec<Vec<Value>>;

const fn col(name: &'static str, kind: Kind) -> Column {
    Column { name, kind }
}

use Kind::{Bytes, Date, Flag, Int, Real, Text, Time};

/// Every table, in the order a copy writes them.
pub const TABLES: &[Table] = &[
    Table {
        name: "settings",
        columns: &[col("key", Text), col("value", Text)],
        key: &["key"],
    },
    Table {
        name: "teams",
        columns: &[col("id", Text), col("name", Text), col("parent", Text)],
        key: &["id"],
    },
    Table {
        name: "people",
        columns: &[
            col("id", Text),
            col("name", Text),
            col("email", Text),
            col("level", Text),
            col("team", Text),
            col("manager", Text),
            col("willing_to_manage", Text),
            col("willing_since", Date),
            col("left_on", Date),
            col("leave_reason", Text),
        ],
        key: &["id"],
    },
    Table {
        name: "person_aliases",
        columns: &[
            col("person", Text),
            col("position", Int),
            col("email", Text),
        ],
        key: &["person", "position"],
    },
    Table {
        name: "stints",
        columns: &[
            col("person", Text),
            col("start_date", Date),
            col("end_date", Date),
            col("role", Text),
            col("team", Text),
            col("level", Text),
            col("chosen", Flag),
            col("trial_end", Date),
            col("band", Int),
            col("org", Text),
        ],
        key: &["person", "start_date"],
    },
    Table {
        name: "checkins",
        columns: &[
            col("id", Int),
            col("person", Text),
            col("day", Date),
            col("joy", Int),
            col("energy", Int),
            col("learning", Int),
            col("note", Text),
        ],
        key: &["id"],
    },
    Table {
        name: "git_evidence",
        columns: &[
            col("person", Text),
            col("month", Text),
            col("commits", Int),
            col("merges", Int),
            col("coauthored", Int),
            col("repositories", Int),
            col("lines_added", Int),
            col("lines_removed", Int),
            col("partial", Flag),
        ],
        key: &["person", "month"],
    },
    Table {
        name: "calendar_evidence",
        columns: &[
            col("person", Text),
            col("week", Text),
            col("meeting_hours", Real),
            col("focus_hours", Real),
            col("fragmented_hours", Real),
            col("after_hours", Real),
        ],
        key: &["person", "week"],
    },
    Table {
        name: "willing_answers",
        columns: &[col("person", Text), col("day", Date), col("answer", Text)],
        key: &["person", "day"],
    },
    Table {
        name: "accounts",
        columns: &[
            col("email", Text),
            col("role", Text),
            col("person", Text),
            col("password_hash", Text),
            col("disabled", Flag),
            col("created_at", Time),
        ],
        key: &["email"],
    },
    Table {
        name: "api_tokens",
        columns: &[
            col("id", Text),
            col("account", Text),
            col("secret_hash", Text),
            col("created_at", Time),
            col("revoked_at", Time),
        ],
        key: &["id"],
    },
    Table {
        name: "sessions",
        columns: &[
            col("id_hash", Text),
            col("account", Text),
            col("csrf", Text),
            col("created_at", Int),
            col("last_seen", Int),
        ],
        key: &["id_hash"],
    },
    Table {
        name: "reflections",
        columns: &[
            col("id", Int),
            col("account", Text),
            // A day, kept as the text the page sent.
            col("day", Text),
            col("answers", Text),
        ],
        key: &["id"],
    },
    Table {
        name: "audit_log",
        columns: &[
            col("id", Int),
            col("at", Time),
            col("actor", Text),
            col("action", Text),
            col("subject", Text),
            col("outcome", Text),
        ],
        key: &["id"],
    },
    Table {
        name: "corrections",
        columns: &[
            col("id", Int),
            col("at", Time),
            col("actor", Text),
            col("person", Text),
            col("record", Text),
            col("field", Text),
            col("before", Text),
            col("after", Text),
        ],
        key: &["id"],
    },
    Table {
        name: "git_repositories",
        columns: &[
            col("path", Text),
            col("tips", Bytes),
            col("shallow", Flag),
            col("mailmap", Text),
        ],
        key: &["path"],
    },
    Table {
        name: "git_commit_packs",
        columns: &[col("seq", Int), col("commits", Int), col("data", Bytes)],
        key: &["seq"],
    },
    Table {
        name: "pulse_tallies",
        columns: &[
            col("year", Int),
            col("grp", Text),
            col("statement", Text),
            col("score", Int),
            col("answers", Int),
        ],
        key: &["year", "grp", "statement", "score"],
    },
    Table {
        name: "pulse_participation",
        columns: &[col("account", Text), col("year", Int)],
        key: &["account", "year"],
    },
    Table {
        name: "pulse_closed",
        columns: &[col("year", Int), col("closed_at", Time)],
        key: &["year"],
    },
];

/// The table of this name.
pub fn table(name: &str) -> Option<&'static Table> {
    TABLES.iter().find(|t| t.name == name)
}
