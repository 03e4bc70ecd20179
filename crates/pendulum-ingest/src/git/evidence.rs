//! Counting commits into evidence per person and month.
//!
//! Evidence is always computed from every repository remembered, not only those read in
//! this run: a commit in two repositories (a fork, a mirror) counts once, wherever it was
//! read first, and a repository not named this time still contributes what it held.

use std::collections::{HashMap, HashSet};

use gix::bstr::ByteSlice;
use pendulum_core::{CommitId, GitCommit, GitMonth, GitRepository, YearMonth};

use super::History;
use super::identity::{Identities, Match};

/// The evidence of all repositories, and what the summary of an ingest tells.
#[derive(Debug, Clone, Default)]
pub struct Evidence {
    /// Sorted by person, then month.
    pub months: Vec<GitMonth>,
    /// Distinct commits reachable from the repositories' branches and tags.
    pub commits: u64,
    /// Of those, commits whose author is one of the people.
    pub matched: u64,
    /// Of those, commits by bots.
    pub bots: u64,
    /// Identities nobody claimed, most commits first.
    pub unmatched: Vec<Unmatched>,
}

/// An author that matched nobody: a candidate for an alias.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unmatched {
    /// `Name <email>`, after the mailmap.
    pub identity: String,
    pub commits: u64,
}

#[derive(Default)]
struct Counts {
    commits: u32,
    merges: u32,
    coauthored: u32,
    /// Lines added and removed by the commits whose lines were counted.
    lines: Option<(u64, u64)>,
    repositories: HashSet<u32>,
    partial: bool,
}

/// Counts every commit reachable from the repositories' tips over `history`.
pub fn evidence(
    repositories: &[GitRepository],
    history: &History,
    identities: &Identities,
) -> Evidence {
    let mut repositories: Vec<&GitRepository> = repositories.iter().collect();
    repositories.sort_by(|a, b| a.path.cmp(&b.path));
    // Who each commit credits, decided once, by the first repository that holds it.
    let mut credits: HashMap<CommitId, Credit> = HashMap::with_capacity(history.len());
    let mut months: HashMap<(usize, YearMonth), Counts> = HashMap::new();
    let mut unmatched: HashMap<String, (String, u64)> = HashMap::new();
    let mut out = Evidence::default();
    for (r, repository) in repositories.iter().enumerate() {
        let r = u32::try_from(r).unwrap_or(u32::MAX);
        let mailmap = gix::mailmap::Snapshot::from_bytes(repository.mailmap.as_bytes());
        for commit in reachable(repository, history) {
            let first = !credits.contains_key(&commit.id);
            let credit = credits
                .entry(commit.id)
                .or_insert_with(|| Credit::of(commit, &mailmap, identities));
            if first {
                out.commits += 1;
                match credit.author {
                    Match::Person(_) => out.matched += 1,
                    Match::Bot => out.bots += 1,
                    Match::Nobody => {
                        let entry = unmatched
                            .entry(credit.email.to_lowercase())
                            .or_insert_with(|| (credit.identity(), 0));
                        entry.1 += 1;
                    }
                }
            }
            let shallow = repository.shallow;
            if let Match::Person(p) = credit.author {
                let counts = touch(&mut months, p, commit.month, r, shallow);
                if first {
                    if commit.is_merge() {
                        counts.merges += 1;
                    } else {
                        counts.commits += 1;
                        if let Some((added, removed)) = commit.lines {
                            let (a, r) = counts.lines.get_or_insert((0, 0));
                            *a += added;
                            *r += removed;
                        }
                    }
                }
            }
            if !commit.is_merge() {
                for &p in &credit.coauthors {
                    let counts = touch(&mut months, p, commit.month, r, shallow);
                    if first {
                        counts.coauthored += 1;
                    }
                }
            }
        }
    }
    let mut rows: Vec<GitMonth> = months
        .into_iter()
        .map(|((p, month), c)| GitMonth {
            person: identities.person(p).clone(),
            month,
            commits: c.commits,
            merges: c.merges,
            coauthored: c.coauthored,
            repositories: u32::try_from(c.repositories.len()).unwrap_or(u32::MAX),
            lines_added: c.lines.map(|(a, _)| a),
            lines_removed: c.lines.map(|(_, r)| r),
            partial: c.partial,
        })
        .collect();
    rows.sort_by(|a, b| a.person.cmp(&b.person).then(a.month.cmp(&b.month)));
    out.months = rows;
    let mut unmatched: Vec<Unmatched> = unmatched
        .into_values()
        .map(|(identity, commits)| Unmatched { identity, commits })
        .collect();
    unmatched.sort_by(|a, b| b.commits.cmp(&a.commits).then(a.identity.cmp(&b.identity)));
    out.unmatched = unmatched;
    out
}

/// The counts of a person's month, noting that repository `r` holds some of it.
fn touch(
    months: &mut HashMap<(usize, YearMonth), Counts>,
    person: usize,
    month: YearMonth,
    r: u32,
    shallow: bool,
) -> &mut Counts {
    let counts = months.entry((person, month)).or_default();
    counts.repositories.insert(r);
    counts.partial |= shallow;
    counts
}

/// Who a commit credits.
struct Credit {
    author: Match,
    name: String,
    email: String,
    /// People named in its trailers, the author excluded, each once.
    coauthors: Vec<usize>,
}

impl Credit {
    fn of(commit: &GitCommit, mailmap: &gix::mailmap::Snapshot, identities: &Identities) -> Self {
        let (name, email) = mailmapped(mailmap, &commit.author_name, &commit.author_email);
        let author = identities.resolve(&name, &email);
        let mut coauthors = Vec::new();
        for value in &commit.coauthors {
            let Some((n, e)) = split_identity(value) else {
                continue;
            };
            let (n, e) = mailmapped(mailmap, n, e);
            if let Match::Person(p) = identities.resolve(&n, &e)
                && author != Match::Person(p)
                && !coauthors.contains(&p)
            {
                coauthors.push(p);
            }
        }
        Self {
            author,
            name,
            email,
            coauthors,
        }
    }

    fn identity(&self) -> String {
        format!("{} <{}>", self.name, self.email)
    }
}

/// `Name <email>` as two parts.
fn split_identity(value: &str) -> Option<(&str, &str)> {
    let (name, rest) = value.split_once('<')?;
    let (email, _) = rest.split_once('>')?;
    Some((name.trim(), email.trim()))
}

fn mailmapped(mailmap: &gix::mailmap::Snapshot, name: &str, email: &str) -> (String, String) {
    let signature = gix::actor::SignatureRef {
        name: name.as_bytes().as_bstr(),
        email: email.as_bytes().as_bstr(),
        time: "0 +0000",
    };
    match mailmap.try_resolve_ref(signature) {
        Some(resolved) => (
            resolved
                .name
                .map_or_else(|| name.to_owned(), |n| n.to_str_lossy().into_owned()),
            resolved
                .email
                .map_or_else(|| email.to_owned(), |e| e.to_str_lossy().into_owned()),
        ),
        None => (name.to_owned(), email.to_owned()),
    }
}

/// The commits of `history` reachable from the repository's tips.
fn reachable<'h>(repository: &GitRepository, history: &'h History) -> Vec<&'h GitCommit> {
    let mut visited: HashSet<CommitId> = HashSet::new();
    let mut stack: Vec<CommitId> = repository.tips.clone();
    let mut out = Vec::new();
    while let Some(id) = stack.pop() {
        if !visited.insert(id) {
            continue;
        }
        // A commit missing from the history lies beyond a shallow clone's boundary.
        if let Some(c) = history.get(&id) {
            stack.extend(c.parents.iter().filter(|p| !visited.contains(*p)));
            out.push(c);
        }
    }
    out
}
