//! The dialog on top takes keys, pastes and the wheel first; what it emits becomes requests or effects,
//! and the clipboard's and the file's answers go back to the dialog that asked.

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use crossterm::event::{KeyCode, KeyEvent};

use crate::api::Secret;
use crate::clipboard::{Content, CopyOutcome};
use crate::text::sanitize;

use super::super::action::Action;
use super::super::dialogs::{Confirmed, MenuChoice, Outcome, SecretCommand};
use super::super::effect::Effect;
use super::super::state::{Level, Overlay, State};
use super::{Step, actions, is_ctrl, writes};

pub(super) fn key(state: &mut State, key: KeyEvent, now: DateTime<Utc>) -> Step {
    let Some(mut overlay) = state.overlays.open.take() else {
        return Step::Ignored;
    };
    let mut effects = Vec::new();
    let mut keep = true;
    match &mut overlay {
        Overlay::Help { scroll } => {
            let action = state.session.keymap.lookup(&key);
            match (key.code, action) {
                (KeyCode::Esc, _) | (_, Some(Action::Help | Action::Quit)) => keep = false,
                _ if is_ctrl(&key, 'c') => keep = false,
                (_, Some(Action::MoveDown)) => *scroll = scroll.saturating_add(1),
                (_, Some(Action::MoveUp)) => *scroll = scroll.saturating_sub(1),
                (_, Some(Action::PageDown)) => *scroll = scroll.saturating_add(10),
                (_, Some(Action::PageUp)) => *scroll = scroll.saturating_sub(10),
                (_, Some(Action::Top)) => *scroll = 0,
                _ => {
                    state.overlays.open = Some(overlay);
                    return Step::Ignored;
                }
            }
        }
        Overlay::Menu { token, menu } => match menu.handle_key(&key) {
            Outcome::Continue => {}
            Outcome::Closed => keep = false,
            Outcome::Emit(choice) => {
                let token = *token;
                drop(overlay);
                return menu_choice(state, token, choice, now);
            }
        },
        Overlay::Confirm(dialog) => match dialog.handle_key(&key) {
            Outcome::Continue => {}
            Outcome::Closed => keep = false,
            Outcome::Emit(Confirmed(action)) => {
                // Closed at once: further `y` presses reach the table, where they do nothing.
                keep = false;
                effects = writes::send_confirmed(state, action, now);
            }
        },
        Overlay::Form(form) => match form.handle_key(&key) {
            Outcome::Continue => {}
            // A create already sent still finishes; its secret then opens on its own.
            Outcome::Closed => keep = false,
            Outcome::Emit(new) => effects = writes::send_create(state, new, now),
        },
        Overlay::EditPermissions { dialog, .. } => match dialog.handle_key(&key) {
            Outcome::Continue => {}
            Outcome::Closed => keep = false,
            Outcome::Emit(Confirmed(action)) => {
                effects = writes::send_confirmed(state, action, now)
            }
        },
        Overlay::Secret(dialog) => match dialog.handle_key(&key) {
            Outcome::Continue => {}
            // Dropping the dialog wipes the secret.
            Outcome::Closed => keep = false,
            Outcome::Emit(SecretCommand::Copy(secret)) => {
                // The answer is this dialog's alone: another one open by then must not take it.
                state.overlays.copy_for = Some(dialog.token_id());
                effects.push(Effect::CopyToClipboard {
                    text: secret,
                    content: Content::Secret,
                });
            }
            Outcome::Emit(SecretCommand::Save { path, secret }) => {
                state.overlays.save_for = Some(dialog.token_id());
                effects.push(Effect::SaveSecret { path, secret });
            }
            Outcome::Emit(SecretCommand::Verify(secret)) => {
                effects = writes::send_verify(state, secret);
            }
        },
        Overlay::CopyAlternatives(dialog) => match dialog.handle_key(&key) {
            Outcome::Continue => {}
            Outcome::Closed => keep = false,
            Outcome::Emit(choice) => {
                keep = false;
                state.overlays.copy_for = None;
                effects.push(Effect::CopyToClipboard {
                    text: Secret::new(choice.text),
                    content: Content::Plain,
                });
            }
        },
        Overlay::Notice { .. } => {
            if matches!(key.code, KeyCode::Enter | KeyCode::Esc) || is_ctrl(&key, 'c') {
                keep = false;
            } else {
                state.overlays.open = Some(overlay);
                return Step::Ignored;
            }
        }
        Overlay::QuitConfirm { focus, .. } => {
            let plain = match key.code {
                KeyCode::Char(c) if !is_ctrl(&key, c) => Some(c),
                _ => None,
            };
            match (key.code, plain) {
                (_, Some('y' | 'Y')) => return vec![Effect::Quit].into(),
                (KeyCode::Enter, _) if *focus == 1 => return vec![Effect::Quit].into(),
                (KeyCode::Enter | KeyCode::Esc, _) | (_, Some('n' | 'N')) => keep = false,
                _ if is_ctrl(&key, 'c') => keep = false,
                (KeyCode::Tab | KeyCode::BackTab | KeyCode::Left | KeyCode::Right, _) => {
                    *focus = 1 - (*focus).min(1);
                }
                _ => {}
            }
        }
    }
    if keep {
        state.overlays.open = Some(overlay);
    } else {
        drop(overlay);
        state.overlays.close();
    }
    effects.into()
}

/// The menu's choice: the action runs on the menu's row as its hotkey would (the menu closes first; the
/// action may open a dialog of its own).
fn menu_choice(
    state: &mut State,
    token: crate::api::TokenId,
    choice: MenuChoice,
    now: DateTime<Utc>,
) -> Step {
    let effects = match (state.table.row_by_id(token), choice) {
        (None, _) => {
            state.set_status("That token is gone", Level::Info, now);
            Vec::new()
        }
        (Some(i), MenuChoice::Run(action)) => actions::run_allowed(state, i, action, now),
        (Some(i), MenuChoice::Refused { action, reason }) => {
            if action == Action::Copy {
                actions::run_allowed(state, i, action, now)
            } else {
                let what = action.info().description;
                state.set_status(format!("{what}: {reason}"), Level::Warn, now);
                Vec::new()
            }
        }
    };
    if !state.overlays.is_open() {
        state.overlays.close();
    }
    effects.into()
}

/// Pasted text goes, once, into the dialog's field with focus; it never presses anything.
pub(super) fn paste(state: &mut State, clean: &str) -> Step {
    match &mut state.overlays.open {
        Some(Overlay::Confirm(dialog)) => dialog.handle_paste(clean),
        Some(Overlay::Form(form)) => form.handle_paste(clean),
        Some(Overlay::EditPermissions { dialog, .. }) => dialog.handle_paste(clean),
        _ => return Step::Ignored,
    }
    Step::done()
}

/// The wheel scrolls the help; other dialogs ignore it.
pub(super) fn scroll(state: &mut State, lines: i32) -> Step {
    let Some(Overlay::Help { scroll }) = &mut state.overlays.open else {
        return Step::Ignored;
    };
    let by = u16::try_from(lines.unsigned_abs()).unwrap_or(u16::MAX);
    *scroll = if lines < 0 {
        scroll.saturating_sub(by)
    } else {
        scroll.saturating_add(by)
    };
    Step::done()
}

pub(super) fn copied(state: &mut State, outcome: &CopyOutcome, now: DateTime<Utc>) -> Step {
    let asked_by = state.overlays.copy_for.take();
    if let Some(Overlay::Secret(dialog)) = &mut state.overlays.open
        && asked_by == Some(dialog.token_id())
    {
        dialog.copy_result(outcome);
    }
    let level = if outcome.confirmed() {
        Level::Success
    } else if outcome.succeeded() {
        Level::Warn
    } else {
        Level::Error
    };
    let text = outcome.message();
    let mut chars = text.chars();
    let capitalised = match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect::<String>(),
        None => text,
    };
    state.set_status(capitalised, level, now);
    Step::done()
}

pub(super) fn saved(state: &mut State, result: Result<PathBuf, String>, now: DateTime<Utc>) -> Step {
    let (text, level) = match &result {
        Ok(path) => (
            format!("Saved the secret to {}", sanitize(&path.to_string_lossy())),
            Level::Success,
        ),
        Err(e) => (
            format!("Could not save the secret: {}", sanitize(e)),
            Level::Error,
        ),
    };
    let asked_by = state.overlays.save_for.take();
    if let Some(Overlay::Secret(dialog)) = &mut state.overlays.open
        && asked_by == Some(dialog.token_id())
    {
        dialog.save_result(result);
    }
    state.set_status(text, level, now);
    Step::done()
}
