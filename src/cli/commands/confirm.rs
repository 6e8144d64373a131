//! Asking before a reset or a delete. On a terminal the person answers y/N; anywhere else `--yes` is
//! required, and without it nothing at all is sent (not even a read).

use std::io::{BufRead, Write};

use super::failure::Failure;

#[derive(Debug, PartialEq, Eq)]
pub enum Consent {
    /// `--yes` was given.
    Given,
    /// Stdin is a terminal: show what will happen and ask.
    AskOnTerminal,
}

/// Decides before any request whether the command may go ahead. `verb` is `reset` or `delete`.
pub fn consent(yes: bool, stdin_is_terminal: bool, verb: &str) -> Result<Consent, Failure> {
    if yes {
        Ok(Consent::Given)
    } else if stdin_is_terminal {
        Ok(Consent::AskOnTerminal)
    } else {
        Err(Failure::Usage(format!(
            "{verb} needs --yes when stdin is not a terminal (there is no one to ask); nothing was sent"
        )))
    }
}

/// Writes `explanation` and `question [y/N] ` to `out` and reads one answer; only y or yes agrees, and an
/// empty line or end of input means no.
pub fn ask(
    explanation: &str,
    question: &str,
    input: &mut impl BufRead,
    out: &mut impl Write,
) -> std::io::Result<bool> {
    write!(out, "{explanation}\n{question} [y/N] ")?;
    out.flush()?;
    let mut answer = String::new();
    input.read_line(&mut answer)?;
    Ok(matches!(
        answer.trim().to_ascii_lowercase().as_str(),
        "y" | "yes"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_a_terminal_yes_is_required() {
        assert_eq!(consent(true, false, "reset").unwrap(), Consent::Given);
        assert_eq!(consent(true, true, "reset").unwrap(), Consent::Given);
        assert_eq!(
            consent(false, true, "delete").unwrap(),
            Consent::AskOnTerminal
        );
        let refused = consent(false, false, "delete").unwrap_err();
        assert_eq!(refused.exit_code(), 2);
        assert!(refused.message().contains("--yes"), "{}", refused.message());
    }

    #[test]
    fn only_yes_agrees() {
        let answer = |typed: &str| {
            let mut out = Vec::new();
            let agreed = ask("It goes.", "Delete?", &mut typed.as_bytes(), &mut out).unwrap();
            assert_eq!(String::from_utf8(out).unwrap(), "It goes.\nDelete? [y/N] ");
            agreed
        };
        assert!(answer("y\n"));
        assert!(answer(" YES \n"));
        assert!(!answer("\n"));
        assert!(!answer(""));
        assert!(!answer("n\n"));
        assert!(!answer("yep\n"));
    }
}
