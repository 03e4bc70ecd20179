//! What the server's HTTP tests share: accounts with API tokens, a server on port 0, a
//! client that shows redirects instead of following them, the CSRF field of a form, and
//! cookies and the sign-in form.

// Each test file uses its own share of these helpers.
#![allow(dead_code)]

pub mod plans;

use std::net::SocketAddr;
use std::path::Path;
use std::sync::OnceLock;

use pendulum_app::Db;
use pendulum_core::{Account, AccountRole, Email, PersonId};
use pendulum_server::{AppState, Transport, auth};
use pendulum_store::{NewAccount, Store};
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
    store: &Db,
    label: &str,
    person: Option<&str>,
    role: AccountRole,
) -> String {
    let email = Email::parse(&format!("{}@accounts.x.io", label.replace(' ', "-"))).unwrap();
    create_account(store, &email, role, person).await;
    let token = auth::new_token().unwrap();
    store
        .create_token(&email, &token.id, &token.hash)
        .await
        .unwrap();
    token.token
}

/// Creates the account `email` with [`PASSWORD`], tied to `person` when one is given.
pub async fn create_account(store: &Db, email: &Email, role: AccountRole, person: Option<&str>) {
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
}

/// A fresh database in `dir` holding the org of the CSV files `(name, text)`, imported as
/// `pendulum import` would.
pub async fn store_with_org(dir: &std::path::Path, files: &[(&str, &str)]) -> Db {
    let store = Db::open(&dir.join("app.db").display().to_string())
        .await
        .unwrap();
    import_csv(&store, files).await;
    store
}

/// Creates the account `email` (tied to `person` when one is given) with a signed-in
/// session made in the store, as sign-in makes it, and returns the session cookie's value.
/// For tests about what pages show rather than about signing in; every form of the session
/// carries [`SESSION_CSRF`].
pub async fn account_with_session(
    store: &Db,
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

/// Imports CSV `files` (name and text) into `store`, as `pendulum import` would.
pub async fn import_csv(store: &Db, files: &[(&str, &str)]) {
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

/// A fresh database in `dir` with an admin account for each of `emails`, all with
/// [`PASSWORD`].
pub async fn store_with_admins(dir: &Path, emails: &[&str]) -> Db {
    let store = Db::open(&dir.join("app.db").display().to_string())
        .await
        .unwrap();
    for email in emails {
        create_account(
            &store,
            &Email::parse(email).unwrap(),
            AccountRole::Admin,
            None,
        )
        .await;
    }
    store
}

/// The value of the cookie whose name ends with `name` in a response's Set-Cookie
/// headers (so that `pendulum_login` finds its `__Secure-` form too), with the whole
/// header.
pub fn set_cookie(response: &reqwest::Response, name: &str) -> Option<(String, String)> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| {
            let (key, rest) = v.split_once('=')?;
            key.ends_with(name).then(|| {
                let value = rest.split(';').next().unwrap_or_default().to_owned();
                (value, v.to_owned())
            })
        })
}

/// Sends the sign-in form as a browser would: the page first, for its CSRF cookie and
/// field, then the form with `email` and `password`, and `headers` on both requests.
pub async fn sign_in_with(
    addr: SocketAddr,
    email: &str,
    password: &str,
    headers: &[(&str, &str)],
) -> reqwest::Response {
    let mut page = client().get(format!("http://{addr}/login"));
    for (name, value) in headers {
        page = page.header(*name, *value);
    }
    let page = page.send().await.unwrap();
    let (value, header) = set_cookie(&page, "pendulum_login").expect("a sign-in cookie");
    let name = header.split('=').next().unwrap().to_owned();
    let csrf = hidden_csrf(&page.text().await.unwrap());
    let mut post = client()
        .post(format!("http://{addr}/login"))
        .header("cookie", format!("{name}={value}"));
    for (name, value) in headers {
        post = post.header(*name, *value);
    }
    post.form(&[
        ("csrf", csrf.as_str()),
        ("email", email),
        ("password", password),
    ])
    .send()
    .await
    .unwrap()
}

/// Signs in as `email`; the session cookie's value, when the sign-in succeeded.
pub async fn session_of(addr: SocketAddr, email: &str, password: &str) -> Option<String> {
    let response = sign_in_with(addr, email, password, &[]).await;
    set_cookie(&response, "pendulum_session").map(|(v, _)| v)
}

/// A page as the browser with `session` sees it: status and body.
pub async fn get_page(
    addr: SocketAddr,
    session: &str,
    path: &str,
) -> (reqwest::StatusCode, String) {
    let response = client()
        .get(format!("http://{addr}{path}"))
        .header("cookie", format!("pendulum_session={session}"))
        .send()
        .await
        .unwrap();
    (response.status(), response.text().await.unwrap())
}

/// The audit log's lines for `action`, oldest first, each as `actor outcome`.
pub async fn audit_of(store: &Db, action: &str) -> Vec<String> {
    store
        .audit_log()
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.action == action)
        .map(|e| format!("{} {}", e.actor, e.outcome))
        .collect()
}

/// The error a page shows (its `role="alert"` paragraph), or nothing.
pub fn alert(html: &str) -> &str {
    html.split("role=\"alert\">")
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .unwrap_or_default()
}
