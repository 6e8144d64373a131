//! The permission matrix, as in the web app: resources down the side (indented by their depth in the
//! permissions tree), Admin and Viewer columns of check boxes. Space toggles the focused box, `a` and
//! `v` toggle a column directly, ↑↓/j/k move, ←→/h/l switch column. Admin covers Viewer (an admin row
//! shows both boxes ticked). Only resources the caller administers can be changed; the others are dim.
//!
//! A token's resources that are not in the tree are kept as read-only rows and never changed, so an
//! edit cannot remove what the console could not show.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use super::{draw_lines, plain_char, styled};
use crate::api::{AccessLevel, PermissionChange, Resource, ResourceNode, ResourceType};
use crate::config::Theme;
use crate::text::SafeText;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Column {
    Admin,
    Viewer,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MatrixRow {
    pub resource_type: ResourceType,
    pub resource_id: i64,
    /// The name as shown.
    pub name: SafeText,
    pub depth: usize,
    /// The caller administers this resource and may grant it.
    pub editable: bool,
    pub level: Option<AccessLevel>,
    /// The level the matrix started with (for `changes`).
    pub original: Option<AccessLevel>,
}

impl MatrixRow {
    pub fn admin_ticked(&self) -> bool {
        self.level.is_some_and(AccessLevel::is_admin)
    }

    /// Viewer is ticked for any level, since admin covers viewer.
    pub fn viewer_ticked(&self) -> bool {
        self.level.is_some_and(|l| l.0 >= AccessLevel::VIEWER.0)
    }
}

#[derive(Clone, Debug)]
pub struct PermissionMatrix {
    rows: Vec<MatrixRow>,
    cursor: usize,
    column: Column,
    /// Why the last toggle was refused, shown under the matrix until the next key.
    notice: Option<String>,
}

impl PermissionMatrix {
    /// An empty matrix over the caller's resource tree.
    pub fn new(tree: &[ResourceNode]) -> Self {
        Self::with_resources(tree, &[])
    }

    /// A matrix prefilled from a token's resources.
    pub fn with_resources(tree: &[ResourceNode], resources: &[Resource]) -> Self {
        let mut rows = Vec::new();
        ResourceNode::walk(tree, |node, depth| {
            let level = resources
                .iter()
                .find(|r| r.resource_type == node.resource_type && r.resource_id == node.id)
                .map(|r| r.access_level);
            let kind = node.resource_type.kind().label();
            let name = if node.name.is_empty() {
                SafeText::from(format!("{kind} #{}", node.id))
            } else {
                SafeText::from(format!("{} · {kind}", node.name))
            };
            rows.push(MatrixRow {
                resource_type: node.resource_type.clone(),
                resource_id: node.id,
                name,
                depth,
                editable: node.access_level.is_admin(),
                level,
                original: level,
            });
        });
        for r in resources {
            let known = rows.iter().any(|row| {
                row.resource_type == r.resource_type && row.resource_id == r.resource_id
            });
            if !known {
                rows.push(MatrixRow {
                    resource_type: r.resource_type.clone(),
                    resource_id: r.resource_id,
                    name: SafeText::from(format!(
                        "{} #{} (not in your permissions tree)",
                        r.resource_type.as_str(),
                        r.resource_id
                    )),
                    depth: 0,
                    editable: false,
                    level: Some(r.access_level),
                    original: Some(r.access_level),
                });
            }
        }
        let cursor = rows.iter().position(|r| r.editable).unwrap_or(0);
        Self {
            rows,
            cursor,
            column: Column::Admin,
            notice: None,
        }
    }

    pub fn rows(&self) -> &[MatrixRow] {
        &self.rows
    }

    pub fn cursor(&self) -> usize {
        self.cursor
    }

    pub fn column(&self) -> Column {
        self.column
    }

    /// The resources ticked now, each at its level.
    pub fn selected_resources(&self) -> Vec<Resource> {
        self.rows
            .iter()
            .filter_map(|r| {
                r.level.map(|access_level| Resource {
                    resource_type: r.resource_type.clone(),
                    resource_id: r.resource_id,
                    access_level,
                })
            })
            .collect()
    }

    /// What changed since the matrix was built: upserts for new or changed levels, removals for
    /// unticked ones. Empty when nothing changed.
    pub fn changes(&self) -> Vec<PermissionChange> {
        self.rows
            .iter()
            .filter(|r| r.level != r.original)
            .map(|r| PermissionChange {
                resource_type: r.resource_type.clone(),
                resource_id: r.resource_id,
                access_level: r.level,
            })
            .collect()
    }

    /// Sets a level directly (for tests and prefills); refused on rows the caller cannot administer.
    pub fn set_level(&mut self, row: usize, level: Option<AccessLevel>) -> bool {
        match self.rows.get_mut(row) {
            Some(r) if r.editable => {
                r.level = level;
                true
            }
            _ => false,
        }
    }

    /// Handles a matrix key; returns true when the key was used.
    pub fn handle_key(&mut self, key: &KeyEvent) -> bool {
        self.notice = None;
        let n = self.rows.len();
        match (key.code, plain_char(key)) {
            (KeyCode::Up, _) | (_, Some('k')) if n > 0 => {
                self.cursor = self.cursor.saturating_sub(1)
            }
            (KeyCode::Down, _) | (_, Some('j')) if n > 0 => {
                self.cursor = (self.cursor + 1).min(n - 1)
            }
            (KeyCode::Left, _) | (_, Some('h')) => self.column = Column::Admin,
            (KeyCode::Right, _) | (_, Some('l')) => self.column = Column::Viewer,
            (_, Some(' ')) => self.toggle(self.column),
            (_, Some('a')) => {
                self.column = Column::Admin;
                self.toggle(Column::Admin)
            }
            (_, Some('v')) => {
                self.column = Column::Viewer;
                self.toggle(Column::Viewer)
            }
            _ => return false,
        }
        true
    }

    fn toggle(&mut self, column: Column) {
        let Some(row) = self.rows.get_mut(self.cursor) else {
            return;
        };
        if !row.editable {
            self.notice =
                Some("you do not administer this resource, so you cannot grant it".into());
            return;
        }
        row.level = match column {
            Column::Admin if row.admin_ticked() => None,
            Column::Admin => Some(AccessLevel::ADMIN),
            // Viewer on an admin row steps down to viewer; on a viewer row it clears.
            Column::Viewer if row.admin_ticked() => Some(AccessLevel::VIEWER),
            Column::Viewer if row.viewer_ticked() => None,
            Column::Viewer => Some(AccessLevel::VIEWER),
        };
    }

    /// Draws the matrix into `area` (no frame); `focused` shows the cursor.
    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme, focused: bool) {
        if area.height == 0 {
            return;
        }
        let boxes_width = 16usize;
        let name_width = usize::from(area.width)
            .saturating_sub(boxes_width + 1)
            .max(8);
        let mut lines: Vec<Line<'static>> = vec![Line::from(vec![
            styled(pad("Resource", name_width), theme.header),
            styled(" Admin   Viewer ", theme.header),
        ])];
        let visible =
            usize::from(area.height).saturating_sub(if self.notice.is_some() { 2 } else { 1 });
        let offset = if visible == 0 {
            0
        } else {
            self.cursor.saturating_sub(visible - 1)
        };
        if self.rows.is_empty() {
            lines.push(Line::from(styled(
                "No resources: the permissions tree is empty.",
                theme.dim,
            )));
        }
        for (i, row) in self.rows.iter().enumerate().skip(offset).take(visible) {
            let at_cursor = focused && i == self.cursor;
            let name_style = if !row.editable {
                theme.disabled
            } else if at_cursor {
                theme.selected
            } else {
                theme.text
            };
            let label = format!("{}{}", "  ".repeat(row.depth.min(8)), row.name);
            let admin_box = check(row.admin_ticked());
            // Viewer is shown ticked under an admin row, but dim: it comes with Admin.
            let viewer_box = check(row.viewer_ticked());
            let cell = |col: Column, ticked_dim: bool| {
                if !row.editable {
                    theme.disabled
                } else if at_cursor && self.column == col {
                    theme.button_focused
                } else if ticked_dim {
                    theme.dim
                } else {
                    theme.text
                }
            };
            lines.push(Line::from(vec![
                Span::styled(pad(&label, name_width), name_style),
                Span::raw("  "),
                Span::styled(admin_box, cell(Column::Admin, false)),
                Span::raw("     "),
                Span::styled(viewer_box, cell(Column::Viewer, row.admin_ticked())),
            ]));
        }
        if let Some(notice) = &self.notice {
            lines.push(Line::from(styled(notice.clone(), theme.warn)));
        }
        draw_lines(area, buf, &lines);
    }
}

fn check(ticked: bool) -> String {
    if ticked { "[x]".into() } else { "[ ]".into() }
}

/// Truncates (with an ellipsis) or pads `text` to exactly `width` columns.
pub(crate) fn pad(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut used = 0;
    let total = text.width();
    for c in text.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if total > width && used + w + 1 > width {
            out.push('…');
            used += 1;
            break;
        }
        if used + w > width {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push_str(&" ".repeat(width.saturating_sub(used)));
    out
}
