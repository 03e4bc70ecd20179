//! The typed view of a calendar: events, their times and people, and the zones they use.
//!
//! This is where "parse, don't validate" happens for calendars: every TZID an event uses is
//! resolved to a zone while the file is read (through [`crate::zone::resolve`], then the
//! VTIMEZONE's `X-LIC-LOCATION`, then the VTIMEZONE's observances through
//! [`crate::definition::match_zone`]), so an [`Event`] never holds a zone name that cannot be
//! converted, and an unknown zone is an error on the line that uses it. Titles and
//! descriptions are not kept: the evidence never needs them.
//!
//! Documented fallbacks, chosen so that one odd property does not reject a whole export:
//! an unknown STATUS reads as absent, an unknown TRANSP as OPAQUE, an unknown PARTSTAT as
//! [`PartStat::Other`]. An RDATE with VALUE=PERIOD keeps its start and its end or duration
//! ([`RecurrenceDate`]), since the period says how long that occurrence lasts.
//! Several VCALENDARs in one file are read as one calendar.

use std::collections::HashMap;

use chrono::{FixedOffset, NaiveDateTime, NaiveTime};
use chrono_tz::Tz;

use crate::component::{Component, parse_kept_components};
use crate::definition::{self, DefinitionError, Span};
use crate::error::{ErrorKind, ParseError};
use crate::lines::{ContentLine, Keep};
use crate::value::{
    DateTimeValue, Duration, TimeValue, ValueError, Zone, parse_date, parse_date_time,
    parse_utc_offset, unescape_text,
};
use crate::zone;

/// One calendar file, read.
#[derive(Debug, Clone, PartialEq)]
pub struct Calendar {
    pub events: Vec<Event>,
    pub timezones: Vec<TimeZoneDefinition>,
    /// X-WR-TIMEZONE: where Google means floating times to live.
    pub floating_zone: Option<Tz>,
    /// X-WR-CALNAME, which Google sets to the owner's email address.
    pub name: Option<String>,
}

/// One VEVENT.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// The physical line of its BEGIN:VEVENT.
    pub line: usize,
    pub uid: String,
    pub dtstart: TimeValue,
    pub dtend: Option<TimeValue>,
    pub duration: Option<Duration>,
    pub status: Option<Status>,
    pub transparency: Transparency,
    /// The RRULE text as written, with its line, for the expander to parse.
    pub rrule: Option<(String, usize)>,
    pub rdate: Vec<RecurrenceDate>,
    pub exdate: Vec<TimeValue>,
    pub recurrence_id: Option<TimeValue>,
    /// The organizer's calendar address, e.g. `mailto:a@example.com`.
    pub organizer: Option<String>,
    pub attendees: Vec<Attendee>,
    pub location: Option<String>,
}

impl Event {
    /// Whether the event is all-day, i.e. its DTSTART is a DATE.
    pub fn is_all_day(&self) -> bool {
        matches!(self.dtstart, TimeValue::Date(_))
    }
}

/// One value of an RDATE: a start, and for a PERIOD how long that occurrence lasts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecurrenceDate {
    pub start: TimeValue,
    /// The second half of a PERIOD; `None` for DATE and DATE-TIME values, whose occurrences
    /// last as long as the event itself.
    pub period_end: Option<PeriodEnd>,
}

/// The second half of a PERIOD (RFC 5545 section 3.3.9).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodEnd {
    /// "start/end": an explicit end, in the same form as the start.
    At(TimeValue),
    /// "start/duration".
    After(Duration),
}

/// STATUS of a VEVENT.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Tentative,
    Confirmed,
    Cancelled,
}

/// TRANSP: whether the event blocks time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Transparency {
    #[default]
    Opaque,
    Transparent,
}

/// An ATTENDEE: a calendar address and its participation status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attendee {
    pub address: String,
    pub partstat: PartStat,
}

/// PARTSTAT of an attendee; NEEDS-ACTION when absent (RFC 5545 section 3.2.12).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PartStat {
    NeedsAction,
    Accepted,
    Declined,
    Tentative,
    Delegated,
    Other(String),
}

impl PartStat {
    fn parse(text: &str) -> Self {
        // Compared in place: one PARTSTAT per attendee, and most are one of these.
        [
            ("NEEDS-ACTION", Self::NeedsAction),
            ("ACCEPTED", Self::Accepted),
            ("DECLINED", Self::Declined),
            ("TENTATIVE", Self::Tentative),
            ("DELEGATED", Self::Delegated),
        ]
        .into_iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(text))
        .map_or_else(|| Self::Other(text.to_ascii_uppercase()), |(_, p)| p)
    }
}

/// A VTIMEZONE as written, kept for zones that no name resolves.
#[derive(Debug, Clone, PartialEq)]
pub struct TimeZoneDefinition {
    pub line: usize,
    pub tzid: String,
    /// X-LIC-LOCATION, the IANA name some producers add.
    pub location: Option<String>,
    pub observances: Vec<Observance>,
}

/// A STANDARD or DAYLIGHT block of a VTIMEZONE. Its onsets are wall times in the offset in
/// force before them (TZOFFSETFROM).
#[derive(Debug, Clone, PartialEq)]
pub struct Observance {
    /// The physical line of its BEGIN.
    pub line: usize,
    pub kind: ObservanceKind,
    pub dtstart: NaiveDateTime,
    pub offset_from: FixedOffset,
    pub offset_to: FixedOffset,
    pub rrule: Option<String>,
    /// Every RDATE value, as wall time (a DATE is its midnight, a PERIOD its start).
    pub rdates: Vec<NaiveDateTime>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObservanceKind {
    Standard,
    Daylight,
}

/// What [`parse_calendar`] reads of a file; every other line is checked and dropped.
const KEEP: Keep = Keep {
    properties: &[
        // VCALENDAR
        "X-WR-TIMEZONE",
        "X-WR-CALNAME",
        // VEVENT
        "UID",
        "DTSTART",
        "DTEND",
        "DURATION",
        "RECURRENCE-ID",
        "RRULE",
        "RDATE",
        "EXDATE",
        "STATUS",
        "TRANSP",
        "ORGANIZER",
        "ATTENDEE",
        "LOCATION",
        // VTIMEZONE and its observances
        "TZID",
        "X-LIC-LOCATION",
        "TZOFFSETFROM",
        "TZOFFSETTO",
    ],
    parameters: &["TZID", "VALUE", "PARTSTAT"],
};

/// Reads a whole iCalendar file.
pub fn parse_calendar(input: &[u8]) -> Result<Calendar, ParseError> {
    let top = parse_kept_components(input, &KEEP)?;
    if top.is_empty() {
        return Err(ParseError::new(1, ErrorKind::NoCalendar));
    }
    let mut calendar = Calendar {
        events: Vec::new(),
        timezones: Vec::new(),
        floating_zone: None,
        name: None,
    };
    for component in &top {
        if component.name != "VCALENDAR" {
            return Err(ParseError::new(
                component.line,
                ErrorKind::NotACalendar(component.name.clone()),
            ));
        }
        for child in component.children.iter().filter(|c| c.name == "VTIMEZONE") {
            calendar.timezones.push(timezone_definition(child)?);
        }
    }
    let mut zones = Zones {
        definitions: &calendar.timezones,
        components: &top,
        span: None,
        matched: 0,
        cache: HashMap::new(),
    };
    for component in &top {
        for property in &component.properties {
            match property.name.as_ref() {
                "X-WR-TIMEZONE" => {
                    calendar.floating_zone = Some(zones.resolve(&property.value, property.line)?);
                }
                "X-WR-CALNAME" => calendar.name = Some(unescape_text(&property.value)),
                _ => {}
            }
        }
        for child in component.children.iter().filter(|c| c.name == "VEVENT") {
            let event = read_event(child, &mut zones)?;
            calendar.events.push(event);
        }
    }
    Ok(calendar)
}

/// The years a VTIMEZONE definition must agree with an IANA zone over: from the first year
/// an event starts in to two years after the last, since series run on past their start.
fn event_years(top: &[Component<'_>]) -> Span {
    let years = top
        .iter()
        .flat_map(|calendar| calendar.children.iter().filter(|c| c.name == "VEVENT"))
        .filter_map(|event| event.property("DTSTART"))
        .filter_map(|dtstart| dtstart.value.trim().get(..4)?.parse::<i32>().ok());
    let (first, last) = years.fold((i32::MAX, i32::MIN), |(first, last), year| {
        (first.min(year), last.max(year))
    });
    if first > last {
        Span::DEFAULT
    } else {
        Span::new(first, last.saturating_add(2))
    }
}

/// TZID resolution with a cache, since every event of a file names the same few zones.
struct Zones<'a> {
    definitions: &'a [TimeZoneDefinition],
    /// The file's components, for the years its events use.
    components: &'a [Component<'a>],
    /// The years over which a definition that no name resolves is matched to a zone, found
    /// when the first such definition is, so that files without one do not pay for it.
    span: Option<Span>,
    /// How many definitions have been matched, which [`definition::MAX_MATCHED_DEFINITIONS`]
    /// bounds.
    matched: usize,
    cache: HashMap<String, Tz>,
}

impl Zones<'_> {
    fn resolve(&mut self, tzid: &str, line: usize) -> Result<Tz, ParseError> {
        if let Some(tz) = self.cache.get(tzid) {
            return Ok(*tz);
        }
        let definitions = self.definitions;
        let defined = || definitions.iter().filter(|d| d.tzid == tzid);
        let named = zone::resolve(tzid)
            .or_else(|| defined().find_map(|d| d.location.as_deref().and_then(zone::resolve)));
        let tz = match (named, defined().next()) {
            (Some(tz), _) => tz,
            (None, Some(definition)) => self.match_definition(definition).map_err(|error| {
                ParseError::new(
                    line,
                    ErrorKind::UnusableTimeZone {
                        tzid: tzid.to_owned(),
                        definition_line: definition.line,
                        error,
                    },
                )
            })?,
            (None, None) => {
                return Err(ParseError::new(
                    line,
                    ErrorKind::UnknownTimeZone(tzid.to_owned()),
                ));
            }
        };
        self.cache.insert(tzid.to_owned(), tz);
        Ok(tz)
    }

    fn match_definition(&mut self, definition: &TimeZoneDefinition) -> Result<Tz, DefinitionError> {
        if self.matched == definition::MAX_MATCHED_DEFINITIONS {
            return Err(DefinitionError::TooManyDefinitions {
                limit: definition::MAX_MATCHED_DEFINITIONS,
            });
        }
        self.matched += 1;
        let span = *self
            .span
            .get_or_insert_with(|| event_years(self.components));
        definition::match_zone(definition, span)
    }
}

fn bad_value(property: &ContentLine<'_>, error: ValueError) -> ParseError {
    ParseError::new(
        property.line,
        ErrorKind::BadValue {
            property: property.name.to_string(),
            error,
        },
    )
}

/// Reads every comma-separated DATE or DATE-TIME of a property, honouring VALUE and TZID.
fn time_values(
    property: &ContentLine<'_>,
    zones: &mut Zones<'_>,
) -> Result<Vec<TimeValue>, ParseError> {
    Ok(recurrence_dates(property, zones)?
        .into_iter()
        .map(|value| value.start)
        .collect())
}

/// Reads every comma-separated DATE, DATE-TIME or PERIOD of a property, honouring VALUE and
/// TZID; a PERIOD keeps its end or duration.
fn recurrence_dates(
    property: &ContentLine<'_>,
    zones: &mut Zones<'_>,
) -> Result<Vec<RecurrenceDate>, ParseError> {
    let value_type = property.param("VALUE").map(str::to_ascii_uppercase);
    let zone = match property.param("TZID") {
        Some(tzid) => Some(zones.resolve(tzid, property.line)?),
        None => None,
    };
    let time_value = |text: &str| -> Result<TimeValue, ParseError> {
        let is_date = match value_type.as_deref() {
            Some("DATE") => true,
            Some(_) => false,
            None => text.len() == 8,
        };
        if is_date {
            return parse_date(text)
                .map(TimeValue::Date)
                .map_err(|e| bad_value(property, e));
        }
        let (local, utc) = parse_date_time(text).map_err(|e| bad_value(property, e))?;
        let zone = match (utc, zone) {
            (true, _) => Zone::Utc,
            (false, Some(tz)) => Zone::Tz(tz),
            (false, None) => Zone::Floating,
        };
        Ok(TimeValue::DateTime(DateTimeValue { local, zone }))
    };
    property
        .value
        .split(',')
        .map(|text| {
            let text = text.trim();
            let is_period = value_type.as_deref() == Some("PERIOD");
            let (start, end) = match text.split_once('/') {
                Some((start, end)) if is_period => (start, Some(end)),
                _ => (text, None),
            };
            let period_end = match end {
                Some(end) if end.starts_with(['P', 'p', '+', '-']) => Some(PeriodEnd::After(
                    Duration::parse(end).map_err(|e| bad_value(property, e))?,
                )),
                Some(end) => Some(PeriodEnd::At(time_value(end)?)),
                None => None,
            };
            Ok(RecurrenceDate {
                start: time_value(start)?,
                period_end,
            })
        })
        .collect()
}

fn single_time(property: &ContentLine<'_>, zones: &mut Zones<'_>) -> Result<TimeValue, ParseError> {
    let mut values = time_values(property, zones)?;
    match values.len() {
        1 => Ok(values.remove(0)),
        _ => Err(bad_value(
            property,
            ValueError::DateTimeFormat(property.value.to_string()),
        )),
    }
}

/// Sets a property that may appear once, or reports the second occurrence.
fn once<T>(slot: &mut Option<T>, value: T, property: &ContentLine<'_>) -> Result<(), ParseError> {
    if slot.is_some() {
        return Err(ParseError::new(
            property.line,
            ErrorKind::DuplicateProperty(property.name.to_string()),
        ));
    }
    *slot = Some(value);
    Ok(())
}

fn read_event(component: &Component<'_>, zones: &mut Zones<'_>) -> Result<Event, ParseError> {
    let mut uid = None;
    let mut dtstart = None;
    let mut dtend = None;
    let mut duration = None;
    let mut status = None;
    let mut transparency = Transparency::Opaque;
    let mut rrule = None;
    let mut rdate = Vec::new();
    let mut exdate = Vec::new();
    let mut recurrence_id = None;
    let mut organizer = None;
    let mut attendees = Vec::new();
    let mut location = None;
    for property in &component.properties {
        match property.name.as_ref() {
            "UID" => once(&mut uid, unescape_text(&property.value), property)?,
            "DTSTART" => once(&mut dtstart, single_time(property, zones)?, property)?,
            "DTEND" => once(&mut dtend, single_time(property, zones)?, property)?,
            "DURATION" => {
                let value =
                    Duration::parse(property.value.trim()).map_err(|e| bad_value(property, e))?;
                once(&mut duration, value, property)?;
            }
            "RECURRENCE-ID" => {
                once(&mut recurrence_id, single_time(property, zones)?, property)?;
            }
            "RRULE" => once(
                &mut rrule,
                (property.value.to_string(), property.line),
                property,
            )?,
            "RDATE" => rdate.extend(recurrence_dates(property, zones)?),
            "EXDATE" => exdate.extend(time_values(property, zones)?),
            "STATUS" => {
                let value = property.value.trim();
                status = [
                    ("TENTATIVE", Status::Tentative),
                    ("CONFIRMED", Status::Confirmed),
                    ("CANCELLED", Status::Cancelled),
                ]
                .into_iter()
                .find(|(name, _)| name.eq_ignore_ascii_case(value))
                .map(|(_, status)| status);
            }
            "TRANSP" => {
                transparency = if property.value.trim().eq_ignore_ascii_case("TRANSPARENT") {
                    Transparency::Transparent
                } else {
                    Transparency::Opaque
                };
            }
            "ORGANIZER" => organizer = Some(property.value.trim().to_owned()),
            "ATTENDEE" => attendees.push(Attendee {
                address: property.value.trim().to_owned(),
                partstat: property
                    .param("PARTSTAT")
                    .map_or(PartStat::NeedsAction, PartStat::parse),
            }),
            "LOCATION" => location = Some(unescape_text(&property.value)),
            _ => {}
        }
    }
    let missing = |property| {
        ParseError::new(
            component.line,
            ErrorKind::MissingProperty {
                component: "VEVENT",
                property,
            },
        )
    };
    if dtend.is_some() && duration.is_some() {
        return Err(ParseError::new(component.line, ErrorKind::EndAndDuration));
    }
    Ok(Event {
        line: component.line,
        uid: uid.ok_or_else(|| missing("UID"))?,
        dtstart: dtstart.ok_or_else(|| missing("DTSTART"))?,
        dtend,
        duration,
        status,
        transparency,
        rrule,
        rdate,
        exdate,
        recurrence_id,
        organizer,
        attendees,
        location,
    })
}

fn timezone_definition(component: &Component<'_>) -> Result<TimeZoneDefinition, ParseError> {
    let tzid = component
        .property("TZID")
        // TZID is TEXT: a display name may escape its commas, which the TZID parameters
        // that use it cannot.
        .map(|p| unescape_text(p.value.trim()))
        .ok_or_else(|| {
            ParseError::new(
                component.line,
                ErrorKind::MissingProperty {
                    component: "VTIMEZONE",
                    property: "TZID",
                },
            )
        })?;
    let location = component
        .property("X-LIC-LOCATION")
        .map(|p| p.value.trim().to_owned());
    let mut observances = Vec::new();
    for child in &component.children {
        let kind = match child.name.as_str() {
            "STANDARD" => ObservanceKind::Standard,
            "DAYLIGHT" => ObservanceKind::Daylight,
            _ => continue,
        };
        let required = |property: &'static str| {
            child.property(property).ok_or_else(|| {
                ParseError::new(
                    child.line,
                    ErrorKind::MissingProperty {
                        component: if kind == ObservanceKind::Standard {
                            "STANDARD"
                        } else {
                            "DAYLIGHT"
                        },
                        property,
                    },
                )
            })
        };
        let start = required("DTSTART")?;
        let from = required("TZOFFSETFROM")?;
        let to = required("TZOFFSETTO")?;
        let mut rdates = Vec::new();
        for property in child.properties.iter().filter(|p| p.name == "RDATE") {
            for text in property.value.split(',') {
                let start = text.split('/').next().unwrap_or_default().trim();
                let wall = if start.len() == 8 {
                    parse_date(start).map(|day| day.and_time(NaiveTime::MIN))
                } else {
                    parse_date_time(start).map(|(wall, _)| wall)
                };
                rdates.push(wall.map_err(|e| bad_value(property, e))?);
            }
        }
        observances.push(Observance {
            line: child.line,
            kind,
            dtstart: parse_date_time(start.value.trim())
                .map_err(|e| bad_value(start, e))?
                .0,
            offset_from: parse_utc_offset(from.value.trim()).map_err(|e| bad_value(from, e))?,
            offset_to: parse_utc_offset(to.value.trim()).map_err(|e| bad_value(to, e))?,
            rrule: child.property("RRULE").map(|p| p.value.to_string()),
            rdates,
        });
    }
    Ok(TimeZoneDefinition {
        line: component.line,
        tzid,
        location,
        observances,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn calendar(body: &str) -> Result<Calendar, ParseError> {
        parse_calendar(format!("BEGIN:VCALENDAR\nVERSION:2.0\n{body}END:VCALENDAR\n").as_bytes())
    }

    fn event(lines: &str) -> Event {
        let mut calendar = calendar(&format!("BEGIN:VEVENT\n{lines}END:VEVENT\n")).unwrap();
        calendar.events.remove(0)
    }

    fn wall(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, mo, d)
            .unwrap()
            .and_hms_opt(h, mi, 0)
            .unwrap()
    }

    #[test]
    fn reads_every_event_field() {
        let e = event(
            "UID:a\\,b\nDTSTART;TZID=Europe/Berlin:20250106T100000\nDTEND;TZID=Europe/Berlin:20250106T110000\n\
             STATUS:CONFIRMED\nTRANSP:OPAQUE\nRRULE:FREQ=WEEKLY;BYDAY=MO\n\
             RDATE;TZID=Europe/Berlin:20250301T100000,20250302T100000\n\
             EXDATE:20250113T090000Z\nEXDATE;VALUE=DATE:20250120\n\
             ORGANIZER;CN=Ada:mailto:ada@example.com\n\
             ATTENDEE;PARTSTAT=DECLINED:mailto:bob@example.com\nATTENDEE:mailto:cy@example.com\n\
             LOCATION:Room 1\\; floor 2\nSUMMARY:not kept\n",
        );
        let berlin = |local| {
            TimeValue::DateTime(DateTimeValue {
                local,
                zone: Zone::Tz(Tz::Europe__Berlin),
            })
        };
        assert_eq!(e.uid, "a,b");
        assert_eq!(e.dtstart, berlin(wall(2025, 1, 6, 10, 0)));
        assert_eq!(e.dtend, Some(berlin(wall(2025, 1, 6, 11, 0))));
        assert_eq!(e.status, Some(Status::Confirmed));
        assert_eq!(e.transparency, Transparency::Opaque);
        assert_eq!(e.rrule, Some(("FREQ=WEEKLY;BYDAY=MO".to_owned(), 9)));
        assert_eq!(
            e.rdate.iter().map(|r| r.start).collect::<Vec<_>>(),
            vec![
                berlin(wall(2025, 3, 1, 10, 0)),
                berlin(wall(2025, 3, 2, 10, 0))
            ]
        );
        assert!(e.rdate.iter().all(|r| r.period_end.is_none()));
        assert_eq!(
            e.exdate,
            vec![
                TimeValue::DateTime(DateTimeValue {
                    local: wall(2025, 1, 13, 9, 0),
                    zone: Zone::Utc
                }),
                TimeValue::Date(NaiveDate::from_ymd_opt(2025, 1, 20).unwrap()),
            ]
        );
        assert_eq!(e.organizer.as_deref(), Some("mailto:ada@example.com"));
        assert_eq!(e.attendees[0].partstat, PartStat::Declined);
        assert_eq!(e.attendees[1].partstat, PartStat::NeedsAction);
        assert_eq!(e.location.as_deref(), Some("Room 1; floor 2"));
        assert!(!e.is_all_day());
        assert_eq!(e.line, 3);
    }

    #[test]
    fn reads_all_day_duration_floating_and_overrides() {
        let all_day = event("UID:1\nDTSTART;VALUE=DATE:20250704\nTRANSP:TRANSPARENT\n");
        assert!(all_day.is_all_day());
        assert_eq!(all_day.transparency, Transparency::Transparent);
        let floating = event("UID:2\nDTSTART:20250704T090000\nDURATION:PT45M\nSTATUS:bogus\n");
        assert_eq!(
            floating.dtstart,
            TimeValue::DateTime(DateTimeValue {
                local: wall(2025, 7, 4, 9, 0),
                zone: Zone::Floating
            })
        );
        assert_eq!(
            floating.duration,
            Some(Duration {
                days: 0,
                seconds: 2700
            })
        );
        assert_eq!(floating.status, None);
        let moved = event(
            "UID:3\nRECURRENCE-ID;TZID=Pacific Standard Time:20250106T100000\n\
             DTSTART;TZID=Pacific Standard Time:20250106T120000\nSTATUS:CANCELLED\n",
        );
        assert_eq!(
            moved.recurrence_id,
            Some(TimeValue::DateTime(DateTimeValue {
                local: wall(2025, 1, 6, 10, 0),
                zone: Zone::Tz(Tz::America__Los_Angeles)
            }))
        );
        assert_eq!(moved.status, Some(Status::Cancelled));
    }

    #[test]
    fn keeps_the_end_of_rdate_periods() {
        let e = event(
            "UID:p\nDTSTART:20250106T100000Z\n\
             RDATE;VALUE=PERIOD:20250301T100000Z/20250301T113000Z,20250302T100000Z/PT2H\n",
        );
        let utc = |local| {
            TimeValue::DateTime(DateTimeValue {
                local,
                zone: Zone::Utc,
            })
        };
        assert_eq!(
            e.rdate,
            vec![
                RecurrenceDate {
                    start: utc(wall(2025, 3, 1, 10, 0)),
                    period_end: Some(PeriodEnd::At(utc(wall(2025, 3, 1, 11, 30)))),
                },
                RecurrenceDate {
                    start: utc(wall(2025, 3, 2, 10, 0)),
                    period_end: Some(PeriodEnd::After(Duration {
                        days: 0,
                        seconds: 7200
                    })),
                },
            ]
        );
    }

    #[test]
    fn reads_floating_times_in_the_calendar_zone() {
        let calendar = calendar(
            "X-WR-TIMEZONE:America/New_York\nX-WR-CALNAME:ada@example.com\n\
             BEGIN:VEVENT\nUID:1\nDTSTART:20250115T090000\nEND:VEVENT\n",
        )
        .unwrap();
        assert_eq!(calendar.floating_zone, Some(Tz::America__New_York));
        assert_eq!(calendar.name.as_deref(), Some("ada@example.com"));
        let TimeValue::DateTime(start) = calendar.events[0].dtstart else {
            panic!("expected a DATE-TIME");
        };
        let zone = calendar.floating_zone.unwrap_or(Tz::UTC);
        assert_eq!(start.to_utc(zone), wall(2025, 1, 15, 14, 0).and_utc());
    }

    #[test]
    fn resolves_custom_tzids_through_x_lic_location() {
        let calendar = calendar(
            "BEGIN:VTIMEZONE\nTZID:Office time\nX-LIC-LOCATION:Asia/Tokyo\nBEGIN:STANDARD\n\
             DTSTART:19700101T000000\nTZOFFSETFROM:+0900\nTZOFFSETTO:+0900\nEND:STANDARD\nEND:VTIMEZONE\n\
             BEGIN:VEVENT\nUID:1\nDTSTART;TZID=Office time:20250115T090000\nEND:VEVENT\n",
        )
        .unwrap();
        assert_eq!(
            calendar.timezones[0].observances[0]
                .offset_to
                .local_minus_utc(),
            9 * 3600
        );
        let TimeValue::DateTime(start) = calendar.events[0].dtstart else {
            panic!("expected a DATE-TIME");
        };
        assert_eq!(start.zone, Zone::Tz(Tz::Asia__Tokyo));
    }

    #[test]
    fn names_the_line_of_each_bad_event() {
        let cases = [
            (
                "BEGIN:VEVENT\nUID:1\nDTSTART;TZID=Mars Standard Time:20250101T090000\nEND:VEVENT\n",
                5,
                ErrorKind::UnknownTimeZone("Mars Standard Time".into()),
            ),
            (
                "BEGIN:VEVENT\nUID:1\nDTSTART;VALUE=DATE:20250230\nEND:VEVENT\n",
                5,
                ErrorKind::BadValue {
                    property: "DTSTART".into(),
                    error: ValueError::ImpossibleDate("2025-02-30".into()),
                },
            ),
            (
                "BEGIN:VEVENT\nUID:1\nDTSTART:20250101T090000Z\nDURATION:1 hour\nEND:VEVENT\n",
                6,
                ErrorKind::BadValue {
                    property: "DURATION".into(),
                    error: ValueError::DurationFormat("1 hour".into()),
                },
            ),
            (
                "BEGIN:VEVENT\nUID:1\nEND:VEVENT\n",
                3,
                ErrorKind::MissingProperty {
                    component: "VEVENT",
                    property: "DTSTART",
                },
            ),
            (
                "BEGIN:VEVENT\nUID:1\nDTSTART:20250101T090000Z\nDTSTART:20250102T090000Z\nEND:VEVENT\n",
                6,
                ErrorKind::DuplicateProperty("DTSTART".into()),
            ),
            (
                "BEGIN:VEVENT\nUID:1\nDTSTART:20250101T090000Z\nDTEND:20250101T100000Z\nDURATION:PT1H\nEND:VEVENT\n",
                3,
                ErrorKind::EndAndDuration,
            ),
            (
                "X-WR-TIMEZONE:Atlantis\n",
                3,
                ErrorKind::UnknownTimeZone("Atlantis".into()),
            ),
        ];
        for (body, line, kind) in cases {
            assert_eq!(calendar(body), Err(ParseError { line, kind }), "{body}");
        }
        assert_eq!(
            parse_calendar(b"BEGIN:VEVENT\nUID:1\nEND:VEVENT\n"),
            Err(ParseError {
                line: 1,
                kind: ErrorKind::NotACalendar("VEVENT".into())
            })
        );
        assert_eq!(
            parse_calendar(b""),
            Err(ParseError {
                line: 1,
                kind: ErrorKind::NoCalendar
            })
        );
        let message =
            calendar("BEGIN:VEVENT\nUID:1\nDTSTART;TZID=Nowhere:20250101T090000\nEND:VEVENT\n")
                .unwrap_err()
                .to_string();
        assert_eq!(
            message,
            "line 5: unknown time zone \"Nowhere\": not an IANA name, not a Windows name, and no VTIMEZONE names one"
        );
    }
}
