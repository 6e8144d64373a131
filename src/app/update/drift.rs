//! Drift: the stored snapshot is read when the account is known; the session's first list is compared
//! with it (the banner), `w` lists the changes, and every successful load is saved as the next snapshot.

use chrono::{DateTime, Utc};

use crate::api::AccountId;
use crate::drift::{Loaded, Snapshot, ago, compare};
use crate::text::SafeText;

use super::super::dialogs::DriftDialog;
use super::super::effect::Effect;
use super::super::state::table::ListedRows;
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
    let drift = &mut state.drift;
    // The executor, which knows the client, names the API when it saves.
    let previous = drift
        .latest
        .as_deref()
        .or(drift.baseline.as_ref().and_then(Option::as_ref));
    let snapshot = Snapshot::of_tokens(account, "", list.tokens(), &list.unreadable, now, previous);
    match &drift.baseline {
        None => {
            if drift.first.is_none() {
                drift.first = Some((snapshot.clone(), list.unreadable.clone()));
            }
            drift.latest = Some(std::sync::Arc::new(snapshot));
            Vec::new()
        }
        Some(baseline) => {
            if !drift.compared {
                drift.compared = true;
                if let Some(before) = baseline {
                    let found = compare(before, &snapshot);
                    drift.found = (!found.is_empty()).then_some(found);
                }
            }
            let snapshot = std::sync::Arc::new(snapshot);
            drift.latest = Some(snapshot.clone());
            vec![Effect::SaveSnapshot { account, snapshot }]
        }
    }
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
    if let Some((mut first, unreadable)) = drift.first.take() {
        drift.compared = true;
        if let Some(before) = &baseline {
            first.carry_unreadable(&unreadable, before);
            let found = compare(before, &first);
            drift.found = (!found.is_empty()).then_some(found);
            if let Some(latest) = drift.latest.as_mut() {
                std::sync::Arc::make_mut(latest).carry_unreadable(&unreadable, before);
            }
        }
    }
    if let Some(latest) = &drift.latest {
        effects.push(Effect::SaveSnapshot {
            account,
            snapshot: latest.clone(),
        });
    }
    drift.baseline = Some(baseline);
    effects.into()
}

pub(super) fn saved(state: &mut State, result: Result<(), String>, now: DateTime<Utc>) -> Step {
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
