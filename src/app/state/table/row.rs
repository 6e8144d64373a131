//! One row of the table: a token and what the table derives from it.

use std::borrow::Borrow;

use crate::api::{AccountId, ApiToken};
use crate::hygiene::Severity;
use crate::text::SafeText;

/// A token's findings at a glance: the worst severity and how many.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FindingSummary {
    pub worst: Severity,
    pub count: usize,
}

/// One token with what the table derives from it, computed once per data change.
#[derive(Clone, Debug)]
pub struct TokenRow {
    pub token: ApiToken,
    /// The account the token belongs to: every action on the row is sent there.
    pub account: AccountId,
    /// That account's name as the Account column shows it (shared by the account's rows).
    pub account_name: SafeText,
    /// Its display width, measured once with it (the column's width follows it every frame).
    pub account_width: u16,
    /// The name, creator, access and masked token made safe once per data change, so a frame only fits
    /// them to their cells: for the rows on screen before the first frame of a new list, for the rest
    /// right after it (`texts_ready` says which).
    pub name: SafeText,
    pub creator: SafeText,
    pub access: SafeText,
    pub masked: SafeText,
    /// Lowercased name, creator, access, id and last digits: what the filter matches (made when the
    /// filter first needs it, or once the first frame is on screen).
    pub search: String,
    /// Index (in `TokenTable::rows`) of the token that replaced this one in a reset.
    pub successor: Option<usize>,
    /// The server sent this token in a shape that could not be read: what is wrong with it. The row only
    /// shows it; `token` holds what could be made out (the name, maybe the id) and nothing is done with it.
    pub unreadable: Option<String>,
    /// The row stands for an account whose list did not load (`unreadable` says why), not for a token.
    pub not_listed: bool,
    /// `name`, `creator`, `access` and `masked` are made (see `TokenTable::ensure_texts`).
    pub texts_ready: bool,
    /// The token's hygiene findings, once they are made (`state::Hygiene`).
    pub findings: Option<FindingSummary>,
    /// The display widths of `name`, `creator` and `access`, measured with them (the columns' widths
    /// follow them, every frame).
    pub widths: TextWidths,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TextWidths {
    pub name: u16,
    pub creator: u16,
    pub access: u16,
}

impl TextWidths {
    pub fn of(name: &SafeText, creator: &SafeText, access: &SafeText) -> Self {
        let cells = |t: &SafeText| u16::try_from(t.width()).unwrap_or(u16::MAX);
        Self {
            name: cells(name),
            creator: cells(creator),
            access: cells(access),
        }
    }
}

/// The rules read a row's token where it is, so the console's findings copy no token.
impl Borrow<ApiToken> for TokenRow {
    fn borrow(&self) -> &ApiToken {
        &self.token
    }
}

impl TokenRow {
    /// A reset grace: a successor exists and the token has an expiry (reset sets one).
    pub fn in_grace(&self) -> bool {
        self.successor.is_some() && self.token.expires_at.is_some()
    }
}
