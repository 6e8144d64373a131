//! The dialog on top takes keys, pastes and the wheel first; what it emits becomes requests or effects,
//! and the clipboard's and the file's answers go back to the dialog that asked.

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use crossterm::event::KeyEvent;

use crate::api::{Secret, TokenId};
use crate::clipboard::{Content, CopyOutcome};

use super::super::dialogs::{Confirmed, MenuChoice, Outcome, SecretCommand, SecretDialog};
use super::super::effect::Effect;
use super::super::state::{Level, Overlay, State};
use super::step::Step;
use super::{actions, writes};
use crate::keys::action::Action;

/// What becomes of the dialog after a key.
enum After {
    Stay,
    Close,
    /// The key meant nothing: the dialog stays as it was.
    Ignored,
}

/// `Continue` keeps the dialog, `Closed` closes it; what it emitted is handled by the caller.
fn after<T>(outcome: &Outcome<T>) -> After {
    match outcome {
        Outcome::Continue | Outcome::Emit(_) => After::Stay,
        Outcome::Closed => After::Close,
        Outcome::Ignored => After::Ignored,
    }
}

pub(super) fn key(state: &mut State, key: KeyEvent, now: DateTime<Utc>) -> Step {
    let Some(mut overlay) = state.overlays.open.take() else {
        return Step::Ignored;
    };
    let mut effects = Vec::new();
    let next = match &mut overlay {
        Overlay::Help(help) => after(&help.handle_key(&key, state.session.keymap.lookup(&key))),
        Overlay::Menu { token, menu } => match menu.handle_key(&key) {
            Outcome::Emit(choice) => {
                let token = *token;
                drop(overlay);
                return menu_choice(state, token, choice, now);
            }
            other => after(&other),
        },
        Overlay::Confirm(dialog) => match dialog.handle_key(&key) {
            Outcome::Emit(Confirmed(action)) => {
                // Closed at once: further `y` presses reach the table, where they do nothing.
                effects = writes::send_confirmed(state, action, now);
                After::Close
            }
            other => after(&other),
        },
        // A create already sent still finishes when the form closes; its secret then opens on its own.
        Overlay::Form(form) => match form.handle_key(&key) {
            Outcome::Emit(new) => {
                effects = writes::send_create(state, new, now);
                After::Stay
            }
            other => after(&other),
        },
        Overlay::EditPermissions { dialog, .. } => match dialog.handle_key(&key) {
            Outcome::Emit(Confirmed(action)) => {
                effects = writes::send_confirmed(state, action, now);
                After::Stay
            }
            other => after(&other),
        },
        // Dropping the dialog wipes the secret.
        Overlay::Secret(dialog) => match dialog.handle_key(&key) {
            Outcome::Emit(command) => {
                effects = secret_command(state, dialog, command);
                After::Stay
            }
            other => after(&other),
        },
        Overlay::CopyAlternatives(dialog) => match dialog.handle_key(&key) {
            Outcome::Emit(choice) => {
                state.overlays.copy_for = None;
                effects.push(Effect::CopyToClipboard {
                    text: Secret::new(choice.text.into_string()),
                    content: Content::Plain,
                });
                After::Close
            }
            other => after(&other),
        },
        Overlay::Notice(notice) => after(&notice.handle_key(&key)),
        Overlay::Drift(dialog) => {
            let outcome = dialog.handle_key(&key, state.session.keymap.lookup(&key));
            if outcome.is_closed() {
                state.drift.dismissed = true;
            }
            after(&outcome)
        }
        Overlay::Accounts(dialog) => {
            match dialog.handle_key(&key, state.session.keymap.lookup(&key)) {
                Outcome::Emit(choice) => {
                    state.overlays.open = None;
                    return super::accounts::show(state, choice, now);
                }
                other => after(&other),
            }
        }
        Overlay::Places(dialog) => match dialog.handle_key(&key) {
            Outcome::Emit(places) => {
                effects = super::rotation::set_places(state, dialog.token(), places);
                After::Stay
            }
            other => after(&other),
        },
        Overlay::BulkPermission(dialog) => match dialog.handle_key(&key) {
            Outcome::Emit(pick) => {
                drop(overlay);
                state.overlays.open = None;
                return super::bulk::picked(state, pick, now).into();
            }
            other => after(&other),
        },
        Overlay::BulkPreview(dialog) => match dialog.handle_key(&key) {
            Outcome::Emit(confirmed) => {
                drop(overlay);
                state.overlays.open = None;
                return super::bulk::start(state, confirmed, now).into();
            }
            other => after(&other),
        },
        Overlay::BulkRun(dialog) => match dialog.handle_key(&key, super::bulk::facts(state)) {
            Outcome::Emit(command) => {
                let (more, closed) = super::bulk::command(state, command, now);
                effects = more;
                if closed { After::Close } else { After::Stay }
            }
            other => after(&other),
        },
        Overlay::QuitConfirm(question) => match question.handle_key(&key) {
            Outcome::Emit(()) => return vec![Effect::Quit].into(),
            other => after(&other),
        },
    };
    match next {
        After::Stay => state.overlays.open = Some(overlay),
        After::Ignored => {
            state.overlays.open = Some(overlay);
            return Step::Ignored;
        }
        After::Close => {
            drop(overlay);
            state.overlays.close();
        }
    }
    effects.into()
}

/// What the secret dialog asked for; the answer is this dialog's alone (another one open by then must
/// not take it).
fn secret_command(
    state: &mut State,
    dialog: &mut SecretDialog,
    command: SecretCommand,
) -> Vec<Effect> {
    let token = dialog.token_id();
    match command {
        SecretCommand::Copy(secret) => {
            state.overlays.copy_for = Some(token);
            vec![Effect::CopyToClipboard {
                text: secret,
                content: Content::Secret,
            }]
        }
        SecretCommand::Save { path, secret } => {
            state.overlays.save_for = Some(token);
            vec![Effect::SaveSecret { path, secret }]
        }
        SecretCommand::Verify(secret) => writes::send_verify(state, secret),
        SecretCommand::HandOff(secret) => super::rotation::hand_off(state, dialog, secret),
    }
}

/// The menu's choice: the action runs on the menu's row as its hotkey would (the menu closes first; the
/// action may open a dialog of its own).
fn menu_choice(state: &mut State, token: TokenId, choice: MenuChoice, now: DateTime<Utc>) -> Step {
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
        Some(Overlay::Places(dialog)) if dialog.takes_text() => dialog.paste(clean),
        Some(Overlay::BulkPreview(dialog)) => dialog.handle_paste(clean),
        _ => return Step::Ignored,
    }
    Step::done()
}

/// The wheel scrolls the help; other dialogs ignore it.
pub(super) fn scroll(state: &mut State, lines: i32) -> Step {
    match &mut state.overlays.open {
        Some(Overlay::Help(help)) => help.scroll_by(lines),
        Some(Overlay::Drift(dialog)) => dialog.scroll_by(lines),
        _ => return Step::Ignored,
    }
    Step::done()
}

pub(super) fn copied(state: &mut State, outcome: &CopyOutcome, now: DateTime<Utc>) -> Step {
    let asked_by = state.overlays.copy_for.take();
    if let Some(Overlay::Secret(dialog)) = &mut state.overlays.open
        && asked_by == Some(dialog.token_id())
    {
        dialog.copy_result(outcome);
    }
    if let (Some(Overlay::BulkRun(_)), Some(token)) = (&state.overlays.open, asked_by) {
        super::bulk::copied(state, token, outcome.confirmed());
    }
    let level = if outcome.confirmed() {
        Level::Success
    } else if outcome.succeeded() {
        Level::Warn
    } else {
        Level::Error
    };
    state.set_status(crate::text::capitalized(&outcome.message()), level, now);
    Step::done()
}

pub(super) fn saved(
    state: &mut State,
    result: Result<PathBuf, String>,
    now: DateTime<Utc>,
) -> Step {
    let (text, level) = match &result {
        Ok(path) => (
            format!("Saved the secret to {}", path.to_string_lossy()),
            Level::Success,
        ),
        Err(e) => (format!("Could not save the secret: {e}"), Level::Error),
    };
    if super::bulk::saved(state, &result) {
        let text = match &result {
            Ok(path) => format!(
                "Saved every new secret to {} (readable only by you)",
                path.to_string_lossy()
            ),
            Err(e) => format!("Could not save the secrets: {e}"),
        };
        let level = if result.is_ok() {
            Level::Success
        } else {
            Level::Error
        };
        state.set_status(text, level, now);
        return Step::done();
    }
    let asked_by = state.overlays.save_for.take();
    if let Some(Overlay::Secret(dialog)) = &mut state.overlays.open
        && asked_by == Some(dialog.token_id())
    {
        dialog.save_result(result);
    }
    state.set_status(text, level, now);
    Step::done()
}
