//! A write request as it will go out: its method, its full URL and its JSON body, never its headers
//! (the Authorization header is added only when it is sent). `Client::create_token`, `reset_token`,
//! `delete_token` and `update_permissions` send exactly what `Client::plan_create`, `plan_reset`,
//! `plan_delete` and `plan_update_permissions` return, so a dry run (`--dry-run`, a preview dialog)
//! shows the request that would be sent, not a description of it.

use std::fmt;

use reqwest::{Method, Url};
use serde_json::Value;

/// One planned write. Its `Display` is the method and URL on one line and the body, if any, as
/// compact JSON on the next.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlannedRequest {
    pub method: Method,
    pub url: Url,
    pub body: Option<Value>,
}

impl PlannedRequest {
    /// `POST https://mailtrap.io/api/accounts/1/api_tokens`.
    pub fn request_line(&self) -> String {
        format!("{} {}", self.method, self.url)
    }

    /// The body as it is sent (compact JSON), if there is one.
    pub fn body_text(&self) -> Option<String> {
        self.body.as_ref().map(Value::to_string)
    }

    /// `{"method": …, "url": …, "body": …}`, for `--dry-run --output json`.
    pub fn to_json(&self) -> Value {
        serde_json::json!({
            "method": self.method.as_str(),
            "url": self.url.as_str(),
            "body": self.body,
        })
    }
}

impl fmt::Display for PlannedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.request_line())?;
        if let Some(body) = self.body_text() {
            write!(f, "\n{body}")?;
        }
        Ok(())
    }
}
