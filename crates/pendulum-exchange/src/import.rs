//! An import as a whole: which syntax the files are in, the teams an import implies, and the
//! final check of the new records against the ledger already stored.
//!
//! Every file is read and every bad cell reported; then the records that could be read are
//! merged with the stored ledger, whose own checks (duplicates, unknown people, overlapping
//! stints, loops) speak too, and all the problems are reported together in file and line
//! order. A reference to a person or team that is not there is held back only when it may
//! point at a record that could not be read (see `unread.rs`): that record's own problem is
//! the one to fix.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use pendulum_core::{
    Ledger, LedgerParts, Origin, PersonId, Policy, Problem, Problems, Sourced, Team, WillingAnswer,
};

use crate::fields::Section;
use crate::unread::Unread;
use crate::{csv_import, json_import};

/// One file to import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFile {
    /// The name problems are reported under: the path the user gave, or an upload's name.
    pub name: String,
    pub bytes: Vec<u8>,
}

/// What an import adds, checked against the ledger it was parsed for.
#[derive(Debug, Clone)]
pub struct Import {
    /// The new records, each with the file and line it came from.
    pub parts: LedgerParts,
    /// The policy a JSON document carried; its ladder is the one the document's levels were
    /// read against, so it is stored together with the records.
    pub policy: Option<Policy>,
}

/// Parses CSV files (each kind named by its header) or exactly one JSON document, and checks
/// the records against `existing`. Levels are read against `policy`'s ladder unless a JSON
/// document carries its own policy.
///
/// Every problem of every file is reported at once, each with its file and line.
pub fn parse_import(
    files: &[InputFile],
    policy: &Policy,
    existing: &Ledger,
) -> Result<Import, Problems> {
    let mut problems = Vec::new();
    let mut parts = LedgerParts::default();
    let mut unread = Unread::default();
    let inputs: Vec<(&InputFile, &[u8])> = files
        .iter()
        .map(|file| (file, without_bom(&file.bytes)))
        .collect();
    let documents: Vec<&InputFile> = inputs
        .iter()
        .filter(|(_, bytes)| is_json(bytes))
        .map(|(file, _)| *file)
        .collect();

    let (document_policy, defines_teams) = match (documents.as_slice(), inputs.as_slice()) {
        ([], _) => {
            let mut teams_file = false;
            for (file, bytes) in &inputs {
                let section = csv_import::read(
                    file,
                    bytes,
                    &policy.ladder,
                    &mut parts,
                    &mut problems,
                    &mut unread,
                );
                teams_file |= section == Some(Section::Teams);
            }
            (None, teams_file)
        }
        ([_], [(file, bytes)]) => {
            let document_policy =
                json_import::read(file, bytes, policy, &mut parts, &mut problems, &mut unread);
            (document_policy, !parts.teams.is_empty())
        }
        _ => {
            for file in documents {
                problems.push(Problem::new(
                    &Origin::new(file.name.as_str(), 0),
                    "file",
                    "a JSON document must be imported on its own, without other files",
                ));
            }
            (None, false)
        }
    };
    if !defines_teams {
        imply_teams(&mut parts, existing);
    }
    date_current_answers(&mut parts, existing, &mut problems);
    if let Err(merged) = existing.merge(parts.clone()) {
        // A reference to a record that could not be read would only echo that record's
        // problem; every other clash of what was read is reported now, so one round of
        // fixing is enough.
        problems.extend(merged.into_vec().into_iter().filter(|p| {
            !p.unresolved
                .as_ref()
                .is_some_and(|reference| unread.may_define(reference))
        }));
    }
    if let Some(problems) = Problems::from_vec(problems) {
        return Err(problems);
    }
    Ok(Import {
        parts,
        policy: document_policy,
    })
}

/// Spreadsheets often save UTF-8 with a byte order mark; it is not part of the text.
fn without_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

/// A JSON document is an object; no CSV header begins with `{`.
fn is_json(bytes: &[u8]) -> bool {
    bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{')
}

/// An import without teams of its own may still name teams: those not yet stored are
/// created, named by their ids, so that people and stints are enough for a first import.
/// Each is reported, if at all, where it was first named.
fn imply_teams(parts: &mut LedgerParts, existing: &Ledger) {
    let mut implied: Vec<Sourced<Team>> = Vec::new();
    let named = parts
        .people
        .iter()
        .map(|p| (&p.item.team, &p.origin))
        .chain(parts.stints.iter().map(|s| (&s.item.team, &s.origin)));
    for (team, origin) in named {
        let Some(id) = team else {
            continue;
        };
        if existing.team(id).is_none() && !implied.iter().any(|t| t.item.id == *id) {
            let team = Team {
                id: id.clone(),
                name: id.to_string(),
                parent: None,
            };
            implied.push(Sourced::new(team, origin.clone()));
        }
    }
    parts.teams.extend(implied);
}

/// A person's `willing_since` dates their current answer about managing, and that answer
/// belongs to their history too: it is added to `answers` unless the history read (a JSON
/// document's) already holds an answer of theirs on that day, which must then be the same.
/// The current answer is the latest one, so the history may hold none after it. A person
/// defined twice adds no answer: the duplicate id is the problem to report.
fn date_current_answers(parts: &mut LedgerParts, existing: &Ledger, problems: &mut Vec<Problem>) {
    let mut recorded: HashMap<(&PersonId, NaiveDate), &Sourced<WillingAnswer>> = HashMap::new();
    let mut latest: HashMap<&PersonId, &Sourced<WillingAnswer>> = HashMap::new();
    for a in &parts.answers {
        recorded.insert((&a.item.person, a.item.date), a);
        let last = latest.entry(&a.item.person).or_insert(a);
        if a.item.date > last.item.date {
            *last = a;
        }
    }
    let mut implied = Vec::new();
    let mut seen = HashSet::new();
    for person in &parts.people {
        let p = &person.item;
        let first = seen.insert(&p.id) && existing.person(&p.id).is_none();
        let Some(since) = p.willing_since.filter(|_| first) else {
            continue;
        };
        if let Some(later) = latest.get(&p.id).filter(|a| a.item.date > since) {
            problems.push(Problem::new(
                &person.origin,
                "willing_since",
                format!(
                    "{since} is before the answer of {} in the history ({}); the latest answer is the current one",
                    later.item.date, later.origin
                ),
            ));
            continue;
        }
        match recorded.get(&(&p.id, since)) {
            None => implied.push(Sourced::new(
                WillingAnswer {
                    person: p.id.clone(),
                    date: since,
                    answer: p.willing_to_manage,
                },
                person.origin.clone(),
            )),
            Some(same) if same.item.answer == p.willing_to_manage => {}
            Some(other) => problems.push(Problem::new(
                &person.origin,
                "willing_since",
                format!(
                    "the history records the answer {:?} on {since} ({}), not {:?}",
                    other.item.answer.as_str(),
                    other.origin,
                    p.willing_to_manage.as_str()
                ),
            )),
        }
    }
    parts.answers.extend(implied);
}
