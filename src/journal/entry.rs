//! What one journal line holds. None of these types can carry a secret: there is no field for one, a
//! name has any run of 32 or more hexadecimal characters (the shape of a Mailtrap secret) hidden, and a
//! last-4 keeps at most four characters.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::api::{
    AccessLevel, AccountId, ApiError, PermissionChange, Resource, ResourceType, TokenId,
};

/// An entry's id: 8 lowercase hex characters, short enough to type (`journal undo 3f9a01c2`). Drawn
/// from the thread's random generator (seeded from the operating system), so two processes appending
/// at once do not draw the same one (one chance in 4 billion per pair).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct EntryId(String);

impl EntryId {
    pub fn random() -> Self {
        Self(format!("{:08x}", rand::random::<u32>()))
    }

    /// Reads a typed id: 8 hex characters, any case.
    pub fn parse(text: &str) -> Option<Self> {
        let t = text.trim();
        (t.len() == 8 && t.bytes().all(|b| b.is_ascii_hexdigit()))
            .then(|| Self(t.to_ascii_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for EntryId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for EntryId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Self::parse(&text)
            .ok_or_else(|| serde::de::Error::custom("an entry id is 8 hex characters"))
    }
}

/// What a write did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Create,
    Reset,
    Delete,
    EditPermissions,
    /// A permission edit put back as it was before an earlier entry.
    Undo,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Reset => "reset",
            Action::Delete => "delete",
            Action::EditPermissions => "edit_permissions",
            Action::Undo => "undo",
        }
    }
}

/// A token's name as the journal keeps it: a run of 32 or more hex characters becomes `[hidden]`, so a
/// secret pasted into a name never reaches the file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Name(String);

impl Name {
    pub fn new(text: &str) -> Self {
        let mut out = String::with_capacity(text.len());
        let mut run = String::new();
        let flush = |run: &mut String, out: &mut String| {
            if run.len() >= 32 {
                out.push_str("[hidden]");
            } else {
                out.push_str(run);
            }
            run.clear();
        };
        for c in text.chars() {
            if c.is_ascii_hexdigit() {
                run.push(c);
            } else {
                flush(&mut run, &mut out);
                out.push(c);
            }
        }
        flush(&mut run, &mut out);
        Self(out)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for Name {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Self::new(&String::deserialize(d)?))
    }
}

/// The last four characters of a token, never more.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Last4(String);

impl Last4 {
    pub fn new(text: &str) -> Self {
        let chars: Vec<char> = text.chars().collect();
        Self(chars[chars.len().saturating_sub(4)..].iter().collect())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for Last4 {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Self::new(&String::deserialize(d)?))
    }
}

/// One permission a token holds, as the journal keeps it (the level as its number, as the API sends it).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Permission {
    pub resource_type: String,
    pub resource_id: i64,
    pub access_level: i64,
}

impl From<&Resource> for Permission {
    fn from(r: &Resource) -> Self {
        Self {
            resource_type: r.resource_type.as_str().to_string(),
            resource_id: r.resource_id,
            access_level: r.access_level.0,
        }
    }
}

impl Permission {
    /// `account 1824170 admin`.
    pub fn describe(&self) -> String {
        format!(
            "{} {} {}",
            self.resource_type,
            self.resource_id,
            AccessLevel(self.access_level)
        )
    }
}

/// A token's permissions in one order (by type, then id), so two sets compare as sets.
pub fn permission_set(resources: &[Resource]) -> Vec<Permission> {
    let mut set: Vec<Permission> = resources.iter().map(Permission::from).collect();
    set.sort();
    set.dedup();
    set
}

/// `before` with `changes` applied, as the server applies a bulk update: a level upserts, `None` removes.
pub fn apply_changes(before: &[Permission], changes: &[PermissionChange]) -> Vec<Permission> {
    let mut after: Vec<Permission> = before.to_vec();
    for change in changes {
        let resource_type = change.resource_type.as_str();
        after
            .retain(|p| !(p.resource_type == resource_type && p.resource_id == change.resource_id));
        if let Some(level) = change.access_level {
            after.push(Permission {
                resource_type: resource_type.to_string(),
                resource_id: change.resource_id,
                access_level: level.0,
            });
        }
    }
    after.sort();
    after
}

/// The bulk update that turns `now` back into `wanted`: each wanted permission set to its level, each
/// other one removed. Empty when the two are equal.
pub fn changes_to_restore(now: &[Permission], wanted: &[Permission]) -> Vec<PermissionChange> {
    let mut changes = Vec::new();
    for p in wanted {
        if !now.contains(p) {
            changes.push(PermissionChange {
                resource_type: ResourceType::new(p.resource_type.clone()),
                resource_id: p.resource_id,
                access_level: Some(AccessLevel(p.access_level)),
            });
        }
    }
    for p in now {
        let kept = wanted
            .iter()
            .any(|w| w.resource_type == p.resource_type && w.resource_id == p.resource_id);
        if !kept {
            changes.push(PermissionChange {
                resource_type: ResourceType::new(p.resource_type.clone()),
                resource_id: p.resource_id,
                access_level: None,
            });
        }
    }
    changes
}

/// The "sent" line, written before the request goes out.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sent {
    pub entry: EntryId,
    pub time: DateTime<Utc>,
    pub account: AccountId,
    pub action: Action,
    /// The token acted on; `None` for a create (its id comes with the result).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<TokenId>,
    #[serde(default)]
    pub name: Name,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last4: Option<Last4>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<Vec<Permission>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<Vec<Permission>>,
    /// For an undo: the entry whose edit it puts back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub undoes: Option<EntryId>,
}

/// What one write is, before it has an id and a time: what the console's effects carry, so the
/// executor can journal it without looking anything up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    /// Drawn when the note is made, so whoever made it can name the entry (an undo names the edit).
    pub entry: EntryId,
    pub action: Action,
    pub token: Option<TokenId>,
    pub name: Name,
    pub last4: Option<Last4>,
    pub before: Option<Vec<Permission>>,
    pub after: Option<Vec<Permission>>,
    pub undoes: Option<EntryId>,
}

impl Note {
    /// A note about `action` on an existing token.
    pub fn about(action: Action, token: TokenId, name: &str, last4: &str) -> Self {
        Self {
            entry: EntryId::random(),
            action,
            token: Some(token),
            name: Name::new(name),
            last4: Some(Last4::new(last4)),
            before: None,
            after: None,
            undoes: None,
        }
    }

    /// A create: the token has no id yet; what it will hold is `after`.
    pub fn create(name: &str, resources: &[Resource]) -> Self {
        Self {
            entry: EntryId::random(),
            action: Action::Create,
            token: None,
            name: Name::new(name),
            last4: None,
            before: None,
            after: Some(permission_set(resources)),
            undoes: None,
        }
    }

    pub fn with_permissions(mut self, before: Vec<Permission>, after: Vec<Permission>) -> Self {
        self.before = Some(before);
        self.after = Some(after);
        self
    }

    pub fn undoing(mut self, entry: EntryId) -> Self {
        self.undoes = Some(entry);
        self
    }

    /// The sent line of this note.
    pub fn sent(self, account: AccountId, time: DateTime<Utc>) -> Sent {
        Sent {
            entry: self.entry,
            time,
            account,
            action: self.action,
            token: self.token,
            name: self.name,
            last4: self.last4,
            before: self.before,
            after: self.after,
            undoes: self.undoes,
        }
    }
}

/// How a request ended, as the journal says it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Done,
    /// 403, 422 or another 4xx: the server did not act.
    Refused,
    NotFound,
    RateLimited,
    /// 401: the token the request went with was refused.
    Auth,
    /// A 5xx.
    ServerError,
    /// The connection failed or timed out: whether the server acted is unknown.
    AnswerLost,
    /// An answer came but could not be read (the server may have acted).
    UnreadableAnswer,
    /// Refused here before anything went out.
    NotSent,
}

impl Outcome {
    pub fn of_error(e: &ApiError) -> Self {
        match e {
            ApiError::Unauthorized { .. } => Outcome::Auth,
            ApiError::Forbidden { .. } | ApiError::Validation { .. } => Outcome::Refused,
            ApiError::Status { .. } => Outcome::Refused,
            ApiError::NotFound => Outcome::NotFound,
            ApiError::RateLimited { .. } => Outcome::RateLimited,
            ApiError::Server { .. } => Outcome::ServerError,
            ApiError::Timeout | ApiError::Connection { .. } => Outcome::AnswerLost,
            ApiError::Decode { .. } => Outcome::UnreadableAnswer,
            ApiError::Config(_) => Outcome::NotSent,
        }
    }

    pub fn of<T>(result: &Result<T, ApiError>) -> Self {
        match result {
            Ok(_) => Outcome::Done,
            Err(e) => Self::of_error(e),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Done => "done",
            Outcome::Refused => "refused",
            Outcome::NotFound => "not_found",
            Outcome::RateLimited => "rate_limited",
            Outcome::Auth => "auth",
            Outcome::ServerError => "server_error",
            Outcome::AnswerLost => "answer_lost",
            Outcome::UnreadableAnswer => "unreadable_answer",
            Outcome::NotSent => "not_sent",
        }
    }
}

/// The result line, written after the answer (or its loss).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answered {
    pub entry: EntryId,
    pub time: DateTime<Utc>,
    pub result: Outcome,
    /// For a reset or a create that was done: the new token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_token: Option<TokenId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_last4: Option<Last4>,
}

impl Answered {
    pub fn new(sent: &Sent, result: Outcome, time: DateTime<Utc>) -> Self {
        Self {
            entry: sent.entry.clone(),
            time,
            result,
            new_token: None,
            new_last4: None,
        }
    }

    /// The token a reset or a create made (its id and last four, never its secret).
    pub fn made(mut self, token: TokenId, last4: &str) -> Self {
        self.new_token = Some(token);
        self.new_last4 = Some(Last4::new(last4));
        self
    }
}

/// One line of the file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "line", rename_all = "snake_case")]
pub enum Line {
    Sent(Sent),
    Result(Answered),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_hide_secret_shaped_runs_and_last4_keeps_four() {
        let secret = "0123456789abcdef0123456789abcdef";
        assert_eq!(
            Name::new(&format!("ci {secret} x")).as_str(),
            "ci [hidden] x"
        );
        assert_eq!(Name::new("deploy 2491002").as_str(), "deploy 2491002");
        assert_eq!(Last4::new(secret).as_str(), "cdef");
        let read: Name = serde_json::from_str(&format!("\"{secret}\"")).unwrap();
        assert_eq!(read.as_str(), "[hidden]");
    }

    #[test]
    fn restoring_turns_after_back_into_before() {
        let p = |t: &str, id, level| Permission {
            resource_type: t.into(),
            resource_id: id,
            access_level: level,
        };
        let before = vec![p("account", 1, 100), p("project", 2, 10)];
        let change = |t: &str, id, level: Option<i64>| PermissionChange {
            resource_type: ResourceType::new(t),
            resource_id: id,
            access_level: level.map(AccessLevel),
        };
        let after = apply_changes(
            &before,
            &[
                change("project", 2, None),
                change("domain", 3, Some(10)),
                change("account", 1, Some(10)),
            ],
        );
        assert_eq!(after, vec![p("account", 1, 10), p("domain", 3, 10)]);
        let back = changes_to_restore(&after, &before);
        assert_eq!(apply_changes(&after, &back), before);
        assert!(changes_to_restore(&before, &before).is_empty());
    }

    #[test]
    fn ids_are_eight_hex_and_parse_back() {
        let id = EntryId::random();
        assert_eq!(id.as_str().len(), 8);
        assert_eq!(EntryId::parse(&id.as_str().to_uppercase()), Some(id));
        assert_eq!(EntryId::parse("12345"), None);
        assert_eq!(EntryId::parse("1234567g"), None);
    }
}
