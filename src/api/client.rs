//! The typed async client for Mailtrap's token API. It knows nothing of the console.

use std::net::IpAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;
use zeroize::{Zeroize, Zeroizing};

use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderMap, RETRY_AFTER, USER_AGENT};
use reqwest::{Method, StatusCode, Url};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use super::error::{ApiError, FieldError};
use super::models::*;
use super::ratelimit::RateLimiter;
use super::secret::Secret;

pub const DEFAULT_BASE_URL: &str = "https://mailtrap.io";
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
pub struct Client {
    http: reqwest::Client,
    base: Url,
    token: Arc<Secret>,
    limiter: Arc<RateLimiter>,
    remaining: Arc<AtomicI64>,
    options: ClientOptions,
    on_retry: Option<RetryObserver>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base", &self.base.as_str())
            .field("token", &*self.token)
            .finish()
    }
}

/// Checks a base URL: https anywhere, plain http only to a loopback host (a token must not cross a network
/// in the clear).
pub fn validate_base_url(text: &str) -> Result<Url, ApiError> {
    let url =
        Url::parse(text.trim()).map_err(|e| ApiError::Config(format!("API URL {text:?}: {e}")))?;
    let loopback = match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    };
    match url.scheme() {
        "https" if url.host().is_some() => Ok(url),
        "http" if loopback => Ok(url),
        "http" => Err(ApiError::Config(format!(
            "refusing plain http:// to {}: the token would cross the network unencrypted; use https:// \
             (http:// is allowed only for loopback addresses)",
            url.host_str().unwrap_or("?")
        ))),
        other => Err(ApiError::Config(format!(
            "API URL {text:?}: scheme {other:?} is not http(s)"
        ))),
    }
}

impl Client {
    pub fn new(base_url: &str, token: Secret) -> Result<Self, ApiError> {
        Self::with_options(base_url, token, ClientOptions::default())
    }

    pub fn with_options(
        base_url: &str,
        token: Secret,
        options: ClientOptions,
    ) -> Result<Self, ApiError> {
        let base = validate_base_url(base_url)?;
        if token.is_empty() {
            return Err(ApiError::Config("the API token is empty".into()));
        }
        // A pasted token with a newline or a space would fail every request as a misleading "builder error".
        if !token.expose_secret().bytes().all(|b| b.is_ascii_graphic()) {
            return Err(ApiError::Config(
                "the API token contains spaces, line breaks or other characters a token never has"
                    .into(),
            ));
        }
        let http = reqwest::Client::builder()
            .connect_timeout(options.connect_timeout)
            .timeout(options.request_timeout)
            .redirect(reqwest::redirect::Policy::none())
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

    /// The same connection pool with another token: used to check that a new secret works.
    pub fn with_token(&self, token: Secret) -> Self {
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

    /// Uses `limiter` instead of the process-wide one for this token (tests use a small limit; a caller may
    /// share one limiter between clients on purpose).
    pub fn with_rate_limiter(mut self, limiter: Arc<RateLimiter>) -> Self {
        self.limiter = limiter;
        self
    }

    /// Calls `observer` before each automatic retry of a read, so a UI can say that it is waiting.
    pub fn on_retry(mut self, observer: impl Fn(&RetryNotice) + Send + Sync + 'static) -> Self {
        self.on_retry = Some(Arc::new(observer));
        self
    }

    pub fn base_url(&self) -> &Url {
        &self.base
    }

    /// The operator's own token; the console compares it with rows to spot "the token I run on".
    pub fn token(&self) -> &Secret {
        &self.token
    }

    /// `X-Ratelimit-Remaining` from the latest answer, if any answer carried it.
    pub fn rate_remaining(&self) -> Option<u32> {
        u32::try_from(self.remaining.load(Ordering::Relaxed)).ok()
    }

    // ---- endpoints -------------------------------------------------------------------------------------

    pub async fn accounts(&self) -> Result<Vec<Account>, ApiError> {
        self.get_json("/api/accounts").await
    }

    /// The account's tokens; each is decoded on its own, so one the client cannot read is reported in
    /// `unreadable` while the rest arrive.
    pub async fn list_tokens(&self, account: AccountId) -> Result<TokenList, ApiError> {
        self.get_decoded(
            &format!("/api/accounts/{account}/api_tokens"),
            |status, bytes| TokenList::decode(bytes).map_err(|e| decode_error(status, bytes, &e)),
        )
        .await
    }

    pub async fn get_token(&self, account: AccountId, id: TokenId) -> Result<ApiToken, ApiError> {
        self.get_json(&format!("/api/accounts/{account}/api_tokens/{id}"))
            .await
    }

    pub async fn create_token(
        &self,
        account: AccountId,
        new: &NewToken,
    ) -> Result<CreatedToken, ApiError> {
        let mut body = json!({
            "name": new.name,
            "resources": new.resources.iter().map(|r| json!({
                "resource_type": r.resource_type.as_str(),
                "resource_id": r.resource_id,
                "access_level": r.access_level.0,
            })).collect::<Vec<_>>(),
        });
        if let Some(expiry) = expiry_json(new.expiry) {
            body["expires_at"] = expiry;
        }
        let (status, bytes) = self
            .write(
                Method::POST,
                &format!("/api/accounts/{account}/api_tokens"),
                Some(body),
            )
            .await?;
        decode_secret_answer(status, &bytes)
    }

    /// Resets a token. With `Expiry::ServerDefault` the request has no body at all, as production expects.
    pub async fn reset_token(
        &self,
        account: AccountId,
        id: TokenId,
        expiry: Expiry,
    ) -> Result<CreatedToken, ApiError> {
        let body = expiry_json(expiry).map(|e| json!({ "expires_at": e }));
        let (status, bytes) = self
            .write(
                Method::POST,
                &format!("/api/accounts/{account}/api_tokens/{id}/reset"),
                body,
            )
            .await?;
        decode_secret_answer(status, &bytes)
    }

    pub async fn delete_token(&self, account: AccountId, id: TokenId) -> Result<(), ApiError> {
        self.write(
            Method::DELETE,
            &format!("/api/accounts/{account}/api_tokens/{id}"),
            None,
        )
        .await?;
        Ok(())
    }

    pub async fn account_accesses(
        &self,
        account: AccountId,
    ) -> Result<Vec<AccountAccess>, ApiError> {
        self.get_json(&format!("/api/accounts/{account}/account_accesses"))
            .await
    }

    pub async fn update_permissions(
        &self,
        account: AccountId,
        access_id: i64,
        changes: &[PermissionChange],
    ) -> Result<(), ApiError> {
        if changes.is_empty() {
            return Err(ApiError::Config("no permission changes to send".into()));
        }
        let body = json!({ "permissions": changes.iter().map(bulk_line).collect::<Vec<_>>() });
        let path = format!("/api/accounts/{account}/account_accesses/{access_id}/permissions/bulk");
        self.write(Method::PUT, &path, Some(body)).await?;
        Ok(())
    }

    pub async fn resource_tree(&self, account: AccountId) -> Result<Vec<ResourceNode>, ApiError> {
        self.get_json(&format!("/api/accounts/{account}/permissions/resources"))
            .await
    }

    // ---- transport ------------------------------------------------------------------------------------

    async fn get_json<T: DeserializeOwned>(&self, path: &str) -> Result<T, ApiError> {
        self.get_decoded(path, decode).await
    }

    /// A GET, retried on transient failures, whose answer `decode` reads.
    async fn get_decoded<T>(
        &self,
        path: &str,
        decode: impl Fn(StatusCode, &[u8]) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        let mut attempt = 0;
        loop {
            match self.send_once(Method::GET, path, None).await {
                Ok((status, bytes)) => return decode(status, &bytes),
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
    async fn write(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<(StatusCode, Zeroizing<Vec<u8>>), ApiError> {
        // A write's answer may hold a new secret: its bytes are wiped once decoded (when this drops).
        self.send_once(method, path, body)
            .await
            .map(|(status, bytes)| (status, Zeroizing::new(bytes)))
            .map_err(|f| f.error)
    }

    async fn send_once(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<(StatusCode, Vec<u8>), Failure> {
        let url = self
            .base
            .join(path)
            .map_err(|e| Failure::new(ApiError::Config(format!("bad path {path}: {e}"))))?;
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
        let headers = response.headers().clone();
        self.note_rate_headers(&headers);
        let wipe = method == Method::POST;
        let bytes = read_body(response, wipe).await.map_err(Failure::new)?;
        tracing::debug!(%method, path, status = status.as_u16(), "response");
        if status.is_success() {
            return Ok((status, bytes));
        }
        let retry_after = parse_retry_after(&headers);
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

fn expiry_json(expiry: Expiry) -> Option<Value> {
    match expiry {
        Expiry::ServerDefault => None,
        Expiry::Never => Some(Value::Null),
        Expiry::At(t) => Some(Value::String(
            t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        )),
    }
}

fn bulk_line(change: &PermissionChange) -> Value {
    let mut line = json!({
        "resource_id": change.resource_id.to_string(),
        "resource_type": change.resource_type.as_str(),
    });
    match change.access_level {
        Some(AccessLevel::ADMIN) => line["access_level"] = json!("admin"),
        Some(AccessLevel::VIEWER) => line["access_level"] = json!("viewer"),
        Some(other) => line["access_level"] = json!(other.0.to_string()),
        None => line["_destroy"] = json!(true),
    }
    line
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
    let mut too_large = false;
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
            too_large = true;
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
    if too_large {
        if wipe {
            bytes.zeroize();
        }
        return Err(ApiError::Decode {
            status,
            excerpt: format!("the answer is larger than {} MB", MAX_BODY_BYTES >> 20),
        });
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

fn decode<T: DeserializeOwned>(status: StatusCode, bytes: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(bytes).map_err(|e| decode_error(status, bytes, &e))
}

fn decode_error(status: StatusCode, bytes: &[u8], e: &serde_json::Error) -> ApiError {
    ApiError::Decode {
        status: status.as_u16(),
        excerpt: format!("{e}; body starts {}", safe_excerpt(bytes, 80)),
    }
}

/// Create and reset answers hold a secret: a body that cannot be decoded is never quoted. The token and
/// its secret are read in two passes straight from the bytes, so the secret is copied once, into its
/// `Secret` (a flattened struct would first buffer every field, the secret among them).
fn decode_secret_answer(status: StatusCode, bytes: &[u8]) -> Result<CreatedToken, ApiError> {
    #[derive(serde::Deserialize)]
    struct SecretField {
        token: Secret,
    }
    let decoded = serde_json::from_slice::<crate::api::ApiToken>(bytes).and_then(|token| {
        serde_json::from_slice::<SecretField>(bytes).map(|s| CreatedToken {
            token,
            secret: s.token,
        })
    });
    decoded.map_err(|e| ApiError::Decode {
        status: status.as_u16(),
        excerpt: format!(
            "{} at line {} column {} (the body is not quoted because it may hold a secret)",
            match e.classify() {
                serde_json::error::Category::Eof => "the answer was cut short",
                serde_json::error::Category::Syntax => "the answer is not JSON",
                _ => "the answer has an unexpected shape",
            },
            e.line(),
            e.column()
        ),
    })
}

/// A short, printable excerpt of a body: control characters dropped, long runs of letters and digits
/// (the shape of a secret) replaced, cut on a character boundary.
pub fn safe_excerpt(bytes: &[u8], max_chars: usize) -> String {
    let text = String::from_utf8_lossy(bytes);
    let mut out = String::new();
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        if run.chars().count() >= 20 {
            out.push_str("[redacted]");
        } else {
            out.push_str(run);
        }
        run.clear();
    };
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            run.push(c);
            continue;
        }
        flush(&mut run, &mut out);
        if c.is_control() {
            out.push(' ');
        } else if !crate::text::is_invisible_format(c) {
            out.push(c);
        }
        if out.chars().count() >= max_chars {
            break;
        }
    }
    flush(&mut run, &mut out);
    let collapsed: String = out.split_whitespace().collect::<Vec<_>>().join(" ");
    if collapsed.chars().count() > max_chars {
        let cut: String = collapsed.chars().take(max_chars).collect();
        format!("{cut}…")
    } else {
        collapsed
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

/// Reads every error shape of spec §6: `error` as a string; `errors` as a string, a list, or an object of
/// field → messages (`base` messages carry no field).
pub fn parse_error_messages(body: &Value) -> Vec<FieldError> {
    let mut out = Vec::new();
    if let Some(text) = body.get("error").and_then(Value::as_str) {
        out.push(FieldError {
            field: None,
            message: text.to_string(),
        });
    }
    let push_value = |out: &mut Vec<FieldError>, field: Option<&str>, value: &Value| match value {
        Value::String(s) => out.push(FieldError {
            field: field.map(str::to_string),
            message: s.clone(),
        }),
        Value::Array(items) => {
            for item in items {
                let message = item
                    .as_str()
                    .map_or_else(|| item.to_string(), str::to_string);
                out.push(FieldError {
                    field: field.map(str::to_string),
                    message,
                });
            }
        }
        Value::Null => {}
        other => out.push(FieldError {
            field: field.map(str::to_string),
            message: other.to_string(),
        }),
    };
    match body.get("errors") {
        Some(Value::Object(fields)) => {
            for (field, value) in fields {
                let field = (field != "base").then_some(field.as_str());
                push_value(&mut out, field, value);
            }
        }
        Some(other) => push_value(&mut out, None, other),
        None => {}
    }
    if let Some(text) = body.get("message").and_then(Value::as_str)
        && out.is_empty()
    {
        out.push(FieldError {
            field: None,
            message: text.to_string(),
        });
    }
    for e in &mut out {
        e.message = safe_excerpt(e.message.as_bytes(), 300);
    }
    out
}

fn describe_body(bytes: &[u8]) -> (Vec<FieldError>, String) {
    match serde_json::from_slice::<Value>(bytes) {
        Ok(json) => {
            let errors = parse_error_messages(&json);
            let text = errors
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; ");
            (errors, text)
        }
        Err(_) if bytes.is_empty() => (Vec::new(), "no details".into()),
        Err(_) => {
            let text = String::from_utf8_lossy(bytes);
            let lower = text.to_ascii_lowercase();
            let summary = if lower.contains("<html") || lower.contains("<!doctype") {
                let title = lower
                    .find("<title>")
                    .and_then(|start| {
                        lower[start + 7..]
                            .find("</title>")
                            .map(|end| (start + 7, start + 7 + end))
                    })
                    .map(|(a, b)| safe_excerpt(text[a..b].as_bytes(), 80));
                match title {
                    Some(t) if !t.is_empty() => format!("an HTML error page ({t})"),
                    _ => "an HTML error page".to_string(),
                }
            } else {
                safe_excerpt(bytes, 120)
            };
            (Vec::new(), summary)
        }
    }
}

fn error_from_response(
    status: StatusCode,
    bytes: &[u8],
    retry_after: Option<Duration>,
) -> ApiError {
    let (errors, text) = describe_body(bytes);
    match status.as_u16() {
        401 => ApiError::Unauthorized { message: text },
        403 => ApiError::Forbidden { message: text },
        404 => ApiError::NotFound,
        422 => ApiError::Validation { errors },
        429 => ApiError::RateLimited { retry_after },
        code @ 500..=599 => ApiError::Server {
            status: code,
            message: text,
        },
        code => ApiError::Status {
            status: code,
            message: text,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_only_for_loopback() {
        assert!(validate_base_url("https://mailtrap.io").is_ok());
        assert!(validate_base_url("http://127.0.0.1:8080").is_ok());
        assert!(validate_base_url("http://[::1]:8080").is_ok());
        assert!(validate_base_url("http://localhost:1").is_ok());
        let err = validate_base_url("http://mailtrap.io")
            .unwrap_err()
            .to_string();
        assert!(err.contains("refusing plain http://"), "{err}");
        assert!(validate_base_url("ftp://127.0.0.1").is_err());
        assert!(validate_base_url("not a url").is_err());
    }

    #[test]
    fn every_error_shape_of_section_6() {
        let parse = |s: &str| parse_error_messages(&serde_json::from_str(s).unwrap());
        assert_eq!(
            parse(r#"{"error":"Incorrect API token"}"#)[0].message,
            "Incorrect API token"
        );
        assert_eq!(
            parse(r#"{"errors":"Access forbidden"}"#)[0].message,
            "Access forbidden"
        );
        assert_eq!(parse(r#"{"errors":["a","b"]}"#).len(), 2);
        let fields = parse(r#"{"errors":{"base":["No permissions"],"name":["can't be blank"]}}"#);
        assert_eq!(fields[0].to_string(), "No permissions");
        assert_eq!(fields[1].to_string(), "name: can't be blank");
    }

    #[test]
    fn html_pages_are_summarised() {
        let (_, text) = describe_body(
            b"<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head></html>",
        );
        assert_eq!(text, "an HTML error page (502 Bad Gateway)");
    }

    #[test]
    fn excerpts_hide_secret_shaped_runs_and_controls() {
        let e = safe_excerpt(
            b"{\"token\":\"0123456789abcdef0123456789abdcf7\"}\x1b[31m",
            200,
        );
        assert!(!e.contains("0123456789abcdef"), "{e}");
        assert!(!e.contains('\x1b'));
    }
}
