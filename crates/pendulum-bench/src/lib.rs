//! Shared helpers of the benchmarks: timing with medians, and peak memory.
//!
//! Benchmarks are binaries, not timed tests: the machines they run on are shared and noisy,
//! so each prints medians of several runs and a ratio against an anchor measured in the same
//! process, which is far steadier than any absolute figure.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use pendulum_core::{LedgerParts, Policy};
use pendulum_demo::DemoSpec;
use pendulum_server::AppState;

pub mod http;

/// The day the benchmarks' demo org is described as of.
pub const AS_OF: NaiveDate = NaiveDate::from_ymd_opt(2026, 6, 30).expect("a real day");

/// The demo org the benchmarks share: `people` people from seed 1, as of [`AS_OF`], without
/// git evidence, so that the figures stay comparable with earlier runs.
pub fn demo_org(people: usize, policy: &Policy) -> LedgerParts {
    pendulum_demo::generate(
        &DemoSpec {
            people,
            seed: 1,
            as_of: AS_OF,
            git_months: 0,
        },
        policy,
    )
}

/// A server running in this process.
#[derive(Debug)]
pub struct Served {
    pub addr: SocketAddr,
    /// Dropping this (or sending on it) stops the server.
    pub stop: tokio::sync::oneshot::Sender<()>,
    pub server: tokio::task::JoinHandle<std::io::Result<()>>,
}

/// Serves `state` with the real `pendulum_server::serve` on a free port of 127.0.0.1.
pub async fn serve(state: AppState) -> std::io::Result<Served> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(pendulum_server::serve(listener, state, async {
        // A dropped sender stops the server as well as a sent value.
        let _ = stopped.await;
    }));
    Ok(Served { addr, stop, server })
}

/// Runs `f` `runs` times and returns the median duration and the last result.
pub fn median<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    assert!(runs > 0, "at least one run");
    let mut times = Vec::with_capacity(runs);
    let mut last = None;
    for _ in 0..runs {
        let start = Instant::now();
        let out = f();
        times.push(start.elapsed());
        last = Some(std::hint::black_box(out));
    }
    times.sort();
    (times[runs / 2], last.expect("ran at least once"))
}

/// The process's peak resident memory so far, in MiB (Linux `VmHWM`); `None` elsewhere.
pub fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// Milliseconds with two decimals.
pub fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

/// The positional numbers a benchmark is given, each with its default when absent.
#[derive(Debug)]
pub struct NumberArgs(std::iter::Skip<std::env::Args>);

impl NumberArgs {
    pub fn from_env() -> Self {
        Self(std::env::args().skip(1))
    }

    /// The next argument as a number, `default` when there is none; `what` names it in the
    /// error.
    pub fn next(&mut self, what: &str, default: u64) -> anyhow::Result<u64> {
        use anyhow::Context as _;
        self.0
            .next()
            .map(|a| a.parse())
            .transpose()
            .with_context(|| format!("{what} must be a number"))
            .map(|n| n.unwrap_or(default))
    }
}

/// The runtimes of a load test: the server gets the default multi-threaded one (one worker
/// per core), the load generator one thread of its own, so that on a 2-core machine the
/// server keeps the other core.
pub fn load_runtimes() -> std::io::Result<(tokio::runtime::Runtime, tokio::runtime::Runtime)> {
    let server = tokio::runtime::Runtime::new()?;
    let load = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    Ok((server, load))
}
