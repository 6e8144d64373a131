//! mailtrap-tokens: a terminal console for a Mailtrap account's API tokens.
//!
//! - `api`: the typed client of Mailtrap's token API (no UI knowledge).
//! - `sim`: a faithful simulator of that API, for `serve`, `demo` and the tests (no UI knowledge).
//! - `cli`: the command line and the scriptable commands.
//! - `app`: the full-screen console (state, update, effects, view, dialogs).
//! - `config`: the config file, themes and paths.
//! - `clipboard`: native and OSC 52 clipboard routes.
//! - `custody`: where a new secret goes when it cannot stay on screen or reach standard output.
//! - `text`: making text from the server safe and fitting it into cells.

pub mod api;
pub mod app;
pub mod cli;
pub mod clipboard;
pub mod config;
pub mod custody;
pub mod keys;
pub mod sim;
pub mod text;
