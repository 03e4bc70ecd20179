//! Decoding every commit of a repository's packs at once, on all cores.
//!
//! A walk must decode a commit to learn its parents, so it decodes one commit after another
//! on one core, and inflating each commit is most of its time. A repository read for the
//! first time needs nearly all of its commits anyway. When its packs hold mostly commits,
//! decoding every commit entry in pack order, split across the cores, and then walking over
//! the decoded commits in memory does the same work in a fraction of the time.
//!
//! When the packs hold mostly trees and blobs, as a repository with real file history
//! does, finding the commits would mean reading the header of every entry of the pack (all
//! of its pages) and would decode commits that no branch reaches (pull-request refs, say);
//! such repositories are walked as before. A sample of entry headers tells the two apart.
//!
//! This is an acceleration only: anything it cannot read (a damaged entry, a base outside
//! the pack, a pack it cannot open) is left out, and the walk then reads that commit the
//! ordinary way, which is where damage is reported.

use std::path::Path;

use gix::odb::pack;
use gix::odb::pack::data::decode::entry::ResolvedBase;
use pendulum_core::{CommitId, CommitMap, GitCommit};

use super::read::{Interner, commit_id, parse_commit};

/// Entry headers sampled to estimate how much of a pack is commits.
const SAMPLE: usize = 512;

/// Below this share of commits among a pack's entries, the walk reads it.
const MIN_COMMIT_SHARE: f64 = 0.5;

/// Packs with fewer commits than this are decoded on one core: a thread costs more than
/// it saves, and small repositories are already read in parallel with each other.
const COMMITS_PER_THREAD: usize = 20_000;

/// Memory for delta bases per decoding thread.
const DELTA_CACHE_BYTES: usize = 8 * 1024 * 1024;

/// Deepest delta chain followed to learn an entry's kind.
const MAX_CHAIN: usize = 128;

/// What an entry of a pack is, as far as reading commits cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Commit,
    Other,
    /// A delta against an object outside the pack, or an entry that did not parse.
    Unknown,
}

/// Commits decoded from a repository's packs, each once, in pack order, for a walk to
/// claim as it reaches them.
///
/// They stay where they were decoded, each thread's share a part of its own with its
/// positions by id beside it (the thread indexes them as it finishes), rather than in one
/// map they would be moved into and out of: a large history is hundreds of thousands of
/// commits, and moving and indexing them one by one was a tenth of an ingest's time.
/// A position counts across the parts, one after another.
#[derive(Debug, Default)]
pub(super) struct Packed {
    parts: Vec<Part>,
}

#[derive(Debug)]
struct Part {
    /// The position of the part's first commit.
    start: u32,
    commits: Vec<GitCommit>,
    /// Within the part.
    positions: CommitMap<u32>,
    claimed: Vec<bool>,
}

impl Packed {
    /// Where the commit with this id sits, when the packs hold it, looking first beside
    /// `near` (its child's position, say): a parent nearly always sits next to its child
    /// in pack order, and a look-up in the index is a cache miss.
    pub(super) fn position_near(&self, id: &CommitId, near: u32) -> Option<u32> {
        [near.wrapping_add(1), near.wrapping_sub(1)]
            .into_iter()
            .find(|&p| {
                self.part_of(p)
                    .is_some_and(|part| part.commits[(p - part.start) as usize].id == *id)
            })
            .or_else(|| {
                self.parts
                    .iter()
                    .find_map(|part| part.positions.get(id).map(|i| part.start + i))
            })
    }

    /// Whether the packs' commits were decoded at all (they are not for a repository read
    /// before, nor for packs that are mostly trees and blobs).
    pub(super) fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }

    /// Claims the commit at `position` for the walk and gives its parents; `None` when it
    /// was claimed before.
    pub(super) fn claim(&mut self, position: u32) -> Option<&[CommitId]> {
        let part = self
            .parts
            .iter_mut()
            .find(|part| part.holds(position))
            .expect("positions come from position_near");
        let i = (position - part.start) as usize;
        if part.claimed[i] {
            return None;
        }
        part.claimed[i] = true;
        Some(&part.commits[i].parents)
    }

    /// The commits claimed, in pack order; the others (which no tip reaches) are dropped.
    pub(super) fn into_claimed(self) -> Vec<GitCommit> {
        let mut parts = self.parts.into_iter().map(Part::into_claimed);
        let mut commits = parts.next().unwrap_or_default();
        for part in parts {
            commits.extend(part);
        }
        commits
    }

    fn part_of(&self, position: u32) -> Option<&Part> {
        self.parts.iter().find(|part| part.holds(position))
    }

    fn len(&self) -> u32 {
        self.parts.last().map_or(0, |part| part.start + part.len())
    }
}

impl Part {
    /// The commits one thread decoded, indexed, less any that `earlier` parts hold (a
    /// commit may sit in two packs).
    fn new(mut commits: Vec<GitCommit>, earlier: &[Part]) -> Self {
        if !earlier.is_empty() {
            commits.retain(|c| {
                !earlier
                    .iter()
                    .any(|part| part.positions.contains_key(&c.id))
            });
        }
        let mut positions = CommitMap::default();
        positions.reserve(commits.len());
        for (i, c) in commits.iter().enumerate() {
            positions.insert(
                c.id,
                u32::try_from(i).expect("fewer than four billion commits"),
            );
        }
        Self {
            start: 0,
            claimed: vec![false; commits.len()],
            commits,
            positions,
        }
    }

    fn len(&self) -> u32 {
        u32::try_from(self.commits.len()).expect("fewer than four billion commits")
    }

    fn holds(&self, position: u32) -> bool {
        position >= self.start && position - self.start < self.len()
    }

    fn into_claimed(self) -> Vec<GitCommit> {
        let mut claimed = self.claimed.into_iter();
        let mut commits = self.commits;
        commits.retain(|_| claimed.next().unwrap_or(false));
        commits
    }
}

/// The commits of the packs in `objects` (a repository's objects folder) whose entries are
/// mostly commits, decoded with up to `threads` threads. Best effort: see the module docs.
pub(super) fn packed_commits(objects: &Path, threads: usize) -> Packed {
    let mut out = Packed::default();
    let Ok(dir) = std::fs::read_dir(objects.join("pack")) else {
        return out;
    };
    for entry in dir.flatten() {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "idx") {
            continue;
        }
        let Ok(bundle) = pack::Bundle::at(&path, gix::hash::Kind::Sha1) else {
            continue;
        };
        if commit_share(&bundle) < MIN_COMMIT_SHARE {
            continue;
        }
        let entries = entries_by_offset(&bundle.index);
        let offsets: Vec<u64> = entries.iter().map(|(offset, _)| *offset).collect();
        let kinds = kinds(&bundle, &offsets);
        let commits: Vec<(u64, u32)> = entries
            .into_iter()
            .zip(&kinds)
            .filter(|(_, k)| **k == Kind::Commit)
            .map(|(entry, _)| entry)
            .collect();
        let threads = threads.clamp(1, commits.len() / COMMITS_PER_THREAD + 1);
        let chunk = commits.len().div_ceil(threads).max(1);
        let earlier = &out.parts;
        let parts: Vec<Part> = std::thread::scope(|scope| {
            let workers: Vec<_> = commits
                .chunks(chunk)
                .map(|share| scope.spawn(|| Part::new(decode(&bundle, share), earlier)))
                .collect();
            workers
                .into_iter()
                .map(|w| w.join().expect("decoding does not panic"))
                .collect()
        });
        for mut part in parts {
            part.start = out.len();
            out.parts.push(part);
        }
    }
    out
}

/// The share of commits among entries sampled evenly in the index, which lists them by
/// id, so in no order of the pack's: a fair sample, without sorting the offsets of a
/// pack that turns out to be mostly trees and blobs.
fn commit_share(bundle: &pack::Bundle) -> f64 {
    let entries = bundle.index.num_objects();
    if entries == 0 {
        return 0.0;
    }
    let step = (entries as usize).div_ceil(SAMPLE).max(1);
    let (mut commits, mut sampled) = (0u32, 0u32);
    for i in (0..entries).step_by(step) {
        sampled += 1;
        let offset = bundle.index.pack_offset_at_index(i);
        if kind_by_chain(&bundle.pack, offset) == Kind::Commit {
            commits += 1;
        }
    }
    f64::from(commits) / f64::from(sampled)
}

/// An entry's kind found by following its delta chain within the pack.
fn kind_by_chain(data: &pack::data::File, mut offset: u64) -> Kind {
    for _ in 0..MAX_CHAIN {
        let Ok(entry) = data.entry(offset) else {
            return Kind::Unknown;
        };
        match entry.header {
            pack::data::entry::Header::Commit => return Kind::Commit,
            pack::data::entry::Header::OfsDelta { base_distance } => {
                match entry.checked_base_pack_offset(base_distance) {
                    Some(base) => offset = base,
                    None => return Kind::Unknown,
                }
            }
            pack::data::entry::Header::RefDelta { .. } => return Kind::Unknown,
            _ => return Kind::Other,
        }
    }
    Kind::Unknown
}

/// The kind of every entry, in pack order. A delta's base comes earlier in the pack when
/// it is given by offset, so one pass in pack order knows every base's kind when it needs
/// it; a base given by id is looked up in the index.
fn kinds(bundle: &pack::Bundle, offsets: &[u64]) -> Vec<Kind> {
    let mut kinds = Vec::with_capacity(offsets.len());
    for (i, &offset) in offsets.iter().enumerate() {
        let kind = match bundle.pack.entry(offset) {
            Err(_) => Kind::Unknown,
            Ok(entry) => match entry.header {
                pack::data::entry::Header::Commit => Kind::Commit,
                pack::data::entry::Header::OfsDelta { base_distance } => entry
                    .checked_base_pack_offset(base_distance)
                    .and_then(|base| position_before(offsets, i, base))
                    .map_or(Kind::Unknown, |j| kinds[j]),
                pack::data::entry::Header::RefDelta { base_id } => bundle
                    .index
                    .lookup(base_id)
                    .map(|e| bundle.index.pack_offset_at_index(e))
                    .and_then(|base| offsets[..i].binary_search(&base).ok())
                    .map_or(Kind::Unknown, |j| kinds[j]),
                _ => Kind::Other,
            },
        };
        kinds.push(kind);
    }
    kinds
}

/// Where `offset` is among `offsets[..end]` (sorted). Bases are usually close before their
/// deltas, so the search gallops back from `end` before it bisects.
fn position_before(offsets: &[u64], end: usize, offset: u64) -> Option<usize> {
    let mut span = 1;
    while span < end && offsets[end - span] > offset {
        span *= 2;
    }
    let start = end.saturating_sub(span);
    offsets[start..end]
        .binary_search(&offset)
        .ok()
        .map(|j| start + j)
}

/// The entries of one pack as their offsets and their positions in the index (where
/// their ids are), in pack order.
fn entries_by_offset(index: &pack::index::File) -> Vec<(u64, u32)> {
    let mut entries: Vec<(u64, u32)> = (0..index.num_objects())
        .map(|i| (index.pack_offset_at_index(i), i))
        .collect();
    entries.sort_unstable();
    entries
}

/// Decodes and parses the commits at `entries` (offsets and positions in the index);
/// entries that fail are left out.
fn decode(bundle: &pack::Bundle, entries: &[(u64, u32)]) -> Vec<GitCommit> {
    let mut inflate = gix::zlib::Inflate::default();
    let mut cache = pack::cache::lru::MemoryCappedHashmap::new(DELTA_CACHE_BYTES);
    let mut buf = Vec::new();
    let mut authors = Interner::default();
    let mut out = Vec::with_capacity(entries.len());
    let resolve = |id: &gix::oid, _: &mut Vec<u8>| {
        Ok(bundle
            .index
            .lookup(id)
            .map(|e| bundle.index.pack_offset_at_index(e))
            .and_then(|offset| bundle.pack.entry(offset).ok())
            .map(ResolvedBase::InPack))
    };
    for &(offset, i) in entries {
        let Ok(entry) = bundle.pack.entry(offset) else {
            continue;
        };
        let decoded = bundle
            .pack
            .decode_entry(entry, &mut buf, &mut inflate, &resolve, &mut cache);
        if !matches!(decoded, Ok(o) if o.kind == gix::object::Kind::Commit) {
            continue;
        }
        let id = commit_id(bundle.index.oid_at_index(i));
        if let Some(commit) = parse_commit(id, &buf, &mut authors) {
            out.push(commit);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn commit(n: u8, parents: &[u8]) -> GitCommit {
        GitCommit {
            id: [n; 20],
            parents: parents.iter().map(|&p| [p; 20]).collect(),
            month: pendulum_core::YearMonth::new(2026, 1).unwrap(),
            author_name: "Ada".into(),
            author_email: "ada@example.com".into(),
            coauthors: Vec::new(),
            lines: None,
        }
    }

    /// Two packs, the first decoded in two parts; the second holds commit 2 again.
    fn packed() -> Packed {
        let mut packed = Packed::default();
        let first = [
            Part::new(vec![commit(5, &[4]), commit(4, &[3, 9])], &[]),
            Part::new(vec![commit(3, &[2]), commit(2, &[1])], &[]),
        ];
        for mut part in first {
            part.start = packed.len();
            packed.parts.push(part);
        }
        let second = vec![commit(9, &[2]), commit(2, &[1]), commit(1, &[])];
        let mut second = Part::new(second, &packed.parts);
        second.start = packed.len();
        packed.parts.push(second);
        packed
    }

    #[test]
    fn commits_are_found_and_claimed_across_parts() {
        let mut packed = packed();
        let position = |packed: &Packed, n: u8, near| packed.position_near(&[n; 20], near);
        // Beside the hint, across a part's end, away from it, and not there.
        assert_eq!(position(&packed, 4, 0), Some(1));
        assert_eq!(position(&packed, 3, 1), Some(2));
        assert_eq!(position(&packed, 9, 0), Some(4));
        assert_eq!(position(&packed, 1, u32::MAX), Some(5));
        assert_eq!(position(&packed, 7, 2), None);
        assert_eq!(packed.claim(2), Some(&[[2; 20]][..]));
        assert_eq!(packed.claim(2), None);
        assert_eq!(packed.claim(0), Some(&[[4; 20]][..]));
        assert_eq!(packed.claim(5), Some(&[][..]));
        let ids: Vec<u8> = packed.into_claimed().iter().map(|c| c.id[0]).collect();
        assert_eq!(ids, [5, 3, 1]);
    }

    #[test]
    fn a_commit_in_two_packs_is_kept_once() {
        let packed = packed();
        assert_eq!(packed.len(), 6);
        assert_eq!(packed.position_near(&[2; 20], u32::MAX), Some(3));
    }
}
