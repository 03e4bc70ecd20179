//! The command-line grammar. Parsing of values into domain types happens here through
//! `value_parser`s, so commands receive typed arguments.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};
use pendulum_core::{Band, PersonId, Quarter, Role, Severity, TeamId, Willingness};
use pendulum_plan::org::OrgPin;

#[derive(Debug, Parser)]
#[command(
    name = "pendulum",
    version,
    about = "Make the engineer/manager pendulum a deliberate career path.",
    long_about = "Keeps a ledger of who held which role when, reads it against the org's policy, \
                  and says when it is time to swing and why.",
    after_help = "Examples:\n  pendulum demo\n  pendulum import people.csv stints.csv checkins.csv\n  pendulum report --as-of 2026-06-30\n  pendulum swing p042 --to manager --on 2026-07-01 --trial-until 2026-10-31\n  pendulum timeline p042 --svg p042.svg"
)]
pub struct Cli {
    /// Database: a file path or a sqlite:// URL [default: $XDG_DATA_HOME/pendulum/pendulum.db]
    #[arg(long, global = true, env = "PENDULUM_DB", value_name = "PATH|URL")]
    pub db: Option<String>,

    /// A policy file (TOML) that overrides the policy stored in the database for this command.
    #[arg(long, global = true, env = "PENDULUM_POLICY", value_name = "FILE")]
    pub policy: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

/// Options of every command that reads the ledger.
#[derive(Debug, Args)]
pub struct Reading {
    /// Print JSON instead of tables.
    #[arg(long)]
    pub json: bool,

    /// Read the ledger as it stood on this day [default: today].
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub as_of: Option<NaiveDate>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create the database (or bring an existing one up to date).
    Init,
    /// Import CSV files (people, stints, checkins, teams: named by their header), one JSON
    /// document, or one person's ledger. All or nothing: one problem and nothing is written.
    #[command(
        after_help = "CSV headers:\n  people:   id,name,email,aliases,level,team,manager,willing_to_manage,willing_since,left_on,leave_reason\n  stints:   person,role,team,level,band,start,end,chosen,trial_end,org\n  checkins: person,date,joy,energy,learning,note\n  teams:    id,name,parent"
    )]
    Import {
        #[arg(
            value_name = "FILE",
            required_unless_present = "person_ledger",
            conflicts_with = "person_ledger"
        )]
        files: Vec<PathBuf>,
        /// Import one person's own ledger (as `export --person` writes it) instead: the
        /// person is created when missing, their stints keep the org they were lived in.
        #[arg(long, value_name = "FILE")]
        person_ledger: Option<PathBuf>,
        /// The person of this org who receives the personal ledger's history.
        #[arg(long = "as", value_name = "ID", requires = "person_ledger", value_parser = parse_person)]
        as_person: Option<PersonId>,
        /// Check the files and report problems without writing anything.
        #[arg(long)]
        dry_run: bool,
        /// Print what was imported as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Write every table (people, teams, stints, check-ins, answers about managing, evidence,
    /// policy) as one JSON document, the format `import` reads back; or, with --person, one
    /// person's own ledger.
    Export {
        /// JSON output (the only format, accepted for clarity in scripts).
        #[arg(long)]
        json: bool,
        /// Write to this file instead of stdout (replaced atomically).
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Write this person's own ledger instead (their career, check-ins with notes,
        /// evidence and reflections), for them to take to another pendulum.
        #[arg(long, value_name = "ID", value_parser = parse_person)]
        person: Option<PersonId>,
        /// The name this org's stints carry in a personal ledger [default: previous employer].
        #[arg(long, value_name = "NAME", requires = "person")]
        org: Option<String>,
    },
    /// Copy the whole database (ledger, accounts, evidence) to a new file, consistently,
    /// even while a server is writing to it; the copy is checked before it is kept. To
    /// restore, stop the server and put the copy in place of the database file.
    Backup {
        /// The file to write the copy to.
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// Replace FILE if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Move a whole database to another backend or file.
    #[command(subcommand)]
    Db(DbCommand),
    /// Add, show and list people, and record their answers about managing.
    #[command(subcommand)]
    Person(PersonCommand),
    /// Record a swing: end the current stint and open the next in one step. The level stays
    /// unless --level is given.
    Swing {
        #[arg(value_parser = parse_person)]
        person: PersonId,
        #[arg(long, value_parser = parse_role)]
        to: Role,
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        on: NaiveDate,
        #[arg(long, value_parser = parse_team)]
        team: Option<TeamId>,
        /// A new level; a swing is a change of role, so use this only for a separate decision.
        #[arg(long)]
        level: Option<String>,
        /// The pay band of the new stint (a whole number from 0 to 999, one scale for both
        /// tracks); the band stays unless this is given.
        #[arg(long, value_name = "N", value_parser = parse_band)]
        band: Option<Band>,
        /// Make the new stint a time-boxed trial that ends for a decision on this day.
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        trial_until: Option<NaiveDate>,
        /// Whether the person chose this stint.
        #[arg(long, value_enum, default_value_t = YesNo::Yes)]
        chosen: YesNo,
    },
    /// Record a check-in: joy, energy and learning from 1 to 5, and an optional private note;
    /// or delete one (`checkin delete`).
    Checkin(CheckinCli),
    /// Correct or delete a stint; the correction is kept in the person's history.
    #[command(subcommand)]
    Stint(StintCommand),
    /// Who corrected what about a person, and when (the ledger holds the current state).
    History {
        #[arg(value_parser = parse_person)]
        id: PersonId,
        #[arg(long)]
        json: bool,
    },
    /// Erase a person and everything that is theirs: stints, check-ins with notes, answers,
    /// evidence, history, accounts with their sessions, tokens and reflections. Commits and
    /// logs kept for others lose their name and addresses. Refused while someone reports to
    /// them.
    Erase {
        #[arg(value_parser = parse_person)]
        id: PersonId,
        /// Erase without asking: there is no undo (a backup taken before still holds them).
        #[arg(long)]
        yes: bool,
        #[arg(long)]
        json: bool,
    },
    /// The org's health metrics and every nudge.
    Report(Reading),
    /// The nudges, with their facts, principle and next step.
    Nudges {
        #[command(flatten)]
        reading: Reading,
        /// Only nudges about this person, or that this person is the one to act on (a
        /// manager gets interrupted-maker nudges about their reports).
        #[arg(long, value_parser = parse_person)]
        person: Option<PersonId>,
        /// Only nudges at or above this severity.
        #[arg(long, value_enum)]
        severity: Option<SeverityArg>,
        /// Only nudges of this rule (e.g. hands-on-distance).
        #[arg(long)]
        rule: Option<String>,
    },
    /// A person's stints and swings over time, as a table or an SVG picture.
    Timeline {
        #[arg(value_parser = parse_person)]
        person: PersonId,
        #[command(flatten)]
        reading: Reading,
        /// Also write the pendulum as an SVG picture to this file.
        #[arg(long, value_name = "FILE")]
        svg: Option<PathBuf>,
    },
    /// Show or set the policy.
    #[command(subcommand)]
    Policy(PolicyCommand),
    /// Build a realistic synthetic org in a fresh demo database and print its report.
    Demo {
        /// How many people the org has; every rule nudges someone from 50 on.
        #[arg(long, default_value_t = pendulum_demo::DEFAULT_PEOPLE)]
        people: usize,
        #[arg(long, default_value_t = pendulum_demo::DEFAULT_SEED)]
        seed: u64,
        /// Only build and report; do not serve the dashboard.
        #[arg(long)]
        no_serve: bool,
        /// Where the dashboard listens.
        #[arg(long, env = "PENDULUM_BIND", default_value = "127.0.0.1:8080")]
        bind: std::net::SocketAddr,
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        as_of: Option<NaiveDate>,
    },
    /// Serve the JSON API (and health check) over HTTP until Ctrl-C or SIGTERM.
    Serve {
        /// The address to listen on.
        #[arg(long, env = "PENDULUM_BIND", default_value = "127.0.0.1:8080")]
        bind: std::net::SocketAddr,
        /// The server is reached over TLS (directly or through a proxy): cookies get
        /// `Secure` and the `__Host-` prefix.
        #[arg(long, env = "PENDULUM_SECURE_COOKIES")]
        secure_cookies: bool,
        /// A reverse proxy in front of the server (ADDRESS/PREFIX, or one address), whose
        /// `X-Forwarded-For` names the client for the sign-in limit; repeatable, and
        /// comma-separated in the environment. Without one, the header is ignored.
        #[arg(
            long = "trusted-proxy",
            env = "PENDULUM_TRUSTED_PROXIES",
            value_name = "CIDR",
            value_delimiter = ','
        )]
        trusted_proxies: Vec<pendulum_server::ProxyRange>,
        /// How log lines on standard error are written: `text` for people, `json` (one
        /// object a line, with the request id) for log collectors.
        #[arg(long, env = "PENDULUM_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
        log_format: LogFormat,
    },
    /// Accounts of the web dashboard and API.
    #[command(subcommand)]
    User(UserCommand),
    /// API tokens: `Authorization: Bearer TOKEN`.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Read evidence from outside the ledger (git history, calendars).
    #[command(subcommand)]
    Ingest(IngestCommand),
    /// Look into calendar files without storing anything.
    #[command(subcommand)]
    Calendar(CalendarCommand),
    /// Plan by optimisation: rotations between management and hands-on work, and stretch
    /// assignments of backlog work.
    #[command(subcommand)]
    Plan(PlanCommand),
    /// Print a shell completion script.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

#[derive(Debug, Subcommand)]
pub enum PersonCommand {
    /// Add a person with their current stint.
    Add {
        #[arg(value_parser = parse_person)]
        id: PersonId,
        #[arg(long)]
        name: String,
        #[arg(long)]
        email: String,
        /// Another address of theirs (repeatable), for matching evidence.
        #[arg(long = "alias")]
        aliases: Vec<String>,
        #[arg(long)]
        level: String,
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// When the current stint began.
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        since: NaiveDate,
        #[arg(long, value_parser = parse_team)]
        team: Option<TeamId>,
        #[arg(long, value_parser = parse_person)]
        manager: Option<PersonId>,
        /// Their answer to "would you like to manage?".
        #[arg(long, value_enum, default_value_t = WillingArg::Unknown)]
        willing: WillingArg,
        /// The day they gave that answer; it then starts their history of answers.
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date, requires = "willing")]
        willing_since: Option<NaiveDate>,
    },
    /// Record a person's answer to "would you like to manage?" on a day. Earlier answers
    /// are kept as history; a second answer on the same day replaces the first, and the
    /// latest answer is the current one.
    #[command(
        after_help = "Examples:\n  pendulum person set-willing ada yes\n  pendulum person set-willing ada no --on 2026-03-01"
    )]
    SetWilling {
        #[arg(value_parser = parse_person)]
        id: PersonId,
        #[arg(value_enum)]
        answer: WillingArg,
        /// The day the answer was given [default: today].
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        on: Option<NaiveDate>,
    },
    /// Record that a person left on a day: their current stint ends, they drop out of
    /// reports, nudges and plans, and their reports move to --reports-to or are listed as
    /// left without a manager.
    #[command(
        after_help = "Examples:\n  pendulum person leave ada --on 2026-12-01 --reason \"moved abroad\"\n  pendulum person leave bob --on 2026-12-01 --reports-to carol"
    )]
    Leave(LeaveArgs),
    /// Record that a person who left came back, in a new stint. Their time away is neither
    /// hands-on nor management.
    Return(ReturnArgs),
    /// Correct a person's name, addresses, manager or team; what they were is kept in the
    /// history.
    Edit(PersonEditArgs),
    /// One person: details, stints, nudges and check-in trend (never the private notes).
    Show {
        #[arg(value_parser = parse_person)]
        id: PersonId,
        #[command(flatten)]
        reading: Reading,
    },
    /// Everyone with a current stint; with --all, also those who left or have none.
    List {
        #[command(flatten)]
        reading: Reading,
        /// Also list people who left (and anyone without a current stint).
        #[arg(long)]
        all: bool,
        #[arg(long, value_parser = parse_role)]
        role: Option<Role>,
        #[arg(long, value_parser = parse_team)]
        team: Option<TeamId>,
    },
}

/// `checkin PERSON --joy ..` records; `checkin delete PERSON --date D` deletes.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct CheckinCli {
    #[command(subcommand)]
    pub action: Option<CheckinAction>,
    #[command(flatten)]
    pub record: Option<CheckinRecord>,
}

#[derive(Debug, Args)]
pub struct CheckinRecord {
    #[arg(value_parser = parse_person, required = true)]
    pub person: PersonId,
    #[arg(long, value_parser = clap::value_parser!(u8).range(1..=5), required = true)]
    pub joy: u8,
    #[arg(long, value_parser = clap::value_parser!(u8).range(1..=5), required = true)]
    pub energy: u8,
    #[arg(long, value_parser = clap::value_parser!(u8).range(1..=5), required = true)]
    pub learning: u8,
    /// The day of the check-in [default: today].
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub date: Option<NaiveDate>,
    /// Read a private note from standard input.
    #[arg(long)]
    pub note_stdin: bool,
}

#[derive(Debug, Subcommand)]
pub enum CheckinAction {
    /// Delete a person's check-in of a day (with its note); the history records only that
    /// one was deleted.
    Delete {
        #[arg(value_parser = parse_person)]
        person: PersonId,
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        date: NaiveDate,
        #[arg(long)]
        json: bool,
    },
}

/// Which stint: the one that began on a day, or the n-th counting from 1.
#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub struct WhichStint {
    /// The stint that began on this day.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub start: Option<NaiveDate>,
    /// The n-th stint of the person, counting from 1 in time order.
    #[arg(long, value_name = "N")]
    pub index: Option<usize>,
}

#[derive(Debug, Subcommand)]
pub enum StintCommand {
    /// Correct a stint: each option given is set, the rest stay. The whole ledger is checked
    /// again (no overlaps), and what it held before is kept in the history.
    #[command(
        after_help = "Examples:\n  pendulum stint edit ada --start 2024-03-01 --set-start 2024-02-15\n  pendulum stint edit ada --index 2 --set-end 2025-06-30 --level L5"
    )]
    Edit {
        #[arg(value_parser = parse_person)]
        person: PersonId,
        #[command(flatten)]
        which: WhichStint,
        /// A new first day.
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        set_start: Option<NaiveDate>,
        /// A new end (the first day no longer in the stint).
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date, conflicts_with = "reopen")]
        set_end: Option<NaiveDate>,
        /// Clear the end: the stint lasts to this day.
        #[arg(long)]
        reopen: bool,
        #[arg(long, value_parser = parse_role)]
        role: Option<Role>,
        #[arg(long, value_parser = parse_team, conflicts_with = "no_team")]
        team: Option<TeamId>,
        /// Clear the team.
        #[arg(long)]
        no_team: bool,
        #[arg(long)]
        level: Option<String>,
        #[arg(long, value_name = "N", value_parser = parse_band, conflicts_with = "no_band")]
        band: Option<Band>,
        /// Clear the band.
        #[arg(long)]
        no_band: bool,
        #[arg(long, value_enum)]
        chosen: Option<YesNo>,
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date, conflicts_with = "no_trial")]
        trial_end: Option<NaiveDate>,
        /// Clear the trial's end: not a trial.
        #[arg(long)]
        no_trial: bool,
        #[arg(long)]
        json: bool,
    },
    /// Delete a stint recorded by mistake; it is kept in the history.
    Delete {
        #[arg(value_parser = parse_person)]
        person: PersonId,
        #[command(flatten)]
        which: WhichStint,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account; the password is read from standard input, never from an argument.
    Add {
        email: String,
        #[arg(long, value_enum)]
        role: AccountRoleArg,
        /// The person of the ledger this account is (required for members and managers).
        #[arg(long, value_parser = parse_person)]
        person: Option<PersonId>,
        /// Read the password from standard input (the only way to give one).
        #[arg(long, required = true)]
        password_stdin: bool,
    },
    /// Disable an account: it can no longer sign in, and its tokens stop working.
    Disable { email: String },
    /// Give an account a new password, read from standard input, and end its sessions.
    Password {
        email: String,
        /// Read the password from standard input (the only way to give one).
        #[arg(long, required = true)]
        password_stdin: bool,
    },
    /// End every session of an account: each browser signed in to it must sign in again.
    SignOut { email: String },
}

#[derive(Debug, Subcommand)]
pub enum DbCommand {
    /// Copy everything one database holds (ledger, policy, accounts, sessions, tokens,
    /// evidence, history, audit log) into another, which must be empty: SQLite to
    /// PostgreSQL and back. Stop the servers on FROM first, for a copy of one moment.
    Copy {
        /// The database to copy: a file path, sqlite://PATH or postgres://...
        #[arg(value_name = "FROM")]
        from: String,
        /// The empty database to copy into (created when it is a new file).
        #[arg(value_name = "TO")]
        to: String,
        /// Print what was copied as JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create an API token for an account and print it once; only its hash is stored.
    Create { email: String },
    /// Revoke a token by its id (the part after `pdl_`, before the second `_`).
    Revoke { id: String },
}

/// How `serve` writes its log lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum AccountRoleArg {
    Member,
    Manager,
    Admin,
}

impl From<AccountRoleArg> for pendulum_core::AccountRole {
    fn from(r: AccountRoleArg) -> Self {
        match r {
            AccountRoleArg::Member => pendulum_core::AccountRole::Member,
            AccountRoleArg::Manager => pendulum_core::AccountRole::Manager,
            AccountRoleArg::Admin => pendulum_core::AccountRole::Admin,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum PolicyCommand {
    /// Print the effective policy as TOML (or JSON), and where it came from.
    Show {
        #[arg(long)]
        json: bool,
    },
    /// Check a policy file and store it in the database.
    Set { file: PathBuf },
}

#[derive(Debug, Subcommand)]
pub enum IngestCommand {
    /// Count commits per person and month from git history: branches and tags, each commit
    /// once, merges apart, authors resolved by the mailmap and the people's addresses.
    /// A second run reads only new commits.
    #[command(
        after_help = "Examples:\n  pendulum ingest git ~/src/service ~/src/mirrors\n  pendulum ingest git /srv/git --json\n  pendulum ingest git ~/src/service --diffstat"
    )]
    Git {
        /// Repositories (bare or with a work tree), or folders holding many.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// Also count lines added and removed per commit, as `git log --numstat` does
        /// (slower; counted once per commit and kept).
        #[arg(long)]
        diffstat: bool,
        /// Print the summary as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Weekly meeting, focus, fragmented and after-hours time from iCalendar exports, per
    /// person and ISO week, within the policy's working hours. Each file belongs to one
    /// person: --person, or the owner the file names, matched against people's addresses.
    #[command(
        after_help = "Examples:\n  pendulum ingest calendar exports/\n  pendulum ingest calendar ada.ics --person ada\n  pendulum ingest calendar exports/ --as-of 2025-12-31 --json"
    )]
    Calendar {
        /// .ics files, or folders searched recursively for them.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// Every file is this person's calendar.
        #[arg(long, value_name = "ID", value_parser = parse_person)]
        person: Option<PersonId>,
        /// Count only weeks that ended by this day [default: today].
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        as_of: Option<NaiveDate>,
        /// Print the summary as JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum PlanCommand {
    /// Plan each person's role per quarter (engineer, tech lead, manager of which teams) so
    /// that every team has a manager, spans and stints keep the policy's `[rotation]` limits,
    /// only willing people manage, few teams change manager at once, and the total preference
    /// (interest, check-in joy, teams known, minus changes) is as high as can be found, with
    /// an upper bound. Every swing says why it is there; an org with no plan is told which
    /// constraint binds.
    #[command(
        after_help = "Examples:\n  pendulum plan rotations --quarters 8\n  pendulum plan rotations --quarters 4 --from 2027-Q1 --pin p-017:t-storage:2027-Q3 --exclude p-042\n  pendulum plan rotations --json > rotation.json && pendulum plan check rotation.json\n  pendulum plan rotations --svg rotation.svg"
    )]
    Rotations {
        /// Quarters to plan.
        #[arg(long, default_value_t = 8, value_name = "N")]
        quarters: usize,
        /// The first quarter of the plan [default: the quarter after today].
        #[arg(long, value_name = "YYYY-Qn", value_parser = parse_quarter)]
        from: Option<Quarter>,
        /// What-if: PERSON manages TEAM in QUARTER (repeatable).
        #[arg(long, value_name = "PERSON:TEAM:QUARTER", value_parser = OrgPin::parse)]
        pin: Vec<OrgPin>,
        /// What-if: PERSON neither manages nor leads (repeatable).
        #[arg(long, value_name = "PERSON", value_parser = parse_person)]
        exclude: Vec<PersonId>,
        /// How long the solver may search, in seconds.
        #[arg(long, default_value_t = 10.0, value_name = "SECONDS")]
        time_limit: f64,
        /// Print the plan as JSON, with the instance it solves: `plan check` reads it back.
        #[arg(long)]
        json: bool,
        /// Also draw the plan (teams by quarter, swings marked) as an SVG file.
        #[arg(long, value_name = "FILE")]
        svg: Option<PathBuf>,
    },
    /// Give each person backlog work within the policy's stretch band above their level in
    /// its skill, within their capacity, with the most growth in total (an exact optimum).
    /// Each assignment is explained by the level, the difficulty and the gap.
    #[command(
        after_help = "CSV headers:\n  skills:  person,skill,level[,capacity]\n  backlog: item,skill,difficulty[,size]\n\nExamples:\n  pendulum plan assignments --skills skills.csv --backlog backlog.csv --capacity 3\n  pendulum plan assignments --skills skills.csv --backlog backlog.csv --json > plan.json\n  pendulum plan check plan.json"
    )]
    Assignments {
        /// Skill levels: person,skill,level and an optional capacity column.
        #[arg(long, value_name = "FILE")]
        skills: PathBuf,
        /// Backlog items: item,skill,difficulty and an optional size column.
        #[arg(long, value_name = "FILE")]
        backlog: PathBuf,
        /// Capacity, in units of item size, of everyone the skills file gives none.
        #[arg(long, value_name = "UNITS")]
        capacity: Option<u32>,
        /// Print the plan as JSON, with the problem it solves: `plan check` reads it back.
        #[arg(long)]
        json: bool,
    },
    /// Verify a plan written by `plan assignments --json` or `plan rotations --json` against
    /// the problem it carries,
    /// independently of the solver: every constraint, every stated fact, the total.
    Check {
        /// A plan document.
        file: PathBuf,
        /// Print the verdict as JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum CalendarCommand {
    /// Every occurrence of the events in an iCalendar file that overlaps the days given:
    /// recurrences expanded, exceptions and overrides applied, times in UTC. What an ingest
    /// counts, for checking.
    #[command(
        after_help = "Examples:\n  pendulum calendar occurrences ada.ics --from 2025-01-01 --to 2025-12-31\n  pendulum calendar occurrences ada.ics --from 2025-03-01 --to 2025-03-31 --json"
    )]
    Occurrences {
        /// An iCalendar (.ics) file.
        file: PathBuf,
        /// The first day, read as a wall-clock day in each event's own zone.
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        from: NaiveDate,
        /// The last day, included.
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        to: NaiveDate,
        /// Print a JSON array instead of a table.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum YesNo {
    Yes,
    No,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum WillingArg {
    Yes,
    No,
    Unknown,
}

impl From<WillingArg> for Willingness {
    fn from(w: WillingArg) -> Self {
        match w {
            WillingArg::Yes => Willingness::Yes,
            WillingArg::No => Willingness::No,
            WillingArg::Unknown => Willingness::Unknown,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SeverityArg {
    Info,
    Warn,
    Alert,
}

impl From<SeverityArg> for Severity {
    fn from(s: SeverityArg) -> Self {
        match s {
            SeverityArg::Info => Severity::Info,
            SeverityArg::Warn => Severity::Warn,
            SeverityArg::Alert => Severity::Alert,
        }
    }
}

fn parse_date(raw: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .map_err(|_| format!("{raw:?} is not a date (expected YYYY-MM-DD)"))
}

fn parse_band(raw: &str) -> Result<Band, String> {
    Band::parse(raw).map_err(|e| e.to_string())
}

fn parse_quarter(raw: &str) -> Result<Quarter, String> {
    Quarter::parse(raw).map_err(|e| e.to_string())
}

fn parse_person(raw: &str) -> Result<PersonId, String> {
    PersonId::parse(raw).map_err(|e| format!("person id {e}"))
}

fn parse_team(raw: &str) -> Result<TeamId, String> {
    TeamId::parse(raw).map_err(|e| format!("team id {e}"))
}

fn parse_role(raw: &str) -> Result<Role, String> {
    raw.parse()
        .map_err(|e: pendulum_core::role::EnumError| e.to_string())
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn the_grammar_is_consistent() {
        super::Cli::command().debug_assert();
    }
}

#[derive(Debug, Args)]
pub struct LeaveArgs {
    #[arg(value_parser = parse_person)]
    pub id: PersonId,
    /// The first day they are gone.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub on: NaiveDate,
    #[arg(long)]
    pub reason: Option<String>,
    /// Who their direct reports report to from then on.
    #[arg(long, value_name = "ID", value_parser = parse_person)]
    pub reports_to: Option<PersonId>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ReturnArgs {
    #[arg(value_parser = parse_person)]
    pub id: PersonId,
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub on: NaiveDate,
    #[arg(long, value_parser = parse_role)]
    pub role: Role,
    #[arg(long, value_parser = parse_team)]
    pub team: Option<TeamId>,
    /// The level they come back at [default: the level they left with].
    #[arg(long)]
    pub level: Option<String>,
    #[arg(long, value_name = "N", value_parser = parse_band)]
    pub band: Option<Band>,
    #[arg(long, value_parser = parse_person)]
    pub manager: Option<PersonId>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct PersonEditArgs {
    #[arg(value_parser = parse_person)]
    pub id: PersonId,
    #[arg(long)]
    pub name: Option<String>,
    #[arg(long)]
    pub email: Option<String>,
    /// Their other addresses, replacing the ones stored (repeatable).
    #[arg(long = "alias", conflicts_with = "no_aliases")]
    pub aliases: Vec<String>,
    /// Clear their other addresses.
    #[arg(long)]
    pub no_aliases: bool,
    #[arg(long, value_parser = parse_person, conflicts_with = "no_manager")]
    pub manager: Option<PersonId>,
    /// They report to no one.
    #[arg(long)]
    pub no_manager: bool,
    #[arg(long, value_parser = parse_team, conflicts_with = "no_team")]
    pub team: Option<TeamId>,
    /// They belong to no team.
    #[arg(long)]
    pub no_team: bool,
    #[arg(long)]
    pub json: bool,
}
