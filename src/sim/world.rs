//! The simulated account and every rule of spec §11 that does not depend on HTTP: tokens and their secrets,
//! create / reset / delete, expiry and cleanup, account accesses, bulk permissions and the resource tree.
//! Every function takes the simulator's `now`; nothing here reads a clock.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Months, NaiveDate, SecondsFormat, Utc};
use rand::Rng;
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use crate::api::{AccessLevel, Resource, ResourceKind, ResourceType};
use crate::cli::args::DefaultExpiry;

use super::seed::{Seed, SeedResource, stable_last4};

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
    fn invalid_fields(errors: Map<String, Value>) -> Self {
        Self::error(422, json!({ "errors": errors }))
    }
    pub fn error(status: u16, body: Value) -> Self {
        Self {
            status,
            body: Some(body),
        }
    }
}

const NO_PERMISSIONS: &str = "No permissions selected. Please choose at least one.";
/// The grace an old token keeps after a reset (spec §4.2).
const RESET_GRACE_HOURS: i64 = 12;
const NAME_MAX_CHARS: usize = 255;

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
    secret_hash: [u8; 32],
}

impl TokenRecord {
    pub fn is_expired(&self, now: DateTime<Utc>) -> bool {
        self.expires_at.is_some_and(|e| e <= now)
    }

    /// Counts for the domain rule: neither expired nor in its reset grace.
    fn is_live(&self, now: DateTime<Utc>) -> bool {
        !self.reset && !self.is_expired(now)
    }

    fn json(&self) -> Value {
        json!({
            "resources": self.resources.iter().map(resource_json).collect::<Vec<_>>(),
            "id": self.id,
            "name": self.name,
            "last_4_digits": self.last4,
            "created_by": self.created_by,
            "expires_at": self.expires_at.map(time_json),
        })
    }
}

/// A User or Invite access from the seed.
#[derive(Clone, Debug)]
struct OtherAccess {
    access_id: i64,
    specifier_type: &'static str,
    specifier: Value,
    resources: Vec<Resource>,
}

#[derive(Clone, Debug)]
struct Project {
    id: i64,
    name: String,
    sandboxes: Vec<(i64, String)>,
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
    projects: Vec<Project>,
    domains: Vec<(i64, String)>,
    tokens: BTreeMap<i64, TokenRecord>,
    by_hash: HashMap<[u8; 32], i64>,
    others: Vec<OtherAccess>,
    next_token_id: i64,
    next_access_id: i64,
    default_expiry: DefaultExpiry,
    cleanup_after: chrono::Duration,
}

fn resource_json(r: &Resource) -> Value {
    json!({
        "resource_type": r.resource_type.as_str(),
        "resource_id": r.resource_id,
        "access_level": r.access_level.0,
    })
}

fn time_json(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
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

fn seed_resources(list: &[SeedResource]) -> Vec<Resource> {
    list.iter()
        .map(|r| Resource {
            resource_type: ResourceType::new(r.resource_type.clone()),
            resource_id: r.resource_id,
            access_level: AccessLevel(r.access_level),
        })
        .collect()
}

fn hours(h: f64) -> chrono::Duration {
    chrono::Duration::seconds((h * 3600.0).round() as i64)
}

/// What an `expires_at` key asks for: the tri-state of spec §2.2.
enum ExpiryRequest {
    Default,
    Never,
    At(DateTime<Utc>),
}

impl World {
    /// Builds the world from a seed; the seed's relative expiries count from `start`. Also returns the secret
    /// of the operator token (the only one anybody is told).
    pub fn from_seed(
        seed: &Seed,
        start: DateTime<Utc>,
        extra_tokens: usize,
        default_expiry: DefaultExpiry,
        cleanup_after: chrono::Duration,
    ) -> (World, String) {
        let mut world = World {
            account_id: seed.account.id,
            account_name: seed.account.name.clone(),
            owner_name: seed.owner_name.clone(),
            projects: seed
                .projects
                .iter()
                .map(|p| Project {
                    id: p.id,
                    name: p.name.clone(),
                    sandboxes: p.sandboxes.iter().map(|s| (s.id, s.name.clone())).collect(),
                })
                .collect(),
            domains: seed
                .domains
                .iter()
                .map(|d| (d.id, d.name.clone()))
                .collect(),
            tokens: BTreeMap::new(),
            by_hash: HashMap::new(),
            others: Vec::new(),
            next_token_id: 0,
            next_access_id: 0,
            default_expiry,
            cleanup_after,
        };
        for u in &seed.users {
            world.others.push(OtherAccess {
                access_id: u.access_id,
                specifier_type: "User",
                specifier: json!({"id": u.id, "email": u.email, "name": u.name,
                    "two_factor_authentication_enabled": u.two_factor_authentication_enabled}),
                resources: seed_resources(&u.resources),
            });
        }
        for i in &seed.invites {
            world.others.push(OtherAccess {
                access_id: i.access_id,
                specifier_type: "Invite",
                specifier: json!({"id": i.id, "email": i.email}),
                resources: seed_resources(&i.resources),
            });
        }
        let mut operator_secret = String::new();
        let mut add = |world: &mut World, record: TokenRecord, secret: String| {
            if record.id == seed.operator_token_id {
                operator_secret = secret;
            }
            world.by_hash.insert(record.secret_hash, record.id);
            world.tokens.insert(record.id, record);
        };
        for t in &seed.tokens {
            let last4 = t
                .last_4_digits
                .clone()
                .unwrap_or_else(|| stable_last4(t.id));
            let secret = new_secret(Some(&last4));
            let record = TokenRecord {
                id: t.id,
                access_id: 0,
                name: t.name.clone(),
                created_by: t.created_by.clone(),
                expires_at: t.expires_in_hours.map(|h| start + hours(h)),
                resources: seed_resources(&t.resources),
                last4,
                reset: t.reset,
                secret_hash: hash_secret(&secret),
            };
            add(&mut world, record, secret);
        }
        for d in &seed.domains {
            let last4 = d
                .token_last_4_digits
                .clone()
                .unwrap_or_else(|| stable_last4(d.token_id));
            let secret = new_secret(Some(&last4));
            let record = TokenRecord {
                id: d.token_id,
                access_id: 0,
                // spec §5: the auto-created token of a sending domain.
                name: format!("{} token {}", d.name, d.token_id),
                created_by: "System".into(),
                expires_at: None,
                resources: vec![Resource {
                    resource_type: ResourceType::new("domain"),
                    resource_id: d.id,
                    access_level: AccessLevel::ADMIN,
                }],
                last4,
                reset: false,
                secret_hash: hash_secret(&secret),
            };
            add(&mut world, record, secret);
        }
        world.next_token_id = world.tokens.keys().max().copied().unwrap_or(2_490_000) + 1;
        world.add_synthetic_tokens(extra_tokens, start);
        // Token accesses live in their own id range, like production's (spec §8.2).
        let max_other = world.others.iter().map(|o| o.access_id).max().unwrap_or(0);
        world.next_access_id = max_other.max(5_300_000) + 1;
        let ids: Vec<i64> = world.tokens.keys().copied().collect();
        for id in ids {
            let access_id = world.take_access_id();
            if let Some(t) = world.tokens.get_mut(&id) {
                t.access_id = access_id;
            }
        }
        world.next_token_id = world.tokens.keys().max().copied().unwrap_or(2_490_000) + 1;
        (world, operator_secret)
    }

    /// `serve --tokens N`: deterministic names, creators, resources and expiries; some in reset grace.
    fn add_synthetic_tokens(&mut self, count: usize, start: DateTime<Utc>) {
        const WORDS: [&str; 12] = [
            "Billing",
            "Webhook",
            "Staging",
            "Analytics",
            "Mobile",
            "Backup",
            "Partner",
            "Import",
            "Export",
            "Monitoring",
            "Support",
            "Campaign",
        ];
        const KINDS: [&str; 6] = ["sync", "worker", "reader", "bot", "relay", "job"];
        const CREATORS: [&str; 5] = [
            "Dana Whitfield",
            "Marcus Oyelaran",
            "Priya Raman",
            "Operator console",
            "CI deploy bot",
        ];
        let account = self.account_id;
        let sandboxes: Vec<i64> = self
            .projects
            .iter()
            .flat_map(|p| p.sandboxes.iter().map(|s| s.0))
            .collect();
        let projects: Vec<i64> = self.projects.iter().map(|p| p.id).collect();
        let domains: Vec<i64> = self.domains.iter().map(|d| d.0).collect();
        let mut i = 0usize;
        let mut made = 0usize;
        while made < count {
            let id = self.next_token_id;
            self.next_token_id += 1;
            let name = format!(
                "{} {} {}",
                WORDS[i % WORDS.len()],
                KINDS[(i / 3) % KINDS.len()],
                i + 1
            );
            let pick = |list: &[i64], n: usize| list.get(n % list.len().max(1)).copied();
            let (kind, rid, level) = match i % 5 {
                0 => ("account", Some(account), 10),
                1 => ("project", pick(&projects, i), 100),
                2 => ("sandbox", pick(&sandboxes, i), 10),
                3 => ("domain", pick(&domains, i), 10),
                _ => ("project", pick(&projects, i + 1), 10),
            };
            let (kind, rid) = match rid {
                Some(r) => (kind, r),
                None => ("account", account),
            };
            let in_grace = i % 9 == 4;
            let expires_at = if in_grace {
                Some(start + chrono::Duration::minutes(30 + (i as i64 * 47) % 660))
            } else {
                match i % 7 {
                    0 => None,
                    1 => Some(start - chrono::Duration::hours(1 + (i as i64 % 20))),
                    _ => Some(start + chrono::Duration::hours(6 + (i as i64 * 131) % 9000)),
                }
            };
            let resources = vec![Resource {
                resource_type: ResourceType::new(kind),
                resource_id: rid,
                access_level: AccessLevel(level),
            }];
            let secret = new_secret(Some(&stable_last4(id)));
            let record = TokenRecord {
                id,
                access_id: 0,
                name: name.clone(),
                created_by: CREATORS[i % CREATORS.len()].to_string(),
                expires_at,
                resources: resources.clone(),
                last4: stable_last4(id),
                reset: in_grace,
                secret_hash: hash_secret(&secret),
            };
            self.by_hash.insert(record.secret_hash, id);
            self.tokens.insert(id, record);
            made += 1;
            if in_grace && made < count {
                let successor = self.next_token_id;
                self.next_token_id += 1;
                let secret = new_secret(Some(&stable_last4(successor)));
                let record = TokenRecord {
                    id: successor,
                    access_id: 0,
                    name: format!("{name} {successor}"),
                    created_by: "Operator console".into(),
                    expires_at: Some(start + chrono::Duration::days(364)),
                    resources,
                    last4: stable_last4(successor),
                    reset: false,
                    secret_hash: hash_secret(&secret),
                };
                self.by_hash.insert(record.secret_hash, successor);
                self.tokens.insert(successor, record);
                made += 1;
            }
            i += 1;
        }
    }

    fn take_access_id(&mut self) -> i64 {
        let id = self.next_access_id;
        self.next_access_id += 1;
        id
    }

    /// Removes tokens whose expiry is more than `cleanup_after` ago (spec §4.5).
    pub fn sweep(&mut self, now: DateTime<Utc>) {
        let cutoff = self.cleanup_after;
        let gone: Vec<i64> = self
            .tokens
            .values()
            .filter(|t| t.expires_at.is_some_and(|e| e + cutoff <= now))
            .map(|t| t.id)
            .collect();
        for id in gone {
            self.remove_token(id);
        }
    }

    fn remove_token(&mut self, id: i64) {
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

    /// Adds a token directly (tests' `issue_token`); returns its id and secret.
    pub fn issue(
        &mut self,
        name: &str,
        resources: Vec<Resource>,
        expires_at: Option<DateTime<Utc>>,
    ) -> (i64, String) {
        let created_by = self.owner_name.clone();
        self.insert_new(created_by, resources, expires_at, |_| name.to_string())
    }

    fn insert_new(
        &mut self,
        created_by: String,
        resources: Vec<Resource>,
        expires_at: Option<DateTime<Utc>>,
        name_for: impl FnOnce(i64) -> String,
    ) -> (i64, String) {
        let id = self.next_token_id;
        self.next_token_id += 1;
        let access_id = self.take_access_id();
        let secret = new_secret(None);
        let record = TokenRecord {
            id,
            access_id,
            name: name_for(id),
            created_by,
            expires_at,
            resources,
            last4: secret[secret.len() - 4..].to_string(),
            reset: false,
            secret_hash: hash_secret(&secret),
        };
        self.by_hash.insert(record.secret_hash, id);
        self.tokens.insert(id, record);
        (id, secret)
    }

    // ---- permissions ---------------------------------------------------------------------------------

    fn project_of_sandbox(&self, sandbox: i64) -> Option<i64> {
        self.projects
            .iter()
            .find(|p| p.sandboxes.iter().any(|s| s.0 == sandbox))
            .map(|p| p.id)
    }

    fn resource_exists(&self, kind: ResourceKind, id: i64) -> bool {
        match kind {
            ResourceKind::Account => id == self.account_id,
            ResourceKind::Project => self.projects.iter().any(|p| p.id == id),
            ResourceKind::Sandbox => self.project_of_sandbox(id).is_some(),
            ResourceKind::Domain => self.domains.iter().any(|d| d.0 == id),
            _ => false,
        }
    }

    /// The level `held` gives on (kind, id): the account covers everything, a project its sandboxes.
    fn effective_level(&self, held: &[Resource], kind: ResourceKind, id: i64) -> i64 {
        held.iter()
            .filter(|r| {
                let rid = r.resource_id;
                match r.resource_type.kind() {
                    ResourceKind::Account | ResourceKind::Organization => {
                        rid == self.account_id
                            || r.resource_type.kind() == ResourceKind::Organization
                    }
                    ResourceKind::Project => {
                        (kind == ResourceKind::Project && id == rid)
                            || (kind == ResourceKind::Sandbox
                                && self.project_of_sandbox(id) == Some(rid))
                    }
                    ResourceKind::Sandbox => kind == ResourceKind::Sandbox && id == rid,
                    ResourceKind::Domain => kind == ResourceKind::Domain && id == rid,
                    _ => false,
                }
            })
            .map(|r| r.access_level.0)
            .max()
            .unwrap_or(0)
    }

    fn can_administer(&self, caller: &Caller, r: &Resource) -> bool {
        self.effective_level(&caller.resources, r.resource_type.kind(), r.resource_id) >= 100
    }

    fn can_administer_all(&self, caller: &Caller, list: &[Resource]) -> bool {
        list.iter().all(|r| self.can_administer(caller, r))
    }

    /// Admin on at least one resource. Viewer-only tokens may not create, reset, delete or change
    /// permissions (spec §11).
    pub fn is_admin_somewhere(caller: &Caller) -> bool {
        caller.resources.iter().any(|r| r.access_level.is_admin())
    }

    // ---- endpoints ------------------------------------------------------------------------------------

    pub fn accounts(&self, caller: &Caller) -> Answer {
        let level = self.effective_level(&caller.resources, ResourceKind::Account, self.account_id);
        // guess, spec §1.3: a token with access below the account level reports 1 (indeterminate).
        let level = if level == 0 { 1 } else { level };
        Answer::ok(
            json!([{ "id": self.account_id, "name": self.account_name, "access_levels": [level] }]),
        )
    }

    /// guess, spec §11: every token of the account is listed to any caller of the account.
    pub fn list_tokens(&self) -> Answer {
        Answer::ok(Value::Array(
            self.tokens.values().map(TokenRecord::json).collect(),
        ))
    }

    pub fn get_token(&self, id: i64) -> Answer {
        match self.tokens.get(&id) {
            Some(t) => Answer::ok(t.json()),
            None => Answer::not_found(),
        }
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
    fn resolve_expiry(
        &self,
        value: Option<&Value>,
        now: DateTime<Utc>,
    ) -> Result<Option<DateTime<Utc>>, &'static str> {
        let now_secs = now.with_nanosecond_zero();
        match Self::parse_expiry(value)? {
            ExpiryRequest::Default => Ok(match self.default_expiry {
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

    /// Parses one requested resource; field errors go into `errors`.
    fn parse_resource(line: &Value, errors: &mut Map<String, Value>) -> Option<Resource> {
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
                Some(ResourceType::new(t))
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

    pub fn create_token(
        &mut self,
        caller: &Caller,
        body: Option<&Value>,
        now: DateTime<Utc>,
    ) -> Answer {
        if !Self::is_admin_somewhere(caller) {
            return Answer::forbidden();
        }
        let empty = Map::new();
        let body = body.and_then(Value::as_object).unwrap_or(&empty);
        let lines = match body.get("resources") {
            None | Some(Value::Null) => return Answer::invalid("base", NO_PERMISSIONS),
            Some(Value::Array(items)) if items.is_empty() => {
                return Answer::invalid("base", NO_PERMISSIONS);
            }
            Some(Value::Array(items)) => items,
            Some(_) => return Answer::invalid("resources", "is invalid"),
        };
        let mut errors = Map::new();
        let resources: Vec<Resource> = lines
            .iter()
            .filter_map(|l| Self::parse_resource(l, &mut errors))
            .collect();
        let name = body.get("name").and_then(Value::as_str).unwrap_or("");
        if name.trim().is_empty() {
            errors.insert("name".into(), json!(["can't be blank"]));
        } else if name.chars().count() > NAME_MAX_CHARS {
            // guess, spec §11: Rails' length message.
            errors.insert(
                "name".into(),
                json!([format!(
                    "is too long (maximum is {NAME_MAX_CHARS} characters)"
                )]),
            );
        }
        let expires_at = match self.resolve_expiry(body.get("expires_at"), now) {
            Ok(e) => Some(e),
            Err(message) => {
                errors.insert("expires_at".into(), json!([message]));
                None
            }
        };
        if !errors.is_empty() {
            return Answer::invalid_fields(errors);
        }
        let Some(expires_at) = expires_at else {
            return Answer::invalid("expires_at", "is invalid");
        };
        for r in &resources {
            if !self.resource_exists(r.resource_type.kind(), r.resource_id)
                || !self.can_administer(caller, r)
            {
                return Answer::forbidden();
            }
        }
        let name = name.to_string();
        let (id, secret) =
            self.insert_new(caller.name.clone(), resources, expires_at, |_| name.clone());
        self.answer_with_secret(id, secret)
    }

    fn answer_with_secret(&self, id: i64, secret: String) -> Answer {
        let mut body = self.tokens.get(&id).map_or(Value::Null, TokenRecord::json);
        body["token"] = Value::String(secret);
        Answer::ok(body)
    }

    pub fn reset_token(
        &mut self,
        caller: &Caller,
        id: i64,
        body: Option<&Value>,
        now: DateTime<Utc>,
    ) -> Answer {
        if !Self::is_admin_somewhere(caller) {
            return Answer::forbidden();
        }
        let Some(old) = self.tokens.get(&id).cloned() else {
            return Answer::not_found();
        };
        if !self.can_administer_all(caller, &old.resources) {
            return Answer::forbidden();
        }
        // guess, spec §4.4: the bodies of both refusals.
        if old.reset {
            return Answer::invalid("base", "API token was already reset");
        }
        if old.is_expired(now) {
            return Answer::invalid("base", "API token has expired");
        }
        let expiry_value = body
            .and_then(Value::as_object)
            .and_then(|o| o.get("expires_at"));
        let expires_at = match self.resolve_expiry(expiry_value, now) {
            Ok(e) => e,
            Err(message) => return Answer::invalid("expires_at", message),
        };
        let grace_end = now.with_nanosecond_zero() + chrono::Duration::hours(RESET_GRACE_HOURS);
        if let Some(t) = self.tokens.get_mut(&id) {
            t.reset = true;
            t.expires_at = Some(t.expires_at.map_or(grace_end, |own| own.min(grace_end)));
        }
        // spec §2.4 (REAL): a new record, named "<old name> <new id>", same resources.
        // guess, spec §4.3/§10.11: a name already ending in an id gets another one appended.
        // guess, spec §4.7: the new token takes the request's expiry (or the default), not the old one's.
        let (new_id, secret) = self.insert_new(
            caller.name.clone(),
            old.resources.clone(),
            expires_at,
            |new_id| format!("{} {new_id}", old.name),
        );
        self.answer_with_secret(new_id, secret)
    }

    /// spec §11: the domain a live token is the last live holder of, if any.
    fn last_holder_of_domain(&self, target: &TokenRecord, now: DateTime<Utc>) -> Option<String> {
        if !target.is_live(now) {
            return None;
        }
        target
            .resources
            .iter()
            .filter(|r| r.resource_type.kind() == ResourceKind::Domain)
            .find(|r| {
                !self.tokens.values().any(|t| {
                    t.id != target.id
                        && t.is_live(now)
                        && t.resources.iter().any(|o| {
                            o.resource_type.kind() == ResourceKind::Domain
                                && o.resource_id == r.resource_id
                        })
                })
            })
            .map(|r| {
                self.domains
                    .iter()
                    .find(|d| d.0 == r.resource_id)
                    .map_or_else(|| r.resource_id.to_string(), |d| d.1.clone())
            })
    }

    /// The checks shared by deleting a token and deleting its access; `Ok` carries the target's id.
    fn check_deletable(&self, caller: &Caller, id: i64, now: DateTime<Utc>) -> Result<(), Answer> {
        if !Self::is_admin_somewhere(caller) {
            return Err(Answer::forbidden());
        }
        let Some(target) = self.tokens.get(&id) else {
            return Err(Answer::not_found());
        };
        if !self.can_administer_all(caller, &target.resources) {
            return Err(Answer::forbidden());
        }
        if let Some(domain) = self.last_holder_of_domain(target, now) {
            // guess, spec §5/§11: status and body of the refusal.
            return Err(Answer::invalid(
                "base",
                &format!("Cannot delete the last API token with access to domain {domain}"),
            ));
        }
        Ok(())
    }

    pub fn delete_token(&mut self, caller: &Caller, id: i64, now: DateTime<Utc>) -> Answer {
        match self.check_deletable(caller, id, now) {
            Ok(()) => {
                self.remove_token(id);
                Answer::no_content()
            }
            Err(answer) => answer,
        }
    }

    /// guess, spec §8.1: any caller with admin somewhere may list; viewer-only callers get 403.
    pub fn accesses(&self, caller: &Caller) -> Answer {
        if !Self::is_admin_somewhere(caller) {
            return Answer::forbidden();
        }
        // guess, spec §8.1: what the caller may do with each access follows its rights on the resources.
        let permissions = |resources: &[Resource]| {
            let admin = self.can_administer_all(caller, resources);
            json!({"can_read": false, "can_update": admin, "can_destroy": admin, "can_leave": false})
        };
        let mut out: Vec<(i64, Value)> = self
            .others
            .iter()
            .map(|o| {
                (
                    o.access_id,
                    json!({
                        "id": o.access_id,
                        "specifier_type": o.specifier_type,
                        "specifier": o.specifier,
                        "resources": o.resources.iter().map(resource_json).collect::<Vec<_>>(),
                        "permissions": permissions(&o.resources),
                    }),
                )
            })
            .collect();
        // spec §11: one ApiToken access per token; the specifier never carries the secret.
        out.extend(self.tokens.values().map(|t| {
            (
                t.access_id,
                json!({
                    "id": t.access_id,
                    "specifier_type": "ApiToken",
                    "specifier": {
                        "id": t.id,
                        "name": t.name,
                        "author_name": t.created_by,
                        "expires_at": t.expires_at.map(time_json),
                    },
                    "resources": t.resources.iter().map(resource_json).collect::<Vec<_>>(),
                    "permissions": permissions(&t.resources),
                }),
            )
        }));
        out.sort_by_key(|(id, _)| *id);
        Answer::ok(Value::Array(out.into_iter().map(|(_, v)| v).collect()))
    }

    fn token_of_access(&self, access_id: i64) -> Option<i64> {
        self.tokens
            .values()
            .find(|t| t.access_id == access_id)
            .map(|t| t.id)
    }

    /// spec §8.1: removes the access; for an ApiToken it deletes the token (the same rules as delete).
    pub fn delete_access(&mut self, caller: &Caller, access_id: i64, now: DateTime<Utc>) -> Answer {
        if let Some(token_id) = self.token_of_access(access_id) {
            return match self.check_deletable(caller, token_id, now) {
                Ok(()) => {
                    self.remove_token(token_id);
                    Answer::ok(json!({ "id": access_id }))
                }
                Err(answer) => answer,
            };
        }
        let Some(pos) = self.others.iter().position(|o| o.access_id == access_id) else {
            return Answer::not_found();
        };
        let other = &self.others[pos];
        // guess, spec §8.1: an owner cannot be removed, and only an admin of all its resources may remove it.
        let is_owner = other.resources.iter().any(|r| r.access_level.0 >= 1000);
        if !Self::is_admin_somewhere(caller)
            || is_owner
            || !self.can_administer_all(caller, &other.resources)
        {
            return Answer::forbidden();
        }
        self.others.remove(pos);
        Answer::ok(json!({ "id": access_id }))
    }

    pub fn bulk_permissions(
        &mut self,
        caller: &Caller,
        access_id: i64,
        body: Option<&Value>,
    ) -> Answer {
        if !Self::is_admin_somewhere(caller) {
            return Answer::forbidden();
        }
        let token_id = self.token_of_access(access_id);
        let current: Vec<Resource> = match token_id {
            Some(id) => self
                .tokens
                .get(&id)
                .map(|t| t.resources.clone())
                .unwrap_or_default(),
            None => match self.others.iter().find(|o| o.access_id == access_id) {
                Some(o) => o.resources.clone(),
                None => return Answer::not_found(),
            },
        };
        let lines = match body.and_then(|b| b.get("permissions")) {
            Some(Value::Array(items)) if !items.is_empty() => items,
            // guess, spec §8.2: the message for a missing or empty list.
            _ => return Answer::invalid("permissions", "can't be blank"),
        };
        if !self.can_administer_all(caller, &current) {
            return Answer::forbidden();
        }
        let mut errors = Map::new();
        let mut next = current;
        for line in lines {
            let destroy = line.get("_destroy").is_some_and(|d| {
                d.as_bool().unwrap_or(false) || d.as_str().is_some_and(|s| s == "true" || s == "1")
            });
            let parsed = if destroy {
                // A removal needs no level; reuse the parser with a placeholder one.
                let mut with_level = line.clone();
                if let Some(obj) = with_level.as_object_mut() {
                    obj.insert("access_level".into(), json!(10));
                }
                Self::parse_resource(&with_level, &mut errors)
            } else {
                Self::parse_resource(line, &mut errors)
            };
            let Some(r) = parsed else { continue };
            if !self.resource_exists(r.resource_type.kind(), r.resource_id)
                || !self.can_administer(caller, &r)
            {
                return Answer::forbidden();
            }
            let same = |o: &Resource| {
                o.resource_type.kind() == r.resource_type.kind() && o.resource_id == r.resource_id
            };
            if destroy {
                next.retain(|o| !same(o));
            } else if let Some(existing) = next.iter_mut().find(|o| same(o)) {
                *existing = r;
            } else {
                next.push(r);
            }
        }
        if !errors.is_empty() {
            return Answer::invalid_fields(errors);
        }
        if next.is_empty() {
            // guess, spec §11: the create message reused for removing a token's last resource.
            return Answer::invalid("base", NO_PERMISSIONS);
        }
        match token_id {
            Some(id) => {
                if let Some(t) = self.tokens.get_mut(&id) {
                    t.resources = next;
                }
            }
            None => {
                if let Some(o) = self.others.iter_mut().find(|o| o.access_id == access_id) {
                    o.resources = next;
                }
            }
        }
        Answer::ok(json!({"message": "Permissions have been updated!"}))
    }

    /// spec §8.3: the nodes the caller administers; an ancestor kept only for its children shows level 1.
    pub fn resource_tree(&self, caller: &Caller) -> Answer {
        let held = &caller.resources;
        let level = |kind, id| self.effective_level(held, kind, id);
        let node = |id: i64, name: &str, kind: &str, level: i64, children: Vec<Value>| json!({"id": id, "name": name, "type": kind, "access_level": level, "resources": children});
        let mut account_children = Vec::new();
        for p in &self.projects {
            let sandboxes: Vec<Value> = p
                .sandboxes
                .iter()
                .filter_map(|(sid, sname)| {
                    let l = level(ResourceKind::Sandbox, *sid);
                    (l >= 100).then(|| node(*sid, sname, "sandbox", l, vec![]))
                })
                .collect();
            let l = level(ResourceKind::Project, p.id);
            if l >= 100 || !sandboxes.is_empty() {
                let shown = if l >= 100 { l } else { 1 };
                account_children.push(node(p.id, &p.name, "project", shown, sandboxes));
            }
        }
        for (did, dname) in &self.domains {
            let l = level(ResourceKind::Domain, *did);
            if l >= 100 {
                account_children.push(node(*did, dname, "domain", l, vec![]));
            }
        }
        let l = level(ResourceKind::Account, self.account_id);
        if l < 100 && account_children.is_empty() {
            return Answer::ok(json!([]));
        }
        let shown = if l >= 100 { l } else { 1 };
        // spec §8.3 (REAL): the account node is named "Account".
        Answer::ok(json!([node(
            self.account_id,
            "Account",
            "account",
            shown,
            account_children
        )]))
    }
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

trait WholeSeconds {
    fn with_nanosecond_zero(self) -> Self;
}

impl WholeSeconds for DateTime<Utc> {
    fn with_nanosecond_zero(self) -> Self {
        chrono::Timelike::with_nanosecond(&self, 0).unwrap_or(self)
    }
}
