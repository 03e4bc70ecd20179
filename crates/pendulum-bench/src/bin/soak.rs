//! Soak: the real server under writers and readers at once for a bounded time, then a count
//! of what was lost. Every check-in the server acknowledged must be in the database
//! afterwards, and no answer may be a 5xx; the binary exits 1 when either fails.
//!
//! A demo org is written to a temporary SQLite database, with an account and API token for
//! each writer (a member, who may only check in for themselves) and an admin token for the
//! readers, and served by `pendulum_server::serve` on a free port of 127.0.0.1 in this
//! process. Each writer posts check-ins for its own person, one day after another so that no
//! rule about check-ins per day refuses them; each reader reads people and their nudges in
//! turn. All of them keep their connection alive and send the next request as soon as the
//! answer is in. When the time is up the server stops, the database is opened afresh, and
//! each acknowledged check-in is looked up in the ledger.
//!
//! Usage: `cargo run --release -p pendulum-bench --bin soak -- [SECONDS] [PEOPLE] [WRITERS] [READERS]`
//! (defaults: 30 seconds, 2000 people, 16 writers, 64 readers).

use std::collections::{BTreeMap, BTreeSet};
use std::net::SocketAddr;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Result, anyhow};
use chrono::NaiveDate;
use pendulum_app::Db;
use pendulum_bench::http::Connection;
use pendulum_bench::{AS_OF, NumberArgs, demo_org, load_runtimes};
use pendulum_core::{Account, AccountRole, Change, Email, PersonId, Policy};
use pendulum_server::{AppState, auth};
use pendulum_store::{NewAccount, Store};

/// The first day a writer checks in on; each later check-in is a day later, for at most
/// [`SOAK_DAYS`] days. The demo org's own check-ins are all much later, so they never meet.
const FIRST_DAY: (i32, u32, u32) = (1800, 1, 1);

/// How many check-ins a writer sends at most: a century of days.
const SOAK_DAYS: u64 = 36_500;

/// An answer that takes longer than this counts as an error, and its connection is dropped.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

fn main() -> Result<ExitCode> {
    let mut args = NumberArgs::from_env();
    let seconds = args.next("SECONDS", 30)?;
    let people = args.next("PEOPLE", 2_000)? as usize;
    let writers = args.next("WRITERS", 16)? as usize;
    let readers = args.next("READERS", 64)? as usize;
    if writers > people {
        return Err(anyhow!("{writers} writers need at least as many people"));
    }

    let (server_runtime, load_runtime) = load_runtimes()?;
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("soak.db");
    let app = server_runtime.block_on(start(&db, people, writers))?;
    println!(
        "server at http://{} with {people} people; {writers} writers and {readers} readers for {seconds} s",
        app.addr
    );

    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let logs = load_runtime.block_on(async {
        let mut tasks = Vec::new();
        for (writer, (person, token)) in app.writers.iter().enumerate() {
            let request = WriteRequests {
                addr: app.addr,
                person: person.clone(),
                token: token.clone(),
            };
            tasks.push(tokio::spawn(write_loop(request, deadline, writer)));
        }
        let reads = Arc::new(read_requests(&app));
        for reader in 0..readers {
            let first = reader * reads.len() / readers.max(1);
            tasks.push(tokio::spawn(read_loop(
                app.addr,
                reads.clone(),
                first,
                deadline,
            )));
        }
        let mut logs = Vec::new();
        for task in tasks {
            logs.push(task.await?);
        }
        Ok::<_, anyhow::Error>(logs)
    })?;
    let elapsed = started.elapsed();
    drop(app.stop);
    server_runtime.block_on(app.server)??;

    let mut kinds: BTreeMap<&'static str, Tally> = BTreeMap::new();
    let mut acknowledged: BTreeMap<String, BTreeSet<NaiveDate>> = BTreeMap::new();
    for log in logs {
        for (kind, tally) in log.kinds {
            kinds.entry(kind).or_default().absorb(tally);
        }
        for (person, dates) in log.acknowledged {
            acknowledged.entry(person).or_default().extend(dates);
        }
    }
    let (lost, unacknowledged) = server_runtime.block_on(verify(&db, &acknowledged))?;

    println!(
        "\n{:<12} {:>9} {:>12} {:>9} {:>9} {:>5} {:>7} {:>7}",
        "kind", "answered", "requests/s", "p50 ms", "p99 ms", "5xx", "other", "errors"
    );
    let mut server_errors = 0;
    for (kind, tally) in &mut kinds {
        tally.latencies.sort_unstable();
        server_errors += tally.server_errors;
        println!(
            "{:<12} {:>9} {:>12.0} {:>9.2} {:>9.2} {:>5} {:>7} {:>7}",
            kind,
            tally.latencies.len(),
            tally.latencies.len() as f64 / elapsed.as_secs_f64(),
            tally.percentile(50).as_secs_f64() * 1e3,
            tally.percentile(99).as_secs_f64() * 1e3,
            tally.server_errors,
            tally.other,
            tally.errors,
        );
        for (status, count) in &tally.statuses {
            println!("  {count} answers {status}");
        }
    }
    let written: usize = acknowledged.values().map(BTreeSet::len).sum();
    println!(
        "\n{written} check-ins acknowledged; lost writes: {lost}; 5xx: {server_errors}; \
         written but not acknowledged: {unacknowledged}"
    );
    Ok(if lost == 0 && server_errors == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// The server under load and what the clients need to call it.
struct App {
    addr: SocketAddr,
    /// The admin's token, for the readers.
    token: String,
    ids: Vec<String>,
    /// Each writer's person and token.
    writers: Vec<(String, String)>,
    stop: tokio::sync::oneshot::Sender<()>,
    server: tokio::task::JoinHandle<std::io::Result<()>>,
}

/// Writes the demo org, an admin and one member per writer to a fresh database, and serves
/// it on a free port of 127.0.0.1.
async fn start(db: &Path, people: usize, writers: usize) -> Result<App> {
    let policy = Policy::default();
    let parts = demo_org(people, &policy);
    let ids: Vec<String> = parts
        .people
        .iter()
        .map(|p| p.item.id.as_str().to_owned())
        .collect();
    let store = Db::open(&db.display().to_string()).await?;
    store.apply(&Change::inserting(&parts)).await?;

    // Nobody signs in with a password here: one hash serves every account.
    let password_hash = auth::hash_password("a password nobody signs in with")?;
    let account = async |email: &str, role, person: Option<&str>| -> Result<String> {
        let email = Email::parse(email).map_err(|e| anyhow!("{e}"))?;
        let person = person
            .map(PersonId::parse)
            .transpose()
            .map_err(|e| anyhow!("{e}"))?;
        store
            .create_account(&NewAccount {
                account: Account {
                    email: email.clone(),
                    role,
                    person,
                },
                password_hash: password_hash.clone(),
            })
            .await?;
        let token = auth::new_token()?;
        store.create_token(&email, &token.id, &token.hash).await?;
        Ok(token.token)
    };
    let token = account("admin@soak.invalid", AccountRole::Admin, None).await?;
    let mut writer_tokens = Vec::with_capacity(writers);
    for id in ids.iter().take(writers) {
        let email = format!("{id}@soak.invalid");
        let token = account(&email, AccountRole::Member, Some(id)).await?;
        writer_tokens.push((id.clone(), token));
    }

    let served = pendulum_bench::serve(AppState::new(store, None)).await?;
    Ok(App {
        addr: served.addr,
        token,
        ids,
        writers: writer_tokens,
        stop: served.stop,
        server: served.server,
    })
}

/// What one writer needs to post its check-ins.
struct WriteRequests {
    addr: SocketAddr,
    person: String,
    token: String,
}

impl WriteRequests {
    fn checkin(&self, date: NaiveDate, n: usize) -> Vec<u8> {
        let body = format!(
            r#"{{"date":"{date}","joy":{},"energy":{},"learning":{}}}"#,
            1 + n % 5,
            1 + (n / 5) % 5,
            1 + (n / 25) % 5
        );
        format!(
            "POST /api/v1/people/{}/checkins HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {}\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            self.person,
            self.addr,
            self.token,
            body.len()
        )
        .into_bytes()
    }
}

/// The readers' requests: each person, then each person's nudges, with the admin's token.
fn read_requests(app: &App) -> Vec<(&'static str, Vec<u8>)> {
    let get = |path: String| {
        format!(
            "GET {path} HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {}\r\n\r\n",
            app.addr, app.token
        )
        .into_bytes()
    };
    let people = app
        .ids
        .iter()
        .map(|id| ("person", get(format!("/api/v1/people/{id}?as_of={AS_OF}"))));
    let nudges = app.ids.iter().map(|id| {
        (
            "nudges",
            get(format!("/api/v1/nudges?person={id}&as_of={AS_OF}")),
        )
    });
    people.chain(nudges).collect()
}

/// What one kind of request met.
#[derive(Debug, Default)]
struct Tally {
    /// The latency of each request answered as expected.
    latencies: Vec<Duration>,
    server_errors: u64,
    /// Answers that are neither expected nor 5xx, such as 429.
    other: u64,
    statuses: BTreeMap<u16, u64>,
    /// Broken connections and timeouts.
    errors: u64,
}

impl Tally {
    fn absorb(&mut self, other: Tally) {
        self.latencies.extend(other.latencies);
        self.server_errors += other.server_errors;
        self.other += other.other;
        for (status, count) in other.statuses {
            *self.statuses.entry(status).or_default() += count;
        }
        self.errors += other.errors;
    }

    fn record(&mut self, expected: u16, sent: Instant, outcome: Option<u16>) -> bool {
        match outcome {
            Some(status) if status == expected => {
                self.latencies.push(sent.elapsed());
                return true;
            }
            Some(status) if status >= 500 => self.server_errors += 1,
            Some(_) => self.other += 1,
            None => self.errors += 1,
        }
        if let Some(status) = outcome {
            *self.statuses.entry(status).or_default() += 1;
        }
        false
    }

    /// The latency below which `p` percent of the answers came; of sorted latencies.
    fn percentile(&self, p: usize) -> Duration {
        let n = self.latencies.len();
        if n == 0 {
            return Duration::ZERO;
        }
        self.latencies[(n * p / 100).min(n - 1)]
    }
}

/// What one client saw.
#[derive(Debug, Default)]
struct Log {
    kinds: BTreeMap<&'static str, Tally>,
    /// The check-ins the server acknowledged, by person.
    acknowledged: BTreeMap<String, BTreeSet<NaiveDate>>,
}

/// Sends `request` on the client's connection, opening one if needed: the status, or
/// `None` when the connection broke or the answer took too long (the connection is dropped).
async fn exchange(
    addr: SocketAddr,
    connection: &mut Option<Connection>,
    request: &[u8],
) -> Option<u16> {
    if connection.is_none() {
        *connection = Connection::open(addr).await.ok();
    }
    let c = connection.as_mut()?;
    match tokio::time::timeout(REQUEST_TIMEOUT, c.send(request)).await {
        Ok(Ok(status)) => Some(status),
        Ok(Err(_)) | Err(_) => {
            *connection = None;
            None
        }
    }
}

async fn write_loop(request: WriteRequests, deadline: Instant, writer: usize) -> Log {
    let mut log = Log::default();
    let mut tally = Tally::default();
    let mut acknowledged = BTreeSet::new();
    let mut connection = None;
    let first = NaiveDate::from_ymd_opt(FIRST_DAY.0, FIRST_DAY.1, FIRST_DAY.2).expect("a real day");
    let mut n = 0;
    while Instant::now() < deadline && (n as u64) < SOAK_DAYS {
        let date = first + chrono::Days::new(n as u64);
        let sent = Instant::now();
        let outcome = exchange(
            request.addr,
            &mut connection,
            &request.checkin(date, n + writer),
        )
        .await;
        if tally.record(201, sent, outcome) {
            acknowledged.insert(date);
        }
        n += 1;
    }
    log.kinds.insert("check-in", tally);
    log.acknowledged.insert(request.person, acknowledged);
    log
}

async fn read_loop(
    addr: SocketAddr,
    requests: Arc<Vec<(&'static str, Vec<u8>)>>,
    first: usize,
    deadline: Instant,
) -> Log {
    let mut log = Log::default();
    let mut connection = None;
    let mut next = first;
    while Instant::now() < deadline {
        let (kind, request) = &requests[next % requests.len()];
        let sent = Instant::now();
        let outcome = exchange(addr, &mut connection, request).await;
        log.kinds
            .entry(kind)
            .or_default()
            .record(200, sent, outcome);
        next += 1;
    }
    log
}

/// Opens the database afresh and looks each acknowledged check-in up: how many are missing,
/// and how many check-ins of the soak's days are there that no answer acknowledged (a
/// request that timed out on the client may still have been written).
async fn verify(
    db: &Path,
    acknowledged: &BTreeMap<String, BTreeSet<NaiveDate>>,
) -> Result<(usize, usize)> {
    let store = Db::open(&db.display().to_string()).await?;
    let ledger = store.ledger(&Policy::default().ladder).await?;
    let first = NaiveDate::from_ymd_opt(FIRST_DAY.0, FIRST_DAY.1, FIRST_DAY.2).expect("a real day");
    let soak_ends = first + chrono::Days::new(SOAK_DAYS);
    let mut stored: BTreeMap<&str, BTreeSet<NaiveDate>> = BTreeMap::new();
    for i in 0..ledger.people().len() {
        let person = ledger.person_at(i).id.as_str();
        for c in ledger.checkins_of(i) {
            if c.date >= first && c.date < soak_ends {
                stored.entry(person).or_default().insert(c.date);
            }
        }
    }
    let mut lost = 0;
    let mut unacknowledged = 0;
    for (person, dates) in acknowledged {
        let there = stored.remove(person.as_str()).unwrap_or_default();
        lost += dates.difference(&there).count();
        unacknowledged += there.difference(dates).count();
    }
    unacknowledged += stored.values().map(BTreeSet::len).sum::<usize>();
    Ok((lost, unacknowledged))
}
