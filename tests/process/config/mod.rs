//! The config file, themes, the keymap table, `config init`/`config path` and the log file.

mod commands;
mod default_file;
mod handoff;
mod hygiene;
mod keymap_table;
mod log_file;
mod logging;
mod mistakes;
mod parsing;
mod relative_home;
mod secrets;
mod startup;
mod themes;
mod tokens;

use mailtrap_tokens::config::{Config, ConfigWarning};
use std::path::Path;

/// Where the tests pretend the file is, so messages are stable without filters.
pub const FAKE_FILE: &str = "/home/op/.config/mailtrap-tokens/config.toml";

pub fn parse(text: &str) -> (Config, Vec<ConfigWarning>) {
    Config::parse(text, Some(Path::new(FAKE_FILE)))
}

/// The warnings as the console shows them, one per line.
pub fn shown(warnings: &[ConfigWarning]) -> String {
    warnings
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}
