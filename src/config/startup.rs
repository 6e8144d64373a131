//! Everything the console needs from this module, done once at start-up in the right order.

use super::file::LoadedConfig;
use super::logging::{LogFile, init_logging, install_panic_logging};
use super::paths::Paths;
use super::settings::Config;
use super::theme::{Theme, no_color_requested};
use super::warning::ConfigWarning;
use std::path::PathBuf;

use crate::keys::keymap::Keymap;

/// What the command line says about the config, as plain values (the caller owns the parsing):
/// the file `--config` names, and whether `--no-color` was given.
#[derive(Clone, Debug, Default)]
pub struct ConfigFlags {
    pub config: Option<PathBuf>,
    pub no_color: bool,
}

/// The settings the console runs with; `warnings` are for the console to show (never fatal).
#[derive(Debug)]
pub struct Startup {
    pub config: Config,
    pub keymap: Keymap,
    pub theme: Theme,
    pub warnings: Vec<ConfigWarning>,
    /// `None` when no home directory (and no `MAILTRAP_TOKENS_HOME`) was found.
    pub paths: Option<Paths>,
    /// `None` when the log file could not be opened; the console runs without a log.
    pub log: Option<LogFile>,
}

/// Finds the paths, starts the log file and panic logging, loads the config (`--config` wins), then
/// builds the keymap and the theme (`--no-color` / `NO_COLOR` honoured). Call it before the terminal
/// is switched to the alternate screen; nothing here writes to stdout or stderr.
pub fn startup(flags: &ConfigFlags) -> Startup {
    let paths = Paths::discover();
    // The state directory holds the log and rescued secrets: only this user may read it.
    if let Some(p) = &paths {
        let _ = crate::custody::private_dir(&p.state_dir);
    }
    let (log, log_problem) = match paths.as_ref().map(|p| (p, init_logging(p))) {
        Some((_, Ok(log))) => (Some(log), None),
        Some((p, Err(problem))) => (
            None,
            Some(
                ConfigWarning::new(None, format!("log file: {problem}")).in_file(Some(&p.log_file)),
            ),
        ),
        None => (None, None),
    };
    install_panic_logging();
    let mut startup = Startup::from_paths(flags, paths, log);
    startup.warnings.extend(log_problem);
    startup
}

impl Startup {
    /// The config part of [`startup`] with the paths given (`--config` still wins over
    /// `paths.config_file`); logging is left to the caller.
    pub fn from_paths(flags: &ConfigFlags, paths: Option<Paths>, log: Option<LogFile>) -> Self {
        let paths = paths.map(|p| p.with_config_override(flags.config.as_deref()));
        let LoadedConfig {
            config, warnings, ..
        } = match (&flags.config, &paths) {
            (Some(explicit), _) => Config::load_file(explicit, true),
            (None, Some(paths)) => Config::load_file(&paths.config_file, false),
            (None, None) => Config::load(None),
        };
        for w in &warnings {
            tracing::warn!("config: {w}");
        }
        Self {
            keymap: config.keymap(),
            theme: config.theme(no_color_requested(flags.no_color)),
            config,
            warnings,
            paths,
            log,
        }
    }
}
