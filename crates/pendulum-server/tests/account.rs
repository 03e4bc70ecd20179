//! An account's own page over real HTTP: changing one's password and signing out
//! everywhere, each ending the sessions it should and nothing else.

mod common;

use std::net::SocketAddr;

use common::{
    PASSWORD, alert, client, get_page as get, hidden_csrf, session_of as session, set_cookie,
    store_with_admins,
};
use pendulum_app::Db;
use pendulum_server::AppState;
use pendulum_store::Store;
use reqwest::StatusCode;

const NEW_PASSWORD: &str = "a much longer password";

/// A server with the accounts of Ada, signed in twice (here and elsewhere), and Bo.
struct Fixture {
    _dir: tempfile::TempDir,
    store: Db,
    addr: SocketAddr,
    here: String,
    elsewhere: String,
    someone_else: String,
}

async fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with_admins(dir.path(), &["ada@x.io", "bo@x.io"]).await;
    let addr = common::serve(AppState::new(store.clone(), None)).await;
    Fixture {
        here: session(addr, "ada@x.io", PASSWORD).await.unwrap(),
        elsewhere: session(addr, "ada@x.io", PASSWORD).await.unwrap(),
        someone_else: session(addr, "bo@x.io", PASSWORD).await.unwrap(),
        _dir: dir,
        store,
        addr,
    }
}

/// Posts a form of the account page with its CSRF token.
async fn post(
    addr: SocketAddr,
    session: &str,
    action: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let (_, html) = get(addr, session, "/account").await;
    let csrf = hidden_csrf(&html);
    let mut form = vec![("csrf", csrf.as_str())];
    form.extend_from_slice(fields);
    client()
        .post(format!("http://{addr}{action}"))
        .header("cookie", format!("pendulum_session={session}"))
        .form(&form)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_password_change_needs_the_current_one_and_ends_the_other_sessions() {
    let Fixture {
        _dir,
        store,
        addr,
        here,
        elsewhere,
        someone_else,
    } = fixture().await;

    let (status, html) = get(addr, &here, "/people").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("href=\"/account\""),
        "the nav links the account page"
    );

    let forged = client()
        .post(format!("http://{addr}/account/password"))
        .header("cookie", format!("pendulum_session={here}"))
        .form(&[
            ("csrf", "0".repeat(64).as_str()),
            ("current", PASSWORD),
            ("new", NEW_PASSWORD),
            ("repeat", NEW_PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(
        forged.status(),
        StatusCode::FORBIDDEN,
        "a form from elsewhere"
    );

    let refused = [
        (
            [
                ("current", "not my password"),
                ("new", NEW_PASSWORD),
                ("repeat", NEW_PASSWORD),
            ],
            StatusCode::FORBIDDEN,
            "The current password is wrong.",
        ),
        (
            [
                ("current", PASSWORD),
                ("new", "too short"),
                ("repeat", "too short"),
            ],
            StatusCode::UNPROCESSABLE_ENTITY,
            "New password: the password must be at least 12 characters long.",
        ),
        (
            [
                ("current", PASSWORD),
                ("new", NEW_PASSWORD),
                ("repeat", "a typo in it"),
            ],
            StatusCode::UNPROCESSABLE_ENTITY,
            "The new password and its repetition differ.",
        ),
    ];
    for (fields, status, message) in refused {
        let response = post(addr, &here, "/account/password", &fields).await;
        assert_eq!(response.status(), status, "{message}");
        assert_eq!(alert(&response.text().await.unwrap()), message);
    }

    let changed = post(
        addr,
        &here,
        "/account/password",
        &[
            ("current", PASSWORD),
            ("new", NEW_PASSWORD),
            ("repeat", NEW_PASSWORD),
        ],
    )
    .await;
    assert_eq!(changed.status(), StatusCode::SEE_OTHER);
    assert_eq!(changed.headers()["location"], "/account?done=password");
    let (status, html) = get(addr, &here, "/account?done=password").await;
    assert_eq!(status, StatusCode::OK, "this browser stays signed in");
    assert!(html.contains("Password changed"), "{html}");
    let (status, _) = get(addr, &elsewhere, "/account").await;
    assert_eq!(status, StatusCode::SEE_OTHER, "the other session has ended");
    let (status, _) = get(addr, &someone_else, "/account").await;
    assert_eq!(status, StatusCode::OK, "another account's session stays");

    assert_eq!(session(addr, "ada@x.io", PASSWORD).await, None);
    assert!(session(addr, "ada@x.io", NEW_PASSWORD).await.is_some());

    assert_eq!(
        common::audit_of(&store, "change password").await,
        ["ada@x.io denied", "ada@x.io ok"]
    );
}

#[tokio::test]
async fn signing_out_everywhere_ends_every_session_of_the_account() {
    let Fixture {
        _dir,
        store,
        addr,
        here,
        elsewhere,
        someone_else,
    } = fixture().await;

    let response = post(addr, &here, "/account/sign-out-everywhere", &[]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()["location"], "/login");
    let (cleared, _) = set_cookie(&response, "pendulum_session").unwrap();
    assert_eq!(cleared, "");
    for ended in [&here, &elsewhere] {
        let (status, _) = get(addr, ended, "/account").await;
        assert_eq!(status, StatusCode::SEE_OTHER);
    }
    let (status, _) = get(addr, &someone_else, "/account").await;
    assert_eq!(status, StatusCode::OK);
    let audited = store
        .audit_log()
        .await
        .unwrap()
        .into_iter()
        .any(|e| e.action == "sign out everywhere" && e.actor.to_string() == "ada@x.io");
    assert!(audited);
}
