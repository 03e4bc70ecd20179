//! `pendulum serve`, `user` and `token` end to end: a real server process, real HTTP.

mod common;

use std::process::{Command as Process, Stdio};

use assert_cmd::Command;
use pendulum_app::Db;
use pendulum_core::Email;
use pendulum_store::{Actor, NewSession, Store};
use tempfile::TempDir;

fn pendulum(dir: &TempDir) -> Command {
    let mut c = Command::cargo_bin("pendulum").unwrap();
    c.env_clear()
        .env("HOME", dir.path())
        .env("NO_COLOR", "1")
        .arg("--db")
        .arg(dir.path().join("s.db"));
    c
}

fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/org/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// A tiny HTTP/1.1 GET over a plain socket: status code and body.
fn get(addr: &str, path: &str, token: Option<&str>) -> (u16, String) {
    let auth = token
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    let response = raw_get(addr, path, &auth);
    let status = response[9..12].parse().unwrap();
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
}

#[test]
fn accounts_tokens_and_a_served_api() {
    let dir = tempfile::tempdir().unwrap();
    let files = ["teams.csv", "people.csv", "stints.csv", "checkins.csv"].map(fixture);
    pendulum(&dir).arg("import").args(&files).assert().success();

    let short = pendulum(&dir)
        .args([
            "user",
            "add",
            "eve@example.com",
            "--role",
            "member",
            "--person",
            "eve",
            "--password-stdin",
        ])
        .write_stdin("short\n")
        .assert()
        .failure();
    assert!(String::from_utf8_lossy(&short.get_output().stderr).contains("at least 12 characters"));
    let orphan = pendulum(&dir)
        .args([
            "user",
            "add",
            "x@example.com",
            "--role",
            "manager",
            "--password-stdin",
        ])
        .write_stdin("a long enough password\n")
        .assert()
        .failure();
    assert!(String::from_utf8_lossy(&orphan.get_output().stderr).contains("--person"));
    pendulum(&dir)
        .args([
            "user",
            "add",
            "kai@example.com",
            "--role",
            "manager",
            "--person",
            "kai",
            "--password-stdin",
        ])
        .write_stdin("a long enough password\n")
        .assert()
        .success();
    let created = pendulum(&dir)
        .args(["token", "create", "kai@example.com"])
        .assert()
        .success();
    let token = String::from_utf8(created.get_output().stdout.clone())
        .unwrap()
        .trim()
        .to_owned();
    assert!(token.starts_with("pdl_"), "{token}");

    let mut server = common::Server::start_with(
        dir.path(),
        &dir.path().join("s.db"),
        &["--trusted-proxy", "127.0.0.1"],
    );
    let addr = server.addr.clone();

    assert_eq!(get(&addr, "/healthz", None).0, 200);
    assert_eq!(get(&addr, "/api/v1/people", None).0, 401);
    let (status, body) = get(&addr, "/api/v1/people/eve/checkins", Some(&token));
    assert_eq!(status, 200, "{body}");
    assert!(
        body.contains("\"joy\":2") && !body.contains("miss coding"),
        "a manager sees scores, not notes: {body}"
    );

    let id = token.split('_').nth(1).unwrap();
    pendulum(&dir)
        .args(["token", "revoke", id])
        .assert()
        .success();
    assert_eq!(
        get(&addr, "/api/v1/people", Some(&token)).0,
        401,
        "a revoked token stops working at once"
    );

    Process::new("kill")
        .args(["-TERM", &server.child.id().to_string()])
        .status()
        .unwrap();
    let status = server.child.wait().unwrap();
    assert!(
        status.success(),
        "graceful shutdown on SIGTERM exits 0: {status}"
    );
}

#[test]
fn trusted_proxies_must_be_address_ranges() {
    let dir = tempfile::tempdir().unwrap();
    let flag = pendulum(&dir)
        .args([
            "serve",
            "--bind",
            "127.0.0.1:0",
            "--trusted-proxy",
            "proxy.local",
        ])
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&flag.get_output().stderr).into_owned();
    assert!(
        stderr.contains("--trusted-proxy")
            && stderr.contains("\"proxy.local\" is not an address range"),
        "{stderr}"
    );
    let env = pendulum(&dir)
        .env(
            "PENDULUM_TRUSTED_PROXIES",
            "10.0.0.0/8,fd00::/8,10.0.0.0/99",
        )
        .args(["serve", "--bind", "127.0.0.1:0"])
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&env.get_output().stderr).into_owned();
    assert!(
        stderr.contains("\"10.0.0.0/99\""),
        "each listed range is read: {stderr}"
    );
}

/// Sessions of `email` as their id hashes, as the server would store them.
async fn open_sessions(dir: &TempDir, email: &str, ids: &[&str]) -> Db {
    let store = Db::open(&dir.path().join("s.db").display().to_string())
        .await
        .unwrap();
    let now = chrono::Utc::now().timestamp();
    for id in ids {
        let session = NewSession {
            id_hash: (*id).to_owned(),
            account: Email::parse(email).unwrap(),
            csrf: "c".into(),
            now,
        };
        store.create_session(&session).await.unwrap();
    }
    store
}

#[tokio::test]
async fn an_admin_resets_a_password_and_signs_an_account_out_and_it_is_audited() {
    let dir = tempfile::tempdir().unwrap();
    pendulum(&dir)
        .args([
            "user",
            "add",
            "ada@example.com",
            "--role",
            "admin",
            "--password-stdin",
        ])
        .write_stdin("a long enough password\n")
        .assert()
        .success();
    let store = open_sessions(&dir, "ada@example.com", &["one", "two"]).await;
    let before = store
        .account(&Email::parse("ada@example.com").unwrap())
        .await
        .unwrap()
        .unwrap()
        .password_hash;

    let short = pendulum(&dir)
        .args(["user", "password", "ada@example.com", "--password-stdin"])
        .write_stdin("short\n")
        .assert()
        .failure();
    assert!(String::from_utf8_lossy(&short.get_output().stderr).contains("at least 12 characters"));
    let changed = pendulum(&dir)
        .args(["user", "password", "ada@example.com", "--password-stdin"])
        .write_stdin("another long password\n")
        .assert()
        .success();
    assert_eq!(
        String::from_utf8_lossy(&changed.get_output().stdout),
        "password of ada@example.com changed; 2 sessions ended\n"
    );
    let after = store
        .account(&Email::parse("ada@example.com").unwrap())
        .await
        .unwrap()
        .unwrap()
        .password_hash;
    assert_ne!(before, after);
    assert!(store.session("one").await.unwrap().is_none());

    open_sessions(&dir, "ada@example.com", &["three"]).await;
    let out = pendulum(&dir)
        .args(["user", "sign-out", "ada@example.com"])
        .assert()
        .success();
    assert_eq!(
        String::from_utf8_lossy(&out.get_output().stdout),
        "1 session of ada@example.com ended\n"
    );
    assert!(store.session("three").await.unwrap().is_none());
    let nobody = pendulum(&dir)
        .args(["user", "sign-out", "nobody@example.com"])
        .assert()
        .failure();
    assert!(
        String::from_utf8_lossy(&nobody.get_output().stderr)
            .contains("no account for nobody@example.com")
    );

    pendulum(&dir)
        .args(["user", "disable", "ada@example.com"])
        .assert()
        .success();
    let created = pendulum(&dir)
        .args(["token", "create", "ada@example.com"])
        .assert()
        .success();
    let token = String::from_utf8_lossy(&created.get_output().stdout)
        .trim()
        .to_owned();
    let id = token.split('_').nth(1).unwrap().to_owned();
    pendulum(&dir)
        .args(["token", "revoke", &id])
        .assert()
        .success();
    pendulum(&dir)
        .args(["token", "revoke", &id])
        .assert()
        .failure();

    let lines: Vec<String> = store
        .audit_log()
        .await
        .unwrap()
        .into_iter()
        .map(|e| {
            assert!(matches!(e.actor, Actor::CommandLine(_)), "{e:?}");
            let subject = e.subject.unwrap_or_default().replace(&id, "ID");
            format!("{}: {subject}: {}", e.action, e.outcome)
        })
        .collect();
    assert_eq!(
        lines,
        [
            "create account: ada@example.com: ok",
            "change password: ada@example.com: ok",
            "sign out everywhere: ada@example.com: ok",
            "sign out everywhere: nobody@example.com: failed",
            "disable account: ada@example.com: ok",
            "create token: ada@example.com (token ID): ok",
            "revoke token: token ID: ok",
            "revoke token: token ID: failed",
        ]
    );
}

/// `PENDULUM_LOG_FORMAT=json`: every log line is a JSON object, and the line of a request
/// carries the id the response sent back.
#[test]
fn json_logs_carry_the_request_id() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = common::Server::launch(
        dir.path(),
        &dir.path().join("s.db"),
        &[],
        &[("PENDULUM_LOG_FORMAT", "json"), ("RUST_LOG", "info")],
        Stdio::piped(),
    );
    let addr = server.addr.clone();

    let response = raw_get(&addr, "/healthz", "X-Request-Id: trace-me-7\r\n");
    assert!(response.contains("x-request-id: trace-me-7"), "{response}");
    Process::new("kill")
        .args(["-TERM", &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(server.child.wait().unwrap().success());

    let mut logs = String::new();
    std::io::Read::read_to_string(&mut server.child.stderr.take().unwrap(), &mut logs).unwrap();
    let lines: Vec<serde_json::Value> = logs
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    assert!(
        lines
            .iter()
            .any(|l| l["span"]["request_id"] == "trace-me-7" && l["span"]["path"] == "/healthz"),
        "{logs}"
    );
    assert!(!logs.to_lowercase().contains("authorization"), "{logs}");
}

/// An HTTP/1.1 GET with extra header lines, over a plain socket: the whole response.
fn raw_get(addr: &str, path: &str, headers: &str) -> String {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\n{headers}Connection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response
}
