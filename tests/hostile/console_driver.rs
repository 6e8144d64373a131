//! Drives the real console (`update` + `view`) with a fixed clock, and checks what it drew. Shared by the
//! `hostile` and `props` test binaries.

#![allow(dead_code)]

use chrono::{DateTime, TimeZone, Utc};
use mailtrap_tokens::api::AccountChoice;
use mailtrap_tokens::api::{AccessLevel, Account, ApiToken, Resource, ResourceType};
use mailtrap_tokens::app::effect::Effect;
use mailtrap_tokens::app::msg::Msg;
use mailtrap_tokens::app::state::{State, StateConfig};
use mailtrap_tokens::app::update::{start, update};
use mailtrap_tokens::app::view;
use mailtrap_tokens::config::Theme;
use mailtrap_tokens::keys::keymap::Keymap;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;

pub const ACCOUNT_ID: i64 = 1824170;

pub fn epoch() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 5, 1, 12, 0, 0).unwrap()
}

pub fn account(name: &str) -> Account {
    Account {
        id: ACCOUNT_ID,
        name: name.into(),
        access_levels: vec![AccessLevel::ADMIN],
    }
}

pub fn token(id: i64, name: &str, creator: &str, hours: Option<i64>) -> ApiToken {
    ApiToken {
        id,
        name: name.into(),
        last_4_digits: format!("{:04x}", id % 0xffff),
        created_by: creator.into(),
        expires_at: hours.map(|h| epoch() + chrono::Duration::hours(h)),
        resources: vec![Resource {
            resource_type: ResourceType::new("account"),
            resource_id: ACCOUNT_ID,
            access_level: AccessLevel::ADMIN,
        }],
        opaque_resources: vec![],
    }
}

/// A console that resolved `account_name` and received `tokens`, all through `update`.
pub fn loaded(account_name: &str, tokens: Vec<ApiToken>) -> State {
    let mut state = State::new(StateConfig {
        keymap: Keymap::default(),
        wanted_account: Some(ACCOUNT_ID),
        api_url: "http://127.0.0.1:9".into(),
        refresh_every: chrono::Duration::seconds(30),
    });
    let now = epoch();
    let mut effects = start(&mut state, now);
    let Some(Effect::ResolveAccount { req, .. }) = effects.pop() else {
        panic!("the console starts by resolving the account")
    };
    let effects = update(
        &mut state,
        Msg::AccountResolved {
            req,
            result: Ok(AccountChoice::Chosen(account(account_name))),
        },
        now,
    );
    for effect in effects {
        if let Effect::LoadTokens { req, .. } = effect {
            update(
                &mut state,
                Msg::TokensLoaded {
                    req,
                    result: Ok(tokens.clone().into()),
                },
                now,
            );
        }
    }
    state
}

pub fn draw(
    state: &mut State,
    now: DateTime<Utc>,
    width: u16,
    height: u16,
) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|f| view::draw_frame(state, now, &Theme::default(), f))
        .unwrap();
    terminal
}

/// Every cell of the frame is free of control characters and invisible format characters: nothing the
/// data carried can reach the terminal as an escape sequence.
pub fn assert_clean_buffer(buffer: &Buffer, context: &str) {
    for (i, cell) in buffer.content.iter().enumerate() {
        let symbol = cell.symbol();
        let bad = symbol.chars().find(|&c| {
            c.is_control()
                || mailtrap_tokens::text::is_invisible_format(c)
                || matches!(c, '\u{2028}' | '\u{2029}')
        });
        assert!(
            bad.is_none(),
            "{context}: cell {i} holds {symbol:?} (char {:?})",
            bad
        );
    }
}
