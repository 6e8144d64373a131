//! Real key events through the real keymap and update, step by step, checking state, effects and frames.

use chrono::Duration;
use crossterm::event::KeyCode;
use mailtrap_tokens::api::ApiError;
use mailtrap_tokens::app::dialogs::HelpDialog;
use mailtrap_tokens::app::effect::Effect;
use mailtrap_tokens::app::msg::Msg;
use mailtrap_tokens::app::state::{Overlay, Phase, SortColumn};

use super::common::*;
use crate::console_driver::*;

#[test]
fn a_release_event_is_ignored_and_a_press_moves() {
    let mut state = loaded(demo_tokens());
    assert_eq!(selected_name(&state).as_deref(), Some("ci-deploy"));
    state.needs_redraw = false;
    assert!(send(&mut state, release('j')).is_empty());
    assert_eq!(selected_name(&state).as_deref(), Some("ci-deploy"));
    assert!(!state.needs_redraw, "a release must not even redraw");
    send(&mut state, char_key('j'));
    assert_eq!(selected_name(&state).as_deref(), Some("ci-deploy 2498715"));
    send(&mut state, press(KeyCode::Down));
    send(&mut state, char_key('G'));
    assert_eq!(selected_name(&state).as_deref(), Some("staging-bot"));
    send(&mut state, char_key('k'));
    send(&mut state, char_key('g'));
    assert_eq!(state.table.cursor(), 0);
    send(&mut state, press(KeyCode::Up));
    assert_eq!(state.table.cursor(), 0, "stays on the first row");
}

#[test]
fn page_keys_move_by_the_visible_height() {
    let mut tokens = Vec::new();
    for i in 0..100 {
        tokens.push(token(
            1000 + i,
            &format!("bulk-{i:03}"),
            "bot",
            "0000",
            None,
            vec![],
        ));
    }
    let mut state = loaded(tokens);
    draw(&mut state, 80, 24); // the view records how many rows fit
    let page = state.table.viewport.height;
    assert!(page > 5);
    send(&mut state, press(KeyCode::PageDown));
    assert_eq!(state.table.cursor(), page);
    let frame = text(&draw(&mut state, 80, 24));
    assert!(frame.contains(&format!("bulk-{page:03}")), "{frame}");
    assert!(!frame.contains("bulk-000"), "scrolled: {frame}");
    send(&mut state, press(KeyCode::PageUp));
    assert_eq!(state.table.cursor(), 0);
}

#[test]
fn the_filter_narrows_live_enter_keeps_it_esc_clears_it() {
    let mut state = loaded(demo_tokens());
    send(&mut state, char_key('/'));
    assert!(state.table.filter_editing);
    type_text(&mut state, "ci");
    assert_eq!(visible_names(&state), ["ci-deploy", "ci-deploy 2498715"]);
    // Letters that are bound keys (q, s, j) are text while typing.
    type_text(&mut state, "q");
    assert!(visible_names(&state).is_empty());
    assert!(text(&draw(&mut state, 80, 24)).contains("No token matches /ciq"));
    send(&mut state, press(KeyCode::Backspace));
    send(&mut state, press(KeyCode::Enter));
    assert!(!state.table.filter_editing);
    assert_eq!(state.table.filter, "ci");
    let frame = text(&draw(&mut state, 120, 40));
    assert!(frame.contains("(2 of 8) · filter: /ci"), "{frame}");
    // Back at the table, keys are actions again.
    send(&mut state, char_key('j'));
    assert_eq!(selected_name(&state).as_deref(), Some("ci-deploy 2498715"));
    send(&mut state, press(KeyCode::Esc));
    assert_eq!(state.table.filter, "");
    assert_eq!(visible_names(&state).len(), 8);
    assert_eq!(
        selected_name(&state).as_deref(),
        Some("ci-deploy 2498715"),
        "kept by id"
    );
    // Esc while typing clears as well.
    send(&mut state, char_key('/'));
    type_text(&mut state, "zzz");
    send(&mut state, press(KeyCode::Esc));
    assert!(!state.table.filter_editing);
    assert_eq!(visible_names(&state).len(), 8);
}

#[test]
fn ctrl_c_closes_the_filter_first_then_quits() {
    let mut state = loaded(demo_tokens());
    send(&mut state, char_key('/'));
    type_text(&mut state, "mon");
    assert!(send(&mut state, ctrl('c')).is_empty());
    assert!(!state.table.filter_editing);
    assert_eq!(state.table.filter, "");
    assert_eq!(send(&mut state, ctrl('c')), vec![Effect::Quit]);
}

#[test]
fn help_opens_from_the_live_keymap_and_closes_without_quitting() {
    let mut state = loaded(demo_tokens());
    send(&mut state, char_key('?'));
    assert!(matches!(
        state.overlays.open,
        Some(Overlay::Help(HelpDialog { scroll: 0 }))
    ));
    let frame = text(&draw(&mut state, 120, 40));
    assert!(frame.contains("Ctrl-R"), "{frame}");
    assert!(frame.contains("Reverse the sort order"), "{frame}");
    // q closes the overlay; it does not quit.
    assert!(send(&mut state, char_key('q')).is_empty());
    assert!(state.overlays.open.is_none());
    send(&mut state, char_key('?'));
    assert!(send(&mut state, ctrl('c')).is_empty());
    assert!(state.overlays.open.is_none());
    send(&mut state, char_key('?'));
    send(&mut state, press(KeyCode::Esc));
    assert!(state.overlays.open.is_none());
    assert_eq!(send(&mut state, char_key('q')), vec![Effect::Quit]);
}

#[test]
fn sort_cycles_columns_and_reverses_keeping_the_selection() {
    let mut state = loaded(demo_tokens());
    send(&mut state, char_key('j'));
    send(&mut state, char_key('j'));
    let chosen = selected_name(&state);
    let mut seen = Vec::new();
    for _ in 0..5 {
        seen.push(state.table.sort.column);
        send(&mut state, char_key('s'));
        assert_eq!(selected_name(&state), chosen);
    }
    assert_eq!(seen, SortColumn::ALL);
    assert_eq!(state.table.sort.column, SortColumn::Name);
    send(&mut state, char_key('s'));
    send(&mut state, char_key('s'));
    send(&mut state, char_key('s')); // Expires
    assert_eq!(
        visible_names(&state)[0],
        "old-import",
        "soonest (already expired) first"
    );
    // `never` after every date; ties by id.
    assert_eq!(
        visible_names(&state).last().map(String::as_str),
        Some("example.com token 2498700")
    );
    send(&mut state, char_key('S'));
    assert!(state.table.sort.descending);
    assert_eq!(visible_names(&state)[0], "example.com token 2498700");
    assert!(text(&draw(&mut state, 120, 40)).contains("Expires ▼"));
    assert_eq!(selected_name(&state), chosen);
}

#[test]
fn refresh_keeps_the_selection_and_drops_stale_answers() {
    let mut state = loaded(demo_tokens());
    send(&mut state, char_key('j'));
    send(&mut state, char_key('j'));
    let chosen = state.table.selected_id();
    let first = send(&mut state, char_key('r'));
    let (old_req, _) = load_requests(&first, ACCOUNT_ID);
    let old_req = old_req.expect("r loads the tokens");
    let second = send(&mut state, ctrl('r'));
    let (new_req, tree) = load_requests(&second, ACCOUNT_ID);
    let new_req = new_req.expect("Ctrl-R loads the tokens");
    assert_ne!(old_req, new_req);
    assert_eq!(tree, None, "the tree is loaded already");
    assert!(text(&draw(&mut state, 120, 40)).contains("↻ refreshing"));

    // The stale answer (an empty list) is dropped.
    send(
        &mut state,
        Msg::TokensLoaded {
            req: old_req,
            result: Ok(Vec::new().into()),
        },
    );
    assert_eq!(state.table.rows.len(), 8);

    // The current answer arrives with a new token that sorts before the selected one.
    let mut tokens = demo_tokens();
    tokens.push(token(
        2498800,
        "aaa-first",
        "John Doe",
        "1234",
        None,
        vec![],
    ));
    send(
        &mut state,
        Msg::TokensLoaded {
            req: new_req,
            result: Ok(tokens.into()),
        },
    );
    assert_eq!(state.table.rows.len(), 9);
    assert_eq!(
        state.table.selected_id(),
        chosen,
        "selection follows the token, not the row number"
    );
    assert_eq!(state.table.cursor(), 3);
}

#[test]
fn a_refresh_that_fails_keeps_the_table_and_says_so() {
    let mut state = loaded(demo_tokens());
    let effects = send(&mut state, char_key('r'));
    let (req, _) = load_requests(&effects, ACCOUNT_ID);
    send(
        &mut state,
        Msg::TokensLoaded {
            req: req.unwrap(),
            result: Err(ApiError::Timeout),
        },
    );
    let frame = text(&draw(&mut state, 120, 40));
    assert!(frame.contains("ci-deploy"), "{frame}");
    assert!(
        frame.contains("Refresh failed: the request timed out"),
        "{frame}"
    );
    assert!(frame.contains("✖ offline"), "{frame}");
}

#[test]
fn auto_refresh_every_30_seconds_and_the_status_expires() {
    let mut state = loaded(demo_tokens());
    let t0 = now();
    assert!(send_at(&mut state, Msg::Tick(t0), t0 + Duration::seconds(29)).is_empty());
    let effects = send_at(&mut state, Msg::Tick(t0), t0 + Duration::seconds(30));
    assert!(
        matches!(effects.as_slice(), [Effect::LoadTokens { .. }]),
        "{effects:?}"
    );
    // While the load is in flight, no second one starts.
    assert!(send_at(&mut state, Msg::Tick(t0), t0 + Duration::seconds(61)).is_empty());

    // The status line clears itself.
    let mut state = loaded(demo_tokens());
    // R on ci-deploy, already reset: refused on the status line.
    send_at(&mut state, char_key('R'), t0);
    assert!(state.status.is_some());
    send_at(&mut state, Msg::Tick(t0), t0 + Duration::seconds(7));
    assert!(state.status.is_none());
}

#[test]
fn the_refresh_interval_has_a_floor() {
    let mut cfg = config();
    cfg.refresh_every = Duration::seconds(1);
    let state = mailtrap_tokens::app::state::State::new(cfg);
    assert_eq!(state.session.refresh_every, Duration::seconds(5));
}

#[test]
fn the_clock_ticks_only_while_a_countdown_is_visible() {
    let mut state = loaded(demo_tokens());
    draw(&mut state, 120, 40);
    assert!(state.countdown_visible(now()));
    let wake = state.next_wakeup(now()).unwrap();
    assert!(wake - now() <= Duration::seconds(1));

    // Only calm tokens: the next wake-up is the auto-refresh, not the next second.
    let calm = vec![token(
        1,
        "calm",
        "me",
        "abcd",
        Some(Duration::days(90)),
        vec![],
    )];
    let mut state = loaded(calm);
    draw(&mut state, 120, 40);
    assert!(!state.countdown_visible(now()));
    assert_eq!(
        state.next_wakeup(now()),
        Some(now() + Duration::seconds(30))
    );

    // The countdown moves with the injected clock.
    let mut state = loaded(demo_tokens());
    let later = now() + Duration::seconds(12);
    draw(&mut state, 120, 40);
    let terminal = draw_at(&mut state, later, 120, 40);
    assert!(text(&terminal).contains("resets in 11:59:00"));
}

#[test]
fn ctrl_z_suspends() {
    let mut state = loaded(demo_tokens());
    assert_eq!(send(&mut state, ctrl('z')), vec![Effect::Suspend]);
}

#[test]
fn several_accounts_open_the_inventory_instead_of_a_picker() {
    let mut state = picking_an_account();
    assert_eq!(state.session.phase, Phase::Inventory);
    let effects = send(&mut state, char_key('r'));
    for account in [ACCOUNT_ID, 42] {
        assert!(
            effects
                .iter()
                .any(|e| matches!(e, Effect::LoadTokens { account: a, .. } if *a == account)),
            "{effects:?}"
        );
    }
}

#[test]
fn retry_after_unreachable_asks_again() {
    let mut state = unreachable();
    let effects = send(&mut state, char_key('r'));
    // The account again, and (it is named) its list and tree alongside.
    assert!(
        matches!(
            effects.as_slice(),
            [
                Effect::ResolveAccount { .. },
                Effect::LoadTokens {
                    account: ACCOUNT_ID,
                    ..
                },
                Effect::LoadResourceTree { .. }
            ]
        ),
        "{effects:?}"
    );
    assert!(text(&draw(&mut state, 80, 24)).contains("Loading tokens…"));
}

#[test]
fn nothing_panics_at_any_size() {
    let mut states = [connecting().0, loaded(demo_tokens()), loaded(Vec::new())];
    for state in &mut states {
        for (w, h) in [
            (0, 0),
            (1, 1),
            (20, 5),
            (59, 9),
            (60, 10),
            (61, 11),
            (200, 3),
            (3, 200),
        ] {
            draw(state, w, h);
        }
    }
    let mut help = loaded(demo_tokens());
    send(&mut help, char_key('?'));
    for _ in 0..50 {
        send(&mut help, char_key('j'));
    }
    for (w, h) in [(0, 0), (1, 1), (20, 5), (60, 10), (80, 24)] {
        draw(&mut help, w, h);
    }
}
