//! `--dump-screen COLSxROWS`: load as the console does, render the first frame that shows the loaded table
//! (or the failure) into an off-screen buffer, and print it as plain text.

use std::time::Duration as StdDuration;

use chrono::{DateTime, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use tokio::sync::mpsc::UnboundedReceiver;
use unicode_width::UnicodeWidthStr;

use crate::config::Theme;

use super::executor::Executor;
use super::msg::Msg;
use super::state::{Phase, State};
use super::update::{start, update};
use super::view;

/// How long loading may take before the dump gives up (the client's own time-outs are shorter).
const DEADLINE: StdDuration = StdDuration::from_secs(120);

/// Whether the console has settled on something worth showing: the table with its names (and what
/// changed since the last look), or a failure; the inventory once every account has answered.
fn settled(state: &State) -> bool {
    if view::showing_error(state) {
        return true;
    }
    match state.session.phase {
        Phase::Inventory => {
            state.requests.tokens.in_flight.is_none()
                && state.session.inventory.as_ref().is_some_and(|i| {
                    i.slots
                        .iter()
                        .all(|s| s.tokens.in_flight.is_none() && s.tree.in_flight.is_none())
                })
        }
        Phase::Ready(_) => {
            state.requests.has_tokens()
                && state.drift.settled()
                && state.requests.tokens.in_flight.is_none()
                && state.requests.tree.in_flight.is_none()
        }
        Phase::Connecting => false,
    }
}

pub async fn run(
    mut state: State,
    mut executor: Executor,
    mut rx: UnboundedReceiver<Msg>,
    theme: &Theme,
    cols: u16,
    rows: u16,
) -> i32 {
    for effect in start(&mut state, Utc::now()) {
        executor.run(effect);
    }
    // Made while the requests are out, as the console's own screen is: the frame that is printed is then
    // only drawn once the answers are in.
    let Ok(mut terminal) = Terminal::new(TestBackend::new(cols, rows));
    let deadline = tokio::time::Instant::now() + DEADLINE;
    while !settled(&state) {
        let msg = match rx.try_recv() {
            Ok(msg) => msg,
            Err(_) => {
                // Nothing to do until the next answer: the state so far is drawn, as the console draws
                // it while it waits (the frame is thrown away; its layouts and pages stay warm).
                if state.needs_redraw {
                    draw(&mut terminal, &mut state, Utc::now(), theme);
                }
                match tokio::time::timeout_at(deadline, rx.recv()).await {
                    Ok(Some(msg)) => msg,
                    _ => {
                        eprintln!("mailtrap-tokens: the API did not answer in time");
                        return 7;
                    }
                }
            }
        };
        for effect in update(&mut state, msg, Utc::now()) {
            executor.run(effect);
        }
    }
    draw(&mut terminal, &mut state, Utc::now(), theme);
    print!("{}", buffer_to_text(terminal.backend().buffer()));
    // The process ends next: handing 100,000 rows back to the allocator one by one would only delay the
    // exit (a millisecond per 10,000). The table holds no secret, so nothing is left to be wiped.
    std::mem::forget(std::mem::take(&mut state.table));
    if view::showing_error(&state) {
        let error = state
            .requests
            .accounts
            .error()
            .or(state.requests.tokens.error());
        return error.map_or(1, |e| e.exit_code());
    }
    0
}

fn draw(
    terminal: &mut Terminal<TestBackend>,
    state: &mut State,
    now: DateTime<Utc>,
    theme: &Theme,
) {
    // The off-screen backend cannot fail.
    let Ok(_) = terminal.draw(|f| view::draw_frame(state, now, theme, f));
    state.needs_redraw = false;
}

/// Reads a buffer back as text; the cells a wide character covers are skipped.
pub fn buffer_to_text(buffer: &Buffer) -> String {
    let area = buffer.area;
    let mut out = String::new();
    for y in area.top()..area.bottom() {
        let mut line = String::new();
        let mut skip = 0;
        for x in area.left()..area.right() {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let symbol = buffer[(x, y)].symbol();
            line.push_str(symbol);
            skip = symbol.width().saturating_sub(1);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}
