//! The full-screen console.
//!
//! - `msg.rs`: every event as one `Msg`; `effect.rs`: what `update` asks the world to do.
//! - `state.rs`: the model; `update.rs`: the only code that changes it (pure, clock injected).
//! - `columns.rs`: how each table column shows a token.
//! - `view/`: pure rendering; `executor.rs`: runs requests; `run.rs`: the loop; `terminal.rs`: setup and
//!   restoration; `dump.rs`: `--dump-screen`.

pub mod action;
pub mod columns;
pub mod dialogs;
pub mod dump;
pub mod effect;
pub mod executor;
pub mod keymap;
pub mod msg;
pub mod registry;
pub mod run;
pub mod state;
pub mod terminal;
pub mod update;
pub mod view;

use chrono::Duration;

use crate::cli::args::{ConsoleArgs, DemoArgs, GlobalArgs};
use crate::cli::session;
use crate::config::Theme;

use keymap::Keymap;
use run::Console;
use state::{DEFAULT_REFRESH, StateConfig};

/// The theme the command line and the environment ask for: no colours with `--no-color` or `NO_COLOR`.
pub fn theme_for(global: &GlobalArgs) -> Theme {
    let no_color = global.no_color || std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    if no_color {
        Theme::default().without_color()
    } else {
        Theme::default()
    }
}

fn runtime() -> Result<tokio::runtime::Runtime, i32> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| {
            eprintln!("mailtrap-tokens: cannot start the async runtime: {e}");
            1
        })
}

pub fn run_demo(global: &GlobalArgs, console: &ConsoleArgs, demo: &DemoArgs) -> i32 {
    let runtime = match runtime() {
        Ok(r) => r,
        Err(code) => return code,
    };
    runtime.block_on(demo::run(global, console, demo))
}

pub fn run_live(global: &GlobalArgs, console: &ConsoleArgs) -> i32 {
    let client = match session::client(global) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("mailtrap-tokens: {e}\n{}", e.advice());
            return e.exit_code();
        }
    };
    let runtime = match runtime() {
        Ok(r) => r,
        Err(code) => return code,
    };
    let config = StateConfig {
        keymap: Keymap::default(),
        wanted_account: global.account_id,
        api_url: session::base_url(global),
        refresh_every: Duration::seconds(DEFAULT_REFRESH),
    };
    let console_setup = Console {
        client,
        config,
        theme: theme_for(global),
    };
    runtime.block_on(run::run(console_setup, console.dump_screen))
}

mod demo {
    //! `mailtrap-tokens demo`: the console against the simulator embedded in the binary.

    use super::*;

    use crate::api::Client;
    use crate::sim::{RunningSim, SimOptions};

    pub async fn run(global: &GlobalArgs, console: &ConsoleArgs, demo: &DemoArgs) -> i32 {
        let options = SimOptions {
            extra_tokens: demo.tokens,
            ..SimOptions::default()
        };
        let sim = match RunningSim::start(options).await {
            Ok(sim) => sim,
            Err(e) => {
                eprintln!("mailtrap-tokens: cannot start the demo simulator: {e}");
                return 1;
            }
        };
        let client = match Client::new(&sim.url(), sim.operator_token()) {
            Ok(c) => c,
            Err(e) => {
                eprintln!("mailtrap-tokens: {e}");
                return e.exit_code();
            }
        };
        let config = StateConfig {
            keymap: Keymap::default(),
            wanted_account: Some(sim.account_id()),
            api_url: sim.url(),
            refresh_every: Duration::seconds(DEFAULT_REFRESH),
        };
        let setup = Console {
            client,
            config,
            theme: theme_for(global),
        };
        let code = run::run(setup, console.dump_screen).await;
        sim.shutdown().await;
        code
    }
}
