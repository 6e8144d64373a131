//! The config file, themes, where things live, and the log file.
//!
//! Start-up: [`startup`] does it all; by hand the order is [`Paths::discover`], [`init_logging`] +
//! [`install_panic_logging`], [`Config::load`] (show its warnings), then `config.keymap()` and
//! `config.theme(no_color_requested(flags.no_color))`.

pub mod command;
pub mod file;
pub mod logging;
pub mod paths;
mod reader;
pub mod settings;
pub mod startup;
pub mod theme;
pub mod warning;

pub use command::ConfigCommand;
pub use file::LoadedConfig;
pub use logging::{LogFile, init_logging, install_panic_logging};
pub use paths::Paths;
pub use settings::{
    ClipboardConfig, ClipboardRoute, Config, DEFAULT_ARM_MINUTES, DEFAULT_HANDOFF_SECS,
    DEFAULT_TOKEN_COLUMNS, HANDOFF_PLACEHOLDERS, HandoffTarget, MAX_HANDOFF_SECS, SecretsConfig,
    TOKEN_COLUMNS, TokensConfig, WriteMode,
};
pub use startup::{ConfigFlags, Startup, startup};
pub use theme::{Theme, ThemeConfig, no_color_requested, resolve_theme};
pub use warning::ConfigWarning;

/// `mailtrap-tokens config init|path`; returns the exit code.
pub fn run_command(cmd: ConfigCommand, flags: &ConfigFlags) -> i32 {
    let Some(paths) = Paths::discover() else {
        eprintln!(
            "no home directory was found; set {} to a directory to keep the config and log in",
            paths::HOME_ENV
        );
        return crate::api::error::exit_code::USAGE;
    };
    let paths = paths.with_config_override(flags.config.as_deref());
    command::run_config_command(
        &cmd,
        &paths,
        &mut std::io::stdout().lock(),
        &mut std::io::stderr().lock(),
    )
}
