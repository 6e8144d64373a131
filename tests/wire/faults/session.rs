//! Trouble with the operator's own session: its token reset elsewhere and then expired (401 mid-session),
//! a viewer token (403), a token deleted by someone else (404).

use super::{assert_explained, sent};
use crate::support::*;
use mailtrap_tokens::api::{ApiError, Expiry, NewToken};

const OPERATOR_TOKEN_ID: i64 = 2490101;
const CI_DEPLOY_BOT: i64 = 2491002;

#[tokio::test]
async fn the_console_token_reset_elsewhere_works_through_its_grace_then_is_a_401() {
    let sim = start().await;
    let account = sim.account_id();
    let console = client(&sim);
    assert!(console.list_tokens(account).await.is_ok());
    // Someone else resets the token the console runs on.
    let elsewhere = client(&sim);
    let successor = elsewhere
        .reset_token(account, OPERATOR_TOKEN_ID, Expiry::Never)
        .await
        .unwrap();
    // Within the 12-hour grace the console keeps working.
    sim.advance_clock(chrono::Duration::hours(11));
    assert!(console.list_tokens(account).await.is_ok());
    sim.advance_clock(chrono::Duration::hours(1) + chrono::Duration::minutes(1));
    sim.clear_requests();
    let err = console.list_tokens(account).await.unwrap_err();
    assert_eq!(
        err,
        ApiError::Unauthorized {
            message: "Incorrect API token".into()
        }
    );
    assert_explained(
        &err,
        "the API token is invalid or has expired (401: Incorrect API token)",
        "MAILTRAP_API_TOKEN",
    );
    assert_eq!(err.exit_code(), 3);
    // A 401 is final: not retried.
    assert_eq!(sent(&sim, "GET"), 1);
    // The secret the reset issued is what the user must switch to.
    let switched = console.with_token(successor.secret);
    assert!(switched.list_tokens(account).await.is_ok());
}

#[tokio::test]
async fn a_viewer_token_reads_but_every_write_is_a_403_in_words() {
    let sim = start().await;
    let account = sim.account_id();
    let viewer = client_as(&sim, viewer(&sim));
    assert!(viewer.list_tokens(account).await.is_ok());
    let create = viewer
        .create_token(
            account,
            &NewToken {
                name: "Viewer probe".into(),
                resources: vec![resource("account", account, 10)],
                expiry: Expiry::Never,
            },
        )
        .await
        .unwrap_err();
    let reset = viewer
        .reset_token(account, CI_DEPLOY_BOT, Expiry::ServerDefault)
        .await
        .unwrap_err();
    let delete = viewer
        .delete_token(account, CI_DEPLOY_BOT)
        .await
        .unwrap_err();
    for err in [&create, &reset, &delete] {
        assert_eq!(
            *err,
            ApiError::Forbidden {
                message: "Access forbidden".into()
            }
        );
        assert_explained(err, "forbidden (403): Access forbidden", "admin token");
        assert_eq!(err.exit_code(), 5);
    }
    assert_eq!(sent(&sim, "POST"), 2);
    assert_eq!(sent(&sim, "DELETE"), 1);
}

#[tokio::test]
async fn an_injected_401_and_403_are_explained_and_not_retried() {
    let sim = start().await;
    let api = client(&sim);
    for (status, says, advises) in [
        (401, "invalid or has expired", "MAILTRAP_API_TOKEN"),
        (403, "forbidden (403)", "permission"),
        (404, "not found (404)", "refresh the list"),
    ] {
        sim.clear_requests();
        sim.inject_fault(mailtrap_tokens::sim::Fault {
            status: Some(status),
            ..Default::default()
        });
        let err = api.list_tokens(sim.account_id()).await.unwrap_err();
        assert_explained(&err, says, advises);
        assert_eq!(sent(&sim, "GET"), 1, "{status} is final");
    }
}

#[tokio::test]
async fn a_token_deleted_elsewhere_is_a_404_for_get_reset_and_delete() {
    let sim = start().await;
    let account = sim.account_id();
    let console = client(&sim);
    client(&sim)
        .delete_token(account, CI_DEPLOY_BOT)
        .await
        .unwrap();
    for err in [
        console.get_token(account, CI_DEPLOY_BOT).await.unwrap_err(),
        console
            .reset_token(account, CI_DEPLOY_BOT, Expiry::ServerDefault)
            .await
            .unwrap_err(),
        console
            .delete_token(account, CI_DEPLOY_BOT)
            .await
            .unwrap_err(),
    ] {
        assert_eq!(err, ApiError::NotFound);
        assert_explained(&err, "not found (404)", "deleted elsewhere");
        assert_eq!(err.exit_code(), 4);
    }
}
