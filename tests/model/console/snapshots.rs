//! Whole frames at 120×40 and 80×24, fixed clock.

use crossterm::event::KeyCode;
use insta::assert_snapshot;
use mailtrap_tokens::api::{AccessLevel, ApiError};

use super::common::*;
use crate::console_driver::*;

const SIZES: [(u16, u16); 2] = [(120, 40), (80, 24)];

fn both_sizes(name: &str, state: &mut mailtrap_tokens::app::state::State) {
    for (w, h) in SIZES {
        assert_snapshot!(format!("{name}_{w}x{h}"), draw(state, w, h).backend());
    }
}

#[test]
fn loading_before_any_answer() {
    let (mut state, _) = connecting();
    both_sizes("loading", &mut state);
    assert!(text(&draw(&mut state, 80, 24)).contains("Loading tokens…"));
}

#[test]
fn demo_account_loaded() {
    let mut state = loaded(demo_tokens());
    both_sizes("loaded", &mut state);
    let frame = text(&draw(&mut state, 120, 40));
    assert!(frame.contains("resets in 11:59:12"), "{frame}");
    assert!(frame.contains("→ ci-deploy 2498715"), "{frame}");
    assert!(frame.contains("Domain admin · example.com"), "{frame}");
    assert!(frame.contains("Viewer · 3 resources"), "{frame}");
    assert!(frame.contains("Acme Mail #1719941"), "{frame}");
    assert!(frame.contains("147 requests left"), "{frame}");
}

#[test]
fn empty_account() {
    let mut state = loaded(Vec::new());
    both_sizes("empty", &mut state);
    assert!(text(&draw(&mut state, 80, 24)).contains("No tokens in this account yet."));
}

#[test]
fn invalid_token_401() {
    let mut state = failed_tokens(ApiError::Unauthorized {
        message: "Incorrect API token".into(),
    });
    both_sizes("unauthorized", &mut state);
    assert!(text(&draw(&mut state, 80, 24)).contains("invalid or has expired (401)"));
}

#[test]
fn missing_permission_403() {
    let mut state = failed_tokens(ApiError::Forbidden {
        message: "Access forbidden".into(),
    });
    assert_snapshot!("forbidden_80x24", draw(&mut state, 80, 24).backend());
}

#[test]
fn api_unreachable_offers_retry() {
    let mut state = unreachable();
    both_sizes("unreachable", &mut state);
    let frame = text(&draw(&mut state, 80, 24));
    assert!(frame.contains("Cannot reach the API"), "{frame}");
    assert!(frame.contains("r/Ctrl-R retry"), "{frame}");
}

#[test]
fn filter_active() {
    let mut state = loaded(demo_tokens());
    send(&mut state, char_key('/'));
    type_text(&mut state, "ci");
    both_sizes("filter_typing", &mut state);
    send(&mut state, press(KeyCode::Enter));
    assert_snapshot!("filter_kept_120x40", draw(&mut state, 120, 40).backend());
}

#[test]
fn each_sort() {
    let mut state = loaded(demo_tokens());
    for column in ["name", "creator", "access", "expires", "token"] {
        assert_snapshot!(
            format!("sort_{column}_120x40"),
            draw(&mut state, 120, 40).backend()
        );
        send(&mut state, char_key('s'));
    }
    send(&mut state, char_key('S'));
    assert_snapshot!(
        "sort_name_reversed_80x24",
        draw(&mut state, 80, 24).backend()
    );
}

#[test]
fn help_open() {
    let mut state = loaded(demo_tokens());
    send(&mut state, char_key('?'));
    both_sizes("help", &mut state);
}

#[test]
fn too_small() {
    let mut state = loaded(demo_tokens());
    assert_snapshot!("too_small_20x5", draw(&mut state, 20, 5).backend());
}

#[test]
fn cjk_and_emoji_name() {
    let mut tokens = demo_tokens();
    tokens.push(token(
        2498750,
        "本番デプロイ用トークン 🚀👨‍👩‍👧 東京リージョン専用の長い名前",
        "山田太郎",
        "c0de",
        Some(chrono::Duration::days(90)),
        vec![res("domain", 3, AccessLevel::ADMIN)],
    ));
    let mut state = loaded(tokens);
    both_sizes("cjk_emoji", &mut state);
}

#[test]
fn a_300_character_name() {
    let long = format!("very-long-token-name-{}", "x".repeat(279));
    assert_eq!(long.chars().count(), 300);
    let mut tokens = demo_tokens();
    tokens.push(token(
        2498760,
        &long,
        "John Doe",
        "beef",
        None,
        vec![res("account", ACCOUNT_ID, AccessLevel::VIEWER)],
    ));
    let mut state = loaded(tokens);
    both_sizes("long_name", &mut state);
    let frame = text(&draw(&mut state, 80, 24));
    let line = frame
        .lines()
        .find(|l| l.contains("very-long-token-name"))
        .unwrap_or_default();
    assert!(line.contains("name…") || line.contains("name-…"), "{frame}");
    assert!(
        frame
            .lines()
            .all(|l| unicode_width::UnicodeWidthStr::width(l) <= 80)
    );
}

#[test]
fn several_accounts_loading() {
    let mut state = picking_an_account();
    assert_snapshot!(
        "inventory_loading_80x24",
        draw(&mut state, 80, 24).backend()
    );
}

#[test]
fn control_characters_never_reach_the_frame() {
    let mut tokens = demo_tokens();
    tokens[0].name = "evil\x1b]52;c;ZXZpbA==\x07\x1b[2Jname".into();
    let mut state = loaded(tokens);
    let frame = text(&draw(&mut state, 120, 40));
    assert!(!frame.contains('\x1b'));
    assert!(frame.contains("evil"), "{frame}");
}
