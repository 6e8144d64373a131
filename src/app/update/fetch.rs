//! Asking for the reads: the account, then the token list and (once) the resource tree (at start, for an
//! account named by the settings, all three at once). Each request gets
//! a new id, so an older answer still on its way is stale when it arrives.

use chrono::{DateTime, Utc};

use super::super::effect::Effect;
use super::super::msg::RequestId;
use super::super::state::requests::LoadsAhead;
use super::super::state::{Phase, State};
use crate::api::AccountId;

pub(super) fn resolve_account(state: &mut State, now: DateTime<Utc>) -> Vec<Effect> {
    let req = state.requests.next_request_id();
    state.requests.accounts.start(req, now);
    state.session.phase = Phase::Connecting;
    let wanted = state.session.wanted_account;
    let mut effects = vec![Effect::ResolveAccount { req, wanted }];
    state.requests.abandon_ahead();
    if let Some(account) = wanted {
        // The account named is read while it is checked; the answers wait for the check (`LoadsAhead`).
        let loads = load_for(state, account, now);
        let tokens_req = state.requests.tokens.in_flight;
        let tree_req = state.requests.tree.in_flight;
        if let Some(tokens_req) = tokens_req {
            state.requests.ahead = Some(LoadsAhead {
                account,
                tokens_req,
                tree_req,
                tokens: None,
                tree: None,
            });
        }
        effects.extend(loads);
    }
    effects
}

/// Asks for the tokens (a newer request makes any older answer stale) and, if it is missing, the tree.
pub(super) fn load_all(state: &mut State, now: DateTime<Utc>) -> Vec<Effect> {
    if state.session.phase == Phase::Inventory {
        return load_inventory(state, now);
    }
    let Some(account) = state.session.account().map(|a| a.id) else {
        return resolve_account(state, now);
    };
    load_for(state, account, now)
}

/// Every account's list at once (the client's limiter paces them within the token's one budget), and
/// each tree not loaded yet. The requests ledger's `tokens` stands for all of them together.
fn load_inventory(state: &mut State, now: DateTime<Utc>) -> Vec<Effect> {
    let Some(inventory) = state.session.inventory.as_mut() else {
        return Vec::new();
    };
    let requests = &mut state.requests;
    let mut effects = Vec::new();
    let narrowed = inventory.narrowed;
    // Narrowed to one account, only it is read again; the others are when every account shows again.
    for slot in inventory
        .slots
        .iter_mut()
        .filter(|s| narrowed.is_none_or(|n| s.id() == n))
    {
        let account = slot.id();
        let req = requests.next_request_id();
        slot.tokens.start(req, now);
        effects.push(Effect::LoadTokens { req, account });
        if slot.tree.last_success.is_none() && slot.tree.in_flight.is_none() {
            let req = requests.next_request_id();
            slot.tree.start(req, now);
            effects.push(Effect::LoadResourceTree { req, account });
        }
    }
    // No answer carries this id: the accounts' own requests settle it (`loads::inventory_tokens`).
    requests.tokens.start(INVENTORY_REQUEST, now);
    effects
}

/// The id the requests ledger's `tokens` waits on while the inventory's accounts load.
pub(super) const INVENTORY_REQUEST: RequestId = 0;

fn load_for(state: &mut State, account: AccountId, now: DateTime<Utc>) -> Vec<Effect> {
    let requests = &mut state.requests;
    let mut effects = Vec::new();
    let req = requests.next_request_id();
    requests.tokens.start(req, now);
    effects.push(Effect::LoadTokens { req, account });
    if requests.tree.last_success.is_none() && requests.tree.in_flight.is_none() {
        let req = requests.next_request_id();
        requests.tree.start(req, now);
        effects.push(Effect::LoadResourceTree { req, account });
    }
    effects
}

/// The list again after a write, where there is an account to read it from.
pub(super) fn reload(state: &mut State, now: DateTime<Utc>) -> Vec<Effect> {
    if state.session.shows_accounts() {
        load_all(state, now)
    } else {
        Vec::new()
    }
}
