//! Every error class of the client, produced by the simulator's rules or by injected faults.

use crate::support::*;
use mailtrap_tokens::api::{ApiError, Client, ClientOptions, Expiry, FieldError, NewToken, Secret};
use mailtrap_tokens::sim::{DropPoint, Fault, FaultBody};
use std::time::Duration;

fn admin_token(account: i64) -> NewToken {
    NewToken {
        name: "Error probe".into(),
        resources: vec![resource("account", account, 100)],
        expiry: Expiry::Never,
    }
}

fn base(message: &str) -> Vec<FieldError> {
    vec![FieldError {
        field: None,
        message: message.into(),
    }]
}

#[tokio::test]
async fn unauthorized_forbidden_not_found() {
    let sim = start().await;
    let account = sim.account_id();
    let stranger = client_as(&sim, Secret::new("not-a-real-token".into()));
    assert_eq!(
        stranger.list_tokens(account).await.unwrap_err(),
        ApiError::Unauthorized {
            message: "Incorrect API token".into()
        }
    );
    let api = client(&sim);
    assert_eq!(
        api.list_tokens(account + 1).await.unwrap_err(),
        ApiError::Forbidden {
            message: "Account access forbidden".into()
        }
    );
    let viewer = client_as(&sim, viewer(&sim));
    let refused = viewer
        .create_token(account, &admin_token(account))
        .await
        .unwrap_err();
    assert_eq!(
        refused,
        ApiError::Forbidden {
            message: "Access forbidden".into()
        }
    );
    assert_eq!(refused.exit_code(), 5);
    assert_eq!(
        api.get_token(account, i64::MAX).await.unwrap_err(),
        ApiError::NotFound
    );
    assert_eq!(
        api.reset_token(account, i64::MAX, Expiry::ServerDefault)
            .await
            .unwrap_err(),
        ApiError::NotFound
    );
    assert_eq!(
        api.update_permissions(
            account,
            1,
            &[mailtrap_tokens::api::PermissionChange {
                resource_type: mailtrap_tokens::api::ResourceType::new("account"),
                resource_id: account,
                access_level: None,
            }]
        )
        .await
        .unwrap_err(),
        ApiError::NotFound
    );
}

#[tokio::test]
async fn validation_shapes() {
    let sim = start().await;
    let account = sim.account_id();
    let api = client(&sim);
    let mut no_resources = admin_token(account);
    no_resources.resources.clear();
    assert_eq!(
        api.create_token(account, &no_resources).await.unwrap_err(),
        ApiError::Validation {
            errors: base("No permissions selected. Please choose at least one.")
        }
    );
    let mut blank = admin_token(account);
    blank.name = " ".into();
    blank.expiry = Expiry::At(sim.now() - chrono::Duration::days(1));
    let err = api.create_token(account, &blank).await.unwrap_err();
    let ApiError::Validation { errors } = &err else {
        panic!("{err:?}")
    };
    assert!(errors.contains(&FieldError {
        field: Some("name".into()),
        message: "can't be blank".into()
    }));
    assert!(errors.contains(&FieldError {
        field: Some("expires_at".into()),
        message: "must be in the future".into()
    }));
    let mut far = admin_token(account);
    far.expiry = Expiry::At(sim.now() + chrono::Duration::days(6 * 365));
    assert_eq!(err.exit_code(), 5);
    assert_eq!(
        api.create_token(account, &far)
            .await
            .unwrap_err()
            .to_string(),
        "expires_at: must be at most 5 years from now"
    );
    let created = api
        .create_token(account, &admin_token(account))
        .await
        .unwrap();
    api.reset_token(account, created.token.id, Expiry::ServerDefault)
        .await
        .unwrap();
    assert_eq!(
        api.reset_token(account, created.token.id, Expiry::ServerDefault)
            .await
            .unwrap_err(),
        ApiError::Validation {
            errors: base("API token was already reset")
        }
    );
    assert_eq!(
        api.reset_token(account, 2491471, Expiry::ServerDefault)
            .await
            .unwrap_err(),
        ApiError::Validation {
            errors: base("API token has expired")
        }
    );
    assert_eq!(
        api.delete_token(account, 2490312).await.unwrap_err(),
        ApiError::Validation {
            errors: base(
                "Cannot delete the last API token with access to domain mail.acme.example"
            )
        }
    );
}

#[tokio::test]
async fn rate_limited_with_retry_after() {
    let sim = start().await;
    let op = sim.operator_token();
    let raw = http();
    let url = format!("{}/api/accounts", sim.url());
    for _ in 0..150 {
        assert_eq!(
            raw.get(&url)
                .bearer_auth(op.expose_secret())
                .send()
                .await
                .unwrap()
                .status(),
            200
        );
    }
    let api = Client::with_options(
        &sim.url(),
        op,
        ClientOptions {
            read_retries: 0,
            ..fast_options()
        },
    )
    .unwrap();
    let err = api.accounts().await.unwrap_err();
    assert_eq!(
        err,
        ApiError::RateLimited {
            retry_after: Some(Duration::from_secs(10))
        }
    );
    assert_eq!(err.exit_code(), 6);
    // The client now holds every request on this token back for the server's Retry-After.
    let paused = mailtrap_tokens::api::ratelimit::RateLimiter::for_token(
        sim.operator_token().expose_secret(),
    )
    .paused_until()
    .expect("a pause is in force");
    assert!(paused > tokio::time::Instant::now() + Duration::from_secs(9));
    assert_eq!(api.rate_remaining(), Some(0));
}

#[tokio::test]
async fn injected_429_on_a_write_carries_its_retry_after() {
    let sim = start().await;
    let api = client(&sim);
    sim.inject_fault(Fault {
        method: Some("POST".into()),
        status: Some(429),
        retry_after: Some(1),
        ..Fault::default()
    });
    let err = api
        .create_token(sim.account_id(), &admin_token(sim.account_id()))
        .await
        .unwrap_err();
    assert_eq!(
        err,
        ApiError::RateLimited {
            retry_after: Some(Duration::from_secs(1))
        }
    );
}

#[tokio::test]
async fn server_error_with_an_html_page_and_posts_are_never_retried() {
    let sim = start().await;
    let api = client(&sim);
    let account = sim.account_id();
    sim.inject_fault(Fault {
        status: Some(502),
        body: Some(FaultBody::Html),
        count: 5,
        ..Fault::default()
    });
    let err = api
        .create_token(account, &admin_token(account))
        .await
        .unwrap_err();
    let ApiError::Server {
        status: 502,
        message,
    } = &err
    else {
        panic!("{err:?}")
    };
    assert!(message.contains("HTML error page"), "{message}");
    assert!(!message.contains("<html"), "{message}");
    assert_eq!(err.exit_code(), 7);
    let posts: Vec<_> = sim
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST")
        .collect();
    assert_eq!(posts.len(), 1, "{posts:?}");
    // No token was made by the refused request.
    sim.clear_faults();
    assert_eq!(
        api.list_tokens(account).await.unwrap().len(),
        seeded_tokens()
    );
}

#[tokio::test]
async fn a_get_is_retried_through_two_5xx_then_succeeds() {
    let sim = start().await;
    let notices = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = notices.clone();
    let api = client(&sim).on_retry(move |n| seen.lock().unwrap().push(n.attempt));
    sim.inject_fault(Fault {
        method: Some("GET".into()),
        status: Some(503),
        count: 2,
        ..Fault::default()
    });
    let tokens = api.list_tokens(sim.account_id()).await.unwrap();
    assert_eq!(tokens.len(), seeded_tokens());
    let statuses: Vec<u16> = sim.requests().iter().map(|r| r.status).collect();
    assert_eq!(statuses, vec![503, 503, 200]);
    assert_eq!(*notices.lock().unwrap(), vec![1, 2]);
}

#[tokio::test]
async fn a_get_that_keeps_failing_gives_up_after_its_retries() {
    let sim = start().await;
    let api = client(&sim);
    sim.inject_fault(Fault {
        status: Some(500),
        count: 10,
        ..Fault::default()
    });
    let err = api.accounts().await.unwrap_err();
    assert!(
        matches!(err, ApiError::Server { status: 500, .. }),
        "{err:?}"
    );
    assert_eq!(sim.requests().len(), 4, "one try and three retries");
}

#[tokio::test]
async fn timeout_from_injected_latency() {
    let sim = start().await;
    let options = ClientOptions {
        request_timeout: Duration::from_millis(300),
        read_retries: 0,
        ..fast_options()
    };
    let api = Client::with_options(&sim.url(), sim.operator_token(), options).unwrap();
    sim.inject_fault(Fault {
        latency_ms: Some(3_000),
        ..Fault::default()
    });
    assert_eq!(api.accounts().await.unwrap_err(), ApiError::Timeout);
}

#[tokio::test]
async fn connection_failures() {
    // A port that nobody listens on.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let options = ClientOptions {
        read_retries: 0,
        ..fast_options()
    };
    let api = Client::with_options(
        &format!("http://127.0.0.1:{port}"),
        Secret::new("not-a-real-token".into()),
        options,
    )
    .unwrap();
    let err = api.accounts().await.unwrap_err();
    assert!(matches!(err, ApiError::Connection { .. }), "{err:?}");
    assert_eq!(err.exit_code(), 7);

    let sim = start().await;
    let api = client(&sim);
    let account = sim.account_id();
    // Dropped before: nothing happened. Dropped after: the token exists although the client saw a failure.
    sim.inject_fault(Fault {
        method: Some("POST".into()),
        drop: Some(DropPoint::Before),
        ..Fault::default()
    });
    let err = api
        .create_token(account, &admin_token(account))
        .await
        .unwrap_err();
    assert!(matches!(err, ApiError::Connection { .. }), "{err:?}");
    assert_eq!(
        api.list_tokens(account).await.unwrap().len(),
        seeded_tokens()
    );
    sim.inject_fault(Fault {
        method: Some("POST".into()),
        drop: Some(DropPoint::After),
        ..Fault::default()
    });
    let err = api
        .create_token(account, &admin_token(account))
        .await
        .unwrap_err();
    assert!(matches!(err, ApiError::Connection { .. }), "{err:?}");
    assert_eq!(
        api.list_tokens(account).await.unwrap().len(),
        seeded_tokens() + 1
    );
    // A GET whose connection drops once is retried.
    sim.inject_fault(Fault {
        method: Some("GET".into()),
        drop: Some(DropPoint::Before),
        ..Fault::default()
    });
    assert_eq!(
        api.list_tokens(account).await.unwrap().len(),
        seeded_tokens() + 1
    );
}

#[tokio::test]
async fn broken_bodies_are_decode_errors_that_quote_no_secret() {
    let sim = start().await;
    let api = client(&sim);
    let account = sim.account_id();
    for kind in [FaultBody::Truncated, FaultBody::Malformed, FaultBody::Empty] {
        sim.inject_fault(Fault {
            method: Some("POST".into()),
            body: Some(kind),
            ..Fault::default()
        });
        let err = api
            .create_token(account, &admin_token(account))
            .await
            .unwrap_err();
        let ApiError::Decode {
            status: 200,
            excerpt,
        } = &err
        else {
            panic!("{kind:?}: {err:?}")
        };
        let shown = format!("{err} {err:?} {excerpt}");
        assert!(!has_secret_shape(&shown), "{kind:?}: {shown}");
    }
    // The tokens were made although their answers were broken.
    assert_eq!(
        api.list_tokens(account).await.unwrap().len(),
        seeded_tokens() + 3
    );
    for kind in [FaultBody::Truncated, FaultBody::Malformed] {
        sim.inject_fault(Fault {
            method: Some("GET".into()),
            body: Some(kind),
            ..Fault::default()
        });
        let err = api.list_tokens(account).await.unwrap_err();
        assert!(
            matches!(err, ApiError::Decode { status: 200, .. }),
            "{kind:?}: {err:?}"
        );
    }
}

#[tokio::test]
async fn a_token_that_cannot_be_sent_is_a_config_error_that_hides_it() {
    let sim = start().await;
    let pasted = "pasted-token-with-a-newline\n";
    let outcome = Client::with_options(&sim.url(), Secret::new(pasted.into()), fast_options())
        .map(|_| ())
        .unwrap_err();
    let ApiError::Config(message) = &outcome else {
        panic!("{outcome:?}")
    };
    assert!(!message.contains("pasted-token"), "{message}");
    assert!(sim.requests().is_empty());
}

#[tokio::test]
async fn a_get_refused_with_429_waits_the_retry_after_then_succeeds() {
    let sim = start().await;
    let waits = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = waits.clone();
    let api = client(&sim).on_retry(move |n| seen.lock().unwrap().push(n.wait));
    sim.inject_fault(Fault {
        method: Some("GET".into()),
        status: Some(429),
        retry_after: Some(1),
        ..Fault::default()
    });
    let started = tokio::time::Instant::now();
    assert_eq!(api.accounts().await.unwrap().len(), 1);
    assert_eq!(*waits.lock().unwrap(), vec![Duration::from_secs(1)]);
    // Held back at least as long as the server asked (a lower bound, not a performance assertion).
    assert!(started.elapsed() >= Duration::from_secs(1));
    let statuses: Vec<u16> = sim.requests().iter().map(|r| r.status).collect();
    assert_eq!(statuses, vec![429, 200]);
}
