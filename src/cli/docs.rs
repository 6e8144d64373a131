//! Shell completions and the man page, generated from the one command-line definition.

use clap::CommandFactory;

use crate::cli::args::Cli;
use crate::cli::commands::{EXIT_NOT_DONE, print};

const BIN: &str = "mailtrap-tokens";

pub fn completions(shell: clap_complete::Shell) -> i32 {
    let mut command = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut command, BIN, &mut out);
    write_out(&out)
}

/// The man page (roff); the exit codes and environment come from `--help`'s closing text.
pub fn man() -> i32 {
    let mut out = Vec::new();
    match clap_mangen::Man::new(Cli::command()).render(&mut out) {
        Ok(()) => write_out(&out),
        Err(e) => {
            eprintln!("error: cannot render the man page: {e}");
            EXIT_NOT_DONE
        }
    }
}

fn write_out(bytes: &[u8]) -> i32 {
    let text = String::from_utf8_lossy(bytes);
    match print(&text) {
        Ok(()) => 0,
        Err(failure) => {
            eprintln!("{}", failure.message());
            failure.exit_code()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_man_page_carries_the_exit_codes() {
        let mut out = Vec::new();
        clap_mangen::Man::new(Cli::command())
            .render(&mut out)
            .unwrap();
        let page = String::from_utf8(out).unwrap();
        assert!(page.contains("rate limited (429)"), "{page}");
        assert!(page.contains("MAILTRAP_API_TOKEN"));
    }
}
