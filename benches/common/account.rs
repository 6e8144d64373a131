//! An account with N synthetic tokens beyond the demo seed's (the simulator's `--tokens N` data), fetched
//! over loopback HTTP once, as the console and `lint` get it, or as the body the server sent. Shared by the
//! console benches, the findings bench and the benches of reading and writing a list.

// Each bench binary uses the parts it needs.
#![allow(dead_code)]

use std::future::Future;

use mailtrap_tokens::api::{Account, Client, ResourceNode, TokenList};
use mailtrap_tokens::sim::{RunningSim, SimOptions};

pub struct Fetched {
    pub account: Account,
    pub tokens: TokenList,
    pub tree: Vec<ResourceNode>,
    /// The last four characters of the operator's token.
    pub own_last4: String,
    /// The simulator's clock when the list was read.
    pub sim_now: chrono::DateTime<chrono::Utc>,
}

/// Runs `read` against a simulator with `extra` synthetic tokens, then stops the simulator.
fn with_sim<T, F: Future<Output = T>>(extra: usize, read: impl FnOnce(RunningSim) -> F) -> T {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime for the bench's setup");
    runtime.block_on(async {
        let sim = RunningSim::start(SimOptions {
            extra_tokens: extra,
            ..SimOptions::default()
        })
        .await
        .expect("the simulator starts");
        read(sim).await
    })
}

/// The account's token list answer, its body as the server sent it.
pub fn list_body(extra: usize) -> Vec<u8> {
    with_sim(extra, |sim| async move {
        let url = format!("{}/api/accounts/{}/api_tokens", sim.url(), sim.account_id());
        let body = reqwest::Client::new()
            .get(url)
            .bearer_auth(sim.operator_token().expose_secret())
            .send()
            .await
            .and_then(|r| r.error_for_status())
            .expect("the token list")
            .bytes()
            .await
            .expect("the body");
        sim.shutdown().await;
        body.to_vec()
    })
}

pub fn fetched(extra: usize) -> Fetched {
    with_sim(extra, |sim| async move {
        let api = Client::new(&sim.url(), sim.operator_token()).expect("a client");
        let account = api
            .accounts()
            .await
            .expect("accounts")
            .into_iter()
            .next()
            .expect("one account");
        let tokens = api.list_tokens(account.id).await.expect("the token list");
        let tree = api.resource_tree(account.id).await.expect("the tree");
        let fetched = Fetched {
            account,
            tokens,
            tree,
            own_last4: sim.operator_token().last4(),
            sim_now: sim.now(),
        };
        sim.shutdown().await;
        fetched
    })
}
