//! Auth headers, both path styles, production's headers, the rate limit and the HTTP-level errors.

use crate::support::*;
use chrono::Duration;
use serde_json::{Value, json};

#[tokio::test]
async fn both_auth_headers_and_both_path_styles() {
    let sim = start().await;
    let op = sim.operator_token();
    let url = sim.url();
    let via_api_token = http()
        .get(format!("{url}/api/api_tokens"))
        .header("Api-Token", op.expose_secret())
        .send()
        .await
        .unwrap();
    assert_eq!(via_api_token.status(), 200);
    let account_less: Value = via_api_token.json().await.unwrap();
    let (_, scoped) = get(&sim, &acct(&sim, "/api_tokens"), &op).await;
    assert_eq!(account_less, scoped);
    for path in [
        "/api/api_tokens/2490101",
        "/api/account_accesses",
        "/api/permissions/resources",
    ] {
        assert_eq!(get(&sim, path, &op).await.0, 200, "{path}");
    }
    let (status, created) = post(&sim, "/api/api_tokens", &op, Some(json!({"name": "less",
        "resources": [{"resource_type": "account", "resource_id": sim.account_id(), "access_level": 10}]}))).await;
    assert_eq!(status, 200);
    let id = created["id"].as_i64().unwrap();
    let (status, reset) = post(&sim, &format!("/api/api_tokens/{id}/reset"), &op, None).await;
    assert_eq!(status, 200);
    assert_eq!(
        delete(&sim, &format!("/api/api_tokens/{}", reset["id"]), &op)
            .await
            .0,
        204
    );

    // 401: unknown token, no header, bad scheme; always with WWW-Authenticate.
    for request in [
        http()
            .get(format!("{url}/api/accounts"))
            .bearer_auth("not-a-real-token"),
        http().get(format!("{url}/api/accounts")),
        http()
            .get(format!("{url}/api/accounts"))
            .header("Authorization", format!("Basic {}", op.expose_secret())),
    ] {
        let r = request.send().await.unwrap();
        assert_eq!(r.status(), 401);
        assert_eq!(
            r.headers()["www-authenticate"],
            "Token realm=\"Application\""
        );
        assert_eq!(
            r.headers()["content-type"],
            "application/json; charset=utf-8"
        );
        assert_eq!(
            r.json::<Value>().await.unwrap(),
            json!({"error": "Incorrect API token"})
        );
    }
}

#[tokio::test]
async fn production_headers_and_empty_204() {
    let sim = start().await;
    let op = sim.operator_token();
    let (status, headers, _) = call(&sim, reqwest::Method::GET, "/api/accounts", &op, None).await;
    assert_eq!(status, 200);
    assert_eq!(headers["content-type"], "application/json; charset=utf-8");
    assert_eq!(headers["x-ratelimit-limit"], "150");
    assert_eq!(headers["x-ratelimit-remaining"], "149");
    let (status, headers, body) = call(
        &sim,
        reqwest::Method::DELETE,
        &acct(&sim, "/api_tokens/2491560"),
        &op,
        None,
    )
    .await;
    assert_eq!((status, body), (204, Value::Null));
    assert!(headers.get("content-type").is_none());
    assert_eq!(headers["x-ratelimit-remaining"], "148");
}

#[tokio::test]
async fn rate_limit_151st_request_gets_429_with_retry_after() {
    let sim = start().await;
    let op = sim.operator_token();
    let client = http();
    let url = format!("{}/api/accounts", sim.url());
    for i in 0..150 {
        let r = client
            .get(&url)
            .bearer_auth(op.expose_secret())
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "request {i}");
        assert_eq!(
            r.headers()["x-ratelimit-remaining"],
            (149 - i).to_string().as_str()
        );
    }
    sim.advance_clock(Duration::seconds(3));
    let r = client
        .get(&url)
        .bearer_auth(op.expose_secret())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 429);
    assert_eq!(r.headers()["retry-after"], "7");
    assert_eq!(r.headers()["x-ratelimit-remaining"], "0");
    assert_eq!(
        r.json::<Value>().await.unwrap(),
        json!({"errors": "Rate limit exceeded"})
    );
    // The limit is per token: another token is unaffected.
    assert_eq!(get(&sim, "/api/accounts", &viewer(&sim)).await.0, 200);
    // The window rolls on the simulator's clock.
    sim.advance_clock(Duration::seconds(7));
    assert_eq!(get(&sim, "/api/accounts", &op).await.0, 200);
    // /__sim is never limited.
    let r = client
        .get(format!("{}/__sim/requests", sim.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn http_level_errors_are_json() {
    let sim = start().await;
    let op = sim.operator_token();
    let url = sim.url();
    let secret = op.expose_secret();
    assert_eq!(
        get(&sim, "/api/nothing_here", &op).await,
        (404, json!({"error": "Not Found"}))
    );
    assert_eq!(get(&sim, "/", &op).await.0, 404);
    for id in [
        i64::MAX.to_string(),
        (i64::MAX - 1).to_string(),
        "99999999999999999999999".into(),
        "-1".into(),
        "abc".into(),
    ] {
        assert_eq!(
            get(&sim, &acct(&sim, &format!("/api_tokens/{id}")), &op).await,
            (404, json!({"error": "Not Found"})),
            "{id}"
        );
        assert_eq!(
            post(
                &sim,
                &acct(&sim, &format!("/api_tokens/{id}/reset")),
                &op,
                None
            )
            .await
            .0,
            404
        );
        assert_eq!(
            delete(&sim, &acct(&sim, &format!("/api_tokens/{id}")), &op)
                .await
                .0,
            404
        );
    }
    let r = http()
        .put(format!("{url}/api/api_tokens"))
        .bearer_auth(secret)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 405);
    assert_eq!(r.headers()["allow"], "GET, POST");
    assert_eq!(
        r.json::<Value>().await.unwrap(),
        json!({"error": "Method Not Allowed"})
    );

    let r = http()
        .post(format!("{url}/api/api_tokens"))
        .bearer_auth(secret)
        .header("content-type", "application/json")
        .body("{\"name\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert!(r.json::<Value>().await.unwrap()["error"].is_string());
    let r = http()
        .post(format!("{url}/api/api_tokens"))
        .bearer_auth(secret)
        .header("content-type", "text/plain")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 415);
    assert!(r.json::<Value>().await.unwrap()["error"].is_string());
    let nested = "[".repeat(100_000);
    let r = http()
        .post(format!("{url}/api/api_tokens"))
        .bearer_auth(secret)
        .header("content-type", "application/json")
        .body(nested)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    // A huge body is refused (or the connection cut) without harming the simulator.
    let huge = format!("{{\"name\": \"{}\"}}", "x".repeat(8 * 1024 * 1024));
    if let Ok(r) = http()
        .post(format!("{url}/api/api_tokens"))
        .bearer_auth(secret)
        .header("content-type", "application/json")
        .body(huge)
        .send()
        .await
    {
        assert_eq!(r.status(), 413);
    }
    assert_eq!(get(&sim, "/api/accounts", &op).await.0, 200);
}
