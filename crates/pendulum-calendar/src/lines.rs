//! Content lines (RFC 5545 section 3.1): unfolding, then a name, parameters and a raw value.
//!
//! Unfolding works on bytes, before any UTF-8 decoding, because producers fold at 75 octets
//! and some of them split a multi-byte character across the fold; joining first and decoding
//! the whole logical line afterwards reads those files correctly. A fold is a line break
//! (CRLF or a bare LF) followed by one space or tab, which is removed with the break.
//! Empty physical lines are skipped, and a UTF-8 byte order mark at the start is ignored.

use crate::error::{ErrorKind, ParseError};
use crate::limits::{MAX_LINE_BYTES, MAX_PARAMETERS};

/// One unfolded content line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentLine {
    /// The 1-based physical line where this content line starts.
    pub line: usize,
    /// The property name, in upper case (names are case-insensitive).
    pub name: String,
    /// The parameters in the order they appear.
    pub params: Vec<Param>,
    /// The value exactly as written, escapes included.
    pub value: String,
}

impl ContentLine {
    /// The first value of the parameter `name` (given in upper case), if present.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|p| p.name == name)
            .and_then(|p| p.values.first())
            .map(String::as_str)
    }
}

/// One parameter: a name in upper case and one or more values, quotes removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Param {
    pub name: String,
    pub values: Vec<String>,
}

/// Reads the content lines of `input` one by one.
pub fn content_lines(input: &[u8]) -> ContentLines<'_> {
    let input = input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input);
    ContentLines {
        input,
        pos: 0,
        line: 0,
        buffer: Vec::new(),
    }
}

/// The iterator behind [`content_lines`]; it stops after the first error.
#[derive(Debug)]
pub struct ContentLines<'a> {
    input: &'a [u8],
    pos: usize,
    line: usize,
    buffer: Vec<u8>,
}

impl ContentLines<'_> {
    /// Takes one physical line starting at `self.pos`; returns its range without the break.
    fn physical_line(&mut self) -> (usize, usize) {
        let start = self.pos;
        let rest = &self.input[start..];
        let (mut end, next) = match rest.iter().position(|&b| b == b'\n') {
            Some(i) => (start + i, start + i + 1),
            None => (self.input.len(), self.input.len()),
        };
        if end > start && self.input[end - 1] == b'\r' {
            end -= 1;
        }
        self.pos = next;
        self.line += 1;
        (start, end)
    }

    fn next_line(&mut self) -> Option<Result<ContentLine, ParseError>> {
        let input = self.input;
        let (start, end) = loop {
            if self.pos >= input.len() {
                return None;
            }
            let (start, end) = self.physical_line();
            if start < end {
                break (start, end);
            }
        };
        let start_line = self.line;
        let too_long = ParseError::new(
            start_line,
            ErrorKind::LineTooLong {
                limit: MAX_LINE_BYTES,
            },
        );
        let mut buffer = std::mem::take(&mut self.buffer);
        buffer.clear();
        buffer.extend_from_slice(&input[start..end]);
        while matches!(input.get(self.pos), Some(b' ' | b'\t')) {
            self.pos += 1;
            let (start, end) = self.physical_line();
            if buffer.len() + (end - start) > MAX_LINE_BYTES {
                self.pos = input.len();
                return Some(Err(too_long));
            }
            buffer.extend_from_slice(&input[start..end]);
        }
        let result = if buffer.len() > MAX_LINE_BYTES {
            Err(too_long)
        } else {
            match std::str::from_utf8(&buffer) {
                Ok(text) => parse_content_line(text, start_line),
                Err(_) => Err(ParseError::new(start_line, ErrorKind::InvalidUtf8)),
            }
        };
        self.buffer = buffer;
        if result.is_err() {
            self.pos = input.len();
        }
        Some(result)
    }
}

impl Iterator for ContentLines<'_> {
    type Item = Result<ContentLine, ParseError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_line()
    }
}

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-'
}

/// Parses one unfolded content line: `name *(";" param) ":" value`.
pub fn parse_content_line(text: &str, line: usize) -> Result<ContentLine, ParseError> {
    let fail = |kind| Err(ParseError::new(line, kind));
    let bytes = text.as_bytes();
    let mut i = bytes
        .iter()
        .position(|&b| !is_name_byte(b))
        .unwrap_or(bytes.len());
    if i == 0 {
        return match text.chars().next() {
            Some(':' | ';') => fail(ErrorKind::EmptyName),
            Some(c) => fail(ErrorKind::BadNameCharacter(c)),
            None => fail(ErrorKind::MissingColon),
        };
    }
    let name = text[..i].to_ascii_uppercase();
    let mut params = Vec::new();
    loop {
        match bytes.get(i) {
            Some(b':') => break,
            Some(b';') => {
                if params.len() == MAX_PARAMETERS {
                    return fail(ErrorKind::TooManyParameters {
                        limit: MAX_PARAMETERS,
                    });
                }
                let (param, next) = parse_param(text, i + 1, line)?;
                params.push(param);
                i = next;
            }
            Some(_) => {
                let c = text[i..].chars().next().unwrap_or(' ');
                return fail(ErrorKind::BadNameCharacter(c));
            }
            None => return fail(ErrorKind::MissingColon),
        }
    }
    Ok(ContentLine {
        line,
        name,
        params,
        value: text[i + 1..].to_owned(),
    })
}

/// Parses one parameter starting at `start` (after its ';'); returns it and the position of
/// the ';' or ':' that follows it.
fn parse_param(text: &str, start: usize, line: usize) -> Result<(Param, usize), ParseError> {
    let bytes = text.as_bytes();
    let name_end = start
        + bytes[start..]
            .iter()
            .position(|&b| !is_name_byte(b))
            .unwrap_or(bytes.len() - start);
    let name = text[start..name_end].to_ascii_uppercase();
    if name.is_empty() {
        let kind = match text[start..].chars().next() {
            Some(c) if c != ':' && c != ';' => ErrorKind::BadNameCharacter(c),
            _ => ErrorKind::ParameterWithoutValue(String::new()),
        };
        return Err(ParseError::new(line, kind));
    }
    if bytes.get(name_end) != Some(&b'=') {
        return Err(ParseError::new(
            line,
            ErrorKind::ParameterWithoutValue(name),
        ));
    }
    let mut values = Vec::new();
    let mut i = name_end + 1;
    loop {
        if bytes.get(i) == Some(&b'"') {
            let Some(close) = bytes[i + 1..].iter().position(|&b| b == b'"') else {
                return Err(ParseError::new(line, ErrorKind::UnterminatedQuote(name)));
            };
            values.push(text[i + 1..i + 1 + close].to_owned());
            i += close + 2;
        } else {
            let end = i + bytes[i..]
                .iter()
                .position(|&b| matches!(b, b',' | b';' | b':' | b'"'))
                .unwrap_or(bytes.len() - i);
            values.push(text[i..end].to_owned());
            i = end;
        }
        match bytes.get(i) {
            Some(b',') => i += 1,
            Some(b';' | b':') => return Ok((Param { name, values }, i)),
            Some(_) => {
                let c = text[i..].chars().next().unwrap_or('"');
                return Err(ParseError::new(line, ErrorKind::BadNameCharacter(c)));
            }
            None => return Err(ParseError::new(line, ErrorKind::MissingColon)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(input: &str) -> Vec<ContentLine> {
        content_lines(input.as_bytes())
            .collect::<Result<_, _>>()
            .expect("input parses")
    }

    fn error(input: &[u8]) -> ParseError {
        content_lines(input)
            .find_map(Result::err)
            .expect("input fails")
    }

    #[test]
    fn unfolds_crlf_and_lf_folds_with_space_or_tab() {
        let got = lines("SUMMARY:Hello\r\n  wor\r\n\tld\nLOCATION:x\n y\r\n");
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].value, "Hello world");
        assert_eq!(got[0].line, 1);
        assert_eq!(got[1].value, "xy");
        assert_eq!(got[1].line, 4);
    }

    #[test]
    fn unfolds_a_fold_inside_a_multibyte_character() {
        // "é" is C3 A9; the producer folded between its two bytes.
        let input = b"SUMMARY:Caf\xC3\r\n \xA9 au lait\r\nUID:1\r\n";
        let got: Vec<_> = content_lines(input).collect::<Result<_, _>>().unwrap();
        assert_eq!(got[0].value, "Café au lait");
        assert_eq!(got[1].line, 3);
    }

    #[test]
    fn reads_names_parameters_quotes_and_multiple_values() {
        let got = lines(
            "attendee;CN=\"Doe, Jane: PM\";DELEGATED-TO=\"mailto:a@x\",\"mailto:b@x\";partstat=ACCEPTED:mailto:j@x\n",
        );
        let line = &got[0];
        assert_eq!(line.name, "ATTENDEE");
        assert_eq!(line.param("CN"), Some("Doe, Jane: PM"));
        assert_eq!(
            line.params[1].values,
            vec!["mailto:a@x".to_owned(), "mailto:b@x".to_owned()]
        );
        assert_eq!(line.param("PARTSTAT"), Some("ACCEPTED"));
        assert_eq!(line.value, "mailto:j@x");
    }

    #[test]
    fn keeps_colons_and_semicolons_in_the_value() {
        let got = lines("DESCRIPTION:a:b;c\\,d\n");
        assert_eq!(got[0].value, "a:b;c\\,d");
    }

    #[test]
    fn skips_a_byte_order_mark_and_blank_lines() {
        let got = lines("\u{feff}BEGIN:VCALENDAR\r\n\r\nEND:VCALENDAR\r\n\r\n");
        assert_eq!(got.len(), 2);
        assert_eq!(got[1].line, 3);
    }

    #[test]
    fn names_the_line_of_each_malformed_line() {
        let cases: [(&[u8], usize, ErrorKind); 6] = [
            (
                b"UID:1\nno colon here\n",
                2,
                ErrorKind::BadNameCharacter(' '),
            ),
            (b"UID:1\n\nSUMMARY\n", 3, ErrorKind::MissingColon),
            (b":value\n", 1, ErrorKind::EmptyName),
            (
                b"DTSTART;TZID:1\n",
                1,
                ErrorKind::ParameterWithoutValue("TZID".into()),
            ),
            (
                b"ATTENDEE;CN=\"open:mailto:a\n",
                1,
                ErrorKind::UnterminatedQuote("CN".into()),
            ),
            (b"UID:1\nSUMMARY:\xFF\xFE\n", 2, ErrorKind::InvalidUtf8),
        ];
        for (input, line, kind) in cases {
            assert_eq!(error(input), ParseError { line, kind }, "{input:?}");
        }
    }

    #[test]
    fn bounds_line_length_and_parameter_count() {
        let mut long = b"DESCRIPTION:".to_vec();
        for _ in 0..(MAX_LINE_BYTES / 70 + 2) {
            long.extend_from_slice(&[b'a'; 70]);
            long.extend_from_slice(b"\r\n ");
        }
        long.extend_from_slice(b"end\r\n");
        assert_eq!(
            error(&long).kind,
            ErrorKind::LineTooLong {
                limit: MAX_LINE_BYTES
            }
        );
        let many = format!("X{}:v\n", ";A=1".repeat(MAX_PARAMETERS + 1));
        assert_eq!(
            error(many.as_bytes()).kind,
            ErrorKind::TooManyParameters {
                limit: MAX_PARAMETERS
            }
        );
    }

    #[test]
    fn stops_after_the_first_error() {
        let results: Vec<_> = content_lines(b"bad line\nUID:1\n").collect();
        assert_eq!(results.len(), 1);
    }
}
