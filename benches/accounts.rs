//! Every account at once, on the real clock: the console opens on the inventory of an organization of
//! 20 synthetic accounts of 1,000 tokens each (plus the seed's three), through its own update, executor and
//! client against the in-process simulator with Mailtrap's limit (150 requests per 10 s per token, one
//! budget for every account). Two runs:
//!
//! - **fresh**: the token's window is empty; the lists and trees fit in it.
//! - **spent**: the same token has just spent 140 of its 150 requests, so the inventory's 47 requests must
//!   wait for the window: the client's limiter paces them, and the server must answer no 429.
//!
//! Prints the wall time, the requests, the 429s and the rows, and checks that every account loaded.
//! Run: `cargo bench --bench accounts` (about 20 s). Not a criterion bench: one run against a wall clock.

use std::time::{Duration, Instant};

use chrono::Utc;
use mailtrap_tokens::api::Client;
use mailtrap_tokens::api::ratelimit::WINDOW;
use mailtrap_tokens::app::effect::Effect;
use mailtrap_tokens::app::executor::Executor;
use mailtrap_tokens::app::state::{Phase, SortColumn, State, StateConfig};
use mailtrap_tokens::app::update;
use mailtrap_tokens::keys::keymap::Keymap;
use mailtrap_tokens::sim::{RunningSim, SimOptions};

const ACCOUNTS: usize = 20;
const PER_ACCOUNT: usize = 1_000;

fn run(executor: &mut Executor, effects: Vec<Effect>) {
    for effect in effects {
        executor.run(effect);
    }
}

/// Opens the inventory and returns how long until every account answered, and the rows it shows.
async fn open_inventory(sim: &RunningSim, client: Client) -> (Duration, usize, usize) {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let mut executor = Executor::new(client, tx);
    let mut state = State::new(StateConfig {
        keymap: Keymap::default(),
        wanted_account: None,
        api_url: sim.url(),
        refresh_every: chrono::Duration::seconds(3600),
        rules: Default::default(),
        columns: SortColumn::ALL.to_vec(),
        start_view: Default::default(),
        handoff: Vec::new(),
        local_offset: None,
        writes: Default::default(),
    });
    let started = Instant::now();
    let effects = update::start(&mut state, Utc::now());
    run(&mut executor, effects);
    loop {
        let settled = state.session.phase == Phase::Inventory
            && state.session.inventory.as_ref().is_some_and(|i| {
                i.slots
                    .iter()
                    .all(|s| s.settled() && s.tree.in_flight.is_none())
            });
        if settled {
            break;
        }
        let msg = tokio::time::timeout(Duration::from_secs(60), rx.recv())
            .await
            .expect("an answer within a minute")
            .expect("the channel is open");
        let effects = update::update(&mut state, msg, Utc::now());
        run(&mut executor, effects);
    }
    let took = started.elapsed();
    let inventory = state.session.inventory.as_ref().expect("the inventory");
    let loaded = inventory
        .slots
        .iter()
        .filter(|s| s.tokens.last_success.is_some())
        .count();
    (took, state.table.rows.len(), loaded)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let sim = RunningSim::start(SimOptions {
        synthetic_accounts: ACCOUNTS,
        tokens_per_synthetic_account: PER_ACCOUNT,
        ..SimOptions::default()
    })
    .await
    .expect("the simulator starts");
    let token = sim.organization_token().expect("an organization");
    let accounts = sim.account_ids().len();
    println!(
        "inventory of {accounts} accounts ({ACCOUNTS} × {PER_ACCOUNT} synthetic tokens and the seed's 3) at 150 requests per 10 s (real clock)"
    );
    for spent in [0usize, 140] {
        // A fresh window on both sides, so each run starts from what it names.
        tokio::time::sleep(WINDOW + Duration::from_millis(500)).await;
        let client = Client::new(&sim.url(), token.clone()).expect("a client");
        for _ in 0..spent {
            client.accounts().await.expect("the budget has room");
        }
        sim.clear_requests();
        let (took, rows, loaded) = open_inventory(&sim, client).await;
        let log = sim.requests();
        let limited = log.iter().filter(|r| r.status == 429).count();
        let lists = log
            .iter()
            .filter(|r| r.path.ends_with("/api_tokens"))
            .count();
        println!(
            "  {:<6} ({spent:>3} of 150 spent before): {:.2} s, {} requests ({lists} lists), {limited} × 429, {loaded} of {accounts} accounts loaded, {rows} rows",
            if spent == 0 { "fresh" } else { "spent" },
            took.as_secs_f64(),
            log.len(),
        );
        assert_eq!(limited, 0, "the inventory made a 429 of its own");
        // One account is seen through the organization only: its list is refused (403) in place.
        assert_eq!(loaded, accounts - 1, "every account but the 403 one loaded");
    }
    sim.shutdown().await;
}
