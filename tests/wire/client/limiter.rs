//! The client's limiter keeps a burst of reads under the server's limit. (Sequential reads are also held
//! back by the client's pause when `X-Ratelimit-Remaining` reaches 0, so the burst is the real test.)
//!
//! The limiter runs on real tokio time, so this test uses a small limit and short windows rather than
//! Mailtrap's 150 per 10 s: the client may send 2 per 700 ms, the simulator allows 4 per 300 ms, so a
//! 429 would need three of the client's windows squeezed into 300 ms.

use crate::support::*;
use mailtrap_tokens::api::ratelimit::RateLimiter;
use mailtrap_tokens::api::{Client, ClientOptions};
use mailtrap_tokens::sim::SimOptions;
use std::sync::Arc;
use std::time::Duration;

async fn small_limit_sim() -> mailtrap_tokens::sim::RunningSim {
    start_with(SimOptions {
        rate_limit: 4,
        rate_window: Duration::from_millis(300),
        ..SimOptions::default()
    })
    .await
}

#[tokio::test]
async fn the_shared_limiter_keeps_a_burst_of_reads_free_of_429() {
    let sim = small_limit_sim().await;
    let limiter = Arc::new(RateLimiter::new(2, Duration::from_millis(700)));
    let api = client(&sim).with_rate_limiter(limiter.clone());
    // A second client sharing the limiter counts against the same budget.
    let other = client(&sim).with_rate_limiter(limiter);
    let burst = (0..10).map(|i| {
        let which = if i % 2 == 0 {
            api.clone()
        } else {
            other.clone()
        };
        async move { which.accounts().await }
    });
    for outcome in futures::future::join_all(burst).await {
        outcome.unwrap();
    }
    let statuses: Vec<u16> = sim.requests().iter().map(|r| r.status).collect();
    assert_eq!(statuses, vec![200; 10]);
}

#[tokio::test]
async fn without_the_limiter_the_same_burst_is_refused() {
    // Shows the test above can fail: a limiter that lets everything through collects a 429.
    let sim = small_limit_sim().await;
    let options = ClientOptions {
        read_retries: 0,
        ..fast_options()
    };
    let api = Client::with_options(&sim.url(), sim.operator_token(), options)
        .unwrap()
        .with_rate_limiter(Arc::new(RateLimiter::new(1000, Duration::from_millis(600))));
    let burst = (0..10).map(|_| {
        let api = api.clone();
        async move { api.accounts().await }
    });
    let refused = futures::future::join_all(burst)
        .await
        .into_iter()
        .filter(|outcome| {
            matches!(
                outcome,
                Err(mailtrap_tokens::api::ApiError::RateLimited { .. })
            )
        })
        .count();
    assert!(refused > 0);
    assert!(sim.requests().iter().any(|r| r.status == 429));
}
