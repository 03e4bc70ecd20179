//! Two servers on one PostgreSQL database, as behind a load balancer: what one writes the
//! other reads at the next request, a session or a token made through one works on the
//! other, and two swings of one person sent to both at once never both win.
//!
//! Skipped, saying so, without a PostgreSQL server for tests (`PENDULUM_TEST_POSTGRES`; see
//! `scripts/test-postgres`); with `CI=true` a missing server fails the run instead.

mod common;

use std::net::SocketAddr;

use pendulum_app::Db;
use pendulum_core::AccountRole;
use pendulum_server::AppState;
use pendulum_store::Store;
use pendulum_store_postgres::testing::scratch_database;
use reqwest::{Method, StatusCode};

/// Ten engineers under one manager, each with an open stint to swing from.
fn org() -> (String, String) {
    let mut people =
        String::from("id,name,email,level,team,manager\nboss,Bo Boss,boss@x.io,L7,t0,\n");
    let mut stints = String::from("person,role,level,team,start\nboss,manager,L7,t0,2019-01-01\n");
    for i in 0..10 {
        people.push_str(&format!("e{i},Eng {i},e{i}@x.io,L4,t0,boss\n"));
        stints.push_str(&format!("e{i},engineer,L4,t0,2021-01-01\n"));
    }
    (people, stints)
}

struct Pair {
    a: SocketAddr,
    b: SocketAddr,
    admin: String,
}

/// Two servers, each with its own connections to one fresh database.
async fn two_servers() -> Option<Pair> {
    let url = scratch_database().await?;
    let first = Db::open(&url).await.unwrap();
    let (people, stints) = org();
    common::import_csv(&first, &[("people.csv", &people), ("stints.csv", &stints)]).await;
    let admin = common::account_with_token(&first, "admin", None, AccountRole::Admin).await;
    common::create_account(
        &first,
        &pendulum_core::Email::parse("boss@x.io").unwrap(),
        AccountRole::Manager,
        Some("boss"),
    )
    .await;
    let second = Db::open(&url).await.unwrap();
    Some(Pair {
        a: common::serve(AppState::new(first, None)).await,
        b: common::serve(AppState::new(second, None)).await,
        admin,
    })
}

#[tokio::test]
async fn a_write_through_one_server_is_read_through_the_other() {
    let Some(pair) = two_servers().await else {
        return;
    };
    let token = Some(pair.admin.as_str());
    // Both have read (and cached) the ledger before the write.
    for addr in [pair.a, pair.b] {
        let (status, person) = common::api_call(
            addr,
            token,
            Method::GET,
            "/api/v1/people/e1?as_of=2026-06-15",
            None,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{person}");
        assert_eq!(person["role"], "engineer");
    }
    let (status, body) = common::api_call(
        pair.a,
        token,
        Method::POST,
        "/api/v1/people/e1/swings",
        Some(r#"{"to": "manager", "on": "2026-06-01"}"#),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (_, person) = common::api_call(
        pair.b,
        token,
        Method::GET,
        "/api/v1/people/e1?as_of=2026-06-15",
        None,
    )
    .await;
    assert_eq!(
        person["role"], "manager",
        "the other server reads the swing at once"
    );
}

#[tokio::test]
async fn a_session_or_a_token_made_through_one_server_works_on_the_other() {
    let Some(pair) = two_servers().await else {
        return;
    };
    let session = common::sign_in(pair.a, "boss@x.io").await;
    let (status, page) = common::get_page(pair.b, &session, "/people/e2").await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("Eng 2"), "{page}");
    let (status, _) = common::api_call(
        pair.b,
        Some(&pair.admin),
        Method::GET,
        "/api/v1/people",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);

    // Signing out through the other server ends the session for both.
    let (_, page) = common::get_page(pair.b, &session, "/").await;
    let csrf = common::hidden_csrf(&page);
    let out = common::client()
        .post(format!("http://{}/logout", pair.b))
        .header("cookie", format!("pendulum_session={session}"))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), StatusCode::SEE_OTHER);
    let (status, _) = common::get_page(pair.a, &session, "/people/e2").await;
    assert_eq!(
        status,
        StatusCode::SEE_OTHER,
        "a signed-out session is sent to sign in"
    );
}

#[tokio::test]
async fn two_swings_of_one_person_sent_to_both_servers_at_once_never_both_win() {
    let Some(pair) = two_servers().await else {
        return;
    };
    let token = Some(pair.admin.as_str());
    // Both servers read the ledger first, so that each has the open stint cached.
    for addr in [pair.a, pair.b] {
        common::api_call(addr, token, Method::GET, "/api/v1/people", None).await;
    }
    for i in 0..10 {
        let path = format!("/api/v1/people/e{i}/swings");
        let (first, second) = tokio::join!(
            common::api_call(
                pair.a,
                token,
                Method::POST,
                &path,
                Some(r#"{"to": "manager", "on": "2026-06-01"}"#)
            ),
            common::api_call(
                pair.b,
                token,
                Method::POST,
                &path,
                Some(r#"{"to": "tech_lead", "on": "2026-06-01"}"#)
            ),
        );
        let mut statuses = [first.0, second.0];
        statuses.sort();
        assert_eq!(
            statuses[0],
            StatusCode::CREATED,
            "one swing of e{i} wins: {first:?} {second:?}"
        );
        assert!(
            matches!(
                statuses[1],
                StatusCode::CONFLICT | StatusCode::UNPROCESSABLE_ENTITY
            ),
            "the other of e{i} is refused: {first:?} {second:?}"
        );
        let (_, person) = common::api_call(
            pair.b,
            token,
            Method::GET,
            &format!("/api/v1/people/e{i}/stints"),
            None,
        )
        .await;
        let stints = person["stints"].as_array().unwrap();
        assert_eq!(
            stints.len(),
            2,
            "e{i}: the first stint and one swing: {person}"
        );
        assert!(stints[1]["end"].is_null() && stints[0]["end"] == "2026-06-01");
    }
}

/// Each server keeps the account behind a token it has seen; a token revoked or an account
/// disabled elsewhere (here by a `pendulum` command on the database) is refused by the
/// very next request to either.
#[tokio::test]
async fn a_token_revoked_elsewhere_is_refused_by_the_next_request_to_either_server() {
    let Some(url) = scratch_database().await else {
        return;
    };
    let command = Db::open(&url).await.unwrap();
    let (people, stints) = org();
    common::import_csv(
        &command,
        &[("people.csv", &people), ("stints.csv", &stints)],
    )
    .await;
    let boss =
        common::account_with_token(&command, "boss", Some("boss"), AccountRole::Manager).await;
    let admin = common::account_with_token(&command, "admin", None, AccountRole::Admin).await;
    let servers = [
        common::serve(AppState::new(Db::open(&url).await.unwrap(), None)).await,
        common::serve(AppState::new(Db::open(&url).await.unwrap(), None)).await,
    ];
    let status_of = async |addr, token: &str| {
        let (status, _) =
            common::api_call(addr, Some(token), Method::GET, "/api/v1/people/e1", None).await;
        status
    };
    for addr in servers {
        for _ in 0..3 {
            assert_eq!(status_of(addr, &boss).await, StatusCode::OK);
            assert_eq!(status_of(addr, &admin).await, StatusCode::OK);
        }
    }

    let id = boss.split('_').nth(1).unwrap();
    assert!(command.revoke_token(id).await.unwrap());
    for addr in servers {
        assert_eq!(status_of(addr, &boss).await, StatusCode::UNAUTHORIZED);
    }
    let admin_email = pendulum_core::Email::parse("admin@accounts.x.io").unwrap();
    assert!(
        command
            .set_account_disabled(&admin_email, true)
            .await
            .unwrap()
    );
    for addr in servers {
        assert_eq!(status_of(addr, &admin).await, StatusCode::UNAUTHORIZED);
    }
}
