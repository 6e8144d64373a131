//! Reading a token list answer as it arrives: the reader alone on this thread (`ListReader`) against the
//! reader that hands batches to decoder threads (`ParallelReader`), both keeping every token as the
//! console's list does, against a physical baseline measured in the same rounds.
//!
//! Run: `cargo bench --bench decode` (`DECODE_TOKENS=N` for another size, 100,000 by default).
//! `DECODE_PROFILE=NAME` runs that variant alone, 50 lists, for `perf` (build with `--profile
//! profiling` for symbols).
//!
//! - `copy`: the physical baseline, the answer's pieces copied into one buffer.
//! - `serial`: `ListReader`, each token decoded where it is found.
//! - `parallel`: `ParallelReader`, the answer's first megabyte decoded here, the rest on the decoders.
//!
//! The answer is the simulator's (`serve --tokens N`), fetched once over loopback HTTP, then fed in
//! 256 KiB pieces (about what a loopback socket hands over at a time).

use std::hint::black_box;
use std::sync::Arc;
use std::time::Instant;

use mailtrap_tokens::api::{ApiToken, Digest, ListReader, ParallelReader};

#[path = "common/account.rs"]
mod account;

const PIECE: usize = 256 * 1024;

fn copy(body: &[u8]) -> usize {
    let mut into = Vec::new();
    for piece in body.chunks(PIECE) {
        into.extend_from_slice(piece);
    }
    black_box(&into).len()
}

fn serial(body: &[u8]) -> usize {
    let mut tokens = Vec::new();
    let mut each = |token: ApiToken, _: &[u8]| {
        tokens.push(token);
        Ok::<(), ()>(())
    };
    let mut reader = ListReader::new();
    for piece in body.chunks(PIECE) {
        reader.feed(piece, &mut each).expect("a list");
    }
    reader.finish(&mut each).expect("a list");
    black_box(&tokens).len()
}

struct Keep;

impl Digest for Keep {
    type Made = Vec<ApiToken>;
    type Error = ();

    fn start(&self, elements: usize, _: usize) -> Vec<ApiToken> {
        Vec::with_capacity(elements)
    }

    fn clear(&self, made: &mut Vec<ApiToken>) {
        made.clear();
    }

    fn add(&self, made: &mut Vec<ApiToken>, token: ApiToken, _: &str) -> Result<(), ()> {
        made.push(token);
        Ok(())
    }
}

fn parallel(body: &[u8]) -> usize {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a tokio runtime");
    runtime.block_on(async {
        let mut tokens = Vec::new();
        let mut each = |made: &mut Vec<ApiToken>| {
            tokens.append(made);
            Ok(())
        };
        let mut reader = ParallelReader::new(Arc::new(Keep));
        for piece in body.chunks(PIECE) {
            reader.feed(piece, &mut each).await.expect("a list");
        }
        reader.finish(&mut each).await.expect("a list");
        black_box(&tokens).len()
    })
}

type Variant = (&'static str, fn(&[u8]) -> usize);

const VARIANTS: [Variant; 3] = [("copy", copy), ("serial", serial), ("parallel", parallel)];

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn main() {
    let tokens = std::env::var("DECODE_TOKENS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000);
    let body = account::list_body(tokens);
    let read = serial(&body);
    assert_eq!(read, parallel(&body), "both readers keep every token");
    eprintln!("decode: {read} tokens, {} bytes", body.len());
    if let Ok(name) = std::env::var("DECODE_PROFILE") {
        let Some((_, run)) = VARIANTS.iter().find(|(n, _)| *n == name) else {
            panic!("DECODE_PROFILE names one of copy, serial, parallel");
        };
        for _ in 0..50 {
            black_box(run(&body));
        }
        return;
    }
    const ROUNDS: usize = 30;
    let mut times: Vec<Vec<f64>> = vec![Vec::with_capacity(ROUNDS); VARIANTS.len()];
    for _ in 0..ROUNDS {
        for ((_, run), t) in VARIANTS.iter().zip(times.iter_mut()) {
            let start = Instant::now();
            black_box(run(&body));
            t.push(start.elapsed().as_secs_f64());
        }
    }
    println!("{ROUNDS} rounds of one answer through each variant in turn");
    for ((name, _), t) in VARIANTS.iter().zip(&times) {
        let mut to_copy: Vec<f64> = t.iter().zip(&times[0]).map(|(x, y)| x / y).collect();
        let mut to_serial: Vec<f64> = t.iter().zip(&times[1]).map(|(x, y)| x / y).collect();
        let (to_copy, to_serial) = (median(&mut to_copy), median(&mut to_serial));
        let mut t = t.clone();
        println!(
            "  {name:<9} median {:>8.2} ms   / copy = {to_copy:>6.1}   / serial = {to_serial:.2}",
            median(&mut t) * 1e3
        );
    }
}
