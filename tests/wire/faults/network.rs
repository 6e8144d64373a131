//! Latency past the time-out and connections dropped before and after the server acted.

use super::{assert_explained, sent};
use crate::support::*;
use mailtrap_tokens::api::{
    AccessLevel, ApiError, Client, ClientOptions, Expiry, NewToken, PermissionChange, ResourceType,
};
use mailtrap_tokens::sim::{DropPoint, Fault};
use std::time::Duration;

const CI_DEPLOY_BOT: i64 = 2491002;

fn impatient(sim: &mailtrap_tokens::sim::RunningSim, read_retries: u32) -> Client {
    let options = ClientOptions {
        request_timeout: Duration::from_millis(300),
        read_retries,
        ..fast_options()
    };
    Client::with_options(&sim.url(), sim.operator_token(), options).unwrap()
}

fn probe(account: i64) -> NewToken {
    NewToken {
        name: "Fault probe".into(),
        resources: vec![resource("account", account, 10)],
        expiry: Expiry::Never,
    }
}

/// Waits (bounded) until the simulator has logged `n` requests with this method; false on time-out.
async fn logged(sim: &mailtrap_tokens::sim::RunningSim, method: &str, n: usize) -> bool {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(3);
    while tokio::time::Instant::now() < deadline {
        if sent(sim, method) >= n {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    false
}

#[tokio::test]
async fn a_slow_read_is_retried_and_then_succeeds() {
    let sim = start().await;
    let notices = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = notices.clone();
    let api = impatient(&sim, 3).on_retry(move |n| seen.lock().unwrap().push(n.reason.clone()));
    sim.inject_fault(Fault {
        method: Some("GET".into()),
        latency_ms: Some(2_000),
        ..Fault::default()
    });
    let tokens = api.list_tokens(sim.account_id()).await.unwrap();
    assert_eq!(tokens.len(), seeded_tokens());
    // The waiting is reported in words a status line can show.
    assert_eq!(*notices.lock().unwrap(), vec!["the request timed out"]);
}

#[tokio::test]
async fn a_read_slower_than_every_retry_is_a_timeout_in_words() {
    let sim = start().await;
    let api = impatient(&sim, 2);
    sim.inject_fault(Fault {
        latency_ms: Some(2_000),
        count: 3,
        ..Fault::default()
    });
    let err = api.accounts().await.unwrap_err();
    assert_eq!(err, ApiError::Timeout);
    assert_explained(&err, "timed out", "Check the network");
    assert_eq!(err.exit_code(), 7);
}

#[tokio::test]
async fn a_slow_write_times_out_once_and_is_never_sent_again() {
    let sim = start().await;
    let api = impatient(&sim, 3);
    let account = sim.account_id();
    sim.inject_fault(Fault {
        method: Some("POST".into()),
        latency_ms: Some(1_000),
        ..Fault::default()
    });
    let err = api
        .create_token(account, &probe(account))
        .await
        .unwrap_err();
    assert_eq!(err, ApiError::Timeout);
    assert_explained(&err, "timed out", "retry");
    // The server may still act after the client gave up (the answer never arrives): at most one POST
    // is ever logged, and the list tells the truth about it.
    let acted = logged(&sim, "POST", 1).await;
    assert_eq!(sent(&sim, "POST"), usize::from(acted));
    let tokens = client(&sim).list_tokens(account).await.unwrap();
    let probes = tokens.iter().filter(|t| t.name == "Fault probe").count();
    assert!(probes <= 1, "{probes} probes were made by one create");
    assert_eq!(sent(&sim, "POST"), usize::from(acted));
}

#[tokio::test]
async fn a_connection_dropped_before_the_server_acted_changes_nothing() {
    let sim = start().await;
    let api = client(&sim);
    let account = sim.account_id();
    // Create and reset are both POSTs.
    for (method, count) in [("POST", 2), ("DELETE", 1), ("PUT", 1)] {
        sim.inject_fault(Fault {
            method: Some(method.into()),
            drop: Some(DropPoint::Before),
            count,
            ..Fault::default()
        });
    }
    let err = api
        .create_token(account, &probe(account))
        .await
        .unwrap_err();
    assert!(matches!(err, ApiError::Connection { .. }), "{err:?}");
    assert_explained(&err, "could not connect", "retry");
    let err = api
        .reset_token(account, CI_DEPLOY_BOT, Expiry::ServerDefault)
        .await
        .unwrap_err();
    assert!(matches!(err, ApiError::Connection { .. }), "{err:?}");
    let err = api.delete_token(account, CI_DEPLOY_BOT).await.unwrap_err();
    assert!(matches!(err, ApiError::Connection { .. }), "{err:?}");
    let access = api
        .account_accesses(account)
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.api_token_id() == Some(CI_DEPLOY_BOT))
        .expect("the token has an access");
    let change = PermissionChange {
        resource_type: ResourceType::new("account"),
        resource_id: account,
        access_level: Some(AccessLevel::VIEWER),
    };
    let err = api
        .update_permissions(account, access.id, &[change])
        .await
        .unwrap_err();
    assert!(matches!(err, ApiError::Connection { .. }), "{err:?}");
    // Each write reached the server once, and none of them acted.
    let tokens = api.list_tokens(account).await.unwrap();
    assert_eq!(tokens.len(), seeded_tokens());
    let bot = tokens.iter().find(|t| t.id == CI_DEPLOY_BOT).unwrap();
    assert_eq!(bot.resources.len(), 1);
    assert_eq!(bot.resources[0].resource_type.as_str(), "project");
    for (method, count) in [("POST", 2), ("DELETE", 1), ("PUT", 1)] {
        assert_eq!(sent(&sim, method), count, "{method}: {:?}", sim.requests());
    }
}

#[tokio::test]
async fn a_reset_whose_answer_was_lost_left_a_new_token_in_the_list() {
    let sim = start().await;
    let api = client(&sim);
    let account = sim.account_id();
    sim.inject_fault(Fault {
        path: Some("/reset".into()),
        drop: Some(DropPoint::After),
        ..Fault::default()
    });
    let err = api
        .reset_token(account, CI_DEPLOY_BOT, Expiry::ServerDefault)
        .await
        .unwrap_err();
    assert!(matches!(err, ApiError::Connection { .. }), "{err:?}");
    assert_explained(&err, "could not connect", "retry");
    // The server did act although the client saw only an error: the list shows "<name> <id>", whose secret
    // nobody received; the old token is in its grace period and cannot be reset again.
    let tokens = api.list_tokens(account).await.unwrap();
    assert_eq!(tokens.len(), seeded_tokens() + 1);
    let successor = tokens
        .iter()
        .find(|t| t.name == format!("CI deploy bot {}", t.id) && t.id != CI_DEPLOY_BOT)
        .expect("a successor named `<name> <id>`");
    assert!(successor.id > CI_DEPLOY_BOT);
    let again = api
        .reset_token(account, CI_DEPLOY_BOT, Expiry::ServerDefault)
        .await
        .unwrap_err();
    assert_explained(&again, "already reset", "Correct");
    // The successor itself can be reset: that is how the user gets a secret they hold.
    let fresh = api
        .reset_token(account, successor.id, Expiry::ServerDefault)
        .await
        .unwrap();
    assert_eq!(
        fresh.token.name,
        format!("{} {}", successor.name, fresh.token.id)
    );
    // The first reset reached the server exactly once.
    let resets: Vec<_> = sim
        .requests()
        .into_iter()
        .filter(|r| r.path.ends_with(&format!("{CI_DEPLOY_BOT}/reset")))
        .collect();
    assert_eq!(resets.len(), 2, "{resets:?}");
}

#[tokio::test]
async fn a_create_and_a_delete_whose_answers_were_lost_did_act_once() {
    let sim = start().await;
    let api = client(&sim);
    let account = sim.account_id();
    for method in ["POST", "DELETE"] {
        sim.inject_fault(Fault {
            method: Some(method.into()),
            drop: Some(DropPoint::After),
            ..Fault::default()
        });
    }
    assert!(matches!(
        api.create_token(account, &probe(account)).await,
        Err(ApiError::Connection { .. })
    ));
    assert!(matches!(
        api.delete_token(account, CI_DEPLOY_BOT).await,
        Err(ApiError::Connection { .. })
    ));
    let tokens = api.list_tokens(account).await.unwrap();
    assert_eq!(tokens.iter().filter(|t| t.name == "Fault probe").count(), 1);
    assert!(tokens.iter().all(|t| t.id != CI_DEPLOY_BOT));
    assert_eq!(sent(&sim, "POST"), 1);
    assert_eq!(sent(&sim, "DELETE"), 1);
    // Deleting again is an honest 404, not a second deletion.
    let gone = api.delete_token(account, CI_DEPLOY_BOT).await.unwrap_err();
    assert_eq!(gone, ApiError::NotFound);
    assert_explained(&gone, "not found", "deleted elsewhere");
}

#[tokio::test]
async fn a_read_dropped_twice_is_retried_and_succeeds() {
    let sim = start().await;
    let api = client(&sim);
    sim.inject_fault(Fault {
        method: Some("GET".into()),
        drop: Some(DropPoint::After),
        count: 2,
        ..Fault::default()
    });
    assert_eq!(
        api.list_tokens(sim.account_id()).await.unwrap().len(),
        seeded_tokens()
    );
    assert_eq!(sent(&sim, "GET"), 3);
}

#[tokio::test]
async fn nothing_listening_is_a_connection_error_in_words() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let api = Client::with_options(
        &format!("http://127.0.0.1:{port}"),
        mailtrap_tokens::api::Secret::new("not-a-real-token".into()),
        ClientOptions {
            read_retries: 1,
            ..fast_options()
        },
    )
    .unwrap();
    let err = api.accounts().await.unwrap_err();
    assert_explained(&err, "could not connect", "MAILTRAP_API_URL");
}

/// Each token a list answer hands on, read as it arrives, and how the read ended.
async fn read_as_it_arrives(api: &Client, account: i64) -> (Vec<i64>, Result<usize, ApiError>) {
    let mut ids = Vec::new();
    let answer = match api.token_list_answer(account).await {
        Ok(answer) => answer,
        Err(e) => return (ids, Err(e)),
    };
    let read = answer
        .decode_with(AsSent, |made| {
            ids.extend(made.drain(..).map(|(token, _)| token.id));
            Ok(())
        })
        .await;
    let read = read
        .map(|unreadable| unreadable.len())
        .map_err(|stop| match stop {
            mailtrap_tokens::api::ListStop::Api(e) => e,
            mailtrap_tokens::api::ListStop::Each(never) => match never {},
        });
    (ids, read)
}

#[tokio::test]
async fn a_list_read_as_it_arrives_is_asked_again_when_it_breaks_before_its_first_token() {
    let sim = start().await;
    let api = client(&sim);
    sim.inject_fault(Fault {
        method: Some("GET".into()),
        path: Some("/api_tokens".into()),
        drop: Some(DropPoint::After),
        count: 2,
        ..Fault::default()
    });
    let (ids, read) = read_as_it_arrives(&api, sim.account_id()).await;
    assert_eq!(read.unwrap(), 0);
    assert_eq!(ids.len(), seeded_tokens(), "every token once: {ids:?}");
    let unique: std::collections::HashSet<_> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "none handed twice");
    assert_eq!(sent(&sim, "GET"), 3);
}

#[tokio::test]
async fn a_list_that_breaks_after_tokens_were_handed_on_fails_without_repeating_them() {
    let sim = start().await;
    let api = client(&sim);
    sim.inject_fault(Fault {
        method: Some("GET".into()),
        path: Some("/api_tokens".into()),
        drop: Some(DropPoint::Midway),
        ..Fault::default()
    });
    let (ids, read) = read_as_it_arrives(&api, sim.account_id()).await;
    let error = read.unwrap_err();
    assert!(matches!(error, ApiError::Connection { .. }), "{error:?}");
    assert!(!ids.is_empty() && ids.len() < seeded_tokens(), "{ids:?}");
    // Asking again would hand the first tokens twice: the one answer is all there is.
    assert_eq!(sent(&sim, "GET"), 1);
    // Read whole, as the console reads it, the same break is asked again and the list comes complete.
    sim.inject_fault(Fault {
        method: Some("GET".into()),
        path: Some("/api_tokens".into()),
        drop: Some(DropPoint::Midway),
        ..Fault::default()
    });
    assert_eq!(
        api.list_tokens(sim.account_id()).await.unwrap().len(),
        seeded_tokens()
    );
    assert_eq!(sent(&sim, "GET"), 3);
}
