//! `GET /api/v1/people/{id}/export` over real HTTP: who may take a person's ledger, and
//! when it carries their private notes and reflections.

mod common;

use std::net::SocketAddr;

use pendulum_app::Db;
use pendulum_core::{AccountRole, Email};
use pendulum_server::AppState;
use pendulum_store::Store;
use reqwest::{Method, StatusCode};
use serde_json::Value;

const PEOPLE: &str = "id,name,email,level,team,manager\n\
    boss,Bo Boss,boss@x.io,L7,t0,\n\
    lead,Li Lead,lead@x.io,L6,t1,boss\n\
    dev,Di Dev,dev@x.io,L4,t1,lead\n\
    peer,Pi Peer,peer@x.io,L4,t1,lead\n";
const STINTS: &str = "person,role,level,team,start,end\n\
    boss,manager,L7,t0,2019-01-01,\n\
    lead,manager,L6,t1,2020-01-01,\n\
    dev,engineer,L3,t1,2019-03-01,2022-01-01\n\
    dev,tech_lead,L4,t1,2022-01-01,\n\
    peer,engineer,L4,t1,2021-01-01,\n";
const CHECKINS: &str =
    "person,date,joy,energy,learning,note\ndev,2026-05-01,3,3,4,secret worries\n";

struct App {
    addr: SocketAddr,
    store: Db,
    _dir: tempfile::TempDir,
}

/// The org, with an account for Dev (who wrote a reflection), Peer, Lead (Dev's manager),
/// Boss (Lead's manager) and an admin.
async fn spawn_app() -> (App, Vec<(&'static str, String)>) {
    let dir = tempfile::tempdir().unwrap();
    let store = common::store_with_org(
        dir.path(),
        &[
            ("people.csv", PEOPLE),
            ("stints.csv", STINTS),
            ("checkins.csv", CHECKINS),
        ],
    )
    .await;
    let mut tokens = Vec::new();
    for (label, person, role) in [
        ("dev", Some("dev"), AccountRole::Member),
        ("peer", Some("peer"), AccountRole::Member),
        ("lead", Some("lead"), AccountRole::Manager),
        ("boss", Some("boss"), AccountRole::Manager),
        ("admin", None, AccountRole::Admin),
    ] {
        let token = common::account_with_token(&store, label, person, role).await;
        tokens.push((label, token));
    }
    store
        .save_reflection(
            &Email::parse("dev@accounts.x.io").unwrap(),
            "2026-05-10",
            r#"{"missing":"mentoring"}"#,
        )
        .await
        .unwrap();
    let addr = common::serve(AppState::new(store.clone(), None)).await;
    (
        App {
            addr,
            store,
            _dir: dir,
        },
        tokens,
    )
}

async fn get(app: &App, token: &str, path: &str) -> (StatusCode, Value) {
    common::api_call(app.addr, Some(token), Method::GET, path, None).await
}

fn token<'a>(tokens: &'a [(&str, String)], label: &str) -> &'a str {
    &tokens.iter().find(|(l, _)| *l == label).unwrap().1
}

#[tokio::test]
async fn the_person_takes_their_ledger_with_notes_only_when_they_ask() {
    let (app, tokens) = spawn_app().await;
    let dev = token(&tokens, "dev");

    let (status, doc) = get(&app, dev, "/api/v1/people/dev/export").await;
    assert_eq!(status, StatusCode::OK, "{doc}");
    assert_eq!(doc["format"], "pendulum-personal-ledger");
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["person"]["id"], "dev");
    assert!(doc["person"].get("team").is_none() && doc["person"].get("manager").is_none());
    let stints = doc["stints"].as_array().unwrap();
    assert_eq!(stints.len(), 2);
    assert!(stints.iter().all(|s| s["org"] == "previous employer"));
    assert_eq!(doc["checkins"][0]["joy"], 3);
    assert_eq!(doc["checkins"][0]["note"], Value::Null);
    assert_eq!(doc["reflections"], serde_json::json!([]));

    let (status, doc) = get(&app, dev, "/api/v1/people/dev/export?notes=true").await;
    assert_eq!(status, StatusCode::OK, "{doc}");
    assert_eq!(doc["checkins"][0]["note"], "secret worries");
    assert_eq!(
        doc["reflections"],
        serde_json::json!([{"day": "2026-05-10", "answers": {"missing": "mentoring"}}])
    );

    let (status, body) = get(&app, dev, "/api/v1/people/dev/export?notes=maybe").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
}

#[tokio::test]
async fn an_admin_hands_it_over_without_notes_and_managers_and_others_are_refused() {
    let (app, tokens) = spawn_app().await;

    let (status, doc) = get(
        &app,
        token(&tokens, "admin"),
        "/api/v1/people/dev/export?notes=true",
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{doc}");
    assert_eq!(doc["person"]["id"], "dev");
    assert_eq!(doc["checkins"][0]["note"], Value::Null);
    assert_eq!(doc["reflections"], serde_json::json!([]));
    assert!(!doc.to_string().contains("secret worries"));

    // Dev's manager, and the manager above them, see Dev on the pages but take no copy.
    for manager in ["lead", "boss"] {
        let (status, body) = get(&app, token(&tokens, manager), "/api/v1/people/dev/export").await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{manager}: {body}");
        assert_eq!(body["error"]["code"], "forbidden", "{body}");
    }
    // Another member cannot tell whether Dev exists.
    let peer = token(&tokens, "peer");
    let (status, body) = get(&app, peer, "/api/v1/people/dev/export").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    let (status, _) = get(&app, peer, "/api/v1/people/nobody/export").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = get(
        &app,
        token(&tokens, "admin"),
        "/api/v1/people/nobody/export",
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    assert_eq!(
        common::audit_of(&app.store, "export person").await,
        [
            "admin@accounts.x.io ok",
            "lead@accounts.x.io denied",
            "boss@accounts.x.io denied",
            "peer@accounts.x.io denied",
            "peer@accounts.x.io denied",
            "admin@accounts.x.io denied",
        ]
    );
    let subjects: Vec<Option<String>> = app
        .store
        .audit_log()
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "export person")
        .map(|e| e.subject)
        .collect();
    assert_eq!(subjects[0].as_deref(), Some("dev"));
}
