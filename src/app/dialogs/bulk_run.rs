//! The dialog of a bulk action while it runs and after: a gauge, a result per token, and the new secrets
//! a bulk reset brought, each copied on its own or all saved to one 0600 file. While requests go out,
//! Esc stops sending the rest; once nothing is out, Esc closes, and with a new secret neither copied
//! nor saved it asks first, as the secret dialog does. The run itself (its tokens, their results and
//! the secrets) is the console's (`state::bulk`); this dialog keeps only where the operator is in it,
//! and its list is drawn by the view from the run.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::secret::{warning_question, work_tree_question};
use super::yes_no::{Answer, YesNo};
use super::{Hints, Outcome, hints, is_ctrl_c, is_press, plain_char};
use crate::config::Theme;

/// What the run dialog asks the console to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunCommand {
    /// Send no more requests.
    Stop,
    /// Copy the secret at this position of the run's secrets.
    Copy(usize),
    /// Save every secret of the run to one new 0600 file.
    SaveAll,
    /// The run is over and its secrets are safe (or given up): close and forget it.
    Close,
}

/// What the dialog needs to know of the run to answer a key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RunFacts {
    /// No request is waiting or out.
    pub finished: bool,
    pub secrets: usize,
    pub unacknowledged: usize,
    /// The save directory is inside a git work tree.
    pub save_in_work_tree: bool,
}

#[derive(Debug, Default)]
pub struct BulkRunDialog {
    /// The run brings new secrets (a bulk reset): the hints name their keys.
    pub brings_secrets: bool,
    /// The selected secret.
    pub cursor: usize,
    /// The first result row shown.
    pub scroll: usize,
    asking_close: Option<YesNo>,
    asking_save: Option<YesNo>,
}

/// Result rows the dialog shows at once.
pub const RESULT_ROWS: usize = 10;

impl BulkRunDialog {
    pub fn new(brings_secrets: bool) -> Self {
        Self {
            brings_secrets,
            ..Self::default()
        }
    }

    pub fn hints(&self) -> Hints {
        if self.asking_close.is_some() || self.asking_save.is_some() {
            return hints(&[("y", "yes"), ("n/Esc", "no")]);
        }
        if self.brings_secrets {
            hints(&[
                ("Esc", "stop / close"),
                ("c", "copy secret"),
                ("s", "save all"),
                ("↑↓", "move"),
            ])
        } else {
            hints(&[("Esc", "stop / close"), ("PgUp/PgDn", "scroll")])
        }
    }

    /// Which question is up: 0 none, 1 "close anyway?", 2 "save there anyway?".
    pub fn question(&self) -> u8 {
        if self.asking_close.is_some() {
            1
        } else if self.asking_save.is_some() {
            2
        } else {
            0
        }
    }

    pub fn handle_key(&mut self, key: &KeyEvent, facts: RunFacts) -> Outcome<RunCommand> {
        if !is_press(key) {
            return Outcome::Continue;
        }
        for (slot, yes) in [
            (&mut self.asking_close, RunCommand::Close),
            (&mut self.asking_save, RunCommand::SaveAll),
        ] {
            if slot.is_some() {
                return match YesNo::answer(slot, key) {
                    Some(Answer::Yes) => Outcome::Emit(yes),
                    _ => Outcome::Continue,
                };
            }
        }
        let closing = is_ctrl_c(key)
            || matches!(key.code, KeyCode::Esc | KeyCode::Enter)
            || plain_char(key) == Some('q');
        if closing {
            if !facts.finished {
                // Nothing more goes out; what is out finishes and is reported here.
                return Outcome::Emit(RunCommand::Stop);
            }
            if facts.unacknowledged > 0 {
                self.asking_close = Some(YesNo::default());
                return Outcome::Continue;
            }
            return Outcome::Emit(RunCommand::Close);
        }
        match (key.code, plain_char(key)) {
            (KeyCode::Up, _) | (_, Some('k')) => {
                if facts.secrets > 0 {
                    self.cursor = self.cursor.saturating_sub(1);
                } else {
                    self.scroll = self.scroll.saturating_sub(1);
                }
                Outcome::Continue
            }
            (KeyCode::Down, _) | (_, Some('j')) => {
                if facts.secrets > 0 {
                    self.cursor = (self.cursor + 1).min(facts.secrets - 1);
                } else {
                    self.scroll += 1;
                }
                Outcome::Continue
            }
            (KeyCode::PageUp, _) => {
                self.scroll = self.scroll.saturating_sub(RESULT_ROWS);
                Outcome::Continue
            }
            (KeyCode::PageDown, _) => {
                self.scroll += RESULT_ROWS;
                Outcome::Continue
            }
            (_, Some('c')) if facts.secrets > 0 => {
                Outcome::Emit(RunCommand::Copy(self.cursor.min(facts.secrets - 1)))
            }
            (_, Some('s')) if facts.secrets > 0 && facts.save_in_work_tree => {
                self.asking_save = Some(YesNo::default());
                Outcome::Continue
            }
            (_, Some('s')) if facts.secrets > 0 => Outcome::Emit(RunCommand::SaveAll),
            _ => Outcome::Ignored,
        }
    }

    /// The question over the dialog, if one is up.
    pub fn render_question(
        &self,
        unacknowledged: usize,
        save: &crate::custody::SaveTarget,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
    ) {
        if let Some(question) = &self.asking_close {
            let words = format!(
                "{unacknowledged} new secret{} {} neither copied nor saved and cannot be shown again. \
                 Close anyway?",
                if unacknowledged == 1 { "" } else { "s" },
                if unacknowledged == 1 { "was" } else { "were" },
            );
            let q = warning_question(
                "Close?",
                &words,
                60,
                ["No", "Close"],
                "y close · n/Esc back",
                area,
                theme,
            );
            question.render(q, area, buf, theme);
        }
        if let Some(question) = &self.asking_save {
            work_tree_question(question, save, "a secrets file", area, buf, theme);
        }
    }
}
