//! The answers to write requests: each is matched to its request by id (an unknown id is dropped), said
//! on the status line with a level, and followed by a refresh of the list where the list changed.
//! A reset or create whose answer never arrived is never sent again: the list is read again and the
//! console says what it shows.

use std::path::PathBuf;

use chrono::{DateTime, Duration, Utc};

use crate::api::{Account, ApiError, CreatedToken, TokenId};
use crate::clipboard::CopyOutcome;
use crate::text::sanitize;

use super::super::dialogs::{SecretDialog, SecretOrigin};
use super::super::effect::Effect;
use super::super::msg::RequestId;
use super::super::state::{Level, LostWrite, Overlay, PendingWrite, State, WriteKind};
use super::actions::{close_overlay, show_secret};
use super::load_all;

/// How long a message that must not be missed stays on the status line.
pub const IMPORTANT_SECONDS: i64 = 60;

/// How long the old token keeps working after a reset (spec: 12 hours).
const RESET_GRACE_HOURS: i64 = 12;

/// A write's failure in words a person can act on.
fn failure_words(what: &str, e: &ApiError) -> String {
    match e {
        ApiError::Unauthorized { .. } => format!(
            "Could not {what}: the console's token was refused (401): it is invalid or has expired"
        ),
        ApiError::Forbidden { message } => format!(
            "Could not {what}: the console's token lacks the permission (403): {}",
            sanitize(message)
        ),
        ApiError::Validation { .. } => {
            format!("The server refused to {what}: {}", sanitize(&e.to_string()))
        }
        ApiError::NotFound => format!("Could not {what}: the token is gone (404); refreshing"),
        ApiError::RateLimited { .. } => {
            format!("Could not {what}: too many requests (429); wait a moment and try again")
        }
        other => format!("Could not {what}: {}", sanitize(&other.to_string())),
    }
}

/// The answer never arrived, so whether the server acted is unknown.
fn answer_lost(e: &ApiError) -> bool {
    matches!(e, ApiError::Timeout | ApiError::Connection { .. })
}

/// A refused write from a 403: the console's token cannot change things.
fn note_forbidden(state: &mut State, e: &ApiError) {
    if matches!(e, ApiError::Forbidden { .. }) {
        state.caller_is_viewer = true;
    }
}

fn refresh(state: &mut State, now: DateTime<Utc>) -> Vec<Effect> {
    if state.account().is_some() {
        load_all(state, now)
    } else {
        Vec::new()
    }
}

/// The answered request's pending write, off the in-flight list (its row marker goes with it); `None` for
/// an answer to a request this console is not waiting for.
fn take_write(state: &mut State, req: RequestId) -> Option<PendingWrite> {
    let pending = state.writes.remove(&req)?;
    state.needs_redraw = true;
    Some(pending)
}

/// The token's name as the write recorded it when it was sent, else as the list has it now.
fn sent_name(kind: WriteKind, state: &State, token: TokenId) -> String {
    match kind {
        WriteKind::Delete { name } | WriteKind::EditPermissions { name } => name,
        _ => token_name(state, token),
    }
}

/// A failed write in words. The list is read again where the server may have acted (the answer was
/// lost) or the token is gone (404); a refusal changes nothing, so the rows stay as they are.
fn write_failed(state: &mut State, words: String, e: &ApiError, now: DateTime<Utc>) -> Vec<Effect> {
    state.set_status_for(words, Level::Error, now, IMPORTANT_SECONDS / 4);
    if answer_lost(e) || matches!(e, ApiError::NotFound) {
        refresh(state, now)
    } else {
        Vec::new()
    }
}

fn token_name(state: &State, id: TokenId) -> String {
    state
        .row_by_id(id)
        .map(|i| sanitize(&state.rows[i].token.name))
        .unwrap_or_else(|| format!("#{id}"))
}

pub fn reset(
    state: &mut State,
    req: RequestId,
    token: TokenId,
    result: Result<CreatedToken, ApiError>,
    now: DateTime<Utc>,
) -> Vec<Effect> {
    let Some(pending) = take_write(state, req) else {
        return Vec::new();
    };
    let WriteKind::Reset { old_name } = pending.kind else {
        return Vec::new();
    };
    let shown = sanitize(&old_name);
    match result {
        Ok(created) => {
            let new_name = sanitize(&created.token.name);
            state.secret_not_received.remove(&token);
            state.follow_token(created.token.id);
            let dialog = SecretDialog::new(
                &created.token,
                created.secret,
                SecretOrigin::Reset {
                    old_name: shown.clone(),
                    old_stops_at: Some(now + Duration::hours(RESET_GRACE_HOURS)),
                },
                &state.save_dir,
            );
            show_secret(state, dialog);
            state.set_status(
                format!("{shown} was reset; the new token is {new_name}"),
                Level::Success,
                now,
            );
            refresh(state, now)
        }
        Err(e) if answer_lost(&e) => {
            tracing::warn!(token, error = %e, "the answer to a reset was lost");
            state.lost_writes.push(LostWrite {
                kind: WriteKind::Reset { old_name },
                known_ids: pending.known_ids,
            });
            state.set_status_for(
                format!(
                    "No answer came to the reset of {shown} ({e}); it was not sent again. Reading the list…"
                ),
                Level::Warn,
                now,
                IMPORTANT_SECONDS,
            );
            refresh(state, now)
        }
        Err(e) => {
            note_forbidden(state, &e);
            // A lost answer was handled above, so only a 404 re-reads the list here.
            write_failed(state, failure_words(&format!("reset {shown}"), &e), &e, now)
        }
    }
}

pub fn deleted(
    state: &mut State,
    req: RequestId,
    token: TokenId,
    result: Result<(), ApiError>,
    now: DateTime<Utc>,
) -> Vec<Effect> {
    let Some(pending) = take_write(state, req) else {
        return Vec::new();
    };
    let name = sent_name(pending.kind, state, token);
    match result {
        Ok(()) => {
            state.secret_not_received.remove(&token);
            state.set_status(format!("Deleted {name}"), Level::Success, now);
            refresh(state, now)
        }
        Err(e) => {
            note_forbidden(state, &e);
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

pub fn created(
    state: &mut State,
    req: RequestId,
    result: Result<CreatedToken, ApiError>,
    now: DateTime<Utc>,
) -> Vec<Effect> {
    let Some(pending) = take_write(state, req) else {
        return Vec::new();
    };
    let WriteKind::Create { name } = pending.kind else {
        return Vec::new();
    };
    let shown = sanitize(&name);
    let form_open = matches!(state.overlay, Some(Overlay::Form(_)));
    match result {
        Ok(created) => {
            state.follow_token(created.token.id);
            if form_open {
                // The form that made this token: its job is done.
                state.overlay = None;
            }
            let dialog = SecretDialog::new(
                &created.token,
                created.secret,
                SecretOrigin::Created,
                &state.save_dir,
            );
            show_secret(state, dialog);
            state.set_status(format!("Created {shown}"), Level::Success, now);
            refresh(state, now)
        }
        Err(e) if answer_lost(&e) => {
            tracing::warn!(error = %e, "the answer to a create was lost");
            if form_open {
                // Submitting again could make a second token: the form closes and the list decides.
                close_overlay(state);
            }
            state.lost_writes.push(LostWrite {
                kind: WriteKind::Create { name },
                known_ids: pending.known_ids,
            });
            state.set_status_for(
                format!(
                    "No answer came to the create of {shown} ({e}); it was not sent again. Reading the list…"
                ),
                Level::Warn,
                now,
                IMPORTANT_SECONDS,
            );
            refresh(state, now)
        }
        Err(e) => {
            note_forbidden(state, &e);
            let words = failure_words(&format!("create {shown}"), &e);
            if let Some(Overlay::Form(form)) = &mut state.overlay {
                match &e {
                    ApiError::Validation { errors } => form.show_server_errors(errors.clone()),
                    _ => form.submit_failed(&words),
                }
            }
            state.set_status_for(words, Level::Error, now, IMPORTANT_SECONDS / 4);
            Vec::new()
        }
    }
}

pub fn permissions(
    state: &mut State,
    req: RequestId,
    token: TokenId,
    result: Result<(), ApiError>,
    now: DateTime<Utc>,
) -> Vec<Effect> {
    let Some(pending) = take_write(state, req) else {
        return Vec::new();
    };
    let name = sent_name(pending.kind, state, token);
    let dialog_open =
        matches!(&state.overlay, Some(Overlay::EditPermissions { token: t, .. }) if *t == token);
    match result {
        Ok(()) => {
            if dialog_open {
                close_overlay(state);
            }
            state.set_status(
                format!("Saved the permissions of {name}"),
                Level::Success,
                now,
            );
            refresh(state, now)
        }
        Err(e) => {
            note_forbidden(state, &e);
            let words = failure_words(&format!("save the permissions of {name}"), &e);
            if let Some(Overlay::EditPermissions { dialog, .. }) = &mut state.overlay
                && dialog_open
            {
                dialog.save_failed(&words);
            }
            write_failed(state, words, &e, now)
        }
    }
}

pub fn verified(
    state: &mut State,
    req: RequestId,
    result: Result<Vec<Account>, ApiError>,
    now: DateTime<Utc>,
) -> Vec<Effect> {
    if take_write(state, req).is_none() {
        return Vec::new();
    }
    let words = match &result {
        Ok(accounts) => Ok(format!(
            "the new token works: it sees {} account{}",
            accounts.len(),
            if accounts.len() == 1 { "" } else { "s" }
        )),
        Err(e) => Err(format!("the new token did not work: {e}")),
    };
    let level = if words.is_ok() {
        Level::Success
    } else {
        Level::Error
    };
    let text = match &words {
        Ok(w) | Err(w) => w.clone(),
    };
    if let Some(Overlay::Secret(dialog)) = &mut state.overlay {
        dialog.verify_result(words);
    }
    state.set_status(text, level, now);
    Vec::new()
}

pub fn copied(state: &mut State, outcome: &CopyOutcome, now: DateTime<Utc>) -> Vec<Effect> {
    let asked_by = state.copy_for.take();
    if let Some(Overlay::Secret(dialog)) = &mut state.overlay
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
    Vec::new()
}

pub fn saved(
    state: &mut State,
    result: Result<PathBuf, String>,
    now: DateTime<Utc>,
) -> Vec<Effect> {
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
    let asked_by = state.save_for.take();
    if let Some(Overlay::Secret(dialog)) = &mut state.overlay
        && asked_by == Some(dialog.token_id())
    {
        dialog.save_result(result);
    }
    state.set_status(text, level, now);
    Vec::new()
}

/// After a list loaded: says, for each reset or create whose answer was lost, what the list shows. A
/// token the lost request made is marked on its row, and a notice that stays until read says so.
pub fn settle_lost_writes(state: &mut State, now: DateTime<Utc>) {
    if state.lost_writes.is_empty() {
        return;
    }
    let lost = std::mem::take(&mut state.lost_writes);
    let mut paragraphs = Vec::new();
    let mut appeared_any = false;
    for write in lost {
        let appeared: Vec<&crate::api::ApiToken> = state
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
        let (verb, name) = match &write.kind {
            WriteKind::Reset { old_name } => ("reset", sanitize(old_name)),
            WriteKind::Create { name } => ("create", sanitize(name)),
            _ => continue,
        };
        match appeared.as_slice() {
            [] => paragraphs.push(format!(
                "No answer came to the {verb} of {name}, and the list shows no new token from it; \
                 nothing was sent again."
            )),
            tokens => {
                appeared_any = true;
                let names: Vec<String> = tokens
                    .iter()
                    .map(|t| format!("{} (…{})", sanitize(&t.name), sanitize(&t.last_4_digits)))
                    .collect();
                let ids: Vec<TokenId> = tokens.iter().map(|t| t.id).collect();
                paragraphs.push(format!(
                    "The {verb} of {name} happened but its answer was lost: {} appeared and its \
                     secret was not received. Reset {} again to get a secret you can use.",
                    names.join(", "),
                    if tokens.len() == 1 { "it" } else { "them" }
                ));
                state.secret_not_received.extend(ids);
            }
        }
    }
    if paragraphs.is_empty() {
        return;
    }
    let level = if appeared_any {
        Level::Error
    } else {
        Level::Warn
    };
    let words = paragraphs.join(" ");
    state.set_status_for(words, level, now, IMPORTANT_SECONDS);
    let title = if appeared_any {
        "Secret not received"
    } else {
        "No answer came"
    };
    open_notice(state, title, paragraphs);
}

/// Opens a notice that stays until read; behind a dialog being worked in (a form, a question, a secret)
/// it waits until that one closes, so nothing being typed is thrown away.
pub fn open_notice(state: &mut State, title: &str, mut paragraphs: Vec<String>) {
    match &mut state.overlay {
        None | Some(Overlay::Help { .. } | Overlay::Menu { .. } | Overlay::CopyAlternatives(_)) => {
            state.overlay = Some(Overlay::Notice {
                title: title.to_string(),
                lines: paragraphs,
            });
        }
        Some(Overlay::Notice { lines, .. }) => lines.append(&mut paragraphs),
        // Never over a dialog being worked in: it waits its turn.
        Some(_) => state
            .queued_notices
            .push_back((title.to_string(), paragraphs)),
    }
    state.needs_redraw = true;
}
