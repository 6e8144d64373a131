//! The wire types of Mailtrap's token API, lenient in exactly the ways production is (spec §2.1, §2.6):
//! `expires_at` null or a date with any offset, `resource_id` integer or numeric string, unknown resource
//! types and access levels kept as they are, unknown fields ignored.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

use super::secret::Secret;

pub type AccountId = i64;
pub type TokenId = i64;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub id: AccountId,
    pub name: String,
    #[serde(default)]
    pub access_levels: Vec<AccessLevel>,
}

/// An access level. Known values have names; any other integer is kept and shown as a number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct AccessLevel(pub i64);

impl AccessLevel {
    pub const OWNER: AccessLevel = AccessLevel(1000);
    pub const ADMIN: AccessLevel = AccessLevel(100);
    pub const VIEWER_PLUS: AccessLevel = AccessLevel(50);
    pub const VIEWER: AccessLevel = AccessLevel(10);
    pub const INDETERMINATE: AccessLevel = AccessLevel(1);

    /// The human word for the level, or `None` for a level this build does not know.
    pub fn name(self) -> Option<&'static str> {
        match self.0 {
            1000 => Some("owner"),
            100 => Some("admin"),
            50 => Some("viewer+"),
            10 => Some("viewer"),
            1 => Some("partial"),
            _ => None,
        }
    }

    /// Admin or above: may create, reset, delete and change permissions.
    pub fn is_admin(self) -> bool {
        self.0 >= 100
    }

    /// Parses the forms the API accepts on input: 10, 100, "10", "100", "viewer", "admin" (and owner / viewer+).
    pub fn parse(text: &str) -> Option<AccessLevel> {
        let t = text.trim();
        match t.to_ascii_lowercase().as_str() {
            "owner" => Some(Self::OWNER),
            "admin" => Some(Self::ADMIN),
            "viewer+" | "viewer_plus" => Some(Self::VIEWER_PLUS),
            "viewer" => Some(Self::VIEWER),
            _ => t.parse::<i64>().ok().map(AccessLevel),
        }
    }
}

impl fmt::Display for AccessLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(n) => f.write_str(n),
            None => write!(f, "level {}", self.0),
        }
    }
}

impl<'de> Deserialize<'de> for AccessLevel {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match IntOrText::deserialize(d)? {
            IntOrText::Int(i) => Ok(AccessLevel(i)),
            IntOrText::Text(s) => AccessLevel::parse(&s)
                .ok_or_else(|| serde::de::Error::custom(format!("unknown access level {s:?}"))),
        }
    }
}

/// A value the API sends as a number or as text, depending on the endpoint and the SDK that wrote it.
#[derive(Deserialize)]
#[serde(untagged)]
enum IntOrText {
    Int(i64),
    Text(String),
}

/// What a resource type means, whatever spelling the server used (spec §3.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ResourceKind {
    Organization,
    Account,
    Billing,
    Project,
    Sandbox,
    Domain,
    Templates,
    Campaigns,
    Other,
}

impl ResourceKind {
    pub fn label(self) -> &'static str {
        match self {
            ResourceKind::Organization => "Organization",
            ResourceKind::Account => "Account",
            ResourceKind::Billing => "Billing",
            ResourceKind::Project => "Project",
            ResourceKind::Sandbox => "Sandbox",
            ResourceKind::Domain => "Domain",
            ResourceKind::Templates => "Templates",
            ResourceKind::Campaigns => "Email campaigns",
            ResourceKind::Other => "Resource",
        }
    }
}

/// A resource type as the server spelled it; echoed back unchanged.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ResourceType(pub String);

impl ResourceType {
    pub fn new(s: impl Into<String>) -> Self {
        ResourceType(s.into())
    }

    pub fn kind(&self) -> ResourceKind {
        match self.0.as_str() {
            "organization" => ResourceKind::Organization,
            "account" => ResourceKind::Account,
            "billing" => ResourceKind::Billing,
            "project" => ResourceKind::Project,
            "sandbox" | "inbox" => ResourceKind::Sandbox,
            "domain" | "sending_domain" | "mailsend_domain" => ResourceKind::Domain,
            "email_template_permission_scope" => ResourceKind::Templates,
            "email_campaign_permission_scope" => ResourceKind::Campaigns,
            _ => ResourceKind::Other,
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ResourceType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Deserializes an id sent as an integer or as a numeric string.
pub fn int_or_string<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    match IntOrText::deserialize(d)? {
        IntOrText::Int(i) => Ok(i),
        IntOrText::Text(s) => s
            .trim()
            .parse()
            .map_err(|_| serde::de::Error::custom(format!("id {s:?} is not a number"))),
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Resource {
    pub resource_type: ResourceType,
    #[serde(deserialize_with = "int_or_string")]
    pub resource_id: i64,
    pub access_level: AccessLevel,
}

/// A token as list and get return it: never the secret.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiToken {
    pub id: TokenId,
    pub name: String,
    #[serde(default)]
    pub last_4_digits: String,
    #[serde(default)]
    pub created_by: String,
    #[serde(default, with = "expires_at_format")]
    pub expires_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub resources: Vec<Resource>,
}

/// `expires_at`: null, or an ISO-8601 date-time with any offset (kept as UTC); written back as `...Z`.
mod expires_at_format {
    use super::*;

    pub fn serialize<S: Serializer>(v: &Option<DateTime<Utc>>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(t) => s.serialize_str(&t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
        let text: Option<String> = Option::deserialize(d)?;
        match text {
            None => Ok(None),
            Some(t) => DateTime::parse_from_rfc3339(t.trim())
                .map(|dt| Some(dt.with_timezone(&Utc)))
                .map_err(|e| serde::de::Error::custom(format!("expires_at {t:?}: {e}"))),
        }
    }
}

/// The answer to create and reset: the token and, once only, its secret.
#[derive(Debug, Deserialize)]
pub struct CreatedToken {
    #[serde(flatten)]
    pub token: ApiToken,
    #[serde(rename = "token")]
    pub secret: Secret,
}

/// `expires_at` on create and reset has three states (spec §2.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Expiry {
    /// The key is omitted: the server applies its default (365 days once the feature is on).
    #[default]
    ServerDefault,
    /// Explicit `null`: the token never expires.
    Never,
    At(DateTime<Utc>),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewToken {
    pub name: String,
    pub resources: Vec<Resource>,
    pub expiry: Expiry,
}

/// One line of a bulk permission update (spec §8.2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PermissionChange {
    pub resource_type: ResourceType,
    pub resource_id: i64,
    /// `Some(level)` upserts the level; `None` removes the permission (`_destroy: true`).
    pub access_level: Option<AccessLevel>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountAccess {
    pub id: i64,
    pub specifier_type: String,
    #[serde(default)]
    pub specifier: serde_json::Value,
    #[serde(default)]
    pub resources: Vec<Resource>,
}

impl AccountAccess {
    /// The token id when this access belongs to an API token (spec §8.2, the lookup for "Edit permissions").
    pub fn api_token_id(&self) -> Option<TokenId> {
        if self.specifier_type != "ApiToken" {
            return None;
        }
        self.specifier.get("id").and_then(|v| {
            v.as_i64()
                .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
        })
    }
}

/// A node of the permissions resource tree (spec §8.3); `access_level` is the caller's own level on it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourceNode {
    #[serde(deserialize_with = "int_or_string")]
    pub id: i64,
    #[serde(default)]
    pub name: String,
    #[serde(rename = "type")]
    pub resource_type: ResourceType,
    #[serde(default = "unknown_level")]
    pub access_level: AccessLevel,
    #[serde(default)]
    pub resources: Vec<ResourceNode>,
}

fn unknown_level() -> AccessLevel {
    AccessLevel(0)
}

impl ResourceNode {
    /// Visits every node depth-first with its depth; iterative so a hostile, deeply nested tree cannot
    /// overflow the stack.
    pub fn walk<'a>(roots: &'a [ResourceNode], mut visit: impl FnMut(&'a ResourceNode, usize)) {
        let mut stack: Vec<(&ResourceNode, usize)> = roots.iter().rev().map(|n| (n, 0)).collect();
        while let Some((node, depth)) = stack.pop() {
            visit(node, depth);
            stack.extend(node.resources.iter().rev().map(|c| (c, depth + 1)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_the_recorded_production_token() {
        let json = r#"{"resources":[{"resource_type":"account","resource_id":1719941,"access_level":100}],
            "id":2498561,"name":"SDK Dev Account Token","last_4_digits":"f44e",
            "created_by":"John Doe","expires_at":null}"#;
        let t: ApiToken = serde_json::from_str(json).unwrap();
        assert_eq!(t.id, 2498561);
        assert_eq!(t.expires_at, None);
        assert_eq!(t.resources[0].access_level, AccessLevel::ADMIN);
    }

    #[test]
    fn accepts_offsets_string_ids_unknown_types_and_fields() {
        let json = r#"{"id":1,"name":"x","last_4_digits":"abcd","created_by":"y",
            "expires_at":"2027-06-01T02:00:00.250+02:00","extra":{"a":1},
            "resources":[{"resource_type":"quantum_widget","resource_id":"42","access_level":77}]}"#;
        let t: ApiToken = serde_json::from_str(json).unwrap();
        assert_eq!(
            t.expires_at.unwrap().to_rfc3339(),
            "2027-06-01T00:00:00.250+00:00"
        );
        assert_eq!(t.resources[0].resource_id, 42);
        assert_eq!(t.resources[0].resource_type.kind(), ResourceKind::Other);
        assert_eq!(t.resources[0].access_level.to_string(), "level 77");
    }

    #[test]
    fn created_token_keeps_the_secret_out_of_debug() {
        let json = r#"{"id":2,"name":"n","last_4_digits":"dcf7","created_by":"c","expires_at":null,
            "resources":[],"token":"0123456789abcdef0123456789abdcf7"}"#;
        let c: CreatedToken = serde_json::from_str(json).unwrap();
        assert_eq!(c.secret.expose_secret(), "0123456789abcdef0123456789abdcf7");
        assert!(!format!("{c:?}").contains("0123456789abcdef"));
    }
}
