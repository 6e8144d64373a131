//! How the world's answers are written: a status with a JSON body, and the JSON shape of each record.

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Map, Value, json};

use crate::api::Resource;

use super::store::{OtherAccess, TokenRecord};

/// A status and an optional JSON body; 204 has none.
#[derive(Clone, Debug, PartialEq)]
pub struct Answer {
    pub status: u16,
    pub body: Option<Value>,
}

impl Answer {
    pub fn ok(body: Value) -> Self {
        Self {
            status: 200,
            body: Some(body),
        }
    }
    pub fn no_content() -> Self {
        Self {
            status: 204,
            body: None,
        }
    }
    pub fn not_found() -> Self {
        Self::error(404, json!({"error": "Not Found"}))
    }
    pub fn unauthorized() -> Self {
        Self::error(401, json!({"error": "Incorrect API token"}))
    }
    /// Insufficient rights (spec §6: `errors` is a plain string here).
    pub fn forbidden() -> Self {
        Self::error(403, json!({"errors": "Access forbidden"}))
    }
    pub fn account_forbidden() -> Self {
        Self::error(403, json!({"errors": "Account access forbidden"}))
    }
    pub fn invalid(field: &str, message: &str) -> Self {
        let mut errors = Map::new();
        errors.insert(field.to_string(), json!([message]));
        Self::error(422, json!({ "errors": errors }))
    }
    pub(super) fn invalid_fields(errors: Map<String, Value>) -> Self {
        Self::error(422, json!({ "errors": errors }))
    }
    pub fn error(status: u16, body: Value) -> Self {
        Self {
            status,
            body: Some(body),
        }
    }
}

fn resource_json(r: &Resource) -> Value {
    json!({
        "resource_type": r.resource_type.as_str(),
        "resource_id": r.resource_id,
        "access_level": r.access_level.0,
    })
}

fn resources_json(list: &[Resource]) -> Vec<Value> {
    list.iter().map(resource_json).collect()
}

fn time_json(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

pub(super) fn token_json(t: &TokenRecord) -> Value {
    json!({
        "resources": resources_json(&t.resources),
        "id": t.id,
        "name": t.name,
        "last_4_digits": t.last4,
        "created_by": t.created_by,
        "expires_at": t.expires_at.map(time_json),
    })
}

/// A token with its secret: the one answer that carries it (create and reset).
pub(super) fn token_with_secret_json(t: Option<&TokenRecord>, secret: String) -> Value {
    let mut body = t.map_or(Value::Null, token_json);
    body["token"] = Value::String(secret);
    body
}

/// A User or Invite access; `permissions` is what the caller may do with it.
pub(super) fn other_access_json(o: &OtherAccess, permissions: Value) -> Value {
    json!({
        "id": o.access_id,
        "specifier_type": o.specifier_type,
        "specifier": o.specifier,
        "resources": resources_json(&o.resources),
        "permissions": permissions,
    })
}

/// A token's access: spec §11, one ApiToken access per token; the specifier never carries the secret.
pub(super) fn token_access_json(t: &TokenRecord, permissions: Value) -> Value {
    json!({
        "id": t.access_id,
        "specifier_type": "ApiToken",
        "specifier": {
            "id": t.id,
            "name": t.name,
            "author_name": t.created_by,
            "expires_at": t.expires_at.map(time_json),
        },
        "resources": resources_json(&t.resources),
        "permissions": permissions,
    })
}

/// What the caller may do with an access (spec §8.1 guess: it follows the caller's rights on it).
pub(super) fn access_permissions_json(admin: bool) -> Value {
    json!({"can_read": false, "can_update": admin, "can_destroy": admin, "can_leave": false})
}

/// One node of the resource tree (spec §8.3).
pub(super) fn tree_node_json(
    id: i64,
    name: &str,
    kind: &str,
    level: i64,
    children: Vec<Value>,
) -> Value {
    json!({"id": id, "name": name, "type": kind, "access_level": level, "resources": children})
}
