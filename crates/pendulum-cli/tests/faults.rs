//! Faults, end to end on the real binary: `pendulum import` and `pendulum serve` killed with
//! SIGKILL at varied moments, and `pendulum backup` of a database that a server is writing.
//!
//! After each kill the database file must pass SQLite's integrity check and hold exactly the
//! state before or after each write: an import is there whole or not at all, and every
//! check-in the server acknowledged is there, with nothing that was never sent.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command as Process, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use common::{Server, checkin_dates, http, import_fixture, integrity, member_token, run};
use serde_json::Value;

/// How many times each test kills a process.
const KILLS: u32 = 20;

/// Copies a database that no process has open, with its write-ahead log if one was left.
fn copy_db(from: &Path, to: &Path) {
    std::fs::copy(from, to).unwrap();
    let wal = |p: &Path| p.with_file_name(format!("{}-wal", p.file_name().unwrap().display()));
    if wal(from).exists() {
        std::fs::copy(wal(from), wal(to)).unwrap();
    }
}

/// An import of 2,000 new people with a stint and two check-ins each: big enough that a
/// kill lands while it reads, checks and writes.
fn write_big_import(dir: &Path) -> Vec<String> {
    let mut people = String::from("id,name,email,level,team,manager\n");
    let mut stints = String::from("person,role,team,level,start\n");
    let mut checkins = String::from("person,date,joy,energy,learning\n");
    for n in 0..2_000 {
        people.push_str(&format!("n{n},New {n},n{n}@example.com,L3,platform,ada\n"));
        stints.push_str(&format!("n{n},engineer,platform,L3,2024-01-01\n"));
        checkins.push_str(&format!("n{n},2026-01-05,3,4,5\nn{n},2026-04-06,4,3,2\n"));
    }
    [
        ("people.csv", people),
        ("stints.csv", stints),
        ("checkins.csv", checkins),
    ]
    .into_iter()
    .map(|(name, text)| {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path.display().to_string()
    })
    .collect()
}

#[test]
fn an_import_killed_at_any_moment_leaves_the_database_before_or_after_it() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path();
    let base = home.join("base.db");
    import_fixture(home, &base);
    let files = write_big_import(home);
    let before = run(home, &base, &["export", "--json"]);

    let whole = home.join("whole.db");
    copy_db(&base, &whole);
    let mut import = vec!["import"];
    import.extend(files.iter().map(String::as_str));
    let started = Instant::now();
    run(home, &whole, &import);
    // Only to spread the kills over the import; nothing is asserted about time.
    let takes = started.elapsed();
    let after = run(home, &whole, &["export", "--json"]);
    assert_ne!(before, after);

    let mut outcomes = (0, 0);
    for kill in 0..KILLS {
        let db = home.join(format!("killed-{kill}.db"));
        copy_db(&base, &db);
        let mut child = Process::new(assert_cmd::cargo::cargo_bin("pendulum"))
            .env_clear()
            .env("HOME", home)
            .arg("--db")
            .arg(&db)
            .args(&import)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        thread::sleep(takes * kill / (KILLS - 1));
        child.kill().unwrap();
        child.wait().unwrap();

        assert_eq!(integrity(&db), "ok", "kill {kill}");
        let now = run(home, &db, &["export", "--json"]);
        if now == before {
            outcomes.0 += 1;
        } else {
            assert!(
                now == after,
                "kill {kill}: neither before nor after the import"
            );
            outcomes.1 += 1;
        }
    }
    eprintln!(
        "{} kills left the database as before the import, {} as after it",
        outcomes.0, outcomes.1
    );
}

/// The check-ins a burst of writers sent and the ones the server acknowledged, each a
/// date of Eve's (one per day, so that no rule on check-ins per day refuses them).
#[derive(Default)]
struct Burst {
    sent: Mutex<BTreeSet<String>>,
    acknowledged: Mutex<BTreeSet<String>>,
    /// Answers other than 201 while the server was up: there must be none.
    refused: Mutex<Vec<String>>,
    next_day: AtomicUsize,
    stop: AtomicBool,
}

impl Burst {
    /// The scores sent with the check-in of a day, so that what is read back can be
    /// compared field by field.
    fn scores(day: usize) -> (usize, usize, usize) {
        (1 + day % 5, 1 + (day / 5) % 5, 1 + (day / 25) % 5)
    }

    fn date(day: usize) -> String {
        let first = NaiveDate::from_ymd_opt(2010, 1, 1).unwrap();
        (first + chrono::Days::new(day as u64)).to_string()
    }

    /// Starts `writers` threads that post check-ins until told to stop or the server goes.
    fn start(
        self: &Arc<Self>,
        writers: usize,
        addr: &str,
        token: &str,
    ) -> Vec<thread::JoinHandle<()>> {
        self.stop.store(false, Ordering::SeqCst);
        (0..writers)
            .map(|_| {
                let burst = self.clone();
                let addr = addr.to_owned();
                let token = token.to_owned();
                thread::spawn(move || {
                    while !burst.stop.load(Ordering::SeqCst) {
                        let day = burst.next_day.fetch_add(1, Ordering::SeqCst);
                        let date = Self::date(day);
                        let (joy, energy, learning) = Self::scores(day);
                        let body = format!(
                            r#"{{"date": "{date}", "joy": {joy}, "energy": {energy}, "learning": {learning}}}"#
                        );
                        burst.sent.lock().unwrap().insert(date.clone());
                        match http(&addr, "POST", "/api/v1/people/eve/checkins", Some(&token), Some(&body)) {
                            Ok((201, _)) => {
                                burst.acknowledged.lock().unwrap().insert(date);
                            }
                            Ok((status, answer)) => {
                                burst.refused.lock().unwrap().push(format!("{status} {answer}"));
                            }
                            // The server is gone.
                            Err(_) => break,
                        }
                    }
                })
            })
            .collect()
    }

    fn acknowledged(&self) -> BTreeSet<String> {
        self.acknowledged.lock().unwrap().clone()
    }

    fn sent(&self) -> BTreeSet<String> {
        self.sent.lock().unwrap().clone()
    }

    /// Waits until `count` writes are acknowledged (or every writer has ended).
    fn wait_for(&self, count: usize, writers: &[thread::JoinHandle<()>]) {
        while self.acknowledged.lock().unwrap().len() < count
            && writers.iter().any(|w| !w.is_finished())
        {
            thread::sleep(Duration::from_millis(1));
        }
    }
}

/// Eve's check-ins in the database, checked to be ones the burst sent with the scores it
/// sent, apart from those of `base`.
fn eve_checkins(
    home: &Path,
    db: &Path,
    base: &BTreeSet<String>,
    sent: &BTreeSet<String>,
) -> BTreeSet<String> {
    let export: Value = serde_json::from_str(&run(home, db, &["export", "--json"])).unwrap();
    let mut dates = BTreeSet::new();
    for c in export["checkins"].as_array().unwrap() {
        if c["person"] != "eve" {
            continue;
        }
        let date = c["date"].as_str().unwrap().to_owned();
        if !base.contains(&date) {
            assert!(
                sent.contains(&date),
                "a check-in on {date} that was never sent"
            );
            let day = (NaiveDate::parse_from_str(&date, "%Y-%m-%d").unwrap()
                - NaiveDate::from_ymd_opt(2010, 1, 1).unwrap())
            .num_days() as usize;
            let (joy, energy, learning) = Burst::scores(day);
            assert_eq!(
                (&c["joy"], &c["energy"], &c["learning"]),
                (
                    &Value::from(joy),
                    &Value::from(energy),
                    &Value::from(learning)
                ),
                "the check-in on {date}"
            );
        }
        dates.insert(date);
    }
    dates
}

/// The hand-written org in a fresh database, with a member account for Eve: the folder,
/// the database, Eve's API token and the dates of the check-ins she had already.
fn org_with_eve() -> (tempfile::TempDir, PathBuf, String, BTreeSet<String>) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("org.db");
    import_fixture(dir.path(), &db);
    let token = member_token(dir.path(), &db, "eve");
    let base = checkin_dates(dir.path(), &db, "eve").into_iter().collect();
    (dir, db, token, base)
}

#[test]
fn a_server_killed_mid_burst_keeps_every_acknowledged_write() {
    let (dir, db, token, base) = org_with_eve();
    let home = dir.path();
    let burst = Arc::new(Burst::default());

    for kill in 0..KILLS {
        let server = Server::start(home, &db);
        let writers = burst.start(4, &server.addr, &token);
        // Kill after a growing number of acknowledged writes, with writes in flight.
        burst.wait_for(burst.acknowledged().len() + 1 + kill as usize % 7, &writers);
        server.kill();
        burst.stop.store(true, Ordering::SeqCst);
        for writer in writers {
            writer.join().unwrap();
        }

        assert_eq!(integrity(&db), "ok", "kill {kill}");
        let present = eve_checkins(home, &db, &base, &burst.sent());
        let lost: Vec<String> = burst.acknowledged().difference(&present).cloned().collect();
        assert!(
            lost.is_empty(),
            "kill {kill}: acknowledged but lost: {lost:?}"
        );
    }
    assert_eq!(*burst.refused.lock().unwrap(), Vec::<String>::new());
    let acknowledged = burst.acknowledged().len();
    let present = eve_checkins(home, &db, &base, &burst.sent()).len() - base.len();
    eprintln!(
        "{acknowledged} check-ins acknowledged, {present} present, {} sent",
        burst.sent().len()
    );
    assert!(acknowledged >= KILLS as usize);

    // The server starts again on what the kills left, and serves it.
    let server = Server::start(home, &db);
    let (status, body) = http(
        &server.addr,
        "GET",
        "/api/v1/people/eve/checkins",
        Some(&token),
        None,
    )
    .unwrap();
    assert_eq!(status, 200, "{body}");
    let served: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        served["checkins"].as_array().unwrap().len(),
        base.len() + present
    );
}

#[test]
fn a_backup_taken_while_the_server_writes_is_whole_and_opens() {
    let (dir, db, token, base) = org_with_eve();
    let home = dir.path();
    let server = Server::start(home, &db);
    let burst = Arc::new(Burst::default());
    let writers = burst.start(4, &server.addr, &token);

    for n in 0..3 {
        burst.wait_for(burst.acknowledged().len() + 5, &writers);
        let acknowledged = burst.acknowledged();
        let copy = home.join(format!("copy-{n}.db"));
        let said = run(home, &db, &["backup", copy.to_str().unwrap()]);
        assert!(said.contains("integrity ok"), "{said}");
        assert_eq!(integrity(&copy), "ok");
        run(home, &copy, &["report"]);
        let copied = eve_checkins(home, &copy, &base, &burst.sent());
        let missing: Vec<&String> = acknowledged.difference(&copied).collect();
        assert!(
            missing.is_empty(),
            "acknowledged before the backup began, yet missing: {missing:?}"
        );
    }
    burst.stop.store(true, Ordering::SeqCst);
    for writer in writers {
        writer.join().unwrap();
    }
    drop(server);
    assert_eq!(*burst.refused.lock().unwrap(), Vec::<String>::new());

    // An existing file is kept unless --force says otherwise.
    let copy = home.join("copy-0.db");
    let kept = std::fs::read(&copy).unwrap();
    let refused = common::pendulum(home, &db)
        .args(["backup", copy.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("exists already") && stderr.contains("--force"),
        "{stderr}"
    );
    assert_eq!(std::fs::read(&copy).unwrap(), kept);
    run(home, &db, &["backup", "--force", copy.to_str().unwrap()]);
    assert_eq!(
        eve_checkins(home, &copy, &base, &burst.sent()),
        eve_checkins(home, &db, &base, &burst.sent())
    );
    let leftovers: Vec<String> = std::fs::read_dir(home)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains(".partial-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
