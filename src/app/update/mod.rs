//! `update`: the only place the console's state changes. Pure: no I/O, no clock of its own (`now` is passed
//! in); what must happen outside comes back as `Effect`s. This file is the front door: it routes each
//! message to the concern that owns it and decides, in one place, whether the screen must be drawn again.
//!
//! - `table.rs`: moving, filtering, sorting, the wheel and clicks, in whichever view shows.
//! - `views.rs`: switching views, the details, Enter in a derived view.
//! - `fetch.rs`: asking for the reads (the account, the token list, the resource tree).
//! - `loads.rs`: their answers, the refreshes (by key and automatic), the account picker.
//! - `writes.rs`: every write's whole life: sent once, answered, or its answer lost.
//! - `actions.rs`: the row actions, as the registry allows them, and the dialogs they open.
//! - `drift.rs`: the snapshot of the last look, read against the first list and compared with it, `w`, and
//!   the save after each load.
//! - `rotation.rs`: the places list, a reset's cut-over checklist, and handing a secret off.
//! - `overlays.rs`: keys, pastes and clipboard or file answers for the dialog on top.
//! - `step.rs`: what every handler answers (`Step`) and the key helpers they share.

use chrono::{DateTime, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::effect::Effect;
use super::msg::Msg;
use super::state::{Level, State};
use crate::keys::action::Action;

mod accounts;
mod actions;
mod bulk;
pub(crate) mod drift;
mod fetch;
mod loads;
mod overlays;
mod rotation;
mod step;
mod table;
mod views;
mod writes;

use step::{Step, is_ctrl};

pub use super::state::MAX_FILTER_CHARS;

/// The effects that open the console: find the account (then the tokens follow).
pub fn start(state: &mut State, now: DateTime<Utc>) -> Vec<Effect> {
    state.needs_redraw = true;
    fetch::resolve_account(state, now)
}

pub fn update(state: &mut State, msg: Msg, now: DateTime<Utc>) -> Vec<Effect> {
    // A new long list may be ordered only as far as its first frame shows; whatever happens next may
    // read more of the order. The rate left changes nothing it reads, and comes with every answer.
    if !matches!(msg, Msg::RateRemaining(_)) {
        state.table.order_all();
    }
    let face = state.overlays.face();
    let step = dispatch(state, msg, now);
    // A dialog that opened or changed its question has not been seen yet: keys already on their way
    // (typed or pasted ahead) must not answer it.
    if state.overlays.face() != face {
        state.overlays.drawn = false;
    }
    match step {
        Step::Ignored => Vec::new(),
        Step::Changed(effects) => {
            state.needs_redraw = true;
            effects
        }
    }
}

fn dispatch(state: &mut State, msg: Msg, now: DateTime<Utc>) -> Step {
    match msg {
        Msg::Key(key) => {
            // A key pressed looking at the current state: whatever dialog is open has been seen.
            state.overlays.drawn = true;
            on_key(state, key, now)
        }
        Msg::TerminalKey(key) => {
            // Fast typing into a name field is text; only keys that could answer are held back.
            let text = state.overlays.takes_text()
                && matches!(key.code, KeyCode::Char(_))
                && !key
                    .modifiers
                    .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
            if state.overlays.is_open()
                && !state.overlays.drawn
                && !text
                && key.kind == KeyEventKind::Press
            {
                state.set_status(
                    "Ignored a key that came with others in one burst (a paste, or typed before this dialog showed)",
                    Level::Warn,
                    now,
                );
                return Step::done();
            }
            on_key(state, key, now)
        }
        Msg::Tick(_) => {
            let guarded = guard_tick(state, now);
            merge(guarded, loads::tick(state, now))
        }
        Msg::Idle => {
            // One piece of what the first frame did not need: the findings, then each of the table's
            // orders and texts. The loop gives back what a piece set aside before the next (`run.rs`),
            // so each adds only its own to what is kept. Nothing on screen changes: the orders and
            // texts are the ones shown already, and the findings are made before a key shows them.
            if !state.ensure_findings(now) {
                state.table.derive_next();
            }
            Step::Ignored
        }
        Msg::Resize(..) => Step::done(),
        Msg::Paste(text) => {
            let clean = crate::text::sanitize(&text);
            if state.overlays.is_open() {
                overlays::paste(state, &clean)
            } else {
                table::paste(state, &clean, now)
            }
        }
        Msg::AccountResolved { req, result } => loads::account(state, req, result, now),
        Msg::TokensLoaded { req, result } => loads::tokens(state, req, result, now),
        Msg::ResourceTreeLoaded { req, result } => loads::tree(state, req, result, now),
        Msg::Retrying { reason, wait_ms } => loads::retrying(state, &reason, wait_ms, now),
        Msg::RateRemaining(left) => loads::rate_remaining(state, left),
        Msg::RequestsPlanned { req, result } => bulk::planned(state, req, result),
        Msg::Scroll(lines) => match state.overlays.is_open() {
            true => overlays::scroll(state, lines),
            false => table::scroll(state, lines),
        },
        Msg::Click { row, .. } => table::click(state, row),
        Msg::TokenReset { req, result, .. } if bulk::owns(state, req) => {
            bulk::answered(state, req, bulk::Answered::Reset(result), now)
        }
        Msg::TokenDeleted { req, result, .. } if bulk::owns(state, req) => {
            bulk::answered(state, req, bulk::Answered::Other(result), now)
        }
        Msg::PermissionsUpdated { req, result, .. } if bulk::owns(state, req) => {
            bulk::answered(state, req, bulk::Answered::Other(result), now)
        }
        Msg::TokenReset { req, token, result } => {
            writes::secret_answer(state, req, Some(token), result, now)
        }
        Msg::TokenCreated { req, result } => writes::secret_answer(state, req, None, result, now),
        Msg::TokenDeleted { req, token, result } => writes::deleted(state, req, token, result, now),
        Msg::PermissionsUpdated { req, token, result } => {
            writes::permissions(state, req, token, result, now)
        }
        Msg::SecretVerified { req, result } => writes::verified(state, req, result, now),
        Msg::Copied(outcome) => overlays::copied(state, &outcome, now),
        Msg::SecretSaved(result) => overlays::saved(state, result, now),
        Msg::PlacesLoaded { account, result } => rotation::loaded(state, account, result, now),
        Msg::PlacesSaved(result) => rotation::saved(state, result, now),
        Msg::SnapshotLoaded { account, loaded } => drift::loaded(state, account, loaded, now),
        Msg::SnapshotPartWritten { save } => drift::part_written(state, save, now),
        Msg::SnapshotSaved { save, result } => drift::saved(state, save, result, now),
        Msg::HandedOff {
            token,
            run,
            outcome,
        } => rotation::handed_off(state, token, &run, &outcome, now),
    }
}

/// Two steps of one message: changed if either changed, with the effects of both.
fn merge(first: Step, second: Step) -> Step {
    match (first, second) {
        (Step::Ignored, Step::Ignored) => Step::Ignored,
        (Step::Changed(mut a), Step::Changed(b)) => {
            a.extend(b);
            a.into()
        }
        (Step::Changed(a), Step::Ignored) | (Step::Ignored, Step::Changed(a)) => a.into(),
    }
}

/// The clock and the write guard: armed writes disarm when their time is up (a bulk run still sending
/// stops there), the title's countdown moves, and a bulk run's 429 waits end.
fn guard_tick(state: &mut State, now: DateTime<Utc>) -> Step {
    let mut changed = false;
    if state.session.guard.disarm_if_due(now) {
        state.set_status(
            "Writes disarmed: their armed time is over (W arms them again)",
            Level::Info,
            now,
        );
        changed = true;
    }
    changed |= state.session.guard.armed_until().is_some();
    match bulk::tick(state, now) {
        Step::Ignored if changed => Step::done(),
        step => step,
    }
}

/// `W`: arms writes for the configured minutes, or disarms them.
fn arm_writes(state: &mut State, now: DateTime<Utc>) -> Step {
    let guard = &mut state.session.guard;
    if !guard.armable() {
        let words = match guard.standing_refusal() {
            Some(why) => format!("Writes cannot be armed: {why}"),
            None => "Writes are allowed: there is nothing to arm (read_only = false)".into(),
        };
        state.set_status(words, Level::Info, now);
        return Step::done();
    }
    if guard.armed_until().is_some_and(|until| until > now) {
        guard.disarm();
        state.set_status("Writes disarmed", Level::Info, now);
    } else {
        guard.arm(now);
        let minutes = guard.policy.arm_for.num_minutes();
        state.set_status(
            format!("Writes armed for {minutes} min; W disarms them sooner"),
            Level::Warn,
            now,
        );
    }
    Step::done()
}

/// A key goes to the first that wants it: the dialog on top, the filter being typed, the account picker,
/// then the keymap.
fn on_key(state: &mut State, key: KeyEvent, now: DateTime<Utc>) -> Step {
    // Releases and repeats never count: one press, one action.
    if key.kind != KeyEventKind::Press {
        return Step::Ignored;
    }
    if is_ctrl(&key, 'z') {
        return vec![Effect::Suspend].into();
    }
    if state.overlays.is_open() {
        return overlays::key(state, key, now);
    }
    state.fit_views(now);
    if state.browsed().filter_editing() && table::filter_key(state, &key) {
        return Step::done();
    }
    if is_ctrl(&key, 'c') {
        return actions::quit_or_ask(state);
    }
    let view = state.browsed_mut();
    if !view.filter_editing() && key.code == KeyCode::Esc && !view.filter().is_empty() {
        view.edit_filter(&mut |f| f.clear());
        return Step::done();
    }
    if key.code == KeyCode::Esc && state.views.details {
        state.views.details = false;
        return Step::done();
    }
    match state.session.keymap.lookup(&key) {
        Some(action) => on_action(state, action, now),
        None => Step::Ignored,
    }
}

fn on_action(state: &mut State, action: Action, now: DateTime<Utc>) -> Step {
    match action {
        Action::Quit => actions::quit_or_ask(state),
        Action::Help => {
            state.overlays.open = Some(super::state::Overlay::Help(Default::default()));
            Step::done()
        }
        Action::Refresh => loads::refresh(state, now),
        Action::MoveUp
        | Action::MoveDown
        | Action::PageUp
        | Action::PageDown
        | Action::Top
        | Action::Bottom
        | Action::Filter
        | Action::SortNext
        | Action::SortReverse => table::action(state, action, now),
        Action::ShowTokens
        | Action::ShowDomains
        | Action::ShowTimeline
        | Action::ShowFindings
        | Action::NextView
        | Action::PreviousView => views::show(state, action, now),
        Action::Details => views::details(state, now),
        Action::ToggleMark | Action::MarkShown | Action::ClearMarks => {
            bulk::mark(state, action, now)
        }
        Action::ArmWrites => arm_writes(state, now),
        Action::Undo if state.requests.last_bulk_edit.is_some() && state.table_shown() => {
            bulk::undo_last(state, now).into()
        }
        Action::Reset | Action::Delete | Action::EditPermissions
            if !state.marks.is_empty() && state.table_shown() =>
        {
            bulk::open(state, action, now).into()
        }
        Action::WhatChanged => drift::show(state, now),
        Action::Accounts => accounts::open(state, now),
        Action::OpenMenu
        | Action::Copy
        | Action::Reset
        | Action::EditPermissions
        | Action::Delete
        | Action::Undo
        | Action::Clone
        | Action::NewToken
        | Action::Places => actions::row_action(state, action, now),
    }
}
