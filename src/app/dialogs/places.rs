//! Where a token is used: its places, each with a tick for the cut-over after a reset. ↑↓/j/k move,
//! Space ticks, `a` adds a place (typed or pasted, Enter keeps it, Esc drops it), `x` or Del removes one,
//! Esc or Enter closes. Every change is emitted whole; the console keeps and saves it.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;

use super::text_input::TextInput;
use super::{Hints, hints};
use super::{Outcome, boxed, hint_line, is_ctrl_c, is_press, plain_char, styled, wrap};
use crate::api::TokenId;
use crate::config::Theme;
use crate::rotation::Place;
use crate::rotation::places::{MAX_PLACE_CHARS, MAX_PLACES};
use crate::text::{SafeStr, SafeText};

#[derive(Debug)]
pub struct PlacesDialog {
    token: TokenId,
    title: SafeText,
    places: Vec<Place>,
    cursor: usize,
    /// Typing a new place while `Some`.
    adding: Option<TextInput>,
    /// After a reset: the ticks are the cut-over checklist.
    in_grace: bool,
    notice: Option<&'static str>,
}

impl PlacesDialog {
    pub fn new(token: TokenId, name: SafeStr<'_>, places: &[Place], in_grace: bool) -> Self {
        Self {
            token,
            title: name.after("Places · "),
            places: places.to_vec(),
            cursor: 0,
            adding: None,
            in_grace,
            notice: None,
        }
    }

    pub fn token(&self) -> TokenId {
        self.token
    }

    /// Typed characters go to the new place's text.
    pub fn takes_text(&self) -> bool {
        self.adding.is_some()
    }

    pub fn hints(&self) -> Hints {
        if self.adding.is_some() {
            return hints(&[("type", "place"), ("Enter", "add"), ("Esc", "drop")]);
        }
        hints(&[
            ("a", "add"),
            ("Space", "tick"),
            ("x", "remove"),
            ("Esc", "close"),
        ])
    }

    /// A paste while adding goes into the text (its line breaks become spaces).
    pub fn paste(&mut self, text: &str) {
        if let Some(input) = &mut self.adding {
            input.insert_text(&text.replace(['\n', '\r'], " "));
        }
    }

    pub fn handle_key(&mut self, key: &KeyEvent) -> Outcome<Vec<Place>> {
        if !is_press(key) {
            return Outcome::Continue;
        }
        self.notice = None;
        if let Some(input) = &mut self.adding {
            match key.code {
                KeyCode::Esc => self.adding = None,
                // Ctrl-C closes every dialog, a field being typed in included.
                _ if is_ctrl_c(key) => return Outcome::Closed,
                KeyCode::Enter => {
                    let text = input.value().trim().to_string();
                    self.adding = None;
                    if text.is_empty() {
                        return Outcome::Continue;
                    }
                    if self.places.iter().any(|p| p.place == text) {
                        self.notice = Some("that place is listed already");
                        return Outcome::Continue;
                    }
                    self.places.push(Place {
                        place: text,
                        done: false,
                    });
                    self.cursor = self.places.len() - 1;
                    return Outcome::Emit(self.places.clone());
                }
                _ => {
                    input.handle_key(key);
                }
            }
            return Outcome::Continue;
        }
        if is_ctrl_c(key) || matches!(key.code, KeyCode::Esc | KeyCode::Enter) {
            return Outcome::Closed;
        }
        let n = self.places.len();
        match (key.code, plain_char(key)) {
            (KeyCode::Up, _) | (_, Some('k')) if n > 0 => self.cursor = (self.cursor + n - 1) % n,
            (KeyCode::Down, _) | (_, Some('j')) if n > 0 => self.cursor = (self.cursor + 1) % n,
            (_, Some('a')) => {
                if n >= MAX_PLACES {
                    self.notice = Some("a token keeps at most 64 places");
                } else {
                    self.adding = Some(TextInput::new(MAX_PLACE_CHARS));
                }
            }
            (_, Some(' ')) if n > 0 => {
                let place = &mut self.places[self.cursor];
                place.done = !place.done;
                return Outcome::Emit(self.places.clone());
            }
            (KeyCode::Delete, _) | (_, Some('x')) if n > 0 => {
                self.places.remove(self.cursor);
                self.cursor = self.cursor.min(self.places.len().saturating_sub(1));
                return Outcome::Emit(self.places.clone());
            }
            _ => {}
        }
        Outcome::Continue
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let width = 70.min(area.width);
        let text_width = width.saturating_sub(4);
        let mut lines: Vec<Line<'static>> = Vec::new();
        let explanation = if self.in_grace {
            "The token was reset: tick each place once it holds the new secret."
        } else {
            "Where this token is used. After a reset the list follows the new token, and these \
             become the old one's cut-over checklist."
        };
        for l in wrap(explanation, text_width) {
            lines.push(Line::from(styled(l, theme.dim)));
        }
        lines.push(Line::default());
        if self.places.is_empty() {
            lines.push(Line::from(styled("  no places yet: a adds one", theme.dim)));
        }
        for (i, place) in self.places.iter().enumerate() {
            let selected = i == self.cursor && self.adding.is_none();
            let style = if selected { theme.selected } else { theme.text };
            let tick = if place.done { "[x] " } else { "[ ] " };
            let room = usize::from(text_width).saturating_sub(6);
            lines.push(Line::from(vec![
                styled(if selected { "› " } else { "  " }, style),
                styled(tick, if place.done { theme.ok } else { style }),
                styled(SafeText::new(&place.place).fit(room), style),
            ]));
        }
        if let Some(input) = &self.adding {
            lines.push(Line::default());
            lines.push(Line::from(styled("New place:", theme.header)));
            lines.push(input.line(theme.text, true));
        }
        if let Some(notice) = self.notice {
            lines.push(Line::from(styled(notice, theme.warn)));
        }
        lines.push(Line::default());
        let hint = if self.adding.is_some() {
            "Enter adds · Esc drops"
        } else {
            "a add · Space tick · x remove · ↑↓ move · Esc closes"
        };
        lines.push(hint_line(hint, theme));
        boxed(area, buf, theme, &self.title, width, 1, &lines);
    }
}
