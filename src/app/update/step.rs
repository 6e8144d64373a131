//! What every handler answers, and the key test they share.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::super::effect::Effect;

/// What a message did: nothing at all (nothing to draw), or changed what the screen shows and may have
/// asked for effects.
#[derive(Debug)]
pub(super) enum Step {
    Ignored,
    Changed(Vec<Effect>),
}

impl Step {
    pub(super) fn done() -> Self {
        Step::Changed(Vec::new())
    }
}

impl From<Vec<Effect>> for Step {
    fn from(effects: Vec<Effect>) -> Self {
        Step::Changed(effects)
    }
}

pub(super) fn is_ctrl(key: &KeyEvent, c: char) -> bool {
    key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char(c)
}
