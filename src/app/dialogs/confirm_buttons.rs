//! What every confirmation shares: an optional typed-name field, then `[ Cancel ]  [ <action> ]` with
//! Cancel first and focused, and a latch so the action button fires once. Tab/Shift-Tab/←/→ move, Enter
//! presses, `y` confirms, `n` cancels (while the name field has focus, `y` and `n` are just letters).
//! The owner handles Esc and Ctrl-C, and decides what Cancel means (close, or go back a step).

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::text::Line;

use super::confirm_typed_name::NameGate;
use super::{buttons_line, plain_char, styled, wrap};
use crate::config::Theme;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Focus {
    NameField,
    Cancel,
    Confirm,
}

/// What a key did to the buttons.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ButtonsKey {
    Continue,
    Cancel,
    /// The action button fired (once until `rearm`).
    Confirm,
}

#[derive(Debug)]
pub struct ConfirmButtons {
    gate: Option<NameGate>,
    focus: Focus,
    fired: bool,
}

impl ConfirmButtons {
    /// With `typed_name`, the token's name must be typed before the action button enables.
    pub fn new(typed_name: Option<&str>) -> Self {
        Self::gated(typed_name.map(NameGate::new))
    }

    /// With a gate of its own words: `expected` must be typed, after `prompt`.
    pub fn asking(expected: &str, prompt: &str) -> Self {
        Self::gated(Some(NameGate::asking(expected, prompt)))
    }

    fn gated(gate: Option<NameGate>) -> Self {
        let mut buttons = Self {
            gate,
            focus: Focus::Cancel,
            fired: false,
        };
        buttons.refocus();
        buttons
    }

    /// Focus where a fresh dialog starts: the name field if there is one, else Cancel.
    pub fn refocus(&mut self) {
        self.focus = if self.gate.is_some() {
            Focus::NameField
        } else {
            Focus::Cancel
        };
    }

    pub fn needs_typed_name(&self) -> bool {
        self.gate.is_some()
    }

    /// The name field has focus: a plain character is text, not an answer.
    pub fn typing(&self) -> bool {
        self.focus == Focus::NameField
    }

    pub fn has_fired(&self) -> bool {
        self.fired
    }

    /// The action failed: let the button fire again.
    pub fn rearm(&mut self) {
        self.fired = false;
    }

    /// The action button is enabled: not fired yet, and the name (if needed) typed exactly.
    pub fn can_confirm(&self) -> bool {
        !self.fired && self.gate.as_ref().is_none_or(NameGate::is_satisfied)
    }

    pub fn paste(&mut self, text: &str) {
        if let Some(gate) = &mut self.gate {
            gate.input.insert_text(text);
            self.focus = Focus::NameField;
        }
    }

    /// A key press (Esc and Ctrl-C already handled by the owner).
    pub fn handle_key(&mut self, key: &KeyEvent) -> ButtonsKey {
        if self.fired {
            return ButtonsKey::Continue;
        }
        if self.focus == Focus::NameField {
            if key.code == KeyCode::Enter {
                return self.press();
            }
            if !matches!(key.code, KeyCode::Tab | KeyCode::BackTab)
                && let Some(gate) = &mut self.gate
                && gate.input.handle_key(key)
            {
                return ButtonsKey::Continue;
            }
        }
        match key.code {
            KeyCode::Tab | KeyCode::Right => self.move_focus(true),
            KeyCode::BackTab | KeyCode::Left => self.move_focus(false),
            KeyCode::Enter => {
                return match self.focus {
                    Focus::Cancel => ButtonsKey::Cancel,
                    Focus::Confirm | Focus::NameField => self.press(),
                };
            }
            _ => match plain_char(key) {
                Some('y' | 'Y') => return self.press(),
                Some('n' | 'N') => return ButtonsKey::Cancel,
                _ => {}
            },
        }
        ButtonsKey::Continue
    }

    fn press(&mut self) -> ButtonsKey {
        if !self.can_confirm() {
            return ButtonsKey::Continue;
        }
        self.fired = true;
        ButtonsKey::Confirm
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

    /// The name prompt and field (when needed), a blank line, and the buttons.
    pub fn lines(
        &self,
        confirm_label: &'static str,
        text_width: u16,
        theme: &Theme,
    ) -> Vec<Line<'static>> {
        let mut lines = Vec::new();
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
            Focus::Cancel => 0,
            Focus::Confirm => 1,
            Focus::NameField => usize::MAX,
        };
        lines.push(buttons_line(
            &["Cancel", confirm_label],
            focused,
            &[false, !self.can_confirm()],
            theme,
        ));
        lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::KeyModifiers;

    fn key(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
    }

    #[test]
    fn fires_once_until_rearmed() {
        let mut b = ConfirmButtons::new(None);
        assert_eq!(b.handle_key(&key('y')), ButtonsKey::Confirm);
        assert_eq!(b.handle_key(&key('y')), ButtonsKey::Continue);
        b.rearm();
        assert_eq!(b.handle_key(&key('y')), ButtonsKey::Confirm);
    }

    #[test]
    fn the_typed_name_gates_the_button_and_takes_y_and_n_as_letters() {
        let mut b = ConfirmButtons::new(Some("ny"));
        let enter = KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE);
        assert_eq!(
            b.handle_key(&enter),
            ButtonsKey::Continue,
            "nothing typed yet"
        );
        assert_eq!(b.handle_key(&key('n')), ButtonsKey::Continue);
        assert_eq!(b.handle_key(&key('y')), ButtonsKey::Continue);
        assert!(b.can_confirm());
        assert_eq!(b.handle_key(&enter), ButtonsKey::Confirm);
    }
}
