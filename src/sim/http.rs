//! The listener's request path: faults, authentication, the rate limit, body checks, routing to the
//! world's rules, production's headers, and the request log.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::faults::{DropPoint, Fault, FaultBody, break_body, injected_body};
use super::routes::Route;
use super::state::{Inner, LoggedRequest, Shared};
use super::world::{Answer, Caller};

/// Bodies above this are refused with 413 before any parsing.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;
const JSON_TYPE: &str = "application/json; charset=utf-8";

/// An answer plus the headers around it.
struct Reply {
    answer: Answer,
    remaining: usize,
    retry_after: Option<u64>,
    allow: Option<&'static [&'static str]>,
}

impl Reply {
    fn plain(answer: Answer, remaining: usize) -> Self {
        Self {
            answer,
            remaining,
            retry_after: None,
            allow: None,
        }
    }
}

/// The secret from `Authorization: Bearer …` or `Api-Token: …` (spec §1.1).
fn secret_from(headers: &HeaderMap) -> Option<String> {
    if let Some(value) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        && let Some((scheme, rest)) = value.trim().split_once(' ')
        && (scheme.eq_ignore_ascii_case("bearer") || scheme.eq_ignore_ascii_case("token"))
    {
        // `Token token="…"` is Rails' own form of the same header.
        let rest = rest.trim();
        let rest = rest
            .strip_prefix("token=")
            .unwrap_or(rest)
            .trim_matches('"');
        return Some(rest.to_string());
    }
    headers
        .get("api-token")
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim().to_string())
}

fn is_json_type(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/json"))
}

impl Inner {
    fn process(
        &mut self,
        limits: (usize, chrono::Duration),
        method: &str,
        path: &str,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Reply {
        let (limit, window) = limits;
        let now = self.clock.now();
        self.world.sweep(now);
        let caller = secret_from(headers).and_then(|s| self.world.authenticate(&s, now));
        let mut remaining = limit;
        if let Some(c) = &caller {
            match self.windows.count(c.id, now, limit, window) {
                Ok(left) => remaining = left,
                Err(retry_after) => {
                    let mut reply = Reply::plain(
                        Answer::error(429, json!({"errors": "Rate limit exceeded"})),
                        0,
                    );
                    reply.retry_after = Some(retry_after);
                    return reply;
                }
            }
        }
        // guess, spec §11: unknown paths are 404 even without a token, and still count against the caller.
        let Some(route) = Route::parse(path) else {
            return Reply::plain(Answer::not_found(), remaining);
        };
        if !route.allowed_methods().contains(&method) {
            // guess, spec §11: the body of a 405 (with an Allow header, as HTTP wants).
            let mut reply = Reply::plain(
                Answer::error(405, json!({"error": "Method Not Allowed"})),
                remaining,
            );
            reply.allow = Some(route.allowed_methods());
            return reply;
        }
        let Some(caller) = caller else {
            return Reply::plain(Answer::unauthorized(), remaining);
        };
        // spec §11: an account the caller cannot see is 403; spec §1.2: the account-less paths are the
        // caller's home account (guess: an organization token has none, so they are 403 too).
        let account = match route.account() {
            Some(a) if self.world.sees(&caller, a) => a,
            Some(_) => return Reply::plain(Answer::account_forbidden(), remaining),
            None => match caller.home {
                Some(home) => home,
                None if route.is_account_scoped() => {
                    return Reply::plain(Answer::account_forbidden(), remaining);
                }
                None => 0,
            },
        };
        let json_body = if matches!(method, "POST" | "PUT") && !body.trim_ascii().is_empty() {
            if !is_json_type(headers) {
                // guess, spec §11: the body of a 415.
                let answer = Answer::error(415, json!({"error": "Unsupported Media Type"}));
                return Reply::plain(answer, remaining);
            }
            match serde_json::from_slice::<Value>(body) {
                Ok(v) => Some(v),
                Err(_) => {
                    // guess, spec §11: the body of a 400.
                    let answer =
                        Answer::error(400, json!({"error": "Malformed JSON in request body"}));
                    return Reply::plain(answer, remaining);
                }
            }
        } else {
            None
        };
        let answer = self.dispatch(route, method, &caller, account, json_body.as_ref(), now);
        Reply::plain(answer, remaining)
    }

    /// `account`: the account an account-scoped route works in (visible to the caller).
    fn dispatch(
        &mut self,
        route: Route,
        method: &str,
        caller: &Caller,
        account: i64,
        body: Option<&Value>,
        now: DateTime<Utc>,
    ) -> Answer {
        let w = &mut self.world;
        let a = account;
        match (route, method) {
            (Route::Accounts, _) => w.accounts(caller),
            (Route::SubAccounts { organization }, "POST") => {
                w.create_sub_account(caller, organization, body)
            }
            (Route::SubAccounts { organization }, _) => w.sub_accounts(caller, organization),
            (Route::Tokens { .. }, "POST") => w.create_token(caller, a, body, now),
            (Route::Tokens { .. }, _) => w.list_tokens(caller, a),
            (Route::Token { id, .. }, "DELETE") => w.delete_token(caller, a, id, now),
            (Route::Token { id, .. }, _) => w.get_token(caller, a, id),
            (Route::TokenReset { id, .. }, _) => w.reset_token(caller, a, id, body, now),
            (Route::Accesses { .. }, _) => w.accesses(caller, a),
            (Route::Access { access_id, .. }, _) => w.delete_access(caller, a, access_id, now),
            (Route::AccessBulk { access_id, .. }, _) => {
                w.bulk_permissions(caller, a, access_id, body)
            }
            (Route::Resources { .. }, _) => w.resource_tree(caller, a),
        }
    }
}

fn status_of(code: u16) -> StatusCode {
    StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

fn set(headers: &mut HeaderMap, name: &'static str, value: String) {
    if let Ok(v) = HeaderValue::from_str(&value) {
        headers.insert(name, v);
    }
}

/// Production's headers (spec §1.1) around an answer.
fn build(reply: &Reply, limit: usize) -> (StatusCode, HeaderMap, Vec<u8>) {
    let mut headers = HeaderMap::new();
    set(&mut headers, "x-ratelimit-limit", limit.to_string());
    set(
        &mut headers,
        "x-ratelimit-remaining",
        reply.remaining.to_string(),
    );
    set(&mut headers, "x-mailtrap-version", "v2".into());
    let cache = if reply.answer.status == 200 {
        "max-age=0, private, must-revalidate"
    } else {
        "no-cache"
    };
    set(&mut headers, "cache-control", cache.into());
    if reply.answer.status == 401 {
        set(
            &mut headers,
            "www-authenticate",
            "Token realm=\"Application\"".into(),
        );
    }
    if let Some(allow) = reply.allow {
        set(&mut headers, "allow", allow.join(", "));
    }
    if let Some(secs) = reply.retry_after {
        set(&mut headers, "retry-after", secs.to_string());
    }
    let body = match &reply.answer.body {
        Some(v) => {
            set(&mut headers, "content-type", JSON_TYPE.into());
            serde_json::to_vec(v).unwrap_or_default()
        }
        None => Vec::new(),
    };
    (status_of(reply.answer.status), headers, body)
}

fn respond(status: StatusCode, headers: HeaderMap, body: Body) -> Response {
    let mut response = Response::new(body);
    *response.status_mut() = status;
    *response.headers_mut() = headers;
    response
}

/// A response whose body fails at once: hyper closes the connection, so the client sees it broken.
fn dropped_connection() -> Response {
    let failing = futures::stream::once(async {
        Err::<Bytes, std::io::Error>(std::io::Error::other(
            "connection dropped by an injected fault",
        ))
    });
    let mut headers = HeaderMap::new();
    set(&mut headers, "content-type", JSON_TYPE.into());
    respond(StatusCode::OK, headers, Body::from_stream(failing))
}

fn is_control_path(path: &str) -> bool {
    path == "/__sim" || path.starts_with("/__sim/")
}

/// The simulator's whole HTTP surface, for the listener and for each SDK tunnel.
pub fn router(shared: Arc<Shared>) -> Router {
    Router::new().fallback(handle).with_state(shared)
}

async fn handle(
    State(shared): State<Arc<Shared>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    request: Request,
) -> Response {
    if request.method() == axum::http::Method::CONNECT
        && let Some(tls) = shared.sdk_tls.get()
    {
        return super::sdk_proxy::connect(router(shared.clone()), tls.clone(), peer, request);
    }
    let path = request.uri().path().to_string();
    if is_control_path(&path) {
        return super::control::handle(shared, peer, request).await;
    }
    let method = request.method().as_str().to_string();
    let fault = shared.lock().faults.take(&method, &path);
    let fault = fault.unwrap_or(Fault {
        count: 0,
        ..Fault::default()
    });
    if let Some(ms) = fault.latency_ms {
        tokio::time::sleep(Duration::from_millis(ms)).await;
    }
    let log = |status: u16| {
        shared.lock().log.push(LoggedRequest {
            method: method.clone(),
            path: path.clone(),
            status,
        });
    };
    if fault.drop == Some(DropPoint::Before) {
        log(0);
        return dropped_connection();
    }
    if let Some(code) = fault.status {
        log(code);
        let (body, content_type) = injected_body(code, fault.body.unwrap_or(FaultBody::Json));
        let mut headers = HeaderMap::new();
        set(&mut headers, "content-type", content_type.into());
        if let Some(secs) = fault.retry_after {
            set(&mut headers, "retry-after", secs.to_string());
        }
        return respond(status_of(code), headers, Body::from(body));
    }
    let (parts, body) = request.into_parts();
    let (status, mut headers, mut bytes) = match axum::body::to_bytes(body, MAX_BODY_BYTES).await {
        Ok(bytes) => {
            let reply = shared.lock().process(
                (shared.rate_limit, shared.rate_window),
                &method,
                &path,
                &parts.headers,
                &bytes,
            );
            // Written out after the world is let go: a long answer does not hold up the requests beside
            // it, as it would not on Mailtrap's servers.
            build(&reply, shared.rate_limit)
        }
        Err(_) => {
            // guess, spec §11: too large a body is refused as production's proxy would, with 413.
            let answer = Answer::error(413, json!({"error": "Payload Too Large"}));
            build(&Reply::plain(answer, shared.rate_limit), shared.rate_limit)
        }
    };
    log(status.as_u16());
    if fault.drop == Some(DropPoint::After) {
        return dropped_connection();
    }
    if let Some(extra) = &fault.extra_fields
        && status == StatusCode::OK
    {
        bytes = super::faults::add_fields(&bytes, extra);
    }
    if let Some(text) = fault.replace_body {
        bytes = text.into_bytes();
        set(&mut headers, "content-type", JSON_TYPE.into());
    } else if let Some(kind) = fault.body {
        bytes = break_body(&bytes, kind);
        if kind == FaultBody::Html {
            set(
                &mut headers,
                "content-type",
                "text/html; charset=UTF-8".into(),
            );
        }
    }
    if fault.drop == Some(DropPoint::Midway) {
        let half = Bytes::from(bytes[..bytes.len() / 2].to_vec());
        // The break comes a moment after the half, so that hyper has written the half out by then.
        let cut = futures::StreamExt::chain(
            futures::stream::iter([Ok(half)]),
            futures::stream::once(async {
                tokio::time::sleep(Duration::from_millis(50)).await;
                Err(std::io::Error::other(
                    "connection dropped midway by an injected fault",
                ))
            }),
        );
        headers.remove("content-length");
        return respond(status, headers, Body::from_stream(cut));
    }
    respond(status, headers, Body::from(bytes))
}
