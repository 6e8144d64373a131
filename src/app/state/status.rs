//! The status line: one message at a time, with a level and the moment it goes.

use chrono::{DateTime, Duration, Utc};

use crate::text::SafeText;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Info,
    Success,
    Warn,
    Error,
}

/// A message on the status line, gone at `expires_at`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusMessage {
    /// Made safe when set: status words often carry a name or an error from the server.
    pub text: SafeText,
    pub level: Level,
    pub expires_at: DateTime<Utc>,
}

/// How long a status message stays unless it says otherwise.
pub const STATUS_SECONDS: i64 = 6;

/// How long a message that must not be missed stays.
pub const IMPORTANT_SECONDS: i64 = 60;

impl StatusMessage {
    pub fn new(text: impl Into<String>, level: Level, now: DateTime<Utc>, seconds: i64) -> Self {
        Self {
            text: SafeText::from(text.into()),
            level,
            expires_at: now + Duration::seconds(seconds),
        }
    }
}
