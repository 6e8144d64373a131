//! The program as a process, its files and its documentation: one test binary for what used to be four.
//! Run one area with `cargo test --test process cli::`.
//!
//! - `cli`: the scriptable commands, the built binary against `mailtrap-tokens serve`.
//! - `config`: the config file, themes, the keymap table, `config init`/`config path` and the log file. Its
//!   `logging` test is the only one here that installs the global log subscriber and the panic hook.
//! - `pty`: the built binary in a pseudo-terminal (unix).
//! - `readme`: the README's generated parts are what the code produces.
//!
//! The clipboard tests (they set `DISPLAY` for the process) and the secrets tests (they install their own
//! global log subscriber at `trace`) stay in binaries of their own.

mod cli;
mod config;
#[path = "../support/console_driver.rs"]
mod console_driver;
#[cfg(unix)]
mod pty;
mod readme;
#[path = "../support/sim_control.rs"]
mod sim_control;
