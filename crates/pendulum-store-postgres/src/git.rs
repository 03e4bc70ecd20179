//! What git ingests remember between runs: the repositories' tips and mailmaps, and every
//! commit read, in commit packs (pendulum-store's `commit_pack`, the same bytes as SQLite
//! keeps). Written in the transaction of the evidence computed from them, so the two never
//! disagree.

use std::sync::Arc;

use pendulum_core::{CommitId, GitCommit, GitIngestWrite, GitRepository, GitSources};
use sqlx::Row;
use sqlx::postgres::{PgConnection, PgPool};

use pendulum_store::StoreError;
use pendulum_store::commit_pack;

use super::erase::names_any;

/// The key of the identities digest in the `settings` table.
const IDENTITIES_KEY: &str = "git_identities";

/// The key of the flag "every commit kept has its lines counted" in `settings`.
const LINES_COUNTED_KEY: &str = "git_lines_counted";

/// More packs than this are merged into one when an ingest writes: each ingest appends a
/// pack, and reading many small ones costs a row and a string table each.
const MAX_PACKS: i64 = 32;

pub(super) async fn sources(pool: &PgPool) -> Result<GitSources, StoreError> {
    let rows =
        sqlx::query("SELECT path, tips, shallow, mailmap FROM git_repositories ORDER BY path")
            .fetch_all(pool)
            .await?;
    let mut repositories = Vec::with_capacity(rows.len());
    for row in rows {
        let path: String = row.try_get(0)?;
        let tips: Vec<u8> = row.try_get(1)?;
        repositories.push(GitRepository {
            tips: ids(&tips).ok_or_else(|| StoreError::Corrupt {
                table: "git_repositories",
                key: format!("path={path}"),
                message: "column tips: not a list of 20-byte object ids".to_owned(),
            })?,
            shallow: row.try_get(2)?,
            mailmap: row.try_get(3)?,
            path,
        });
    }
    let setting = |key| {
        sqlx::query_scalar::<_, String>("SELECT value FROM settings WHERE key = $1")
            .bind(key)
            .fetch_optional(pool)
    };
    Ok(GitSources {
        repositories,
        identities: setting(IDENTITIES_KEY).await?,
        lines_counted: setting(LINES_COUNTED_KEY).await?.as_deref() == Some("yes"),
    })
}

pub(super) async fn commits(pool: &PgPool) -> Result<Vec<GitCommit>, StoreError> {
    let mut conn = pool.acquire().await?;
    let packs = packs(&mut conn).await?;
    decode(&packs)
}

async fn packs(conn: &mut PgConnection) -> Result<Vec<(i64, Vec<u8>)>, StoreError> {
    Ok(
        sqlx::query_as("SELECT seq, data FROM git_commit_packs ORDER BY seq")
            .fetch_all(conn)
            .await?,
    )
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
    conn: &mut PgConnection,
    write: &GitIngestWrite<'_>,
) -> Result<(), StoreError> {
    let repositories = &write.repositories;
    if !repositories.is_empty() {
        use sqlx::postgres::PgBindIterExt as _;
        sqlx::query(
            "INSERT INTO git_repositories (path, tips, shallow, mailmap) \
             SELECT * FROM UNNEST($1::text[], $2::bytea[], $3::boolean[], $4::text[]) \
             ON CONFLICT (path) DO UPDATE SET tips = excluded.tips, \
             shallow = excluded.shallow, mailmap = excluded.mailmap",
        )
        .bind(repositories.iter().map(|r| r.path.as_str()).bind_iter())
        .bind(repositories.iter().map(|r| r.tips.concat()).bind_iter())
        .bind(repositories.iter().map(|r| r.shallow).bind_iter())
        .bind(repositories.iter().map(|r| r.mailmap.as_str()).bind_iter())
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
            "INSERT INTO settings (key, value) VALUES ($1, $2) \
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
    conn: &mut PgConnection,
    commits: &[GitCommit],
    counted: &[commit_pack::Counted],
) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO git_commit_packs (commits, data) VALUES ($1, $2)")
        .bind(i64::try_from(commits.len()).unwrap_or(i64::MAX))
        .bind(commit_pack::encode(commits, counted))
        .execute(conn)
        .await?;
    Ok(())
}

/// Replaces, in every commit kept, an author or co-author that any of `names` names with
/// `with`, and gives how many commits changed. The commits stay, so that the next ingest
/// does not read them again; the packs are written anew as one.
pub(super) async fn erase_authors(
    conn: &mut PgConnection,
    names: &[String],
    with: &str,
) -> Result<u64, StoreError> {
    let mut commits = decode(&packs(conn).await?)?;
    let erased: Arc<str> = Arc::from(with);
    let mut changed = 0;
    for c in &mut commits {
        let mut touched = false;
        if names_any(&c.author_email, names) || names_any(&c.author_name, names) {
            c.author_email = Arc::clone(&erased);
            c.author_name = Arc::clone(&erased);
            touched = true;
        }
        let before = c.coauthors.len();
        c.coauthors.retain(|value| !names_any(value, names));
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
async fn compact(conn: &mut PgConnection) -> Result<(), StoreError> {
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM git_commit_packs")
        .fetch_one(&mut *conn)
        .await?;
    if count <= MAX_PACKS {
        return Ok(());
    }
    let commits = decode(&packs(conn).await?)?;
    sqlx::query("DELETE FROM git_commit_packs")
        .execute(&mut *conn)
        .await?;
    append_pack(conn, &commits, &[]).await
}

/// Concatenated 20-byte ids, split.
fn ids(bytes: &[u8]) -> Option<Vec<CommitId>> {
    if !bytes.len().is_multiple_of(20) {
        return None;
    }
    bytes
        .chunks_exact(20)
        .map(|c| CommitId::try_from(c).ok())
        .collect()
}
