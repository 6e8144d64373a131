//! Asking for the reads: the account, then the token list and (once) the resource tree (at start, for an
//! account named by the settings, all three at once). Each request gets
//! a new id, so an older answer still on its way is stale when it arrives.

use chrono::{DateTime, Utc};

use super::super::effect::Effect;
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
    let Some(account) = state.session.account().map(|a| a.id) else {
        return resolve_account(state, now);
    };
    load_for(state, account, now)
}

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
    if state.session.account().is_some() {
        load_all(state, now)
    } else {
        Vec::new()
    }
}
