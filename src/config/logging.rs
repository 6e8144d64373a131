//! The log file. Logging goes to a file in the state directory only: the console owns the screen, so
//! nothing may be written to stdout or stderr while it runs.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use tracing_subscriber::EnvFilter;

use super::paths::Paths;

/// The log level (`error`, `warn`, `info`, `debug`, `trace`, or a tracing filter such as
/// `mailtrap_tokens::api=debug`).
pub const LOG_ENV: &str = "MAILTRAP_TOKENS_LOG";
pub const DEFAULT_LOG_LEVEL: &str = "info";

/// The log file rolls over at this size; `LOG_KEEP` older files stay beside it (`.1` the newest).
pub const LOG_MAX_BYTES: u64 = 4 * 1024 * 1024;
pub const LOG_KEEP: usize = 3;

/// Proof that logging goes to `path`. Writes are synchronous (a line is on disk when the call returns, so a
/// panic's last words are never lost in a buffer); there is nothing to flush when this is dropped.
#[derive(Debug)]
pub struct LogFile {
    pub path: PathBuf,
}

/// Sends `tracing` events to the log file, at the level set by `MAILTRAP_TOKENS_LOG` (default `info`).
/// An error, in words, when the file cannot be opened or a global subscriber is already set; the console
/// shows it as a warning and runs anyway.
pub fn init_logging(paths: &Paths) -> Result<LogFile, String> {
    let level = std::env::var(LOG_ENV).ok();
    init_logging_at(&paths.log_file, level.as_deref())
}

/// [`init_logging`] with the file and level given, for tests and embedders.
pub fn init_logging_at(log_file: &Path, level: Option<&str>) -> Result<LogFile, String> {
    let file = RollingLog::open(log_file, LOG_MAX_BYTES, LOG_KEEP)
        .map_err(|e| format!("nothing is logged: {e}"))?;
    let (filter, bad_level) = log_filter(level);
    let subscriber = tracing_subscriber::fmt()
        .with_writer(Mutex::new(file))
        .with_ansi(false)
        .with_target(true)
        .with_env_filter(filter)
        .finish();
    tracing::subscriber::set_global_default(subscriber)
        .map_err(|_| "nothing is logged here: another logger is already installed".to_string())?;
    if let Some(bad) = bad_level {
        tracing::warn!("{LOG_ENV}={bad:?} is not a log level; logging at {DEFAULT_LOG_LEVEL}");
    }
    tracing::info!(version = env!("CARGO_PKG_VERSION"), "logging started");
    Ok(LogFile {
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

/// The log file, capped: once a line would take it past `max_bytes` it is renamed `NAME.1` (the older
/// ones shift to `.2` … `.KEEP`, the oldest dropped) and a new file is started. Each write is one whole
/// line from the formatter, so a line is never split across two files.
#[derive(Debug)]
pub struct RollingLog {
    path: PathBuf,
    file: File,
    written: u64,
    max_bytes: u64,
    keep: usize,
}

impl RollingLog {
    /// Opens (or creates) the log at `path`, rolling it over first if it is already full.
    pub fn open(path: &Path, max_bytes: u64, keep: usize) -> io::Result<Self> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let file = open_log_file(path)?;
        let written = file.metadata()?.len();
        let mut log = Self {
            path: path.to_path_buf(),
            file,
            written,
            max_bytes,
            keep,
        };
        if log.written >= max_bytes {
            log.roll()?;
        }
        Ok(log)
    }

    /// `NAME.n`, beside the log.
    pub fn rolled_path(path: &Path, n: usize) -> PathBuf {
        let mut name = path.as_os_str().to_os_string();
        name.push(format!(".{n}"));
        PathBuf::from(name)
    }

    fn roll(&mut self) -> io::Result<()> {
        if self.keep == 0 {
            std::fs::remove_file(&self.path)?;
        } else {
            // Renames replace a name, they never follow a link that sits on one.
            for n in (1..self.keep).rev() {
                match std::fs::rename(
                    Self::rolled_path(&self.path, n),
                    Self::rolled_path(&self.path, n + 1),
                ) {
                    Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
                    _ => {}
                }
            }
            std::fs::rename(&self.path, Self::rolled_path(&self.path, 1))?;
        }
        self.file = open_log_file(&self.path)?;
        self.written = self.file.metadata()?.len();
        Ok(())
    }
}

impl Write for RollingLog {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let full =
            self.written > 0 && self.written.saturating_add(buf.len() as u64) > self.max_bytes;
        // Could not start a new file: start this one again rather than grow past the cap.
        if full && self.roll().is_err() {
            self.file.set_len(0)?;
            self.written = 0;
        }
        let n = self.file.write(buf)?;
        self.written += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

/// Opens the log for appending, creating it; owner-only on Unix, since it describes the account. A
/// symbolic link at the path is not followed (someone could point it at a file of the user's to have it
/// appended to), and a file that already exists is made owner-only whatever its mode was.
fn open_log_file(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // O_NONBLOCK: a FIFO planted at the path fails at once instead of blocking the start-up.
        options
            .mode(0o600)
            .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(|e| {
        #[cfg(unix)]
        if e.raw_os_error() == Some(libc::ELOOP) {
            return io::Error::other(format!(
                "{} is a symbolic link, which is not followed",
                path.display()
            ));
        }
        e
    })?;
    if !file.metadata()?.is_file() {
        return Err(io::Error::other(format!(
            "{} is not a regular file",
            path.display()
        )));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // On the open descriptor, so it is this file that changes, whatever the path points to by now.
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(file)
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
