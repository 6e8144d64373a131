//! A notice that stays until read (Enter or Esc): what the operator must not miss, such as a change
//! whose answer was lost. At most 76 columns wide, so it fits an 80-column terminal.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;

use super::{Hints, Outcome, boxed, hint_line, hints, is_ctrl_c, is_press, styled, wrap};
use crate::config::Theme;
use crate::text::SafeText;

#[derive(Debug)]
pub struct NoticeDialog {
    pub title: SafeText,
    pub lines: Vec<SafeText>,
}

impl NoticeDialog {
    /// The title and paragraphs are made safe here: they often name tokens from the server.
    pub fn new(title: &str, lines: Vec<String>) -> Self {
        Self {
            title: SafeText::new(title),
            lines: lines.into_iter().map(SafeText::from).collect(),
        }
    }

    /// Only Enter, Esc or Ctrl-C close it; any other key is ignored, so a notice is never dismissed by
    /// a key meant for something else.
    pub fn handle_key(&mut self, key: &KeyEvent) -> Outcome<()> {
        if is_press(key) && (matches!(key.code, KeyCode::Enter | KeyCode::Esc) || is_ctrl_c(key)) {
            Outcome::Closed
        } else {
            Outcome::Ignored
        }
    }

    pub fn hints(&self) -> Hints {
        hints(&[("Enter/Esc", "close")])
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let width = 76.min(area.width);
        let mut lines: Vec<Line<'static>> = Vec::new();
        for (i, paragraph) in self.lines.iter().enumerate() {
            if i > 0 {
                lines.push(Line::default());
            }
            lines.extend(
                wrap(paragraph, width.saturating_sub(4))
                    .into_iter()
                    .map(|l| Line::from(styled(l, theme.warn))),
            );
        }
        lines.push(Line::default());
        lines.push(hint_line("Enter/Esc I have read this", theme));
        boxed(area, buf, theme, &self.title, width, 1, &lines);
    }
}
