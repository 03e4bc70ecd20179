//! A person's monthly git activity, as data and as an SVG bar chart.
//!
//! The chart sits under the pendulum timeline on the person page: one bar per month with
//! commits (authored, with co-authored stacked on top), the policy's hands-on threshold as a
//! dashed line, and the stints behind the bars, so a manager's tapering activity reads
//! against the role they held. Merges are marked apart and never count as hands-on work;
//! months read from a shallow clone are hatched, since they may be missing commits.

use std::fmt::Write;

use chrono::{Months, NaiveDate};

use crate::chart::{BOTTOM, Frame, LEFT};
use crate::ledger::{Ledger, Person};
use crate::period::YearMonth;
use crate::policy::Policy;
use crate::timeline::escape;

/// One month of git evidence, zero where git has nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bar {
    pub month: YearMonth,
    pub commits: u32,
    pub coauthored: u32,
    pub merges: u32,
    /// Read from a shallow clone: the month may be missing commits.
    pub partial: bool,
}

impl Bar {
    /// The commits that count as hands-on work: authored and co-authored, not merges.
    pub fn hands_on_commits(&self) -> u32 {
        self.commits + self.coauthored
    }
}

pub use crate::chart::Band;

/// A person's git activity as of a day.
#[derive(Debug, Clone)]
pub struct Activity<'a> {
    pub person: &'a Person,
    pub as_of: NaiveDate,
    /// A month with this many commits, authored or co-authored, is hands-on.
    pub threshold: u32,
    /// Every month from the first with evidence to the month of `as_of`, oldest first.
    pub bars: Vec<Bar>,
    pub bands: Vec<Band>,
}

impl<'a> Activity<'a> {
    /// The activity of the person at index `i`, or `None` when git has no evidence for them
    /// up to the month of `as_of`.
    pub fn new(ledger: &'a Ledger, i: usize, policy: &Policy, as_of: NaiveDate) -> Option<Self> {
        let until = YearMonth::of(as_of);
        let git = ledger.git_of(i);
        let git = &git[..git.partition_point(|g| g.month <= until)];
        let from = git.first()?.month;
        let mut bars = Vec::new();
        let mut month = Some(from);
        while let Some(m) = month.filter(|m| *m <= until) {
            bars.push(Bar {
                month: m,
                commits: 0,
                coauthored: 0,
                merges: 0,
                partial: false,
            });
            month = next(m);
        }
        for g in git {
            let bar = &mut bars[index(from, g.month)];
            bar.commits = g.commits;
            bar.coauthored = g.coauthored;
            bar.merges = g.merges;
            bar.partial = g.partial;
        }
        let last = bars.len() - 1;
        let bands = ledger
            .stints_of(i)
            .iter()
            .filter(|s| s.start <= as_of)
            .filter_map(|s| {
                let end = s
                    .end
                    .and_then(|e| e.pred_opt())
                    .map_or(until, YearMonth::of)
                    .min(until);
                let start = YearMonth::of(s.start).max(from);
                (start <= end && end >= from).then(|| Band {
                    role: s.role,
                    first: index(from, start),
                    last: index(from, end).min(last),
                })
            })
            .collect();
        Some(Activity {
            person: ledger.person_at(i),
            as_of,
            threshold: policy.git.hands_on_commits,
            bars,
            bands,
        })
    }

    /// Whether any month was read from a shallow clone.
    pub fn has_partial(&self) -> bool {
        self.bars.iter().any(|b| b.partial)
    }

    /// The chart as a standalone SVG document (accessible: it has a title and a description,
    /// and every text is escaped). Its ids start with `activity-`, so it can share a page
    /// with the timeline.
    pub fn to_svg(&self) -> String {
        let highest = self
            .bars
            .iter()
            .map(|b| b.hands_on_commits().max(b.merges))
            .max()
            .unwrap_or(0)
            .max(self.threshold);
        let frame = Frame::new(self.bars.len(), f64::from(highest));
        let y = |v: u32| frame.y(f64::from(v));
        let mut svg = String::new();
        Frame::open(
            &mut svg,
            "activity",
            &format!("Monthly git activity of {}", self.person.name),
            &self.describe(),
            r##"<defs><pattern id="activity-partial" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="3" height="6" fill="#ffffff" fill-opacity="0.6"/></pattern></defs>
"##,
        );
        frame.bands(&mut svg, &self.bands, "", |i| {
            self.bars[i].month.to_string()
        });
        frame.value_axis(&mut svg, "commits");
        // Year labels under each January, and under the first month when there is room
        // before the next January.
        for (i, b) in self.bars.iter().enumerate() {
            let room = f64::from(13 - b.month.month()) * frame.slot() >= 60.0;
            if b.month.month() == 1 || (i == 0 && room) {
                let label = if b.month.month() == 1 {
                    b.month.year().to_string()
                } else {
                    b.month.to_string()
                };
                frame.tick(&mut svg, i, &label);
            }
        }
        for (i, b) in self.bars.iter().enumerate() {
            if b.hands_on_commits() == 0 && b.merges == 0 {
                continue;
            }
            let (x0, w) = frame.bar(i);
            let label = escape(&self.label(b));
            let _ = write!(svg, "<g><title>{label}</title>");
            if b.hands_on_commits() > 0 {
                let (yc, yt) = (y(b.commits), y(b.hands_on_commits()));
                let _ = write!(
                    svg,
                    r##"<rect x="{x0:.1}" y="{yc:.1}" width="{w:.1}" height="{h:.1}" fill="#2f7fc1"/>"##,
                    h = BOTTOM - yc,
                );
                if b.coauthored > 0 {
                    let _ = write!(
                        svg,
                        r##"<rect x="{x0:.1}" y="{yt:.1}" width="{w:.1}" height="{h:.1}" fill="#8fbfe6"/>"##,
                        h = yc - yt,
                    );
                }
                if b.partial {
                    let _ = write!(
                        svg,
                        r##"<rect x="{x0:.1}" y="{yt:.1}" width="{w:.1}" height="{h:.1}" fill="url(#activity-partial)" stroke="#555" stroke-width="0.5"/>"##,
                        h = BOTTOM - yt,
                    );
                }
            }
            if b.merges > 0 {
                let _ = write!(
                    svg,
                    r##"<circle cx="{cx:.1}" cy="{cy:.1}" r="2.5" fill="#777"/>"##,
                    cx = x0 + w / 2.0,
                    cy = y(b.merges),
                );
            }
            svg.push_str("</g>\n");
        }
        frame.threshold(
            &mut svg,
            f64::from(self.threshold),
            &format!("hands-on {}", self.threshold),
        );
        // The legend.
        let _ = writeln!(
            svg,
            r##"<rect x="{LEFT}" y="12" width="10" height="10" fill="#2f7fc1"/><text x="{a}" y="21">commits</text><rect x="{b}" y="12" width="10" height="10" fill="#8fbfe6"/><text x="{c}" y="21">co-authored</text><circle cx="{d}" cy="17" r="2.5" fill="#777"/><text x="{e}" y="21">merges (not hands-on)</text><line x1="{f}" y1="17" x2="{g}" y2="17" stroke="#b00020" stroke-dasharray="5 4"/><text x="{h}" y="21">hands-on threshold</text>{partial}"##,
            a = LEFT + 14.0,
            b = LEFT + 80.0,
            c = LEFT + 94.0,
            d = LEFT + 185.0,
            e = LEFT + 192.0,
            f = LEFT + 335.0,
            g = LEFT + 360.0,
            h = LEFT + 365.0,
            partial = if self.has_partial() {
                format!(
                    r##"<rect x="{x}" y="12" width="10" height="10" fill="#2f7fc1"/><rect x="{x}" y="12" width="10" height="10" fill="url(#activity-partial)"/><text x="{t}" y="21">partial (shallow clone)</text>"##,
                    x = LEFT + 485.0,
                    t = LEFT + 499.0,
                )
            } else {
                String::new()
            },
        );
        svg.push_str("</svg>\n");
        svg
    }

    /// A month's bar in words, for its tooltip.
    fn label(&self, b: &Bar) -> String {
        let mut text = format!("{}: {}", b.month, count(b.commits, "commit", "commits"));
        if b.coauthored > 0 {
            let _ = write!(text, ", {} co-authored", b.coauthored);
        }
        if b.merges > 0 {
            let _ = write!(
                text,
                ", {} (not hands-on)",
                count(b.merges, "merge", "merges")
            );
        }
        if b.hands_on_commits() >= self.threshold {
            text.push_str("; hands-on");
        }
        if b.partial {
            text.push_str("; partial: read from a shallow clone, commits may be missing");
        }
        text
    }

    /// A one-paragraph description of the chart, for screen readers and the `<desc>`.
    pub fn describe(&self) -> String {
        let active = self
            .bars
            .iter()
            .filter(|b| b.hands_on_commits() > 0)
            .count();
        let hands_on: Vec<&Bar> = self
            .bars
            .iter()
            .filter(|b| b.hands_on_commits() >= self.threshold)
            .collect();
        let (first, last) = (&self.bars[0], &self.bars[self.bars.len() - 1]);
        let mut text = format!(
            "Commits in {active} of {} months from {} to {}; {} of them hands-on (at least {} commits, authored or co-authored)",
            self.bars.len(),
            first.month,
            last.month,
            hands_on.len(),
            self.threshold,
        );
        match hands_on.last() {
            Some(b) => {
                let _ = write!(text, ", the last in {}.", b.month);
            }
            None => text.push('.'),
        }
        text.push_str(" Merges are shown apart and never count as hands-on work.");
        let partial = self.bars.iter().filter(|b| b.partial).count();
        if partial > 0 {
            let _ = write!(
                text,
                " {partial} {} read from a shallow clone and may be missing commits.",
                if partial == 1 {
                    "month was"
                } else {
                    "months were"
                }
            );
        }
        text
    }
}

/// `1 commit`, `2 commits`.
fn count(n: u32, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn next(m: YearMonth) -> Option<YearMonth> {
    m.first_day()
        .checked_add_months(Months::new(1))
        .map(YearMonth::of)
}

/// Months from `from` to `m`.
fn index(from: YearMonth, m: YearMonth) -> usize {
    let n = (m.year() - from.year()) * 12 + m.month() as i32 - from.month() as i32;
    usize::try_from(n).unwrap_or(0)
}
