//! The start: the account named by the settings is checked while its list and tree are already on their
//! way, and what they bring waits for the check.

use crossterm::event::KeyCode;
use mailtrap_tokens::api::{AccountChoice, ApiError};
use mailtrap_tokens::app::effect::Effect;
use mailtrap_tokens::app::msg::Msg;
use mailtrap_tokens::app::state::{Overlay, Phase, StateConfig};

use super::common::*;
use crate::console_driver::*;

fn answer_tokens(state: &mut mailtrap_tokens::app::state::State, req: u64) -> Vec<Effect> {
    send(
        state,
        Msg::TokensLoaded {
            req,
            result: Ok(demo_tokens().into()),
        },
    )
}

fn answer_tree(state: &mut mailtrap_tokens::app::state::State, req: u64) -> Vec<Effect> {
    send(
        state,
        Msg::ResourceTreeLoaded {
            req,
            result: Ok(tree()),
        },
    )
}

#[test]
fn answers_that_beat_the_account_check_wait_for_it() {
    let (mut state, account_req, loads) = connect_with_loads(config());
    let (Some(tokens), Some(tree_req)) = load_requests(&loads, ACCOUNT_ID) else {
        panic!("the list and the tree are asked for at start: {loads:?}");
    };
    assert!(answer_tokens(&mut state, tokens).is_empty());
    assert!(answer_tree(&mut state, tree_req).is_empty());
    assert!(matches!(state.session.phase, Phase::Connecting));
    assert!(
        state.table.rows.is_empty(),
        "no list before the account is confirmed"
    );
    assert!(text(&draw(&mut state, 80, 24)).contains("Loading tokens…"));

    let effects = choose_account(&mut state, account_req, account());
    assert!(
        load_requests(&effects, ACCOUNT_ID) == (None, None),
        "nothing is asked twice: {effects:?}"
    );
    assert_eq!(state.table.rows.len(), demo_tokens().len());
    let frame = text(&draw(&mut state, 120, 40));
    assert!(
        frame.contains("Domain admin · example.com"),
        "the tree's names: {frame}"
    );
    assert!(frame.contains("Acme Mail #1719941"), "{frame}");
}

#[test]
fn answers_that_come_after_the_check_are_taken_as_they_come() {
    let (mut state, account_req, loads) = connect_with_loads(config());
    let (Some(tokens), Some(tree_req)) = load_requests(&loads, ACCOUNT_ID) else {
        panic!("the list and the tree are asked for at start: {loads:?}");
    };
    let effects = choose_account(&mut state, account_req, account());
    assert_eq!(load_requests(&effects, ACCOUNT_ID), (None, None));
    answer_tokens(&mut state, tokens);
    assert_eq!(state.table.rows.len(), demo_tokens().len());
    answer_tree(&mut state, tree_req);
    assert!(text(&draw(&mut state, 120, 40)).contains("Domain admin · example.com"));
}

#[test]
fn a_list_for_an_account_that_is_not_confirmed_is_never_shown() {
    let (mut state, account_req, loads) = connect_with_loads(config());
    let (Some(tokens), _) = load_requests(&loads, ACCOUNT_ID) else {
        panic!("the list is asked for at start: {loads:?}");
    };
    answer_tokens(&mut state, tokens);
    send(
        &mut state,
        Msg::AccountResolved {
            req: account_req,
            result: Err(ApiError::Forbidden {
                message: "account not visible".into(),
            }),
        },
    );
    assert!(state.table.rows.is_empty());
    assert!(state.requests.tokens.in_flight.is_none());
    // A straggler from before is stale too.
    assert!(answer_tokens(&mut state, tokens).is_empty());
    assert!(state.table.rows.is_empty());

    // Trying again asks for all three again, with new ids.
    let again = send(&mut state, char_key('r'));
    assert!(
        matches!(again.first(), Some(Effect::ResolveAccount { .. })),
        "{again:?}"
    );
    let (Some(new_tokens), Some(_)) = load_requests(&again, ACCOUNT_ID) else {
        panic!("the list and the tree again: {again:?}");
    };
    assert_ne!(new_tokens, tokens);
}

#[test]
fn several_accounts_to_pick_from_drop_the_loads_sent_ahead() {
    let (mut state, account_req, loads) = connect_with_loads(config());
    let (Some(tokens), _) = load_requests(&loads, ACCOUNT_ID) else {
        panic!("the list is asked for at start: {loads:?}");
    };
    let mut other = account();
    other.id = 42;
    send(
        &mut state,
        Msg::AccountResolved {
            req: account_req,
            result: Ok(AccountChoice::Ambiguous(vec![account(), other])),
        },
    );
    assert!(answer_tokens(&mut state, tokens).is_empty());
    assert!(state.table.rows.is_empty());
}

#[test]
fn without_an_account_named_only_the_accounts_are_asked_for() {
    let (_, _, loads) = connect_with_loads(StateConfig {
        wanted_account: None,
        ..config()
    });
    assert!(loads.is_empty(), "{loads:?}");
}

fn many(n: i64) -> Vec<mailtrap_tokens::api::ApiToken> {
    use mailtrap_tokens::api::AccessLevel;
    (0..n)
        .map(|i| {
            token(
                1000 + i,
                &format!("bulk-{i:03}"),
                "Dana",
                "ab12",
                None,
                vec![res("domain", 3938, AccessLevel::ADMIN)],
            )
        })
        .collect()
}

#[test]
fn a_new_list_makes_the_texts_of_what_is_on_screen_first_and_the_rest_when_idle() {
    let mut state = loaded(many(300));
    let frame = text(&draw(&mut state, 120, 40));
    assert!(frame.contains("bulk-000"), "{frame}");
    let ready = state.table.rows.iter().filter(|r| r.texts_ready()).count();
    assert!(
        ready > 0 && ready < 100,
        "only the rows on screen are made before the first frame: {ready}"
    );
    assert!(state.table.has_deferred_work());
    idle(&mut state);
    assert!(state.table.rows.iter().all(|r| r.texts_ready()));
    assert!(!state.table.has_deferred_work());
    assert_eq!(state.table.rows[299].name(), "bulk-299");
}

#[test]
fn texts_not_made_yet_are_made_when_a_key_needs_them() {
    // The filter matches the access text, the Access sort orders by it, and the menu is titled with the
    // row's name: each works before the idle moment makes every row's texts.
    let mut state = loaded(many(300));
    draw(&mut state, 120, 40);
    send(&mut state, char_key('G'));
    assert!(!state.table.rows[299].texts_ready(), "not on screen yet");
    send(&mut state, char_key('.'));
    assert_eq!(
        state.table.rows[299].name(),
        "bulk-299",
        "the menu's title is made"
    );
    assert!(matches!(
        state.overlays.open,
        Some(Overlay::Menu { token: 1299, .. })
    ));

    let mut state = loaded(many(300));
    draw(&mut state, 120, 40);
    send(&mut state, char_key('/'));
    for c in "domain admin".chars() {
        send(&mut state, char_key(c));
    }
    assert_eq!(
        state.table.order().len(),
        300,
        "the filter reads every row's access text"
    );

    let mut state = loaded(many(300));
    draw(&mut state, 120, 40);
    for _ in 0..2 {
        send(&mut state, char_key('s'));
    }
    assert_eq!(
        state.table.sort.column,
        mailtrap_tokens::app::state::SortColumn::Access
    );
    assert_eq!(state.table.order().len(), 300);
    assert!(state.table.rows.iter().all(|r| r.texts_ready()));
}

/// 6,000 tokens named out of order, and their names in the table's order (case-insensitive, then id).
fn long_list() -> (Vec<mailtrap_tokens::api::ApiToken>, Vec<String>) {
    let tokens: Vec<_> = (0..6000)
        .map(|i| {
            let name = format!("Bot {:04}", (i * 7919) % 6000);
            token(3_000_000 + i, &name, "ci", "abcd", None, Vec::new())
        })
        .collect();
    let mut names: Vec<String> = tokens.iter().map(|t| t.name.to_string()).collect();
    names.sort();
    (tokens, names)
}

/// The names a frame shows in its table, top to bottom.
fn shown_names(screen: &Screen) -> Vec<String> {
    text(screen)
        .lines()
        .filter_map(|line| {
            let at = line.find("Bot ")?;
            // A token in its reset grace shows its successor's name after an arrow.
            let name = line[at..].split("  ").next()?;
            name.split(" → ").next().map(str::to_string)
        })
        .collect()
}

#[test]
fn a_long_lists_first_frame_shows_its_first_rows_in_order_and_the_next_key_finds_the_whole_order() {
    let (tokens, names) = long_list();
    let mut state = loaded(tokens);
    // Only as far as a frame shows is ordered until something else happens: more is derived later.
    assert!(state.table.has_deferred_work());
    let screen = draw(&mut state, 100, 30);
    let shown = shown_names(&screen);
    assert!(shown.len() > 20, "{shown:?}");
    assert_eq!(shown, names[..shown.len()]);
    // The end of the list is the end of the whole order, not of a part.
    send(&mut state, press(KeyCode::End));
    assert_eq!(visible_names(&state), names);
    let selected = state.table.selected_row().map(|r| r.token.name.to_string());
    assert_eq!(selected.as_deref(), Some("Bot 5999"));
}

#[test]
fn a_frame_taller_than_the_first_ordered_rows_orders_them_all() {
    let (tokens, names) = long_list();
    let mut state = loaded(tokens);
    let screen = draw(&mut state, 60, 1500);
    let shown = shown_names(&screen);
    assert!(shown.len() > 1400, "{}", shown.len());
    assert_eq!(shown, names[..shown.len()]);
    assert_eq!(visible_names(&state), names);
}

#[test]
fn once_the_first_frame_is_drawn_the_idle_step_orders_the_rest() {
    let (tokens, names) = long_list();
    let mut state = loaded(tokens);
    draw(&mut state, 100, 30);
    idle(&mut state);
    assert!(!state.table.has_deferred_work());
    assert_eq!(visible_names(&state), names);
}

#[test]
fn a_list_long_enough_to_be_ordered_on_another_thread_still_links_every_reset_to_its_successor() {
    // 30,000 tokens; every 100th was reset, its successor named after it plus the successor's id.
    let mut tokens = Vec::new();
    let mut expected = Vec::new();
    for i in 0..30_000i64 {
        let name = format!("Bot {:05}", (i * 7919) % 30_000);
        let reset = i % 100 == 0;
        let grace = reset.then(|| chrono::Duration::hours(6));
        tokens.push(token(5_000_000 + i, &name, "ci", "abcd", grace, Vec::new()));
        if reset {
            let new_id = 9_000_000 + i;
            tokens.push(token(
                new_id,
                &format!("{name} {new_id}"),
                "ci",
                "ef01",
                None,
                Vec::new(),
            ));
            expected.push((5_000_000 + i, new_id));
        }
    }
    let mut names: Vec<String> = tokens.iter().map(|t| t.name.to_string()).collect();
    names.sort();
    let mut state = loaded(tokens);
    let screen = draw(&mut state, 100, 30);
    let shown = shown_names(&screen);
    assert_eq!(shown, names[..shown.len()]);
    assert!(text(&screen).contains("Bot 00000 → Bot 00000 9000000"));
    let table = &state.table;
    let index_of = |id| table.row_by_id(id).expect("listed");
    for &(old, new) in &expected {
        let (old, new) = (index_of(old), index_of(new));
        assert_eq!(table.rows[old].successor(), Some(new));
        assert!(table.rows[old].in_grace());
        assert_eq!(table.predecessor(new), Some(old));
    }
    let linked = table
        .rows
        .iter()
        .filter(|r| r.successor().is_some())
        .count();
    assert_eq!(linked, expected.len());
    idle(&mut state);
    assert_eq!(visible_names(&state), names);
}
