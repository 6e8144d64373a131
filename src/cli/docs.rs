//! Shell completions and the man page, generated from the one command-line definition.

use clap::CommandFactory;
use std::path::{Path, PathBuf};

use crate::cli::args::Cli;
use crate::cli::commands::{EXIT_NOT_DONE, print};

const BIN: &str = "mailtrap-tokens";

pub fn completions(shell: clap_complete::Shell) -> i32 {
    let mut command = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut command, BIN, &mut out);
    write_out(&out)
}

/// The man page (roff) on stdout; the exit codes and environment come from `--help`'s closing text. With
/// `dir`, one page per command (the main page and `mailtrap-tokens-list.1`, … with their options) is
/// written there instead, and the files are listed on stdout.
pub fn man(dir: Option<&Path>) -> i32 {
    let Some(dir) = dir else {
        let mut out = Vec::new();
        return match clap_mangen::Man::new(Cli::command()).render(&mut out) {
            Ok(()) => write_out(&out),
            Err(e) => {
                eprintln!("error: cannot render the man page: {e}");
                EXIT_NOT_DONE
            }
        };
    };
    match write_pages(dir) {
        Ok(files) => {
            let list: String = files.iter().map(|f| format!("{}\n", f.display())).collect();
            write_out(list.as_bytes())
        }
        Err(e) => {
            eprintln!(
                "error: cannot write the man pages to {}: {e}",
                dir.display()
            );
            EXIT_NOT_DONE
        }
    }
}

/// Writes every page into `dir` and returns their paths, sorted.
pub fn write_pages(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    clap_mangen::generate_to(Cli::command(), dir)?;
    pages_in(dir)
}

fn pages_in(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut pages: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(BIN) && n.ends_with(".1"))
        })
        .collect();
    pages.sort();
    Ok(pages)
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
