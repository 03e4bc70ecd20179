//! What git ingests remember between runs: the repositories' tips and mailmaps, and every
//! commit read, in commit packs. Written in the transaction of the evidence computed from
//! them, so the two never disagree.

use pendulum_core::{CommitId, GitCommit, GitIngestWrite, GitRepository, GitSources, YearMonth};
use sqlx::Row;
use sqlx::sqlite::{SqliteConnection, SqlitePool};

use pendulum_store::StoreError;
use pendulum_store::commit_pack;

/// The key of the identities digest in the `settings` table.
const IDENTITIES_KEY: &str = "git_identities";

/// The key of the flag "every commit kept has its lines counted" in `settings`.
const LINES_COUNTED_KEY: &str = "git_lines_counted";

/// How the identities digest used to say that lines were counted, before the flag had a
/// key of its own.
const LEGACY_LINES_SUFFIX: &str = "+lines";

/// More packs than this are merged into one when an ingest writes: each ingest appends a
/// pack, and reading many small ones costs a statement and a string table each.
const MAX_PACKS: i64 = 32;

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
    let setting = |key| {
        sqlx::query_scalar::<_, String>("SELECT value FROM settings WHERE key = ?")
            .bind(key)
            .fetch_optional(pool)
    };
    let mut identities = setting(IDENTITIES_KEY).await?;
    let mut lines_counted = setting(LINES_COUNTED_KEY).await?.as_deref() == Some("yes");
    if let Some(digest) = identities
        .as_deref()
        .and_then(|d| d.strip_suffix(LEGACY_LINES_SUFFIX))
    {
        lines_counted = true;
        identities = Some(digest.to_owned());
    }
    Ok(GitSources {
        repositories,
        identities,
        lines_counted,
    })
}

pub(super) async fn commits(pool: &SqlitePool) -> Result<Vec<GitCommit>, StoreError> {
    let packs: Vec<(i64, Vec<u8>)> =
        sqlx::query_as("SELECT seq, data FROM git_commit_packs ORDER BY seq")
            .fetch_all(pool)
            .await?;
    decode(&packs)
}

fn decode(packs: &[(i64, Vec<u8>)]) -> Result<Vec<GitCommit>, StoreError> {
    commit_pack::decode_all(packs.iter().map(|(_, d)| d.as_slice())).map_err(|e| {
        StoreError::Corrupt {
            table: "git_commit_packs",
            key: format!("seq={}", packs[e.pack].0),
            message: e.to_string(),
        }
    })
}

/// Writes the remembered state of an ingest, inside the caller's transaction.
pub(super) async fn write(
    conn: &mut SqliteConnection,
    write: &GitIngestWrite<'_>,
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
    if !write.commits.is_empty() || !write.counted.is_empty() {
        append_pack(conn, write.commits, &write.counted).await?;
        compact(conn).await?;
    }
    for (key, value) in [
        (IDENTITIES_KEY, write.identities.as_str()),
        (
            LINES_COUNTED_KEY,
            if write.lines_counted { "yes" } else { "no" },
        ),
    ] {
        sqlx::query(
            "INSERT INTO settings (key, value) VALUES (?, ?) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(key)
        .bind(value)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

async fn append_pack(
    conn: &mut SqliteConnection,
    commits: &[GitCommit],
    counted: &[commit_pack::Counted],
) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO git_commit_packs (commits, data) VALUES (?, ?)")
        .bind(i64::try_from(commits.len()).unwrap_or(i64::MAX))
        .bind(commit_pack::encode(commits, counted))
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Replaces, in every commit kept, an author or co-author that any of `names` names with
/// `with`, and gives how many commits changed. The commits stay, so that the next ingest
/// does not read them again; the packs are written anew as one.
pub(super) async fn erase_authors(
    conn: &mut SqliteConnection,
    names: &[String],
    with: &str,
) -> Result<u64, StoreError> {
    let packs: Vec<(i64, Vec<u8>)> =
        sqlx::query_as("SELECT seq, data FROM git_commit_packs ORDER BY seq")
            .fetch_all(&mut *conn)
            .await?;
    let mut commits = decode(&packs)?;
    let erased: std::sync::Arc<str> = std::sync::Arc::from(with);
    let mut changed = 0;
    for c in &mut commits {
        let mut touched = false;
        if super::erase::names_any(&c.author_email, names)
            || super::erase::names_any(&c.author_name, names)
        {
            c.author_email = std::sync::Arc::clone(&erased);
            c.author_name = std::sync::Arc::clone(&erased);
            touched = true;
        }
        let before = c.coauthors.len();
        c.coauthors
            .retain(|value| !super::erase::names_any(value, names));
        touched |= c.coauthors.len() != before;
        changed += u64::from(touched);
    }
    if changed > 0 {
        sqlx::query("DELETE FROM git_commit_packs")
            .execute(&mut *conn)
            .await?;
        append_pack(conn, &commits, &[]).await?;
    }
    Ok(changed)
}

/// Merges the packs into one when there are too many.
async fn compact(conn: &mut SqliteConnection) -> Result<(), StoreError> {
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM git_commit_packs")
        .fetch_one(&mut *conn)
        .await?;
    if count <= MAX_PACKS {
        return Ok(());
    }
    let packs: Vec<(i64, Vec<u8>)> =
        sqlx::query_as("SELECT seq, data FROM git_commit_packs ORDER BY seq")
            .fetch_all(&mut *conn)
            .await?;
    let commits = decode(&packs)?;
    sqlx::query("DELETE FROM git_commit_packs")
        .execute(&mut *conn)
        .await?;
    append_pack(conn, &commits, &[]).await
}

/// Moves the rows of the table that kept one commit a row before commit packs into a pack,
/// then drops the table. Runs on every open; with no such table it is one lookup.
pub(super) async fn migrate_commit_rows(pool: &SqlitePool) -> Result<(), StoreError> {
    let exists: Option<i64> = sqlx::query_scalar(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'git_commits'",
    )
    .fetch_optional(pool)
    .await?;
    if exists.is_none() {
        return Ok(());
    }
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let rows = sqlx::query(
        "SELECT id, parents, month, author_name, author_email, coauthors, lines_added, \
         lines_removed FROM git_commits",
    )
    .fetch_all(&mut *tx)
    .await?;
    let mut commits = Vec::with_capacity(rows.len());
    for row in rows {
        let id: Vec<u8> = row.try_get(0)?;
        let key = hex(&id);
        let bad = |column| corrupt("git_commits", &key, column);
        let parents: Vec<u8> = row.try_get(1)?;
        let month: String = row.try_get(2)?;
        let name: String = row.try_get(3)?;
        let email: String = row.try_get(4)?;
        let coauthors: String = row.try_get(5)?;
        let added: Option<i64> = row.try_get(6)?;
        let removed: Option<i64> = row.try_get(7)?;
        commits.push(GitCommit {
            id: id.as_slice().try_into().map_err(|_| bad("id"))?,
            parents: ids(&parents).ok_or_else(|| bad("parents"))?,
            month: YearMonth::parse(&month).map_err(|_| bad("month"))?,
            author_name: name.into(),
            author_email: email.into(),
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
    if !commits.is_empty() {
        append_pack(&mut tx, &commits, &[]).await?;
    }
    sqlx::query("DROP TABLE git_commits")
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
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
