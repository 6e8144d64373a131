//! `update`: the only place the console's state changes. Pure: no I/O, no clock of its own (`now` is passed
//! in); what must happen outside comes back as `Effect`s.

use chrono::{DateTime, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use crate::api::AccountChoice;
use crate::api::ApiError;

use super::effect::Effect;
use super::msg::Msg;
use super::state::{Level, Overlay, Phase, State};
use crate::keys::action::Action;

mod actions;
mod answers;
mod overlays;

/// The effects that open the console: find the account (then the tokens follow).
pub fn start(state: &mut State, now: DateTime<Utc>) -> Vec<Effect> {
    resolve_account(state, now)
}

pub fn update(state: &mut State, msg: Msg, now: DateTime<Utc>) -> Vec<Effect> {
    let face = state.overlay_face();
    let effects = dispatch(state, msg, now);
    // A dialog that opened or changed its question has not been seen yet: keys already on their way
    // (typed or pasted ahead) must not answer it.
    if state.overlay_face() != face {
        state.overlay_drawn = false;
    }
    effects
}

fn dispatch(state: &mut State, msg: Msg, now: DateTime<Utc>) -> Vec<Effect> {
    match msg {
        Msg::Key(key) => {
            // A key pressed looking at the current state: whatever dialog is open has been seen.
            state.overlay_drawn = true;
            on_key(state, key, now)
        }
        Msg::TerminalKey(key) => {
            // Fast typing into a name field is text; only keys that could answer are held back.
            let text = state.overlay_takes_text()
                && matches!(key.code, KeyCode::Char(_))
                && !key
                    .modifiers
                    .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
            if state.overlay.is_some()
                && !state.overlay_drawn
                && !text
                && key.kind == KeyEventKind::Press
            {
                state.set_status(
                    "Ignored a key that came with others in one burst (a paste, or typed before this dialog showed)",
                    Level::Warn,
                    now,
                );
                state.needs_redraw = true;
                return Vec::new();
            }
            on_key(state, key, now)
        }
        Msg::Tick(_) => on_tick(state, now),
        Msg::Resize(..) => {
            state.needs_redraw = true;
            Vec::new()
        }
        Msg::Paste(text) => on_paste(state, &text, now),
        Msg::AccountResolved { req, result } => on_account(state, req, result, now),
        Msg::TokensLoaded { req, result } => {
            if !state.tokens.accepts(req) {
                return Vec::new(); // stale: a newer request is in flight
            }
            state.needs_redraw = true;
            match result {
                Ok(list) => {
                    let unreadable = list.unreadable.len();
                    let before = state.rows.iter().filter(|r| r.unreadable.is_some()).count();
                    state.set_token_list(list);
                    if unreadable > 0 && unreadable != before {
                        // Said when their number changes: the rows alone are easy to miss among 10,000.
                        let text = if unreadable == 1 {
                            "1 token could not be read; its row says why".to_string()
                        } else {
                            format!("{unreadable} tokens could not be read; their rows say why")
                        };
                        state.set_status(text, Level::Warn, now);
                    }
                    state.tokens.finish(Ok(()), now);
                    answers::settle_lost_writes(state, now);
                }
                Err(e) => {
                    if !state.lost_writes.is_empty() {
                        let words = format!(
                            "No answer came to a change, and the list could not be read again ({e}): \
                             check the list before trying again"
                        );
                        state.set_status_for(
                            words.clone(),
                            Level::Error,
                            now,
                            answers::IMPORTANT_SECONDS,
                        );
                        let noticed = matches!(state.overlay, Some(Overlay::Notice { .. }))
                            || !state.queued_notices.is_empty();
                        if !noticed {
                            let words = crate::text::sanitize(&words);
                            answers::open_notice(state, "No answer came", vec![words]);
                        }
                    } else if state.has_tokens() {
                        state.set_status(format!("Refresh failed: {e}"), Level::Error, now);
                    }
                    tracing::warn!(error = %e, "loading tokens failed");
                    state.tokens.finish(Err(e), now);
                }
            }
            Vec::new()
        }
        Msg::ResourceTreeLoaded { req, result } => {
            if !state.tree.accepts(req) {
                return Vec::new();
            }
            state.needs_redraw = true;
            match result {
                Ok(tree) => {
                    state.set_resource_tree(&tree);
                    state.tree.finish(Ok(()), now);
                    actions::open_waiting_for_tree(state, now);
                }
                Err(e) => {
                    // Names are a nicety: the table still shows ids without them.
                    tracing::warn!(error = %e, "loading the resource tree failed");
                    if state.waiting_for_tree.take().is_some() {
                        state.set_status(
                            format!("Could not load the permissions tree: {e}"),
                            Level::Error,
                            now,
                        );
                    }
                    state.tree.finish(Err(e), now);
                }
            }
            Vec::new()
        }
        Msg::Scroll(lines) => on_scroll(state, lines),
        Msg::Click { row, .. } => on_click(state, row),
        Msg::TokenReset { req, token, result } => answers::reset(state, req, token, result, now),
        Msg::TokenDeleted { req, token, result } => {
            answers::deleted(state, req, token, result, now)
        }
        Msg::TokenCreated { req, result } => answers::created(state, req, result, now),
        Msg::PermissionsUpdated { req, token, result } => {
            answers::permissions(state, req, token, result, now)
        }
        Msg::SecretVerified { req, result } => answers::verified(state, req, result, now),
        Msg::Copied(outcome) => answers::copied(state, &outcome, now),
        Msg::SecretSaved(result) => answers::saved(state, result, now),
        Msg::Retrying { reason, wait_ms } => {
            let seconds = wait_ms.div_ceil(1000).max(1);
            state.set_status(
                format!(
                    "Waiting {seconds} s before asking again: {}",
                    crate::text::sanitize(&reason)
                ),
                Level::Warn,
                now,
            );
            Vec::new()
        }
        Msg::RateRemaining(left) => {
            if state.rate_remaining != left {
                state.rate_remaining = left;
                state.needs_redraw = true;
            }
            Vec::new()
        }
    }
}

pub(super) fn resolve_account(state: &mut State, now: DateTime<Utc>) -> Vec<Effect> {
    let req = state.next_request_id();
    state.accounts.start(req, now);
    state.phase = Phase::Connecting;
    state.needs_redraw = true;
    vec![Effect::ResolveAccount {
        req,
        wanted: state.wanted_account,
    }]
}

fn on_account(
    state: &mut State,
    req: u64,
    result: Result<AccountChoice, ApiError>,
    now: DateTime<Utc>,
) -> Vec<Effect> {
    if !state.accounts.accepts(req) {
        return Vec::new();
    }
    state.needs_redraw = true;
    match result {
        Ok(AccountChoice::Chosen(account)) => {
            state.accounts.finish(Ok(()), now);
            state.caller_is_viewer = is_viewer(&account);
            state.phase = Phase::Ready(account);
            load_all(state, now)
        }
        Ok(AccountChoice::Ambiguous(accounts)) => {
            state.accounts.finish(Ok(()), now);
            state.phase = Phase::PickAccount {
                accounts,
                cursor: 0,
            };
            Vec::new()
        }
        Err(e) => {
            state.accounts.finish(Err(e), now);
            Vec::new()
        }
    }
}

/// Asks for the tokens (a newer request makes any older answer stale) and, if it is missing, the tree.
pub(super) fn load_all(state: &mut State, now: DateTime<Utc>) -> Vec<Effect> {
    let Some(account) = state.account().map(|a| a.id) else {
        return resolve_account(state, now);
    };
    let mut effects = Vec::new();
    let req = state.next_request_id();
    state.tokens.start(req, now);
    effects.push(Effect::LoadTokens { req, account });
    if state.tree.last_success.is_none() && state.tree.in_flight.is_none() {
        let req = state.next_request_id();
        state.tree.start(req, now);
        effects.push(Effect::LoadResourceTree { req, account });
    }
    state.needs_redraw = true;
    effects
}

/// The account says what the console's token may do there: below admin everywhere, it is a viewer.
fn is_viewer(account: &crate::api::Account) -> bool {
    !account.access_levels.is_empty() && account.access_levels.iter().all(|l| !l.is_admin())
}

fn on_scroll(state: &mut State, lines: i32) -> Vec<Effect> {
    state.needs_redraw = true;
    match &mut state.overlay {
        Some(Overlay::Help { scroll }) => {
            let by = u16::try_from(lines.unsigned_abs()).unwrap_or(u16::MAX);
            *scroll = if lines < 0 {
                scroll.saturating_sub(by)
            } else {
                scroll.saturating_add(by)
            };
        }
        Some(_) => state.needs_redraw = false,
        None => {
            let by = usize::try_from(lines.unsigned_abs()).unwrap_or(usize::MAX);
            let cursor = state.cursor();
            let target = if lines < 0 {
                cursor.saturating_sub(by)
            } else {
                cursor.saturating_add(by)
            };
            state.select_position(target);
        }
    }
    Vec::new()
}

fn on_click(state: &mut State, row: u16) -> Vec<Effect> {
    if state.overlay.is_some() || state.account().is_none() || !state.has_tokens() {
        return Vec::new();
    }
    let vp = state.viewport.get();
    if row < vp.top || usize::from(row - vp.top) >= vp.height {
        return Vec::new();
    }
    let pos = vp.offset + usize::from(row - vp.top);
    if pos < state.order().len() {
        state.select_position(pos);
        state.needs_redraw = true;
    }
    Vec::new()
}

fn on_tick(state: &mut State, now: DateTime<Utc>) -> Vec<Effect> {
    if let Some(Overlay::Form(form)) = &mut state.overlay {
        form.set_now(now);
    }
    if state.status.as_ref().is_some_and(|s| s.expires_at <= now) {
        state.status = None;
        state.needs_redraw = true;
    }
    if state.countdown_visible(now) {
        state.needs_redraw = true;
    }
    match state.auto_refresh_due() {
        Some(due) if due <= now => load_all(state, now),
        _ => Vec::new(),
    }
}

pub(super) fn is_ctrl(key: &KeyEvent, c: char) -> bool {
    key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char(c)
}

fn on_key(state: &mut State, key: KeyEvent, now: DateTime<Utc>) -> Vec<Effect> {
    // Releases and repeats never count: one press, one action.
    if key.kind != KeyEventKind::Press {
        return Vec::new();
    }
    state.needs_redraw = true;
    if is_ctrl(&key, 'z') {
        return vec![Effect::Suspend];
    }
    if state.overlay.is_some() {
        return overlays::on_overlay_key(state, key, now);
    }
    if state.filter_editing && on_filter_key(state, &key) {
        return Vec::new();
    }
    if let Phase::PickAccount { .. } = state.phase {
        return on_picker_key(state, key, now);
    }
    if is_ctrl(&key, 'c') {
        return actions::quit_or_ask(state);
    }
    if !state.filter_editing && key.code == KeyCode::Esc && !state.filter.is_empty() {
        state.filter.clear();
        state.refilter();
        return Vec::new();
    }
    match state.keymap.lookup(&key) {
        Some(action) => on_action(state, action, now),
        None => {
            state.needs_redraw = false;
            Vec::new()
        }
    }
}

/// The most characters the filter holds: more cannot narrow a list of token names any further.
pub const MAX_FILTER_CHARS: usize = 256;

/// A paste is text for the field that has focus, applied once, and never a key: it cannot press a
/// button, answer a question or start an action.
fn on_paste(state: &mut State, text: &str, now: DateTime<Utc>) -> Vec<Effect> {
    let clean = crate::text::sanitize(text);
    match &mut state.overlay {
        Some(Overlay::Confirm(dialog)) => dialog.handle_paste(&clean),
        Some(Overlay::Form(form)) => form.handle_paste(&clean),
        Some(Overlay::EditPermissions { dialog, .. }) => dialog.handle_paste(&clean),
        Some(_) => return Vec::new(),
        None if state.filter_editing => {
            let room = MAX_FILTER_CHARS.saturating_sub(state.filter.chars().count());
            let mut taken = clean.chars();
            state.filter.extend(taken.by_ref().take(room));
            if taken.next().is_some() {
                state.set_status(
                    format!("The filter holds at most {MAX_FILTER_CHARS} characters; the rest of the paste was left out"),
                    Level::Warn,
                    now,
                );
            }
            state.refilter();
        }
        None => return Vec::new(),
    }
    state.needs_redraw = true;
    Vec::new()
}

/// Keys while the filter is being typed; returns false for keys the table should still get (movement).
fn on_filter_key(state: &mut State, key: &KeyEvent) -> bool {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    match key.code {
        KeyCode::Enter => state.filter_editing = false,
        KeyCode::Esc => {
            state.filter_editing = false;
            state.filter.clear();
            state.refilter();
        }
        KeyCode::Char('c') if ctrl => {
            // Ctrl-C closes the filter first; a second one quits.
            state.filter_editing = false;
            state.filter.clear();
            state.refilter();
        }
        KeyCode::Char('u') if ctrl => {
            state.filter.clear();
            state.refilter();
        }
        KeyCode::Backspace => {
            state.filter.pop();
            state.refilter();
        }
        // Past the cap a key (or an unbracketed paste arriving as keys) costs nothing.
        KeyCode::Char(c)
            if !ctrl
                && !key.modifiers.contains(KeyModifiers::ALT)
                && state.filter.chars().count() < MAX_FILTER_CHARS =>
        {
            state.filter.push(c);
            state.refilter();
        }
        KeyCode::Up | KeyCode::Down | KeyCode::PageUp | KeyCode::PageDown => return false,
        _ => {}
    }
    true
}

fn on_picker_key(state: &mut State, key: KeyEvent, now: DateTime<Utc>) -> Vec<Effect> {
    if is_ctrl(&key, 'c') {
        return vec![Effect::Quit];
    }
    let action = state.keymap.lookup(&key);
    let Phase::PickAccount { accounts, cursor } = &mut state.phase else {
        return Vec::new();
    };
    let last = accounts.len().saturating_sub(1);
    match (key.code, action) {
        (_, Some(Action::Quit)) => return vec![Effect::Quit],
        (KeyCode::Enter, _) | (_, Some(Action::OpenMenu)) => {
            if let Some(account) = accounts.get(*cursor).cloned() {
                state.caller_is_viewer = is_viewer(&account);
                state.phase = Phase::Ready(account);
                return load_all(state, now);
            }
        }
        (_, Some(Action::MoveDown)) => *cursor = (*cursor + 1).min(last),
        (_, Some(Action::MoveUp)) => *cursor = cursor.saturating_sub(1),
        (_, Some(Action::Top)) => *cursor = 0,
        (_, Some(Action::Bottom)) => *cursor = last,
        (_, Some(Action::Help)) => state.overlay = Some(Overlay::Help { scroll: 0 }),
        _ => state.needs_redraw = false,
    }
    Vec::new()
}

fn on_action(state: &mut State, action: Action, now: DateTime<Utc>) -> Vec<Effect> {
    let page = state.viewport.get().height.max(1);
    let cursor = state.cursor();
    match action {
        Action::Quit => return actions::quit_or_ask(state),
        Action::Help => state.overlay = Some(Overlay::Help { scroll: 0 }),
        Action::Refresh => {
            if state.account().is_none() {
                return resolve_account(state, now);
            }
            state.set_status("Refreshing…", Level::Info, now);
            return load_all(state, now);
        }
        Action::MoveUp => state.select_position(cursor.saturating_sub(1)),
        Action::MoveDown => state.select_position(cursor + 1),
        Action::PageUp => state.select_position(cursor.saturating_sub(page)),
        Action::PageDown => state.select_position(cursor + page),
        Action::Top => state.select_position(0),
        Action::Bottom => state.select_position(usize::MAX),
        Action::Filter => {
            if state.has_tokens() {
                state.filter_editing = true;
            }
        }
        Action::SortNext => {
            state.sort.column = state.sort.column.next();
            state.sort.descending = false;
            state.resort();
        }
        Action::SortReverse => {
            state.sort.descending = !state.sort.descending;
            state.resort();
        }
        Action::OpenMenu
        | Action::Copy
        | Action::Reset
        | Action::EditPermissions
        | Action::Delete
        | Action::Clone
        | Action::NewToken => return actions::row_action(state, action, now),
    }
    Vec::new()
}
