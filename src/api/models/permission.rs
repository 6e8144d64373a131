//! Access levels, resource types and the permissions a token holds: typed where this build can act on
//! them, kept as the server sent them where it cannot.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Cow;
use std::fmt;

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
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ResourceType(Cow<'static, str>);

/// The spellings the API is known to use: a list of 100,000 tokens repeats them hundreds of thousands of
/// times, and each is then the same static text instead of a string of its own.
const KNOWN_TYPES: [&str; 11] = [
    "account",
    "domain",
    "project",
    "sandbox",
    "inbox",
    "organization",
    "billing",
    "sending_domain",
    "mailsend_domain",
    "email_template_permission_scope",
    "email_campaign_permission_scope",
];

fn known_type(s: &str) -> Option<&'static str> {
    KNOWN_TYPES.iter().copied().find(|known| *known == s)
}

impl ResourceType {
    pub fn new(s: impl Into<String>) -> Self {
        let s = s.into();
        ResourceType(known_type(&s).map_or(Cow::Owned(s), Cow::Borrowed))
    }

    fn of_text(s: &str) -> Self {
        ResourceType(known_type(s).map_or_else(|| Cow::Owned(s.to_string()), Cow::Borrowed))
    }

    pub fn kind(&self) -> ResourceKind {
        match &*self.0 {
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

impl Serialize for ResourceType {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for ResourceType {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit;
        impl serde::de::Visitor<'_> for Visit {
            type Value = ResourceType;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a resource type")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<ResourceType, E> {
                Ok(ResourceType::of_text(v))
            }
        }
        d.deserialize_str(Visit)
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
pub(super) struct WireResource {
    resource_type: ResourceType,
    resource_id: Scalar,
    access_level: Scalar,
}

/// A permission this build can act on, or the same permission kept opaque.
pub(super) enum Permission {
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
