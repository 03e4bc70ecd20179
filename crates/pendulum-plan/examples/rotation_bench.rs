//! Solves a rotation instance the planning anchors' `gen_rotation.py` wrote (its
//! `PREFIX.json`) and prints the objective, the upper bound, the gap, the time and the
//! independent checker's verdict.
//!
//! `cargo run --release -p pendulum-plan --example rotation_bench -- PREFIX.json [SECONDS]`
//!
//! SECONDS (default 10) is the solver's time limit.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use pendulum_plan::rotation::json::read_rotation;
use pendulum_plan::rotation::{SolveOptions, check, solve};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        eprintln!("usage: rotation_bench PREFIX.json [SECONDS]");
        return ExitCode::from(2);
    };
    let seconds: f64 = match args.get(1).map(|s| s.parse::<f64>()) {
        None => 10.0,
        Some(Ok(s)) if s > 0.0 => s,
        Some(_) => {
            eprintln!("error: SECONDS must be a number above zero");
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
    let rotation = match read_rotation(path, &text) {
        Ok(rotation) => rotation,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let options = SolveOptions {
        time_limit: Duration::from_secs_f64(seconds),
        ..SolveOptions::default()
    };
    let cpu_started = cpu_time();
    let started = Instant::now();
    let solution = match solve(&rotation, &options) {
        Ok(solution) => solution,
        Err(rejected) => {
            eprintln!("{rejected}");
            return ExitCode::FAILURE;
        }
    };
    let wall = started.elapsed();
    let cpu = match (cpu_started, cpu_time()) {
        (Some(before), Some(after)) => format!("{:.2}s", (after - before).as_secs_f64()),
        _ => "unknown".into(),
    };
    let Some(plan) = &solution.plan else {
        println!(
            "people={} teams={} quarters={} no plan found; bound={} time={:.2}s cpu={cpu}",
            rotation.people().len(),
            rotation.teams().len(),
            rotation.quarters(),
            solution.upper_bound,
            wall.as_secs_f64()
        );
        return ExitCode::FAILURE;
    };
    let verdict = match check(&rotation, plan) {
        Ok(score) => format!(
            "accepted (changes {}, interims {})",
            score.changes, score.interims
        ),
        Err(violations) => format!(
            "REJECTED: {} violations, first: {}",
            violations.len(),
            violations[0]
        ),
    };
    println!(
        "people={} teams={} quarters={} objective={} bound={} gap={:.3}% time={:.2}s cpu={cpu} checker={verdict}",
        rotation.people().len(),
        rotation.teams().len(),
        rotation.quarters(),
        plan.objective,
        solution.upper_bound,
        100.0 * solution.gap().unwrap_or(f64::NAN),
        wall.as_secs_f64(),
    );
    if verdict.starts_with("accepted") {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// CPU time of this process so far, from Linux's scheduler statistics.
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/schedstat").ok()?;
    let nanos: u64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(nanos))
}
