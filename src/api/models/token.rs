//! A token as list, get, create and reset return it (never the secret but once, on create and reset),
//! and what create and reset are sent.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

use super::permission::{OpaqueResource, Permission, Resource, WireResource};
use crate::api::secret::Secret;

pub type TokenId = i64;

/// A token's own short texts (name, creator, last digits): held inside the token up to 24 bytes, so a
/// list of 100,000 is not 300,000 small allocations.
pub type TokenText = compact_str::CompactString;

/// A token's permissions: nearly always one, held inside the token rather than in an allocation of its own.
pub type Resources = smallvec::SmallVec<[Resource; 1]>;

/// A token as the wire has it; `ApiToken` is built from it with its odd permissions set aside.
#[derive(Deserialize)]
#[serde(rename = "ApiToken")]
struct WireToken {
    id: TokenId,
    name: TokenText,
    #[serde(default)]
    last_4_digits: TokenText,
    #[serde(default)]
    created_by: TokenText,
    #[serde(default, with = "expires_at_format")]
    expires_at: Option<DateTime<Utc>>,
    #[serde(default)]
    resources: Vec<WireResource>,
}

impl From<WireToken> for ApiToken {
    fn from(w: WireToken) -> Self {
        let mut resources = Resources::with_capacity(w.resources.len());
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
            opaque_resources: opaque_resources.into_boxed_slice(),
        }
    }
}

/// A token as list and get return it: never the secret.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(from = "WireToken")]
pub struct ApiToken {
    pub id: TokenId,
    pub name: TokenText,
    pub last_4_digits: TokenText,
    pub created_by: TokenText,
    pub expires_at: Option<DateTime<Utc>>,
    pub resources: Resources,
    /// Permissions in a shape this build cannot act on, kept and shown as they came (rarely any).
    pub opaque_resources: Box<[OpaqueResource]>,
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
        // A visitor rather than `Option<String>`: the text is read where it lies, with no copy per token.
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Option<DateTime<Utc>>;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("null or an ISO-8601 date-time")
            }
            fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                d.deserialize_str(self)
            }
            fn visit_str<E: serde::de::Error>(self, t: &str) -> Result<Self::Value, E> {
                DateTime::parse_from_rfc3339(t.trim())
                    .map(|dt| Some(dt.with_timezone(&Utc)))
                    .map_err(|e| E::custom(format!("expires_at {t:?}: {e}")))
            }
        }
        d.deserialize_option(Visitor)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{AccessLevel, ResourceKind};

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
    fn a_listed_token_keeps_its_texts_and_one_permission_inside_itself() {
        // At 100,000 tokens every byte here is 100 kB, and every allocation a token needs is 100,000.
        assert!(
            std::mem::size_of::<ApiToken>() <= 160,
            "{}",
            std::mem::size_of::<ApiToken>()
        );
        let json = r#"{"id":1,"name":"Backup job 44982 restore","last_4_digits":"1a90",
            "created_by":"Marcus Oyelaran","expires_at":null,
            "resources":[{"resource_type":"project","resource_id":2550471,"access_level":100}]}"#;
        let t: ApiToken = serde_json::from_str(json).unwrap();
        assert!(!t.name.is_heap_allocated() && !t.created_by.is_heap_allocated());
        assert!(!t.last_4_digits.is_heap_allocated());
        assert!(!t.resources.spilled());
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
