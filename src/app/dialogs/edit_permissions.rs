//! Edit permissions: the permission matrix prefilled from the token, then a before/after summary to
//! confirm. Saving emits `Confirmed(Destructive::EditPermissions { target, changes })` once, where
//! `changes` holds upserts for new or changed levels and removals (`_destroy`) for unticked ones.
//! With nothing changed, Enter says "no changes" and emits nothing. On the console's own token the
//! summary asks for the token's name, like the other confirmations.
//!
//! Keys: the matrix's keys; Enter goes to the summary; there Tab/←/→ move between `[ Cancel ]` and
//! `[ Save ]`, Enter presses, `y` saves, `n`/Esc go back to the matrix. Esc on the matrix and Ctrl-C
//! anywhere close.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;

use super::confirm::Confirmed;
use super::confirm_buttons::{ButtonsKey, ConfirmButtons};
use super::destructive::{Destructive, Target};
use super::permission_matrix::{MatrixRow, PermissionMatrix};
use super::{Hints, hints};
use super::{Outcome, centered, draw_lines, frame, hint_line, is_ctrl_c, is_press, styled};
use crate::api::{AccessLevel, ApiToken, PermissionChange, ResourceNode};
use crate::config::Theme;
use crate::text::SafeText;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EditStep {
    Matrix,
    Summary,
}

#[derive(Debug)]
pub struct EditPermissionsDialog {
    target: Target,
    matrix: PermissionMatrix,
    step: EditStep,
    /// Typed name on the console's own token, Cancel/Save, and the latch that saves once.
    buttons: ConfirmButtons,
    notice: Option<SafeText>,
}

impl EditPermissionsDialog {
    pub fn hints(&self) -> Hints {
        hints(&[
            ("Space", "toggle"),
            ("Enter", "summary"),
            ("Esc", "back/close"),
        ])
    }

    pub fn new(token: &ApiToken, tree: &[ResourceNode], is_own_token: bool) -> Self {
        let target = Target::from_token(token, is_own_token);
        let buttons = ConfirmButtons::new(is_own_token.then_some(target.name.as_str()));
        Self {
            matrix: PermissionMatrix::with_resources(tree, &token.resources),
            target,
            step: EditStep::Matrix,
            buttons,
            notice: None,
        }
    }

    /// The typed-name field of the summary has focus.
    pub fn typing_name(&self) -> bool {
        self.step == EditStep::Summary && self.buttons.typing()
    }

    pub fn step(&self) -> EditStep {
        self.step
    }

    pub fn matrix(&self) -> &PermissionMatrix {
        &self.matrix
    }

    pub fn matrix_mut(&mut self) -> &mut PermissionMatrix {
        &mut self.matrix
    }

    pub fn changes(&self) -> Vec<PermissionChange> {
        self.matrix.changes()
    }

    /// The save failed (422 or otherwise): show why, and allow saving again.
    pub fn save_failed(&mut self, message: &str) {
        self.buttons.rearm();
        self.notice = Some(SafeText::new(message));
    }

    pub fn handle_paste(&mut self, text: &str) {
        if self.step == EditStep::Summary {
            self.buttons.paste(text);
        }
    }

    pub fn handle_key(&mut self, key: &KeyEvent) -> Outcome<Confirmed> {
        if !is_press(key) {
            return Outcome::Continue;
        }
        if is_ctrl_c(key) {
            return Outcome::Closed;
        }
        match self.step {
            EditStep::Matrix => {
                match key.code {
                    KeyCode::Esc => return Outcome::Closed,
                    KeyCode::Enter | KeyCode::Tab => {
                        if self.matrix.changes().is_empty() {
                            self.notice = Some("no changes".into());
                        } else {
                            self.notice = None;
                            self.step = EditStep::Summary;
                            self.buttons.refocus();
                        }
                    }
                    _ => {
                        self.notice = None;
                        self.matrix.handle_key(key);
                    }
                }
                Outcome::Continue
            }
            EditStep::Summary => self.summary_key(key),
        }
    }

    fn summary_key(&mut self, key: &KeyEvent) -> Outcome<Confirmed> {
        if key.code == KeyCode::Esc {
            self.step = EditStep::Matrix;
            return Outcome::Continue;
        }
        match self.buttons.handle_key(key) {
            ButtonsKey::Continue => Outcome::Continue,
            ButtonsKey::Cancel => {
                self.step = EditStep::Matrix;
                Outcome::Continue
            }
            ButtonsKey::Confirm => Outcome::Emit(Confirmed(Destructive::EditPermissions {
                target: self.target.clone(),
                changes: self.matrix.changes(),
            })),
        }
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let width = 90.min(area.width);
        let height = 26.min(area.height);
        let rect = centered(area, width, height);
        let title = format!(
            "Edit permissions · {} ({})",
            self.target.name, self.target.last4
        );
        let inner = frame(rect, buf, theme, &title);
        let inner = Rect {
            x: inner.x + 1,
            width: inner.width.saturating_sub(2),
            ..inner
        };
        let footer_height = if self.notice.is_some() { 2 } else { 1 };
        let body = Rect {
            height: inner.height.saturating_sub(footer_height),
            ..inner
        };
        let footer = Rect {
            y: inner.y + body.height,
            height: inner.height - body.height,
            ..inner
        };
        let mut footer_lines = Vec::new();
        if let Some(n) = &self.notice {
            footer_lines.push(Line::from(styled(n.clone(), theme.warn)));
        }
        match self.step {
            EditStep::Matrix => {
                self.matrix.render(body, buf, theme, true);
                footer_lines.push(hint_line(
                    "↑↓ move · ←→ column · Space toggles (a/v) · Enter review · Esc closes",
                    theme,
                ));
            }
            EditStep::Summary => {
                let mut lines = vec![
                    Line::from(styled("Before → after", theme.header)),
                    Line::default(),
                ];
                for row in self.matrix.rows().iter().filter(|r| r.level != r.original) {
                    lines.push(Line::from(vec![
                        styled(format!("  {}: ", row.name), theme.text),
                        styled(level_word(row.original), theme.dim),
                        styled(" → ", theme.dim),
                        styled(level_word(row.level), after_style(row, theme)),
                    ]));
                }
                lines.push(Line::default());
                lines.push(Line::from(styled(
                    "Changes apply at once to every app using this token.",
                    theme.dim,
                )));
                lines.extend(self.buttons.lines("Save", body.width, theme));
                draw_lines(body, buf, &lines);
                footer_lines.push(hint_line(
                    if self.buttons.has_fired() {
                        "saving…"
                    } else {
                        "y save · n/Esc back · Tab/←/→ move · Enter presses"
                    },
                    theme,
                ));
            }
        }
        draw_lines(footer, buf, &footer_lines);
    }
}

fn level_word(level: Option<AccessLevel>) -> String {
    match level {
        None => "none".into(),
        Some(l) if l.is_admin() => "Admin".into(),
        Some(l) if l == AccessLevel::VIEWER => "Viewer".into(),
        Some(l) => l.to_string(),
    }
}

fn after_style(row: &MatrixRow, theme: &Theme) -> ratatui::style::Style {
    if row.level.is_none() {
        theme.danger
    } else {
        theme.ok
    }
}
