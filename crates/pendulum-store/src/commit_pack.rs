//! The commits a git ingest remembers, written as compact blobs ("commit packs").
//!
//! A large history is hundreds of thousands of commits that are only ever read and written
//! whole: an ingest loads all of them when something changed and appends the ones it read.
//! One row per commit cost as much as reading the repository (an index entry, a page split
//! and a statement per commit), so each ingest appends one blob instead: the authors and
//! trailers once, in a string table, then the commits' ids, then each commit's parents,
//! month and indexes into that table. A parent is nearly always a commit of the same pack,
//! so it is written as that commit's index (three bytes at most) rather than its id. A later `--diffstat` run that counts lines of commits kept from before
//! appends their counts as records of their own; reading applies them over the commits.
//!
//! The layout is the same for every backend (a BLOB in SQLite, a BYTEA in PostgreSQL):
//!
//! ```text
//! "PCP2"
//! strings:  count, then each as length + UTF-8 bytes
//! commits:  count, then every id (20 bytes each), then for each commit: parent count and
//!           each parent as 1 + the index of a commit of this pack, or 0 + its id (20
//!           bytes); month, author name and email (string indexes), co-author count +
//!           string indexes, and a flag byte: 1 followed by lines added and removed, or 0
//! counted:  count, then each as id, lines added, lines removed
//! ```
//!
//! Counts, indexes and numbers are unsigned LEB128; the month is `year * 12 + month - 1`.

use std::collections::HashMap;
use std::sync::Arc;

use pendulum_core::{CommitId, CommitMap, GitCommit, YearMonth};
use rustc_hash::FxHashMap;

const MAGIC: &[u8; 4] = b"PCP2";

/// Lines added and removed, counted later, of a commit kept from an earlier ingest.
pub type Counted = (CommitId, (u64, u64));

/// Why a commit pack could not be read: the blob is damaged or from a newer pendulum.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("commit pack is damaged at byte {at}: {what}")]
pub struct PackError {
    /// Which of the packs given to [`decode_all`] is damaged, counting from 0.
    pub pack: usize,
    at: usize,
    what: &'static str,
}

/// Writes commits read for the first time and line counts of commits kept before.
pub fn encode(commits: &[GitCommit], counted: &[Counted]) -> Vec<u8> {
    // The string table comes first, so it is gathered in a first pass over the commits,
    // which notes each commit's author as indexes into it for the second.
    let mut strings = Strings::default();
    let authors: Vec<(u64, u64)> = commits
        .iter()
        .map(|c| {
            let author = (
                strings.shared(&c.author_name),
                strings.shared(&c.author_email),
            );
            for value in &c.coauthors {
                strings.intern(value);
            }
            author
        })
        .collect();
    let text: usize = strings.list.iter().map(|s| s.len() + 2).sum();
    let mut out = Vec::with_capacity(8 + text + commits.len() * 56 + counted.len() * 24);
    out.extend_from_slice(MAGIC);
    put(&mut out, strings.list.len() as u64);
    for s in &strings.list {
        put(&mut out, s.len() as u64);
        out.extend_from_slice(s.as_bytes());
    }
    put(&mut out, commits.len() as u64);
    let mut index: CommitMap<u64> = CommitMap::default();
    index.reserve(commits.len());
    for (i, c) in commits.iter().enumerate() {
        out.extend_from_slice(&c.id);
        index.insert(c.id, i as u64);
    }
    // A parent nearly always sits next to its child (histories are read and packed in
    // the order of their walks), and a look-up in the index is a cache miss.
    let position = |i: usize, id: &CommitId| {
        [i + 1, i.wrapping_sub(1)]
            .into_iter()
            .find(|&j| commits.get(j).is_some_and(|c| c.id == *id))
            .map(|j| j as u64)
            .or_else(|| index.get(id).copied())
    };
    for (i, (c, (name, email))) in commits.iter().zip(authors).enumerate() {
        put(&mut out, c.parents.len() as u64);
        for p in &c.parents {
            match position(i, p) {
                Some(j) => put(&mut out, j + 1),
                None => {
                    out.push(0);
                    out.extend_from_slice(p);
                }
            }
        }
        put(&mut out, month_code(c.month));
        put(&mut out, name);
        put(&mut out, email);
        put(&mut out, c.coauthors.len() as u64);
        for value in &c.coauthors {
            put(&mut out, strings.index[value.as_str()]);
        }
        match c.lines {
            Some((added, removed)) => {
                out.push(1);
                put(&mut out, added);
                put(&mut out, removed);
            }
            None => out.push(0),
        }
    }
    put(&mut out, counted.len() as u64);
    for (id, (added, removed)) in counted {
        out.extend_from_slice(id);
        put(&mut out, *added);
        put(&mut out, *removed);
    }
    out
}

/// The string table of a pack being written: each distinct text once.
#[derive(Default)]
struct Strings<'a> {
    list: Vec<&'a str>,
    index: HashMap<&'a str, u64>,
    /// Indexes of shared texts by where they live: the commits of one author share one
    /// copy of the name and the email, so most of them need no hashing of the text.
    shared: FxHashMap<*const u8, u64>,
}

impl<'a> Strings<'a> {
    fn intern(&mut self, s: &'a str) -> u64 {
        *self.index.entry(s).or_insert_with(|| {
            self.list.push(s);
            self.list.len() as u64 - 1
        })
    }

    fn shared(&mut self, s: &'a Arc<str>) -> u64 {
        // The commits borrowed keep each text alive, so no address is reused meanwhile.
        let at = Arc::as_ptr(s).cast::<u8>();
        if let Some(&i) = self.shared.get(&at) {
            return i;
        }
        let i = self.intern(s);
        self.shared.insert(at, i);
        i
    }
}

/// Reads packs written by [`encode`], in the order they were written, into every commit
/// with the line counts of later packs applied.
pub fn decode_all<'a>(
    packs: impl IntoIterator<Item = &'a [u8]>,
) -> Result<Vec<GitCommit>, PackError> {
    let mut commits = Vec::new();
    let mut counted = Vec::new();
    for (n, pack) in packs.into_iter().enumerate() {
        decode(pack, &mut commits, &mut counted).map_err(|e| PackError { pack: n, ..e })?;
    }
    if !counted.is_empty() {
        let at: CommitMap<usize> = commits.iter().enumerate().map(|(i, c)| (c.id, i)).collect();
        for (id, lines) in counted {
            // A count for a commit no pack holds is left alone: there is nothing to apply
            // it to, and the commit would be counted again if it came back.
            if let Some(&i) = at.get(&id) {
                commits[i].lines = Some(lines);
            }
        }
    }
    Ok(commits)
}

fn decode(
    bytes: &[u8],
    commits: &mut Vec<GitCommit>,
    counted: &mut Vec<Counted>,
) -> Result<(), PackError> {
    let mut r = Reader { bytes, at: 0 };
    if r.take(4)? != MAGIC {
        return Err(r.error("not a commit pack of this version"));
    }
    let n = r.count()?;
    let mut strings: Vec<Arc<str>> = Vec::with_capacity(n);
    for _ in 0..n {
        let len = r.count()?;
        let text = std::str::from_utf8(r.take(len)?).map_err(|_| r.error("text is not UTF-8"))?;
        strings.push(Arc::from(text));
    }
    let string = |r: &mut Reader<'_>| -> Result<Arc<str>, PackError> {
        let i = r.count()?;
        strings
            .get(i)
            .cloned()
            .ok_or_else(|| r.error("string index out of range"))
    };
    let n = r.count()?;
    commits.reserve(n);
    let ids: Vec<CommitId> = (0..n).map(|_| r.id()).collect::<Result<_, _>>()?;
    for &id in &ids {
        let parents = (0..r.count()?)
            .map(|_| match r.count()? {
                0 => r.id(),
                i => ids
                    .get(i - 1)
                    .copied()
                    .ok_or_else(|| r.error("parent index out of range")),
            })
            .collect::<Result<Vec<_>, _>>()?;
        let month = month_of(r.number()?).ok_or_else(|| r.error("month out of range"))?;
        let author_name = string(&mut r)?;
        let author_email = string(&mut r)?;
        let coauthors = (0..r.count()?)
            .map(|_| string(&mut r).map(|s| s.to_string()))
            .collect::<Result<Vec<_>, _>>()?;
        let lines = match r.take(1)?[0] {
            0 => None,
            1 => Some((r.number()?, r.number()?)),
            _ => return Err(r.error("bad lines flag")),
        };
        commits.push(GitCommit {
            id,
            parents,
            month,
            author_name,
            author_email,
            coauthors,
            lines,
        });
    }
    for _ in 0..r.count()? {
        counted.push((r.id()?, (r.number()?, r.number()?)));
    }
    if r.at != bytes.len() {
        return Err(r.error("trailing bytes"));
    }
    Ok(())
}

fn month_code(m: YearMonth) -> u64 {
    // Commit dates before year 0 do not occur; clamp rather than wrap if one did.
    u64::try_from(i64::from(m.year()) * 12 + i64::from(m.month()) - 1).unwrap_or(0)
}

fn month_of(code: u64) -> Option<YearMonth> {
    let year = i32::try_from(code / 12).ok()?;
    YearMonth::new(year, u32::try_from(code % 12).ok()? + 1)
}

/// Appends `value` as unsigned LEB128.
fn put(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn error(&self, what: &'static str) -> PackError {
        PackError {
            pack: 0,
            at: self.at,
            what,
        }
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], PackError> {
        let end = self
            .at
            .checked_add(n)
            .filter(|&end| end <= self.bytes.len())
            .ok_or_else(|| self.error("truncated"))?;
        let out = &self.bytes[self.at..end];
        self.at = end;
        Ok(out)
    }

    fn id(&mut self) -> Result<CommitId, PackError> {
        Ok(self.take(20)?.try_into().expect("twenty bytes taken"))
    }

    fn number(&mut self) -> Result<u64, PackError> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.take(1)?[0];
            value |= u64::from(byte & 0x7f) << shift;
            if byte < 0x80 {
                return Ok(value);
            }
        }
        Err(self.error("number too long"))
    }

    /// A count or an index: never more than the bytes left could hold, so a damaged count
    /// cannot make a reader reserve memory out of proportion to the blob.
    fn count(&mut self) -> Result<usize, PackError> {
        let n = self.number()?;
        usize::try_from(n)
            .ok()
            .filter(|&n| n <= self.bytes.len())
            .ok_or_else(|| self.error("count out of range"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn commit(n: u8, parents: &[u8], lines: Option<(u64, u64)>) -> GitCommit {
        GitCommit {
            id: [n; 20],
            parents: parents.iter().map(|&p| [p; 20]).collect(),
            month: YearMonth::new(2024 + i32::from(n % 3), u32::from(n % 12) + 1).unwrap(),
            author_name: Arc::from(format!("Dev {}", n % 2)),
            author_email: Arc::from(format!("dev{}@example.com", n % 2)),
            coauthors: if n.is_multiple_of(2) {
                vec!["Ada <ada@example.com>".to_owned()]
            } else {
                Vec::new()
            },
            lines,
        }
    }

    #[test]
    fn commits_and_later_counts_round_trip() {
        let first = vec![
            commit(1, &[], Some((10, 2))),
            commit(2, &[1], None),
            commit(3, &[1, 2], None),
            commit(200, &[3], Some((0, u64::MAX))),
        ];
        let second = vec![commit(4, &[200], None)];
        let packs = [
            encode(&first, &[]),
            encode(&second, &[([2; 20], (7, 1)), ([99; 20], (1, 1))]),
        ];
        let read = decode_all(packs.iter().map(Vec::as_slice)).unwrap();
        let mut expected: Vec<GitCommit> = first.into_iter().chain(second).collect();
        expected[1].lines = Some((7, 1));
        assert_eq!(read, expected);
    }

    #[test]
    fn parents_are_found_before_after_and_away_from_their_children() {
        // Newest first, as git packs them: the parent follows its child.
        let newest_first = vec![
            commit(5, &[4, 1], None),
            commit(4, &[3], None),
            commit(3, &[2], None),
            commit(2, &[1], None),
            commit(1, &[], None),
        ];
        let mut oldest_first = newest_first.clone();
        oldest_first.reverse();
        for commits in [newest_first, oldest_first] {
            let pack = encode(&commits, &[]);
            assert_eq!(decode_all([pack.as_slice()]).unwrap(), commits);
            // Every parent is one of the pack's own commits: none is written as an id.
            assert!(pack.len() < 4 + 64 + 5 * (20 + 16));
        }
    }

    #[test]
    fn an_empty_pack_is_valid() {
        assert_eq!(decode_all([encode(&[], &[]).as_slice()]).unwrap(), []);
    }

    #[test]
    fn damage_is_an_error_never_a_panic() {
        let pack = encode(&[commit(1, &[], None), commit(2, &[1], Some((3, 4)))], &[]);
        for end in 0..pack.len() {
            assert!(decode_all([&pack[..end]]).is_err(), "truncated at {end}");
        }
        let mut flipped = pack.clone();
        for i in 0..flipped.len() {
            flipped[i] ^= 0xff;
            // Any outcome but a panic is acceptable for a flipped byte inside an id.
            let _ = decode_all([flipped.as_slice()]);
            flipped[i] ^= 0xff;
        }
        // The error says which pack is damaged.
        let good = encode(&[commit(3, &[], None)], &[]);
        assert_eq!(
            decode_all([good.as_slice(), &pack[..10]]).unwrap_err().pack,
            1
        );
        let mut huge_count = MAGIC.to_vec();
        huge_count.extend_from_slice(&[0xff, 0xff, 0xff, 0xff, 0x0f]);
        assert!(decode_all([huge_count.as_slice()]).is_err());
    }
}
