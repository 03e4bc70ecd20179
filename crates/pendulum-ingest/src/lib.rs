//! Evidence readers: repositories in, evidence per person and month out.
//!
//! The crate reads and never writes: it touches no database and knows no clock. An ingest
//! gets what was remembered from earlier runs (the repositories' tips, the commits already
//! read), reads only what is new, and hands back the evidence and what to remember next;
//! the caller stores both in one transaction.

pub mod git;
