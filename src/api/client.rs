//! The typed async client for Mailtrap's token API: one method per endpoint, each building its request
//! and naming how its answer is read. It knows nothing of the console.

use std::net::IpAddr;
use std::sync::Arc;

use reqwest::{Method, Url};
use serde_json::{Value, json};

use super::answer::{decode, decode_error, decode_secret_answer};
use super::error::ApiError;
use super::models::*;
use super::plan::PlannedRequest;
use super::prefault::Prefault;
use super::ratelimit::RateLimiter;
use super::secret::Secret;
use super::transport::{ClientOptions, OpenAnswer, RetryNotice, Transport};

pub const DEFAULT_BASE_URL: &str = "https://mailtrap.io";

/// Cheap to clone: every clone shares one connection pool, one limiter and one rate-limit reading.
#[derive(Clone)]
pub struct Client {
    transport: Transport,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base", &self.transport.base.as_str())
            .field("token", &*self.transport.token)
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
        Ok(Self {
            transport: Transport::new(base, token, options)?,
        })
    }

    /// The same connection pool with another token: used to check that a new secret works.
    pub fn with_token(&self, token: Secret) -> Self {
        Self {
            transport: self.transport.with_token(token),
        }
    }

    /// Uses `limiter` instead of the process-wide one for this token (tests use a small limit; a caller may
    /// share one limiter between clients on purpose).
    pub fn with_rate_limiter(mut self, limiter: Arc<RateLimiter>) -> Self {
        self.transport.limiter = limiter;
        self
    }

    /// Calls `observer` before each automatic retry of a read, so a UI can say that it is waiting.
    pub fn on_retry(mut self, observer: impl Fn(&RetryNotice) + Send + Sync + 'static) -> Self {
        self.transport.on_retry = Some(Arc::new(observer));
        self
    }

    pub fn base_url(&self) -> &Url {
        &self.transport.base
    }

    /// The operator's own token; the console compares it with rows to spot "the token I run on".
    pub fn token(&self) -> &Secret {
        &self.transport.token
    }

    /// `X-Ratelimit-Remaining` from the latest answer, if any answer carried it.
    pub fn rate_remaining(&self) -> Option<u32> {
        self.transport.rate_remaining()
    }

    // ---- endpoints -------------------------------------------------------------------------------------

    pub async fn accounts(&self) -> Result<Vec<Account>, ApiError> {
        self.transport.get_json("/api/accounts").await
    }

    /// The organization's accounts (OAS account-management); needs an organization-level token.
    pub async fn sub_accounts(&self, organization_id: i64) -> Result<Vec<SubAccount>, ApiError> {
        self.transport
            .get_json(&format!(
                "/api/organizations/{organization_id}/sub_accounts"
            ))
            .await
    }

    /// The account's tokens, each decoded as soon as it has arrived (the answer is never held whole);
    /// one the client cannot read is reported in `unreadable` while the rest arrive.
    pub async fn list_tokens(&self, account: AccountId) -> Result<TokenList, ApiError> {
        let (tokens, unreadable) = self.list_tokens_as(account, keep()).await?;
        Ok(TokenList::collected(tokens, unreadable))
    }

    /// [`Client::list_tokens`] with each readable token made into what `digest` makes of it, on the
    /// decoders (the console's rows, say, rather than tokens to be moved into rows afterwards); with the
    /// tokens that could not be read.
    pub async fn list_tokens_as<T, D>(
        &self,
        account: AccountId,
        digest: D,
    ) -> Result<(Vec<T>, Vec<UnreadableToken>), ApiError>
    where
        T: Send + 'static,
        D: Digest<Made = Vec<T>, Error = std::convert::Infallible> + Clone,
    {
        self.transport
            .get_reading(&tokens_path(account), |open| {
                TokenListAnswer { open, again: None }.collect_as(digest.clone())
            })
            .await
    }

    /// The token list answer, its body still to come: [`TokenListAnswer::decode_with`] reads it as it
    /// arrives (a list of 100,000 is then never held whole, as text or as tokens).
    pub async fn token_list_answer(&self, account: AccountId) -> Result<TokenListAnswer, ApiError> {
        let path = tokens_path(account);
        let open = self.transport.open_get(&path).await?;
        Ok(TokenListAnswer {
            open,
            again: Some((self.transport.clone(), path)),
        })
    }

    pub async fn get_token(&self, account: AccountId, id: TokenId) -> Result<ApiToken, ApiError> {
        self.transport
            .get_json(&format!("/api/accounts/{account}/api_tokens/{id}"))
            .await
    }

    /// One token read as [`Client::get_token`] reads it, with the answer's text kept beside it, so that
    /// `get --output json` can pass on the fields this build does not know.
    pub async fn token_answer(
        &self,
        account: AccountId,
        id: TokenId,
    ) -> Result<TokenAnswer, ApiError> {
        let (status, bytes) = self
            .transport
            .get_body(&format!("/api/accounts/{account}/api_tokens/{id}"))
            .await?;
        let token = decode(status, &bytes)?;
        Ok(TokenAnswer { token, bytes })
    }

    /// The request `create_token` sends.
    pub fn plan_create(
        &self,
        account: AccountId,
        new: &NewToken,
    ) -> Result<PlannedRequest, ApiError> {
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
        self.plan(
            Method::POST,
            &format!("/api/accounts/{account}/api_tokens"),
            Some(body),
        )
    }

    pub async fn create_token(
        &self,
        account: AccountId,
        new: &NewToken,
    ) -> Result<CreatedToken, ApiError> {
        let plan = self.plan_create(account, new)?;
        let (status, bytes) = self.transport.write(&plan).await?;
        decode_secret_answer(status, &bytes)
    }

    /// The request `reset_token` sends. With `Expiry::ServerDefault` it has no body at all, as
    /// production expects.
    pub fn plan_reset(
        &self,
        account: AccountId,
        id: TokenId,
        expiry: Expiry,
    ) -> Result<PlannedRequest, ApiError> {
        let body = expiry_json(expiry).map(|e| json!({ "expires_at": e }));
        self.plan(
            Method::POST,
            &format!("/api/accounts/{account}/api_tokens/{id}/reset"),
            body,
        )
    }

    /// Resets a token.
    pub async fn reset_token(
        &self,
        account: AccountId,
        id: TokenId,
        expiry: Expiry,
    ) -> Result<CreatedToken, ApiError> {
        let plan = self.plan_reset(account, id, expiry)?;
        let (status, bytes) = self.transport.write(&plan).await?;
        decode_secret_answer(status, &bytes)
    }

    /// The request `delete_token` sends.
    pub fn plan_delete(&self, account: AccountId, id: TokenId) -> Result<PlannedRequest, ApiError> {
        self.plan(
            Method::DELETE,
            &format!("/api/accounts/{account}/api_tokens/{id}"),
            None,
        )
    }

    pub async fn delete_token(&self, account: AccountId, id: TokenId) -> Result<(), ApiError> {
        let plan = self.plan_delete(account, id)?;
        self.transport.write(&plan).await?;
        Ok(())
    }

    pub async fn account_accesses(
        &self,
        account: AccountId,
    ) -> Result<Vec<AccountAccess>, ApiError> {
        self.transport
            .get_json(&format!("/api/accounts/{account}/account_accesses"))
            .await
    }

    /// The request `update_permissions` sends: the bulk `PUT` on the token's account access
    /// (`access_id`, from [`Client::account_accesses`]).
    pub fn plan_update_permissions(
        &self,
        account: AccountId,
        access_id: i64,
        changes: &[PermissionChange],
    ) -> Result<PlannedRequest, ApiError> {
        if changes.is_empty() {
            return Err(ApiError::Config("no permission changes to send".into()));
        }
        let body = json!({ "permissions": changes.iter().map(bulk_line).collect::<Vec<_>>() });
        let path = format!("/api/accounts/{account}/account_accesses/{access_id}/permissions/bulk");
        self.plan(Method::PUT, &path, Some(body))
    }

    pub async fn update_permissions(
        &self,
        account: AccountId,
        access_id: i64,
        changes: &[PermissionChange],
    ) -> Result<(), ApiError> {
        let plan = self.plan_update_permissions(account, access_id, changes)?;
        self.transport.write(&plan).await?;
        Ok(())
    }

    /// The token's account access, through which its permissions are edited (spec §8.2).
    pub async fn token_access(
        &self,
        account: AccountId,
        token: TokenId,
    ) -> Result<AccountAccess, ApiError> {
        let accesses = self.account_accesses(account).await?;
        accesses
            .into_iter()
            .find(|a| a.api_token_id() == Some(token))
            .ok_or_else(|| {
                ApiError::Config(
                    "the account lists no access for this token, so its permissions cannot be edited \
                     here (unsupported for this token)"
                        .into(),
                )
            })
    }

    fn plan(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<PlannedRequest, ApiError> {
        let url = self
            .transport
            .base
            .join(path)
            .map_err(|e| ApiError::Config(format!("bad path {path}: {e}")))?;
        Ok(PlannedRequest { method, url, body })
    }

    pub async fn resource_tree(&self, account: AccountId) -> Result<Vec<ResourceNode>, ApiError> {
        self.transport
            .get_json(&format!("/api/accounts/{account}/permissions/resources"))
            .await
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

/// The JSON body of the bulk permissions `PUT` for `changes`, exactly as `update_permissions` sends it.
pub fn bulk_permissions_body(changes: &[PermissionChange]) -> String {
    json!({ "permissions": changes.iter().map(bulk_line).collect::<Vec<_>>() }).to_string()
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
}

fn tokens_path(account: AccountId) -> String {
    format!("/api/accounts/{account}/api_tokens")
}

/// A token list answer whose body is still to be read.
pub struct TokenListAnswer {
    open: OpenAnswer,
    /// Where to ask again when the answer breaks off before any token was handed on; `None` where the
    /// caller retries the whole read itself.
    again: Option<(Transport, String)>,
}

/// Room is taken for an announced answer as if each token took this many bytes, fewer than one with
/// the fields the API sends. A list of shorter tokens outgrows the room and grows as it is read.
const SMALLEST_ELEMENT_BYTES: usize = 64;

/// No more room than this many tokens is taken ahead of the answer, whatever length it announces.
const MOST_TOKENS_RESERVED: usize = 1 << 22;

/// Why reading a list answer stopped: the answer could not be read, or the reader said stop.
#[derive(Debug)]
pub enum ListStop<E> {
    Api(ApiError),
    Each(E),
}

impl TokenListAnswer {
    /// Every token, kept (the ones that cannot be read set aside, see [`ListReader`]), decoded on every
    /// core.
    pub async fn collect(self) -> Result<TokenList, ApiError> {
        let (tokens, unreadable) = self.collect_as(keep()).await?;
        Ok(TokenList::collected(tokens, unreadable))
    }

    /// What `digest` makes of every readable token, in the list's order, and the tokens that could not
    /// be read.
    pub async fn collect_as<T, D>(
        self,
        digest: D,
    ) -> Result<(Vec<T>, Vec<UnreadableToken>), ApiError>
    where
        T: Send + 'static,
        D: Digest<Made = Vec<T>, Error = std::convert::Infallible>,
    {
        let mut all = Vec::new();
        if let Some(length) = self.open.announced_length() {
            // Room for as many tokens as the announced answer could hold, taken once: grown by doubling,
            // each step would copy what was read so far into new pages. Room never written to is
            // address space only, and is given back below.
            let most = (length / SMALLEST_ELEMENT_BYTES).min(MOST_TOKENS_RESERVED);
            let _ = all.try_reserve_exact(most);
        }
        let mut prefault = Prefault::ahead_of(&all);
        let read = self
            .decode_with(digest, |batch| {
                if all.capacity() - all.len() < batch.len() {
                    // The room is outgrown (shorter tokens than the room was taken for) and is about
                    // to move: the helper asks for no more of it.
                    prefault = None;
                }
                all.append(batch);
                if let Some(prefault) = &mut prefault {
                    prefault.keep_ahead(&all);
                }
                Ok(())
            })
            .await;
        // The helper asks for no more before the room is given back.
        drop(prefault);
        match read {
            Ok(unreadable) => {
                // Grown by doubling, it may have nearly as much room again as it holds; a large
                // allocation gives that back in place, without a copy.
                all.shrink_to_fit();
                Ok((all, unreadable))
            }
            Err(ListStop::Api(e)) => Err(e),
            Err(ListStop::Each(never)) => match never {},
        }
    }

    /// Reads the answer as it arrives with its tokens decoded on other threads (see [`ParallelReader`]):
    /// `digest` makes something of each batch of readable tokens there, and `each` gets what each batch
    /// made here, in the list's order; returns the tokens that could not be read. An answer that breaks
    /// off is an error after what the tokens before the break made was handed on.
    pub async fn decode_with<D: Digest>(
        mut self,
        digest: D,
        mut each: impl FnMut(&mut D::Made) -> Result<(), D::Error>,
    ) -> Result<Vec<UnreadableToken>, ListStop<D::Error>> {
        let digest = std::sync::Arc::new(digest);
        let mut reader =
            ParallelReader::new(digest.clone()).expecting(self.open.announced_length());
        let mut retries = 0;
        loop {
            match self.open.chunk().await {
                Ok(Some(chunk)) => {
                    if let Err(stop) = reader.feed(&chunk, &mut each).await {
                        return Err(list_stop(self.open.status, reader.head(), stop));
                    }
                }
                Ok(None) => break,
                Err(e) => match &self.again {
                    // Nothing was found yet, so reading it all again repeats nothing.
                    Some((transport, path))
                        if reader.nothing_read()
                            && e.is_transient()
                            && retries < transport.read_retries() =>
                    {
                        retries += 1;
                        tracing::info!(path, retries, error = %e, "the list broke off before a token; asking again");
                        self.open = transport.open_get(path).await.map_err(ListStop::Api)?;
                        reader = ParallelReader::new(digest.clone())
                            .expecting(self.open.announced_length());
                    }
                    // What was found before the break is still handed on, then the break is the error.
                    _ => {
                        let head = reader.head().to_vec();
                        return match reader.finish_broken(&mut each).await {
                            Ok(()) => Err(ListStop::Api(e)),
                            Err(stop) => Err(list_stop(self.open.status, &head, stop)),
                        };
                    }
                },
            }
        }
        let head = reader.head().to_vec();
        let status = self.open.status;
        reader
            .finish(&mut each)
            .await
            .map_err(|stop| list_stop(status, &head, stop))
    }
}

/// The digest that makes each readable token into what `F` makes of it, on the decoders: the token
/// itself (`keep`), or the console's row.
#[derive(Clone, Copy)]
pub struct Made<F>(pub F);

/// The digest that keeps the tokens (a closure, not a function pointer: called for every token, it is
/// inlined).
fn keep() -> Made<impl Fn(ApiToken) -> ApiToken + Clone + Send + Sync> {
    Made(|token| token)
}

impl<T, F> Digest for Made<F>
where
    T: Send + 'static,
    F: Fn(ApiToken) -> T + Send + Sync + 'static,
{
    type Made = Vec<T>;
    type Error = std::convert::Infallible;

    fn start(&self, elements: usize, _: usize) -> Vec<T> {
        Vec::with_capacity(elements)
    }

    fn clear(&self, made: &mut Vec<T>) {
        made.clear();
    }

    fn add(&self, made: &mut Vec<T>, token: ApiToken, _: &str) -> Result<(), Self::Error> {
        made.push((self.0)(token));
        Ok(())
    }
}

fn list_stop<E>(status: reqwest::StatusCode, head: &[u8], stop: StreamStop<E>) -> ListStop<E> {
    match stop {
        StreamStop::Decode(e) => ListStop::Api(decode_error(status, head, &e)),
        StreamStop::Each(e) => ListStop::Each(e),
    }
}

/// One token's answer: the token as the model reads it, and the answer as it came.
pub struct TokenAnswer {
    pub token: ApiToken,
    bytes: Vec<u8>,
}

impl TokenAnswer {
    /// The answer's text as the server sent it; `None` when it is not UTF-8 (JSON must be).
    pub fn sent(&self) -> Option<&str> {
        std::str::from_utf8(&self.bytes).ok()
    }
}
