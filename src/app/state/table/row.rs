//! One row of the table: a token and what the table derives from it. A row is kept for every token
//! (100,000 in a large account), so what most rows lack or share is kept outside it, behind a pointer.

use std::borrow::Borrow;
use std::collections::HashMap;
use std::sync::Arc;

use crate::api::{AccountId, ApiToken};
use crate::hygiene::Severity;
use crate::text::{SafeStr, SafeText, Sanitized};

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
    /// What few rows have: a name or creator that had to be made safe, or what is wrong with a row
    /// that stands for no usable token.
    pub(super) rare: Option<Box<RareParts>>,
    /// The row's access text, an index into the table's `AccessTexts`. `UNMADE` until the row's texts
    /// are made: for the rows on screen before the first frame of a new list, for the rest right after.
    pub(super) access: u32,
    /// The display widths of the name, creator and access, made with them (the columns' widths follow
    /// them every frame).
    pub(super) widths: TextWidths,
    /// Index (in `TokenTable::rows`) of the token that replaced this one in a reset; `NO_ROW` if none.
    successor: u32,
    /// The token's hygiene findings, once they are made (`state::Hygiene`).
    pub findings: Option<FindingSummary>,
}

/// `TokenRow::access` before the row's texts are made.
pub(super) const UNMADE: u32 = u32::MAX;
/// `TokenRow::access` of a row whose access text is its own (`RareParts::access`).
pub(super) const OWN_ACCESS: u32 = u32::MAX - 1;
const NO_ROW: u32 = u32::MAX;

/// What a row keeps beside its token only when it has to (a few rows among thousands).
#[derive(Clone, Debug, Default)]
pub(super) struct RareParts {
    /// The name and the creator made safe, when the server's needed changes (`Sanitized` keeps no copy
    /// of a text that did not).
    pub(super) name: Sanitized,
    pub(super) creator: Sanitized,
    /// Set only on rows that stand for no usable token.
    pub(super) unreadable: Option<Unreadable>,
}

/// The server sent a token in a shape that could not be read, or an account's list did not load.
#[derive(Clone, Debug)]
pub(super) struct Unreadable {
    /// What is wrong with it. The row only shows it; its `token` holds what could be made out (the name,
    /// maybe the id) and nothing is done with it.
    pub(super) reason: String,
    /// What the Access column shows for it: the reason, marked.
    pub(super) access: SafeText,
    /// The row stands for an account whose list did not load, not for a token.
    pub(super) not_listed: bool,
}

/// The access texts of a table's rows, one of each: a row holds an index, since thousands of rows share
/// each text.
#[derive(Clone, Debug, Default)]
pub(super) struct AccessTexts {
    texts: Vec<SafeText>,
    known: HashMap<SafeText, u32, foldhash::fast::RandomState>,
}

impl AccessTexts {
    /// The index of `text`, added if no row had it yet.
    pub(super) fn index_of(&mut self, text: SafeText) -> u32 {
        if let Some(&at) = self.known.get(text.as_str()) {
            return at;
        }
        // Fewer texts than rows, and a row's index fits in a `u32` (`TokenRow::successor`).
        let at = u32::try_from(self.texts.len()).unwrap_or(OWN_ACCESS);
        self.texts.push(text.clone());
        self.known.insert(text, at);
        at
    }

    fn get(&self, at: u32) -> SafeStr<'_> {
        self.texts
            .get(at as usize)
            .map_or(SafeStr::EMPTY, SafeText::as_safe)
    }
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
        let mut row = Self {
            token,
            account,
            account_label,
            rare: None,
            access: UNMADE,
            widths: TextWidths::default(),
            successor: NO_ROW,
            findings: None,
        };
        row.set_successor(successor);
        row
    }

    /// A reset grace: a successor exists and the token has an expiry (reset sets one).
    pub fn in_grace(&self) -> bool {
        self.successor().is_some() && self.token.expires_at.is_some()
    }

    /// Index (in `TokenTable::rows`) of the token that replaced this one in a reset.
    pub fn successor(&self) -> Option<usize> {
        (self.successor != NO_ROW).then_some(self.successor as usize)
    }

    pub(super) fn set_successor(&mut self, successor: Option<usize>) {
        self.successor = successor
            .and_then(|i| u32::try_from(i).ok())
            .unwrap_or(NO_ROW);
    }

    /// Whether the name, creator and access are made (empty until then).
    pub fn texts_ready(&self) -> bool {
        self.access != UNMADE
    }

    /// The name made safe (the server's own text when it needed no change).
    pub fn name(&self) -> SafeStr<'_> {
        if !self.texts_ready() {
            return SafeStr::EMPTY;
        }
        match &self.rare {
            Some(rare) => rare.name.read(&self.token.name),
            None => Sanitized::as_sent(&self.token.name),
        }
    }

    pub fn creator(&self) -> SafeStr<'_> {
        if !self.texts_ready() || self.unreadable().is_some() {
            return SafeStr::EMPTY;
        }
        let raw = &self.token.created_by;
        if columns::creator_is_blank(raw) {
            return SafeStr::checked(columns::NO_CREATOR).unwrap_or(SafeStr::EMPTY);
        }
        match &self.rare {
            Some(rare) => rare.creator.read(raw),
            None => Sanitized::as_sent(raw),
        }
    }

    /// The access level (`texts` the table's), or for an unreadable row what is wrong with it.
    pub(super) fn access<'a>(&'a self, texts: &'a AccessTexts) -> SafeStr<'a> {
        match self.access {
            UNMADE => SafeStr::EMPTY,
            OWN_ACCESS => self
                .rare
                .as_ref()
                .and_then(|r| r.unreadable.as_ref())
                .map_or(SafeStr::EMPTY, |u| u.access.as_safe()),
            at => texts.get(at),
        }
    }

    /// The display widths of the name, creator and access.
    pub fn widths(&self) -> TextWidths {
        self.widths
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

    fn unreadable_parts(&self) -> Option<&Unreadable> {
        self.rare.as_ref().and_then(|r| r.unreadable.as_ref())
    }

    /// What is wrong with a token the server sent in a shape that could not be read.
    pub fn unreadable(&self) -> Option<&str> {
        self.unreadable_parts().map(|u| u.reason.as_str())
    }

    /// The row stands for an account whose list did not load (`unreadable` says why), not for a token.
    pub fn not_listed(&self) -> bool {
        self.unreadable_parts().is_some_and(|u| u.not_listed)
    }

    /// Forgets the row's texts (a readable row's; they name resources from the tree, which changed).
    pub(super) fn forget_texts(&mut self) {
        if self.unreadable().is_none() {
            self.access = UNMADE;
            self.widths = TextWidths::default();
            self.rare = None;
        }
    }
}

/// A row's texts, made safe once: what a frame fits into cells.
pub(super) fn make_texts(
    row: &mut TokenRow,
    names: &columns::ResourceNames,
    accesses: &mut AccessTexts,
) {
    if row.texts_ready() {
        return;
    }
    let token = &row.token;
    let name = Sanitized::of(&token.name);
    let creator = if columns::creator_is_blank(&token.created_by) {
        Sanitized::default()
    } else {
        Sanitized::of(&token.created_by)
    };
    row.rare = (name.holds_copy() || creator.holds_copy()).then(|| {
        Box::new(RareParts {
            name,
            creator,
            unreadable: None,
        })
    });
    row.access = accesses.index_of(columns::token_access(token, names));
    row.widths = TextWidths::of(row.name(), row.creator(), row.access(accesses));
}

/// An unreadable row's parts, its texts made once (they name nothing from the tree, so
/// `TokenRow::forget_texts` keeps them).
pub(super) fn make_unreadable(
    row: &mut TokenRow,
    name: SafeText,
    reason: String,
    not_listed: bool,
) {
    let access = SafeText::new(&reason).after("⚠ ");
    row.widths = TextWidths::of(name.as_safe(), SafeStr::EMPTY, access.as_safe());
    row.rare = Some(Box::new(RareParts {
        name: Sanitized::from(name),
        creator: Sanitized::default(),
        unreadable: Some(Unreadable {
            reason,
            access,
            not_listed,
        }),
    }));
    row.access = OWN_ACCESS;
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
