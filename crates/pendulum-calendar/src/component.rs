//! BEGIN/END nesting (RFC 5545 section 3.4 and 3.6): content lines into a component tree.
//!
//! The tree is generic (any component name is kept) so that the typed layer can decide what
//! it reads; VALARM is the exception and is dropped here, since alarms never matter to
//! evidence and Outlook writes one per event. Nesting depth and the number of components are
//! bounded (see [`crate::limits`]).

use crate::error::{ErrorKind, ParseError};
use crate::limits::{MAX_COMPONENTS, MAX_DEPTH};
use crate::lines::{ContentLine, ContentLines, Keep, content_lines, kept_content_lines};

/// One component: its name, its properties and the components nested in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Component<'a> {
    /// The name in upper case, e.g. `VEVENT`.
    pub name: String,
    /// The physical line of its BEGIN.
    pub line: usize,
    pub properties: Vec<ContentLine<'a>>,
    pub children: Vec<Component<'a>>,
}

impl<'a> Component<'a> {
    fn new(name: String, line: usize) -> Self {
        Self {
            name,
            line,
            properties: Vec::new(),
            children: Vec::new(),
        }
    }

    /// The first property called `name` (upper case), if any.
    pub fn property(&self, name: &str) -> Option<&ContentLine<'a>> {
        self.properties.iter().find(|p| p.name == name)
    }
}

/// Reads `input` into its top-level components.
pub fn parse_components(input: &[u8]) -> Result<Vec<Component<'_>>, ParseError> {
    build_tree(content_lines(input))
}

/// Reads `input` into its top-level components with only the properties and parameters
/// that `keep` names; the other lines are checked but not kept (see [`crate::lines`]).
pub fn parse_kept_components<'a>(
    input: &'a [u8],
    keep: &'static Keep,
) -> Result<Vec<Component<'a>>, ParseError> {
    build_tree(kept_content_lines(input, keep))
}

fn build_tree(lines: ContentLines<'_>) -> Result<Vec<Component<'_>>, ParseError> {
    let mut top = Vec::new();
    let mut stack: Vec<Component> = Vec::new();
    let mut count = 0usize;
    for line in lines {
        let line = line?;
        match line.name.as_ref() {
            "BEGIN" => {
                let name = component_name(&line)?;
                if stack.len() == MAX_DEPTH {
                    return Err(ParseError::new(
                        line.line,
                        ErrorKind::TooDeep { limit: MAX_DEPTH },
                    ));
                }
                count += 1;
                if count > MAX_COMPONENTS {
                    return Err(ParseError::new(
                        line.line,
                        ErrorKind::TooManyComponents {
                            limit: MAX_COMPONENTS,
                        },
                    ));
                }
                stack.push(Component::new(name, line.line));
            }
            "END" => {
                let name = component_name(&line)?;
                let Some(open) = stack.pop() else {
                    return Err(ParseError::new(line.line, ErrorKind::UnexpectedEnd(name)));
                };
                if open.name != name {
                    return Err(ParseError::new(
                        line.line,
                        ErrorKind::MismatchedEnd {
                            expected: open.name,
                            found: name,
                            opened: open.line,
                        },
                    ));
                }
                match stack.last_mut() {
                    Some(_) if open.name == "VALARM" => {}
                    Some(parent) => parent.children.push(open),
                    None => top.push(open),
                }
            }
            _ => match stack.last_mut() {
                Some(current) => current.properties.push(line),
                None => {
                    return Err(ParseError::new(
                        line.line,
                        ErrorKind::PropertyOutsideComponent(line.name.into_owned()),
                    ));
                }
            },
        }
    }
    match stack.into_iter().next() {
        Some(open) => Err(ParseError::new(open.line, ErrorKind::Unclosed(open.name))),
        None => Ok(top),
    }
}

fn component_name(line: &ContentLine<'_>) -> Result<String, ParseError> {
    let name = line.value.trim();
    if name.is_empty() {
        return Err(ParseError::new(line.line, ErrorKind::EmptyComponentName));
    }
    Ok(name.to_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(input: &str) -> ParseError {
        parse_components(input.as_bytes()).expect_err("input fails")
    }

    #[test]
    fn nests_components_and_drops_alarms() {
        let input = "BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VTIMEZONE\nTZID:X\nBEGIN:STANDARD\n\
                     TZOFFSETTO:+0100\nEND:STANDARD\nEND:VTIMEZONE\nBEGIN:vevent\nUID:1\n\
                     BEGIN:VALARM\nACTION:DISPLAY\nEND:VALARM\nEND:VEVENT\nEND:VCALENDAR\n";
        let top = parse_components(input.as_bytes()).unwrap();
        assert_eq!(top.len(), 1);
        let calendar = &top[0];
        assert_eq!(calendar.property("VERSION").unwrap().value, "2.0");
        let names: Vec<_> = calendar.children.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["VTIMEZONE", "VEVENT"]);
        assert_eq!(calendar.children[0].children[0].name, "STANDARD");
        assert!(calendar.children[1].children.is_empty());
        assert_eq!(calendar.children[1].line, 9);
    }

    #[test]
    fn names_the_line_of_nesting_errors() {
        assert_eq!(
            error("BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:1\nEND:VTODO\n"),
            ParseError {
                line: 4,
                kind: ErrorKind::MismatchedEnd {
                    expected: "VEVENT".into(),
                    found: "VTODO".into(),
                    opened: 2
                }
            }
        );
        assert_eq!(
            error("BEGIN:VCALENDAR\nEND:VCALENDAR\nEND:VEVENT\n"),
            ParseError {
                line: 3,
                kind: ErrorKind::UnexpectedEnd("VEVENT".into())
            }
        );
        assert_eq!(
            error("BEGIN:VCALENDAR\nBEGIN:VEVENT\n"),
            ParseError {
                line: 1,
                kind: ErrorKind::Unclosed("VCALENDAR".into())
            }
        );
        assert_eq!(
            error("UID:1\n"),
            ParseError {
                line: 1,
                kind: ErrorKind::PropertyOutsideComponent("UID".into())
            }
        );
        assert_eq!(error("BEGIN:\n").kind, ErrorKind::EmptyComponentName);
    }

    #[test]
    fn bounds_depth_and_component_count() {
        let deep = "BEGIN:X\n".repeat(MAX_DEPTH + 1);
        assert_eq!(
            error(&deep),
            ParseError {
                line: MAX_DEPTH + 1,
                kind: ErrorKind::TooDeep { limit: MAX_DEPTH }
            }
        );
        let many = format!(
            "BEGIN:A\n{}END:A\n",
            "BEGIN:B\nEND:B\n".repeat(MAX_COMPONENTS)
        );
        assert_eq!(
            error(&many).kind,
            ErrorKind::TooManyComponents {
                limit: MAX_COMPONENTS
            }
        );
    }
}
