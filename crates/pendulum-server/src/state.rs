//! What every request shares: the store, and the ledger and policy read from it, cached
//! until the store's revision says someone (this server or a `pendulum` command) wrote.

use std::sync::{Arc, Weak};

use pendulum_app::Db;
use pendulum_app::acting::WriteError;
use pendulum_app::plans::{PlanLimits, Planner};
use pendulum_core::{Ledger, Policy};
use pendulum_store::{Actor, AuditEntry, Store};
use tokio::sync::{Mutex, RwLock};

use crate::AppError;

/// Argon2 hashes and verifications running at once: two per core of a small server.
pub(crate) const PASSWORD_WORK_AT_ONCE: usize = 4;

/// The ledger and the policy as of one revision of the store.
#[derive(Debug)]
pub struct Snapshot {
    pub revision: i64,
    pub ledger: Ledger,
    pub policy: Policy,
}

/// Shared by every request; cheap to clone.
#[derive(Debug, Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    store: Db,
    /// A policy file given at start, which wins over the stored policy.
    policy_override: Option<Policy>,
    cache: RwLock<Option<Arc<Snapshot>>>,
    /// Writes are checked against the ledger they were read with; one at a time keeps that
    /// check true until the write commits.
    writing: Mutex<()>,
    /// Behind TLS: cookies get `Secure` and the `__Host-` prefix.
    secure_cookies: bool,
    /// Whose `X-Forwarded-For` names the client.
    trusted_proxies: crate::client::TrustedProxies,
    login_limiter: crate::limits::LoginLimiter,
    account_backoff: crate::limits::AccountBackoff,
    /// A hash to verify against when an email has no account, so that a failed sign-in
    /// takes as long whether or not the account exists.
    decoy_hash: std::sync::OnceLock<String>,
    /// Slots for Argon2 work (each hash or verification holds 19 MiB and tens of
    /// milliseconds of a core): a sign-in flood from many addresses waits for a slot
    /// instead of holding memory for every request in flight.
    password_work: tokio::sync::Semaphore,
    /// The solve slots, the rotation plans kept for the current revision of the store and
    /// the background planner of the default rotation plan.
    planner: Planner,
    /// The store's revisions, read in batches, and the accounts behind API tokens.
    fresh: crate::fresh::Fresh,
}

/// The state as the background planner holds it: it must not keep a server's store open
/// once the server is gone.
#[derive(Debug, Clone)]
pub(crate) struct WeakState {
    inner: Weak<Inner>,
}

impl WeakState {
    pub fn upgrade(&self) -> Option<AppState> {
        self.inner.upgrade().map(|inner| AppState { inner })
    }
}

impl AppState {
    pub fn new(store: Db, policy_override: Option<Policy>) -> Self {
        Self {
            inner: Arc::new(Inner {
                store,
                policy_override,
                cache: RwLock::new(None),
                writing: Mutex::new(()),
                secure_cookies: false,
                trusted_proxies: crate::client::TrustedProxies::default(),
                login_limiter: crate::limits::LoginLimiter::default(),
                account_backoff: crate::limits::AccountBackoff::default(),
                decoy_hash: std::sync::OnceLock::new(),
                password_work: tokio::sync::Semaphore::new(PASSWORD_WORK_AT_ONCE),
                planner: Planner::new(PlanLimits::default()),
                fresh: crate::fresh::Fresh::default(),
            }),
        }
    }

    /// Sets what the solvers may cost (the defaults are [`PlanLimits::default`]).
    pub fn with_plan_limits(self, limits: PlanLimits) -> Self {
        let mut inner = Arc::into_inner(self.inner).expect("configured before it is shared");
        inner.planner = Planner::new(limits);
        Self {
            inner: Arc::new(inner),
        }
    }

    pub(crate) fn planner(&self) -> &Planner {
        &self.inner.planner
    }

    pub(crate) fn downgrade(&self) -> WeakState {
        WeakState {
            inner: Arc::downgrade(&self.inner),
        }
    }

    /// The store's revision, as read after this call began.
    pub(crate) async fn store_revision(&self) -> Result<i64, AppError> {
        Ok(self.revisions().await?.ledger)
    }

    pub(crate) fn fresh(&self) -> &crate::fresh::Fresh {
        &self.inner.fresh
    }

    /// Marks the server as reached over TLS (directly or behind a proxy), so cookies are
    /// only ever sent over it.
    pub fn with_secure_cookies(self) -> Self {
        let mut inner = Arc::into_inner(self.inner).expect("configured before it is shared");
        inner.secure_cookies = true;
        Self {
            inner: Arc::new(inner),
        }
    }

    /// Believes `X-Forwarded-For` on connections from these proxies (see `client.rs`).
    pub fn with_trusted_proxies(self, proxies: crate::client::TrustedProxies) -> Self {
        let mut inner = Arc::into_inner(self.inner).expect("configured before it is shared");
        inner.trusted_proxies = proxies;
        Self {
            inner: Arc::new(inner),
        }
    }

    pub(crate) fn trusted_proxies(&self) -> &crate::client::TrustedProxies {
        &self.inner.trusted_proxies
    }

    pub(crate) fn session_cookie(&self) -> &'static str {
        if self.inner.secure_cookies {
            "__Host-pendulum_session"
        } else {
            "pendulum_session"
        }
    }

    pub(crate) fn login_cookie(&self) -> &'static str {
        if self.inner.secure_cookies {
            "__Secure-pendulum_login"
        } else {
            "pendulum_login"
        }
    }

    /// Whether the server is reached over TLS only, which browsers are then told to keep to.
    pub(crate) fn secure_cookies(&self) -> bool {
        self.inner.secure_cookies
    }

    pub(crate) fn secure_attr(&self) -> &'static str {
        if self.inner.secure_cookies {
            "; Secure"
        } else {
            ""
        }
    }

    pub(crate) fn login_limiter(&self) -> &crate::limits::LoginLimiter {
        &self.inner.login_limiter
    }

    pub(crate) fn account_backoff(&self) -> &crate::limits::AccountBackoff {
        &self.inner.account_backoff
    }

    /// Runs Argon2 work (`f`: a hash or a verification) on a blocking thread, at most
    /// [`PASSWORD_WORK_AT_ONCE`] at a time; others wait their turn, within the request's
    /// time budget.
    pub(crate) async fn password_work<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, AppError> {
        let _slot = self
            .inner
            .password_work
            .acquire()
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?;
        tokio::task::spawn_blocking(f)
            .await
            .map_err(|e| AppError::Internal(e.to_string()))
    }

    pub(crate) fn decoy_hash(&self) -> &str {
        self.inner.decoy_hash.get_or_init(|| {
            crate::auth::hash_password("no account has this password").unwrap_or_default()
        })
    }

    pub fn store(&self) -> &Db {
        &self.inner.store
    }

    /// The current ledger and policy: the cached ones while the store's revision is
    /// unchanged, freshly read otherwise.
    pub async fn snapshot(&self) -> Result<Arc<Snapshot>, AppError> {
        let revision = self.store_revision().await?;
        if let Some(s) = self.inner.cache.read().await.as_ref()
            && s.revision == revision
        {
            return Ok(s.clone());
        }
        let mut cache = self.inner.cache.write().await;
        if let Some(s) = cache.as_ref()
            && s.revision == revision
        {
            return Ok(s.clone());
        }
        let policy = match &self.inner.policy_override {
            Some(p) => p.clone(),
            None => self.inner.store.policy().await?.unwrap_or_default(),
        };
        let ledger = self.inner.store.ledger(&policy.ladder).await?;
        let snapshot = Arc::new(Snapshot {
            revision,
            ledger,
            policy,
        });
        *cache = Some(snapshot.clone());
        Ok(snapshot)
    }

    /// Runs a write of `pendulum_app` on the store and the current snapshot with the write
    /// lock held: every write of the server goes through here, so that the ledger a use
    /// case checks a change against is still the stored one when it writes. (Another process
    /// writing to the same database meanwhile is the store's conflict.)
    pub async fn write<T>(
        &self,
        f: impl AsyncFnOnce(&Db, &Snapshot) -> Result<T, WriteError>,
    ) -> Result<T, AppError> {
        let _one_at_a_time = self.inner.writing.lock().await;
        // The revisions this request read on arrival may predate a write that held the
        // lock meanwhile: the ledger a change is checked against is read after the lock.
        crate::fresh::forget_seen();
        let snapshot = self.snapshot().await?;
        let outcome = f(&self.inner.store, &snapshot).await;
        crate::fresh::forget_seen();
        self.inner.planner.wake();
        Ok(outcome?)
    }

    /// Records a refused write or read in the audit log and gives the error to return.
    pub async fn deny(
        &self,
        account: &pendulum_core::Account,
        action: &'static str,
        subject: Option<&str>,
        message: &str,
    ) -> AppError {
        self.audit(Some(&account.email), action, subject, "denied")
            .await;
        AppError::Forbidden(message.to_owned())
    }

    /// Appends to the audit log. A failure to audit is logged, not shown to the client:
    /// the action itself already happened or was refused. Actions and outcomes are words
    /// of ours; the subject may come from a request, and the store keeps at most
    /// `AuditEntry::MAX_SUBJECT_CHARS` of it.
    pub async fn audit(
        &self,
        actor: Option<&pendulum_core::Email>,
        action: &'static str,
        subject: Option<&str>,
        outcome: &'static str,
    ) {
        let entry = AuditEntry {
            actor: actor.map_or(Actor::Unknown, |a| Actor::Account(a.clone())),
            action: action.to_owned(),
            subject: subject.map(str::to_owned),
            outcome: outcome.to_owned(),
        };
        if let Err(e) = self.inner.store.audit(&entry).await {
            tracing::error!(error = %e, action, "cannot write the audit log");
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    /// However many sign-ins arrive at once, no more Argon2 work runs than there are slots.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn password_work_runs_a_few_at_a_time() {
        let dir = tempfile::tempdir().unwrap();
        let store = Db::open(&dir.path().join("p.db").display().to_string())
            .await
            .unwrap();
        let state = AppState::new(store, None);
        let running = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let tasks: Vec<_> = (0..4 * PASSWORD_WORK_AT_ONCE)
            .map(|_| {
                let (state, running, most) = (state.clone(), running.clone(), most.clone());
                tokio::spawn(async move {
                    state
                        .password_work(move || {
                            let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                            most.fetch_max(now, Ordering::SeqCst);
                            std::thread::sleep(std::time::Duration::from_millis(20));
                            running.fetch_sub(1, Ordering::SeqCst);
                        })
                        .await
                })
            })
            .collect();
        for task in tasks {
            task.await.unwrap().unwrap();
        }
        let most = most.load(Ordering::SeqCst);
        assert!(
            (1..=PASSWORD_WORK_AT_ONCE).contains(&most),
            "{most} ran at once"
        );
    }
}
