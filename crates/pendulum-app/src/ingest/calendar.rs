//! The calendar ingest: interruption evidence from the calendars people already keep.
//!
//! It reads many `.ics` files on all cores, finds whose each one is, computes every owner's
//! weekly meeting, focus, fragmented and after-hours time with the policy's working hours,
//! and stores the weeks in one transaction. A file that cannot be read fails the whole run,
//! naming the file and line, before anything is written. Titles, descriptions and attendees
//! never leave the reader.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::{Datelike, Days, NaiveDate, NaiveTime};
use pendulum_calendar::{
    Calendar, Occurrence, ParseError, Window, WorkingHours, expand, parse_calendar, weekly_metrics,
};
use pendulum_core::policy::Calendar as CalendarPolicy;
use pendulum_core::{CalendarWeek, IsoWeek, Origin, Person, PersonId, Policy, Problems};
use pendulum_store::{Store, StoreError};

use super::Progress;
use super::diff::{PersonWeeks, calendar_change};
use super::parallel::{blocking, for_each_parallel, watched};

/// What to ingest.
#[derive(Debug, Clone)]
pub struct CalendarInput {
    /// `.ics` files, or folders searched for them.
    pub paths: Vec<PathBuf>,
    /// Every file belongs to this person, whoever the file says it is.
    pub person: Option<PersonId>,
    /// The day of the run: only weeks that ended by then are counted.
    pub as_of: NaiveDate,
}

/// What a calendar ingest did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarReport {
    /// Calendar files read.
    pub files: usize,
    /// People at least one file belongs to.
    pub people_matched: usize,
    /// Files nobody was found for, in path order.
    pub unmatched: Vec<UnmatchedFile>,
    /// Weeks computed.
    pub weeks: usize,
    /// Weeks stored anew or changed.
    pub weeks_written: usize,
    /// Stored weeks inside a recomputed span that have no evidence any more.
    pub weeks_removed: usize,
}

/// A file whose owner is unknown, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnmatchedFile {
    pub file: PathBuf,
    pub reason: String,
}

/// Why a calendar ingest failed. Nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum CalendarIngestError {
    #[error("{}: no such file or folder", .path.display())]
    Missing { path: PathBuf },
    #[error("{}: no .ics files in this folder", .path.display())]
    NoCalendars { path: PathBuf },
    #[error("cannot read {}", .path.display())]
    Unreadable {
        path: PathBuf,
        source: std::io::Error,
    },
    /// `file:line: what is wrong`, as an editor can jump to.
    #[error("{}:{}: {}", .path.display(), .error.line, .error.kind)]
    Invalid { path: PathBuf, error: ParseError },
    #[error(
        "no person has the id {:?}; `pendulum person list` shows who is there",
        .0.as_str()
    )]
    UnknownPerson(PersonId),
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The evidence names someone or something the ledger refuses.
    #[error("the evidence read from the calendars does not fit the ledger")]
    Misfit(#[source] Problems),
}

/// Reads and parses one calendar file; errors name the file, and the line where it is bad.
pub fn read_calendar(path: &Path) -> Result<Calendar, CalendarIngestError> {
    let bytes = std::fs::read(path).map_err(|source| CalendarIngestError::Unreadable {
        path: path.to_owned(),
        source,
    })?;
    parse_calendar(&bytes).map_err(|error| CalendarIngestError::Invalid {
        path: path.to_owned(),
        error,
    })
}

/// Ingests the calendars behind `input.paths` into `store`: each file's owner found among
/// the people (or `input.person`), their weeks up to `input.as_of` computed with `policy`'s
/// working hours. `progress` hears how the reading of the files goes.
pub async fn ingest_calendar(
    store: &impl Store,
    policy: &Policy,
    input: &CalendarInput,
    progress: &dyn Progress,
) -> Result<CalendarReport, CalendarIngestError> {
    let paths = input.paths.clone();
    let files = Arc::new(blocking(move || discover(&paths)).await?);
    let people = store.people(&policy.ladder).await?;
    if let Some(id) = &input.person
        && !people.iter().any(|p| &p.id == id)
    {
        return Err(CalendarIngestError::UnknownPerson(id.clone()));
    }
    let calendars = read_all(Arc::clone(&files), progress).await?;
    let (people_matched, unmatched, weeks) = blocking({
        let files = Arc::clone(&files);
        let named = input.person.clone();
        let hours = policy.calendar.clone();
        let as_of = input.as_of;
        move || {
            let owners = Owners::new(&people);
            let mut matched: BTreeMap<PersonId, Vec<(usize, String)>> = BTreeMap::new();
            let mut unmatched = Vec::new();
            for (i, calendar) in calendars.iter().enumerate() {
                match owners.of(calendar, named.as_ref()) {
                    Ok((person, address)) => {
                        matched.entry(person).or_default().push((i, address));
                    }
                    Err(reason) => unmatched.push(UnmatchedFile {
                        file: files[i].clone(),
                        reason,
                    }),
                }
            }
            let jobs: Vec<_> = matched.into_iter().collect();
            let weeks = for_each_parallel(&jobs, |(person, owned)| {
                person_weeks(person, owned, &calendars, &files, &hours, as_of)
            })?;
            Ok::<_, CalendarIngestError>((jobs.len(), unmatched, weeks))
        }
    })
    .await?;

    let ledger = store.ledger(&policy.ladder).await?;
    let change = calendar_change(ledger.calendar(), &weeks);
    ledger
        .apply(&change, &Origin::new("calendar", 0))
        .map_err(CalendarIngestError::Misfit)?;
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
        store.apply(&change).await?;
    }
    Ok(CalendarReport {
        files: files.len(),
        people_matched,
        unmatched,
        weeks: weeks.iter().map(|p| p.weeks.len()).sum(),
        weeks_written,
        weeks_removed,
    })
}

/// The files behind the paths: a file as named, a folder searched recursively for `.ics`
/// files (any case), each in path order, each once.
fn discover(paths: &[PathBuf]) -> Result<Vec<PathBuf>, CalendarIngestError> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), CalendarIngestError> {
        let unreadable = |source| CalendarIngestError::Unreadable {
            path: dir.to_owned(),
            source,
        };
        for entry in std::fs::read_dir(dir).map_err(unreadable)? {
            let path = entry.map_err(unreadable)?.path();
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
                return Err(CalendarIngestError::NoCalendars { path: path.clone() });
            }
        } else if path.is_file() {
            files.push(path.clone());
        } else {
            return Err(CalendarIngestError::Missing { path: path.clone() });
        }
    }
    files.sort();
    files.dedup();
    Ok(files)
}

/// Reads and parses every file on all cores. The first bad file in path order fails the
/// run.
async fn read_all(
    files: Arc<Vec<PathBuf>>,
    progress: &dyn Progress,
) -> Result<Vec<Calendar>, CalendarIngestError> {
    let done = Arc::new(AtomicUsize::new(0));
    let sample = {
        let done = Arc::clone(&done);
        move || (done.load(Ordering::Relaxed), 0)
    };
    watched(files.len(), progress, sample, move || {
        for_each_parallel(&files, |path| {
            let calendar = read_calendar(path);
            done.fetch_add(1, Ordering::Relaxed);
            calendar
        })
    })
    .await
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

    /// Whose `calendar` is, and the address they have in it; or why nobody's. `named` is a
    /// person known to exist.
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

/// The weeks of one person from their files: from the week of the first event start written
/// in any of them to the week of the last, at most `history_weeks` weeks, and only weeks that
/// ended on or before `as_of`.
fn person_weeks(
    person: &PersonId,
    owned: &[(usize, String)],
    calendars: &[Calendar],
    files: &[PathBuf],
    p: &CalendarPolicy,
    as_of: NaiveDate,
) -> Result<PersonWeeks, CalendarIngestError> {
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
            let found = expand(&calendars[*i], &window, Some(address)).map_err(|error| {
                CalendarIngestError::Invalid {
                    path: files[*i].clone(),
                    error,
                }
            })?;
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
