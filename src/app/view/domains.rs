//! The domains view: each sending domain and the tokens that can act on it.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::{Cell, Row};

use crate::config::Theme;

use super::super::state::State;
use super::super::state::views::DomainMark;
use super::list::{ListFrame, rows_area, share};

const HEADERS: [&str; 5] = ["Domain", "Token", "Level", "Creator", "Note"];

/// Where the rows go: below the title, the header, and the line about account-wide tokens.
pub fn list_area(area: Rect) -> Rect {
    Rect {
        height: area.height.saturating_sub(1),
        ..area
    }
}

pub fn render(state: &State, theme: &Theme, frame: &mut Frame, area: Rect) {
    let list = &state.views.domains;
    let area_list = list_area(area);
    let inner_width = rows_area(area_list).width;
    let wide = inner_width >= 100;
    let note_width = if wide { 28 } else { 14 };
    let widths = share(
        inner_width,
        &[None, None, Some(7), Some(16), Some(note_width)],
    );
    let w = |i: usize| usize::from(widths[i]);
    let mut last_domain: Option<i64> = None;
    let first_on_screen = list.on_screen().first().copied();
    let rows: Vec<Row<'static>> = list
        .on_screen()
        .iter()
        .map(|&i| {
            let row = &list.rows()[i];
            // The domain is named on its first row, and on the top row of the screen.
            let named = last_domain != Some(row.domain_id) || first_on_screen == Some(i);
            last_domain = Some(row.domain_id);
            let domain = if named || list.sort > 0 {
                Cell::from(row.domain.fit(w(0)))
            } else {
                Cell::from(Span::styled("  ″", theme.dim))
            };
            let level = match row.level {
                Some(level) if level.is_admin() => "Admin".to_string(),
                Some(level) if level.0 >= 10 => "Viewer".to_string(),
                Some(level) => level.to_string(),
                None => String::new(),
            };
            let token_style = if row.ending { theme.dim } else { theme.text };
            let mark_style = match row.mark {
                DomainMark::Last | DomainMark::AutoCreatedAndLast => theme.warn,
                DomainMark::NoToken => theme.danger,
                _ => theme.dim,
            };
            let mark = if wide {
                row.mark.text()
            } else {
                row.mark.short_text()
            };
            let mut note = mark.to_string();
            if row.ending {
                let ending = if wide {
                    "ending (expired or reset)"
                } else {
                    "ending"
                };
                note = if note.is_empty() {
                    ending.into()
                } else {
                    format!("{note} · {ending}")
                };
            }
            Row::new(vec![
                domain,
                Cell::from(Span::styled(row.token_name.fit(w(1)), token_style)),
                Cell::from(level),
                Cell::from(row.creator.fit(w(3))),
                Cell::from(Span::styled(note, mark_style)),
            ])
        })
        .collect();
    ListFrame {
        list,
        name: "Domains",
        headers: &HEADERS,
        widths: &widths,
        empty: "No sending domains in this account.",
    }
    .render(rows, theme, frame, area_list);
    let account_wide = state.views.account_wide;
    let text = match (account_wide.admins, account_wide.viewers) {
        (0, 0) => " No token has account-wide access.".to_string(),
        (a, v) => format!(
            " Also on every domain, by account-wide access: {a} admin {} and {v} viewer {}.",
            if a == 1 { "token" } else { "tokens" },
            if v == 1 { "token" } else { "tokens" }
        ),
    };
    let line = Rect {
        y: area.bottom().saturating_sub(1),
        height: area.height.min(1),
        ..area
    };
    frame.render_widget(
        ratatui::widgets::Paragraph::new(Span::styled(text, theme.dim)),
        line,
    );
}
