//! The new-token form, also used for "clone as new": a name, the permission matrix, an expiry (1, 7,
//! 30, 90, 180 or 365 days, a date, or never after a second question), a review, then
//! `Outcome::Emit(NewToken)` — once; the form stays open and waits. If the server answers 422, feed its
//! messages back with [`TokenForm::show_server_errors`]: each shows on the field it names and the form
//! keeps everything typed.
//!
//! Keys: Enter or Tab goes to the next step, Esc or Shift-Tab to the previous one (Esc on the first
//! step closes), Ctrl-C closes.

use chrono::{DateTime, Days, Months, NaiveDate, Utc};
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::permission_matrix::PermissionMatrix;
use super::text_input::TextInput;
use super::yes_no::{Answer, Question, YesNo};
use super::{Hints, hints};
use super::{
    Outcome, centered, draw_lines, frame, hint_line, is_ctrl_c, is_press, plain_char, styled,
};
use crate::api::{ApiToken, Expiry, FieldError, NewToken, ResourceNode};
use crate::config::Theme;
use crate::text::SafeText;

/// Mailtrap's limit on a token name.
pub const MAX_NAME_CHARS: usize = 255;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FormMode {
    New,
    /// Clone as new: prefilled from the token of this name.
    Clone {
        from_name: SafeText,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    Name,
    Permissions,
    Expiry,
    Review,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExpiryChoice {
    Days(u64),
    Date,
    Never,
}

pub const EXPIRY_CHOICES: [ExpiryChoice; 8] = [
    ExpiryChoice::Days(1),
    ExpiryChoice::Days(7),
    ExpiryChoice::Days(30),
    ExpiryChoice::Days(90),
    ExpiryChoice::Days(180),
    ExpiryChoice::Days(365),
    ExpiryChoice::Date,
    ExpiryChoice::Never,
];

/// The preset chosen when the form opens: 90 days.
const DEFAULT_CHOICE: usize = 3;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Errors {
    name: Option<SafeText>,
    expiry: Option<SafeText>,
    permissions: Option<SafeText>,
    /// Messages that name no field (the server's `base`), shown at the top of every step.
    base: Vec<SafeText>,
}

#[derive(Debug)]
pub struct TokenForm {
    mode: FormMode,
    step: Step,
    name: TextInput,
    matrix: PermissionMatrix,
    expiry_choice: usize,
    date: TextInput,
    /// Asked "never expires?" while `Some`.
    asking_never: Option<YesNo>,
    never_confirmed: bool,
    errors: Errors,
    now: DateTime<Utc>,
    /// Submit was emitted and no answer came back yet: Enter does nothing more.
    submitted: bool,
}

impl TokenForm {
    pub fn hints(&self) -> Hints {
        hints(&[
            ("Enter/Tab", "next"),
            ("Esc", "back"),
            ("Space", "toggle"),
            ("Ctrl-C", "close"),
        ])
    }

    /// A blank form over the caller's permissions tree.
    pub fn new(tree: &[ResourceNode], now: DateTime<Utc>) -> Self {
        Self {
            mode: FormMode::New,
            step: Step::Name,
            name: TextInput::new(MAX_NAME_CHARS),
            matrix: PermissionMatrix::new(tree),
            expiry_choice: DEFAULT_CHOICE,
            date: TextInput::new(10),
            asking_never: None,
            never_confirmed: false,
            errors: Errors::default(),
            now,
            submitted: false,
        }
    }

    /// Clone as new: the token's name with " copy", its resources ticked at their levels.
    pub fn clone_from(token: &ApiToken, tree: &[ResourceNode], now: DateTime<Utc>) -> Self {
        let from_name = SafeText::new(&token.name);
        let mut form = Self::new(tree, now);
        form.mode = FormMode::Clone {
            from_name: from_name.clone(),
        };
        form.name = TextInput::with_value(MAX_NAME_CHARS, &format!("{from_name} copy"));
        form.matrix = PermissionMatrix::with_resources(tree, &token.resources);
        form
    }

    pub fn step(&self) -> Step {
        self.step
    }

    pub fn mode(&self) -> &FormMode {
        &self.mode
    }

    pub fn name_value(&self) -> String {
        self.name.value()
    }

    pub fn matrix(&self) -> &PermissionMatrix {
        &self.matrix
    }

    pub fn is_asking_never(&self) -> bool {
        self.asking_never.is_some()
    }

    /// Moves the form's clock (for presets and date checks); call it on the console's tick.
    pub fn set_now(&mut self, now: DateTime<Utc>) {
        self.now = now;
    }

    /// The server refused the create (422): show each message on its field, go to the first step with
    /// a message, keep everything typed, and allow submitting again.
    pub fn show_server_errors(&mut self, errors: Vec<FieldError>) {
        self.submitted = false;
        self.errors = Errors::default();
        for e in errors {
            let message = SafeText::new(&e.message);
            match e.field.as_deref() {
                Some("name") => join(&mut self.errors.name, message),
                Some("expires_at") => join(&mut self.errors.expiry, message),
                Some("resources") => join(&mut self.errors.permissions, message),
                None | Some("base") => self.errors.base.push(message),
                Some(other) => self
                    .errors
                    .base
                    .push(SafeText::from(format!("{other}: {message}"))),
            }
        }
        self.step = if self.errors.name.is_some() {
            Step::Name
        } else if self.errors.permissions.is_some() {
            Step::Permissions
        } else if self.errors.expiry.is_some() {
            Step::Expiry
        } else {
            Step::Review
        };
    }

    /// The request failed without field messages (e.g. a time-out): allow submitting again.
    pub fn submit_failed(&mut self, message: &str) {
        self.submitted = false;
        self.errors.base = vec![SafeText::new(message)];
    }

    pub fn handle_paste(&mut self, text: &str) {
        match self.step {
            Step::Name if self.name.insert_text(text) => {
                self.errors.name = Some(SafeText::from(format!(
                    "a name has at most {MAX_NAME_CHARS} characters; the rest was cut"
                )));
            }
            Step::Expiry if EXPIRY_CHOICES[self.expiry_choice] == ExpiryChoice::Date => {
                self.date.insert_text(text);
            }
            _ => {}
        }
    }

    pub fn handle_key(&mut self, key: &KeyEvent) -> Outcome<NewToken> {
        if !is_press(key) {
            return Outcome::Continue;
        }
        if is_ctrl_c(key) {
            return Outcome::Closed;
        }
        if self.asking_never.is_some() {
            return self.never_question_key(key);
        }
        let forward = matches!(key.code, KeyCode::Enter | KeyCode::Tab);
        let back = matches!(key.code, KeyCode::Esc | KeyCode::BackTab);
        if back {
            self.step = match self.step {
                Step::Name => return Outcome::Closed,
                Step::Permissions => Step::Name,
                Step::Expiry => Step::Permissions,
                Step::Review => Step::Expiry,
            };
            return Outcome::Continue;
        }
        match self.step {
            Step::Name => {
                if forward {
                    if self.name.value().trim().is_empty() {
                        self.errors.name = Some("the token needs a name".into());
                    } else {
                        self.errors.name = None;
                        self.step = Step::Permissions;
                    }
                } else if self.name.handle_key(key) {
                    self.errors.name = None;
                }
            }
            Step::Permissions => {
                if forward {
                    if self.matrix.selected_resources().is_empty() {
                        self.errors.permissions =
                            Some("tick at least one permission (Space toggles)".into());
                    } else {
                        self.errors.permissions = None;
                        self.step = Step::Expiry;
                    }
                } else if self.matrix.handle_key(key) {
                    self.errors.permissions = None;
                }
            }
            Step::Expiry => self.expiry_key(key, forward),
            Step::Review => {
                if key.code == KeyCode::Enter && !self.submitted {
                    return self.submit();
                }
            }
        }
        Outcome::Continue
    }

    fn expiry_key(&mut self, key: &KeyEvent, forward: bool) {
        let n = EXPIRY_CHOICES.len();
        let on_date = EXPIRY_CHOICES[self.expiry_choice] == ExpiryChoice::Date;
        if forward {
            match self.resolve_expiry() {
                Err(message) => self.errors.expiry = Some(message.into()),
                Ok(Expiry::Never) if !self.never_confirmed => {
                    self.asking_never = Some(YesNo::default())
                }
                Ok(_) => {
                    self.errors.expiry = None;
                    self.step = Step::Review;
                }
            }
            return;
        }
        match (key.code, plain_char(key)) {
            (KeyCode::Up, _) | (_, Some('k')) => {
                self.expiry_choice = (self.expiry_choice + n - 1) % n;
                self.errors.expiry = None;
            }
            (KeyCode::Down, _) | (_, Some('j')) => {
                self.expiry_choice = (self.expiry_choice + 1) % n;
                self.errors.expiry = None;
            }
            (_, Some(c)) if on_date && (c.is_ascii_digit() || c == '-') => {
                self.date.handle_key(key);
                self.errors.expiry = None;
            }
            (KeyCode::Backspace | KeyCode::Delete | KeyCode::Left | KeyCode::Right, _)
                if on_date =>
            {
                self.date.handle_key(key);
            }
            _ => {}
        }
    }

    fn never_question_key(&mut self, key: &KeyEvent) -> Outcome<NewToken> {
        let answer = self.asking_never.as_mut().and_then(|q| q.handle_key(key));
        if let Some(answer) = answer {
            self.asking_never = None;
            if answer == Answer::Yes {
                self.never_confirmed = true;
                self.errors.expiry = None;
                self.step = Step::Review;
            }
        }
        Outcome::Continue
    }

    fn submit(&mut self) -> Outcome<NewToken> {
        let expiry = match self.resolve_expiry() {
            Ok(e) => e,
            Err(message) => {
                self.errors.expiry = Some(message.into());
                self.step = Step::Expiry;
                return Outcome::Continue;
            }
        };
        self.submitted = true;
        self.errors.base.clear();
        Outcome::Emit(NewToken {
            name: self.name.value().trim().to_string(),
            resources: self.matrix.selected_resources(),
            expiry,
        })
    }

    /// The chosen expiry, or why it is not valid.
    pub fn resolve_expiry(&self) -> Result<Expiry, String> {
        match EXPIRY_CHOICES[self.expiry_choice] {
            ExpiryChoice::Days(d) => self
                .now
                .checked_add_days(Days::new(d))
                .map(Expiry::At)
                .ok_or_else(|| "that date is out of range".into()),
            ExpiryChoice::Never => Ok(Expiry::Never),
            ExpiryChoice::Date => {
                let text = self.date.value();
                let date = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
                    .map_err(|_| format!("{text:?} is not a date; write it as YYYY-MM-DD"))?;
                let at = date
                    .and_hms_opt(0, 0, 0)
                    .map(|t| t.and_utc())
                    .ok_or("that date is out of range")?;
                if at <= self.now {
                    return Err("the date must be in the future".into());
                }
                let limit = self
                    .now
                    .checked_add_months(Months::new(60))
                    .ok_or("that date is out of range")?;
                if at > limit {
                    return Err("the date must be at most 5 years from now".into());
                }
                Ok(Expiry::At(at))
            }
        }
    }

    fn expiry_words(&self) -> String {
        match (self.resolve_expiry(), EXPIRY_CHOICES[self.expiry_choice]) {
            (Ok(Expiry::Never), _) => "never".into(),
            (Ok(Expiry::At(at)), ExpiryChoice::Days(d)) => {
                format!(
                    "in {d} day{}, on {}",
                    plural(d),
                    at.format("%Y-%m-%d %H:%M UTC")
                )
            }
            (Ok(Expiry::At(at)), _) => format!("on {}", at.format("%Y-%m-%d %H:%M UTC")),
            (Ok(Expiry::ServerDefault), _) => "the server's default".into(),
            (Err(e), _) => e,
        }
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let width = 90.min(area.width);
        let height = 26.min(area.height);
        let rect = centered(area, width, height);
        let title = match &self.mode {
            FormMode::New => "New token".to_string(),
            FormMode::Clone { from_name } => format!("Clone {from_name} as a new token"),
        };
        let inner = frame(rect, buf, theme, &title);
        let inner = Rect {
            x: inner.x + 1,
            width: inner.width.saturating_sub(2),
            ..inner
        };
        let mut top: Vec<Line<'static>> = vec![self.steps_line(theme)];
        for message in &self.errors.base {
            top.push(Line::from(styled(format!("✗ {message}"), theme.danger)));
        }
        top.push(Line::default());
        let top_height = u16::try_from(top.len()).unwrap_or(u16::MAX);
        draw_lines(inner, buf, &top);
        let body = Rect {
            y: inner.y.saturating_add(top_height),
            height: inner.height.saturating_sub(top_height + 1),
            ..inner
        };
        let hint = match self.step {
            Step::Name => "type a name · Enter next · Esc closes",
            Step::Permissions => {
                "↑↓ move · ←→ column · Space toggles (a/v) · Enter next · Esc back"
            }
            Step::Expiry => "↑↓ choose · type the date · Enter next · Esc back",
            Step::Review if self.submitted => "creating…",
            Step::Review => "Enter creates the token · Esc back",
        };
        let hint_row = Rect {
            y: inner.y + inner.height.saturating_sub(1),
            height: 1.min(inner.height),
            ..inner
        };
        draw_lines(hint_row, buf, &[hint_line(hint, theme)]);
        match self.step {
            Step::Name => {
                let mut field = vec![styled("> ", theme.key)];
                field.extend(self.name.line(theme.text, true).spans);
                let mut lines = vec![
                    Line::from(styled("Name", theme.header)),
                    Line::from(field),
                    Line::from(styled(
                        format!(
                            "{}/{MAX_NAME_CHARS} characters",
                            self.name.value().chars().count()
                        ),
                        theme.dim,
                    )),
                ];
                if let Some(e) = &self.errors.name {
                    lines.push(Line::from(styled(format!("✗ {e}"), theme.danger)));
                }
                draw_lines(body, buf, &lines);
            }
            Step::Permissions => {
                let mut matrix_area = body;
                if let Some(e) = &self.errors.permissions {
                    draw_lines(
                        body,
                        buf,
                        &[Line::from(styled(format!("✗ {e}"), theme.danger))],
                    );
                    matrix_area.y += 1;
                    matrix_area.height = matrix_area.height.saturating_sub(1);
                }
                self.matrix.render(matrix_area, buf, theme, true);
            }
            Step::Expiry => self.render_expiry(body, buf, theme),
            Step::Review => self.render_review(body, buf, theme),
        }
        if let Some(question) = &self.asking_never {
            let body = vec![
                Line::from(styled("This token will never expire.", theme.warn)),
                Line::from(styled(
                    "Tokens that never expire stay valid if they leak.",
                    theme.text,
                )),
            ];
            let q = Question {
                title: "No expiry?",
                width: 56,
                margin: 1,
                body,
                labels: ["No", "Never expire"],
                hint: "y yes · n/Esc no",
            };
            question.render(q, area, buf, theme);
        }
    }

    fn steps_line(&self, theme: &Theme) -> Line<'static> {
        let steps = [
            (Step::Name, "1 Name"),
            (Step::Permissions, "2 Permissions"),
            (Step::Expiry, "3 Expiry"),
            (Step::Review, "4 Review"),
        ];
        let mut spans = Vec::new();
        for (i, (step, label)) in steps.iter().enumerate() {
            if i > 0 {
                spans.push(Span::styled(" › ", theme.dim));
            }
            let style = if *step == self.step {
                theme.title
            } else {
                theme.dim
            };
            spans.push(Span::styled(*label, style));
        }
        Line::from(spans)
    }

    fn render_expiry(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let mut lines = vec![Line::from(styled("Expires", theme.header))];
        for (i, choice) in EXPIRY_CHOICES.iter().enumerate() {
            let chosen = i == self.expiry_choice;
            let mark = if chosen { "(•) " } else { "( ) " };
            let style = if chosen { theme.selected } else { theme.text };
            let mut spans = vec![styled(mark, style)];
            match choice {
                ExpiryChoice::Days(d) => {
                    spans.push(styled(format!("in {d} day{}", plural(*d)), style))
                }
                ExpiryChoice::Never => spans.push(styled("never (asks again)", style)),
                ExpiryChoice::Date => {
                    spans.push(styled("on a date (YYYY-MM-DD): ", style));
                    spans.extend(self.date.line(theme.text, chosen).spans);
                }
            }
            lines.push(Line::from(spans));
        }
        lines.push(Line::default());
        match &self.errors.expiry {
            Some(e) => lines.push(Line::from(styled(format!("✗ {e}"), theme.danger))),
            None => lines.push(Line::from(styled(
                format!("Expires {}", self.expiry_words()),
                theme.dim,
            ))),
        }
        draw_lines(area, buf, &lines);
    }

    fn render_review(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let mut lines = vec![
            Line::from(vec![
                styled("Name      ", theme.header),
                styled(self.name.value().trim().to_string(), theme.text),
            ]),
            Line::from(vec![
                styled("Expires   ", theme.header),
                styled(self.expiry_words(), theme.text),
            ]),
            Line::from(styled("Permissions", theme.header)),
        ];
        for row in self.matrix.rows().iter().filter(|r| r.level.is_some()) {
            let level = if row.admin_ticked() {
                "Admin "
            } else {
                "Viewer"
            };
            lines.push(Line::from(vec![
                styled(format!("  {level}  "), theme.key),
                styled(row.name.clone(), theme.text),
            ]));
        }
        lines.push(Line::default());
        lines.push(Line::from(styled(
            "The secret is shown once, right after the token is created.",
            theme.dim,
        )));
        draw_lines(area, buf, &lines);
    }
}

fn plural(n: u64) -> &'static str {
    crate::text::plural(usize::try_from(n).unwrap_or(usize::MAX))
}

fn join(slot: &mut Option<SafeText>, message: SafeText) {
    *slot = Some(match slot.take() {
        Some(prev) => SafeText::joined(&[prev, message], "; "),
        None => message,
    });
}
