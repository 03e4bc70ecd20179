//! The API over real HTTP: a real server on port 0 with a fresh database per test.

use std::collections::BTreeMap;
use std::net::SocketAddr;

mod common;

use pendulum_app::Db;
use pendulum_core::{AccountRole, Change, LeaveRequest, PersonId, Policy};
use pendulum_exchange::InputFile;
use pendulum_server::{AppState, routes};
use pendulum_store::Store;
use reqwest::{Method, StatusCode};
use serde_json::Value;

const PEOPLE: &str = "id,name,email,level,team,manager\n\
    boss,Bo Boss,boss@x.io,L7,t0,\n\
    lead,Li Lead,lead@x.io,L6,t1,boss\n\
    other,Oz Other,other@x.io,L6,t2,boss\n\
    dev,Di Dev,dev@x.io,L4,t1,lead\n\
    peer,Pi Peer,peer@x.io,L4,t1,lead\n\
    gone,Go Gone,gone@x.io,L4,t2,other\n";
const STINTS: &str = "person,role,level,team,start\n\
    boss,manager,L7,t0,2019-01-01\n\
    lead,manager,L6,t1,2020-01-01\n\
    other,manager,L6,t2,2020-01-01\n\
    dev,engineer,L4,t1,2021-01-01\n\
    peer,engineer,L4,t1,2021-01-01\n\
    gone,engineer,L4,t2,2020-01-01\n";
const CHECKINS: &str =
    "person,date,joy,energy,learning,note\ndev,2026-05-01,3,3,4,secret worries\n";

/// The roles of the authorization table, each with the token of its account (none for
/// the anonymous caller).
const ROLES: [&str; 6] = [
    "anonymous",
    "member",
    "peer",
    "manager of",
    "other manager",
    "admin",
];

struct App {
    addr: SocketAddr,
    tokens: BTreeMap<&'static str, String>,
    store: Db,
    _dir: tempfile::TempDir,
}

/// One password hash for every account: Argon2 is slow on purpose.
async fn spawn_app() -> App {
    let dir = tempfile::tempdir().unwrap();
    let store = Db::open(&dir.path().join("app.db").display().to_string())
        .await
        .unwrap();
    common::import_csv(
        &store,
        &[
            ("people.csv", PEOPLE),
            ("stints.csv", STINTS),
            ("checkins.csv", CHECKINS),
        ],
    )
    .await;
    // `gone` left the org: only an admin still sees them, and may record their return.
    let ledger = store.ledger(&Policy::default().ladder).await.unwrap();
    let left = ledger
        .leave(&LeaveRequest {
            person: PersonId::parse("gone").unwrap(),
            on: chrono::NaiveDate::from_ymd_opt(2025, 6, 1).unwrap(),
            reason: None,
            reports_to: None,
        })
        .unwrap();
    store.apply(&left.change).await.unwrap();
    let mut tokens = BTreeMap::new();
    let accounts = [
        ("member", "dev", AccountRole::Member),
        ("peer", "peer", AccountRole::Member),
        ("manager of", "lead", AccountRole::Manager),
        ("other manager", "other", AccountRole::Manager),
        ("admin", "", AccountRole::Admin),
    ];
    for (label, person, role) in accounts {
        let person = (!person.is_empty()).then_some(person);
        tokens.insert(
            label,
            common::account_with_token(&store, label, person, role).await,
        );
    }
    let addr = common::serve(AppState::new(store.clone(), None)).await;
    App {
        addr,
        tokens,
        store,
        _dir: dir,
    }
}

impl App {
    async fn call(
        &self,
        role: &str,
        method: Method,
        path: &str,
        body: Option<&str>,
    ) -> (StatusCode, Value) {
        let token = self.tokens.get(role).map(String::as_str);
        common::api_call(self.addr, token, method, path, body).await
    }
}

/// A row of the authorization table: method, route, concrete path, body, and the expected
/// status for each of `ROLES` in order.
type Case = (
    Method,
    &'static str,
    &'static str,
    Option<&'static str>,
    [u16; 6],
);

/// Every route, for every role, on a fresh app: the expected status. A route of the API
/// that is missing here fails the test.
#[tokio::test]
async fn every_route_for_every_role() {
    let import = "id,name,email,level\nnew,New Person,new@x.io,L3\n";
    let checkin = r#"{"date": "2026-06-01", "joy": 4, "energy": 4, "learning": 4, "note": "mine"}"#;
    let swing = r#"{"to": "tech_lead", "on": "2026-06-01", "band": 12}"#;
    let answer = r#"{"answer": "yes", "on": "2026-06-01"}"#;
    let stretch = r#"{"skills": "person,skill,level\ndev,rust,4\n", "backlog": "item,skill,difficulty\nparser,rust,5\n", "capacity": 1}"#;
    let leave = r#"{"on": "2026-06-01", "reason": "moved on"}"#;
    let back = r#"{"on": "2026-06-01", "role": "engineer", "team": "t2"}"#;
    let rename = r#"{"name": "Di Renamed"}"#;
    let band = r#"{"band": 12}"#;
    let table: Vec<Case> = vec![
        (
            Method::PATCH,
            "/people/{id}",
            "/api/v1/people/dev",
            Some(rename),
            [401, 403, 404, 403, 404, 200],
        ),
        (
            Method::DELETE,
            "/people/{id}",
            "/api/v1/people/dev",
            None,
            [401, 403, 404, 403, 404, 200],
        ),
        (
            Method::PATCH,
            "/people/{id}/stints/{start}",
            "/api/v1/people/dev/stints/2021-01-01",
            Some(band),
            [401, 403, 404, 200, 404, 200],
        ),
        (
            Method::DELETE,
            "/people/{id}/stints/{start}",
            "/api/v1/people/dev/stints/2021-01-01",
            None,
            [401, 403, 404, 204, 404, 204],
        ),
        (
            Method::DELETE,
            "/people/{id}/checkins/{date}",
            "/api/v1/people/dev/checkins/2026-05-01",
            None,
            [401, 204, 404, 403, 404, 204],
        ),
        (
            Method::POST,
            "/people/{id}/leave",
            "/api/v1/people/dev/leave",
            Some(leave),
            [401, 403, 404, 403, 404, 200],
        ),
        (
            Method::POST,
            "/people/{id}/return",
            "/api/v1/people/gone/return",
            Some(back),
            [401, 404, 404, 404, 404, 201],
        ),
        (
            Method::GET,
            "/people/{id}/history",
            "/api/v1/people/dev/history",
            None,
            [401, 403, 404, 403, 404, 200],
        ),
        (
            Method::GET,
            "/people",
            "/api/v1/people",
            None,
            [401, 200, 200, 200, 200, 200],
        ),
        (
            Method::GET,
            "/people/{id}",
            "/api/v1/people/dev",
            None,
            [401, 200, 404, 200, 404, 200],
        ),
        (
            Method::GET,
            "/people/{id}/export",
            "/api/v1/people/dev/export",
            None,
            [401, 200, 404, 403, 404, 200],
        ),
        (
            Method::GET,
            "/people/{id}/stints",
            "/api/v1/people/dev/stints",
            None,
            [401, 200, 404, 200, 404, 200],
        ),
        (
            Method::GET,
            "/people/{id}/checkins",
            "/api/v1/people/dev/checkins",
            None,
            [401, 200, 404, 200, 404, 200],
        ),
        (
            Method::POST,
            "/people/{id}/checkins",
            "/api/v1/people/dev/checkins",
            Some(checkin),
            [401, 201, 404, 403, 404, 403],
        ),
        (
            Method::POST,
            "/people/{id}/swings",
            "/api/v1/people/dev/swings",
            Some(swing),
            [401, 403, 404, 201, 404, 201],
        ),
        (
            Method::PUT,
            "/people/{id}/willing",
            "/api/v1/people/dev/willing",
            Some(answer),
            [401, 200, 404, 403, 404, 200],
        ),
        (
            Method::GET,
            "/nudges",
            "/api/v1/nudges",
            None,
            [401, 200, 200, 200, 200, 200],
        ),
        (
            Method::GET,
            "/metrics",
            "/api/v1/metrics",
            None,
            [401, 403, 403, 200, 200, 200],
        ),
        (
            Method::GET,
            "/export",
            "/api/v1/export",
            None,
            [401, 403, 403, 403, 403, 200],
        ),
        (
            Method::POST,
            "/import",
            "/api/v1/import",
            Some(import),
            [401, 403, 403, 403, 403, 200],
        ),
        (
            Method::GET,
            "/plans/rotations",
            "/api/v1/plans/rotations?from=2027-Q1&quarters=4",
            None,
            [401, 403, 403, 403, 403, 200],
        ),
        (
            Method::POST,
            "/plans/assignments",
            "/api/v1/plans/assignments",
            Some(stretch),
            [401, 403, 403, 200, 200, 200],
        ),
        (
            Method::GET,
            "/openapi.json",
            "/api/v1/openapi.json",
            None,
            [200, 200, 200, 200, 200, 200],
        ),
    ];
    let covered: Vec<(Method, &str)> = table.iter().map(|(m, r, ..)| (m.clone(), *r)).collect();
    for route in routes() {
        assert!(
            covered.contains(&route),
            "route {route:?} is missing from the authorization table"
        );
    }
    for (method, _, path, body, statuses) in &table {
        for (role, expected) in ROLES.iter().zip(statuses) {
            let app = spawn_app().await;
            let (status, value) = app.call(role, method.clone(), path, *body).await;
            assert_eq!(
                status.as_u16(),
                *expected,
                "{method} {path} as {role}: {value}"
            );
            if status.is_client_error() {
                assert!(
                    value["error"]["code"].is_string() && value["error"]["message"].is_string(),
                    "{value}"
                );
            }
        }
    }
}

/// The served OpenAPI document is OpenAPI 3 and describes exactly the routes of the router,
/// so it cannot fall behind it.
#[tokio::test]
async fn the_openapi_document_describes_every_route() {
    let app = spawn_app().await;
    let (status, doc) = app
        .call("anonymous", Method::GET, "/api/v1/openapi.json", None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(doc.is_object(), "not a JSON document: {doc}");
    assert!(
        doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.")),
        "{}",
        doc["openapi"]
    );
    let paths = doc["paths"].as_object().unwrap();
    for (method, path) in routes() {
        let operation = &paths
            .get(&format!("/api/v1{path}"))
            .unwrap_or_else(|| panic!("/api/v1{path} is missing from the OpenAPI document"))
            [method.as_str().to_lowercase()];
        assert!(
            operation.is_object(),
            "{method} /api/v1{path} is missing from the OpenAPI document"
        );
        if path != "/openapi.json" {
            assert_eq!(
                operation["responses"]["401"]["content"]["application/json"]["schema"]["$ref"],
                "#/components/schemas/Error",
                "{method} {path}"
            );
        }
    }
    let operations: usize = paths
        .values()
        .map(|item| item.as_object().unwrap().len())
        .sum();
    assert_eq!(
        operations,
        routes().len(),
        "the document describes routes the router does not have"
    );
    assert_eq!(doc["security"], serde_json::json!([{"bearer": []}]));
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
    assert_eq!(
        paths["/api/v1/openapi.json"]["get"]["security"],
        serde_json::json!([{}]),
        "the document itself needs no token"
    );
}

#[tokio::test]
async fn lists_show_only_what_the_account_may_see() {
    let app = spawn_app().await;
    let ids = |v: &Value| -> Vec<String> {
        v["people"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["id"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        ids(&app
            .call("member", Method::GET, "/api/v1/people", None)
            .await
            .1),
        ["dev"]
    );
    assert_eq!(
        ids(&app
            .call("manager of", Method::GET, "/api/v1/people", None)
            .await
            .1),
        ["dev", "lead", "peer"]
    );
    assert_eq!(
        ids(&app
            .call("admin", Method::GET, "/api/v1/people", None)
            .await
            .1)
        .len(),
        5
    );
}

#[tokio::test]
async fn a_note_reaches_its_author_alone() {
    let app = spawn_app().await;
    let (_, own) = app
        .call("member", Method::GET, "/api/v1/people/dev/checkins", None)
        .await;
    assert_eq!(own["checkins"][0]["note"], "secret worries");
    for role in ["manager of", "admin"] {
        let (status, theirs) = app
            .call(role, Method::GET, "/api/v1/people/dev/checkins", None)
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(theirs["checkins"][0]["joy"], 3);
        assert!(
            theirs["checkins"][0].get("note").is_none(),
            "{role} must not see the note: {theirs}"
        );
    }
    let (_, export) = app.call("admin", Method::GET, "/api/v1/export", None).await;
    assert!(!export.to_string().contains("secret worries"));
}

#[tokio::test]
async fn a_swing_over_the_api_changes_the_ledger_and_is_audited() {
    let app = spawn_app().await;
    let (status, _) = app
        .call(
            "manager of",
            Method::POST,
            "/api/v1/people/dev/swings",
            Some(r#"{"to": "manager", "on": "2026-06-01", "trial_until": "2026-09-30"}"#),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (_, person) = app
        .call(
            "member",
            Method::GET,
            "/api/v1/people/dev?as_of=2026-06-15",
            None,
        )
        .await;
    assert_eq!(person["role"], "manager");
    assert_eq!(person["level"], "L4", "a swing keeps the level");
    let (status, err) = app
        .call(
            "manager of",
            Method::POST,
            "/api/v1/people/dev/swings",
            Some(r#"{"to": "engineer", "on": "2020-01-01"}"#),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    app.call(
        "peer",
        Method::POST,
        "/api/v1/people/dev/swings",
        Some(r#"{"to": "engineer", "on": "2026-07-01"}"#),
    )
    .await;
    app.call(
        "member",
        Method::POST,
        "/api/v1/people/dev/swings",
        Some(r#"{"to": "engineer", "on": "2026-07-01"}"#),
    )
    .await;
    let log = app.store.audit_log().await.unwrap();
    let lines: Vec<String> = log
        .iter()
        .map(|e| format!("{} {} {}", e.actor, e.action, e.outcome))
        .collect();
    assert_eq!(
        lines,
        [
            "manager-of@accounts.x.io record swing ok",
            "peer@accounts.x.io record swing denied",
            "member@accounts.x.io record swing denied"
        ]
    );
}

/// A manager in the middle of the org who writes on someone outside their line gets the
/// same "not found" as for a read, and the attempt is in the audit log.
#[tokio::test]
async fn a_write_on_someone_out_of_sight_is_not_found_and_audited() {
    let app = spawn_app().await;
    let writes = [
        (
            "/api/v1/people/dev/checkins",
            r#"{"joy": 3, "energy": 3, "learning": 3}"#,
        ),
        (
            "/api/v1/people/dev/swings",
            r#"{"to": "manager", "on": "2026-06-01"}"#,
        ),
        (
            "/api/v1/people/nobody/swings",
            r#"{"to": "manager", "on": "2026-06-01"}"#,
        ),
    ];
    for (path, body) in writes {
        let (status, _) = app
            .call("other manager", Method::POST, path, Some(body))
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
    }
    let (read, _) = app
        .call("other manager", Method::GET, "/api/v1/people/dev", None)
        .await;
    assert_eq!(read, StatusCode::NOT_FOUND);
    let long = format!("/api/v1/people/{}/swings", "x".repeat(5000));
    let (status, _) = app
        .call("other manager", Method::POST, &long, Some("{}"))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // The same on the pages.
    let signed_in = common::sign_in_with(
        app.addr,
        "other-manager@accounts.x.io",
        common::PASSWORD,
        &[],
    )
    .await;
    let (session, _) = common::set_cookie(&signed_in, "pendulum_session").unwrap();
    let cookie = format!("pendulum_session={session}");
    let people = common::client()
        .get(format!("http://{}/people", app.addr))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    let csrf = common::hidden_csrf(&people.text().await.unwrap());
    let forms: [(&str, &[(&str, &str)]); 2] = [
        (
            "/people/dev/checkins",
            &[
                ("date", "2026-06-01"),
                ("joy", "3"),
                ("energy", "3"),
                ("learning", "3"),
            ],
        ),
        (
            "/people/dev/swings",
            &[("to", "manager"), ("on", "2026-06-01")],
        ),
    ];
    for (path, fields) in forms {
        let mut form = vec![("csrf", csrf.as_str())];
        form.extend_from_slice(fields);
        let response = common::client()
            .post(format!("http://{}{path}", app.addr))
            .header("cookie", &cookie)
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
    }

    let log = app.store.audit_log().await.unwrap();
    let lines: Vec<String> = log
        .iter()
        .map(|e| {
            let subject = e.subject.as_deref().unwrap_or("-");
            let subject = if subject.len() > 20 {
                format!("x*{}", subject.len())
            } else {
                subject.to_owned()
            };
            format!("{} {} {subject} {}", e.actor, e.action, e.outcome)
        })
        .collect();
    assert_eq!(
        lines,
        [
            "other-manager@accounts.x.io record check-in dev denied",
            "other-manager@accounts.x.io record swing dev denied",
            "other-manager@accounts.x.io record swing nobody denied",
            "other-manager@accounts.x.io record swing x*256 denied",
            "other-manager@accounts.x.io sign-in - ok",
            "other-manager@accounts.x.io record check-in dev denied",
            "other-manager@accounts.x.io record swing dev denied",
        ],
        "refused writes are audited, reads are not, and no subject is unbounded"
    );
}

#[tokio::test]
async fn a_bad_import_is_refused_with_its_lines_and_changes_nothing() {
    let app = spawn_app().await;
    let before = app
        .call("admin", Method::GET, "/api/v1/export", None)
        .await
        .1;
    let bad = "id,name,email,level\nnew,New,not-an-email,L3\ndev,Dup,dup@x.io,L9\n";
    let (status, err) = app
        .call("admin", Method::POST, "/api/v1/import", Some(bad))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let message = err["error"]["message"].as_str().unwrap();
    assert!(message.contains("request body:2: email"), "{message}");
    assert!(message.contains("request body:3: level"), "{message}");
    // A field problem and a ledger problem on the next line: both, in line order.
    let bad = "person,date,joy,energy,learning\ndev,2026-06-01,9,3,3\nzed,2026-06-02,3,3,3\n";
    let (status, err) = app
        .call("admin", Method::POST, "/api/v1/import", Some(bad))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        err["error"]["message"],
        "request body:2: joy: \"9\" is not a score from 1 to 5\n\
         request body:3: person: no person has the id \"zed\""
    );
    assert_eq!(
        app.call("admin", Method::GET, "/api/v1/export", None)
            .await
            .1,
        before
    );
}

#[tokio::test]
async fn bad_requests_and_bad_tokens() {
    let app = spawn_app().await;
    let (status, _) = app
        .call("member", Method::GET, "/api/v1/nudges?as_of=someday", None)
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = app
        .call(
            "member",
            Method::POST,
            "/api/v1/people/dev/checkins",
            Some(r#"{"joy": 9, "energy": 1, "learning": 1}"#),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = app
        .call(
            "member",
            Method::POST,
            "/api/v1/people/dev/checkins",
            Some("{not json"),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let response = reqwest::Client::new()
        .get(format!("http://{}/api/v1/people", app.addr))
        .bearer_auth("pdl_00000000_forged")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(response.headers()["www-authenticate"], "Bearer");
    let health = reqwest::get(format!("http://{}/healthz", app.addr))
        .await
        .unwrap();
    assert_eq!(health.status(), StatusCode::OK);
}

#[tokio::test]
async fn writes_by_another_process_are_seen_at_once() {
    let app = spawn_app().await;
    let (_, before) = app.call("admin", Method::GET, "/api/v1/people", None).await;
    // Another process (here: another handle on the same file) adds a person.
    let other = Db::open(&app._dir.path().join("app.db").display().to_string())
        .await
        .unwrap();
    let ledger = other.ledger(&Policy::default().ladder).await.unwrap();
    let files = [InputFile {
        name: "more.csv".into(),
        bytes: b"id,name,email,level\nzed,Zed,zed@x.io,L2\n".to_vec(),
    }];
    let import = pendulum_exchange::parse_import(&files, &Policy::default(), &ledger).unwrap();
    other
        .apply(&Change::inserting(&import.parts))
        .await
        .unwrap();
    let (_, after) = app.call("admin", Method::GET, "/api/v1/people", None).await;
    assert_eq!(
        after["people"].as_array().unwrap().len(),
        before["people"].as_array().unwrap().len() + 1
    );
}

/// An answer about managing is the person's own: they record it, or an admin records what
/// they said; their manager is refused and the refusal audited. The history and the day of
/// the current answer come back with the person.
#[tokio::test]
async fn an_answer_about_managing_is_recorded_by_the_person_or_an_admin_only() {
    let app = spawn_app().await;
    let put = |role: &'static str, body: &'static str| {
        let app = &app;
        async move {
            app.call(role, Method::PUT, "/api/v1/people/dev/willing", Some(body))
                .await
        }
    };
    let (status, body) = put("member", r#"{"answer": "no", "on": "2025-03-01"}"#).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["willing_to_manage"], "no");
    assert_eq!(body["willing_since"], "2025-03-01");
    let (status, body) = put("admin", r#"{"answer": "yes", "on": "2026-04-01"}"#).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // The same day again replaces; an older day joins the history only.
    put("member", r#"{"answer": "unknown", "on": "2026-04-01"}"#).await;
    let (_, body) = put("member", r#"{"answer": "yes", "on": "2024-01-01"}"#).await;
    assert_eq!(body["willing_to_manage"], "unknown");
    assert_eq!(body["willing_since"], "2026-04-01");
    let history = serde_json::json!([
        {"date": "2024-01-01", "answer": "yes"},
        {"date": "2025-03-01", "answer": "no"},
        {"date": "2026-04-01", "answer": "unknown"},
    ]);
    assert_eq!(body["answers"], history);

    let (status, err) = put("manager of", r#"{"answer": "yes"}"#).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{err}");
    assert!(
        err["error"]["message"]
            .as_str()
            .unwrap()
            .contains("the person themselves or an admin"),
        "{err}"
    );
    let (status, _) = put("peer", r#"{"answer": "yes"}"#).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Whoever may see the person sees the day and the history; the list has the day.
    let (_, person) = app
        .call("manager of", Method::GET, "/api/v1/people/dev", None)
        .await;
    assert_eq!(person["willing_to_manage"], "unknown");
    assert_eq!(person["willing_since"], "2026-04-01");
    assert_eq!(person["answers"], history);
    let (_, list) = app.call("admin", Method::GET, "/api/v1/people", None).await;
    let dev = list["people"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "dev")
        .unwrap();
    assert_eq!(dev["willing_since"], "2026-04-01");

    for (body, expected) in [
        (r#"{"answer": "maybe"}"#, StatusCode::UNPROCESSABLE_ENTITY),
        (
            r#"{"answer": "yes", "on": "2026-02-30"}"#,
            StatusCode::BAD_REQUEST,
        ),
        (r#"{"answer": "yes", "why": "x"}"#, StatusCode::BAD_REQUEST),
        (r#"{"on": "2026-01-01"}"#, StatusCode::BAD_REQUEST),
    ] {
        let (status, err) = put("member", body).await;
        assert_eq!(status, expected, "{body}: {err}");
    }

    assert_eq!(
        common::audit_of(&app.store, "record answer about managing").await,
        [
            "member@accounts.x.io ok",
            "admin@accounts.x.io ok",
            "member@accounts.x.io ok",
            "member@accounts.x.io ok",
            "manager-of@accounts.x.io denied",
            "peer@accounts.x.io denied",
        ]
    );
}

/// A swing may set a pay band, which the stints carry; a band off the scale is refused.
#[tokio::test]
async fn a_swing_sets_a_band_that_the_stints_show() {
    let app = spawn_app().await;
    let (status, swing) = app
        .call(
            "manager of",
            Method::POST,
            "/api/v1/people/dev/swings",
            Some(r#"{"to": "tech_lead", "on": "2026-06-01", "band": 14}"#),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{swing}");
    assert_eq!(swing["band"], 14);
    let (_, stints) = app
        .call("member", Method::GET, "/api/v1/people/dev/stints", None)
        .await;
    let bands: Vec<&Value> = stints["stints"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| &s["band"])
        .collect();
    assert_eq!(bands, [&Value::Null, &14.into()]);
    let (status, err) = app
        .call(
            "manager of",
            Method::POST,
            "/api/v1/people/dev/swings",
            Some(r#"{"to": "engineer", "on": "2026-07-01", "band": 1000}"#),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    assert!(
        err["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("band: \"1000\" is not a pay band"),
        "{err}"
    );
}
