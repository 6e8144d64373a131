//! A list in which some tokens cannot be read, or carry permissions this build does not know: every row
//! shows, the readable ones work, and actions on an unreadable one are refused with the reason.

use crossterm::event::KeyCode;
use insta::assert_snapshot;
use mailtrap_tokens::api::TokenList;
use mailtrap_tokens::app::effect::Effect;
use mailtrap_tokens::app::state::Overlay;
use serde_json::{Value, json};

use super::common::*;
use crate::console_driver::*;

/// The demo tokens as the server would send them, with odd ones mixed in.
fn odd_list() -> TokenList {
    let mut wire: Vec<Value> = demo_tokens()
        .iter()
        .map(|t| serde_json::to_value(t).unwrap())
        .collect();
    wire.insert(
        2,
        json!({"id": 2498800, "name": "odd project token", "last_4_digits": "0dd1", "created_by": "Jane Roe",
               "expires_at": null, "resources": [
                   {"resource_type": "project", "resource_id": "proj-7", "access_level": "superuser"}]}),
    );
    wire.insert(
        4,
        json!({"id": 2498801, "name": "broken date", "expires_at": "tomorrow"}),
    );
    wire.push(json!({"id": "seven", "created_by": "nobody"}));
    let body = serde_json::to_vec(&wire).unwrap();
    TokenList::decode(&body).unwrap()
}

#[test]
fn odd_tokens_are_rows_and_the_others_still_work() {
    let list = odd_list();
    assert_eq!((list.tokens.len(), list.unreadable.len()), (9, 2));
    let mut state = loaded_list(config(), list);
    assert_eq!(state.table.rows.len(), 11, "every token is a row");
    let frame = text(&draw(&mut state, 120, 40));
    assert!(frame.contains("2 tokens could not be read"), "{frame}");
    assert!(frame.contains("Project superuser · #proj-7"), "{frame}");
    assert!(frame.contains("⚠ expires_at"), "{frame}");
    assert!(frame.contains("token #11 in the list"), "{frame}");
    assert_snapshot!(
        "unreadable_rows_120x40",
        draw(&mut state, 120, 40).backend()
    );

    // An unreadable row: every action says why it cannot be done; nothing is sent.
    select(&mut state, "broken date");
    for key in ['R', 'D', 'e', 'C', 'c'] {
        let effects = send(&mut state, char_key(key));
        assert!(effects.is_empty(), "{key}: {effects:?}");
        assert!(
            state.overlays.open.is_none(),
            "{key} opened {:?}",
            state.overlays.open
        );
        let status = state
            .status
            .as_ref()
            .map(|s| s.text.clone())
            .unwrap_or_default();
        assert!(status.contains("cannot be read"), "{key}: {status}");
        assert!(status.contains("expires_at"), "{key}: {status}");
    }
    send(&mut state, press(KeyCode::Enter));
    let Some(Overlay::Menu { .. }) = &state.overlays.open else {
        panic!("{:?}", state.overlays.open)
    };
    let frame = text(&draw(&mut state, 120, 40));
    assert!(frame.contains("cannot be read"), "{frame}");
    send(&mut state, press(KeyCode::Esc));

    // A readable row beside it still resets, and so does the one with an unknown permission.
    for name in ["monitoring", "odd project token"] {
        select(&mut state, name);
        send(&mut state, char_key('R'));
        assert!(
            matches!(state.overlays.open, Some(Overlay::Confirm(_))),
            "{name}: {:?} / {:?}",
            state.overlays.open,
            state.status
        );
        let effects = send(&mut state, char_key('y'));
        assert!(
            effects
                .iter()
                .any(|e| matches!(e, Effect::ResetToken { .. })),
            "{name}: {effects:?}"
        );
    }
    // Cloning the token with the unknown permission would drop it: refused, with the reason.
    select(&mut state, "staging-bot");
    select(&mut state, "odd project token");
    send(&mut state, char_key('C'));
    let status = state
        .status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default();
    assert!(status.contains("cannot read"), "{status}");
}
