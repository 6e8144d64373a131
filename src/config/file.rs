//! The config file on disk: where it is read from, the checks before a byte of it is read, and the
//! commented default that `config init` writes. Every problem becomes a warning naming the file, line
//! and key, and every setting that could be read is kept.

use std::path::{Path, PathBuf};

use super::paths::Paths;
use super::reader::parse_uncapped;
use super::settings::Config;
use super::warning::{ConfigWarning, MAX_WARNINGS, cap_warnings};

/// The commented file `config init` writes; a test keeps it equal to `Config::default()`.
pub const DEFAULT_CONFIG_TOML: &str = include_str!("../../assets/config.default.toml");

/// The config the console runs with, the problems found on the way, and the file it came from (`None`
/// only when no config location could be found at all).
#[derive(Clone, Debug)]
pub struct LoadedConfig {
    pub config: Config,
    pub warnings: Vec<ConfigWarning>,
    pub path: Option<PathBuf>,
}

impl Config {
    /// Reads `explicit` (from `--config`) or the file in the platform's config directory. Never fails:
    /// a missing default file means defaults; every problem becomes a warning.
    pub fn load(explicit: Option<&Path>) -> LoadedConfig {
        match explicit {
            Some(path) => Self::load_file(path, true),
            None => match Paths::discover() {
                Some(paths) => Self::load_file(&paths.config_file, false),
                None => LoadedConfig {
                    config: Config::default(),
                    warnings: vec![ConfigWarning::new(
                        None,
                        "no home directory was found, so no config file was read; using the defaults",
                    )],
                    path: None,
                },
            },
        }
    }

    /// Reads one file. A missing file is silent unless `must_exist` (it was named on the command line).
    pub fn load_file(path: &Path, must_exist: bool) -> LoadedConfig {
        let fail = |message: String| LoadedConfig {
            config: Config::default(),
            warnings: vec![ConfigWarning::new(None, message).in_file(Some(path))],
            path: Some(path.to_path_buf()),
        };
        let bytes = match read_config_bytes(path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !must_exist => {
                return LoadedConfig {
                    config: Config::default(),
                    warnings: Vec::new(),
                    path: Some(path.to_path_buf()),
                };
            }
            Err(e) => return fail(format!("cannot be read ({e}); using the defaults")),
        };
        let (text, bad_lines) = utf8_lines(&bytes);
        let (config, mut warnings, mut unlisted) = parse_uncapped(&text, Some(path));
        let listed = bad_lines.len().min(MAX_WARNINGS);
        unlisted += bad_lines.len() - listed;
        warnings.extend(bad_lines[..listed].iter().map(|line| {
            ConfigWarning::new(
                None,
                "is not UTF-8 text; the setting on this line was left out",
            )
            .in_file(Some(path))
            .at_position((*line, 1))
        }));
        warnings.sort_by_key(|w| (w.line, w.column));
        LoadedConfig {
            config,
            warnings: cap_warnings(warnings, unlisted, Some(path)),
            path: Some(path.to_path_buf()),
        }
    }

    /// Parses config text. Every setting that is right is kept; each wrong one keeps its default and
    /// adds a warning located at the key (or value) in `text`.
    pub fn parse(text: &str, file: Option<&Path>) -> (Config, Vec<ConfigWarning>) {
        let (config, warnings, unlisted) = parse_uncapped(text, file);
        (config, cap_warnings(warnings, unlisted, file))
    }
}

/// The largest config file read: a real one is a few kilobytes; a bigger one is a mistake (or a device).
pub const MAX_CONFIG_BYTES: u64 = 1024 * 1024;

/// Reads the config file only if it is a regular file of at most `MAX_CONFIG_BYTES`. It is opened without
/// blocking (a FIFO would otherwise wait for a writer forever) and checked on the open descriptor, so a
/// link to `/dev/zero` or a pipe is refused before a byte is read.
fn read_config_bytes(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "it is not a regular file",
        ));
    }
    if meta.len() > MAX_CONFIG_BYTES {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!(
                "it is {} bytes; a config file may be at most {MAX_CONFIG_BYTES}",
                meta.len()
            ),
        ));
    }
    let mut bytes = Vec::new();
    // The size may change after the check: never read more than the cap.
    file.take(MAX_CONFIG_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_CONFIG_BYTES {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("it grew past {MAX_CONFIG_BYTES} bytes while being read"),
        ));
    }
    Ok(bytes)
}

/// The file as text, with every line that is not UTF-8 blanked (so a bad byte costs its one setting, not
/// the file), and the 1-based numbers of those lines.
fn utf8_lines(bytes: &[u8]) -> (String, Vec<usize>) {
    if let Ok(text) = std::str::from_utf8(bytes) {
        return (text.to_string(), Vec::new());
    }
    let mut text = String::with_capacity(bytes.len());
    let mut bad = Vec::new();
    for (i, line) in bytes.split_inclusive(|b| *b == b'\n').enumerate() {
        match std::str::from_utf8(line) {
            Ok(l) => text.push_str(l),
            Err(_) => {
                bad.push(i + 1);
                if line.ends_with(b"\n") {
                    text.push('\n');
                }
            }
        }
    }
    (text, bad)
}
