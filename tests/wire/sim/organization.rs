//! The organization of the embedded seed: Acme Group #88100 with Acme Corp, Acme Labs and Acme Retail EU;
//! which accounts each token sees and at what level, what the organization token may do in each, the
//! sub-accounts API, the resource type aliases, and synthetic accounts.

use crate::support::*;
use mailtrap_tokens::api::Secret;
use mailtrap_tokens::sim::SimOptions;
use serde_json::{Value, json};

const ORG: i64 = 88100;
const CORP: i64 = 1824170;
const LABS: i64 = 1931405;
const RETAIL: i64 = 2047688;

fn org_token(sim: &mailtrap_tokens::sim::RunningSim) -> Secret {
    sim.organization_token()
        .expect("the embedded seed has an organization token")
}

fn forbidden_account() -> Value {
    json!({"errors": "Account access forbidden"})
}

fn forbidden() -> Value {
    json!({"errors": "Access forbidden"})
}

async fn put(
    sim: &mailtrap_tokens::sim::RunningSim,
    path: &str,
    secret: &Secret,
    body: Value,
) -> (u16, Value) {
    let (s, _, v) = call(sim, reqwest::Method::PUT, path, secret, Some(body)).await;
    (s, v)
}

#[tokio::test]
async fn the_seed_holds_three_accounts_in_one_organization() {
    let sim = start().await;
    assert_eq!(sim.organization_id(), Some(ORG));
    assert_eq!(sim.account_ids(), vec![CORP, LABS, RETAIL]);
    assert_eq!(sim.account_id(), CORP);
}

#[tokio::test]
async fn accounts_list_each_account_a_token_sees_with_its_level() {
    let sim = start().await;
    // The operator's view is what it always was.
    assert_eq!(
        get(&sim, "/api/accounts", &sim.operator_token()).await,
        (
            200,
            json!([{"id": CORP, "name": "Acme Corp", "access_levels": [100]}])
        )
    );
    assert_eq!(
        get(&sim, "/api/accounts", &org_token(&sim)).await,
        (
            200,
            json!([
                {"id": CORP, "name": "Acme Corp", "access_levels": [100]},
                {"id": LABS, "name": "Acme Labs", "access_levels": [10]},
                {"id": RETAIL, "name": "Acme Retail EU", "access_levels": []},
            ])
        )
    );
    // A token of Acme Labs with a project only: its home, at the indeterminate level.
    let (_, labs) = sim.issue_token_in(
        LABS,
        "Labs project bot",
        vec![resource("project", 2610101, 100)],
        None,
    );
    assert_eq!(
        get(&sim, "/api/accounts", &labs).await.1,
        json!([{"id": LABS, "name": "Acme Labs", "access_levels": [1]}])
    );
    // One token reaching three accounts at three levels, without an organization resource.
    let (_, wide) = sim.issue_token(
        "Cross-account reporter",
        vec![
            resource("account", CORP, 100),
            resource("account", LABS, 10),
            resource("project", 2720101, 100),
        ],
        None,
    );
    assert_eq!(
        get(&sim, "/api/accounts", &wide).await.1,
        json!([
            {"id": CORP, "name": "Acme Corp", "access_levels": [100]},
            {"id": LABS, "name": "Acme Labs", "access_levels": [10]},
            {"id": RETAIL, "name": "Acme Retail EU", "access_levels": [1]},
        ])
    );
    // Narrow access in Retail: visible, but its token list is not readable.
    let (status, body) = get(&sim, &format!("/api/accounts/{RETAIL}/api_tokens"), &wide).await;
    assert_eq!((status, body), (403, forbidden_account()));
}

#[tokio::test]
async fn the_organization_token_reads_corp_and_labs_writes_only_in_corp_and_cannot_read_retail() {
    let sim = start().await;
    let org = org_token(&sim);
    let op = sim.operator_token();
    let (status, corp) = get(&sim, &format!("/api/accounts/{CORP}/api_tokens"), &org).await;
    assert_eq!(status, 200);
    // The same list the operator gets: the organization's tokens are in no account's list.
    assert_eq!(corp, get(&sim, &acct(&sim, "/api_tokens"), &op).await.1);
    assert_eq!(corp.as_array().unwrap().len(), seeded_tokens());
    assert!(!corp.to_string().contains("Org inventory console"));

    let (status, labs) = get(&sim, &format!("/api/accounts/{LABS}/api_tokens"), &org).await;
    assert_eq!(status, 200);
    let names: Vec<&str> = labs
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 6, "{names:?}");
    assert!(names.contains(&"labs.acme.example token 2470311"));
    // A Labs token is not found through Corp's path.
    assert_eq!(
        get(
            &sim,
            &format!("/api/accounts/{CORP}/api_tokens/2470140"),
            &org
        )
        .await
        .0,
        404
    );
    // Viewer in Labs: every write is refused.
    let create = json!({"name": "x", "resources": [{"resource_type": "account", "resource_id": LABS, "access_level": 10}]});
    let labs_path = |rest: &str| format!("/api/accounts/{LABS}{rest}");
    assert_eq!(
        post(&sim, &labs_path("/api_tokens"), &org, Some(create)).await,
        (403, forbidden())
    );
    assert_eq!(
        post(&sim, &labs_path("/api_tokens/2470170/reset"), &org, None).await,
        (403, forbidden())
    );
    assert_eq!(
        delete(&sim, &labs_path("/api_tokens/2470155"), &org).await,
        (403, forbidden())
    );
    assert_eq!(
        get(&sim, &labs_path("/account_accesses"), &org).await,
        (403, forbidden())
    );
    // Seen through the organization only: 403 on the token list, the tree, and every write.
    let retail_path = |rest: &str| format!("/api/accounts/{RETAIL}{rest}");
    for path in [
        "/api_tokens",
        "/api_tokens/2480101",
        "/permissions/resources",
    ] {
        assert_eq!(
            get(&sim, &retail_path(path), &org).await,
            (403, forbidden_account()),
            "{path}"
        );
    }
    assert_eq!(
        delete(&sim, &retail_path("/api_tokens/2480101"), &org).await,
        (403, forbidden())
    );
    // An account that does not exist, and the account-less paths (an organization token has no home).
    assert_eq!(
        get(&sim, "/api/accounts/1/api_tokens", &org).await,
        (403, forbidden_account())
    );
    assert_eq!(
        get(&sim, "/api/api_tokens", &org).await,
        (403, forbidden_account())
    );
    // Admin in Corp: it creates there, with Corp's resources only.
    let in_corp = json!({"name": "made by the org", "resources": [{"resource_type": "project", "resource_id": 2550469, "access_level": 10}]});
    let (status, made) = post(
        &sim,
        &format!("/api/accounts/{CORP}/api_tokens"),
        &org,
        Some(in_corp),
    )
    .await;
    assert_eq!(status, 200, "{made}");
    assert_eq!(made["created_by"], "Org inventory console");
    let elsewhere = json!({"name": "x", "resources": [{"resource_type": "project", "resource_id": 2610101, "access_level": 10}]});
    assert_eq!(
        post(
            &sim,
            &format!("/api/accounts/{CORP}/api_tokens"),
            &org,
            Some(elsewhere)
        )
        .await,
        (403, forbidden())
    );
    // The operator, admin of Corp only, cannot see Labs at all.
    assert_eq!(
        get(&sim, &labs_path("/api_tokens"), &op).await,
        (403, forbidden_account())
    );
}

#[tokio::test]
async fn ids_are_unique_across_accounts_and_the_tree_is_per_account() {
    let sim = start().await;
    let (labs_id, labs) = sim.issue_token_in(
        LABS,
        "Labs admin",
        vec![resource("account", LABS, 100)],
        None,
    );
    let (corp_id, _) = sim.issue_token("Corp admin", vec![resource("account", CORP, 100)], None);
    assert_eq!(corp_id, labs_id + 1);
    let (status, tree) = get(&sim, "/api/permissions/resources", &labs).await;
    assert_eq!(status, 200);
    assert_eq!(tree[0]["id"], LABS);
    assert_eq!(tree[0]["access_level"], 100);
    let names: Vec<&str> = tree[0]["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "Lab experiments",
            "Data pipeline",
            "labs.acme.example",
            "notify.labs.acme.example"
        ]
    );
    // Its accesses: Labs' user and Labs' tokens only, with access ids of their own.
    let (status, accesses) = get(&sim, "/api/account_accesses", &labs).await;
    assert_eq!(status, 200);
    let accesses = accesses.as_array().unwrap();
    assert_eq!(accesses.len(), 1 + 6 + 1, "{accesses:?}");
    assert!(
        accesses
            .iter()
            .any(|a| a["specifier"]["name"] == "Ravi Chandran")
    );
    // The last domain token rule counts Labs' tokens.
    let (status, body) = delete(&sim, "/api/api_tokens/2470311", &labs).await;
    assert_eq!(status, 422, "{body}");
    assert!(body.to_string().contains("labs.acme.example"));
}

#[tokio::test]
async fn sub_accounts_list_and_create() {
    let sim = start().await;
    let org = org_token(&sim);
    let path = format!("/api/organizations/{ORG}/sub_accounts");
    assert_eq!(
        get(&sim, &path, &org).await,
        (
            200,
            json!([
                {"id": CORP, "name": "Acme Corp"},
                {"id": LABS, "name": "Acme Labs"},
                {"id": RETAIL, "name": "Acme Retail EU"},
            ])
        )
    );
    // Without an organization resource, or for another organization: 403 Access forbidden.
    assert_eq!(
        get(&sim, &path, &sim.operator_token()).await,
        (403, forbidden())
    );
    assert_eq!(
        get(&sim, "/api/organizations/1/sub_accounts", &org).await,
        (403, forbidden())
    );
    // Creating needs the organization at admin; the seed's token is a viewer of it.
    let new = json!({"account": {"name": "Acme Ventures"}});
    assert_eq!(
        post(&sim, &path, &org, Some(new.clone())).await,
        (403, forbidden())
    );
    let (_, org_admin) =
        sim.issue_token("Org admin", vec![resource("organization", ORG, 100)], None);
    let (status, made) = post(&sim, &path, &org_admin, Some(new)).await;
    assert_eq!(status, 200, "{made}");
    assert_eq!(made, json!({"id": RETAIL + 1, "name": "Acme Ventures"}));
    assert_eq!(sim.account_ids(), vec![CORP, LABS, RETAIL, RETAIL + 1]);
    for blank in [
        json!({"account": {"name": "  "}}),
        json!({"account": {}}),
        json!({}),
    ] {
        assert_eq!(
            post(&sim, &path, &org_admin, Some(blank)).await,
            (422, json!({"errors": {"name": ["can't be blank"]}}))
        );
    }
    let (status, _, _) = call(&sim, reqwest::Method::DELETE, &path, &org_admin, None).await;
    assert_eq!(status, 405);
    // The new account is empty, seen through the organization by the organization token.
    let (_, accounts) = get(&sim, "/api/accounts", &org).await;
    assert_eq!(
        accounts[3],
        json!({"id": RETAIL + 1, "name": "Acme Ventures", "access_levels": []})
    );
    let (_, listed) = get(&sim, &path, &org).await;
    assert_eq!(listed.as_array().unwrap().len(), 4);
}

#[tokio::test]
async fn older_resource_type_names_are_accepted_and_answered_with_the_newer_ones() {
    let sim = start().await;
    let op = sim.operator_token();
    let body = json!({"name": "aliases", "resources": [
        {"resource_type": "inbox", "resource_id": 4117908, "access_level": 10},
        {"resource_type": "mailsend_domain", "resource_id": 3300413, "access_level": 10}]});
    let (status, made) = post(&sim, &acct(&sim, "/api_tokens"), &op, Some(body)).await;
    assert_eq!(status, 200, "{made}");
    let types: Vec<&str> = made["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["resource_type"].as_str().unwrap())
        .collect();
    assert_eq!(types, ["sandbox", "domain"]);
    let id = made["id"].as_i64().unwrap();
    let (_, accesses) = get(&sim, &acct(&sim, "/account_accesses"), &op).await;
    let access = accesses
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["specifier"]["id"] == id)
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let bulk = json!({"permissions": [
        {"resource_type": "sending_domain", "resource_id": "3300413", "access_level": "admin"},
        {"resource_type": "inbox", "resource_id": "4117907", "access_level": "viewer"}]});
    let (status, _) = put(
        &sim,
        &acct(
            &sim,
            &format!("/account_accesses/{access}/permissions/bulk"),
        ),
        &op,
        bulk,
    )
    .await;
    assert_eq!(status, 200);
    let (_, token) = get(&sim, &acct(&sim, &format!("/api_tokens/{id}")), &op).await;
    assert_eq!(
        token["resources"],
        json!([
            {"resource_type": "sandbox", "resource_id": 4117908, "access_level": 10},
            {"resource_type": "domain", "resource_id": 3300413, "access_level": 100},
            {"resource_type": "sandbox", "resource_id": 4117907, "access_level": 10},
        ])
    );
}

#[tokio::test]
async fn the_rate_limit_is_per_token_across_accounts() {
    let sim = start_with(SimOptions {
        frozen_at: Some(frozen_start()),
        rate_limit: 4,
        ..SimOptions::default()
    })
    .await;
    let org = org_token(&sim);
    for account in [CORP, LABS, CORP, LABS] {
        let path = format!("/api/accounts/{account}/api_tokens");
        assert_eq!(get(&sim, &path, &org).await.0, 200);
    }
    let (status, _) = get(&sim, &format!("/api/accounts/{LABS}/api_tokens"), &org).await;
    assert_eq!(status, 429);
    // Another token has its own window.
    assert_eq!(
        get(&sim, "/api/accounts", &sim.operator_token()).await.0,
        200
    );
}

#[tokio::test]
async fn synthetic_accounts_join_the_organization_with_their_tokens() {
    let sim = start_with(SimOptions {
        frozen_at: Some(frozen_start()),
        synthetic_accounts: 3,
        tokens_per_synthetic_account: 5,
        extra_tokens: 2,
        ..SimOptions::default()
    })
    .await;
    let ids = sim.account_ids();
    assert_eq!(ids.len(), 6);
    let org = org_token(&sim);
    let (_, accounts) = get(&sim, "/api/accounts", &org).await;
    for (k, id) in ids[3..].iter().enumerate() {
        let listed = accounts
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["id"] == *id)
            .unwrap();
        assert_eq!(listed["name"], format!("Synthetic account {}", k + 1));
        assert_eq!(listed["access_levels"], json!([100]));
        let (status, tokens) = get(&sim, &format!("/api/accounts/{id}/api_tokens"), &org).await;
        assert_eq!(status, 200);
        assert_eq!(tokens.as_array().unwrap().len(), 5);
    }
    // `extra_tokens` still go to the first account only.
    let (_, corp) = get(&sim, &acct(&sim, "/api_tokens"), &sim.operator_token()).await;
    assert_eq!(corp.as_array().unwrap().len(), seeded_tokens() + 2);

    // A seed without an organization gets one, and an organization token for it.
    let dir = tempfile::tempdir().unwrap();
    let seed = dir.path().join("one.json");
    std::fs::write(
        &seed,
        r#"{"account": {"id": 7, "name": "Solo"}, "owner_name": "O", "operator_token_id": 3,
            "tokens": [{"id": 3, "name": "op", "created_by": "O",
              "resources": [{"resource_type": "account", "resource_id": 7, "access_level": 100}]}]}"#,
    )
    .unwrap();
    let solo = start_with(SimOptions {
        seed: Some(seed),
        synthetic_accounts: 2,
        tokens_per_synthetic_account: 1,
        ..SimOptions::default()
    })
    .await;
    let org = solo.organization_token().expect("an organization token");
    let organization = solo.organization_id().expect("an organization");
    assert_eq!(solo.account_ids(), vec![7, 8, 9]);
    let (status, subs) = get(
        &solo,
        &format!("/api/organizations/{organization}/sub_accounts"),
        &org,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(subs.as_array().unwrap().len(), 3);
    // Without synthetic accounts a seed without an organization has none.
    let plain = start_with(SimOptions {
        seed: Some(dir.path().join("one.json")),
        ..SimOptions::default()
    })
    .await;
    assert_eq!(plain.organization_id(), None);
    assert!(plain.organization_token().is_none());
}
