//! The token table. Only the rows on screen are built (the account may hold 100,000 tokens); which rows
//! those are is the table's viewport, fitted before the frame by `view::layout`.

use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, HighlightSpacing, Paragraph, Row, Table, TableState};

use crate::config::Theme;
use crate::hygiene::Severity;
use crate::text::display_width;

use super::super::columns::{self, Urgency};
use super::super::state::{SortColumn, State, TokenRow, TokenTable};

const HIGHLIGHT: &str = "▶ ";
const TOKEN_WIDTH: u16 = 6;
const EXPIRES_WIDTH: u16 = 21;
const FINDINGS_WIDTH: u16 = 8;
/// The most a column other than the name takes while the name could use the room.
const CREATOR_CAP: usize = 24;
const ACCESS_CAP: usize = 48;
const ACCOUNT_CAP: usize = 24;

/// How wide each shown column is drawn in `inner` cells. The fixed ones (Expires, Token, Id, Findings)
/// take what their texts need; Name, Creator and Access share the rest by what the rows on screen hold:
/// each gets its text's width if all fit, and otherwise the narrow ones are served first and the wide
/// ones share what is left evenly (so an access level is not cut while the name has room to spare,
/// nor the other way round). Room left over goes to the name.
fn widths(state: &State, inner: u16, expiries: &[(String, Urgency)]) -> Vec<u16> {
    let table = &state.table;
    let columns = &table.columns;
    let highlight = display_width(HIGHLIGHT);
    let spacing = columns.len().saturating_sub(1);
    let on_screen = table.on_screen();
    let widest = |text: &dyn Fn(&TokenRow) -> usize, title: &str, cap: usize| -> usize {
        on_screen
            .iter()
            .map(|&i| text(&table.rows[i as usize]))
            .max()
            .unwrap_or(0)
            .max(display_width(title))
            .min(cap)
    };
    let mut out: Vec<usize> = vec![0; columns.len()];
    let mut flexible: Vec<(usize, usize)> = Vec::new(); // (position, wanted)
    for (at, column) in columns.iter().enumerate() {
        let title = column.title();
        let wanted = match column {
            SortColumn::Expires => expiries
                .iter()
                .map(|(text, _)| display_width(text))
                .max()
                .unwrap_or(0)
                .max(display_width(title))
                .min(usize::from(EXPIRES_WIDTH) + CHECKLIST_WIDTH),
            SortColumn::Token => usize::from(TOKEN_WIDTH),
            SortColumn::Findings => usize::from(FINDINGS_WIDTH),
            SortColumn::Id => widest(&|r| r.token.id.to_string().len(), title, 20),
            SortColumn::Account => widest(&|r| usize::from(r.account_width()), title, ACCOUNT_CAP),
            SortColumn::Name => {
                flexible.push((at, widest(&|r| name_width(table, r), title, usize::MAX)));
                continue;
            }
            SortColumn::Creator => {
                flexible.push((
                    at,
                    widest(&|r| usize::from(r.widths().creator), title, CREATOR_CAP),
                ));
                continue;
            }
            SortColumn::Access => {
                flexible.push((
                    at,
                    widest(&|r| usize::from(r.widths().access), title, ACCESS_CAP),
                ));
                continue;
            }
        };
        out[at] = wanted;
    }
    let fixed: usize = out.iter().sum();
    let mut room = usize::from(inner).saturating_sub(highlight + spacing + fixed);
    // The name is what a row is recognised by: it keeps close to half the room (or all it needs).
    // The others then share the rest, access counting double (it says what the token can do), each
    // taking no more than its text needs; what they leave goes to the name.
    let name_at = columns.iter().position(|c| *c == SortColumn::Name);
    let name_wants = flexible
        .iter()
        .find(|(at, _)| Some(*at) == name_at)
        .map_or(0, |&(_, wanted)| wanted);
    let name_keeps = name_wants.min((room * 9 / 20).max(16));
    room = room.saturating_sub(name_keeps);
    let weight = |at: usize| {
        if columns[at] == SortColumn::Access {
            2
        } else {
            1
        }
    };
    flexible.retain(|(at, _)| Some(*at) != name_at);
    flexible.sort_by_key(|&(at, wanted)| (wanted / weight(at), at));
    let mut shares: usize = flexible.iter().map(|&(at, _)| weight(at)).sum();
    for &(at, wanted) in &flexible {
        let share = room * weight(at) / shares.max(1);
        out[at] = wanted.min(share);
        room -= out[at];
        shares -= weight(at);
    }
    if let Some(name) = name_at {
        out[name] = name_keeps + room;
    }
    out.into_iter()
        .map(|w| u16::try_from(w).unwrap_or(u16::MAX))
        .collect()
}

/// What a row's name cell holds: the name and what is drawn beside it (the successor of a reset token).
fn name_width(table: &TokenTable, row: &TokenRow) -> usize {
    let successor = row
        .successor()
        .filter(|_| row.in_grace())
        .and_then(|i| table.rows.get(i));
    let marks = if table.secret_not_received.contains(&row.token.id) {
        display_width(SECRET_LOST_MARK)
    } else {
        0
    };
    marks
        + match successor {
            Some(next) => {
                usize::from(row.widths().name)
                    + display_width(" → ")
                    + usize::from(next.widths().name)
            }
            None => usize::from(row.widths().name),
        }
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
    if !state.marks.is_empty() {
        spans.push(Span::raw(format!("· {} marked ", state.marks.len())));
    }
    Line::from(spans)
}

/// Drawn in the gutter beside the selection arrow of a marked row (`▶✓`), so marks need no column
/// of their own and read without colour.
const MARK: &str = "✓";

fn header(state: &State, theme: &Theme) -> Row<'static> {
    let arrow = if state.table.sort.descending {
        " ▼"
    } else {
        " ▲"
    };
    Row::new(state.table.columns.iter().map(|c| {
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

fn name_cell<'a>(state: &State, row: &'a TokenRow, width: usize, theme: &Theme) -> Cell<'a> {
    if state.requests.row_busy(row.token.id) {
        let mark = Span::styled(BUSY_MARK, theme.info);
        let room = width.saturating_sub(display_width(BUSY_MARK));
        return Cell::from(Line::from(vec![mark, Span::raw(row.name().fit(room))]));
    }
    if state.table.secret_not_received.contains(&row.token.id) {
        // The words tell the operator this token's secret reached no one; in a narrow column they shorten
        // rather than hide the name.
        let mark = [SECRET_LOST_MARK, SECRET_LOST_SHORT]
            .into_iter()
            .find(|m| display_width(m) + row.name().width().min(10) <= width)
            .unwrap_or(" ✗");
        let room = width.saturating_sub(display_width(mark));
        return Cell::from(Line::from(vec![
            Span::raw(row.name().fit(room)),
            Span::styled(mark.to_string(), theme.danger),
        ]));
    }
    let successor = row
        .in_grace()
        .then(|| row.successor().map(|i| &state.table.rows[i]))
        .flatten();
    let Some(next) = successor else {
        return Cell::from(row.name().fit_cow(width));
    };
    // Keep room for the successor: it is what tells the operator where the row went.
    let arrow = next.name().after(" → ");
    let name_room = width.saturating_sub(arrow.width().min(width / 2));
    let name = row.name().fit(name_room);
    let arrow = arrow.fit(width.saturating_sub(display_width(&name)));
    Cell::from(Line::from(vec![
        Span::raw(name),
        Span::styled(arrow, theme.dim),
    ]))
}

/// The Expires cell's text and how urgent it is.
/// A reset token in its last hour with places that still use its secret.
fn cut_over_late(state: &State, row: &TokenRow, now: DateTime<Utc>) -> bool {
    row.in_grace()
        && row.token.expires_at.is_some_and(|stops| {
            stops > now && state.places.cut_over_late(row.token.id, stops, now)
        })
}

/// The most the cut-over checklist adds to the Expires cell (` · 10/12 places`).
const CHECKLIST_WIDTH: usize = 16;

/// The Expires cell's text and how urgent it is. A reset token with places carries its cut-over
/// checklist beside the countdown; with places left in its last hour it is critical.
fn expiry_of(state: &State, row: &TokenRow, now: DateTime<Utc>) -> (String, Urgency) {
    if row.not_listed() {
        return ("not listed".into(), Urgency::Soon);
    }
    if row.unreadable().is_some() {
        return ("unreadable".into(), Urgency::Soon);
    }
    let in_grace = row.in_grace();
    let expiry = columns::expiry_text(row.token.expires_at, in_grace, now);
    let (done, all) = state.places.book.progress(row.token.id);
    let late = cut_over_late(state, row, now);
    let urgency = if late && expiry.urgency != Urgency::Expired {
        Urgency::Critical
    } else {
        expiry.urgency
    };
    let mut text = match urgency.symbol() {
        "" => expiry.text,
        symbol => format!("{symbol} {}", expiry.text),
    };
    if in_grace && all > 0 {
        text.push_str(&format!(" · {done}/{all} places"));
    }
    (text, urgency)
}

fn expires_cell(row: &TokenRow, expiry: (String, Urgency), theme: &Theme) -> Cell<'static> {
    let (text, urgency) = expiry;
    let style: Style = match urgency {
        _ if row.unreadable().is_some() => theme.warn,
        Urgency::Calm => theme.text,
        Urgency::Soon => theme.warn,
        Urgency::Critical => theme.danger,
        Urgency::Expired => theme.dim,
    };
    Cell::from(Span::styled(text, style))
}

/// The worst finding's symbol and how many there are (`✖ 2`), so it reads without colour; blank before
/// the findings are made and for a clean token.
fn findings_cell(row: &TokenRow, theme: &Theme) -> Cell<'static> {
    let Some(summary) = row.findings else {
        return Cell::from("");
    };
    let style = match summary.worst {
        Severity::Danger => theme.danger,
        Severity::Warn => theme.warn,
        Severity::Info => theme.info,
    };
    Cell::from(Span::styled(
        format!("{} {}", summary.worst.symbol(), summary.count),
        style,
    ))
}

fn access_cell<'a>(
    table: &'a TokenTable,
    row: &'a TokenRow,
    width: usize,
    theme: &Theme,
) -> Cell<'a> {
    let text = table.access(row).fit_cow(width);
    if row.unreadable().is_some() {
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

    // Each row's expiry once a frame: its width decides the column's, and its cell shows it.
    let expiries: Vec<(String, Urgency)> = table
        .on_screen()
        .iter()
        .map(|&i| expiry_of(state, &table.rows[i as usize], now))
        .collect();
    let w = widths(state, inner.width, &expiries);
    let rows: Vec<Row> = table
        .on_screen()
        .iter()
        .zip(expiries)
        .map(|(&i, expiry)| {
            let row = &table.rows[i as usize];
            let mut expiry = Some(expiry);
            let cells = Row::new(table.columns.iter().zip(&w).map(|(column, width)| {
                let width = usize::from(*width);
                match column {
                    SortColumn::Name => name_cell(state, row, width, theme),
                    SortColumn::Creator => Cell::from(row.creator().fit_cow(width)),
                    SortColumn::Access => access_cell(table, row, width, theme),
                    SortColumn::Expires => match expiry.take() {
                        Some(expiry) => expires_cell(row, expiry, theme),
                        None => Cell::from(""),
                    },
                    SortColumn::Token => match row.unreadable() {
                        Some(_) => Cell::from(""),
                        None => Cell::from(row.masked().into_string()),
                    },
                    SortColumn::Id => match row.unreadable() {
                        Some(_) => Cell::from(""),
                        None => Cell::from(row.token.id.to_string()),
                    },
                    SortColumn::Findings => findings_cell(row, theme),
                    // The width measured with the name saves measuring it again per frame.
                    SortColumn::Account if usize::from(row.account_width()) <= width => {
                        Cell::from(row.account_name().as_str())
                    }
                    SortColumn::Account => Cell::from(row.account_name().fit(width)),
                }
            }));
            if cut_over_late(state, row, now) {
                // The whole row: its last hour has come with places still using the old secret.
                cells.style(theme.danger)
            } else {
                cells
            }
        })
        .collect();

    let mut table_state = TableState::default();
    if !order.is_empty() {
        table_state.select(Some(cursor.saturating_sub(offset)));
    }
    let widget = Table::new(rows, w.into_iter().map(Constraint::Length))
        .header(header(state, theme))
        .column_spacing(1)
        .row_highlight_style(theme.selected)
        .highlight_symbol(HIGHLIGHT)
        .highlight_spacing(HighlightSpacing::Always);
    frame.render_stateful_widget(widget, inner, &mut table_state);
    if !state.marks.is_empty() && inner.width > 2 {
        let buf = frame.buffer_mut();
        for (k, &i) in table.on_screen().iter().enumerate() {
            let Ok(dy) = u16::try_from(k + 1) else { break };
            if dy >= inner.height {
                break;
            }
            if state.marks.contains(table.rows[i as usize].token.id) {
                buf[(inner.x + 1, inner.y + dy)]
                    .set_symbol(MARK)
                    .set_style(theme.ok);
            }
        }
    }

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
