//! The recorded production timeline of spec §2.6, replayed as one scenario on a frozen clock.

use crate::support::*;
use chrono::Duration;
use mailtrap_tokens::api::{ApiError, Expiry, NewToken};
use mailtrap_tokens::sim::DefaultExpiry;
use mailtrap_tokens::sim::SimOptions;

#[tokio::test]
async fn the_recorded_production_timeline() {
    // April 2026: the expiry feature was off, so omitted expiries meant "never".
    let sim = start_with(SimOptions {
        frozen_at: Some(frozen_start()),
        default_expiry: DefaultExpiry::Never,
        ..SimOptions::default()
    })
    .await;
    let account = sim.account_id();
    let (own_id, own_secret) = sim.issue_token(
        "SDK Dev Account Token",
        vec![resource("account", account, 100)],
        None,
    );
    let api = client_as(&sim, own_secret);

    // 14:16:50 GET /{own id}: the caller's own token.
    let own = api.get_token(account, own_id).await.unwrap();
    assert_eq!(own.name, "SDK Dev Account Token");
    assert_eq!(own.expires_at, None);

    // 14:21:57 create.
    sim.advance_clock(Duration::seconds(307));
    let created = api
        .create_token(
            account,
            &NewToken {
                name: "Ruby SDK Test Token".into(),
                resources: vec![resource("account", account, 100)],
                expiry: Expiry::ServerDefault,
            },
        )
        .await
        .unwrap();
    assert!(created.token.id > own_id);
    assert_eq!(created.token.created_by, "SDK Dev Account Token");
    assert_eq!(created.token.expires_at, None);
    assert_eq!(
        created.token.resources.as_slice(),
        [resource("account", account, 100)]
    );

    // 14:25:08 reset: a new record, "<old name> <new id>", same resources, new secret.
    sim.advance_clock(Duration::seconds(191));
    let reset = api
        .reset_token(account, created.token.id, Expiry::ServerDefault)
        .await
        .unwrap();
    assert!(reset.token.id > created.token.id);
    assert_eq!(
        reset.token.name,
        format!("Ruby SDK Test Token {}", reset.token.id)
    );
    assert_eq!(reset.token.resources, created.token.resources);
    assert_eq!(reset.token.created_by, "SDK Dev Account Token");
    assert_eq!(reset.token.expires_at, None);
    assert_ne!(reset.secret, created.secret);

    // 14:27:58 DELETE the old token: it still exists ~3 minutes after its reset, and goes with 204.
    sim.advance_clock(Duration::seconds(170));
    let old = api.get_token(account, created.token.id).await.unwrap();
    assert_eq!(
        old.expires_at,
        Some(sim.now() - Duration::seconds(170) + Duration::hours(12))
    );
    api.delete_token(account, created.token.id).await.unwrap();
    assert!(matches!(
        api.get_token(account, created.token.id).await,
        Err(ApiError::NotFound)
    ));
    assert!(api.get_token(account, reset.token.id).await.is_ok());
    assert!(matches!(
        api.delete_token(account, -1).await,
        Err(ApiError::NotFound)
    ));

    let log: Vec<(String, u16)> = sim
        .requests()
        .into_iter()
        .map(|r| {
            (
                format!("{} {}", r.method, r.path.replace(&account.to_string(), "A")),
                r.status,
            )
        })
        .collect();
    let expected = [
        (format!("GET /api/accounts/A/api_tokens/{own_id}"), 200),
        ("POST /api/accounts/A/api_tokens".to_string(), 200),
        (
            format!("POST /api/accounts/A/api_tokens/{}/reset", created.token.id),
            200,
        ),
        (
            format!("GET /api/accounts/A/api_tokens/{}", created.token.id),
            200,
        ),
        (
            format!("DELETE /api/accounts/A/api_tokens/{}", created.token.id),
            204,
        ),
    ];
    assert_eq!(&log[..5], &expected[..]);
}
