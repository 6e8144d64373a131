//! Drift: the stored snapshot is read against the session's first list, keeping only what differs from
//! it; the two are compared (the banner), `w` lists the changes, and every successful load is saved as
//! the next snapshot.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::api::{AccountId, ApiToken, UnreadableToken};
use crate::drift::{Against, Loaded, Snapshot, TokenRecord, ago, compare, compare_read};
use crate::text::SafeText;

use super::super::dialogs::DriftDialog;
use super::super::effect::Effect;
use super::super::state::table::{ListedRows, TokenTable};
use super::super::state::{Level, Overlay, State};
use super::step::Step;

/// The account is known: its snapshot will be read once its first list has come, against it.
pub(super) fn enter(state: &mut State, account: AccountId) {
    if state.drift.account != Some(account) {
        state.drift = crate::app::state::drift::DriftState {
            disabled: state.drift.disabled,
            ..Default::default()
        };
        state.drift.account = Some(account);
    }
}

/// Before a list goes into the table: the records it is to carry over for its unreadable rows, when it
/// has some and the table holds what the last snapshot held (the table is then made of the new list).
pub(super) fn before_list(
    state: &State,
    list: &ListedRows,
    now: DateTime<Utc>,
) -> Option<Snapshot> {
    let drift = &state.drift;
    let account = drift.account?;
    (!drift.disabled && !list.unreadable.is_empty() && drift.baseline == Some(None))
        .then(|| last_known(&state.table, account, &drift.carried, now))
}

/// A list went into the table: the stored snapshot is asked for against it if it is the session's
/// first, compared with it if it was read before the list came; the list is saved once the stored
/// snapshot has been read. `previous` is `before_list`'s.
pub(super) fn listed(
    state: &mut State,
    unreadable: Vec<UnreadableToken>,
    previous: Option<Snapshot>,
    now: DateTime<Utc>,
) -> Vec<Effect> {
    if state.drift.disabled {
        return Vec::new();
    }
    let Some(account) = state.session.account().map(|a| a.id) else {
        return Vec::new();
    };
    if state.drift.account != Some(account) {
        return Vec::new();
    }
    let drift = &mut state.drift;
    drift.lists += 1;
    match drift.baseline.take() {
        None => {
            // Never saved before the stored one is read: the save would overwrite what it is compared with.
            drift.unreadable = unreadable;
            if drift.asked_for.is_some() {
                // Asked against an older list: its answer asks again.
                return Vec::new();
            }
            vec![ask_for_stored(state, account)]
        }
        Some(stored) => {
            let previous = stored.as_ref().or(previous.as_ref());
            let snapshot = table_snapshot(state, account, &unreadable, previous, now);
            if let Some(before) = &stored {
                let found = compare(before, &snapshot);
                state.drift.found = (!found.is_empty()).then_some(found);
            }
            state.drift.baseline = Some(None);
            vec![save(state, account, snapshot)]
        }
    }
}

/// The stored snapshot, read against the account's tokens in the table.
fn ask_for_stored(state: &mut State, account: AccountId) -> Effect {
    let against = Against::of_tokens(account_tokens(&state.table, account));
    state.drift.asked_for = Some(state.drift.lists);
    Effect::LoadSnapshot {
        account,
        against: Arc::new(against),
    }
}

/// The snapshot of the account's tokens in the table, carrying over from `previous` the records of the
/// tokens `unreadable` may be (and keeping those in `carried`).
fn table_snapshot(
    state: &mut State,
    account: AccountId,
    unreadable: &[UnreadableToken],
    previous: Option<&Snapshot>,
    now: DateTime<Utc>,
) -> Snapshot {
    let tokens = account_tokens(&state.table, account);
    let snapshot = Snapshot::of_tokens(account, "", tokens, unreadable, now, previous);
    state.drift.carried = if unreadable.is_empty() {
        Vec::new()
    } else {
        snapshot.records_not_in(account_tokens(&state.table, account).map(|t| t.id))
    };
    snapshot
}

/// Hands `snapshot` to the executor to save.
fn save(state: &mut State, account: AccountId, snapshot: Snapshot) -> Effect {
    state.drift.saves_in_flight += 1;
    Effect::SaveSnapshot {
        account,
        snapshot: Arc::new(snapshot),
    }
}

/// The snapshot of the account's tokens as the table has them (the last list, with the changes made
/// here since), with the records the last snapshot carried for rows it could not read.
fn last_known(
    table: &TokenTable,
    account: AccountId,
    carried: &[TokenRecord],
    now: DateTime<Utc>,
) -> Snapshot {
    let mut known =
        Snapshot::of_tokens(account, "", account_tokens(table, account), &[], now, None);
    known.tokens.extend(carried.iter().cloned());
    known.tokens.sort_by_key(|t| t.id);
    known.tokens.dedup_by_key(|t| t.id);
    known
}

/// The account's readable tokens in the table.
fn account_tokens(table: &TokenTable, account: AccountId) -> impl Iterator<Item = &ApiToken> {
    table
        .readable_rows()
        .iter()
        .filter(move |row| row.account == account)
        .map(|row| &row.token)
}

/// The stored snapshot was read: against the table's list when it was asked for after one (then it
/// holds only what differs from it), whole when it came first.
pub(super) fn loaded(
    state: &mut State,
    account: AccountId,
    loaded: Loaded,
    now: DateTime<Utc>,
) -> Step {
    let drift = &state.drift;
    if drift.disabled || drift.account != Some(account) || drift.baseline.is_some() {
        return Step::Ignored;
    }
    if let Some(warning) = &loaded.warning {
        state.set_status(warning.clone(), Level::Warn, now);
    }
    let drift = &mut state.drift;
    match drift.asked_for {
        None => {
            // Before any list: kept for the first.
            drift.baseline = Some(loaded.snapshot);
            return Step::done();
        }
        Some(asked) if asked != drift.lists => {
            // Read against a list the table no longer holds: what it left out may differ now.
            return vec![ask_for_stored(state, account)].into();
        }
        Some(_) => {}
    }
    drift.asked_for = None;
    let unreadable = std::mem::take(&mut drift.unreadable);
    let stored = loaded.snapshot;
    if let Some(before) = &stored {
        let tokens = account_tokens(&state.table, account);
        let found = compare_read(before, &loaded.unchanged, tokens, &unreadable, now);
        state.drift.found = (!found.is_empty()).then_some(found);
    }
    let snapshot = table_snapshot(state, account, &unreadable, stored.as_ref(), now);
    state.drift.baseline = Some(None);
    vec![save(state, account, snapshot)].into()
}

pub(super) fn saved(state: &mut State, result: Result<(), String>, now: DateTime<Utc>) -> Step {
    state.drift.saves_in_flight = state.drift.saves_in_flight.saturating_sub(1);
    match result {
        Ok(()) => Step::Ignored,
        Err(_) if state.drift.save_failure_said => Step::Ignored,
        Err(why) => {
            state.drift.save_failure_said = true;
            state.set_status(
                format!("The snapshot for drift could not be saved: {why}"),
                Level::Warn,
                now,
            );
            Step::done()
        }
    }
}

/// `w`: the list of changes, or why there is none.
pub(super) fn show(state: &mut State, now: DateTime<Utc>) -> Step {
    let found = state.drift.found.as_ref();
    if let Err(why) = super::super::registry::what_changed(found.is_some()) {
        state.set_status(why, Level::Info, now);
        return Step::done();
    }
    let Some(found) = found else {
        return Step::Ignored;
    };
    let dialog = DriftDialog::new(found, &ago(now - found.since));
    state.overlays.open = Some(Overlay::Drift(dialog));
    Step::done()
}

/// The banner's text: `Since you last looked (2d ago): 2 created, 1 deleted elsewhere`.
pub fn banner_text(state: &State, now: DateTime<Utc>) -> Option<SafeText> {
    let found = state
        .drift
        .found
        .as_ref()
        .filter(|_| state.drift.banner_shown())?;
    Some(SafeText::new(&format!(
        "Since you last looked ({} ago): {} elsewhere",
        ago(now - found.since),
        found.summary()
    )))
}
