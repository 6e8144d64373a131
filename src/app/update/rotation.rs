//! Carrying a rotation through: the places list (loaded when the account is known, saved whole on each
//! change), its following of a reset, handing a new secret to the `[[handoff]]` targets and ticking the
//! places they updated, and the one warning when a grace nears its end with places left.

use chrono::{DateTime, Utc};

use crate::api::{AccountId, Secret, TokenId};
use crate::rotation::{
    HandoffOutcome, HandoffRun, Place, PlaceBook, Vars, matching_targets, runs_for,
};

use super::super::dialogs::{SecretDialog, SecretOrigin};
use super::super::effect::Effect;
use super::super::state::{Level, State};
use super::step::Step;

/// The account is known: its places list is read.
pub(super) fn load(account: AccountId) -> Effect {
    Effect::LoadPlaces { account }
}

pub(super) fn loaded(
    state: &mut State,
    account: AccountId,
    result: Result<PlaceBook, String>,
    now: DateTime<Utc>,
) -> Step {
    if let Some(inventory) = &state.session.inventory {
        if inventory.slot(account).is_none() || state.places.loaded.contains(&account) {
            return Step::Ignored;
        }
        match result {
            Ok(book) => {
                for (token, places) in book.tokens {
                    state.places.origin.insert(token, account);
                    // Places set in this session before the file was read stay as they were set.
                    state.places.book.tokens.entry(token).or_insert(places);
                }
            }
            Err(why) => state.set_status(why, Level::Warn, now),
        }
        state.places.loaded.insert(account);
        return Step::done();
    }
    if state.session.account().map(|a| a.id) != Some(account) {
        return Step::Ignored;
    }
    match result {
        Ok(book) => {
            // A reset already answered while the list was read carries its places over now.
            state.places.book = book;
        }
        Err(why) => state.set_status(why, Level::Warn, now),
    }
    state.places.account = Some(account);
    Step::done()
}

pub(super) fn saved(state: &mut State, result: Result<(), String>, now: DateTime<Utc>) -> Step {
    match result {
        Ok(()) => Step::Ignored,
        Err(why) => {
            state.set_status(
                format!("The places list could not be saved: {why}"),
                Level::Error,
                now,
            );
            Step::done()
        }
    }
}

/// Writes the list, once it is loaded (a list not read yet is never overwritten).
fn save(state: &State) -> Vec<Effect> {
    if state.session.inventory.is_some() {
        // Each account's file holds its own tokens' places.
        let places = &state.places;
        return places
            .loaded
            .iter()
            .map(|&account| {
                let mut book = crate::rotation::PlaceBook::default();
                for (token, list) in &places.book.tokens {
                    let owner = places
                        .origin
                        .get(token)
                        .copied()
                        .or_else(|| state.account_of_token(*token));
                    if owner == Some(account) {
                        book.tokens.insert(*token, list.clone());
                    }
                }
                Effect::SavePlaces { account, book }
            })
            .collect();
    }
    match state.places.account {
        Some(account) => vec![Effect::SavePlaces {
            account,
            book: state.places.book.clone(),
        }],
        None => Vec::new(),
    }
}

/// A token's places changed in the places dialog.
pub(super) fn set_places(state: &mut State, token: TokenId, places: Vec<Place>) -> Vec<Effect> {
    state.places.book.set(token, places);
    state.places.warned.remove(&token);
    save(state)
}

/// A reset answered: the new token is used where the old one was; the old one's checklist starts.
pub(super) fn follow_reset(state: &mut State, old: TokenId, new: TokenId) -> Vec<Effect> {
    if state.places.book.of(old).is_empty() {
        return Vec::new();
    }
    state.places.book.follow(old, new);
    state.places.warned.remove(&old);
    // The new token is in the old one's account (it is not listed yet).
    let owner = state
        .places
        .origin
        .get(&old)
        .copied()
        .or_else(|| state.account_of_token(old));
    if let Some(account) = owner {
        state.places.origin.insert(new, account);
    }
    save(state)
}

/// The token whose checklist a hand-off of this dialog's secret ticks: the old one after a reset.
fn checklist_token(origin: &SecretOrigin, new: TokenId) -> TokenId {
    match origin {
        SecretOrigin::Reset { old_id, .. } => *old_id,
        SecretOrigin::Created => new,
    }
}

/// `h` in the secret dialog: the matching targets' commands, one after another.
pub(super) fn hand_off(state: &State, dialog: &mut SecretDialog, secret: Secret) -> Vec<Effect> {
    let token = dialog.token_id();
    let places = state
        .places
        .book
        .of(checklist_token(dialog.origin(), token))
        .to_vec();
    let account = state.account_of_token(token).unwrap_or(0);
    let name = dialog.name().as_str().to_string();
    let vars = Vars {
        name: &name,
        id: token,
        account,
    };
    let runs: Vec<HandoffRun> = matching_targets(&state.session.handoff, &name, &places)
        .into_iter()
        .flat_map(|t| runs_for(t, &vars, &places))
        .collect();
    dialog.handoff_started(runs.len());
    if runs.is_empty() {
        return Vec::new();
    }
    vec![Effect::HandOff {
        token,
        runs,
        secret,
    }]
}

/// One hand-off command finished: its dialog says so, and a success ticks the places it updated.
pub(super) fn handed_off(
    state: &mut State,
    token: TokenId,
    run: &HandoffRun,
    outcome: &HandoffOutcome,
    now: DateTime<Utc>,
) -> Step {
    let kept = outcome.succeeded();
    let line = outcome.describe(&run.target);
    let Some(dialog) = state.overlays.secret_dialog_mut(token) else {
        // The dialog was closed (after a copy or a save): the result is still said.
        let level = if kept { Level::Success } else { Level::Error };
        state.set_status(line.to_string(), level, now);
        return Step::done();
    };
    dialog.handoff_result(line, kept);
    let checklist = checklist_token(dialog.origin(), token);
    if kept && state.places.book.tick(checklist, &run.places) > 0 {
        return save(state).into();
    }
    Step::done()
}

/// Says once per token, on the status line, that a grace ends within the hour with places left.
pub(super) fn warn_late_cut_overs(state: &mut State, now: DateTime<Utc>) {
    let late: Vec<(TokenId, DateTime<Utc>)> = state
        .table
        .reset_grace
        .iter()
        .map(|(id, stops)| (*id, *stops))
        .filter(|(id, stops)| *stops > now && !state.places.warned.contains(id))
        .filter(|(id, stops)| state.places.cut_over_late(*id, *stops, now))
        .collect();
    for (id, stops) in late {
        state.places.warned.insert(id);
        let (done, all) = state.places.book.progress(id);
        let name = state.table.shown_name(id);
        let minutes = (stops - now).num_minutes();
        state.set_status_for(
            format!(
                "{name} stops working in {minutes} min and {} of {all} places still use it",
                all - done
            ),
            Level::Error,
            now,
            super::super::state::IMPORTANT_SECONDS,
        );
    }
}
