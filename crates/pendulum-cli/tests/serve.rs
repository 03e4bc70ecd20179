//! `pendulum serve`, `user` and `token` end to end: a real server process, real HTTP.

use std::io::{BufRead, BufReader};
use std::process::{Command as Process, Stdio};

use assert_cmd::Command;
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

    let (mut server, addr) = start_server(&dir, ("RUST_LOG", "warn"), Stdio::null());

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
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    let status = server.wait().unwrap();
    assert!(
        status.success(),
        "graceful shutdown on SIGTERM exits 0: {status}"
    );
}

/// `PENDULUM_LOG_FORMAT=json`: every log line is a JSON object, and the line of a request
/// carries the id the response sent back.
#[test]
fn json_logs_carry_the_request_id() {
    let dir = tempfile::tempdir().unwrap();
    let (mut server, addr) = start_server(&dir, ("PENDULUM_LOG_FORMAT", "json"), Stdio::piped());

    let response = raw_get(&addr, "/healthz", "X-Request-Id: trace-me-7\r\n");
    assert!(response.contains("x-request-id: trace-me-7"), "{response}");
    Process::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(server.wait().unwrap().success());

    let mut logs = String::new();
    std::io::Read::read_to_string(&mut server.stderr.take().unwrap(), &mut logs).unwrap();
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

/// Starts `pendulum serve` on a free port with one more environment variable; returns the
/// process and the address it printed.
fn start_server(
    dir: &TempDir,
    (key, value): (&str, &str),
    stderr: Stdio,
) -> (std::process::Child, String) {
    let mut server = Process::new(assert_cmd::cargo::cargo_bin("pendulum"))
        .env_clear()
        .env("HOME", dir.path())
        .env(key, value)
        .arg("--db")
        .arg(dir.path().join("s.db"))
        .args(["serve", "--bind", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(stderr)
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(server.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let addr = first.trim().rsplit("http://").next().unwrap().to_owned();
    (server, addr)
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
