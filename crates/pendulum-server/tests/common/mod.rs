//! What the server's HTTP tests share: accounts with API tokens, a server on port 0, a
//! client that shows redirects instead of following them, and the CSRF field of a form.

// Each test file uses its own share of these helpers.
#![allow(dead_code)]

pub mod plans;

use std::net::SocketAddr;
use std::sync::OnceLock;

use pendulum_core::{Account, AccountRole, Email, PersonId};
use pendulum_server::{AppState, auth};
use pendulum_store::{NewAccount, SqliteStore, Store};
use reqwest::redirect::Policy as Redirects;

pub const PASSWORD: &str = "correct horse battery";

/// The hash of [`PASSWORD`], computed once: Argon2 is slow on purpose.
pub fn password_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| auth::hash_password(PASSWORD).unwrap())
}

/// Creates the account `{label}@accounts.x.io` (spaces become dashes), tied to `person`
/// when one is given, and returns a fresh API token for it.
pub async fn account_with_token(
    store: &SqliteStore,
    label: &str,
    person: Option<&str>,
    role: AccountRole,
) -> String {
    let email = Email::parse(&format!("{}@accounts.x.io", label.replace(' ', "-"))).unwrap();
    let account = Account {
        email: email.clone(),
        role,
        person: person.map(|p| PersonId::parse(p).unwrap()),
    };
    store
        .create_account(&NewAccount {
            account,
            password_hash: password_hash().into(),
        })
        .await
        .unwrap();
    let token = auth::new_token().unwrap();
    store
        .create_token(&email, &token.id, &token.hash)
        .await
        .unwrap();
    token.token
}

/// A fresh database in `dir` holding the org of the CSV files `(name, text)`, imported as
/// `pendulum import` would.
pub async fn store_with_org(dir: &std::path::Path, files: &[(&str, &str)]) -> SqliteStore {
    let store = SqliteStore::open(&dir.join("app.db")).await.unwrap();
    let files: Vec<pendulum_exchange::InputFile> = files
        .iter()
        .map(|(name, text)| pendulum_exchange::InputFile {
            name: (*name).into(),
            bytes: text.as_bytes().to_vec(),
        })
        .collect();
    let import = pendulum_exchange::parse_import(
        &files,
        &pendulum_core::Policy::default(),
        &pendulum_core::Ledger::default(),
    )
    .unwrap();
    store
        .apply(&pendulum_core::Change::inserting(&import.parts))
        .await
        .unwrap();
    store
}

/// Creates the account `email` (tied to `person` when one is given) with a signed-in
/// session made in the store, as sign-in makes it, and returns the session cookie's value.
/// For tests about what pages show rather than about signing in; every form of the session
/// carries [`SESSION_CSRF`].
pub async fn account_with_session(
    store: &SqliteStore,
    email: &str,
    role: AccountRole,
    person: Option<&str>,
) -> String {
    let account = Account {
        email: Email::parse(email).unwrap(),
        role,
        person: person.map(|p| PersonId::parse(p).unwrap()),
    };
    store
        .create_account(&NewAccount {
            account: account.clone(),
            password_hash: password_hash().into(),
        })
        .await
        .unwrap();
    let id = auth::new_token().unwrap().token;
    store
        .create_session(&pendulum_store::NewSession {
            id_hash: auth::token_hash(&id),
            account: account.email,
            csrf: SESSION_CSRF.into(),
            now: chrono::Utc::now().timestamp(),
        })
        .await
        .unwrap();
    id
}

/// The CSRF token of the sessions [`account_with_session`] makes.
pub const SESSION_CSRF: &str = "5e551015e551015e551015e551015e551015e551015e551015e551015e551015";

/// Serves `state` on a free port of the loopback interface until the test ends.
pub async fn serve(state: AppState) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(pendulum_server::serve(
        listener,
        state,
        std::future::pending(),
    ));
    addr
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(Redirects::none())
        .build()
        .unwrap()
}

/// The value of a page's hidden `csrf` field.
pub fn hidden_csrf(html: &str) -> String {
    let at = html
        .find("name=\"csrf\" value=\"")
        .expect("a form with a CSRF field")
        + 19;
    html[at..at + 64].to_owned()
}

/// A JSON API call with an optional bearer token and JSON body: the status, and the body
/// as JSON (or as a JSON string when it is not JSON).
pub async fn api_call(
    addr: SocketAddr,
    token: Option<&str>,
    method: reqwest::Method,
    path: &str,
    body: Option<&str>,
) -> (reqwest::StatusCode, serde_json::Value) {
    let mut request = client().request(method, format!("http://{addr}{path}"));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(body) = body {
        request = request
            .header("content-type", "application/json")
            .body(body.to_owned());
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text)),
    )
}
