//! Hands-on evidence from git history.
//!
//! An ingest runs in three steps, each cheap when nothing changed:
//!
//! 1. [`discover`] turns the paths given into repositories (a path may be a repository, bare
//!    or with a work tree, or a folder that holds many);
//! 2. [`probe`] reads each repository's branch and tag tips, whether it is shallow, and its
//!    mailmap; a repository whose probe matches what was remembered needs no reading;
//! 3. [`read_new_commits`] walks the others from their tips, reading only commits that are
//!    not in the [`History`] already, many repositories at once on all cores.
//!
//! [`evidence`] then counts the commits reachable from every remembered repository, each
//! commit once however many repositories hold it, resolving authors with the repository's
//! mailmap and then the people's addresses ([`Identities`]).

mod discover;
mod evidence;
mod identity;
mod pack;
mod read;

use std::path::PathBuf;

pub use discover::discover;
pub use evidence::{Evidence, Unmatched, evidence};
pub use identity::Identities;
pub use read::{History, Progress, ReadOptions, probe, read_new_commits};

/// Why git history could not be read. Each names the path at fault.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("{}: no such file or folder", .path.display())]
    Missing { path: PathBuf },
    #[error(
        "{}: not a git repository, and no repository in the folders below it",
        .path.display()
    )]
    NoRepository { path: PathBuf },
    #[error("{}: cannot read the folder: {source}", .path.display())]
    Folder {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: cannot open the repository: {message}", .path.display())]
    Open { path: PathBuf, message: String },
    #[error(
        "{}: {message}; the repository is damaged (`git fsck` tells more)",
        .path.display()
    )]
    Corrupt { path: PathBuf, message: String },
}
