//! SDK mode. Mailtrap's official SDKs hard-code `https://mailtrap.io`. With `HTTPS_PROXY` pointing at the
//! simulator and its certificate trusted (`NODE_EXTRA_CA_CERTS` for Node, `REQUESTS_CA_BUNDLE` for Python),
//! they reach it unchanged: the simulator accepts the proxy's CONNECT, speaks TLS as `mailtrap.io` inside
//! the tunnel, and serves the same API there.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use axum::extract::connect_info::MockConnectInfo;
use axum::http::StatusCode;
use axum::response::Response;
use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio_rustls::TlsAcceptor;

use super::control::is_loopback_peer;

/// A certificate for `mailtrap.io` made now (never stored), and the TLS server that presents it.
pub fn make_tls() -> Result<(String, TlsAcceptor), String> {
    let names = vec!["mailtrap.io".to_string(), "localhost".to_string()];
    let certified =
        rcgen::generate_simple_self_signed(names).map_err(|e| format!("certificate: {e}"))?;
    let cert: CertificateDer<'static> = certified.cert.der().clone();
    let key = PrivateKeyDer::from(PrivatePkcs8KeyDer::from(
        certified.signing_key.serialize_der(),
    ));
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS versions: {e}"))?
        .with_no_client_auth()
        .with_single_cert(vec![cert], key)
        .map_err(|e| format!("TLS certificate: {e}"))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok((certified.cert.pem(), TlsAcceptor::from(Arc::new(config))))
}

/// Answers a proxy CONNECT: 200, then the tunnel carries TLS to `app`, the simulator's own routes.
pub fn connect(app: Router, tls: TlsAcceptor, peer: SocketAddr, request: Request) -> Response {
    if !is_loopback_peer(&peer) {
        return status(StatusCode::FORBIDDEN);
    }
    let upgrade = hyper::upgrade::on(request);
    tokio::spawn(async move {
        let Ok(upgraded) = upgrade.await else { return };
        let Ok(stream) = tls.accept(TokioIo::new(upgraded)).await else {
            return;
        };
        let app = app.layer(MockConnectInfo(peer));
        let served = hyper::server::conn::http1::Builder::new()
            .serve_connection(TokioIo::new(stream), TowerToHyperService::new(app))
            .await;
        if let Err(e) = served {
            tracing::debug!(error = %e, "an SDK tunnel ended");
        }
    });
    status(StatusCode::OK)
}

fn status(code: StatusCode) -> Response {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = code;
    response
}
