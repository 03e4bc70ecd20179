//! iCalendar (RFC 5545) reading for pendulum: bytes in, typed events and time zones out, then
//! the occurrences of those events in a window and the weekly interruption metrics.
//!
//! The crate is pure: it does no I/O and never reads the clock, so the ingest and the tests
//! hand it bytes and it hands back values or a [`ParseError`] that names the line.
//!
//! # Why a content-line reader of our own
//!
//! RFC 5545's lexical layer is small (unfolding, a name, parameters, a value), and owning it
//! buys what the calendar evidence needs and a young third-party parser does not promise:
//! the physical line number on every error, unfolding on bytes so that a fold inside a UTF-8
//! character is joined before decoding, hard limits on hostile input, no panics, and one
//! pass over the bytes, which the calendar ingest's throughput target depends on (about 275 MB/s
//! on one core for the reference corpus). `ical` 0.6 was the alternative: it is young enough
//! to need pinning and hard testing anyway, its errors do not carry our line numbers, and
//! wrapping it would still leave time zones and DST to us. Time zones come from `chrono-tz`
//! (IANA names) and an embedded CLDR table (Windows names), resolved once per TZID while
//! the calendar is read; a TZID that no name resolves is matched, through its VTIMEZONE
//! definition, to the IANA zone with the same offsets.
//!
//! # Layers
//!
//! - [`lines`]: unfolding and content lines (name, parameters, raw value).
//! - [`component`]: BEGIN/END nesting into a tree of components.
//! - [`value`]: DATE, DATE-TIME, DURATION, UTC-OFFSET and TEXT values.
//! - [`zone`]: TZID resolution and local wall time to instant, with DST gaps and overlaps.
//! - [`definition`]: a VTIMEZONE's observances to offsets, and to the IANA zone that agrees.
//! - [`event`]: [`Calendar`] and [`Event`], the typed view that the ingest uses.
//! - [`rrule`]: RRULE text to a rule, and a rule to wall times, period by period.
//! - [`mod@expand`]: a calendar and a [`Window`] to [`Occurrence`]s: RRULE, RDATE, EXDATE and
//!   RECURRENCE-ID overrides, in each event's zone, then as instants.
//! - [`owner`]: whose calendar a file is (the addresses that may be its owner's), its home
//!   zone, and the days its events start on.
//! - [`metrics`]: one person's occurrences to meeting, focus, fragmented and after-hours
//!   hours per ISO week, against their working hours.
//!
//! `docs/CALENDAR.md` states the semantics (what counts as an occurrence, DTSTART, floating
//! times, what a meeting is) and the benchmark against the Python reference.
//!
//! # Limits on hostile input
//!
//! Work is linear in the input and bounded by these limits, each reported as an error with
//! the line where it was crossed: [`limits::MAX_LINE_BYTES`] for one unfolded content line,
//! [`limits::MAX_PARAMETERS`] per content line, [`limits::MAX_DEPTH`] nested components and
//! [`limits::MAX_COMPONENTS`] components per file. Expansion is bounded by
//! [`limits::MAX_RULE_STEPS`] per rule, [`limits::MAX_EXPANSION_STEPS`] per calendar and
//! [`limits::MAX_OCCURRENCES`] per window, each an error naming the RRULE's line. Matching a
//! VTIMEZONE definition to a zone is bounded by [`definition::MAX_RULE_STEPS`] and
//! [`definition::MAX_ONSETS`], an error naming the line that uses the zone.

pub mod component;
pub mod definition;
pub mod error;
pub mod event;
pub mod expand;
pub mod lines;
pub mod metrics;
pub mod owner;
pub mod rrule;
pub mod value;
pub mod zone;

pub use error::{ErrorKind, ParseError};
pub use event::{
    Attendee, Calendar, Event, Observance, ObservanceKind, PartStat, PeriodEnd, RecurrenceDate,
    Status, TimeZoneDefinition, Transparency, parse_calendar,
};
pub use expand::{Occurrence, Window, expand};
pub use metrics::{WeekMetrics, WorkingHours, weekly_metrics};
pub use value::{DateTimeValue, Duration, TimeValue, Zone};

/// The bounds that keep work and memory proportional to honest input.
pub mod limits {
    /// The longest unfolded content line, in bytes. Real exports stay far below it (a long
    /// meeting description is a few kilobytes); a megabyte of one line is an attack or a
    /// broken file.
    pub const MAX_LINE_BYTES: usize = 1 << 20;
    /// The most parameters on one content line.
    pub const MAX_PARAMETERS: usize = 64;
    /// The deepest nesting of components (VCALENDAR > VEVENT > VALARM is three).
    pub const MAX_DEPTH: usize = 8;
    /// The most components in one file; a year of a busy calendar is a few thousand.
    pub const MAX_COMPONENTS: usize = 1_000_000;
    /// The most steps (periods, days and candidate times) one recurrence rule may take in one
    /// expansion. A year of a DAILY rule takes about 1,100; a year of a MINUTELY rule about
    /// 1,050,000 (and yields 525,600 occurrences); a SECONDLY rule over a year would take 63
    /// million.
    pub const MAX_RULE_STEPS: u64 = 2_000_000;
    /// The most steps all the rules of one calendar may take in one expansion.
    pub const MAX_EXPANSION_STEPS: u64 = 20_000_000;
    /// The most occurrences one calendar may have in one window; a busy year is a few
    /// thousand.
    pub const MAX_OCCURRENCES: usize = 1_000_000;
}
