//! Identifiers and email addresses: the keys that tie imports, evidence and people together.
//!
//! Ids are chosen by the org (an HR system's employee number, a team's slug), so they are
//! opaque text with a small, safe alphabet: they appear in URLs, file names and CSV cells.

use std::fmt;

/// Why a piece of text is not a valid id or email.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error("must not be empty")]
    Empty,
    #[error("is {0} characters long; at most 64 are allowed")]
    TooLong(usize),
    #[error("contains {0:?}; use letters, digits, '.', '_' and '-' only")]
    BadChar(char),
    #[error("{0:?} is not an email address (expected name@domain)")]
    NotEmail(String),
    #[error("is {0} characters long; an email address has at most {max}", max = Email::MAX_CHARS)]
    EmailTooLong(usize),
}

fn parse_id(raw: &str) -> Result<String, IdError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(IdError::Empty);
    }
    let len = raw.chars().count();
    if len > 64 {
        return Err(IdError::TooLong(len));
    }
    if let Some(bad) = raw
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
    {
        return Err(IdError::BadChar(bad));
    }
    Ok(raw.to_owned())
}

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(String);

        impl $name {
            /// Parses an id: 1-64 characters of letters, digits, `.`, `_` and `-`.
            pub fn parse(raw: &str) -> Result<Self, IdError> {
                parse_id(raw).map(Self)
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

id_type!(
    /// A person's id, as the org's HR system knows them.
    PersonId
);
id_type!(
    /// A team's id.
    TeamId
);

/// An email address, lower-cased so that matching evidence to people ignores case.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Email(String);

impl Email {
    /// The longest address there can be: a path of at most 256 octets, less its angle
    /// brackets (RFC 5321, section 4.5.3.1.3, with RFC 3696's erratum).
    pub const MAX_CHARS: usize = 254;

    /// Accepts `local@domain` with no white space, at most [`Email::MAX_CHARS`] characters;
    /// the whole address is lower-cased. Deliberately loose beyond that: real corporate
    /// addresses are stranger than any regex.
    pub fn parse(raw: &str) -> Result<Self, IdError> {
        let raw = raw.trim();
        // Counted before anything else, so that neither the work nor the error message
        // grows with what a client sends.
        let len = raw.chars().take(Self::MAX_CHARS + 1).count();
        if len > Self::MAX_CHARS {
            return Err(IdError::EmailTooLong(raw.chars().count()));
        }
        let valid = match raw.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && !domain.is_empty()
                    && !domain.contains('@')
                    && !raw.chars().any(|c| c.is_whitespace() || c.is_control())
            }
            None => false,
        };
        if valid {
            Ok(Self(raw.to_lowercase()))
        } else {
            Err(IdError::NotEmail(raw.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_accept_the_safe_alphabet_only() {
        assert_eq!(PersonId::parse(" e-1.x_2 ").unwrap().as_str(), "e-1.x_2");
        assert_eq!(PersonId::parse(""), Err(IdError::Empty));
        assert_eq!(PersonId::parse("a b"), Err(IdError::BadChar(' ')));
        assert_eq!(TeamId::parse("ü"), Err(IdError::BadChar('ü')));
        assert!(matches!(
            TeamId::parse(&"x".repeat(65)),
            Err(IdError::TooLong(65))
        ));
    }

    #[test]
    fn emails_are_lower_cased_and_need_one_at_sign() {
        assert_eq!(
            Email::parse("Ada@Example.COM").unwrap().as_str(),
            "ada@example.com"
        );
        for bad in ["", "ada", "@x", "ada@", "a@b@c", "a b@c"] {
            assert!(Email::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn an_email_has_at_most_254_characters() {
        let longest = format!("{}@x.io", "a".repeat(Email::MAX_CHARS - 5));
        assert_eq!(Email::parse(&longest).unwrap().as_str().len(), 254);
        let over = format!("a{longest}");
        let err = Email::parse(&over).unwrap_err();
        assert_eq!(err, IdError::EmailTooLong(255));
        assert_eq!(
            err.to_string(),
            "is 255 characters long; an email address has at most 254"
        );
        let huge = format!("{}@x.io", "a".repeat(1 << 20));
        assert!(
            Email::parse(&huge).unwrap_err().to_string().len() < 100,
            "the message does not repeat what was sent"
        );
    }
}
