//! A check-in's private note, bounded in size.
//!
//! A note is the one free text a member writes into the ledger, through the page, the API,
//! the command line or an import. Without a bound, one account could fill the database and
//! every ledger read with megabytes of text; the bound lives here so that every path refuses
//! the same notes with the same message. Like every text of the ledger, a note holds no NUL
//! character (`text`).

use std::fmt;

use crate::text::{NulError, without_nul};

/// The most a note may hold, in bytes of UTF-8 (4 KB).
pub const MAX_NOTE_BYTES: usize = 4096;

/// The text of a check-in note: never empty or blank, at most [`MAX_NOTE_BYTES`] bytes, no
/// NUL character.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note(String);

/// Why a text is not a note.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NoteError {
    /// Longer than [`MAX_NOTE_BYTES`]; `bytes` is the refused text's length.
    #[error("{bytes} bytes is more than a note may hold ({MAX_NOTE_BYTES} bytes, 4 KB)")]
    TooLong { bytes: usize },
    #[error(transparent)]
    Nul(#[from] NulError),
}

impl Note {
    /// The note of `raw`: `None` when it is blank (a form's empty field), an error when it is
    /// too long or holds a NUL character. The text is kept as written.
    pub fn parse(raw: impl Into<String>) -> Result<Option<Note>, NoteError> {
        let raw = raw.into();
        if raw.len() > MAX_NOTE_BYTES {
            return Err(NoteError::TooLong { bytes: raw.len() });
        }
        without_nul(&raw)?;
        Ok((!raw.trim().is_empty()).then_some(Note(raw)))
    }

    /// [`Note::parse`] of a field that may be absent.
    pub fn parse_optional(raw: Option<String>) -> Result<Option<Note>, NoteError> {
        raw.map_or(Ok(None), Note::parse)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A note reads as the text it holds.
impl std::ops::Deref for Note {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_note_holds_at_most_4096_bytes_of_utf8() {
        let fits = "é".repeat(MAX_NOTE_BYTES / 2);
        assert_eq!(Note::parse(fits.clone()).unwrap().unwrap().as_str(), fits);
        let over = format!("{fits}x");
        assert_eq!(
            Note::parse(over).unwrap_err().to_string(),
            "4097 bytes is more than a note may hold (4096 bytes, 4 KB)"
        );
    }

    #[test]
    fn a_note_holds_no_nul_character() {
        assert_eq!(
            Note::parse("fine\0then not").unwrap_err(),
            NoteError::Nul(NulError { at: 4 })
        );
        assert_eq!(
            Note::parse("\0").unwrap_err().to_string(),
            "contains a NUL character (\\0) at byte 0; no text may hold one, so remove it"
        );
    }

    #[test]
    fn a_blank_note_is_no_note() {
        assert_eq!(Note::parse("  \n").unwrap(), None);
        assert_eq!(Note::parse_optional(None).unwrap(), None);
    }
}
