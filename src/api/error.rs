//! One error type a person can act on. Messages never contain a secret: bodies are quoted only as short,
//! sanitized excerpts, and requests are never echoed.

use std::fmt;
use std::time::Duration;

/// One validation message; `field` is `None` for the server's `base` messages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub field: Option<String>,
    pub message: String,
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.field {
            Some(field) => write!(f, "{field}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    #[error("the API token is invalid or has expired (401: {message})")]
    Unauthorized { message: String },
    #[error("forbidden (403): {message}")]
    Forbidden { message: String },
    #[error("not found (404)")]
    NotFound,
    #[error("{}", join_fields(.errors))]
    Validation { errors: Vec<FieldError> },
    #[error("rate limited (429){}", retry_text(.retry_after))]
    RateLimited { retry_after: Option<Duration> },
    #[error("server error ({status}): {message}")]
    Server { status: u16, message: String },
    #[error("the server answered {status}: {message}")]
    Status { status: u16, message: String },
    #[error("the request timed out")]
    Timeout,
    #[error("could not connect: {message}")]
    Connection { message: String },
    #[error("could not read the server's answer ({status}): {excerpt}")]
    Decode { status: u16, excerpt: String },
    #[error("{0}")]
    Config(String),
}

fn join_fields(errors: &[FieldError]) -> String {
    if errors.is_empty() {
        return "the server rejected the request (422)".into();
    }
    errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

fn retry_text(retry_after: &Option<Duration>) -> String {
    match retry_after {
        Some(d) => format!(", retry in {}s", d.as_secs().max(1)),
        None => String::new(),
    }
}

/// Exit codes of the scriptable commands (documented in `--help` and the README).
pub mod exit_code {
    pub const OK: i32 = 0;
    pub const USAGE: i32 = 2;
    pub const AUTH: i32 = 3;
    pub const NOT_FOUND: i32 = 4;
    pub const REFUSED: i32 = 5;
    pub const RATE_LIMITED: i32 = 6;
    pub const NETWORK: i32 = 7;
    /// `create` or `reset` made the token but stdout did not take the secret: it is in a 0600 file.
    pub const SECRET_SAVED: i32 = 9;
    /// A list was printed without some of its tokens, which could not be read (each named on stderr).
    pub const PARTIAL: i32 = 8;
    /// `lint --fail-on LEVEL` found at least one finding at that level or above (they were printed).
    pub const FINDINGS: i32 = 10;
    /// `create` or `reset` with `--handoff`: a hand-off command failed; the secret is in a 0600 file.
    pub const HANDOFF_FAILED: i32 = 11;
    /// `drift`: the account's tokens changed since the last snapshot (the changes were printed).
    pub const DRIFT: i32 = 12;
    /// A write was refused before anything was sent: `--read-only`, or `read_only` in the config.
    pub const READ_ONLY: i32 = 13;
}

impl ApiError {
    pub fn exit_code(&self) -> i32 {
        match self {
            ApiError::Unauthorized { .. } => exit_code::AUTH,
            ApiError::NotFound => exit_code::NOT_FOUND,
            ApiError::Forbidden { .. } | ApiError::Validation { .. } => exit_code::REFUSED,
            ApiError::RateLimited { .. } => exit_code::RATE_LIMITED,
            ApiError::Status { status, .. } if (400..500).contains(status) => exit_code::REFUSED,
            ApiError::Config(_) => exit_code::USAGE,
            _ => exit_code::NETWORK,
        }
    }

    /// Whether a read may be retried automatically (writes never are).
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            ApiError::Server { .. }
                | ApiError::RateLimited { .. }
                | ApiError::Timeout
                | ApiError::Connection { .. }
        )
    }

    /// A short hint on what the user can do about it.
    pub fn advice(&self) -> &'static str {
        match self {
            ApiError::Unauthorized { .. } => {
                "Check MAILTRAP_API_TOKEN: the token may have been reset, deleted or expired."
            }
            ApiError::Forbidden { .. } => {
                "This token lacks the permission; an account admin token is needed to manage tokens."
            }
            ApiError::NotFound => "It may have been deleted elsewhere; refresh the list.",
            ApiError::Validation { .. } => "Correct the request and try again.",
            ApiError::RateLimited { .. } => {
                "Mailtrap allows 150 requests per 10 seconds; wait and retry."
            }
            ApiError::Timeout | ApiError::Connection { .. } => {
                "Check the network or MAILTRAP_API_URL, then retry."
            }
            ApiError::Server { .. } | ApiError::Decode { .. } => {
                "Mailtrap had a problem; retry in a moment."
            }
            ApiError::Status { .. } => "The server refused the request.",
            ApiError::Config(_) => "Fix the setting and run again.",
        }
    }
}
