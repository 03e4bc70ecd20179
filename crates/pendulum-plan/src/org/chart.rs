//! The rotation plan drawn as an SVG table: a row per team, a column per quarter, the
//! manager's name in each cell, new managers marked, interim quarters in red.

use std::collections::HashMap;
use std::fmt::Write as _;

use pendulum_core::timeline::escape;

use super::RotationPlan;

const NAME_WIDTH: f64 = 230.0;
const CELL_WIDTH: f64 = 118.0;
const ROW_HEIGHT: f64 = 26.0;
const TOP: f64 = 46.0;

/// A self-contained SVG document of `plan`.
pub fn to_svg(plan: &RotationPlan) -> String {
    let names: HashMap<&str, &str> = plan
        .people
        .iter()
        .map(|p| (p.id.as_str(), p.name.as_str()))
        .collect();
    let quarters = plan.horizon.len();
    let width = NAME_WIDTH + CELL_WIDTH * quarters as f64 + 10.0;
    let height = TOP + ROW_HEIGHT * plan.teams.len() as f64 + 44.0;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0} {height:.0}" width="{width:.0}" height="{height:.0}" role="img" font-family="system-ui, sans-serif" font-size="12">"##
    );
    let title = if plan.feasible {
        format!(
            "Rotation plan {} to {}",
            plan.horizon.first().map_or("", String::as_str),
            plan.horizon.last().map_or("", String::as_str)
        )
    } else {
        "No plan found that keeps every constraint: the closest plan, with interim managers"
            .to_owned()
    };
    let _ = write!(
        svg,
        r##"<title>{}</title><text x="4" y="16" font-weight="bold" font-size="14">{}</text>"##,
        escape(&title),
        escape(&title)
    );
    for (q, quarter) in plan.horizon.iter().enumerate() {
        let x = NAME_WIDTH + CELL_WIDTH * q as f64 + CELL_WIDTH / 2.0;
        let _ = write!(
            svg,
            r##"<text x="{x:.1}" y="{:.1}" text-anchor="middle" font-weight="bold">{}</text>"##,
            TOP - 8.0,
            escape(quarter)
        );
    }
    for (row, team) in plan.teams.iter().enumerate() {
        let y = TOP + ROW_HEIGHT * row as f64;
        let _ = write!(
            svg,
            r##"<text x="4" y="{:.1}">{} <tspan fill="#666">({}, {})</tspan></text>"##,
            y + 17.0,
            escape(&team.name),
            escape(&team.department),
            team.headcount
        );
        let mut previous: Option<&str> = team.manager_now.as_deref();
        for (q, manager) in team.managers.iter().enumerate() {
            let x = NAME_WIDTH + CELL_WIDTH * q as f64;
            let (fill, label, class) = match manager.as_deref() {
                None => ("#f4c7c3", "interim".to_owned(), "interim"),
                Some(id) => {
                    let name = names.get(id).copied().unwrap_or(id);
                    if previous != Some(id) {
                        ("#ffe29a", format!("▶ {name}"), "new")
                    } else {
                        ("#d6e4f5", name.to_owned(), "kept")
                    }
                }
            };
            previous = manager.as_deref();
            let _ = write!(
                svg,
                r##"<g class="{class}"><rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" rx="3" fill="{fill}"/><text x="{:.1}" y="{:.1}" text-anchor="middle">{}</text></g>"##,
                x + 1.0,
                y + 2.0,
                CELL_WIDTH - 2.0,
                ROW_HEIGHT - 4.0,
                x + CELL_WIDTH / 2.0,
                y + 17.0,
                escape(&shorten(&label, 18))
            );
        }
    }
    let legend_y = TOP + ROW_HEIGHT * plan.teams.len() as f64 + 24.0;
    let _ = write!(
        svg,
        r##"<g font-size="11"><rect x="4" y="{:.1}" width="12" height="12" fill="#d6e4f5"/><text x="20" y="{:.1}">manager stays</text><rect x="120" y="{:.1}" width="12" height="12" fill="#ffe29a"/><text x="136" y="{:.1}">▶ new manager ({} swings in the plan)</text><rect x="420" y="{:.1}" width="12" height="12" fill="#f4c7c3"/><text x="436" y="{:.1}">interim manager</text></g></svg>"##,
        legend_y - 10.0,
        legend_y,
        legend_y - 10.0,
        legend_y,
        plan.swings.len(),
        legend_y - 10.0,
        legend_y,
    );
    svg
}

fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut out: String = text.chars().take(max - 1).collect();
    out.push('…');
    out
}
