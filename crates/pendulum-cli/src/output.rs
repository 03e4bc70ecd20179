//! Terminal output: tables that fit the terminal, colours that honour `NO_COLOR` and vanish
//! off a terminal, and JSON for scripts.

use std::io::{self, Write};

use anstyle::{AnsiColor, Style};
use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{ContentArrangement, Table};
use pendulum_core::Severity;

pub const ERROR: Style = AnsiColor::Red.on_default().bold();
pub const HEADING: Style = Style::new().bold();
pub const DIM: Style = Style::new().dimmed();

/// A table with a header, wrapped to the terminal's width.
pub fn table<I: IntoIterator<Item = S>, S: Into<comfy_table::Cell>>(header: I) -> Table {
    let mut t = Table::new();
    t.load_style(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(header);
    t
}

pub fn severity_style(s: Severity) -> Style {
    match s {
        Severity::Alert => AnsiColor::Red.on_default().bold(),
        Severity::Warn => AnsiColor::Yellow.on_default().bold(),
        Severity::Info => AnsiColor::Cyan.on_default(),
    }
}

/// `severity` in its colour (plain text off a terminal or with `NO_COLOR`).
pub fn severity(s: Severity) -> String {
    let style = severity_style(s);
    format!("{}{}{}", style.render(), s, style.render_reset())
}

/// Writes a line to stdout through the colour-aware stream; errors (a closed pipe) propagate.
pub fn line(text: impl AsRef<str>) -> io::Result<()> {
    let mut out = anstream::stdout().lock();
    writeln!(out, "{}", text.as_ref())
}

/// Pretty JSON to stdout with a trailing newline.
pub fn json(value: &serde_json::Value) -> io::Result<()> {
    let mut out = io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, value)?;
    writeln!(out)
}

/// A share as a percentage, or a dash when the group is empty.
pub fn percent(share: Option<f64>) -> String {
    share.map_or_else(|| "-".into(), |s| format!("{:.0}%", s * 100.0))
}

pub fn ratio(value: Option<f64>) -> String {
    value.map_or_else(|| "-".into(), |v| format!("{v:.2}"))
}

pub fn heading(text: impl AsRef<str>) -> String {
    format!(
        "{}{}{}",
        HEADING.render(),
        text.as_ref(),
        HEADING.render_reset()
    )
}

pub fn dim(text: impl AsRef<str>) -> String {
    format!("{}{}{}", DIM.render(), text.as_ref(), DIM.render_reset())
}

/// A progress bar on stderr for an ingest's read, hidden off a terminal. `template` is
/// indicatif's: `{pos}` and `{len}` count repositories or files, `{msg}` the commits read.
pub struct Bar(indicatif::ProgressBar);

impl Bar {
    pub fn new(template: &str) -> Self {
        let bar = indicatif::ProgressBar::new(0);
        bar.set_style(
            indicatif::ProgressStyle::with_template(template).expect("the template is valid"),
        );
        Self(bar)
    }
}

impl pendulum_app::ingest::Progress for Bar {
    fn start(&self, total: usize) {
        self.0.set_length(total as u64);
    }

    fn advance(&self, done: usize, commits: u64) {
        self.0.set_position(done as u64);
        self.0.set_message(commits.to_string());
    }

    fn finish(&self) {
        self.0.finish_and_clear();
    }
}
