//! The one error type of the crate: what went wrong, and on which line of the file.
//!
//! Every error carries the physical line number (1-based) where the offending content line
//! starts, so that the ingest can print `file.ics:42: ...` and the user can find it.

use thiserror::Error;

use crate::definition::DefinitionError;
use crate::rrule::RuleError;
use crate::value::ValueError;

/// A failure to read a calendar, located at a line of the input.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("line {line}: {kind}")]
pub struct ParseError {
    /// The 1-based physical line where the content line or component starts.
    pub line: usize,
    /// What is wrong there.
    pub kind: ErrorKind,
}

impl ParseError {
    pub(crate) fn new(line: usize, kind: ErrorKind) -> Self {
        Self { line, kind }
    }
}

/// What is wrong with the input.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ErrorKind {
    #[error("content line has no ':' between the name and the value")]
    MissingColon,
    #[error("content line has no property name")]
    EmptyName,
    #[error("unexpected character {0:?} in a property or parameter name")]
    BadNameCharacter(char),
    #[error("parameter {0:?} has no '=' and value")]
    ParameterWithoutValue(String),
    #[error("parameter {0:?} has a quoted value without its closing '\"'")]
    UnterminatedQuote(String),
    #[error("content line is not valid UTF-8")]
    InvalidUtf8,
    #[error("content line is longer than {limit} bytes after unfolding")]
    LineTooLong { limit: usize },
    #[error("content line has more than {limit} parameters")]
    TooManyParameters { limit: usize },
    #[error("components are nested deeper than {limit} levels")]
    TooDeep { limit: usize },
    #[error("file has more than {limit} components")]
    TooManyComponents { limit: usize },
    #[error("END:{found} does not close BEGIN:{expected} (opened on line {opened})")]
    MismatchedEnd {
        expected: String,
        found: String,
        opened: usize,
    },
    #[error("END:{0} without a matching BEGIN")]
    UnexpectedEnd(String),
    #[error("BEGIN:{0} is never closed by END:{0}")]
    Unclosed(String),
    #[error("BEGIN or END has no component name")]
    EmptyComponentName,
    #[error("property {0} is outside any component")]
    PropertyOutsideComponent(String),
    #[error("expected BEGIN:VCALENDAR at the top level, found BEGIN:{0}")]
    NotACalendar(String),
    #[error("no VCALENDAR in the input")]
    NoCalendar,
    #[error("{component} has no {property} property")]
    MissingProperty {
        component: &'static str,
        property: &'static str,
    },
    #[error("property {0} appears more than once in one component")]
    DuplicateProperty(String),
    #[error("event has both DTEND and DURATION; RFC 5545 allows one of them")]
    EndAndDuration,
    #[error(
        "unknown time zone {0:?}: not an IANA name, not a Windows name, and no VTIMEZONE names one"
    )]
    UnknownTimeZone(String),
    #[error("time zone {tzid:?}, defined by the VTIMEZONE on line {definition_line}: {error}")]
    UnusableTimeZone {
        tzid: String,
        definition_line: usize,
        error: DefinitionError,
    },
    #[error("{property}: {error}")]
    BadValue { property: String, error: ValueError },
    #[error("RRULE: {0}")]
    BadRule(RuleError),
    #[error(
        "expanding the recurrence takes more than {limit} steps; a rule this dense is not a \
         calendar (make it coarser or shorten the window)"
    )]
    ExpansionTooCostly { limit: u64 },
    #[error("the calendar has more than {limit} occurrences in the window")]
    TooManyOccurrences { limit: usize },
}
