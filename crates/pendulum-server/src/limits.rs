//! The limits on guessing passwords: sign-in attempts per client, and a back-off per
//! account.
//!
//! The per-client limit stops one client from trying many passwords quickly, and bounds
//! how much a flood of sign-ins can write to the audit log (its refusal is written once per
//! client and window). A client with many addresses gets past it, so each email address
//! also backs off after repeated failures, whoever sends them. The back-off is kept for
//! every address asked about, whether an account has it or not, and refuses before the
//! account is looked up: its answer and its timing say nothing about which accounts exist.
//!
//! Both are held in memory, each in a map of bounded size: when one is full, entries past
//! their time are dropped, then the oldest, so a flood of fresh addresses or emails costs
//! at most the cap. The cost of that bound is that such a flood can make the limits forget
//! an entry early.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use pendulum_core::Email;

use crate::client::ClientKey;

/// Sign-in attempts allowed per client (an IPv4 address or an IPv6 /64) in one window.
pub(crate) const LOGIN_ATTEMPTS: u32 = 10;
/// The window of [`LOGIN_ATTEMPTS`].
pub(crate) const LOGIN_WINDOW: Duration = Duration::from_secs(5 * 60);
/// Clients the rate limit remembers at most.
pub(crate) const LOGIN_CLIENTS_MAX: usize = 10_000;

/// Failed sign-ins for one email address that cost nothing more.
pub(crate) const BACKOFF_FREE_FAILURES: u32 = 5;
/// The wait after the failure that starts the back-off; each further one doubles it...
pub(crate) const BACKOFF_FIRST: Duration = Duration::from_secs(30);
/// ...up to this.
pub(crate) const BACKOFF_MAX: Duration = Duration::from_secs(15 * 60);
/// An address without a failure for this long starts again from nothing.
pub(crate) const BACKOFF_FORGET: Duration = Duration::from_secs(60 * 60);
/// Email addresses the back-off remembers at most.
pub(crate) const BACKOFF_EMAILS_MAX: usize = 10_000;

/// Whether a request may go on, and whether its refusal is the first of its kind in the
/// current period (the one to write to the audit log).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Admission {
    Allowed,
    Refused { first: bool, retry_after: Duration },
}

/// Sign-in attempts per client in a fixed window.
#[derive(Debug, Default)]
pub(crate) struct LoginLimiter {
    windows: Mutex<HashMap<ClientKey, Window>>,
}

#[derive(Debug, Clone, Copy)]
struct Window {
    start: Instant,
    attempts: u32,
}

impl LoginLimiter {
    /// Counts an attempt by `client` at `now`.
    pub(crate) fn admit(&self, client: ClientKey, now: Instant) -> Admission {
        let mut windows = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        let current = |w: &Window| now.saturating_duration_since(w.start) < LOGIN_WINDOW;
        if !windows.contains_key(&client) {
            make_room(&mut windows, LOGIN_CLIENTS_MAX, current, |w| w.start);
        }
        let window = windows.entry(client).or_insert(Window {
            start: now,
            attempts: 0,
        });
        if !current(window) {
            *window = Window {
                start: now,
                attempts: 0,
            };
        }
        window.attempts = window.attempts.saturating_add(1);
        if window.attempts <= LOGIN_ATTEMPTS {
            Admission::Allowed
        } else {
            Admission::Refused {
                first: window.attempts == LOGIN_ATTEMPTS + 1,
                retry_after: LOGIN_WINDOW
                    .saturating_sub(now.saturating_duration_since(window.start)),
            }
        }
    }
}

/// Failed sign-ins per email address, and the wait they impose.
#[derive(Debug, Default)]
pub(crate) struct AccountBackoff {
    failures: Mutex<HashMap<Email, Failures>>,
}

#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    last: Instant,
    /// Whether a refusal in the current wait has been audited.
    noted: bool,
}

impl Failures {
    fn wait(&self) -> Duration {
        match self.count.checked_sub(BACKOFF_FREE_FAILURES) {
            None => Duration::ZERO,
            Some(doublings) => BACKOFF_FIRST
                .saturating_mul(2u32.saturating_pow(doublings))
                .min(BACKOFF_MAX),
        }
    }

    fn remembered(&self, now: Instant) -> bool {
        now.saturating_duration_since(self.last) < BACKOFF_FORGET
    }
}

impl AccountBackoff {
    /// Whether a sign-in for `email` may be tried at `now`.
    pub(crate) fn admit(&self, email: &Email, now: Instant) -> Admission {
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        let Some(f) = failures.get_mut(email) else {
            return Admission::Allowed;
        };
        let waited = now.saturating_duration_since(f.last);
        let wait = f.wait();
        if waited >= wait {
            return Admission::Allowed;
        }
        let first = !f.noted;
        f.noted = true;
        Admission::Refused {
            first,
            retry_after: wait - waited,
        }
    }

    /// Records a failed sign-in for `email` at `now`.
    pub(crate) fn failed(&self, email: &Email, now: Instant) {
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        let remembered = |f: &Failures| f.remembered(now);
        if !failures.contains_key(email) {
            make_room(&mut failures, BACKOFF_EMAILS_MAX, remembered, |f| f.last);
        }
        let f = failures.entry(email.clone()).or_insert(Failures {
            count: 0,
            last: now,
            noted: false,
        });
        if !f.remembered(now) {
            f.count = 0;
        }
        *f = Failures {
            count: f.count.saturating_add(1),
            last: now,
            noted: false,
        };
    }

    /// Forgets the failures of `email`, after a sign-in that succeeded.
    pub(crate) fn succeeded(&self, email: &Email) {
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        failures.remove(email);
    }
}

/// Makes room for one more entry in a map of at most `max`: drops the entries no longer
/// `live`, then, if it is still full, the one with the oldest `time`.
fn make_room<K: Clone + Eq + Hash, V>(
    map: &mut HashMap<K, V>,
    max: usize,
    live: impl Fn(&V) -> bool,
    time: impl Fn(&V) -> Instant,
) {
    if map.len() < max {
        return;
    }
    map.retain(|_, v| live(v));
    while map.len() >= max {
        let Some(oldest) = map
            .iter()
            .min_by_key(|(_, v)| time(v))
            .map(|(k, _)| k.clone())
        else {
            return;
        };
        map.remove(&oldest);
    }
}

#[cfg(test)]
mod tests {
    use std::net::{IpAddr, Ipv4Addr};

    use super::*;

    fn client(n: u32) -> ClientKey {
        ClientKey::of(IpAddr::V4(Ipv4Addr::from(n)))
    }

    #[test]
    fn a_client_is_refused_past_its_attempts_and_the_first_refusal_is_marked() {
        let limiter = LoginLimiter::default();
        let start = Instant::now();
        for _ in 0..LOGIN_ATTEMPTS {
            assert_eq!(limiter.admit(client(1), start), Admission::Allowed);
        }
        let refusals: Vec<bool> = (0..3)
            .map(|_| match limiter.admit(client(1), start) {
                Admission::Refused { first, .. } => first,
                Admission::Allowed => panic!("allowed past the limit"),
            })
            .collect();
        assert_eq!(refusals, [true, false, false]);
        assert_eq!(limiter.admit(client(2), start), Admission::Allowed);
        assert_eq!(
            limiter.admit(client(1), start + LOGIN_WINDOW),
            Admission::Allowed,
            "a new window starts afresh"
        );
    }

    #[test]
    fn the_limiter_remembers_at_most_its_cap_of_clients() {
        let limiter = LoginLimiter::default();
        let start = Instant::now();
        for n in 0..(LOGIN_CLIENTS_MAX as u32 + 50) {
            limiter.admit(client(n), start + Duration::from_millis(u64::from(n)));
        }
        let windows = limiter.windows.lock().unwrap();
        assert_eq!(windows.len(), LOGIN_CLIENTS_MAX);
        assert!(!windows.contains_key(&client(0)), "the oldest went first");
    }

    #[test]
    fn the_back_off_grows_with_failures_and_ends_at_a_success() {
        let backoff = AccountBackoff::default();
        let email = Email::parse("someone@x.io").unwrap();
        let start = Instant::now();
        for _ in 0..BACKOFF_FREE_FAILURES - 1 {
            backoff.failed(&email, start);
            assert_eq!(backoff.admit(&email, start), Admission::Allowed);
        }
        let waits: Vec<Duration> = (0..7)
            .map(|_| {
                backoff.failed(&email, start);
                match backoff.admit(&email, start) {
                    Admission::Refused { retry_after, .. } => retry_after,
                    Admission::Allowed => Duration::ZERO,
                }
            })
            .collect();
        let secs: Vec<u64> = waits.iter().map(Duration::as_secs).collect();
        assert_eq!(secs, [30, 60, 120, 240, 480, 900, 900]);
        let later = start + Duration::from_secs(899);
        assert!(matches!(
            backoff.admit(&email, later),
            Admission::Refused { first: false, .. }
        ));
        assert_eq!(
            backoff.admit(&email, start + BACKOFF_MAX),
            Admission::Allowed
        );
        backoff.succeeded(&email);
        backoff.failed(&email, start + BACKOFF_MAX);
        assert_eq!(
            backoff.admit(&email, start + BACKOFF_MAX),
            Admission::Allowed,
            "a success starts again from nothing"
        );
    }

    #[test]
    fn old_failures_are_forgotten_and_the_map_stays_bounded() {
        let backoff = AccountBackoff::default();
        let email = Email::parse("someone@x.io").unwrap();
        let start = Instant::now();
        for _ in 0..BACKOFF_FREE_FAILURES {
            backoff.failed(&email, start);
        }
        backoff.failed(&email, start + BACKOFF_FORGET);
        assert_eq!(
            backoff.admit(&email, start + BACKOFF_FORGET),
            Admission::Allowed
        );
        for n in 0..BACKOFF_EMAILS_MAX + 10 {
            let other = Email::parse(&format!("u{n}@x.io")).unwrap();
            backoff.failed(&other, start + BACKOFF_FORGET);
        }
        assert_eq!(backoff.failures.lock().unwrap().len(), BACKOFF_EMAILS_MAX);
    }
}
