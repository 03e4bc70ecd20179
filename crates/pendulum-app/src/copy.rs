//! `pendulum db copy`: everything one database holds, moved into another, empty one.

use pendulum_store::tables::TABLES;
use pendulum_store::{Store, StoreError};

/// What a copy moved: each table's name and its number of rows, in the order written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Copied {
    pub tables: Vec<(&'static str, usize)>,
}

impl Copied {
    /// Rows moved in all.
    pub fn rows(&self) -> usize {
        self.tables.iter().map(|(_, n)| n).sum()
    }
}

/// Copies every table of `from` into `to`, which must be empty, in one transaction on the
/// target: afterwards both hold the same ledger, accounts, sessions, history and audit log.
/// `from` is read table by table while others may write to it, so copy from a database no
/// one is writing to (a stopped server) for a copy of one moment.
pub async fn copy(from: &impl Store, to: &impl Store) -> Result<Copied, StoreError> {
    let mut tables = Vec::with_capacity(TABLES.len());
    for table in TABLES {
        tables.push((table, from.dump_table(table).await?));
    }
    let copied = Copied {
        tables: tables
            .iter()
            .map(|(t, rows)| (t.name, rows.len()))
            .collect(),
    };
    to.restore(&tables).await?;
    Ok(copied)
}
