//! The table's own keys: moving, paging, filtering, sorting, the wheel and clicks.

use chrono::{DateTime, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::super::state::{Level, MAX_FILTER_CHARS, State};
use super::step::Step;
use crate::keys::action::Action;

pub(super) fn action(state: &mut State, action: Action) -> Step {
    let table = &mut state.table;
    let page = isize::try_from(table.viewport.height.max(1)).unwrap_or(isize::MAX);
    match action {
        Action::MoveUp => table.move_by(-1),
        Action::MoveDown => table.move_by(1),
        Action::PageUp => table.move_by(-page),
        Action::PageDown => table.move_by(page),
        Action::Top => table.select_position(0),
        Action::Bottom => table.select_position(usize::MAX),
        Action::Filter => {
            if state.requests.has_tokens() {
                table.filter_editing = true;
            }
        }
        Action::SortNext => {
            table.sort.column = table.sort.column.next();
            table.sort.descending = false;
            table.resort();
        }
        Action::SortReverse => {
            table.sort.descending = !table.sort.descending;
            table.resort();
        }
        _ => return Step::Ignored,
    }
    Step::done()
}

/// Keys while the filter is being typed; returns false for keys the table should still get (movement).
pub(super) fn filter_key(state: &mut State, key: &KeyEvent) -> bool {
    let table = &mut state.table;
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    match key.code {
        KeyCode::Enter => table.filter_editing = false,
        // Ctrl-C closes the filter first; a second one quits.
        KeyCode::Esc => {
            table.filter_editing = false;
            table.clear_filter();
        }
        KeyCode::Char('c') if ctrl => {
            table.filter_editing = false;
            table.clear_filter();
        }
        KeyCode::Char('u') if ctrl => table.clear_filter(),
        KeyCode::Backspace => {
            table.filter.pop();
            table.refilter();
        }
        // Past the cap a key (or an unbracketed paste arriving as keys) costs nothing.
        KeyCode::Char(c)
            if !ctrl
                && !key.modifiers.contains(KeyModifiers::ALT)
                && table.filter.chars().count() < MAX_FILTER_CHARS =>
        {
            table.filter.push_raw(c.encode_utf8(&mut [0; 4]));
            table.refilter();
        }
        KeyCode::Up | KeyCode::Down | KeyCode::PageUp | KeyCode::PageDown => return false,
        _ => {}
    }
    true
}

/// A paste is text for the filter while it is being typed, applied once, and never a key.
pub(super) fn paste(state: &mut State, clean: &str, now: DateTime<Utc>) -> Step {
    if !state.table.filter_editing {
        return Step::Ignored;
    }
    if !state.table.extend_filter(clean) {
        state.set_status(
            format!("The filter holds at most {MAX_FILTER_CHARS} characters; the rest of the paste was left out"),
            Level::Warn,
            now,
        );
    }
    Step::done()
}

pub(super) fn scroll(state: &mut State, lines: i32) -> Step {
    let by = isize::try_from(lines).unwrap_or(if lines < 0 { isize::MIN } else { isize::MAX });
    state.table.move_by(by);
    Step::done()
}

pub(super) fn click(state: &mut State, row: u16) -> Step {
    if state.overlays.is_open() || !state.table_shown() {
        return Step::Ignored;
    }
    let vp = state.table.viewport;
    if row < vp.top || usize::from(row - vp.top) >= vp.height {
        return Step::Ignored;
    }
    let pos = vp.offset + usize::from(row - vp.top);
    if pos >= state.table.order().len() {
        return Step::Ignored;
    }
    state.table.select_position(pos);
    Step::done()
}
