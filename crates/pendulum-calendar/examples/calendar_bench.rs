//! Calendar benchmark: parse, expand over 2025 and compute weekly metrics for a corpus of
//! .ics files, check every file against the Python reference's CSV, and time the whole.
//!
//! Usage: `calendar_bench CORPUS_DIR [REFERENCE_CSV] [--runs N] [--reference-cpu SECONDS]`
//!
//! The corpus comes from the shared anchors' `gen_calendars.py`, the CSV from `bench_py.py`
//! (occurrences and busy hours per file over 2025; busy means timed, not cancelled and not
//! transparent). Files are read into memory first; each run then parses, expands and
//! measures every file on both cores (files split between two threads), and the median run
//! is reported.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use chrono::NaiveDate;
use pendulum_calendar::metrics::{WorkingHours, weekly_metrics};
use pendulum_calendar::{Window, expand, parse_calendar};

/// What one file yields: occurrences in 2025, busy hours, and weeks measured.
#[derive(Debug, Clone, Copy, Default)]
struct FileResult {
    occurrences: usize,
    busy_hours: f64,
    weeks: usize,
}

fn main() -> ExitCode {
    match run() {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(message) => {
            eprintln!("calendar_bench: {message}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<bool, String> {
    let mut args = std::env::args().skip(1);
    let mut corpus = None;
    let mut reference = None;
    let mut runs = 5usize;
    let mut reference_cpu: Option<f64> = None;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--runs" => runs = number(args.next(), "--runs")?,
            "--reference-cpu" => reference_cpu = Some(number(args.next(), "--reference-cpu")?),
            _ if corpus.is_none() => corpus = Some(PathBuf::from(arg)),
            _ if reference.is_none() => reference = Some(PathBuf::from(arg)),
            _ => return Err(format!("unexpected argument {arg:?}")),
        }
    }
    let corpus = corpus.ok_or("usage: calendar_bench CORPUS_DIR [REFERENCE_CSV] [--runs N]")?;
    let files = read_corpus(&corpus)?;
    let total_bytes: usize = files.iter().map(|(_, bytes)| bytes.len()).sum();

    let results = measure_all(&files)?;
    let mut all_match = true;
    if let Some(path) = &reference {
        let expected = read_reference(path)?;
        let mut mismatches = 0;
        for ((name, _), got) in files.iter().zip(&results) {
            match expected.get(name) {
                Some(&(occurrences, busy)) => {
                    if occurrences != got.occurrences || (busy - got.busy_hours).abs() > 0.006 {
                        mismatches += 1;
                        println!(
                            "mismatch {name}: occurrences {} (reference {occurrences}), \
                             busy hours {:.2} (reference {busy:.2})",
                            got.occurrences, got.busy_hours
                        );
                    }
                }
                None => println!("{name}: not in the reference"),
            }
        }
        all_match = mismatches == 0;
        println!(
            "reference: {} of {} files match",
            files.len() - mismatches,
            files.len()
        );
        if reference_cpu.is_none() {
            reference_cpu = reference_seconds(path);
        }
    }
    let occurrences: usize = results.iter().map(|r| r.occurrences).sum();
    let busy: f64 = results.iter().map(|r| r.busy_hours).sum();
    let weeks: usize = results.iter().map(|r| r.weeks).sum();
    println!(
        "files={} MB={:.1} occurrences={occurrences} busy_hours={busy:.2} person_weeks={weeks}",
        files.len(),
        total_bytes as f64 / 1e6
    );

    let mut times = Vec::with_capacity(runs);
    let mut cpu_times = Vec::with_capacity(runs);
    for _ in 0..runs.max(1) {
        let cpu_before = cpu_seconds();
        let started = Instant::now();
        measure_all(&files)?;
        times.push(started.elapsed().as_secs_f64());
        if let (Some(before), Some(after)) = (cpu_before, cpu_seconds()) {
            cpu_times.push(after - before);
        }
    }
    times.sort_by(f64::total_cmp);
    cpu_times.sort_by(f64::total_cmp);
    let median = times[times.len() / 2];
    let median_cpu = cpu_times.get(cpu_times.len() / 2).copied();
    println!(
        "parse + expand + weekly metrics, 2 threads: median {:.3} s of {} runs (min {:.3}, max {:.3}), {:.0} MB/s",
        median,
        times.len(),
        times[0],
        times[times.len() - 1],
        total_bytes as f64 / 1e6 / median
    );
    if let Some(cpu) = median_cpu {
        println!("CPU time per run (both threads): median {cpu:.3} s");
    }
    if let Some(reference) = reference_cpu {
        println!(
            "reference CPU {reference:.2} s: {:.0}x the reference in wall time",
            reference / median
        );
        if let Some(cpu) = median_cpu {
            println!("{:.0}x the reference in CPU time", reference / cpu);
        }
    }
    Ok(all_match)
}

/// CPU seconds this process has used (user and system, all threads), from `/proc/self/stat`
/// in clock ticks of 1/100 s (Linux's USER_HZ); `None` where there is no such file. The
/// machine may be shared, and CPU time is what the reference reports too.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name, which ends with ')': state is the first, then utime
    // and stime are the 12th and 13th.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

fn number<T: std::str::FromStr>(value: Option<String>, flag: &str) -> Result<T, String> {
    value
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| format!("{flag} needs a number"))
}

fn read_corpus(dir: &Path) -> Result<Vec<(String, Vec<u8>)>, String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut files = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.extension().is_some_and(|ext| ext == "ics") {
            let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
            files.push((name.unwrap_or_default(), bytes));
        }
    }
    files.sort();
    Ok(files)
}

/// file name -> (occurrences, busy hours), from bench_py.py's CSV.
fn read_reference(path: &Path) -> Result<HashMap<String, (usize, f64)>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut out = HashMap::new();
    for (i, line) in text.lines().enumerate().skip(1) {
        let fields: Vec<&str> = line.trim().split(',').collect();
        let parsed = match fields.as_slice() {
            [name, _bytes, _vevents, occurrences, busy, ..] => occurrences
                .parse()
                .ok()
                .zip(busy.parse().ok())
                .map(|v| (name.to_string(), v)),
            _ => None,
        };
        let (name, values) =
            parsed.ok_or_else(|| format!("{}:{}: not a reference row", path.display(), i + 1))?;
        out.insert(name, values);
    }
    Ok(out)
}

/// The reference's CPU seconds: the sum of its parse_s and expand_s columns.
fn reference_seconds(path: &Path) -> Option<f64> {
    let text = std::fs::read_to_string(path).ok()?;
    let total: f64 = text
        .lines()
        .skip(1)
        .filter_map(|line| {
            let fields: Vec<&str> = line.trim().split(',').collect();
            let parse: f64 = fields.get(5)?.parse().ok()?;
            let expand: f64 = fields.get(6)?.parse().ok()?;
            Some(parse + expand)
        })
        .sum();
    (total > 0.0).then_some(total)
}

/// Every file on two threads, each taking every other file.
fn measure_all(files: &[(String, Vec<u8>)]) -> Result<Vec<FileResult>, String> {
    let threads = 2;
    let mut results = vec![FileResult::default(); files.len()];
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                scope.spawn(move || {
                    files
                        .iter()
                        .enumerate()
                        .skip(t)
                        .step_by(threads)
                        .map(|(i, (name, bytes))| {
                            measure(bytes)
                                .map(|r| (i, r))
                                .map_err(|e| format!("{name}:{e}"))
                        })
                        .collect::<Result<Vec<_>, String>>()
                })
            })
            .collect();
        for handle in handles {
            let done = handle
                .join()
                .map_err(|_| "a worker panicked".to_owned())??;
            for (i, result) in done {
                results[i] = result;
            }
        }
        Ok::<_, String>(())
    })?;
    Ok(results)
}

fn measure(bytes: &[u8]) -> Result<FileResult, pendulum_calendar::ParseError> {
    let year = |y| NaiveDate::from_ymd_opt(y, 1, 1).unwrap_or_default();
    let calendar = parse_calendar(bytes)?;
    let owner = calendar.name.as_deref().filter(|name| name.contains('@'));
    let occurrences = expand(&calendar, &Window::days(year(2025), year(2026)), owner)?;
    let busy_seconds: i64 = occurrences
        .iter()
        .filter(|o| o.is_busy())
        .map(|o| (o.end - o.start).num_seconds())
        .sum();
    // The owner's zone: Google's X-WR-TIMEZONE, or the first VTIMEZONE.
    let zone = calendar.floating_zone.or_else(|| {
        calendar.timezones.first().and_then(|t| {
            pendulum_calendar::zone::resolve(&t.tzid).or_else(|| {
                t.location
                    .as_deref()
                    .and_then(pendulum_calendar::zone::resolve)
            })
        })
    });
    let policy = WorkingHours {
        zone: zone.unwrap_or_default(),
        ..WorkingHours::default()
    };
    let weeks = weekly_metrics(&occurrences, &policy, year(2025), year(2026));
    Ok(FileResult {
        occurrences: occurrences.len(),
        busy_hours: busy_seconds as f64 / 3600.0,
        weeks: weeks.len(),
    })
}
