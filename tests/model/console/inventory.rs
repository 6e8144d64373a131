//! The inventory: with no account named and several accounts, every account side by side in one table
//! with an Account column; each account loads, fails and is written to on its own.

use chrono::Duration;
use crossterm::event::KeyCode;
use insta::assert_snapshot;
use mailtrap_tokens::api::{AccessLevel, Account, AccountChoice, ApiError, ApiToken, ResourceNode};
use mailtrap_tokens::app::effect::Effect;
use mailtrap_tokens::app::msg::Msg;
use mailtrap_tokens::app::state::{Overlay, Phase, SortColumn, State, StateConfig};

use super::common::*;
use crate::console_driver::*;

const LABS: i64 = 42;
const RETAIL: i64 = 77;

fn labs() -> Account {
    Account {
        id: LABS,
        name: "Acme Labs".into(),
        access_levels: vec![AccessLevel::VIEWER],
    }
}

fn retail() -> Account {
    Account {
        id: RETAIL,
        name: "Acme Retail EU".into(),
        access_levels: vec![],
    }
}

fn labs_tokens() -> Vec<ApiToken> {
    vec![
        token(
            3100001,
            "labs-importer",
            "Lab Owner",
            "9a01",
            Some(Duration::days(40)),
            vec![res("account", LABS, AccessLevel::ADMIN)],
        ),
        token(
            3100002,
            "labs-reader",
            "Lab Owner",
            "9a02",
            None,
            vec![res("account", LABS, AccessLevel::VIEWER)],
        ),
    ]
}

fn labs_tree() -> Vec<ResourceNode> {
    serde_json::from_value(serde_json::json!([
        {"id": LABS, "name": "Account", "type": "account", "access_level": 10, "resources": []}
    ]))
    .unwrap()
}

fn no_account_named() -> StateConfig {
    StateConfig {
        wanted_account: None,
        ..config()
    }
}

/// The (tokens, tree) request ids the effects ask for, per account.
fn loads_of(effects: &[Effect], account: i64) -> (u64, Option<u64>) {
    let mut tokens = None;
    let mut tree = None;
    for effect in effects {
        match effect {
            Effect::LoadTokens { req, account: a } if *a == account => tokens = Some(*req),
            Effect::LoadResourceTree { req, account: a } if *a == account => tree = Some(*req),
            _ => {}
        }
    }
    (tokens.expect("the account's list is asked for"), tree)
}

/// The token sees three accounts and none was named: the inventory, every account asked for at once.
fn opening() -> (State, Vec<Effect>) {
    let (mut state, req) = connect(no_account_named());
    let effects = send(
        &mut state,
        Msg::AccountResolved {
            req,
            result: Ok(AccountChoice::Ambiguous(vec![account(), labs(), retail()])),
        },
    );
    (state, effects)
}

fn answer_lists(state: &mut State, effects: &[Effect]) {
    let (mail, mail_tree) = loads_of(effects, ACCOUNT_ID);
    let (lab, lab_tree) = loads_of(effects, LABS);
    let (ret, _) = loads_of(effects, RETAIL);
    if let (Some(a), Some(b)) = (mail_tree, lab_tree) {
        send(
            state,
            Msg::ResourceTreeLoaded {
                req: a,
                result: Ok(tree()),
            },
        );
        send(
            state,
            Msg::ResourceTreeLoaded {
                req: b,
                result: Ok(labs_tree()),
            },
        );
    }
    send(
        state,
        Msg::TokensLoaded {
            req: mail,
            result: Ok(demo_tokens().into()),
        },
    );
    send(
        state,
        Msg::TokensLoaded {
            req: lab,
            result: Ok(labs_tokens().into()),
        },
    );
    send(
        state,
        Msg::TokensLoaded {
            req: ret,
            result: Err(ApiError::Forbidden {
                message: "Account access forbidden".into(),
            }),
        },
    );
}

/// The inventory with every account answered: two lists and a 403.
fn inventory() -> State {
    let (mut state, effects) = opening();
    answer_lists(&mut state, &effects);
    state
}

fn account_of_selected(state: &State) -> i64 {
    state
        .table
        .selected_row()
        .expect("a row is selected")
        .account
}

#[test]
fn several_accounts_and_none_named_open_the_inventory_and_load_every_account_at_once() {
    let (mut state, effects) = opening();
    assert_eq!(state.session.phase, Phase::Inventory);
    for account in [ACCOUNT_ID, LABS, RETAIL] {
        let (_, tree) = loads_of(&effects, account);
        assert!(tree.is_some(), "the tree of {account} is asked for too");
    }
    assert_eq!(state.table.columns[0], SortColumn::Account);
    let screen = text(&draw(&mut state, 120, 40));
    assert!(screen.contains("All accounts"), "{screen}");
    // One account answered: its rows show while the others still load, and the title counts.
    let (mail, _) = loads_of(&effects, ACCOUNT_ID);
    send(
        &mut state,
        Msg::TokensLoaded {
            req: mail,
            result: Ok(demo_tokens().into()),
        },
    );
    let screen = text(&draw(&mut state, 120, 40));
    assert!(screen.contains("loaded 1 of 3 accounts"), "{screen}");
    assert!(screen.contains("ci-deploy"), "{screen}");
    assert!(
        state.requests.tokens.in_flight.is_some(),
        "the others are still out"
    );
}

#[test]
fn every_account_shows_side_by_side_and_a_failed_one_says_why_in_place() {
    let mut state = inventory();
    let names = visible_names(&state);
    assert!(names.contains(&"labs-importer".to_string()), "{names:?}");
    assert!(names.contains(&"ci-deploy".to_string()), "{names:?}");
    let failed: Vec<_> = state
        .table
        .rows
        .iter()
        .filter(|r| r.unreadable().is_some())
        .collect();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].account, RETAIL);
    assert!(state.requests.tokens.in_flight.is_none());
    assert!(state.requests.has_tokens());
    let screen = text(&draw(&mut state, 120, 40));
    assert!(screen.contains("Acme Retail EU"), "{screen}");
    assert!(screen.contains("(403)"), "{screen}");
    assert!(!screen.contains("loaded"), "done loading: {screen}");
    assert_snapshot!("inventory_120x40", draw(&mut state, 120, 40).backend());
    assert_snapshot!("inventory_80x24", draw(&mut state, 80, 24).backend());
}

#[test]
fn a_write_goes_to_its_rows_account_and_a_viewer_account_offers_none() {
    let mut state = inventory();
    // A token of the account where the console is admin: the reset is sent there.
    select(&mut state, "monitoring");
    assert_eq!(account_of_selected(&state), ACCOUNT_ID);
    send(&mut state, char_key('R'));
    assert!(
        matches!(state.overlays.open, Some(Overlay::Confirm(_))),
        "{:?} {:?}",
        state.status,
        state.overlays.open
    );
    let effects = send(&mut state, char_key('y'));
    assert!(
        matches!(
            effects.as_slice(),
            [Effect::ResetToken {
                account: ACCOUNT_ID,
                token: 2498710,
                ..
            }]
        ),
        "{effects:?}"
    );
    // In the account where it is a viewer, nothing is offered and nothing is sent.
    let mut state = inventory();
    select(&mut state, "labs-importer");
    assert_eq!(account_of_selected(&state), LABS);
    assert!(send(&mut state, char_key('R')).is_empty());
    assert!(state.overlays.open.is_none());
    assert!(send(&mut state, char_key('D')).is_empty());
    send(&mut state, press(KeyCode::Enter));
    let screen = text(&draw(&mut state, 120, 40));
    assert!(
        screen.to_lowercase().contains("viewer"),
        "the menu says why: {screen}"
    );
}

#[test]
fn a_refused_write_makes_that_account_alone_a_viewer() {
    let mut state = inventory();
    select(&mut state, "monitoring");
    send(&mut state, char_key('R'));
    let effects = send(&mut state, char_key('y'));
    let [Effect::ResetToken { req, token, .. }] = effects.as_slice() else {
        panic!("{effects:?}");
    };
    send(
        &mut state,
        Msg::TokenReset {
            req: *req,
            token: *token,
            result: Err(ApiError::Forbidden {
                message: "Access forbidden".into(),
            }),
        },
    );
    assert!(state.session.viewer_in(ACCOUNT_ID));
    assert!(state.session.viewer_in(LABS), "a viewer there already");
    assert!(
        !state.session.caller_is_viewer,
        "the other accounts keep their own level"
    );
}

#[test]
fn a_create_goes_to_the_account_the_table_is_narrowed_to() {
    let mut state = inventory();
    // Narrow to Acme Mail: A, then down to it (the first account), Enter.
    send(&mut state, char_key('A'));
    assert!(matches!(state.overlays.open, Some(Overlay::Accounts(_))));
    send(&mut state, char_key('j'));
    send(&mut state, press(KeyCode::Enter));
    assert_eq!(state.session.current_account(), Some(ACCOUNT_ID));
    assert!(
        visible_names(&state)
            .iter()
            .all(|n| !n.starts_with("labs-"))
    );
    assert_eq!(state.creating_in(), Some(ACCOUNT_ID));
    send(&mut state, char_key('n'));
    assert!(
        matches!(state.overlays.open, Some(Overlay::Form(_))),
        "the tree is there"
    );
    assert_eq!(state.overlays.create_in, Some(ACCOUNT_ID));
}

#[test]
fn narrowing_shows_one_account_and_all_accounts_reads_every_one_again() {
    let mut state = inventory();
    send(&mut state, char_key('A'));
    let screen = text(&draw(&mut state, 120, 40));
    assert!(screen.contains("Acme Labs"), "{screen}");
    assert!(screen.contains("viewer"), "{screen}");
    assert!(screen.contains("no access"), "{screen}");
    assert_snapshot!(
        "inventory_accounts_dialog",
        draw(&mut state, 100, 20).backend()
    );
    send(&mut state, char_key('j'));
    send(&mut state, char_key('j'));
    send(&mut state, press(KeyCode::Enter));
    assert_eq!(state.session.current_account(), Some(LABS));
    assert_eq!(visible_names(&state), vec!["labs-importer", "labs-reader"]);
    let screen = text(&draw(&mut state, 120, 40));
    assert!(screen.contains("1 of 3 accounts"), "{screen}");
    // A refresh while narrowed reads that account only.
    let effects = send(&mut state, char_key('r'));
    let lists: Vec<_> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::LoadTokens { account, .. } => Some(*account),
            _ => None,
        })
        .collect();
    assert_eq!(lists, vec![LABS]);
    // Back to every account: each is read again.
    send(&mut state, char_key('A'));
    send(&mut state, char_key('g'));
    let effects = send(&mut state, press(KeyCode::Enter));
    let mut lists: Vec<_> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::LoadTokens { account, .. } => Some(*account),
            _ => None,
        })
        .collect();
    lists.sort_unstable();
    let mut all = vec![ACCOUNT_ID, LABS, RETAIL];
    all.sort_unstable();
    assert_eq!(lists, all);
    assert!(visible_names(&state).contains(&"ci-deploy".to_string()));
}

#[test]
fn the_filter_and_the_sort_know_the_account() {
    let mut state = inventory();
    send(&mut state, char_key('/'));
    type_text(&mut state, "labs");
    send(&mut state, press(KeyCode::Enter));
    let names = visible_names(&state);
    assert!(names.iter().all(|n| n.starts_with("labs-")), "{names:?}");
    send(&mut state, press(KeyCode::Esc));
    // The sort key starts from the first column, the Account.
    state.table.sort.column = SortColumn::Account;
    state.table.resort();
    let accounts: Vec<i64> = state
        .table
        .order()
        .iter()
        .map(|&i| state.table.rows[i as usize].account)
        .collect();
    let last_labs = accounts.iter().rposition(|a| *a == LABS).unwrap();
    let first_mail = accounts.iter().position(|a| *a == ACCOUNT_ID).unwrap();
    let first_retail = accounts.iter().position(|a| *a == RETAIL).unwrap();
    assert!(
        last_labs < first_mail && first_mail < first_retail,
        "Acme Labs, Acme Mail, Acme Retail EU: {accounts:?}"
    );
}

#[test]
fn a_refresh_keeps_the_selection_across_accounts() {
    let mut state = inventory();
    select(&mut state, "labs-reader");
    let effects = send(&mut state, char_key('r'));
    // The lists come back in another order, with a new token in Acme Mail sorting before it.
    let mut more = demo_tokens();
    more.push(token(
        2499999,
        "aaa-first",
        "John Doe",
        "0001",
        None,
        vec![],
    ));
    let (mail, _) = loads_of(&effects, ACCOUNT_ID);
    let (lab, _) = loads_of(&effects, LABS);
    let (ret, _) = loads_of(&effects, RETAIL);
    send(
        &mut state,
        Msg::TokensLoaded {
            req: ret,
            result: Err(ApiError::Timeout),
        },
    );
    send(
        &mut state,
        Msg::TokensLoaded {
            req: lab,
            result: Ok(labs_tokens().into()),
        },
    );
    send(
        &mut state,
        Msg::TokensLoaded {
            req: mail,
            result: Ok(more.into()),
        },
    );
    assert_eq!(selected_name(&state).as_deref(), Some("labs-reader"));
    assert_eq!(account_of_selected(&state), LABS);
}

#[test]
fn a_bulk_action_over_two_accounts_is_refused_before_anything_is_sent() {
    let mut state = inventory();
    select(&mut state, "ci-deploy");
    send(&mut state, char_key(' '));
    select(&mut state, "labs-reader");
    send(&mut state, char_key(' '));
    assert_eq!(state.marks.len(), 2);
    assert!(send(&mut state, char_key('D')).is_empty());
    assert!(state.overlays.open.is_none());
    let status = state
        .status
        .as_ref()
        .map(|s| s.text.to_string())
        .unwrap_or_default();
    assert!(status.contains("2 accounts"), "{status}");
}

#[test]
fn every_account_failing_shows_the_failure_screen() {
    let (mut state, effects) = opening();
    for account in [ACCOUNT_ID, LABS, RETAIL] {
        let (req, _) = loads_of(&effects, account);
        send(
            &mut state,
            Msg::TokensLoaded {
                req,
                result: Err(ApiError::Unauthorized {
                    message: "Incorrect API token".into(),
                }),
            },
        );
    }
    assert!(!state.requests.has_tokens());
    let screen = text(&draw(&mut state, 120, 40));
    assert!(screen.contains("401"), "{screen}");
}

#[test]
fn the_details_name_the_account_and_its_own_tree_only() {
    let mut state = inventory();
    select(&mut state, "labs-importer");
    send(&mut state, char_key('i'));
    let screen = text(&draw(&mut state, 160, 40));
    assert!(screen.contains("Acme Labs #42"), "{screen}");
    // Acme Mail's projects are not in Acme Labs' permission tree.
    assert!(!screen.contains("Main project"), "{screen}");
    select(&mut state, "old-import");
    let screen = text(&draw(&mut state, 160, 40));
    assert!(screen.contains("Acme Mail #1719941"), "{screen}");
    assert!(
        screen.contains("Main project"),
        "its own account's tree: {screen}"
    );
}

#[test]
fn each_accounts_places_are_read_and_saved_to_its_own_list() {
    use mailtrap_tokens::rotation::{Place, PlaceBook};
    let (mut state, effects) = opening();
    let asked: Vec<i64> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::LoadPlaces { account } => Some(*account),
            _ => None,
        })
        .collect();
    assert_eq!(asked, vec![ACCOUNT_ID, LABS, RETAIL]);
    answer_lists(&mut state, &effects);
    // Before any list is read, a place set is kept but written nowhere (no file is overwritten unread).
    select(&mut state, "labs-reader");
    send(&mut state, char_key('p'));
    send(&mut state, char_key('a'));
    type_text(&mut state, "lab cron");
    let effects = send(&mut state, press(KeyCode::Enter));
    assert!(
        !effects
            .iter()
            .any(|e| matches!(e, Effect::SavePlaces { .. })),
        "{effects:?}"
    );
    send(&mut state, press(KeyCode::Esc));
    let mut mail = PlaceBook::default();
    mail.set(
        2498710,
        vec![Place {
            place: "grafana".into(),
            done: false,
        }],
    );
    send(
        &mut state,
        Msg::PlacesLoaded {
            account: ACCOUNT_ID,
            result: Ok(mail),
        },
    );
    send(
        &mut state,
        Msg::PlacesLoaded {
            account: LABS,
            result: Ok(PlaceBook::default()),
        },
    );
    // Another place in Acme Labs: each account's file gets its own tokens' places.
    select(&mut state, "labs-importer");
    send(&mut state, char_key('p'));
    send(&mut state, char_key('a'));
    type_text(&mut state, "importer host");
    let effects = send(&mut state, press(KeyCode::Enter));
    let saved: Vec<(i64, Vec<i64>)> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::SavePlaces { account, book } => {
                Some((*account, book.tokens.keys().copied().collect()))
            }
            _ => None,
        })
        .collect();
    assert!(saved.contains(&(ACCOUNT_ID, vec![2498710])), "{saved:?}");
    assert!(saved.contains(&(LABS, vec![3100001, 3100002])), "{saved:?}");
    assert!(
        !saved.iter().any(|(a, _)| *a == RETAIL),
        "a list never read is never written: {saved:?}"
    );
}
