//! Drawing a derived view's list: a title line with the count and the filter, a header, the rows on
//! screen with the selection, and a line for an empty list. The views say what their cells hold.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, HighlightSpacing, Paragraph, Row, Table, TableState};

use crate::config::Theme;
use crate::text::display_width;

use super::super::state::views::{ListRow, ListView};

pub const HIGHLIGHT: &str = "▶ ";

/// The list's area below its title line and header.
pub fn rows_area(area: Rect) -> Rect {
    let inner = Block::new().borders(Borders::TOP).inner(area);
    Rect {
        y: inner.y.saturating_add(1),
        height: inner.height.saturating_sub(1),
        ..inner
    }
}

/// Widths for `inner` cells: the fixed ones as given, `None` ones sharing the rest evenly.
pub fn share(inner: u16, fixed: &[Option<u16>]) -> Vec<u16> {
    let spacing = u16::try_from(fixed.len().saturating_sub(1)).unwrap_or(0);
    let highlight = display_width(HIGHLIGHT) as u16;
    let taken: u16 = fixed.iter().flatten().sum();
    let flexible = fixed.iter().filter(|w| w.is_none()).count().max(1) as u16;
    let rest = inner.saturating_sub(highlight + spacing + taken);
    let mut left = rest % flexible;
    fixed
        .iter()
        .map(|w| {
            w.unwrap_or_else(|| {
                let extra = u16::from(left > 0);
                left = left.saturating_sub(1);
                rest / flexible + extra
            })
        })
        .collect()
}

pub struct ListFrame<'a, R: ListRow> {
    pub list: &'a ListView<R>,
    /// `Domains`, `Timeline`, `Findings`.
    pub name: &'static str,
    pub headers: &'a [&'static str],
    pub widths: &'a [u16],
    /// Said when the view has no row at all (not because of the filter).
    pub empty: &'a str,
}

impl<R: ListRow> ListFrame<'_, R> {
    pub fn render(&self, rows: Vec<Row<'_>>, theme: &Theme, frame: &mut Frame, area: Rect) {
        let list = self.list;
        let total = list.rows().len();
        let shown = list.order().len();
        let mut title = vec![Span::raw(format!(" {} ", self.name))];
        if list.filter.is_empty() && !list.filter_editing {
            title.push(Span::raw(format!("({total}) ")));
        } else {
            title.push(Span::raw(format!("({shown} of {total}) ")));
            let cursor = if list.filter_editing { "▏" } else { "" };
            title.push(Span::raw(format!(
                "· filter: /{}{cursor} ",
                list.filter.fit(40)
            )));
        }
        frame.render_widget(
            Block::new()
                .borders(Borders::TOP)
                .border_style(theme.border)
                .title(Line::from(title).style(theme.title)),
            Rect {
                height: area.height.min(1),
                ..area
            },
        );
        let inner = Block::new().borders(Borders::TOP).inner(area);
        let sorted = list
            .sorted_by()
            .filter(|_| list.sort > 0 || list.descending);
        let header = Row::new(self.headers.iter().map(|h| {
            let mut text = h.to_string();
            if let Some((column, descending)) = sorted
                && column == *h
            {
                text.push_str(if descending { " ▼" } else { " ▲" });
            }
            Cell::from(text)
        }))
        .style(theme.header);
        let mut state = TableState::default();
        if shown > 0 {
            state.select(Some(list.cursor().saturating_sub(list.viewport.offset)));
        }
        let widget = Table::new(rows, self.widths.iter().copied().map(Constraint::Length))
            .header(header)
            .column_spacing(1)
            .row_highlight_style(theme.selected)
            .highlight_symbol(HIGHLIGHT)
            .highlight_spacing(HighlightSpacing::Always);
        frame.render_stateful_widget(widget, inner, &mut state);
        if shown == 0 && inner.height > 2 {
            let message = if total == 0 {
                self.empty.to_string()
            } else {
                format!("Nothing matches /{}. Esc clears the filter.", list.filter)
            };
            frame.render_widget(
                Paragraph::new(Line::styled(message, theme.dim)).centered(),
                Rect {
                    y: inner.y + 2,
                    height: 1,
                    ..inner
                },
            );
        }
    }
}
