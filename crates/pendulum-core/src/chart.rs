//! The frame the person page's period charts share: git activity by month and calendar
//! load by week are both a row of bars over the stints of the time they cover, on a value
//! axis with a dashed threshold, in the same size, so that they line up under the timeline.
//! Each chart draws its own bars, ticks and legend inside this frame.

use std::fmt::Write;

use crate::role::{Role, Side};
use crate::timeline::escape;

pub(crate) const W: f64 = 880.0;
pub(crate) const H: f64 = 230.0;
pub(crate) const LEFT: f64 = 110.0;
pub(crate) const RIGHT: f64 = 20.0;
pub(crate) const TOP: f64 = 40.0;
pub(crate) const BOTTOM: f64 = 190.0;

/// A stint behind the bars: its role and the periods it covers, as indices into the bars.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Band {
    pub role: Role,
    pub first: usize,
    pub last: usize,
}

/// The geometry of one chart: `slots` bars across, values up to `top`.
pub(crate) struct Frame {
    slot: f64,
    top: f64,
}

impl Frame {
    /// A frame for `slots` bars whose highest value is `highest`, with room above it,
    /// rounded up to a multiple of ten so that the middle grid line is a whole number.
    pub(crate) fn new(slots: usize, highest: f64) -> Self {
        Self {
            slot: (W - LEFT - RIGHT) / slots as f64,
            top: (highest * 1.1 / 10.0).ceil().max(1.0) * 10.0,
        }
    }

    pub(crate) fn slot(&self) -> f64 {
        self.slot
    }

    /// The left edge of slot `i`.
    pub(crate) fn x(&self, i: usize) -> f64 {
        LEFT + i as f64 * self.slot
    }

    /// The height of value `v`.
    pub(crate) fn y(&self, v: f64) -> f64 {
        BOTTOM - v / self.top * (BOTTOM - TOP)
    }

    /// The left edge and width of slot `i`'s bar: a pixel apart from its neighbours when
    /// there is room for it.
    pub(crate) fn bar(&self, i: usize) -> (f64, f64) {
        let gap = if self.slot >= 4.0 { 1.0 } else { 0.0 };
        (self.x(i) + gap / 2.0, (self.slot - gap).max(0.5))
    }

    /// Opens the document: `id` prefixes the title's and description's ids, so that charts
    /// can share a page; `defs` goes before the background (patterns, say).
    pub(crate) fn open(svg: &mut String, id: &str, title: &str, desc: &str, defs: &str) {
        let _ = write!(
            svg,
            r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" width="{W}" height="{H}" role="img" aria-labelledby="{id}-t {id}-d" font-family="system-ui, sans-serif" font-size="12">
<title id="{id}-t">{title}</title>
<desc id="{id}-d">{desc}</desc>
{defs}<rect width="{W}" height="{H}" fill="#ffffff"/>
"##,
            title = escape(title),
            desc = escape(desc),
        );
    }

    /// The stints behind the bars, coloured by side, each titled with its role and the
    /// periods `period` names; `fill_extra` adds attributes to each band's fill.
    pub(crate) fn bands(
        &self,
        svg: &mut String,
        bands: &[Band],
        fill_extra: &str,
        period: impl Fn(usize) -> String,
    ) {
        for band in bands {
            let (fill, ink) = match (band.role, band.role.side()) {
                (Role::Hybrid, _) => ("#f1eaf6", "#5e3a79"),
                (_, Side::HandsOn) => ("#e8f1fa", "#1d4e89"),
                (_, Side::Management) => ("#fbeee6", "#9a3f12"),
            };
            let (x0, x1) = (self.x(band.first), self.x(band.last + 1));
            let _ = writeln!(
                svg,
                r##"<rect x="{x0:.1}" y="{TOP}" width="{w:.1}" height="{h}" fill="{fill}"{fill_extra}><title>{role}, {from} to {to}</title></rect>"##,
                w = x1 - x0,
                h = BOTTOM - TOP,
                role = band.role,
                from = period(band.first),
                to = period(band.last),
            );
            if band.first > 0 {
                // Where one stint gives way to the next, even on the same side.
                let _ = writeln!(
                    svg,
                    r##"<line x1="{x0:.1}" y1="{TOP}" x2="{x0:.1}" y2="{BOTTOM}" stroke="#ffffff" stroke-width="2"/>"##
                );
            }
            if x1 - x0 > 70.0 {
                let _ = writeln!(
                    svg,
                    r##"<text x="{tx:.1}" y="{ty}" fill="{ink}">{role}</text>"##,
                    tx = x0 + 4.0,
                    ty = TOP + 14.0,
                    role = band.role,
                );
            }
        }
    }

    /// The value axis: zero, the middle and the top, with faint grid lines, and the unit.
    pub(crate) fn value_axis(&self, svg: &mut String, unit: &str) {
        for v in [0.0, self.top / 2.0, self.top] {
            let yy = self.y(v);
            let _ = writeln!(
                svg,
                r##"<line x1="{LEFT}" y1="{yy:.1}" x2="{end}" y2="{yy:.1}" stroke="#e4e4e4"/><text x="{tx}" y="{ty:.1}" text-anchor="end" fill="#555">{v}</text>"##,
                end = W - RIGHT,
                tx = LEFT - 6.0,
                ty = yy + 4.0,
            );
        }
        let _ = writeln!(
            svg,
            r##"<text x="10" y="{ty}" fill="#555">{unit}</text>"##,
            ty = TOP + 14.0
        );
    }

    /// A tick under slot `i` with its label.
    pub(crate) fn tick(&self, svg: &mut String, i: usize, label: &str) {
        let xx = self.x(i);
        let _ = writeln!(
            svg,
            r##"<line x1="{xx:.1}" y1="{BOTTOM}" x2="{xx:.1}" y2="{tick}" stroke="#555"/><text x="{xx:.1}" y="{ty}" fill="#555">{label}</text>"##,
            tick = BOTTOM + 5.0,
            ty = BOTTOM + 18.0,
        );
    }

    /// The dashed line of the policy's threshold at `value`, labelled on the axis.
    pub(crate) fn threshold(&self, svg: &mut String, value: f64, label: &str) {
        let ty = self.y(value);
        let _ = writeln!(
            svg,
            r##"<line x1="{LEFT}" y1="{ty:.1}" x2="{end}" y2="{ty:.1}" stroke="#b00020" stroke-dasharray="5 4"/><text x="{tx}" y="{ly:.1}" text-anchor="end" fill="#b00020">{label}</text>"##,
            end = W - RIGHT,
            tx = LEFT - 6.0,
            ly = ty + 4.0,
        );
    }
}
