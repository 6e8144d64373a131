//! "Quit anyway?" when quitting would lose a new secret: Stay is first and focused.

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;

use super::yes_no::{Answer, Question, YesNo};
use super::{Hints, Outcome, hints, is_press, styled, wrap};
use crate::config::Theme;

#[derive(Debug)]
pub struct QuitDialog {
    /// Why quitting now would lose a secret.
    pub reason: String,
    question: YesNo,
}

impl QuitDialog {
    pub fn new(reason: impl Into<String>) -> Self {
        Self {
            reason: reason.into(),
            question: YesNo::default(),
        }
    }

    /// `Emit(())` means quit.
    pub fn handle_key(&mut self, key: &KeyEvent) -> Outcome<()> {
        if !is_press(key) {
            return Outcome::Continue;
        }
        match self.question.handle_key(key) {
            Some(Answer::Yes) => Outcome::Emit(()),
            Some(Answer::No) => Outcome::Closed,
            None => Outcome::Continue,
        }
    }

    pub fn hints(&self) -> Hints {
        hints(&[("y", "quit"), ("n/Esc", "stay")])
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let width = 64.min(area.width);
        let body = wrap(&self.reason, width.saturating_sub(4))
            .into_iter()
            .map(|l| Line::from(styled(l, theme.warn)))
            .collect();
        let question = Question {
            title: "Quit anyway?",
            width,
            margin: 1,
            body,
            labels: ["Stay", "Quit"],
            hint: "y quit · n/Esc stay · Tab/←/→ move",
        };
        self.question.render(question, area, buf, theme);
    }
}
