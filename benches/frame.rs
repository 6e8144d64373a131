//! Goal 1 (issue 6): the cost of one 120×40 console frame, against a bare ratatui `Table` baseline.
//!
//! Run: `cargo bench --bench frame`, then `python3 benches/criterion_medians.py` for medians and ratios.
//!
//! - `frame/baseline_table`: a bare `Table` of the rows the console shows at 10,000 tokens, already formatted
//!   (strings and styles computed once, outside the loop), rendered through the same `TestBackend` terminal.
//! - `frame/console/N`: the console's own frame (title, table built from the state, status and hint bars) with
//!   N synthetic tokens beyond the demo seed's 17.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::layout::Constraint;
use ratatui::style::Style;
use ratatui::text::Span;
use ratatui::widgets::{Cell, HighlightSpacing, Row, Table, TableState};

use mailtrap_tokens::app::columns::{self, Urgency};
use mailtrap_tokens::app::state::{SortColumn, State};
use mailtrap_tokens::text::fit;

mod common;
use common::{draw_console, loaded_state, terminal, theme};

/// The console's column widths at 120 columns (name, creator, access, expires, token), as its table computes
/// them; the baseline lays out the same columns.
const WIDTHS: [u16; 5] = [40, 17, 30, 21, 6];

/// The rows on screen, formatted as the console formats them: text plus the Expires column's style.
fn formatted_visible_rows(state: &State, now: chrono::DateTime<chrono::Utc>) -> Vec<[(String, Style); 5]> {
    let theme = theme();
    let vp = state.viewport.get();
    let order = state.order();
    let end = (vp.offset + vp.height).min(order.len());
    order[vp.offset..end]
        .iter()
        .map(|&i| {
            let row = &state.rows[i];
            let expiry = columns::expiry_text(row.token.expires_at, row.in_grace(), now);
            let style = match expiry.urgency {
                Urgency::Calm => theme.text,
                Urgency::Soon => theme.warn,
                Urgency::Critical => theme.danger,
                Urgency::Expired => theme.dim,
            };
            let expires = match expiry.urgency.symbol() {
                "" => expiry.text,
                symbol => format!("{symbol} {}", expiry.text),
            };
            [
                (fit(&row.token.name, WIDTHS[0].into()), Style::default()),
                (fit(&columns::creator(&row.token.created_by), WIDTHS[1].into()), Style::default()),
                (fit(&row.access, WIDTHS[2].into()), Style::default()),
                (expires, style),
                (columns::masked_token(&row.token.last_4_digits), Style::default()),
            ]
        })
        .collect()
}

fn frames(c: &mut Criterion) {
    let mut group = c.benchmark_group("frame");

    let (state, now) = loaded_state(10_000);
    let mut term = terminal();
    // The first frame sets the viewport, so the baseline formats exactly the rows the console shows.
    draw_console(&mut term, &state, now);
    let visible = formatted_visible_rows(&state, now);
    assert_eq!(visible.len(), 35, "a 120×40 console shows 35 token rows");
    let header: Vec<&str> = SortColumn::ALL.iter().map(|c| c.title()).collect();
    let theme = theme();

    let mut base_term = terminal();
    group.bench_function("baseline_table", |b| {
        b.iter(|| {
            let rows = visible.iter().map(|cells| {
                Row::new(
                    cells
                        .iter()
                        .map(|(text, style)| Cell::from(Span::styled(text.as_str(), *style))),
                )
            });
            let table = Table::new(rows, WIDTHS.map(Constraint::Length))
                .header(Row::new(header.iter().copied()).style(theme.header))
                .column_spacing(1)
                .row_highlight_style(theme.selected)
                .highlight_symbol("▶ ")
                .highlight_spacing(HighlightSpacing::Always);
            let mut table_state = TableState::default().with_selected(Some(0));
            let Ok(_) = base_term.draw(|f| f.render_stateful_widget(table, f.area(), &mut table_state));
            black_box(base_term.backend().buffer().area);
        })
    });

    group.bench_function("console/10000", |b| {
        b.iter(|| draw_console(&mut term, black_box(&state), now))
    });
    drop(state);

    for extra in [100, 100_000] {
        let (state, now) = loaded_state(extra);
        let mut term = terminal();
        group.bench_function(format!("console/{extra}"), |b| {
            b.iter(|| draw_console(&mut term, black_box(&state), now))
        });
    }
    group.finish();
}

criterion_group!(benches, frames);
criterion_main!(benches);
