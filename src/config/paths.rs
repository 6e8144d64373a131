//! Where the config file, the log and the state live.

use std::path::{Path, PathBuf};

/// Points every path into one directory (config file, log and state), so tests and sandboxes never touch
/// the real home.
pub const HOME_ENV: &str = "MAILTRAP_TOKENS_HOME";

pub const CONFIG_FILE_NAME: &str = "config.toml";
pub const LOG_FILE_NAME: &str = "mailtrap-tokens.log";

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Paths {
    pub config_file: PathBuf,
    pub log_file: PathBuf,
    pub state_dir: PathBuf,
}

impl Paths {
    /// The platform's directories (XDG on Linux, `~/Library/…` on macOS, `%APPDATA%` on Windows), or
    /// everything under `$MAILTRAP_TOKENS_HOME` when it is set. `None` when there is no home directory.
    pub fn discover() -> Option<Self> {
        if let Some(home) = std::env::var_os(HOME_ENV).filter(|v| !v.is_empty()) {
            return Some(Self::in_dir(Path::new(&home)));
        }
        let dirs = directories::ProjectDirs::from("", "", "mailtrap-tokens")?;
        // Only Linux has a state dir; elsewhere the local data dir is the customary place.
        let state_dir = dirs
            .state_dir()
            .unwrap_or_else(|| dirs.data_local_dir())
            .to_path_buf();
        Some(Self {
            config_file: dirs.config_dir().join(CONFIG_FILE_NAME),
            log_file: state_dir.join(LOG_FILE_NAME),
            state_dir,
        })
    }

    /// Everything in one directory: `DIR/config.toml`, `DIR/state/`, `DIR/state/mailtrap-tokens.log`.
    pub fn in_dir(dir: &Path) -> Self {
        let state_dir = dir.join("state");
        Self {
            config_file: dir.join(CONFIG_FILE_NAME),
            log_file: state_dir.join(LOG_FILE_NAME),
            state_dir,
        }
    }

    /// The same paths with the config file replaced by `--config FILE` when given.
    pub fn with_config_override(mut self, explicit: Option<&Path>) -> Self {
        if let Some(file) = explicit {
            self.config_file = file.to_path_buf();
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_dir_holds_everything() {
        let p = Paths::in_dir(Path::new("/x")).with_config_override(Some(Path::new("/y/c.toml")));
        assert_eq!(p.config_file, Path::new("/y/c.toml"));
        assert_eq!(p.log_file, Path::new("/x/state/mailtrap-tokens.log"));
        assert_eq!(p.state_dir, Path::new("/x/state"));
    }
}
