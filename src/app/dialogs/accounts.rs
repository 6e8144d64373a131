//! The accounts the token sees (`A`): every account with the token's access there and how its list
//! stands, and "All accounts" above them. Enter narrows the table to the chosen account, or shows them
//! all again; nothing is sent to the server but the lists of accounts not loaded yet.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;

use super::{Hints, Outcome, centered, frame, hint_line, is_ctrl_c, is_press, styled};
use crate::api::AccountId;
use crate::config::Theme;
use crate::keys::action::Action;
use crate::text::SafeText;

/// One line of the list: the account it narrows to (`None`: all), its name, and what is known of it.
#[derive(Debug)]
pub struct AccountEntry {
    pub account: Option<AccountId>,
    pub name: SafeText,
    pub about: SafeText,
    /// The account's list failed: said in the danger colour.
    pub failed: bool,
}

#[derive(Debug)]
pub struct AccountsDialog {
    entries: Vec<AccountEntry>,
    cursor: usize,
}

impl AccountsDialog {
    /// The cursor starts on `current` (what the table shows now).
    pub fn new(entries: Vec<AccountEntry>, current: Option<AccountId>) -> Self {
        let cursor = entries
            .iter()
            .position(|e| e.account == current)
            .unwrap_or(0);
        Self { entries, cursor }
    }

    /// Enter emits the choice: `Some(account)` narrows, `None` shows every account.
    pub fn handle_key(
        &mut self,
        key: &KeyEvent,
        action: Option<Action>,
    ) -> Outcome<Option<AccountId>> {
        if !is_press(key) {
            return Outcome::Ignored;
        }
        let last = self.entries.len().saturating_sub(1);
        match (key.code, action) {
            (KeyCode::Enter, _) => match self.entries.get(self.cursor) {
                Some(entry) => Outcome::Emit(entry.account),
                None => Outcome::Closed,
            },
            (KeyCode::Esc, _) | (_, Some(Action::Accounts | Action::Quit)) => Outcome::Closed,
            _ if is_ctrl_c(key) => Outcome::Closed,
            (KeyCode::Down, _) | (_, Some(Action::MoveDown)) => {
                self.cursor = (self.cursor + 1).min(last);
                Outcome::Continue
            }
            (KeyCode::Up, _) | (_, Some(Action::MoveUp)) => {
                self.cursor = self.cursor.saturating_sub(1);
                Outcome::Continue
            }
            (_, Some(Action::Top)) => {
                self.cursor = 0;
                Outcome::Continue
            }
            (_, Some(Action::Bottom)) => {
                self.cursor = last;
                Outcome::Continue
            }
            _ => Outcome::Ignored,
        }
    }

    pub fn hints(&self) -> Hints {
        super::hints(&[("↑/↓", "move"), ("Enter", "show"), ("Esc", "close")])
    }

    pub fn cursor(&self) -> usize {
        self.cursor
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let width = area.width.saturating_sub(4).clamp(20, 90);
        let inner_width = usize::from(width.saturating_sub(6));
        let room = usize::from(area.height.saturating_sub(4)).max(1);
        let shown = self.entries.len().min(room);
        let height = u16::try_from(shown).unwrap_or(u16::MAX).saturating_add(4);
        let rect = centered(area, width, height);
        let inner = frame(rect, buf, theme, "Accounts");
        let offset = (self.cursor + 1).saturating_sub(room);
        let mut lines: Vec<Line<'static>> = self
            .entries
            .iter()
            .enumerate()
            .skip(offset)
            .take(room)
            .map(|(i, entry)| {
                let selected = i == self.cursor;
                let marker = if selected { "▶ " } else { "  " };
                let name_room = (inner_width / 2).max(8);
                let name = entry.name.fit(name_room);
                let about_room = inner_width.saturating_sub(crate::text::display_width(&name) + 4);
                let about_style = if entry.failed {
                    theme.danger
                } else {
                    theme.dim
                };
                let name_style = if selected { theme.selected } else { theme.text };
                Line::from(vec![
                    styled(format!("{marker}{name}"), name_style),
                    styled("  ".to_string(), theme.dim),
                    styled(entry.about.fit(about_room), about_style),
                ])
            })
            .collect();
        lines.push(Line::default());
        lines.push(hint_line("↑/↓ move · Enter show · Esc close", theme));
        super::draw_inset(inner, buf, &lines);
    }
}
