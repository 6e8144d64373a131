//! Drift: the stored snapshot is read against the session's first list, keeping only what differs from
//! it; the two are compared (the banner), `w` lists the changes, and every successful load is saved as
//! the next snapshot.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::api::{AccountId, ApiToken, UnreadableToken};
use crate::drift::{Against, Loaded, Snapshot, TokenRecord, ago, compare_read};
use crate::text::SafeText;

use super::super::dialogs::DriftDialog;
use super::super::effect::Effect;
use super::super::state::drift::Saving;
use super::super::state::table::{ListedRows, TokenRow, TokenTable};
use super::super::state::{Level, Overlay, State};
use super::step::Step;

/// The account is known: its snapshot will be read once its first list has come, against it.
pub(super) fn enter(state: &mut State, account: AccountId) {
    if state.drift.account != Some(account) {
        state.drift = crate::app::state::drift::DriftState {
            disabled: state.drift.disabled,
            saves: state.drift.saves,
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
            if let Some(before) = &stored {
                let tokens = account_tokens(&state.table, account);
                let found = compare_read(before, &[], tokens, &unreadable, now);
                state.drift.found = (!found.is_empty()).then_some(found);
            }
            let previous = stored.as_ref().or(previous.as_ref());
            carry(state, account, &unreadable, previous);
            state.drift.baseline = Some(None);
            vec![save(state, account, now)]
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

/// Keeps in `carried` the records of `previous` that the account's rows `unreadable` may be (nearly
/// always none): the snapshots saved from now on carry them over.
fn carry(
    state: &mut State,
    account: AccountId,
    unreadable: &[UnreadableToken],
    previous: Option<&Snapshot>,
) {
    state.drift.carried = match previous {
        Some(previous) if !unreadable.is_empty() => {
            let mut listed: Vec<_> = account_tokens(&state.table, account)
                .map(|t| t.id)
                .collect();
            listed.sort_unstable();
            Snapshot::carried(previous, unreadable, |id| listed.binary_search(&id).is_ok())
        }
        _ => Vec::new(),
    };
}

/// How many records a part of a save holds: about half a megabyte of them at a time.
const SAVE_PART: usize = 4096;

/// Starts saving the snapshot of the account's tokens in the table, with the records in `carried`
/// (leaving any save not finished); its first part.
fn save(state: &mut State, account: AccountId, now: DateTime<Utc>) -> Effect {
    let rows = state.table.readable_rows();
    let mut order: Vec<u32> = (0..rows.len())
        .filter(|&i| rows[i].account == account)
        .filter_map(|i| u32::try_from(i).ok())
        .collect();
    let id_of = |i: u32| rows[i as usize].token.id;
    order.sort_unstable_by_key(|&i| (id_of(i), i));
    order.dedup_by_key(|i| id_of(*i));
    state.drift.saves += 1;
    let mut saving = Saving {
        id: state.drift.saves,
        account,
        taken_at: now,
        generation: state.table.generation(),
        order,
        next: 0,
        next_carried: 0,
        finishing: false,
    };
    let first = next_part(&mut saving, rows, &state.drift.carried);
    state.drift.saving = Some(saving);
    first
}

/// The next part of `saving`: its next records by id, the table's `rows` merged with `carried`.
fn next_part(saving: &mut Saving, rows: &[TokenRow], carried: &[TokenRecord]) -> Effect {
    let left = (saving.order.len() - saving.next) + (carried.len() - saving.next_carried);
    let mut records = Vec::with_capacity(SAVE_PART.min(left));
    while records.len() < SAVE_PART {
        let listed = saving
            .order
            .get(saving.next)
            .map(|&i| &rows[i as usize].token);
        match (listed, carried.get(saving.next_carried)) {
            (Some(token), Some(record)) if record.id <= token.id => {
                // A carried record never names a listed token; if one did, the listed one would win.
                if record.id < token.id {
                    records.push(record.clone());
                }
                saving.next_carried += 1;
            }
            (Some(token), _) => {
                records.push(TokenRecord::of(token));
                saving.next += 1;
            }
            (None, Some(record)) => {
                records.push(record.clone());
                saving.next_carried += 1;
            }
            (None, None) => break,
        }
    }
    let last = saving.next >= saving.order.len() && saving.next_carried >= carried.len();
    if last {
        saving.finishing = true;
        saving.order = Vec::new();
    }
    Effect::SaveSnapshot {
        save: saving.id,
        account: saving.account,
        taken_at: saving.taken_at,
        records,
        last,
    }
}

/// A part of save `save` is written: the next, made from the table as it is now. A table made again
/// since the save started is saved again from the start, so a snapshot never mixes two lists.
pub(super) fn part_written(state: &mut State, save: u64, now: DateTime<Utc>) -> Step {
    let drift = &mut state.drift;
    let Some(saving) = drift
        .saving
        .as_mut()
        .filter(|s| s.id == save && !s.finishing)
    else {
        return Step::Ignored;
    };
    if saving.generation != state.table.generation() {
        let account = saving.account;
        return vec![self::save(state, account, now)].into();
    }
    vec![next_part(
        saving,
        state.table.readable_rows(),
        &drift.carried,
    )]
    .into()
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
    carry(state, account, &unreadable, stored.as_ref());
    state.drift.baseline = Some(None);
    vec![save(state, account, now)].into()
}

pub(super) fn saved(
    state: &mut State,
    save: u64,
    result: Result<(), String>,
    now: DateTime<Utc>,
) -> Step {
    if state.drift.saving.as_ref().is_some_and(|s| s.id == save) {
        state.drift.saving = None;
    }
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
