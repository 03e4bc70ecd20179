//! Evidence from real repositories built with the `git` command, checked against what
//! `git log` itself reports with the same mailmap.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use pendulum_core::policy::Git;
use pendulum_core::{Email, GitMonth, GitRepository, Person, PersonId, Willingness};
use pendulum_ingest::git::{
    History, Identities, IngestError, Progress, ReadOptions, discover, evidence, probe,
    read_new_commits,
};

fn git(dir: &Path, args: &[&str]) -> String {
    git_env(dir, args, &[])
}

fn git_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> String {
    let out = Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_COMMITTER_NAME", "Committer")
        .env("GIT_COMMITTER_EMAIL", "committer@example.com")
        .envs(env.iter().copied())
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Commits a change to `file` as `author` (`Name <email>`) at `date` (`seconds +zone`).
fn commit(dir: &Path, author: &str, date: &str, message: &str) {
    let (name, email) = author.split_once(" <").unwrap();
    let email = email.trim_end_matches('>');
    // A file of its own per commit, so that branches always merge cleanly.
    static FILES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let file = format!(
        "{}.txt",
        FILES.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    );
    std::fs::write(dir.join(&file), format!("{message}\n")).unwrap();
    git(dir, &["add", &file]);
    git_env(
        dir,
        &["commit", "-q", "-m", message],
        &[
            ("GIT_AUTHOR_NAME", name),
            ("GIT_AUTHOR_EMAIL", email),
            ("GIT_AUTHOR_DATE", date),
            ("GIT_COMMITTER_DATE", date),
        ],
    );
}

fn init(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    git(dir, &["init", "-q", "-b", "main"]);
}

fn person(id: &str, email: &str, aliases: &[&str]) -> Person {
    Person {
        willing_since: None,
        id: PersonId::parse(id).unwrap(),
        name: id.to_owned(),
        email: Email::parse(email).unwrap(),
        aliases: aliases.iter().map(|a| Email::parse(a).unwrap()).collect(),
        level: pendulum_core::Ladder::default().level("L4").unwrap(),
        team: None,
        manager: None,
        willing_to_manage: Willingness::Unknown,
        departure: None,
    }
}

fn people() -> Vec<Person> {
    vec![
        person("ada", "ada@example.com", &["ada@home.example"]),
        person("bob", "bob@example.com", &[]),
        person("cy", "cy@example.com", &[]),
    ]
}

/// The evidence rows, the whole evidence, the repositories probed, the commits read.
type Ingested = (
    Vec<GitMonth>,
    pendulum_ingest::git::Evidence,
    Vec<GitRepository>,
    u64,
);

/// One ingest over `paths` on top of `history`; returns the evidence and the repositories.
fn ingest(paths: &[&Path], history: &mut History) -> Result<Ingested, IngestError> {
    ingest_with(paths, history, ReadOptions::default())
}

/// [`ingest`], with line counts when `options` ask for them.
fn ingest_with(
    paths: &[&Path],
    history: &mut History,
    options: ReadOptions,
) -> Result<Ingested, IngestError> {
    let paths: Vec<PathBuf> = paths.iter().map(|p| p.to_path_buf()).collect();
    let repos = probe(&discover(&paths)?)?;
    let progress = Progress::default();
    let new = read_new_commits(&repos, history, &progress, options)?;
    let read = new.len() as u64;
    history.extend(new);
    let ids = Identities::new(&people(), &Git::default());
    let ev = evidence(&repos, history, &ids);
    Ok((ev.months.clone(), ev, repos, read))
}

/// `git log` over branches and tags without merges, months as `YYYY-MM`, mailmap applied.
fn git_log(repo: &Path, format: &str, numstat: bool) -> String {
    let format = format!("--format={format}");
    let mut args = vec![
        "log",
        "--branches",
        "--tags",
        "--no-merges",
        "--date=format:%Y-%m",
        &format,
    ];
    if numstat {
        args.push("--numstat");
    }
    git(repo, &args)
}

/// The id of the person an email belongs to, ignoring case.
fn person_of(people: &[Person], email: &str) -> Option<String> {
    let email = email.to_lowercase();
    people
        .iter()
        .find(|p| p.email.as_str() == email || p.aliases.iter().any(|a| a.as_str() == email))
        .map(|p| p.id.to_string())
}

/// `person month -> commits` as git log counts them (non-merges, mailmap applied).
fn git_log_counts(repos: &[&Path]) -> BTreeMap<(String, String), u32> {
    let people = people();
    let mut seen = std::collections::HashSet::new();
    let mut out = BTreeMap::new();
    for repo in repos {
        for line in git_log(repo, "%H %aE %ad", false).lines() {
            let mut parts = line.split(' ');
            let (id, email, month) = (
                parts.next().unwrap(),
                parts.next().unwrap(),
                parts.next().unwrap(),
            );
            if !seen.insert(id.to_owned()) {
                continue;
            }
            if let Some(p) = person_of(&people, email) {
                *out.entry((p, month.to_owned())).or_default() += 1;
            }
        }
    }
    out
}

/// `person month -> (lines added, lines removed)` as `git log --numstat` counts them.
fn git_log_lines(repo: &Path) -> BTreeMap<(String, String), (u64, u64)> {
    let people = people();
    let mut out = BTreeMap::new();
    let mut who: Option<(String, String)> = None;
    for line in git_log(repo, "@%aE %ad", true)
        .lines()
        .filter(|l| !l.is_empty())
    {
        if let Some(header) = line.strip_prefix('@') {
            let (email, month) = header.split_once(' ').unwrap();
            who = person_of(&people, email).map(|p| (p, month.to_owned()));
            if let Some(key) = &who {
                out.entry(key.clone()).or_insert((0, 0));
            }
            continue;
        }
        let mut parts = line.split('\t');
        // Binary files show `-`: no lines.
        let added: u64 = parts.next().unwrap().parse().unwrap_or(0);
        let removed: u64 = parts.next().unwrap().parse().unwrap_or(0);
        if let Some(key) = &who {
            let entry = out.get_mut(key).unwrap();
            entry.0 += added;
            entry.1 += removed;
        }
    }
    out
}

fn our_lines(months: &[GitMonth]) -> BTreeMap<(String, String), (u64, u64)> {
    months
        .iter()
        .filter(|m| m.commits > 0)
        .map(|m| {
            (
                (m.person.to_string(), m.month.to_string()),
                (m.lines_added.unwrap(), m.lines_removed.unwrap()),
            )
        })
        .collect()
}

/// Edits, a rename with an edit, a deletion and a binary file on top of the rich repository.
fn edited_repository(dir: &Path) {
    rich_repository(dir);
    let as_author = |author: &str, date: &str, message: &str| {
        let (name, email) = author.split_once(" <").unwrap();
        git(dir, &["add", "-A"]);
        git_env(
            dir,
            &["commit", "-q", "-m", message],
            &[
                ("GIT_AUTHOR_NAME", name),
                ("GIT_AUTHOR_EMAIL", email.trim_end_matches('>')),
                ("GIT_AUTHOR_DATE", date),
                ("GIT_COMMITTER_DATE", date),
            ],
        );
    };
    let body: String = (0..40).map(|i| format!("line {i}\n")).collect();
    std::fs::write(dir.join("module.rs"), &body).unwrap();
    as_author("Cy <cy@example.com>", "1772000000 +0000", "a module");
    let edited = body
        .replace("line 3\n", "line three\n")
        .replace("line 30\n", "")
        + "tail\n";
    std::fs::write(dir.join("module.rs"), &edited).unwrap();
    as_author("Ada <ada@example.com>", "1772000100 +0000", "edit it");
    std::fs::remove_file(dir.join("module.rs")).unwrap();
    std::fs::write(dir.join("renamed.rs"), edited.replace("line 10\n", "ten\n")).unwrap();
    as_author(
        "Ada <ada@example.com>",
        "1772000200 +0000",
        "rename and edit",
    );
    std::fs::write(dir.join("logo.png"), [0u8, 1, 2, 0, 255, 0, 7]).unwrap();
    let text = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "txt"))
        .unwrap();
    std::fs::remove_file(text).unwrap();
    as_author(
        "Bob <bob@example.com>",
        "1772000300 +0000",
        "binary in, text out",
    );
}

fn ours(months: &[GitMonth]) -> BTreeMap<(String, String), u32> {
    months
        .iter()
        .filter(|m| m.commits > 0)
        .map(|m| ((m.person.to_string(), m.month.to_string()), m.commits))
        .collect()
}

fn month<'a>(months: &'a [GitMonth], person: &str, month: &str) -> &'a GitMonth {
    months
        .iter()
        .find(|m| m.person.as_str() == person && m.month.to_string() == month)
        .unwrap_or_else(|| panic!("no evidence for {person} in {month}: {months:?}"))
}

/// A repository with merges, a mailmap, co-authors, several addresses, a bot and a tag.
fn rich_repository(dir: &Path) {
    init(dir);
    std::fs::write(
        dir.join(".mailmap"),
        "Cy <cy@example.com> <cy@old.example>\nAda <ada@example.com> Ada L <ADA@work.example>\n",
    )
    .unwrap();
    git(dir, &["add", ".mailmap"]);
    commit(dir, "Ada <ada@example.com>", "1767222000 -0500", "start");
    // 2025-12-31 23:00 UTC: January 2026 at +0100.
    commit(
        dir,
        "Ada <ada@home.example>",
        "1767222000 +0100",
        "new year",
    );
    commit(
        dir,
        "Cy <cy@old.example>",
        "1767300000 +0000",
        "old address",
    );
    commit(
        dir,
        "Ada L <ada@work.example>",
        "1767300000 +0000",
        "mailmapped by name and email",
    );
    commit(
        dir,
        "dependabot[bot] <bot@example.com>",
        "1767300000 +0000",
        "bump",
    );
    commit(
        dir,
        "Stranger <who@elsewhere.example>",
        "1767300000 +0000",
        "drive-by",
    );
    commit(
        dir,
        "Stranger <who@elsewhere.example>",
        "1767300001 +0000",
        "drive-by again",
    );
    git(dir, &["checkout", "-q", "-b", "feature"]);
    commit(
        dir,
        "Bob <BOB@example.com>",
        "1770000000 +0000",
        "pair work\n\nCo-authored-by: Ada <ada@example.com>\nCo-authored-by: Cy <cy@old.example>",
    );
    git(dir, &["checkout", "-q", "main"]);
    commit(dir, "Cy <cy@example.com>", "1770000000 +0000", "on main");
    git_env(
        dir,
        &["merge", "-q", "--no-ff", "-m", "merge feature", "feature"],
        &[
            ("GIT_AUTHOR_NAME", "Ada"),
            ("GIT_AUTHOR_EMAIL", "ada@example.com"),
            ("GIT_AUTHOR_DATE", "1770000100 +0000"),
            ("GIT_COMMITTER_DATE", "1770000100 +0000"),
        ],
    );
    git(dir, &["tag", "v1"]);
    // Only reachable from a tag once the branch is gone.
    git(dir, &["checkout", "-q", "-b", "tagged-only"]);
    commit(dir, "Bob <bob@example.com>", "1770000200 +0000", "released");
    git(dir, &["tag", "-a", "-m", "release", "v2"]);
    git(dir, &["checkout", "-q", "main"]);
    git(dir, &["branch", "-q", "-D", "tagged-only"]);
    // Not a branch or tag: never counted.
    git(dir, &["update-ref", "refs/pull/1/head", "v2"]);
    git(dir, &["checkout", "-q", "-b", "stash-me"]);
    commit(
        dir,
        "Bob <bob@example.com>",
        "1770000300 +0000",
        "pull request only",
    );
    let pr = git(dir, &["rev-parse", "HEAD"]);
    git(dir, &["update-ref", "refs/pull/2/head", pr.trim()]);
    git(dir, &["checkout", "-q", "main"]);
    git(dir, &["branch", "-q", "-D", "stash-me"]);
}

#[test]
fn commits_per_person_and_month_match_git_log() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("rich");
    rich_repository(&repo);
    let mut history = History::default();
    let (months, ev, repos, read) = ingest(&[&repo], &mut history).unwrap();
    assert_eq!(ours(&months), git_log_counts(&[&repo]));
    assert_eq!(repos.len(), 1);
    assert!(!repos[0].shallow);
    // The pull request's commit is not read; the tagged one is.
    assert_eq!(read, 11);
    assert_eq!(ev.commits, 11);
    assert_eq!(ev.bots, 1);
    assert_eq!(ev.unmatched[0].identity, "Stranger <who@elsewhere.example>");
    assert_eq!(ev.unmatched[0].commits, 2);

    // The month is the author's own: the same instant is December at -0500, January at +0100.
    assert_eq!(month(&months, "ada", "2025-12").commits, 1);
    assert_eq!(month(&months, "ada", "2026-01").commits, 2);
    assert_eq!(month(&months, "cy", "2026-01").commits, 1);
    let feb_ada = month(&months, "ada", "2026-02");
    assert_eq!(
        (feb_ada.commits, feb_ada.merges, feb_ada.coauthored),
        (0, 1, 1)
    );
    let feb_cy = month(&months, "cy", "2026-02");
    assert_eq!((feb_cy.commits, feb_cy.coauthored), (1, 1));
    let feb_bob = month(&months, "bob", "2026-02");
    assert_eq!((feb_bob.commits, feb_bob.repositories), (2, 1));
    assert!(!feb_bob.partial);
}

#[test]
fn a_second_run_reads_nothing_and_new_commits_only() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("rich");
    rich_repository(&repo);
    let mut history = History::default();
    let (first, ..) = ingest(&[&repo], &mut history).unwrap();
    let (again, _, _, read) = ingest(&[&repo], &mut history).unwrap();
    assert_eq!((read, &again), (0, &first));
    commit(&repo, "Bob <bob@example.com>", "1773000000 +0000", "march");
    let (more, _, _, read) = ingest(&[&repo], &mut history).unwrap();
    assert_eq!(read, 1);
    assert_eq!(ours(&more), git_log_counts(&[&repo]));
}

#[test]
fn a_commit_in_two_repositories_counts_once() {
    let tmp = tempfile::tempdir().unwrap();
    let origin = tmp.path().join("org").join("origin");
    rich_repository(&origin);
    let fork = tmp.path().join("org").join("fork.git");
    git(
        tmp.path(),
        &[
            "clone",
            "-q",
            "--mirror",
            origin.to_str().unwrap(),
            fork.to_str().unwrap(),
        ],
    );
    commit(
        &origin,
        "Bob <bob@example.com>",
        "1770000400 +0000",
        "only in origin",
    );
    let mut history = History::default();
    // The folder holds both; the bare mirror reads its mailmap from HEAD.
    let (months, ev, repos, _) = ingest(&[&tmp.path().join("org")], &mut history).unwrap();
    assert_eq!(repos.len(), 2);
    assert_eq!(ev.commits, 12);
    assert_eq!(ours(&months), git_log_counts(&[&fork, &origin]));
    // Cy's old address is mapped in the bare mirror too.
    assert_eq!(month(&months, "cy", "2026-01").commits, 1);
    let feb_bob = month(&months, "bob", "2026-02");
    assert_eq!((feb_bob.commits, feb_bob.repositories), (3, 2));
    // The mirror also carries refs/pull/*, which never count.
    assert!(git(&fork, &["for-each-ref", "refs/pull"]).contains("refs/pull/2/head"));
}

#[test]
fn a_force_push_drops_the_rewritten_commits() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("rich");
    rich_repository(&repo);
    let mut history = History::default();
    ingest(&[&repo], &mut history).unwrap();
    commit(
        &repo,
        "Bob <bob@example.com>",
        "1773000000 +0000",
        "march, soon rewritten",
    );
    commit(
        &repo,
        "Bob <bob@example.com>",
        "1773000001 +0000",
        "march again",
    );
    let (before, ..) = ingest(&[&repo], &mut history).unwrap();
    assert_eq!(month(&before, "bob", "2026-02").commits + 1, 3);
    assert_eq!(month(&before, "bob", "2026-03").commits, 2);
    git(&repo, &["reset", "-q", "--hard", "HEAD~2"]);
    commit(
        &repo,
        "Cy <cy@example.com>",
        "1773000002 +0000",
        "rewritten",
    );
    let (after, _, _, read) = ingest(&[&repo], &mut history).unwrap();
    assert_eq!(read, 1);
    assert_eq!(ours(&after), git_log_counts(&[&repo]));
    assert!(
        after
            .iter()
            .all(|m| !(m.person.as_str() == "bob" && m.month.to_string() == "2026-03"))
    );
}

#[test]
fn a_shallow_clone_is_read_and_marked_partial() {
    let tmp = tempfile::tempdir().unwrap();
    let origin = tmp.path().join("origin");
    rich_repository(&origin);
    let shallow = tmp.path().join("shallow");
    let url = format!("file://{}", origin.display());
    git(
        tmp.path(),
        &[
            "clone",
            "-q",
            "--depth",
            "3",
            "--no-single-branch",
            &url,
            shallow.to_str().unwrap(),
        ],
    );
    // A clone's branches are remote-tracking ones: make them local, as a mirror would.
    git(&shallow, &["branch", "-q", "feature", "origin/feature"]);
    let mut history = History::default();
    let (months, _, repos, _) = ingest(&[&shallow], &mut history).unwrap();
    assert!(repos[0].shallow);
    assert!(months.iter().all(|m| m.partial));
    assert_eq!(ours(&months), git_log_counts(&[&shallow]));
}

#[test]
fn bad_paths_and_damaged_repositories_are_named() {
    let tmp = tempfile::tempdir().unwrap();
    let mut history = History::default();
    let missing = tmp.path().join("missing");
    let e = ingest(&[&missing], &mut history).unwrap_err();
    assert!(e.to_string().contains(missing.to_str().unwrap()), "{e}");
    let empty = tmp.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let e = ingest(&[&empty], &mut history).unwrap_err();
    assert!(matches!(e, IngestError::NoRepository { .. }), "{e}");

    let repo = tmp.path().join("damaged");
    rich_repository(&repo);
    // Lose the object of a commit deep in the history.
    let victim = git(&repo, &["rev-parse", "main~2"]);
    let victim = victim.trim();
    let object = repo
        .join(".git/objects")
        .join(&victim[..2])
        .join(&victim[2..]);
    std::fs::remove_file(&object).unwrap();
    let e = ingest(&[&repo], &mut history).unwrap_err();
    assert!(matches!(e, IngestError::Corrupt { .. }), "{e}");
    assert!(e.to_string().contains(repo.to_str().unwrap()), "{e}");
}

#[test]
fn lines_added_and_removed_match_git_log_numstat() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("edited");
    edited_repository(&repo);
    let mut history = History::default();
    let diffstat = ReadOptions { diffstat: true };
    let (months, ..) = ingest_with(&[&repo], &mut history, diffstat).unwrap();
    assert_eq!(our_lines(&months), git_log_lines(&repo));
    // The rename is followed: a delete and an add would count all 40 lines twice. Ada's
    // merge that month adds nothing, as `git log --numstat` shows no lines for merges.
    let ada = month(&months, "ada", "2026-02");
    assert_eq!((ada.lines_added, ada.lines_removed), (Some(3), Some(3)));
}

#[test]
fn lines_are_counted_later_for_commits_read_without_them() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("edited");
    edited_repository(&repo);
    let mut history = History::default();
    let (plain, _, _, read) = ingest(&[&repo], &mut history).unwrap();
    assert_eq!(read, 15);
    assert!(plain.iter().all(|m| m.lines_added.is_none()));
    let diffstat = ReadOptions { diffstat: true };
    // Only the 14 non-merge commits come back, now with their lines.
    let (counted, _, _, read) = ingest_with(&[&repo], &mut history, diffstat).unwrap();
    assert_eq!(read, 14);
    assert_eq!(our_lines(&counted), git_log_lines(&repo));
    assert_eq!(ours(&counted), ours(&plain));
    // Counted once: a third run reads nothing, and a run without --diffstat keeps them.
    let (_, _, _, read) = ingest_with(&[&repo], &mut history, diffstat).unwrap();
    assert_eq!(read, 0);
    let (kept, ..) = ingest(&[&repo], &mut history).unwrap();
    assert_eq!(kept, counted);
}

/// A bare repository of `n` commits that change no files, written by `git fast-import` into
/// one pack that is nearly all commits: a main line, a side branch merged back every ten
/// commits, co-author trailers, a mailmap in the first commit, authors in several zones,
/// and a commit only a pull-request ref reaches.
fn commit_only_repository(dir: &Path, n: usize) {
    std::fs::create_dir_all(dir).unwrap();
    git(dir, &["init", "-q", "--bare", "-b", "main"]);
    let authors = [
        ("Ada", "ada@example.com", "+0100"),
        ("Ada", "ada@home.example", "-0500"),
        ("Bob", "BOB@example.com", "+0000"),
        ("Cy", "cy@old.example", "+0900"),
        ("Stranger", "who@elsewhere.example", "-0800"),
    ];
    let mailmap = "Cy <cy@example.com> <cy@old.example>\n";
    let mut stream = String::new();
    let (mut main, mut side) = (0, 0);
    for mark in 1..=n {
        let (name, email, zone) = authors[mark * 7 % authors.len()];
        let time = 1_700_000_000 + mark * 40_000;
        let on_side = mark % 10 >= 7 && mark % 10 <= 8;
        let merge = mark % 10 == 9 && side != 0;
        let (branch, from) = if on_side {
            ("side", if mark % 10 == 7 { main } else { side })
        } else {
            ("main", main)
        };
        let mut message = format!("change {mark}\n");
        if mark % 13 == 0 {
            message.push_str("\nCo-authored-by: Bob <bob@example.com>\n");
        }
        stream.push_str(&format!(
            "commit refs/heads/{branch}\nmark :{mark}\nauthor {name} <{email}> {time} {zone}\n\
             committer {name} <{email}> {time} {zone}\ndata {}\n{message}\n",
            message.len()
        ));
        if from != 0 {
            stream.push_str(&format!("from :{from}\n"));
        }
        if merge {
            stream.push_str(&format!("merge :{side}\n"));
        }
        if mark == 1 {
            stream.push_str(&format!(
                "M 644 inline .mailmap\ndata {}\n{mailmap}\n",
                mailmap.len()
            ));
        }
        if on_side {
            side = mark;
        } else {
            main = mark;
        }
    }
    stream.push_str(&format!(
        "commit refs/pull/1/head\nauthor Bob <bob@example.com> 1800000000 +0000\n\
         committer Bob <bob@example.com> 1800000000 +0000\ndata 8\nunmerged\nfrom :{main}\n\ndone\n"
    ));
    let mut child = Command::new("git")
        .current_dir(dir)
        .args(["fast-import", "--quiet", "--done"])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .expect("git fast-import runs");
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stream.as_bytes())
        .unwrap();
    assert!(child.wait().unwrap().success());
}

#[test]
fn a_pack_of_commits_is_read_whole_and_counts_as_git_log_does() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("commits.git");
    commit_only_repository(&repo, 400);
    let mut history = History::default();
    let (months, ev, _, read) = ingest(&[&repo], &mut history).unwrap();
    assert_eq!(ours(&months), git_log_counts(&[&repo]));
    // Every commit of the pack is decoded, but only those a branch reaches are read.
    assert_eq!(read, 400);
    assert_eq!(ev.commits, 400);
    assert_eq!(ev.unmatched[0].identity, "Stranger <who@elsewhere.example>");
    let coauthored: u32 = months.iter().map(|m| m.coauthored).sum();
    assert!(coauthored > 0);

    // The same history read from loose objects, one commit after another, counts the same.
    let loose = tmp.path().join("loose.git");
    git(
        tmp.path(),
        &["init", "-q", "--bare", "-b", "main", "loose.git"],
    );
    for pack in std::fs::read_dir(repo.join("objects/pack")).unwrap() {
        let pack = pack.unwrap().path();
        if pack.extension().is_some_and(|e| e == "pack") {
            let status = Command::new("git")
                .current_dir(&loose)
                .args(["unpack-objects", "-q"])
                .stdin(std::fs::File::open(&pack).unwrap())
                .status()
                .unwrap();
            assert!(status.success());
        }
    }
    for line in git(
        &repo,
        &["for-each-ref", "--format=%(refname) %(objectname)"],
    )
    .lines()
    {
        let (name, id) = line.split_once(' ').unwrap();
        git(&loose, &["update-ref", name, id]);
    }
    assert!(
        !loose
            .join("objects/pack")
            .read_dir()
            .unwrap()
            .any(|e| { e.unwrap().path().extension().is_some_and(|x| x == "pack") })
    );
    let mut fresh = History::default();
    let (walked, ..) = ingest(&[&loose], &mut fresh).unwrap();
    assert_eq!(walked, months);
}
