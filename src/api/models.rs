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

/// A permission in a shape this build cannot act on: a `resource_id` that is not a number (the OpenAPI
/// spec allows strings), or an access level it does not know by name. Kept as the server sent it and shown
/// as it is; nothing this program sends is built from it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OpaqueResource {
    pub resource_type: ResourceType,
    pub resource_id: Scalar,
    pub access_level: Scalar,
}

/// A JSON number or string kept exactly as it came (a number beyond `i64` or with a fraction is kept as
/// its text).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Scalar {
    Int(i64),
    Text(String),
}

impl fmt::Display for Scalar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Scalar::Int(i) => write!(f, "{i}"),
            Scalar::Text(t) => f.write_str(t),
        }
    }
}

impl Serialize for Scalar {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Scalar::Int(i) => s.serialize_i64(*i),
            Scalar::Text(t) => s.serialize_str(t),
        }
    }
}

impl<'de> Deserialize<'de> for Scalar {
    // A visitor rather than an untagged enum: untagged buffers every value first, and this runs for every
    // permission of every token in a list of 100,000.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit;
        impl serde::de::Visitor<'_> for Visit {
            type Value = Scalar;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number or a string")
            }
            fn visit_i64<E>(self, v: i64) -> Result<Scalar, E> {
                Ok(Scalar::Int(v))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Scalar, E> {
                Ok(i64::try_from(v).map_or_else(|_| Scalar::Text(v.to_string()), Scalar::Int))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Scalar, E> {
                Ok(Scalar::Text(v.to_string()))
            }
            fn visit_str<E>(self, v: &str) -> Result<Scalar, E> {
                Ok(Scalar::Text(v.to_string()))
            }
            fn visit_string<E>(self, v: String) -> Result<Scalar, E> {
                Ok(Scalar::Text(v))
            }
        }
        d.deserialize_any(Visit)
    }
}

/// A permission as a token list sends it, before it is known whether this build can act on it.
#[derive(Deserialize)]
struct WireResource {
    resource_type: ResourceType,
    resource_id: Scalar,
    access_level: Scalar,
}

/// A permission this build can act on, or the same permission kept opaque.
enum Permission {
    Typed(Resource),
    Opaque(OpaqueResource),
}

impl From<WireResource> for Permission {
    fn from(w: WireResource) -> Self {
        let id = match &w.resource_id {
            Scalar::Int(i) => Some(*i),
            Scalar::Text(t) => t.trim().parse().ok(),
        };
        let level = match &w.access_level {
            Scalar::Int(i) => Some(AccessLevel(*i)),
            Scalar::Text(t) => AccessLevel::parse(t),
        };
        match (id, level) {
            (Some(resource_id), Some(access_level)) => Permission::Typed(Resource {
                resource_type: w.resource_type,
                resource_id,
                access_level,
            }),
            _ => Permission::Opaque(OpaqueResource {
                resource_type: w.resource_type,
                resource_id: w.resource_id,
                access_level: w.access_level,
            }),
        }
    }
}

/// A token as the wire has it; `ApiToken` is built from it with its odd permissions set aside.
#[derive(Deserialize)]
#[serde(rename = "ApiToken")]
struct WireToken {
    id: TokenId,
    name: String,
    #[serde(default)]
    last_4_digits: String,
    #[serde(default)]
    created_by: String,
    #[serde(default, with = "expires_at_format")]
    expires_at: Option<DateTime<Utc>>,
    #[serde(default)]
    resources: Vec<WireResource>,
}

impl From<WireToken> for ApiToken {
    fn from(w: WireToken) -> Self {
        let mut resources = Vec::with_capacity(w.resources.len());
        let mut opaque_resources = Vec::new();
        for r in w.resources {
            match Permission::from(r) {
                Permission::Typed(r) => resources.push(r),
                Permission::Opaque(o) => opaque_resources.push(o),
            }
        }
        ApiToken {
            id: w.id,
            name: w.name,
            last_4_digits: w.last_4_digits,
            created_by: w.created_by,
            expires_at: w.expires_at,
            resources,
            opaque_resources,
        }
    }
}

/// A token as list and get return it: never the secret.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(from = "WireToken")]
pub struct ApiToken {
    pub id: TokenId,
    pub name: String,
    pub last_4_digits: String,
    pub created_by: String,
    pub expires_at: Option<DateTime<Utc>>,
    pub resources: Vec<Resource>,
    /// Permissions in a shape this build cannot act on, kept and shown as they came.
    pub opaque_resources: Vec<OpaqueResource>,
}

impl Serialize for ApiToken {
    // By hand so that JSON output keeps the API's shape: the opaque permissions go back into `resources`.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeSeq, SerializeStruct};
        struct Expiry<'a>(&'a Option<DateTime<Utc>>);
        impl Serialize for Expiry<'_> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                expires_at_format::serialize(self.0, s)
            }
        }
        struct All<'a>(&'a ApiToken);
        impl Serialize for All<'_> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let t = self.0;
                let mut seq =
                    s.serialize_seq(Some(t.resources.len() + t.opaque_resources.len()))?;
                for r in &t.resources {
                    seq.serialize_element(r)?;
                }
                for r in &t.opaque_resources {
                    seq.serialize_element(r)?;
                }
                seq.end()
            }
        }
        let mut st = s.serialize_struct("ApiToken", 6)?;
        st.serialize_field("id", &self.id)?;
        st.serialize_field("name", &self.name)?;
        st.serialize_field("last_4_digits", &self.last_4_digits)?;
        st.serialize_field("created_by", &self.created_by)?;
        st.serialize_field("expires_at", &Expiry(&self.expires_at))?;
        st.serialize_field("resources", &All(self))?;
        st.end()
    }
}

/// A token in a list that could not be read at all (a missing or non-numeric id, a missing name, a date
/// that is not a date…): what could be made out of it, and why the rest could not.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnreadableToken {
    /// Its place in the server's list, from 0.
    pub position: usize,
    pub id: Option<TokenId>,
    pub name: Option<String>,
    /// What is wrong with it, in the decoder's words.
    pub reason: String,
}

impl UnreadableToken {
    fn from_raw(position: usize, raw: &str, error: &serde_json::Error) -> Self {
        let value: Option<serde_json::Value> = serde_json::from_str(raw).ok();
        let id = value.as_ref().and_then(|v| v.get("id")).and_then(|id| {
            id.as_i64()
                .or_else(|| id.as_str().and_then(|s| s.trim().parse().ok()))
        });
        let name = value
            .as_ref()
            .and_then(|v| v.get("name"))
            .and_then(|n| n.as_str())
            .map(str::to_string);
        // serde's position is within this one token's text, which says nothing to a reader.
        let mut reason = error.to_string();
        if let Some(at) = reason.rfind(" at line ") {
            reason.truncate(at);
        }
        Self {
            position,
            id,
            name,
            reason: crate::text::sanitize(&reason),
        }
    }
}

impl fmt::Display for UnreadableToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "token #{} in the list", self.position + 1)?;
        if let Some(id) = self.id {
            write!(f, " (id {id})")?;
        }
        if let Some(name) = &self.name {
            write!(f, " {:?}", crate::text::sanitize(name))?;
        }
        write!(f, " could not be read: {}", self.reason)
    }
}

/// A token list: the tokens that could be read, and the ones that could not, each on its own.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TokenList {
    pub tokens: Vec<ApiToken>,
    pub unreadable: Vec<UnreadableToken>,
}

impl From<Vec<ApiToken>> for TokenList {
    fn from(tokens: Vec<ApiToken>) -> Self {
        Self {
            tokens,
            unreadable: Vec::new(),
        }
    }
}

impl std::ops::Deref for TokenList {
    type Target = [ApiToken];

    /// Reads as the readable tokens, which is what most callers want.
    fn deref(&self) -> &[ApiToken] {
        &self.tokens
    }
}

impl<'a> IntoIterator for &'a TokenList {
    type Item = &'a ApiToken;
    type IntoIter = std::slice::Iter<'a, ApiToken>;

    fn into_iter(self) -> Self::IntoIter {
        self.tokens.iter()
    }
}

impl TokenList {
    /// Decodes a list answer so that one odd token cannot blind the rest. The whole list is decoded in
    /// one pass first (the common case, and the fast one); only if that fails is each token decoded on
    /// its own. An answer that is not a JSON array at all is still an error.
    pub fn decode(bytes: &[u8]) -> Result<Self, serde_json::Error> {
        let whole_error = match serde_json::from_slice::<Vec<ApiToken>>(bytes) {
            Ok(tokens) => return Ok(tokens.into()),
            Err(e) => e,
        };
        let Ok(items) = serde_json::from_slice::<Vec<&serde_json::value::RawValue>>(bytes) else {
            return Err(whole_error);
        };
        let mut list = TokenList::default();
        for (position, raw) in items.into_iter().enumerate() {
            match serde_json::from_str::<ApiToken>(raw.get()) {
                Ok(token) => list.tokens.push(token),
                Err(e) => list
                    .unreadable
                    .push(UnreadableToken::from_raw(position, raw.get(), &e)),
            }
        }
        Ok(list)
    }
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
