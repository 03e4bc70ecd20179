//! What git ingests and the people read alone must give back on every backend.

use pendulum_core::{
    Change, GitCommit, GitIngestWrite, GitRepository, GitSources, Ladder, YearMonth,
};

use super::sample;
use crate::Store;

/// `people` reads the people with their aliases, as `ledger` would, and nothing else.
pub async fn people_read_alone_match_the_ledger(store: &impl Store) {
    let change = sample();
    store.apply(&change).await.unwrap();
    let ladder = Ladder::default();
    let ledger = store.ledger(&ladder).await.unwrap();
    let mut people = store.people(&ladder).await.unwrap();
    people.sort_by(|a, b| a.id.cmp(&b.id));
    let mut expected = ledger.people().to_vec();
    expected.sort_by(|a, b| a.id.cmp(&b.id));
    assert_eq!(people, expected);
}

fn git_commit(n: u8, parents: &[u8], lines: Option<(u64, u64)>) -> GitCommit {
    GitCommit {
        id: [n; 20],
        parents: parents.iter().map(|&p| [p; 20]).collect(),
        month: YearMonth::parse("2026-02").unwrap(),
        author_name: format!("Dev {}", n % 3).into(),
        author_email: format!("dev{}@example.com", n % 3).into(),
        coauthors: vec![format!("Pair {n} <pair{n}@example.com>")],
        lines,
    }
}

/// Evidence computed at once, for [`Store::ingest_git`].
fn evidence(change: Change) -> std::future::Ready<Option<Change>> {
    std::future::ready(Some(change))
}

/// A git ingest whose evidence does not come writes nothing: neither the evidence rows
/// nor the repositories and commits written before it was given up.
pub async fn an_abandoned_git_ingest_writes_nothing(store: &impl Store) {
    store.apply(&sample()).await.unwrap();
    let revision = store.revision().await.unwrap();
    let commits = [git_commit(1, &[], None)];
    let write = GitIngestWrite {
        repositories: vec![GitRepository {
            path: "/a".into(),
            tips: vec![[1; 20]],
            shallow: false,
            mailmap: String::new(),
        }],
        commits: &commits,
        identities: "digest".into(),
        ..GitIngestWrite::default()
    };
    store
        .ingest_git(&write, std::future::ready(None))
        .await
        .unwrap();
    assert_eq!(store.git_sources().await.unwrap(), GitSources::default());
    assert!(store.git_commits().await.unwrap().is_empty());
    assert_eq!(store.revision().await.unwrap(), revision);
    // The store is free for the next write.
    store
        .ingest_git(&write, evidence(Change::default()))
        .await
        .unwrap();
    assert_eq!(store.git_commits().await.unwrap(), commits);
}

/// What a git ingest remembers comes back whole across ingests: repositories replaced by
/// path, commits appended, line counts of kept commits applied, the digest and the flag.
pub async fn git_ingests_remember_repositories_and_commits(store: &impl Store) {
    assert_eq!(store.git_sources().await.unwrap(), GitSources::default());
    assert!(store.git_commits().await.unwrap().is_empty());
    let repo = |path: &str, tips: &[u8]| GitRepository {
        path: path.into(),
        tips: tips.iter().map(|&t| [t; 20]).collect(),
        shallow: path.contains("shallow"),
        mailmap: "Dev 0 <dev0@example.com> <old@example.com>\n".into(),
    };
    let first = GitIngestWrite {
        repositories: vec![repo("/a", &[2]), repo("/shallow", &[1])],
        commits: &[git_commit(1, &[], None), git_commit(2, &[1], Some((3, 4)))],
        counted: Vec::new(),
        identities: "digest-1".into(),
        lines_counted: false,
    };
    store
        .ingest_git(&first, evidence(Change::default()))
        .await
        .unwrap();
    let second = GitIngestWrite {
        repositories: vec![repo("/a", &[3])],
        commits: &[git_commit(3, &[1, 2], None)],
        counted: vec![([1; 20], (5, 6))],
        identities: "digest-2".into(),
        lines_counted: true,
    };
    store
        .ingest_git(&second, evidence(Change::default()))
        .await
        .unwrap();

    let sources = store.git_sources().await.unwrap();
    assert_eq!(
        sources.repositories,
        vec![repo("/a", &[3]), repo("/shallow", &[1])]
    );
    assert_eq!(sources.identities.as_deref(), Some("digest-2"));
    assert!(sources.lines_counted);
    let mut commits = store.git_commits().await.unwrap();
    commits.sort_by_key(|c| c.id);
    assert_eq!(
        commits,
        vec![
            git_commit(1, &[], Some((5, 6))),
            git_commit(2, &[1], Some((3, 4))),
            git_commit(3, &[1, 2], None),
        ]
    );
}

/// However many ingests wrote commits, every commit reads back once, in the order written.
pub async fn many_small_git_ingests_read_back_whole(store: &impl Store) {
    let mut written = Vec::new();
    for n in 1..=80u8 {
        let commit = git_commit(n, &[n - 1], None);
        let write = GitIngestWrite {
            commits: std::slice::from_ref(&commit),
            identities: "d".into(),
            ..GitIngestWrite::default()
        };
        store
            .ingest_git(&write, evidence(Change::default()))
            .await
            .unwrap();
        written.push(commit);
    }
    assert_eq!(store.git_commits().await.unwrap(), written);
}
