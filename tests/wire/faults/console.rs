//! Faults seen through the console: the real `update`, the real `Executor` running the requests against
//! the simulator, and the real view. The console stays up and says in words what happened and what to do;
//! a failed refresh keeps the list on screen.

use crate::console_driver::{Live, char_key, sim_config};
use crate::support::*;
use mailtrap_tokens::api::Client;
use mailtrap_tokens::sim::{Fault, FaultBody, RunningSim};
use std::time::Duration;

/// The console over `api`, on the wall clock.
fn console(sim: &RunningSim, api: Client) -> Live {
    Live::start(sim_config(sim), api, chrono::Utc::now)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_gateway_error_on_the_first_load_is_a_screen_in_words_and_r_retries() {
    let sim = start().await;
    sim.inject_fault(Fault {
        path: Some("/api_tokens".into()),
        status: Some(502),
        body: Some(FaultBody::Html),
        count: 4,
        ..Fault::default()
    });
    let mut console = console(&sim, client(&sim));
    console.settle().await;
    let screen = console.screen(120, 40);
    assert!(screen.contains("Could not load the tokens"), "{screen}");
    assert!(screen.contains("server error (502)"), "{screen}");
    assert!(screen.contains("retry in a moment"), "{screen}");
    assert!(!screen.contains("<html"), "{screen}");
    // The gateway is back: `r` loads the list.
    console.send(char_key('r'));
    console.settle().await;
    let screen = console.screen(120, 40);
    assert!(screen.contains("CI deploy bot"), "{screen}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_refresh_keeps_the_list_and_says_why() {
    let sim = start().await;
    let mut console = console(&sim, client(&sim));
    console.settle().await;
    assert!(console.screen(120, 40).contains("CI deploy bot"));
    sim.inject_fault(Fault {
        path: Some("/api_tokens".into()),
        status: Some(503),
        body: Some(FaultBody::Html),
        count: 4,
        ..Fault::default()
    });
    console.send(char_key('r'));
    console.settle().await;
    let screen = console.screen(120, 40);
    assert!(
        screen.contains("CI deploy bot"),
        "the list is kept:\n{screen}"
    );
    assert!(screen.contains("Refresh failed"), "{screen}");
    assert!(screen.contains("503"), "{screen}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_expired_mid_session_is_a_401_in_the_status_line_and_the_list_stays() {
    let sim = start().await;
    let account = sim.account_id();
    let mut console = console(&sim, client(&sim));
    console.settle().await;
    client(&sim)
        .reset_token(account, 2490101, mailtrap_tokens::api::Expiry::Never)
        .await
        .unwrap();
    sim.advance_clock(chrono::Duration::hours(12) + chrono::Duration::minutes(1));
    console.send(char_key('r'));
    console.settle().await;
    let screen = console.screen(120, 40);
    assert!(screen.contains("Refresh failed"), "{screen}");
    assert!(screen.contains("401"), "{screen}");
    assert!(
        screen.contains("CI deploy bot"),
        "the list is kept:\n{screen}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_timeout_and_an_unreachable_server_are_screens_in_words() {
    let sim = start().await;
    sim.inject_fault(Fault {
        latency_ms: Some(2_000),
        count: 20,
        ..Fault::default()
    });
    let impatient = Client::with_options(
        &sim.url(),
        sim.operator_token(),
        mailtrap_tokens::api::ClientOptions {
            request_timeout: Duration::from_millis(200),
            read_retries: 1,
            ..fast_options()
        },
    )
    .unwrap();
    let mut console = console(&sim, impatient);
    console.settle().await;
    let screen = console.screen(120, 40);
    assert!(
        screen.contains("The API did not answer in time"),
        "{screen}"
    );
    assert!(screen.contains("Check the network"), "{screen}");
}
