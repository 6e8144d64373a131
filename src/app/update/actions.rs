//! The row actions: the registry decides whether each can be done (hotkey or menu alike); an allowed one
//! opens its dialog, and a confirmed one becomes exactly one request (`writes.rs`).

use chrono::{DateTime, Utc};

use crate::api::{AccountId, TokenId};
use crate::journal::{changes_to_restore, permission_set};

use super::super::dialogs::destructive::Target;
use super::super::dialogs::{
    ActionMenu, ConfirmDialog, CopyAlternatives, Destructive, EditPermissionsDialog, PlacesDialog,
    QuitDialog, TokenForm,
};
use super::super::effect::Effect;
use super::super::registry::{self, VIEWER_REASON};
use super::super::state::{Level, Overlay, State, ViewKind, WaitingForTree};
use super::step::Step;
use crate::keys::action::Action;

/// `q` or Ctrl-C at the table: quit, unless a new secret would be lost; then ask first.
pub(super) fn quit_or_ask(state: &mut State) -> Step {
    if state.secrets_at_risk() == 0 {
        return vec![Effect::Quit].into();
    }
    let reason = if state.requests.secrets_awaited() > 0 {
        "A reset or a new token is still waiting for its answer; its secret would be lost."
    } else {
        "A new secret has not been copied or saved; it cannot be shown again."
    };
    state.overlays.open = Some(Overlay::QuitConfirm(QuitDialog::new(reason)));
    Step::done()
}

/// A row action from its hotkey or the menu.
pub(super) fn row_action(state: &mut State, action: Action, now: DateTime<Utc>) -> Step {
    if !state.table_shown() {
        return Step::Ignored;
    }
    if action == Action::OpenMenu && state.views.active == ViewKind::Findings {
        return super::views::go_to_token(state, now);
    }
    let Some(index) = state.selected_token_index() else {
        if action != Action::NewToken {
            state.set_status("No token is selected", Level::Info, now);
        } else if let Some(why) = state
            .creating_in()
            .and_then(|account| state.session.guard.refusal_in(account, now))
        {
            state.set_status(format!("Create a new token: {why}"), Level::Warn, now);
        } else if state
            .creating_in()
            .is_some_and(|account| state.session.viewer_in(account))
        {
            state.set_status(VIEWER_REASON, Level::Warn, now);
        } else {
            return open_form(state, WaitingForTree::NewToken, now).into();
        }
        return Step::done();
    };
    if action == Action::OpenMenu {
        let actions = state.with_row_context(index, now, registry::actions_for);
        state.table.ensure_row_texts(index);
        let row = &state.table.rows[index];
        let menu = ActionMenu::new(row.name().to_safe_text(), actions, &state.session.keymap);
        state.overlays.open = Some(Overlay::Menu {
            token: row.token.id,
            menu,
        });
        return Step::done();
    }
    run_allowed(state, index, action, now).into()
}

/// Runs `action` on row `index` if the registry allows it; otherwise says why, with the same words the
/// menu shows.
pub(super) fn run_allowed(
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
        let row = &state.table.rows[index];
        if action == Action::Copy && row.unreadable().is_none() {
            // The reason offers the name, id or last digits: the dialog that does so opens too.
            state.overlays.open =
                Some(Overlay::CopyAlternatives(CopyAlternatives::new(&row.token)));
        }
        return Vec::new();
    }
    let token = &state.table.rows[index].token;
    let target = Target::from_token(token, state.session.is_own_token(token));
    let confirm = |action| Some(Overlay::Confirm(Box::new(ConfirmDialog::new(action))));
    match action {
        Action::Reset => state.overlays.open = confirm(Destructive::Reset(target)),
        Action::Delete => state.overlays.open = confirm(Destructive::Delete(target)),
        Action::Undo => {
            // The registry allowed it: the last edit is this token's, and the token is as it left it.
            if let Some(edit) = &state.requests.last_edit {
                let now_set = permission_set(&token.resources);
                let undo = Destructive::UndoPermissions {
                    target,
                    changes: changes_to_restore(&now_set, &edit.before),
                    restores: edit.before.clone(),
                    undoes: edit.entry.clone(),
                };
                state.overlays.open = confirm(undo);
            }
        }
        Action::EditPermissions => {
            return open_form(state, WaitingForTree::EditPermissions(token.id), now);
        }
        Action::Clone => return open_form(state, WaitingForTree::Clone(token.id), now),
        Action::NewToken => return open_form(state, WaitingForTree::NewToken, now),
        Action::Places => {
            let id = token.id;
            state.table.ensure_row_texts(index);
            let row = &state.table.rows[index];
            let dialog =
                PlacesDialog::new(id, row.name(), state.places.book.of(id), row.in_grace());
            state.overlays.open = Some(Overlay::Places(dialog));
        }
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
pub(super) fn open_form_for(
    state: &mut State,
    which: WaitingForTree,
    now: DateTime<Utc>,
) -> Vec<Effect> {
    open_form(state, which, now)
}

/// The account the dialog waiting for the tree acts in.
fn account_for(state: &State, which: WaitingForTree) -> Option<AccountId> {
    match which {
        WaitingForTree::NewToken => state.creating_in(),
        WaitingForTree::Clone(id) | WaitingForTree::EditPermissions(id) => {
            state.account_of_token(id)
        }
        WaitingForTree::BulkPermission => state.marks_account().ok(),
    }
}

/// The account of the dialog waiting for the tree, if one waits.
pub(super) fn waiting_account(state: &State) -> Option<AccountId> {
    account_for(state, state.overlays.waiting_for_tree?)
}

/// Whether the permissions tree of `account` is there (in the inventory, each account has its own).
fn tree_ready(state: &State, account: Option<AccountId>) -> bool {
    match (&state.session.inventory, account) {
        (Some(inventory), Some(account)) => inventory
            .slot(account)
            .is_some_and(|s| s.tree.last_success.is_some()),
        (Some(_), None) => false,
        (None, _) => state.requests.tree.last_success.is_some(),
    }
}

fn open_form(state: &mut State, which: WaitingForTree, now: DateTime<Utc>) -> Vec<Effect> {
    let account = account_for(state, which);
    if matches!(which, WaitingForTree::NewToken | WaitingForTree::Clone(_)) {
        // The form's create goes where it was opened, whatever is selected when it is sent.
        state.overlays.create_in = account;
    }
    state.overlays.waiting_for_tree = Some(which);
    if tree_ready(state, account) {
        open_waiting_for_tree(state, now);
        return Vec::new();
    }
    state.set_status("Loading the permissions tree…", Level::Info, now);
    let Some(account) = account else {
        return Vec::new();
    };
    let req = state.requests.next_request_id();
    if let Some(inventory) = state.session.inventory.as_mut() {
        let Some(slot) = inventory.slot_mut(account) else {
            return Vec::new();
        };
        if slot.tree.in_flight.is_some() {
            return Vec::new();
        }
        slot.tree.start(req, now);
    } else {
        if state.requests.tree.in_flight.is_some() {
            return Vec::new();
        }
        state.requests.tree.start(req, now);
    }
    vec![Effect::LoadResourceTree { req, account }]
}

/// The tree arrived: open the dialog that was waiting for it (if its token is still there and nothing
/// else took the screen meanwhile).
pub(super) fn open_waiting_for_tree(state: &mut State, now: DateTime<Utc>) {
    let Some(which) = state.overlays.waiting_for_tree.take() else {
        return;
    };
    if state.overlays.is_open() {
        return;
    }
    let account = account_for(state, which);
    if !tree_ready(state, account) {
        // Another account's tree arrived; this one's is still on its way.
        state.overlays.waiting_for_tree = Some(which);
        return;
    }
    let tree = match account {
        Some(account) => state.table.tree_of(account),
        None => state.table.tree.clone(),
    };
    let table = &state.table;
    let row = |id: TokenId| table.row_by_id(id).map(|i| &table.rows[i].token);
    let overlay = match which {
        // The permission a bulk edit changes on every marked token.
        WaitingForTree::BulkPermission => Overlay::BulkPermission(Box::new(
            super::super::dialogs::bulk_permission::BulkPermissionDialog::new(
                &tree,
                state.marks.len(),
            ),
        )),
        WaitingForTree::NewToken => Overlay::Form(Box::new(TokenForm::new(&tree, now))),
        WaitingForTree::Clone(id) => {
            let Some(token) = row(id) else { return };
            Overlay::Form(Box::new(TokenForm::clone_from(token, &tree, now)))
        }
        WaitingForTree::EditPermissions(id) => {
            let Some(token) = row(id) else { return };
            Overlay::EditPermissions {
                token: id,
                dialog: Box::new(EditPermissionsDialog::new(
                    token,
                    &tree,
                    state.session.is_own_token(token),
                )),
            }
        }
    };
    if matches!(state.status.as_ref(), Some(s) if s.text.starts_with("Loading the permissions")) {
        state.status = None;
    }
    state.overlays.open = Some(overlay);
}
