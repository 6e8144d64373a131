//! A one-line text field with a cursor: typing, Backspace/Delete, ←/→, Home/End, and paste with
//! control characters stripped. Lengths are counted in characters.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use super::plain_char;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TextInput {
    chars: Vec<char>,
    /// Cursor position in characters, 0..=len.
    cursor: usize,
    max_chars: usize,
}

impl TextInput {
    pub fn new(max_chars: usize) -> Self {
        Self {
            chars: Vec::new(),
            cursor: 0,
            max_chars,
        }
    }

    pub fn with_value(max_chars: usize, value: &str) -> Self {
        let mut input = Self::new(max_chars);
        input.insert_text(value);
        input
    }

    pub fn value(&self) -> String {
        self.chars.iter().collect()
    }

    pub fn cursor(&self) -> usize {
        self.cursor
    }

    pub fn is_empty(&self) -> bool {
        self.chars.is_empty()
    }

    /// Inserts text at the cursor: control characters (from a paste) are dropped, and whatever would
    /// exceed the limit is cut off. Returns true when something was cut.
    pub fn insert_text(&mut self, text: &str) -> bool {
        let mut cut = false;
        for c in text.chars().filter(|c| !c.is_control()) {
            if self.chars.len() >= self.max_chars {
                cut = true;
                break;
            }
            self.chars.insert(self.cursor, c);
            self.cursor += 1;
        }
        cut
    }

    /// Handles an editing key; returns true when the key was used.
    pub fn handle_key(&mut self, key: &KeyEvent) -> bool {
        if let Some(c) = plain_char(key) {
            self.insert_text(&c.to_string());
            return true;
        }
        match key.code {
            KeyCode::Backspace => {
                if self.cursor > 0 {
                    self.cursor -= 1;
                    self.chars.remove(self.cursor);
                }
            }
            KeyCode::Delete => {
                if self.cursor < self.chars.len() {
                    self.chars.remove(self.cursor);
                }
            }
            KeyCode::Left => self.cursor = self.cursor.saturating_sub(1),
            KeyCode::Right => self.cursor = (self.cursor + 1).min(self.chars.len()),
            KeyCode::Home => self.cursor = 0,
            KeyCode::End => self.cursor = self.chars.len(),
            _ => return false,
        }
        true
    }

    /// The field as a line: the text, with the cursor cell reversed when `focused`.
    pub fn line(&self, style: Style, focused: bool) -> Line<'static> {
        let before: String = self.chars[..self.cursor].iter().collect();
        let mut spans = vec![Span::styled(before, style)];
        if focused {
            let at = self.chars.get(self.cursor).copied().unwrap_or(' ');
            spans.push(Span::styled(
                at.to_string(),
                style.add_modifier(Modifier::REVERSED),
            ));
            let after: String = self
                .chars
                .get(self.cursor + 1..)
                .unwrap_or(&[])
                .iter()
                .collect();
            spans.push(Span::styled(after, style));
        } else {
            let after: String = self.chars[self.cursor..].iter().collect();
            spans.push(Span::styled(after, style));
        }
        Line::from(spans)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::KeyModifiers;

    #[test]
    fn edits_at_the_cursor_and_strips_pasted_controls() {
        let mut t = TextInput::new(5);
        t.insert_text("a\x1b[2Jb\nc");
        assert_eq!(t.value(), "a[2Jb");
        t.handle_key(&KeyEvent::new(KeyCode::Home, KeyModifiers::NONE));
        t.handle_key(&KeyEvent::new(KeyCode::Delete, KeyModifiers::NONE));
        assert_eq!(t.value(), "[2Jb");
        assert!(t.insert_text("xyz"));
        assert_eq!(t.value(), "x[2Jb");
    }
}
