//! Injected trouble for the next requests: latency, an error status with a chosen body, a broken body
//! on a real answer, or a dropped connection before or after the action.

use serde::{Deserialize, Serialize};

/// One fault, as `POST /__sim/faults` takes it (JSON) or `RunningSim::inject_fault` does.
///
/// - `status` set: the request is answered with it and the action is NOT performed (a gateway answered).
/// - `body` without `status`: the action is performed and its real answer's body is broken that way.
/// - `drop: before`: the connection closes with no answer and no action; `after`: the action is performed,
///   then the connection breaks in the middle of the body; `midway`: the same after half the body was sent.
/// - `replace_body` without `status`: the action is performed and its answer's body is exactly this text
///   (hostile data: control characters, odd dates, huge lists, deep trees), with the real status.
/// - `extra_fields` without `status`: the action is performed and, on a 200, every object of its answer
///   (each element of a list, or the one token of a get) gets these fields after its own, as production
///   may add fields this build does not know yet. `body` then breaks the answer with them in it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Fault {
    /// A substring of the request path; `None` matches every path.
    pub path: Option<String>,
    /// `GET`, `POST`, … (any case); `None` matches every method.
    pub method: Option<String>,
    /// How many matching requests it affects.
    pub count: u32,
    pub latency_ms: Option<u64>,
    pub status: Option<u16>,
    pub body: Option<FaultBody>,
    pub drop: Option<DropPoint>,
    /// `Retry-After` seconds on the injected answer (for a 429).
    pub retry_after: Option<u64>,
    /// The whole body of the real answer, replaced (served as JSON).
    pub replace_body: Option<String>,
    /// Fields added at the end of every object of a successful answer (a list's tokens, a token).
    pub extra_fields: Option<serde_json::Map<String, serde_json::Value>>,
}

impl Default for Fault {
    fn default() -> Self {
        Self {
            path: None,
            method: None,
            count: 1,
            latency_ms: None,
            status: None,
            body: None,
            drop: None,
            retry_after: None,
            replace_body: None,
            extra_fields: None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FaultBody {
    /// The documented JSON error shape for the status.
    Json,
    /// A Cloudflare-like HTML error page.
    Html,
    /// Not JSON at all.
    Malformed,
    /// Valid JSON cut in the middle.
    Truncated,
    Empty,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DropPoint {
    Before,
    After,
    /// The action is performed and the first half of its answer's body is sent; then the connection
    /// breaks (a long list cut off in transfer).
    Midway,
}

impl Fault {
    pub fn matches(&self, method: &str, path: &str) -> bool {
        self.method
            .as_deref()
            .is_none_or(|m| m.eq_ignore_ascii_case(method))
            && self.path.as_deref().is_none_or(|p| path.contains(p))
    }
}

/// The pending faults; the first one matching a request is used and counted down.
#[derive(Debug, Default)]
pub struct FaultQueue {
    pending: Vec<Fault>,
}

impl FaultQueue {
    pub fn push(&mut self, fault: Fault) {
        if fault.count > 0 {
            self.pending.push(fault);
        }
    }

    pub fn clear(&mut self) {
        self.pending.clear();
    }

    pub fn take(&mut self, method: &str, path: &str) -> Option<Fault> {
        let index = self.pending.iter().position(|f| f.matches(method, path))?;
        let fault = &mut self.pending[index];
        fault.count -= 1;
        let taken = fault.clone();
        if fault.count == 0 {
            self.pending.remove(index);
        }
        Some(taken)
    }
}

/// The body an injected status answers with, and its content type.
pub fn injected_body(status: u16, kind: FaultBody) -> (Vec<u8>, &'static str) {
    let json_type = "application/json; charset=utf-8";
    let json = match status {
        401 => r#"{"error":"Incorrect API token"}"#.to_string(),
        403 => r#"{"errors":"Access forbidden"}"#.to_string(),
        404 => r#"{"error":"Not Found"}"#.to_string(),
        422 => r#"{"errors":{"base":["Injected validation failure"]}}"#.to_string(),
        429 => r#"{"errors":"Rate limit exceeded"}"#.to_string(),
        _ => r#"{"errors":"Unexpected error"}"#.to_string(),
    };
    match kind {
        FaultBody::Json => (json.into_bytes(), json_type),
        FaultBody::Html => (
            cloudflare_page(status).into_bytes(),
            "text/html; charset=UTF-8",
        ),
        FaultBody::Malformed | FaultBody::Truncated | FaultBody::Empty => {
            (break_body(json.as_bytes(), kind), json_type)
        }
    }
}

/// A real answer's body broken the way `kind` says.
pub fn break_body(body: &[u8], kind: FaultBody) -> Vec<u8> {
    match kind {
        FaultBody::Json => body.to_vec(),
        FaultBody::Html => cloudflare_page(502).into_bytes(),
        FaultBody::Empty => Vec::new(),
        FaultBody::Truncated => body[..body.len() / 2].to_vec(),
        FaultBody::Malformed => {
            // Keeps the real content (it may hold a secret: the client must not quote it) but is not JSON.
            let mut out = b"{\"broken\": ".to_vec();
            out.extend_from_slice(body);
            out.extend_from_slice(b" ,, }");
            out
        }
    }
}

/// `body` with `extra` added at the end of each of its objects: the elements of a list, or the body itself
/// when it is one object. Anything else is left as it is.
pub fn add_fields(body: &[u8], extra: &serde_json::Map<String, serde_json::Value>) -> Vec<u8> {
    use serde_json::value::RawValue;
    let Ok(extra) = serde_json::to_string(extra) else {
        return body.to_vec();
    };
    // The extra fields' text without its braces, to go in before each object's closing brace.
    let fields = extra
        .strip_prefix('{')
        .and_then(|e| e.strip_suffix('}'))
        .unwrap_or_default();
    let add = |object: &str, out: &mut String| match object.trim().strip_suffix('}') {
        Some(open) if object.trim_start().starts_with('{') && !fields.is_empty() => {
            out.push_str(open);
            if open.trim_end() != "{" {
                out.push(',');
            }
            out.push_str(fields);
            out.push('}');
        }
        _ => out.push_str(object),
    };
    let mut out = String::with_capacity(body.len() + fields.len() * 64);
    if let Ok(items) = serde_json::from_slice::<Vec<&RawValue>>(body) {
        out.push('[');
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            add(item.get(), &mut out);
        }
        out.push(']');
    } else if let Ok(one) = serde_json::from_slice::<&RawValue>(body) {
        add(one.get(), &mut out);
    } else {
        return body.to_vec();
    }
    out.into_bytes()
}

pub fn cloudflare_page(status: u16) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en-US\">\n<head>\n<title>mailtrap.io | {status}: Bad gateway</title>\n\
         <meta charset=\"UTF-8\" />\n</head>\n<body>\n<div id=\"cf-error-details\">\n\
         <h1>Bad gateway</h1> <span>Error code {status}</span>\n\
         <p>Visit <a href=\"https://www.cloudflare.com/5xx-error-landing\">cloudflare.com</a> for more information.</p>\n\
         <span>Cloudflare Ray ID: <strong>8f1d2c3b4a5e6f70</strong></span>\n</div>\n</body>\n</html>\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fault_counts_down_and_matches_path_and_method() {
        let mut q = FaultQueue::default();
        q.push(Fault {
            path: Some("/reset".into()),
            method: Some("post".into()),
            count: 2,
            status: Some(500),
            ..Fault::default()
        });
        assert!(q.take("GET", "/api/api_tokens/1/reset").is_none());
        assert!(q.take("POST", "/api/api_tokens/1").is_none());
        assert!(q.take("POST", "/api/api_tokens/1/reset").is_some());
        assert!(q.take("POST", "/api/api_tokens/1/reset").is_some());
        assert!(q.take("POST", "/api/api_tokens/1/reset").is_none());
    }

    #[test]
    fn extra_fields_go_after_each_object_s_own() {
        let extra: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(r#"{"last_used_at":null,"future":{"nested":[1,"x"]}}"#).unwrap();
        let list = add_fields(br#"[{"id":1},{},{"id":2,"name":"b"}]"#, &extra);
        assert_eq!(
            String::from_utf8(list).unwrap(),
            r#"[{"id":1,"future":{"nested":[1,"x"]},"last_used_at":null},{"future":{"nested":[1,"x"]},"last_used_at":null},{"id":2,"name":"b","future":{"nested":[1,"x"]},"last_used_at":null}]"#
        );
        let one = add_fields(br#"{"id":1}"#, &extra);
        assert_eq!(
            String::from_utf8(one).unwrap(),
            r#"{"id":1,"future":{"nested":[1,"x"]},"last_used_at":null}"#
        );
        for other in [&br#"[1,"a"]"#[..], b"", b"not json", b"[]", br#""text""#] {
            assert_eq!(add_fields(other, &extra), other);
        }
    }

    #[test]
    fn fault_json_defaults_count_to_one() {
        let f: Fault = serde_json::from_str(r#"{"status":502,"body":"html"}"#).unwrap();
        assert_eq!(f.count, 1);
        assert_eq!(f.body, Some(FaultBody::Html));
        assert!(serde_json::from_str::<Fault>(r#"{"stauts":502}"#).is_err());
    }
}
