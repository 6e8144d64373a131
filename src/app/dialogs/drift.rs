//! What changed elsewhere since the last look: every change the comparison found, with its details,
//! scrollable. Closing it dismisses the banner that announced it.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;

use super::{Hints, Outcome, centered, frame, hint_line, is_ctrl_c, is_press, styled};
use crate::config::Theme;
use crate::drift::Drift;
use crate::keys::action::Action;
use crate::keys::keymap::Keymap;
use crate::text::SafeText;

#[derive(Debug)]
pub struct DriftDialog {
    title: SafeText,
    /// (is a heading, text), made safe when the dialog was made.
    lines: Vec<(bool, SafeText)>,
    /// Lines scrolled past; clamped when drawn.
    pub scroll: u16,
}

impl DriftDialog {
    /// `age` is how long ago the compared snapshot was taken (`2d`).
    pub fn new(drift: &Drift, age: &str) -> Self {
        let mut lines = Vec::new();
        for change in &drift.changes {
            lines.push((
                true,
                SafeText::new(&format!("{}: {}", change.kind_label(), change.token_name())),
            ));
            for detail in change.details() {
                lines.push((false, SafeText::new(&format!("  {detail}"))));
            }
        }
        Self {
            title: SafeText::new(&format!(
                "Since you last looked ({age} ago): {}",
                drift.summary()
            )),
            lines,
            scroll: 0,
        }
    }

    /// `action` is what the keymap makes of the key. Esc, Enter, the key that opened it or quit close it.
    pub fn handle_key(&mut self, key: &KeyEvent, action: Option<Action>) -> Outcome<()> {
        if !is_press(key) {
            return Outcome::Ignored;
        }
        match (key.code, action) {
            (KeyCode::Esc | KeyCode::Enter, _) | (_, Some(Action::WhatChanged | Action::Quit)) => {
                Outcome::Closed
            }
            _ if is_ctrl_c(key) => Outcome::Closed,
            (_, Some(Action::Bottom)) => {
                self.scroll = u16::MAX;
                Outcome::Continue
            }
            _ if super::scroll_by_action(&mut self.scroll, action) => Outcome::Continue,
            _ => Outcome::Ignored,
        }
    }

    /// The mouse wheel: negative is up.
    pub fn scroll_by(&mut self, lines: i32) {
        self.scroll = super::scrolled(self.scroll, lines);
    }

    pub fn hints(&self, keymap: &Keymap) -> Hints {
        super::scroll_hints(keymap)
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let width = area.width.saturating_sub(4).clamp(20, 110);
        let inner_width = usize::from(width.saturating_sub(4));
        // Room for the frame, a blank line and the hint.
        let room = usize::from(area.height.saturating_sub(4)).max(1);
        let height = u16::try_from(self.lines.len().min(room))
            .unwrap_or(u16::MAX)
            .saturating_add(4);
        let rect = centered(area, width, height);
        let title = self.title.fit(usize::from(width.saturating_sub(4)));
        let inner = frame(rect, buf, theme, &title);
        let last_start = self.lines.len().saturating_sub(room);
        let start = usize::from(self.scroll).min(last_start);
        let mut lines: Vec<Line<'static>> = self.lines[start..]
            .iter()
            .take(room)
            .map(|(heading, text)| {
                let style = if *heading { theme.text } else { theme.dim };
                Line::from(styled(text.fit(inner_width), style))
            })
            .collect();
        while lines.len() < room.min(self.lines.len()) {
            lines.push(Line::default());
        }
        lines.push(Line::default());
        let shown = if self.lines.len() > room {
            format!(
                "lines {}–{} of {} · ↑/↓ scroll · Esc close",
                start + 1,
                (start + room).min(self.lines.len()),
                self.lines.len()
            )
        } else {
            "Esc close".to_string()
        };
        lines.push(hint_line(&shown, theme));
        super::draw_inset(inner, buf, &lines);
    }
}
