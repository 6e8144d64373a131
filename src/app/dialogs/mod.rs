//! The console's dialogs, one file each. Every dialog is a plain value that knows nothing of the
//! console's state: it is built from data, takes key events (`handle_key(&KeyEvent) -> Outcome<T>`),
//! draws itself centred over the area it is given (`render(area, buf, theme)`), names its own keys for
//! the hint bar (`hints()`), and reports what the user chose as a value. None of them performs I/O or
//! sends a request. The yes/no questions share one widget (`yes_no.rs`).
//!
//! Conventions shared by all dialogs:
//! - Only key presses count; releases and repeats are ignored.
//! - Ctrl-C closes the dialog (`Outcome::Closed`), like Esc on its first screen. The secret dialog is the
//!   one exception: with a secret not yet copied or saved, Ctrl-C asks first, as Esc does.
//! - A value is emitted once per user decision; the owner closes the dialog (drops it) when it is done.

pub mod accounts;
pub mod bulk_permission;
pub mod bulk_preview;
pub mod bulk_run;
pub mod confirm;
pub mod confirm_buttons;
pub mod confirm_delete;
pub mod confirm_reset;
pub mod confirm_typed_name;
pub mod confirm_undo;
pub mod copy_alternatives;
pub mod destructive;
pub mod drift;
pub mod edit_permissions;
pub mod help;
pub mod menu;
pub mod notice;
pub mod permission_matrix;
pub mod places;
pub mod quit;
pub mod secret;
pub mod text_input;
pub mod token_form;
pub mod yes_no;

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Widget};

use crate::config::Theme;
use crate::text::SafeText;

pub use accounts::{AccountEntry, AccountsDialog};
pub use confirm::{ConfirmDialog, ConfirmOutcome, Confirmed};
pub use copy_alternatives::{CopyAlternatives, CopyChoice};
pub use destructive::Destructive;
pub use drift::DriftDialog;
pub use edit_permissions::EditPermissionsDialog;
pub use help::HelpDialog;
pub use menu::{ActionMenu, MenuChoice};
pub use notice::NoticeDialog;
pub use permission_matrix::PermissionMatrix;
pub use places::PlacesDialog;
pub use quit::QuitDialog;
pub use secret::{SecretCommand, SecretDialog, SecretOrigin};
pub use token_form::{FormMode, TokenForm};

/// What a key did to a dialog.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome<T> {
    /// The key was used; the dialog stays open.
    Continue,
    /// The key meant nothing to the dialog: nothing changed, nothing to draw.
    Ignored,
    /// The dialog produced a value. It stays open until its owner drops it (e.g. while a request runs).
    Emit(T),
    /// The user closed or cancelled the dialog; drop it.
    Closed,
}

impl<T> Outcome<T> {
    pub fn is_closed(&self) -> bool {
        matches!(self, Outcome::Closed)
    }
}

/// (keys, what they do) pairs for the hint bar.
pub type Hints = Vec<(SafeText, SafeText)>;

pub(crate) fn hints(pairs: &[(&'static str, &'static str)]) -> Hints {
    pairs
        .iter()
        .map(|(k, w)| (SafeText::literal(k), SafeText::literal(w)))
        .collect()
}

/// A press (not a release or a repeat).
pub(crate) fn is_press(key: &KeyEvent) -> bool {
    key.kind == KeyEventKind::Press
}

pub(crate) fn is_ctrl_c(key: &KeyEvent) -> bool {
    key.modifiers.contains(KeyModifiers::CONTROL)
        && matches!(key.code, KeyCode::Char('c') | KeyCode::Char('C'))
}

/// A plain character without Ctrl or Alt (Shift is part of the character).
pub(crate) fn plain_char(key: &KeyEvent) -> Option<char> {
    match key.code {
        KeyCode::Char(c)
            if !key
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
        {
            Some(c)
        }
        _ => None,
    }
}

/// A `width`×`height` rectangle centred in `area`, clipped to it.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

/// Clears `rect` and draws the dialog frame with its title; returns the inner area.
pub(crate) fn frame(rect: Rect, buf: &mut Buffer, theme: &Theme, title: &str) -> Rect {
    Clear.render(rect, buf);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Rounded)
        .border_style(theme.border)
        .title(Span::styled(format!(" {title} "), theme.title));
    let inner = block.inner(rect);
    block.render(rect, buf);
    inner
}

/// A row of buttons, `[ Cancel ]  [ Reset ]`, the focused one in `button_focused` (reversed), disabled
/// ones in `disabled`.
pub(crate) fn buttons_line<'a>(
    labels: &[&'a str],
    focused: usize,
    disabled: &[bool],
    theme: &Theme,
) -> Line<'a> {
    let mut spans = Vec::new();
    for (i, label) in labels.iter().enumerate() {
        if i > 0 {
            spans.push(Span::raw("  "));
        }
        let style = if disabled.get(i).copied().unwrap_or(false) {
            theme.disabled
        } else if i == focused {
            theme.button_focused
        } else {
            theme.button
        };
        spans.push(Span::styled(format!("[ {label} ]"), style));
    }
    Line::from(spans).centered()
}

/// Word-wraps plain text to `width` columns (by display width), for dialog bodies.
pub(crate) fn wrap(text: &str, width: u16) -> Vec<String> {
    use unicode_width::UnicodeWidthStr;
    let width = usize::from(width.max(1));
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if candidate.width() <= width || line.is_empty() {
            line = candidate;
        } else {
            lines.push(std::mem::take(&mut line));
            line = word.to_string();
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// Draws `lines` into `area`, one per row, clipped.
/// Draws `lines` inside a dialog's frame, a cell in from each side.
pub(crate) fn draw_inset(inner: Rect, buf: &mut Buffer, lines: &[Line<'_>]) {
    draw_lines(
        Rect {
            x: inner.x + 1.min(inner.width),
            width: inner.width.saturating_sub(2),
            ..inner
        },
        buf,
        lines,
    );
}

pub(crate) fn draw_lines(area: Rect, buf: &mut Buffer, lines: &[Line<'_>]) {
    for (i, line) in lines.iter().enumerate() {
        let Ok(dy) = u16::try_from(i) else { break };
        if dy >= area.height {
            break;
        }
        let row = Rect {
            x: area.x,
            y: area.y + dy,
            width: area.width,
            height: 1,
        };
        line.clone().render(row, buf);
    }
}

/// Draws `lines` in a frame `width` columns wide and as tall as they need, centred in `area`, with
/// `margin` blank columns inside each side; returns the frame's rectangle.
pub(crate) fn boxed(
    area: Rect,
    buf: &mut Buffer,
    theme: &Theme,
    title: &str,
    width: u16,
    margin: u16,
    lines: &[Line<'_>],
) -> Rect {
    let height = u16::try_from(lines.len())
        .unwrap_or(u16::MAX)
        .saturating_add(2);
    let rect = centered(area, width, height);
    let inner = frame(rect, buf, theme, title);
    draw_lines(
        Rect {
            x: inner.x + margin.min(inner.width),
            width: inner.width.saturating_sub(2 * margin),
            ..inner
        },
        buf,
        lines,
    );
    rect
}

/// A scroll position moved by the mouse wheel's `lines` (negative is up).
pub(crate) fn scrolled(scroll: u16, lines: i32) -> u16 {
    let by = u16::try_from(lines.unsigned_abs()).unwrap_or(u16::MAX);
    if lines < 0 {
        scroll.saturating_sub(by)
    } else {
        scroll.saturating_add(by)
    }
}

/// Moves a scrolled dialog's first line by the movement `action` (one line, ten, or the top); `false`
/// for any other action.
pub(crate) fn scroll_by_action(
    scroll: &mut u16,
    action: Option<crate::keys::action::Action>,
) -> bool {
    use crate::keys::action::Action;
    *scroll = match action {
        Some(Action::MoveDown) => scroll.saturating_add(1),
        Some(Action::MoveUp) => scroll.saturating_sub(1),
        Some(Action::PageDown) => scroll.saturating_add(10),
        Some(Action::PageUp) => scroll.saturating_sub(10),
        Some(Action::Top) => 0,
        _ => return false,
    };
    true
}

/// The hints of a dialog that only scrolls and closes.
pub(crate) fn scroll_hints(keymap: &crate::keys::keymap::Keymap) -> Hints {
    use crate::keys::action::Action;
    let scroll = SafeText::joined(
        &[keymap.label(Action::MoveUp), keymap.label(Action::MoveDown)],
        "/",
    );
    vec![
        (SafeText::literal("Esc"), SafeText::literal("close")),
        (scroll, SafeText::literal("scroll")),
    ]
}

/// A one-line hint of keys, dim.
pub(crate) fn hint_line(text: &str, theme: &Theme) -> Line<'static> {
    Line::from(Span::styled(text.to_string(), theme.dim)).centered()
}

pub(crate) fn styled(text: impl Into<String>, style: Style) -> Span<'static> {
    Span::styled(text.into(), style)
}
