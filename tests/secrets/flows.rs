//! Every client flow with logging at `trace`, through the project's own log file: create, reset, get, list,
//! verify with the new secret, delete, permission update, and error paths whose bodies hold a secret.

use crate::assert_no_secret;
use crate::support::*;
use mailtrap_tokens::api::{
    AccessLevel, ApiError, CreatedToken, Expiry, NewToken, PermissionChange, ResourceType, Secret,
};
use mailtrap_tokens::config::logging::init_logging_at;
use mailtrap_tokens::sim::{DropPoint, Fault, FaultBody};

fn probe(account: i64, name: &str) -> NewToken {
    NewToken {
        name: name.into(),
        resources: vec![resource("account", account, 100)],
        expiry: Expiry::Never,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_flow_at_trace_level_keeps_secrets_out_of_the_log_debug_and_errors() {
    let dir = tempfile::tempdir().unwrap();
    let log_path = dir.path().join("state").join("mailtrap-tokens.log");
    // The one global subscriber of this test binary: the real log file, at its most verbose.
    let log = init_logging_at(&log_path, Some("trace")).expect("logging starts");
    tracing::trace!("trace level is on");

    let sim = start().await;
    let account = sim.account_id();
    let operator = sim.operator_token();
    let api = client(&sim);
    let mut shown = Vec::new();
    shown.push(format!("{api:?} {:?}", api.token()));

    let tokens = api.list_tokens(account).await.unwrap();
    shown.push(format!("{tokens:?}"));
    let created = api
        .create_token(account, &probe(account, "Leak probe"))
        .await
        .unwrap();
    shown.push(format!("{created:?} {created:#?} {}", created.secret));
    let reset = api
        .reset_token(account, created.token.id, Expiry::ServerDefault)
        .await
        .unwrap();
    shown.push(format!("{reset:?}"));
    shown.push(format!(
        "{:?}",
        api.get_token(account, reset.token.id).await.unwrap()
    ));
    // Verify the new secret the way the console does: the same pool, the new token.
    let verified = api.with_token(reset.secret.clone());
    shown.push(format!("{verified:?}"));
    shown.push(format!(
        "{:?}",
        verified.list_tokens(account).await.unwrap().len()
    ));
    let accesses = api.account_accesses(account).await.unwrap();
    shown.push(format!("{accesses:?}"));
    let access = accesses
        .iter()
        .find(|a| a.api_token_id() == Some(reset.token.id))
        .expect("the reset token has an access");
    api.update_permissions(
        account,
        access.id,
        &[PermissionChange {
            resource_type: ResourceType::new("account"),
            resource_id: account,
            access_level: Some(AccessLevel::VIEWER),
        }],
    )
    .await
    .unwrap();
    shown.push(format!("{:?}", api.resource_tree(account).await.unwrap()));

    // Errors whose raw bodies held a new secret: broken, cut, dropped.
    let mut errors: Vec<ApiError> = Vec::new();
    for kind in [FaultBody::Malformed, FaultBody::Truncated, FaultBody::Html] {
        sim.inject_fault(Fault {
            method: Some("POST".into()),
            body: Some(kind),
            ..Fault::default()
        });
        errors.push(
            api.create_token(account, &probe(account, "Broken answer"))
                .await
                .unwrap_err(),
        );
    }
    sim.inject_fault(Fault {
        method: Some("GET".into()),
        body: Some(FaultBody::Malformed),
        ..Fault::default()
    });
    errors.push(api.list_tokens(account).await.unwrap_err());
    sim.inject_fault(Fault {
        path: Some("/reset".into()),
        drop: Some(DropPoint::After),
        ..Fault::default()
    });
    errors.push(
        api.reset_token(account, reset.token.id, Expiry::ServerDefault)
            .await
            .unwrap_err(),
    );
    // A 401 for a token that looks real.
    let stranger = Secret::new(format!("{}x", created.secret.expose_secret()));
    errors.push(
        client_as(&sim, stranger.clone())
            .accounts()
            .await
            .unwrap_err(),
    );
    for e in &errors {
        shown.push(format!("{e} | {e:?} | {}", e.advice()));
    }
    api.delete_token(account, reset.token.id).await.unwrap();

    // A panic message built from a value that holds a secret.
    let panicked = std::panic::catch_unwind(|| {
        let answer: Result<CreatedToken, ()> = serde_json::from_str(&format!(
            r#"{{"id":1,"name":"n","token":"{}"}}"#,
            reset.secret.expose_secret()
        ))
        .map_err(|_| ());
        answer.unwrap_err()
    })
    .unwrap_err();
    shown.push(mailtrap_tokens::config::logging::panic_message(&*panicked));

    let secrets = [&operator, &created.secret, &reset.secret, &stranger];
    for (i, text) in shown.iter().enumerate() {
        assert_no_secret(&format!("shown value #{i}"), text, &secrets);
    }
    let logged = std::fs::read_to_string(&log.path).unwrap();
    assert!(logged.contains("TRACE"), "the log is at trace level");
    assert!(logged.contains("request"), "the client logged its requests");
    assert_no_secret("the log file", &logged, &secrets);
    assert!(
        !has_secret_shape(&logged),
        "a secret-shaped string is in the log"
    );
}
