//! Hostile names, creators and account names served by the simulator (created through the API, or in a
//! seed file written at run time) and decoded by the client unchanged; `sanitize` makes each one safe.

use super::{assert_safe, hostile_strings};
use crate::support::*;
use mailtrap_tokens::api::{ApiError, Expiry, NewToken, ResourceNode};
use mailtrap_tokens::sim::seed::EMBEDDED_SEED;
use mailtrap_tokens::sim::{Fault, SimOptions};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// The demo seed with every name a person or server chose replaced by a hostile string (round robin):
/// account, projects, sandboxes, domains, token names and creators, users.
pub fn write_hostile_seed(dir: &Path) -> PathBuf {
    let mut seed: Value = serde_json::from_str(EMBEDDED_SEED).unwrap();
    let hostile = hostile_strings();
    let mut next = hostile.iter().map(|(_, s)| s.clone()).cycle();
    seed["account"]["name"] = Value::String(format!("Acme{}", next.next().unwrap()));
    for project in seed["projects"].as_array_mut().unwrap() {
        project["name"] = Value::String(next.next().unwrap());
        for sandbox in project["sandboxes"].as_array_mut().unwrap() {
            sandbox["name"] = Value::String(next.next().unwrap());
        }
    }
    for domain in seed["domains"].as_array_mut().unwrap() {
        domain["name"] = Value::String(next.next().unwrap());
    }
    for token in seed["tokens"].as_array_mut().unwrap() {
        token["name"] = Value::String(next.next().unwrap());
        token["created_by"] = Value::String(next.next().unwrap());
    }
    for user in seed["users"].as_array_mut().unwrap() {
        user["name"] = Value::String(next.next().unwrap());
    }
    let path = dir.join("hostile-seed.json");
    std::fs::write(&path, serde_json::to_string_pretty(&seed).unwrap()).unwrap();
    path
}

fn probe(account: i64, name: &str) -> NewToken {
    NewToken {
        name: name.into(),
        resources: vec![resource("account", account, 10)],
        expiry: Expiry::Never,
    }
}

#[tokio::test]
async fn hostile_names_created_through_the_api_come_back_unchanged_and_sanitize_safely() {
    let sim = start().await;
    let api = client(&sim);
    let account = sim.account_id();
    let mut made = Vec::new();
    for (label, name) in hostile_strings() {
        let created = api
            .create_token(account, &probe(account, &name))
            .await
            .unwrap_or_else(|e| panic!("{label}: {e}"));
        assert_eq!(created.token.name, name, "{label}");
        made.push((label, created.token.id, name));
    }
    let listed = api.list_tokens(account).await.unwrap();
    for (label, id, name) in made {
        let token = listed.iter().find(|t| t.id == id).expect(label);
        // The model keeps the server's text exactly; making it safe is the drawing side's one call.
        assert_eq!(token.name, name, "{label}");
        assert_safe(label, &token.name);
        assert_safe(label, &token.created_by);
        let one = api.get_token(account, id).await.unwrap();
        assert_eq!(one.name, name, "{label}");
    }
}

#[tokio::test]
async fn a_hostile_seed_decodes_everywhere_and_every_string_sanitizes() {
    let dir = tempfile::tempdir().unwrap();
    let sim = start_with(SimOptions {
        seed: Some(write_hostile_seed(dir.path())),
        frozen_at: Some(frozen_start()),
        ..SimOptions::default()
    })
    .await;
    let api = client(&sim);
    let account = sim.account_id();
    let accounts = api.accounts().await.unwrap();
    assert!(accounts[0].name.contains('\x1b'), "the seed is hostile");
    assert_safe("account", &accounts[0].name);
    let tokens = api.list_tokens(account).await.unwrap();
    assert!(tokens.iter().any(|t| t.name.contains('\x1b')));
    for t in tokens.iter() {
        assert_safe("name", &t.name);
        assert_safe("created_by", &t.created_by);
        assert_safe("last_4_digits", &t.last_4_digits);
    }
    let tree = api.resource_tree(account).await.unwrap();
    let mut names = 0;
    ResourceNode::walk(&tree, |node, _| {
        names += 1;
        assert_safe("tree node", &node.name);
    });
    assert!(names > 3, "{names}");
    for access in api.account_accesses(account).await.unwrap() {
        assert_safe("access specifier", &access.specifier.to_string());
    }
    // The helper for scripts that lists accounts sanitizes too.
    let listing = mailtrap_tokens::cli::session::ambiguous_message(&accounts);
    assert!(!listing.contains('\x1b'), "{listing:?}");
}

#[tokio::test]
async fn names_of_255_characters_are_accepted_and_256_refused_in_words() {
    let sim = start().await;
    let api = client(&sim);
    let account = sim.account_id();
    for long in ["n".repeat(255), "東".repeat(255), "📨".repeat(255)] {
        let created = api
            .create_token(account, &probe(account, &long))
            .await
            .unwrap();
        assert_eq!(created.token.name.chars().count(), 255);
    }
    let err = api
        .create_token(account, &probe(account, &"n".repeat(256)))
        .await
        .unwrap_err();
    assert!(matches!(err, ApiError::Validation { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        "name: is too long (maximum is 255 characters)"
    );
}

#[tokio::test]
async fn a_10_kb_name_and_creator_from_the_server_decode() {
    let sim = start().await;
    let huge = format!("{}\x1b]52;c;AA==\x07", "W".repeat(10 * 1024));
    let body = serde_json::json!([{
        "id": 1, "name": huge, "created_by": huge, "last_4_digits": "ab\x1bc",
        "expires_at": null, "resources": []
    }]);
    sim.inject_fault(Fault {
        method: Some("GET".into()),
        replace_body: Some(body.to_string()),
        ..Fault::default()
    });
    let tokens = client(&sim).list_tokens(sim.account_id()).await.unwrap();
    assert_eq!(tokens[0].name, huge);
    assert_safe("10 KB name", &tokens[0].name);
    assert_safe("10 KB creator", &tokens[0].created_by);
    assert_safe("last 4", &tokens[0].last_4_digits);
}

#[tokio::test]
async fn fifty_thousand_tokens_in_one_list() {
    let sim = start_with(SimOptions {
        extra_tokens: 50_000,
        frozen_at: Some(frozen_start()),
        ..SimOptions::default()
    })
    .await;
    let tokens = client(&sim).list_tokens(sim.account_id()).await.unwrap();
    assert_eq!(tokens.len(), 50_000 + seeded_tokens());
    let mut ids: Vec<i64> = tokens.iter().map(|t| t.id).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 50_000 + seeded_tokens(), "ids are unique");
}
