//! The answers to the reads: which account (and the picker when several answer), the token list, the
//! resource tree; the refreshes (by key and automatic); and what the client says while it retries or of
//! the rate limit.

use chrono::{DateTime, Utc};
use crossterm::event::{KeyCode, KeyEvent};

use crate::api::AccountChoice;
use crate::api::{ApiError, ResourceNode, TokenList};

use super::super::effect::Effect;
use super::super::msg::RequestId;
use super::super::state::requests::LoadsAhead;
use super::super::state::{IMPORTANT_SECONDS, Level, Overlay, Phase, State};
use super::fetch::{load_all, resolve_account};
use super::step::{Step, is_ctrl};
use super::{actions, writes};
use crate::keys::action::Action;

/// The refresh key: the list again, or the account again when there is none yet.
pub(super) fn refresh(state: &mut State, now: DateTime<Utc>) -> Step {
    if state.session.account().is_none() {
        return resolve_account(state, now).into();
    }
    state.set_status("Refreshing…", Level::Info, now);
    load_all(state, now).into()
}

pub(super) fn account(
    state: &mut State,
    req: RequestId,
    result: Result<AccountChoice, ApiError>,
    now: DateTime<Utc>,
) -> Step {
    let accounts = &mut state.requests.accounts;
    if !accounts.accepts(req) {
        return Step::Ignored;
    }
    match result {
        Ok(AccountChoice::Chosen(account)) => {
            accounts.finish(Ok(()), now);
            let id = account.id;
            state.session.enter(account);
            // Before the answers ahead are taken, so that their list is the one compared.
            let snapshot_load = super::drift::load(state, id);
            let step = match state.requests.ahead.take_if(|ahead| ahead.account == id) {
                Some(ahead) => answers_ahead(state, ahead, now),
                None => {
                    state.requests.abandon_ahead();
                    load_all(state, now).into()
                }
            };
            match step {
                Step::Changed(mut effects) => {
                    effects.push(super::rotation::load(id));
                    effects.push(snapshot_load);
                    effects.into()
                }
                Step::Ignored => vec![super::rotation::load(id), snapshot_load].into(),
            }
        }
        Ok(AccountChoice::Ambiguous(list)) => {
            accounts.finish(Ok(()), now);
            state.requests.abandon_ahead();
            state.session.pick_from(list);
            Step::done()
        }
        Err(e) => {
            accounts.finish(Err(e), now);
            state.requests.abandon_ahead();
            Step::done()
        }
    }
}

/// The account is the one the loads were sent ahead for: what they already brought is taken as if it had
/// just arrived (the tree first, so the list finds its names); what has not come yet arrives as usual.
fn answers_ahead(state: &mut State, ahead: LoadsAhead, now: DateTime<Utc>) -> Step {
    let mut effects = Vec::new();
    if let (Some(req), Some(result)) = (ahead.tree_req, ahead.tree)
        && let Step::Changed(more) = tree(state, req, result, now)
    {
        effects.extend(more);
    }
    if let Some(result) = ahead.tokens
        && let Step::Changed(more) = tokens(state, ahead.tokens_req, result, now)
    {
        effects.extend(more);
    }
    Step::Changed(effects)
}

pub(super) fn tokens(
    state: &mut State,
    req: RequestId,
    result: Result<TokenList, ApiError>,
    now: DateTime<Utc>,
) -> Step {
    if !state.requests.tokens.accepts(req) {
        return Step::Ignored; // stale: a newer request is in flight
    }
    if let Some(ahead) = state
        .requests
        .ahead
        .as_mut()
        .filter(|a| a.tokens_req == req)
    {
        ahead.tokens = Some(result);
        return Step::Ignored; // held until the account is confirmed
    }
    match result {
        Ok(list) => {
            let saves = super::drift::listed(state, &list, now);
            let unreadable = list.unreadable.len();
            let before = state
                .table
                .rows
                .iter()
                .filter(|r| r.unreadable.is_some())
                .count();
            state.table.set_token_list(list);
            if !state.marks.is_empty() {
                // A token that left the list leaves the marks too.
                let listed = state.table.known_ids();
                state.marks.keep_listed(&listed);
            }
            if unreadable > 0 && unreadable != before {
                // Said when their number changes: the rows alone are easy to miss among 10,000.
                let text = if unreadable == 1 {
                    "1 token could not be read; its row says why".to_string()
                } else {
                    format!("{unreadable} tokens could not be read; their rows say why")
                };
                state.set_status(text, Level::Warn, now);
            }
            state.requests.tokens.finish(Ok(()), now);
            writes::settle_lost_writes(state, now);
            return saves.into();
        }
        Err(e) => {
            if !state.requests.lost_writes.is_empty() {
                let words = format!(
                    "No answer came to a change, and the list could not be read again ({e}): \
                     check the list before trying again"
                );
                state.set_status_for(words.clone(), Level::Error, now, IMPORTANT_SECONDS);
                if !state.overlays.notice_pending() {
                    state.overlays.open_notice("No answer came", vec![words]);
                }
            } else if state.requests.has_tokens() {
                state.set_status(format!("Refresh failed: {e}"), Level::Error, now);
            }
            tracing::warn!(error = %e, "loading tokens failed");
            state.requests.tokens.finish(Err(e), now);
        }
    }
    Step::done()
}

pub(super) fn tree(
    state: &mut State,
    req: RequestId,
    result: Result<Vec<ResourceNode>, ApiError>,
    now: DateTime<Utc>,
) -> Step {
    if !state.requests.tree.accepts(req) {
        return Step::Ignored;
    }
    if let Some(ahead) = state
        .requests
        .ahead
        .as_mut()
        .filter(|a| a.tree_req == Some(req))
    {
        ahead.tree = Some(result);
        return Step::Ignored;
    }
    match result {
        Ok(mut tree) => {
            name_account_nodes(&mut tree, state.session.account());
            state.table.set_resource_tree(&tree);
            state.requests.tree.finish(Ok(()), now);
            actions::open_waiting_for_tree(state, now);
        }
        Err(e) => {
            // Names are a nicety: the table still shows ids without them.
            tracing::warn!(error = %e, "loading the resource tree failed");
            if state.overlays.waiting_for_tree.take().is_some() {
                state.set_status(
                    format!("Could not load the permissions tree: {e}"),
                    Level::Error,
                    now,
                );
            }
            state.requests.tree.finish(Err(e), now);
        }
    }
    Step::done()
}

/// The clock moved: a status message may have run out, a countdown may show a new second, and an
/// automatic refresh may be due.
pub(super) fn tick(state: &mut State, now: DateTime<Utc>) -> Step {
    if let Some(Overlay::Form(form)) = &mut state.overlays.open {
        form.set_now(now);
    }
    let mut changed = false;
    let said = state.places.warned.len();
    super::rotation::warn_late_cut_overs(state, now);
    changed |= state.places.warned.len() != said;
    if state.status.as_ref().is_some_and(|s| s.expires_at <= now) {
        state.status = None;
        changed = true;
    }
    changed |= state.countdown_visible(now);
    match state.auto_refresh_due() {
        Some(due) if due <= now => load_all(state, now).into(),
        _ if changed => Step::done(),
        _ => Step::Ignored,
    }
}

pub(super) fn retrying(state: &mut State, reason: &str, wait_ms: u64, now: DateTime<Utc>) -> Step {
    let seconds = wait_ms.div_ceil(1000).max(1);
    state.set_status(
        format!("Waiting {seconds} s before asking again: {reason}"),
        Level::Warn,
        now,
    );
    Step::done()
}

pub(super) fn rate_remaining(state: &mut State, left: Option<u32>) -> Step {
    if state.requests.rate_remaining == left {
        return Step::Ignored;
    }
    state.requests.rate_remaining = left;
    Step::done()
}

/// Keys on the account picker.
pub(super) fn picker_key(state: &mut State, key: KeyEvent, now: DateTime<Utc>) -> Step {
    if is_ctrl(&key, 'c') {
        return vec![Effect::Quit].into();
    }
    let action = state.session.keymap.lookup(&key);
    let Phase::PickAccount {
        accounts, cursor, ..
    } = &mut state.session.phase
    else {
        return Step::Ignored;
    };
    let last = accounts.len().saturating_sub(1);
    match (key.code, action) {
        (_, Some(Action::Quit)) => return vec![Effect::Quit].into(),
        (KeyCode::Enter, _) | (_, Some(Action::OpenMenu)) => {
            if let Some(account) = accounts.get(*cursor).cloned() {
                let id = account.id;
                state.session.enter(account);
                let mut effects = load_all(state, now);
                effects.push(super::rotation::load(id));
                effects.push(super::drift::load(state, id));
                return effects.into();
            }
        }
        (_, Some(Action::MoveDown)) => *cursor = (*cursor + 1).min(last),
        (_, Some(Action::MoveUp)) => *cursor = cursor.saturating_sub(1),
        (_, Some(Action::Top)) => *cursor = 0,
        (_, Some(Action::Bottom)) => *cursor = last,
        (_, Some(Action::Help)) => state.overlays.open = Some(Overlay::Help(Default::default())),
        _ => return Step::Ignored,
    }
    Step::done()
}

/// Mailtrap names the account's node of the tree just "Account" (spec §8.3); the account's own name is
/// what a person recognises in the permission matrix and the details.
fn name_account_nodes(
    tree: &mut [crate::api::ResourceNode],
    account: Option<&crate::api::Account>,
) {
    let Some(account) = account else {
        return;
    };
    for node in tree.iter_mut() {
        let generic = node.name.is_empty() || node.name == "Account";
        if node.resource_type.kind() == crate::api::ResourceKind::Account
            && node.id == account.id
            && generic
            && !account.name.is_empty()
        {
            node.name = account.name.clone();
        }
    }
}
