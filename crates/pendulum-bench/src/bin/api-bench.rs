//! Load on the JSON API of a demo org: requests per second and latency percentiles of read
//! routes at 10 and 64 concurrent clients, against the real server started in this process on
//! a temporary SQLite database, and then on PostgreSQL when `PENDULUM_BENCH_POSTGRES` names an
//! empty database there (a URL): both backends in the same run.
//!
//! The load generator is our own, so that the benchmark needs nothing installed: keep-alive
//! HTTP/1.1 over plain sockets, each client sending its next request as soon as the previous
//! answer is complete (a closed loop) until a fixed time is up. It runs on a runtime of its
//! own with one thread, so that the server's runtime keeps the other core of a 2-core machine.
//! When `wrk` is on the PATH, every scenario is run with it too, as a cross-check.
//!
//! A last scenario reads the admin's person page right after a write to the store, while
//! the background planner solves the default rotation plan of the whole org: the page
//! must not wait for it.
//!
//! Usage: `cargo run --release -p pendulum-bench --bin api-bench -- [SECONDS] [RUNS] [PEOPLE]`
//! (defaults: 10 seconds per scenario and run, 3 runs, 10000 people).

use std::net::SocketAddr;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Result, anyhow, bail};
use pendulum_app::Db;
use pendulum_bench::http::Connection;
use pendulum_bench::{AS_OF, NumberArgs, demo_org, load_runtimes};
use pendulum_core::ledger::CheckIn;
use pendulum_core::{Account, AccountRole, Change, Email, PersonId, Policy, Score};
use pendulum_server::{AppState, auth};
use pendulum_store::{NewAccount, NewSession, Store};

/// What each scenario requests, `{id}` standing for the ids of the org in turn.
const SCENARIOS: [&str; 3] = [
    "/api/v1/people/{id}?as_of=2026-06-30",
    "/api/v1/nudges?person={id}&as_of=2026-06-30",
    // The person page: rules for one person, the SVG pendulum and the HTML around it,
    // read with a signed-in session.
    "/people/{id}?as_of=2026-06-30",
];

/// The numbers of concurrent clients.
const CLIENTS: [usize; 2] = [10, 64];

/// The person page scenario, and its clients, while the planner is kept busy.
const BUSY_PLANNER: (&str, usize) = ("/people/{id}?as_of=2026-06-30", 10);

/// A request that takes longer than this counts as an error.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(5);

fn main() -> Result<()> {
    let mut args = NumberArgs::from_env();
    let seconds = args.next("SECONDS", 10)?;
    let runs = args.next("RUNS", 3)?.max(1) as usize;
    let people = args.next("PEOPLE", 10_000)? as usize;
    let duration = Duration::from_secs(seconds);

    let dir = tempfile::tempdir()?;
    let mut locations = vec![("SQLite", dir.path().join("bench.db").display().to_string())];
    if let Ok(url) = std::env::var("PENDULUM_BENCH_POSTGRES") {
        locations.push(("PostgreSQL", url));
    }
    for (backend, location) in locations {
        println!("\n== on {backend}");
        bench(dir.path(), &location, people, duration, runs)?;
    }
    Ok(())
}

/// Every scenario on the database at `location`.
fn bench(dir: &Path, location: &str, people: usize, duration: Duration, runs: usize) -> Result<()> {
    let seconds = duration.as_secs();
    let (server_runtime, client_runtime) = load_runtimes()?;
    let app = server_runtime.block_on(start(location, people))?;
    println!(
        "server at http://{} with {} people; {seconds} s per scenario and run, {runs} runs",
        app.addr,
        app.ids.len()
    );
    let wrk = on_path("wrk");
    // The background planner solves the org's default plan after the server starts (tens
    // of seconds of one core at 10,000 people); the read routes are measured after it, so
    // that they are compared with each other and not with how far the solve came. The last
    // scenario measures a page while it solves.
    let page = request(
        &BUSY_PLANNER.0.replace("{id}", &app.ids[0]),
        &app.addr,
        &app.token,
        &app.session,
    )
    .into_bytes();
    let started = Instant::now();
    while client_runtime.block_on(planner_behind(app.addr, &page))? {
        if started.elapsed() > Duration::from_secs(300) {
            bail!("the planner was still solving after 300 s");
        }
        std::thread::sleep(Duration::from_millis(500));
    }
    println!(
        "the planner's first solve ended {:.1} s after the first page asked for it",
        started.elapsed().as_secs_f64()
    );

    for (number, template) in SCENARIOS.into_iter().enumerate() {
        let paths: Vec<String> = app
            .ids
            .iter()
            .map(|id| template.replace("{id}", id))
            .collect();
        let requests: Arc<Vec<Vec<u8>>> = Arc::new(
            paths
                .iter()
                .map(|p| request(p, &app.addr, &app.token, &app.session).into_bytes())
                .collect(),
        );
        let script = dir.join(format!("scenario-{number}.lua"));
        std::fs::write(&script, wrk_script(&paths))?;
        // One pass over a few ids first, so that no run pays for the first load of the ledger.
        warm_up(&client_runtime, app.addr, &requests)?;
        for clients in CLIENTS {
            println!("\nGET {template} with {clients} clients");
            let mut ours = Vec::new();
            let mut theirs = Vec::new();
            for run in 1..=runs {
                let outcome =
                    client_runtime.block_on(load(app.addr, &requests, clients, duration))?;
                println!("  run {run}, ours: {outcome}");
                ours.push(outcome);
                if let Some(wrk) = &wrk {
                    let command = wrk_command(wrk, &script, clients, seconds, &app);
                    if run == 1 {
                        println!("  the same with wrk: {}", shell_words(&command));
                    }
                    let outcome = run_wrk(&command)?;
                    println!("  run {run}, wrk:  {outcome}");
                    theirs.push(outcome);
                }
            }
            println!("  median, ours: {}", Outcome::median(&ours));
            if !theirs.is_empty() {
                println!("  median, wrk:  {}", Outcome::median(&theirs));
            }
        }
    }

    let (template, clients) = BUSY_PLANNER;
    println!(
        "\nGET {template} with {clients} clients, as an admin, right after a write, while the planner solves"
    );
    let requests: Arc<Vec<Vec<u8>>> = Arc::new(
        app.ids
            .iter()
            .map(|id| {
                request(
                    &template.replace("{id}", id),
                    &app.addr,
                    &app.token,
                    &app.session,
                )
            })
            .map(String::into_bytes)
            .collect(),
    );
    let mut ours = Vec::new();
    for run in 1..=runs {
        server_runtime.block_on(write_checkin(&app.store, &app.ids, run))?;
        // The first request after a write reads the new ledger (as every page does), which
        // is not the planner's doing: it is made before the clock starts.
        warm_up(&client_runtime, app.addr, &requests)?;
        let before = client_runtime.block_on(planner_behind(app.addr, &requests[0]))?;
        let outcome = client_runtime.block_on(load(app.addr, &requests, clients, duration))?;
        let after = client_runtime.block_on(planner_behind(app.addr, &requests[0]))?;
        println!(
            "  run {run}, ours: {outcome}; planner solving at the start: {before}, at the end: {after}"
        );
        ours.push(outcome);
    }
    println!("  median, ours: {}", Outcome::median(&ours));

    if wrk.is_none() {
        println!("\n(wrk is not installed: no cross-check)");
    }
    drop(app.stop);
    server_runtime.block_on(app.server)??;
    Ok(())
}

/// The server under load and what a client needs to call it.
struct App {
    addr: SocketAddr,
    token: String,
    /// A signed-in session of the same admin, for the pages.
    session: String,
    ids: Vec<String>,
    /// The server's store, written behind its back as a `pendulum` command would.
    store: Db,
    stop: tokio::sync::oneshot::Sender<()>,
    server: tokio::task::JoinHandle<std::io::Result<()>>,
}

/// Writes the demo org and an admin account with an API token to a fresh database, and
/// serves it on a free port of 127.0.0.1.
async fn start(location: &str, people: usize) -> Result<App> {
    let policy = Policy::default();
    let parts = demo_org(people, &policy);
    let ids = parts
        .people
        .iter()
        .map(|p| p.item.id.as_str().to_owned())
        .collect();
    let store = Db::open(location).await?;
    store.apply(&Change::inserting(&parts)).await?;

    let email = Email::parse("admin@bench.invalid").map_err(|e| anyhow!("{e}"))?;
    let password_hash = auth::hash_password("a password nobody signs in with")?;
    store
        .create_account(&NewAccount {
            account: Account {
                email: email.clone(),
                role: AccountRole::Admin,
                person: None,
            },
            password_hash,
        })
        .await?;
    let token = auth::new_token()?;
    store.create_token(&email, &token.id, &token.hash).await?;
    let session = auth::new_token()?.token;
    store
        .create_session(&NewSession {
            id_hash: auth::token_hash(&session),
            account: email.clone(),
            csrf: "unused".into(),
            now: chrono::Utc::now().timestamp(),
        })
        .await?;

    let served = pendulum_bench::serve(AppState::new(store.clone(), None)).await?;
    Ok(App {
        addr: served.addr,
        token: token.token,
        session,
        ids,
        store,
        stop: served.stop,
        server: served.server,
    })
}

/// One pass over a few ids, tried again while nothing is answered: the first load of the
/// ledger can outlast a request's timeout in a debug build.
fn warm_up(
    runtime: &tokio::runtime::Runtime,
    addr: SocketAddr,
    requests: &Arc<Vec<Vec<u8>>>,
) -> Result<()> {
    let mut warm = runtime.block_on(load(addr, requests, 1, Duration::from_millis(500)));
    for _ in 0..12 {
        if warm.is_ok() {
            break;
        }
        warm = runtime.block_on(load(addr, requests, 1, Duration::from_millis(500)));
    }
    warm.map(|_| ())
}

/// Whether the page of `request` says its plan is older than the ledger: the background
/// planner is at work.
async fn planner_behind(addr: SocketAddr, request: &[u8]) -> Result<bool> {
    let mut c = Connection::open(addr).await?;
    c.send(request).await?;
    Ok(String::from_utf8_lossy(c.answer()).contains("being computed"))
}

/// Writes a check-in to the store behind the server's back, as a `pendulum` command would:
/// the `n`th one, for another person on a day after the org's each time.
async fn write_checkin(store: &Db, ids: &[String], n: usize) -> Result<()> {
    let day = AS_OF;
    let score = Score::new(3).map_err(|e| anyhow!("{e}"))?;
    let checkin = CheckIn {
        person: PersonId::parse(&ids[n % ids.len()]).map_err(|e| anyhow!("{e}"))?,
        date: day + chrono::Days::new(1 + (n / ids.len()) as u64),
        joy: score,
        energy: score,
        learning: score,
        note: None,
    };
    store
        .apply(&Change {
            checkins: vec![checkin],
            ..Change::default()
        })
        .await?;
    Ok(())
}

/// A request carrying both credentials: the API reads the token, the pages the session.
fn request(path: &str, addr: &SocketAddr, token: &str, session: &str) -> String {
    format!(
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\nCookie: pendulum_session={session}\r\n\r\n"
    )
}

/// What one run of a scenario measured.
#[derive(Debug, Clone, Copy)]
struct Outcome {
    requests_per_second: f64,
    p50: Duration,
    p99: Duration,
    errors: u64,
}

impl Outcome {
    /// The median of each figure across runs.
    fn median(runs: &[Outcome]) -> Outcome {
        fn mid<T: Copy + PartialOrd>(mut values: Vec<T>) -> T {
            values.sort_by(|a, b| a.partial_cmp(b).expect("no NaN"));
            values[values.len() / 2]
        }
        Outcome {
            requests_per_second: mid(runs.iter().map(|o| o.requests_per_second).collect()),
            p50: mid(runs.iter().map(|o| o.p50).collect()),
            p99: mid(runs.iter().map(|o| o.p99).collect()),
            errors: mid(runs.iter().map(|o| o.errors).collect()),
        }
    }
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:>8.0} requests/s, p50 {:>6.2} ms, p99 {:>6.2} ms, {} errors",
            self.requests_per_second,
            self.p50.as_secs_f64() * 1e3,
            self.p99.as_secs_f64() * 1e3,
            self.errors
        )
    }
}

/// What one client measured: the latency of each answered request, and its errors.
#[derive(Debug, Default)]
struct ClientLog {
    latencies: Vec<Duration>,
    errors: u64,
}

/// Runs `clients` closed-loop clients for `duration`, each going through `requests` from its
/// own starting point.
async fn load(
    addr: SocketAddr,
    requests: &Arc<Vec<Vec<u8>>>,
    clients: usize,
    duration: Duration,
) -> Result<Outcome> {
    let start = Instant::now();
    let deadline = start + duration;
    let tasks: Vec<_> = (0..clients)
        .map(|c| {
            let requests = requests.clone();
            let first = c * requests.len() / clients;
            tokio::spawn(client(addr, requests, first, deadline))
        })
        .collect();
    let mut latencies = Vec::new();
    let mut errors = 0;
    for task in tasks {
        let log = task.await?;
        latencies.extend(log.latencies);
        errors += log.errors;
    }
    let elapsed = start.elapsed();
    if latencies.is_empty() {
        bail!("no request was answered ({errors} errors): is the server up?");
    }
    latencies.sort_unstable();
    let percentile = |p: usize| latencies[(latencies.len() * p / 100).min(latencies.len() - 1)];
    Ok(Outcome {
        requests_per_second: latencies.len() as f64 / elapsed.as_secs_f64(),
        p50: percentile(50),
        p99: percentile(99),
        errors,
    })
}

async fn client(
    addr: SocketAddr,
    requests: Arc<Vec<Vec<u8>>>,
    first: usize,
    deadline: Instant,
) -> ClientLog {
    let mut log = ClientLog::default();
    let mut connection = None;
    let mut next = first;
    while Instant::now() < deadline {
        if connection.is_none() {
            match Connection::open(addr).await {
                Ok(c) => connection = Some(c),
                Err(_) => {
                    // Without a connection this client has nothing more to measure.
                    log.errors += 1;
                    break;
                }
            }
        }
        let c = connection.as_mut().expect("opened above");
        let sent = Instant::now();
        match tokio::time::timeout(REQUEST_TIMEOUT, c.send(&requests[next % requests.len()])).await
        {
            Ok(Ok(200)) => log.latencies.push(sent.elapsed()),
            Ok(Ok(_)) => log.errors += 1,
            // A broken or stuck connection is dropped and opened anew.
            Ok(Err(_)) | Err(_) => {
                log.errors += 1;
                connection = None;
            }
        }
        next += 1;
    }
    log
}

/// The full path of a program on the PATH, if it is there.
fn on_path(program: &str) -> Option<std::path::PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(program))
        .find(|p| p.is_file())
}

/// A wrk script that requests `paths` in turn (each wrk thread goes through them on its own).
fn wrk_script(paths: &[String]) -> String {
    let mut lua =
        String::from("-- The paths of one api-bench scenario, requested in turn.\npaths = {\n");
    for p in paths {
        lua.push_str(&format!("  \"{p}\",\n"));
    }
    lua.push_str(
        "}\nlocal i = 0\nrequest = function()\n  i = i % #paths + 1\n  return wrk.format(\"GET\", paths[i])\nend\n",
    );
    lua
}

fn wrk_command(wrk: &Path, script: &Path, clients: usize, seconds: u64, app: &App) -> Vec<String> {
    vec![
        wrk.display().to_string(),
        "--threads=1".into(),
        format!("--connections={clients}"),
        format!("--duration={seconds}s"),
        "--latency".into(),
        format!("--script={}", script.display()),
        "--header".into(),
        format!("Authorization: Bearer {}", app.token),
        "--header".into(),
        format!("Cookie: pendulum_session={}", app.session),
        format!("http://{}", app.addr),
    ]
}

fn shell_words(command: &[String]) -> String {
    command
        .iter()
        .map(|w| {
            if w.contains(' ') {
                format!("'{w}'")
            } else {
                w.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Runs wrk and reads its requests/s, median and 99th percentile, and errors.
fn run_wrk(command: &[String]) -> Result<Outcome> {
    let output = Command::new(&command[0]).args(&command[1..]).output()?;
    let text = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        bail!(
            "wrk failed: {}{text}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let field = |label: &str| {
        text.lines()
            .find_map(|l| l.trim().strip_prefix(label).map(str::trim))
            .ok_or_else(|| anyhow!("no `{label}` in wrk's output:\n{text}"))
    };
    let errors = text
        .lines()
        .filter_map(|l| {
            let l = l.trim();
            let socket = l.strip_prefix("Socket errors:").map(|rest| {
                rest.split(',')
                    .filter_map(|part| part.split_whitespace().last()?.parse::<u64>().ok())
                    .sum::<u64>()
            });
            socket.or_else(|| {
                l.strip_prefix("Non-2xx or 3xx responses:")?
                    .trim()
                    .parse()
                    .ok()
            })
        })
        .sum();
    Ok(Outcome {
        requests_per_second: field("Requests/sec:")?.parse()?,
        p50: wrk_duration(field("50%")?)?,
        p99: wrk_duration(field("99%")?)?,
        errors,
    })
}

/// Reads wrk's durations, such as `812.00us`, `3.05ms` or `1.20s`.
fn wrk_duration(text: &str) -> Result<Duration> {
    let (number, scale) = if let Some(n) = text.strip_suffix("us") {
        (n, 1e-6)
    } else if let Some(n) = text.strip_suffix("ms") {
        (n, 1e-3)
    } else if let Some(n) = text.strip_suffix('s') {
        (n, 1.0)
    } else {
        bail!("not a wrk duration: {text:?}")
    };
    Ok(Duration::from_secs_f64(number.parse::<f64>()? * scale))
}
