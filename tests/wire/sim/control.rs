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

/// A GET's status and body exactly as the simulator sent them.
async fn get_text(sim: &mailtrap_tokens::sim::RunningSim, path: &str) -> (u16, String) {
    let r = http()
        .get(format!("{}{path}", sim.url()))
        .bearer_auth(sim.operator_token().expose_secret())
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

#[tokio::test]
async fn extra_fields_go_after_each_token_s_own_in_list_and_get_answers() {
    let sim = start().await;
    let list = format!("/api/accounts/{}/api_tokens", sim.account_id());
    let fault = json!({"method": "GET", "path": "/api_tokens", "count": 4,
                       "extra_fields": {"last_used_at": "2026-11-30T08:15:00Z",
                                        "future": {"nested": [1, "x\u{1b}[31m"]}}});
    let r = http()
        .post(format!("{}/__sim/faults", sim.url()))
        .json(&fault)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    // Each object's own fields, then the extra ones (in the order a JSON object's keys are written).
    let added = r#","future":{"nested":[1,"x\u001b[31m"]},"last_used_at":"2026-11-30T08:15:00Z"}"#;
    let (status, text) = get_text(&sim, &list).await;
    assert_eq!(status, 200);
    let items: Vec<Box<serde_json::value::RawValue>> = serde_json::from_str(&text).unwrap();
    assert_eq!(items.len(), seeded_tokens());
    for item in &items {
        assert!(item.get().ends_with(added), "{}", item.get());
        let token: Value = serde_json::from_str(item.get()).unwrap();
        assert!(
            token["id"].is_i64() && token["resources"].is_array(),
            "{token}"
        );
    }
    let (status, text) = get_text(&sim, &format!("{list}/2491402")).await;
    assert_eq!(status, 200);
    assert!(text.starts_with("{\"created_by\":"), "{text}");
    assert!(text.ends_with(added), "{text}");
    // Only a successful answer gets them: an error keeps its documented body.
    assert_eq!(
        get_text(&sim, &format!("{list}/1")).await,
        (404, r#"{"error":"Not Found"}"#.to_string())
    );
    let (_, text) = get_text(&sim, &format!("{list}/2491402")).await;
    assert!(
        text.ends_with(added),
        "the fourth answer still has them: {text}"
    );
    let (_, text) = get_text(&sim, &list).await;
    assert!(!text.contains("future"), "the fault is used up");
    let bad = json!({"extra_fields": ["not", "an", "object"]});
    let r = http()
        .post(format!("{}/__sim/faults", sim.url()))
        .json(&bad)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
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
