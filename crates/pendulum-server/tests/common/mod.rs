//! What the server's HTTP tests share: accounts with API tokens, a server on port 0, a
//! client that shows redirects instead of following them, and the CSRF field of a form.

// Each test file uses its own share of these helpers.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::OnceLock;

use pendulum_core::{Account, AccountRole, Email, PersonId};
use pendulum_server::{AppState, Transport, auth};
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

/// Imports CSV `files` (name and text) into `store`, as `pendulum import` would.
pub async fn import_csv(store: &SqliteStore, files: &[(&str, &str)]) {
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
}

/// Serves `state` on a free port of the loopback interface until the test ends.
pub async fn serve(state: AppState) -> SocketAddr {
    serve_with(state, Transport::default()).await
}

/// [`serve`] with other time limits and bounds than the defaults.
pub async fn serve_with(state: AppState, transport: Transport) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(pendulum_server::serve_with(
        listener,
        state,
        transport,
        std::future::pending(),
    ));
    addr
}

/// Signs `email` in with [`PASSWORD`] through the sign-in form; returns the session
/// cookie's value.
pub async fn sign_in(addr: SocketAddr, email: &str) -> String {
    let page = client()
        .get(format!("http://{addr}/login"))
        .send()
        .await
        .unwrap();
    let login = cookie(&page, "pendulum_login").expect("a login cookie");
    let csrf = hidden_csrf(&page.text().await.unwrap());
    let response = client()
        .post(format!("http://{addr}/login"))
        .header("cookie", format!("pendulum_login={login}"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("email", email),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        reqwest::StatusCode::SEE_OTHER,
        "{email} signs in"
    );
    cookie(&response, "pendulum_session").expect("a session cookie")
}

/// The value of the cookie `name` that `response` sets.
pub fn cookie(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix(&format!("{name}=")).map(str::to_owned))
        .map(|v| v.split(';').next().unwrap_or_default().to_owned())
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
