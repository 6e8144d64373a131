//! The preview of a bulk action on the marked tokens: every token and what will happen to it, the ones
//! refused before anything is sent and why, and on `p` the exact requests. Beyond
//! [`TYPED_COUNT_ABOVE`] deletions the number is typed to confirm, and a run that includes the console's
//! own token asks for its name. Like every confirmation it runs nothing: it emits the plan once.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;

use super::confirm_buttons::{ButtonsKey, ConfirmButtons};
use super::{Hints, Outcome, boxed, hint_line, hints, is_ctrl_c, is_press, plain_char, styled};
use crate::api::{PermissionChange, TokenId};
use crate::config::Theme;
use crate::text::{SafeText, capitalized, plural};

/// Deleting more tokens than this at once needs their number typed.
pub const TYPED_COUNT_ABOVE: usize = 5;

/// What a bulk action does to each token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BulkAction {
    Reset,
    Delete,
    /// One permission added (or its level changed) or removed on every token; `label` names it.
    Permission {
        change: PermissionChange,
        label: SafeText,
    },
    /// A bulk permission edit put back: each token gets the permissions it had before it (its own
    /// changes, in its target's `restore`).
    Restore,
}

impl BulkAction {
    /// `reset`, `delete`, `grant Admin · Domain x`…, as a verb phrase.
    pub fn verb(&self) -> String {
        match self {
            BulkAction::Reset => "reset".into(),
            BulkAction::Delete => "delete".into(),
            BulkAction::Permission { change, label } => match change.access_level {
                Some(_) => format!("grant {label}"),
                None => format!("remove {label}"),
            },
            BulkAction::Restore => "undo the permission edit of".into(),
        }
    }

    /// The run's name in its dialog and status line: `reset`, `grant Viewer · Domain x`, `undo`.
    pub fn name(&self) -> String {
        match self {
            BulkAction::Restore => "undo".into(),
            other => other.verb(),
        }
    }

    /// What happens to one token, as the preview's row says it.
    fn will(&self) -> &'static str {
        match self {
            BulkAction::Reset => "new secret; the old one works 12 h more",
            BulkAction::Delete => "stops working at once",
            BulkAction::Permission { change, .. } if change.access_level.is_some() => {
                "gets the permission"
            }
            BulkAction::Permission { .. } => "loses the permission",
            BulkAction::Restore => "gets its old permissions back",
        }
    }

    pub fn brings_secrets(&self) -> bool {
        matches!(self, BulkAction::Reset)
    }

    fn button(&self) -> &'static str {
        match self {
            BulkAction::Reset => "Reset all",
            BulkAction::Delete => "Delete all",
            BulkAction::Permission { .. } => "Save all",
            BulkAction::Restore => "Undo all",
        }
    }
}

/// One marked token, as the preview names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BulkTarget {
    pub token: TokenId,
    pub name: SafeText,
    /// `…dcf7`
    pub last4: SafeText,
    /// The name as the server has it (a reset's lost answer is found by it).
    pub server_name: String,
    pub is_own_token: bool,
    /// Refused before anything is sent, and why; such a token gets no request.
    pub refused: Option<String>,
    /// For an undo: what puts this token back, and the journal entry it undoes.
    pub restore: Option<Restore>,
}

/// How one token's permissions are put back as an earlier edit found them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Restore {
    pub changes: Vec<PermissionChange>,
    /// The permissions it gets back.
    pub before: Vec<crate::journal::Permission>,
    /// Its permissions now (the edit's "after").
    pub now: Vec<crate::journal::Permission>,
    pub undoes: crate::journal::EntryId,
}

/// The bulk action as confirmed: run it once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BulkConfirmed {
    pub action: BulkAction,
    pub targets: Vec<BulkTarget>,
}

#[derive(Debug)]
pub struct BulkPreview {
    action: BulkAction,
    targets: Vec<BulkTarget>,
    /// The exact requests, one line each, never a secret; `None` until the client has built them.
    requests: Option<Vec<String>>,
    /// The request that asked the client for them.
    plan_for: u64,
    showing_requests: bool,
    scroll: usize,
    buttons: ConfirmButtons,
}

/// Rows of the list the dialog shows at most; the rest scrolls.
const LIST_ROWS: usize = 12;

impl BulkPreview {
    pub fn new(action: BulkAction, targets: Vec<BulkTarget>, plan_for: u64) -> Self {
        let sending: Vec<&BulkTarget> = targets.iter().filter(|t| t.refused.is_none()).collect();
        let own = sending.iter().find(|t| t.is_own_token);
        let buttons = match own {
            Some(own) => ConfirmButtons::asking(
                own.name.as_str(),
                "It includes the token this console runs on; type its name to confirm",
            ),
            None if action == BulkAction::Delete && sending.len() > TYPED_COUNT_ABOVE => {
                ConfirmButtons::asking(
                    &sending.len().to_string(),
                    "Type the number of tokens to delete to confirm",
                )
            }
            None => ConfirmButtons::new(None),
        };
        Self {
            action,
            targets,
            requests: None,
            plan_for,
            showing_requests: false,
            scroll: 0,
            buttons,
        }
    }

    pub fn action(&self) -> &BulkAction {
        &self.action
    }

    pub fn targets(&self) -> &[BulkTarget] {
        &self.targets
    }

    /// How many tokens a confirmation would send a request for.
    pub fn sending(&self) -> usize {
        self.targets.iter().filter(|t| t.refused.is_none()).count()
    }

    /// The request whose answer is this preview's plan.
    pub fn plan_for(&self) -> u64 {
        self.plan_for
    }

    /// The client's plan arrived: each request's line and body, or why there is none.
    pub fn set_requests(&mut self, planned: Result<Vec<String>, String>) {
        let lines = match planned {
            Ok(plans) => plans
                .iter()
                .flat_map(|p| p.lines().map(|l| SafeText::new(l).into_string()))
                .collect(),
            Err(why) => vec![
                SafeText::new(&format!("The requests could not be planned: {why}")).into_string(),
            ],
        };
        self.requests = Some(lines);
    }

    pub fn showing_requests(&self) -> bool {
        self.showing_requests
    }

    pub fn typing(&self) -> bool {
        self.buttons.typing()
    }

    pub fn handle_paste(&mut self, text: &str) {
        self.buttons.paste(text);
    }

    pub fn hints(&self) -> Hints {
        if self.buttons.typing() {
            return hints(&[("type", "to confirm"), ("Tab", "move"), ("Esc", "cancel")]);
        }
        hints(&[
            ("y", "confirm"),
            ("n/Esc", "cancel"),
            ("p", "requests"),
            ("↑↓", "scroll"),
        ])
    }

    fn list_len(&self) -> usize {
        if self.showing_requests {
            self.requests.as_ref().map_or(1, Vec::len)
        } else {
            self.targets.len()
        }
    }

    pub fn handle_key(&mut self, key: &KeyEvent) -> Outcome<BulkConfirmed> {
        if !is_press(key) {
            return Outcome::Continue;
        }
        if is_ctrl_c(key) || key.code == KeyCode::Esc {
            return Outcome::Closed;
        }
        let last = self.list_len().saturating_sub(LIST_ROWS);
        match key.code {
            KeyCode::Up => self.scroll = self.scroll.saturating_sub(1),
            KeyCode::Down => self.scroll = (self.scroll + 1).min(last),
            KeyCode::PageUp => self.scroll = self.scroll.saturating_sub(LIST_ROWS),
            KeyCode::PageDown => self.scroll = (self.scroll + LIST_ROWS).min(last),
            _ if !self.buttons.typing() && plain_char(key) == Some('p') => {
                self.showing_requests = !self.showing_requests;
                self.scroll = 0;
            }
            _ => {
                if self.sending() == 0 {
                    // Nothing would be sent: only cancelling means anything.
                    return match self.buttons.handle_key(key) {
                        ButtonsKey::Cancel => Outcome::Closed,
                        _ => Outcome::Continue,
                    };
                }
                return match self.buttons.handle_key(key) {
                    ButtonsKey::Continue => Outcome::Continue,
                    ButtonsKey::Cancel => Outcome::Closed,
                    ButtonsKey::Confirm => Outcome::Emit(BulkConfirmed {
                        action: self.action.clone(),
                        targets: self.targets.clone(),
                    }),
                };
            }
        }
        Outcome::Continue
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let width = 96.min(area.width);
        let text_width = usize::from(width.saturating_sub(4));
        let sending = self.sending();
        let refused = self.targets.len() - sending;
        let verb = self.action.verb();
        let noun = match self.action {
            BulkAction::Restore => "",
            BulkAction::Permission { .. } => "on marked ",
            _ => "marked ",
        };
        let title = format!(
            "{} {} {noun}token{}?",
            capitalized(&verb),
            self.targets.len(),
            plural(self.targets.len())
        );
        let mut lines: Vec<Line<'static>> = Vec::new();
        let summary = if sending == 0 {
            "Every marked token is refused below: nothing would be sent.".to_string()
        } else {
            let mut s = format!(
                "{sending} request{} will be sent, one per token, at the rate limit's pace; Esc stops the rest.",
                plural(sending)
            );
            if refused > 0 {
                s.push_str(&format!(" {refused} refused before anything is sent."));
            }
            s
        };
        for l in super::wrap(&summary, width.saturating_sub(4)) {
            lines.push(Line::from(styled(l, theme.text)));
        }
        if self.action == BulkAction::Reset || self.action == BulkAction::Delete {
            lines.push(Line::from(styled("This cannot be undone.", theme.warn)));
        }
        lines.push(Line::default());
        if self.showing_requests {
            lines.push(Line::from(styled(
                "The exact requests (p: back to the tokens):",
                theme.dim,
            )));
            match &self.requests {
                None => lines.push(Line::from(styled(
                    "asking the client for the exact requests…",
                    theme.dim,
                ))),
                Some(requests) => {
                    for request in requests.iter().skip(self.scroll).take(LIST_ROWS) {
                        let shown = SafeText::new(request).fit(text_width);
                        lines.push(Line::from(styled(shown, theme.text)));
                    }
                }
            }
        } else {
            let name_width = text_width.saturating_sub(8 + 44).max(12);
            for t in self.targets.iter().skip(self.scroll).take(LIST_ROWS) {
                let (symbol, style, what) = match &t.refused {
                    None => ("✔", theme.ok, self.action.will().to_string()),
                    Some(why) => ("✖", theme.danger, format!("refused: {why}")),
                };
                let name = t.name.fit(name_width);
                let pad =
                    name_width.saturating_sub(unicode_width::UnicodeWidthStr::width(name.as_str()));
                let row = format!("{name}{} {:<6} ", " ".repeat(pad), t.last4.as_str());
                let room = text_width
                    .saturating_sub(2 + unicode_width::UnicodeWidthStr::width(row.as_str()));
                lines.push(Line::from(vec![
                    styled(format!("{symbol} "), style),
                    styled(row, theme.text),
                    styled(SafeText::from(what).fit(room), style),
                ]));
            }
        }
        let shown = self.list_len();
        if shown > LIST_ROWS {
            lines.push(hint_line(
                &format!(
                    "{}–{} of {shown} · ↑↓ PgUp PgDn scroll",
                    self.scroll + 1,
                    (self.scroll + LIST_ROWS).min(shown)
                ),
                theme,
            ));
        }
        lines.extend(
            self.buttons
                .lines(self.action.button(), width.saturating_sub(4), theme),
        );
        let hint = if self.buttons.typing() {
            "type to confirm · Tab moves · Enter presses · Esc cancels"
        } else {
            "y confirm · n/Esc cancel · p the exact requests · Tab/←/→ move"
        };
        lines.push(hint_line(hint, theme));
        boxed(area, buf, theme, &title, width, 1, &lines);
    }
}
