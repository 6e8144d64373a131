//! A token as list, get, create and reset return it (never the secret but once, on create and reset),
//! and what create and reset are sent.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

use super::permission::{OpaqueResource, Permission, Resource, WireResource};
use crate::api::secret::Secret;

pub type TokenId = i64;

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
    /// Decodes a list answer so that one odd token cannot blind the rest (see [`TokenList::stream`]: the
    /// whole list in one pass in the common case, token by token only from the first odd one). An answer
    /// that is not a JSON array at all is still an error.
    pub fn decode(bytes: &[u8]) -> Result<Self, serde_json::Error> {
        let mut tokens = Vec::new();
        let read = Self::stream(bytes, |token| {
            tokens.push(token);
            Ok::<(), std::convert::Infallible>(())
        });
        match read {
            Ok(unreadable) => {
                // Grown by doubling: at 100,000 tokens a quarter of the buffer would stay empty.
                tokens.shrink_to_fit();
                Ok(TokenList { tokens, unreadable })
            }
            Err(StreamStop::Decode(e)) => Err(e),
            Err(StreamStop::Each(never)) => match never {},
        }
    }
}

/// Why reading a list one token at a time stopped: the answer could not be read, or `each` said stop.
#[derive(Debug)]
pub enum StreamStop<E> {
    Decode(serde_json::Error),
    Each(E),
}

impl TokenList {
    /// Reads a list answer one token at a time, handing each readable token to `each` as soon as it is
    /// read and keeping none, in the server's order; returns the tokens that could not be read, as
    /// [`TokenList::decode`] would. Memory stays at one token however long the list.
    ///
    /// One typed pass first (the common case); if a token in it cannot be read, the rest of the list is
    /// read token by token from that one on, so nothing is handed twice. An answer that breaks off
    /// mid-way is an error after the tokens before the break were handed.
    pub fn stream<E>(
        bytes: &[u8],
        mut each: impl FnMut(ApiToken) -> Result<(), E>,
    ) -> Result<Vec<UnreadableToken>, StreamStop<E>> {
        let mut handed = 0;
        let whole_error = match typed_pass(bytes, &mut each, &mut handed) {
            Ok(()) => return Ok(Vec::new()),
            Err(StreamStop::Each(e)) => return Err(StreamStop::Each(e)),
            Err(StreamStop::Decode(e)) => e,
        };
        let Ok(items) = serde_json::from_slice::<Vec<&serde_json::value::RawValue>>(bytes) else {
            return Err(StreamStop::Decode(whole_error));
        };
        let mut unreadable = Vec::new();
        for (position, raw) in items.into_iter().enumerate().skip(handed) {
            match serde_json::from_str::<ApiToken>(raw.get()) {
                Ok(token) => each(token).map_err(StreamStop::Each)?,
                Err(e) => unreadable.push(UnreadableToken::from_raw(position, raw.get(), &e)),
            }
        }
        Ok(unreadable)
    }
}

impl TokenList {
    /// Reads a list answer one token at a time, as [`TokenList::stream`] does, handing each readable token
    /// together with its text exactly as the server sent it (every field, the ones this build does not
    /// know among them); returns the tokens that could not be read, with the same reasons. Each element is
    /// read once as text and the token is decoded from that text, so a script's view of the list is the
    /// server's while the model still decides what is readable.
    pub fn stream_sent<E>(
        text: &str,
        mut each: impl FnMut(ApiToken, &str) -> Result<(), E>,
    ) -> Result<Vec<UnreadableToken>, StreamStop<E>> {
        struct Each<'a, F, E> {
            each: &'a mut F,
            unreadable: Vec<UnreadableToken>,
            stopped: Option<E>,
        }
        impl<'de, F: FnMut(ApiToken, &str) -> Result<(), E>, E> serde::de::Visitor<'de>
            for &mut Each<'_, F, E>
        {
            type Value = ();

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                // The typed pass's words, so an answer that is not a list reads the same on both paths.
                f.write_str("a sequence")
            }

            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
                let mut position = 0;
                while let Some(raw) = seq.next_element::<&'de serde_json::value::RawValue>()? {
                    match serde_json::from_str::<ApiToken>(raw.get()) {
                        Ok(token) => {
                            if let Err(e) = (self.each)(token, raw.get()) {
                                self.stopped = Some(e);
                                return Err(serde::de::Error::custom("stopped by the reader"));
                            }
                        }
                        Err(e) => {
                            self.unreadable
                                .push(UnreadableToken::from_raw(position, raw.get(), &e))
                        }
                    }
                    position += 1;
                }
                Ok(())
            }
        }
        let mut visitor = Each {
            each: &mut each,
            unreadable: Vec::new(),
            stopped: None,
        };
        let mut de = serde_json::Deserializer::from_str(text);
        let read = Deserializer::deserialize_seq(&mut de, &mut visitor).and_then(|()| de.end());
        if let Some(e) = visitor.stopped {
            return Err(StreamStop::Each(e));
        }
        match read {
            Ok(()) => Ok(visitor.unreadable),
            // An answer that cannot be read is described in the typed pass's words (which differ where
            // it breaks off), so its message is the one [`TokenList::stream`] gives; only then is it run.
            Err(e) => match typed_pass(text.as_bytes(), &mut |_| Ok::<(), E>(()), &mut 0) {
                Err(StreamStop::Decode(typed)) => Err(StreamStop::Decode(typed)),
                _ => Err(StreamStop::Decode(e)),
            },
        }
    }
}

/// The whole list in one typed pass, each token handed on as it is read; `handed` counts them.
fn typed_pass<E>(
    bytes: &[u8],
    each: &mut impl FnMut(ApiToken) -> Result<(), E>,
    handed: &mut usize,
) -> Result<(), StreamStop<E>> {
    struct Each<'a, F, E> {
        each: &'a mut F,
        handed: &'a mut usize,
        stopped: Option<E>,
    }
    impl<'de, F: FnMut(ApiToken) -> Result<(), E>, E> serde::de::Visitor<'de> for &mut Each<'_, F, E> {
        type Value = ();

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            // serde's own words for a list, so an answer that is not one reads as it always did.
            f.write_str("a sequence")
        }

        fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            while let Some(token) = seq.next_element::<ApiToken>()? {
                if let Err(e) = (self.each)(token) {
                    self.stopped = Some(e);
                    return Err(serde::de::Error::custom("stopped by the reader"));
                }
                *self.handed += 1;
            }
            Ok(())
        }
    }
    let mut visitor = Each {
        each,
        handed,
        stopped: None,
    };
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let read = Deserializer::deserialize_seq(&mut de, &mut visitor).and_then(|()| de.end());
    if let Some(e) = visitor.stopped {
        return Err(StreamStop::Each(e));
    }
    read.map_err(StreamStop::Decode)
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

    fn listed(items: &[&str]) -> String {
        format!("[{}]", items.join(","))
    }

    fn good(id: i64) -> String {
        format!(
            r#"{{"id":{id},"name":"t{id}","last_4_digits":"abcd","created_by":"c","expires_at":null,
                "resources":[{{"resource_type":"domain","resource_id":7,"access_level":100}}]}}"#
        )
    }

    fn streamed(bytes: &str) -> (Vec<TokenId>, Result<Vec<UnreadableToken>, String>) {
        let mut ids = Vec::new();
        let read = TokenList::stream(bytes.as_bytes(), |t| {
            ids.push(t.id);
            Ok::<(), ()>(())
        });
        let read = read.map_err(|stop| match stop {
            StreamStop::Decode(e) => e.to_string(),
            StreamStop::Each(()) => "stopped".into(),
        });
        (ids, read)
    }

    #[test]
    fn a_streamed_list_hands_what_decode_keeps_in_the_same_order() {
        let bad_id = r#"{"id":"x","name":"odd"}"#.to_string();
        let no_name = r#"{"id":5}"#.to_string();
        for items in [
            vec![],
            vec![good(1)],
            vec![good(1), good(2), good(3)],
            vec![bad_id.clone(), good(2), good(3)],
            vec![good(1), good(2), bad_id.clone()],
            vec![good(1), bad_id.clone(), good(3), no_name.clone(), good(4)],
        ] {
            let refs: Vec<&str> = items.iter().map(String::as_str).collect();
            let text = listed(&refs);
            let whole = TokenList::decode(text.as_bytes()).unwrap();
            let (ids, unreadable) = streamed(&text);
            let expected: Vec<TokenId> = whole.tokens.iter().map(|t| t.id).collect();
            assert_eq!(ids, expected, "{text}");
            assert_eq!(unreadable.unwrap(), whole.unreadable, "{text}");
        }
    }

    #[test]
    fn an_answer_that_is_not_a_list_fails_as_decode_does_and_hands_nothing() {
        for text in [r#"{"error":"nope"}"#, "", "null", "[1,", "<html>"] {
            let whole = TokenList::decode(text.as_bytes()).unwrap_err().to_string();
            let (ids, read) = streamed(text);
            assert!(ids.is_empty(), "{text}");
            assert_eq!(read.unwrap_err(), whole, "{text}");
        }
    }

    #[test]
    fn an_answer_that_breaks_off_fails_after_the_tokens_before_the_break() {
        let text = format!("[{},{},{{\"id\":", good(1), good(2));
        let (ids, read) = streamed(&text);
        assert_eq!(ids, vec![1, 2]);
        assert!(read.is_err());
    }

    /// Each handed token's id and text as sent, and how the read ended.
    type Sent = (Vec<(TokenId, String)>, Result<Vec<UnreadableToken>, String>);

    fn streamed_sent(text: &str) -> Sent {
        let mut handed = Vec::new();
        let read = TokenList::stream_sent(text, |t, raw| {
            handed.push((t.id, raw.to_string()));
            Ok::<(), ()>(())
        });
        let read = read.map_err(|stop| match stop {
            StreamStop::Decode(e) => e.to_string(),
            StreamStop::Each(()) => "stopped".into(),
        });
        (handed, read)
    }

    #[test]
    fn a_list_streamed_as_sent_hands_what_decode_keeps_with_each_token_s_own_text() {
        let bad_id = r#"{"id":"x","name":"odd"}"#.to_string();
        let no_name = r#"{"id":5}"#.to_string();
        let extra = r#"{"zz":{"nested":[1,"x\u001b[31m",{}]},"id":9,"name":"n","big":123456789012345678901234567890}"#
            .to_string();
        for items in [
            vec![],
            vec![good(1)],
            vec![good(1), extra.clone(), good(3)],
            vec![bad_id.clone(), good(2), good(3)],
            vec![good(1), good(2), bad_id.clone()],
            vec![
                good(1),
                bad_id.clone(),
                good(3),
                no_name.clone(),
                extra.clone(),
            ],
        ] {
            let refs: Vec<&str> = items.iter().map(String::as_str).collect();
            let text = listed(&refs);
            let whole = TokenList::decode(text.as_bytes()).unwrap();
            let (handed, unreadable) = streamed_sent(&text);
            let ids: Vec<TokenId> = handed.iter().map(|(id, _)| *id).collect();
            let expected: Vec<TokenId> = whole.tokens.iter().map(|t| t.id).collect();
            assert_eq!(ids, expected, "{text}");
            assert_eq!(unreadable.unwrap(), whole.unreadable, "{text}");
            for (_, raw) in &handed {
                assert!(items.contains(raw), "{raw} is one of the items as sent");
            }
        }
    }

    #[test]
    fn a_list_streamed_as_sent_fails_as_decode_does() {
        for text in [r#"{"error":"nope"}"#, "", "null", "[1,", "<html>"] {
            let whole = TokenList::decode(text.as_bytes()).unwrap_err().to_string();
            let (handed, read) = streamed_sent(text);
            assert!(handed.is_empty(), "{text}");
            assert_eq!(read.unwrap_err(), whole, "{text}");
        }
        let text = format!("[{},{},{{\"id\":", good(1), good(2));
        let (handed, read) = streamed_sent(&text);
        assert_eq!(handed.len(), 2);
        assert!(read.is_err());
        let text = listed(&[&good(1), &good(2), &good(3)]);
        let mut seen = 0;
        let read = TokenList::stream_sent(&text, |_, _| {
            seen += 1;
            if seen == 2 { Err("enough") } else { Ok(()) }
        });
        assert!(matches!(read, Err(StreamStop::Each("enough"))));
        assert_eq!(seen, 2, "nothing is handed after the stop");
    }

    #[test]
    fn a_list_cut_anywhere_fails_as_sent_with_the_typed_pass_s_words() {
        let text = listed(&[
            &good(1),
            r#"{"id":"x","name":"odd"}"#,
            r#"{"id": 3, "name": "e\u00e9", "extra": {"a": [1, 2.5e3, null, true]}}"#,
        ]);
        for cut in 0..text.len() {
            let Some(part) = text.get(..cut) else {
                continue;
            };
            let typed = TokenList::decode(part.as_bytes()).map_err(|e| e.to_string());
            let (_, sent) = streamed_sent(part);
            match typed {
                Err(typed) => assert_eq!(sent.unwrap_err(), typed, "{part}"),
                Ok(list) => assert_eq!(sent.unwrap(), list.unreadable, "{part}"),
            }
        }
    }

    #[test]
    fn the_reader_can_stop_the_stream() {
        let text = listed(&[&good(1), &good(2), &good(3)]);
        let mut seen = 0;
        let read = TokenList::stream(text.as_bytes(), |_| {
            seen += 1;
            if seen == 2 { Err("enough") } else { Ok(()) }
        });
        assert!(matches!(read, Err(StreamStop::Each("enough"))));
        assert_eq!(seen, 2, "nothing is handed after the stop");
    }
}
