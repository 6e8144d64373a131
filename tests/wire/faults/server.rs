//! The server misbehaving: 5xx with HTML pages, broken JSON, 429 storms with Retry-After.

use super::{assert_explained, sent};
use crate::support::*;
use mailtrap_tokens::api::{ApiError, Client, ClientOptions, Expiry, NewToken};
use mailtrap_tokens::sim::{Fault, FaultBody, SimOptions};
use std::sync::{Arc, Mutex};
use std::time::Duration;

fn probe(account: i64) -> NewToken {
    NewToken {
        name: "Fault probe".into(),
        resources: vec![resource("account", account, 10)],
        expiry: Expiry::Never,
    }
}

#[tokio::test]
async fn gateway_errors_with_html_pages_on_reads_are_retried_then_explained() {
    for status in [500u16, 502, 503] {
        let sim = start().await;
        let notices = Arc::new(Mutex::new(Vec::new()));
        let seen = notices.clone();
        let api = client(&sim).on_retry(move |n| seen.lock().unwrap().push(n.reason.clone()));
        sim.inject_fault(Fault {
            status: Some(status),
            body: Some(FaultBody::Html),
            count: 10,
            ..Fault::default()
        });
        let err = api.list_tokens(sim.account_id()).await.unwrap_err();
        assert_eq!(
            err,
            ApiError::Server {
                status,
                message: format!("an HTML error page (mailtrap.io | {status}: Bad gateway)"),
            }
        );
        assert_explained(
            &err,
            &format!("server error ({status})"),
            "retry in a moment",
        );
        assert_eq!(sent(&sim, "GET"), 4, "one try and three retries");
        assert_eq!(notices.lock().unwrap().len(), 3);
        // Once the gateway recovers, the same client reads normally.
        sim.clear_faults();
        assert_eq!(
            api.list_tokens(sim.account_id()).await.unwrap().len(),
            seeded_tokens()
        );
    }
}

#[tokio::test]
async fn gateway_errors_on_writes_are_reported_once_and_never_repeated() {
    for status in [500u16, 502, 503] {
        let sim = start().await;
        let api = client(&sim);
        let account = sim.account_id();
        sim.inject_fault(Fault {
            status: Some(status),
            body: Some(FaultBody::Html),
            count: 100,
            ..Fault::default()
        });
        let create = api
            .create_token(account, &probe(account))
            .await
            .unwrap_err();
        let reset = api
            .reset_token(account, 2491002, Expiry::ServerDefault)
            .await
            .unwrap_err();
        let delete = api.delete_token(account, 2491002).await.unwrap_err();
        for err in [&create, &reset, &delete] {
            assert_explained(
                err,
                &format!("server error ({status})"),
                "retry in a moment",
            );
            assert!(err.to_string().contains("HTML error page"), "{err}");
        }
        assert_eq!(sent(&sim, "POST"), 2);
        assert_eq!(sent(&sim, "DELETE"), 1);
        // A gateway error means the server did not act.
        sim.clear_faults();
        assert_eq!(
            api.list_tokens(account).await.unwrap().len(),
            seeded_tokens()
        );
    }
}

#[tokio::test]
async fn json_error_bodies_on_5xx_are_quoted_in_words() {
    let sim = start().await;
    sim.inject_fault(Fault {
        status: Some(500),
        body: Some(FaultBody::Json),
        count: 10,
        ..Fault::default()
    });
    let err = client(&sim).accounts().await.unwrap_err();
    assert_explained(&err, "server error (500): Unexpected error", "retry");
}

#[tokio::test]
async fn broken_bodies_on_reads_are_decode_errors_in_words() {
    let cases = [
        (FaultBody::Truncated, "EOF while parsing"),
        (
            FaultBody::Malformed,
            "could not read the server's answer (200)",
        ),
        (FaultBody::Empty, "EOF while parsing"),
    ];
    for (kind, says) in cases {
        let sim = start().await;
        let api = client(&sim);
        sim.inject_fault(Fault {
            method: Some("GET".into()),
            body: Some(kind),
            ..Fault::default()
        });
        let err = api.list_tokens(sim.account_id()).await.unwrap_err();
        assert!(
            matches!(err, ApiError::Decode { status: 200, .. }),
            "{err:?}"
        );
        assert_explained(&err, says, "retry in a moment");
        // A decode error is not transient: a broken answer is not asked for again on its own.
        assert_eq!(sent(&sim, "GET"), 1, "{kind:?}");
    }
}

#[tokio::test]
async fn broken_bodies_on_writes_never_quote_the_secret_and_are_not_repeated() {
    let cases = [
        (FaultBody::Truncated, "the answer was cut short"),
        (FaultBody::Malformed, "the answer is not JSON"),
        (FaultBody::Empty, "the answer was cut short"),
        (FaultBody::Html, "the answer is not JSON"),
    ];
    for (kind, says) in cases {
        let sim = start().await;
        let api = client(&sim);
        let account = sim.account_id();
        sim.inject_fault(Fault {
            path: Some("/reset".into()),
            body: Some(kind),
            ..Fault::default()
        });
        let err = api
            .reset_token(account, 2491002, Expiry::ServerDefault)
            .await
            .unwrap_err();
        assert_explained(&err, says, "retry");
        assert!(err.to_string().contains("not quoted"), "{err}");
        assert!(!has_secret_shape(&format!("{err:?}")));
        assert_eq!(sent(&sim, "POST"), 1);
        // The reset happened: its successor is in the list, its secret lost.
        let tokens = api.list_tokens(account).await.unwrap();
        assert!(
            tokens
                .iter()
                .any(|t| t.name == format!("CI deploy bot {}", t.id)),
            "{kind:?}"
        );
    }
}

#[tokio::test]
async fn a_429_on_a_read_waits_the_retry_after_each_time_then_succeeds() {
    let sim = start().await;
    let waits = Arc::new(Mutex::new(Vec::new()));
    let seen = waits.clone();
    let api = client(&sim).on_retry(move |n| seen.lock().unwrap().push((n.wait, n.reason.clone())));
    sim.inject_fault(Fault {
        method: Some("GET".into()),
        status: Some(429),
        retry_after: Some(1),
        count: 2,
        ..Fault::default()
    });
    let started = tokio::time::Instant::now();
    assert_eq!(
        api.list_tokens(sim.account_id()).await.unwrap().len(),
        seeded_tokens()
    );
    let waits = waits.lock().unwrap().clone();
    assert_eq!(
        waits,
        vec![
            (
                Duration::from_secs(1),
                "rate limited (429), retry in 1s".into()
            ),
            (
                Duration::from_secs(1),
                "rate limited (429), retry in 1s".into()
            ),
        ]
    );
    // A lower bound (the server's own request), not a performance assertion.
    assert!(started.elapsed() >= Duration::from_secs(2));
    let statuses: Vec<u16> = sim.requests().iter().map(|r| r.status).collect();
    assert_eq!(statuses, vec![429, 429, 200]);
}

#[tokio::test]
async fn a_429_on_writes_is_reported_and_never_repeated() {
    let sim = start().await;
    let api = client(&sim);
    let account = sim.account_id();
    sim.inject_fault(Fault {
        method: Some("POST".into()),
        status: Some(429),
        retry_after: Some(1),
        count: 2,
        ..Fault::default()
    });
    let create = api
        .create_token(account, &probe(account))
        .await
        .unwrap_err();
    assert_eq!(
        create,
        ApiError::RateLimited {
            retry_after: Some(Duration::from_secs(1))
        }
    );
    assert_explained(&create, "rate limited (429), retry in 1s", "wait and retry");
    let reset = api
        .reset_token(account, 2491002, Expiry::ServerDefault)
        .await
        .unwrap_err();
    assert!(matches!(reset, ApiError::RateLimited { .. }), "{reset:?}");
    assert_eq!(sent(&sim, "POST"), 2);
    assert_eq!(
        api.list_tokens(account).await.unwrap().len(),
        seeded_tokens()
    );
}

/// The real limiter of the simulator (real clock, 5 requests per second) against a burst of concurrent
/// reads and writes from one token: every read ends in success, every write is sent exactly once.
#[tokio::test]
async fn a_429_storm_from_the_real_limiter() {
    let sim = start_with(SimOptions {
        rate_limit: 5,
        rate_window: Duration::from_secs(1),
        ..SimOptions::default()
    })
    .await;
    let account = sim.account_id();
    let api = Client::with_options(
        &sim.url(),
        sim.operator_token(),
        ClientOptions {
            read_retries: 8,
            ..fast_options()
        },
    )
    .unwrap();
    let reads = (0..12).map(|_| {
        let api = api.clone();
        tokio::spawn(async move { api.list_tokens(account).await })
    });
    let reads = futures::future::join_all(reads).await;
    for read in reads {
        assert_eq!(read.unwrap().unwrap().len(), seeded_tokens());
    }
    assert!(
        sim.requests().iter().any(|r| r.status == 429),
        "the storm hit the limit"
    );
    sim.clear_requests();
    let writes = (0..8).map(|_| {
        let api = api.clone();
        tokio::spawn(async move { api.create_token(account, &probe(account)).await })
    });
    let writes = futures::future::join_all(writes).await;
    let mut made = 0;
    for write in writes {
        match write.unwrap() {
            Ok(_) => made += 1,
            Err(err) => {
                assert!(matches!(err, ApiError::RateLimited { .. }), "{err:?}");
                assert_explained(&err, "rate limited (429)", "wait and retry");
            }
        }
    }
    assert_eq!(sent(&sim, "POST"), 8, "each write sent once");
    let tokens = api.list_tokens(account).await.unwrap();
    assert_eq!(
        tokens.iter().filter(|t| t.name == "Fault probe").count(),
        made
    );
}
