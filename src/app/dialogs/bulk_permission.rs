//! The permission a bulk edit adds to, or removes from, every marked token: the account's resource
//! tree as a list, and a key for what to do with the selected resource (`a` Admin, `v` Viewer, `x`
//! remove). It emits the one change; the preview that follows shows what it does to each token.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;

use super::{Hints, Outcome, boxed, hint_line, hints, is_ctrl_c, is_press, plain_char, styled};
use crate::api::{AccessLevel, PermissionChange, ResourceNode, ResourceType};
use crate::config::Theme;
use crate::text::SafeText;

/// One resource of the tree, as the list shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Choice {
    depth: usize,
    resource_type: ResourceType,
    resource_id: i64,
    /// `Domain mail.acme.example`
    label: SafeText,
}

/// The change picked, and its words (`Admin · Domain mail.acme.example`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PermissionPick {
    pub change: PermissionChange,
    pub label: SafeText,
}

#[derive(Debug)]
pub struct BulkPermissionDialog {
    choices: Vec<Choice>,
    cursor: usize,
    marked: usize,
}

const LIST_ROWS: usize = 14;

impl BulkPermissionDialog {
    pub fn new(tree: &[ResourceNode], marked: usize) -> Self {
        let mut choices = Vec::new();
        ResourceNode::walk(tree, |node, depth| {
            let kind = node.resource_type.kind().label();
            let label = if node.name.is_empty() {
                SafeText::from(format!("{kind} #{}", node.id))
            } else {
                SafeText::from(format!("{kind} {}", crate::text::sanitize(&node.name)))
            };
            choices.push(Choice {
                depth,
                resource_type: node.resource_type.clone(),
                resource_id: node.id,
                label,
            });
        });
        Self {
            choices,
            cursor: 0,
            marked,
        }
    }

    pub fn hints(&self) -> Hints {
        hints(&[
            ("↑↓", "resource"),
            ("a", "admin"),
            ("v", "viewer"),
            ("x", "remove"),
            ("Esc", "cancel"),
        ])
    }

    pub fn handle_key(&mut self, key: &KeyEvent) -> Outcome<PermissionPick> {
        if !is_press(key) {
            return Outcome::Continue;
        }
        if is_ctrl_c(key) || key.code == KeyCode::Esc {
            return Outcome::Closed;
        }
        let last = self.choices.len().saturating_sub(1);
        let level = match (key.code, plain_char(key)) {
            (KeyCode::Up, _) | (_, Some('k')) => {
                self.cursor = self.cursor.saturating_sub(1);
                return Outcome::Continue;
            }
            (KeyCode::Down, _) | (_, Some('j')) => {
                self.cursor = (self.cursor + 1).min(last);
                return Outcome::Continue;
            }
            (KeyCode::PageUp, _) => {
                self.cursor = self.cursor.saturating_sub(LIST_ROWS);
                return Outcome::Continue;
            }
            (KeyCode::PageDown, _) => {
                self.cursor = (self.cursor + LIST_ROWS).min(last);
                return Outcome::Continue;
            }
            (_, Some('a')) => Some(AccessLevel::ADMIN),
            (_, Some('v')) => Some(AccessLevel::VIEWER),
            (KeyCode::Delete, _) | (_, Some('x')) => None,
            _ => return Outcome::Ignored,
        };
        let Some(choice) = self.choices.get(self.cursor) else {
            return Outcome::Continue;
        };
        let label = match level {
            Some(l) if l.is_admin() => SafeText::from(format!("Admin · {}", choice.label)),
            Some(_) => SafeText::from(format!("Viewer · {}", choice.label)),
            None => SafeText::from(format!("any access to {}", choice.label)),
        };
        Outcome::Emit(PermissionPick {
            change: PermissionChange {
                resource_type: choice.resource_type.clone(),
                resource_id: choice.resource_id,
                access_level: level,
            },
            label,
        })
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let width = 72.min(area.width);
        let text_width = usize::from(width.saturating_sub(4));
        let title = format!(
            "Edit a permission of {} marked token{}",
            self.marked,
            if self.marked == 1 { "" } else { "s" }
        );
        let mut lines: Vec<Line<'static>> = vec![
            Line::from(styled(
                "Choose a resource; a grants Admin, v Viewer, x removes it.",
                theme.text,
            )),
            Line::default(),
        ];
        if self.choices.is_empty() {
            lines.push(Line::from(styled(
                "The account's resource tree is empty: there is nothing to grant.",
                theme.warn,
            )));
        }
        let top = self
            .cursor
            .saturating_sub(LIST_ROWS - 1)
            .min(self.choices.len().saturating_sub(LIST_ROWS));
        for (i, choice) in self.choices.iter().enumerate().skip(top).take(LIST_ROWS) {
            let indent = "  ".repeat(choice.depth.min(6));
            let marker = if i == self.cursor { "▶ " } else { "  " };
            let text = format!(
                "{marker}{indent}{}",
                choice
                    .label
                    .fit(text_width.saturating_sub(2 + indent.len()))
            );
            let style = if i == self.cursor {
                theme.selected
            } else {
                theme.text
            };
            lines.push(Line::from(styled(text, style)));
        }
        lines.push(Line::default());
        lines.push(hint_line(
            "↑↓ choose · a admin · v viewer · x remove · Esc cancel",
            theme,
        ));
        boxed(area, buf, theme, &title, width, 1, &lines);
    }
}
