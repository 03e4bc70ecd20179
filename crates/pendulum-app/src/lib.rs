//! The application: what pendulum does, once, for the command line and the server alike.
//!
//! It takes a store and returns typed results; it knows neither command-line arguments nor
//! HTTP. The command line parses and renders; the server authenticates, authorises through
//! the core's `access`, and renders.

pub mod acting;
pub mod career;
pub mod copy;
pub mod db;
pub mod exchange;
mod location;

pub use db::Db;
pub use location::shown as shown_location;
