//! A bulk reset at the rate limit's pace, on the real clock: 300 marked tokens reset through the console's
//! own update, executor and client against the in-process simulator with Mailtrap's limit (150 requests
//! per 10 s per token). Prints the wall time against the ideal (the 300 requests fit two windows: the
//! second 150 cannot start before one window has passed), the 429s the simulator answered, and that
//! every token got exactly one request and every secret reached the run.
//!
//! Run: `cargo bench --bench bulk` (about half a minute). Not a criterion bench: one long run against a
//! wall clock.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use chrono::Utc;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use mailtrap_tokens::api::ratelimit::WINDOW;
use mailtrap_tokens::api::{AccessLevel, Client, Resource, ResourceType};
use mailtrap_tokens::app::effect::Effect;
use mailtrap_tokens::app::executor::Executor;
use mailtrap_tokens::app::msg::Msg;
use mailtrap_tokens::app::state::{State, StateConfig};
use mailtrap_tokens::app::update;
use mailtrap_tokens::keys::keymap::Keymap;
use mailtrap_tokens::sim::{RunningSim, SimOptions};

const TOKENS: usize = 300;

fn key(c: char) -> Msg {
    let modifiers = if c.is_ascii_uppercase() {
        KeyModifiers::SHIFT
    } else {
        KeyModifiers::NONE
    };
    Msg::Key(KeyEvent::new(KeyCode::Char(c), modifiers))
}

fn run(executor: &mut Executor, effects: Vec<Effect>) {
    for effect in effects {
        executor.run(effect);
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let sim = RunningSim::start(SimOptions::default())
        .await
        .expect("the simulator starts");
    let account = sim.account_id();
    for n in 0..TOKENS {
        sim.issue_token(
            &format!("Bulk {n:03}"),
            vec![Resource {
                resource_type: ResourceType::new("account"),
                resource_id: account,
                access_level: AccessLevel::VIEWER,
            }],
            None,
        );
    }
    let client = Client::new(&sim.url(), sim.operator_token()).expect("a client");
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let mut executor = Executor::new(client, tx);
    let mut state = State::new(StateConfig {
        keymap: Keymap::default(),
        wanted_account: Some(account),
        api_url: sim.url(),
        refresh_every: chrono::Duration::seconds(3600),
        rules: Default::default(),
        columns: mailtrap_tokens::app::state::SortColumn::ALL.to_vec(),
        start_view: Default::default(),
        handoff: Vec::new(),
        local_offset: None,
        writes: Default::default(),
    });
    let effects = update::start(&mut state, Utc::now());
    run(&mut executor, effects);
    while !state.table_shown() || state.requests.tokens.in_flight.is_some() {
        let msg = rx.recv().await.expect("an answer");
        let effects = update::update(&mut state, msg, Utc::now());
        run(&mut executor, effects);
    }
    // Both the client's window and the server's start empty, so the ideal is the limit's alone.
    tokio::time::sleep(WINDOW + Duration::from_millis(500)).await;
    run(
        &mut executor,
        update::update(&mut state, key('/'), Utc::now()),
    );
    for c in "Bulk ".chars() {
        run(
            &mut executor,
            update::update(&mut state, key(c), Utc::now()),
        );
    }
    let enter = Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
    run(&mut executor, update::update(&mut state, enter, Utc::now()));
    run(
        &mut executor,
        update::update(&mut state, key('a'), Utc::now()),
    );
    assert_eq!(state.marks.len(), TOKENS, "every Bulk token marked");
    run(
        &mut executor,
        update::update(&mut state, key('R'), Utc::now()),
    );
    sim.clear_requests();
    let started = Instant::now();
    run(
        &mut executor,
        update::update(&mut state, key('y'), Utc::now()),
    );
    let mut ticks = tokio::time::interval(Duration::from_millis(200));
    loop {
        let finished = state.bulk.as_ref().is_some_and(|r| r.is_finished());
        if finished {
            break;
        }
        let msg = tokio::select! {
            msg = rx.recv() => msg.expect("an answer"),
            _ = ticks.tick() => Msg::Tick(Utc::now()),
        };
        let effects = update::update(&mut state, msg, Utc::now());
        run(&mut executor, effects);
    }
    let took = started.elapsed();
    let log = sim.requests();
    let resets: Vec<_> = log.iter().filter(|r| r.path.ends_with("/reset")).collect();
    let limited = log.iter().filter(|r| r.status == 429).count();
    let mut per_path: HashMap<&str, usize> = HashMap::new();
    for r in &resets {
        *per_path.entry(r.path.as_str()).or_default() += 1;
    }
    let run = state.bulk.as_ref().expect("the run");
    let counts = run.counts();
    // 300 requests at 150 per window: the second 150 start one window after the first.
    let ideal = WINDOW;
    println!("bulk reset of {TOKENS} tokens at 150 requests per 10 s (real clock)");
    println!(
        "  took {:.2} s; ideal {:.2} s (one window before the second 150); ratio {:.3}",
        took.as_secs_f64(),
        ideal.as_secs_f64(),
        took.as_secs_f64() / ideal.as_secs_f64()
    );
    println!(
        "  {} reset requests, {} answered 429 by the server, {} tokens with more than one request",
        resets.len(),
        limited,
        per_path.values().filter(|n| **n > 1).count()
    );
    println!(
        "  done {}, failed {}, lost {}, not sent {}; {} new secrets in the run's custody",
        counts.done,
        counts.failed,
        counts.lost,
        counts.not_sent,
        run.secrets.len()
    );
    assert_eq!(resets.len(), TOKENS, "one request per token");
    assert_eq!(limited, 0, "no 429 of the console's own making");
    assert_eq!(run.secrets.len(), TOKENS, "every secret reached the run");
}
