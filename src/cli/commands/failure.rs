//! Why a command stopped: each kind of failure with its exit code and the one message stderr gets.

use crate::api::error::exit_code;
use crate::api::{ApiError, UnreadableToken};
use crate::hygiene::Severity;

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
    /// A hand-off command failed, so the new secret was saved to a 0600 file (exit 11).
    HandoffFailed {
        failed: Vec<String>,
        path: std::path::PathBuf,
    },
    /// `lint --fail-on`: this many findings at `threshold` or above (exit 10); they were printed.
    Findings { count: usize, threshold: Severity },
    /// `drift`: the account changed since the last snapshot (exit 12); `summary` says how, the changes
    /// were printed.
    Drift { summary: String },
    /// A write refused before anything was sent (exit 13); the words say which setting refused it.
    ReadOnly(String),
    /// Failures already said on stderr one by one (a list over several accounts); `summary` closes them
    /// and `code` is the exit code of the first.
    Reported { code: i32, summary: String },
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
            Failure::Findings { .. } => exit_code::FINDINGS,
            Failure::HandoffFailed { .. } => exit_code::HANDOFF_FAILED,
            Failure::Drift { .. } => exit_code::DRIFT,
            Failure::ReadOnly(_) => exit_code::READ_ONLY,
            Failure::Reported { code, .. } => *code,
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
            Failure::Reported { summary, .. } => summary.clone(),
            Failure::ReadOnly(why) => format!("error: {why}; nothing was sent"),
            Failure::Output { what } => format!("error: could not write to stdout: {what}"),
            Failure::HandoffFailed { failed, path } => format!(
                "error: the hand-off failed ({}); the new secret was saved to {} (readable only by you)",
                failed.join("; "),
                path.display()
            ),
            Failure::SecretSaved { what, path } => format!(
                "error: could not write the new secret to stdout ({what}); it was saved to {} \
                 (readable only by you){}",
                path.display(),
                crate::custody::work_tree_note(path)
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
            Failure::Findings { count, threshold } => {
                let noun = if *count == 1 { "finding" } else { "findings" };
                format!("lint: {count} {noun} at {threshold} or above (--fail-on {threshold})")
            }
            Failure::Drift { summary } => format!("drift: {summary}"),
        }
    }
}

impl From<ApiError> for Failure {
    fn from(error: ApiError) -> Self {
        Failure::api(error)
    }
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
            (
                Failure::Findings {
                    count: 2,
                    threshold: Severity::Warn,
                },
                10,
            ),
            (
                Failure::Drift {
                    summary: "1 created".into(),
                },
                12,
            ),
            (Failure::ReadOnly("x".into()), 13),
            (Failure::Cancelled, 1),
            (Failure::Output { what: "x".into() }, 1),
        ];
        for (failure, code) in cases {
            assert_eq!(failure.exit_code(), code, "{}", failure.message());
        }
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
