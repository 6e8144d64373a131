//! The shown view's own keys (the token table's, or a derived view's): moving, paging, filtering,
//! sorting, the wheel and clicks.

use chrono::{DateTime, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::super::state::{Level, MAX_FILTER_CHARS, State};
use super::step::Step;
use crate::keys::action::Action;

pub(super) fn action(state: &mut State, action: Action, now: DateTime<Utc>) -> Step {
    let has_tokens = state.requests.has_tokens();
    if state.views.details_cover && matches!(action, Action::PageUp | Action::PageDown) {
        let by: i32 = if action == Action::PageUp { -10 } else { 10 };
        return scroll_details(state, by);
    }
    let view = state.browsed_mut();
    let page = isize::try_from(view.viewport().height.max(1)).unwrap_or(isize::MAX);
    match action {
        Action::MoveUp => view.move_by(-1),
        Action::MoveDown => view.move_by(1),
        Action::PageUp => view.move_by(-page),
        Action::PageDown => view.move_by(page),
        Action::Top => view.select_position(0),
        Action::Bottom => view.select_position(usize::MAX),
        Action::Filter => {
            if has_tokens {
                view.set_filter_editing(true);
            }
        }
        Action::SortNext | Action::SortReverse => {
            let sorted = match action {
                Action::SortNext => view.sort_next(),
                _ => view.sort_reverse(),
            };
            if !sorted {
                let what = state.views.active.title();
                state.set_status(
                    format!("The {what} view keeps its order: soonest first"),
                    Level::Info,
                    now,
                );
            }
        }
        _ => return Step::Ignored,
    }
    Step::done()
}

/// Keys while the filter is being typed; returns false for keys the table should still get (movement).
pub(super) fn filter_key(state: &mut State, key: &KeyEvent) -> bool {
    let view = state.browsed_mut();
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    match key.code {
        KeyCode::Enter => view.set_filter_editing(false),
        // Ctrl-C closes the filter first; a second one quits.
        KeyCode::Esc => {
            view.set_filter_editing(false);
            view.edit_filter(&mut |f| f.clear());
        }
        KeyCode::Char('c') if ctrl => {
            view.set_filter_editing(false);
            view.edit_filter(&mut |f| f.clear());
        }
        KeyCode::Char('u') if ctrl => view.edit_filter(&mut |f| f.clear()),
        KeyCode::Backspace => view.edit_filter(&mut |f| {
            f.pop();
        }),
        // Past the cap a key (or an unbracketed paste arriving as keys) costs nothing.
        KeyCode::Char(c)
            if !ctrl
                && !key.modifiers.contains(KeyModifiers::ALT)
                && view.filter().chars().count() < MAX_FILTER_CHARS =>
        {
            view.edit_filter(&mut |f| f.push_raw(c.encode_utf8(&mut [0; 4])));
        }
        KeyCode::Up | KeyCode::Down | KeyCode::PageUp | KeyCode::PageDown => return false,
        _ => {}
    }
    true
}

/// A paste is text for the filter while it is being typed, applied once, and never a key.
pub(super) fn paste(state: &mut State, clean: &str, now: DateTime<Utc>) -> Step {
    let view = state.browsed_mut();
    if !view.filter_editing() {
        return Step::Ignored;
    }
    let room = MAX_FILTER_CHARS.saturating_sub(view.filter().chars().count());
    let whole = clean.chars().count() <= room;
    view.edit_filter(&mut |f| f.push_raw(&clean.chars().take(room).collect::<String>()));
    if !whole {
        state.set_status(
            format!("The filter holds at most {MAX_FILTER_CHARS} characters; the rest of the paste was left out"),
            Level::Warn,
            now,
        );
    }
    Step::done()
}

fn scroll_details(state: &mut State, by: i32) -> Step {
    let scroll = &mut state.views.details_scroll;
    *scroll = u16::try_from((i32::from(*scroll) + by).max(0)).unwrap_or(u16::MAX);
    Step::done()
}

pub(super) fn scroll(state: &mut State, lines: i32) -> Step {
    if state.views.details_cover {
        return scroll_details(state, lines);
    }
    let by = isize::try_from(lines).unwrap_or(if lines < 0 { isize::MIN } else { isize::MAX });
    state.browsed_mut().move_by(by);
    Step::done()
}

pub(super) fn click(state: &mut State, row: u16) -> Step {
    if state.overlays.is_open() || !state.table_shown() {
        return Step::Ignored;
    }
    let view = state.browsed_mut();
    let vp = view.viewport();
    if row < vp.top || usize::from(row - vp.top) >= vp.height {
        return Step::Ignored;
    }
    let pos = vp.offset + usize::from(row - vp.top);
    if pos >= view.visible_len() {
        return Step::Ignored;
    }
    view.select_position(pos);
    Step::done()
}
