//! A person's weekly calendar load, as data and as an SVG chart.
//!
//! The chart sits under the git activity chart on the person page: one stacked bar per ISO
//! week with focus time at the bottom (so it reads against the policy's minimum, drawn as a
//! dashed line), then fragmented time and meetings, which together fill the working week, and
//! meetings after hours on top. The stints behind the weeks are drawn as bands, so an
//! engineer's vanishing focus time reads against the role they held.

use std::fmt::Write;

use chrono::{Datelike, Days, NaiveDate};

use crate::chart::{Band, Frame, LEFT, RIGHT, W};
use crate::ledger::{CalendarWeek, Ledger, Person};
use crate::period::IsoWeek;
use crate::policy::Policy;
use crate::timeline::escape;

/// One ISO week of calendar evidence; `None` hours where the calendar has no such week.
#[derive(Debug, Clone, PartialEq)]
pub struct Week {
    pub week: IsoWeek,
    pub hours: Option<Hours>,
}

/// The hours of one week, as the calendar ingest counted them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hours {
    pub focus: f64,
    pub fragmented: f64,
    pub meeting: f64,
    pub after_hours: f64,
}

impl From<&CalendarWeek> for Hours {
    fn from(w: &CalendarWeek) -> Self {
        Self {
            focus: w.focus_hours,
            fragmented: w.fragmented_hours,
            meeting: w.meeting_hours,
            after_hours: w.after_hours,
        }
    }
}

/// A person's calendar load as of a day.
#[derive(Debug, Clone)]
pub struct Interruptions<'a> {
    pub person: &'a Person,
    pub as_of: NaiveDate,
    /// The policy's minimum of focus hours a week for engineers and tech leads.
    pub min_focus_hours: f64,
    /// Every ISO week from the first with evidence to the last that ended on or before
    /// `as_of`, oldest first.
    pub weeks: Vec<Week>,
    /// The stints behind the weeks, as indices into `weeks`.
    pub bands: Vec<Band>,
}

impl<'a> Interruptions<'a> {
    /// The calendar load of the person at index `i`, or `None` when no calendar evidence of
    /// theirs covers a week that ended on or before `as_of`.
    pub fn new(ledger: &'a Ledger, i: usize, policy: &Policy, as_of: NaiveDate) -> Option<Self> {
        let evidence: Vec<&CalendarWeek> = ledger
            .calendar_of(i)
            .iter()
            .filter(|w| sunday(w.week) <= as_of)
            .collect();
        let first = evidence.first()?.week.monday();
        let last = evidence.last()?.week.monday();
        let mut weeks = Vec::new();
        let mut monday = first;
        while monday <= last {
            weeks.push(Week {
                week: IsoWeek::of(monday),
                hours: None,
            });
            monday = monday + Days::new(7);
        }
        for w in evidence {
            weeks[index(first, w.week.monday())].hours = Some(Hours::from(w));
        }
        let end = sunday(weeks[weeks.len() - 1].week);
        let bands = ledger
            .stints_of(i)
            .iter()
            .filter(|s| s.start <= end && s.end.is_none_or(|e| e > first))
            .map(|s| Band {
                role: s.role,
                first: index(first, week_monday(s.start.max(first))),
                last: index(
                    first,
                    week_monday(s.end.and_then(|e| e.pred_opt()).unwrap_or(end).min(end)),
                ),
            })
            .collect();
        Some(Interruptions {
            person: ledger.person_at(i),
            as_of,
            min_focus_hours: policy.calendar.min_focus_hours,
            weeks,
            bands,
        })
    }

    /// The chart as a standalone SVG document (accessible: it has a title and a description,
    /// and every text is escaped). Its ids start with `interruptions-`, so it can share a
    /// page with the timeline and the activity chart.
    pub fn to_svg(&self) -> String {
        const FOCUS: &str = "#2f7fc1";
        const FRAGMENTED: &str = "#c9d6e2";
        const MEETING: &str = "#d9822b";
        const AFTER: &str = "#8c3b0c";
        let highest = self
            .weeks
            .iter()
            .filter_map(|w| w.hours)
            .map(|h| h.focus + h.fragmented + h.meeting + h.after_hours)
            .fold(self.min_focus_hours, f64::max);
        let frame = Frame::new(self.weeks.len(), highest);
        let mut svg = String::new();
        Frame::open(
            &mut svg,
            "interruptions",
            &format!("Weekly focus and meeting hours of {}", self.person.name),
            &self.describe(),
            "",
        );
        frame.bands(&mut svg, &self.bands, r#" fill-opacity="0.6""#, |i| {
            self.weeks[i].week.to_string()
        });
        frame.value_axis(&mut svg, "hours a week");
        // Week labels under the first week and the first week of each quarter, kept apart.
        let mut labelled = f64::NEG_INFINITY;
        for (i, w) in self.weeks.iter().enumerate() {
            let xx = frame.x(i);
            let quarter = matches!(w.week.monday().iso_week().week(), 1 | 14 | 27 | 40);
            if (i == 0 || quarter) && xx - labelled >= 70.0 && xx <= W - RIGHT - 50.0 {
                labelled = xx;
                frame.tick(&mut svg, i, &w.week.to_string());
            }
        }
        for (i, w) in self.weeks.iter().enumerate() {
            let Some(h) = w.hours else {
                continue;
            };
            let (x0, width) = frame.bar(i);
            let _ = write!(svg, "<g><title>{}</title>", escape(&self.label(w.week, &h)));
            let mut base = 0.0;
            for (hours, fill) in [
                (h.focus, FOCUS),
                (h.fragmented, FRAGMENTED),
                (h.meeting, MEETING),
                (h.after_hours, AFTER),
            ] {
                if hours > 0.0 {
                    let (y0, y1) = (frame.y(base), frame.y(base + hours));
                    let _ = write!(
                        svg,
                        r##"<rect x="{x0:.1}" y="{y1:.1}" width="{width:.1}" height="{hh:.1}" fill="{fill}"/>"##,
                        hh = y0 - y1,
                    );
                }
                base += hours;
            }
            svg.push_str("</g>\n");
        }
        frame.threshold(
            &mut svg,
            self.min_focus_hours,
            &format!("focus {}", self.min_focus_hours),
        );
        let _ = writeln!(
            svg,
            r##"<rect x="{LEFT}" y="12" width="10" height="10" fill="{FOCUS}"/><text x="{a}" y="21">focus</text><rect x="{b}" y="12" width="10" height="10" fill="{FRAGMENTED}"/><text x="{c}" y="21">fragmented</text><rect x="{d}" y="12" width="10" height="10" fill="{MEETING}"/><text x="{e}" y="21">meetings</text><rect x="{f}" y="12" width="10" height="10" fill="{AFTER}"/><text x="{g}" y="21">meetings after hours</text><line x1="{h}" y1="17" x2="{k}" y2="17" stroke="#b00020" stroke-dasharray="5 4"/><text x="{l}" y="21">minimum focus</text>"##,
            a = LEFT + 14.0,
            b = LEFT + 60.0,
            c = LEFT + 74.0,
            d = LEFT + 150.0,
            e = LEFT + 164.0,
            f = LEFT + 230.0,
            g = LEFT + 244.0,
            h = LEFT + 380.0,
            k = LEFT + 405.0,
            l = LEFT + 410.0,
        );
        svg.push_str("</svg>\n");
        svg
    }

    /// A week's bar in words, for its tooltip.
    fn label(&self, week: IsoWeek, h: &Hours) -> String {
        let mut text = format!(
            "{week}: {:.1} h focus, {:.1} h fragmented, {:.1} h in meetings",
            h.focus, h.fragmented, h.meeting
        );
        if h.after_hours > 0.0 {
            let _ = write!(text, ", {:.1} h of meetings after hours", h.after_hours);
        }
        if h.focus < self.min_focus_hours {
            let _ = write!(text, "; under {} h of focus", self.min_focus_hours);
        }
        text
    }

    /// A one-paragraph description of the chart, for screen readers and the `<desc>`.
    pub fn describe(&self) -> String {
        let known: Vec<Hours> = self.weeks.iter().filter_map(|w| w.hours).collect();
        let n = known.len() as f64;
        let mean = |f: fn(&Hours) -> f64| known.iter().map(f).sum::<f64>() / n;
        let under = known
            .iter()
            .filter(|h| h.focus < self.min_focus_hours)
            .count();
        let (first, last) = (&self.weeks[0], &self.weeks[self.weeks.len() - 1]);
        format!(
            "Calendar evidence for {} of {} weeks from {} to {}: on average {:.1} h of focus time, {:.1} h fragmented and {:.1} h in meetings a week, with {:.1} h of meetings after hours. {} of those weeks fall under the policy's {} h of focus time.",
            known.len(),
            self.weeks.len(),
            first.week,
            last.week,
            mean(|h| h.focus),
            mean(|h| h.fragmented),
            mean(|h| h.meeting),
            mean(|h| h.after_hours),
            capitalised_count(under),
            self.min_focus_hours,
        )
    }
}

/// The last day of an ISO week.
fn sunday(week: IsoWeek) -> NaiveDate {
    week.monday() + Days::new(6)
}

/// The Monday of the week a day falls in.
fn week_monday(day: NaiveDate) -> NaiveDate {
    day - Days::new(u64::from(day.weekday().num_days_from_monday()))
}

/// Weeks from the Monday `first` to the Monday `monday`.
fn index(first: NaiveDate, monday: NaiveDate) -> usize {
    usize::try_from((monday - first).num_days() / 7).unwrap_or(0)
}

/// "None", "1", "12": a count that may open a sentence.
fn capitalised_count(n: usize) -> String {
    if n == 0 { "None".into() } else { n.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::{LedgerParts, Origin, Sourced, Stint};
    use crate::role::Role;
    use crate::{Email, Ladder, PersonId, Willingness};

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// Pat: an engineer until 2026-05-11, then a manager; calendar weeks as
    /// `(week, focus, meeting)` with 4 h fragmented and 1 h after hours each.
    fn ledger(weeks: &[(&str, f64, f64)]) -> Ledger {
        let ladder = Ladder::default();
        let origin = Origin::new("test", 0);
        let id = PersonId::parse("pat").unwrap();
        let mut parts = LedgerParts::default();
        parts.people.push(Sourced::new(
            Person {
                willing_since: None,
                id: id.clone(),
                name: "Pat <P>".into(),
                email: Email::parse("pat@example.com").unwrap(),
                aliases: vec![],
                level: ladder.level("L4").unwrap(),
                team: None,
                manager: None,
                willing_to_manage: Willingness::Unknown,
                departure: None,
            },
            origin.clone(),
        ));
        for (role, start, end) in [
            (Role::Engineer, "2020-01-01", Some("2026-05-11")),
            (Role::Manager, "2026-05-11", None),
        ] {
            parts.stints.push(Sourced::new(
                Stint {
                    band: None,
                    person: id.clone(),
                    role,
                    team: None,
                    level: ladder.level("L4").unwrap(),
                    start: d(start),
                    end: end.map(d),
                    chosen: true,
                    trial_end: None,
                    org: None,
                },
                origin.clone(),
            ));
        }
        for &(week, focus, meeting) in weeks {
            parts.calendar.push(Sourced::new(
                CalendarWeek {
                    person: id.clone(),
                    week: IsoWeek::parse(week).unwrap(),
                    meeting_hours: meeting,
                    focus_hours: focus,
                    fragmented_hours: 4.0,
                    after_hours: 1.0,
                },
                origin.clone(),
            ));
        }
        Ledger::build(parts).unwrap()
    }

    #[test]
    fn weeks_run_from_the_first_evidence_to_the_last_full_week_with_gaps_left_empty() {
        let ledger = ledger(&[
            ("2026-W17", 20.0, 16.0),
            ("2026-W19", 6.0, 30.0),
            ("2026-W20", 2.0, 34.0),
            ("2026-W27", 2.0, 34.0),
        ]);
        // 2026-W27 ends on Sunday 2026-07-05: not yet over on the day.
        let chart = Interruptions::new(&ledger, 0, &Policy::default(), d("2026-07-01")).unwrap();
        let weeks: Vec<String> = chart.weeks.iter().map(|w| w.week.to_string()).collect();
        assert_eq!(weeks, ["2026-W17", "2026-W18", "2026-W19", "2026-W20"]);
        assert_eq!(chart.weeks[1].hours, None);
        assert_eq!(
            chart.bands,
            [
                Band {
                    role: Role::Engineer,
                    first: 0,
                    last: 2
                },
                Band {
                    role: Role::Manager,
                    first: 3,
                    last: 3
                },
            ]
        );
        assert_eq!(
            chart.describe(),
            "Calendar evidence for 3 of 4 weeks from 2026-W17 to 2026-W20: on average 9.3 h of focus time, 4.0 h fragmented and 26.7 h in meetings a week, with 1.0 h of meetings after hours. 2 of those weeks fall under the policy's 10 h of focus time."
        );
        let svg = chart.to_svg();
        assert!(svg.contains(
            "<title id=\"interruptions-t\">Weekly focus and meeting hours of Pat &lt;P&gt;</title>"
        ));
        assert!(svg.contains(">focus 10</text>"), "the policy's minimum");
        assert_eq!(
            svg.matches("<g><title>").count(),
            3,
            "one bar per week with evidence"
        );
        assert!(svg.contains("<g><title>2026-W19: 6.0 h focus, 4.0 h fragmented, 30.0 h in meetings, 1.0 h of meetings after hours; under 10 h of focus</title>"));
        assert!(svg.contains("<title>manager, 2026-W20 to 2026-W20</title>"));
        assert!(
            svg.contains(">2026-W17</text>"),
            "the first week is labelled"
        );
    }

    #[test]
    fn no_evidence_up_to_the_day_means_no_chart() {
        let one = ledger(&[("2026-W27", 2.0, 34.0)]);
        assert!(Interruptions::new(&one, 0, &Policy::default(), d("2026-07-04")).is_none());
        assert!(Interruptions::new(&one, 0, &Policy::default(), d("2026-07-05")).is_some());
        assert!(Interruptions::new(&ledger(&[]), 0, &Policy::default(), d("2026-07-05")).is_none());
    }
}
