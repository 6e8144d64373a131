//! The simulated accounts' data: each account's projects, sandboxes, sending domains and other accesses,
//! the optional organization they belong to, every token with the hash of its secret and its home, and the
//! id counters (one per kind for the whole simulator). What requests do to it is in `rules`.

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
    /// The account whose token list holds it; `None` for an organization token (listed in no account).
    pub home: Option<i64>,
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
    pub home: Option<i64>,
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

/// One account: its resources and its User and Invite accesses (its tokens are in `World::tokens`).
#[derive(Clone, Debug)]
pub(super) struct AccountData {
    pub id: i64,
    pub name: String,
    pub projects: Vec<Project>,
    pub domains: Vec<(i64, String)>,
    pub others: Vec<OtherAccess>,
}

impl AccountData {
    pub fn new(id: i64, name: String, projects: Vec<Project>, domains: Vec<(i64, String)>) -> Self {
        Self {
            id,
            name,
            projects,
            domains,
            others: Vec::new(),
        }
    }

    pub fn project_of_sandbox(&self, sandbox: i64) -> Option<i64> {
        self.projects
            .iter()
            .find(|p| p.sandboxes.iter().any(|s| s.0 == sandbox))
            .map(|p| p.id)
    }

    /// Whether (kind, id) is this account or one of its projects, sandboxes or domains.
    pub fn holds(&self, kind: ResourceKind, id: i64) -> bool {
        match kind {
            ResourceKind::Account => id == self.id,
            ResourceKind::Project => self.projects.iter().any(|p| p.id == id),
            ResourceKind::Sandbox => self.project_of_sandbox(id).is_some(),
            ResourceKind::Domain => self.domains.iter().any(|d| d.0 == id),
            _ => false,
        }
    }
}

/// docs organization-and-sub-accounts: an organization groups accounts; every account of a world that has
/// one belongs to it (guess: a seed names no standalone account beside an organization).
#[derive(Clone, Debug)]
pub(super) struct Organization {
    pub id: i64,
    pub name: String,
}

/// Who is calling: a snapshot of the authenticated token.
#[derive(Clone, Debug)]
pub struct Caller {
    pub id: i64,
    pub name: String,
    pub resources: Vec<Resource>,
    /// The token's home account; `None` for an organization token.
    pub home: Option<i64>,
}

pub struct World {
    pub owner_name: String,
    /// In seed order; the first is the standalone account of a seed without an organization.
    pub(super) accounts: Vec<AccountData>,
    pub(super) organization: Option<Organization>,
    /// Every token of every account and of the organization: one id space.
    pub(super) tokens: BTreeMap<i64, TokenRecord>,
    by_hash: HashMap<[u8; 32], i64>,
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
    /// One account with no tokens and no other accesses yet; `from_seed` fills it and adds the others.
    pub(super) fn empty(
        first: AccountData,
        owner_name: String,
        default_expiry: DefaultExpiry,
        cleanup_after: chrono::Duration,
    ) -> World {
        World {
            owner_name,
            accounts: vec![first],
            organization: None,
            tokens: BTreeMap::new(),
            by_hash: HashMap::new(),
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
            home: fields.home,
            secret_hash: hash_secret(&secret),
        };
        self.by_hash.insert(record.secret_hash, id);
        self.tokens.insert(id, record);
        secret
    }

    /// A token made now (create, reset, a test's `issue_token`): the next ids and a random secret.
    pub(super) fn add_new_token(
        &mut self,
        home: Option<i64>,
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
            home,
        };
        (id, self.add_token(id, access_id, fields, None))
    }

    /// Adds a token directly (tests' `issue_token`) to `home` (`None`: the organization), attributed to
    /// the owner; returns its id and secret.
    pub fn issue(
        &mut self,
        home: Option<i64>,
        name: &str,
        resources: Vec<Resource>,
        expires_at: Option<DateTime<Utc>>,
    ) -> (i64, String) {
        let created_by = self.owner_name.clone();
        self.add_new_token(home, created_by, resources, expires_at, |_| {
            name.to_string()
        })
    }

    /// The first account: the standalone one, or the organization's first in seed order.
    pub fn primary_account_id(&self) -> i64 {
        self.accounts.first().map_or(0, |a| a.id)
    }

    /// Every account, in seed order (then creation order).
    pub fn account_ids(&self) -> Vec<i64> {
        self.accounts.iter().map(|a| a.id).collect()
    }

    pub fn organization_id(&self) -> Option<i64> {
        self.organization.as_ref().map(|o| o.id)
    }

    pub fn organization_name(&self) -> Option<&str> {
        self.organization.as_ref().map(|o| o.name.as_str())
    }

    pub(super) fn account(&self, id: i64) -> Option<&AccountData> {
        self.accounts.iter().find(|a| a.id == id)
    }

    pub(super) fn account_mut(&mut self, id: i64) -> Option<&mut AccountData> {
        self.accounts.iter_mut().find(|a| a.id == id)
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
            home: t.home,
        })
    }

    pub fn token(&self, id: i64) -> Option<&TokenRecord> {
        self.tokens.get(&id)
    }

    pub fn tokens(&self) -> impl Iterator<Item = &TokenRecord> {
        self.tokens.values()
    }

    /// The tokens whose home is `account`, in id order.
    pub(super) fn tokens_of(&self, account: i64) -> impl Iterator<Item = &TokenRecord> {
        self.tokens
            .values()
            .filter(move |t| t.home == Some(account))
    }

    /// The token `id` if its home is `account`.
    pub(super) fn token_in(&self, account: i64, id: i64) -> Option<&TokenRecord> {
        self.tokens.get(&id).filter(|t| t.home == Some(account))
    }

    pub(super) fn token_of_access(&self, account: i64, access_id: i64) -> Option<i64> {
        self.tokens_of(account)
            .find(|t| t.access_id == access_id)
            .map(|t| t.id)
    }
}
