//! `pendulum ingest git` against `git log --branches --tags --format='%aE %ad'` on the same
//! generated repositories, side by side.
//!
//! `git fast-import` builds the repositories in seconds, so the benchmark runs anywhere git
//! does: one large repository (default 200,000 commits) with realistic authors (a few
//! hundred people, a long tail, several addresses each, a mailmap, co-authors, a bot, time
//! zones around the world) and merges; and a folder of many small repositories. Usage:
//!
//! ```sh
//! cargo build --release -p pendulum-cli -p pendulum-bench
//! target/release/git-bench [COMMITS] [REPOSITORIES] [RUNS] [REAL_REPOSITORY]
//! ```
//!
//! A real repository (git's own history, say) is compared too when its path is given, also
//! with line counts: `pendulum ingest git --diffstat` against `git log --numstat`.
//!
//! The `pendulum` binary is taken from `PENDULUM_BIN`, else from beside this one. When
//! `PENDULUM_TEST_POSTGRES` names a PostgreSQL server (see `scripts/test-postgres`), the fresh
//! ingest is timed into a new PostgreSQL database too, in the same run.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, ensure};
use pendulum_bench::{median, ms, peak_rss_mib};
use pendulum_core::policy::Git;
use pendulum_core::{Email, Ladder, Person, PersonId, Willingness};
use pendulum_ingest::git::{
    History, Identities, Progress, ReadOptions, discover, evidence, probe, read_new_commits,
};

const PEOPLE: usize = 400;

fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let commits: usize = args.next().map_or(Ok(200_000), |a| a.parse())?;
    let repositories: usize = args.next().map_or(Ok(200), |a| a.parse())?;
    let runs: usize = args.next().map_or(Ok(5), |a| a.parse())?;
    let real: Option<PathBuf> = args.next().map(PathBuf::from);
    let bin = match std::env::var_os("PENDULUM_BIN") {
        Some(b) => PathBuf::from(b),
        None => std::env::current_exe()?.with_file_name("pendulum"),
    };
    ensure!(
        bin.exists(),
        "no pendulum binary at {}; build it or set PENDULUM_BIN",
        bin.display()
    );
    let tmp = tempfile::tempdir()?;

    let big = tmp.path().join("big.git");
    let started = Instant::now();
    generate(&big, commits, 1)?;
    println!(
        "generated {} commits in {:.1} s",
        commits,
        started.elapsed().as_secs_f64()
    );
    compare("one repository", &big, &bin, tmp.path(), runs, false)?;

    let many = tmp.path().join("many");
    let started = Instant::now();
    for r in 0..repositories {
        generate(&many.join(format!("repo{r:04}.git")), 1000, r as u64 + 2)?;
    }
    println!(
        "generated {repositories} repositories of 1000 commits in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    compare("many repositories", &many, &bin, tmp.path(), runs, false)?;
    if let Some(real) = real {
        compare("real repository", &real, &bin, tmp.path(), runs, true)?;
    }
    Ok(())
}

/// Times git log, the library scan, a first `pendulum ingest git` into a fresh database
/// and a no-change re-run, and prints the ratios; with `diffstat`, also line counting
/// against `git log --numstat`.
fn compare(
    label: &str,
    path: &Path,
    bin: &Path,
    tmp: &Path,
    runs: usize,
    diffstat: bool,
) -> Result<()> {
    let repos = discover(&[path.to_owned()])?;
    let (git_log, lines) = median(runs, || {
        repos
            .iter()
            .map(|r| git_log_lines(r, &["--format=%aE %ad"]).expect("git log runs"))
            .sum::<usize>()
    });
    let people = people();
    let identities = Identities::new(&people, &Git::default());
    let (scan, commits) = median(runs, || {
        let probed = probe(&repos).expect("probe");
        let history = History::default();
        let new = read_new_commits(
            &probed,
            &history,
            &Progress::default(),
            ReadOptions::default(),
        )
        .expect("read");
        let mut history = History::default();
        history.extend(new);
        let ev = evidence(&probed, &history, &identities);
        ev.commits
    });
    let peak = peak_rss_mib();

    let db = tmp.join(format!("{}.db", label.replace(' ', "-")));
    let people_csv = tmp.join("people.csv");
    write_people(&people_csv, &people)?;
    let mut first = Vec::new();
    let mut rerun = Vec::new();
    for _ in 0..runs {
        first.push(fresh_ingest(bin, &db, &people_csv, path, &[])?);
        rerun.push(time(|| {
            run(
                bin,
                &db,
                &["ingest", "git", path.to_str().unwrap_or_default()],
            )
        })?);
    }
    first.sort();
    rerun.sort();
    let (first, rerun) = (first[runs / 2], rerun[runs / 2]);

    println!(
        "\n{label}: {} repositories, {commits} commits ({lines} lines of git log)",
        repos.len()
    );
    println!(
        "  git log --branches --tags --format='%aE %ad'   {}",
        ms(git_log)
    );
    println!(
        "  scan + identities + evidence (library)      {}  ({:.2}x faster than git log)",
        ms(scan),
        git_log.as_secs_f64() / scan.as_secs_f64()
    );
    println!(
        "  pendulum ingest git, fresh database          {}  ({:.2}x faster than git log)",
        ms(first),
        git_log.as_secs_f64() / first.as_secs_f64()
    );
    println!(
        "  pendulum ingest git, nothing new             {}",
        ms(rerun)
    );
    if std::env::var_os(pendulum_store_postgres::testing::SERVER_VARIABLE).is_some() {
        let runtime = tokio::runtime::Runtime::new()?;
        let mut times = Vec::new();
        for _ in 0..runs {
            let Some(url) = runtime.block_on(pendulum_store_postgres::testing::scratch_database())
            else {
                break;
            };
            let db = Path::new(&url);
            run(
                bin,
                db,
                &["import", people_csv.to_str().unwrap_or_default()],
            )?;
            times.push(time(|| {
                run(
                    bin,
                    db,
                    &["ingest", "git", path.to_str().unwrap_or_default()],
                )
            })?);
        }
        times.sort();
        if let Some(postgres) = times.get(runs / 2) {
            println!(
                "  the same into a fresh PostgreSQL database    {}  ({:.2}x faster than git log)",
                ms(*postgres),
                git_log.as_secs_f64() / postgres.as_secs_f64()
            );
        }
    }
    if let Some(peak) = peak {
        println!("  peak memory of this process (scan)          {peak:.0} MiB");
    }
    if let Some(peak) = command_peak_mib(bin, &db, &people_csv, path)? {
        println!("  peak memory of pendulum ingest git (fresh)  {peak:.0} MiB");
    }
    if diffstat {
        let (numstat, _) = median(runs, || {
            repos
                .iter()
                .map(|r| {
                    git_log_lines(r, &["--no-merges", "--numstat", "--format=%aE %ad"])
                        .expect("git log runs")
                })
                .sum::<usize>()
        });
        let mut counted = Vec::new();
        for _ in 0..runs {
            counted.push(fresh_ingest(bin, &db, &people_csv, path, &["--diffstat"])?);
        }
        counted.sort();
        let counted = counted[runs / 2];
        println!(
            "  git log --branches --tags --no-merges --numstat  {}",
            ms(numstat)
        );
        println!(
            "  pendulum ingest git --diffstat, fresh database  {}  ({:.2}x faster than git log --numstat)",
            ms(counted),
            numstat.as_secs_f64() / counted.as_secs_f64()
        );
    }
    Ok(())
}

/// Replaces `db` with a database that holds only the people.
fn fresh_db(bin: &Path, db: &Path, people_csv: &Path) -> Result<()> {
    let _ = std::fs::remove_file(db);
    run(
        bin,
        db,
        &["import", people_csv.to_str().unwrap_or_default()],
    )
}

/// A fresh database with the people, then one timed `pendulum ingest git` into it.
fn fresh_ingest(
    bin: &Path,
    db: &Path,
    people_csv: &Path,
    path: &Path,
    flags: &[&str],
) -> Result<Duration> {
    fresh_db(bin, db, people_csv)?;
    let mut args = vec!["ingest", "git"];
    args.extend_from_slice(flags);
    args.push(path.to_str().unwrap_or_default());
    time(|| run(bin, db, &args))
}

/// The peak resident memory of a fresh `pendulum ingest git`, as GNU time reports it;
/// `None` where `/usr/bin/time` is not installed (Debian's package `time`).
fn command_peak_mib(bin: &Path, db: &Path, people_csv: &Path, path: &Path) -> Result<Option<f64>> {
    let gnu_time = Path::new("/usr/bin/time");
    if !gnu_time.exists() {
        return Ok(None);
    }
    fresh_db(bin, db, people_csv)?;
    let out = Command::new(gnu_time)
        .args(["-f", "%M"])
        .arg(bin)
        .arg("--db")
        .arg(db)
        .args(["ingest", "git"])
        .arg(path)
        .stdout(Stdio::null())
        .output()?;
    ensure!(
        out.status.success(),
        "pendulum ingest git failed under time"
    );
    let text = String::from_utf8_lossy(&out.stderr);
    let kib: f64 = text
        .lines()
        .last()
        .and_then(|l| l.trim().parse().ok())
        .context("GNU time printed no peak memory")?;
    Ok(Some(kib / 1024.0))
}

fn time(f: impl FnOnce() -> Result<()>) -> Result<Duration> {
    let start = Instant::now();
    f()?;
    Ok(start.elapsed())
}

fn run(bin: &Path, db: &Path, args: &[&str]) -> Result<()> {
    let out = Command::new(bin)
        .arg("--db")
        .arg(db)
        .args(args)
        .stdout(Stdio::null())
        .output()?;
    ensure!(
        out.status.success(),
        "pendulum {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(())
}

/// The lines `git log --branches --tags` prints with `flags`.
fn git_log_lines(repo: &Path, flags: &[&str]) -> Result<usize> {
    let out = Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(["log", "--branches", "--tags"])
        .args(flags)
        .output()?;
    ensure!(out.status.success(), "git log failed in {}", repo.display());
    Ok(out.stdout.iter().filter(|&&b| b == b'\n').count())
}

fn person_email(p: usize) -> String {
    format!("dev{p:03}@example.com")
}

fn people() -> Vec<Person> {
    let level = Ladder::default()
        .level("L4")
        .expect("default ladder has L4");
    (0..PEOPLE)
        .map(|p| Person {
            willing_since: None,
            id: PersonId::parse(&format!("p{p:03}")).expect("valid id"),
            name: format!("Dev {p}"),
            email: Email::parse(&person_email(p)).expect("valid email"),
            aliases: vec![Email::parse(&format!("dev{p:03}@home.example")).expect("valid email")],
            level: level.clone(),
            team: None,
            manager: None,
            willing_to_manage: Willingness::Unknown,
            departure: None,
        })
        .collect()
}

fn write_people(path: &Path, people: &[Person]) -> Result<()> {
    let mut f = std::fs::File::create(path)?;
    writeln!(f, "id,name,email,aliases,level")?;
    for p in people {
        writeln!(f, "{},{},{},{},L4", p.id, p.name, p.email, p.aliases[0])?;
    }
    Ok(())
}

/// A small deterministic generator (xorshift), so the repositories are the same each run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// A person with a long tail: a few write most commits.
    fn author(&mut self) -> usize {
        let a = self.below(PEOPLE as u64);
        let b = self.below(PEOPLE as u64);
        a.min(b) as usize
    }
}

/// A bare repository of `commits` commits made with `git fast-import`: a main line, a side
/// branch merged every 20 commits, a tag every 1000, a mailmap in the first commit.
fn generate(dir: &Path, commits: usize, seed: u64) -> Result<()> {
    std::fs::create_dir_all(dir)?;
    let init = Command::new("git")
        .arg("init")
        .arg("-q")
        .arg("--bare")
        .arg(dir)
        .status()?;
    ensure!(init.success(), "git init failed");
    let mut child = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["fast-import", "--quiet", "--done"])
        .stdin(Stdio::piped())
        .spawn()
        .context("cannot start git fast-import")?;
    let mut out = std::io::BufWriter::new(child.stdin.take().context("no stdin")?);
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let zones = [
        "+0000", "+0100", "+0200", "-0500", "-0800", "+0530", "+0900", "-0300",
    ];
    let mut mailmap = String::new();
    for p in 0..PEOPLE / 4 {
        mailmap.push_str(&format!(
            "Dev {p} <{}> <dev{p:03}@old.example>\n",
            person_email(p)
        ));
    }
    let mut time: u64 = 1_500_000_000;
    let mut main_tip = 0usize;
    let mut side_tip = 0usize;
    for mark in 1..=commits {
        time += 60 + rng.below(3600);
        let p = rng.author();
        let email = match rng.below(10) {
            0 if p < PEOPLE / 4 => format!("dev{p:03}@old.example"),
            1 => format!("dev{p:03}@home.example"),
            2 if rng.below(10) == 0 => "ci-bot@example.com".to_owned(),
            3 if rng.below(4) == 0 => format!("contractor{}@elsewhere.example", rng.below(50)),
            _ => person_email(p),
        };
        let zone = zones[p % zones.len()];
        let on_side = mark % 20 >= 16 && mark % 20 <= 18;
        let merge = mark % 20 == 19 && side_tip != 0;
        let (branch, from) = if on_side {
            ("side", if mark % 20 == 16 { main_tip } else { side_tip })
        } else {
            ("main", main_tip)
        };
        let mut message = format!("Change {mark}\n\nWhat and why.\n");
        if rng.below(20) == 0 {
            message.push_str(&format!(
                "\nCo-authored-by: Dev {0} <{1}>\n",
                rng.author(),
                person_email(rng.author())
            ));
        }
        if merge {
            message = format!("Merge side into main at {mark}\n");
        }
        writeln!(out, "commit refs/heads/{branch}")?;
        writeln!(out, "mark :{mark}")?;
        writeln!(out, "author Dev {p} <{email}> {time} {zone}")?;
        writeln!(out, "committer Dev {p} <{email}> {time} {zone}")?;
        writeln!(out, "data {}\n{message}", message.len())?;
        if from != 0 {
            writeln!(out, "from :{from}")?;
        }
        if merge {
            writeln!(out, "merge :{side_tip}")?;
        }
        if mark == 1 {
            writeln!(
                out,
                "M 644 inline .mailmap\ndata {}\n{mailmap}",
                mailmap.len()
            )?;
        }
        writeln!(out)?;
        if on_side {
            side_tip = mark;
        } else {
            main_tip = mark;
        }
        if mark % 1000 == 0 {
            writeln!(out, "reset refs/tags/v{}\nfrom :{main_tip}\n", mark / 1000)?;
        }
    }
    writeln!(out, "done")?;
    drop(out);
    ensure!(child.wait()?.success(), "git fast-import failed");
    Ok(())
}
