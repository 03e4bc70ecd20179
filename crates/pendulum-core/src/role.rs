//! Roles, the side of the pendulum each belongs to, and the small enumerations of the ledger.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;

/// A role held during a stint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    Engineer,
    TechLead,
    Manager,
    /// A manager who is also the team's tech lead: unstable by nature, see `hybrid-drift`.
    Hybrid,
}

/// Which side of the pendulum a role sits on. A swing is a change of side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Side {
    HandsOn,
    Management,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Engineer, Role::TechLead, Role::Manager, Role::Hybrid];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Engineer => "engineer",
            Role::TechLead => "tech_lead",
            Role::Manager => "manager",
            Role::Hybrid => "hybrid",
        }
    }

    /// The hybrid counts on the management side: it carries reports, and its hands-on share
    /// is weighed separately by the policy.
    pub fn side(self) -> Side {
        match self {
            Role::Engineer | Role::TechLead => Side::HandsOn,
            Role::Manager | Role::Hybrid => Side::Management,
        }
    }

    pub fn manages(self) -> bool {
        self.side() == Side::Management
    }
}

/// Text that names no role, willingness or yes/no value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{value:?} is not one of {expected}")]
pub struct EnumError {
    pub value: String,
    pub expected: &'static str,
}

impl FromStr for Role {
    type Err = EnumError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s.trim())
            .ok_or_else(|| EnumError {
                value: s.to_owned(),
                expected: "engineer, tech_lead, manager, hybrid",
            })
    }
}

/// The role in words, for people: `tech lead`, where `as_str` gives `tech_lead`.
impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Role::TechLead => "tech lead",
            other => other.as_str(),
        })
    }
}

/// Whether a person wants to manage. Nobody unwilling is ever planned into management.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Willingness {
    Yes,
    No,
    Unknown,
}

impl Willingness {
    pub fn as_str(self) -> &'static str {
        match self {
            Willingness::Yes => "yes",
            Willingness::No => "no",
            Willingness::Unknown => "unknown",
        }
    }

    /// The answer in plain words, for people rather than files: "yes", "no", and for an
    /// unknown answer "not asked yet" when no day is known, "not sure yet" once the person
    /// answered on `answered_on`.
    pub fn in_words(self, answered_on: Option<NaiveDate>) -> &'static str {
        match (self, answered_on) {
            (Willingness::Yes, _) => "yes",
            (Willingness::No, _) => "no",
            (Willingness::Unknown, None) => "not asked yet",
            (Willingness::Unknown, Some(_)) => "not sure yet",
        }
    }
}

impl FromStr for Willingness {
    type Err = EnumError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "yes" => Ok(Willingness::Yes),
            "no" => Ok(Willingness::No),
            "unknown" => Ok(Willingness::Unknown),
            other => Err(EnumError {
                value: other.to_owned(),
                expected: "yes, no, unknown",
            }),
        }
    }
}

impl fmt::Display for Willingness {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Parses the `yes|no` cells of the import contract.
pub fn parse_yes_no(s: &str) -> Result<bool, EnumError> {
    match s.trim() {
        "yes" => Ok(true),
        "no" => Ok(false),
        other => Err(EnumError {
            value: other.to_owned(),
            expected: "yes, no",
        }),
    }
}

/// A pay band: an integer on one scale for both tracks, so that a swing can be seen to keep
/// (or cut) pay. Bands run from 0 to [`Band::MAX`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Band(u16);

/// Text that is not a band.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a pay band (a whole number from 0 to 999)")]
pub struct BandError(pub String);

impl Band {
    pub const MAX: u16 = 999;

    pub fn new(value: u16) -> Result<Self, BandError> {
        if value <= Self::MAX {
            Ok(Self(value))
        } else {
            Err(BandError(value.to_string()))
        }
    }

    pub fn parse(raw: &str) -> Result<Self, BandError> {
        raw.trim()
            .parse::<u16>()
            .ok()
            .and_then(|v| Self::new(v).ok())
            .ok_or_else(|| BandError(raw.to_owned()))
    }

    pub fn get(self) -> u16 {
        self.0
    }
}

impl fmt::Display for Band {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A check-in score from 1 (low) to 5 (high).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Score(u8);

/// A score outside 1-5.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a score from 1 to 5")]
pub struct ScoreError(pub String);

impl Score {
    pub fn new(value: u8) -> Result<Self, ScoreError> {
        if (1..=5).contains(&value) {
            Ok(Self(value))
        } else {
            Err(ScoreError(value.to_string()))
        }
    }

    pub fn parse(raw: &str) -> Result<Self, ScoreError> {
        raw.trim()
            .parse::<u8>()
            .ok()
            .and_then(|v| Self::new(v).ok())
            .ok_or_else(|| ScoreError(raw.to_owned()))
    }

    pub fn get(self) -> u8 {
        self.0
    }
}

impl fmt::Display for Score {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_through_text() {
        for r in Role::ALL {
            assert_eq!(r.as_str().parse::<Role>().unwrap(), r);
        }
        assert!("boss".parse::<Role>().is_err());
        assert_eq!(Role::Hybrid.side(), Side::Management);
        assert_eq!(Role::TechLead.side(), Side::HandsOn);
    }

    #[test]
    fn scores_are_one_to_five() {
        assert_eq!(Score::parse("5").unwrap().get(), 5);
        for bad in ["0", "6", "", "3.5", "-1", "x"] {
            assert!(Score::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn bands_are_whole_numbers_up_to_999() {
        assert_eq!(Band::parse(" 12 ").unwrap().get(), 12);
        for bad in ["-1", "1000", "", "3.5", "x"] {
            assert!(Band::parse(bad).is_err(), "{bad}");
        }
    }
}
