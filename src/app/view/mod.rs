//! The view: pure functions of the state, the injected clock and the theme; nothing is written back while
//! drawing. Before each frame, `layout` fits the table's viewport to the screen (as ratatui's `TableState`
//! would during drawing), so `update` knows the page size and where a click lands.

mod bars;
mod bulk;
mod details;
mod domains;
mod findings;
mod help;
mod list;
mod screens;
mod table;
mod timeline;

use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};

use crate::config::Theme;

use super::state::{Overlay, Phase, State, ViewKind};

pub use screens::{MIN_HEIGHT, MIN_WIDTH, overlays_fit};

/// The screen's bars and main area: title, the drift banner (when it shows), main, status, hints.
fn areas(state: &State, area: Rect) -> [Rect; 5] {
    let banner = u16::from(state.drift.banner_shown() && state.table_shown());
    Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(banner),
        Constraint::Min(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area)
}

/// Where the shown view goes in the main area (`None`: the details cover it), and the details panel.
fn view_areas(state: &State, main: Rect) -> (Option<Rect>, Option<Rect>) {
    if state.views.details {
        let (view, panel) = details::split(main);
        (view, Some(panel))
    } else {
        (Some(main), None)
    }
}

/// Where the shown view's rows go within its area.
fn rows_area(view: ViewKind, area: Rect) -> Rect {
    match view {
        ViewKind::Tokens => table::rows_area(area),
        ViewKind::Domains => list::rows_area(domains::list_area(area)),
        ViewKind::Timeline => list::rows_area(timeline::list_area(area)),
        ViewKind::Findings => list::rows_area(area),
    }
}

/// Before the frame is drawn: makes what the shown view needs if the data changed (never per frame),
/// and fits its viewport to a screen of this size: the rows that fit, the first row's screen line, and
/// the scroll that keeps the selected row in view.
pub fn layout(state: &mut State, area: Rect, now: DateTime<Utc>, theme: &Theme) {
    if !overlays_fit(area.width, area.height) || !state.table_shown() {
        return;
    }
    state.fit_views(now);
    let [_, _, main, _, _] = areas(state, area);
    let (view, panel) = view_areas(state, main);
    state.views.details_cover = state.views.details && view.is_none();
    if let Some(panel) = panel {
        details::fit_lines(state, panel, now, theme);
    }
    // Covered by the details, the view still moves with the keys: it keeps the size it would have.
    let rows = rows_area(state.views.active, view.unwrap_or(main));
    let active = state.views.active;
    state
        .browsed_mut()
        .fit_viewport(rows.y, usize::from(rows.height));
    if active == ViewKind::Tokens {
        state.table.ensure_texts_on_screen();
    }
}

/// One frame: the layout step, then the drawing.
pub fn draw_frame(state: &mut State, now: DateTime<Utc>, theme: &Theme, frame: &mut Frame) {
    layout(state, frame.area(), now, theme);
    render(state, now, theme, frame);
}

/// Draws the state as `layout` left it.
pub fn render(state: &State, now: DateTime<Utc>, theme: &Theme, frame: &mut Frame) {
    let area = frame.area();
    if !overlays_fit(area.width, area.height) {
        screens::too_small(frame, area, theme);
        return;
    }
    let [title, banner, main, status, hints] = areas(state, area);
    bars::title_bar(state, now, theme, frame, title);
    if banner.height > 0 {
        bars::drift_banner(state, now, theme, frame, banner);
    }
    render_main(state, now, theme, frame, main);
    bars::status_line(state, now, theme, frame, status);
    bars::hint_bar(state, now, theme, frame, hints);
    if let Some(overlay) = &state.overlays.open {
        let buf = frame.buffer_mut();
        match overlay {
            Overlay::Help(help) => help::render(state, now, help.scroll, theme, frame, main),
            Overlay::Menu { menu, .. } => menu.render(main, buf, theme),
            Overlay::Confirm(dialog) => dialog.render(main, buf, theme),
            Overlay::Form(form) => form.render(main, buf, theme),
            Overlay::EditPermissions { dialog, .. } => dialog.render(main, buf, theme),
            Overlay::Secret(dialog) => dialog.render(main, buf, theme),
            Overlay::CopyAlternatives(dialog) => dialog.render(main, buf, theme),
            Overlay::QuitConfirm(question) => question.render(main, buf, theme),
            Overlay::Notice(notice) => notice.render(main, buf, theme),
            Overlay::Places(dialog) => dialog.render(main, buf, theme),
            Overlay::BulkPermission(dialog) => dialog.render(main, buf, theme),
            Overlay::BulkPreview(dialog) => dialog.render(main, buf, theme),
            Overlay::BulkRun(dialog) => bulk::render(state, dialog, theme, frame, main),
            Overlay::Drift(dialog) => dialog.render(main, buf, theme),
            Overlay::Accounts(dialog) => dialog.render(main, buf, theme),
        }
        blank_covered_wide_cells(frame.buffer_mut());
    }
}

/// A dialog drawn over the table can cover the right half of a wide character (CJK, emoji) while its left
/// half stays. A terminal would then draw the whole glyph over the dialog's border, and ratatui's diff,
/// which assumes a wide cell is followed by a blank one, would never repair it. Such half-covered glyphs
/// become a space. Only overlays cause it: the table itself truncates on grapheme and width boundaries.
fn blank_covered_wide_cells(buf: &mut ratatui::buffer::Buffer) {
    use unicode_width::UnicodeWidthStr;
    let area = buf.area;
    for y in area.top()..area.bottom() {
        let mut x = area.left();
        while x < area.right() {
            let width = buf[(x, y)].symbol().width() as u16;
            if width > 1 {
                let covered = (1..width)
                    .map(|dx| x.saturating_add(dx))
                    .filter(|cx| *cx < area.right())
                    .any(|cx| !matches!(buf[(cx, y)].symbol(), " " | ""));
                if covered {
                    buf[(x, y)].set_symbol(" ");
                    x = x.saturating_add(1);
                    continue;
                }
            }
            x = x.saturating_add(width.max(1));
        }
    }
}

fn render_main(state: &State, now: DateTime<Utc>, theme: &Theme, frame: &mut Frame, area: Rect) {
    match &state.session.phase {
        Phase::Connecting => match state.requests.accounts.failure() {
            Some(f) => screens::error(state, f, theme, frame, area),
            None => screens::loading(theme, frame, area),
        },
        Phase::Ready(_) | Phase::Inventory => {
            if state.requests.has_tokens() {
                let (view, panel) = view_areas(state, area);
                if let Some(view) = view {
                    match state.views.active {
                        ViewKind::Tokens => table::render(state, now, theme, frame, view),
                        ViewKind::Domains => domains::render(state, theme, frame, view),
                        ViewKind::Timeline => timeline::render(state, now, theme, frame, view),
                        ViewKind::Findings => findings::render(state, theme, frame, view),
                    }
                }
                if let Some(panel) = panel {
                    details::render(state, theme, frame, panel);
                }
            } else if let Some(f) = state.requests.tokens.failure() {
                screens::error(state, f, theme, frame, area);
            } else {
                screens::loading(theme, frame, area);
            }
        }
    }
}

/// The screen a load failure shows, or `None` while nothing failed (for `--dump-screen`'s exit code).
pub fn showing_error(state: &State) -> bool {
    let requests = &state.requests;
    match &state.session.phase {
        Phase::Connecting => requests.accounts.error().is_some(),
        Phase::Ready(_) | Phase::Inventory => {
            !requests.has_tokens() && requests.tokens.error().is_some()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::buffer::Buffer;

    #[test]
    fn a_wide_glyph_half_covered_by_a_dialog_becomes_a_space() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 6, 1));
        buf.set_string(0, 0, "トab", ratatui::style::Style::new());
        buf.set_string(1, 0, "│", ratatui::style::Style::new());
        blank_covered_wide_cells(&mut buf);
        assert_eq!(buf[(0, 0)].symbol(), " ");
        assert_eq!(buf[(1, 0)].symbol(), "│");
        let mut whole = Buffer::empty(Rect::new(0, 0, 6, 1));
        whole.set_string(0, 0, "トab", ratatui::style::Style::new());
        blank_covered_wide_cells(&mut whole);
        assert_eq!(whole[(0, 0)].symbol(), "ト", "an uncovered glyph stays");
    }
}
