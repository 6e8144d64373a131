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

use super::confirm_typed_name::NameGate;
use super::destructive::Destructive;
use super::{
    Outcome, buttons_line, centered, draw_lines, frame, hint_line, is_ctrl_c, is_press, plain_char,
    styled, wrap,
};
use super::{confirm_delete, confirm_reset};
use crate::config::Theme;

/// The user confirmed this action; run it once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Confirmed(pub Destructive);

pub type ConfirmOutcome = Outcome<Confirmed>;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Focus {
    NameField,
    Cancel,
    Confirm,
}

#[derive(Debug)]
pub struct ConfirmDialog {
    action: Destructive,
    gate: Option<NameGate>,
    focus: Focus,
    /// Set once Confirmed has been emitted: the latch that makes four `y` presses one request.
    confirmed: bool,
}

impl ConfirmDialog {
    pub fn new(action: Destructive) -> Self {
        let gate = action
            .needs_typed_name()
            .then(|| NameGate::new(&action.target().name));
        let focus = if gate.is_some() {
            Focus::NameField
        } else {
            Focus::Cancel
        };
        Self {
            action,
            gate,
            focus,
            confirmed: false,
        }
    }

    pub fn action(&self) -> &Destructive {
        &self.action
    }

    /// Confirmed has been emitted; the dialog now only waits to be closed.
    pub fn is_confirmed(&self) -> bool {
        self.confirmed
    }

    pub fn needs_typed_name(&self) -> bool {
        self.gate.is_some()
    }

    /// Confirm is enabled: no name is needed, or it has been typed exactly.
    pub fn can_confirm(&self) -> bool {
        !self.confirmed && self.gate.as_ref().is_none_or(NameGate::is_satisfied)
    }

    /// Pasted text goes into the name field when there is one.
    pub fn handle_paste(&mut self, text: &str) {
        if let Some(gate) = &mut self.gate {
            gate.input.insert_text(text);
            self.focus = Focus::NameField;
        }
    }

    pub fn handle_key(&mut self, key: &KeyEvent) -> ConfirmOutcome {
        if !is_press(key) {
            return Outcome::Continue;
        }
        if is_ctrl_c(key) || key.code == KeyCode::Esc {
            return Outcome::Closed;
        }
        if self.confirmed {
            // Already sent: nothing but closing does anything now.
            return Outcome::Continue;
        }
        if self.focus == Focus::NameField {
            if key.code == KeyCode::Enter {
                return self.press_confirm();
            }
            if !matches!(key.code, KeyCode::Tab | KeyCode::BackTab)
                && let Some(gate) = &mut self.gate
                && gate.input.handle_key(key)
            {
                return Outcome::Continue;
            }
        }
        match key.code {
            KeyCode::Tab | KeyCode::Right => self.move_focus(true),
            KeyCode::BackTab | KeyCode::Left => self.move_focus(false),
            KeyCode::Enter => {
                return match self.focus {
                    Focus::Cancel => Outcome::Closed,
                    Focus::Confirm | Focus::NameField => self.press_confirm(),
                };
            }
            _ => match plain_char(key) {
                Some('y' | 'Y') => return self.press_confirm(),
                Some('n' | 'N') => return Outcome::Closed,
                _ => {}
            },
        }
        Outcome::Continue
    }

    fn press_confirm(&mut self) -> ConfirmOutcome {
        if !self.can_confirm() {
            return Outcome::Continue;
        }
        self.confirmed = true;
        Outcome::Emit(Confirmed(self.action.clone()))
    }

    fn move_focus(&mut self, forward: bool) {
        let order: &[Focus] = if self.gate.is_some() {
            &[Focus::NameField, Focus::Cancel, Focus::Confirm]
        } else {
            &[Focus::Cancel, Focus::Confirm]
        };
        let i = order.iter().position(|f| *f == self.focus).unwrap_or(0);
        let n = order.len();
        self.focus = order[if forward {
            (i + 1) % n
        } else {
            (i + n - 1) % n
        }];
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
        if let Some(gate) = &self.gate {
            lines.push(Line::default());
            for l in wrap(&gate.prompt(), text_width) {
                lines.push(Line::from(styled(l, theme.warn)));
            }
            let mut field = vec![styled("> ", theme.key)];
            field.extend(
                gate.input
                    .line(theme.text, self.focus == Focus::NameField)
                    .spans,
            );
            lines.push(Line::from(field));
        }
        lines.push(Line::default());
        let focused = match self.focus {
            Focus::Confirm => 1,
            Focus::Cancel => 0,
            Focus::NameField => usize::MAX,
        };
        lines.push(buttons_line(
            &["Cancel", confirm_label],
            focused,
            &[false, !self.can_confirm()],
            theme,
        ));
        let hint = if self.confirmed {
            "sent — waiting for the server"
        } else if self.gate.is_some() {
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
