//! One write's two lines: "sent" before the request goes out, the result after its answer. The
//! journal is opened first, so a journal that cannot be written stops the write before it is sent.

use chrono::Utc;

use crate::api::{AccountId, ApiError, TokenId};

use super::entry::{Answered, EntryId, Line, Note, Outcome, Sent};
use super::file::{Appender, Journal};

/// A write whose "sent" line is in the journal, waiting for its result.
pub struct Recording {
    appender: Appender,
    sent: Sent,
}

impl Journal {
    /// Writes the "sent" line of `note`; an error means nothing may be sent.
    pub fn record_sent(&self, account: AccountId, note: Note) -> std::io::Result<Recording> {
        let appender = self.open()?;
        let sent = note.sent(account, Utc::now());
        appender.append(&Line::Sent(sent.clone()))?;
        Ok(Recording { appender, sent })
    }
}

impl Recording {
    pub fn entry(&self) -> &EntryId {
        &self.sent.entry
    }

    /// Writes the result line: `done` (with the new token, for a reset or a create), or the error's
    /// kind.
    pub fn finish<T>(
        self,
        result: &Result<T, ApiError>,
        made: Option<(TokenId, &str)>,
    ) -> std::io::Result<()> {
        let mut answered = Answered::new(&self.sent, Outcome::of(result), Utc::now());
        if let (Ok(_), Some((id, last4))) = (result, made) {
            answered = answered.made(id, last4);
        }
        self.appender.append(&Line::Result(answered))
    }
}

/// The error a write returns when its journal line could not be written: nothing was sent.
pub fn not_journaled(e: &std::io::Error) -> ApiError {
    ApiError::Config(format!(
        "the journal could not be written ({e}), so nothing was sent"
    ))
}
