//! The session: which account the console manages and how it got there, who the console's own token is
//! and what it may do, and the settings fixed at start.

use std::path::PathBuf;

use chrono::{Duration, FixedOffset};

use crate::api::{Account, AccountId, ApiToken};
use crate::config::HandoffTarget;
use crate::hygiene::RuleConfig;
use crate::text::SafeText;

use super::guard::{WriteGuard, WritePolicy};
use super::inventory::{AccountSlot, Inventory};
use super::table::SortColumn;
use super::views::StartView;

use crate::keys::keymap::Keymap;

/// Which screen the console is on before the table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Asking `GET /api/accounts` which account to manage.
    Connecting,
    /// The account is known; the table (or its loading or error screen) shows.
    Ready(Account),
    /// Several accounts and none named: every account side by side (`Session::inventory`).
    Inventory,
}

/// Settings fixed at start.
#[derive(Clone, Debug)]
pub struct StateConfig {
    pub keymap: Keymap,
    pub wanted_account: Option<AccountId>,
    /// Shown on the "cannot reach" screen.
    pub api_url: String,
    pub refresh_every: Duration,
    /// Which hygiene rules run, with which thresholds (the config file's `[hygiene]`).
    pub rules: RuleConfig,
    /// The token table's columns, in order (the config file's `[tokens] columns`).
    pub columns: Vec<SortColumn>,
    /// The view the console opens on.
    pub start_view: StartView,
    /// Where `h` in the secret dialog hands a new secret (the config file's `[[handoff]]` tables).
    pub handoff: Vec<HandoffTarget>,
    /// The offset "local time" is shown in; `None` is the machine's own zone (tests fix one, so their
    /// frames do not depend on where they run).
    pub local_offset: Option<FixedOffset>,
    /// Whether writes are allowed, refused, or refused until armed (`--read-only`, `read_only`).
    pub writes: WritePolicy,
}

pub const MIN_REFRESH: i64 = 5;
pub const DEFAULT_REFRESH: i64 = 30;

#[derive(Debug)]
pub struct Session {
    pub keymap: Keymap,
    pub wanted_account: Option<AccountId>,
    /// Shown on the "cannot reach" screen.
    pub api_url: SafeText,
    pub refresh_every: Duration,
    pub phase: Phase,
    /// The account's name as the title bar shows it.
    pub account_name: SafeText,
    /// The last four characters of the token this console runs on: rows ending in them are its own.
    pub own_last4: Option<String>,
    /// The console's token cannot change anything (account access below admin, or a 403 on a write).
    pub caller_is_viewer: bool,
    /// Problems in the config file, listed in the help.
    pub config_warnings: Vec<SafeText>,
    /// Where `s` in the secret dialog saves, and the git work tree that is in, if any.
    pub save_dir: crate::custody::SaveTarget,
    pub handoff: Vec<HandoffTarget>,
    pub local_offset: Option<FixedOffset>,
    /// Whether writes may be sent now (read-only, armed for a while).
    pub guard: WriteGuard,
    /// Every account the token sees, when no one account was named and it sees several.
    pub inventory: Option<Inventory>,
}

impl Session {
    pub fn new(config: StateConfig) -> Self {
        Self {
            keymap: config.keymap,
            wanted_account: config.wanted_account,
            api_url: SafeText::new(&config.api_url),
            refresh_every: config.refresh_every.max(Duration::seconds(MIN_REFRESH)),
            phase: Phase::Connecting,
            account_name: SafeText::default(),
            own_last4: None,
            caller_is_viewer: false,
            config_warnings: Vec::new(),
            save_dir: crate::custody::SaveTarget::unchecked(PathBuf::from(".")),
            handoff: config.handoff,
            local_offset: config.local_offset,
            guard: WriteGuard::new(config.writes),
            inventory: None,
        }
    }

    pub fn account(&self) -> Option<&Account> {
        match &self.phase {
            Phase::Ready(a) => Some(a),
            _ => None,
        }
    }

    /// Works in `account` from now on; what the account says of the console's token decides whether it
    /// may write (below admin everywhere, it is a viewer).
    pub fn enter(&mut self, account: Account) {
        self.caller_is_viewer = !account.access_levels.is_empty()
            && account.access_levels.iter().all(|l| !l.is_admin());
        self.account_name = SafeText::new(&account.name);
        self.guard.enter(account.id);
        self.phase = Phase::Ready(account);
    }

    /// Several accounts answered and none was named: all of them, side by side.
    pub fn enter_inventory(&mut self, accounts: Vec<Account>) {
        self.caller_is_viewer = false;
        self.account_name = SafeText::literal("All accounts");
        self.guard.enter_inventory();
        self.inventory = Some(Inventory::new(accounts));
        self.phase = Phase::Inventory;
    }

    /// An account, or the inventory of several, is known: there are lists to read.
    pub fn shows_accounts(&self) -> bool {
        matches!(self.phase, Phase::Ready(_) | Phase::Inventory)
    }

    /// The one account the console works in now: the account of a single-account session, or the one
    /// the inventory is narrowed to.
    pub fn current_account(&self) -> Option<AccountId> {
        match (&self.phase, &self.inventory) {
            (Phase::Ready(a), _) => Some(a.id),
            (Phase::Inventory, Some(inventory)) => inventory.narrowed,
            _ => None,
        }
    }

    /// Whether the token may change nothing in `account`.
    pub fn viewer_in(&self, account: AccountId) -> bool {
        match &self.inventory {
            Some(inventory) => inventory.slot(account).is_none_or(AccountSlot::is_viewer),
            None => self.caller_is_viewer,
        }
    }

    /// A write in `account` was refused with 403: the token is only a viewer there.
    pub fn refused_in(&mut self, account: AccountId) {
        match self.inventory.as_mut().and_then(|i| i.slot_mut(account)) {
            Some(slot) => slot.refused_writes = true,
            None => self.caller_is_viewer = true,
        }
    }

    /// The account's name as the rows show it.
    pub fn account_label(&self, account: AccountId) -> SafeText {
        match self.inventory.as_ref().and_then(|i| i.slot(account)) {
            Some(slot) => slot.name.clone(),
            None => self.account_name.clone(),
        }
    }

    /// Whether the row is (one of) the token(s) this console runs on.
    pub fn is_own_token(&self, token: &ApiToken) -> bool {
        self.own_last4
            .as_deref()
            .is_some_and(|l| !l.is_empty() && token.last_4_digits == l)
    }
}
