//! Reading what a request asks for: an expiry, an access level, a resource line, a token name. Each
//! reader says what is wrong in the words of a 422's field errors.

use chrono::{DateTime, Months, NaiveDate, Utc};
use serde_json::{Map, Value, json};

use crate::api::{AccessLevel, Resource, ResourceKind, ResourceType};
use crate::sim::options::DefaultExpiry;

const NAME_MAX_CHARS: usize = 255;

/// What an `expires_at` key asks for: the tri-state of spec §2.2.
enum ExpiryRequest {
    Default,
    Never,
    At(DateTime<Utc>),
}

fn parse_expiry(value: Option<&Value>) -> Result<ExpiryRequest, &'static str> {
    match value {
        None => Ok(ExpiryRequest::Default),
        Some(Value::Null) => Ok(ExpiryRequest::Never),
        Some(Value::String(text)) => {
            let text = text.trim();
            if let Ok(t) = DateTime::parse_from_rfc3339(text) {
                return Ok(ExpiryRequest::At(t.with_timezone(&Utc)));
            }
            // guess, spec §2.2: a bare date means its midnight UTC.
            NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|d| ExpiryRequest::At(d.and_utc()))
                .ok_or("is invalid")
        }
        Some(_) => Err("is invalid"),
    }
}

/// Resolves the tri-state against `now`, or the 422 message for `expires_at`.
pub(super) fn resolve_expiry(
    value: Option<&Value>,
    default: DefaultExpiry,
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>, &'static str> {
    let now_secs = whole_seconds(now);
    match parse_expiry(value)? {
        ExpiryRequest::Default => Ok(match default {
            DefaultExpiry::Year => Some(now_secs + chrono::Duration::days(365)),
            DefaultExpiry::Never => None,
        }),
        ExpiryRequest::Never => Ok(None),
        // spec §11: both 422 messages are this project's guesses.
        ExpiryRequest::At(t) if t <= now => Err("must be in the future"),
        ExpiryRequest::At(t)
            if now
                .checked_add_months(Months::new(60))
                .is_some_and(|max| t > max) =>
        {
            Err("must be at most 5 years from now")
        }
        ExpiryRequest::At(t) => Ok(Some(t)),
    }
}

/// Production's times are whole seconds.
pub(super) fn whole_seconds(t: DateTime<Utc>) -> DateTime<Utc> {
    chrono::Timelike::with_nanosecond(&t, 0).unwrap_or(t)
}

/// spec §11: 10, 100, their numeric strings, "viewer" and "admin".
pub fn parse_access_level(value: Option<&Value>) -> Option<AccessLevel> {
    let level = match value? {
        Value::Number(n) => n.as_i64()?,
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "admin" => 100,
            "viewer" => 10,
            other => other.parse().ok()?,
        },
        _ => return None,
    };
    [10, 100].contains(&level).then_some(AccessLevel(level))
}

/// Parses one requested resource; field errors go into `errors`.
pub(super) fn parse_resource(line: &Value, errors: &mut Map<String, Value>) -> Option<Resource> {
    let mut push = |field: &str, message: &str| {
        let list = errors.entry(field.to_string()).or_insert_with(|| json!([]));
        if let Some(items) = list.as_array_mut()
            && !items.iter().any(|m| m == message)
        {
            items.push(json!(message));
        }
    };
    let Some(obj) = line.as_object() else {
        push("resources", "is invalid");
        return None;
    };
    let resource_type = match obj.get("resource_type").and_then(Value::as_str) {
        Some(t)
            if matches!(
                ResourceType::new(t).kind(),
                ResourceKind::Account
                    | ResourceKind::Project
                    | ResourceKind::Sandbox
                    | ResourceKind::Domain
            ) =>
        {
            Some(stored_type(t))
        }
        // guess, spec §3.2: creation is limited to account, project, sandbox/inbox and domain types.
        _ => {
            push("resource_type", "is not included in the list");
            None
        }
    };
    let resource_id = match obj.get("resource_id") {
        Some(Value::Number(n)) => n.as_i64(),
        Some(Value::String(s)) => s.trim().parse::<i64>().ok(),
        _ => None,
    };
    if resource_id.is_none() {
        push("resource_id", "is invalid");
    }
    let access_level = parse_access_level(obj.get("access_level"));
    if access_level.is_none() {
        // guess, spec §11: the field name and message of a bad access level.
        push("access_level", "is not included in the list");
    }
    Some(Resource {
        resource_type: resource_type?,
        resource_id: resource_id?,
        access_level: access_level?,
    })
}

/// The spelling the simulator stores and answers for a resource type. OAS account-management (after
/// "Update resource type enums"): the newer `sandbox` and `domain`; the older `inbox`, `sending_domain`
/// and `mailsend_domain` are still accepted in requests and seeds. guess: this replaces spec §11's "echo
/// the spelling the caller sent", which predates the rename.
pub(crate) fn stored_type(t: &str) -> ResourceType {
    match ResourceType::new(t).kind() {
        ResourceKind::Sandbox => ResourceType::new("sandbox"),
        ResourceKind::Domain => ResourceType::new("domain"),
        _ => ResourceType::new(t),
    }
}

/// The 422 message for a token's name, if it is not acceptable.
pub(super) fn name_error(name: &str) -> Option<String> {
    if name.trim().is_empty() {
        Some("can't be blank".into())
    } else if name.chars().count() > NAME_MAX_CHARS {
        // guess, spec §11: Rails' length message.
        Some(format!(
            "is too long (maximum is {NAME_MAX_CHARS} characters)"
        ))
    } else {
        None
    }
}
