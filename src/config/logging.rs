//! The log file. Logging goes to a file in the state directory only: the console owns the screen, so
//! nothing may be written to stdout or stderr while it runs.

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use tracing_subscriber::EnvFilter;

use super::paths::Paths;

/// The log level (`error`, `warn`, `info`, `debug`, `trace`, or a tracing filter such as
/// `mailtrap_tokens::api=debug`).
pub const LOG_ENV: &str = "MAILTRAP_TOKENS_LOG";
pub const DEFAULT_LOG_LEVEL: &str = "info";

/// Proof that logging goes to `path`. Writes are synchronous (a line is on disk when the call returns, so a
/// panic's last words are never lost in a buffer); there is nothing to flush when this is dropped.
#[derive(Debug)]
pub struct LogFile {
    pub path: PathBuf,
}

/// Sends `tracing` events to the log file, at the level set by `MAILTRAP_TOKENS_LOG` (default `info`).
/// `None` when the file cannot be opened or a global subscriber is already set; the console runs anyway.
pub fn init_logging(paths: &Paths) -> Option<LogFile> {
    let level = std::env::var(LOG_ENV).ok();
    init_logging_at(&paths.log_file, level.as_deref())
}

/// [`init_logging`] with the file and level given, for tests and embedders.
pub fn init_logging_at(log_file: &Path, level: Option<&str>) -> Option<LogFile> {
    let file = open_log_file(log_file).ok()?;
    let (filter, bad_level) = log_filter(level);
    let subscriber = tracing_subscriber::fmt()
        .with_writer(Mutex::new(file))
        .with_ansi(false)
        .with_target(true)
        .with_env_filter(filter)
        .finish();
    tracing::subscriber::set_global_default(subscriber).ok()?;
    if let Some(bad) = bad_level {
        tracing::warn!("{LOG_ENV}={bad:?} is not a log level; logging at {DEFAULT_LOG_LEVEL}");
    }
    tracing::info!(version = env!("CARGO_PKG_VERSION"), "logging started");
    Some(LogFile {
        path: log_file.to_path_buf(),
    })
}

/// The filter for a `MAILTRAP_TOKENS_LOG` value, and the value itself when it was not understood.
pub fn log_filter(level: Option<&str>) -> (EnvFilter, Option<String>) {
    match level.map(str::trim).filter(|l| !l.is_empty()) {
        None => (EnvFilter::new(DEFAULT_LOG_LEVEL), None),
        // A bare word is taken by tracing as a target name, so "verbose" would silently log nothing.
        Some(spec) if !spec.contains(['=', ',']) && !is_level(spec) => {
            (EnvFilter::new(DEFAULT_LOG_LEVEL), Some(spec.to_string()))
        }
        Some(spec) => match EnvFilter::try_new(spec) {
            Ok(filter) => (filter, None),
            Err(_) => (EnvFilter::new(DEFAULT_LOG_LEVEL), Some(spec.to_string())),
        },
    }
}

fn is_level(word: &str) -> bool {
    ["off", "error", "warn", "info", "debug", "trace"]
        .iter()
        .any(|l| l.eq_ignore_ascii_case(word))
}

/// Appends to the log, creating it and its directory; owner-only on Unix, since it describes the account.
fn open_log_file(path: &Path) -> std::io::Result<File> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut options = OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

/// Adds logging of panics to the current panic hook (install it after the hook that restores the
/// terminal; both run). Only the message is logged, and only when it is text: a payload of another type
/// is never formatted.
pub fn install_panic_logging() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = panic_message(info.payload());
        let location = info
            .location()
            .map(|l| format!("{}:{}:{}", l.file(), l.line(), l.column()))
            .unwrap_or_else(|| "unknown location".into());
        tracing::error!(%location, "panic: {message}");
        previous(info);
    }));
}

/// The text of a panic payload; a payload that is not a string is named, never printed.
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "(a panic payload that is not text; not logged)".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_levels_fall_back_to_info() {
        assert_eq!(log_filter(None).1, None);
        assert_eq!(log_filter(Some("debug")).1, None);
        assert_eq!(log_filter(Some("  ")).1, None);
        assert_eq!(log_filter(Some("mailtrap_tokens=debug")).1, None);
        assert_eq!(log_filter(Some("verbose")).1, Some("verbose".into()));
        assert_eq!(log_filter(Some("loud=[")).1, Some("loud=[".into()));
    }

    #[test]
    fn panic_payloads_of_unknown_type_are_not_printed() {
        assert_eq!(panic_message(&"boom"), "boom");
        assert_eq!(panic_message(&String::from("boom")), "boom");
        assert!(!panic_message(&42_u32).contains("42"));
    }
}
