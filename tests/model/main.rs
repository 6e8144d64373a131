//! The console model in one process, offline or against the in-process simulator: one test binary (one link
//! of the library) for what used to be five. Run one area with `cargo test --test model hostile::` (the
//! filter is a substring of `area::file::test`: `console::` also matches `props::console::`).
//!
//! - `console`: the console's screens and flows, on real frames with a fixed clock (snapshots).
//! - `dialogs`: the dialogs and the row action registry, drawn on their own (snapshots).
//! - `flows`: keys → update → executor → simulator, end to end.
//! - `hostile`: hostile server data and config text; the built binary in a pty with hostile names.
//! - `hygiene`: the hygiene rules, one by one, against the demo seed.
//! - `props`: property tests, the console as a state machine among them.

mod console;
#[path = "../support/console_driver.rs"]
mod console_driver;
mod dialogs;
mod flows;
mod hostile;
mod hygiene;
mod inventory_flows;
mod props;
#[path = "../support/sim.rs"]
mod support;
