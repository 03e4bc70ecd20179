//! `pendulum calendar occurrences` and `pendulum ingest calendar`: interruption evidence from
//! the calendars people already keep.
//!
//! `occurrences` shows what expansion makes of one file, so that a user can check what was
//! counted. `ingest` reads many files on all cores, finds whose each one is, computes every
//! owner's weekly meeting, focus, fragmented and after-hours time with the policy's working
//! hours, and stores the weeks in one transaction. A file that cannot be read fails the whole
//! run, naming the file and line, before anything is written. Titles, descriptions and
//! attendees never leave the reader.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, anyhow, bail};
use chrono::{Datelike, Days, NaiveDate, NaiveTime, SecondsFormat};
use pendulum_calendar::{
    Calendar, Occurrence, ParseError, Status, Transparency, Window, WorkingHours, expand,
    parse_calendar, weekly_metrics,
};
use pendulum_core::{CalendarWeek, Change, IsoWeek, Origin, Person, PersonId, Policy};
use pendulum_store::Store;
use serde_json::json;

use crate::context::{Context, today};
use crate::output;

/// Prints every occurrence of the events in `path` that overlaps the days `from` to `to`
/// (both included, read as wall-clock days in each event's own zone), ordered by start.
pub fn occurrences(path: &Path, from: NaiveDate, to: NaiveDate, json: bool) -> Result<()> {
    if to < from {
        bail!("--to {to} is before --from {from}");
    }
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let calendar = parse_calendar(&bytes).map_err(|e| located(path, &e))?;
    let end = to.succ_opt().context("--to is the last day chrono knows")?;
    let mut found =
        expand(&calendar, &Window::days(from, end), None).map_err(|e| located(path, &e))?;
    found.sort_by(|a, b| (a.start, a.end, a.uid, a.line).cmp(&(b.start, b.end, b.uid, b.line)));
    if json {
        let rows: Vec<_> = found
            .iter()
            .map(|o| {
                json!({
                    "uid": o.uid,
                    "start": rfc3339(o.start),
                    "end": rfc3339(o.end),
                    "all_day": o.all_day,
                    "status": o.status.map(status_name),
                    "transparency": transparency_name(o.transparency),
                })
            })
            .collect();
        output::json(&serde_json::Value::Array(rows))?;
        return Ok(());
    }
    let mut table = output::table([
        "start (UTC)",
        "end (UTC)",
        "all-day",
        "status",
        "transp",
        "uid",
    ]);
    for o in &found {
        table.add_row([
            rfc3339(o.start),
            rfc3339(o.end),
            if o.all_day { "yes" } else { "no" }.to_owned(),
            o.status.map_or("-", status_name).to_owned(),
            transparency_name(o.transparency).to_owned(),
            o.uid.to_owned(),
        ]);
    }
    output::line(table.to_string())?;
    output::line(output::dim(format!(
        "{} occurrences from {from} to {to}",
        found.len()
    )))?;
    Ok(())
}

/// What `pendulum ingest calendar` was asked to do.
#[derive(Debug)]
pub struct IngestArgs {
    pub paths: Vec<PathBuf>,
    /// Every file belongs to this person.
    pub person: Option<PersonId>,
    /// The day of the run: only weeks that ended by then are counted.
    pub as_of: Option<NaiveDate>,
    pub json: bool,
}

pub async fn ingest(ctx: &Context, args: IngestArgs) -> Result<()> {
    let started = Instant::now();
    let files = discover(&args.paths)?;
    let people = ctx.store.people(&ctx.policy.ladder).await?;
    if let Some(id) = &args.person
        && !people.iter().any(|p| &p.id == id)
    {
        bail!("no person has the id {id:?}; `pendulum person list` shows who is there");
    }
    let as_of = args.as_of.unwrap_or_else(today);
    let policy = &ctx.policy;
    let computed = tokio::task::block_in_place(|| {
        let calendars = read_all(&files)?;
        let owners = Owners::new(&people);
        let mut matched: BTreeMap<PersonId, Vec<(usize, String)>> = BTreeMap::new();
        let mut unmatched = Vec::new();
        for (i, calendar) in calendars.iter().enumerate() {
            match owners.of(calendar, args.person.as_ref()) {
                Ok((person, address)) => matched.entry(person).or_default().push((i, address)),
                Err(reason) => unmatched.push((files[i].display().to_string(), reason)),
            }
        }
        let jobs: Vec<_> = matched.into_iter().collect();
        let weeks = for_each_parallel(&jobs, |(person, owned)| {
            person_weeks(person, owned, &calendars, &files, policy, as_of)
        })?;
        Ok::<_, anyhow::Error>((jobs.len(), unmatched, weeks))
    })?;
    let (people_matched, unmatched, weeks) = computed;

    let ledger = ctx.ledger().await?;
    let change = evidence_change(ledger.calendar(), &weeks);
    ledger
        .apply(&change, &Origin::new("calendar", 0))
        .context("the evidence read from the calendars does not fit the ledger")?;
    let weeks_written = change.calendar.len();
    let written: HashSet<(&PersonId, IsoWeek)> = change
        .calendar
        .iter()
        .map(|w| (&w.person, w.week))
        .collect();
    let weeks_removed = change
        .calendar_replaced
        .iter()
        .filter(|(p, w)| !written.contains(&(p, *w)))
        .count();
    if !change.calendar.is_empty() || !change.calendar_replaced.is_empty() {
        ctx.store.apply(&change).await?;
    }
    Summary {
        files: files.len(),
        people_matched,
        unmatched: &unmatched,
        weeks: weeks.iter().map(|p| p.weeks.len()).sum(),
        weeks_written,
        weeks_removed,
        elapsed: started.elapsed(),
    }
    .print(args.json)
}

/// `file:line: what is wrong`.
fn located(path: &Path, e: &ParseError) -> anyhow::Error {
    anyhow!("{}:{}: {}", path.display(), e.line, e.kind)
}

fn rfc3339(t: chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn status_name(s: Status) -> &'static str {
    match s {
        Status::Tentative => "tentative",
        Status::Confirmed => "confirmed",
        Status::Cancelled => "cancelled",
    }
}

fn transparency_name(t: Transparency) -> &'static str {
    match t {
        Transparency::Opaque => "opaque",
        Transparency::Transparent => "transparent",
    }
}

/// The files behind the paths: a file as named, a folder searched recursively for `.ics`
/// files (any case), each in path order, each once.
fn discover(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
        let entries =
            std::fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))?;
        for entry in entries {
            let path = entry
                .with_context(|| format!("cannot read {}", dir.display()))?
                .path();
            if path.is_dir() {
                walk(&path, out)?;
            } else if path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("ics"))
            {
                out.push(path);
            }
        }
        Ok(())
    }
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let before = files.len();
            walk(path, &mut files)?;
            if files.len() == before {
                bail!("{}: no .ics files in this folder", path.display());
            }
        } else if path.is_file() {
            files.push(path.clone());
        } else {
            bail!("{}: no such file or folder", path.display());
        }
    }
    files.sort();
    files.dedup();
    Ok(files)
}

/// Reads and parses every file on all cores, with a progress bar on a terminal. The first
/// bad file in path order fails the run.
fn read_all(files: &[PathBuf]) -> Result<Vec<Calendar>> {
    let bar = indicatif::ProgressBar::new(files.len() as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {pos}/{len} calendars read ({elapsed})")
            .expect("the template is valid"),
    );
    let read = for_each_parallel(files, |path| {
        let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()));
        let calendar = bytes.and_then(|b| parse_calendar(&b).map_err(|e| located(path, &e)));
        bar.inc(1);
        calendar
    });
    bar.finish_and_clear();
    read
}

/// `work` on every item on all cores, results in item order; the first error in item order
/// is the result.
fn for_each_parallel<T: Sync, R: Send>(
    items: &[T],
    work: impl Fn(&T) -> Result<R> + Sync,
) -> Result<Vec<R>> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(items.len().max(1));
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Result<R>>>> =
        Mutex::new((0..items.len()).map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(item) = items.get(i) else { break };
                    let result = work(item);
                    results.lock().expect("no worker panics")[i] = Some(result);
                }
            });
        }
    });
    results
        .into_inner()
        .expect("no worker panics")
        .into_iter()
        .map(|r| r.expect("every item was worked on"))
        .collect()
}

/// People's addresses (emails and aliases), ignoring case.
struct Owners<'a> {
    by_address: HashMap<String, &'a Person>,
    by_id: HashMap<&'a PersonId, &'a Person>,
}

impl<'a> Owners<'a> {
    fn new(people: &'a [Person]) -> Self {
        let mut by_address = HashMap::new();
        for p in people {
            for address in std::iter::once(&p.email).chain(&p.aliases) {
                by_address.insert(address.as_str().to_ascii_lowercase(), p);
            }
        }
        Self {
            by_address,
            by_id: people.iter().map(|p| (&p.id, p)).collect(),
        }
    }

    /// Whose `calendar` is, and the address they have in it; or why nobody's.
    fn of(
        &self,
        calendar: &Calendar,
        named: Option<&PersonId>,
    ) -> Result<(PersonId, String), String> {
        let candidates = calendar.owner_candidates();
        if let Some(id) = named {
            let person = self.by_id[id];
            let address = candidates
                .into_iter()
                .find(|a| self.by_address.get(a).is_some_and(|p| p.id == *id))
                .unwrap_or_else(|| person.email.as_str().to_owned());
            return Ok((id.clone(), address));
        }
        if candidates.is_empty() {
            return Err("the file does not say whose calendar it is".into());
        }
        let mut found: Vec<(&Person, &String)> = Vec::new();
        for address in &candidates {
            if let Some(p) = self.by_address.get(address)
                && !found.iter().any(|(q, _)| q.id == p.id)
            {
                found.push((p, address));
            }
        }
        match found.as_slice() {
            [(person, address)] => Ok((person.id.clone(), (*address).clone())),
            [] => Err(format!(
                "no person has the owner's address ({})",
                candidates.join(", ")
            )),
            several => Err(format!(
                "the owner could be any of {}",
                several
                    .iter()
                    .map(|(p, a)| format!("{} ({a})", p.id))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
    }
}

/// One person's recomputed weeks: `[from, to)` as Mondays, and the evidence for each.
struct PersonWeeks {
    person: PersonId,
    from: NaiveDate,
    to: NaiveDate,
    weeks: Vec<CalendarWeek>,
}

/// The weeks of one person from their files: from the week of the first event start written
/// in any of them to the week of the last, at most `history_weeks` weeks, and only weeks that
/// ended on or before `as_of`.
fn person_weeks(
    person: &PersonId,
    owned: &[(usize, String)],
    calendars: &[Calendar],
    files: &[PathBuf],
    policy: &Policy,
    as_of: NaiveDate,
) -> Result<PersonWeeks> {
    let p = &policy.calendar;
    let first = &calendars[owned[0].0];
    let hours = WorkingHours {
        zone: p.zone().unwrap_or_else(|| first.home_zone()),
        day_start: p.day_start(),
        day_end: p.day_end(),
        working_days: p.working_days(),
        focus_threshold: chrono::Duration::seconds((p.focus_block_hours * 3600.0).round() as i64),
    };
    let span = owned
        .iter()
        .filter_map(|(i, _)| calendars[*i].start_span())
        .reduce(|a, b| (a.0.min(b.0), a.1.max(b.1)));
    let monday = |day: NaiveDate| day - Days::new(u64::from(day.weekday().num_days_from_monday()));
    let last_full = monday(as_of + Days::new(1));
    let (from, to) = match span {
        Some((earliest, latest)) => {
            let to = (monday(latest) + Days::new(7)).min(last_full);
            let bound = to - Days::new(7 * u64::from(p.history_weeks));
            (monday(earliest).max(bound), to)
        }
        None => (last_full, last_full),
    };
    let mut weeks = Vec::new();
    if from < to {
        let midnight = |day: NaiveDate| {
            pendulum_calendar::zone::to_instant(day.and_time(NaiveTime::MIN), hours.zone)
        };
        let window = Window::Instants {
            from: midnight(from),
            to: midnight(to),
        };
        let mut all: Vec<Occurrence<'_>> = Vec::new();
        for (i, address) in owned {
            let found = expand(&calendars[*i], &window, Some(address))
                .map_err(|e| located(&files[*i], &e))?;
            all.extend(found);
        }
        for w in weekly_metrics(&all, &hours, from, to) {
            let week =
                IsoWeek::new(w.week.year(), w.week.week()).expect("chrono's ISO weeks exist");
            weeks.push(CalendarWeek {
                person: person.clone(),
                week,
                meeting_hours: hundredths(w.meeting_hours),
                focus_hours: hundredths(w.focus_hours),
                fragmented_hours: hundredths(w.fragmented_hours),
                after_hours: hundredths(w.after_hours),
            });
        }
    }
    Ok(PersonWeeks {
        person: person.clone(),
        from,
        to,
        weeks,
    })
}

/// Hours are stored to the hundredth (36 seconds).
fn hundredths(hours: f64) -> f64 {
    (hours * 100.0).round() / 100.0
}

/// The writes that make the stored weeks of the people read equal `fresh` within the span
/// recomputed for each: changed and vanished weeks are replaced, new ones added, equal ones
/// left alone. Weeks outside a person's span, and other people's, are kept.
fn evidence_change(stored: &[CalendarWeek], fresh: &[PersonWeeks]) -> Change {
    let key = |w: &CalendarWeek| (w.person.clone(), w.week);
    let old: HashMap<(PersonId, IsoWeek), &CalendarWeek> =
        stored.iter().map(|w| (key(w), w)).collect();
    let mut change = Change::default();
    let mut kept: HashSet<(PersonId, IsoWeek)> = HashSet::new();
    for person in fresh {
        for w in &person.weeks {
            kept.insert(key(w));
            match old.get(&key(w)) {
                Some(&before) if before == w => {}
                Some(_) => {
                    change.calendar_replaced.push(key(w));
                    change.calendar.push(w.clone());
                }
                None => change.calendar.push(w.clone()),
            }
        }
        change.calendar_replaced.extend(
            stored
                .iter()
                .filter(|w| {
                    w.person == person.person && (person.from..person.to).contains(&w.week.monday())
                })
                .map(key)
                .filter(|k| !kept.contains(k)),
        );
    }
    change
}

struct Summary<'a> {
    files: usize,
    people_matched: usize,
    /// Files nobody was found for, with the reason.
    unmatched: &'a [(String, String)],
    /// Weeks computed.
    weeks: usize,
    /// Weeks stored anew or changed.
    weeks_written: usize,
    /// Stored weeks inside a recomputed span that have no evidence any more.
    weeks_removed: usize,
    elapsed: Duration,
}

impl Summary<'_> {
    fn print(&self, json: bool) -> Result<()> {
        if json {
            output::json(&json!({
                "files": self.files,
                "people_matched": self.people_matched,
                "unmatched_files": self.unmatched.iter().map(|(file, reason)| json!({"file": file, "reason": reason})).collect::<Vec<_>>(),
                "weeks": self.weeks,
                "weeks_written": self.weeks_written,
                "weeks_removed": self.weeks_removed,
                "duration_ms": self.elapsed.as_millis() as u64,
            }))?;
            return Ok(());
        }
        output::line(format!(
            "{} calendar files, {} people matched, {} files unmatched ({:.2} s)",
            self.files,
            self.people_matched,
            self.unmatched.len(),
            self.elapsed.as_secs_f64()
        ))?;
        output::line(format!(
            "{} weeks computed, {} written, {} removed",
            self.weeks, self.weeks_written, self.weeks_removed
        ))?;
        if !self.unmatched.is_empty() {
            output::line(output::heading(
                "Files whose owner is unknown (add the address as an alias, or use --person):",
            ))?;
            for (file, reason) in self.unmatched {
                output::line(format!("  {file}: {reason}"))?;
            }
        }
        Ok(())
    }
}
