//! `demo`: a realistic synthetic org in a fresh database, and its report.

use std::path::Path;

use anyhow::{Result, bail};
use chrono::NaiveDate;
use pendulum_core::{Account, AccountRole, Change, Email, Ledger, Report};
use pendulum_demo::DemoSpec;
use pendulum_store::{NewAccount, Store};

use crate::context::{Context, default_data_file, today};
use crate::output;

#[derive(Debug)]
pub struct DemoArgs<'a> {
    pub db: Option<&'a str>,
    pub policy: Option<&'a Path>,
    pub people: usize,
    pub seed: u64,
    /// Where to serve the dashboard afterwards, if at all.
    pub serve: Option<std::net::SocketAddr>,
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
            // A year more than the longest look-back of the git shares, so the dashboard
            // shows them and the activity charts have a past.
            git_months: ctx.policy.hands_on_distance.alert_months + 12,
        },
        &ctx.policy,
    );
    let ledger = Ledger::build(parts.clone())
        .map_err(|p| anyhow::anyhow!("the demo generator made an invalid org:\n{p}"))?;
    let mut change = Change::inserting(&parts);
    change.policy = Some(ctx.policy.clone());
    ctx.store.apply(&change).await?;
    let report = Report::new(&ledger, &ctx.policy, as_of);
    super::reading::print_report(&ledger, &report, &ctx.policy.hands_on_distance)?;
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
    let Some(bind) = args.serve else {
        return Ok(());
    };
    let accounts = demo_accounts(&ctx, &ledger, as_of).await?;
    output::line("")?;
    output::line(output::heading(format!(
        "demo accounts (password: {DEMO_PASSWORD})"
    )))?;
    for (email, role, person) in &accounts {
        output::line(format!("  {email:<24} {:<8} {person}", role.as_str()))?;
    }
    output::line(output::dim("Ctrl-C stops the server"))?;
    // The demo serves this machine alone: no proxy in front of it to trust.
    let proxies = pendulum_server::TrustedProxies::default();
    super::accounts::serve(
        ctx,
        bind,
        super::accounts::Cookies::Plain,
        proxies,
        crate::cli::LogFormat::Text,
    )
    .await
}

/// The demo's password: printed for anyone to use, which is fine for a throwaway database
/// on the loopback address and nowhere else.
const DEMO_PASSWORD: &str = "swing-the-pendulum";

/// An admin, the org's top manager, and a member with nudges to look at.
async fn demo_accounts(
    ctx: &Context,
    ledger: &Ledger,
    as_of: NaiveDate,
) -> Result<Vec<(String, AccountRole, String)>> {
    let top = ledger.people().iter().find(|p| p.manager.is_none());
    let nudged = pendulum_core::rules::evaluate(ledger, &ctx.policy, as_of)
        .into_iter()
        .map(|n| n.person)
        .find(|p| ledger.person(p).is_some_and(|x| x.manager.is_some()));
    let mut wanted = vec![("admin@demo.example".to_owned(), AccountRole::Admin, None)];
    if let Some(top) = top {
        wanted.push((
            "manager@demo.example".to_owned(),
            AccountRole::Manager,
            Some(top.id.clone()),
        ));
    }
    if let Some(member) = nudged {
        wanted.push((
            "member@demo.example".to_owned(),
            AccountRole::Member,
            Some(member),
        ));
    }
    let hash = tokio::task::spawn_blocking(|| pendulum_server::auth::hash_password(DEMO_PASSWORD))
        .await??;
    let mut made = Vec::new();
    for (email, role, person) in wanted {
        let account = Account {
            email: Email::parse(&email)?,
            role,
            person: person.clone(),
        };
        ctx.store
            .create_account(&NewAccount {
                account,
                password_hash: hash.clone(),
            })
            .await?;
        let who = person
            .and_then(|p| ledger.person(&p).map(|x| format!("{} ({})", x.name, x.id)))
            .unwrap_or_default();
        made.push((email, role, who));
    }
    Ok(made)
}
