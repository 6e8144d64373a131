//! `mailtrap-tokens config init` and `config path`.

use std::io::Write;
use std::path::Path;

use super::file::DEFAULT_CONFIG_TOML;
use super::paths::Paths;
use crate::api::error::exit_code;

/// The `config` subcommands, as this module runs them; the command line maps its own parsed form
/// onto this.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConfigCommand {
    /// Write the commented default config file.
    Init,
    /// Print where the config, the log and the state live.
    Path,
}

/// Runs a `config` subcommand against `paths` (already carrying any `--config` override), writing to
/// `out` and `err`; returns the exit code.
pub fn run_config_command(
    cmd: &ConfigCommand,
    paths: &Paths,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let result = match cmd {
        ConfigCommand::Init => match write_default_config(&paths.config_file) {
            Ok(()) => writeln!(
                out,
                "wrote {} (every setting at its default)",
                paths.config_file.display()
            ),
            Err(InitError::Exists) => {
                let _ = writeln!(
                    err,
                    "{} already exists; it was not changed (move it away to write a fresh one)",
                    paths.config_file.display()
                );
                return exit_code::USAGE;
            }
            Err(InitError::Io(e)) => {
                let _ = writeln!(err, "cannot write {}: {e}", paths.config_file.display());
                return exit_code::USAGE;
            }
        },
        ConfigCommand::Path => out.write_all(describe_paths(paths).as_bytes()),
    };
    match result {
        Ok(()) => exit_code::OK,
        // stdout closed (e.g. piped into `head`): nothing more to say.
        Err(_) => exit_code::OK,
    }
}

#[derive(Debug)]
pub enum InitError {
    Exists,
    Io(std::io::Error),
}

/// Writes the commented default config to `path`, creating its directory; never overwrites.
pub fn write_default_config(path: &Path) -> Result<(), InitError> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(InitError::Io)?;
    }
    // create_new makes the "does it exist" check and the creation one step.
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => InitError::Exists,
            _ => InitError::Io(e),
        })?;
    file.write_all(DEFAULT_CONFIG_TOML.as_bytes())
        .map_err(InitError::Io)
}

/// Where everything lives, one line each, like `k9s info`.
pub fn describe_paths(paths: &Paths) -> String {
    let config_note = if paths.config_file.exists() {
        ""
    } else {
        "  (not there yet: the defaults apply; `mailtrap-tokens config init` writes it)"
    };
    let log_note = if paths.log_file.exists() {
        ""
    } else {
        "  (created when the console starts)"
    };
    format!(
        "config file: {}{config_note}\nlog file:    {}{log_note}\nstate dir:   {}\n",
        paths.config_file.display(),
        paths.log_file.display(),
        paths.state_dir.display()
    )
}
