//! The one yes/no question every dialog asks the same way: "no" is first and focused, `y` answers yes,
//! `n`, Esc and Ctrl-C answer no, Enter presses the focused button, Tab/Shift-Tab/←/→ move. The owner
//! says what the question and its buttons read.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;

use super::{boxed, buttons_line, hint_line, is_ctrl_c, plain_char};
use crate::config::Theme;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer {
    Yes,
    No,
}

/// The buttons' state: which one has focus (0 = no, the safe answer).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct YesNo {
    focus: usize,
}

/// What the question says and how its box is laid out.
pub struct Question<'a> {
    pub title: &'a str,
    pub width: u16,
    /// Blank columns inside each side of the box.
    pub margin: u16,
    pub body: Vec<Line<'static>>,
    /// The "no" and "yes" buttons' labels.
    pub labels: [&'a str; 2],
    pub hint: &'a str,
}

impl YesNo {
    /// The key's answer, or `None` while the question stays (a move, or a key that means nothing here).
    pub fn handle_key(&mut self, key: &KeyEvent) -> Option<Answer> {
        match (key.code, plain_char(key)) {
            (KeyCode::Esc, _) | (_, Some('n' | 'N')) => Some(Answer::No),
            _ if is_ctrl_c(key) => Some(Answer::No),
            (_, Some('y' | 'Y')) => Some(Answer::Yes),
            (KeyCode::Enter, _) if self.focus == 1 => Some(Answer::Yes),
            (KeyCode::Enter, _) => Some(Answer::No),
            (KeyCode::Tab | KeyCode::BackTab | KeyCode::Left | KeyCode::Right, _) => {
                self.focus = 1 - self.focus.min(1);
                None
            }
            _ => None,
        }
    }

    /// The answer `key` gives the question asked in `slot`, which closes on an answer; `None` while it
    /// stays (or when none is asked).
    pub fn answer(slot: &mut Option<YesNo>, key: &KeyEvent) -> Option<Answer> {
        let answer = slot.as_mut()?.handle_key(key)?;
        *slot = None;
        Some(answer)
    }

    pub fn focus(&self) -> usize {
        self.focus
    }

    /// Draws the question's box centred in `area`.
    pub fn render(&self, question: Question<'_>, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let mut lines = question.body;
        lines.push(Line::default());
        lines.push(buttons_line(
            &question.labels,
            self.focus,
            &[false, false],
            theme,
        ));
        lines.push(hint_line(question.hint, theme));
        let width = question.width.min(area.width);
        boxed(
            area,
            buf,
            theme,
            question.title,
            width,
            question.margin,
            &lines,
        );
    }
}
