//! Keys while an overlay is open: the overlay gets them first, and what it emits becomes requests.

use chrono::{DateTime, Utc};
use crossterm::event::{KeyCode, KeyEvent};

use crate::api::Secret;
use crate::clipboard::Content;

use super::super::dialogs::{Confirmed, MenuChoice, Outcome, SecretCommand};
use super::super::effect::Effect;
use super::super::state::{Level, Overlay, PendingWrite, State, WriteKind};
use super::actions::{close_overlay, run_allowed, send_confirmed, send_create};
use super::is_ctrl;
use crate::keys::action::Action;

pub fn on_overlay_key(state: &mut State, key: KeyEvent, now: DateTime<Utc>) -> Vec<Effect> {
    let Some(mut overlay) = state.overlay.take() else {
        return Vec::new();
    };
    let mut effects = Vec::new();
    let mut keep = true;
    match &mut overlay {
        Overlay::Help { scroll } => {
            let action = state.keymap.lookup(&key);
            match (key.code, action) {
                (KeyCode::Esc, _) | (_, Some(Action::Help | Action::Quit)) => keep = false,
                _ if is_ctrl(&key, 'c') => keep = false,
                (_, Some(Action::MoveDown)) => *scroll = scroll.saturating_add(1),
                (_, Some(Action::MoveUp)) => *scroll = scroll.saturating_sub(1),
                (_, Some(Action::PageDown)) => *scroll = scroll.saturating_add(10),
                (_, Some(Action::PageUp)) => *scroll = scroll.saturating_sub(10),
                (_, Some(Action::Top)) => *scroll = 0,
                _ => state.needs_redraw = false,
            }
        }
        Overlay::Menu { token, menu } => match menu.handle_key(&key) {
            Outcome::Continue => {}
            Outcome::Closed => keep = false,
            Outcome::Emit(choice) => {
                keep = false;
                let token = *token;
                state.overlay = None;
                match (state.row_by_id(token), choice) {
                    (None, _) => state.set_status("That token is gone", Level::Info, now),
                    (Some(i), MenuChoice::Run(action)) => {
                        effects = run_allowed(state, i, action, now);
                    }
                    (Some(i), MenuChoice::Refused { action, reason }) => {
                        if action == Action::Copy {
                            effects = run_allowed(state, i, action, now);
                        } else {
                            let what = action.info().description;
                            state.set_status(format!("{what}: {reason}"), Level::Warn, now);
                        }
                    }
                }
                // The action may have opened its own dialog: that one stays.
                if state.overlay.is_some() {
                    return effects;
                }
            }
        },
        Overlay::Confirm(dialog) => match dialog.handle_key(&key) {
            Outcome::Continue => {}
            Outcome::Closed => keep = false,
            Outcome::Emit(Confirmed(action)) => {
                // Closed at once: further `y` presses reach the table, where they do nothing.
                keep = false;
                effects = send_confirmed(state, action, now);
            }
        },
        Overlay::Form(form) => match form.handle_key(&key) {
            Outcome::Continue => {}
            // A create already sent still finishes; its secret then opens on its own.
            Outcome::Closed => keep = false,
            Outcome::Emit(new) => effects = send_create(state, new, now),
        },
        Overlay::EditPermissions { dialog, .. } => match dialog.handle_key(&key) {
            Outcome::Continue => {}
            Outcome::Closed => keep = false,
            Outcome::Emit(Confirmed(action)) => effects = send_confirmed(state, action, now),
        },
        Overlay::Secret(dialog) => match dialog.handle_key(&key) {
            Outcome::Continue => {}
            // Dropping the dialog wipes the secret.
            Outcome::Closed => keep = false,
            Outcome::Emit(SecretCommand::Copy(secret)) => {
                // The answer is this dialog's alone: another one open by then must not take it.
                state.copy_for = Some(dialog.token_id());
                effects.push(Effect::CopyToClipboard {
                    text: secret,
                    content: Content::Secret,
                });
            }
            Outcome::Emit(SecretCommand::Save { path, secret }) => {
                state.save_for = Some(dialog.token_id());
                effects.push(Effect::SaveSecret { path, secret });
            }
            Outcome::Emit(SecretCommand::Verify(secret)) => {
                let req = state.next_request_id();
                state.writes.insert(
                    req,
                    PendingWrite {
                        kind: WriteKind::Verify,
                        token: None,
                        known_ids: Default::default(),
                    },
                );
                effects.push(Effect::VerifySecret { req, secret });
            }
        },
        Overlay::CopyAlternatives(dialog) => match dialog.handle_key(&key) {
            Outcome::Continue => {}
            Outcome::Closed => keep = false,
            Outcome::Emit(choice) => {
                keep = false;
                state.copy_for = None;
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
                state.needs_redraw = false;
            }
        }
        Overlay::QuitConfirm { focus, .. } => {
            let plain = match key.code {
                KeyCode::Char(c) if !is_ctrl(&key, c) => Some(c),
                _ => None,
            };
            match (key.code, plain) {
                (_, Some('y' | 'Y')) => return vec![Effect::Quit],
                (KeyCode::Enter, _) if *focus == 1 => return vec![Effect::Quit],
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
        state.overlay = Some(overlay);
    } else {
        drop(overlay);
        close_overlay(state);
    }
    effects
}
