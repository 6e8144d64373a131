//! An account with N synthetic tokens beyond the demo seed's (the simulator's `--tokens N` data), fetched
//! over loopback HTTP once, as the console and `lint` get it. Shared by the console benches and the
//! findings bench.

use mailtrap_tokens::api::{Account, Client, ResourceNode, TokenList};
use mailtrap_tokens::sim::{RunningSim, SimOptions};

// Each bench binary reads the fields it needs.
#[allow(dead_code)]
pub struct Fetched {
    pub account: Account,
    pub tokens: TokenList,
    pub tree: Vec<ResourceNode>,
    /// The last four characters of the operator's token.
    pub own_last4: String,
    /// The simulator's clock when the list was read.
    pub sim_now: chrono::DateTime<chrono::Utc>,
}

pub fn fetched(extra: usize) -> Fetched {
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
