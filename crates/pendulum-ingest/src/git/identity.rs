//! Who a commit belongs to: a person of the ledger, a bot, or an identity nobody claimed.
//!
//! A commit's author is first resolved through the repository's mailmap (git's own
//! semantics), then matched, ignoring case, against every person's email and aliases. Bots
//! are recognised by the policy's patterns on the name or the email.

use std::collections::HashMap;

use pendulum_core::policy::Git;
use pendulum_core::{Person, PersonId};

/// Addresses of the ledger's people and the policy's bot patterns, ready for matching.
#[derive(Debug, Clone)]
pub struct Identities {
    people: Vec<PersonId>,
    by_email: HashMap<String, usize>,
    bots: Vec<String>,
    digest: String,
}

/// Whom an identity stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Match {
    Person(usize),
    Bot,
    Nobody,
}

impl Identities {
    pub fn new(people: &[Person], policy: &Git) -> Self {
        let mut by_email = HashMap::new();
        let mut ids = Vec::with_capacity(people.len());
        let mut digest = Fnv::default();
        for (i, p) in people.iter().enumerate() {
            ids.push(p.id.clone());
            for email in std::iter::once(&p.email).chain(&p.aliases) {
                by_email.insert(email.as_str().to_owned(), i);
                digest.write(p.id.as_str().as_bytes());
                digest.write(b"=");
                digest.write(email.as_str().as_bytes());
                digest.write(b"\n");
            }
        }
        let bots: Vec<String> = policy
            .bot_patterns
            .iter()
            .map(|b| b.to_lowercase())
            .collect();
        for b in &bots {
            digest.write(b"bot ");
            digest.write(b.as_bytes());
            digest.write(b"\n");
        }
        Self {
            people: ids,
            by_email,
            bots,
            digest: format!("{:016x}", digest.0),
        }
    }

    /// A digest of the addresses and patterns: when it changes, every commit kept must be
    /// matched again.
    pub fn digest(&self) -> &str {
        &self.digest
    }

    /// How many people there are; [`Identities::person`] takes an index below it.
    pub(super) fn len(&self) -> usize {
        self.people.len()
    }

    pub(super) fn person(&self, i: usize) -> &PersonId {
        &self.people[i]
    }

    /// Matches a (mailmapped) name and email.
    pub(super) fn resolve(&self, name: &str, email: &str) -> Match {
        let email = email.to_lowercase();
        if let Some(&i) = self.by_email.get(&email) {
            return Match::Person(i);
        }
        let name = name.to_lowercase();
        if self
            .bots
            .iter()
            .any(|p| glob(p.as_bytes(), name.as_bytes()) || glob(p.as_bytes(), email.as_bytes()))
        {
            Match::Bot
        } else {
            Match::Nobody
        }
    }
}

/// Whether `text` matches `pattern` as a whole, `*` standing for any run of bytes.
fn glob(pattern: &[u8], text: &[u8]) -> bool {
    // The classic greedy match with one backtrack point, linear in practice.
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pattern.len() && pattern[p] == b'*' {
            star = Some((p, t));
            p += 1;
        } else if p < pattern.len() && pattern[p] == text[t] {
            p += 1;
            t += 1;
        } else if let Some((sp, st)) = star {
            p = sp + 1;
            t = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|&b| b == b'*')
}

/// FNV-1a, 64 bits: a digest that stays the same across builds, unlike std's hasher.
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::glob;

    #[test]
    fn globs_match_whole_text_with_stars() {
        assert!(glob(b"*[bot]*", b"dependabot[bot]"));
        assert!(glob(b"*-bot@*", b"ci-bot@example.com"));
        assert!(!glob(b"*-bot", b"abbot"));
        assert!(glob(b"a*b*c", b"axxbyyc"));
        assert!(!glob(b"a*b*c", b"axxbyy"));
        assert!(glob(b"*", b""));
    }
}
