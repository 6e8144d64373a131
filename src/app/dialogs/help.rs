//! The help dialog's keys: scrolling, and closing with Esc, the help key or quit. What it lists (the live
//! keymap, the selected row's refused actions, the config's problems) is drawn by `view/help.rs` from
//! the state; this dialog keeps only where the reader is.

use crossterm::event::{KeyCode, KeyEvent};

use super::{Hints, Outcome, is_ctrl_c, is_press};
use crate::keys::action::Action;
use crate::keys::keymap::Keymap;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HelpDialog {
    /// Lines scrolled past; the view clamps it to what there is.
    pub scroll: u16,
}

impl HelpDialog {
    /// `action` is what the keymap makes of the key.
    pub fn handle_key(&mut self, key: &KeyEvent, action: Option<Action>) -> Outcome<()> {
        if !is_press(key) {
            return Outcome::Ignored;
        }
        match (key.code, action) {
            (KeyCode::Esc, _) | (_, Some(Action::Help | Action::Quit)) => Outcome::Closed,
            _ if is_ctrl_c(key) => Outcome::Closed,
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
}
