//! The findings view: every hygiene finding, worst first.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::{Cell, Row};

use crate::config::Theme;
use crate::hygiene::Severity;

use super::super::state::State;
use super::list::{ListFrame, rows_area, share};

const HEADERS: [&str; 4] = ["Severity", "Rule", "Token", "Finding"];

/// The severity's symbol and word, as one literal (a frame formats nothing for it).
fn label(severity: Severity) -> &'static str {
    match severity {
        Severity::Danger => "✖ danger",
        Severity::Warn => "⚠ warn",
        Severity::Info => "ℹ info",
    }
}

pub fn render(state: &State, theme: &Theme, frame: &mut Frame, area: Rect) {
    let list = &state.views.findings;
    let inner_width = rows_area(area).width;
    let rule_width = if inner_width >= 110 { 23 } else { 0 };
    let token_width = (inner_width / 4).clamp(12, 32);
    let widths = share(
        inner_width,
        &[Some(8), Some(rule_width), Some(token_width), None],
    );
    let rows: Vec<Row<'_>> = list
        .on_screen()
        .iter()
        .map(|&i| {
            let row = &list.rows()[i];
            let style = match row.severity {
                Severity::Danger => theme.danger,
                Severity::Warn => theme.warn,
                Severity::Info => theme.info,
            };
            Row::new(vec![
                Cell::from(Span::styled(label(row.severity), style)),
                Cell::from(Span::styled(row.rule.as_str(), theme.dim)),
                Cell::from(row.token_name.fit_cow(usize::from(widths[2]))),
                Cell::from(row.text.fit_cow(usize::from(widths[3]))),
            ])
        })
        .collect();
    ListFrame {
        list,
        name: "Findings",
        headers: &HEADERS,
        widths: &widths,
        empty: "No findings: every rule is satisfied.",
    }
    .render(rows, theme, frame, area);
}
