//! Signing in under attack, over real HTTP: floods with huge fields, clients behind a
//! proxy, guessing one account's password from many addresses, the cookies behind TLS, and
//! the purge of expired sessions.

mod common;

use std::path::Path;

use common::{PASSWORD, set_cookie, sign_in_with, store_with_admins};
use pendulum_app::Db;
use pendulum_core::Email;
use pendulum_server::{AppState, ProxyRange, TrustedProxies};
use pendulum_store::{Actor, NewSession, Store};
use reqwest::StatusCode;

/// The bytes of the database and its write-ahead log.
fn database_bytes(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with("app.db"))
        .map(|e| e.metadata().unwrap().len())
        .sum()
}

fn trusting(ranges: &[&str]) -> TrustedProxies {
    TrustedProxies::new(ranges.iter().map(|r| r.parse::<ProxyRange>().unwrap()))
}

/// A sign-in flood writes one rate-limit line per client and window, whatever it sends: a
/// form far larger than a sign-in needs is refused before it is read, and no line keeps
/// more of a field than an email address can hold.
#[tokio::test]
async fn a_sign_in_flood_with_huge_fields_does_not_grow_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with_admins(dir.path(), &["admin@x.io"]).await;
    let addr = common::serve(AppState::new(store.clone(), None)).await;
    let before = database_bytes(dir.path());

    let huge = format!("{}@x.io", "a".repeat(1 << 20));
    for _ in 0..20 {
        let response = sign_in_with(addr, &huge, "guess", &[]).await;
        assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    }
    // Within the form's limit, but no email address: past the limit of attempts.
    let long = format!("{}@x.io", "b".repeat(4000));
    let mut statuses = Vec::new();
    for _ in 0..30 {
        statuses.push(sign_in_with(addr, &long, "guess", &[]).await.status());
    }
    assert_eq!(statuses[9], StatusCode::UNAUTHORIZED);
    assert!(
        statuses[10..]
            .iter()
            .all(|s| *s == StatusCode::TOO_MANY_REQUESTS)
    );

    let log = store.audit_log().await.unwrap();
    let rate_limited: Vec<_> = log
        .iter()
        .filter(|e| e.outcome == "rate-limited")
        .map(|e| (e.actor.clone(), e.subject.clone()))
        .collect();
    assert_eq!(
        rate_limited,
        [(Actor::Unknown, Some("127.0.0.1".to_owned()))],
        "one line for the client and window, naming its address only"
    );
    assert_eq!(log.len(), 11, "ten refused sign-ins and one rate limit");
    assert!(
        log.iter()
            .all(|e| e.subject.as_ref().is_none_or(|s| s.len() <= 64)),
        "{log:?}"
    );
    let grown = database_bytes(dir.path()) - before;
    assert!(grown < 1 << 20, "the database grew by {grown} bytes");
}

/// Behind a trusted proxy, clients are told apart by `X-Forwarded-For`; from anyone else
/// the header is ignored. IPv6 clients count by their /64.
#[tokio::test]
async fn clients_behind_a_trusted_proxy_are_limited_each_on_their_own() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with_admins(dir.path(), &["admin@x.io"]).await;
    let state = AppState::new(store, None).with_trusted_proxies(trusting(&["127.0.0.1/32"]));
    let addr = common::serve(state).await;
    let attempt = |n: usize, client: &'static str| async move {
        let email = format!("u{n}@x.io");
        let headers = [("x-forwarded-for", client)];
        sign_in_with(addr, &email, "guess", &headers).await.status()
    };
    for n in 0..10 {
        assert_eq!(attempt(n, "203.0.113.1").await, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(
        attempt(10, "203.0.113.1").await,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        attempt(11, "203.0.113.2").await,
        StatusCode::UNAUTHORIZED,
        "another client behind the same proxy is not locked out"
    );
    assert_eq!(
        attempt(12, "198.51.100.7, 203.0.113.2").await,
        StatusCode::UNAUTHORIZED,
        "a hop the client wrote itself changes nothing"
    );
    for n in 0..10 {
        attempt(20 + n, "2001:db8:0:1::1").await;
    }
    assert_eq!(
        attempt(30, "2001:db8:0:1::ffff").await,
        StatusCode::TOO_MANY_REQUESTS,
        "one /64 is one client"
    );
    assert_eq!(
        attempt(31, "2001:db8:0:2::1").await,
        StatusCode::UNAUTHORIZED
    );

    // Not trusted: the header is the client's word, and all these attempts are one client's.
    let dir = tempfile::tempdir().unwrap();
    let store = store_with_admins(dir.path(), &["admin@x.io"]).await;
    let state = AppState::new(store, None).with_trusted_proxies(trusting(&["10.0.0.0/8"]));
    let addr = common::serve(state).await;
    let mut last = StatusCode::OK;
    for n in 0..11 {
        let forwarded = format!("203.0.113.{n}");
        let headers = [("x-forwarded-for", forwarded.as_str())];
        last = sign_in_with(addr, &format!("u{n}@x.io"), "guess", &headers)
            .await
            .status();
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
}

/// Guessing one address's password from many clients meets a growing wait, and the wait
/// looks the same whether or not an account has the address.
#[tokio::test]
async fn failed_sign_ins_for_one_email_back_off_alike_for_known_and_unknown() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with_admins(dir.path(), &["known@x.io", "other@x.io"]).await;
    let state = AppState::new(store.clone(), None).with_trusted_proxies(trusting(&["127.0.0.1"]));
    let addr = common::serve(state).await;
    let mut client = 0;
    let mut attempt = async |email: &str, password: &str| {
        client += 1;
        let forwarded = format!("203.0.113.{client}");
        let response =
            sign_in_with(addr, email, password, &[("x-forwarded-for", &forwarded)]).await;
        let status = response.status();
        let retry = response
            .headers()
            .get("retry-after")
            .map(|v| v.to_str().unwrap().to_owned());
        let error = common::alert(&response.text().await.unwrap()).to_owned();
        (status, retry, error)
    };
    let mut answers = Vec::new();
    for email in ["known@x.io", "nobody@x.io"] {
        for _ in 0..5 {
            let (status, ..) = attempt(email, "wrong password").await;
            assert_eq!(status, StatusCode::UNAUTHORIZED);
        }
        // Even the right password waits now.
        answers.push(attempt(email, PASSWORD).await);
    }
    for (status, retry, error) in &answers {
        assert_eq!(*status, StatusCode::TOO_MANY_REQUESTS);
        let retry: u64 = retry.as_deref().unwrap().parse().unwrap();
        assert!((1..=30).contains(&retry), "{retry}");
        assert_eq!(
            error,
            "Too many failed sign-ins for this email address; try again in 1 minute."
        );
    }

    let (status, ..) = attempt("other@x.io", PASSWORD).await;
    assert_eq!(
        status,
        StatusCode::SEE_OTHER,
        "other addresses are not held up"
    );
    let (status, ..) = attempt("other@x.io", "wrong password").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    let backed_off: Vec<_> = store
        .audit_log()
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.outcome == "backed-off")
        .map(|e| e.actor.to_string())
        .collect();
    assert_eq!(backed_off, ["known@x.io", "nobody@x.io"]);
}

/// Behind TLS, the cookie that clears the sign-in form's token is `Secure` too: a
/// `__Secure-` cookie set without it is ignored by browsers, and would linger.
#[tokio::test]
async fn behind_tls_the_sign_in_cookie_is_cleared_with_secure() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with_admins(dir.path(), &["admin@x.io"]).await;
    let addr = common::serve(AppState::new(store, None).with_secure_cookies()).await;
    let response = sign_in_with(addr, "admin@x.io", PASSWORD, &[]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (value, clear) = set_cookie(&response, "__Secure-pendulum_login").expect("cleared");
    assert_eq!(value, "");
    for attribute in ["Max-Age=0", "; Secure", "HttpOnly", "Path=/login"] {
        assert!(clear.contains(attribute), "{attribute} in {clear}");
    }
    let (_, session) = set_cookie(&response, "__Host-pendulum_session").expect("a session");
    assert!(session.contains("; Secure"), "{session}");
}

/// Sessions past their timeouts are deleted when the server starts (and every few
/// minutes after), not only when their cookie comes back.
#[tokio::test]
async fn expired_sessions_are_purged_without_being_used() {
    let dir = tempfile::tempdir().unwrap();
    let store: Db = store_with_admins(dir.path(), &["admin@x.io"]).await;
    let email = Email::parse("admin@x.io").unwrap();
    let now = chrono::Utc::now().timestamp();
    for (id, created, seen) in [
        ("idle", now - 3600, now - 3600),
        ("old", now - 86_400, now - 10),
        ("fresh", now - 60, now - 10),
    ] {
        let session = NewSession {
            id_hash: id.into(),
            account: email.clone(),
            csrf: "c".into(),
            now: created,
        };
        store.create_session(&session).await.unwrap();
        store.touch_session(id, seen).await.unwrap();
    }
    let addr = common::serve(AppState::new(store.clone(), None)).await;
    let health = common::client()
        .get(format!("http://{addr}/healthz"))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), StatusCode::OK);
    for (id, kept) in [("idle", false), ("old", false), ("fresh", true)] {
        assert_eq!(store.session(id).await.unwrap().is_some(), kept, "{id}");
    }
}
