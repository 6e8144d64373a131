//! One row of the table: a token and what the table derives from it. A row is kept for every token
//! (100,000 in a large account), so what most rows lack or share is kept outside it, behind a pointer.

use std::borrow::Borrow;
use std::sync::Arc;

use crate::api::{AccountId, ApiToken};
use crate::hygiene::Severity;
use crate::text::{SafeStr, SafeText, Sanitized, SharedText, SharedTexts};

use super::super::super::columns;

/// A token's findings at a glance: the worst severity and how many.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FindingSummary {
    pub worst: Severity,
    pub count: u32,
}

/// An account's name as the Account column shows it, shared by the account's rows.
#[derive(Clone, Debug, Default)]
pub struct AccountLabel {
    pub name: SafeText,
    /// Its display width, measured once (the column's width follows it every frame).
    pub width: u16,
}

impl AccountLabel {
    pub fn new(name: SafeText) -> Self {
        let width = u16::try_from(name.width()).unwrap_or(u16::MAX);
        Self { name, width }
    }
}

/// One token with what the table derives from it, computed once per data change.
#[derive(Clone, Debug)]
pub struct TokenRow {
    pub token: ApiToken,
    /// The account the token belongs to: every action on the row is sent there.
    pub account: AccountId,
    /// Shared by the account's rows rather than copied into each; none in a table of one account.
    pub(super) account_label: Option<Arc<AccountLabel>>,
    /// What a frame draws besides the token's own fields, made safe once per data change: for the rows
    /// on screen before the first frame of a new list, for the rest right after it; `None` until then.
    pub(super) texts: Option<Box<RowTexts>>,
    /// Index (in `TokenTable::rows`) of the token that replaced this one in a reset.
    pub(super) successor: Option<u32>,
    /// The token's hygiene findings, once they are made (`state::Hygiene`).
    pub findings: Option<FindingSummary>,
    /// Set only on the few rows that stand for no usable token.
    pub(super) unreadable: Option<Box<Unreadable>>,
}

/// The name, creator and access a row shows, with their display widths (the columns' widths follow
/// them every frame).
#[derive(Clone, Debug)]
pub(super) struct RowTexts {
    pub(super) name: Sanitized,
    pub(super) creator: Sanitized,
    /// Shared with every row that has the same access (thousands do).
    pub(super) access: SharedText,
    pub(super) widths: TextWidths,
}

/// The server sent a token in a shape that could not be read, or an account's list did not load.
#[derive(Clone, Debug)]
pub(super) struct Unreadable {
    /// What is wrong with it. The row only shows it; its `token` holds what could be made out (the name,
    /// maybe the id) and nothing is done with it.
    pub(super) reason: String,
    /// The row stands for an account whose list did not load, not for a token.
    pub(super) not_listed: bool,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TextWidths {
    pub name: u16,
    pub creator: u16,
    pub access: u16,
}

impl TextWidths {
    pub fn of(name: SafeStr<'_>, creator: SafeStr<'_>, access: SafeStr<'_>) -> Self {
        let cells = |t: SafeStr<'_>| u16::try_from(t.width()).unwrap_or(u16::MAX);
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
    /// A row for a readable token; its texts are made later (`TokenTable::ensure_texts`).
    pub(super) fn new(
        token: ApiToken,
        account: AccountId,
        account_label: Option<Arc<AccountLabel>>,
        successor: Option<usize>,
    ) -> Self {
        Self {
            token,
            account,
            account_label,
            texts: None,
            successor: successor.and_then(|i| u32::try_from(i).ok()),
            findings: None,
            unreadable: None,
        }
    }

    /// A reset grace: a successor exists and the token has an expiry (reset sets one).
    pub fn in_grace(&self) -> bool {
        self.successor.is_some() && self.token.expires_at.is_some()
    }

    /// Index (in `TokenTable::rows`) of the token that replaced this one in a reset.
    pub fn successor(&self) -> Option<usize> {
        self.successor.map(|i| i as usize)
    }

    /// Whether the name, creator and access are made (empty until then).
    pub fn texts_ready(&self) -> bool {
        self.texts.is_some()
    }

    /// The name made safe (the server's own text when it needed no change).
    pub fn name(&self) -> SafeStr<'_> {
        self.texts
            .as_ref()
            .map_or(SafeStr::EMPTY, |t| t.name.read(&self.token.name))
    }

    pub fn creator(&self) -> SafeStr<'_> {
        self.texts
            .as_ref()
            .map_or(SafeStr::EMPTY, |t| t.creator.read(&self.token.created_by))
    }

    /// The access level, or for an unreadable row what is wrong with it.
    pub fn access(&self) -> SafeStr<'_> {
        self.texts
            .as_ref()
            .map_or(SafeStr::EMPTY, |t| t.access.as_safe())
    }

    /// The display widths of the name, creator and access.
    pub fn widths(&self) -> TextWidths {
        self.texts
            .as_ref()
            .map_or_else(TextWidths::default, |t| t.widths)
    }

    /// The token as the Token column shows it: its last digits. Made when drawn: a frame shows a
    /// screenful, and a copy kept per row would cost 100,000 allocations.
    pub fn masked(&self) -> SafeText {
        columns::masked_token(&self.token.last_4_digits)
    }

    pub fn account_name(&self) -> &SafeText {
        static NONE: std::sync::LazyLock<SafeText> = std::sync::LazyLock::new(SafeText::default);
        self.account_label.as_ref().map_or(&NONE, |l| &l.name)
    }

    pub fn account_width(&self) -> u16 {
        self.account_label.as_ref().map_or(0, |l| l.width)
    }

    /// What is wrong with a token the server sent in a shape that could not be read.
    pub fn unreadable(&self) -> Option<&str> {
        self.unreadable.as_deref().map(|u| u.reason.as_str())
    }

    /// The row stands for an account whose list did not load (`unreadable` says why), not for a token.
    pub fn not_listed(&self) -> bool {
        self.unreadable.as_ref().is_some_and(|u| u.not_listed)
    }
}

/// A row's texts, made safe once: what a frame fits into cells.
pub(super) fn make_texts(
    row: &mut TokenRow,
    names: &columns::ResourceNames,
    accesses: &mut SharedTexts,
) {
    if row.texts.is_some() {
        return;
    }
    let token = &row.token;
    let name = Sanitized::of(&token.name);
    let creator = columns::creator_shown(&token.created_by);
    let access = accesses.shared(columns::token_access(token, names));
    let widths = TextWidths::of(
        name.read(&token.name),
        creator.read(&token.created_by),
        access.as_safe(),
    );
    row.texts = Some(Box::new(RowTexts {
        name,
        creator,
        access,
        widths,
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A row is kept per token (100,000 in a large account): what it adds to its token is held to 48
    /// bytes (what it adds now), so that the table stays near the size of the list the server sent.
    #[test]
    fn a_row_adds_little_to_its_token() {
        let added = size_of::<TokenRow>() - size_of::<ApiToken>();
        assert!(added <= 48, "a row adds {added} bytes to its token");
    }
}
