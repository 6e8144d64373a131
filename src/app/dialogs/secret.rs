//! The secret dialog, for create and reset: the only place the full secret is drawn. `c` copies, `s`
//! saves to a file, `v` checks that the new token works; Enter is done. Enter, Esc, `q` or Ctrl-C
//! before a copy or a save asks "The secret cannot be shown again. Close anyway?" with No focused, and
//! `s` into a directory inside a git work tree asks "save there anyway?" first, No focused too.
//!
//! The dialog does no I/O: it emits [`SecretCommand`]s, and the console feeds the results back with
//! [`SecretDialog::copy_result`], [`SecretDialog::save_result`] and [`SecretDialog::verify_result`].
//! Dropping the dialog drops (and so zeroizes) the secret.

use chrono::{DateTime, Utc};
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::Line;
use std::path::PathBuf;

use super::yes_no::{Answer, Question, YesNo};
use super::{Hints, hints};
use super::{Outcome, boxed, hint_line, is_ctrl_c, is_press, plain_char, styled, wrap};
use crate::api::{ApiToken, Secret, TokenId};
use crate::clipboard::CopyOutcome;
use crate::config::Theme;
use crate::custody::{SaveTarget, secret_file_name};
use crate::text::{SafeText, sanitize};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SecretOrigin {
    Created,
    /// A reset: the old token keeps working until `old_stops_at`.
    Reset {
        old_id: TokenId,
        old_name: SafeText,
        old_stops_at: Option<DateTime<Utc>>,
    },
}

/// What the console should do for the dialog. Each carries its own copy of the secret (wiped on drop).
#[derive(Debug, PartialEq, Eq)]
pub enum SecretCommand {
    /// Copy through `crate::clipboard` as a secret (cleared later).
    Copy(Secret),
    /// Save with `custody::save_secret_new(path, secret)` (a taken name gets `-2`, `-3`, …).
    Save { path: PathBuf, secret: Secret },
    /// `GET /api/accounts` with the new token.
    Verify(Secret),
    /// Hand the secret to the `[[handoff]]` targets that match the token.
    HandOff(Secret),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Level {
    Ok,
    Info,
    Error,
}

#[derive(Debug)]
pub struct SecretDialog {
    token_id: TokenId,
    name: SafeText,
    secret: Secret,
    origin: SecretOrigin,
    save: SaveTarget,
    acknowledged: bool,
    /// Saved to a file: the secret outlives the dialog without anyone's help.
    saved: bool,
    /// Sent by OSC 52, which cannot say whether anything received it: closing still asks, and says why.
    sent_unconfirmed: bool,
    /// Asked "close anyway?" while `Some`.
    asking_close: Option<YesNo>,
    /// Asked "save inside the git work tree anyway?" while `Some`.
    asking_save: Option<YesNo>,
    copy_line: Option<(Level, SafeText)>,
    save_line: Option<(Level, SafeText)>,
    verify_line: Option<(Level, SafeText)>,
    /// One line per hand-off command, in the order they ran.
    handoff_lines: Vec<(Level, SafeText)>,
    /// A hand-off command took the secret (exit status 0): it is kept where that command put it.
    handed_off: bool,
}

impl SecretDialog {
    /// Says where `s` writes, so the file can be found afterwards.
    pub fn hints(&self) -> Hints {
        let dir = self
            .save_path()
            .parent()
            .map(|p| SafeText::new(&p.to_string_lossy()))
            .unwrap_or_default();
        let mut out = hints(&[("c", "copy")]);
        out.push((SafeText::literal("s"), dir.after("save in ")));
        out.extend(hints(&[
            ("h", "hand off"),
            ("v", "verify"),
            ("Enter", "done"),
        ]));
        out
    }

    /// `token` is the new token (from the create or reset answer); `save` is where `s` saves (a plain
    /// path is taken to be outside any git work tree).
    pub fn new(
        token: &ApiToken,
        secret: Secret,
        origin: SecretOrigin,
        save: impl Into<SaveTarget>,
    ) -> Self {
        Self {
            token_id: token.id,
            name: SafeText::new(&token.name),
            secret,
            origin,
            save: save.into(),
            acknowledged: false,
            saved: false,
            sent_unconfirmed: false,
            asking_close: None,
            asking_save: None,
            copy_line: None,
            save_line: None,
            verify_line: None,
            handoff_lines: Vec::new(),
            handed_off: false,
        }
    }

    /// The new token's name as shown (the hand-off's `{name}`).
    pub fn name(&self) -> &SafeText {
        &self.name
    }

    pub fn origin(&self) -> &SecretOrigin {
        &self.origin
    }

    pub fn token_id(&self) -> TokenId {
        self.token_id
    }

    /// The secret has been neither copied nor saved: quitting must ask first.
    pub fn has_unacknowledged_secret(&self) -> bool {
        !self.acknowledged
    }

    /// The secret as it must be rescued when the process stops with this dialog open: `None` once it
    /// was saved to a file (that file keeps it).
    pub fn custody(&self) -> Option<crate::custody::Rescue<'_>> {
        (!self.saved && !self.handed_off).then_some(crate::custody::Rescue {
            name: self.name.as_str(),
            id: self.token_id,
            secret: &self.secret,
        })
    }

    pub fn is_asking_close(&self) -> bool {
        self.asking_close.is_some()
    }

    pub fn is_asking_save(&self) -> bool {
        self.asking_save.is_some()
    }

    /// Which question is up: 0 none, 1 "close anyway?", 2 "save there anyway?" (a new one must be
    /// drawn before a key may answer it).
    pub fn question(&self) -> u8 {
        if self.asking_close.is_some() {
            1
        } else if self.asking_save.is_some() {
            2
        } else {
            0
        }
    }

    /// Where `s` saves.
    pub fn save_path(&self) -> PathBuf {
        self.save
            .dir
            .join(secret_file_name(&self.name, self.token_id))
    }

    fn save_command(&self) -> Outcome<SecretCommand> {
        Outcome::Emit(SecretCommand::Save {
            path: self.save_path(),
            secret: self.secret.clone(),
        })
    }

    /// Opens the "close anyway?" question (the quit guard uses it too); returns false when there is
    /// nothing to guard and the dialog may simply close.
    pub fn ask_before_close(&mut self) -> bool {
        if self.acknowledged {
            return false;
        }
        self.asking_save = None;
        self.asking_close = Some(YesNo::default());
        true
    }

    pub fn handle_key(&mut self, key: &KeyEvent) -> Outcome<SecretCommand> {
        if !is_press(key) {
            return Outcome::Continue;
        }
        if let Some(question) = &mut self.asking_close {
            return match question.handle_key(key) {
                Some(Answer::Yes) => Outcome::Closed,
                Some(Answer::No) => {
                    self.asking_close = None;
                    Outcome::Continue
                }
                None => Outcome::Continue,
            };
        }
        if let Some(question) = &mut self.asking_save {
            return match question.handle_key(key) {
                Some(Answer::Yes) => {
                    self.asking_save = None;
                    self.save_command()
                }
                Some(Answer::No) => {
                    self.asking_save = None;
                    self.save_line = Some((Level::Info, SafeText::literal("not saved")));
                    Outcome::Continue
                }
                None => Outcome::Continue,
            };
        }
        let closing = is_ctrl_c(key)
            || matches!(key.code, KeyCode::Enter | KeyCode::Esc)
            || plain_char(key) == Some('q');
        if closing {
            return if self.ask_before_close() {
                Outcome::Continue
            } else {
                Outcome::Closed
            };
        }
        match plain_char(key) {
            Some('c') => Outcome::Emit(SecretCommand::Copy(self.secret.clone())),
            // A secret file in a work tree is one `git add .` from a commit: ask first.
            Some('s') if self.save.work_tree.is_some() => {
                self.asking_save = Some(YesNo::default());
                Outcome::Continue
            }
            Some('s') => self.save_command(),
            Some('h') => Outcome::Emit(SecretCommand::HandOff(self.secret.clone())),
            Some('v') => {
                self.verify_line =
                    Some((Level::Info, SafeText::literal("checking the new token…")));
                Outcome::Emit(SecretCommand::Verify(self.secret.clone()))
            }
            _ => Outcome::Continue,
        }
    }

    /// The clipboard's answer to `Copy`. Only a copy the clipboard gave back keeps the secret; an OSC 52
    /// sequence may have reached nothing, so it is said as sent and closing still asks.
    pub fn copy_result(&mut self, outcome: &CopyOutcome) {
        let level = if outcome.confirmed() {
            self.acknowledged = true;
            Level::Ok
        } else if outcome.succeeded() {
            self.sent_unconfirmed = true;
            Level::Info
        } else {
            Level::Error
        };
        self.copy_line = Some((level, SafeText::from(outcome.message())));
    }

    /// The answer to `Save`: the path written, or why not (the words are shown as they are).
    pub fn save_result(&mut self, result: Result<PathBuf, String>) {
        self.save_line = Some(match result {
            Ok(path) => {
                self.acknowledged = true;
                self.saved = true;
                let words = format!("saved to {} (readable only by you)", path.to_string_lossy());
                (Level::Ok, SafeText::from(words))
            }
            Err(e) => (Level::Error, SafeText::from(format!("could not save: {e}"))),
        });
    }

    /// Hand-off commands started (`runs`), or why none could (`None`: nothing matched).
    pub fn handoff_started(&mut self, runs: usize) {
        let line = match runs {
            0 => (
                Level::Error,
                SafeText::literal(
                    "no hand-off matches this token: add a [[handoff]] table to the config file",
                ),
            ),
            1 => (Level::Info, SafeText::literal("handing off…")),
            n => (
                Level::Info,
                SafeText::from(format!("handing off to {n} commands…")),
            ),
        };
        self.handoff_lines = vec![line];
    }

    /// One hand-off command's result; only an exit status of 0 keeps the secret.
    pub fn handoff_result(&mut self, line: SafeText, kept: bool) {
        if self
            .handoff_lines
            .first()
            .is_some_and(|(level, _)| *level == Level::Info)
        {
            self.handoff_lines.clear();
        }
        if kept {
            self.acknowledged = true;
            self.handed_off = true;
        }
        let level = if kept { Level::Ok } else { Level::Error };
        self.handoff_lines.push((level, line));
    }

    /// The answer to `Verify`: `Ok(words)` when the new token authenticated, `Err(words)` otherwise.
    pub fn verify_result(&mut self, result: Result<String, String>) {
        self.verify_line = Some(match result {
            Ok(words) => (Level::Ok, SafeText::from(words)),
            Err(words) => (Level::Error, SafeText::from(words)),
        });
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let width = 78.min(area.width);
        let text_width = width.saturating_sub(4);
        let title = match &self.origin {
            SecretOrigin::Created => format!("Token created · {}", self.name),
            SecretOrigin::Reset { .. } => format!("Token reset · new token {}", self.name),
        };
        // The secret is the one text made safe while drawing: a safe copy kept beside it would be a second
        // copy of the secret in memory. This one is wiped when the frame is done with it.
        let shown = zeroize::Zeroizing::new(sanitize(self.secret.expose_secret()));
        let mut lines: Vec<Line<'_>> = Vec::new();
        for l in wrap(
            "Mailtrap shows this secret only now. Copy it or save it before you close this dialog.",
            text_width,
        ) {
            lines.push(Line::from(styled(l, theme.warn)));
        }
        lines.push(Line::default());
        // The one place the full secret is drawn.
        lines.push(
            Line::from(ratatui::text::Span::styled(
                shown.as_str(),
                theme.text.add_modifier(Modifier::BOLD),
            ))
            .centered(),
        );
        lines.push(Line::default());
        if let SecretOrigin::Reset {
            old_name,
            old_stops_at,
            ..
        } = &self.origin
        {
            let until = old_stops_at
                .map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
                .unwrap_or_else(|| "its grace period ends".into());
            for l in wrap(
                &format!("The old token {old_name} keeps working until {until}."),
                text_width,
            ) {
                lines.push(Line::from(styled(l, theme.text)));
            }
        }
        for (level, text) in [&self.copy_line, &self.save_line, &self.verify_line]
            .into_iter()
            .flatten()
            .chain(&self.handoff_lines)
        {
            let (mark, style) = match level {
                Level::Ok => ("✓ ", theme.ok),
                Level::Info => ("… ", theme.info),
                Level::Error => ("✗ ", theme.danger),
            };
            for (i, l) in wrap(text, text_width.saturating_sub(2))
                .into_iter()
                .enumerate()
            {
                let lead = if i == 0 { mark } else { "  " };
                lines.push(Line::from(styled(format!("{lead}{l}"), style)));
            }
        }
        lines.push(Line::default());
        lines.push(hint_line(
            "c copy · s save to a file · h hand off · v verify it works · Enter done",
            theme,
        ));
        boxed(area, buf, theme, &title, width, 1, &lines);
        if let Some(question) = &self.asking_close {
            let words = if self.sent_unconfirmed {
                "The copy went by OSC 52, and the terminal cannot confirm that anything received it. \
                 The secret cannot be shown again. Close anyway?"
            } else {
                "The secret cannot be shown again. Close anyway?"
            };
            let q = warning_question(
                "Close?",
                words,
                58,
                ["No", "Close"],
                "y close · n/Esc back",
                area,
                theme,
            );
            question.render(q, area, buf, theme);
        }
        if let Some(question) = &self.asking_save {
            work_tree_question(question, &self.save, "a secret file", area, buf, theme);
        }
    }
}

/// "… is inside the git work tree at …; save there anyway?", over the dialog asking it (nothing when
/// the save directory is in no work tree).
pub(crate) fn work_tree_question(
    question: &YesNo,
    save: &SaveTarget,
    what: &str,
    area: Rect,
    buf: &mut Buffer,
    theme: &Theme,
) {
    let Some(top) = &save.work_tree else {
        return;
    };
    let words = sanitize(&format!(
        "{} is inside the git work tree at {}, where {what} can end up in a commit. Save there anyway?",
        save.dir.to_string_lossy(),
        top.to_string_lossy()
    ));
    let q = warning_question(
        "Save in a git work tree?",
        &words,
        62,
        ["No", "Save"],
        "y save · n/Esc back",
        area,
        theme,
    );
    question.render(q, area, buf, theme);
}

/// A yes/no question over the dialog: its words wrapped in the warning style, at most `width` wide.
pub(crate) fn warning_question(
    title: &'static str,
    words: &str,
    width: u16,
    labels: [&'static str; 2],
    hint: &'static str,
    area: Rect,
    theme: &Theme,
) -> Question<'static> {
    let width = width.min(area.width);
    let body = wrap(words, width.saturating_sub(4))
        .into_iter()
        .map(|l| Line::from(styled(l, theme.warn)).centered())
        .collect();
    Question {
        title,
        width,
        margin: 0,
        body,
        labels,
        hint,
    }
}
