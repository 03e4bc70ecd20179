//! Counting commits into evidence per person and month.
//!
//! Evidence is always computed from every repository remembered, not only those read in
//! this run: a commit in two repositories (a fork, a mirror) counts once, wherever it was
//! read first, and a repository not named this time still contributes what it held.

use std::collections::HashMap;
use std::sync::Arc;

use gix::bstr::ByteSlice;
use pendulum_core::{GitCommit, GitMonth, GitRepository, YearMonth};
use rustc_hash::FxHashMap;

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
    /// How many repositories hold some of it, and the last of them: repositories are
    /// counted one after another, so a new one is always larger than the last.
    repositories: u32,
    last_repository: Option<u32>,
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
    // Who each commit credits (by its position in the history), decided once, by the
    // first repository that holds it.
    let mut credits: Vec<Option<Credit>> = Vec::new();
    credits.resize_with(history.len(), || None);
    let mut walk = Walk::new(history.len());
    // Authors as resolved, each once: a history has far fewer authors than commits.
    let mut authors: Vec<Author> = Vec::new();
    let mut months: FxHashMap<(usize, YearMonth), Counts> = FxHashMap::default();
    let mut unmatched: HashMap<String, (String, u64)> = HashMap::new();
    let mut out = Evidence::default();
    for (r, repository) in repositories.iter().enumerate() {
        let r = u32::try_from(r).unwrap_or(u32::MAX);
        let mailmap = gix::mailmap::Snapshot::from_bytes(repository.mailmap.as_bytes());
        // The mailmap is the repository's own, so the same signature may resolve to
        // someone else in another repository. Signatures are told apart by the shared text
        // they point to (a history holds one copy of each); two copies of the same text
        // just resolve twice, to the same author.
        let mut resolved: FxHashMap<(*const u8, *const u8), usize> = FxHashMap::default();
        for position in walk.reachable(repository, history) {
            let commit = history.at(position);
            let slot = &mut credits[position as usize];
            let first = slot.is_none();
            let credit = slot.get_or_insert_with(|| {
                let key = (text_at(&commit.author_name), text_at(&commit.author_email));
                let author = *resolved.entry(key).or_insert_with(|| {
                    authors.push(Author::of(commit, &mailmap, identities));
                    authors.len() - 1
                });
                Credit {
                    author,
                    coauthors: coauthors(commit, authors[author].who, &mailmap, identities),
                }
            });
            let author = &authors[credit.author];
            if first {
                out.commits += 1;
                match author.who {
                    Match::Person(_) => out.matched += 1,
                    Match::Bot => out.bots += 1,
                    Match::Nobody => {
                        let entry = unmatched
                            .entry(author.email.to_lowercase())
                            .or_insert_with(|| (author.identity(), 0));
                        entry.1 += 1;
                    }
                }
            }
            let shallow = repository.shallow;
            if let Match::Person(p) = author.who {
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
    // Sorted by the people's ranks in the order of their ids, which compare as numbers.
    let mut rank = vec![0; identities.len()];
    let mut by_id: Vec<usize> = (0..identities.len()).collect();
    by_id.sort_by(|&a, &b| identities.person(a).cmp(identities.person(b)));
    for (r, p) in by_id.into_iter().enumerate() {
        rank[p] = r;
    }
    let mut months: Vec<((usize, YearMonth), Counts)> = months.into_iter().collect();
    months.sort_unstable_by_key(|((p, month), _)| (rank[*p], *month));
    out.months = months
        .into_iter()
        .map(|((p, month), c)| GitMonth {
            person: identities.person(p).clone(),
            month,
            commits: c.commits,
            merges: c.merges,
            coauthored: c.coauthored,
            repositories: c.repositories,
            lines_added: c.lines.map(|(a, _)| a),
            lines_removed: c.lines.map(|(_, r)| r),
            partial: c.partial,
        })
        .collect();
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
    months: &mut FxHashMap<(usize, YearMonth), Counts>,
    person: usize,
    month: YearMonth,
    r: u32,
    shallow: bool,
) -> &mut Counts {
    let counts = months.entry((person, month)).or_default();
    if counts.last_repository != Some(r) {
        counts.last_repository = Some(r);
        counts.repositories += 1;
    }
    counts.partial |= shallow;
    counts
}

/// Who a commit credits: its author, an index into the authors resolved, and the people
/// named in its trailers, the author excluded, each once.
struct Credit {
    author: usize,
    coauthors: Vec<usize>,
}

/// An author signature after the mailmap, and whom it resolved to.
struct Author {
    who: Match,
    name: String,
    email: String,
}

impl Author {
    fn of(commit: &GitCommit, mailmap: &gix::mailmap::Snapshot, identities: &Identities) -> Self {
        let (name, email) = mailmapped(mailmap, &commit.author_name, &commit.author_email);
        Self {
            who: identities.resolve(&name, &email),
            name,
            email,
        }
    }

    fn identity(&self) -> String {
        format!("{} <{}>", self.name, self.email)
    }
}

/// The people a commit's `Co-authored-by` trailers name, `author` excluded, each once.
fn coauthors(
    commit: &GitCommit,
    author: Match,
    mailmap: &gix::mailmap::Snapshot,
    identities: &Identities,
) -> Vec<usize> {
    let mut people = Vec::new();
    for value in &commit.coauthors {
        let Some((n, e)) = split_identity(value) else {
            continue;
        };
        let (n, e) = mailmapped(mailmap, n, e);
        if let Match::Person(p) = identities.resolve(&n, &e)
            && author != Match::Person(p)
            && !people.contains(&p)
        {
            people.push(p);
        }
    }
    people
}

/// Where a shared text lives: the same for every commit that shares it.
fn text_at(text: &Arc<str>) -> *const u8 {
    Arc::as_ptr(text).cast()
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

/// Walks the history from repositories' tips, one repository after another.
struct Walk {
    /// The walk that last visited each commit, by position: a new walk needs no clearing.
    visited: Vec<u32>,
    walks: u32,
}

impl Walk {
    fn new(commits: usize) -> Self {
        Self {
            visited: vec![0; commits],
            walks: 0,
        }
    }

    /// The positions of the commits of `history` reachable from the repository's tips.
    fn reachable(&mut self, repository: &GitRepository, history: &History) -> Vec<u32> {
        self.walks += 1;
        let mut stack: Vec<u32> = Vec::new();
        let mut out = Vec::new();
        // A commit missing from the history lies beyond a shallow clone's boundary.
        let push = |id, near, stack: &mut Vec<u32>, visited: &mut Vec<u32>| {
            if let Some(p) = history.position_near(id, near)
                && visited[p as usize] != self.walks
            {
                visited[p as usize] = self.walks;
                stack.push(p);
            }
        };
        for tip in &repository.tips {
            push(tip, u32::MAX, &mut stack, &mut self.visited);
        }
        while let Some(p) = stack.pop() {
            out.push(p);
            for parent in &history.at(p).parents {
                push(parent, p, &mut stack, &mut self.visited);
            }
        }
        out
    }
}
