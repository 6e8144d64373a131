//! The full-screen console.
//!
//! - `msg.rs`: every event as one `Msg`; `effect.rs`: what `update` asks the world to do.
//! - `state.rs`: the model; `update.rs`: the only code that changes it (pure, clock injected).
//! - `columns.rs`: how each table column shows a token.
//! - `view/`: pure rendering; `executor.rs`: runs requests; `run.rs`: the loop; `terminal.rs`: setup and
//!   restoration; `dump.rs`: `--dump-screen`.
//!
//! `cli::console` starts it: it reads the command line and the config and hands `run::run` a `run::Console`.

pub mod columns;
pub mod dialogs;
pub mod dump;
pub mod effect;
pub mod executor;
pub mod memory;
pub mod msg;
pub mod registry;
pub mod run;
pub mod state;
pub mod terminal;
pub mod update;
pub mod view;
