//! Copy on a token whose secret this console does not hold: Mailtrap shows a secret only once, so the
//! dialog says so and offers what can be copied instead: the name, the id or `…dcf7`. ↑↓/j/k move,
//! Enter copies, `n` `i` `l` choose directly, Esc/Ctrl-C close. It emits the chosen text; the console
//! copies it (as plain text, never cleared) and closes the dialog.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;

use super::{Hints, hints};
use super::{
    Outcome, centered, draw_lines, frame, hint_line, is_ctrl_c, is_press, plain_char, styled, wrap,
};
use crate::api::ApiToken;
use crate::config::Theme;
use crate::text::SafeText;

/// One thing that can be copied instead of the secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CopyChoice {
    /// What it is, e.g. "the name".
    pub what: &'static str,
    /// The text to copy, as shown.
    pub text: SafeText,
}

#[derive(Debug)]
pub struct CopyAlternatives {
    title: SafeText,
    choices: Vec<CopyChoice>,
    selected: usize,
}

pub const EXPLANATION: &str = "Mailtrap shows a secret only once, when the token is created or reset, \
     and this console did not receive this token's secret. Reset the token to get a new one, or copy \
     one of these instead:";

impl CopyAlternatives {
    pub fn hints(&self) -> Hints {
        hints(&[("↑↓", "move"), ("Enter", "copy"), ("Esc", "close")])
    }

    pub fn new(token: &ApiToken) -> Self {
        let name = SafeText::new(&token.name);
        Self {
            title: name.after("Copy · "),
            choices: vec![
                CopyChoice {
                    what: "the name",
                    text: name,
                },
                CopyChoice {
                    what: "the id",
                    text: SafeText::from(token.id.to_string()),
                },
                CopyChoice {
                    what: "the last digits",
                    text: SafeText::new(&token.last_4_digits).after("…"),
                },
            ],
            selected: 0,
        }
    }

    pub fn choices(&self) -> &[CopyChoice] {
        &self.choices
    }

    pub fn handle_key(&mut self, key: &KeyEvent) -> Outcome<CopyChoice> {
        if !is_press(key) {
            return Outcome::Continue;
        }
        if is_ctrl_c(key) || key.code == KeyCode::Esc {
            return Outcome::Closed;
        }
        let n = self.choices.len();
        match (key.code, plain_char(key)) {
            (KeyCode::Up, _) | (_, Some('k')) => self.selected = (self.selected + n - 1) % n,
            (KeyCode::Down, _) | (_, Some('j')) => self.selected = (self.selected + 1) % n,
            (KeyCode::Enter, _) => return Outcome::Emit(self.choices[self.selected].clone()),
            (_, Some('n')) => return Outcome::Emit(self.choices[0].clone()),
            (_, Some('i')) => return Outcome::Emit(self.choices[1].clone()),
            (_, Some('l')) => return Outcome::Emit(self.choices[2].clone()),
            _ => {}
        }
        Outcome::Continue
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let width = 70.min(area.width);
        let text_width = width.saturating_sub(4);
        let mut lines: Vec<Line<'static>> = Vec::new();
        for l in wrap(EXPLANATION, text_width) {
            lines.push(Line::from(styled(l, theme.text)));
        }
        lines.push(Line::default());
        let keys = ["n", "i", "l"];
        for (i, choice) in self.choices.iter().enumerate() {
            let is_selected = i == self.selected;
            let style = if is_selected {
                theme.selected
            } else {
                theme.text
            };
            let marker = if is_selected { "› " } else { "  " };
            let label = format!("{:<16}", choice.what);
            let room = usize::from(text_width).saturating_sub(2 + 2 + 16 + 2);
            lines.push(Line::from(vec![
                styled(marker, style),
                styled(keys[i], theme.key),
                styled("  ", style),
                styled(label, style),
                styled(choice.text.fit(room), style),
            ]));
        }
        lines.push(Line::default());
        lines.push(hint_line(
            "↑↓ move · Enter or n/i/l copies · Esc closes",
            theme,
        ));
        let height = u16::try_from(lines.len())
            .unwrap_or(u16::MAX)
            .saturating_add(2);
        let rect = centered(area, width, height);
        let inner = frame(rect, buf, theme, &self.title);
        let inner = Rect {
            x: inner.x + 1,
            width: inner.width.saturating_sub(2),
            ..inner
        };
        draw_lines(inner, buf, &lines);
    }
}
