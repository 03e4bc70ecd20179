//! The application: what pendulum does, once, for the command line and the server alike.
//!
//! It takes a store and returns typed results; it knows neither command-line arguments nor
//! HTTP. Each use case that acts for an account asks the core's `access` itself (`acting`),
//! so that no edge can forget to; the command line acts as the operator. Readings
//! (`reading`) decide what an account sees the same way, on a snapshot of the ledger. The
//! command line parses and renders; the server authenticates, parses and renders.

pub mod acting;
pub mod career;
pub mod copy;
pub mod db;
pub mod exchange;
pub mod ingest;
mod location;
pub mod plans;
pub mod reading;

pub use db::Db;
pub use location::shown as shown_location;
