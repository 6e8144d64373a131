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

use criterion::{Criterion, criterion_group, criterion_main};

use mailtrap_tokens::hygiene::{Inventory, RuleConfig, findings};

#[path = "common/account.rs"]
mod account;

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("findings");
    let config = RuleConfig::default();
    for extra in [10_000, 100_000] {
        let account::Fetched {
            tokens,
            tree,
            own_last4,
            sim_now: now,
            ..
        } = account::fetched(extra);
        let tokens = tokens.tokens;
        let inventory = Inventory {
            tokens: &tokens,
            tree: &tree,
            own_last4: Some(&own_last4),
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
