//! The row's action menu (the web app's ⋯ menu): every action with its hotkey label from the live
//! keymap; the ones that cannot be done are dimmed with their reason. ↑↓/j/k move, Enter chooses, the
//! actions' own hotkeys choose directly, Esc/Ctrl-C close. Choosing a disabled action does not run it:
//! it yields `MenuChoice::Refused` with the registry's reason, the same words a refused hotkey shows.

use crate::text::SafeText;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;

use super::{Hints, hints};
use super::{
    Outcome, centered, draw_lines, frame, hint_line, is_ctrl_c, is_press, plain_char, styled, wrap,
};
use crate::app::registry::RowAction;
use crate::config::Theme;
use crate::keys::action::Action;
use crate::keys::keymap::{KeyBinding, Keymap};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MenuChoice {
    /// Run this action (it is available).
    Run(Action),
    /// The action cannot be done; show the reason in the status line.
    Refused { action: Action, reason: String },
}

#[derive(Debug)]
struct Item {
    row: RowAction,
    label: SafeText,
    keys: Vec<KeyBinding>,
}

#[derive(Debug)]
pub struct ActionMenu {
    title: SafeText,
    items: Vec<Item>,
    selected: usize,
}

impl ActionMenu {
    pub fn hints(&self) -> Hints {
        hints(&[
            ("↑↓", "move"),
            ("Enter", "choose"),
            ("hotkey", "run"),
            ("Esc", "close"),
        ])
    }

    /// `title` names the row (e.g. the token's name); `actions` comes from `registry::actions_for`;
    /// `keymap` gives the labels and hotkeys.
    pub fn new(title: impl Into<SafeText>, actions: Vec<RowAction>, keymap: &Keymap) -> Self {
        let items: Vec<Item> = actions
            .into_iter()
            .map(|row| Item {
                label: keymap.label(row.action),
                keys: keymap.keys_for(row.action).to_vec(),
                row,
            })
            .collect();
        let selected = items.iter().position(|i| i.row.is_available()).unwrap_or(0);
        Self {
            title: title.into(),
            items,
            selected,
        }
    }

    pub fn selected_action(&self) -> Option<Action> {
        self.items.get(self.selected).map(|i| i.row.action)
    }

    pub fn handle_key(&mut self, key: &KeyEvent) -> Outcome<MenuChoice> {
        if !is_press(key) {
            return Outcome::Continue;
        }
        if is_ctrl_c(key) || key.code == KeyCode::Esc {
            return Outcome::Closed;
        }
        // An action's own hotkey wins over navigation, so a rebinding to `j` still works.
        let pressed = KeyBinding::from_event(key);
        if let Some(i) = self.items.iter().position(|i| i.keys.contains(&pressed)) {
            self.selected = i;
            return Outcome::Emit(self.choose(i));
        }
        let n = self.items.len();
        if n == 0 {
            return Outcome::Continue;
        }
        match (key.code, plain_char(key)) {
            (KeyCode::Up, _) | (_, Some('k')) => self.selected = (self.selected + n - 1) % n,
            (KeyCode::Down, _) | (_, Some('j')) => self.selected = (self.selected + 1) % n,
            (KeyCode::Home, _) => self.selected = 0,
            (KeyCode::End, _) => self.selected = n - 1,
            (KeyCode::Enter, _) => return Outcome::Emit(self.choose(self.selected)),
            _ => {}
        }
        Outcome::Continue
    }

    fn choose(&self, i: usize) -> MenuChoice {
        let row = &self.items[i].row;
        match &row.availability {
            Ok(()) => MenuChoice::Run(row.action),
            Err(reason) => MenuChoice::Refused {
                action: row.action,
                reason: reason.clone(),
            },
        }
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let width = 64.min(area.width);
        let text_width = width.saturating_sub(4);
        let key_width = self
            .items
            .iter()
            .map(|i| i.label.width())
            .max()
            .unwrap_or(1)
            .max(3);
        let mut lines: Vec<Line<'static>> = Vec::new();
        for (i, item) in self.items.iter().enumerate() {
            let info = item.row.action.info();
            let is_selected = i == self.selected;
            let marker = if is_selected { "› " } else { "  " };
            let enabled = item.row.is_available();
            let base = if !enabled {
                theme.disabled
            } else if is_selected {
                theme.selected
            } else {
                theme.text
            };
            let key_style = if enabled { theme.key } else { theme.disabled };
            let pad = key_width.saturating_sub(item.label.width());
            let mut spans = vec![
                styled(marker, base),
                styled(format!("{}{}", item.label, " ".repeat(pad)), key_style),
                styled("  ", base),
                styled(info.description, base),
            ];
            // Only a permission edit can be put back (from the journal); the menu says which cannot.
            if matches!(item.row.action, Action::Reset | Action::Delete) {
                spans.push(styled(" · cannot be undone", theme.dim));
            }
            lines.push(Line::from(spans));
            if let Some(reason) = item.row.reason() {
                let indent = 2 + key_width + 2;
                let avail = text_width.saturating_sub(u16::try_from(indent).unwrap_or(0));
                for l in wrap(&format!("({reason})"), avail.max(10)) {
                    lines.push(Line::from(styled(
                        format!("{}{l}", " ".repeat(indent)),
                        theme.disabled,
                    )));
                }
            }
        }
        lines.push(Line::default());
        lines.push(hint_line(
            "↑↓/j/k move · Enter or hotkey chooses · Esc closes",
            theme,
        ));
        let height = u16::try_from(lines.len())
            .unwrap_or(u16::MAX)
            .saturating_add(2);
        let rect = centered(area, width, height);
        let inner = frame(rect, buf, theme, &format!("Actions · {}", self.title));
        let inner = Rect {
            x: inner.x + 1,
            width: inner.width.saturating_sub(2),
            ..inner
        };
        draw_lines(inner, buf, &lines);
    }
}
