//! Content lines (RFC 5545 section 3.1): unfolding, then a name, parameters and a raw value.
//!
//! Unfolding works on bytes, before any UTF-8 decoding, because producers fold at 75 octets
//! and some of them split a multi-byte character across the fold; joining first and decoding
//! the whole logical line afterwards reads those files correctly. A fold is a line break
//! (CRLF or a bare LF) followed by one space or tab, which is removed with the break.
//! Empty physical lines are skipped, and a UTF-8 byte order mark at the start is ignored.
//!
//! Content lines borrow from the input where they can: a line without a fold whose name is
//! already in upper case costs no allocation beyond its parameter list.
//!
//! A reader that needs only some properties says so with a [`Keep`]: the other lines are
//! still unfolded, decoded and checked against the same grammar, so that they fail with the
//! same errors on the same lines, but nothing of them is allocated. Exports are mostly
//! text the evidence never reads (descriptions with meeting boilerplate, vendor `X-`
//! properties, attendees' display names), and allocating it was most of the reading time.

use std::borrow::Cow;

use crate::error::{ErrorKind, ParseError};
use crate::limits::{MAX_LINE_BYTES, MAX_PARAMETERS};

/// One unfolded content line, borrowed from the input unless it was folded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentLine<'a> {
    /// The 1-based physical line where this content line starts.
    pub line: usize,
    /// The property name, in upper case (names are case-insensitive).
    pub name: Cow<'a, str>,
    /// The parameters in the order they appear.
    pub params: Vec<Param<'a>>,
    /// The value exactly as written, escapes included.
    pub value: Cow<'a, str>,
}

impl ContentLine<'_> {
    /// The first value of the parameter `name` (given in upper case), if present.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|p| p.name == name)
            .and_then(|p| p.values.first())
            .map(|value| value.as_ref())
    }

    /// The same line, owning its text.
    pub fn into_owned(self) -> ContentLine<'static> {
        ContentLine {
            line: self.line,
            name: Cow::Owned(self.name.into_owned()),
            params: self.params.into_iter().map(Param::into_owned).collect(),
            value: Cow::Owned(self.value.into_owned()),
        }
    }
}

/// One parameter: a name in upper case and one or more values, quotes removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Param<'a> {
    pub name: Cow<'a, str>,
    pub values: Vec<Cow<'a, str>>,
}

impl Param<'_> {
    fn into_owned(self) -> Param<'static> {
        Param {
            name: Cow::Owned(self.name.into_owned()),
            values: self
                .values
                .into_iter()
                .map(|v| Cow::Owned(v.into_owned()))
                .collect(),
        }
    }
}

/// `text` in upper case, borrowed when it already is.
fn upper(text: &str) -> Cow<'_, str> {
    if text.bytes().any(|b| b.is_ascii_lowercase()) {
        Cow::Owned(text.to_ascii_uppercase())
    } else {
        Cow::Borrowed(text)
    }
}

/// The properties and parameters a reader keeps; names in upper case. BEGIN and END are
/// always kept, since they give the file its structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Keep {
    pub properties: &'static [&'static str],
    pub parameters: &'static [&'static str],
}

impl Keep {
    fn property(&self, name: &str) -> bool {
        name.eq_ignore_ascii_case("BEGIN")
            || name.eq_ignore_ascii_case("END")
            || self.properties.iter().any(|p| p.eq_ignore_ascii_case(name))
    }

    fn parameter(&self, name: &str) -> bool {
        self.parameters.iter().any(|p| p.eq_ignore_ascii_case(name))
    }
}

/// Reads every content line of `input` one by one.
pub fn content_lines(input: &[u8]) -> ContentLines<'_> {
    let input = input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input);
    ContentLines {
        input,
        pos: 0,
        line: 0,
        buffer: Vec::new(),
        keep: None,
    }
}

/// Reads the content lines of `input` that `keep` names, checking the others.
pub fn kept_content_lines<'a>(input: &'a [u8], keep: &'static Keep) -> ContentLines<'a> {
    ContentLines {
        keep: Some(keep),
        ..content_lines(input)
    }
}

/// The iterator behind [`content_lines`]; it stops after the first error.
#[derive(Debug)]
pub struct ContentLines<'a> {
    input: &'a [u8],
    pos: usize,
    line: usize,
    buffer: Vec<u8>,
    keep: Option<&'static Keep>,
}

impl<'a> ContentLines<'a> {
    /// Takes one physical line starting at `self.pos`; returns its range without the break.
    fn physical_line(&mut self) -> (usize, usize) {
        let start = self.pos;
        let rest = &self.input[start..];
        let (mut end, next) = match find_newline(rest) {
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

    /// The next content line, or `Ok(None)` for a line that is checked and not kept.
    fn next_line(&mut self) -> Option<Result<Option<ContentLine<'a>>, ParseError>> {
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
        if !matches!(input.get(self.pos), Some(b' ' | b'\t')) {
            // Not folded: parse in place, borrowing from the input.
            let result = if end - start > MAX_LINE_BYTES {
                Err(too_long)
            } else {
                match std::str::from_utf8(&input[start..end]) {
                    Ok(text) => parse_content_line(text, start_line, self.keep),
                    Err(_) => Err(ParseError::new(start_line, ErrorKind::InvalidUtf8)),
                }
            };
            if result.is_err() {
                self.pos = input.len();
            }
            return Some(result);
        }
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
                Ok(text) => parse_content_line(text, start_line, self.keep)
                    .map(|line| line.map(ContentLine::into_owned)),
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

impl<'a> Iterator for ContentLines<'a> {
    type Item = Result<ContentLine<'a>, ParseError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            match self.next_line()? {
                Ok(None) => continue,
                Ok(Some(line)) => return Some(Ok(line)),
                Err(error) => return Some(Err(error)),
            }
        }
    }
}

/// The position of the first `\n` in `bytes`.
///
/// Looking for line breaks is the one pass every byte of the file goes through, so it reads
/// eight bytes at a time: `x - 0x01..01 & !x & 0x80..80` is non-zero exactly when one byte
/// of `x` is zero, here a byte equal to `\n` after the XOR.
fn find_newline(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    const NEWLINES: u64 = u64::from_ne_bytes([b'\n'; 8]);
    let mut chunks = bytes.chunks_exact(8);
    let mut offset = 0;
    for chunk in &mut chunks {
        let mut word = [0; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_ne_bytes(word) ^ NEWLINES;
        if x.wrapping_sub(ONES) & !x & HIGHS != 0 {
            break;
        }
        offset += 8;
    }
    bytes[offset..]
        .iter()
        .position(|&b| b == b'\n')
        .map(|i| offset + i)
}

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-'
}

/// Parses one unfolded content line, `name *(";" param) ":" value`, keeping it (and of its
/// parameters, those) that `keep` names; a line it does not name is checked all the same
/// and gives `Ok(None)`. Without `keep`, every line and parameter is kept.
pub fn parse_content_line<'t>(
    text: &'t str,
    line: usize,
    keep: Option<&Keep>,
) -> Result<Option<ContentLine<'t>>, ParseError> {
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
    let name_end = i;
    let kept = keep.is_none_or(|keep| keep.property(&text[..name_end]));
    let want_parameter = |name: &str| kept && keep.is_none_or(|keep| keep.parameter(name));
    let mut params = Vec::new();
    let mut count = 0;
    loop {
        match bytes.get(i) {
            Some(b':') => break,
            Some(b';') => {
                if count == MAX_PARAMETERS {
                    return fail(ErrorKind::TooManyParameters {
                        limit: MAX_PARAMETERS,
                    });
                }
                count += 1;
                let (param, next) = parse_param(text, i + 1, line, &want_parameter)?;
                params.extend(param);
                i = next;
            }
            Some(_) => {
                let c = text[i..].chars().next().unwrap_or(' ');
                return fail(ErrorKind::BadNameCharacter(c));
            }
            None => return fail(ErrorKind::MissingColon),
        }
    }
    if !kept {
        return Ok(None);
    }
    Ok(Some(ContentLine {
        line,
        name: upper(&text[..name_end]),
        params,
        value: Cow::Borrowed(&text[i + 1..]),
    }))
}

/// Parses one parameter starting at `start` (after its ';'); returns it, if `want` wants its
/// name, and the position of the ';' or ':' that follows it.
fn parse_param<'t>(
    text: &'t str,
    start: usize,
    line: usize,
    want: &dyn Fn(&str) -> bool,
) -> Result<(Option<Param<'t>>, usize), ParseError> {
    let bytes = text.as_bytes();
    let name_end = start
        + bytes[start..]
            .iter()
            .position(|&b| !is_name_byte(b))
            .unwrap_or(bytes.len() - start);
    let raw_name = &text[start..name_end];
    let owned_name = || raw_name.to_ascii_uppercase();
    if raw_name.is_empty() {
        let kind = match text[start..].chars().next() {
            Some(c) if c != ':' && c != ';' => ErrorKind::BadNameCharacter(c),
            _ => ErrorKind::ParameterWithoutValue(String::new()),
        };
        return Err(ParseError::new(line, kind));
    }
    if bytes.get(name_end) != Some(&b'=') {
        return Err(ParseError::new(
            line,
            ErrorKind::ParameterWithoutValue(owned_name()),
        ));
    }
    let wanted = want(raw_name);
    let mut values = Vec::new();
    let mut i = name_end + 1;
    loop {
        if bytes.get(i) == Some(&b'"') {
            let Some(close) = bytes[i + 1..].iter().position(|&b| b == b'"') else {
                return Err(ParseError::new(
                    line,
                    ErrorKind::UnterminatedQuote(owned_name()),
                ));
            };
            if wanted {
                values.push(Cow::Borrowed(&text[i + 1..i + 1 + close]));
            }
            i += close + 2;
        } else {
            let end = i + bytes[i..]
                .iter()
                .position(|&b| matches!(b, b',' | b';' | b':' | b'"'))
                .unwrap_or(bytes.len() - i);
            if wanted {
                values.push(Cow::Borrowed(&text[i..end]));
            }
            i = end;
        }
        match bytes.get(i) {
            Some(b',') => i += 1,
            Some(b';' | b':') => {
                let param = wanted.then(|| Param {
                    name: upper(raw_name),
                    values,
                });
                return Ok((param, i));
            }
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

    fn lines(input: &str) -> Vec<ContentLine<'_>> {
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
        assert_eq!(line.params[1].values, ["mailto:a@x", "mailto:b@x"]);
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
    fn keeps_only_what_it_is_told_and_still_checks_the_rest() {
        const KEEP: Keep = Keep {
            properties: &["ATTENDEE"],
            parameters: &["PARTSTAT"],
        };
        let input = "BEGIN:VEVENT\nSUMMARY;LANGUAGE=en:Hi\n\
                     ATTENDEE;CN=\"A, B\";PARTSTAT=DECLINED:mailto:a@x\nEND:VEVENT\n";
        let got: Vec<_> = kept_content_lines(input.as_bytes(), &KEEP)
            .collect::<Result<_, _>>()
            .unwrap();
        let names: Vec<_> = got.iter().map(|l| l.name.as_ref()).collect();
        assert_eq!(names, ["BEGIN", "ATTENDEE", "END"]);
        assert_eq!(got[1].params.len(), 1);
        assert_eq!(got[1].param("PARTSTAT"), Some("DECLINED"));
        assert_eq!(got[1].line, 3);
        // A line that is not kept fails exactly as it would if it were.
        for bad in [
            &b"UID:1\nSUMMARY;CN=\"open:x\n"[..],
            b"UID:1\nno colon here\n",
        ] {
            let kept = kept_content_lines(bad, &KEEP).find_map(Result::err);
            assert_eq!(kept, Some(error(bad)));
        }
    }

    #[test]
    fn finds_newlines_at_every_offset() {
        for len in 0..40 {
            for at in 0..len {
                let mut bytes = vec![b'a'; len];
                bytes[at] = b'\n';
                if at + 3 < len {
                    bytes[at + 3] = b'\n';
                }
                assert_eq!(find_newline(&bytes), Some(at), "{len} {at}");
            }
            assert_eq!(find_newline(&vec![0x8a; len]), None);
        }
    }

    #[test]
    fn stops_after_the_first_error() {
        let results: Vec<_> = content_lines(b"bad line\nUID:1\n").collect();
        assert_eq!(results.len(), 1);
    }
}
