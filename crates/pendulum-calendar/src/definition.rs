//! VTIMEZONE definitions to IANA zones, for the TZIDs that no name resolves.
//!
//! Outlook and other producers write TZIDs such as "(UTC+01:00) Amsterdam, Berlin, Bern,
//! Rome, Stockholm, Vienna" or "Customized Time Zone" and define the zone in the VTIMEZONE:
//! STANDARD and DAYLIGHT observances, each with onsets (DTSTART, RRULE, RDATE) and the
//! offsets it changes from and to. The rest of the crate works with `chrono_tz::Tz`, so
//! [`match_zone`] evaluates a definition into the UTC offset in force at every instant of a
//! [`Span`] of years ([`Offsets`]) and picks the IANA zone that agrees with it at every
//! change of offset (just before and at it) and at sampled instants in between. Since a
//! producer may state only today's rules, a span that no zone agrees with over its whole
//! length starts later, down to its last [`MIN_AGREEING_YEARS`] years.
//!
//! When several zones agree, the one whose city the TZID names wins (earliest in the TZID
//! first), then, for a definition with one offset and no DST, an `Etc/` zone, then the zone
//! CLDR maps a Windows name to, then the first by name. A definition that no IANA zone
//! agrees with is an error; there is no zone of our own to fall back to.
//!
//! Work is bounded whatever the definition says: rules are expanded over the span only,
//! with a budget of [`MAX_RULE_STEPS`] steps, and at most [`MAX_ONSETS`] changes of offset
//! are kept; RDATEs outside the span cost one comparison each. The reader matches at most
//! [`MAX_MATCHED_DEFINITIONS`] definitions per calendar.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, Offset, TimeZone};
use chrono_tz::Tz;
use thiserror::Error;

use crate::event::TimeZoneDefinition;
use crate::rrule::{Budget, Rule, RuleError, Until};
use crate::zone::WINDOWS_ZONES;

/// The most changes of offset one definition may have within its span; a century of
/// twice-yearly DST changes is 200.
pub const MAX_ONSETS: usize = 10_000;
/// The most steps the RRULEs of one definition may take; a yearly rule over the widest span
/// takes a few hundred.
pub const MAX_RULE_STEPS: u64 = 200_000;
/// The most definitions one calendar may need matched; a calendar uses a handful of zones.
pub const MAX_MATCHED_DEFINITIONS: usize = 100;
/// The fewest final years of a span over which a zone must agree with a definition.
pub const MIN_AGREEING_YEARS: i32 = 3;
/// The most instants between changes at which a candidate zone is sampled.
const MAX_SAMPLES: i64 = 2_000;

/// The years, inclusive, over which a definition must agree with an IANA zone, always
/// within [`Span::EARLIEST`] to [`Span::LATEST`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    first: i32,
    last: i32,
}

impl Span {
    pub const EARLIEST: i32 = 1970;
    pub const LATEST: i32 = 2050;
    /// The span for a calendar whose events say nothing about the years it uses.
    pub const DEFAULT: Self = Self {
        first: 2000,
        last: 2040,
    };

    /// The years from `first` to `last`, clamped to the supported range and put in order.
    pub fn new(first: i32, last: i32) -> Self {
        let clamp = |year: i32| year.clamp(Self::EARLIEST, Self::LATEST);
        let (first, last) = (clamp(first), clamp(last));
        Self {
            first: first.min(last),
            last: first.max(last),
        }
    }

    pub fn first(self) -> i32 {
        self.first
    }

    pub fn last(self) -> i32 {
        self.last
    }

    fn start(self) -> NaiveDateTime {
        new_year(self.first)
    }

    fn end(self) -> NaiveDateTime {
        new_year(self.last + 1)
    }
}

/// Why a definition gives no zone.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DefinitionError {
    #[error("the calendar defines more than {limit} zones that no name resolves")]
    TooManyDefinitions { limit: usize },
    #[error("it has no STANDARD or DAYLIGHT observance")]
    NoObservances,
    #[error("RRULE of the observance on line {line}: {error}")]
    BadRule { line: usize, error: RuleError },
    #[error("it changes offset more than {limit} times in {first}-{last}")]
    TooManyOnsets { limit: usize, first: i32, last: i32 },
    #[error("its rules take more than {limit} steps to evaluate")]
    TooCostly { limit: u64 },
    #[error("no IANA zone has its offsets in {first}-{last}; name one in TZID or X-LIC-LOCATION")]
    NoMatch { first: i32, last: i32 },
}

/// The UTC offsets a definition puts in force over a span, as a step function of UTC time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offsets {
    /// The offset, in seconds east of UTC, before the first change.
    initial: i32,
    /// Changes in UTC time order: from this instant (UTC) on, this offset.
    changes: Vec<(NaiveDateTime, i32)>,
}

impl Offsets {
    /// Evaluates every observance's onsets within `span`, plus the last onset of each before
    /// it, so that the offset in force when the span starts is known.
    pub fn of(definition: &TimeZoneDefinition, span: Span) -> Result<Self, DefinitionError> {
        let (from, to) = (
            span.start() - Duration::days(1),
            span.end() + Duration::days(1),
        );
        let mut budget = Budget::new(MAX_RULE_STEPS);
        let mut changes: Vec<(NaiveDateTime, i32, i32)> = Vec::new();
        for observance in &definition.observances {
            let before = observance.offset_from.local_minus_utc();
            let after = observance.offset_to.local_minus_utc();
            let mut rule_onsets = Vec::new();
            if let Some(text) = &observance.rrule {
                let rule = Rule::parse(text).map_err(|error| DefinitionError::BadRule {
                    line: observance.line,
                    error,
                })?;
                let until = rule.until.map(|until| match until {
                    Until::Instant(utc) => utc + Duration::seconds(i64::from(before)),
                    Until::WallTime(wall) => wall,
                    Until::Day(day) => day.and_hms_opt(23, 59, 59).unwrap_or(wall_min(day)),
                });
                // A year before the span, so that the last onset before it is among these.
                let rule_from = new_year(span.first - 1);
                rule_onsets = rule
                    .wall_times(observance.dtstart, until, rule_from, to, &mut budget)
                    .map_err(|_| DefinitionError::TooCostly {
                        limit: MAX_RULE_STEPS,
                    })?;
            }
            let mut latest_before = None;
            let walls = std::iter::once(observance.dtstart)
                .chain(rule_onsets)
                .chain(observance.rdates.iter().copied());
            for wall in walls {
                // An onset is written in the wall time of the offset it ends.
                let utc = wall - Duration::seconds(i64::from(before));
                if utc > to {
                    continue;
                }
                if utc < from {
                    latest_before = latest_before.max(Some(utc));
                    continue;
                }
                if changes.len() == MAX_ONSETS {
                    return Err(DefinitionError::TooManyOnsets {
                        limit: MAX_ONSETS,
                        first: span.first,
                        last: span.last,
                    });
                }
                changes.push((utc, before, after));
            }
            if let Some(utc) = latest_before {
                changes.push((utc, before, after));
            }
        }
        changes.sort_by_key(|&(utc, _, _)| utc);
        changes.dedup_by_key(|&mut (utc, _, _)| utc);
        let initial = changes
            .first()
            .map(|&(_, before, _)| before)
            .ok_or(DefinitionError::NoObservances)?;
        Ok(Self {
            initial,
            changes: changes
                .into_iter()
                .map(|(utc, _, after)| (utc, after))
                .collect(),
        })
    }

    /// The offset in force at a UTC instant, in seconds east of UTC.
    pub fn at(&self, utc: NaiveDateTime) -> i32 {
        let after = self.changes.partition_point(|&(at, _)| at <= utc);
        after
            .checked_sub(1)
            .map_or(self.initial, |i| self.changes[i].1)
    }

    fn is_fixed(&self) -> bool {
        self.changes
            .iter()
            .all(|&(_, offset)| offset == self.initial)
    }
}

/// The IANA zone whose offsets agree with the definition over the span, from the first year
/// an observance starts in if that is later (see the module doc for which zone wins a tie).
///
/// Outlook defines a zone by today's rules only, back to 1601, so a definition often
/// disagrees with every zone's history in the early years of a long calendar (US rules
/// before 2007, European ones before 1996). When no zone agrees over the whole span, the
/// span starts later, at the earliest year from which some zone agrees; it always keeps its
/// last [`MIN_AGREEING_YEARS`] years.
pub fn match_zone(definition: &TimeZoneDefinition, span: Span) -> Result<Tz, DefinitionError> {
    let defined_from = definition
        .observances
        .iter()
        .map(|o| o.dtstart.year())
        .min()
        .ok_or(DefinitionError::NoObservances)?;
    let span = Span::new(span.first.max(defined_from), span.last);
    let offsets = Offsets::of(definition, span)?;
    let agreeing = |first| agreeing_zone(definition, &offsets, Span::new(first, span.last));
    if let Some(tz) = agreeing(span.first) {
        return Ok(tz);
    }
    // Agreement from a year on implies agreement from every later year, so the earliest
    // year from which some zone agrees is found by bisection: `failing` has none,
    // `agreeing_from` has `tz`.
    let latest_first = span.first.max(span.last - (MIN_AGREEING_YEARS - 1));
    let mut tz = agreeing(latest_first).ok_or(DefinitionError::NoMatch {
        first: latest_first,
        last: span.last,
    })?;
    let (mut failing, mut agreeing_from) = (span.first, latest_first);
    while agreeing_from - failing > 1 {
        let middle = failing + (agreeing_from - failing) / 2;
        match agreeing(middle) {
            Some(found) => (tz, agreeing_from) = (found, middle),
            None => failing = middle,
        }
    }
    Ok(tz)
}

/// The preferred IANA zone that has the definition's `offsets` over `span`, if any: checked
/// just before and at every change of offset and at sampled instants.
fn agreeing_zone(definition: &TimeZoneDefinition, offsets: &Offsets, span: Span) -> Option<Tz> {
    let (start, end) = (span.start(), span.end());
    let step = Duration::seconds(((end - start).num_seconds() / MAX_SAMPLES).max(86_400));
    let mut instants: Vec<NaiveDateTime> =
        std::iter::successors(Some(start), |&t| Some(t + step).filter(|&next| next < end))
            .collect();
    for &(at, _) in offsets
        .changes
        .iter()
        .filter(|(at, _)| (start..end).contains(at))
    {
        instants.extend([at - Duration::seconds(1), at]);
    }
    let checks: Vec<(NaiveDateTime, i32)> =
        instants.into_iter().map(|t| (t, offsets.at(t))).collect();
    let agrees = |tz: &Tz| {
        checks
            .iter()
            .all(|(t, offset)| tz.offset_from_utc_datetime(t).fix().local_minus_utc() == *offset)
    };
    let tzid = definition.tzid.to_lowercase();
    let fixed = offsets.is_fixed();
    chrono_tz::TZ_VARIANTS
        .iter()
        .filter(|tz| agrees(tz))
        .min_by_key(|tz| preference(**tz, &tzid, fixed))
        .copied()
}

/// Lower is better: the city's place in the TZID, then `Etc/` for a fixed offset, then the
/// zone's place among CLDR's Windows targets.
fn preference(tz: Tz, tzid: &str, fixed: bool) -> (usize, bool, usize) {
    let name = tz.name();
    let city = name
        .rsplit('/')
        .next()
        .unwrap_or(name)
        .replace('_', " ")
        .to_lowercase();
    // Legacy links such as US/Eastern or Canada/Pacific name regions, not cities.
    let geographic = GEOGRAPHIC_AREAS.iter().any(|area| {
        name.strip_prefix(area)
            .is_some_and(|rest| rest.starts_with('/'))
    });
    let named_at = geographic
        .then(|| word_position(tzid, &city))
        .flatten()
        .unwrap_or(usize::MAX);
    let not_etc = !(fixed && name.starts_with("Etc/"));
    let windows = WINDOWS_ZONES
        .iter()
        .position(|(_, iana)| *iana == name)
        .unwrap_or(usize::MAX);
    (named_at, not_etc, windows)
}

/// The first segments of IANA names that stand for a place, whose last segment is a city.
const GEOGRAPHIC_AREAS: &[&str] = &[
    "Africa",
    "America",
    "Antarctica",
    "Arctic",
    "Asia",
    "Atlantic",
    "Australia",
    "Europe",
    "Indian",
    "Pacific",
];

/// Where `word` first appears in `text` as a whole word.
fn word_position(text: &str, word: &str) -> Option<usize> {
    let is_word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    text.match_indices(word).map(|(at, _)| at).find(|&at| {
        !is_word(text[..at].chars().next_back()) && !is_word(text[at + word.len()..].chars().next())
    })
}

fn new_year(year: i32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(year, 1, 1).map_or(NaiveDateTime::MIN, wall_min)
}

fn wall_min(day: NaiveDate) -> NaiveDateTime {
    day.and_time(chrono::NaiveTime::MIN)
}

#[cfg(test)]
mod tests {
    use chrono::FixedOffset;

    use super::*;
    use crate::event::{Observance, ObservanceKind};

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, mo, d)
            .and_then(|day| day.and_hms_opt(h, mi, s))
            .unwrap()
    }

    fn hours(h: i32) -> FixedOffset {
        FixedOffset::east_opt(h * 3600).unwrap()
    }

    /// A definition with yearly DST rules, as Outlook writes it: both observances from 1601.
    fn yearly(
        standard: (i32, i32, &str, u32),
        daylight: (i32, i32, &str, u32),
    ) -> TimeZoneDefinition {
        let observance = |kind, (from, to, rule, hour): (i32, i32, &str, u32)| Observance {
            line: 1,
            kind,
            dtstart: utc(1601, 1, 1, hour, 0, 0),
            offset_from: hours(from),
            offset_to: hours(to),
            rrule: Some(format!("FREQ=YEARLY;{rule}")),
            rdates: Vec::new(),
        };
        TimeZoneDefinition {
            line: 1,
            tzid: "Test".to_owned(),
            location: None,
            observances: vec![
                observance(ObservanceKind::Standard, standard),
                observance(ObservanceKind::Daylight, daylight),
            ],
        }
    }

    #[test]
    fn offsets_change_at_each_onset_read_in_the_offset_it_ends() {
        let europe = yearly(
            (2, 1, "BYDAY=-1SU;BYMONTH=10", 3),
            (1, 2, "BYDAY=-1SU;BYMONTH=3", 2),
        );
        let offsets = Offsets::of(&europe, Span::new(2025, 2025)).unwrap();
        let cases = [
            // In force since October 2024, an onset before the span.
            (utc(2025, 1, 1, 0, 0, 0), 1),
            (utc(2025, 3, 30, 0, 59, 59), 1),
            (utc(2025, 3, 30, 1, 0, 0), 2),
            (utc(2025, 10, 26, 0, 59, 59), 2),
            (utc(2025, 10, 26, 1, 0, 0), 1),
        ];
        for (at, expected) in cases {
            assert_eq!(offsets.at(at), expected * 3600, "{at}");
        }
        assert!(!offsets.is_fixed());
    }

    #[test]
    fn southern_summer_spans_the_new_year() {
        let sydney = yearly(
            (11, 10, "BYDAY=1SU;BYMONTH=4", 3),
            (10, 11, "BYDAY=1SU;BYMONTH=10", 2),
        );
        let offsets = Offsets::of(&sydney, Span::new(2025, 2025)).unwrap();
        assert_eq!(offsets.at(utc(2025, 1, 1, 0, 0, 0)), 11 * 3600);
        // 2025-04-06 03:00 +11 is 16:00 UTC the day before.
        assert_eq!(offsets.at(utc(2025, 4, 5, 15, 59, 59)), 11 * 3600);
        assert_eq!(offsets.at(utc(2025, 4, 5, 16, 0, 0)), 10 * 3600);
        assert_eq!(
            match_zone(&sydney, Span::new(2025, 2027)).map(|tz| tz.name()),
            Ok("Australia/Sydney")
        );
    }

    #[test]
    fn spans_are_clamped_and_ordered() {
        assert_eq!(Span::new(1601, 9999), Span::new(1970, 2050));
        let span = Span::new(2030, 2025);
        assert_eq!((span.first(), span.last()), (2025, 2030));
    }

    #[test]
    fn cities_are_found_as_whole_words() {
        let tzid = "(utc+01:00) amsterdam, berlin, bern, rome";
        assert_eq!(word_position(tzid, "berlin"), Some(23));
        assert_eq!(word_position(tzid, "bern"), Some(31));
        assert_eq!(word_position(tzid, "rom"), None);
        assert_eq!(word_position("new york", "york"), Some(4));
    }
}
