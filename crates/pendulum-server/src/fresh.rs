//! What a request reads of the store before anything else: the store's revisions, read in
//! batches, and the accounts behind API tokens, kept while the revisions stand still.
//!
//! Every request must see every write that ended before it arrived, whether this server,
//! another server on the same database or a `pendulum` command made it. So each request
//! needs the revisions as read *after* it arrived. Requests that arrive while a read is
//! under way wait for the next one, which starts as soon as that one ends: under load one
//! query answers every request that came during the one before, and no request is answered
//! with a revision read before it came. On PostgreSQL that turns two round trips per request
//! (the revision, then the token) into a fraction of one.

use std::cell::Cell;
use std::collections::HashMap;
use std::sync::Mutex;

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use pendulum_core::Account;
use pendulum_store::{Revisions, Store};
use tokio::sync::oneshot;

use crate::{AppError, AppState};

/// How many tokens' accounts are kept at most; past that the whole map is dropped and
/// refilled by the next requests, so that no stream of tokens makes it grow.
const TOKENS_KEPT: usize = 4096;

/// Owned by the server's state.
#[derive(Debug, Default)]
pub(crate) struct Fresh {
    queue: Mutex<Queue>,
    /// The account behind each recently used token (by the token's hash), with the
    /// revisions it was read at: good while the store's revisions are the same. A revoked
    /// token, a disabled account or a changed role moves the access revision; an erase moves
    /// the ledger's.
    tokens: Mutex<HashMap<String, (Revisions, Account)>>,
}

#[derive(Debug, Default)]
struct Queue {
    /// Requests waiting for the next read.
    waiting: Vec<oneshot::Sender<Result<Revisions, String>>>,
    /// Whether a reader is running; it reads until nobody waits.
    reading: bool,
}

/// Ends a reader that did not end by itself (a panic in the driver): the next request
/// starts a new one, and the requests it leaves behind are answered with an error rather
/// than waiting forever.
struct ReaderGone<'a>(&'a Mutex<Queue>);

impl Drop for ReaderGone<'_> {
    fn drop(&mut self) {
        let mut queue = self.0.lock().unwrap_or_else(|e| e.into_inner());
        queue.reading = false;
        queue.waiting.clear();
    }
}

tokio::task_local! {
    /// The revisions a request has read, so that its extractors and its handler see one
    /// state of the store and read it once.
    static SEEN: Cell<Option<Revisions>>;
}

/// The middleware that gives each request its own [`SEEN`].
pub(crate) async fn per_request(request: Request, next: Next) -> Response {
    SEEN.scope(Cell::new(None), next.run(request)).await
}

/// Forgets the revisions the current request has read: after it wrote, what it reads next
/// must include its own write.
pub(crate) fn forget_seen() {
    let _ = SEEN.try_with(|seen| seen.set(None));
}

impl AppState {
    /// The store's revisions as read after the current request arrived (or, outside a
    /// request, after this call began).
    pub(crate) async fn revisions(&self) -> Result<Revisions, AppError> {
        if let Ok(Some(seen)) = SEEN.try_with(Cell::get) {
            return Ok(seen);
        }
        let read = self.read_in_turn().await?;
        let _ = SEEN.try_with(|seen| seen.set(Some(read)));
        Ok(read)
    }

    /// The store's revisions from the first read to start after this call began.
    async fn read_in_turn(&self) -> Result<Revisions, AppError> {
        let (tx, rx) = oneshot::channel();
        let start_reader = {
            let mut queue = self.fresh().queue.lock().unwrap_or_else(|e| e.into_inner());
            queue.waiting.push(tx);
            !std::mem::replace(&mut queue.reading, true)
        };
        if start_reader {
            // Spawned, so that a request that goes away mid-read does not strand the
            // others waiting on the same read.
            let state = self.clone();
            tokio::spawn(async move { state.read_revisions().await });
        }
        match rx.await {
            Ok(read) => read.map_err(AppError::Internal),
            Err(_) => Err(AppError::Internal(
                "the store's revision could not be read".into(),
            )),
        }
    }

    /// Reads the revisions for every request waiting, again and again until none waits.
    async fn read_revisions(&self) {
        let queue = &self.fresh().queue;
        let gone = ReaderGone(queue);
        loop {
            let waiting = {
                let mut queue = queue.lock().unwrap_or_else(|e| e.into_inner());
                if queue.waiting.is_empty() {
                    // Under the same lock as the check, so that a request that comes next
                    // starts a reader of its own.
                    queue.reading = false;
                    std::mem::forget(gone);
                    return;
                }
                std::mem::take(&mut queue.waiting)
            };
            let read = self.store().revisions().await.map_err(|e| e.to_string());
            for request in waiting {
                // A request that went away no longer listens; that is fine.
                let _ = request.send(read.clone());
            }
        }
    }

    /// The enabled account holding the live API token with this hash, as stored now.
    pub(crate) async fn account_for_token(
        &self,
        token_hash: &str,
    ) -> Result<Option<Account>, AppError> {
        let now = self.revisions().await?;
        let tokens = &self.fresh().tokens;
        if let Some((seen, account)) = tokens
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(token_hash)
            && *seen == now
        {
            return Ok(Some(account.clone()));
        }
        // Read after `now`: should anything change in between, the account is kept under
        // revisions older than the stored ones, and read again by the next request.
        let account = self.store().account_for_token(token_hash).await?;
        let mut tokens = tokens.lock().unwrap_or_else(|e| e.into_inner());
        match &account {
            Some(account) => {
                if tokens.len() >= TOKENS_KEPT {
                    tokens.clear();
                }
                tokens.insert(token_hash.to_owned(), (now, account.clone()));
            }
            None => {
                tokens.remove(token_hash);
            }
        }
        Ok(account)
    }
}

#[cfg(test)]
mod tests {
    use pendulum_app::Db;
    use pendulum_core::{AccountRole, Email};
    use pendulum_store::NewAccount;

    use super::*;

    async fn state() -> (tempfile::TempDir, AppState) {
        let dir = tempfile::tempdir().unwrap();
        let store = Db::open(&dir.path().join("p.db").display().to_string())
            .await
            .unwrap();
        (dir, AppState::new(store, None))
    }

    /// However many requests ask at once, each is answered; and each sees the writes that
    /// ended before it asked.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn requests_at_once_share_reads_and_each_sees_the_writes_before_it() {
        let (_dir, state) = state().await;
        let asks: Vec<_> = (0..200)
            .map(|_| {
                let state = state.clone();
                tokio::spawn(async move { state.revisions().await.unwrap() })
            })
            .collect();
        for ask in asks {
            assert_eq!(ask.await.unwrap(), Revisions::default());
        }
        for _ in 0..5 {
            let before = state.revisions().await.unwrap();
            state
                .store()
                .apply(&pendulum_core::Change::default())
                .await
                .unwrap();
            let after = state.revisions().await.unwrap();
            assert!(after.ledger > before.ledger, "{before:?} -> {after:?}");
        }
    }

    /// A kept account is given only while nothing about access changed: a revoked token or
    /// a disabled account is refused on the very next call.
    #[tokio::test]
    async fn a_token_is_refused_as_soon_as_it_is_revoked_or_its_account_disabled() {
        let (_dir, state) = state().await;
        let email = Email::parse("m@x.io").unwrap();
        let new = |role| NewAccount {
            account: Account {
                email: email.clone(),
                role,
                person: None,
            },
            password_hash: "$argon2id$x".into(),
        };
        state
            .store()
            .create_account(&new(AccountRole::Manager))
            .await
            .unwrap();
        for (id, hash) in [("t1", "h1"), ("t2", "h2")] {
            state.store().create_token(&email, id, hash).await.unwrap();
        }
        for _ in 0..2 {
            let kept = state.account_for_token("h1").await.unwrap().unwrap();
            assert_eq!(kept.role, AccountRole::Manager);
        }
        assert!(state.store().revoke_token("t1").await.unwrap());
        assert_eq!(state.account_for_token("h1").await.unwrap(), None);

        assert!(state.account_for_token("h2").await.unwrap().is_some());
        state
            .store()
            .set_account_disabled(&email, true)
            .await
            .unwrap();
        assert_eq!(state.account_for_token("h2").await.unwrap(), None);
        assert_eq!(state.account_for_token("unknown").await.unwrap(), None);
    }
}
