//! The scriptable commands: `accounts`, `list`, `get`, `create`, `reset`, `delete`, `lint`, `drift` and
//! `journal`. Results go to stdout in the chosen format; everything meant for a person (summaries, prompts,
//! errors) goes to stderr.
//!
//! - `failure.rs`: why a command stopped and its exit code; `setup.rs`: the client, the account, stdout.
//! - `read.rs`, `write.rs`, `lint.rs`, `drift.rs`, `journal.rs`: the commands; `confirm.rs`: the prompt
//!   before a destructive one; `record.rs`: the journal the writes go through, and printing a dry run.

mod confirm;
mod drift;
mod failure;
mod journal;
mod lint;
mod read;
mod record;
mod setup;
mod write;

use std::io::Write;

use crate::api::error::exit_code;
use crate::cli::args::{Command, GlobalArgs};

pub use confirm::{Consent, ask, consent};
pub use failure::{EXIT_NOT_DONE, EXIT_SECRET_SAVED, Failure};
pub(crate) use setup::print;

/// Runs one API command to completion and returns the exit code.
pub fn run(global: &GlobalArgs, command: Command) -> i32 {
    let outcome = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime.block_on(run_async(global, command)),
        Err(e) => Err(Failure::Output {
            what: format!("cannot start the async runtime: {e}"),
        }),
    };
    match outcome {
        Ok(()) => exit_code::OK,
        Err(failure) => {
            let _ = writeln!(std::io::stderr(), "{}", failure.message().trim_end());
            failure.exit_code()
        }
    }
}

async fn run_async(global: &GlobalArgs, command: Command) -> Result<(), Failure> {
    match command {
        Command::Accounts(out) => read::accounts(global, out.output).await,
        Command::List(out) => read::list(global, out.output).await,
        Command::Get { id, output } => read::get(global, id, output.output).await,
        Command::Create(args) => write::create(global, args).await,
        Command::Reset(args) => write::reset(global, args).await,
        Command::Delete(args) => write::delete(global, args).await,
        Command::Lint(args) => lint::lint(global, args).await,
        Command::Drift(args) => drift::drift(global, args).await,
        Command::Journal(args) => journal::journal(global, args).await,
        _ => Err(Failure::Usage(
            "this command is not one of the scriptable commands".into(),
        )),
    }
}
