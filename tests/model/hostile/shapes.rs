//! Odd shapes from the server, served through the simulator's `replace_body` fault and decoded by the
//! client: unknown types and levels, empty and deeply nested resources, odd dates, huge ids, extra fields.

use crate::support::*;
use mailtrap_tokens::api::{
    AccessLevel, ApiError, ResourceKind, ResourceNode, Scalar, TokenList, UnreadableToken,
};
use mailtrap_tokens::sim::{Fault, RunningSim};
use serde_json::{Value, json};

/// Serves `body` as the answer to the next GET, through the real HTTP path.
fn serve_next(sim: &RunningSim, body: &str) {
    sim.inject_fault(Fault {
        method: Some("GET".into()),
        replace_body: Some(body.to_string()),
        ..Fault::default()
    });
}

fn token(extra: Value) -> Value {
    let mut t = json!({
        "id": 7, "name": "n", "last_4_digits": "abcd", "created_by": "c",
        "expires_at": null, "resources": [],
    });
    for (k, v) in extra.as_object().unwrap() {
        t[k] = v.clone();
    }
    t
}

async fn list_of(sim: &RunningSim, tokens: Vec<Value>) -> Result<TokenList, ApiError> {
    serve_next(sim, &Value::Array(tokens).to_string());
    client(sim).list_tokens(sim.account_id()).await
}

#[tokio::test]
async fn unknown_resource_types_and_numeric_levels_are_kept() {
    let sim = start().await;
    let tokens = list_of(
        &sim,
        vec![token(json!({"resources": [
            {"resource_type": "quantum_widget", "resource_id": 5, "access_level": 77},
            {"resource_type": "", "resource_id": "6", "access_level": -1},
            {"resource_type": "\u{1b}[31m", "resource_id": 7, "access_level": 0},
        ]}))],
    )
    .await
    .unwrap();
    let r = &tokens[0].resources;
    assert_eq!(r[0].resource_type.kind(), ResourceKind::Other);
    assert_eq!(r[0].access_level.to_string(), "level 77");
    assert_eq!(r[1].resource_id, 6);
    assert_eq!(r[1].access_level, AccessLevel(-1));
    super::assert_safe("resource type", r[2].resource_type.as_str());
}

#[tokio::test]
async fn an_unknown_textual_level_and_a_non_numeric_resource_id_are_kept_as_sent() {
    let sim = start().await;
    let list = list_of(
        &sim,
        vec![
            token(json!({"id": 1, "resources": [
                {"resource_type": "account", "resource_id": 1, "access_level": "superuser"},
                {"resource_type": "account", "resource_id": 1, "access_level": 100},
            ]})),
            token(json!({"id": 2, "resources": [
                {"resource_type": "project", "resource_id": "proj-7", "access_level": "viewer"},
                {"resource_type": "sandbox", "resource_id": 18446744073709551615_u64, "access_level": 10},
            ]})),
            token(json!({"id": 3})),
        ],
    )
    .await
    .unwrap();
    assert!(list.unreadable.is_empty(), "{:?}", list.unreadable);
    assert_eq!(list.len(), 3, "every token is a row");
    let [first, second, third] = &list.tokens[..] else {
        panic!("{list:?}")
    };
    assert_eq!(first.resources[0].access_level, AccessLevel::ADMIN);
    assert_eq!(
        first.opaque_resources[0].access_level,
        Scalar::Text("superuser".into())
    );
    assert_eq!(first.opaque_resources[0].resource_id, Scalar::Int(1));
    assert!(second.resources.is_empty());
    assert_eq!(
        second.opaque_resources[0].resource_id,
        Scalar::Text("proj-7".into())
    );
    assert_eq!(
        second.opaque_resources[1].resource_id,
        Scalar::Text("18446744073709551615".into())
    );
    assert_eq!(third.id, 3);
    // JSON output gives them back in `resources`, as they came.
    let back = serde_json::to_value(second).unwrap();
    assert_eq!(
        back["resources"],
        json!([
            {"resource_type": "project", "resource_id": "proj-7", "access_level": "viewer"},
            {"resource_type": "sandbox", "resource_id": "18446744073709551615", "access_level": 10},
        ])
    );
}

/// The one unreadable token of a list of a good token, the bad one and another good one.
async fn the_odd_one_out(sim: &RunningSim, bad: Value) -> UnreadableToken {
    let list = list_of(
        sim,
        vec![
            token(json!({"id": 100, "name": "before"})),
            bad.clone(),
            token(json!({"id": 101, "name": "after"})),
        ],
    )
    .await
    .unwrap_or_else(|e| panic!("{bad}: the whole list failed: {e}"));
    let names: Vec<&str> = list.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["before", "after"], "{bad}");
    let [one] = &list.unreadable[..] else {
        panic!("{bad}: {:?}", list.unreadable)
    };
    assert_eq!(one.position, 1);
    assert!(!one.to_string().chars().any(char::is_control), "{one}");
    one.clone()
}

#[tokio::test]
async fn empty_and_missing_resources_and_fields() {
    let sim = start().await;
    let tokens = list_of(
        &sim,
        vec![
            token(json!({"resources": []})),
            json!({"id": 8, "name": "bare"}),
            token(json!({"created_by": "", "last_4_digits": ""})),
        ],
    )
    .await
    .unwrap();
    assert!(tokens.iter().all(|t| t.resources.is_empty()));
    assert_eq!(tokens[1].created_by, "");
    assert_eq!(tokens[1].expires_at, None);
    // An empty list and an empty tree are answers too.
    assert!(list_of(&sim, vec![]).await.unwrap().is_empty());
    serve_next(&sim, "[]");
    assert!(
        client(&sim)
            .resource_tree(sim.account_id())
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn expiry_dates_with_offsets_fractions_and_far_ends() {
    let sim = start().await;
    let cases = [
        ("2027-06-01T02:00:00+02:00", "2027-06-01T00:00:00+00:00"),
        ("2027-06-01T00:00:00-11:30", "2027-06-01T11:30:00+00:00"),
        (
            "2027-06-01T00:00:00.123456789Z",
            "2027-06-01T00:00:00.123456789+00:00",
        ),
        ("2027-06-01t00:00:00z", "2027-06-01T00:00:00+00:00"),
        ("9999-12-31T23:59:59Z", "9999-12-31T23:59:59+00:00"),
        ("0001-01-01T00:00:00Z", "0001-01-01T00:00:00+00:00"),
        ("1970-01-01T00:00:00Z", "1970-01-01T00:00:00+00:00"),
        (" 2027-06-01T00:00:00Z ", "2027-06-01T00:00:00+00:00"),
    ];
    let tokens: Vec<Value> = cases
        .iter()
        .enumerate()
        .map(|(i, (text, _))| token(json!({"id": i, "expires_at": text})))
        .collect();
    let decoded = list_of(&sim, tokens).await.unwrap();
    for ((text, want), t) in cases.iter().zip(&decoded) {
        assert_eq!(t.expires_at.unwrap().to_rfc3339(), *want, "{text}");
    }
    // Dates chrono cannot hold, or that are not RFC 3339, are decode errors that name the field.
    // Dates chrono cannot hold, or that are not RFC 3339: that token cannot be read, and says so naming
    // the field; the tokens beside it still arrive.
    for bad in [
        "10000-01-01T00:00:00Z",
        "2027-13-01T00:00:00Z",
        "2027-06-01",
        "tomorrow",
        "2027-06-01T00:00:00+25:00",
    ] {
        let odd = the_odd_one_out(&sim, token(json!({"expires_at": bad}))).await;
        assert!(odd.reason.contains("expires_at"), "{bad}: {odd}");
        assert_eq!((odd.id, odd.name.as_deref()), (Some(7), Some("n")));
    }
    let odd = the_odd_one_out(&sim, token(json!({"expires_at": 1_800_000_000}))).await;
    assert!(odd.reason.contains("invalid type"), "{odd}");
}

#[tokio::test]
async fn ids_near_i64_max_and_beyond() {
    let sim = start().await;
    let max = i64::MAX;
    let tokens = list_of(
        &sim,
        vec![token(json!({"id": max, "resources": [
            {"resource_type": "account", "resource_id": max.to_string(), "access_level": 100},
            {"resource_type": "project", "resource_id": i64::MIN, "access_level": 10},
        ]}))],
    )
    .await
    .unwrap();
    assert_eq!(tokens[0].id, max);
    assert_eq!(tokens[0].resources[0].resource_id, max);
    assert_eq!(tokens[0].resources[1].resource_id, i64::MIN);
    for too_big in ["9223372036854775808", "1e20", "-9223372036854775809"] {
        let bad: Value =
            serde_json::from_str(&format!(r#"{{"id":{too_big},"name":"x"}}"#)).unwrap();
        let odd = the_odd_one_out(&sim, bad).await;
        assert_eq!(
            (odd.id, odd.name.as_deref()),
            (None, Some("x")),
            "{too_big}"
        );
        assert!(odd.reason.contains("invalid"), "{too_big}: {odd}");
    }
    // Paths with the largest id are well-formed requests (a 404 from the server, not a client error).
    let err = client(&sim)
        .get_token(sim.account_id(), max)
        .await
        .unwrap_err();
    assert_eq!(err, ApiError::NotFound);
}

#[tokio::test]
async fn extra_unknown_fields_are_ignored_at_every_level() {
    let sim = start().await;
    let tokens = list_of(
        &sim,
        vec![token(json!({
            "future_field": {"nested": [1, 2, {"deep": null}]},
            "token": "not-a-secret-in-a-list",
            "resources": [{"resource_type": "account", "resource_id": 1, "access_level": 100,
                           "inherited": true, "scope": ["x"]}],
        }))],
    )
    .await
    .unwrap();
    assert_eq!(tokens[0].resources[0].access_level, AccessLevel::ADMIN);
    serve_next(
        &sim,
        r#"[{"id":1,"name":"Acme","access_levels":[1000],"plan":{"tier":"x"}}]"#,
    );
    assert_eq!(client(&sim).accounts().await.unwrap()[0].name, "Acme");
}

fn nested_tree(depth: usize) -> String {
    let mut text = String::new();
    for i in 0..depth {
        text.push_str(&format!(
            r#"[{{"id":{i},"name":"level {i}","type":"project","access_level":100,"resources":"#
        ));
    }
    text.push_str("[]");
    for _ in 0..depth {
        text.push_str("}]");
    }
    text
}

#[tokio::test]
async fn a_tree_ten_thousand_levels_deep_is_a_decode_error_not_a_crash() {
    let sim = start().await;
    serve_next(&sim, &nested_tree(10_000));
    let err = client(&sim)
        .resource_tree(sim.account_id())
        .await
        .unwrap_err();
    let ApiError::Decode {
        status: 200,
        excerpt,
    } = &err
    else {
        panic!("{err:?}")
    };
    assert!(excerpt.contains("recursion limit"), "{excerpt}");
    assert!(err.to_string().len() < 400, "the message stays short");
}

#[tokio::test]
async fn a_tree_sixty_levels_deep_and_ten_thousand_wide_decodes_and_walks() {
    let sim = start().await;
    serve_next(&sim, &nested_tree(60));
    let tree = client(&sim).resource_tree(sim.account_id()).await.unwrap();
    let mut deepest = 0;
    ResourceNode::walk(&tree, |_, depth| deepest = deepest.max(depth));
    assert_eq!(deepest, 59);
    let wide: Vec<Value> = (0..10_000)
        .map(|i| json!({"id": i, "name": format!("sandbox {i}"), "type": "sandbox", "access_level": 100}))
        .collect();
    serve_next(
        &sim,
        &json!([{"id": 1, "name": "Account", "type": "account", "access_level": 100, "resources": wide}])
            .to_string(),
    );
    let tree = client(&sim).resource_tree(sim.account_id()).await.unwrap();
    let mut count = 0;
    ResourceNode::walk(&tree, |_, _| count += 1);
    assert_eq!(count, 10_001);
}

#[tokio::test]
async fn a_deep_tree_built_in_memory_walks_without_recursion() {
    // Decoding stops at 128 levels, but a tree built by code can be any depth: walking must not recurse.
    let mut node = ResourceNode {
        id: 0,
        name: "leaf".into(),
        resource_type: mailtrap_tokens::api::ResourceType::new("sandbox"),
        access_level: AccessLevel::ADMIN,
        resources: vec![],
    };
    for i in 1..100_000 {
        node = ResourceNode {
            id: i,
            name: String::new(),
            resource_type: mailtrap_tokens::api::ResourceType::new("project"),
            access_level: AccessLevel::ADMIN,
            resources: vec![node],
        };
    }
    let roots = vec![node];
    let mut deepest = 0;
    ResourceNode::walk(&roots, |_, depth| deepest = deepest.max(depth));
    assert_eq!(deepest, 99_999);
    // Dropping a 100,000-deep tree recurses in the compiler's drop glue: take it apart by hand.
    let mut stack = roots;
    while let Some(mut n) = stack.pop() {
        stack.append(&mut n.resources);
    }
}

#[tokio::test]
async fn tokens_without_an_id_or_a_name_are_unreadable_rows() {
    let sim = start().await;
    let odd = the_odd_one_out(&sim, json!({"id": "seven", "name": "x"})).await;
    assert_eq!((odd.id, odd.name.as_deref()), (None, Some("x")));
    let odd = the_odd_one_out(&sim, json!({"id": 1})).await;
    assert_eq!((odd.id, odd.name.as_deref()), (Some(1), None));
    assert!(odd.reason.contains("missing field `name`"), "{odd}");
    let odd = the_odd_one_out(&sim, json!(42)).await;
    assert!(odd.reason.contains("invalid type"), "{odd}");
    let odd = the_odd_one_out(
        &sim,
        token(json!({"resources": [{"resource_type": "account", "resource_id": null, "access_level": 100}]})),
    )
    .await;
    assert!(
        odd.reason.contains("resource_id") || odd.reason.contains("null"),
        "{odd}"
    );
}

#[tokio::test]
async fn answers_of_the_wrong_shape_are_decode_errors() {
    let sim = start().await;
    for body in [
        r#"{"data": []}"#,
        "null",
        r#""a string""#,
        "[1, 2",
        "\u{feff}[]",
    ] {
        serve_next(&sim, body);
        let err = client(&sim)
            .list_tokens(sim.account_id())
            .await
            .unwrap_err();
        assert!(matches!(err, ApiError::Decode { .. }), "{body}: {err:?}");
        assert!(!err.to_string().chars().any(char::is_control));
    }
}

#[tokio::test]
async fn tokens_shorter_than_the_room_taken_ahead_allows_are_all_kept_in_order() {
    // Room is taken for the announced length ÷ 64 bytes a token; these are 20-odd bytes each, so the
    // list outgrows it and moves while it is read.
    let sim = start().await;
    let body = format!(
        "[{}]",
        (1..=40_000)
            .map(|id| format!(r#"{{"id":{id},"name":"t"}}"#))
            .collect::<Vec<_>>()
            .join(",")
    );
    serve_next(&sim, &body);
    let list = client(&sim).list_tokens(sim.account_id()).await.unwrap();
    assert_eq!(list.len(), 40_000);
    assert!(list.iter().map(|t| t.id).eq(1..=40_000));
    assert!(list.unreadable.is_empty());
}
