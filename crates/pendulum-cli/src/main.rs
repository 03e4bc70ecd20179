//! The `pendulum` command line: argument parsing, wiring of store, policy and core, and
//! terminal output. Everything that decides anything lives in the library crates.
//!
//! Exit codes: 0 success, 1 an error (bad input, a refused change, an unreadable file),
//! 2 a usage error. Data goes to stdout and diagnostics to stderr; a closed pipe on stdout
//! (`pendulum report | head`) is a normal end, not an error.

mod cli;
mod commands;
mod context;
mod output;

use std::io::{self, Write};
use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => return fail(&anyhow::anyhow!("cannot start the async runtime: {e}")),
    };
    match runtime.block_on(commands::run(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => fail(&e),
    }
}

/// Prints the error chain without a backtrace: these are users' errors, not crashes.
fn fail(e: &anyhow::Error) -> ExitCode {
    let _ = io::stdout().flush();
    anstream::eprintln!(
        "{}error:{} {e:#}",
        output::ERROR.render(),
        output::ERROR.render_reset()
    );
    ExitCode::from(1)
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain()
        .filter_map(|c| c.downcast_ref::<io::Error>())
        .any(|io| io.kind() == io::ErrorKind::BrokenPipe)
}
