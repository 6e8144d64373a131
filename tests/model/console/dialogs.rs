//! The dialogs plugged into the console: real keys through the real keymap and update, frames at 120×40
//! with the fixed clock. Secrets here are fakes that are not 32 hex characters.

use crossterm::event::KeyCode;
use insta::assert_snapshot;
use mailtrap_tokens::api::CreatedToken;
use mailtrap_tokens::app::effect::Effect;
use mailtrap_tokens::app::msg::Msg;
use mailtrap_tokens::app::state::{Level, Overlay, State};

use super::common::*;
use crate::console_driver::*;

/// A fake secret: not 32 hex characters, so no hook mistakes it for a real one.
const FAKE_SECRET: &str = "fake-secret-for-console-tests-zz42";

fn frame(state: &mut State) -> String {
    text(&draw(state, 120, 40))
}

/// Confirms a reset of `name` with `y`; returns the one request it sent.
fn confirm_reset(state: &mut State, name: &str) -> (u64, i64) {
    select(state, name);
    assert!(send(state, char_key('R')).is_empty());
    assert!(matches!(state.overlays.open, Some(Overlay::Confirm(_))));
    let effects = send(state, char_key('y'));
    match effects.as_slice() {
        [Effect::ResetToken { req, token, .. }] => (*req, *token),
        other => panic!("expected one ResetToken, got {other:?}"),
    }
}

fn created(id: i64, name: &str, last4: &str) -> CreatedToken {
    serde_json::from_value(serde_json::json!({
        "id": id, "name": name, "last_4_digits": last4, "created_by": "Acme Mail",
        "expires_at": null, "resources": [{"resource_type": "project", "resource_id": 2550469, "access_level": 10}],
        "token": FAKE_SECRET,
    }))
    .unwrap()
}

#[test]
fn menu_with_enabled_and_disabled_actions() {
    let mut state = loaded(demo_tokens());
    select(&mut state, "ci-deploy");
    send(&mut state, press(KeyCode::Enter));
    assert!(matches!(state.overlays.open, Some(Overlay::Menu { .. })));
    assert_snapshot!(
        "menu_over_table_120x40",
        draw(&mut state, 120, 40).backend()
    );
    let f = frame(&mut state);
    assert!(
        f.contains("already reset: the old token stops at 23:59 UTC"),
        "{f}"
    );
    assert!(f.contains("Mailtrap shows a secret only once"), "{f}");
    // The menu refuses a disabled action with the registry's words, on the status line.
    send(&mut state, char_key('R'));
    assert!(state.overlays.open.is_none());
    let status = state.status.clone().unwrap();
    assert_eq!(status.level, Level::Warn);
    assert!(status.text.contains("already reset"), "{}", status.text);
}

#[test]
fn a_disabled_hotkey_says_why_on_the_status_line() {
    let mut state = loaded(demo_tokens());
    select(&mut state, "ci-deploy");
    assert!(send(&mut state, char_key('R')).is_empty());
    assert!(
        state.overlays.open.is_none(),
        "no dialog for a refused action"
    );
    assert_eq!(state.status.as_ref().unwrap().level, Level::Warn);
    assert_snapshot!("refused_hotkey_120x40", draw(&mut state, 120, 40).backend());
    assert!(
        frame(&mut state)
            .contains("Reset the token: already reset: the old token stops at 23:59 UTC")
    );
}

#[test]
fn reset_confirm_over_the_table() {
    let mut state = loaded(demo_tokens());
    select(&mut state, "monitoring");
    send(&mut state, char_key('R'));
    assert_snapshot!("confirm_reset_120x40", draw(&mut state, 120, 40).backend());
    let f = frame(&mut state);
    assert!(f.contains("Reset token monitoring (…77e0)?"), "{f}");
    assert!(f.contains("keeps working for 12 hours"), "{f}");
    // n cancels and sends nothing.
    assert!(send(&mut state, char_key('n')).is_empty());
    assert!(state.overlays.open.is_none());
}

#[test]
fn delete_confirm_over_the_table_and_the_typed_name_for_an_admin_token() {
    let mut state = loaded(demo_tokens());
    select(&mut state, "staging-bot");
    send(&mut state, char_key('D'));
    assert_snapshot!("confirm_delete_120x40", draw(&mut state, 120, 40).backend());
    assert!(frame(&mut state).contains("stops working immediately"));
    send(&mut state, press(KeyCode::Esc));
    assert!(state.overlays.open.is_none());

    // An account-admin token needs its name typed; `y` is then just a letter.
    select(&mut state, "ci-deploy 2498715");
    send(&mut state, char_key('D'));
    assert!(send(&mut state, char_key('y')).is_empty());
    assert_snapshot!(
        "confirm_delete_typed_name_120x40",
        draw(&mut state, 120, 40).backend()
    );
}

#[test]
fn four_y_presses_send_one_reset_and_the_row_shows_it_is_busy() {
    let mut state = loaded(demo_tokens());
    let (_, token) = confirm_reset(&mut state, "monitoring");
    assert_eq!(token, 2498710);
    for _ in 0..3 {
        assert!(send(&mut state, char_key('y')).is_empty());
    }
    // A second R on the busy row is refused with the registry's reason.
    assert!(send(&mut state, char_key('R')).is_empty());
    assert!(
        state
            .status
            .as_ref()
            .unwrap()
            .text
            .contains("still running")
    );
    assert_snapshot!(
        "in_flight_marker_120x40",
        draw(&mut state, 120, 40).backend()
    );
    assert!(frame(&mut state).contains("⟳ monitoring"));
}

#[test]
fn the_secret_dialog_after_a_reset() {
    let mut state = loaded(demo_tokens());
    let (req, token) = confirm_reset(&mut state, "monitoring");
    let effects = send(
        &mut state,
        Msg::TokenReset {
            req,
            token,
            result: Ok(created(2498800, "monitoring 2498800", "zz42")),
        },
    );
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::LoadTokens { .. })),
        "the list refreshes: {effects:?}"
    );
    assert!(matches!(state.overlays.open, Some(Overlay::Secret(_))));
    assert_snapshot!(
        "secret_after_reset_120x40",
        draw(&mut state, 120, 40).backend()
    );
    let f = frame(&mut state);
    assert!(f.contains(FAKE_SECRET), "the secret is shown once: {f}");
    assert!(
        f.contains("The old token monitoring keeps working until 2026-05-02 00:00 UTC"),
        "{f}"
    );

    // A copy this dialog did not ask for (a name copied a moment before) is not its copy.
    send(
        &mut state,
        Msg::Copied(mailtrap_tokens::clipboard::CopyOutcome::Native {
            cleared_after: None,
        }),
    );
    assert_eq!(
        state.secrets_at_risk(),
        1,
        "a stray copy answer kept nothing"
    );
    // c copies through the loop's clipboard (an effect), and the route's words come back.
    let effects = send(&mut state, char_key('c'));
    assert!(
        matches!(effects.as_slice(), [Effect::CopyToClipboard { .. }]),
        "{effects:?}"
    );
    send(
        &mut state,
        Msg::Copied(mailtrap_tokens::clipboard::CopyOutcome::Osc52),
    );
    assert!(frame(&mut state).contains("sent to the terminal by OSC 52"));
    // OSC 52 cannot confirm anything received it: Enter still asks, and says why.
    send(&mut state, press(KeyCode::Enter));
    let asked = frame(&mut state);
    assert!(asked.contains("Close anyway?"), "{asked}");
    assert!(asked.contains("cannot confirm"), "{asked}");
    assert_eq!(state.secrets_at_risk(), 1);
    // A copy the clipboard gave back keeps the secret: then Enter closes at once.
    send(&mut state, press(KeyCode::Esc));
    send(&mut state, char_key('c'));
    send(
        &mut state,
        Msg::Copied(mailtrap_tokens::clipboard::CopyOutcome::Native {
            cleared_after: None,
        }),
    );
    send(&mut state, press(KeyCode::Enter));
    assert!(state.overlays.open.is_none());
    assert!(!frame(&mut state).contains(FAKE_SECRET));
}

#[test]
fn copy_without_the_secret_offers_the_name_the_id_or_the_last_digits() {
    let mut state = loaded(demo_tokens());
    select(&mut state, "monitoring");
    send(&mut state, char_key('c'));
    assert!(matches!(
        state.overlays.open,
        Some(Overlay::CopyAlternatives(_))
    ));
    assert_snapshot!(
        "copy_alternatives_120x40",
        draw(&mut state, 120, 40).backend()
    );
    let effects = send(&mut state, char_key('i'));
    match effects.as_slice() {
        [Effect::CopyToClipboard { text, content }] => {
            assert_eq!(text.expose_secret(), "2498710");
            assert_eq!(*content, mailtrap_tokens::clipboard::Content::Plain);
        }
        other => panic!("expected one copy, got {other:?}"),
    }
    assert!(state.overlays.open.is_none());
}

#[test]
fn quitting_while_a_reset_waits_for_its_secret_asks_first() {
    let mut state = loaded(demo_tokens());
    confirm_reset(&mut state, "monitoring");
    assert!(send(&mut state, char_key('q')).is_empty());
    assert!(matches!(
        state.overlays.open,
        Some(Overlay::QuitConfirm { .. })
    ));
    assert_snapshot!("quit_confirm_120x40", draw(&mut state, 120, 40).backend());
    // Enter on the focused Stay keeps the console; y quits.
    assert!(send(&mut state, press(KeyCode::Enter)).is_empty());
    assert!(state.overlays.open.is_none());
    send(&mut state, ctrl('c'));
    assert_eq!(send(&mut state, char_key('y')), vec![Effect::Quit]);
}

#[test]
fn quitting_with_nothing_at_risk_does_not_ask() {
    let mut state = loaded(demo_tokens());
    assert_eq!(send(&mut state, char_key('q')), vec![Effect::Quit]);
}

#[test]
fn config_problems_show_on_the_status_line_and_in_the_help() {
    let client = mailtrap_tokens::api::Client::new(
        "http://127.0.0.1:9",
        mailtrap_tokens::api::Secret::new("console-test-token-zz42".into()),
    )
    .unwrap();
    let warnings = vec![
        "config.toml:3:1: keys.reset: \"R\" is also bound to delete".to_string(),
        "config.toml:7:9: refresh_interval: below the floor of 5 s".to_string(),
    ];
    let state = mailtrap_tokens::app::run::initial_state(config(), &client, warnings, now());
    assert_eq!(state.session.own_last4.as_deref(), Some("zz42"));
    let status = state.status.clone().unwrap();
    assert_eq!(status.text, "2 config problems — see ? help");
    assert_eq!(status.level, Level::Warn);
    let mut state = state;
    send(&mut state, char_key('?'));
    let f = frame(&mut state);
    assert!(f.contains("Config problems (2)"), "{f}");
    assert!(f.contains("below the floor of 5 s"), "{f}");
}

#[test]
fn the_wheel_moves_and_a_click_selects() {
    let mut state = loaded(demo_tokens());
    draw(&mut state, 120, 40); // the view records where the rows are
    send(&mut state, Msg::Scroll(3));
    assert_eq!(state.table.cursor(), 3);
    send(&mut state, Msg::Scroll(-3));
    assert_eq!(state.table.cursor(), 0);
    let top = state.table.viewport.top;
    send(
        &mut state,
        Msg::Click {
            column: 10,
            row: top + 2,
        },
    );
    assert_eq!(
        selected_name(&state).as_deref(),
        Some("example.com token 2498700")
    );
    // A click below the last row changes nothing.
    send(
        &mut state,
        Msg::Click {
            column: 10,
            row: top + 30,
        },
    );
    assert_eq!(
        selected_name(&state).as_deref(),
        Some("example.com token 2498700")
    );
}

#[test]
fn the_own_token_needs_its_name_typed_to_reset() {
    let mut state = loaded(demo_tokens());
    state.session.own_last4 = Some("f44e".into());
    select(&mut state, "SDK Dev Account Token");
    send(&mut state, char_key('R'));
    // y is a letter of the name field here, not a confirmation.
    assert!(send(&mut state, char_key('y')).is_empty());
    assert!(matches!(state.overlays.open, Some(Overlay::Confirm(_))));
    assert!(frame(&mut state).contains("Type the token's name to confirm"));
}

#[test]
fn a_refused_create_goes_back_into_the_form_on_its_field() {
    use mailtrap_tokens::api::{ApiError, FieldError};
    use mailtrap_tokens::app::dialogs::token_form::Step;
    let mut state = loaded(demo_tokens());
    send(&mut state, char_key('n'));
    assert!(matches!(state.overlays.open, Some(Overlay::Form(_))));
    type_text(&mut state, "taken-name");
    send(&mut state, press(KeyCode::Enter));
    send(&mut state, char_key('a')); // admin on the first resource
    send(&mut state, press(KeyCode::Enter));
    send(&mut state, press(KeyCode::Enter)); // the default expiry
    let effects = send(&mut state, press(KeyCode::Enter)); // review → create
    let req = match effects.as_slice() {
        [Effect::CreateToken { req, new, .. }] => {
            assert_eq!(new.name, "taken-name");
            *req
        }
        other => panic!("expected one create, got {other:?}"),
    };
    send(
        &mut state,
        Msg::TokenCreated {
            req,
            result: Err(ApiError::Validation {
                errors: vec![FieldError {
                    field: Some("name".into()),
                    message: "has already been taken".into(),
                }],
            }),
        },
    );
    match &state.overlays.open {
        Some(Overlay::Form(form)) => {
            assert_eq!(form.step(), Step::Name);
            assert_eq!(form.name_value(), "taken-name", "what was typed is kept");
        }
        other => panic!("the form stays open, not {other:?}"),
    }
    assert!(frame(&mut state).contains("has already been taken"));
    assert_eq!(state.status.as_ref().unwrap().level, Level::Error);
}

#[test]
fn a_reset_whose_answer_was_lost_is_a_notice_that_fits_80_columns_and_a_mark_on_the_new_row() {
    let mut state = loaded(demo_tokens());
    let (req, token) = confirm_reset(&mut state, "monitoring");
    let effects = send(
        &mut state,
        Msg::TokenReset {
            req,
            token,
            result: Err(mailtrap_tokens::api::ApiError::Connection {
                message: "connection closed before the answer".into(),
            }),
        },
    );
    let list_req = effects
        .iter()
        .find_map(|e| match e {
            Effect::LoadTokens { req, .. } => Some(*req),
            _ => None,
        })
        .expect("the list is read again");
    // The server acted: the successor is in the list, its secret never arrived.
    let mut tokens = demo_tokens();
    tokens.push(token_with_id(777_001, "monitoring 777001"));
    send(
        &mut state,
        Msg::TokensLoaded {
            req: list_req,
            result: Ok(tokens.into()),
        },
    );
    assert!(matches!(state.overlays.open, Some(Overlay::Notice { .. })));
    let screen = text(&draw(&mut state, 80, 24));
    assert_snapshot!("lost_reset_notice_80x24", screen);
    assert!(
        screen.contains("monitoring 777001"),
        "names the new token:\n{screen}"
    );
    assert!(
        screen.contains("Reset it again"),
        "not cut at 80 columns:\n{screen}"
    );
    // It stays: a tick an hour later, a retry notice, a refresh answer do not close it.
    send(&mut state, Msg::Tick(now() + chrono::Duration::hours(1)));
    send(
        &mut state,
        Msg::Retrying {
            reason: "server error (502)".into(),
            wait_ms: 1000,
        },
    );
    assert!(matches!(state.overlays.open, Some(Overlay::Notice { .. })));
    send(&mut state, press(KeyCode::Enter));
    assert!(state.overlays.open.is_none(), "read, and closed");
    select(&mut state, "monitoring 777001");
    let table = frame(&mut state);
    assert!(
        table.contains("▶ monitoring 77") && table.contains("✗ secret not received"),
        "{table}"
    );
}

fn token_with_id(id: i64, name: &str) -> mailtrap_tokens::api::ApiToken {
    token(id, name, "Acme Mail", "7c01", None, vec![])
}

/// A key as the terminal delivers it (only these are held back from a dialog not yet seen).
fn terminal_key(state: &mut State, c: char) -> Vec<Effect> {
    send(state, Msg::TerminalKey(ch(c)))
}

fn saves(effects: &[Effect]) -> Vec<std::path::PathBuf> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::SaveSecret { path, .. } => Some(path.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn saving_into_a_git_work_tree_asks_first_and_a_key_of_the_same_burst_never_answers() {
    use mailtrap_tokens::custody::{SaveTarget, save_secret_new};
    let work = tempfile::tempdir().unwrap();
    std::fs::create_dir(work.path().join(".git")).unwrap();
    let dir = work.path().join("keys");
    let mut state = loaded(demo_tokens());
    state.session.save_dir = SaveTarget::at(dir.clone());
    assert!(state.session.save_dir.work_tree.is_some());
    let (req, token) = confirm_reset(&mut state, "monitoring");
    send(
        &mut state,
        Msg::TokenReset {
            req,
            token,
            result: Ok(created(2498800, "monitoring 2498800", "zz42")),
        },
    );
    draw(&mut state, 120, 40);
    state.frame_drawn();

    // `s` asks instead of saving, and the `y` that came with it cannot answer.
    assert!(saves(&terminal_key(&mut state, 's')).is_empty());
    assert!(saves(&terminal_key(&mut state, 'y')).is_empty());
    assert!(
        state
            .status
            .as_ref()
            .is_some_and(|s| s.text.contains("Ignored a key that came with others")),
        "{:?}",
        state.status
    );
    let asked = frame(&mut state);
    assert!(asked.contains("inside the git work tree at"), "{asked}");
    assert!(asked.contains("Save there anyway?"), "{asked}");
    state.frame_drawn();
    // Seen, but this key follows the one before it within a burst: still no answer.
    state.key_in_burst();
    assert!(saves(&terminal_key(&mut state, 'y')).is_empty());
    assert!(!dir.exists(), "nothing was written before the answer");

    // No keeps the secret unsaved and the dialog open.
    draw(&mut state, 120, 40);
    state.frame_drawn();
    assert!(saves(&terminal_key(&mut state, 'n')).is_empty());
    assert!(frame(&mut state).contains("not saved"));
    assert_eq!(state.secrets_at_risk(), 1);
    assert!(matches!(state.overlays.open, Some(Overlay::Secret(_))));
    state.frame_drawn();

    // Asked again and answered yes once seen: one save, to the work tree's directory, the id once.
    assert!(saves(&terminal_key(&mut state, 's')).is_empty());
    assert!(frame(&mut state).contains("Save there anyway?"));
    draw(&mut state, 120, 40);
    state.frame_drawn();
    let effects = terminal_key(&mut state, 'y');
    let paths = saves(&effects);
    assert_eq!(paths, [dir.join("monitoring_2498800.token")]);
    let Some(Effect::SaveSecret { path, secret }) = effects.into_iter().next() else {
        panic!("one save");
    };
    let written = save_secret_new(&path, &secret).unwrap();
    send(&mut state, Msg::SecretSaved(Ok(written.clone())));
    assert_eq!(
        std::fs::read_to_string(&written).unwrap(),
        format!("{FAKE_SECRET}\n")
    );
    assert_eq!(state.secrets_at_risk(), 0, "saved, so kept");
    assert!(frame(&mut state).contains("saved to"));
}

#[test]
fn saving_outside_a_git_work_tree_does_not_ask() {
    use mailtrap_tokens::custody::SaveTarget;
    let mut state = loaded(demo_tokens());
    state.session.save_dir = SaveTarget::unchecked("/nonexistent/secrets".into());
    let (req, token) = confirm_reset(&mut state, "monitoring");
    send(
        &mut state,
        Msg::TokenReset {
            req,
            token,
            result: Ok(created(2498800, "monitoring 2498800", "zz42")),
        },
    );
    assert_eq!(
        saves(&send(&mut state, char_key('s'))),
        [std::path::PathBuf::from(
            "/nonexistent/secrets/monitoring_2498800.token"
        )]
    );
}
