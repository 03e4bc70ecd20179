//! A mid-level manager sees their line and nothing else: every page and the API's
//! aggregates are computed over themselves and the people below them, never over their own
//! manager or a sibling team.

mod common;

use std::net::SocketAddr;

use common::{
    SESSION_CSRF, account_with_session, account_with_token, api_call, client, serve, store_with_org,
};
use pendulum_core::AccountRole;
use pendulum_server::AppState;
use reqwest::{Method, StatusCode};

/// Three levels: the head of engineering (unhappy in their check-ins), a mid-level manager
/// with one engineer, and a sibling team whose manager said they do not want to manage.
const PEOPLE: &str = "id,name,email,level,team,manager,willing_to_manage
head,Hana Head,head@x.io,L7,t-top,,yes
mid,Mo Middle,mid@x.io,L6,t-mid,head,yes
dev,Dee Dev,dev@x.io,L4,t-mid,mid,unknown
sib,Sal Sibling,sib@x.io,L6,t-sib,head,no
sibdev,Sid Sibdev,sibdev@x.io,L4,t-sib,sib,unknown
";

const STINTS: &str = "person,role,level,team,start,end
head,engineer,L7,t-top,2010-01-01,2016-01-01
head,manager,L7,t-top,2016-01-01,
mid,engineer,L6,t-mid,2014-01-01,2022-01-01
mid,manager,L6,t-mid,2022-01-01,
dev,engineer,L4,t-mid,2021-01-01,
sib,engineer,L6,t-sib,2012-01-01,2019-01-01
sib,manager,L6,t-sib,2019-01-01,
sibdev,engineer,L4,t-sib,2020-01-01,
";

/// Only the head checks in, unhappily: a nudge about their mood exists, for the admin.
const CHECKINS: &str = "person,date,joy,energy,learning,note
head,2026-09-01,2,2,2,
head,2026-10-01,1,2,2,
head,2026-11-01,1,1,2,
";

/// What no page of the mid-level manager may show: the sibling team's people and team,
/// and the rules that only fire on people outside the line.
const OUTSIDE: &[&str] = &[
    "Sal Sibling",
    "Sid Sibdev",
    "sibdev",
    "t-sib",
    "<code>unhappy-manager</code>",
    "<code>unwilling-manager</code>",
    "/people/head\"",
];

const AS_OF: &str = "2026-12-01";

struct App {
    addr: SocketAddr,
    /// Session cookie values by email.
    sessions: Vec<(&'static str, String)>,
    /// API tokens by label.
    tokens: Vec<(&'static str, String)>,
    _dir: tempfile::TempDir,
}

async fn spawn_app() -> App {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with_org(
        dir.path(),
        &[
            ("people.csv", PEOPLE),
            ("stints.csv", STINTS),
            ("checkins.csv", CHECKINS),
        ],
    )
    .await;
    let mut sessions = Vec::new();
    for (email, role, person) in [
        ("mid@x.io", AccountRole::Manager, Some("mid")),
        ("admin@x.io", AccountRole::Admin, None),
    ] {
        sessions.push((
            email,
            account_with_session(&store, email, role, person).await,
        ));
    }
    let mut tokens = Vec::new();
    for (label, person, role) in [
        ("mid api", Some("mid"), AccountRole::Manager),
        ("admin api", None, AccountRole::Admin),
    ] {
        tokens.push((label, account_with_token(&store, label, person, role).await));
    }
    let addr = serve(AppState::new(store, None)).await;
    App {
        addr,
        sessions,
        tokens,
        _dir: dir,
    }
}

impl App {
    async fn page(&self, email: &str, path: &str) -> (StatusCode, String) {
        let session = &self.sessions.iter().find(|(e, _)| *e == email).unwrap().1;
        let response = client()
            .get(format!("http://{}{path}", self.addr))
            .header("cookie", format!("pendulum_session={session}"))
            .send()
            .await
            .unwrap();
        (response.status(), response.text().await.unwrap())
    }

    fn token(&self, label: &str) -> &str {
        &self.tokens.iter().find(|(l, _)| *l == label).unwrap().1
    }
}

/// The path a page route is fetched at, with `{id}` as the mid-level manager's report.
fn path_of(route: &str) -> String {
    route.replace("{id}", "dev")
}

#[tokio::test]
async fn a_mid_level_managers_pages_show_their_line_only() {
    let app = spawn_app().await;
    // The leak would show: the admin's overview names the people and rules outside the line.
    let (status, admin) = app.page("admin@x.io", &format!("/?as_of={AS_OF}")).await;
    assert_eq!(status, StatusCode::OK);
    for needle in [
        "Sal Sibling",
        "<code>unhappy-manager</code>",
        "<code>unwilling-manager</code>",
        "/people/head\"",
    ] {
        assert!(admin.contains(needle), "the admin sees {needle}");
    }
    assert!(admin.contains("Org health"));

    // Every page a GET reaches, as the mid-level manager.
    let mut seen = 0;
    for (method, route) in pendulum_server::page_routes() {
        if method != Method::GET {
            continue;
        }
        let path = path_of(route);
        let separator = if path.contains('?') { '&' } else { '?' };
        let (status, body) = app
            .page("mid@x.io", &format!("{path}{separator}as_of={AS_OF}"))
            .await;
        assert!(
            status.is_success() || status == StatusCode::FORBIDDEN || status.is_redirection(),
            "GET {path}: {status}"
        );
        for needle in OUTSIDE {
            assert!(
                !body.contains(needle),
                "GET {path} shows the mid-level manager {needle:?}"
            );
        }
        seen += 1;
    }
    assert!(seen >= 8, "the walk reached {seen} pages");

    // Their own manager and the sibling team are not found, whoever asks by id.
    for outside in ["head", "sib", "sibdev"] {
        let (status, body) = app.page("mid@x.io", &format!("/people/{outside}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "/people/{outside}");
        assert!(!body.contains("Sal Sibling") && !body.contains("Hana Head"));
    }

    // The overview counts the line: the manager and their engineer.
    let (_, overview) = app.page("mid@x.io", &format!("/?as_of={AS_OF}")).await;
    assert!(overview.contains("Your line"), "{overview}");
    assert!(
        overview.contains(r#"<div class="value">2</div><div class="label">people (1 managers"#),
        "the line has two people, one a manager"
    );
    assert!(
        !overview.contains("Hana Head"),
        "no nudge about their manager"
    );
}

#[tokio::test]
async fn a_mid_level_managers_metrics_are_their_lines() {
    let app = spawn_app().await;
    let metrics = |label: &'static str| {
        let token = app.token(label).to_owned();
        let addr = app.addr;
        async move {
            let (status, body) = api_call(
                addr,
                Some(&token),
                Method::GET,
                &format!("/api/v1/metrics?as_of={AS_OF}"),
                None,
            )
            .await;
            assert_eq!(status, StatusCode::OK, "{body}");
            body["metrics"].clone()
        }
    };
    let line = metrics("mid api").await;
    let org = metrics("admin api").await;
    assert_eq!(org["people"], 5);
    assert_eq!(org["managers"], 3);
    assert_eq!(line["people"], 2, "{line}");
    assert_eq!(line["managers"], 1, "{line}");

    let (status, body) = api_call(
        app.addr,
        Some(app.token("mid api")),
        Method::GET,
        &format!("/api/v1/nudges?as_of={AS_OF}"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    for nudge in body["nudges"].as_array().unwrap() {
        let person = nudge["person"].as_str().unwrap();
        assert!(["mid", "dev"].contains(&person), "a nudge about {person}");
    }
}

/// An answer about managing is the person's own: the mid-level manager sees their report's
/// answer but may not record one for them, on the page or over the API, while their own
/// answer is theirs to give.
#[tokio::test]
async fn a_mid_level_manager_may_not_answer_for_their_report() {
    let app = spawn_app().await;
    let put = |person: &'static str| {
        let token = app.token("mid api").to_owned();
        let addr = app.addr;
        async move {
            api_call(
                addr,
                Some(&token),
                Method::PUT,
                &format!("/api/v1/people/{person}/willing"),
                Some(r#"{"answer": "yes", "on": "2026-11-01"}"#),
            )
            .await
        }
    };
    let (status, body) = put("dev").await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, _) = put("sibdev").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "outside the line");

    let session = &app
        .sessions
        .iter()
        .find(|(e, _)| *e == "mid@x.io")
        .unwrap()
        .1;
    let response = client()
        .post(format!("http://{}/people/dev/willing", app.addr))
        .header("cookie", format!("pendulum_session={session}"))
        .form(&[
            ("csrf", SESSION_CSRF),
            ("answer", "yes"),
            ("on", "2026-11-01"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);

    let (status, page) = app.page("mid@x.io", "/people/dev").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("Would like to manage: not asked yet"),
        "{page}"
    );
    assert!(!page.contains("action=\"/people/dev/willing\""));

    let (status, body) = put("mid").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["willing_since"], "2026-11-01");
}
