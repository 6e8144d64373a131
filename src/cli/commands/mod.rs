//! The scriptable commands: `accounts`, `list`, `get`, `create`, `reset` and `delete`. Results go to
//! stdout in the chosen format; everything meant for a person (summaries, prompts, errors) goes to stderr.

mod confirm;
mod read;
mod write;

use std::io::Write;

use crate::api::error::exit_code;
use crate::api::{AccountChoice, AccountId, ApiError, Client, UnreadableToken, resolve_account};
use crate::cli::args::{Command, GlobalArgs};
use crate::cli::session;

pub use confirm::{Consent, ask, consent};

/// Why a command stopped; each kind has its exit code and one clear message.
#[derive(Debug)]
pub enum Failure {
    /// Bad arguments or setup; nothing was sent (exit 2).
    Usage(String),
    /// The API said no, or could not be reached; `context` names what was being done.
    Api {
        context: Option<String>,
        error: ApiError,
    },
    /// The person answered no at the prompt (exit 1).
    Cancelled,
    /// Stdout could not be written (exit 1); `what` says what was lost.
    Output { what: String },
    /// A new secret could not be written to stdout, so it was saved to a 0600 file instead (exit 9).
    SecretSaved {
        what: String,
        path: std::path::PathBuf,
    },
    /// The list was printed without these tokens, which could not be read (exit 8).
    Unreadable {
        printed: usize,
        tokens: Vec<UnreadableToken>,
    },
}

/// Exit code for a declined prompt or an unwritable stdout.
pub const EXIT_NOT_DONE: i32 = 1;

/// Exit code for a new secret that went to a file because stdout could not take it.
pub const EXIT_SECRET_SAVED: i32 = exit_code::SECRET_SAVED;

impl Failure {
    pub fn api(error: ApiError) -> Self {
        Failure::Api {
            context: None,
            error,
        }
    }

    pub fn api_about(context: impl Into<String>) -> impl FnOnce(ApiError) -> Self {
        let context = context.into();
        move |error| Failure::Api {
            context: Some(context),
            error,
        }
    }

    pub fn exit_code(&self) -> i32 {
        match self {
            Failure::Usage(_) => exit_code::USAGE,
            Failure::Api { error, .. } => error.exit_code(),
            Failure::Cancelled | Failure::Output { .. } => EXIT_NOT_DONE,
            Failure::SecretSaved { .. } => EXIT_SECRET_SAVED,
            Failure::Unreadable { .. } => exit_code::PARTIAL,
        }
    }

    /// The line (or, for an ambiguous account, the list) printed to stderr. Never a secret: `ApiError`'s
    /// text carries none, and no request is echoed.
    pub fn message(&self) -> String {
        match self {
            Failure::Usage(text) => format!("error: {text}"),
            Failure::Api { context, error } => {
                let context = context
                    .as_deref()
                    .map_or_else(String::new, |c| format!("{c}: "));
                format!("error: {context}{error}. {}", error.advice())
            }
            Failure::Cancelled => "cancelled; nothing was changed".into(),
            Failure::Output { what } => format!("error: could not write to stdout: {what}"),
            Failure::SecretSaved { what, path } => format!(
                "error: could not write the new secret to stdout ({what}); it was saved to {} \
                 (readable only by you)",
                path.display()
            ),
            Failure::Unreadable { printed, tokens } => {
                let mut text = format!(
                    "error: {} of {} tokens could not be read and are not in the output; the other {printed} are:",
                    tokens.len(),
                    printed + tokens.len()
                );
                for token in tokens {
                    text.push_str(&format!("\n  {token}"));
                }
                text
            }
        }
    }
}

impl From<ApiError> for Failure {
    fn from(error: ApiError) -> Self {
        Failure::api(error)
    }
}

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
        _ => Err(Failure::Usage(
            "this command is not one of the scriptable commands".into(),
        )),
    }
}

/// The client from `MAILTRAP_API_TOKEN` and `--api-url` / `MAILTRAP_API_URL`.
fn client(global: &GlobalArgs) -> Result<Client, Failure> {
    session::client(global).map_err(|e| match e {
        ApiError::Config(text) => Failure::Usage(text),
        other => Failure::api(other),
    })
}

/// The account to work on: `--account-id` / `MAILTRAP_ACCOUNT_ID` checked against what the token sees, or
/// the only account; several without a choice is a usage error listing them.
async fn account(client: &Client, global: &GlobalArgs) -> Result<AccountId, Failure> {
    chosen_account(resolve_account(client, global.account_id).await)
}

fn chosen_account(choice: Result<AccountChoice, ApiError>) -> Result<AccountId, Failure> {
    match choice {
        Ok(AccountChoice::Chosen(account)) => Ok(account.id),
        Ok(AccountChoice::Ambiguous(accounts)) => Err(Failure::Usage(
            session::ambiguous_message(&accounts).trim_end().to_string(),
        )),
        Err(ApiError::Config(text)) => Err(Failure::Usage(text)),
        Err(e) => Err(Failure::api_about("finding the account")(e)),
    }
}

/// Writes a command's result to stdout. A reader that went away (`| head`) is not an error.
pub(crate) fn print(text: &str) -> Result<(), Failure> {
    match write_stdout(text) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Failure::Output {
            what: e.to_string(),
        }),
    }
}

/// Writes to stdout and flushes; every error counts (for a secret, a reader that went away lost it).
pub(crate) fn write_stdout(text: &str) -> std::io::Result<()> {
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::FieldError;

    #[test]
    fn every_failure_maps_to_its_exit_code() {
        let cases = [
            (Failure::Usage("x".into()), 2),
            (
                Failure::api(ApiError::Unauthorized {
                    message: "Incorrect API token".into(),
                }),
                3,
            ),
            (Failure::api(ApiError::NotFound), 4),
            (
                Failure::api(ApiError::Forbidden {
                    message: "Access forbidden".into(),
                }),
                5,
            ),
            (Failure::api(ApiError::Validation { errors: vec![] }), 5),
            (Failure::api(ApiError::RateLimited { retry_after: None }), 6),
            (Failure::api(ApiError::Timeout), 7),
            (
                Failure::Unreadable {
                    printed: 3,
                    tokens: vec![],
                },
                8,
            ),
            (
                Failure::api(ApiError::Server {
                    status: 502,
                    message: "x".into(),
                }),
                7,
            ),
            (Failure::Cancelled, 1),
            (Failure::Output { what: "x".into() }, 1),
        ];
        for (failure, code) in cases {
            assert_eq!(failure.exit_code(), code, "{}", failure.message());
        }
    }

    #[test]
    fn several_accounts_without_a_choice_list_them_and_exit_2() {
        let account = |id, name: &str| crate::api::Account {
            id,
            name: name.into(),
            access_levels: vec![],
        };
        let failure = chosen_account(Ok(AccountChoice::Ambiguous(vec![
            account(1, "Acme"),
            account(2, "Evil\x1b[2J Inc"),
        ])))
        .unwrap_err();
        assert_eq!(failure.exit_code(), 2);
        let text = failure.message();
        assert!(text.starts_with("error: "), "{text}");
        assert!(text.contains("--account-id"), "{text}");
        assert!(text.contains("  1  Acme\n"), "{text}");
        assert!(text.contains("  2  Evil"), "{text}");
        assert!(!text.contains('\x1b'), "{text}");
        assert_eq!(
            chosen_account(Ok(AccountChoice::Chosen(account(7, "x")))).unwrap(),
            7
        );
        let hidden = chosen_account(Err(ApiError::Config("account 9 is not visible".into())));
        assert_eq!(hidden.unwrap_err().exit_code(), 2);
        let offline = chosen_account(Err(ApiError::Timeout)).unwrap_err();
        assert_eq!(offline.exit_code(), 7);
        assert!(offline.message().contains("finding the account"));
    }

    #[test]
    fn api_errors_read_as_one_line_with_advice() {
        let failure = Failure::api_about("token 42")(ApiError::Validation {
            errors: vec![FieldError {
                field: None,
                message: "API token was already reset".into(),
            }],
        });
        assert_eq!(
            failure.message(),
            "error: token 42: API token was already reset. Correct the request and try again."
        );
        assert!(!failure.message().contains('\n'));
    }
}
