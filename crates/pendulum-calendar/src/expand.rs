//! Expansion: a [`Calendar`] and a [`Window`] in, every occurrence that overlaps the window out.
//!
//! Calendar evidence counts meetings as they happen, not as they are written: a weekly 1:1 is
//! one VEVENT and fifty occurrences, minus the weeks it was cancelled, plus the one moved to
//! Thursday. This module applies RFC 5545's recurrence set (section 3.8.5): DTSTART, RRULE
//! and RDATE add instances, EXDATE removes them, and a VEVENT with the same UID and a
//! RECURRENCE-ID replaces one instance wherever it sits in the file (moved, re-timed, or
//! cancelled with STATUS:CANCELLED, which stays an occurrence with that status).
//!
//! # Semantics, in the order they apply
//!
//! - Rules expand in the wall time of DTSTART's zone, then become instants through
//!   [`zone::to_instant`] (a wall time in a DST gap moves forward, one in an overlap takes
//!   the first instant). A DTSTART in UTC expands in UTC. Floating times and DATEs are read
//!   in the calendar's X-WR-TIMEZONE, or UTC when it has none.
//! - DTSTART is always an occurrence, even when the rule would not produce it (RFC 5545
//!   section 3.3.10), unless it is after UNTIL. COUNT counts what the rule produces, so a
//!   DTSTART off the rule comes on top of COUNT; that is what the reference does.
//! - An instance is excluded by an EXDATE naming the same instant, or by an EXDATE with a
//!   DATE value on the same day; it is replaced when an override's RECURRENCE-ID names the
//!   same instant (floating and DATE values there are read in the series' zone).
//! - Overrides are occurrences in their own right, judged by their own start and end: one
//!   moved into the window counts even if the instance it replaces lies outside. RANGE and
//!   an override's own RRULE are not followed; the override is one occurrence.
//! - The length of every instance is that of the event: DTEND minus DTSTART as an exact
//!   duration (RFC 5545 section 3.8.5.3), or DURATION with its days nominal (a day across a
//!   DST change stays 09:00 to 09:00), or one day for an all-day event with neither, or
//!   zero. An RDATE PERIOD brings its own length. An end before the start reads as zero.
//! - An occurrence is in the window when it overlaps it: it starts before the window ends
//!   and ends after it starts; a zero-length one must start inside.
//!
//! # Limits
//!
//! Every rule gets a budget of [`crate::limits::MAX_RULE_STEPS`] and the whole calendar one of
//! [`crate::limits::MAX_EXPANSION_STEPS`]; a calendar may produce at most
//! [`crate::limits::MAX_OCCURRENCES`] occurrences in one window. Crossing any of them is an error
//! naming the line of the RRULE (or of the VEVENT), never a hang: a SECONDLY rule over ten
//! years stops after two million steps.

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

use crate::error::{ErrorKind, ParseError};
use crate::event::{Calendar, Event, PartStat, PeriodEnd, Status, Transparency};
use crate::limits::{MAX_EXPANSION_STEPS, MAX_OCCURRENCES, MAX_RULE_STEPS};
use crate::rrule::{Budget, Rule, Until};
use crate::value::{TimeValue, Zone};
use crate::zone;

/// The span of time whose occurrences are wanted, `[from, to)`. An empty or reversed window
/// has no occurrences.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Window {
    /// The same instants for every event.
    Instants {
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    },
    /// Wall-clock bounds read in each event's own zone: "2025" as each event lives it, which
    /// is how the Python reference reads a naive window. Events in UTC use the calendar's
    /// X-WR-TIMEZONE when it has one, as Google means them.
    WallClock {
        from: NaiveDateTime,
        to: NaiveDateTime,
    },
}

impl Window {
    /// The wall-clock window of whole days, `from` inclusive, `to` exclusive.
    pub fn days(from: NaiveDate, to: NaiveDate) -> Self {
        Self::WallClock {
            from: from.and_time(NaiveTime::MIN),
            to: to.and_time(NaiveTime::MIN),
        }
    }

    /// The bounds as instants for an event that lives in `zone`.
    fn bounds(&self, zone: Tz) -> (DateTime<Utc>, DateTime<Utc>) {
        match *self {
            Self::Instants { from, to } => (from, to),
            Self::WallClock { from, to } => {
                (zone::to_instant(from, zone), zone::to_instant(to, zone))
            }
        }
    }

    /// Bounds that contain the window in every zone (UTC offsets stay within a day).
    fn outer(&self) -> (DateTime<Utc>, DateTime<Utc>) {
        match *self {
            Self::Instants { from, to } => (from, to),
            Self::WallClock { from, to } => (
                from.and_utc() - Duration::days(1),
                to.and_utc() + Duration::days(1),
            ),
        }
    }
}

/// One occurrence of an event: when, and what the metrics need to know about it. Titles,
/// descriptions and attendee lists stay behind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Occurrence<'a> {
    pub uid: &'a str,
    /// The line of the VEVENT it comes from (the override's, for an override).
    pub line: usize,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// DTSTART is a DATE.
    pub all_day: bool,
    pub status: Option<Status>,
    pub transparency: Transparency,
    /// The owner is an attendee with PARTSTAT=DECLINED.
    pub declined_by_owner: bool,
    /// Someone besides the owner attends or organizes it, or the event has a location; with
    /// no owner known, any attendee counts (and the organizer does not).
    pub with_others: bool,
}

impl Occurrence<'_> {
    /// Whether this occurrence is a meeting: timed, not cancelled, not transparent, not
    /// declined by the owner, and with someone else or somewhere to be. Time the owner
    /// blocked alone is not an interruption.
    pub fn is_meeting(&self) -> bool {
        !self.all_day
            && self.status != Some(Status::Cancelled)
            && self.transparency == Transparency::Opaque
            && !self.declined_by_owner
            && self.with_others
    }

    /// Whether it blocks time: timed, not cancelled and not transparent (the reference's
    /// "busy" occurrences).
    pub fn is_busy(&self) -> bool {
        !self.all_day
            && self.status != Some(Status::Cancelled)
            && self.transparency == Transparency::Opaque
    }
}

/// Every occurrence of every VEVENT of `calendar` that overlaps `window`, ordered by event
/// in file order, then by start. `owner` is the calendar owner's email address (with or
/// without `mailto:`), matched against attendees ignoring ASCII case.
pub fn expand<'a>(
    calendar: &'a Calendar,
    window: &Window,
    owner: Option<&str>,
) -> Result<Vec<Occurrence<'a>>, ParseError> {
    let context = Context {
        floating: calendar.floating_zone.unwrap_or(Tz::UTC),
        window: *window,
        owner: owner.map(strip_mailto),
    };
    let mut masters: HashMap<&str, &Event> = HashMap::new();
    let mut overrides: HashMap<&str, Vec<&Event>> = HashMap::new();
    for event in &calendar.events {
        if event.recurrence_id.is_some() {
            overrides.entry(event.uid.as_str()).or_default().push(event);
        } else {
            masters.entry(event.uid.as_str()).or_insert(event);
        }
    }
    let mut out = Vec::new();
    let mut steps_left = MAX_EXPANSION_STEPS;
    for event in &calendar.events {
        let line = event.rrule.as_ref().map_or(event.line, |(_, line)| *line);
        match &event.recurrence_id {
            None => {
                let replaced = overrides
                    .get(event.uid.as_str())
                    .map_or(&[][..], Vec::as_slice);
                let series = Series::new(event, &context, line)?;
                series.expand(replaced, &mut steps_left, &mut out)?;
            }
            Some(id) => {
                let excluded = masters.get(event.uid.as_str()).is_some_and(|master| {
                    let series_zone = zone_of(&master.dtstart, context.floating);
                    Exclusions::of(master, series_zone).excludes(id, series_zone)
                });
                if !excluded {
                    single(event, &context, &mut out);
                }
            }
        }
        if out.len() > MAX_OCCURRENCES {
            return Err(ParseError::new(
                line,
                ErrorKind::TooManyOccurrences {
                    limit: MAX_OCCURRENCES,
                },
            ));
        }
    }
    Ok(out)
}

/// What every event of one expansion shares.
struct Context<'o> {
    /// Where floating times and DATEs live: X-WR-TIMEZONE, or UTC.
    floating: Tz,
    window: Window,
    owner: Option<&'o str>,
}

impl Context<'_> {
    /// The window's bounds for an event whose DTSTART is `dtstart`. A UTC event reads a
    /// wall-clock window in the floating zone too: with X-WR-TIMEZONE, Google's UTC times
    /// belong to the calendar's zone (the reference converts them there first).
    fn bounds(&self, dtstart: &TimeValue) -> (DateTime<Utc>, DateTime<Utc>) {
        let zone = match dtstart {
            TimeValue::DateTime(v) => match v.zone {
                Zone::Tz(tz) => tz,
                Zone::Utc | Zone::Floating => self.floating,
            },
            TimeValue::Date(_) => self.floating,
        };
        self.window.bounds(zone)
    }

    /// The fields every occurrence of `event` shares.
    fn template<'a>(&self, event: &'a Event) -> Occurrence<'a> {
        let is_owner = |address: &str| {
            self.owner
                .is_some_and(|owner| strip_mailto(address).eq_ignore_ascii_case(owner))
        };
        let epoch = DateTime::<Utc>::UNIX_EPOCH;
        Occurrence {
            uid: &event.uid,
            line: event.line,
            start: epoch,
            end: epoch,
            all_day: event.is_all_day(),
            status: event.status,
            transparency: event.transparency,
            declined_by_owner: event
                .attendees
                .iter()
                .any(|a| a.partstat == PartStat::Declined && is_owner(&a.address)),
            // Someone else organizing a known owner's occurrence is someone else there, even
            // when the export lists only the owner as attendee (Outlook often does).
            with_others: event.attendees.iter().any(|a| !is_owner(&a.address))
                || (self.owner.is_some()
                    && event.organizer.as_deref().is_some_and(|o| !is_owner(o)))
                || event
                    .location
                    .as_deref()
                    .is_some_and(|l| !l.trim().is_empty()),
        }
    }
}

fn strip_mailto(address: &str) -> &str {
    let address = address.trim();
    match address.get(..7) {
        Some(scheme) if scheme.eq_ignore_ascii_case("mailto:") => &address[7..],
        _ => address,
    }
}

/// The zone a value's wall time lives in: its TZID, UTC, or the floating zone.
fn zone_of(value: &TimeValue, floating: Tz) -> Tz {
    match value {
        TimeValue::DateTime(v) => match v.zone {
            Zone::Tz(tz) => tz,
            Zone::Utc => Tz::UTC,
            Zone::Floating => floating,
        },
        TimeValue::Date(_) => floating,
    }
}

fn wall(value: &TimeValue) -> NaiveDateTime {
    match value {
        TimeValue::DateTime(v) => v.local,
        TimeValue::Date(d) => d.and_time(NaiveTime::MIN),
    }
}

/// The instant of a value; floating times and DATEs are read in `zone`.
fn instant(value: &TimeValue, zone: Tz) -> DateTime<Utc> {
    match value {
        TimeValue::DateTime(v) => match v.zone {
            Zone::Utc => v.local.and_utc(),
            Zone::Tz(tz) => zone::to_instant(v.local, tz),
            Zone::Floating => zone::to_instant(v.local, zone),
        },
        TimeValue::Date(d) => zone::to_instant(d.and_time(NaiveTime::MIN), zone),
    }
}

/// How long an instance lasts.
#[derive(Debug, Clone, Copy)]
enum Length {
    Exact(Duration),
    /// Days in wall time, then exact seconds (DURATION, and DTEND for all-day events).
    Nominal {
        days: i64,
        seconds: i64,
    },
}

impl Length {
    fn of(event: &Event, floating: Tz) -> Self {
        match (&event.dtend, &event.duration) {
            (Some(TimeValue::Date(end)), _) if event.is_all_day() => {
                let start = wall(&event.dtstart).date();
                Self::Nominal {
                    days: (*end - start).num_days().max(0),
                    seconds: 0,
                }
            }
            (Some(end), _) => {
                let start = instant(&event.dtstart, floating);
                let end = instant(end, floating);
                Self::Exact((end - start).max(Duration::zero()))
            }
            (None, Some(d)) if d.days < 0 || d.seconds < 0 => Self::Exact(Duration::zero()),
            (None, Some(d)) => Self::Nominal {
                days: d.days,
                seconds: d.seconds,
            },
            (None, None) if event.is_all_day() => Self::Nominal {
                days: 1,
                seconds: 0,
            },
            (None, None) => Self::Exact(Duration::zero()),
        }
    }

    fn of_period(end: &PeriodEnd, start: &TimeValue, floating: Tz) -> Self {
        match end {
            PeriodEnd::After(d) if d.days < 0 || d.seconds < 0 => Self::Exact(Duration::zero()),
            PeriodEnd::After(d) => Self::Nominal {
                days: d.days,
                seconds: d.seconds,
            },
            PeriodEnd::At(end) => {
                let start = instant(start, floating);
                let end = instant(end, floating);
                Self::Exact((end - start).max(Duration::zero()))
            }
        }
    }

    /// The end of an instance starting at `start` (wall time `local` in `zone`).
    /// Past the end of chrono's range (a DURATION of millions of days on a date near 9999)
    /// the end is the last instant chrono knows.
    fn end(&self, start: DateTime<Utc>, local: NaiveDateTime, zone: Tz) -> DateTime<Utc> {
        let end = match *self {
            Self::Exact(d) => start.checked_add_signed(d),
            Self::Nominal { days: 0, seconds } => {
                start.checked_add_signed(Duration::seconds(seconds))
            }
            Self::Nominal { days, seconds } => Duration::try_days(days)
                .and_then(|days| local.checked_add_signed(days))
                .map(|day| zone::to_instant(day, zone))
                .and_then(|t| t.checked_add_signed(Duration::seconds(seconds))),
        };
        end.unwrap_or(DateTime::<Utc>::MAX_UTC)
    }

    /// An upper bound, for deciding how early an instance may start and still overlap.
    fn at_most(&self) -> Duration {
        match *self {
            Self::Exact(d) => d,
            Self::Nominal { days, seconds } => {
                Duration::days(days + 1) + Duration::seconds(seconds)
            }
        }
    }
}

/// EXDATEs of a series, as instants and as days.
struct Exclusions {
    instants: Vec<DateTime<Utc>>,
    days: Vec<NaiveDate>,
}

impl Exclusions {
    fn of(event: &Event, series_zone: Tz) -> Self {
        let mut instants = Vec::new();
        let mut days = Vec::new();
        for value in &event.exdate {
            match value {
                TimeValue::Date(d) => days.push(*d),
                TimeValue::DateTime(_) => instants.push(instant(value, series_zone)),
            }
        }
        Self { instants, days }
    }

    fn excludes_instance(&self, start: DateTime<Utc>, local: NaiveDateTime) -> bool {
        self.instants.contains(&start) || self.days.contains(&local.date())
    }

    fn excludes(&self, id: &TimeValue, series_zone: Tz) -> bool {
        let start = instant(id, series_zone);
        let local = series_zone
            .from_utc_datetime(&start.naive_utc())
            .naive_local();
        self.excludes_instance(start, local)
    }
}

/// One non-override VEVENT and what its expansion needs.
struct Series<'a, 'c> {
    event: &'a Event,
    context: &'c Context<'c>,
    /// The line errors name: the RRULE's, or the VEVENT's.
    line: usize,
    zone: Tz,
    length: Length,
    rule: Option<Rule>,
}

impl<'a, 'c> Series<'a, 'c> {
    fn new(event: &'a Event, context: &'c Context<'c>, line: usize) -> Result<Self, ParseError> {
        let rule = match &event.rrule {
            Some((text, line)) => {
                Some(Rule::parse(text).map_err(|e| ParseError::new(*line, ErrorKind::BadRule(e)))?)
            }
            None => None,
        };
        Ok(Self {
            event,
            context,
            line,
            zone: zone_of(&event.dtstart, context.floating),
            length: Length::of(event, context.floating),
            rule,
        })
    }

    fn expand(
        &self,
        overrides: &[&Event],
        steps_left: &mut u64,
        out: &mut Vec<Occurrence<'a>>,
    ) -> Result<(), ParseError> {
        let event = self.event;
        let zone = self.zone;
        let local_start = wall(&event.dtstart);
        // Instances: (start, wall time in the series' zone, own length for a PERIOD).
        let mut instances: Vec<(DateTime<Utc>, NaiveDateTime, Option<Length>)> = Vec::new();
        let until = self.rule.as_ref().and_then(|r| r.until).map(|u| match u {
            Until::Instant(t) => zone.from_utc_datetime(&t).naive_local(),
            Until::WallTime(t) => t,
            Until::Day(d) => {
                d.and_time(NaiveTime::from_hms_opt(23, 59, 59).unwrap_or(NaiveTime::MIN))
            }
        });
        if until.is_none_or(|until| local_start <= until) {
            instances.push((instant(&event.dtstart, zone), local_start, None));
        }
        if let Some(rule) = &self.rule {
            let (from, to) = self.context.window.outer();
            let slack = Duration::days(2);
            // Instances before DTSTART never count, so the walk need not start earlier,
            // however long the event.
            let earliest = instances.first().map_or(from, |(start, _, _)| *start) - slack;
            let from = from
                .checked_sub_signed(self.length.at_most() + slack)
                .map_or(earliest, |from| from.max(earliest));
            let to = to
                .checked_add_signed(slack)
                .unwrap_or(DateTime::<Utc>::MAX_UTC);
            let local = |t: DateTime<Utc>| zone.from_utc_datetime(&t.naive_utc()).naive_local();
            let mut budget = Budget::new(MAX_RULE_STEPS.min(*steps_left));
            let times = rule
                .wall_times(local_start, until, local(from), local(to), &mut budget)
                .map_err(|_| {
                    let limit = if *steps_left < MAX_RULE_STEPS {
                        MAX_EXPANSION_STEPS
                    } else {
                        MAX_RULE_STEPS
                    };
                    ParseError::new(self.line, ErrorKind::ExpansionTooCostly { limit })
                })?;
            *steps_left -= MAX_RULE_STEPS.min(*steps_left) - budget.left();
            instances.extend(
                times
                    .into_iter()
                    .map(|t| (zone::to_instant(t, zone), t, None)),
            );
        }
        for rdate in &event.rdate {
            let start = instant(&rdate.start, zone);
            let local = zone.from_utc_datetime(&start.naive_utc()).naive_local();
            let length = rdate
                .period_end
                .as_ref()
                .map(|end| Length::of_period(end, &rdate.start, self.context.floating));
            instances.push((start, local, length));
        }
        if instances.len() > 1 {
            // Stable, so DTSTART and rule instances win over an RDATE at the same instant.
            instances.sort_by_key(|(start, _, _)| *start);
            instances.dedup_by_key(|(start, _, _)| *start);
        }
        let exclusions = Exclusions::of(event, zone);
        let replaced: Vec<DateTime<Utc>> = overrides
            .iter()
            .filter_map(|o| o.recurrence_id.as_ref())
            .map(|id| instant(id, zone))
            .collect();
        let (from, to) = self.context.bounds(&event.dtstart);
        let template = self.context.template(event);
        for (start, local, length) in instances {
            if exclusions.excludes_instance(start, local) || replaced.contains(&start) {
                continue;
            }
            let end = length.unwrap_or(self.length).end(start, local, zone);
            if overlaps(start, end, from, to) {
                out.push(Occurrence {
                    start,
                    end,
                    ..template
                });
                // Checked here too, so that one series cannot fill memory before the check
                // between events.
                if out.len() > MAX_OCCURRENCES {
                    return Err(ParseError::new(
                        self.line,
                        ErrorKind::TooManyOccurrences {
                            limit: MAX_OCCURRENCES,
                        },
                    ));
                }
            }
        }
        Ok(())
    }
}

/// An override, or any event read as exactly one occurrence.
fn single<'a>(event: &'a Event, context: &Context<'_>, out: &mut Vec<Occurrence<'a>>) {
    let zone = zone_of(&event.dtstart, context.floating);
    let local = wall(&event.dtstart);
    let start = instant(&event.dtstart, zone);
    let end = Length::of(event, context.floating).end(start, local, zone);
    let (from, to) = context.bounds(&event.dtstart);
    if overlaps(start, end, from, to) {
        out.push(Occurrence {
            start,
            end,
            ..context.template(event)
        });
    }
}

/// Overlap of `[start, end)` with `[from, to)`; a zero-length occurrence must start inside.
fn overlaps(
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> bool {
    if start == end {
        from <= start && start < to
    } else {
        start < to && from < end
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(text: &str) -> DateTime<Utc> {
        crate::value::parse_date_time(text).unwrap().0.and_utc()
    }

    #[test]
    fn overlap_is_half_open() {
        let (from, to) = (utc("20250101T000000"), utc("20250102T000000"));
        assert!(overlaps(
            utc("20241231T230000"),
            utc("20250101T010000"),
            from,
            to
        ));
        assert!(!overlaps(utc("20241231T230000"), from, from, to));
        assert!(overlaps(from, from, from, to));
        assert!(!overlaps(to, to, from, to));
    }

    #[test]
    fn strips_mailto_in_any_case() {
        assert_eq!(strip_mailto(" MAILTO:a@x "), "a@x");
        assert_eq!(strip_mailto("a@x"), "a@x");
    }
}
