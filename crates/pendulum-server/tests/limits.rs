//! What keeps one client from taking the server down or filling its database: time limits on
//! connections, requests and bodies, the bound on requests at once, body sizes, the size of
//! a note and one check-in a day; and that every refusal keeps the error shape. A real
//! server on port 0, a real database file, raw sockets where a client must misbehave.

mod common;

use std::net::SocketAddr;
use std::time::Duration;

use pendulum_app::Db;
use pendulum_core::AccountRole;
use pendulum_server::{AppState, Transport};
use reqwest::{Method, StatusCode};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const PEOPLE: &str = "id,name,email,level,team,manager\n\
    lead,Li Lead,lead@x.io,L6,t1,\n\
    dev,Di Dev,dev@x.io,L4,t1,lead\n";
const STINTS: &str = "person,role,level,team,start\n\
    lead,manager,L6,t1,2020-01-01\n\
    dev,engineer,L4,t1,2021-01-01\n";

/// Far longer than any limit under test: only there so that a server that never answers
/// fails the test instead of hanging it.
const GUARD: Duration = Duration::from_secs(60);

struct App {
    addr: SocketAddr,
    /// The API token of `dev`, a member.
    member: String,
    admin: String,
    _dir: tempfile::TempDir,
}

async fn spawn_app(transport: Transport) -> App {
    let dir = tempfile::tempdir().unwrap();
    let store = Db::open(&dir.path().join("app.db").display().to_string())
        .await
        .unwrap();
    common::import_csv(&store, &[("people.csv", PEOPLE), ("stints.csv", STINTS)]).await;
    let member = common::account_with_token(&store, "dev", Some("dev"), AccountRole::Member).await;
    let admin = common::account_with_token(&store, "admin", None, AccountRole::Admin).await;
    let addr = common::serve_with(AppState::new(store, None), transport).await;
    App {
        addr,
        member,
        admin,
        _dir: dir,
    }
}

impl App {
    async fn api(&self, method: Method, path: &str, body: Option<&str>) -> (StatusCode, Value) {
        common::api_call(self.addr, Some(&self.member), method, path, body).await
    }

    /// `POST /api/v1/import` of CSV text by the admin.
    async fn import(&self, csv: String) -> (StatusCode, Value) {
        let response = common::client()
            .post(format!("http://{}/api/v1/import", self.addr))
            .bearer_auth(&self.admin)
            .header("content-type", "text/csv")
            .body(csv)
            .send()
            .await
            .unwrap();
        (response.status(), response.json().await.unwrap())
    }

    /// Opens a connection and sends `head` (request line and headers, unfinished or not).
    async fn send_raw(&self, head: &str) -> TcpStream {
        let mut stream = TcpStream::connect(self.addr).await.unwrap();
        stream.write_all(head.as_bytes()).await.unwrap();
        stream
    }

    /// The head of a check-in POST by the member, announcing a body of `length` bytes.
    fn checkin_head(&self, length: usize, expect_continue: bool) -> String {
        format!(
            "POST /api/v1/people/dev/checkins HTTP/1.1\r\nHost: x\r\n\
             Authorization: Bearer {}\r\nContent-Type: application/json\r\n\
             Content-Length: {length}\r\n{}Connection: close\r\n\r\n",
            self.member,
            if expect_continue {
                "Expect: 100-continue\r\n"
            } else {
                ""
            }
        )
    }
}

/// Reads until the server closes the connection.
async fn read_to_close(stream: &mut TcpStream) -> String {
    let mut bytes = Vec::new();
    tokio::time::timeout(GUARD, stream.read_to_end(&mut bytes))
        .await
        .expect("the server closes the connection")
        .ok();
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Reads the server's `100 Continue`: the handler has started reading the body, so the
/// request holds its place among those under way.
async fn read_continue(stream: &mut TcpStream) {
    let mut seen = Vec::new();
    let mut byte = [0u8; 1];
    while !seen.ends_with(b"\r\n\r\n") {
        tokio::time::timeout(GUARD, stream.read_exact(&mut byte))
            .await
            .expect("a 100 Continue")
            .unwrap();
        seen.push(byte[0]);
    }
    assert!(
        seen.starts_with(b"HTTP/1.1 100"),
        "{}",
        String::from_utf8_lossy(&seen)
    );
}

/// The status and the JSON body of a raw response.
fn parse_response(raw: &str) -> (u16, Value) {
    let status = raw.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0);
    let body = raw.split_once("\r\n\r\n").map_or("", |(_, b)| b);
    (status, serde_json::from_str(body).unwrap_or(Value::Null))
}

fn short(f: impl FnOnce(&mut Transport)) -> Transport {
    let mut t = Transport::default();
    f(&mut t);
    t
}

#[test]
fn the_default_limits_are_within_the_documented_bounds() {
    let t = Transport::default();
    assert!(t.header_read_timeout <= Duration::from_secs(30));
    assert!(t.request_timeout <= Duration::from_secs(30));
    assert!(t.body_timeout <= t.request_timeout);
    assert!(t.import_timeout >= t.request_timeout);
    assert!(t.max_concurrent_requests > 0);
}

#[tokio::test]
async fn a_client_that_never_finishes_its_headers_is_disconnected() {
    let app = spawn_app(short(|t| {
        t.header_read_timeout = Duration::from_millis(200)
    }))
    .await;
    let mut stream = app
        .send_raw("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: 1")
        .await;
    let answer = read_to_close(&mut stream).await;
    assert!(
        !answer.contains("200 OK"),
        "an unfinished request is never served: {answer}"
    );
}

#[tokio::test]
async fn a_body_that_stops_arriving_is_cut_off_with_408() {
    let app = spawn_app(short(|t| t.body_timeout = Duration::from_millis(200))).await;
    let mut stream = app.send_raw(&app.checkin_head(100, false)).await;
    stream.write_all(br#"{"joy": 3,"#).await.unwrap();
    let (status, body) = parse_response(&read_to_close(&mut stream).await);
    assert_eq!(status, 408, "{body}");
    assert_eq!(body["error"]["code"], "request_timeout", "{body}");
}

#[tokio::test]
async fn a_request_over_its_time_budget_gets_503_in_the_error_shape() {
    let app = spawn_app(short(|t| t.request_timeout = Duration::from_millis(200))).await;
    let mut stream = app.send_raw(&app.checkin_head(100, true)).await;
    read_continue(&mut stream).await;
    let (status, body) = parse_response(&read_to_close(&mut stream).await);
    assert_eq!(status, 503, "{body}");
    assert_eq!(body["error"]["code"], "timeout", "{body}");
}

#[tokio::test]
async fn over_the_concurrency_limit_requests_get_503_at_once() {
    let app = spawn_app(short(|t| t.max_concurrent_requests = 1)).await;
    let body = r#"{"date": "2026-06-01", "joy": 4, "energy": 4, "learning": 4}"#;
    let mut first = app.send_raw(&app.checkin_head(body.len(), true)).await;
    read_continue(&mut first).await;

    let response = common::client()
        .get(format!("http://{}/api/v1/people", app.addr))
        .bearer_auth(&app.member)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(response.headers()["retry-after"], "1");
    let refused: Value = response.json().await.unwrap();
    assert_eq!(refused["error"]["code"], "busy", "{refused}");

    first.write_all(body.as_bytes()).await.unwrap();
    let (status, recorded) = parse_response(&read_to_close(&mut first).await);
    assert_eq!(status, 201, "the request under way finishes: {recorded}");
    let (status, _) = app.api(Method::GET, "/api/v1/people", None).await;
    assert_eq!(status, StatusCode::OK, "its place is free again");
}

#[tokio::test]
async fn every_response_carries_a_request_id() {
    let app = spawn_app(Transport::default()).await;
    let url = format!("http://{}/healthz", app.addr);
    let response = common::client().get(&url).send().await.unwrap();
    let id = response.headers()["x-request-id"].to_str().unwrap();
    assert_eq!(id.len(), 36, "a generated UUID: {id}");
    let response = common::client()
        .get(&url)
        .header("x-request-id", "from-the-proxy-42")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["x-request-id"], "from-the-proxy-42");
}

#[tokio::test]
async fn api_bodies_are_bounded_and_import_has_a_larger_bound() {
    let app = spawn_app(Transport::default()).await;
    let big_note = "x".repeat(70 * 1024);
    let body = format!(r#"{{"joy": 3, "energy": 3, "learning": 3, "note": "{big_note}"}}"#);
    let (status, err) = app
        .api(Method::POST, "/api/v1/people/dev/checkins", Some(&body))
        .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{err}");
    assert_eq!(err["error"]["code"], "too_large", "{err}");

    // An import of more than 64 KB goes through.
    let mut csv = String::from("id,name,email,level\n");
    for i in 0..2000 {
        csv.push_str(&format!("p{i:05},Person Number {i:05},p{i:05}@x.io,L3\n"));
    }
    assert!(csv.len() > 64 * 1024);
    let (status, imported) = app.import(csv).await;
    assert_eq!(status, StatusCode::OK, "{imported}");

    // Past its own bound, import is refused in the error shape too.
    let (status, err) = app.import("x".repeat(3 * 1024 * 1024)).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(err["error"]["code"], "too_large", "{err}");
}

#[tokio::test]
async fn refusals_before_the_handler_keep_the_error_shape() {
    let app = spawn_app(Transport::default()).await;
    let no_type = common::client()
        .post(format!("http://{}/api/v1/people/dev/checkins", app.addr))
        .bearer_auth(&app.member)
        .body(r#"{"joy": 3, "energy": 3, "learning": 3}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(no_type.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let err: Value = no_type.json().await.unwrap();
    assert_eq!(err["error"]["code"], "unsupported_media_type", "{err}");

    let (status, err) = app.api(Method::GET, "/api/v1/no-such-thing", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(err["error"]["code"], "not_found", "{err}");

    let wrong = common::client()
        .delete(format!("http://{}/api/v1/people", app.addr))
        .bearer_auth(&app.member)
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert!(wrong.headers().contains_key("allow"));
    let err: Value = wrong.json().await.unwrap();
    assert_eq!(err["error"]["code"], "method_not_allowed", "{err}");
}

#[tokio::test]
async fn a_page_form_over_64_kb_gets_the_error_page() {
    let app = spawn_app(Transport::default()).await;
    let response = common::client()
        .post(format!("http://{}/login", app.addr))
        .form(&[
            ("csrf", "x"),
            ("email", &"a".repeat(70 * 1024)),
            ("password", "y"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let html = response.text().await.unwrap();
    assert!(html.contains("larger than this page accepts"), "{html}");
}

#[tokio::test]
async fn a_note_over_4096_bytes_is_refused_by_the_api_naming_the_field() {
    let app = spawn_app(Transport::default()).await;
    let body = format!(
        r#"{{"joy": 3, "energy": 3, "learning": 3, "note": "{}"}}"#,
        "é".repeat(2049)
    );
    let (status, err) = app
        .api(Method::POST, "/api/v1/people/dev/checkins", Some(&body))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    assert_eq!(
        err["error"]["message"],
        "note: 4098 bytes is more than a note may hold (4096 bytes, 4 KB)"
    );
    let (_, list) = app
        .api(Method::GET, "/api/v1/people/dev/checkins", None)
        .await;
    assert_eq!(list["checkins"], serde_json::json!([]), "nothing written");
}

#[tokio::test]
async fn a_second_check_in_on_a_day_replaces_the_first_through_the_api() {
    let app = spawn_app(Transport::default()).await;
    for (joy, note) in [(2, "first"), (5, "second")] {
        let body = format!(
            r#"{{"date": "2026-06-01", "joy": {joy}, "energy": 3, "learning": 3, "note": "{note}"}}"#
        );
        let (status, err) = app
            .api(Method::POST, "/api/v1/people/dev/checkins", Some(&body))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{err}");
    }
    let (_, list) = app
        .api(Method::GET, "/api/v1/people/dev/checkins", None)
        .await;
    let checkins = list["checkins"].as_array().unwrap();
    assert_eq!(checkins.len(), 1, "{list}");
    assert_eq!(checkins[0]["joy"], 5);
    assert_eq!(checkins[0]["note"], "second");
}

#[tokio::test]
async fn the_check_in_form_replaces_the_days_check_in_and_refuses_a_long_note() {
    let app = spawn_app(Transport::default()).await;
    let session = common::sign_in(app.addr, "dev@accounts.x.io").await;
    let post = async |joy: &str, note: &str| {
        let page = common::client()
            .get(format!("http://{}/people/dev", app.addr))
            .header("cookie", format!("pendulum_session={session}"))
            .send()
            .await
            .unwrap();
        let csrf = common::hidden_csrf(&page.text().await.unwrap());
        let response = common::client()
            .post(format!("http://{}/people/dev/checkins", app.addr))
            .header("cookie", format!("pendulum_session={session}"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("date", "2026-06-02"),
                ("joy", joy),
                ("energy", "3"),
                ("learning", "3"),
                ("note", note),
            ])
            .send()
            .await
            .unwrap();
        (response.status(), response.text().await.unwrap())
    };
    assert_eq!(post("2", "").await.0, StatusCode::SEE_OTHER);
    assert_eq!(post("4", "").await.0, StatusCode::SEE_OTHER);
    let (status, html) = post("4", &"n".repeat(4097)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        html.contains("note: 4097 bytes is more than a note may hold"),
        "{html}"
    );
    let (_, list) = app
        .api(Method::GET, "/api/v1/people/dev/checkins", None)
        .await;
    let checkins = list["checkins"].as_array().unwrap();
    assert_eq!(checkins.len(), 1, "{list}");
    assert_eq!(checkins[0]["joy"], 4);
}
