//! The ingests called as the server and scheduled sources will call them: a real git
//! repository made with the `git` command, real .ics text, and a real database, a SQLite
//! file always and PostgreSQL when `PENDULUM_TEST_POSTGRES` names a server.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

use chrono::NaiveDate;
use pendulum_app::Db;
use pendulum_app::ingest::{
    CalendarIngestError, CalendarInput, GitIngestError, GitInput, Progress, Quiet, ingest_calendar,
    ingest_git,
};
use pendulum_core::{
    CalendarWeek, Change, Email, GitMonth, IsoWeek, Ladder, Person, PersonId, Policy, Willingness,
    YearMonth,
};
use pendulum_store::Store;
use tempfile::TempDir;

/// A store to run a test on, and what keeps its file alive.
struct Backend {
    name: &'static str,
    store: Db,
    _dir: Option<TempDir>,
}

/// A fresh SQLite file.
async fn sqlite() -> Backend {
    let dir = tempfile::tempdir().unwrap();
    let store = Db::open(&dir.path().join("ledger.db").display().to_string())
        .await
        .unwrap();
    Backend {
        name: "sqlite",
        store,
        _dir: Some(dir),
    }
}

/// A fresh SQLite file, and a fresh PostgreSQL database when a server is given.
async fn backends() -> Vec<Backend> {
    let mut all = vec![sqlite().await];
    if let Some(url) = pendulum_store_postgres::testing::scratch_database().await {
        all.push(Backend {
            name: "postgres",
            store: Db::open(&url).await.unwrap(),
            _dir: None,
        });
    }
    all
}

fn id(s: &str) -> PersonId {
    PersonId::parse(s).unwrap()
}

fn person(name: &str, aliases: &[&str]) -> Person {
    Person {
        willing_since: None,
        id: id(name),
        name: name.to_owned(),
        email: Email::parse(&format!("{name}@example.com")).unwrap(),
        aliases: aliases.iter().map(|a| Email::parse(a).unwrap()).collect(),
        level: Ladder::default().level("L4").unwrap(),
        team: None,
        manager: None,
        willing_to_manage: Willingness::Unknown,
        departure: None,
    }
}

/// Ada (with an old address), Ben and Grace.
async fn seed(store: &Db) {
    let people = vec![
        person("ada", &["ada.okafor@old.example.com"]),
        person("ben", &[]),
        person("grace", &[]),
    ];
    store
        .apply(&Change {
            people,
            ..Change::default()
        })
        .await
        .unwrap();
}

async fn evidence(store: &Db) -> (Vec<GitMonth>, Vec<CalendarWeek>) {
    let ledger = store.ledger(&Ladder::default()).await.unwrap();
    (ledger.git().to_vec(), ledger.calendar().to_vec())
}

fn git(dir: &Path, args: &[&str], env: &[(&str, &str)]) {
    let out = Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_COMMITTER_NAME", "C")
        .env("GIT_COMMITTER_EMAIL", "c@example.com")
        .envs(env.iter().copied())
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A repository at `dir` with nothing in it yet.
fn init(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    git(dir, &["init", "-q", "-b", "main"], &[]);
}

/// Commit number `n` (a file of its own) by `name <email>` at `date` (`seconds +zone`).
fn commit(dir: &Path, n: usize, name: &str, email: &str, date: &str) {
    std::fs::write(dir.join(format!("{n}.txt")), format!("{n}\n")).unwrap();
    git(dir, &["add", "."], &[]);
    git(
        dir,
        &["commit", "-q", "-m", "work"],
        &[
            ("GIT_AUTHOR_NAME", name),
            ("GIT_AUTHOR_EMAIL", email),
            ("GIT_AUTHOR_DATE", date),
        ],
    );
}

/// 2026-01-01 and 2026-02-02, in seconds.
const JANUARY: &str = "1767300000 +0000";
const FEBRUARY: &str = "1770000000 +0000";

fn month(m: &str) -> YearMonth {
    YearMonth::parse(m).unwrap()
}

fn row<'a>(rows: &'a [GitMonth], person: &str, m: &str) -> &'a GitMonth {
    rows.iter()
        .find(|g| g.person.as_str() == person && g.month == month(m))
        .unwrap_or_else(|| panic!("{person}'s {m} in {rows:?}"))
}

/// Writes `lines` as a CRLF-terminated file, as exports are.
fn write_ics(path: &Path, lines: &[&str]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let mut text = lines.join("\r\n");
    text.push_str("\r\n");
    std::fs::write(path, text).unwrap();
}

/// Ada's calendar, named after her: one meeting on Monday 3 March 2025, 10:00 to 11:00 in
/// Berlin, with Grace invited.
const ADA: &[&str] = &[
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//pendulum tests//EN",
    "X-WR-CALNAME:ada@example.com",
    "BEGIN:VEVENT",
    "UID:planning",
    "DTSTART;TZID=Europe/Berlin:20250303T100000",
    "DTEND;TZID=Europe/Berlin:20250303T110000",
    "SUMMARY:Planning",
    "ORGANIZER:mailto:ada@example.com",
    "ATTENDEE;PARTSTAT=ACCEPTED:mailto:grace@example.com",
    "END:VEVENT",
    "END:VCALENDAR",
];

/// A calendar whose only address belongs to nobody in the ledger.
const STRANGER: &[&str] = &[
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//pendulum tests//EN",
    "BEGIN:VEVENT",
    "UID:call",
    "DTSTART:20250304T090000Z",
    "DTEND:20250304T100000Z",
    "ORGANIZER:mailto:nobody@example.net",
    "END:VEVENT",
    "END:VCALENDAR",
];

fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 12, 31).unwrap()
}

fn week(person: &str, w: u32, meeting: f64, focus: f64, fragmented: f64) -> CalendarWeek {
    CalendarWeek {
        person: id(person),
        week: IsoWeek::new(2025, w).unwrap(),
        meeting_hours: meeting,
        focus_hours: focus,
        fragmented_hours: fragmented,
        after_hours: 0.0,
    }
}

/// Everything an ingest does on one store, checked as it goes: git read once and again
/// after a new commit, calendars matched and recomputed. The store ends with the evidence
/// of both sources.
async fn scenario(store: &Db, dir: &Path) {
    let policy = Policy::default();
    seed(store).await;
    let repo = dir.join("repos").join("service");
    init(&repo);
    commit(&repo, 1, "Ada", "ada.okafor@OLD.example.com", JANUARY);
    commit(&repo, 2, "Ada", "ada@example.com", JANUARY);
    commit(&repo, 3, "Ben", "ben@example.com", FEBRUARY);
    commit(&repo, 4, "Someone", "someone@elsewhere.example", FEBRUARY);
    let input = GitInput {
        paths: vec![dir.join("repos")],
        diffstat: false,
    };

    let report = ingest_git(store, &policy, &input, &Quiet).await.unwrap();
    assert_eq!(
        (report.repositories, report.repositories_read),
        (1, 1),
        "{report:?}"
    );
    assert_eq!(report.commits_read, 4);
    let counted = report.evidence.as_ref().expect("evidence was computed");
    assert_eq!((counted.commits, counted.matched, counted.bots), (4, 3, 0));
    assert_eq!(counted.unmatched.len(), 1);
    assert_eq!(
        counted.unmatched[0].identity,
        "Someone <someone@elsewhere.example>"
    );
    assert_eq!(report.rows_written, 2);
    assert!(report.shallow.is_empty());
    let (rows, _) = evidence(store).await;
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(row(&rows, "ada", "2026-01").commits, 2);
    assert_eq!(row(&rows, "ben", "2026-02").commits, 1);

    // Nothing new: nothing read, nothing computed, nothing written.
    let again = ingest_git(store, &policy, &input, &Quiet).await.unwrap();
    assert_eq!(
        (
            again.repositories_read,
            again.commits_read,
            again.rows_written
        ),
        (0, 0, 0)
    );
    assert_eq!(again.evidence, None);
    assert_eq!(evidence(store).await.0, rows);

    // One new commit: only it is read, and Ben's February is replaced (one row dropped,
    // one written); Ada's January is left alone.
    commit(&repo, 5, "Ben", "ben@example.com", FEBRUARY);
    let more = ingest_git(store, &policy, &input, &Quiet).await.unwrap();
    assert_eq!((more.commits_read, more.rows_written), (1, 2));
    let (rows, _) = evidence(store).await;
    assert_eq!(row(&rows, "ben", "2026-02").commits, 2);
    assert_eq!(row(&rows, "ada", "2026-01").commits, 2);

    let exports = dir.join("exports");
    write_ics(&exports.join("ada.ics"), ADA);
    write_ics(&exports.join("nested/stranger.ICS"), STRANGER);
    std::fs::write(exports.join("notes.txt"), "not a calendar").unwrap();
    let input = CalendarInput {
        paths: vec![exports.clone()],
        person: None,
        as_of: as_of(),
    };
    let report = ingest_calendar(store, &policy, &input, &Quiet)
        .await
        .unwrap();
    assert_eq!((report.files, report.people_matched), (2, 1), "{report:?}");
    assert_eq!(report.unmatched.len(), 1);
    assert_eq!(
        report.unmatched[0].file,
        exports.join("nested/stranger.ICS")
    );
    assert_eq!(
        report.unmatched[0].reason,
        "no person has the owner's address (nobody@example.net)"
    );
    assert_eq!(
        (report.weeks, report.weeks_written, report.weeks_removed),
        (1, 1, 0)
    );
    // Working hours are 09:00 to 17:00, Monday to Friday, in the calendar's zone: the hour
    // before the meeting is too short to focus in.
    assert_eq!(evidence(store).await.1, [week("ada", 10, 1.0, 38.0, 1.0)]);

    // The same files again write nothing; claimed for Grace, the stranger's call is hers.
    let again = ingest_calendar(store, &policy, &input, &Quiet)
        .await
        .unwrap();
    assert_eq!((again.weeks, again.weeks_written), (1, 0));
    let claimed = CalendarInput {
        paths: vec![exports.join("nested/stranger.ICS")],
        person: Some(id("grace")),
        as_of: as_of(),
    };
    let report = ingest_calendar(store, &policy, &claimed, &Quiet)
        .await
        .unwrap();
    assert_eq!((report.people_matched, report.weeks_written), (1, 1));
    assert!(report.unmatched.is_empty());
    assert_eq!(
        evidence(store).await.1,
        [
            week("ada", 10, 1.0, 38.0, 1.0),
            week("grace", 10, 1.0, 39.0, 0.0)
        ]
    );
}

#[tokio::test]
async fn ingests_read_match_and_write_on_every_backend() {
    for backend in backends().await {
        let dir = tempfile::tempdir().unwrap();
        eprintln!("on {}", backend.name);
        scenario(&backend.store, dir.path()).await;
    }
}

#[tokio::test]
async fn both_backends_end_with_identical_evidence() {
    let backends = backends().await;
    let mut seen = Vec::new();
    for backend in &backends {
        let dir = tempfile::tempdir().unwrap();
        scenario(&backend.store, dir.path()).await;
        seen.push((backend.name, evidence(&backend.store).await));
    }
    if std::env::var_os("PENDULUM_TEST_POSTGRES").is_some() {
        assert_eq!(seen.len(), 2, "PostgreSQL was given, so both backends ran");
    }
    for (name, found) in &seen[1..] {
        assert_eq!(found, &seen[0].1, "{name} differs from {}", seen[0].0);
    }
}

#[tokio::test]
async fn a_bad_path_fails_the_git_ingest_by_name_and_writes_nothing() {
    for backend in backends().await {
        let dir = tempfile::tempdir().unwrap();
        let store = &backend.store;
        seed(store).await;
        let repo = dir.path().join("service");
        init(&repo);
        commit(&repo, 1, "Ada", "ada@example.com", JANUARY);
        let missing = dir.path().join("no-such-repo");
        let input = GitInput {
            paths: vec![repo.clone(), missing.clone()],
            diffstat: false,
        };
        let err = ingest_git(store, &Policy::default(), &input, &Quiet)
            .await
            .unwrap_err();
        assert!(matches!(err, GitIngestError::Read(_)), "{err:?}");
        assert_eq!(
            err.to_string(),
            format!("{}: no such file or folder", missing.display())
        );
        assert_eq!(evidence(store).await.0, []);
        assert!(store.git_sources().await.unwrap().repositories.is_empty());
    }
}

#[tokio::test]
async fn a_bad_calendar_fails_by_file_and_line_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = &sqlite().await.store;
    seed(store).await;
    let exports = dir.path().join("exports");
    write_ics(&exports.join("ada.ics"), ADA);
    let mut bad = STRANGER.to_vec();
    bad[5] = "DTSTART;TZID=Atlantis/Lost_City:20250304T090000";
    let file = exports.join("zz-bad.ics");
    write_ics(&file, &bad);
    let input = CalendarInput {
        paths: vec![exports.clone()],
        person: None,
        as_of: as_of(),
    };
    let err = ingest_calendar(store, &Policy::default(), &input, &Quiet)
        .await
        .unwrap_err();
    let CalendarIngestError::Invalid { path, error } = &err else {
        panic!("{err:?}");
    };
    assert_eq!((path, error.line), (&file, 6));
    assert!(
        err.to_string()
            .starts_with(&format!("{}:6: unknown time zone", file.display())),
        "{err}"
    );
    assert_eq!(evidence(store).await.1, []);

    // A person who is not there is refused before any file is read.
    let unknown = CalendarInput {
        person: Some(id("zed")),
        ..input
    };
    let err = ingest_calendar(store, &Policy::default(), &unknown, &Quiet)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, CalendarIngestError::UnknownPerson(p) if p.as_str() == "zed"),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "no person has the id \"zed\"; `pendulum person list` shows who is there"
    );

    let nowhere = CalendarInput {
        paths: vec![dir.path().join("nowhere")],
        person: None,
        as_of: as_of(),
    };
    let err = ingest_calendar(store, &Policy::default(), &nowhere, &Quiet)
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "{}: no such file or folder",
            dir.path().join("nowhere").display()
        )
    );
}

/// What a progress heard.
#[derive(Default)]
struct Heard(Mutex<Vec<String>>);

impl Progress for Heard {
    fn start(&self, total: usize) {
        self.0.lock().unwrap().push(format!("start {total}"));
    }

    fn finish(&self) {
        self.0.lock().unwrap().push("finish".into());
    }
}

#[tokio::test]
async fn progress_hears_each_read_begin_and_end() {
    let dir = tempfile::tempdir().unwrap();
    let store = &sqlite().await.store;
    seed(store).await;
    for name in ["one", "two"] {
        let repo = dir.path().join("repos").join(name);
        init(&repo);
        commit(&repo, 1, "Ada", "ada@example.com", JANUARY);
    }
    write_ics(&dir.path().join("ada.ics"), ADA);
    let heard = Heard::default();
    let git = GitInput {
        paths: vec![dir.path().join("repos")],
        diffstat: false,
    };
    ingest_git(store, &Policy::default(), &git, &heard)
        .await
        .unwrap();
    let calendar = CalendarInput {
        paths: vec![dir.path().join("ada.ics")],
        person: None,
        as_of: as_of(),
    };
    ingest_calendar(store, &Policy::default(), &calendar, &heard)
        .await
        .unwrap();
    assert_eq!(
        *heard.0.lock().unwrap(),
        ["start 2", "finish", "start 1", "finish"]
    );
}

/// A server runs an ingest as a task of its own: the ingest must be `Send` and outlive no
/// borrow.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_ingest_runs_as_a_spawned_task() {
    let dir = tempfile::tempdir().unwrap();
    let store = sqlite().await;
    seed(&store.store).await;
    let repo = dir.path().join("service");
    init(&repo);
    commit(&repo, 1, "Ada", "ada@example.com", JANUARY);
    let paths: Vec<PathBuf> = vec![repo];
    let task = tokio::spawn({
        let store = store.store.clone();
        async move {
            let input = GitInput {
                paths,
                diffstat: true,
            };
            ingest_git(&store, &Policy::default(), &input, &Quiet).await
        }
    });
    let report = task.await.unwrap().unwrap();
    assert_eq!(report.commits_read, 1);
    let (rows, _) = evidence(&store.store).await;
    assert_eq!(row(&rows, "ada", "2026-01").lines_added, Some(1));
}
