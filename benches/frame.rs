//! The frame goal: the cost of one 120×40 console frame, against a bare ratatui `Table` baseline.
//!
//! Run: `cargo bench --bench frame`, then `python3 benches/criterion_medians.py` for medians and ratios.
//!
//! - `frame/baseline_table`: a bare `Table` of the rows the console shows at 10,000 tokens, already formatted
//!   (strings and styles computed once, outside the loop), rendered through the same `TestBackend` terminal.
//! - `frame/console/N`: the console's own frame (title, table built from the state, status and hint bars) with
//!   N synthetic tokens beyond the demo seed's 17.
//! - `frame/VIEW/N`: the same for the other views (domains, timeline, findings, and the tokens with the
//!   selected token's details), whose goal is the same 1.3× the bare table.
//! - `frame/inventory/20000`: the inventory of 20 accounts of 1,000 tokens each, with its Account column;
//!   the same goal.
//!
//! The machine is shared and its load drifts over a run, so criterion's separate benches (each measured in its
//! own stretch of time) are followed by a paired run: rounds of a few frames of every variant in turn, whose
//! per-round ratios cancel the drift. The goals' ratios are the medians of those per-round ratios.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::Criterion;
use ratatui::layout::Constraint;
use ratatui::style::Style;
use ratatui::text::Span;
use ratatui::widgets::{Cell, HighlightSpacing, Row, Table, TableState};

use mailtrap_tokens::app::columns::{self, Urgency};
use mailtrap_tokens::app::state::{SortColumn, State};
use mailtrap_tokens::text::fit;

mod common;
use common::{draw_console, loaded_inventory, loaded_state, loaded_view, terminal, theme};

/// The views besides the token table, by the names `--view` takes.
const VIEWS: [&str; 4] = ["domains", "timeline", "findings", "details"];

/// The console's column widths at 120 columns (name, creator, access, expires, token), as its table computes
/// them; the baseline lays out the same columns.
const WIDTHS: [u16; 5] = [40, 17, 30, 21, 6];

/// The same with the inventory's Account column first.
const INVENTORY_WIDTHS: [u16; 6] = [14, 23, 17, 30, 21, 6];

/// The rows on screen, formatted as the console formats them: text plus the Expires column's style.
fn formatted_visible_rows(
    state: &State,
    now: chrono::DateTime<chrono::Utc>,
) -> Vec<[(String, Style); 5]> {
    let theme = theme();
    let vp = state.table.viewport;
    let order = state.table.order();
    let end = (vp.offset + vp.height).min(order.len());
    order[vp.offset..end]
        .iter()
        .map(|&i| {
            let row = &state.table.rows[i as usize];
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
                (
                    fit(&columns::creator(&row.token.created_by), WIDTHS[1].into()),
                    Style::default(),
                ),
                (
                    fit(&state.table.access(row), WIDTHS[2].into()),
                    Style::default(),
                ),
                (expires, style),
                (
                    columns::masked_token(&row.token.last_4_digits).into_string(),
                    Style::default(),
                ),
            ]
        })
        .collect()
}

/// The baseline: a bare ratatui `Table` of rows already formatted, styled as the console's.
fn bare_table<C: AsRef<[(String, Style)]>>(
    term: &mut ratatui::Terminal<ratatui::backend::TestBackend>,
    visible: &[C],
    widths: &[u16],
    header: &[&'static str],
) {
    let theme = theme();
    let rows = visible.iter().map(|cells| {
        Row::new(
            cells
                .as_ref()
                .iter()
                .map(|(text, style)| Cell::from(Span::styled(text.as_str(), *style))),
        )
    });
    let table = Table::new(rows, widths.iter().map(|w| Constraint::Length(*w)))
        .header(Row::new(header.iter().copied()).style(theme.header))
        .column_spacing(1)
        .row_highlight_style(theme.selected)
        .highlight_symbol("▶ ")
        .highlight_spacing(HighlightSpacing::Always);
    let mut table_state = TableState::default().with_selected(Some(0));
    let Ok(_) = term.draw(|f| f.render_stateful_widget(table, f.area(), &mut table_state));
    black_box(term.backend().buffer().area);
}

/// One way of drawing a 120×40 frame.
struct Variant {
    name: String,
    draw: Box<dyn FnMut()>,
}

fn variants() -> Vec<Variant> {
    let (mut state, now) = loaded_state(10_000);
    let mut term = terminal();
    // The first frame sets the viewport, so the baseline formats exactly the rows the console shows.
    draw_console(&mut term, &mut state, now);
    let visible = formatted_visible_rows(&state, now);
    assert_eq!(visible.len(), 35, "a 120×40 console shows 35 token rows");
    let header: Vec<&'static str> = SortColumn::ALL.iter().map(|c| c.title()).collect();

    let mut base_term = terminal();
    let baseline = move || bare_table(&mut base_term, &visible, &WIDTHS, &header);
    let mut all = vec![
        Variant {
            name: "baseline_table".into(),
            draw: Box::new(baseline),
        },
        Variant {
            name: "console/10000".into(),
            draw: Box::new(move || draw_console(&mut term, black_box(&mut state), now)),
        },
    ];
    // `FRAME_PROFILE=1`: only the 10,000-token frame and its baseline, for a profiler (see the README's performance section).
    let extras: &[usize] = if std::env::var_os("FRAME_PROFILE").is_some() {
        &[]
    } else {
        &[100, 100_000]
    };
    for &extra in extras {
        let (mut state, now) = loaded_state(extra);
        let mut term = terminal();
        all.push(Variant {
            name: format!("console/{extra}"),
            draw: Box::new(move || draw_console(&mut term, black_box(&mut state), now)),
        });
    }
    // `FRAME_PROFILE=VIEW` (a view's name): that view's 10,000-token frame too.
    let profiled = std::env::var("FRAME_PROFILE").ok();
    let view_sizes: &[usize] = if profiled.is_some() {
        &[10_000]
    } else {
        &[10_000, 100_000]
    };
    if profiled.is_none() {
        // Every account side by side: 20 accounts of 1,000 tokens, with the Account column; its bare
        // table has that column too.
        let (mut state, now) = loaded_inventory(20, 1_000);
        let mut term = terminal();
        draw_console(&mut term, &mut state, now);
        let visible: Vec<Vec<(String, Style)>> = formatted_visible_rows(&state, now)
            .into_iter()
            .zip(state.table.order()[state.table.viewport.offset..].iter())
            .map(|(cells, &i)| {
                let account = fit(state.table.rows[i as usize].account_name().as_str(), 14);
                let mut row = vec![(account, Style::default())];
                row.extend(cells);
                row
            })
            .collect();
        let mut header: Vec<&'static str> = vec![SortColumn::Account.title()];
        header.extend(SortColumn::ALL.iter().map(|c| c.title()));
        let mut base_term = terminal();
        all.push(Variant {
            name: "baseline_inventory".into(),
            draw: Box::new(move || {
                bare_table(&mut base_term, &visible, &INVENTORY_WIDTHS, &header)
            }),
        });
        all.push(Variant {
            name: "inventory/20000".into(),
            draw: Box::new(move || draw_console(&mut term, black_box(&mut state), now)),
        });
    }
    for &extra in view_sizes {
        for view in VIEWS {
            if profiled.as_deref().is_some_and(|p| p != view) {
                continue;
            }
            let (mut state, now) = loaded_view(extra, view);
            let mut term = terminal();
            // The first frame makes the view's rows (once per data change, as in the console).
            draw_console(&mut term, &mut state, now);
            all.push(Variant {
                name: format!("{view}/{extra}"),
                draw: Box::new(move || draw_console(&mut term, black_box(&mut state), now)),
            });
        }
    }
    all
}

fn criterion_runs(c: &mut Criterion, variants: &mut [Variant]) {
    let mut group = c.benchmark_group("frame");
    for v in variants.iter_mut() {
        group.bench_function(v.name.as_str(), |b| b.iter(&mut v.draw));
    }
    group.finish();
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// Rounds of `PER_ROUND` frames of each variant in turn; prints each variant's median frame time and the
/// medians of the per-round ratios the goals name.
fn paired_runs(variants: &mut [Variant]) {
    const ROUNDS: usize = 300;
    const PER_ROUND: u32 = 10;
    let mut times: Vec<Vec<f64>> = vec![Vec::with_capacity(ROUNDS); variants.len()];
    for _ in 0..ROUNDS {
        for (v, t) in variants.iter_mut().zip(times.iter_mut()) {
            let start = Instant::now();
            for _ in 0..PER_ROUND {
                (v.draw)();
            }
            t.push((start.elapsed() / PER_ROUND).as_secs_f64());
        }
    }
    let index = |name: &str| variants.iter().position(|v| v.name == name);
    let ratio = |a: usize, b: usize| {
        let mut r: Vec<f64> = times[a].iter().zip(&times[b]).map(|(x, y)| x / y).collect();
        median(&mut r)
    };
    println!("\npaired run: {ROUNDS} rounds of {PER_ROUND} frames of each variant in turn");
    for (v, t) in variants.iter().zip(&times) {
        let mut t = t.clone();
        let m = Duration::from_secs_f64(median(&mut t));
        println!(
            "  {:<16} median {:>9.1} µs per frame",
            v.name,
            m.as_secs_f64() * 1e6
        );
    }
    if let (Some(base), Some(c10k)) = (index("baseline_table"), index("console/10000")) {
        let r = ratio(c10k, base);
        let verdict = if r <= 1.3 { "PASS" } else { "FAIL" };
        println!(
            "  goal 1a: console/10000 / baseline_table = {r:.2} (median of per-round ratios; goal <= 1.3) {verdict}"
        );
    }
    if let Some(base) = index("baseline_table") {
        for v in variants.iter().map(|v| v.name.clone()) {
            let Some((view, _)) = v.split_once('/') else {
                continue;
            };
            if !VIEWS.contains(&view) {
                continue;
            }
            let Some(at) = index(&v) else { continue };
            let r = ratio(at, base);
            let verdict = if r <= 1.3 { "PASS" } else { "FAIL" };
            println!(
                "  goal views: {v} / baseline_table = {r:.2} (median of per-round ratios; goal <= 1.3) {verdict}"
            );
        }
    }
    if let (Some(base), Some(inventory)) = (index("baseline_inventory"), index("inventory/20000")) {
        let r = ratio(inventory, base);
        let verdict = if r <= 1.3 { "PASS" } else { "FAIL" };
        println!(
            "  goal accounts: inventory/20000 / baseline_inventory (the same six columns) = {r:.2} (goal <= 1.3) {verdict}"
        );
        if let Some(five) = index("baseline_table") {
            let r = ratio(inventory, five);
            println!(
                "  (inventory/20000 / baseline_table of five columns = {r:.2}: one column more)"
            );
        }
    }
    if let (Some(small), Some(large)) = (index("console/100"), index("console/100000")) {
        let r = ratio(large, small);
        let verdict = if r <= 1.2 { "PASS" } else { "FAIL" };
        println!(
            "  goal 1b: console/100000 / console/100 = {r:.2} (median of per-round ratios; goal <= 1.2) {verdict}"
        );
    }
}

fn main() {
    let mut variants = variants();
    if std::env::var_os("FRAME_PROFILE").is_some() {
        // 2,000 frames of each, nothing else: `valgrind --tool=callgrind` attributes the difference.
        for v in variants.iter_mut() {
            for _ in 0..2_000 {
                (v.draw)();
            }
        }
        return;
    }
    // `FRAME_PAIRED=1`: the paired run alone (a quick check of the ratios; criterion's runs take minutes).
    if std::env::var_os("FRAME_PAIRED").is_none() {
        let mut c = Criterion::default().configure_from_args();
        criterion_runs(&mut c, &mut variants);
        c.final_summary();
    }
    paired_runs(&mut variants);
}
