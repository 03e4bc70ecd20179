//! A person's pendulum over time, as data and as an SVG picture.
//!
//! The picture puts hands-on stints above a centre line and management stints below it, so a
//! career reads as a swing back and forth; hybrids straddle the line. Swings are marked where
//! the side changes, trials are hatched, and for someone now managing, the months since
//! hands-on work that the policy warns and alerts at are drawn as dashed lines.

use std::fmt::Write;

use chrono::{Datelike, Days, NaiveDate};

use crate::ledger::{Ledger, Person, Stint};
use crate::period::{DAYS_PER_MONTH, months_between};
use crate::policy::{Level, Policy};
use crate::role::{Band, Role, Side};

/// One stint as drawn: its end cut at the timeline's day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    pub role: Role,
    pub team: Option<String>,
    pub level: Level,
    pub band: Option<Band>,
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// The stint is still running.
    pub open: bool,
    pub chosen: bool,
    pub trial_end: Option<NaiveDate>,
}

/// A change of side between two consecutive stints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Swing {
    pub on: NaiveDate,
    pub from: Role,
    pub to: Role,
    /// The level changed at the swing, which a swing should never do.
    pub level_changed: bool,
}

/// A dashed line: the day a threshold of months since hands-on work is (or was) reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marker {
    pub on: NaiveDate,
    pub months: u32,
}

/// A role a plan gives the person after the timeline's day (a rotation plan's quarters,
/// merged where the role stays the same).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedStint {
    pub role: Role,
    pub start: NaiveDate,
    /// The first day after it.
    pub end: NaiveDate,
    /// What the plan says about it, such as the teams managed.
    pub label: String,
}

/// A person's pendulum as of a day.
#[derive(Debug, Clone)]
pub struct Timeline<'a> {
    pub person: &'a Person,
    pub as_of: NaiveDate,
    pub segments: Vec<Segment>,
    pub swings: Vec<Swing>,
    pub markers: Vec<Marker>,
    /// Planned roles after `as_of`, drawn faded, with the planned swings as open circles.
    pub planned: Vec<PlannedStint>,
}

impl<'a> Timeline<'a> {
    /// The timeline of the person at index `i`, with stints that began on or before `as_of`.
    pub fn new(ledger: &'a Ledger, i: usize, policy: &Policy, as_of: NaiveDate) -> Self {
        let all = ledger.stints_of(i);
        let stints = &all[..all.partition_point(|s| s.start <= as_of)];
        let segments = stints
            .iter()
            .map(|s: &Stint| Segment {
                role: s.role,
                team: s.team.as_ref().map(|t| t.to_string()),
                level: s.level.clone(),
                band: s.band,
                start: s.start,
                end: s.end.map_or(as_of, |e| e.min(as_of)),
                open: s.end.is_none_or(|e| e > as_of),
                chosen: s.chosen,
                trial_end: s.trial_end,
            })
            .collect();
        let swings = stints
            .windows(2)
            .filter(|w| w[0].role.side() != w[1].role.side())
            .map(|w| Swing {
                on: w[1].start,
                from: w[0].role,
                to: w[1].role,
                level_changed: w[0].level != w[1].level,
            })
            .collect();
        let mut markers = Vec::new();
        let managing = stints
            .last()
            .is_some_and(|s| s.covers(as_of) && s.role.manages());
        let back_to = stints.iter().rposition(|s| s.role.side() == Side::HandsOn);
        if let (true, Some(j)) = (managing, back_to)
            && let Some(left) = stints[j].end
        {
            let h = &policy.hands_on_distance;
            for months in [h.warn_months, h.alert_months] {
                let days = (f64::from(months) * DAYS_PER_MONTH).round() as u64;
                if let Some(on) = left.checked_add_days(Days::new(days)) {
                    markers.push(Marker { on, months });
                }
            }
        }
        Timeline {
            person: ledger.person_at(i),
            as_of,
            segments,
            swings,
            markers,
            planned: Vec::new(),
        }
    }

    /// The same timeline with a plan's roles after its day (in order, not overlapping).
    pub fn with_plan(mut self, planned: Vec<PlannedStint>) -> Self {
        self.planned = planned;
        self
    }

    /// The days the plan changes side: from the role on the timeline's day into the first
    /// planned role, and between planned roles.
    fn planned_swings(&self) -> Vec<(NaiveDate, Role, Role)> {
        let now = self
            .segments
            .last()
            .filter(|s| s.open)
            .map_or(Role::Engineer, |s| s.role);
        let mut out = Vec::new();
        let mut before = now;
        for p in &self.planned {
            if p.role.side() != before.side() {
                out.push((p.start, before, p.role));
            }
            before = p.role;
        }
        out
    }

    /// The timeline as a standalone SVG document (accessible: it has a title and a
    /// description, and every text is escaped).
    pub fn to_svg(&self) -> String {
        const W: f64 = 880.0;
        const LEFT: f64 = 110.0;
        const RIGHT: f64 = 20.0;
        const MID: f64 = 120.0;
        let first = self.segments.first().map_or(self.as_of, |s| s.start);
        let last_marker = self
            .markers
            .iter()
            .map(|m| m.on)
            .chain(self.planned.iter().map(|p| p.end))
            .max()
            .unwrap_or(self.as_of);
        let from = NaiveDate::from_ymd_opt(first.year(), 1, 1).unwrap_or(first);
        let until = NaiveDate::from_ymd_opt(last_marker.max(self.as_of).year() + 1, 1, 1)
            .unwrap_or(self.as_of);
        let span = (until - from).num_days().max(1) as f64;
        let x = |d: NaiveDate| LEFT + (d - from).num_days() as f64 / span * (W - LEFT - RIGHT);

        let name = escape(&self.person.name);
        let mut svg = String::new();
        let _ = write!(
            svg,
            r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} 250" width="{W}" height="250" role="img" aria-labelledby="t d" font-family="system-ui, sans-serif" font-size="12">
<title id="t">Pendulum of {name}</title>
<desc id="d">{desc}</desc>
<defs><pattern id="trial" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="4" height="8" fill="#ffffff" fill-opacity="0.45"/></pattern></defs>
<rect width="{W}" height="250" fill="#ffffff"/>
<text x="10" y="60" fill="#1d4e89" font-weight="600">hands-on</text>
<text x="10" y="185" fill="#9a3f12" font-weight="600">management</text>
<line x1="{LEFT}" y1="{MID}" x2="{end}" y2="{MID}" stroke="#555" stroke-width="1"/>
"##,
            desc = escape(&self.describe()),
            end = W - RIGHT,
        );
        // Year ticks.
        for year in from.year()..=until.year() {
            let Some(d) = NaiveDate::from_ymd_opt(year, 1, 1) else {
                continue;
            };
            let xx = x(d);
            let _ = writeln!(
                svg,
                r##"<line x1="{xx:.1}" y1="30" x2="{xx:.1}" y2="212" stroke="#e4e4e4"/><text x="{xx:.1}" y="228" text-anchor="middle" fill="#555">{year}</text>"##
            );
        }
        for s in &self.segments {
            let (y, h, fill) = role_band(s.role);
            let (x0, x1) = (x(s.start), x(s.end).max(x(s.start) + 1.0));
            let label = format!(
                "{} {}, {} to {}{}",
                s.role,
                s.level,
                s.start,
                if s.open {
                    "now".to_owned()
                } else {
                    s.end.to_string()
                },
                s.team
                    .as_deref()
                    .map(|t| format!(", team {t}"))
                    .unwrap_or_default()
            );
            let _ = writeln!(
                svg,
                r##"<rect x="{x0:.1}" y="{y}" width="{w:.1}" height="{h}" rx="3" fill="{fill}"{dash}><title>{label}</title></rect>"##,
                w = x1 - x0,
                dash = if s.chosen {
                    ""
                } else {
                    r##" stroke="#000" stroke-dasharray="4 3""##
                },
                label = escape(&label),
            );
            if let Some(t) = s.trial_end {
                let tx = x(t.min(s.end)).max(x0 + 1.0);
                let _ = writeln!(
                    svg,
                    r##"<rect x="{x0:.1}" y="{y}" width="{w:.1}" height="{h}" fill="url(#trial)"><title>trial until {t}</title></rect>"##,
                    w = tx - x0
                );
            }
            if x1 - x0 > 70.0 {
                let _ = writeln!(
                    svg,
                    r##"<text x="{tx:.1}" y="{ty}" fill="#fff">{role} {level}</text>"##,
                    tx = x0 + 5.0,
                    ty = y + 16.0,
                    role = s.role,
                    level = escape(s.level.name()),
                );
            }
        }
        for p in &self.planned {
            let (y, h, fill) = role_band(p.role);
            let (x0, x1) = (x(p.start), x(p.end).max(x(p.start) + 1.0));
            let _ = writeln!(
                svg,
                r##"<rect class="planned" x="{x0:.1}" y="{y}" width="{w:.1}" height="{h}" rx="3" fill="{fill}" fill-opacity="0.35" stroke="{fill}" stroke-dasharray="4 3"><title>planned: {label}</title></rect>"##,
                w = x1 - x0,
                label = escape(&format!(
                    "{}, {} to {}{}",
                    p.role,
                    p.start,
                    p.end,
                    if p.label.is_empty() {
                        String::new()
                    } else {
                        format!(", {}", p.label)
                    }
                )),
            );
        }
        for (on, from, to) in self.planned_swings() {
            let xx = x(on);
            let _ = writeln!(
                svg,
                r##"<circle class="planned" cx="{xx:.1}" cy="{MID}" r="5" fill="#fff" stroke="#222" stroke-width="2"><title>planned swing on {on}: {from} to {to}</title></circle>"##,
            );
        }
        for sw in &self.swings {
            let xx = x(sw.on);
            let colour = if sw.level_changed { "#b00020" } else { "#222" };
            let _ = writeln!(
                svg,
                r##"<circle cx="{xx:.1}" cy="{MID}" r="5" fill="{colour}"><title>swing on {on}: {from} to {to}{lvl}</title></circle>"##,
                on = sw.on,
                from = sw.from,
                to = sw.to,
                lvl = if sw.level_changed {
                    " (level changed)"
                } else {
                    ""
                },
            );
        }
        for m in &self.markers {
            let xx = x(m.on);
            let _ = writeln!(
                svg,
                r##"<line x1="{xx:.1}" y1="24" x2="{xx:.1}" y2="212" stroke="#b00020" stroke-dasharray="5 4"/><text x="{tx:.1}" y="20" fill="#b00020" text-anchor="middle">{months} mo</text>"##,
                tx = xx,
                months = m.months,
            );
        }
        let ax = x(self.as_of);
        let _ = writeln!(
            svg,
            r##"<line x1="{ax:.1}" y1="30" x2="{ax:.1}" y2="212" stroke="#000" stroke-width="1.5"/><text x="{ax:.1}" y="244" text-anchor="{anchor}" fill="#000">{as_of}</text>"##,
            // Near the right edge the date would be cut off: end it at the line instead.
            anchor = if ax > W - RIGHT - 40.0 {
                "end"
            } else {
                "middle"
            },
            as_of = self.as_of
        );
        svg.push_str("</svg>\n");
        svg
    }

    /// A one-paragraph description of the picture, for screen readers and the `<desc>`.
    pub fn describe(&self) -> String {
        let months_on = |side: Side| -> f64 {
            self.segments
                .iter()
                .filter(|s| s.role.side() == side)
                .map(|s| months_between(s.start, s.end))
                // An empty sum of floats is -0.0, which would print as "-0".
                .sum::<f64>()
                + 0.0
        };
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        let planned = self.planned_swings();
        let plan = match planned.first() {
            None if self.planned.is_empty() => String::new(),
            None => " The plan keeps them on their side of the pendulum.".to_owned(),
            Some((on, _, to)) => format!(
                " The plan has {}, the first to {to} on {on}.",
                plural(planned.len(), "swing", "swings")
            ),
        };
        format!(
            "{}, {}; {:.0} months hands-on and {:.0} months managing as of {}.{plan}",
            plural(self.segments.len(), "stint", "stints"),
            plural(self.swings.len(), "swing", "swings"),
            months_on(Side::HandsOn),
            months_on(Side::Management),
            self.as_of
        )
    }
}

/// Where a role is drawn (top and height) and in which colour: hands-on above the centre
/// line, management below, the hybrid across it.
fn role_band(role: Role) -> (f64, f64, &'static str) {
    match role {
        Role::Engineer => (50.0, 60.0, "#2f7fc1"),
        Role::TechLead => (40.0, 70.0, "#1d4e89"),
        Role::Manager => (130.0, 70.0, "#c4622d"),
        Role::Hybrid => (85.0, 70.0, "#7d4fa0"),
    }
}

/// Escapes text for XML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}
