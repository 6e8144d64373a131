//! The inventory: every account the token sees, side by side in one table. Each account has its own
//! loads (its token list and its permissions tree), its own answer (a 403 in one account leaves the others
//! working) and its own level (a viewer there may read but not write); the table shows all their rows with
//! an Account column, or one account's alone when narrowed.

use crate::api::{Account, AccountId, ResourceNode, TokenList};
use crate::text::SafeText;

use super::super::msg::RequestId;
use super::requests::Tracked;
use super::table::AccountRows;

/// What the token may do in an account, from the levels `GET /api/accounts` gives it there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccountAccess {
    Owner,
    Admin,
    Viewer,
    /// Access to some resources below the account (the API says 1).
    Partial,
    /// Seen through the organization only: no access inside the account.
    None,
}

impl AccountAccess {
    pub fn of(account: &Account) -> Self {
        let best = account.access_levels.iter().map(|l| l.0).max();
        match best {
            Some(l) if l >= 1000 => AccountAccess::Owner,
            Some(l) if l >= 100 => AccountAccess::Admin,
            Some(l) if l >= 10 => AccountAccess::Viewer,
            Some(l) if l > 0 => AccountAccess::Partial,
            _ => AccountAccess::None,
        }
    }

    pub fn word(self) -> &'static str {
        match self {
            AccountAccess::Owner => "owner",
            AccountAccess::Admin => "admin",
            AccountAccess::Viewer => "viewer",
            AccountAccess::Partial => "partial",
            AccountAccess::None => "no access",
        }
    }

    /// Below admin the token changes nothing there (an account that says nothing is given the benefit
    /// of the doubt: the server's answer to a write decides).
    pub fn may_write(self) -> bool {
        matches!(
            self,
            AccountAccess::Owner | AccountAccess::Admin | AccountAccess::Partial
        )
    }
}

/// One account of the inventory.
#[derive(Debug)]
pub struct AccountSlot {
    pub account: Account,
    /// The name as the Account column and the picker show it, made safe once.
    pub name: SafeText,
    pub access: AccountAccess,
    /// A write there was refused with 403: the token is a viewer there whatever the levels said.
    pub refused_writes: bool,
    pub tokens: Tracked,
    pub tree: Tracked,
    /// The last list that arrived (kept so that a failed refresh still shows it).
    pub list: Option<TokenList>,
    pub tree_nodes: Vec<ResourceNode>,
}

impl AccountSlot {
    pub fn new(account: Account) -> Self {
        Self {
            name: SafeText::new(&account.name),
            access: AccountAccess::of(&account),
            account,
            refused_writes: false,
            tokens: Tracked::default(),
            tree: Tracked::default(),
            list: None,
            tree_nodes: Vec::new(),
        }
    }

    pub fn id(&self) -> AccountId {
        self.account.id
    }

    /// The token cannot change anything here.
    pub fn is_viewer(&self) -> bool {
        self.refused_writes || !self.access.may_write()
    }

    /// Its list has been answered (a list or a failure) since it was last asked for.
    pub fn settled(&self) -> bool {
        self.tokens.in_flight.is_none() && self.tokens.last_attempt.is_some()
    }
}

/// Every account the token sees, and which one the table is narrowed to.
#[derive(Debug, Default)]
pub struct Inventory {
    pub slots: Vec<AccountSlot>,
    /// The one account the table shows; `None`: every account.
    pub narrowed: Option<AccountId>,
    /// The accounts whose failure the status line last said: said again only when they change, so a
    /// refresh does not drown what a write just said.
    pub failures_said: Vec<AccountId>,
}

impl Inventory {
    pub fn new(accounts: Vec<Account>) -> Self {
        Self {
            slots: accounts.into_iter().map(AccountSlot::new).collect(),
            narrowed: None,
            failures_said: Vec::new(),
        }
    }

    pub fn slot(&self, account: AccountId) -> Option<&AccountSlot> {
        self.slots.iter().find(|s| s.id() == account)
    }

    pub fn slot_mut(&mut self, account: AccountId) -> Option<&mut AccountSlot> {
        self.slots.iter_mut().find(|s| s.id() == account)
    }

    /// The account whose token list request this is.
    pub fn awaiting_tokens(&mut self, req: RequestId) -> Option<&mut AccountSlot> {
        self.slots.iter_mut().find(|s| s.tokens.accepts(req))
    }

    pub fn awaiting_tree(&mut self, req: RequestId) -> Option<&mut AccountSlot> {
        self.slots.iter_mut().find(|s| s.tree.accepts(req))
    }

    /// How many accounts have answered their list, of how many.
    pub fn progress(&self) -> (usize, usize) {
        let done = self.slots.iter().filter(|s| s.settled()).count();
        (done, self.slots.len())
    }

    pub fn loading(&self) -> bool {
        self.slots.iter().any(|s| s.tokens.in_flight.is_some())
    }

    /// The table's parts: every account's last list, and why its last load failed if it did.
    pub fn table_parts(&self) -> Vec<AccountRows> {
        self.in_view()
            .map(|s| AccountRows {
                account: s.id(),
                name: s.name.clone(),
                list: s.list.clone().unwrap_or_default().into(),
                failure: s.tokens.failure().map(|f| {
                    if f.detail.is_empty() {
                        f.headline.to_string()
                    } else {
                        format!("{}: {}", f.headline, f.detail)
                    }
                }),
            })
            .collect()
    }

    /// Every account's tree side by side (their roots are the accounts, so one forest names them all).
    pub fn forest(&self) -> Vec<ResourceNode> {
        self.slots
            .iter()
            .flat_map(|s| s.tree_nodes.iter().cloned())
            .collect()
    }

    /// The accounts the table shows: the one it is narrowed to, else all.
    pub fn in_view(&self) -> impl Iterator<Item = &AccountSlot> {
        self.slots
            .iter()
            .filter(|s| self.narrowed.is_none_or(|n| s.id() == n))
    }

    /// The name of the account the table is narrowed to.
    pub fn narrowed_name(&self) -> Option<&SafeText> {
        self.slot(self.narrowed?).map(|s| &s.name)
    }
}
