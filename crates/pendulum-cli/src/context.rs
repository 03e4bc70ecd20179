//! Where the database is, which policy is in force, and what day it is: resolved once per
//! command, from flags, then environment, then defaults, and passed down explicitly.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};
use chrono::NaiveDate;
use pendulum_app::Db;
use pendulum_core::{Ledger, Policy};
use pendulum_store::Store;

/// Where the effective policy came from, for `policy show`.
#[derive(Debug, Clone)]
pub enum PolicySource {
    File(PathBuf),
    Database,
    Defaults,
}

/// An open store and the policy to read it with.
#[derive(Debug)]
pub struct Context {
    pub store: Db,
    /// The location as it may be shown: without a password.
    pub location: String,
    pub policy: Policy,
    pub policy_source: PolicySource,
}

impl Context {
    /// Opens the store (creating it and running migrations as needed) and settles the policy:
    /// a `--policy` file, else the one stored in the database, else the defaults.
    pub async fn open(db: Option<&str>, policy_file: Option<&Path>) -> Result<Self> {
        let location = match db {
            Some(l) => l.to_owned(),
            None => default_data_file("pendulum.db")?.display().to_string(),
        };
        let store = pendulum_app::Db::open(&location).await?;
        let (policy, policy_source) = match policy_file {
            Some(path) => (read_policy(path)?, PolicySource::File(path.to_owned())),
            None => match store.policy().await? {
                Some(p) => (p, PolicySource::Database),
                None => (Policy::default(), PolicySource::Defaults),
            },
        };
        Ok(Self {
            store,
            location: pendulum_app::shown_location(&location),
            policy,
            policy_source,
        })
    }

    pub async fn ledger(&self) -> Result<Ledger> {
        Ok(self.store.ledger(&self.policy.ladder).await?)
    }
}

/// Reads and checks a policy file; errors name the file.
pub fn read_policy(path: &Path) -> Result<Policy> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read policy file {}", path.display()))?;
    Policy::from_toml(&text).with_context(|| format!("policy file {} is not valid", path.display()))
}

/// A file in pendulum's data folder: `$XDG_DATA_HOME/pendulum`, or `~/.local/share/pendulum`.
pub fn default_data_file(name: &str) -> Result<PathBuf> {
    let base = match std::env::var_os("XDG_DATA_HOME").filter(|v| !v.is_empty()) {
        Some(dir) => PathBuf::from(dir),
        None => match std::env::var_os("HOME").filter(|v| !v.is_empty()) {
            Some(home) => PathBuf::from(home).join(".local").join("share"),
            None => bail!("cannot find a data folder: set XDG_DATA_HOME or HOME, or pass --db"),
        },
    };
    Ok(base.join("pendulum").join(name))
}

/// Today in the local time zone: the default `--as-of`.
pub fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}
