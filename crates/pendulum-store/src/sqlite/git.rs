//! What git ingests remember between runs: the repositories' tips and mailmaps, and every
//! commit read. Written in the transaction of the evidence computed from them, so the two
//! never disagree.

use pendulum_core::{CommitId, GitCommit, GitIngestWrite, GitRepository, GitSources, YearMonth};
use sqlx::Row;
use sqlx::sqlite::{SqliteConnection, SqlitePool};

use super::write::{Table, insert};
use crate::StoreError;

/// The key of the identities digest in the `settings` table.
const IDENTITIES_KEY: &str = "git_identities";

const COMMITS: Table = Table {
    name: "git_commits",
    columns: &[
        "id",
        "parents",
        "month",
        "author_name",
        "author_email",
        "coauthors",
        "lines_added",
        "lines_removed",
    ],
};

pub(super) async fn sources(pool: &SqlitePool) -> Result<GitSources, StoreError> {
    let rows =
        sqlx::query("SELECT path, tips, shallow, mailmap FROM git_repositories ORDER BY path")
            .fetch_all(pool)
            .await?;
    let mut repositories = Vec::with_capacity(rows.len());
    for row in rows {
        let path: String = row.try_get(0)?;
        let tips: Vec<u8> = row.try_get(1)?;
        repositories.push(GitRepository {
            tips: ids(&tips).ok_or_else(|| corrupt("git_repositories", &path, "tips"))?,
            shallow: row.try_get(2)?,
            mailmap: row.try_get(3)?,
            path,
        });
    }
    let identities = sqlx::query_scalar("SELECT value FROM settings WHERE key = ?")
        .bind(IDENTITIES_KEY)
        .fetch_optional(pool)
        .await?;
    Ok(GitSources {
        repositories,
        identities,
    })
}

pub(super) async fn commits(pool: &SqlitePool) -> Result<Vec<GitCommit>, StoreError> {
    let rows = sqlx::query(
        "SELECT id, parents, month, author_name, author_email, coauthors, lines_added, \
         lines_removed FROM git_commits",
    )
    .fetch_all(pool)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let id: Vec<u8> = row.try_get(0)?;
        let key = hex(&id);
        let bad = |column| corrupt("git_commits", &key, column);
        let parents: Vec<u8> = row.try_get(1)?;
        let month: String = row.try_get(2)?;
        let coauthors: String = row.try_get(5)?;
        let added: Option<i64> = row.try_get(6)?;
        let removed: Option<i64> = row.try_get(7)?;
        out.push(GitCommit {
            id: id.as_slice().try_into().map_err(|_| bad("id"))?,
            parents: ids(&parents).ok_or_else(|| bad("parents"))?,
            month: YearMonth::parse(&month).map_err(|_| bad("month"))?,
            author_name: row.try_get(3)?,
            author_email: row.try_get(4)?,
            coauthors: coauthors.lines().map(str::to_owned).collect(),
            lines: match (added, removed) {
                (Some(a), Some(r)) => Some((
                    u64::try_from(a).map_err(|_| bad("lines_added"))?,
                    u64::try_from(r).map_err(|_| bad("lines_removed"))?,
                )),
                _ => None,
            },
        });
    }
    Ok(out)
}

/// Writes the remembered state of an ingest, inside the caller's transaction.
pub(super) async fn write(
    conn: &mut SqliteConnection,
    write: &GitIngestWrite,
) -> Result<(), StoreError> {
    for repository in &write.repositories {
        sqlx::query(
            "INSERT INTO git_repositories (path, tips, shallow, mailmap) VALUES (?, ?, ?, ?) \
             ON CONFLICT (path) DO UPDATE SET tips = excluded.tips, \
             shallow = excluded.shallow, mailmap = excluded.mailmap",
        )
        .bind(repository.path.as_str())
        .bind(repository.tips.concat())
        .bind(repository.shallow)
        .bind(repository.mailmap.as_str())
        .execute(&mut *conn)
        .await?;
    }
    insert(conn, &COMMITS, &write.commits, |c: &GitCommit, row| {
        use sqlx::Arguments;
        row.add(c.id.to_vec())?;
        row.add(c.parents.concat())?;
        row.add(c.month.to_string())?;
        row.add(c.author_name.as_str())?;
        row.add(c.author_email.as_str())?;
        row.add(c.coauthors.join("\n"))?;
        row.add(c.lines.map(|(a, _)| i64::try_from(a).unwrap_or(i64::MAX)))?;
        row.add(c.lines.map(|(_, r)| i64::try_from(r).unwrap_or(i64::MAX)))
    })
    .await?;
    for (id, (added, removed)) in &write.counted {
        sqlx::query("UPDATE git_commits SET lines_added = ?, lines_removed = ? WHERE id = ?")
            .bind(i64::try_from(*added).unwrap_or(i64::MAX))
            .bind(i64::try_from(*removed).unwrap_or(i64::MAX))
            .bind(id.to_vec())
            .execute(&mut *conn)
            .await?;
    }
    sqlx::query(
        "INSERT INTO settings (key, value) VALUES (?, ?) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )
    .bind(IDENTITIES_KEY)
    .bind(write.identities.as_str())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Concatenated 20-byte ids, split.
fn ids(bytes: &[u8]) -> Option<Vec<CommitId>> {
    if !bytes.len().is_multiple_of(20) {
        return None;
    }
    Some(
        bytes
            .chunks_exact(20)
            .map(|c| c.try_into().expect("chunks of 20"))
            .collect(),
    )
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn corrupt(table: &'static str, key: &str, column: &str) -> StoreError {
    StoreError::Corrupt {
        table,
        key: key.to_owned(),
        message: format!("{column} does not parse"),
    }
}
