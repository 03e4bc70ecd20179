//! Times `report` (rules and metrics) on a large synthetic org, from memory and from a loaded
//! database, against its anchor: one memory-bound pass over the same records. The database
//! is a SQLite file, and also PostgreSQL when `PENDULUM_BENCH_POSTGRES` names an empty
//! database there (a URL), so that both backends are timed in the same run.
//!
//! Usage: `cargo run --release -p pendulum-bench --bin report-bench -- [PEOPLE] [RUNS]`
//! (defaults: 100000 people, 5 runs).

use std::time::Instant;

use anyhow::{Context, Result};
use chrono::Datelike;
use pendulum_app::Db;
use pendulum_bench::{AS_OF, demo_org, median, ms, peak_rss_mib};
use pendulum_core::{Change, Ledger, Policy, Report};
use pendulum_store::Store;

fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let people: usize = args
        .next()
        .map(|a| a.parse())
        .transpose()
        .context("PEOPLE must be a number")?
        .unwrap_or(100_000);
    let runs: usize = args
        .next()
        .map(|a| a.parse())
        .transpose()
        .context("RUNS must be a number")?
        .unwrap_or(5);
    let as_of = AS_OF;
    let policy = Policy::default();

    let start = Instant::now();
    let parts = demo_org(people, &policy);
    let generated = start.elapsed();
    let start = Instant::now();
    let ledger = Ledger::build(parts.clone()).map_err(|p| anyhow::anyhow!("{p}"))?;
    let built = start.elapsed();
    println!(
        "org: {} people, {} stints, {} check-ins (generated in {}, checked and indexed in {})",
        ledger.people().len(),
        ledger.stints().len(),
        ledger.checkins().len(),
        ms(generated),
        ms(built)
    );

    // The anchor: one pass that reads every field the rules read, and nothing else.
    let (pass, checksum) = median(runs, || memory_pass(&ledger));
    let (report_time, report) = median(runs, || Report::new(&ledger, &policy, as_of));
    let (metrics_time, _) = median(runs, || {
        pendulum_core::metrics::Metrics::compute(&ledger, &policy, as_of)
    });
    let (rules_time, _) = median(runs, || {
        pendulum_core::rules::evaluate(&ledger, &policy, as_of)
    });
    let peak_memory = peak_rss_mib();
    println!(
        "anchor, one memory-bound pass:  {} (checksum {checksum})",
        ms(pass)
    );
    println!(
        "report from memory:             {} ({} nudges), {:.1}x the anchor",
        ms(report_time),
        report.nudges.len(),
        report_time.as_secs_f64() / pass.as_secs_f64()
    );
    println!(
        "  of which metrics {}, rules and nudge texts {}",
        ms(metrics_time),
        ms(rules_time)
    );
    if let Some(mib) = peak_memory {
        println!("peak memory after the in-memory report: {mib:.0} MiB");
    }

    let dir = tempfile::tempdir()?;
    let mut locations = vec![("SQLite", dir.path().join("bench.db").display().to_string())];
    if let Ok(url) = std::env::var("PENDULUM_BENCH_POSTGRES") {
        locations.push(("PostgreSQL", url));
    }
    let runtime = tokio::runtime::Runtime::new()?;
    for (backend, location) in locations {
        runtime.block_on(async {
            let store = Db::open(&location).await?;
            let start = Instant::now();
            store.apply(&Change::inserting(&parts)).await?;
            println!("{backend} database written in {}", ms(start.elapsed()));
            let mut times = Vec::new();
            for _ in 0..runs {
                let start = Instant::now();
                let loaded = store.ledger(&policy.ladder).await?;
                let loaded_at = start.elapsed();
                let report = Report::new(&loaded, &policy, as_of);
                let total = start.elapsed();
                times.push((total, loaded_at, report.nudges.len()));
            }
            times.sort();
            let (total, load, nudges) = times[times.len() / 2];
            println!(
                "report from {backend}: {} (loading {}), {nudges} nudges, {:.1}x the anchor",
                ms(total),
                ms(load),
                total.as_secs_f64() / pass.as_secs_f64()
            );
            anyhow::Ok(())
        })?;
    }
    drop(parts);
    if let Some(mib) = peak_rss_mib() {
        println!("peak memory overall: {mib:.0} MiB");
    }
    Ok(())
}

/// Sums the dates, roles, levels and scores of every stint and check-in, person by person, as
/// the rules visit them: the least work any report over these records must do.
fn memory_pass(ledger: &Ledger) -> u64 {
    let mut sum = 0u64;
    for i in 0..ledger.people().len() {
        let p = ledger.person_at(i);
        sum = sum.wrapping_add(p.willing_to_manage as u64 + u64::from(ledger.direct_reports(i)));
        for s in ledger.stints_of(i) {
            sum = sum.wrapping_add(
                s.start.num_days_from_ce() as u64 + s.role as u64 + u64::from(s.level.rank()),
            );
            sum = sum.wrapping_add(s.end.map_or(0, |e| e.num_days_from_ce() as u64));
        }
        for c in ledger.checkins_of(i) {
            sum = sum.wrapping_add(
                c.date.num_days_from_ce() as u64
                    + u64::from(c.joy.get() + c.energy.get() + c.learning.get()),
            );
        }
    }
    sum
}
