//! Create, reset, expiry, cleanup and delete rules.

use crate::support::*;
use chrono::Duration;
use mailtrap_tokens::sim::DefaultExpiry;
use mailtrap_tokens::sim::SimOptions;
use serde_json::{Value, json};

fn admin_body(sim: &mailtrap_tokens::sim::RunningSim, name: &str) -> Value {
    json!({"name": name, "resources": [{"resource_type": "account", "resource_id": sim.account_id(), "access_level": 100}]})
}

#[tokio::test]
async fn reset_grace_then_401_then_cleanup() {
    let sim = start().await;
    let op = sim.operator_token();
    let (status, created) = post(
        &sim,
        &acct(&sim, "/api_tokens"),
        &op,
        Some(admin_body(&sim, "Grace test")),
    )
    .await;
    assert_eq!(status, 200);
    let old_id = created["id"].as_i64().unwrap();
    let old_secret =
        mailtrap_tokens::api::Secret::new(created["token"].as_str().unwrap().to_string());

    let (status, fresh) = post(
        &sim,
        &acct(&sim, &format!("/api_tokens/{old_id}/reset")),
        &op,
        None,
    )
    .await;
    assert_eq!(status, 200);
    let new_id = fresh["id"].as_i64().unwrap();
    assert!(new_id > old_id);
    assert_eq!(fresh["name"], format!("Grace test {new_id}"));
    assert_eq!(fresh["resources"], created["resources"]);
    assert_eq!(fresh["created_by"], "Operator console");
    assert_ne!(fresh["token"], created["token"]);

    // The old record stays, expiring 12 h after the reset.
    let (_, old) = get(&sim, &acct(&sim, &format!("/api_tokens/{old_id}")), &op).await;
    let expected =
        (sim.now() + Duration::hours(12)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    assert_eq!(old["expires_at"], expected);
    assert!(old.get("token").is_none());

    let (status, again) = post(
        &sim,
        &acct(&sim, &format!("/api_tokens/{old_id}/reset")),
        &op,
        None,
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(
        again,
        json!({"errors": {"base": ["API token was already reset"]}})
    );

    // The old secret keeps working through the grace, moved with /__sim/clock.
    let advance = |secs: i64| {
        let url = format!("{}/__sim/clock", sim.url());
        async move {
            let r = http()
                .post(url)
                .json(&json!({"advance_seconds": secs}))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 200);
        }
    };
    advance(11 * 3600 + 3599).await;
    assert_eq!(get(&sim, "/api/accounts", &old_secret).await.0, 200);
    advance(1).await;
    let (status, body) = get(&sim, "/api/accounts", &old_secret).await;
    assert_eq!(
        (status, body),
        (401, json!({"error": "Incorrect API token"}))
    );
    // Still listed while expired, gone 24 h after expiry.
    assert_eq!(
        get(&sim, &acct(&sim, &format!("/api_tokens/{old_id}")), &op)
            .await
            .0,
        200
    );
    advance(24 * 3600 - 1).await;
    assert_eq!(
        get(&sim, &acct(&sim, &format!("/api_tokens/{old_id}")), &op)
            .await
            .0,
        200
    );
    advance(1).await;
    assert_eq!(
        get(&sim, &acct(&sim, &format!("/api_tokens/{old_id}")), &op)
            .await
            .0,
        404
    );
    assert_eq!(
        get(&sim, &acct(&sim, &format!("/api_tokens/{new_id}")), &op)
            .await
            .0,
        200
    );
}

#[tokio::test]
async fn a_reset_never_extends_an_earlier_expiry_and_expired_tokens_cannot_be_reset() {
    let sim = start().await;
    let op = sim.operator_token();
    let account = sim.account_id();
    let soon = sim.now() + Duration::hours(2);
    let (id, _) = sim.issue_token("Short", vec![resource("account", account, 10)], Some(soon));
    post(
        &sim,
        &acct(&sim, &format!("/api_tokens/{id}/reset")),
        &op,
        None,
    )
    .await;
    let (_, old) = get(&sim, &acct(&sim, &format!("/api_tokens/{id}")), &op).await;
    assert_eq!(
        old["expires_at"],
        soon.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    );

    // The seed's "Old webhook relay" expired 3 hours before the clock's start.
    let (status, body) = post(&sim, &acct(&sim, "/api_tokens/2491471/reset"), &op, None).await;
    assert_eq!(
        (status, body),
        (422, json!({"errors": {"base": ["API token has expired"]}}))
    );
}

#[tokio::test]
async fn create_validation_rules() {
    let sim = start().await;
    let op = sim.operator_token();
    let path = acct(&sim, "/api_tokens");
    let account = sim.account_id();
    let no_perm =
        json!({"errors": {"base": ["No permissions selected. Please choose at least one."]}});
    assert_eq!(
        post(&sim, &path, &op, Some(json!({"resources": []}))).await,
        (422, no_perm.clone())
    );
    assert_eq!(
        post(&sim, &path, &op, Some(json!({"name": "x"}))).await,
        (422, no_perm.clone())
    );
    assert_eq!(post(&sim, &path, &op, None).await, (422, no_perm));
    let res = json!([{"resource_type": "account", "resource_id": account, "access_level": 10}]);
    assert_eq!(
        post(
            &sim,
            &path,
            &op,
            Some(json!({"name": "  ", "resources": res}))
        )
        .await,
        (422, json!({"errors": {"name": ["can't be blank"]}}))
    );
    let (status, body) = post(
        &sim,
        &path,
        &op,
        Some(json!({"name": "n".repeat(256), "resources": res})),
    )
    .await;
    assert_eq!(status, 422);
    assert!(
        body["errors"]["name"][0]
            .as_str()
            .unwrap()
            .contains("too long")
    );
    assert_eq!(
        post(
            &sim,
            &path,
            &op,
            Some(json!({"name": "n".repeat(255), "resources": res}))
        )
        .await
        .0,
        200
    );

    for (level, expected) in [
        (json!("admin"), Some(100)),
        (json!("viewer"), Some(10)),
        (json!("100"), Some(100)),
        (json!(" 10 "), Some(10)),
        (json!(10), Some(10)),
        (json!("1000"), None),
        (json!(1000), None),
        (json!(50), None),
        (json!("owner"), None),
        (json!(null), None),
    ] {
        let body = json!({"name": "levels", "resources": [{"resource_type": "project", "resource_id": "2550469", "access_level": level}]});
        let (status, answer) = post(&sim, &path, &op, Some(body)).await;
        match expected {
            Some(l) => {
                assert_eq!(status, 200, "{level}: {answer}");
                assert_eq!(answer["resources"][0]["access_level"], l);
                assert_eq!(answer["resources"][0]["resource_id"], 2550469);
            }
            None => {
                assert_eq!(status, 422, "{level}");
                assert!(answer["errors"]["access_level"].is_array(), "{answer}");
            }
        }
    }
    let body = json!({"name": "alias", "resources": [{"resource_type": "inbox", "resource_id": 4117907, "access_level": 10},
        {"resource_type": "sending_domain", "resource_id": 3300412, "access_level": 10}]});
    let (status, answer) = post(&sim, &path, &op, Some(body)).await;
    assert_eq!(status, 200);
    // The older spellings are accepted and answered with the newer ones (OAS account-management).
    assert_eq!(answer["resources"][0]["resource_type"], "sandbox");
    assert_eq!(answer["resources"][1]["resource_type"], "domain");
    // A resource that does not exist cannot be administered.
    let body = json!({"name": "ghost", "resources": [{"resource_type": "project", "resource_id": 1, "access_level": 10}]});
    assert_eq!(
        post(&sim, &path, &op, Some(body)).await,
        (403, json!({"errors": "Access forbidden"}))
    );
    let body = json!({"name": "bad type", "resources": [{"resource_type": "billing", "resource_id": account, "access_level": 10}]});
    assert_eq!(post(&sim, &path, &op, Some(body)).await.0, 422);
}

#[tokio::test]
async fn expires_at_tri_state_and_bounds() {
    let sim = start().await;
    let op = sim.operator_token();
    let path = acct(&sim, "/api_tokens");
    let now = sim.now();
    let with = |expiry: Option<Value>| {
        let mut b = admin_body(&sim, "exp");
        if let Some(e) = expiry {
            b["expires_at"] = e;
        }
        b
    };
    let fmt =
        |t: chrono::DateTime<chrono::Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let (_, omitted) = post(&sim, &path, &op, Some(with(None))).await;
    assert_eq!(omitted["expires_at"], fmt(now + Duration::days(365)));
    let (_, never) = post(&sim, &path, &op, Some(with(Some(Value::Null)))).await;
    assert_eq!(never["expires_at"], Value::Null);
    let (status, at) = post(
        &sim,
        &path,
        &op,
        Some(with(Some(json!("2027-06-01T02:00:00+02:00")))),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(at["expires_at"], "2027-06-01T00:00:00Z");
    assert_eq!(
        post(
            &sim,
            &path,
            &op,
            Some(with(Some(json!(fmt(now - Duration::seconds(1))))))
        )
        .await,
        (
            422,
            json!({"errors": {"expires_at": ["must be in the future"]}})
        )
    );
    assert_eq!(
        post(
            &sim,
            &path,
            &op,
            Some(with(Some(json!(fmt(now + Duration::days(5 * 366))))))
        )
        .await,
        (
            422,
            json!({"errors": {"expires_at": ["must be at most 5 years from now"]}})
        )
    );
    assert_eq!(
        post(
            &sim,
            &path,
            &op,
            Some(with(Some(json!(fmt(now + Duration::days(5 * 365))))))
        )
        .await
        .0,
        200
    );
    assert_eq!(
        post(&sim, &path, &op, Some(with(Some(json!("soon")))))
            .await
            .0,
        422
    );
    // Reset takes the same tri-state.
    let id = omitted["id"].as_i64().unwrap();
    let (status, reset) = post(
        &sim,
        &acct(&sim, &format!("/api_tokens/{id}/reset")),
        &op,
        Some(json!({"expires_at": null})),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(reset["expires_at"], Value::Null);

    let never_sim = start_with(SimOptions {
        frozen_at: Some(frozen_start()),
        default_expiry: DefaultExpiry::Never,
        ..SimOptions::default()
    })
    .await;
    let op = never_sim.operator_token();
    let (_, created) = post(
        &never_sim,
        &acct(&never_sim, "/api_tokens"),
        &op,
        Some(admin_body(&never_sim, "old style")),
    )
    .await;
    assert_eq!(created["expires_at"], Value::Null);
}

#[tokio::test]
async fn delete_rules_and_the_last_domain_token() {
    let sim = start().await;
    let op = sim.operator_token();
    // mail.acme.example has only its auto-created token.
    assert_eq!(
        delete(&sim, &acct(&sim, "/api_tokens/2490312"), &op).await,
        (
            422,
            json!({"errors": {"base": ["Cannot delete the last API token with access to domain mail.acme.example"]}})
        )
    );
    // news.acme.example is also named by "Newsletter domain viewer": its auto token may go, then that one not.
    let (status, body) = delete(&sim, &acct(&sim, "/api_tokens/2490313"), &op).await;
    assert_eq!((status, body), (204, serde_json::Value::Null));
    assert_eq!(
        delete(&sim, &acct(&sim, "/api_tokens/2491388"), &op)
            .await
            .0,
        422
    );
    // A token in its reset grace does not count as a holder.
    let account = sim.account_id();
    let (id, _) = sim.issue_token("mail helper", vec![resource("domain", 3300413, 10)], None);
    let (_, reset) = post(
        &sim,
        &acct(&sim, &format!("/api_tokens/{id}/reset")),
        &op,
        None,
    )
    .await;
    let successor = reset["id"].as_i64().unwrap();
    assert_eq!(
        delete(&sim, &acct(&sim, "/api_tokens/2490312"), &op)
            .await
            .0,
        204
    );
    assert_eq!(
        delete(&sim, &acct(&sim, &format!("/api_tokens/{successor}")), &op)
            .await
            .0,
        422
    );
    // The grace token itself may be deleted (it no longer counts).
    assert_eq!(
        delete(&sim, &acct(&sim, &format!("/api_tokens/{id}")), &op)
            .await
            .0,
        204
    );
    // Deleting is immediate: the secret stops working at once.
    let (gone, secret) =
        sim.issue_token("to delete", vec![resource("account", account, 100)], None);
    assert_eq!(get(&sim, "/api/accounts", &secret).await.0, 200);
    assert_eq!(
        delete(&sim, &acct(&sim, &format!("/api_tokens/{gone}")), &op)
            .await
            .0,
        204
    );
    assert_eq!(get(&sim, "/api/accounts", &secret).await.0, 401);
    assert_eq!(
        delete(&sim, &acct(&sim, &format!("/api_tokens/{gone}")), &op).await,
        (404, json!({"error": "Not Found"}))
    );
}

#[tokio::test]
async fn expired_seed_tokens_are_listed_but_never_authenticate() {
    let sim = start().await;
    let op = sim.operator_token();
    let (_, list) = get(&sim, &acct(&sim, "/api_tokens"), &op).await;
    let list = list.as_array().unwrap();
    let expired = list.iter().find(|t| t["id"] == 2491471).unwrap();
    assert_eq!(expired["expires_at"], "2026-04-29T11:16:50Z");
    assert!(list.iter().all(|t| t.get("token").is_none()));
    let names: Vec<&str> = list.iter().map(|t| t["name"].as_str().unwrap()).collect();
    for expected in [
        "acme.example token 2490311",
        "Zapier sync 2491310",
        "東京チーム 📨 送信トークン",
    ] {
        assert!(names.contains(&expected), "{names:?}");
    }
    assert!(names.iter().any(|n| n.chars().count() > 100));
    // It disappears 24 h after its expiry, that is 21 h after the start.
    sim.advance_clock(Duration::hours(21));
    assert_eq!(
        get(&sim, &acct(&sim, "/api_tokens/2491471"), &op).await.0,
        404
    );
}

#[tokio::test]
async fn seed_is_identical_between_runs_and_extra_tokens_are_deterministic() {
    let options = || SimOptions {
        frozen_at: Some(frozen_start()),
        extra_tokens: 25,
        ..SimOptions::default()
    };
    let a = start_with(options()).await;
    let b = start_with(options()).await;
    let (_, la) = get(&a, &acct(&a, "/api_tokens"), &a.operator_token()).await;
    let (_, lb) = get(&b, &acct(&b, "/api_tokens"), &b.operator_token()).await;
    assert_eq!(la, lb);
    assert_eq!(la.as_array().unwrap().len(), seeded_tokens() + 25);
    assert_ne!(a.operator_token(), b.operator_token());
}

#[tokio::test]
async fn hostile_names_are_stored_and_echoed() {
    let sim = start().await;
    let op = sim.operator_token();
    let name = "evil \u{1b}[31mred\u{1b}[0m \u{7}bell\r\n\u{202e}rtl \"quoted\" \\ back";
    let mut body = admin_body(&sim, name);
    body["expires_at"] = Value::Null;
    let (status, created) = post(&sim, &acct(&sim, "/api_tokens"), &op, Some(body)).await;
    assert_eq!(status, 200);
    let (_, got) = get(
        &sim,
        &acct(&sim, &format!("/api_tokens/{}", created["id"])),
        &op,
    )
    .await;
    assert_eq!(got["name"], name);
}
