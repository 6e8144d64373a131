//! The simulated account's data: its projects, sandboxes and sending domains, the tokens with the hashes
//! of their secrets, the other accesses, and the id counters. What requests do to it is in `rules`.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use rand::Rng;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::api::{Resource, ResourceKind};
use crate::sim::options::DefaultExpiry;

#[derive(Clone, Debug)]
pub struct TokenRecord {
    pub id: i64,
    pub access_id: i64,
    pub name: String,
    pub created_by: String,
    pub expires_at: Option<DateTime<Utc>>,
    pub resources: Vec<Resource>,
    pub last4: String,
    /// Set once the token has been reset; it then lives out its grace.
    pub reset: bool,
    /// Only the hash is kept, so nothing in the world can hand a secret out a second time.
    secret_hash: [u8; 32],
}

impl TokenRecord {
    pub fn is_expired(&self, now: DateTime<Utc>) -> bool {
        self.expires_at.is_some_and(|e| e <= now)
    }

    /// Counts for the domain rule: neither expired nor in its reset grace.
    pub(super) fn is_live(&self, now: DateTime<Utc>) -> bool {
        !self.reset && !self.is_expired(now)
    }
}

/// What the maker of a token decides; `World::add_token` adds the secret and the bookkeeping.
pub(super) struct TokenFields {
    pub name: String,
    pub created_by: String,
    pub expires_at: Option<DateTime<Utc>>,
    pub resources: Vec<Resource>,
    /// Already in its reset grace (seeded and synthetic tokens only).
    pub reset: bool,
}

/// The access id a seeded token has until `from_seed` numbers them all, in id order.
pub(super) const UNNUMBERED: i64 = 0;

/// A User or Invite access from the seed.
#[derive(Clone, Debug)]
pub(super) struct OtherAccess {
    pub access_id: i64,
    pub specifier_type: &'static str,
    pub specifier: Value,
    pub resources: Vec<Resource>,
}

#[derive(Clone, Debug)]
pub(super) struct Project {
    pub id: i64,
    pub name: String,
    pub sandboxes: Vec<(i64, String)>,
}

/// Who is calling: a snapshot of the authenticated token.
#[derive(Clone, Debug)]
pub struct Caller {
    pub id: i64,
    pub name: String,
    pub resources: Vec<Resource>,
}

pub struct World {
    pub account_id: i64,
    pub account_name: String,
    pub owner_name: String,
    pub(super) projects: Vec<Project>,
    pub(super) domains: Vec<(i64, String)>,
    pub(super) tokens: BTreeMap<i64, TokenRecord>,
    by_hash: HashMap<[u8; 32], i64>,
    pub(super) others: Vec<OtherAccess>,
    pub(super) next_token_id: i64,
    pub(super) next_access_id: i64,
    pub(super) default_expiry: DefaultExpiry,
    pub(super) cleanup_after: chrono::Duration,
}

fn hash_secret(secret: &str) -> [u8; 32] {
    Sha256::digest(secret.as_bytes()).into()
}

/// 32 lowercase hex characters from the thread's CSPRNG; `suffix` fixes the last four (seeded tokens, so
/// lists are identical between runs while the secrets are not).
fn new_secret(suffix: Option<&str>) -> String {
    let mut bytes = [0u8; 16];
    rand::rng().fill(&mut bytes[..]);
    let mut hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    if let Some(suffix) = suffix {
        hex.truncate(32 - suffix.len());
        hex.push_str(suffix);
    }
    hex
}

impl World {
    /// An account with no tokens and no other accesses yet; `from_seed` fills it.
    pub(super) fn empty(
        account_id: i64,
        account_name: String,
        owner_name: String,
        projects: Vec<Project>,
        domains: Vec<(i64, String)>,
        default_expiry: DefaultExpiry,
        cleanup_after: chrono::Duration,
    ) -> World {
        World {
            account_id,
            account_name,
            owner_name,
            projects,
            domains,
            tokens: BTreeMap::new(),
            by_hash: HashMap::new(),
            others: Vec::new(),
            next_token_id: 0,
            next_access_id: 0,
            default_expiry,
            cleanup_after,
        }
    }

    /// The one place a token record is made: a new secret (its last four fixed by `last4`, else random),
    /// the record, and its entry in the secret index. Returns the secret, which is kept nowhere.
    pub(super) fn add_token(
        &mut self,
        id: i64,
        access_id: i64,
        fields: TokenFields,
        last4: Option<&str>,
    ) -> String {
        let secret = new_secret(last4);
        let record = TokenRecord {
            id,
            access_id,
            name: fields.name,
            created_by: fields.created_by,
            expires_at: fields.expires_at,
            resources: fields.resources,
            last4: secret[secret.len() - 4..].to_string(),
            reset: fields.reset,
            secret_hash: hash_secret(&secret),
        };
        self.by_hash.insert(record.secret_hash, id);
        self.tokens.insert(id, record);
        secret
    }

    /// A token made now (create, reset, a test's `issue_token`): the next ids and a random secret.
    pub(super) fn add_new_token(
        &mut self,
        created_by: String,
        resources: Vec<Resource>,
        expires_at: Option<DateTime<Utc>>,
        name_for: impl FnOnce(i64) -> String,
    ) -> (i64, String) {
        let id = self.take_token_id();
        let access_id = self.take_access_id();
        let fields = TokenFields {
            name: name_for(id),
            created_by,
            expires_at,
            resources,
            reset: false,
        };
        (id, self.add_token(id, access_id, fields, None))
    }

    /// Adds a token directly (tests' `issue_token`), attributed to the owner; returns its id and secret.
    pub fn issue(
        &mut self,
        name: &str,
        resources: Vec<Resource>,
        expires_at: Option<DateTime<Utc>>,
    ) -> (i64, String) {
        let created_by = self.owner_name.clone();
        self.add_new_token(created_by, resources, expires_at, |_| name.to_string())
    }

    pub(super) fn take_token_id(&mut self) -> i64 {
        let id = self.next_token_id;
        self.next_token_id += 1;
        id
    }

    pub(super) fn take_access_id(&mut self) -> i64 {
        let id = self.next_access_id;
        self.next_access_id += 1;
        id
    }

    pub(super) fn remove_token(&mut self, id: i64) {
        if let Some(t) = self.tokens.remove(&id) {
            self.by_hash.remove(&t.secret_hash);
        }
    }

    /// The caller behind a secret, if that token exists and has not expired.
    pub fn authenticate(&self, secret: &str, now: DateTime<Utc>) -> Option<Caller> {
        let id = self.by_hash.get(&hash_secret(secret))?;
        let t = self.tokens.get(id)?;
        (!t.is_expired(now)).then(|| Caller {
            id: t.id,
            name: t.name.clone(),
            resources: t.resources.clone(),
        })
    }

    pub fn token(&self, id: i64) -> Option<&TokenRecord> {
        self.tokens.get(&id)
    }

    pub fn tokens(&self) -> impl Iterator<Item = &TokenRecord> {
        self.tokens.values()
    }

    pub(super) fn token_of_access(&self, access_id: i64) -> Option<i64> {
        self.tokens
            .values()
            .find(|t| t.access_id == access_id)
            .map(|t| t.id)
    }

    pub(super) fn project_of_sandbox(&self, sandbox: i64) -> Option<i64> {
        self.projects
            .iter()
            .find(|p| p.sandboxes.iter().any(|s| s.0 == sandbox))
            .map(|p| p.id)
    }

    pub(super) fn resource_exists(&self, kind: ResourceKind, id: i64) -> bool {
        match kind {
            ResourceKind::Account => id == self.account_id,
            ResourceKind::Project => self.projects.iter().any(|p| p.id == id),
            ResourceKind::Sandbox => self.project_of_sandbox(id).is_some(),
            ResourceKind::Domain => self.domains.iter().any(|d| d.0 == id),
            _ => false,
        }
    }
}
