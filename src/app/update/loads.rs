//! The answers to the reads: which account (and the picker when several answer), the token list, the
//! resource tree; the refreshes (by key and automatic); and what the client says while it retries or of
//! the rate limit.

use chrono::{DateTime, Utc};

use crate::api::AccountChoice;
use crate::api::{ApiError, ResourceNode};

use super::super::msg::RequestId;
use super::super::state::requests::LoadsAhead;
use super::super::state::table::ListedRows;
use super::super::state::{
    AccountRows, IMPORTANT_SECONDS, Level, Overlay, Phase, SortColumn, State,
};
use super::fetch::{load_all, resolve_account};
use super::step::Step;
use super::{actions, writes};
use crate::text::SafeText;

/// The refresh key: the list again, or the account again when there is none yet.
pub(super) fn refresh(state: &mut State, now: DateTime<Utc>) -> Step {
    if !state.session.shows_accounts() {
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
    if std::mem::take(&mut state.requests.widening) {
        return widened(state, result, now);
    }
    match result {
        Ok(AccountChoice::Chosen(account)) => {
            accounts.finish(Ok(()), now);
            let id = account.id;
            state.session.enter(account);
            // Before the answers ahead are taken, so that their list is the one compared.
            super::drift::enter(state, id);
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
                    effects.into()
                }
                Step::Ignored => vec![super::rotation::load(id)].into(),
            }
        }
        Ok(AccountChoice::Ambiguous(list)) => {
            accounts.finish(Ok(()), now);
            state.requests.abandon_ahead();
            enter_inventory(state, list, now)
        }
        Err(e) => {
            accounts.finish(Err(e), now);
            state.requests.abandon_ahead();
            Step::done()
        }
    }
}

/// The answer to `A` in a one-account session: the inventory of every account, if there are several.
fn widened(state: &mut State, result: Result<AccountChoice, ApiError>, now: DateTime<Utc>) -> Step {
    let accounts = &mut state.requests.accounts;
    match result {
        Ok(AccountChoice::Ambiguous(list)) => {
            accounts.finish(Ok(()), now);
            enter_inventory(state, list, now)
        }
        Ok(AccountChoice::Chosen(_)) => {
            accounts.finish(Ok(()), now);
            state.set_status("The token sees this account only", Level::Info, now);
            Step::done()
        }
        Err(e) => {
            // The session goes on in its account; only the question failed.
            accounts.finish(Ok(()), now);
            state.set_status(
                format!("Could not list the accounts: {e}"),
                Level::Error,
                now,
            );
            Step::done()
        }
    }
}

/// Several accounts: all of them side by side, each loading its list within the one budget.
fn enter_inventory(state: &mut State, list: Vec<crate::api::Account>, now: DateTime<Utc>) -> Step {
    state.session.enter_inventory(list);
    state.requests.tree = Default::default();
    let columns = &mut state.table.columns;
    if !columns.contains(&SortColumn::Account) {
        columns.insert(0, SortColumn::Account);
    }
    state.table.set_account_lists(Vec::new());
    state.places = Default::default();
    let mut effects = load_all(state, now);
    // Each account's places list, saved back to its own file.
    if let Some(inventory) = &state.session.inventory {
        effects.extend(
            inventory
                .slots
                .iter()
                .map(|s| super::rotation::load(s.id())),
        );
    }
    effects.into()
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
    result: Result<ListedRows, ApiError>,
    now: DateTime<Utc>,
) -> Step {
    if state.session.phase == Phase::Inventory {
        return inventory_tokens(state, req, result, now);
    }
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
            let previous = super::drift::before_list(state, &list, now);
            let unreadable_tokens = list.unreadable.clone();
            let unreadable = unreadable_tokens.len();
            let before = state
                .table
                .rows
                .iter()
                .filter(|r| r.unreadable().is_some())
                .count();
            let account = state.session.account().map_or(0, |a| a.id);
            state.table.set_account_lists(vec![AccountRows {
                account,
                name: SafeText::default(),
                list,
                failure: None,
            }]);
            state.forget_unlisted_marks();
            // After the list is in the table, so that its snapshot is made once the table's first order
            // (and what that set aside) is done.
            let saves = super::drift::listed(state, unreadable_tokens, previous, now);
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
    if state.session.phase == Phase::Inventory {
        return inventory_tree(state, req, result, now);
    }
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

/// One account of the inventory answered its list: the table shows every account's last list again;
/// once every account has answered, the loads are done together.
fn inventory_tokens(
    state: &mut State,
    req: RequestId,
    result: Result<ListedRows, ApiError>,
    now: DateTime<Utc>,
) -> Step {
    let Some(inventory) = state.session.inventory.as_mut() else {
        return Step::Ignored;
    };
    let Some(slot) = inventory.awaiting_tokens(req) else {
        return Step::Ignored; // stale: a newer request is in flight
    };
    match result {
        Ok(list) => {
            slot.list = Some(list.into_list());
            slot.tokens.finish(Ok(()), now);
            // The table shows from the first account that answers; the others join as they come.
            state.requests.tokens.last_success.get_or_insert(now);
        }
        Err(e) => {
            tracing::warn!(error = %e, account = slot.id(), "loading an account's tokens failed");
            slot.tokens.finish(Err(e), now);
        }
    }
    let settled = !inventory.loading();
    let outcome = settled.then(|| {
        let loaded = inventory
            .slots
            .iter()
            .any(|s| s.tokens.last_success.is_some());
        let failed: Vec<_> = inventory
            .slots
            .iter()
            .filter_map(|s| {
                s.tokens
                    .error()
                    .map(|e| (s.id(), s.name.clone(), e.clone()))
            })
            .collect();
        // Said when the failing accounts change: a refresh must not drown what a write just said.
        let failed_ids: Vec<_> = failed.iter().map(|(id, _, _)| *id).collect();
        let news = failed_ids != inventory.failures_said;
        inventory.failures_said = failed_ids;
        (loaded, failed, news)
    });
    let parts = inventory.table_parts();
    state.table.set_account_lists(parts);
    state.forget_unlisted_marks();
    let Some((loaded, failed, news)) = outcome else {
        return Step::done();
    };
    match failed.first() {
        Some((_, _, e)) if !loaded => state.requests.tokens.finish(Err(e.clone()), now),
        _ => state.requests.tokens.finish(Ok(()), now),
    }
    // The rows say it in place: the status line says it too unless it says something that matters more
    // (a config problem at start, a write's answer).
    let speaking = state
        .status
        .as_ref()
        .is_some_and(|s| s.level != Level::Info && s.expires_at > now);
    if loaded && news && !speaking {
        if let [(_, name, e)] = failed.as_slice() {
            state.set_status(format!("{name}: {e}"), Level::Warn, now);
        } else if failed.len() > 1 {
            let text = format!(
                "{} accounts could not be listed; their rows say why",
                failed.len()
            );
            state.set_status(text, Level::Warn, now);
        }
    }
    if loaded {
        // Lost writes are settled against every account's fresh list, never a part of them.
        writes::settle_lost_writes(state, now);
    }
    Step::done()
}

fn inventory_tree(
    state: &mut State,
    req: RequestId,
    result: Result<Vec<ResourceNode>, ApiError>,
    now: DateTime<Utc>,
) -> Step {
    let Some(inventory) = state.session.inventory.as_mut() else {
        return Step::Ignored;
    };
    let Some(slot) = inventory.awaiting_tree(req) else {
        return Step::Ignored;
    };
    match result {
        Ok(mut tree) => {
            name_account_nodes(&mut tree, Some(&slot.account));
            slot.tree_nodes = tree;
            slot.tree.finish(Ok(()), now);
        }
        Err(e) => {
            tracing::warn!(error = %e, account = slot.id(), "loading an account's tree failed");
            let (account, name) = (slot.id(), slot.name.clone());
            let words = format!("Could not load the permissions tree of {name}: {e}");
            slot.tree.finish(Err(e), now);
            // The dialog that waited for this account's tree cannot open; the table still shows ids.
            if actions::waiting_account(state) == Some(account) {
                state.overlays.waiting_for_tree = None;
                state.set_status(words, Level::Error, now);
            }
            return Step::done();
        }
    }
    let forest = inventory.forest();
    state.table.set_resource_tree(&forest);
    if state.requests.tree.last_success.is_none() {
        state.requests.tree.finish(Ok(()), now);
    }
    actions::open_waiting_for_tree(state, now);
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
