//! `/__sim/`: the tests' control surface on the simulator's own listener, answering loopback peers only.
//! It is neither rate-limited nor logged.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::body::Body;
use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Value, json};

use super::faults::Fault;
use super::state::Shared;

/// Whether a peer may use `/__sim/`: loopback, including IPv4-mapped IPv6 loopback.
pub fn is_loopback_peer(peer: &SocketAddr) -> bool {
    match peer.ip() {
        IpAddr::V4(ip) => ip.is_loopback(),
        IpAddr::V6(ip) => {
            ip.is_loopback() || ip.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        }
    }
}

fn json_response(status: StatusCode, body: Value) -> Response {
    let mut response = Response::new(Body::from(body.to_string()));
    *response.status_mut() = status;
    if let Ok(v) = "application/json; charset=utf-8".parse() {
        response.headers_mut().insert(header::CONTENT_TYPE, v);
    }
    response
}

fn no_content() -> Response {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = StatusCode::NO_CONTENT;
    response
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ClockMove {
    advance_seconds: i64,
}

pub async fn handle(shared: Arc<Shared>, peer: SocketAddr, request: Request) -> Response {
    if !is_loopback_peer(&peer) {
        // Pretend it does not exist to anybody else.
        return json_response(StatusCode::NOT_FOUND, json!({"error": "Not Found"}));
    }
    let method = request.method().as_str().to_string();
    let path = request.uri().path().to_string();
    let body = match axum::body::to_bytes(request.into_body(), 64 * 1024).await {
        Ok(b) => b,
        Err(_) => {
            return json_response(
                StatusCode::PAYLOAD_TOO_LARGE,
                json!({"error": "Payload Too Large"}),
            );
        }
    };
    let bad = |what: String| json_response(StatusCode::BAD_REQUEST, json!({ "error": what }));
    match (method.as_str(), path.trim_end_matches('/')) {
        ("POST", "/__sim/clock") => match serde_json::from_slice::<ClockMove>(&body) {
            Ok(m) if m.advance_seconds >= 0 && m.advance_seconds <= 100 * 365 * 86_400 => {
                let mut inner = shared.lock();
                inner
                    .clock
                    .advance(chrono::Duration::seconds(m.advance_seconds));
                json_response(
                    StatusCode::OK,
                    json!({"now": inner.clock.now().to_rfc3339()}),
                )
            }
            Ok(_) => bad("advance_seconds must be between 0 and 100 years".into()),
            Err(e) => bad(format!("expected {{\"advance_seconds\": N}}: {e}")),
        },
        ("GET", "/__sim/clock") => json_response(
            StatusCode::OK,
            json!({"now": shared.lock().clock.now().to_rfc3339()}),
        ),
        ("POST", "/__sim/faults") => match serde_json::from_slice::<Fault>(&body) {
            Ok(fault) => {
                shared.lock().faults.push(fault);
                json_response(StatusCode::OK, json!({"queued": true}))
            }
            Err(e) => bad(format!("bad fault: {e}")),
        },
        ("DELETE", "/__sim/faults") => {
            shared.lock().faults.clear();
            no_content()
        }
        ("GET", "/__sim/requests") => {
            let log = shared.lock().log.clone();
            json_response(StatusCode::OK, json!(log))
        }
        ("DELETE", "/__sim/requests") => {
            shared.lock().log.clear();
            no_content()
        }
        (_, "/__sim/clock" | "/__sim/faults" | "/__sim/requests") => json_response(
            StatusCode::METHOD_NOT_ALLOWED,
            json!({"error": "Method Not Allowed"}),
        ),
        _ => json_response(StatusCode::NOT_FOUND, json!({"error": "Not Found"})),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_peers_may_control() {
        let peer = |s: &str| s.parse::<SocketAddr>().unwrap();
        assert!(is_loopback_peer(&peer("127.0.0.1:5000")));
        assert!(is_loopback_peer(&peer("127.8.9.10:5000")));
        assert!(is_loopback_peer(&peer("[::1]:5000")));
        assert!(is_loopback_peer(&peer("[::ffff:127.0.0.1]:5000")));
        assert!(!is_loopback_peer(&peer("10.0.0.7:5000")));
        assert!(!is_loopback_peer(&peer("192.168.1.20:5000")));
        assert!(!is_loopback_peer(&peer("[::ffff:10.0.0.7]:5000")));
        assert!(!is_loopback_peer(&peer("[2001:db8::1]:5000")));
        assert!(!is_loopback_peer(&peer("0.0.0.0:5000")));
    }
}
