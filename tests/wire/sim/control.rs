//! The `/__sim/` control surface over loopback: clock, faults and the request log.

use crate::support::*;
use serde_json::{Value, json};

#[tokio::test]
async fn clock_faults_and_log_over_http() {
    let sim = start().await;
    let op = sim.operator_token();
    let url = sim.url();
    let before = sim.now();
    let r = http()
        .post(format!("{url}/__sim/clock"))
        .json(&json!({"advance_seconds": 90}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(sim.now() - before, chrono::Duration::seconds(90));
    let r = http()
        .post(format!("{url}/__sim/clock"))
        .json(&json!({"advance_seconds": -5}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);

    let fault =
        json!({"path": "/api_tokens", "method": "GET", "count": 2, "status": 503, "body": "html"});
    let r = http()
        .post(format!("{url}/__sim/faults"))
        .json(&fault)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = http()
        .post(format!("{url}/__sim/faults"))
        .json(&json!({"status": "bad"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let r = http()
        .get(format!("{url}/api/api_tokens"))
        .bearer_auth(op.expose_secret())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 503);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(r.text().await.unwrap().contains("cloudflare"));
    assert_eq!(
        get(&sim, "/api/accounts", &op).await.0,
        200,
        "the path filter holds"
    );
    let r = http()
        .delete(format!("{url}/__sim/faults"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    assert_eq!(get(&sim, "/api/api_tokens", &op).await.0, 200, "cleared");

    let log: Value = http()
        .get(format!("{url}/__sim/requests"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        log,
        json!([
            {"method": "GET", "path": "/api/api_tokens", "status": 503},
            {"method": "GET", "path": "/api/accounts", "status": 200},
            {"method": "GET", "path": "/api/api_tokens", "status": 200},
        ])
    );
    assert!(!log.to_string().contains(op.expose_secret()));
    assert_eq!(sim.requests().len(), 3);
    let r = http()
        .delete(format!("{url}/__sim/requests"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    assert!(sim.requests().is_empty());
    assert_eq!(
        http()
            .get(format!("{url}/__sim/nothing"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    assert_eq!(
        http()
            .put(format!("{url}/__sim/clock"))
            .send()
            .await
            .unwrap()
            .status(),
        405
    );
}

#[tokio::test]
async fn injected_faults_shape_the_answer() {
    let sim = start().await;
    let op = sim.operator_token();
    let url = format!("{}/api/accounts", sim.url());
    sim.inject_fault(mailtrap_tokens::sim::Fault {
        status: Some(429),
        retry_after: Some(9),
        ..Default::default()
    });
    let r = http()
        .get(&url)
        .bearer_auth(op.expose_secret())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 429);
    assert_eq!(r.headers()["retry-after"], "9");
    for (kind, check) in [
        (
            "truncated",
            Box::new(|b: &str| serde_json::from_str::<Value>(b).is_err() && !b.is_empty())
                as Box<dyn Fn(&str) -> bool>,
        ),
        (
            "malformed",
            Box::new(|b: &str| serde_json::from_str::<Value>(b).is_err()),
        ),
        ("empty", Box::new(|b: &str| b.is_empty())),
    ] {
        let fault: mailtrap_tokens::sim::Fault =
            serde_json::from_value(json!({"body": kind})).unwrap();
        sim.inject_fault(fault);
        let r = http()
            .get(&url)
            .bearer_auth(op.expose_secret())
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{kind}");
        assert!(check(&r.text().await.unwrap()), "{kind}");
    }
    for drop in ["before", "after"] {
        let fault: mailtrap_tokens::sim::Fault =
            serde_json::from_value(json!({"drop": drop})).unwrap();
        sim.inject_fault(fault);
        let outcome = match http()
            .get(&url)
            .bearer_auth(op.expose_secret())
            .send()
            .await
        {
            Err(_) => Err(()),
            Ok(r) => r.bytes().await.map(|_| ()).map_err(|_| ()),
        };
        assert!(outcome.is_err(), "drop {drop} must break the connection");
    }
    assert_eq!(get(&sim, "/api/accounts", &op).await.0, 200);
}

#[tokio::test]
async fn dropping_the_simulator_stops_it_even_for_pooled_connections() {
    let sim = start().await;
    let op = sim.operator_token();
    let url = format!("{}/api/accounts", sim.url());
    let pooled = http();
    let r = pooled
        .get(&url)
        .bearer_auth(op.expose_secret())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    r.bytes().await.unwrap();
    drop(sim);
    // The server task and its connections close on their own; wait for that with a bound.
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let answered = pooled
            .get(&url)
            .bearer_auth(op.expose_secret())
            .send()
            .await
            .is_ok();
        if !answered {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "still answering after drop"
        );
        tokio::task::yield_now().await;
    }
}
