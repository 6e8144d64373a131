//! The console tests' fixed data (an account, its tokens and resource tree) and the states built from it
//! with the shared driver.

use chrono::Duration;
use mailtrap_tokens::api::AccountChoice;
use mailtrap_tokens::api::{
    AccessLevel, Account, ApiError, ApiToken, Resource, ResourceNode, ResourceType, TokenId,
    TokenList,
};
use mailtrap_tokens::app::msg::Msg;
use mailtrap_tokens::app::state::{State, StateConfig};

use crate::console_driver::{
    choose_account, connect, connect_with_loads, load_requests, now, send, state_config,
};

pub const ACCOUNT_ID: i64 = 1719941;

pub fn account() -> Account {
    Account {
        id: ACCOUNT_ID,
        name: "Acme Mail".into(),
        access_levels: vec![AccessLevel::ADMIN],
    }
}

pub fn res(kind: &str, id: i64, level: AccessLevel) -> Resource {
    Resource {
        resource_type: ResourceType::new(kind),
        resource_id: id,
        access_level: level,
    }
}

pub fn token(
    id: TokenId,
    name: &str,
    creator: &str,
    last4: &str,
    expires_in: Option<Duration>,
    resources: Vec<Resource>,
) -> ApiToken {
    ApiToken {
        id,
        name: name.into(),
        last_4_digits: last4.into(),
        created_by: creator.into(),
        expires_at: expires_in.map(|d| now() + d),
        resources: resources.into(),
        opaque_resources: vec![].into(),
    }
}

/// A realistic account: an admin token, one in its reset grace with its successor, an auto-created domain
/// token, expiries that warn (days, minutes), an expired one, and an unknown resource type.
pub fn demo_tokens() -> Vec<ApiToken> {
    use AccessLevel as L;
    vec![
        token(
            2498561,
            "SDK Dev Account Token",
            "John Doe",
            "f44e",
            None,
            vec![res("account", ACCOUNT_ID, L::ADMIN)],
        ),
        token(
            2498600,
            "ci-deploy",
            "John Doe",
            "a1f3",
            Some(Duration::seconds(11 * 3600 + 59 * 60 + 12)),
            vec![res("account", ACCOUNT_ID, L::ADMIN)],
        ),
        token(
            2498715,
            "ci-deploy 2498715",
            "SDK Dev Account Token",
            "dcf7",
            Some(Duration::days(365)),
            vec![res("account", ACCOUNT_ID, L::ADMIN)],
        ),
        token(
            2498700,
            "example.com token 2498700",
            "System",
            "9b2c",
            None,
            vec![res("domain", 3, L::ADMIN)],
        ),
        token(
            2498710,
            "monitoring",
            "Jane Roe",
            "77e0",
            Some(Duration::days(3)),
            vec![
                res("project", 2550469, L::VIEWER),
                res("sandbox", 4117907, L::VIEWER),
                res("domain", 3, L::VIEWER),
            ],
        ),
        token(
            2498720,
            "staging-bot",
            "Jane Roe",
            "51aa",
            Some(Duration::minutes(40)),
            vec![res("sandbox", 4117907, L::ADMIN)],
        ),
        token(
            2498730,
            "old-import",
            "John Doe",
            "0c0c",
            Some(-Duration::hours(2)),
            vec![res("project", 2550469, L::VIEWER)],
        ),
        token(
            2498740,
            "quantum",
            "Jane Roe",
            "e5e5",
            Some(Duration::days(23) + Duration::hours(3)),
            vec![res("quantum_widget", 42, AccessLevel(77))],
        ),
    ]
}

pub fn tree() -> Vec<ResourceNode> {
    serde_json::from_str(
        r#"[{"id":1719941,"name":"Account","type":"account","access_level":100,"resources":[
            {"id":2550469,"name":"Main project","type":"project","access_level":100,"resources":[
                {"id":4117907,"name":"Staging sandbox","type":"sandbox","access_level":100,"resources":[]}]},
            {"id":3,"name":"example.com","type":"domain","access_level":100,"resources":[]}]}]"#,
    )
    .unwrap()
}

pub fn config() -> StateConfig {
    state_config(ACCOUNT_ID)
}

/// A fresh console that has asked for its account; returns the request id of that ask.
pub fn connecting() -> (State, u64) {
    connect(config())
}

/// No account named, and the token reaches this account and "Side project" (#42): the inventory.
pub fn picking_an_account() -> State {
    let (mut state, req) = connect(StateConfig {
        wanted_account: None,
        ..config()
    });
    let mut other = account();
    other.id = 42;
    other.name = "Side project".into();
    send(
        &mut state,
        Msg::AccountResolved {
            req,
            result: Ok(AccountChoice::Ambiguous(vec![account(), other])),
        },
    );
    state
}

/// The account could not be asked for: the connection was refused.
pub fn unreachable() -> State {
    let (mut state, req) = connecting();
    send(
        &mut state,
        Msg::AccountResolved {
            req,
            result: Err(ApiError::Connection {
                message: "connection refused".into(),
            }),
        },
    );
    state
}

/// The account resolved and the token and tree loads started; returns their request ids.
pub fn account_chosen() -> (State, u64, u64) {
    account_chosen_with(config())
}

pub fn account_chosen_with(config: StateConfig) -> (State, u64, u64) {
    let (mut state, req, mut effects) = connect_with_loads(config);
    effects.extend(choose_account(&mut state, req, account()));
    let (tokens, tree) = load_requests(&effects, ACCOUNT_ID);
    (
        state,
        tokens.expect("tokens requested"),
        tree.expect("tree requested"),
    )
}

/// The console with these tokens and the fixed resource tree loaded.
pub fn loaded(tokens: Vec<ApiToken>) -> State {
    loaded_with(config(), tokens)
}

pub fn loaded_with(config: StateConfig, tokens: Vec<ApiToken>) -> State {
    loaded_list(config, tokens.into())
}

/// The console with a list answer as the client decodes it (readable and unreadable tokens).
pub fn loaded_list(config: StateConfig, tokens: TokenList) -> State {
    let (mut state, tokens_req, tree_req) = account_chosen_with(config);
    send(
        &mut state,
        Msg::ResourceTreeLoaded {
            req: tree_req,
            result: Ok(tree()),
        },
    );
    send(
        &mut state,
        Msg::TokensLoaded {
            req: tokens_req,
            result: Ok(tokens.into()),
        },
    );
    send(&mut state, Msg::RateRemaining(Some(147)));
    state
}

pub fn failed_tokens(error: ApiError) -> State {
    let (mut state, tokens_req, _) = account_chosen();
    send(
        &mut state,
        Msg::TokensLoaded {
            req: tokens_req,
            result: Err(error),
        },
    );
    state
}
