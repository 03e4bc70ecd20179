//! The one rule every free text of the ledger keeps, whatever else its own type asks: no NUL
//! character. Names, a leaving's reason, a check-in's note and the org a stint was lived in
//! are written by people through pages, the API, the command line and imports; PostgreSQL
//! cannot store a NUL in text and SQLite can, so a text holding one would be kept by one
//! backend and refused by the other. It is refused here, when the text is parsed, for both.

/// A text holding a NUL character.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("contains a NUL character (\\0) at byte {at}; no text may hold one, so remove it")]
pub struct NulError {
    /// Where the first NUL is, in bytes from the start of the text.
    pub at: usize,
}

/// `text`, unless it holds a NUL character.
pub fn without_nul(text: &str) -> Result<&str, NulError> {
    match text.bytes().position(|b| b == 0) {
        Some(at) => Err(NulError { at }),
        None => Ok(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nul_anywhere_is_refused_with_where_it_is() {
        for (text, refused) in [
            ("Ada Okafor", None),
            ("", None),
            ("é and ✓ are text", None),
            ("\0", Some(0)),
            ("Ada\0Okafor", Some(3)),
            ("é\0", Some(2)),
        ] {
            assert_eq!(
                without_nul(text).map_err(|e| e.at).err(),
                refused,
                "{text:?}"
            );
        }
        assert_eq!(
            without_nul("a\0").unwrap_err().to_string(),
            "contains a NUL character (\\0) at byte 1; no text may hold one, so remove it"
        );
    }
}
