//! The token table. Only the rows on screen are built (the account may hold 100,000 tokens); which rows
//! those are is the table's viewport, fitted before the frame by `view::layout`.

use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, HighlightSpacing, Paragraph, Row, Table, TableState};

use crate::config::Theme;
use crate::text::display_width;

use super::super::columns::{self, Urgency};
use super::super::state::{SortColumn, State, TokenRow};

const HIGHLIGHT: &str = "▶ ";
const TOKEN_WIDTH: u16 = 6;
const EXPIRES_WIDTH: u16 = 21;

/// Column widths for the table's inner width: fixed Token and Expires, the rest shared so that Name gets most.
fn widths(inner: u16) -> [u16; 5] {
    let highlight = display_width(HIGHLIGHT) as u16;
    let spacing = 4;
    let rest = inner.saturating_sub(highlight + spacing + TOKEN_WIDTH + EXPIRES_WIDTH);
    let access = (rest * 36 / 100).min(30);
    let creator = (rest * 20 / 100).min(20);
    let name = rest.saturating_sub(access + creator);
    [name, creator, access, EXPIRES_WIDTH, TOKEN_WIDTH]
}

fn title(state: &State) -> Line<'static> {
    let table = &state.table;
    let total = table.rows.len();
    let shown = table.order().len();
    let mut spans = vec![Span::raw(" Tokens ")];
    if table.filter.is_empty() && !table.filter_editing {
        spans.push(Span::raw(format!("({total}) ")));
    } else {
        spans.push(Span::raw(format!("({shown} of {total}) ")));
        let cursor = if table.filter_editing { "▏" } else { "" };
        spans.push(Span::raw(format!(
            "· filter: /{}{cursor} ",
            table.filter.fit(40)
        )));
    }
    Line::from(spans)
}

fn header(state: &State, theme: &Theme) -> Row<'static> {
    let arrow = if state.table.sort.descending {
        " ▼"
    } else {
        " ▲"
    };
    Row::new(SortColumn::ALL.iter().map(|c| {
        let mut text = c.title().to_string();
        if *c == state.table.sort.column {
            text.push_str(arrow);
        }
        Cell::from(text)
    }))
    .style(theme.header)
}

/// Shown before the name of a row whose request is still running.
const BUSY_MARK: &str = "⟳ ";

/// Shown after the name of a token made by a reset or create whose answer (and secret) was lost.
const SECRET_LOST_MARK: &str = " ✗ secret not received";
const SECRET_LOST_SHORT: &str = " ✗ no secret";

fn name_cell(state: &State, row: &TokenRow, width: usize, theme: &Theme) -> Cell<'static> {
    if state.requests.row_busy(row.token.id) {
        let mark = Span::styled(BUSY_MARK, theme.info);
        let room = width.saturating_sub(display_width(BUSY_MARK));
        return Cell::from(Line::from(vec![mark, Span::raw(row.name.fit(room))]));
    }
    if state.table.secret_not_received.contains(&row.token.id) {
        // The words tell the operator this token's secret reached no one; in a narrow column they shorten
        // rather than hide the name.
        let mark = [SECRET_LOST_MARK, SECRET_LOST_SHORT]
            .into_iter()
            .find(|m| display_width(m) + row.name.width().min(10) <= width)
            .unwrap_or(" ✗");
        let room = width.saturating_sub(display_width(mark));
        return Cell::from(Line::from(vec![
            Span::raw(row.name.fit(room)),
            Span::styled(mark.to_string(), theme.danger),
        ]));
    }
    let successor = row
        .in_grace()
        .then(|| row.successor.map(|i| &state.table.rows[i]))
        .flatten();
    let Some(next) = successor else {
        return Cell::from(row.name.fit(width));
    };
    // Keep room for the successor: it is what tells the operator where the row went.
    let arrow = next.name.after(" → ");
    let name_room = width.saturating_sub(arrow.width().min(width / 2));
    let name = row.name.fit(name_room);
    let arrow = arrow.fit(width.saturating_sub(display_width(&name)));
    Cell::from(Line::from(vec![
        Span::raw(name),
        Span::styled(arrow, theme.dim),
    ]))
}

fn expires_cell(row: &TokenRow, now: DateTime<Utc>, theme: &Theme) -> Cell<'static> {
    if row.unreadable.is_some() {
        return Cell::from(Span::styled("unreadable", theme.warn));
    }
    let expiry = columns::expiry_text(row.token.expires_at, row.in_grace(), now);
    let style: Style = match expiry.urgency {
        Urgency::Calm => theme.text,
        Urgency::Soon => theme.warn,
        Urgency::Critical => theme.danger,
        Urgency::Expired => theme.dim,
    };
    let text = match expiry.urgency.symbol() {
        "" => expiry.text,
        symbol => format!("{symbol} {}", expiry.text),
    };
    Cell::from(Span::styled(text, style))
}

fn access_cell(row: &TokenRow, width: usize, theme: &Theme) -> Cell<'static> {
    let text = row.access.fit(width);
    if row.unreadable.is_some() {
        Cell::from(Span::styled(text, theme.warn))
    } else {
        Cell::from(text)
    }
}

/// The table's area below its title line.
fn inner_area(area: Rect) -> Rect {
    Block::new().borders(Borders::TOP).inner(area)
}

/// Where the rows go: the table's area less its title line and its header.
pub fn rows_area(area: Rect) -> Rect {
    let inner = inner_area(area);
    Rect {
        y: inner.y.saturating_add(1),
        height: inner.height.saturating_sub(1),
        ..inner
    }
}

pub fn render(state: &State, now: DateTime<Utc>, theme: &Theme, frame: &mut Frame, area: Rect) {
    let block = Block::new()
        .borders(Borders::TOP)
        .border_style(theme.border)
        .title(title(state).style(theme.title));
    let inner = inner_area(area);
    // The block is only a top border and its title, so it is drawn on that one line; drawn on the whole
    // area it would first restyle every cell of the table (about 4,400 a frame) for nothing.
    frame.render_widget(
        block,
        Rect {
            height: area.height.min(1),
            ..area
        },
    );
    let table = &state.table;
    let order = table.order();
    let cursor = table.cursor();
    let offset = table.viewport.offset;

    let w = widths(inner.width);
    let rows: Vec<Row> = table
        .on_screen()
        .iter()
        .map(|&i| {
            let row = &table.rows[i];
            Row::new(vec![
                name_cell(state, row, usize::from(w[0]), theme),
                Cell::from(row.creator.fit(usize::from(w[1]))),
                access_cell(row, usize::from(w[2]), theme),
                expires_cell(row, now, theme),
                match row.unreadable {
                    Some(_) => Cell::from(""),
                    None => Cell::from(row.masked.to_string()),
                },
            ])
        })
        .collect();

    let mut table_state = TableState::default();
    if !order.is_empty() {
        table_state.select(Some(cursor.saturating_sub(offset)));
    }
    let widget = Table::new(rows, w.map(Constraint::Length))
        .header(header(state, theme))
        .column_spacing(1)
        .row_highlight_style(theme.selected)
        .highlight_symbol(HIGHLIGHT)
        .highlight_spacing(HighlightSpacing::Always);
    frame.render_stateful_widget(widget, inner, &mut table_state);

    if order.is_empty() && inner.height > 2 {
        let message = if table.rows.is_empty() {
            "No tokens in this account yet.".to_string()
        } else {
            format!("No token matches /{}. Esc clears the filter.", table.filter)
        };
        let area = Rect {
            y: inner.y + 2,
            height: 1,
            ..inner
        };
        frame.render_widget(
            Paragraph::new(Line::styled(message, theme.dim)).centered(),
            area,
        );
    }
}
