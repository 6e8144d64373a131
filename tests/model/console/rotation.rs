//! Carrying a rotation through in the console: the places of a token (edited in their dialog, saved
//! whole), the cut-over checklist on a reset token's row and in its details, the danger style and one
//! status line in a grace's last hour with places left (on an injected clock), and `h` in the secret
//! dialog handing the secret to the matching targets, where only a success keeps it.

use chrono::Duration;
use crossterm::event::KeyCode;
use insta::assert_snapshot;
use mailtrap_tokens::api::{CreatedToken, TokenId};
use mailtrap_tokens::app::effect::Effect;
use mailtrap_tokens::app::msg::Msg;
use mailtrap_tokens::app::state::{Overlay, State, StateConfig};
use mailtrap_tokens::config::HandoffTarget;
use mailtrap_tokens::rotation::{HandoffOutcome, Place, PlaceBook};
use ratatui::style::Color;

use super::common::*;
use crate::console_driver::*;

const CI_DEPLOY: TokenId = 2498600;
const MONITORING: TokenId = 2498710;
const SECRET: &str = "fake-secret-for-rotation-tests-9f9f";

fn places(list: &[(&str, bool)]) -> Vec<Place> {
    list.iter()
        .map(|(p, done)| Place {
            place: (*p).to_string(),
            done: *done,
        })
        .collect()
}

/// The console with the demo tokens, and the places list the state directory answered with.
fn with_places(config: StateConfig, book: PlaceBook) -> State {
    let mut state = loaded_with(config, demo_tokens());
    send(
        &mut state,
        Msg::PlacesLoaded {
            account: ACCOUNT_ID,
            result: Ok(book),
        },
    );
    state
}

fn book(entries: &[(TokenId, &[(&str, bool)])]) -> PlaceBook {
    let mut book = PlaceBook::default();
    for (id, list) in entries {
        book.set(*id, places(list));
    }
    book
}

fn saved_book(effects: &[Effect]) -> PlaceBook {
    effects
        .iter()
        .find_map(|e| match e {
            Effect::SavePlaces { account, book } => {
                assert_eq!(*account, ACCOUNT_ID);
                Some(book.clone())
            }
            _ => None,
        })
        .unwrap_or_else(|| panic!("the places were saved: {effects:?}"))
}

#[test]
fn the_places_dialog_adds_ticks_and_removes_and_saves_each_change() {
    let mut state = with_places(config(), PlaceBook::default());
    select(&mut state, "monitoring");
    send(&mut state, char_key('p'));
    assert!(matches!(state.overlays.open, Some(Overlay::Places(_))));
    send(&mut state, char_key('a'));
    type_text(&mut state, "k8s prod/mail-secret");
    let effects = send(&mut state, press(KeyCode::Enter));
    assert_eq!(
        saved_book(&effects).of(MONITORING),
        places(&[("k8s prod/mail-secret", false)])
    );
    // A paste while adding is text, its line break a space; `q` typed there is a letter, not a quit.
    send(&mut state, char_key('a'));
    send(
        &mut state,
        Msg::Paste("GitHub acme/web\nCI variable".into()),
    );
    send(&mut state, char_key('q'));
    let effects = send(&mut state, press(KeyCode::Enter));
    assert_eq!(saved_book(&effects).of(MONITORING).len(), 2);
    assert_eq!(
        state.places.book.of(MONITORING)[1].place,
        "GitHub acme/web CI variableq"
    );
    assert_snapshot!("places_dialog_120x40", draw(&mut state, 120, 40).backend());
    // The cursor is on the place just added.
    let effects = send(&mut state, char_key(' '));
    assert!(saved_book(&effects).of(MONITORING)[1].done);
    let effects = send(&mut state, char_key('x'));
    assert_eq!(saved_book(&effects).of(MONITORING).len(), 1);
    send(&mut state, press(KeyCode::Esc));
    assert!(state.overlays.open.is_none());
}

#[test]
fn nothing_is_saved_before_the_list_was_read() {
    let mut state = loaded(demo_tokens());
    select(&mut state, "monitoring");
    send(&mut state, char_key('p'));
    send(&mut state, char_key('a'));
    type_text(&mut state, "somewhere");
    let effects = send(&mut state, press(KeyCode::Enter));
    assert!(
        !effects
            .iter()
            .any(|e| matches!(e, Effect::SavePlaces { .. })),
        "a list not read yet is never overwritten: {effects:?}"
    );
}

#[test]
fn the_checklist_shows_beside_the_countdown_and_in_the_details() {
    let mut state = with_places(
        config(),
        book(&[(
            CI_DEPLOY,
            &[
                ("vault prod", true),
                ("k8s prod", false),
                ("GitHub CI", false),
            ],
        )]),
    );
    let frame = text(&draw(&mut state, 120, 40));
    let row = frame
        .lines()
        .find(|l| l.contains("resets in"))
        .unwrap_or_default();
    assert!(
        row.contains("⏳ resets in 11:59:12 · 1/3 places"),
        "{frame}"
    );
    select(&mut state, "ci-deploy");
    send(&mut state, char_key('i'));
    assert_snapshot!(
        "checklist_details_120x40",
        draw(&mut state, 120, 40).backend()
    );
    let frame = text(&draw(&mut state, 120, 40));
    assert!(frame.contains("Places (1 of 3 updated)"), "{frame}");
    assert!(
        frame.contains("[x] vault prod") && frame.contains("[ ] k8s prod"),
        "{frame}"
    );
}

#[test]
fn the_last_hour_with_places_left_is_danger_and_said_once() {
    let mut state = with_places(
        config(),
        book(&[(CI_DEPLOY, &[("vault prod", true), ("k8s prod", false)])]),
    );
    // Off the row: the selection's own style would cover its colour.
    select(&mut state, "monitoring");
    // Two hours before the grace ends: warning colour, nothing said.
    let early = now() + Duration::hours(10);
    send_at(&mut state, Msg::Tick(early), early);
    let screen = draw_at(&mut state, early, 120, 40);
    let (x, y) = locate(&screen, "resets in");
    assert_eq!(screen.backend().buffer()[(x, y)].fg, Color::Yellow);
    let (nx, ny) = locate(&screen, "ci-deploy →");
    assert_eq!(
        screen.backend().buffer()[(nx, ny)].fg,
        Color::Reset,
        "the row is calm"
    );
    assert!(!text(&screen).contains("places still use it"));
    // Fifty-nine minutes before: danger, and the status line says it once.
    let late = now() + Duration::hours(11);
    send_at(&mut state, Msg::Tick(late), late);
    let screen = draw_at(&mut state, late, 120, 40);
    let (x, y) = locate(&screen, "resets in");
    assert_eq!(screen.backend().buffer()[(x, y)].fg, Color::Red);
    assert!(
        screen.backend().buffer()[(x - 2, y)].symbol() == "⚠",
        "a symbol too"
    );
    let (nx, ny) = locate(&screen, "ci-deploy →");
    assert_eq!(
        screen.backend().buffer()[(nx, ny)].fg,
        Color::Red,
        "the whole row"
    );
    let said = text(&screen);
    assert!(
        said.contains("ci-deploy stops working in 59 min and 1 of 2 places still use it"),
        "{said}"
    );
    state.status = None;
    let later = late + Duration::minutes(1);
    send_at(&mut state, Msg::Tick(later), later);
    assert!(state.status.is_none(), "said once");
    // Every place ticked: calm again.
    select(&mut state, "ci-deploy");
    send(&mut state, char_key('p'));
    send(&mut state, char_key('j'));
    send(&mut state, char_key(' '));
    send(&mut state, press(KeyCode::Esc));
    select(&mut state, "monitoring");
    let screen = draw_at(&mut state, late, 120, 40);
    let (nx, ny) = locate(&screen, "ci-deploy →");
    assert_eq!(
        screen.backend().buffer()[(nx, ny)].fg,
        Color::Reset,
        "only the countdown stays urgent: {}",
        text(&screen)
    );
}

fn target(name: &str, tokens: Option<&str>, places: &[&str]) -> HandoffTarget {
    HandoffTarget {
        name: name.into(),
        command: vec![
            "vault".into(),
            "kv".into(),
            "put".into(),
            "secret/{name}".into(),
            "{place}".into(),
        ],
        timeout: 30,
        tokens: tokens.map(str::to_string),
        places: places.iter().map(|p| p.to_string()).collect(),
    }
}

fn created(id: TokenId, name: &str) -> CreatedToken {
    serde_json::from_value(serde_json::json!({
        "id": id, "name": name, "last_4_digits": "9f9f", "created_by": "Acme Mail",
        "expires_at": null, "resources": [], "token": SECRET,
    }))
    .unwrap()
}

/// Resets ci-deploy 2498715 (whose places are listed) and shows the new secret.
fn reset_with_places(handoff: Vec<HandoffTarget>) -> State {
    let mut state = with_places(
        StateConfig {
            handoff,
            ..config()
        },
        book(&[(2498715, &[("vault prod", false), ("k8s prod", false)])]),
    );
    select(&mut state, "ci-deploy 2498715");
    send(&mut state, char_key('R'));
    let effects = send(&mut state, char_key('y'));
    let (req, token) = match effects.as_slice() {
        [Effect::ResetToken { req, token, .. }] => (*req, *token),
        other => panic!("one reset: {other:?}"),
    };
    let effects = send(
        &mut state,
        Msg::TokenReset {
            req,
            token,
            result: Ok(created(2498900, "ci-deploy 2498715 2498900")),
        },
    );
    // The places followed the new token; the old one's checklist starts.
    let saved = saved_book(&effects);
    assert_eq!(saved.of(2498900).len(), 2);
    assert_eq!(saved.progress(2498715), (0, 2));
    assert!(matches!(state.overlays.open, Some(Overlay::Secret(_))));
    state
}

#[test]
fn h_hands_the_secret_to_the_matching_targets_and_a_success_keeps_it_and_ticks() {
    let mut state = reset_with_places(vec![
        target("vault", None, &["vault prod"]),
        target("elsewhere", Some("not-this-*"), &[]),
    ]);
    let effects = send(&mut state, char_key('h'));
    let (token, runs) = match effects.as_slice() {
        [
            Effect::HandOff {
                token,
                runs,
                secret,
            },
        ] => {
            assert_eq!(secret.expose_secret(), SECRET);
            (*token, runs.clone())
        }
        other => panic!("one hand-off: {other:?}"),
    };
    assert_eq!(token, 2498900);
    assert_eq!(runs.len(), 1, "only the target for its places: {runs:?}");
    assert_eq!(
        runs[0].argv,
        [
            "vault",
            "kv",
            "put",
            "secret/ci-deploy 2498715 2498900",
            "vault prod"
        ]
    );
    assert!(
        runs.iter()
            .all(|r| !r.argv.iter().any(|a| a.contains(SECRET)))
    );
    assert!(text(&draw(&mut state, 120, 40)).contains("handing off…"));
    let effects = send(
        &mut state,
        Msg::HandedOff {
            token,
            run: runs[0].clone(),
            outcome: HandoffOutcome::Done { stderr: vec![] },
        },
    );
    assert_eq!(
        saved_book(&effects).progress(2498715),
        (1, 2),
        "the vault place is ticked"
    );
    assert!(text(&draw(&mut state, 120, 40)).contains("✓ vault: done"));
    assert_eq!(
        state.secrets_at_risk(),
        0,
        "the secret is kept where the command put it"
    );
    send(&mut state, press(KeyCode::Enter));
    assert!(state.overlays.open.is_none(), "closing does not ask");
}

#[test]
fn a_failed_hand_off_keeps_the_close_anyway_guard() {
    let mut state = reset_with_places(vec![target("vault", None, &[])]);
    let effects = send(&mut state, char_key('h'));
    let [Effect::HandOff { token, runs, .. }] = effects.as_slice() else {
        panic!("one hand-off: {effects:?}");
    };
    assert_eq!(runs.len(), 2, "one run per place: {runs:?}");
    send(
        &mut state,
        Msg::HandedOff {
            token: *token,
            run: runs[0].clone(),
            outcome: HandoffOutcome::Failed {
                status: "exit status: 2".into(),
                stderr: vec!["permission \x1b[31mdenied".into()],
            },
        },
    );
    let frame = text(&draw(&mut state, 120, 40));
    assert!(
        frame.contains("✗ vault: exit status: 2: permission"),
        "{frame}"
    );
    assert!(!frame.contains('\x1b'));
    assert_eq!(state.secrets_at_risk(), 1);
    send(&mut state, press(KeyCode::Enter));
    assert!(text(&draw(&mut state, 120, 40)).contains("Close anyway?"));
}

#[test]
fn no_matching_target_says_so_and_sends_nothing() {
    let mut state = reset_with_places(vec![target("vault", Some("other-*"), &["nowhere"])]);
    let effects = send(&mut state, char_key('h'));
    assert!(effects.is_empty(), "{effects:?}");
    assert!(text(&draw(&mut state, 120, 40)).contains("no hand-off matches this token"));
    assert_eq!(state.secrets_at_risk(), 1);
}
