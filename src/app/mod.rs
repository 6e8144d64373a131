//! The full-screen console.

pub mod action;
pub mod dialogs;
pub mod keymap;
pub mod registry;

use crate::cli::args::{ConsoleArgs, DemoArgs, GlobalArgs};

pub fn run_demo(_global: &GlobalArgs, _console: &ConsoleArgs, _demo: &DemoArgs) -> i32 {
    eprintln!("the console is coming");
    0
}

pub fn run_live(_global: &GlobalArgs, _console: &ConsoleArgs) -> i32 {
    eprintln!("the console is coming");
    0
}
