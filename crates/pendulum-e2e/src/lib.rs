//! End-to-end tests of the dashboard in a real headless Chromium live in `tests/`; this
//! crate holds no code of its own. Keeping them apart keeps the browser driver out of every
//! other crate's build.
