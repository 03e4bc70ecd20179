//! `demo`: a realistic synthetic org in a fresh database, and its report.

use std::path::Path;

use anyhow::{Result, bail};
use chrono::NaiveDate;
use pendulum_core::{Change, Ledger, Report};
use pendulum_demo::DemoSpec;
use pendulum_store::Store;

use crate::context::{Context, default_data_file, today};
use crate::output;

#[derive(Debug)]
pub struct DemoArgs<'a> {
    pub db: Option<&'a str>,
    pub policy: Option<&'a Path>,
    pub people: usize,
    pub seed: u64,
    pub no_serve: bool,
    pub as_of: Option<NaiveDate>,
}

pub async fn demo(args: DemoArgs<'_>) -> Result<()> {
    if args.people == 0 {
        bail!("--people: the demo org needs at least one person");
    }
    // The default demo database is ours to replace; a database named with --db is only
    // used when it is empty, so a demo can never overwrite real data.
    let location = match args.db {
        Some(db) => db.to_owned(),
        None => {
            let path = default_data_file("demo.db")?;
            for suffix in ["", "-wal", "-shm"] {
                let file = path.with_file_name(format!("demo.db{suffix}"));
                if file.exists() {
                    std::fs::remove_file(&file)?;
                }
            }
            path.display().to_string()
        }
    };
    let ctx = Context::open(Some(&location), args.policy).await?;
    if !ctx.store.is_empty().await? {
        bail!(
            "{location} already holds a ledger; the demo only writes to an empty database (leave out --db to use the demo's own)"
        );
    }
    let as_of = args.as_of.unwrap_or_else(today);
    let parts = pendulum_demo::generate(
        &DemoSpec {
            people: args.people,
            seed: args.seed,
            as_of,
        },
        &ctx.policy,
    );
    let ledger = Ledger::build(parts.clone())
        .map_err(|p| anyhow::anyhow!("the demo generator made an invalid org:\n{p}"))?;
    let mut change = Change::inserting(&parts);
    change.policy = Some(ctx.policy.clone());
    ctx.store.apply(&change).await?;
    let report = Report::new(&ledger, &ctx.policy, as_of);
    super::reading::print_report(&ledger, &report, ctx.policy.hands_on_distance.alert_months)?;
    output::line("")?;
    output::line(format!(
        "demo org of {} people (seed {}) written to {location}",
        args.people, args.seed
    ))?;
    output::line(format!(
        "try: pendulum --db {location} nudges --severity alert"
    ))?;
    if let Some(p) = ledger.people().first() {
        output::line(format!(
            "     pendulum --db {location} timeline {} --svg {}.svg",
            p.id, p.id
        ))?;
    }
    if !args.no_serve {
        output::line(output::dim(
            "the web dashboard is not part of this build yet; the report above is the demo",
        ))?;
    }
    Ok(())
}
