//! Whose calendar a file is, where its owner lives, and which days it covers: what an ingest
//! needs to know about a file before it can count anything.
//!
//! Exports rarely say outright whose calendar they are. The rule here is deterministic and
//! never guesses between people; the caller matches the candidates against known addresses
//! and treats no match, or more than one, as "unknown":
//!
//! 1. When `X-WR-CALNAME` is an email address (Google names an exported calendar after its
//!    owner), that address is the one candidate.
//! 2. Otherwise the candidates are the addresses that appear, as ORGANIZER or ATTENDEE, on
//!    *every* event that names anyone: the owner is on each invitation in their own
//!    calendar. Events that name nobody (focus blocks, holidays) say nothing and are
//!    skipped; a calendar in which no event names anyone has no candidate.

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDate;
use chrono_tz::Tz;

use crate::event::Calendar;
use crate::value::{TimeValue, Zone};

impl Calendar {
    /// The addresses that may be the owner's (lowercase, without `mailto:`), in order.
    pub fn owner_candidates(&self) -> Vec<String> {
        if let Some(name) = self.name.as_deref().filter(|n| is_email(n)) {
            return vec![name.trim().to_ascii_lowercase()];
        }
        let mut common: Option<BTreeSet<String>> = None;
        for event in &self.events {
            let named: BTreeSet<String> = event
                .organizer
                .iter()
                .chain(event.attendees.iter().map(|a| &a.address))
                .map(|a| address(a))
                .filter(|a| is_email(a))
                .collect();
            if named.is_empty() {
                continue;
            }
            common = Some(match common {
                None => named,
                Some(seen) => seen.intersection(&named).cloned().collect(),
            });
        }
        common.map(|c| c.into_iter().collect()).unwrap_or_default()
    }

    /// Where the owner's day is: X-WR-TIMEZONE, else the zone that most timed DTSTARTs with a
    /// TZID use (the first of them to appear on a tie), else UTC.
    pub fn home_zone(&self) -> Tz {
        if let Some(zone) = self.floating_zone {
            return zone;
        }
        let mut counts: HashMap<Tz, (usize, usize)> = HashMap::new();
        for (position, event) in self.events.iter().enumerate() {
            if let TimeValue::DateTime(v) = &event.dtstart
                && let Zone::Tz(tz) = v.zone
            {
                counts.entry(tz).or_insert((0, position)).0 += 1;
            }
        }
        counts
            .into_iter()
            .max_by_key(|&(_, (count, first))| (count, std::cmp::Reverse(first)))
            .map_or(Tz::UTC, |(tz, _)| tz)
    }

    /// The first and last day on which an event of the file starts as written (DTSTART of
    /// series, one-off events and overrides, and RDATE starts), as wall dates; `None` for a
    /// calendar without events. Recurrences run on past the last day; an ingest counts up
    /// to it, since an export says nothing about weeks after its last written event.
    pub fn start_span(&self) -> Option<(NaiveDate, NaiveDate)> {
        let day = |t: &TimeValue| match t {
            TimeValue::Date(d) => *d,
            TimeValue::DateTime(v) => v.local.date(),
        };
        let days = self.events.iter().flat_map(|e| {
            std::iter::once(day(&e.dtstart)).chain(e.rdate.iter().map(|r| day(&r.start)))
        });
        days.fold(None, |span, d| match span {
            None => Some((d, d)),
            Some((first, last)) => Some((first.min(d), last.max(d))),
        })
    }
}

fn address(raw: &str) -> String {
    let raw = raw.trim();
    let raw = match raw.get(..7) {
        Some(scheme) if scheme.eq_ignore_ascii_case("mailto:") => &raw[7..],
        _ => raw,
    };
    raw.to_ascii_lowercase()
}

fn is_email(text: &str) -> bool {
    let text = text.trim();
    matches!(text.split_once('@'), Some((local, domain))
        if !local.is_empty() && domain.contains('.') && !text.contains(char::is_whitespace))
}

#[cfg(test)]
mod tests {
    use crate::parse_calendar;

    fn calendar(events: &str) -> crate::Calendar {
        parse_calendar(format!("BEGIN:VCALENDAR\nVERSION:2.0\n{events}END:VCALENDAR\n").as_bytes())
            .unwrap()
    }

    fn event(uid: &str, start: &str, people: &str) -> String {
        format!("BEGIN:VEVENT\nUID:{uid}\nDTSTART{start}\n{people}END:VEVENT\n")
    }

    #[test]
    fn a_calendar_named_after_an_address_belongs_to_it() {
        let c = calendar("X-WR-CALNAME:Ada@Example.com\n");
        assert_eq!(c.owner_candidates(), ["ada@example.com"]);
        let c = calendar("X-WR-CALNAME:Team holidays\n");
        assert!(c.owner_candidates().is_empty());
    }

    #[test]
    fn otherwise_the_owner_is_on_every_event_that_names_anyone() {
        let c = calendar(&[
            event("a", ":20250106T090000Z", "ORGANIZER:mailto:ada@example.com\nATTENDEE:mailto:grace@example.com\n"),
            event("b", ":20250107T090000Z", "ORGANIZER:mailto:linus@example.com\nATTENDEE:MAILTO:ADA@example.com\nATTENDEE:mailto:grace@example.com\n"),
            event("c", ":20250108T090000Z", "ORGANIZER:mailto:ada@example.com\nATTENDEE:mailto:ken@example.com\n"),
            event("focus", ":20250109T090000Z", ""),
        ].concat());
        assert_eq!(c.owner_candidates(), ["ada@example.com"]);
        // With too little to tell them apart, every address still in common is a candidate.
        let c = calendar(&event(
            "a",
            ":20250106T090000Z",
            "ORGANIZER:mailto:ada@example.com\nATTENDEE:mailto:grace@example.com\n",
        ));
        assert_eq!(
            c.owner_candidates(),
            ["ada@example.com", "grace@example.com"]
        );
        assert!(
            calendar(&event("focus", ":20250109T090000Z", ""))
                .owner_candidates()
                .is_empty()
        );
    }

    #[test]
    fn the_home_zone_and_the_span_come_from_what_is_written() {
        let c = calendar(
            &[
                event("a", ";TZID=Europe/Berlin:20250106T090000", ""),
                event("b", ";TZID=America/New_York:20250301T090000", ""),
                event("c", ";TZID=America/New_York:20250302T090000", ""),
                event("d", ";VALUE=DATE:20241230", ""),
            ]
            .concat(),
        );
        assert_eq!(c.home_zone(), chrono_tz::Tz::America__New_York);
        let day = |s: &str| s.parse::<chrono::NaiveDate>().unwrap();
        assert_eq!(c.start_span(), Some((day("2024-12-30"), day("2025-03-02"))));
        let c = calendar("X-WR-TIMEZONE:Asia/Kolkata\n");
        assert_eq!(c.home_zone(), chrono_tz::Tz::Asia__Kolkata);
        assert_eq!(c.start_span(), None);
        assert_eq!(calendar("").home_zone(), chrono_tz::Tz::UTC);
    }
}
