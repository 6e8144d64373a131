//! Reading the API's answers: a body decoded into its type, a body quoted safely in an error, and the
//! error each failed status means. An answer that may carry a new secret is never quoted.

use std::time::Duration;

use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::error::{ApiError, FieldError};
use super::models::{ApiToken, CreatedToken};
use super::secret::Secret;

pub(super) fn decode<T: DeserializeOwned>(status: StatusCode, bytes: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(bytes).map_err(|e| decode_error(status, bytes, &e))
}

pub(super) fn decode_error(status: StatusCode, bytes: &[u8], e: &serde_json::Error) -> ApiError {
    ApiError::Decode {
        status: status.as_u16(),
        excerpt: format!("{e}; body starts {}", safe_excerpt(bytes, 80)),
    }
}

/// Create and reset answers hold a secret: a body that cannot be decoded is never quoted. The token and
/// its secret are read in two passes straight from the bytes, so the secret is copied once, into its
/// `Secret` (a flattened struct would first buffer every field, the secret among them).
pub(super) fn decode_secret_answer(
    status: StatusCode,
    bytes: &[u8],
) -> Result<CreatedToken, ApiError> {
    #[derive(serde::Deserialize)]
    struct SecretField {
        token: Secret,
    }
    let decoded = serde_json::from_slice::<ApiToken>(bytes).and_then(|token| {
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

pub(super) fn error_from_response(
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
