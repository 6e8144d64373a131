//! Every endpoint of the client, answered by the simulator.

use crate::support::*;
use chrono::Duration;
use mailtrap_tokens::api::{
    AccessLevel, Expiry, NewToken, PermissionChange, ResourceKind, ResourceNode, ResourceType,
};

#[tokio::test]
async fn accounts_list_and_get() {
    let sim = start().await;
    let api = client(&sim);
    let accounts = api.accounts().await.unwrap();
    assert_eq!(accounts.len(), 1);
    assert_eq!(accounts[0].name, "Acme Corp");
    assert_eq!(accounts[0].access_levels, vec![AccessLevel::ADMIN]);
    let account = accounts[0].id;
    let tokens = api.list_tokens(account).await.unwrap();
    assert_eq!(tokens.len(), seeded_tokens());
    let operator = tokens
        .iter()
        .find(|t| t.name == "Operator console")
        .unwrap();
    assert_eq!(operator.expires_at, None);
    assert_eq!(operator.last_4_digits, sim.operator_token().last4());
    let expired = tokens.iter().find(|t| t.id == 2491471).unwrap();
    assert!(expired.expires_at.unwrap() < sim.now());
    let one = api.get_token(account, 2491402).await.unwrap();
    assert_eq!(one.name, "Ops mixed access");
    assert_eq!(one.resources.len(), 3);
    assert_eq!(one.resources[2].resource_type.kind(), ResourceKind::Domain);
    assert_eq!(api.rate_remaining(), Some(147));
}

#[tokio::test]
async fn list_and_get_answers_keep_the_text_the_server_sent() {
    let sim = start().await;
    let api = client(&sim);
    let account = sim.account_id();
    let extra: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(r#"{"future":{"nested":[1,"x"]},"last_used_at":null}"#).unwrap();
    sim.inject_fault(mailtrap_tokens::sim::Fault {
        method: Some("GET".into()),
        path: Some("/api_tokens".into()),
        count: 2,
        extra_fields: Some(extra.clone()),
        ..Default::default()
    });
    let answer = api.token_list_answer(account).await.unwrap();
    let mut handed = 0;
    let unreadable = answer
        .decode_with(AsSent, |made| {
            for (token, sent) in made.drain(..) {
                let sent: serde_json::Value = serde_json::from_str(&sent).unwrap();
                assert_eq!(sent["id"], token.id);
                assert_eq!(sent["name"], token.name.as_str());
                assert_eq!(sent["future"], extra["future"]);
                assert!(sent["last_used_at"].is_null() && sent.get("last_used_at").is_some());
                handed += 1;
            }
            Ok(())
        })
        .await
        .unwrap();
    assert!(unreadable.is_empty());
    assert_eq!(handed, seeded_tokens());
    let one = api.token_answer(account, 2491402).await.unwrap();
    assert_eq!(one.token.name, "Ops mixed access");
    let sent: serde_json::Value = serde_json::from_str(one.sent().expect("UTF-8")).unwrap();
    assert_eq!(sent["future"], extra["future"]);
    assert_eq!(sent["resources"].as_array().map(Vec::len), Some(3));
    // An unknown id is the same error as `get_token`'s.
    assert_eq!(
        api.token_answer(account, i64::MAX)
            .await
            .err()
            .map(|e| e.to_string()),
        api.get_token(account, i64::MAX)
            .await
            .err()
            .map(|e| e.to_string())
    );
}

#[tokio::test]
async fn create_with_each_expiry_then_reset_and_delete() {
    let sim = start().await;
    let api = client(&sim);
    let account = sim.account_id();
    let at = sim.now() + Duration::days(30);
    let mut made = Vec::new();
    for (expiry, expected) in [
        (Expiry::ServerDefault, Some(sim.now() + Duration::days(365))),
        (Expiry::Never, None),
        (Expiry::At(at), Some(at)),
    ] {
        let new = NewToken {
            name: "Client made".into(),
            resources: vec![
                resource("project", 2550469, 10),
                resource("sandbox", 4117911, 100),
            ],
            expiry,
        };
        let created = api.create_token(account, &new).await.unwrap();
        assert_eq!(created.token.expires_at, expected);
        assert_eq!(created.token.created_by, "Operator console");
        assert_eq!(created.token.resources.as_slice(), new.resources.as_slice());
        assert_eq!(created.secret.expose_secret().len(), 32);
        assert_eq!(created.token.last_4_digits, created.secret.last4());
        // The new secret works.
        let own = client_as(&sim, created.secret.clone());
        assert_eq!(
            own.list_tokens(account).await.unwrap().len(),
            seeded_tokens() + made.len() + 1
        );
        made.push(created);
    }
    let first = &made[0];
    let reset = api
        .reset_token(account, first.token.id, Expiry::Never)
        .await
        .unwrap();
    assert!(reset.token.id > first.token.id);
    assert_eq!(reset.token.name, format!("Client made {}", reset.token.id));
    assert_eq!(reset.token.expires_at, None);
    assert_ne!(reset.secret, first.secret);
    let old = api.get_token(account, first.token.id).await.unwrap();
    assert_eq!(old.expires_at, Some(sim.now() + Duration::hours(12)));
    let default_reset = api
        .reset_token(account, made[1].token.id, Expiry::ServerDefault)
        .await
        .unwrap();
    assert_eq!(
        default_reset.token.expires_at,
        Some(sim.now() + Duration::days(365))
    );
    api.delete_token(account, reset.token.id).await.unwrap();
    assert!(matches!(
        api.get_token(account, reset.token.id).await,
        Err(mailtrap_tokens::api::ApiError::NotFound)
    ));
    // The reset body: none at all for the server default, as production expects.
    let log = sim.requests();
    assert!(
        log.iter()
            .filter(|r| r.path.ends_with("/reset"))
            .all(|r| r.status == 200)
    );
}

#[tokio::test]
async fn accesses_bulk_update_and_resource_tree() {
    let sim = start().await;
    let api = client(&sim);
    let account = sim.account_id();
    let accesses = api.account_accesses(account).await.unwrap();
    let access = accesses
        .iter()
        .find(|a| a.api_token_id() == Some(2491255))
        .unwrap();
    assert_eq!(access.specifier["name"], "Staging sandbox reader");
    assert!(accesses.iter().any(|a| a.specifier_type == "User"));
    let changes = [
        PermissionChange {
            resource_type: ResourceType::new("sandbox"),
            resource_id: 4117907,
            access_level: Some(AccessLevel::ADMIN),
        },
        PermissionChange {
            resource_type: ResourceType::new("domain"),
            resource_id: 3300414,
            access_level: Some(AccessLevel::VIEWER),
        },
    ];
    api.update_permissions(account, access.id, &changes)
        .await
        .unwrap();
    let token = api.get_token(account, 2491255).await.unwrap();
    assert_eq!(
        token.resources.as_slice(),
        [
            resource("sandbox", 4117907, 100),
            resource("domain", 3300414, 10)
        ]
    );
    let removal = [PermissionChange {
        resource_type: ResourceType::new("domain"),
        resource_id: 3300414,
        access_level: None,
    }];
    api.update_permissions(account, access.id, &removal)
        .await
        .unwrap();
    assert_eq!(
        api.get_token(account, 2491255)
            .await
            .unwrap()
            .resources
            .len(),
        1
    );

    let tree = api.resource_tree(account).await.unwrap();
    let mut seen = Vec::new();
    ResourceNode::walk(&tree, |node, depth| {
        seen.push((depth, node.name.clone(), node.resource_type.kind()))
    });
    assert_eq!(seen[0], (0, "Account".to_string(), ResourceKind::Account));
    assert!(seen.contains(&(1, "Storefront".to_string(), ResourceKind::Project)));
    assert!(seen.contains(&(2, "Campaign previews".to_string(), ResourceKind::Sandbox)));
    assert!(seen.contains(&(1, "mail.acme.example".to_string(), ResourceKind::Domain)));
}

#[tokio::test]
async fn a_long_list_is_collected_whole_and_in_order_into_room_taken_ahead() {
    let sim = start_with(mailtrap_tokens::sim::SimOptions {
        extra_tokens: 20_000,
        ..mailtrap_tokens::sim::SimOptions::default()
    })
    .await;
    let api = client(&sim);
    let account = sim.account_id();
    let collected = api.list_tokens(account).await.unwrap();
    // The same answer read batch by batch into a list grown as it comes, as a reference.
    let mut reference = Vec::new();
    let unreadable = api
        .token_list_answer(account)
        .await
        .unwrap()
        .decode_with(mailtrap_tokens::api::Made(|token| token), |batch| {
            reference.append(batch);
            Ok::<(), std::convert::Infallible>(())
        })
        .await
        .unwrap();
    assert!(unreadable.is_empty());
    assert_eq!(collected.len(), seeded_tokens() + 20_000);
    assert!(
        collected.iter().eq(reference.iter()),
        "the same tokens in the same order"
    );
}
