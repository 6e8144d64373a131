//! The accounts the token sees: `A` lists them; choosing one narrows every view to that account, "All
//! accounts" shows them side by side again. From a session on one account, `A` first asks which accounts
//! the token sees and opens the inventory of all of them, without a restart.

use chrono::{DateTime, Utc};

use super::super::dialogs::{AccountEntry, AccountsDialog};
use super::super::effect::Effect;
use super::super::state::{Inventory, Level, LoadState, Overlay, State};
use super::fetch::load_all;
use super::step::Step;
use crate::api::AccountId;
use crate::text::{SafeText, plural};

pub(super) fn open(state: &mut State, now: DateTime<Utc>) -> Step {
    if let Some(inventory) = &state.session.inventory {
        let dialog = AccountsDialog::new(entries(inventory), inventory.narrowed);
        state.overlays.open = Some(Overlay::Accounts(dialog));
        return Step::done();
    }
    if state.session.account().is_none() || state.requests.accounts.in_flight.is_some() {
        return Step::Ignored;
    }
    let req = state.requests.next_request_id();
    state.requests.accounts.start(req, now);
    state.requests.widening = true;
    state.set_status("Asking which accounts the token sees…", Level::Info, now);
    vec![Effect::ResolveAccount { req, wanted: None }].into()
}

/// The dialog's lines: "All accounts", then each account with the token's access there and its list.
fn entries(inventory: &Inventory) -> Vec<AccountEntry> {
    let tokens: usize = inventory
        .slots
        .iter()
        .filter_map(|s| s.list.as_ref().map(|l| l.tokens.len()))
        .sum();
    let accounts = inventory.slots.len();
    let mut entries = vec![AccountEntry {
        account: None,
        name: SafeText::literal("All accounts"),
        about: SafeText::from(format!(
            "{accounts} account{} · {tokens} token{}",
            plural(accounts),
            plural(tokens)
        )),
        failed: false,
    }];
    for slot in &inventory.slots {
        let listed = match (&slot.tokens.state, &slot.list) {
            (LoadState::Failed(f), _) => format!("✖ {}", f.headline),
            (LoadState::Loading, None) => "loading…".to_string(),
            (_, Some(list)) => {
                let n = list.tokens.len();
                format!("{n} token{}", plural(n))
            }
            (_, None) => "not loaded".to_string(),
        };
        let access = if slot.refused_writes {
            "viewer (a write was refused)"
        } else {
            slot.access.word()
        };
        entries.push(AccountEntry {
            account: Some(slot.id()),
            name: slot.name.clone(),
            about: SafeText::from(format!("#{} · {access} · {listed}", slot.id())),
            failed: slot.tokens.failure().is_some(),
        });
    }
    entries
}

/// The dialog's choice: `Some(account)` narrows the table to it, `None` shows every account.
pub(super) fn show(state: &mut State, choice: Option<AccountId>, now: DateTime<Utc>) -> Step {
    let Some(inventory) = state.session.inventory.as_mut() else {
        return Step::Ignored;
    };
    if inventory.narrowed == choice {
        return Step::done();
    }
    inventory.narrowed = choice;
    let words = match inventory.narrowed_name() {
        Some(name) => format!("Showing {name} only; A shows every account again"),
        None => "Showing every account".to_string(),
    };
    let parts = inventory.table_parts();
    state.table.set_account_lists(parts);
    state.set_status(words, Level::Info, now);
    if choice.is_none() {
        // While narrowed only that account was read again: every account is read when all show again.
        return load_all(state, now).into();
    }
    Step::done()
}
