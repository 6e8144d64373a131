//! The key goal: from a key's `Msg` to the finished 120×40 frame, at 10,000 tokens.
//!
//! Run: `cargo bench --bench keys`, then `python3 benches/criterion_medians.py` for medians.
//!
//! Each measured iteration is `update(Msg::Key)` followed by a full frame (`view::render` through the
//! `TestBackend` terminal). Where a key leaves the state changed for the next iteration (a filter character,
//! a sort), the change is undone outside the timed part, so every iteration starts from the same state.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use mailtrap_tokens::api::ApiToken;
use mailtrap_tokens::app::msg::Msg;
use mailtrap_tokens::app::state::{SortColumn, State};
use mailtrap_tokens::app::update::update;
use mailtrap_tokens::keys::action::Action;

mod common;
use common::{draw_console, loaded_state, loaded_view, terminal};

const TOKENS: usize = 10_000;

/// The first key the default keymap binds to `action`.
fn key_for(state: &State, action: Action) -> KeyEvent {
    let binding = state
        .session
        .keymap
        .keys_for(action)
        .first()
        .copied()
        .unwrap_or_else(|| panic!("{action:?} has a default key"));
    KeyEvent::new(binding.code, binding.modifiers)
}

fn plain(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

fn keys(c: &mut Criterion) {
    let (mut state, now) = loaded_state(TOKENS);
    let mut term = terminal();
    draw_console(&mut term, &mut state, now);
    let mut group = c.benchmark_group("keys");

    // Down then Up, alternately, from the middle of the screen: each moves the selection by one row.
    let (down, up) = (
        key_for(&state, Action::MoveDown),
        key_for(&state, Action::MoveUp),
    );
    for _ in 0..10 {
        update(&mut state, Msg::Key(down), now);
    }
    let mut going_down = true;
    group.bench_function("move_selection", |b| {
        b.iter(|| {
            let key = if going_down { down } else { up };
            going_down = !going_down;
            update(&mut state, Msg::Key(key), now);
            draw_console(&mut term, black_box(&mut state), now);
        })
    });

    // Typing the first character of a filter: every one of the 10,000 rows is matched against it.
    let filter = key_for(&state, Action::Filter);
    update(&mut state, Msg::Key(filter), now);
    assert!(
        state.table.filter_editing,
        "the filter key opens the filter"
    );
    for letter in ['e', 'x'] {
        group.bench_function(format!("filter_char_{letter}"), |b| {
            b.iter_custom(|iters| {
                let mut spent = Duration::ZERO;
                for _ in 0..iters {
                    let start = Instant::now();
                    update(&mut state, Msg::Key(plain(KeyCode::Char(letter))), now);
                    draw_console(&mut term, black_box(&mut state), now);
                    spent += start.elapsed();
                    update(&mut state, Msg::Key(plain(KeyCode::Backspace)), now);
                }
                spent
            })
        });
    }
    update(&mut state, Msg::Key(plain(KeyCode::Enter)), now);
    assert!(state.table.filter.is_empty() && !state.table.filter_editing);

    // Changing the sort to each column in turn (the default keymap's "next column" key).
    let sort_next = key_for(&state, Action::SortNext);
    for target in SortColumn::ALL {
        let at = SortColumn::ALL
            .iter()
            .position(|c| *c == target)
            .unwrap_or(0);
        let before = SortColumn::ALL[(at + SortColumn::ALL.len() - 1) % SortColumn::ALL.len()];
        group.bench_function(
            format!("sort_to_{}", target.title().replace(' ', "_")),
            |b| {
                b.iter_custom(|iters| {
                    let mut spent = Duration::ZERO;
                    for _ in 0..iters {
                        state.table.sort.column = before;
                        state.table.sort.descending = false;
                        state.table.resort();
                        let start = Instant::now();
                        update(&mut state, Msg::Key(sort_next), now);
                        draw_console(&mut term, black_box(&mut state), now);
                        spent += start.elapsed();
                    }
                    assert_eq!(state.table.sort.column, target);
                    spent
                })
            },
        );
    }
    group.finish();

    // The first key into each view after a new list: the view's rows are made then, once per data
    // change (the findings were made when the console was idle after the list's first frame); the list
    // is replaced and the view left outside the timing.
    let tokens = loaded_tokens(&state);
    let back = key_for(&state, Action::ShowTokens);
    let mut group = c.benchmark_group("views");
    group.sample_size(20);
    for action in [
        Action::ShowDomains,
        Action::ShowTimeline,
        Action::ShowFindings,
        Action::Details,
    ] {
        let key = key_for(&state, action);
        group.bench_function(format!("first_{}", action.name()), |b| {
            b.iter_custom(|iters| {
                let mut spent = Duration::ZERO;
                for _ in 0..iters {
                    state.table.set_tokens(tokens.clone());
                    draw_console(&mut term, &mut state, now);
                    // As the console does once the frame is up and no key is waiting.
                    common::idle(&mut state, now);
                    let start = Instant::now();
                    update(&mut state, Msg::Key(key), now);
                    draw_console(&mut term, black_box(&mut state), now);
                    spent += start.elapsed();
                    let leave = if action == Action::Details { key } else { back };
                    update(&mut state, Msg::Key(leave), now);
                }
                spent
            })
        });
    }
    group.finish();

    // Moving in a derived view, as in the table.
    let mut group = c.benchmark_group("keys");
    for view in ["domains", "timeline", "findings"] {
        let (mut in_view, now) = loaded_view(TOKENS, view);
        let mut term = terminal();
        draw_console(&mut term, &mut in_view, now);
        for _ in 0..10 {
            update(&mut in_view, Msg::Key(down), now);
        }
        let mut going_down = true;
        group.bench_function(format!("move_in_{view}"), |b| {
            b.iter(|| {
                let key = if going_down { down } else { up };
                going_down = !going_down;
                update(&mut in_view, Msg::Key(key), now);
                draw_console(&mut term, black_box(&mut in_view), now);
            })
        });
    }
    group.finish();

    // Not a key, but where the cost of a 10,000-token load lands: a refresh's answer applied, then the frame.
    let tokens = loaded_tokens(&state);
    let mut group = c.benchmark_group("data");
    group.sample_size(20);
    group.bench_function("refresh_answer_10000", |b| {
        b.iter_custom(|iters| {
            let mut spent = Duration::ZERO;
            for _ in 0..iters {
                let fresh = tokens.clone();
                let start = Instant::now();
                state.table.set_tokens(fresh);
                draw_console(&mut term, black_box(&mut state), now);
                spent += start.elapsed();
            }
            spent
        })
    });
    group.finish();
}

/// The tokens the state holds, as the API returned them.
fn loaded_tokens(state: &State) -> Vec<ApiToken> {
    state.table.rows.iter().map(|r| r.token.clone()).collect()
}

criterion_group!(benches, keys);
criterion_main!(benches);
