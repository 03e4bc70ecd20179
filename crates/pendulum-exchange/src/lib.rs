//! The import and export contract of pendulum: CSV files and the JSON document in, ledger
//! parts out; a ledger out as one JSON document; a report out as JSON.
//!
//! This crate is the only place that knows how the ledger is spelt on the outside, so the
//! command line, the web server and the store agree on it by construction. It is pure: bytes
//! come in as [`InputFile`]s and text goes out as values; reading and writing files is the
//! caller's business. Every input problem is reported with the file and line it came from,
//! and all of them at once, so one round of fixing is enough.
//!
//! The contract, in short:
//!
//! - CSV files hold one kind of record each, told by the header (columns in any order, cells
//!   trimmed, an empty cell is an absent value): people (`id,name,email,aliases,level,team,
//!   manager,willing_to_manage,willing_since,left_on,leave_reason`), stints (`person,role,
//!   team,level,band,start,end,chosen,trial_end,org`), check-ins (`person,date,joy,energy,learning,note`) and teams
//!   (`id,name,parent`).
//! - The JSON document is what [`export_document`] writes: `format`, `version`, `policy`,
//!   then arrays of teams, people, stints, check-ins, answers (`person,date,answer`: the
//!   history of answers about managing) and evidence, with the same field names as the CSV
//!   columns. It is imported alone, never together with CSV files.
//! - A person's `willing_since` dates their answer to `willing_to_manage`, which joins their
//!   history of answers (unless the document's history holds it already).
//! - An import that defines no teams creates the teams it names, named by their ids.
//! - The personal ledger (`personal.rs`, `docs/EXCHANGE.md`) is another document: one
//!   person's career, which they take from one pendulum to another; every stint names the
//!   org it was lived in.
//!
//! Core types do not derive serde (except the policy); the structs that give the JSON its
//! shape live here and convert explicitly.

mod csv_import;
mod export;
mod fields;
mod import;
mod json_import;
mod personal;
mod report;
mod unread;

pub use export::{Notes, export_document, export_document_without_notes};
pub use import::{Import, InputFile, parse_import};
pub use personal::{
    PersonalDocument, PersonalImport, Recipient, Reflection, UNNAMED_ORG, export_personal,
    plan_personal, read_personal,
};
pub use report::{FactDoc, MetricsDoc, NudgeDoc, nudges_json, report_json};
