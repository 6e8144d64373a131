//! Every write's whole life in one place: sent exactly once and tracked by its request id, answered (an
//! unknown id is dropped), or its answer lost. Each outcome is said on the status line with a level, and
//! the list is read again where it changed. A reset or create whose answer never arrived is never sent
//! again: the list is read again and the console says what it shows.

use chrono::{DateTime, Duration, Utc};

use crate::api::{Account, ApiError, ApiToken, CreatedToken, NewToken, Secret, TokenId};
use crate::journal::{Action as JournalAction, Note, apply_changes, permission_set};
use crate::keys::action::Action;
use crate::text::SafeText;

use super::super::dialogs::{Destructive, SecretDialog, SecretOrigin};
use super::super::effect::Effect;
use super::super::msg::RequestId;
use super::super::registry;
use super::super::state::{
    IMPORTANT_SECONDS, Level, LostWrite, Overlay, PendingEdit, PendingWrite, State, UndoableEdit,
    WriteKind,
};
use super::fetch::reload;
use super::step::Step;

/// How long the old token keeps working after a reset (spec: 12 hours).
const RESET_GRACE_HOURS: i64 = 12;

/// The key that undoes the last permission edit, as the status line names it.
pub(super) fn undo_key(state: &State) -> String {
    state
        .session
        .keymap
        .keys_for(Action::Undo)
        .first()
        .map(ToString::to_string)
        .unwrap_or_else(|| "u".into())
}

/// The account a confirmed write goes to, if writes may be sent now; otherwise the status line says
/// why nothing was sent (confirmed after the armed time ran out, or opened before read-only took hold).
pub(super) fn writable_account(
    state: &mut State,
    account: Option<crate::api::AccountId>,
    now: DateTime<Utc>,
) -> Option<crate::api::AccountId> {
    let account = account?;
    if let Some(why) = state.session.guard.refusal_in(account, now) {
        let words = format!("Nothing was sent: {why}");
        state.set_status_for(words, Level::Warn, now, IMPORTANT_SECONDS / 4);
        return None;
    }
    Some(account)
}

/// A confirmed reset, delete or permission change: one request, tracked until its answer.
pub(super) fn send_confirmed(
    state: &mut State,
    action: Destructive,
    now: DateTime<Utc>,
) -> Vec<Effect> {
    let id = action.target().token_id;
    let Some(account) = writable_account(state, state.account_of_token(id), now) else {
        return Vec::new();
    };
    if state.requests.row_busy(id) {
        // The registry refuses this too; a second request for one token must wait for the first.
        state.set_status(registry::IN_FLIGHT_REASON, Level::Warn, now);
        return Vec::new();
    }
    let shown = action.target().name.clone();
    let (kind, words) = match &action {
        Destructive::Reset(_) => {
            let server_name = state
                .table
                .row_by_id(id)
                .map(|i| state.table.rows[i].token.name.to_string())
                .unwrap_or_else(|| shown.to_string());
            let words = format!("Resetting {shown}…");
            (
                WriteKind::Reset {
                    old_name: server_name,
                },
                words,
            )
        }
        Destructive::Delete(_) => {
            let words = format!("Deleting {shown}…");
            (
                WriteKind::Delete {
                    name: shown.into_string(),
                },
                words,
            )
        }
        Destructive::EditPermissions { .. } => {
            let words = format!("Saving the permissions of {shown}…");
            (
                WriteKind::EditPermissions {
                    name: shown.into_string(),
                },
                words,
            )
        }
        Destructive::UndoPermissions { .. } => {
            let words = format!("Putting back the permissions of {shown}…");
            (
                WriteKind::EditPermissions {
                    name: shown.into_string(),
                },
                words,
            )
        }
    };
    let note = journal_note(state, &action);
    // A reset's new token is found by the ids that were not there before, should its answer be lost.
    let known_ids = match kind {
        WriteKind::Reset { .. } => state.table.known_ids(),
        _ => Default::default(),
    };
    let req = state.requests.track_write(kind, Some(id), known_ids);
    if let (Some(before), Some(after)) = (&note.before, &note.after)
        && matches!(
            action,
            Destructive::EditPermissions { .. } | Destructive::UndoPermissions { .. }
        )
    {
        let edit = UndoableEdit {
            entry: note.entry.clone(),
            token: id,
            before: before.clone(),
            after: after.clone(),
        };
        let is_undo = matches!(action, Destructive::UndoPermissions { .. });
        state
            .requests
            .edits
            .insert(req, PendingEdit { edit, is_undo });
    }
    let effect = match action {
        Destructive::Reset(_) => Effect::ResetToken {
            req,
            account,
            token: id,
            journal: note,
        },
        Destructive::Delete(_) => Effect::DeleteToken {
            req,
            account,
            token: id,
            journal: note,
        },
        Destructive::EditPermissions { changes, .. }
        | Destructive::UndoPermissions { changes, .. } => Effect::UpdatePermissions {
            req,
            account,
            token: id,
            changes,
            journal: note,
        },
    };
    state.set_status(words, Level::Info, now);
    vec![effect]
}

/// What the journal line of a confirmed write says, from the table as it is now: the token's name as
/// the server has it, its last four, and its permissions before and after where they change.
fn journal_note(state: &State, action: &Destructive) -> Note {
    let target = action.target();
    let token = state
        .table
        .row_by_id(target.token_id)
        .map(|i| &state.table.rows[i].token);
    let (name, last4) = match token {
        Some(t) => (t.name.as_str(), t.last_4_digits.as_str()),
        None => (target.name.as_str(), target.last4.as_str()),
    };
    let before = token.map(|t| permission_set(&t.resources));
    let about = |journal_action| Note::about(journal_action, target.token_id, name, last4);
    match action {
        Destructive::Reset(_) => about(JournalAction::Reset),
        Destructive::Delete(_) => {
            let mut note = about(JournalAction::Delete);
            note.before = before;
            note
        }
        Destructive::EditPermissions { changes, .. } => {
            let before = before.unwrap_or_default();
            let after = apply_changes(&before, changes);
            about(JournalAction::EditPermissions).with_permissions(before, after)
        }
        Destructive::UndoPermissions {
            restores, undoes, ..
        } => about(JournalAction::Undo)
            .with_permissions(before.unwrap_or_default(), restores.clone())
            .undoing(undoes.clone()),
    }
}

/// The form's create: one request; the form stays open and waits for the answer.
pub(super) fn send_create(state: &mut State, new: NewToken, now: DateTime<Utc>) -> Vec<Effect> {
    let into = state.overlays.create_in.or_else(|| state.creating_in());
    let Some(account) = writable_account(state, into, now) else {
        if let (Some(Overlay::Form(form)), Some(status)) = (&mut state.overlays.open, &state.status)
        {
            form.submit_failed(status.text.as_ref());
        }
        return Vec::new();
    };
    let name = new.name.clone();
    let known_ids = state.table.known_ids();
    let req = state
        .requests
        .track_write(WriteKind::Create { name: name.clone() }, None, known_ids);
    state.set_status(format!("Creating {name}…"), Level::Info, now);
    let journal = Note::create(&new.name, &new.resources);
    vec![Effect::CreateToken {
        req,
        account,
        new,
        journal,
    }]
}

/// The secret dialog's "does the new token work?": `GET /api/accounts` with the new secret.
pub(super) fn send_verify(state: &mut State, secret: Secret) -> Vec<Effect> {
    let req = state
        .requests
        .track_write(WriteKind::Verify, None, Default::default());
    vec![Effect::VerifySecret { req, secret }]
}

/// A write's failure in words a person can act on (made safe where they are shown: the status line, the
/// dialog that asked).
fn failure_words(what: &str, e: &ApiError) -> String {
    match e {
        ApiError::Unauthorized { .. } => format!(
            "Could not {what}: the console's token was refused (401): it is invalid or has expired"
        ),
        ApiError::Forbidden { message } => {
            format!("Could not {what}: the console's token lacks the permission (403): {message}")
        }
        ApiError::Validation { .. } => {
            format!("The server refused to {what}: {e}")
        }
        ApiError::NotFound => format!("Could not {what}: the token is gone (404); refreshing"),
        ApiError::RateLimited { .. } => {
            format!("Could not {what}: too many requests (429); wait a moment and try again")
        }
        other => format!("Could not {what}: {other}"),
    }
}

/// The answer never arrived, so whether the server acted is unknown.
fn answer_lost(e: &ApiError) -> bool {
    matches!(e, ApiError::Timeout | ApiError::Connection { .. })
}

/// The answered request's pending write, off the in-flight list (its row marker goes with it); `None` for
/// an answer to a request this console is not waiting for. A 403 says the console's token cannot change
/// things: it is a viewer from now on.
fn take_write<T>(
    state: &mut State,
    req: RequestId,
    result: &Result<T, ApiError>,
) -> Option<PendingWrite> {
    let pending = state.requests.writes.remove(&req)?;
    if let Err(ApiError::Forbidden { .. }) = result {
        let account = pending
            .token
            .and_then(|t| state.account_of_token(t))
            .or(state.overlays.create_in);
        match account {
            Some(account) => state.session.refused_in(account),
            None => state.session.caller_is_viewer = true,
        }
    }
    Some(pending)
}

/// The token's name as the write recorded it when it was sent, else as the list has it now.
fn sent_name(kind: WriteKind, state: &State, token: TokenId) -> String {
    match kind {
        WriteKind::Delete { name } | WriteKind::EditPermissions { name } => name,
        _ => state.table.shown_name(token),
    }
}

/// A failed write in words. The list is read again where the server may have acted (the answer was
/// lost) or the token is gone (404); a refusal changes nothing, so the rows stay as they are.
fn write_failed(state: &mut State, words: String, e: &ApiError, now: DateTime<Utc>) -> Step {
    state.set_status_for(words, Level::Error, now, IMPORTANT_SECONDS / 4);
    if answer_lost(e) || matches!(e, ApiError::NotFound) {
        reload(state, now).into()
    } else {
        Step::done()
    }
}

/// The answer to a reset (`token` is the old one) or a create (`token` is `None`): both bring a new
/// secret, and losing the answer loses that secret.
pub(super) fn secret_answer(
    state: &mut State,
    req: RequestId,
    token: Option<TokenId>,
    result: Result<CreatedToken, ApiError>,
    now: DateTime<Utc>,
) -> Step {
    let Some(pending) = take_write(state, req, &result) else {
        return Step::Ignored;
    };
    let (verb, raw_name) = match &pending.kind {
        WriteKind::Reset { old_name } => ("reset", old_name.clone()),
        WriteKind::Create { name } => ("create", name.clone()),
        _ => return Step::done(),
    };
    let shown = SafeText::new(&raw_name);
    let form_open = matches!(state.overlays.open, Some(Overlay::Form(_)));
    match result {
        Ok(created) => {
            let (origin, words) = match token {
                Some(old) => {
                    state.table.secret_not_received.remove(&old);
                    let new_name = &created.token.name;
                    let origin = SecretOrigin::Reset {
                        old_id: old,
                        old_name: shown.clone(),
                        old_stops_at: Some(now + Duration::hours(RESET_GRACE_HOURS)),
                    };
                    (
                        origin,
                        format!("{shown} was reset; the new token is {new_name}"),
                    )
                }
                None => {
                    if form_open {
                        // The form that made this token: its job is done.
                        state.overlays.open = None;
                    }
                    (SecretOrigin::Created, format!("Created {shown}"))
                }
            };
            state.table.follow_token(created.token.id);
            let mut effects = Vec::new();
            if let Some(old) = token {
                effects.extend(super::rotation::follow_reset(state, old, created.token.id));
            }
            let dialog = SecretDialog::new(
                &created.token,
                created.secret,
                origin,
                &state.session.save_dir,
            );
            state.overlays.show_secret(dialog);
            state.set_status(words, Level::Success, now);
            effects.extend(reload(state, now));
            effects.into()
        }
        Err(e) if answer_lost(&e) => {
            tracing::warn!(?token, error = %e, "the answer to a {verb} was lost");
            if token.is_none() && form_open {
                // Submitting again could make a second token: the form closes and the list decides.
                state.overlays.close();
            }
            state.requests.lost_writes.push(LostWrite {
                kind: pending.kind,
                known_ids: pending.known_ids,
            });
            state.set_status_for(
                format!(
                    "No answer came to the {verb} of {shown} ({e}); it was not sent again. Reading the list…"
                ),
                Level::Warn,
                now,
                IMPORTANT_SECONDS,
            );
            reload(state, now).into()
        }
        Err(e) => {
            let words = failure_words(&format!("{verb} {shown}"), &e);
            if token.is_some() {
                // A lost answer was handled above, so only a 404 re-reads the list here.
                return write_failed(state, words, &e, now);
            }
            if let Some(Overlay::Form(form)) = &mut state.overlays.open {
                match &e {
                    ApiError::Validation { errors } => form.show_server_errors(errors.clone()),
                    _ => form.submit_failed(&words),
                }
            }
            state.set_status_for(words, Level::Error, now, IMPORTANT_SECONDS / 4);
            Step::done()
        }
    }
}

pub(super) fn deleted(
    state: &mut State,
    req: RequestId,
    token: TokenId,
    result: Result<(), ApiError>,
    now: DateTime<Utc>,
) -> Step {
    let Some(pending) = take_write(state, req, &result) else {
        return Step::Ignored;
    };
    let name = sent_name(pending.kind, state, token);
    match result {
        Ok(()) => {
            state.table.secret_not_received.remove(&token);
            state.set_status(format!("Deleted {name}"), Level::Success, now);
            reload(state, now).into()
        }
        Err(e) => {
            let words = if answer_lost(&e) {
                format!(
                    "No answer came to the delete of {name} ({e}); it was not sent again. Reading the list…"
                )
            } else {
                failure_words(&format!("delete {name}"), &e)
            };
            write_failed(state, words, &e, now)
        }
    }
}

pub(super) fn permissions(
    state: &mut State,
    req: RequestId,
    token: TokenId,
    result: Result<(), ApiError>,
    now: DateTime<Utc>,
) -> Step {
    let Some(pending) = take_write(state, req, &result) else {
        return Step::Ignored;
    };
    let name = sent_name(pending.kind, state, token);
    let dialog_open = matches!(&state.overlays.open,
        Some(Overlay::EditPermissions { token: t, .. }) if *t == token);
    let edit = state.requests.edits.remove(&req);
    match result {
        Ok(()) => {
            if dialog_open {
                state.overlays.close();
            }
            let words = match edit {
                Some(PendingEdit { is_undo: true, .. }) => {
                    state.requests.last_edit = None;
                    format!("Put back the permissions of {name}")
                }
                Some(PendingEdit { edit, .. }) => {
                    state.requests.last_edit = Some(edit);
                    // The newest edit is the one `u` undoes.
                    state.requests.last_bulk_edit = None;
                    let key = undo_key(state);
                    format!("Saved the permissions of {name} ({key} undoes it)")
                }
                None => format!("Saved the permissions of {name}"),
            };
            state.set_status(words, Level::Success, now);
            reload(state, now).into()
        }
        Err(e) => {
            let words = failure_words(&format!("save the permissions of {name}"), &e);
            if let Some(Overlay::EditPermissions { dialog, .. }) = &mut state.overlays.open
                && dialog_open
            {
                dialog.save_failed(&words);
            }
            write_failed(state, words, &e, now)
        }
    }
}

pub(super) fn verified(
    state: &mut State,
    req: RequestId,
    result: Result<Vec<Account>, ApiError>,
    now: DateTime<Utc>,
) -> Step {
    if state.requests.writes.remove(&req).is_none() {
        return Step::Ignored;
    }
    let words = match &result {
        Ok(accounts) => Ok(format!(
            "the new token works: it sees {} account{}",
            accounts.len(),
            if accounts.len() == 1 { "" } else { "s" }
        )),
        Err(e) => Err(format!("the new token did not work: {e}")),
    };
    let (text, level) = match &words {
        Ok(w) => (w.clone(), Level::Success),
        Err(w) => (w.clone(), Level::Error),
    };
    if let Some(Overlay::Secret(dialog)) = &mut state.overlays.open {
        dialog.verify_result(words);
    }
    state.set_status(text, level, now);
    Step::done()
}

/// After a list loaded: says, for each reset or create whose answer was lost, what the list shows. A
/// token the lost request made is marked on its row, and a notice that stays until read says so.
pub(super) fn settle_lost_writes(state: &mut State, now: DateTime<Utc>) {
    if state.requests.lost_writes.is_empty() {
        return;
    }
    let lost = std::mem::take(&mut state.requests.lost_writes);
    let mut paragraphs = Vec::new();
    let mut appeared_any = false;
    for write in lost {
        let (verb, name) = match &write.kind {
            WriteKind::Reset { old_name } => ("reset", old_name.clone()),
            WriteKind::Create { name } => ("create", name.clone()),
            _ => continue,
        };
        let appeared: Vec<&ApiToken> = state
            .table
            .rows
            .iter()
            .map(|r| &r.token)
            .filter(|t| !write.known_ids.contains(&t.id))
            .filter(|t| match &write.kind {
                WriteKind::Reset { old_name } => t.name == format!("{old_name} {}", t.id),
                WriteKind::Create { name } => t.name == *name,
                _ => false,
            })
            .collect();
        if appeared.is_empty() {
            paragraphs.push(format!(
                "No answer came to the {verb} of {name}, and the list shows no new token from it; \
                 nothing was sent again."
            ));
            continue;
        }
        appeared_any = true;
        let names: Vec<String> = appeared
            .iter()
            .map(|t| format!("{} (…{})", t.name, t.last_4_digits))
            .collect();
        paragraphs.push(format!(
            "The {verb} of {name} happened but its answer was lost: {} appeared and its \
             secret was not received. Reset {} again to get a secret you can use.",
            names.join(", "),
            if appeared.len() == 1 { "it" } else { "them" }
        ));
        let ids: Vec<TokenId> = appeared.iter().map(|t| t.id).collect();
        state.table.secret_not_received.extend(ids);
    }
    if paragraphs.is_empty() {
        return;
    }
    let (level, title) = if appeared_any {
        (Level::Error, "Secret not received")
    } else {
        (Level::Warn, "No answer came")
    };
    state.set_status_for(paragraphs.join(" "), level, now, IMPORTANT_SECONDS);
    state.overlays.open_notice(title, paragraphs);
}
