//! mailtrap-tokens: a terminal console for a Mailtrap account's API tokens.
//!
//! The modules are layers, bottom first; each imports only layers below it (the table, and the test
//! that keeps the source to it, are in `tests/readme/layers.rs`; README.md quotes the table).
//!
//! - `text`: making text from the server safe and fitting it into cells.
//! - `api`: the typed client of Mailtrap's token API (no UI knowledge).
//! - `keys`: what a key means: the actions and the keymap.
//! - `clipboard`: native and OSC 52 clipboard routes.
//! - `custody`: where a new secret goes when it cannot stay on screen or reach standard output.
//! - `hygiene`: the rules about an account's tokens and the findings they give (no UI knowledge).
//! - `config`: the config file, themes and paths.
//! - `rotation`: where each token is used, its cut-over checklist, and handing a new secret to a command.
//! - `drift`: snapshots of an account's inventory and what changed between two of them.
//! - `journal`: the append-only record of every write sent, and what an undo needs from it.
//! - `sim`: a faithful simulator of that API, for `serve`, `demo` and the tests (no UI knowledge).
//! - `app`: the full-screen console (state, update, effects, view, dialogs).
//! - `cli`: the command line on top: it starts the console, the demo and `serve`, and runs the commands.

pub mod api;
pub mod app;
pub mod cli;
pub mod clipboard;
pub mod config;
pub mod custody;
pub mod drift;
pub mod hygiene;
pub mod journal;
pub mod keys;
pub mod rotation;
pub mod sim;
pub mod text;
