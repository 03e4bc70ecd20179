//! Shared helpers of the benchmarks: timing with medians, and peak memory.
//!
//! Benchmarks are binaries, not timed tests: the machines they run on are shared and noisy,
//! so each prints medians of several runs and a ratio against an anchor measured in the same
//! process, which is far steadier than any absolute figure.

use std::time::{Duration, Instant};

pub mod http;

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
