//! What the binary's fault tests share: the `pendulum` command on a database of a temporary
//! folder, a `pendulum serve` process and plain HTTP to it, and a look at the database file
//! with SQLite's own integrity check.

// Each test file uses its own share of these helpers.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command as Process, Stdio};

use assert_cmd::Command;
use sqlx::{ConnectOptions, Connection};

/// The path of a file of the hand-written org.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/org")
        .join(name)
}

/// `pendulum --db DB`, with an environment of its own in `home`.
pub fn pendulum(home: &Path, db: &Path) -> Command {
    let mut c = Command::cargo_bin("pendulum").unwrap();
    c.env_clear()
        .env("HOME", home)
        .env("NO_COLOR", "1")
        .arg("--db")
        .arg(db);
    c
}

/// Runs a command that must succeed; returns its stdout.
pub fn run(home: &Path, db: &Path, args: &[&str]) -> String {
    let out = pendulum(home, db).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "pendulum {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Imports the hand-written org into `db`.
pub fn import_fixture(home: &Path, db: &Path) {
    let files = ["teams.csv", "people.csv", "stints.csv", "checkins.csv"].map(fixture);
    pendulum(home, db)
        .arg("import")
        .args(&files)
        .assert()
        .success();
}

/// Creates a member account for `person` and returns a fresh API token of theirs.
pub fn member_token(home: &Path, db: &Path, person: &str) -> String {
    let email = format!("{person}@example.com");
    pendulum(home, db)
        .args([
            "user", "add", &email, "--role", "member", "--person", person,
        ])
        .arg("--password-stdin")
        .write_stdin("a long enough password\n")
        .assert()
        .success();
    run(home, db, &["token", "create", &email])
        .trim()
        .to_owned()
}

/// What `PRAGMA integrity_check` says of the database file: `ok`, or its problems. Opening
/// the file recovers what its write-ahead log holds, as the next `pendulum` would.
pub fn integrity(db: &Path) -> String {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let mut conn = sqlx::sqlite::SqliteConnectOptions::new()
            .filename(db)
            .connect()
            .await
            .unwrap();
        let lines: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_all(&mut conn)
            .await
            .unwrap();
        conn.close().await.unwrap();
        lines.join("\n")
    })
}

/// The audit log's rows in the database file, oldest first, as (action, subject).
pub fn audit_rows(db: &Path) -> Vec<(String, Option<String>)> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let mut conn = sqlx::sqlite::SqliteConnectOptions::new()
            .filename(db)
            .connect()
            .await
            .unwrap();
        let rows: Vec<(String, Option<String>)> =
            sqlx::query_as("SELECT action, subject FROM audit_log ORDER BY id")
                .fetch_all(&mut conn)
                .await
                .unwrap();
        conn.close().await.unwrap();
        rows
    })
}

/// The dates of a person's check-ins in the database, as `export --json` reads them.
pub fn checkin_dates(home: &Path, db: &Path, person: &str) -> Vec<String> {
    let export: serde_json::Value =
        serde_json::from_str(&run(home, db, &["export", "--json"])).unwrap();
    export["checkins"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["person"] == person)
        .map(|c| c["date"].as_str().unwrap().to_owned())
        .collect()
}

/// A `pendulum serve` process on a free port of the loopback interface.
pub struct Server {
    pub child: Child,
    pub addr: String,
}

impl Server {
    pub fn start(home: &Path, db: &Path) -> Self {
        Self::start_with(home, db, &[])
    }

    /// Starts `pendulum serve` with more options of its own (`extra`).
    pub fn start_with(home: &Path, db: &Path, extra: &[&str]) -> Self {
        Self::launch(home, db, extra, &[], Stdio::null())
    }

    /// Starts `pendulum serve` with more options (`extra`) and environment variables
    /// (`env`, after `RUST_LOG=warn`, which they may override), its standard error going
    /// to `stderr`.
    pub fn launch(
        home: &Path,
        db: &Path,
        extra: &[&str],
        env: &[(&str, &str)],
        stderr: Stdio,
    ) -> Self {
        let mut child = Process::new(assert_cmd::cargo::cargo_bin("pendulum"))
            .env_clear()
            .env("HOME", home)
            .env("RUST_LOG", "warn")
            .envs(env.iter().copied())
            .arg("--db")
            .arg(db)
            .args(["serve", "--bind", "127.0.0.1:0"])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .unwrap();
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        let addr = first
            .trim()
            .rsplit("http://")
            .next()
            .filter(|a| !a.is_empty())
            .unwrap_or_else(|| panic!("the server did not say where it listens: {first:?}"))
            .to_owned();
        Self { child, addr }
    }

    /// SIGKILL: no shutdown, no flush, no goodbye.
    pub fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // A test that fails half-way leaves no server behind.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One HTTP/1.1 request over a fresh connection: the status code and body, or the error
/// of a connection that broke (as it does when the server is killed).
pub fn http(
    addr: &str,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<&str>,
) -> std::io::Result<(u16, String)> {
    let mut stream = std::net::TcpStream::connect(addr)?;
    let auth = token
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    let body = body.unwrap_or_default();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\n{auth}Content-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    let status = response
        .get(9..12)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("no status line in {response:?}")))?;
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    Ok((status, body))
}
