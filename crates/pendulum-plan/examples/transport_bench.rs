//! Solves a TRN1 stretch-assignment instance (the planning anchors' `gen_transport.py`
//! writes them) several times and prints the median solve time, the objective and whether
//! the independent checker accepts the plan.
//!
//! `cargo run --release -p pendulum-plan --example transport_bench -- FILE [RUNS [SECONDS GROWTH]]`
//!
//! With a reference's solve time and objective (OR-Tools' min-cost flow on the same file,
//! from the anchors' `bench_py.py mcf FILE`), it also prints the time ratio (below 1 is
//! faster) and the objective ratio (1 is the optimum).

use std::process::ExitCode;
use std::time::{Duration, Instant};

use pendulum_plan::{Instance, check};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        eprintln!("usage: transport_bench FILE [RUNS [REFERENCE_SECONDS REFERENCE_GROWTH]]");
        return ExitCode::from(2);
    };
    let runs: usize = match args.get(1).map(|r| r.parse()) {
        None => 5,
        Some(Ok(runs)) if runs > 0 => runs,
        Some(_) => {
            eprintln!("error: RUNS must be a whole number above zero");
            return ExitCode::from(2);
        }
    };
    let reference = match (args.get(2), args.get(3)) {
        (None, None) => None,
        (Some(seconds), Some(growth)) => match (seconds.parse::<f64>(), growth.parse::<i64>()) {
            (Ok(seconds), Ok(growth)) if seconds > 0.0 && growth != 0 => Some((seconds, growth)),
            _ => {
                eprintln!(
                    "error: the reference is SECONDS (above zero) and GROWTH (a whole number)"
                );
                return ExitCode::from(2);
            }
        },
        _ => {
            eprintln!("error: give both the reference's SECONDS and its GROWTH, or neither");
            return ExitCode::from(2);
        }
    };
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("error: cannot read {path}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let started = Instant::now();
    let instance = match Instance::parse_trn1(&text) {
        Ok(instance) => instance,
        Err(e) => {
            eprintln!("error: {path}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let parse = started.elapsed();
    let mut times: Vec<Duration> = Vec::with_capacity(runs);
    let mut cpu_times: Vec<Duration> = Vec::with_capacity(runs);
    let mut plan = None;
    for _ in 0..runs {
        let cpu_started = cpu_time();
        let started = Instant::now();
        match instance.solve() {
            Ok(solved) => plan = Some(solved),
            Err(e) => {
                eprintln!("error: {path}: {e}");
                return ExitCode::FAILURE;
            }
        }
        times.push(started.elapsed());
        if let (Some(before), Some(after)) = (cpu_started, cpu_time()) {
            cpu_times.push(after.saturating_sub(before));
        }
    }
    times.sort();
    cpu_times.sort();
    let cpu = cpu_times
        .get(cpu_times.len() / 2)
        .map(|t| format!("{:.3}s", t.as_secs_f64()))
        .unwrap_or_else(|| "unknown".into());
    let Some(plan) = plan else {
        return ExitCode::FAILURE;
    };
    let verdict = match check(&instance, &plan) {
        Ok(objective) => format!(
            "accepted (growth {}, {} assigned)",
            objective.total_growth, objective.assigned
        ),
        Err(violations) => format!(
            "REJECTED: {} violations, first: {}",
            violations.len(),
            violations[0]
        ),
    };
    println!(
        "people={} items={} edges={} parse={:.3}s runs={runs} median={:.3}s min={:.3}s max={:.3}s cpu_median={cpu} growth={} assigned={}/{} checker={verdict}",
        instance.people(),
        instance.items(),
        instance.edges().len(),
        parse.as_secs_f64(),
        times[runs / 2].as_secs_f64(),
        times[0].as_secs_f64(),
        times[runs - 1].as_secs_f64(),
        plan.total_growth,
        plan.assignments.len(),
        instance.items(),
    );
    if let Some((seconds, growth)) = reference {
        println!(
            "reference: time ratio {:.2} (median {:.3}s / {seconds:.3}s), objective ratio {:.6} ({} / {growth})",
            times[runs / 2].as_secs_f64() / seconds,
            times[runs / 2].as_secs_f64(),
            plan.total_growth as f64 / growth as f64,
            plan.total_growth,
        );
    }
    if verdict.starts_with("accepted") {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// CPU time of this process so far, from Linux's scheduler statistics: on a shared machine
/// it moves less than wall time. `None` where the file does not exist.
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/schedstat").ok()?;
    let nanos: u64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(nanos))
}
