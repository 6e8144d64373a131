//! The console's screens and flows, on real frames (ratatui's TestBackend) with a fixed clock.

mod bulk;
mod common;
mod dialogs;
mod drift;
mod flows;
mod inventory;
mod keys;
mod rotation;
mod snapshots;
mod start;
mod styles;
mod unreadable;
mod views;
