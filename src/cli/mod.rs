//! The command line, the top layer: argument definitions, starting the console and the demo (`console`),
//! and the scriptable commands (with `lint`'s table and SARIF in `lint_output`).

pub mod args;
pub mod commands;
pub mod console;
pub mod docs;
pub mod input;
pub mod lint_output;
pub mod output;
pub mod session;

use args::{Cli, Command};

/// Runs what the command line asked for and returns the process exit code.
pub fn dispatch(cli: Cli) -> i32 {
    match cli.command {
        Some(Command::Serve(args)) => crate::sim::serve::run(args.into()),
        Some(Command::Demo(args)) => console::run_demo(&cli.global, &cli.console, &args),
        None => console::run_live(&cli.global, &cli.console),
        Some(Command::Completions { shell }) => docs::completions(shell),
        Some(Command::Man { dir }) => docs::man(dir.as_deref()),
        Some(Command::Config(c)) => {
            crate::config::run_command(c.into(), &cli.global.config_flags())
        }
        Some(command) => commands::run(&cli.global, command),
    }
}
