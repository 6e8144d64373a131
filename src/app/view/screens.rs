//! Whole-area screens instead of the table: loading, failures (with what to do), the account picker and
//! "terminal too small".

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::config::Theme;

use super::super::state::{Failure, State};
use crate::keys::action::Action;

/// A block of lines centred vertically in `area`.
fn centered(lines: Vec<Line<'static>>, frame: &mut Frame, area: Rect) {
    let height = u16::try_from(lines.len())
        .unwrap_or(u16::MAX)
        .min(area.height);
    let [_, middle, _] = Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(height),
        Constraint::Fill(1),
    ])
    .areas(area);
    frame.render_widget(
        Paragraph::new(lines)
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true }),
        middle,
    );
}

/// The smallest terminal the table fits in; anything smaller gets the "too small" screen.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 10;

/// Whether a terminal of this size shows the table and its dialogs (else the "too small" screen).
pub fn overlays_fit(width: u16, height: u16) -> bool {
    width >= MIN_WIDTH && height >= MIN_HEIGHT
}

pub fn too_small(frame: &mut Frame, area: Rect, theme: &Theme) {
    let lines = vec![
        Line::styled("terminal too small", theme.warn),
        Line::styled(
            format!(
                "(need {MIN_WIDTH}×{MIN_HEIGHT}, have {}×{})",
                area.width, area.height
            ),
            theme.dim,
        ),
    ];
    frame.render_widget(
        Paragraph::new(lines)
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true }),
        area,
    );
}

pub fn loading(theme: &Theme, frame: &mut Frame, area: Rect) {
    centered(
        vec![Line::styled("Loading tokens…", theme.dim)],
        frame,
        area,
    );
}

/// A failure, said plainly, with what the operator can do about it.
pub fn error(state: &State, failure: &Failure, theme: &Theme, frame: &mut Frame, area: Rect) {
    let retry = state.session.keymap.label(Action::Refresh);
    let quit = state.session.keymap.label(Action::Quit);
    let lines = vec![
        Line::styled(format!("✖ {}", failure.headline), theme.danger),
        Line::raw(""),
        Line::styled(failure.detail_line(&state.session.api_url), theme.text),
        Line::styled(failure.error.advice().to_string(), theme.dim),
        Line::raw(""),
        Line::from(vec![
            Span::styled(retry.into_string(), theme.key),
            Span::styled(" retry   ", theme.dim),
            Span::styled(quit.into_string(), theme.key),
            Span::styled(" quit", theme.dim),
        ]),
    ];
    centered(lines, frame, area);
}
