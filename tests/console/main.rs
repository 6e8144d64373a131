//! The console's screens and flows, on real frames (ratatui's TestBackend) with a fixed clock.

mod common;
#[path = "../support/console_driver.rs"]
mod console_driver;
mod dialogs;
mod flows;
mod keys;
mod snapshots;
mod styles;
mod unreadable;
