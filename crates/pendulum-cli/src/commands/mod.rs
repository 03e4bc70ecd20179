//! One function per command. Each opens what it needs through [`Context`], asks the library
//! crates to do the work, and prints the result.

mod accounts;
mod backup;
mod calendar;
mod career;
mod demo;
mod exchange;
mod ingest;
mod people;
mod plan;
mod reading;

use std::io::{self, Write};
use std::path::Path;

use anyhow::{Context as _, Result};
use clap::CommandFactory;
use pendulum_app::acting::{Action, Who, WriteError};
use pendulum_app::reading::ReadError;
use pendulum_core::{EditError, Ledger, PersonId};
use pendulum_store::{Store, StoreError};

use crate::cli::{
    CalendarCommand, Cli, Command, PlanCommand, PolicyCommand, TokenCommand, UserCommand,
};
use crate::context::{Context, PolicySource, read_policy};
use crate::output;

/// A use case's refusal as the command line words it: `what` names the command in a
/// refusal by the ledger, and a store that could not write says which write it was.
pub fn not_done(what: &str, action: Action, e: WriteError) -> anyhow::Error {
    match e {
        WriteError::Refused(problems) | WriteError::Edit(EditError::Rejected(problems)) => {
            anyhow::anyhow!("{what} refused:\n{problems}")
        }
        WriteError::Edit(other) => anyhow::anyhow!("{what} refused: {other}"),
        WriteError::Conflict(message) => not_written(action, StoreError::Conflict(message)),
        WriteError::Store(e) => not_written(action, e),
        other => anyhow::Error::new(other),
    }
}

/// A reading's refusal as the command line words it. The operator sees everyone, so the one
/// refusal they meet is a person who is not there.
pub fn not_read(e: ReadError) -> anyhow::Error {
    match e {
        ReadError::NotFound(id) => no_such_person(&id),
        other => anyhow::Error::new(other),
    }
}

/// What every command says of an id that names nobody.
pub fn no_such_person(id: &PersonId) -> anyhow::Error {
    anyhow::anyhow!(
        "no person has the id {:?}; `pendulum person list` shows who is there",
        id.as_str()
    )
}

fn not_written(action: Action, e: StoreError) -> anyhow::Error {
    anyhow::Error::new(e).context(format!(
        "{} was not written",
        action.audit_name(&Who::Operator)
    ))
}

pub async fn run(cli: Cli) -> Result<()> {
    let db = cli.db.as_deref();
    let policy = cli.policy.as_deref();
    match cli.command {
        Command::Init => {
            let ctx = Context::open(db, policy).await?;
            output::line(format!("database ready at {}", ctx.location))?;
            Ok(())
        }
        // clap keeps FILE... and --person-ledger apart.
        Command::Import {
            files: _,
            person_ledger: Some(file),
            as_person,
            dry_run,
            json,
        } => {
            let ctx = Context::open(db, policy).await?;
            exchange::import_person(&ctx, &file, as_person, dry_run, json).await
        }
        Command::Import {
            files,
            dry_run,
            json,
            ..
        } => exchange::import(&Context::open(db, policy).await?, &files, dry_run, json).await,
        Command::Export {
            json: _,
            output,
            person: Some(person),
            org,
        } => {
            let ctx = Context::open(db, policy).await?;
            let org = org.as_deref().unwrap_or(pendulum_exchange::UNNAMED_ORG);
            exchange::export_person(&ctx, &person, org, output.as_deref()).await
        }
        Command::Export { output, .. } => {
            exchange::export(&Context::open(db, policy).await?, output.as_deref()).await
        }
        Command::Backup { file, force } => {
            let replace = if force {
                backup::Existing::Replace
            } else {
                backup::Existing::Refuse
            };
            backup::backup(&Context::open(db, policy).await?, &file, replace).await
        }
        Command::Db(crate::cli::DbCommand::Copy { from, to, json }) => {
            backup::copy(&from, &to, json).await
        }
        Command::Person(cmd) => people::person(&Context::open(db, policy).await?, cmd).await,
        Command::Swing {
            person,
            to,
            on,
            team,
            level,
            band,
            trial_until,
            chosen,
        } => {
            let ctx = Context::open(db, policy).await?;
            people::swing(
                &ctx,
                people::Swing {
                    person,
                    to,
                    on,
                    team,
                    level,
                    band,
                    trial_until,
                    chosen,
                },
            )
            .await
        }
        Command::Checkin(checkin) => {
            let ctx = Context::open(db, policy).await?;
            match (checkin.action, checkin.record) {
                (Some(action), _) => career::checkin(&ctx, action).await,
                (None, Some(r)) => {
                    let note = if r.note_stdin {
                        Some(read_note()?)
                    } else {
                        None
                    };
                    people::checkin(
                        &ctx,
                        people::CheckinArgs {
                            person: r.person,
                            joy: r.joy,
                            energy: r.energy,
                            learning: r.learning,
                            date: r.date,
                            note,
                        },
                    )
                    .await
                }
                (None, None) => anyhow::bail!(
                    "checkin needs a person and --joy, --energy and --learning, or `checkin delete`"
                ),
            }
        }
        Command::Stint(cmd) => career::stint(&Context::open(db, policy).await?, cmd).await,
        Command::History { id, json } => {
            career::history(&Context::open(db, policy).await?, &id, json).await
        }
        Command::Erase { id, yes, json } => {
            career::erase(&Context::open(db, policy).await?, &id, yes, json).await
        }
        Command::Report(reading) => {
            reading::report(&Context::open(db, policy).await?, &reading).await
        }
        Command::Nudges {
            reading,
            person,
            severity,
            rule,
        } => {
            let ctx = Context::open(db, policy).await?;
            reading::nudges(
                &ctx,
                &reading,
                person.as_ref(),
                severity.map(Into::into),
                rule.as_deref(),
            )
            .await
        }
        Command::Timeline {
            person,
            reading,
            svg,
        } => {
            reading::timeline(
                &Context::open(db, policy).await?,
                &person,
                &reading,
                svg.as_deref(),
            )
            .await
        }
        Command::Policy(PolicyCommand::Show { json }) => {
            policy_show(&Context::open(db, policy).await?, json)
        }
        Command::Policy(PolicyCommand::Set { file }) => {
            policy_set(&Context::open(db, policy).await?, &file).await
        }
        Command::Demo {
            people,
            seed,
            no_serve,
            bind,
            as_of,
        } => {
            let serve = (!no_serve).then_some(bind);
            demo::demo(demo::DemoArgs {
                db,
                policy,
                people,
                seed,
                serve,
                as_of,
            })
            .await
        }
        Command::Serve {
            bind,
            secure_cookies,
            trusted_proxies,
            log_format,
        } => {
            let security = if secure_cookies {
                accounts::Cookies::Secure
            } else {
                accounts::Cookies::Plain
            };
            let proxies = pendulum_server::TrustedProxies::new(trusted_proxies);
            let ctx = Context::open(db, policy).await?;
            accounts::serve(ctx, bind, security, proxies, log_format).await
        }
        Command::User(UserCommand::Add {
            email,
            role,
            person,
            password_stdin: _,
        }) => {
            let ctx = Context::open(db, policy).await?;
            accounts::add_user(&ctx, &email, role.into(), person).await
        }
        Command::User(UserCommand::Disable { email }) => {
            accounts::disable_user(&Context::open(db, policy).await?, &email).await
        }
        Command::User(UserCommand::Password {
            email,
            password_stdin: _,
        }) => accounts::set_password(&Context::open(db, policy).await?, &email).await,
        Command::User(UserCommand::SignOut { email }) => {
            accounts::sign_out_user(&Context::open(db, policy).await?, &email).await
        }
        Command::Token(TokenCommand::Create { email }) => {
            accounts::create_token(&Context::open(db, policy).await?, &email).await
        }
        Command::Token(TokenCommand::Revoke { id }) => {
            accounts::revoke_token(&Context::open(db, policy).await?, &id).await
        }
        Command::Ingest(crate::cli::IngestCommand::Git {
            paths,
            diffstat,
            json,
        }) => {
            let input = pendulum_app::ingest::GitInput { paths, diffstat };
            ingest::git(&Context::open(db, policy).await?, &input, json).await
        }
        Command::Ingest(crate::cli::IngestCommand::Calendar {
            paths,
            person,
            as_of,
            json,
        }) => {
            let ctx = Context::open(db, policy).await?;
            let input = pendulum_app::ingest::CalendarInput {
                paths,
                person,
                as_of: as_of.unwrap_or_else(crate::context::today),
            };
            calendar::ingest(&ctx, &input, json).await
        }
        Command::Plan(PlanCommand::Assignments {
            skills,
            backlog,
            capacity,
            json,
        }) => {
            let ctx = Context::open(db, policy).await?;
            plan::assignments(&ctx.policy, &skills, &backlog, capacity, json)
        }
        Command::Plan(PlanCommand::Rotations {
            quarters,
            from,
            pin,
            exclude,
            time_limit,
            json,
            svg,
        }) => {
            let args = plan::RotationArgs::parse(quarters, from, pin, exclude, time_limit)?;
            let ctx = Context::open(db, policy).await?;
            plan::rotations(&ctx, &args, json, svg.as_deref()).await
        }
        Command::Plan(PlanCommand::Check { file, json }) => plan::check(&file, json),
        Command::Calendar(CalendarCommand::Occurrences {
            file,
            from,
            to,
            json,
        }) => calendar::occurrences(&file, from, to, json),
        Command::Completions { shell } => {
            let mut out = io::stdout().lock();
            clap_complete::generate(shell, &mut Cli::command(), "pendulum", &mut out);
            out.flush()?;
            Ok(())
        }
    }
}

/// A private note from standard input, without its trailing newline.
fn read_note() -> Result<pendulum_core::Note> {
    let mut note = String::new();
    io::Read::read_to_string(&mut io::stdin(), &mut note)
        .context("cannot read the note from standard input")?;
    let note = note.trim_end_matches(['\n', '\r']).to_owned();
    pendulum_core::Note::parse(note)
        .map_err(|e| anyhow::anyhow!("note: {e}"))?
        .context("the note on standard input is empty; leave out --note-stdin for no note")
}

fn policy_show(ctx: &Context, json: bool) -> Result<()> {
    if json {
        output::json(&serde_json::to_value(&ctx.policy)?)?;
        return Ok(());
    }
    let source = match &ctx.policy_source {
        PolicySource::File(p) => format!("the file {}", p.display()),
        PolicySource::Database => format!("the database {}", ctx.location),
        PolicySource::Defaults => "the built-in defaults (see docs/POLICY.md)".to_owned(),
    };
    output::line(format!("# effective policy, from {source}"))?;
    output::line(ctx.policy.to_toml().trim_end())?;
    Ok(())
}

async fn policy_set(ctx: &Context, file: &Path) -> Result<()> {
    let policy = read_policy(file)?;
    // The stored levels must still be rungs of the new ladder.
    let ledger: Ledger = ctx.store.ledger(&policy.ladder).await.with_context(|| {
        format!(
            "the ledger does not fit the ladder of {}; every stored level must be on it",
            file.display()
        )
    })?;
    drop(ledger);
    ctx.store.set_policy(&policy).await?;
    output::line(format!(
        "policy from {} stored in {}",
        file.display(),
        ctx.location
    ))?;
    Ok(())
}
