//! Drift: the stored snapshot is read when the account is known; the session's first list is compared
//! with it (the banner), `w` lists the changes, and every successful load is saved as the next snapshot.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::api::{AccountId, ApiToken};
use crate::drift::{Loaded, Snapshot, TokenRecord, ago, compare};
use crate::text::SafeText;

use super::super::dialogs::DriftDialog;
use super::super::effect::Effect;
use super::super::state::table::{ListedRows, TokenTable};
use super::super::state::{Level, Overlay, State};
use super::step::Step;

/// The account is known: its stored snapshot is read.
pub(super) fn load(state: &mut State, account: AccountId) -> Effect {
    if state.drift.account != Some(account) {
        state.drift = crate::app::state::drift::DriftState {
            disabled: state.drift.disabled,
            ..Default::default()
        };
        state.drift.account = Some(account);
    }
    Effect::LoadSnapshot { account }
}

/// A list was loaded (before it goes into the table): its snapshot is made, compared if it is the
/// session's first and the stored one is read, and saved once that has been read.
pub(super) fn listed(state: &mut State, list: &ListedRows, now: DateTime<Utc>) -> Vec<Effect> {
    if state.drift.disabled {
        return Vec::new();
    }
    let Some(account) = state.session.account().map(|a| a.id) else {
        return Vec::new();
    };
    if state.drift.account != Some(account) {
        return Vec::new();
    }
    // Only a list with unreadable rows carries records over, so only then are the earlier ones needed.
    let remade;
    let previous = match (&state.drift.latest, &state.drift.baseline) {
        _ if list.unreadable.is_empty() => None,
        (Some(latest), _) => Some(&**latest),
        (None, Some(Some(stored))) => Some(stored),
        (None, Some(None)) => {
            remade = last_known(&state.table, account, &state.drift.carried, now);
            Some(&remade)
        }
        (None, None) => None,
    };
    let snapshot = Snapshot::of_tokens(account, "", list.tokens(), &list.unreadable, now, previous);
    let drift = &mut state.drift;
    drift.carried = if list.unreadable.is_empty() {
        Vec::new()
    } else {
        snapshot.records_not_in(list.tokens().map(|t| t.id))
    };
    match &drift.baseline {
        None => {
            let snapshot = Arc::new(snapshot);
            if drift.first.is_none() {
                drift.first = Some((snapshot.clone(), list.unreadable.clone()));
            }
            drift.latest = Some(snapshot);
            Vec::new()
        }
        Some(baseline) => {
            if !drift.compared {
                drift.compared = true;
                if let Some(before) = baseline {
                    let found = compare(before, &snapshot);
                    drift.found = (!found.is_empty()).then_some(found);
                }
                // The stored snapshot was kept for this comparison alone.
                drift.baseline = Some(None);
            }
            drift.latest = None;
            drift.saves_in_flight += 1;
            vec![Effect::SaveSnapshot {
                account,
                snapshot: Arc::new(snapshot),
            }]
        }
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

pub(super) fn loaded(
    state: &mut State,
    account: AccountId,
    loaded: Loaded,
    now: DateTime<Utc>,
) -> Step {
    let drift = &mut state.drift;
    if drift.account != Some(account) || drift.baseline.is_some() {
        return Step::Ignored;
    }
    if let Some(warning) = &loaded.warning {
        state.set_status(warning.clone(), Level::Warn, now);
    }
    let drift = &mut state.drift;
    let baseline = loaded.snapshot;
    let mut effects = Vec::new();
    let mut carried_more = false;
    if let Some((mut first, unreadable)) = drift.first.take() {
        drift.compared = true;
        if let Some(before) = &baseline {
            if !unreadable.is_empty() {
                carried_more = true;
                Arc::make_mut(&mut first).carry_unreadable(&unreadable, before);
                if let Some(latest) = drift.latest.as_mut() {
                    Arc::make_mut(latest).carry_unreadable(&unreadable, before);
                }
            }
            let found = compare(before, &first);
            drift.found = (!found.is_empty()).then_some(found);
        }
    }
    if let Some(latest) = drift.latest.take() {
        if carried_more {
            // The table holds the newest list by now: what the snapshot has beyond its rows was carried.
            let listed = account_tokens(&state.table, account).map(|t| t.id);
            state.drift.carried = latest.records_not_in(listed);
        }
        state.drift.saves_in_flight += 1;
        effects.push(Effect::SaveSnapshot {
            account,
            snapshot: latest,
        });
    }
    let drift = &mut state.drift;
    // Kept only while the first list is still to come and be compared with it.
    drift.baseline = Some(if drift.compared { None } else { baseline });
    effects.into()
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
