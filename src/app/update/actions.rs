//! The row actions: the registry decides whether each can be done (hotkey or menu alike); an allowed one
//! opens its dialog, and a confirmed one becomes exactly one request.

use chrono::{DateTime, Utc};

use crate::api::{NewToken, TokenId};
use crate::text::sanitize;

use super::super::dialogs::destructive::Target;
use super::super::dialogs::{
    ActionMenu, ConfirmDialog, CopyAlternatives, Destructive, EditPermissionsDialog, SecretDialog,
    TokenForm,
};
use super::super::effect::Effect;
use super::super::registry::{self, VIEWER_REASON};
use super::super::state::{Level, Overlay, PendingWrite, State, WaitingForTree, WriteKind};
use crate::keys::action::Action;

/// `q` or Ctrl-C at the table: quit, unless a new secret would be lost; then ask first.
pub fn quit_or_ask(state: &mut State) -> Vec<Effect> {
    let at_risk = state.secrets_at_risk();
    if at_risk == 0 {
        return vec![Effect::Quit];
    }
    let waiting = state.writes.values().filter(|w| w.carries_secret()).count();
    let reason = if waiting > 0 {
        "A reset or a new token is still waiting for its answer; its secret would be lost."
    } else {
        "A new secret has not been copied or saved; it cannot be shown again."
    };
    state.overlay = Some(Overlay::QuitConfirm {
        focus: 0,
        reason: reason.into(),
    });
    state.needs_redraw = true;
    Vec::new()
}

/// A row action from its hotkey or the menu.
pub fn row_action(state: &mut State, action: Action, now: DateTime<Utc>) -> Vec<Effect> {
    if state.account().is_none() || !state.has_tokens() {
        state.needs_redraw = false;
        return Vec::new();
    }
    let Some(index) = state.selected_index() else {
        if action == Action::NewToken {
            if state.caller_is_viewer {
                state.set_status(VIEWER_REASON, Level::Warn, now);
                return Vec::new();
            }
            return open_form(state, WaitingForTree::NewToken, now);
        }
        state.set_status("No token is selected", Level::Info, now);
        return Vec::new();
    };
    if action == Action::OpenMenu {
        let actions = state.with_row_context(index, now, registry::actions_for);
        let token = &state.rows[index].token;
        let menu = ActionMenu::new(sanitize(&token.name), actions, &state.keymap);
        state.overlay = Some(Overlay::Menu {
            token: token.id,
            menu,
        });
        return Vec::new();
    }
    run_allowed(state, index, action, now)
}

/// Runs `action` on row `index` if the registry allows it; otherwise says why, with the same words the
/// menu shows.
pub fn run_allowed(
    state: &mut State,
    index: usize,
    action: Action,
    now: DateTime<Utc>,
) -> Vec<Effect> {
    if let Err(reason) =
        state.with_row_context(index, now, |ctx| registry::availability(ctx, action))
    {
        let level = if action == Action::Copy {
            Level::Info
        } else {
            Level::Warn
        };
        let what = action.info().description;
        state.set_status(format!("{what}: {reason}"), level, now);
        if action == Action::Copy && state.rows[index].unreadable.is_none() {
            // The reason offers the name, id or last digits: the dialog that does so opens too.
            state.overlay = Some(Overlay::CopyAlternatives(CopyAlternatives::new(
                &state.rows[index].token,
            )));
        }
        return Vec::new();
    }
    let token = &state.rows[index].token;
    let target = Target::from_token(token, state.is_own_token(token));
    match action {
        Action::Reset => {
            state.overlay = Some(Overlay::Confirm(Box::new(ConfirmDialog::new(
                Destructive::Reset(target),
            ))));
        }
        Action::Delete => {
            state.overlay = Some(Overlay::Confirm(Box::new(ConfirmDialog::new(
                Destructive::Delete(target),
            ))));
        }
        Action::EditPermissions => {
            return open_form(state, WaitingForTree::EditPermissions(token.id), now);
        }
        Action::Clone => return open_form(state, WaitingForTree::Clone(token.id), now),
        Action::NewToken => return open_form(state, WaitingForTree::NewToken, now),
        // Available only while a secret dialog holds the secret, which then has the keys.
        Action::Copy => state.set_status(
            "The secret is in its dialog: press c there",
            Level::Info,
            now,
        ),
        _ => {}
    }
    Vec::new()
}

/// Opens a dialog built from the resource tree, loading the tree first if it is not there.
fn open_form(state: &mut State, which: WaitingForTree, now: DateTime<Utc>) -> Vec<Effect> {
    if state.tree.last_success.is_some() {
        state.waiting_for_tree = Some(which);
        open_waiting_for_tree(state, now);
        return Vec::new();
    }
    state.waiting_for_tree = Some(which);
    state.set_status("Loading the permissions tree…", Level::Info, now);
    if state.tree.in_flight.is_some() {
        return Vec::new();
    }
    let Some(account) = state.account().map(|a| a.id) else {
        return Vec::new();
    };
    let req = state.next_request_id();
    state.tree.start(req, now);
    vec![Effect::LoadResourceTree { req, account }]
}

/// The tree arrived: open the dialog that was waiting for it (if its token is still there and nothing
/// else took the screen meanwhile).
pub fn open_waiting_for_tree(state: &mut State, now: DateTime<Utc>) {
    let Some(which) = state.waiting_for_tree.take() else {
        return;
    };
    if state.overlay.is_some() {
        return;
    }
    let find = |state: &State, id: TokenId| state.row_by_id(id);
    let overlay = match which {
        WaitingForTree::NewToken => {
            Overlay::Form(Box::new(TokenForm::new(&state.resource_tree, now)))
        }
        WaitingForTree::Clone(id) => {
            let Some(i) = find(state, id) else { return };
            Overlay::Form(Box::new(TokenForm::clone_from(
                &state.rows[i].token,
                &state.resource_tree,
                now,
            )))
        }
        WaitingForTree::EditPermissions(id) => {
            let Some(i) = find(state, id) else { return };
            let token = &state.rows[i].token;
            Overlay::EditPermissions {
                token: id,
                dialog: Box::new(EditPermissionsDialog::new(
                    token,
                    &state.resource_tree,
                    state.is_own_token(token),
                )),
            }
        }
    };
    if matches!(state.status.as_ref(), Some(s) if s.text.starts_with("Loading the permissions")) {
        state.status = None;
    }
    state.overlay = Some(overlay);
    state.needs_redraw = true;
}

/// A confirmed reset, delete or permission change: one request, tracked until its answer.
pub fn send_confirmed(state: &mut State, action: Destructive, now: DateTime<Utc>) -> Vec<Effect> {
    let Some(account) = state.account().map(|a| a.id) else {
        return Vec::new();
    };
    let id = action.target().token_id;
    if state.row_busy(id) {
        // The registry refuses this too; a second request for one token must wait for the first.
        state.set_status(registry::IN_FLIGHT_REASON, Level::Warn, now);
        return Vec::new();
    }
    let server_name = state
        .row_by_id(id)
        .map(|i| state.rows[i].token.name.clone())
        .unwrap_or_else(|| action.target().name.clone());
    let shown = action.target().name.clone();
    let req = state.next_request_id();
    let (kind, effect, words) = match action {
        Destructive::Reset(_) => (
            WriteKind::Reset {
                old_name: server_name,
            },
            Effect::ResetToken {
                req,
                account,
                token: id,
            },
            format!("Resetting {shown}…"),
        ),
        Destructive::Delete(_) => (
            WriteKind::Delete {
                name: shown.clone(),
            },
            Effect::DeleteToken {
                req,
                account,
                token: id,
            },
            format!("Deleting {shown}…"),
        ),
        Destructive::EditPermissions { changes, .. } => (
            WriteKind::EditPermissions {
                name: shown.clone(),
            },
            Effect::UpdatePermissions {
                req,
                account,
                token: id,
                changes,
            },
            format!("Saving the permissions of {shown}…"),
        ),
    };
    let known_ids = if matches!(kind, WriteKind::Reset { .. }) {
        state.known_ids()
    } else {
        Default::default()
    };
    state.writes.insert(
        req,
        PendingWrite {
            kind,
            token: Some(id),
            known_ids,
        },
    );
    state.set_status(words, Level::Info, now);
    vec![effect]
}

/// The form's create: one request; the form stays open and waits for the answer.
pub fn send_create(state: &mut State, new: NewToken, now: DateTime<Utc>) -> Vec<Effect> {
    let Some(account) = state.account().map(|a| a.id) else {
        return Vec::new();
    };
    let req = state.next_request_id();
    let name = new.name.clone();
    state.writes.insert(
        req,
        PendingWrite {
            kind: WriteKind::Create { name: name.clone() },
            token: None,
            known_ids: state.known_ids(),
        },
    );
    state.set_status(format!("Creating {}…", sanitize(&name)), Level::Info, now);
    vec![Effect::CreateToken { req, account, new }]
}

/// Shows a new secret now, or after the dialog in front (a form being typed in is never thrown away).
pub fn show_secret(state: &mut State, dialog: SecretDialog) {
    let dialog = Box::new(dialog);
    match &state.overlay {
        None
        | Some(
            Overlay::Help { .. }
            | Overlay::Menu { .. }
            | Overlay::CopyAlternatives(_)
            | Overlay::QuitConfirm { .. },
        ) => state.overlay = Some(Overlay::Secret(dialog)),
        Some(_) => state.queued_secrets.push_back(dialog),
    }
    state.needs_redraw = true;
}

/// Closes the overlay; a queued secret takes its place.
pub fn close_overlay(state: &mut State) {
    state.overlay = state
        .queued_secrets
        .pop_front()
        .map(Overlay::Secret)
        .or_else(|| {
            state
                .queued_notices
                .pop_front()
                .map(|(title, lines)| Overlay::Notice { title, lines })
        });
    state.needs_redraw = true;
}
