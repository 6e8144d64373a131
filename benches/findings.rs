//! The findings goal: every hygiene rule over an account of 100,000 tokens in at most 50 ms.
//!
//! Run: `cargo bench --bench findings`, then `python3 benches/criterion_medians.py` for the medians.
//!
//! The tokens are the simulator's `--tokens N` data beyond the demo seed's own (expiries spread over a
//! year, a ninth of them in a reset grace, a seventh expired, a few permission sets shared by thousands),
//! fetched over loopback HTTP once, as `lint` and the console get them. Each iteration is one
//! `hygiene::findings` call: the one pass over the tokens, the grouping of identical permission sets, the
//! findings' texts and the sort.

use std::hint::black_box;

use chrono::{DateTime, Utc};
use criterion::{Criterion, criterion_group, criterion_main};

use mailtrap_tokens::api::{ApiToken, Client, ResourceNode};
use mailtrap_tokens::hygiene::{Inventory, RuleConfig, findings};
use mailtrap_tokens::sim::{RunningSim, SimOptions};

/// An account with `extra` synthetic tokens beyond the seed's, as the API lists it, and the operator's
/// last four.
fn account(extra: usize) -> (Vec<ApiToken>, Vec<ResourceNode>, String, DateTime<Utc>) {
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
        let account = sim.account_id();
        let tokens = api.list_tokens(account).await.expect("the token list");
        let tree = api.resource_tree(account).await.expect("the tree");
        let last4 = sim.operator_token().last4();
        let now = sim.now();
        sim.shutdown().await;
        (tokens.tokens, tree, last4, now)
    })
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("findings");
    let config = RuleConfig::default();
    for extra in [10_000, 100_000] {
        let (tokens, tree, last4, now) = account(extra);
        let inventory = Inventory {
            tokens: &tokens,
            tree: &tree,
            own_last4: Some(&last4),
        };
        let found = findings(&inventory, now, &config).len();
        eprintln!(
            "findings/{extra}: {} tokens, {found} findings",
            tokens.len()
        );
        group.bench_function(format!("{extra}"), |b| {
            b.iter(|| findings(black_box(&inventory), now, &config))
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30);
    targets = bench
}
criterion_main!(benches);
