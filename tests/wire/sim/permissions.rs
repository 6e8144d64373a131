//! 403 shapes, account accesses, bulk permissions and the resource tree.

use crate::support::*;
use serde_json::{Value, json};

async fn put(
    sim: &mailtrap_tokens::sim::RunningSim,
    path: &str,
    secret: &mailtrap_tokens::api::Secret,
    body: Value,
) -> (u16, Value) {
    let (s, _, v) = call(sim, reqwest::Method::PUT, path, secret, Some(body)).await;
    (s, v)
}

#[tokio::test]
async fn forbidden_shapes() {
    let sim = start().await;
    let op = sim.operator_token();
    let other = format!("/api/accounts/{}/api_tokens", sim.account_id() + 1);
    assert_eq!(
        get(&sim, &other, &op).await,
        (403, json!({"errors": "Account access forbidden"}))
    );
    let huge = format!("/api/accounts/{}/api_tokens", i64::MAX);
    assert_eq!(get(&sim, &huge, &op).await.0, 403);

    let viewer = viewer(&sim);
    let forbidden = (403, json!({"errors": "Access forbidden"}));
    assert_eq!(get(&sim, &acct(&sim, "/api_tokens"), &viewer).await.0, 200);
    let body = json!({"name": "x", "resources": [{"resource_type": "account", "resource_id": sim.account_id(), "access_level": 10}]});
    assert_eq!(
        post(&sim, &acct(&sim, "/api_tokens"), &viewer, Some(body)).await,
        forbidden
    );
    assert_eq!(
        post(
            &sim,
            &acct(&sim, "/api_tokens/2491002/reset"),
            &viewer,
            None
        )
        .await,
        forbidden
    );
    assert_eq!(
        delete(&sim, &acct(&sim, "/api_tokens/2491002"), &viewer).await,
        forbidden
    );
    let bulk = json!({"permissions": [{"resource_id": "2550469", "resource_type": "project", "access_level": "viewer"}]});
    assert_eq!(
        put(
            &sim,
            &acct(&sim, "/account_accesses/4718802/permissions/bulk"),
            &viewer,
            bulk
        )
        .await,
        forbidden
    );

    // A project admin may manage its project, not the account.
    let (_, project_admin) = sim.issue_token(
        "Project lead",
        vec![resource("project", 2550469, 100)],
        None,
    );
    let ok = json!({"name": "sandbox reader", "resources": [{"resource_type": "sandbox", "resource_id": 4117907, "access_level": 10}]});
    assert_eq!(
        post(&sim, &acct(&sim, "/api_tokens"), &project_admin, Some(ok))
            .await
            .0,
        200
    );
    let too_far = json!({"name": "x", "resources": [{"resource_type": "project", "resource_id": 2550470, "access_level": 10}]});
    assert_eq!(
        post(
            &sim,
            &acct(&sim, "/api_tokens"),
            &project_admin,
            Some(too_far)
        )
        .await,
        forbidden
    );
    assert_eq!(
        delete(&sim, &acct(&sim, "/api_tokens/2490377"), &project_admin).await,
        forbidden
    );
    let (_, tree) = get(&sim, &acct(&sim, "/permissions/resources"), &project_admin).await;
    assert_eq!(tree[0]["access_level"], 1);
    assert_eq!(tree[0]["resources"].as_array().unwrap().len(), 1);
    assert_eq!(tree[0]["resources"][0]["name"], "Storefront");
    assert_eq!(tree[0]["resources"][0]["resources"][1]["name"], "QA");
    let (_, accounts) = get(&sim, "/api/accounts", &project_admin).await;
    assert_eq!(accounts[0]["access_levels"], json!([1]));
}

#[tokio::test]
async fn account_accesses_list_one_access_per_token_without_secrets() {
    let sim = start().await;
    let op = sim.operator_token();
    let (status, accesses) = get(&sim, &acct(&sim, "/account_accesses"), &op).await;
    assert_eq!(status, 200);
    let (_, tokens) = get(&sim, &acct(&sim, "/api_tokens"), &op).await;
    let accesses = accesses.as_array().unwrap();
    let token_accesses: Vec<&Value> = accesses
        .iter()
        .filter(|a| a["specifier_type"] == "ApiToken")
        .collect();
    assert_eq!(token_accesses.len(), tokens.as_array().unwrap().len());
    for t in tokens.as_array().unwrap() {
        let a = token_accesses
            .iter()
            .find(|a| a["specifier"]["id"] == t["id"])
            .unwrap();
        assert_ne!(a["id"], t["id"]);
        assert_eq!(a["specifier"]["name"], t["name"]);
        assert_eq!(a["specifier"]["author_name"], t["created_by"]);
        assert_eq!(a["specifier"]["expires_at"], t["expires_at"]);
        assert_eq!(a["resources"], t["resources"]);
        assert!(a["specifier"].get("token").is_none());
    }
    assert!(accesses.iter().any(|a| a["specifier_type"] == "User"));
    assert!(accesses.iter().any(|a| a["specifier_type"] == "Invite"));
    assert!(!has_secret_shape(
        &serde_json::to_string(&accesses).unwrap()
    ));
    assert_eq!(
        get(&sim, "/api/account_accesses", &viewer(&sim)).await.0,
        403
    );
}

#[tokio::test]
async fn bulk_upserts_destroys_and_refuses_an_empty_token() {
    let sim = start().await;
    let op = sim.operator_token();
    let (_, accesses) = get(&sim, &acct(&sim, "/account_accesses"), &op).await;
    // "Ops mixed access": project admin + sandbox viewer + domain viewer.
    let access_id = accesses
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["specifier"]["id"] == 2491402)
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let path = acct(
        &sim,
        &format!("/account_accesses/{access_id}/permissions/bulk"),
    );
    let body = json!({"permissions": [
        {"resource_id": "2550471", "resource_type": "project", "access_level": "viewer"},
        {"resource_id": "4117908", "resource_type": "sandbox", "_destroy": true},
        {"resource_id": "4117911", "resource_type": "sandbox", "access_level": "100"}
    ]});
    assert_eq!(
        put(&sim, &path, &op, body).await,
        (200, json!({"message": "Permissions have been updated!"}))
    );
    let (_, token) = get(&sim, &acct(&sim, "/api_tokens/2491402"), &op).await;
    assert_eq!(
        token["resources"],
        json!([
            {"resource_type": "project", "resource_id": 2550471, "access_level": 10},
            {"resource_type": "domain", "resource_id": 3300412, "access_level": 10},
            {"resource_type": "sandbox", "resource_id": 4117911, "access_level": 100}
        ])
    );
    let remove_all = json!({"permissions": [
        {"resource_id": "2550471", "resource_type": "project", "_destroy": true},
        {"resource_id": "3300412", "resource_type": "domain", "_destroy": true},
        {"resource_id": "4117911", "resource_type": "sandbox", "_destroy": true}
    ]});
    let (status, body) = put(&sim, &path, &op, remove_all).await;
    assert_eq!(status, 422);
    assert!(body["errors"]["base"].is_array());
    let unknown = acct(&sim, "/account_accesses/1/permissions/bulk");
    let line = json!({"permissions": [{"resource_id": "2550471", "resource_type": "project", "access_level": "admin"}]});
    assert_eq!(
        put(&sim, &unknown, &op, line.clone()).await,
        (404, json!({"error": "Not Found"}))
    );
    let bad_level = json!({"permissions": [{"resource_id": "2550471", "resource_type": "project", "access_level": "owner"}]});
    assert_eq!(put(&sim, &path, &op, bad_level).await.0, 422);
    // The account-less path style works too.
    assert_eq!(
        put(
            &sim,
            &format!("/api/account_accesses/{access_id}/permissions/bulk"),
            &op,
            line
        )
        .await
        .0,
        200
    );
}
