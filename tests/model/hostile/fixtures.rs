//! A console loaded with tokens of one account, built with the shared driver; `props` uses it too.

use mailtrap_tokens::api::{AccessLevel, Account, ApiToken, Resource, ResourceType};
use mailtrap_tokens::app::effect::Effect;
use mailtrap_tokens::app::msg::Msg;
use mailtrap_tokens::app::state::State;

use crate::console_driver::{choose_account, connect_with_loads, now, send, state_config};

pub const ACCOUNT_ID: i64 = 1824170;

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
        last_4_digits: format!("{:04x}", id % 0xffff).into(),
        created_by: creator.into(),
        expires_at: hours.map(|h| now() + chrono::Duration::hours(h)),
        resources: vec![Resource {
            resource_type: ResourceType::new("account"),
            resource_id: ACCOUNT_ID,
            access_level: AccessLevel::ADMIN,
        }]
        .into(),
        opaque_resources: vec![].into(),
    }
}

/// A console that resolved `account_name` and received `tokens`, all through `update`.
pub fn loaded(account_name: &str, tokens: Vec<ApiToken>) -> State {
    let (mut state, req, mut effects) = connect_with_loads(state_config(ACCOUNT_ID));
    effects.extend(choose_account(&mut state, req, account(account_name)));
    for effect in effects {
        if let Effect::LoadTokens { req, .. } = effect {
            send(
                &mut state,
                Msg::TokensLoaded {
                    req,
                    result: Ok(tokens.clone().into()),
                },
            );
        }
    }
    state
}
