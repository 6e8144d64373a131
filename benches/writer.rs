//! The writer of `list --output json`: a token list as the server sent it, pretty-printed and escaped
//! terminal-safely a token at a time (`JsonElements::open`, `sent_token`, `close`), against a physical
//! baseline measured in the same run.
//!
//! Run: `cargo bench --bench writer`; the medians are in `target/criterion/writer/*/new/estimates.json`,
//! and the bench ends with a paired run whose per-round ratios cancel the drift of a shared machine's load
//! (`WRITER_PAIRED=1`: the paired run alone). `WRITER_PROFILE=NAME` runs that variant alone, 500 lists, for
//! `perf` or callgrind (build with `--profile profiling` for symbols).
//!
//! - `writer/copy`: the physical baseline, each token's text copied into a `Vec` (`extend_from_slice`).
//! - `writer/sent_tokens`: the same texts through `JsonElements` into a 64 KiB `BufWriter`, as
//!   `list --output json` writes them to stdout (here over a `Vec`, cleared between iterations).
//! - `writer/serde_pretty`: a reference, serde_json's own compact → pretty re-serialisation of each token
//!   (decoded to a `Value`, then `to_writer_pretty`); it neither keeps the order of fields nor escapes for
//!   a terminal.
//!
//! The list is the simulator's (`serve --tokens 10000`: 10,021 tokens, 2.1 MB of compact JSON), fetched
//! once over loopback HTTP and split into each token's text as the server sent it.

use std::hint::black_box;
use std::io::{BufWriter, Write};
use std::time::{Duration, Instant};

use criterion::Criterion;
use serde_json::value::RawValue;

use mailtrap_tokens::cli::output::JsonElements;

#[path = "common/account.rs"]
mod account;

const EXTRA_TOKENS: usize = 10_000;

/// The pretty, terminal-safe list, written as `list --output json` writes it.
fn write_sent(tokens: &[&RawValue], into: &mut Vec<u8>) {
    into.clear();
    let mut out = BufWriter::with_capacity(1 << 16, &mut *into);
    let mut elements = JsonElements::open(&mut out).expect("opened");
    for t in tokens {
        elements.sent_token(t.get()).expect("every token written");
    }
    elements.close().expect("closed");
    out.flush().expect("flushed");
}

fn copy(tokens: &[&RawValue], into: &mut Vec<u8>) {
    into.clear();
    for t in tokens {
        into.extend_from_slice(t.get().as_bytes());
    }
    black_box(&*into);
}

fn serde_pretty(tokens: &[&RawValue], into: &mut Vec<u8>) {
    into.clear();
    for t in tokens {
        let value: serde_json::Value = serde_json::from_str(t.get()).expect("a token");
        serde_json::to_writer_pretty(&mut *into, &value).expect("written");
    }
}

type Variant = (&'static str, fn(&[&RawValue], &mut Vec<u8>));

const VARIANTS: [Variant; 3] = [
    ("copy", copy),
    ("sent_tokens", write_sent),
    ("serde_pretty", serde_pretty),
];

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// Rounds of one list of each variant in turn; prints each one's median and its median ratio to `copy`.
fn paired_runs(tokens: &[&RawValue], into: &mut Vec<u8>) {
    const ROUNDS: usize = 200;
    let mut times: Vec<Vec<f64>> = vec![Vec::with_capacity(ROUNDS); VARIANTS.len()];
    for _ in 0..ROUNDS {
        for ((_, run), t) in VARIANTS.iter().zip(times.iter_mut()) {
            let start = Instant::now();
            run(tokens, into);
            t.push(start.elapsed().as_secs_f64());
        }
    }
    println!("\npaired run: {ROUNDS} rounds of one list of each variant in turn");
    for ((name, _), t) in VARIANTS.iter().zip(&times) {
        let mut ratios: Vec<f64> = t.iter().zip(&times[0]).map(|(x, y)| x / y).collect();
        let ratio = median(&mut ratios);
        let mut t = t.clone();
        println!(
            "  {name:<14} median {:>8.3} ms   / copy = {ratio:.1}",
            median(&mut t) * 1e3
        );
    }
}

fn main() {
    let body = String::from_utf8(account::list_body(EXTRA_TOKENS)).expect("a UTF-8 body");
    let tokens: Vec<&RawValue> = serde_json::from_str(&body).expect("a JSON array of tokens");
    let mut into = Vec::with_capacity(body.len() * 3);
    write_sent(&tokens, &mut into);
    eprintln!(
        "writer: {} tokens, {} bytes as sent, {} bytes written",
        tokens.len(),
        body.len(),
        into.len()
    );

    if let Ok(name) = std::env::var("WRITER_PROFILE") {
        let Some((_, run)) = VARIANTS.iter().find(|(n, _)| *n == name) else {
            panic!("WRITER_PROFILE names one of copy, sent_tokens, serde_pretty");
        };
        for _ in 0..500 {
            run(&tokens, &mut into);
        }
        return;
    }
    if std::env::var_os("WRITER_PAIRED").is_none() {
        let mut c = Criterion::default()
            .configure_from_args()
            .measurement_time(Duration::from_secs(5));
        let mut group = c.benchmark_group("writer");
        for (name, run) in VARIANTS {
            group.bench_function(name, |b| b.iter(|| run(&tokens, &mut into)));
        }
        group.finish();
        c.final_summary();
    }
    paired_runs(&tokens, &mut into);
}
