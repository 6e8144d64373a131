//! The bulk run dialog, drawn from the run: a gauge of the requests answered, a result per token
//! (scrolled by the dialog), and the new secrets of a bulk reset with the one selected, each with its
//! state (copied, saved, or still only here).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use crate::config::Theme;
use crate::text::{SafeText, plural};

use super::super::dialogs::bulk_run::{BulkRunDialog, RESULT_ROWS};
use super::super::dialogs::{boxed, hint_line, styled};
use super::super::state::State;
use super::super::state::bulk::ItemState;

/// How many secrets show at once.
const SECRET_ROWS: usize = 8;

pub fn render(state: &State, dialog: &BulkRunDialog, theme: &Theme, frame: &mut Frame, area: Rect) {
    let Some(run) = &state.bulk else {
        return;
    };
    let buf = frame.buffer_mut();
    let width = 96.min(area.width);
    let text_width = usize::from(width.saturating_sub(4));
    let total = run.targets.len();
    let c = run.counts();
    let answered = c.done + c.failed + c.lost;
    let title = format!("Bulk {}: {total} token{}", run.action.name(), plural(total));
    let mut lines: Vec<Line<'static>> = Vec::new();
    let sendable = total - run.targets.iter().filter(|t| t.refused.is_some()).count();
    lines.push(gauge(answered, sendable, text_width, theme));
    let mut said = format!(
        "{} done · {} failed · {} without an answer · {} not sent",
        c.done, c.failed, c.lost, c.not_sent
    );
    if run.in_flight() > 0 {
        said.push_str(&format!(" · {} out", run.in_flight()));
    }
    if run.rate_limited > 0 {
        said.push_str(&format!(
            " · {} rate-limited (each sent again after its wait)",
            run.rate_limited
        ));
    }
    // Lines are clipped at the dialog's edge: numbers and fixed words need no fitting.
    lines.push(Line::from(styled(said, theme.text)));
    if let Some(why) = &run.stopped {
        lines.push(Line::from(vec![
            styled("Stopped: ", theme.warn),
            styled(why.fit(text_width.saturating_sub(9)), theme.warn),
        ]));
    }
    lines.push(Line::default());
    let first = dialog.scroll.min(total.saturating_sub(RESULT_ROWS));
    for (target, item) in run
        .targets
        .iter()
        .zip(&run.states)
        .skip(first)
        .take(RESULT_ROWS)
    {
        let (symbol, style, what) = describe(item, theme);
        let name_width = text_width.saturating_sub(10 + 40).max(12);
        let name = target.name.fit(name_width);
        let pad = name_width.saturating_sub(name.width());
        let head = format!("{name}{} {:<6} ", " ".repeat(pad), target.last4.as_str());
        let room = text_width.saturating_sub(2 + head.width());
        lines.push(Line::from(vec![
            styled(format!("{symbol} "), style),
            styled(head, theme.text),
            styled(what.fit(room), style),
        ]));
    }
    if total > RESULT_ROWS {
        lines.push(hint_line(
            &format!(
                "{}–{} of {total} · PgUp PgDn scroll",
                first + 1,
                (first + RESULT_ROWS).min(total)
            ),
            theme,
        ));
    }
    if !run.secrets.is_empty() {
        lines.push(Line::default());
        lines.push(Line::from(styled(
            format!(
                "New secrets ({}), shown nowhere else: c copies the selected one, s saves all to one 0600 file",
                run.secrets.len()
            ),
            theme.warn,
        )));
        let cursor = dialog.cursor.min(run.secrets.len() - 1);
        let top = cursor.saturating_sub(SECRET_ROWS - 1);
        for (i, s) in run.secrets.iter().enumerate().skip(top).take(SECRET_ROWS) {
            let marker = if i == cursor { "▶ " } else { "  " };
            let state_word = if s.saved {
                "saved"
            } else if s.copied {
                "copied"
            } else {
                "not copied or saved"
            };
            let name = s.name.fit(text_width.saturating_sub(2 + 8 + 22));
            let text = format!("{marker}{name}  {}  {state_word}", s.last4);
            let style = if i == cursor {
                theme.selected
            } else {
                theme.text
            };
            lines.push(Line::from(styled(text, style)));
        }
    }
    lines.push(Line::default());
    let hint = if !run.is_finished() {
        "Esc stops sending the rest (what is out still finishes)"
    } else if run.secrets.is_empty() {
        "Esc/Enter close · PgUp/PgDn scroll"
    } else {
        "↑↓ choose · c copy · s save all · Esc/Enter close"
    };
    lines.push(hint_line(hint, theme));
    boxed(area, buf, theme, &title, width, 1, &lines);
    dialog.render_question(
        run.unacknowledged_secrets(),
        &state.session.save_dir,
        area,
        buf,
        theme,
    );
}

/// A text gauge (it survives NO_COLOR): `███████░░░░░ 7/12`.
fn gauge(answered: usize, total: usize, width: usize, theme: &Theme) -> Line<'static> {
    let label = format!(" {answered}/{total} answered");
    let bar_width = width.saturating_sub(label.width()).max(1);
    let filled = (bar_width * answered.min(total))
        .checked_div(total)
        .unwrap_or(bar_width);
    Line::from(vec![
        Span::styled("█".repeat(filled), theme.ok),
        Span::styled("░".repeat(bar_width - filled), theme.dim),
        Span::styled(label, theme.text),
    ])
}

fn describe(item: &ItemState, theme: &Theme) -> (&'static str, ratatui::style::Style, SafeText) {
    match item {
        ItemState::Waiting => ("·", theme.dim, SafeText::literal("waiting")),
        ItemState::WaitingUntil(_) => (
            "⏳",
            theme.warn,
            SafeText::literal("rate-limited (429): sent again after its Retry-After"),
        ),
        ItemState::Sent(_) => (
            "↻",
            theme.info,
            SafeText::literal("sent, waiting for the answer"),
        ),
        ItemState::Done(what) => ("✔", theme.ok, what.clone()),
        ItemState::Failed(why) => ("✖", theme.danger, why.clone()),
        ItemState::AnswerLost(why) => ("?", theme.warn, why.clone()),
        ItemState::NotSent(why) => ("–", theme.dim, why.clone()),
    }
}
