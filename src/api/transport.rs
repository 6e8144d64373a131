//! Sending one request and reading its whole answer: the HTTP connection pool, the rate limiter, the
//! retries of reads, and the wiping of answers that may hold a secret. The endpoints in `client.rs` are
//! built on it.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;
use zeroize::{Zeroize, Zeroizing};

use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderMap, RETRY_AFTER, USER_AGENT};
use reqwest::{Method, StatusCode, Url};
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::answer::{decode, error_from_response, safe_excerpt};
use super::error::ApiError;
use super::plan::PlannedRequest;
use super::ratelimit::RateLimiter;
use super::secret::Secret;

const MAX_BODY_BYTES: usize = 64 * 1024 * 1024;

#[derive(Clone, Debug)]
pub struct ClientOptions {
    pub connect_timeout: Duration,
    pub request_timeout: Duration,
    /// Retries of a GET after a connection error, a 5xx or a 429; writes are never retried.
    pub read_retries: u32,
    pub backoff_base: Duration,
    pub backoff_cap: Duration,
}

impl Default for ClientOptions {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            read_retries: 3,
            backoff_base: Duration::from_millis(250),
            backoff_cap: Duration::from_secs(8),
        }
    }
}

/// A read's retry, reported to whoever wants to show that the client is waiting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryNotice {
    pub attempt: u32,
    pub wait: Duration,
    pub reason: String,
}

type RetryObserver = Arc<dyn Fn(&RetryNotice) + Send + Sync>;

/// Cheap to clone: every clone shares one connection pool, one limiter and one rate-limit reading.
#[derive(Clone)]
pub(super) struct Transport {
    http: reqwest::Client,
    pub(super) base: Url,
    pub(super) token: Arc<Secret>,
    pub(super) limiter: Arc<RateLimiter>,
    remaining: Arc<AtomicI64>,
    options: ClientOptions,
    pub(super) on_retry: Option<RetryObserver>,
}

impl Transport {
    /// `base` and `token` are already checked by the caller.
    pub(super) fn new(base: Url, token: Secret, options: ClientOptions) -> Result<Self, ApiError> {
        let builder = reqwest::Client::builder()
            .connect_timeout(options.connect_timeout)
            .timeout(options.request_timeout)
            .redirect(reqwest::redirect::Policy::none());
        // Redirects are not followed, so a plain-HTTP base (the simulator, a local proxy) never speaks TLS:
        // an empty root store spares reading and parsing the system's certificates at every start.
        let builder = if base.scheme() == "http" {
            builder.tls_certs_only(std::iter::empty())
        } else {
            builder
        };
        let http = builder
            .build()
            .map_err(|e| ApiError::Config(format!("cannot build the HTTP client: {e}")))?;
        Ok(Self {
            http,
            limiter: RateLimiter::for_token(token.expose_secret()),
            base,
            token: Arc::new(token),
            remaining: Arc::new(AtomicI64::new(-1)),
            options,
            on_retry: None,
        })
    }

    /// The same connection pool with another token.
    pub(super) fn with_token(&self, token: Secret) -> Self {
        Self {
            http: self.http.clone(),
            base: self.base.clone(),
            limiter: RateLimiter::for_token(token.expose_secret()),
            token: Arc::new(token),
            remaining: Arc::new(AtomicI64::new(-1)),
            options: self.options.clone(),
            on_retry: self.on_retry.clone(),
        }
    }

    pub(super) fn rate_remaining(&self) -> Option<u32> {
        u32::try_from(self.remaining.load(Ordering::Relaxed)).ok()
    }

    pub(super) async fn get_json<T: DeserializeOwned>(&self, path: &str) -> Result<T, ApiError> {
        self.get_decoded(path, decode).await
    }

    /// A GET, retried on transient failures, whose answer `decode` reads.
    pub(super) async fn get_decoded<T>(
        &self,
        path: &str,
        decode: impl Fn(StatusCode, &[u8]) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        let (status, bytes) = self.get_body(path).await?;
        decode(status, &bytes)
    }

    /// A GET, retried on transient failures: a successful answer's status and body, not yet decoded.
    pub(super) async fn get_body(&self, path: &str) -> Result<(StatusCode, Vec<u8>), ApiError> {
        self.get_reading(path, |open| async move {
            let status = open.status;
            read_body(open.response, false)
                .await
                .map(|bytes| (status, bytes))
        })
        .await
    }

    /// A GET, retried on transient failures until its answer's head has come: the body is still to be
    /// read (see [`OpenAnswer::chunk`]).
    pub(super) async fn open_get(&self, path: &str) -> Result<OpenAnswer, ApiError> {
        self.get_reading(path, |open| async move { Ok(open) }).await
    }

    /// How many times a read is asked again after a transient failure.
    pub(super) fn read_retries(&self) -> u32 {
        self.options.read_retries
    }

    /// A GET whose successful answer `read` reads as it arrives (see [`OpenAnswer::chunk`]). A transient
    /// failure, before the answer or while `read` reads it, is retried from the start: `read` is called
    /// afresh with the new answer.
    pub(super) async fn get_reading<T, F, Fut>(
        &self,
        path: &str,
        mut read: F,
    ) -> Result<T, ApiError>
    where
        F: FnMut(OpenAnswer) -> Fut,
        Fut: Future<Output = Result<T, ApiError>>,
    {
        let mut attempt = 0;
        loop {
            let url = self
                .base
                .join(path)
                .map_err(|e| ApiError::Config(format!("bad path {path}: {e}")))?;
            let outcome = match self.send_head(Method::GET, url, None).await {
                Ok((status, response)) => read(OpenAnswer {
                    status,
                    response,
                    received: 0,
                })
                .await
                .map_err(Failure::new),
                Err(failure) => Err(failure),
            };
            match outcome {
                Ok(answer) => return Ok(answer),
                Err(failure)
                    if failure.error.is_transient() && attempt < self.options.read_retries =>
                {
                    attempt += 1;
                    let backoff = self
                        .options
                        .backoff_base
                        .saturating_mul(1 << (attempt - 1).min(16))
                        .min(self.options.backoff_cap);
                    let wait = failure
                        .retry_after
                        .map_or(backoff, |r| r.min(Duration::from_secs(60)));
                    if let Some(observer) = &self.on_retry {
                        observer(&RetryNotice {
                            attempt,
                            wait,
                            reason: failure.error.to_string(),
                        });
                    }
                    tracing::info!(path, attempt, wait_ms = wait.as_millis() as u64, error = %failure.error, "retrying read");
                    tokio::time::sleep(wait).await;
                }
                Err(failure) => return Err(failure.error),
            }
        }
    }

    /// POST, PUT and DELETE: sent once, never retried, whatever happens.
    pub(super) async fn write(
        &self,
        plan: &PlannedRequest,
    ) -> Result<(StatusCode, Zeroizing<Vec<u8>>), ApiError> {
        // A write's answer may hold a new secret: its bytes are wiped once decoded (when this drops).
        self.send_once(plan.method.clone(), plan.url.clone(), plan.body.as_ref())
            .await
            .map(|(status, bytes)| (status, Zeroizing::new(bytes)))
            .map_err(|f| f.error)
    }

    async fn send_once(
        &self,
        method: Method,
        url: Url,
        body: Option<&Value>,
    ) -> Result<(StatusCode, Vec<u8>), Failure> {
        let wipe = method == Method::POST;
        let (status, response) = self.send_head(method, url, body).await?;
        let bytes = read_body(response, wipe).await.map_err(Failure::new)?;
        Ok((status, bytes))
    }

    /// Sends the request and waits for the answer's head: a success comes back with its body still to
    /// be read; any other status is read whole and becomes the error it means.
    async fn send_head(
        &self,
        method: Method,
        url: Url,
        body: Option<&Value>,
    ) -> Result<(StatusCode, reqwest::Response), Failure> {
        let path = url.path().to_string();
        let path = path.as_str();
        self.limiter.acquire().await;
        let mut request = self
            .http
            .request(method.clone(), url)
            // bearer_auth marks the header sensitive, so no Debug of the request can show it.
            .bearer_auth(self.token.expose_secret())
            .header(
                USER_AGENT,
                concat!("mailtrap-tokens/", env!("CARGO_PKG_VERSION")),
            )
            .header(ACCEPT, "application/json");
        if let Some(body) = &body {
            request = request
                .header(CONTENT_TYPE, "application/json")
                .body(body.to_string());
        }
        tracing::debug!(%method, path, "request");
        let response = request
            .send()
            .await
            .map_err(|e| Failure::new(transport_error(&e)))?;
        let status = response.status();
        self.note_rate_headers(response.headers());
        tracing::debug!(%method, path, status = status.as_u16(), "response");
        if status.is_success() {
            return Ok((status, response));
        }
        let retry_after = parse_retry_after(response.headers());
        // A failed write's answer may still echo what was sent: it is wiped like a success's.
        let bytes = read_body(response, method == Method::POST)
            .await
            .map_err(Failure::new)?;
        if status == StatusCode::TOO_MANY_REQUESTS {
            let pause = retry_after.unwrap_or(Duration::from_secs(1));
            self.limiter
                .pause_until(tokio::time::Instant::now() + pause);
        }
        Err(Failure {
            error: error_from_response(status, &bytes, retry_after),
            retry_after,
        })
    }

    fn note_rate_headers(&self, headers: &HeaderMap) {
        let Some(left) = headers
            .get("x-ratelimit-remaining")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<i64>().ok())
        else {
            return;
        };
        self.remaining.store(left.max(0), Ordering::Relaxed);
        if left <= 0 {
            // Someone else (another process on this token) used the window up: wait it out rather than
            // collect 429s.
            self.limiter
                .pause_until(tokio::time::Instant::now() + Duration::from_secs(2));
        }
    }
}

struct Failure {
    error: ApiError,
    retry_after: Option<Duration>,
}

impl Failure {
    fn new(error: ApiError) -> Self {
        Self {
            error,
            retry_after: None,
        }
    }
}

/// A successful answer whose body has not been read yet.
pub(super) struct OpenAnswer {
    pub(super) status: StatusCode,
    response: reqwest::Response,
    received: usize,
}

impl OpenAnswer {
    /// The body's length as the answer announced it, if it did.
    pub(super) fn announced_length(&self) -> Option<usize> {
        self.response
            .content_length()
            .and_then(|n| usize::try_from(n).ok())
    }

    /// The body's next piece as it arrives, `None` once it has all come. Never for an answer that may
    /// hold a secret: these are read whole and wiped (`Transport::write`).
    pub(super) async fn chunk(&mut self) -> Result<Option<bytes::Bytes>, ApiError> {
        match self.response.chunk().await {
            Ok(Some(chunk)) => {
                self.received += chunk.len();
                if self.received > MAX_BODY_BYTES {
                    return Err(too_large(self.status.as_u16()));
                }
                Ok(Some(chunk))
            }
            Ok(None) => Ok(None),
            Err(e) => Err(transport_error(&e)),
        }
    }
}

fn too_large(status: u16) -> ApiError {
    ApiError::Decode {
        status,
        excerpt: format!("the answer is larger than {} MB", MAX_BODY_BYTES >> 20),
    }
}

/// The whole body. With `wipe` (an answer that may hold a secret) no copy is left behind: a buffer
/// outgrown is zeroed before it is freed, and each received chunk is zeroed where it is ours alone.
async fn read_body(mut response: reqwest::Response, wipe: bool) -> Result<Vec<u8>, ApiError> {
    let status = response.status().as_u16();
    let hint = response
        .content_length()
        .and_then(|n| usize::try_from(n).ok())
        .unwrap_or(0)
        .min(MAX_BODY_BYTES);
    let mut bytes = Vec::with_capacity(hint);
    let mut chunks = Vec::new();
    let mut over_limit = false;
    loop {
        let chunk = match response.chunk().await {
            Ok(Some(chunk)) => chunk,
            Ok(None) => break,
            Err(e) => {
                // A broken answer may still hold part of a secret.
                if wipe {
                    bytes.zeroize();
                    wipe_chunks(chunks);
                }
                return Err(transport_error(&e));
            }
        };
        if bytes.len() + chunk.len() > MAX_BODY_BYTES {
            over_limit = true;
            break;
        }
        if wipe && bytes.len() + chunk.len() > bytes.capacity() {
            let mut bigger =
                Vec::with_capacity((bytes.len() + chunk.len()).max(bytes.capacity() * 2));
            bigger.extend_from_slice(&bytes);
            std::mem::replace(&mut bytes, bigger).zeroize();
        }
        bytes.extend_from_slice(&chunk);
        if wipe {
            chunks.push(chunk);
        }
    }
    drop(response);
    if wipe {
        wipe_chunks(chunks);
    }
    if over_limit {
        if wipe {
            bytes.zeroize();
        }
        return Err(too_large(status));
    }
    Ok(bytes)
}

/// Zeroes received chunks in place where this process holds the only reference. A chunk still shared
/// with the HTTP connection's read buffer cannot be written; that buffer is overwritten by the
/// connection's next answers.
fn wipe_chunks(chunks: Vec<bytes::Bytes>) {
    for chunk in chunks {
        if let Ok(mut owned) = chunk.try_into_mut() {
            owned.as_mut().zeroize();
        }
    }
}

fn transport_error(e: &reqwest::Error) -> ApiError {
    if e.is_timeout() {
        return ApiError::Timeout;
    }
    if e.is_builder() {
        // Nothing was sent: the request itself could not be made (e.g. a token that is not header text).
        return ApiError::Config(
            "the request could not be built; check the API token and URL".into(),
        );
    }
    // reqwest's own text names the URL, never a header, so it carries no secret.
    let mut message = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(inner) = source {
        message = format!("{message}: {inner}");
        source = inner.source();
    }
    ApiError::Connection {
        message: safe_excerpt(message.as_bytes(), 240),
    }
}

fn parse_retry_after(headers: &HeaderMap) -> Option<Duration> {
    let text = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(secs) = text.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = httpdate::parse_http_date(text).ok()?;
    Some(
        when.duration_since(std::time::SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}
