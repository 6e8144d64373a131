//! Starting a simulator and talking to it raw; shared by the `wire`, `model` and `secrets` test binaries.

#![allow(dead_code)]

use chrono::{DateTime, Utc};
use mailtrap_tokens::api::{AccessLevel, Client, ClientOptions, Resource, ResourceType, Secret};
use mailtrap_tokens::sim::{RunningSim, SimOptions};
use serde_json::Value;
use std::time::Duration;

/// The moment of the recorded production timeline (spec §2.6).
pub fn frozen_start() -> DateTime<Utc> {
    "2026-04-29T14:16:50Z".parse().unwrap()
}

pub async fn start_with(options: SimOptions) -> RunningSim {
    RunningSim::start(options)
        .await
        .expect("the simulator starts")
}

/// How many tokens the embedded demo seed lists: its own, and one per sending domain.
pub fn seeded_tokens() -> usize {
    let seed = mailtrap_tokens::sim::seed::Seed::parse(mailtrap_tokens::sim::seed::EMBEDDED_SEED)
        .expect("the embedded seed parses");
    seed.tokens.len() + seed.domains.len()
}

/// A simulator with a frozen clock and the embedded seed.
pub async fn start() -> RunningSim {
    start_with(SimOptions {
        frozen_at: Some(frozen_start()),
        ..SimOptions::default()
    })
    .await
}

pub fn fast_options() -> ClientOptions {
    ClientOptions {
        connect_timeout: Duration::from_secs(5),
        request_timeout: Duration::from_secs(10),
        read_retries: 3,
        backoff_base: Duration::from_millis(5),
        backoff_cap: Duration::from_millis(20),
    }
}

pub fn client(sim: &RunningSim) -> Client {
    Client::with_options(&sim.url(), sim.operator_token(), fast_options()).unwrap()
}

pub fn client_as(sim: &RunningSim, secret: Secret) -> Client {
    Client::with_options(&sim.url(), secret, fast_options()).unwrap()
}

pub fn resource(kind: &str, id: i64, level: i64) -> Resource {
    Resource {
        resource_type: ResourceType::new(kind),
        resource_id: id,
        access_level: AccessLevel(level),
    }
}

/// A token that is only a viewer of the whole account.
pub fn viewer(sim: &RunningSim) -> Secret {
    let account = sim.account_id();
    sim.issue_token(
        "Read-only auditor",
        vec![resource("account", account, 10)],
        None,
    )
    .1
}

pub fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

/// One raw request with a bearer token; the answer's status, headers and JSON (Null when none).
pub async fn call(
    sim: &RunningSim,
    method: reqwest::Method,
    path: &str,
    secret: &Secret,
    body: Option<Value>,
) -> (u16, reqwest::header::HeaderMap, Value) {
    let mut request = http()
        .request(method, format!("{}{path}", sim.url()))
        .bearer_auth(secret.expose_secret());
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let bytes = response.bytes().await.unwrap();
    let json = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes).unwrap_or_else(|_| {
            panic!(
                "{status}: not JSON: {}",
                String::from_utf8_lossy(&bytes[..bytes.len().min(200)])
            )
        })
    };
    (status, headers, json)
}

pub async fn get(sim: &RunningSim, path: &str, secret: &Secret) -> (u16, Value) {
    let (s, _, v) = call(sim, reqwest::Method::GET, path, secret, None).await;
    (s, v)
}

pub async fn post(
    sim: &RunningSim,
    path: &str,
    secret: &Secret,
    body: Option<Value>,
) -> (u16, Value) {
    let (s, _, v) = call(sim, reqwest::Method::POST, path, secret, body).await;
    (s, v)
}

pub async fn delete(sim: &RunningSim, path: &str, secret: &Secret) -> (u16, Value) {
    let (s, _, v) = call(sim, reqwest::Method::DELETE, path, secret, None).await;
    (s, v)
}

/// `/api/accounts/{id}` + rest.
pub fn acct(sim: &RunningSim, rest: &str) -> String {
    format!("/api/accounts/{}{rest}", sim.account_id())
}

/// Whether `text` holds a run of 32 lowercase hex characters (the shape of a secret).
pub fn has_secret_shape(text: &str) -> bool {
    let mut run = 0;
    for c in text.chars() {
        if c.is_ascii_digit() || ('a'..='f').contains(&c) {
            run += 1;
            if run >= 32 {
                return true;
            }
        } else {
            run = 0;
        }
    }
    false
}

/// Each readable token of a list answer with its text as the server sent it, read as the console and
/// `list` read it (`TokenListAnswer::decode_with`).
pub struct AsSent;

impl mailtrap_tokens::api::Digest for AsSent {
    type Made = Vec<(mailtrap_tokens::api::ApiToken, String)>;
    type Error = std::convert::Infallible;

    fn start(&self, elements: usize, _: usize) -> Self::Made {
        Vec::with_capacity(elements)
    }

    fn clear(&self, made: &mut Self::Made) {
        made.clear();
    }

    fn add(
        &self,
        made: &mut Self::Made,
        token: mailtrap_tokens::api::ApiToken,
        sent: &str,
    ) -> Result<(), Self::Error> {
        made.push((token, sent.to_string()));
        Ok(())
    }
}
