//! Finding the repositories behind the paths given on the command line.
//!
//! A folder of many repositories (a mirror of a whole org, a workspace of clones) is the
//! common case, so a path that is not a repository is searched below for repositories; the
//! search does not enter a repository it found, so submodules and nested clones are only
//! read when named themselves.

use std::fs;
use std::path::{Path, PathBuf};

use super::IngestError;

/// The repositories at or below each path, canonical, sorted and without duplicates.
///
/// A path that does not exist, or holds no repository at all, is an error naming it.
pub fn discover(paths: &[PathBuf]) -> Result<Vec<PathBuf>, IngestError> {
    let mut found = Vec::new();
    for path in paths {
        let canonical =
            fs::canonicalize(path).map_err(|_| IngestError::Missing { path: path.clone() })?;
        let before = found.len();
        search(&canonical, &mut found)?;
        if found.len() == before {
            return Err(IngestError::NoRepository { path: path.clone() });
        }
    }
    found.sort();
    found.dedup();
    Ok(found)
}

/// Whether `dir` is a repository: a work tree with `.git`, or a bare repository.
fn is_repository(dir: &Path) -> bool {
    dir.join(".git").exists()
        || (dir.join("HEAD").is_file() && dir.join("objects").is_dir() && dir.join("refs").is_dir())
}

fn search(dir: &Path, found: &mut Vec<PathBuf>) -> Result<(), IngestError> {
    if !dir.is_dir() {
        return Ok(());
    }
    if is_repository(dir) {
        found.push(dir.to_owned());
        return Ok(());
    }
    let folder_error = |source| IngestError::Folder {
        path: dir.to_owned(),
        source,
    };
    let mut children = Vec::new();
    for entry in fs::read_dir(dir).map_err(folder_error)? {
        let entry = entry.map_err(folder_error)?;
        // Symbolic links are not followed: a link back up the tree would never end.
        if entry.file_type().map_err(folder_error)?.is_dir() {
            children.push(entry.path());
        }
    }
    children.sort();
    for child in children {
        search(&child, found)?;
    }
    Ok(())
}
