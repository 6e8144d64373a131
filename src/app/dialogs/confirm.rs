//! The confirmation dialog for a [`Destructive`] action: a title naming the token, what will happen in
//! plain words, and `[ Cancel ]  [ Reset ]` buttons with Cancel first and focused. Tab/Shift-Tab/←/→
//! move, Enter presses, `y` confirms, `n`/Esc/Ctrl-C cancel. When the action needs the token's name
//! typed (the console's own token, or deleting an account-admin token), a field comes first and
//! Confirm stays disabled until the name matches; `y` and `n` are then ordinary letters.
//!
//! The dialog runs nothing: it emits `Outcome::Emit(Confirmed(action))` once, and never again, however
//! often Enter or `y` is pressed afterwards.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;

use super::confirm_buttons::{ButtonsKey, ConfirmButtons};
use super::destructive::Destructive;
use super::{Hints, hints};
use super::{Outcome, centered, draw_lines, frame, hint_line, is_ctrl_c, is_press, styled, wrap};
use super::{confirm_delete, confirm_reset, confirm_undo};
use crate::config::Theme;

/// The user confirmed this action; run it once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Confirmed(pub Destructive);

pub type ConfirmOutcome = Outcome<Confirmed>;

#[derive(Debug)]
pub struct ConfirmDialog {
    action: Destructive,
    /// The buttons' latch is what makes four `y` presses one request.
    buttons: ConfirmButtons,
}

impl ConfirmDialog {
    pub fn hints(&self) -> Hints {
        hints(&[
            ("y", "confirm"),
            ("n/Esc", "cancel"),
            ("Tab ←→", "move"),
            ("Enter", "press"),
        ])
    }

    pub fn new(action: Destructive) -> Self {
        let typed_name = action
            .needs_typed_name()
            .then(|| action.target().name.clone());
        Self {
            buttons: ConfirmButtons::new(typed_name.as_deref()),
            action,
        }
    }

    pub fn action(&self) -> &Destructive {
        &self.action
    }

    /// Confirmed has been emitted; the dialog now only waits to be closed.
    pub fn is_confirmed(&self) -> bool {
        self.buttons.has_fired()
    }

    /// The typed-name field has focus.
    pub fn typing_name(&self) -> bool {
        self.buttons.typing()
    }

    pub fn needs_typed_name(&self) -> bool {
        self.buttons.needs_typed_name()
    }

    /// Confirm is enabled: no name is needed, or it has been typed exactly.
    pub fn can_confirm(&self) -> bool {
        self.buttons.can_confirm()
    }

    /// Pasted text goes into the name field when there is one.
    pub fn handle_paste(&mut self, text: &str) {
        self.buttons.paste(text);
    }

    pub fn handle_key(&mut self, key: &KeyEvent) -> ConfirmOutcome {
        if !is_press(key) {
            return Outcome::Continue;
        }
        if is_ctrl_c(key) || key.code == KeyCode::Esc {
            return Outcome::Closed;
        }
        match self.buttons.handle_key(key) {
            ButtonsKey::Continue => Outcome::Continue,
            ButtonsKey::Cancel => Outcome::Closed,
            ButtonsKey::Confirm => Outcome::Emit(Confirmed(self.action.clone())),
        }
    }

    fn texts(&self) -> (String, Vec<String>, &'static str) {
        match &self.action {
            Destructive::Reset(t) => (
                confirm_reset::title(t),
                confirm_reset::body(t),
                confirm_reset::CONFIRM_LABEL,
            ),
            Destructive::Delete(t) => (
                confirm_delete::title(t),
                confirm_delete::body(t),
                confirm_delete::CONFIRM_LABEL,
            ),
            Destructive::EditPermissions { target, changes } => (
                format!("Save permissions of {} ({})?", target.name, target.last4),
                vec![format!(
                    "{} permission change{} will be saved and apply at once.",
                    changes.len(),
                    if changes.len() == 1 { "" } else { "s" }
                )],
                "Save",
            ),
            Destructive::UndoPermissions {
                target, restores, ..
            } => (
                confirm_undo::title(target),
                confirm_undo::body(restores),
                confirm_undo::CONFIRM_LABEL,
            ),
        }
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let (title, body, confirm_label) = self.texts();
        let width = 72.min(area.width);
        let text_width = width.saturating_sub(4);
        let mut lines: Vec<Line<'static>> = Vec::new();
        for paragraph in &body {
            for l in wrap(paragraph, text_width) {
                lines.push(Line::from(styled(l, theme.text)));
            }
        }
        lines.extend(self.buttons.lines(confirm_label, text_width, theme));
        let hint = if self.buttons.has_fired() {
            "sent — waiting for the server"
        } else if self.buttons.needs_typed_name() {
            "type the name · Tab moves · Enter presses · Esc cancels"
        } else {
            "y confirm · n/Esc cancel · Tab/←/→ move · Enter presses"
        };
        lines.push(hint_line(hint, theme));
        let height = u16::try_from(lines.len())
            .unwrap_or(u16::MAX)
            .saturating_add(2);
        let rect = centered(area, width, height);
        let inner = frame(rect, buf, theme, &title);
        let inner = Rect {
            x: inner.x + 1,
            width: inner.width.saturating_sub(2),
            ..inner
        };
        draw_lines(inner, buf, &lines);
    }
}
