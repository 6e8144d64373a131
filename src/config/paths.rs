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
        // The XDG rules say a relative value is to be ignored (the library already does so for
        // `XDG_*_HOME`); a relative `HOME` would scatter files under whatever the current directory is.
        if std::env::var_os("HOME").is_some_and(|h| Path::new(&h).is_relative()) {
            return Self::from_account_home();
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

    /// The XDG layout under the home directory the user database names, for when `HOME` cannot be used.
    #[cfg(target_os = "linux")]
    fn from_account_home() -> Option<Self> {
        let home = account_home()?;
        let xdg = |value: Option<std::ffi::OsString>, default: &str| {
            value
                .map(PathBuf::from)
                .filter(|p| p.is_absolute())
                .unwrap_or_else(|| home.join(default))
        };
        let state_dir =
            xdg(std::env::var_os("XDG_STATE_HOME"), ".local/state").join("mailtrap-tokens");
        Some(Self {
            config_file: xdg(std::env::var_os("XDG_CONFIG_HOME"), ".config")
                .join("mailtrap-tokens")
                .join(CONFIG_FILE_NAME),
            log_file: state_dir.join(LOG_FILE_NAME),
            state_dir,
        })
    }

    #[cfg(not(target_os = "linux"))]
    fn from_account_home() -> Option<Self> {
        None
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

/// This user's home directory from the user database (`getpwuid_r`), absolute or nothing.
#[cfg(target_os = "linux")]
fn account_home() -> Option<PathBuf> {
    use std::ffi::CStr;
    use std::os::unix::ffi::OsStrExt;
    let mut buf = vec![0u8; 4096];
    // SAFETY: getpwuid_r writes only into `pwd` and `buf`, whose sizes it is given; the result is read
    // only when it reports success.
    unsafe {
        let mut pwd: libc::passwd = std::mem::zeroed();
        let mut result: *mut libc::passwd = std::ptr::null_mut();
        let rc = libc::getpwuid_r(
            libc::getuid(),
            &mut pwd,
            buf.as_mut_ptr().cast(),
            buf.len(),
            &mut result,
        );
        if rc != 0 || result.is_null() || pwd.pw_dir.is_null() {
            return None;
        }
        let dir = PathBuf::from(std::ffi::OsStr::from_bytes(
            CStr::from_ptr(pwd.pw_dir).to_bytes(),
        ));
        dir.is_absolute().then_some(dir)
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
