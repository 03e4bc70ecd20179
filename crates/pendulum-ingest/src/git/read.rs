//! Reading repositories: their tips, and the commits not read before.
//!
//! Commits are parsed by hand rather than through a full commit decoder: evidence needs the
//! parents, the author line and the trailers, and stopping there is most of the speed. The
//! walk follows parents from the branch and tag tips; a commit already in the [`History`]
//! is not read again, its parents come from the history instead.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};

use chrono::DateTime;
use gix::ObjectId;
use gix::prelude::Find;
use pendulum_core::{CommitId, CommitMap, CommitSet, GitCommit, GitRepository, YearMonth};

use super::IngestError;
use super::pack::Packed;

/// No position: a hint that leads nowhere.
const NOWHERE: u32 = u32::MAX;

/// Memory for delta bases per repository being read.
const PACK_CACHE_BYTES: usize = 32 * 1024 * 1024;

/// Memory for decoded trees and blobs per repository when lines are counted.
const TREE_CACHE_BYTES: usize = 64 * 1024 * 1024;

/// How far an ingest has come, updated as it goes, for a progress bar.
#[derive(Debug, Default)]
pub struct Progress {
    pub repositories_done: AtomicUsize,
    pub commits_read: AtomicU64,
}

/// Every commit read so far, by id.
///
/// Commits sit in a vector in the order they were added, with an index by id beside it, so
/// that a walk over the history can mark what it visited by position rather than in
/// another hash table.
#[derive(Debug, Default)]
pub struct History {
    commits: Vec<GitCommit>,
    index: CommitMap<u32>,
}

impl History {
    pub fn new(commits: Vec<GitCommit>) -> Self {
        let mut history = Self::default();
        history.extend(commits);
        history
    }

    pub fn get(&self, id: &CommitId) -> Option<&GitCommit> {
        self.position(id).map(|i| self.at(i))
    }

    pub fn contains(&self, id: &CommitId) -> bool {
        self.index.contains_key(id)
    }

    /// Where the commit with this id sits, for [`History::at`].
    pub(super) fn position(&self, id: &CommitId) -> Option<u32> {
        self.index.get(id).copied()
    }

    /// [`History::position`], looking first beside `near` (its child's position, say): a
    /// parent nearly always sits next to its child, as commits are added in the order of
    /// the walks and packs they were read from, and a look-up in the index is a cache miss.
    pub(super) fn position_near(&self, id: &CommitId, near: u32) -> Option<u32> {
        [near.wrapping_add(1), near.wrapping_sub(1)]
            .into_iter()
            .find(|&p| self.commits.get(p as usize).is_some_and(|c| c.id == *id))
            .or_else(|| self.position(id))
    }

    pub(super) fn at(&self, position: u32) -> &GitCommit {
        &self.commits[position as usize]
    }

    /// Adds commits read in this run; a commit already there is kept as it was, but gains
    /// its line counts when it had none and this run counted them.
    pub fn extend(&mut self, commits: Vec<GitCommit>) {
        if self.commits.is_empty() {
            // The first commits are taken as they are, without moving them one by one.
            self.commits = commits;
            if self.index_all() {
                return;
            }
            let commits = std::mem::take(&mut self.commits);
            self.index.clear();
            return self.add(commits);
        }
        self.add(commits);
    }

    /// Indexes every commit of the history; `false` when one id comes twice.
    fn index_all(&mut self) -> bool {
        self.index.reserve(self.commits.len());
        for (position, c) in self.commits.iter().enumerate() {
            let position = u32::try_from(position).expect("fewer than four billion commits");
            if self.index.insert(c.id, position).is_some() {
                return false;
            }
        }
        true
    }

    fn add(&mut self, commits: Vec<GitCommit>) {
        self.index.reserve(commits.len());
        self.commits.reserve(commits.len());
        for c in commits {
            match self.index.entry(c.id) {
                Entry::Occupied(kept) => {
                    let kept = &mut self.commits[*kept.get() as usize];
                    if kept.lines.is_none() {
                        kept.lines = c.lines;
                    }
                }
                Entry::Vacant(slot) => {
                    let position =
                        u32::try_from(self.commits.len()).expect("fewer than four billion commits");
                    slot.insert(position);
                    self.commits.push(c);
                }
            }
        }
    }

    pub fn len(&self) -> usize {
        self.commits.len()
    }

    /// The commits added after the history held `len` of them, in the order added.
    pub fn added_since(&self, len: usize) -> &[GitCommit] {
        self.commits.get(len..).unwrap_or_default()
    }

    pub fn is_empty(&self) -> bool {
        self.commits.is_empty()
    }
}

/// Each repository's tips, shallowness and mailmap, read in parallel; paths must come
/// from [`super::discover`].
pub fn probe(paths: &[PathBuf]) -> Result<Vec<GitRepository>, IngestError> {
    parallel(paths.len(), |i| probe_one(&paths[i]))
}

/// What a read counts besides the commits themselves.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReadOptions {
    /// Count the lines each non-merge commit adds and removes against its first parent,
    /// as `git log --numstat` does (binary files count no lines). A commit of the history
    /// whose lines were never counted is counted too, and returned again with them.
    pub diffstat: bool,
}

/// Walks each repository from its tips and returns the commits that `history` does not
/// hold yet, each once, however many repositories hold it; with
/// [`ReadOptions::diffstat`], also the commits of `history` that lacked their line counts,
/// now with them.
pub fn read_new_commits(
    repositories: &[GitRepository],
    history: &History,
    progress: &Progress,
    options: ReadOptions,
) -> Result<Vec<GitCommit>, IngestError> {
    // Cores left to each repository when fewer repositories than cores are read.
    let threads = cores().div_ceil(repositories.len().max(1));
    let mut per_repository = parallel(repositories.len(), |i| {
        let read = walk(&repositories[i], history, progress, options, threads);
        progress.repositories_done.fetch_add(1, Ordering::Relaxed);
        read
    })?;
    // A walk reads each commit once: only commits of several repositories can repeat.
    if let [only] = per_repository.as_mut_slice() {
        return Ok(std::mem::take(only));
    }
    let mut seen = CommitSet::default();
    Ok(per_repository
        .into_iter()
        .flatten()
        .filter(|c| seen.insert(c.id))
        .collect())
}

/// Runs `job` for 0..n on all cores and returns the results in order, or the error of the
/// lowest index that failed.
fn parallel<T: Send>(
    n: usize,
    job: impl Fn(usize) -> Result<T, IngestError> + Sync,
) -> Result<Vec<T>, IngestError> {
    let workers = cores().min(n.max(1));
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Result<T, IngestError>>>> =
        Mutex::new((0..n).map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= n {
                        break;
                    }
                    let result = job(i);
                    let failed = result.is_err();
                    results.lock().expect("no worker panics holding the lock")[i] = Some(result);
                    if failed {
                        // The run fails anyway: leave the rest.
                        next.store(n, Ordering::Relaxed);
                    }
                }
            });
        }
    });
    let mut out = Vec::with_capacity(n);
    for r in results
        .into_inner()
        .expect("no worker panics holding the lock")
    {
        match r {
            Some(r) => out.push(r?),
            None => continue,
        }
    }
    Ok(out)
}

fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

fn open(path: &Path) -> Result<gix::Repository, IngestError> {
    gix::open_opts(path, gix::open::Options::isolated()).map_err(|e| IngestError::Open {
        path: path.to_owned(),
        message: e.to_string(),
    })
}

fn corrupt(path: &Path, message: impl ToString) -> IngestError {
    IngestError::Corrupt {
        path: path.to_owned(),
        message: message.to_string(),
    }
}

fn probe_one(path: &Path) -> Result<GitRepository, IngestError> {
    let repo = open(path)?;
    let mut tips = Vec::new();
    let refs = repo.references().map_err(|e| corrupt(path, e))?;
    let branches = refs.local_branches().map_err(|e| corrupt(path, e))?;
    let tags = refs.tags().map_err(|e| corrupt(path, e))?;
    for r in branches.chain(tags) {
        let mut r = r.map_err(|e| corrupt(path, e))?;
        let name = r.name().as_bstr().to_string();
        let id = r
            .peel_to_id()
            .map_err(|e| corrupt(path, format!("cannot resolve {name}: {e}")))?
            .detach();
        let header = repo
            .find_header(id)
            .map_err(|e| corrupt(path, format!("{name} points at {id}: {e}")))?;
        // Tags may name trees or blobs; only commits have history.
        if header.kind() == gix::object::Kind::Commit {
            tips.push(commit_id(&id));
        }
    }
    tips.sort_unstable();
    tips.dedup();
    let shallow = repo.is_shallow().map_err(|e| corrupt(path, e))?;
    Ok(GitRepository {
        path: path.display().to_string(),
        tips,
        shallow,
        mailmap: read_mailmap(&repo, path)?,
    })
}

/// The mailmap as git reads it: `.mailmap` in the work tree, or `HEAD:.mailmap` in a bare
/// repository.
fn read_mailmap(repo: &gix::Repository, path: &Path) -> Result<String, IngestError> {
    let bytes = match repo.workdir() {
        Some(root) => match std::fs::read(root.join(".mailmap")) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(e) => return Err(corrupt(path, format!("cannot read .mailmap: {e}"))),
        },
        None => {
            let Ok(mut head) = repo.head() else {
                return Ok(String::new());
            };
            let Ok(commit) = head.peel_to_commit() else {
                // An unborn HEAD has no mailmap.
                return Ok(String::new());
            };
            let tree = commit.tree().map_err(|e| corrupt(path, e))?;
            match tree.find_entry(".mailmap") {
                Some(entry) => {
                    let blob = repo
                        .find_object(entry.object_id())
                        .map_err(|e| corrupt(path, format!("cannot read HEAD:.mailmap: {e}")))?;
                    blob.data.clone()
                }
                None => Vec::new(),
            }
        }
    };
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

pub(super) fn commit_id(id: &gix::oid) -> CommitId {
    id.as_bytes()
        .try_into()
        .expect("repositories are opened with SHA-1 object ids")
}

fn walk(
    repository: &GitRepository,
    history: &History,
    progress: &Progress,
    options: ReadOptions,
    threads: usize,
) -> Result<Vec<GitCommit>, IngestError> {
    let path = Path::new(&repository.path);
    let repo = open(path)?;
    let objects = walk_objects(&repo);
    // A repository none of whose tips was read before is read whole.
    let mut packed = if repository.tips.iter().any(|t| history.contains(t)) {
        Packed::default()
    } else {
        super::pack::packed_commits(repo.objects.store_ref().path(), threads)
    };
    if packed.is_empty() && threads > 1 {
        let (read, trees, uncounted) =
            walk_shared(repository, history, progress, options, threads)?;
        return finish(repository, packed, read, trees, uncounted, options, threads);
    }
    let mut buf = Vec::new();
    // Commits the packs did not hold, decoded one at a time.
    let mut read: Vec<GitCommit> = Vec::new();
    // With line counts, the tree of each commit in `read`: counting needs it next.
    let mut trees: Vec<Option<ObjectId>> = Vec::new();
    // Commits kept from before whose lines were never counted.
    let mut uncounted: Vec<GitCommit> = Vec::new();
    let mut authors = Interner::default();
    // Commits reached that `packed` does not hold.
    let mut visited = CommitSet::default();
    // Commits to visit, each with the position in `packed` of the child that led there
    // (`NOWHERE` for tips and children from elsewhere).
    let mut stack: Vec<(CommitId, u32)> = repository.tips.iter().map(|&t| (t, NOWHERE)).collect();
    let mut counted = 0u64;
    while let Some((id, child)) = stack.pop() {
        if let Some(known) = history.get(&id) {
            if visited.insert(id) {
                stack.extend(known.parents.iter().map(|&p| (p, NOWHERE)));
                if options.diffstat && known.lines.is_none() && !known.is_merge() {
                    uncounted.push(known.clone());
                }
            }
            continue;
        }
        if let Some(position) = packed.position_near(&id, child) {
            let Some(parents) = packed.claim(position) else {
                continue;
            };
            stack.extend(parents.iter().map(|&p| (p, position)));
        } else {
            if !visited.insert(id) {
                continue;
            }
            match decode_commit(&objects, &mut buf, repository, id, &mut authors)? {
                Some((commit, tree)) => {
                    stack.extend(commit.parents.iter().map(|&p| (p, NOWHERE)));
                    read.push(commit);
                    if options.diffstat {
                        trees.push(tree);
                    }
                }
                // Beyond the boundary of a shallow clone.
                None => continue,
            }
        }
        counted += 1;
        if counted == 1024 {
            progress.commits_read.fetch_add(counted, Ordering::Relaxed);
            counted = 0;
        }
    }
    progress.commits_read.fetch_add(counted, Ordering::Relaxed);
    finish(repository, packed, read, trees, uncounted, options, threads)
}

/// The walk's result: the packs' commits first, then those decoded one at a time (whose
/// trees are known), with their lines counted when asked.
fn finish(
    repository: &GitRepository,
    packed: Packed,
    mut read: Vec<GitCommit>,
    mut trees: Vec<Option<ObjectId>>,
    mut uncounted: Vec<GitCommit>,
    options: ReadOptions,
    threads: usize,
) -> Result<Vec<GitCommit>, IngestError> {
    let mut all = packed.into_claimed();
    let decoded_from = all.len();
    if all.is_empty() {
        // A history walked one commit at a time (git's own, say) stays where it was read.
        all = read;
    } else {
        all.append(&mut read);
    }
    if options.diffstat {
        let mut trees_of_all = vec![None; decoded_from];
        trees_of_all.append(&mut trees);
        count_all(repository, &mut all, &trees_of_all, threads)?;
        count_all(repository, &mut uncounted, &[], threads)?;
        // A kept commit comes back only with the lines it lacked.
        all.extend(uncounted.into_iter().filter(|c| c.lines.is_some()));
    }
    Ok(all)
}

/// A handle on the object database for a walk: packs stay mapped, and delta bases are
/// kept, since commits of one history are often stored as deltas of each other.
fn walk_objects(repo: &gix::Repository) -> gix::OdbHandle {
    let mut objects = repo.objects.clone();
    objects.prevent_pack_unload();
    objects.set_pack_cache(|| {
        Box::new(gix::odb::pack::cache::lru::MemoryCappedHashmap::new(
            PACK_CACHE_BYTES,
        ))
    });
    objects
}

/// What the threads of a shared walk share: the commits still to visit and how many
/// threads are visiting one now (under one lock, with a signal when either changes), the
/// commits claimed, and whether a thread failed.
struct SharedWalk {
    work: Mutex<Work>,
    changed: Condvar,
    claimed: Mutex<CommitSet>,
    failed: AtomicBool,
}

struct Work {
    stack: Vec<CommitId>,
    busy: usize,
}

impl SharedWalk {
    /// The next commit to visit, waiting while the stack is empty and another thread may
    /// still add to it; `None` once the walk is over (or has failed).
    fn next(&self) -> Option<CommitId> {
        let mut work = self.work.lock().expect("no walk panics");
        loop {
            if self.failed.load(Ordering::SeqCst) {
                return None;
            }
            if let Some(id) = work.stack.pop() {
                work.busy += 1;
                return Some(id);
            }
            if work.busy == 0 {
                return None;
            }
            work = self.changed.wait(work).expect("no walk panics");
        }
    }

    /// Ends a visit, putting the commit's parents on the stack.
    fn done(&self, parents: &[CommitId]) {
        let mut work = self.work.lock().expect("no walk panics");
        work.stack.extend_from_slice(parents);
        work.busy -= 1;
        if !parents.is_empty() || work.busy == 0 {
            self.changed.notify_all();
        }
    }

    fn fail(&self) {
        self.failed.store(true, Ordering::SeqCst);
        // Taking the lock orders the flag before any thread's next wait.
        drop(self.work.lock().expect("no walk panics"));
        self.changed.notify_all();
    }
}

/// One thread's share of a shared walk: commits decoded (with their trees when lines are
/// counted) and kept commits whose lines were never counted.
type WalkShare = (Vec<GitCommit>, Vec<Option<ObjectId>>, Vec<GitCommit>);

/// A walk on `threads` threads, for a repository whose commits are decoded one at a time
/// (its packs are mostly trees and blobs, as git's own are): inflating commits is most of
/// such a walk, and a history with merges has several lines to follow at once. Each thread
/// has its own handle on the object database and takes commits from one shared stack,
/// claiming each in one shared set, so each commit is read once.
fn walk_shared(
    repository: &GitRepository,
    history: &History,
    progress: &Progress,
    options: ReadOptions,
    threads: usize,
) -> Result<WalkShare, IngestError> {
    let shared = SharedWalk {
        work: Mutex::new(Work {
            stack: repository.tips.clone(),
            busy: 0,
        }),
        changed: Condvar::new(),
        claimed: Mutex::new(CommitSet::default()),
        failed: AtomicBool::new(false),
    };
    let shares: Vec<Result<WalkShare, IngestError>> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| scope.spawn(|| walk_share(repository, history, progress, options, &shared)))
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().expect("a walk does not panic"))
            .collect()
    });
    let mut all: WalkShare = Default::default();
    for share in shares {
        let (read, trees, uncounted) = share?;
        all.0.extend(read);
        all.1.extend(trees);
        all.2.extend(uncounted);
    }
    Ok(all)
}

fn walk_share(
    repository: &GitRepository,
    history: &History,
    progress: &Progress,
    options: ReadOptions,
    shared: &SharedWalk,
) -> Result<WalkShare, IngestError> {
    let repo = open(Path::new(&repository.path))?;
    let objects = walk_objects(&repo);
    let mut buf = Vec::new();
    let mut authors = Interner::default();
    let mut share: WalkShare = Default::default();
    let mut counted = 0u64;
    while let Some(id) = shared.next() {
        if !shared.claimed.lock().expect("no walk panics").insert(id) {
            shared.done(&[]);
            continue;
        }
        if let Some(known) = history.get(&id) {
            shared.done(&known.parents);
            if options.diffstat && known.lines.is_none() && !known.is_merge() {
                share.2.push(known.clone());
            }
            continue;
        }
        match decode_commit(&objects, &mut buf, repository, id, &mut authors) {
            Ok(Some((commit, tree))) => {
                shared.done(&commit.parents);
                share.0.push(commit);
                if options.diffstat {
                    share.1.push(tree);
                }
                counted += 1;
                if counted == 1024 {
                    progress.commits_read.fetch_add(counted, Ordering::Relaxed);
                    counted = 0;
                }
            }
            // Beyond the boundary of a shallow clone.
            Ok(None) => shared.done(&[]),
            Err(e) => {
                shared.fail();
                return Err(e);
            }
        }
    }
    progress.commits_read.fetch_add(counted, Ordering::Relaxed);
    Ok(share)
}

/// Counts the lines of the non-merge commits among `commits` on up to `threads` threads,
/// each with a handle of its own on the repository: diffs are independent of each other,
/// and each is far more work than reading its commit. `trees` holds the tree of each
/// commit where it is known (it may be shorter than `commits`).
fn count_all(
    repository: &GitRepository,
    commits: &mut [GitCommit],
    trees: &[Option<ObjectId>],
    threads: usize,
) -> Result<(), IngestError> {
    if commits.is_empty() {
        return Ok(());
    }
    let chunk = commits.len().div_ceil(threads.max(1));
    std::thread::scope(|scope| {
        let workers: Vec<_> = commits
            .chunks_mut(chunk)
            .enumerate()
            .map(|(n, part)| {
                scope.spawn(move || -> Result<(), IngestError> {
                    let mut repo = open(Path::new(&repository.path))?;
                    // Tree diffs read the same trees again and again.
                    repo.object_cache_size_if_unset(TREE_CACHE_BYTES);
                    for (i, commit) in part.iter_mut().enumerate() {
                        if !commit.is_merge() {
                            let tree = trees.get(n * chunk + i).copied().flatten();
                            commit.lines = count_lines(&repo, repository, commit, tree)?;
                        }
                    }
                    Ok(())
                })
            })
            .collect();
        workers
            .into_iter()
            .try_for_each(|w| w.join().expect("line counting does not panic"))
    })
}

/// Reads and parses one commit from the object database, with its tree's id (which line
/// counting needs next); `None` for a commit beyond the boundary of a shallow clone.
fn decode_commit(
    objects: &gix::OdbHandle,
    buf: &mut Vec<u8>,
    repository: &GitRepository,
    id: CommitId,
    authors: &mut Interner,
) -> Result<Option<(GitCommit, Option<ObjectId>)>, IngestError> {
    let path = Path::new(&repository.path);
    let oid = ObjectId::from_bytes_or_panic(&id);
    let data = objects
        .try_find(&oid, buf)
        .map_err(|e| corrupt(path, format!("cannot read commit {oid}: {e}")))?;
    let Some(data) = data else {
        if repository.shallow && !repository.tips.contains(&id) {
            return Ok(None);
        }
        return Err(corrupt(path, format!("commit {oid} is missing")));
    };
    if data.kind != gix::object::Kind::Commit {
        return Err(corrupt(
            path,
            format!("{oid} is a {}, not a commit", data.kind),
        ));
    }
    let commit = parse_commit(id, data.data, authors)
        .ok_or_else(|| corrupt(path, format!("commit {oid} cannot be parsed")))?;
    let tree = data
        .data
        .strip_prefix(b"tree ")
        .and_then(|rest| ObjectId::from_hex(rest.get(..40)?).ok());
    Ok(Some((commit, tree)))
}

/// Lines added and removed by a non-merge commit against its first parent (a root commit
/// against the empty tree), renames followed as git does by default. `None` at the
/// boundary of a shallow clone, where the parent is not there to compare with. `tree` is
/// the commit's own tree when the caller has it at hand.
fn count_lines(
    repo: &gix::Repository,
    repository: &GitRepository,
    commit: &GitCommit,
    tree: Option<ObjectId>,
) -> Result<Option<(u64, u64)>, IngestError> {
    let path = Path::new(&repository.path);
    let tree_of = |id: &CommitId| -> Result<Option<gix::Tree<'_>>, IngestError> {
        let oid = ObjectId::from_bytes_or_panic(id);
        let Some(object) = repo
            .try_find_object(oid)
            .map_err(|e| corrupt(path, format!("cannot read commit {oid}: {e}")))?
        else {
            return Ok(None);
        };
        let tree = object
            .try_into_commit()
            .map_err(|e| corrupt(path, format!("{oid}: {e}")))?
            .tree()
            .map_err(|e| corrupt(path, format!("cannot read the tree of {oid}: {e}")))?;
        Ok(Some(tree))
    };
    let new = match tree {
        Some(tree) => repo
            .find_tree(tree)
            .map_err(|e| corrupt(path, format!("cannot read tree {tree}: {e}")))?,
        None => match tree_of(&commit.id)? {
            Some(tree) => tree,
            None => return Ok(None),
        },
    };
    let old = match commit.parents.first() {
        None => repo.empty_tree(),
        Some(parent) => match tree_of(parent)? {
            Some(tree) => tree,
            None if repository.shallow => return Ok(None),
            None => {
                let oid = ObjectId::from_bytes_or_panic(parent);
                return Err(corrupt(path, format!("commit {oid} is missing")));
            }
        },
    };
    let cannot_diff = |e: &dyn std::fmt::Display| {
        let oid = ObjectId::from_bytes_or_panic(&commit.id);
        corrupt(path, format!("cannot diff {oid}: {e}"))
    };
    let stats = old
        .changes()
        .map_err(|e| cannot_diff(&e))?
        .stats(&new)
        .map_err(|e| cannot_diff(&e))?;
    Ok(Some((stats.lines_added, stats.lines_removed)))
}

/// One shared copy of each author name and email met in a walk: a history has far fewer
/// authors than commits, and a copy per commit was most of an ingest's memory.
#[derive(Debug, Default)]
pub(super) struct Interner(HashMap<Box<[u8]>, Arc<str>>);

impl Interner {
    pub(super) fn get(&mut self, bytes: &[u8]) -> Arc<str> {
        if let Some(s) = self.0.get(bytes) {
            return Arc::clone(s);
        }
        let s: Arc<str> = String::from_utf8_lossy(bytes).into();
        self.0.insert(bytes.into(), Arc::clone(&s));
        s
    }
}

/// Parses the parts of a commit that evidence needs; `None` when it is malformed.
pub(super) fn parse_commit(id: CommitId, data: &[u8], authors: &mut Interner) -> Option<GitCommit> {
    let mut parents = Vec::new();
    let mut author = None;
    let mut rest = data;
    loop {
        let end = rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
        let line = &rest[..end];
        rest = rest.get(end + 1..).unwrap_or_default();
        if line.is_empty() {
            break;
        }
        if let Some(hex) = line.strip_prefix(b"parent ") {
            let oid = ObjectId::from_hex(hex).ok()?;
            parents.push(commit_id(&oid));
        } else if let Some(sig) = line.strip_prefix(b"author ") {
            author = Some(sig);
        }
        if rest.is_empty() {
            break;
        }
    }
    let (name, email, month) = parse_signature(author?)?;
    Some(GitCommit {
        id,
        parents,
        month,
        author_name: authors.get(name),
        author_email: authors.get(email),
        coauthors: coauthors(rest),
        lines: None,
    })
}

/// `Name <email> seconds +hhmm`, with the month in the signature's own time zone.
fn parse_signature(sig: &[u8]) -> Option<(&[u8], &[u8], YearMonth)> {
    let open = sig.iter().position(|&b| b == b'<')?;
    let close = open + sig[open..].iter().position(|&b| b == b'>')?;
    let name = sig[..open].trim_ascii();
    let email = sig[open + 1..close].trim_ascii();
    let when = std::str::from_utf8(sig[close + 1..].trim_ascii()).ok()?;
    let (seconds, zone) = when.split_once(' ').unwrap_or((when, "+0000"));
    let seconds: i64 = seconds.parse().ok()?;
    let zone = zone.trim();
    let (sign, digits) = match zone.as_bytes().first() {
        Some(b'-') => (-1, &zone[1..]),
        Some(b'+') => (1, &zone[1..]),
        _ => (1, zone),
    };
    let hhmm: i64 = digits.parse().ok()?;
    let offset = sign * (hhmm / 100 * 3600 + hhmm % 100 * 60);
    let local = DateTime::from_timestamp(seconds.checked_add(offset)?, 0)?;
    Some((name, email, YearMonth::of(local.date_naive())))
}

/// The `Co-authored-by` trailers of a message: lines of its last paragraph.
fn coauthors(message: &[u8]) -> Vec<String> {
    const KEY: &[u8] = b"co-authored-by:";
    let text = message.trim_ascii_end();
    let last = text
        .windows(2)
        .rposition(|w| w == b"\n\n")
        .map_or(text, |i| &text[i + 2..]);
    last.split(|&b| b == b'\n')
        .filter(|line| line.len() > KEY.len() && line[..KEY.len()].eq_ignore_ascii_case(KEY))
        .map(|line| String::from_utf8_lossy(line[KEY.len()..].trim_ascii()).into_owned())
        .filter(|value| !value.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_commit_gives_its_parents_author_month_and_coauthors() {
        let text = b"tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n\
parent 1111111111111111111111111111111111111111\n\
parent 2222222222222222222222222222222222222222\n\
author Ada Lovelace <Ada@Example.com> 1767222000 -0500\n\
committer Ada Lovelace <ada@example.com> 1767222000 +0000\n\
\n\
Merge things\n\
\n\
Co-authored-by: Bob <bob@example.com>\n\
CO-AUTHORED-BY: Cy <cy@example.com>\n";
        let c = parse_commit([0; 20], text, &mut Interner::default()).unwrap();
        assert_eq!(c.parents.len(), 2);
        assert!(c.is_merge());
        assert_eq!(&*c.author_name, "Ada Lovelace");
        assert_eq!(&*c.author_email, "Ada@Example.com");
        // 2025-12-31 23:00 UTC is still December at -0500, and January in UTC+1.
        assert_eq!(c.month.to_string(), "2025-12");
        assert_eq!(
            c.coauthors,
            ["Bob <bob@example.com>", "Cy <cy@example.com>"]
        );
    }

    #[test]
    fn trailers_count_only_in_the_last_paragraph() {
        assert!(
            coauthors(b"Title\n\nCo-authored-by: A <a@x>\n\nSigned-off-by: B <b@x>\n").is_empty()
        );
        assert_eq!(
            coauthors(b"Title\n\nCo-authored-by: A <a@x>\n\n\n"),
            ["A <a@x>"]
        );
    }

    #[test]
    fn the_month_follows_the_authors_own_zone() {
        let (_, _, m) = parse_signature(b"A <a@x> 1767222000 +0100").unwrap();
        assert_eq!(m.to_string(), "2026-01");
    }
}
