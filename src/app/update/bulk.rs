//! Marks and bulk actions: Space marks a token, `a` every token the filter shows, `x` clears the marks;
//! with marks, Reset, Delete and Edit permissions act on every marked token. A preview lists what will
//! happen to each and refuses what must not be sent; the confirmed run sends one request per token at the
//! rate limit's pace, never retrying anything but a 429 (the server did not act), and keeps the new
//! secrets of a bulk reset in custody until they are copied or saved.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};

use crate::api::{ApiError, ApiToken, CreatedToken, ResourceKind, Secret, TokenId};
use crate::clipboard::Content;
use crate::journal::{
    Action as JournalAction, Note, apply_changes, changes_to_restore, permission_set,
};
use crate::keys::action::Action;
use crate::text::SafeText;

use super::super::dialogs::bulk_permission::PermissionPick;
use super::super::dialogs::bulk_preview::{
    BulkAction, BulkConfirmed, BulkPreview, BulkTarget, Restore,
};
use super::super::dialogs::bulk_run::{BulkRunDialog, RunCommand, RunFacts};
use super::super::effect::{Effect, PlanItem};
use super::super::msg::RequestId;
use super::super::registry;
use super::super::state::bulk::{BulkRun, BulkSecret, ItemState};
use super::super::state::requests::UndoableEdit;
use super::super::state::{
    IMPORTANT_SECONDS, Level, LostWrite, Overlay, State, WaitingForTree, WriteKind,
};
use super::fetch::reload;
use super::step::Step;

/// How long a 429 without `Retry-After` makes its request wait.
const DEFAULT_RETRY_AFTER_SECS: i64 = 10;

/// Space, `a` and `x`.
pub(super) fn mark(state: &mut State, action: Action, now: DateTime<Utc>) -> Step {
    if !state.table_shown() {
        return Step::Ignored;
    }
    match action {
        Action::ToggleMark => {
            let Some(index) = state.selected_token_index() else {
                return Step::Ignored;
            };
            let row = &state.table.rows[index];
            if let Some(problem) = row.unreadable() {
                state.set_status(
                    format!("This token cannot be marked: the server sent it in a shape that cannot be read ({problem})"),
                    Level::Warn,
                    now,
                );
                return Step::done();
            }
            state.marks.toggle(row.token.id);
            // Space marks and moves on, so a run of rows is marked by pressing it again and again.
            state.browsed_mut().move_by(1);
        }
        Action::MarkShown => {
            let shown = state.browsed().shown_tokens();
            let added = state.marks.mark_all(shown);
            state.set_status(
                format!("Marked {added} more; {} marked", state.marks.len()),
                Level::Info,
                now,
            );
        }
        Action::ClearMarks => {
            let n = state.marks.clear();
            if n == 0 {
                return Step::Ignored;
            }
            state.set_status(format!("Cleared {n} marks"), Level::Info, now);
        }
        _ => return Step::Ignored,
    }
    Step::done()
}

/// Reset, Delete or Edit permissions with tokens marked: the preview (for a permission, its picker
/// first, once the tree is there).
pub(super) fn open(state: &mut State, action: Action, now: DateTime<Utc>) -> Vec<Effect> {
    let account = match state.marks_account() {
        Ok(account) => account,
        Err(why) => {
            let words = format!("{}: {why}", action.info().description);
            state.set_status(words, Level::Warn, now);
            return Vec::new();
        }
    };
    if let Some(why) = state.session.guard.refusal_in(account, now) {
        state.set_status(
            format!("{}: {why}", action.info().description),
            Level::Warn,
            now,
        );
        return Vec::new();
    }
    if state.bulk.is_some() {
        state.set_status("A bulk action is still open", Level::Warn, now);
        return Vec::new();
    }
    match action {
        Action::Reset => preview(state, BulkAction::Reset, now),
        Action::Delete => preview(state, BulkAction::Delete, now),
        Action::EditPermissions => {
            super::actions::open_form_for(state, WaitingForTree::BulkPermission, now)
        }
        _ => Vec::new(),
    }
}

/// `u` after a bulk permission edit: a preview that puts every token it changed back as it was; a token
/// changed since (elsewhere, or by another edit) is refused, as `journal undo` refuses it.
pub(super) fn undo_last(state: &mut State, now: DateTime<Utc>) -> Vec<Effect> {
    let Some(edits) = state.requests.last_bulk_edit.clone() else {
        return Vec::new();
    };
    let Some(account) = edits.first().and_then(|e| state.account_of_token(e.token)) else {
        return Vec::new();
    };
    if let Some(why) = state.session.guard.refusal_in(account, now) {
        state.set_status(format!("Undo: {why}"), Level::Warn, now);
        return Vec::new();
    }
    let mut targets = Vec::new();
    for edit in edits {
        let Some(index) = state.table.row_by_id(edit.token) else {
            continue;
        };
        state.table.ensure_row_texts(index);
        let row = &state.table.rows[index];
        let now_set = permission_set(&row.token.resources);
        let refused = (now_set != edit.after)
            .then(|| "its permissions changed since the edit; undo it on its own".to_string());
        targets.push(BulkTarget {
            token: edit.token,
            name: row.name().to_safe_text(),
            last4: row.masked(),
            server_name: row.token.name.to_string(),
            is_own_token: state.session.is_own_token(&row.token),
            refused,
            restore: Some(Restore {
                changes: changes_to_restore(&now_set, &edit.before),
                before: edit.before,
                now: now_set,
                undoes: edit.entry,
            }),
        });
    }
    if targets.is_empty() {
        state.set_status(
            "The tokens of the last bulk edit are gone",
            Level::Info,
            now,
        );
        return Vec::new();
    }
    let items = targets
        .iter()
        .filter(|t| t.refused.is_none())
        .filter_map(|t| {
            let r = t.restore.as_ref()?;
            Some(PlanItem::Permissions(t.token, r.changes.clone()))
        })
        .collect();
    let req = state.requests.next_request_id();
    state.overlays.open = Some(Overlay::BulkPreview(Box::new(BulkPreview::new(
        BulkAction::Restore,
        targets,
        req,
    ))));
    vec![Effect::PlanRequests {
        req,
        account,
        items,
    }]
}

/// The picked permission: its preview.
pub(super) fn picked(state: &mut State, pick: PermissionPick, now: DateTime<Utc>) -> Vec<Effect> {
    preview(
        state,
        BulkAction::Permission {
            change: pick.change,
            label: pick.label,
        },
        now,
    )
}

/// Opens the preview of `action` on the marked tokens.
fn preview(state: &mut State, action: BulkAction, now: DateTime<Utc>) -> Vec<Effect> {
    let targets = plan(state, &action, now);
    if targets.is_empty() {
        state.set_status("No marked token is listed any more", Level::Info, now);
        return Vec::new();
    }
    let Ok(account) = state.marks_account() else {
        return Vec::new();
    };
    // The exact requests come from the client's own builders, as `--dry-run` prints them.
    let items = targets
        .iter()
        .filter(|t| t.refused.is_none())
        .map(|t| match &action {
            BulkAction::Reset => PlanItem::Reset(t.token),
            BulkAction::Delete => PlanItem::Delete(t.token),
            BulkAction::Permission { change, .. } => {
                PlanItem::Permissions(t.token, vec![change.clone()])
            }
            BulkAction::Restore => PlanItem::Permissions(
                t.token,
                t.restore
                    .as_ref()
                    .map(|r| r.changes.clone())
                    .unwrap_or_default(),
            ),
        })
        .collect();
    let req = state.requests.next_request_id();
    state.overlays.open = Some(Overlay::BulkPreview(Box::new(BulkPreview::new(
        action, targets, req,
    ))));
    vec![Effect::PlanRequests {
        req,
        account,
        items,
    }]
}

/// The client's plan for the preview that asked for it (a stale one is dropped).
pub(super) fn planned(
    state: &mut State,
    req: RequestId,
    result: Result<Vec<String>, ApiError>,
) -> Step {
    match &mut state.overlays.open {
        Some(Overlay::BulkPreview(preview)) if preview.plan_for() == req => {
            preview.set_requests(result.map_err(|e| e.to_string()));
            Step::done()
        }
        _ => Step::Ignored,
    }
}

/// Every marked token with what the preview says of it: the registry's reason where it refuses the
/// action on that token, and what only the whole set reveals (deleting every live holder of a domain).
fn plan(state: &mut State, action: &BulkAction, now: DateTime<Utc>) -> Vec<BulkTarget> {
    let registry_action = match action {
        BulkAction::Reset => Action::Reset,
        BulkAction::Delete => Action::Delete,
        BulkAction::Permission { .. } | BulkAction::Restore => Action::EditPermissions,
    };
    let ids: Vec<TokenId> = state.marks.ids().collect();
    let mut targets = Vec::with_capacity(ids.len());
    // Domain id → live holders not yet planned for deletion.
    let mut holders_left: HashMap<i64, usize> = HashMap::new();
    if *action == BulkAction::Delete {
        for row in &state.table.rows {
            if !registry::is_live(&row.token, &state.table.reset_grace, now) {
                continue;
            }
            for domain in domains_of(&row.token) {
                *holders_left.entry(domain).or_default() += 1;
            }
        }
    }
    for id in ids {
        let Some(index) = state.table.row_by_id(id) else {
            continue;
        };
        state.table.ensure_row_texts(index);
        let own = state.session.is_own_token(&state.table.rows[index].token);
        let mut refused = state
            .with_row_context(index, now, |ctx| {
                registry::availability(ctx, registry_action)
            })
            .err();
        let token = &state.table.rows[index].token;
        if refused.is_none() {
            refused = match action {
                BulkAction::Delete if own => Some(
                    "the console's own token is deleted on its own, not in a bulk delete".into(),
                ),
                BulkAction::Delete if registry::is_live(token, &state.table.reset_grace, now) => {
                    let last = domains_of(token).find(|d| holders_left.get(d) == Some(&1));
                    match last {
                        Some(domain) => Some(format!(
                            "with the others deleted, it would be the last token with access to domain {}",
                            registry::domain_name(&state.table.tree, domain)
                        )),
                        None => {
                            for d in domains_of(token) {
                                if let Some(n) = holders_left.get_mut(&d) {
                                    *n -= 1;
                                }
                            }
                            None
                        }
                    }
                }
                BulkAction::Permission { change, .. } => {
                    let has = token.resources.iter().find(|r| {
                        r.resource_id == change.resource_id
                            && r.resource_type.kind() == change.resource_type.kind()
                    });
                    match (has, change.access_level) {
                        (Some(r), Some(level)) if r.access_level == level => {
                            Some("it already has this permission".into())
                        }
                        (None, None) => Some("it does not have this permission".into()),
                        _ => None,
                    }
                }
                _ => None,
            };
        }
        let row = &state.table.rows[index];
        targets.push(BulkTarget {
            token: id,
            name: row.name().to_safe_text(),
            last4: row.masked(),
            server_name: row.token.name.to_string(),
            is_own_token: own,
            refused,
            restore: None,
        });
    }
    // In the order the operator reads them, not by id.
    targets.sort_by(|a, b| {
        a.name
            .as_str()
            .to_lowercase()
            .cmp(&b.name.as_str().to_lowercase())
            .then(a.token.cmp(&b.token))
    });
    targets
}

fn domains_of(token: &ApiToken) -> impl Iterator<Item = i64> + '_ {
    token
        .resources
        .iter()
        .filter(|r| r.resource_type.kind() == ResourceKind::Domain)
        .map(|r| r.resource_id)
}

/// The preview was confirmed: the run starts, and its first requests go out.
pub(super) fn start(
    state: &mut State,
    confirmed: BulkConfirmed,
    now: DateTime<Utc>,
) -> Vec<Effect> {
    let into = confirmed
        .targets
        .first()
        .and_then(|t| state.account_of_token(t.token));
    let Some(account) = super::writes::writable_account(state, into, now) else {
        return Vec::new();
    };
    let known_ids = match confirmed.action {
        BulkAction::Reset => state.table.known_ids(),
        _ => Default::default(),
    };
    let dialog = BulkRunDialog::new(confirmed.action.brings_secrets());
    let run = BulkRun::new(confirmed.action, account, confirmed.targets, known_ids, now);
    state.bulk = Some(run);
    state.overlays.open = Some(Overlay::BulkRun(dialog));
    let effects = pump(state, now);
    match finish_if_done(state, now, effects) {
        Step::Changed(effects) => effects,
        Step::Ignored => Vec::new(),
    }
}

/// Hands the client the next requests of the run, up to its share in flight. Writes that were armed
/// and ran out stop the run here: nothing is sent once they are disarmed.
pub(super) fn pump(state: &mut State, now: DateTime<Utc>) -> Vec<Effect> {
    let Some(account) = state.bulk.as_ref().map(|run| run.account) else {
        return Vec::new();
    };
    let refusal = state
        .session
        .guard
        .refusal_in(account, now)
        .map(str::to_string);
    let Some(run) = state.bulk.as_mut() else {
        return Vec::new();
    };
    if let Some(why) = refusal {
        let waiting = run
            .states
            .iter()
            .any(|s| matches!(s, ItemState::Waiting | ItemState::WaitingUntil(_)));
        if waiting {
            run.stop(&format!("not sent: {why}"));
        }
        return Vec::new();
    }
    let mut effects = Vec::new();
    while let Some(i) = state.bulk.as_ref().and_then(|run| run.next_ready(now)) {
        let Some(run) = state.bulk.as_ref() else {
            break;
        };
        let target = &run.targets[i];
        let (token, account) = (target.token, run.account);
        let kind = match &run.action {
            BulkAction::Reset => WriteKind::Reset {
                old_name: target.server_name.clone(),
            },
            BulkAction::Delete => WriteKind::Delete {
                name: target.name.to_string(),
            },
            BulkAction::Permission { .. } | BulkAction::Restore => WriteKind::EditPermissions {
                name: target.name.to_string(),
            },
        };
        let action = run.action.clone();
        let restore_changes = target.restore.as_ref().map(|r| r.changes.clone());
        let journal = journal_note(state, &action, target);
        let edit_note = journal.clone();
        let req = state
            .requests
            .track_write(kind, Some(token), Default::default());
        effects.push(match action {
            BulkAction::Reset => Effect::ResetToken {
                req,
                account,
                token,
                journal,
            },
            BulkAction::Delete => Effect::DeleteToken {
                req,
                account,
                token,
                journal,
            },
            BulkAction::Permission { change, .. } => Effect::UpdatePermissions {
                req,
                account,
                token,
                changes: vec![change],
                journal,
            },
            BulkAction::Restore => Effect::UpdatePermissions {
                req,
                account,
                token,
                changes: restore_changes.unwrap_or_default(),
                journal,
            },
        });
        if let Some(run) = state.bulk.as_mut() {
            run.states[i] = ItemState::Sent(req);
            if let (Some(before), Some(after)) = (&edit_note.before, &edit_note.after)
                && matches!(run.action, BulkAction::Permission { .. })
            {
                run.edits.insert(
                    i,
                    UndoableEdit {
                        entry: edit_note.entry.clone(),
                        token,
                        before: before.clone(),
                        after: after.clone(),
                    },
                );
            }
        }
    }
    effects
}

/// What the journal records of one row's request: the token as the list has it, and for a permission
/// edit the permissions before and after (so the edit can be undone from the journal).
fn journal_note(state: &State, action: &BulkAction, target: &BulkTarget) -> Note {
    let token = state
        .table
        .row_by_id(target.token)
        .map(|i| &state.table.rows[i].token);
    let (name, last4) = match token {
        Some(t) => (t.name.as_str(), t.last_4_digits.as_str()),
        None => (target.server_name.as_str(), ""),
    };
    let before = token.map(|t| permission_set(&t.resources));
    let about = |what| Note::about(what, target.token, name, last4);
    match action {
        BulkAction::Reset => about(JournalAction::Reset),
        BulkAction::Delete => {
            let mut note = about(JournalAction::Delete);
            note.before = before;
            note
        }
        BulkAction::Permission { change, .. } => {
            let before = before.unwrap_or_default();
            let after = apply_changes(&before, std::slice::from_ref(change));
            about(JournalAction::EditPermissions).with_permissions(before, after)
        }
        BulkAction::Restore => match &target.restore {
            Some(r) => about(JournalAction::Undo)
                .with_permissions(r.now.clone(), r.before.clone())
                .undoing(r.undoes.clone()),
            None => about(JournalAction::Undo),
        },
    }
}

/// The clock: requests waiting out a 429 go when their wait is over; a run stopped meanwhile ends.
pub(super) fn tick(state: &mut State, now: DateTime<Utc>) -> Step {
    let Some(run) = state.bulk.as_ref() else {
        return Step::Ignored;
    };
    if run.finished_at.is_some() {
        return Step::Ignored;
    }
    let due = run.next_retry().is_some_and(|at| at <= now);
    let effects = pump(state, now);
    match finish_if_done(state, now, effects) {
        Step::Changed(effects) if effects.is_empty() && !due => Step::Ignored,
        step => step,
    }
}

/// Whether this answer is to a request of the bulk run.
pub(super) fn owns(state: &State, req: RequestId) -> bool {
    state
        .bulk
        .as_ref()
        .is_some_and(|run| run.item_of(req).is_some())
}

/// What one answer of the run says, before it is written down.
pub(super) enum Answered {
    Reset(Result<CreatedToken, ApiError>),
    Other(Result<(), ApiError>),
}

/// An answer to one of the run's requests: that token's result, the next request, and the end.
pub(super) fn answered(
    state: &mut State,
    req: RequestId,
    answer: Answered,
    now: DateTime<Utc>,
) -> Step {
    let pending = state.requests.writes.remove(&req);
    let Some(run) = state.bulk.as_mut() else {
        return Step::Ignored;
    };
    let Some(i) = run.item_of(req) else {
        return Step::Ignored;
    };
    let verb = match run.action {
        BulkAction::Reset => "reset",
        BulkAction::Delete => "deleted",
        BulkAction::Permission { .. } => "saved",
        BulkAction::Restore => "put back",
    };
    let error = match answer {
        Answered::Reset(Ok(created)) => {
            let name = SafeText::new(&created.token.name);
            let last4 = SafeText::new(&created.token.last_4_digits).after("…");
            run.states[i] =
                ItemState::Done(SafeText::from(format!("reset: new token {name} {last4}")));
            run.secrets.push(BulkSecret {
                token: created.token,
                name,
                last4,
                secret: created.secret,
                copied: false,
                saved: false,
            });
            None
        }
        Answered::Other(Ok(())) => {
            run.states[i] = ItemState::Done(SafeText::literal(verb));
            None
        }
        Answered::Reset(Err(e)) | Answered::Other(Err(e)) => Some(e),
    };
    if let Some(e) = error {
        match e {
            ApiError::RateLimited { retry_after } => {
                // The server did not act: this one request may go again once the wait is over.
                let wait = retry_after
                    .and_then(|d| Duration::from_std(d).ok())
                    .unwrap_or_else(|| Duration::seconds(DEFAULT_RETRY_AFTER_SECS));
                run.states[i] = ItemState::WaitingUntil(now + wait);
                run.rate_limited += 1;
            }
            ApiError::Timeout | ApiError::Connection { .. } => {
                run.states[i] = ItemState::AnswerLost(SafeText::from(format!(
                    "no answer came ({e}); whether the server acted is unknown, and it was not sent again"
                )));
                if let (BulkAction::Reset, Some(pending)) = (&run.action, pending) {
                    state.requests.lost_writes.push(LostWrite {
                        kind: pending.kind,
                        known_ids: run.known_ids.clone(),
                    });
                }
            }
            ApiError::Forbidden { .. } => {
                state.session.refused_in(run.account);
                run.states[i] = ItemState::Failed(SafeText::from(e.to_string()));
            }
            other => {
                run.states[i] = ItemState::Failed(SafeText::from(other.to_string()));
            }
        }
    }
    let effects = pump(state, now);
    finish_if_done(state, now, effects)
}

/// Once nothing is waiting or out: the summary, the marks of the tokens done dropped, the list read
/// again once (not once per token).
fn finish_if_done(state: &mut State, now: DateTime<Utc>, mut effects: Vec<Effect>) -> Step {
    let Some(run) = state.bulk.as_mut() else {
        return effects.into();
    };
    if !run.is_finished() || run.finished_at.is_some() {
        return effects.into();
    }
    run.finished_at = Some(now);
    let c = run.counts();
    let mut words = format!(
        "Bulk {}: {} done, {} failed",
        run.action.name(),
        c.done,
        c.failed
    );
    if c.lost > 0 {
        words.push_str(&format!(", {} without an answer (not sent again)", c.lost));
    }
    if c.not_sent > 0 {
        words.push_str(&format!(", {} not sent", c.not_sent));
    }
    if !run.secrets.is_empty() {
        words.push_str(&format!(
            "; {} new secret{} to copy or save",
            run.secrets.len(),
            if run.secrets.len() == 1 { "" } else { "s" }
        ));
    }
    let done: Vec<TokenId> = run
        .targets
        .iter()
        .zip(&run.states)
        .filter(|(_, s)| matches!(s, ItemState::Done(_)))
        .map(|(t, _)| t.token)
        .collect();
    let level = if c.failed + c.lost > 0 {
        Level::Warn
    } else {
        Level::Success
    };
    let undoable: Vec<UndoableEdit> = run
        .states
        .iter()
        .enumerate()
        .filter(|(_, s)| matches!(s, ItemState::Done(_)))
        .filter_map(|(i, _)| run.edits.get(&i).cloned())
        .collect();
    match run.action {
        BulkAction::Permission { .. } if !undoable.is_empty() => {
            let key = super::writes::undo_key(state);
            words.push_str(&format!(" ({key} undoes it)"));
            state.requests.last_edit = None;
            state.requests.last_bulk_edit = Some(undoable);
        }
        BulkAction::Permission { .. } | BulkAction::Restore => {
            state.requests.last_bulk_edit = None;
        }
        _ => {}
    }
    for id in done {
        state.marks.unmark(id);
    }
    state.set_status_for(words, level, now, IMPORTANT_SECONDS);
    effects.extend(reload(state, now));
    effects.into()
}

/// A command from the run dialog.
pub(super) fn command(
    state: &mut State,
    command: RunCommand,
    now: DateTime<Utc>,
) -> (Vec<Effect>, bool) {
    let Some(run) = state.bulk.as_mut() else {
        return (Vec::new(), true);
    };
    match command {
        RunCommand::Stop => {
            let left = run.stop("not sent: stopped with Esc");
            let sent = run.sent();
            state.set_status(
                format!("Stopped: {sent} sent, {left} not sent"),
                Level::Warn,
                now,
            );
            let effects = Vec::new();
            match finish_if_done(state, now, effects) {
                Step::Changed(effects) => (effects, false),
                Step::Ignored => (Vec::new(), false),
            }
        }
        RunCommand::Copy(i) => {
            let Some(secret) = run.secrets.get(i) else {
                return (Vec::new(), false);
            };
            state.overlays.copy_for = Some(secret.token.id);
            (
                vec![Effect::CopyToClipboard {
                    text: secret.secret.clone(),
                    content: Content::Secret,
                }],
                false,
            )
        }
        RunCommand::SaveAll => {
            let file = format!(
                "bulk-reset-{}-{}.tokens",
                run.account,
                run.started_at.format("%Y%m%dT%H%M%SZ")
            );
            let path = state.session.save_dir.dir.join(file);
            const HEADER: &str = "# New secrets from a bulk reset by mailtrap-tokens; one per line: token id, name, secret (tab-separated)\n";
            let lines: Vec<(String, &str)> = run
                .secrets
                .iter()
                .map(|s| {
                    let name =
                        crate::text::sanitize(&s.token.name.replace(['\t', '\n', '\r'], " "));
                    (
                        format!("{}\t{name}\t", s.token.id),
                        s.secret.expose_secret(),
                    )
                })
                .collect();
            // Sized once: a string that grows leaves copies of the secrets behind in the memory it
            // gave up.
            let size = HEADER.len()
                + lines
                    .iter()
                    .map(|(head, s)| head.len() + s.len() + 1)
                    .sum::<usize>();
            let mut content = String::with_capacity(size);
            content.push_str(HEADER);
            for (head, secret) in &lines {
                content.push_str(head);
                content.push_str(secret);
                content.push('\n');
            }
            // The file ends with the newline every saved secret gets.
            content.pop();
            let secret = Secret::new(content);
            run.saving = true;
            (vec![Effect::SaveSecret { path, secret }], false)
        }
        RunCommand::Close => {
            state.bulk = None;
            (Vec::new(), true)
        }
    }
}

/// What the run dialog needs to know to answer a key.
pub(super) fn facts(state: &State) -> RunFacts {
    match &state.bulk {
        Some(run) => RunFacts {
            finished: run.is_finished(),
            secrets: run.secrets.len(),
            unacknowledged: run.unacknowledged_secrets(),
            save_in_work_tree: state.session.save_dir.work_tree.is_some(),
        },
        None => RunFacts {
            finished: true,
            secrets: 0,
            unacknowledged: 0,
            save_in_work_tree: false,
        },
    }
}

/// The clipboard took (or did not take) one of the run's secrets.
pub(super) fn copied(state: &mut State, token: TokenId, confirmed: bool) {
    if let Some(run) = state.bulk.as_mut()
        && let Some(s) = run.secrets.iter_mut().find(|s| s.token.id == token)
        && confirmed
    {
        s.copied = true;
    }
}

/// The file with every secret of the run was written (or not).
pub(super) fn saved(state: &mut State, result: &Result<std::path::PathBuf, String>) -> bool {
    let Some(run) = state.bulk.as_mut().filter(|run| run.saving) else {
        return false;
    };
    run.saving = false;
    if result.is_ok() {
        for s in &mut run.secrets {
            s.saved = true;
        }
    }
    true
}
