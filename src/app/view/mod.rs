//! The view: pure functions of the state, the injected clock and the theme. The only thing written back is
//! the table's scroll position (`State::viewport`), as ratatui's `TableState` would be.

mod bars;
mod help;
mod screens;
mod table;

use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};

use crate::config::Theme;

use super::state::{Overlay, Phase, State};

/// The smallest terminal the table fits in; anything smaller gets the "too small" screen.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 10;

pub fn render(state: &State, now: DateTime<Utc>, theme: &Theme, frame: &mut Frame) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        screens::too_small(frame, area, theme);
        return;
    }
    let [title, main, status, hints] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    bars::title_bar(state, theme, frame, title);
    render_main(state, now, theme, frame, main);
    bars::status_line(state, now, theme, frame, status);
    bars::hint_bar(state, theme, frame, hints);
    if let Some(overlay) = &state.overlay {
        match overlay {
            Overlay::Help { scroll } => help::render(state, *scroll, theme, frame, main),
        }
    }
}

fn render_main(state: &State, now: DateTime<Utc>, theme: &Theme, frame: &mut Frame, area: Rect) {
    match &state.phase {
        Phase::Connecting => match state.accounts.error() {
            Some(e) => screens::error(state, e, theme, frame, area),
            None => screens::loading(theme, frame, area),
        },
        Phase::PickAccount { accounts, cursor } => {
            screens::account_picker(accounts, *cursor, theme, frame, area)
        }
        Phase::Ready(_) => {
            if state.has_tokens() {
                table::render(state, now, theme, frame, area);
            } else if let Some(e) = state.tokens.error() {
                screens::error(state, e, theme, frame, area);
            } else {
                screens::loading(theme, frame, area);
            }
        }
    }
}

/// The screen a load failure shows, or `None` while nothing failed (for `--dump-screen`'s exit code).
pub fn showing_error(state: &State) -> bool {
    match &state.phase {
        Phase::Connecting => state.accounts.error().is_some(),
        Phase::PickAccount { .. } => false,
        Phase::Ready(_) => !state.has_tokens() && state.tokens.error().is_some(),
    }
}
