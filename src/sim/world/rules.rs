//! What each request does to the world (spec §11): list and read, create, reset (with its grace), delete,
//! the accesses and their permissions, the resource tree, the organization's sub-accounts, and the purge of
//! long-expired tokens. Every function takes the simulator's `now`; nothing here reads a clock. The
//! account-scoped ones take the account the path names (or the caller's home), already known to exist
//! and to be visible to the caller (see `http`).

use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};

use crate::api::{Resource, ResourceKind};

use super::input::{name_error, parse_resource, resolve_expiry, whole_seconds};
use super::permissions::Standing;
use super::store::{AccountData, Caller, World};
use super::wire::{
    Answer, access_permissions_json, other_access_json, token_access_json, token_json,
    token_with_secret_json, tree_node_json,
};

const NO_PERMISSIONS: &str = "No permissions selected. Please choose at least one.";
/// The grace an old token keeps after a reset (spec §4.2).
const RESET_GRACE_HOURS: i64 = 12;

impl World {
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

    /// spec §1.3: every account the caller sees, in seed order, with its account-level access.
    pub fn accounts(&self, caller: &Caller) -> Answer {
        let listed = self.accounts.iter().filter_map(|a| {
            let levels = match self.standing(a, caller) {
                Standing::Unseen => return None,
                // guess, spec §1.3: a token with access below the account level reports 1 (indeterminate).
                Standing::Member | Standing::Narrow => match Self::account_level(a, caller) {
                    0 => vec![1],
                    level => vec![level],
                },
                // guess, OAS account-management "with an organization-level token, the list contains every
                // account in the organization": seen, with no level of its own.
                Standing::ThroughOrganization => vec![],
            };
            Some(json!({ "id": a.id, "name": a.name, "access_levels": levels }))
        });
        Answer::ok(Value::Array(listed.collect()))
    }

    /// Whether the caller may see `account` at all (never an unknown one).
    pub fn sees(&self, caller: &Caller, account: i64) -> bool {
        self.account(account)
            .is_some_and(|a| self.standing(a, caller) != Standing::Unseen)
    }

    /// The account a read of tokens, accesses or the tree may look into: its home, or an account
    /// resource on it (guess: narrower or organization-only access is `403 Account access forbidden`).
    fn readable(&self, caller: &Caller, account: i64) -> Result<&AccountData, Answer> {
        match self.account(account) {
            Some(a) if self.standing(a, caller) == Standing::Member => Ok(a),
            _ => Err(Answer::account_forbidden()),
        }
    }

    /// The account a write goes to, cloned so the tokens can change: the caller must be an admin in it
    /// (spec §11 `403 Access forbidden` otherwise).
    fn writable(&self, caller: &Caller, account: i64) -> Result<AccountData, Answer> {
        match self.account(account) {
            Some(a) if Self::is_admin_in(a, caller) => Ok(a.clone()),
            Some(_) => Err(Answer::forbidden()),
            None => Err(Answer::account_forbidden()),
        }
    }

    /// guess, spec §11: every token of the account is listed to any caller that may read it.
    pub fn list_tokens(&self, caller: &Caller, account: i64) -> Answer {
        if let Err(answer) = self.readable(caller, account) {
            return answer;
        }
        Answer::ok(Value::Array(
            self.tokens_of(account).map(token_json).collect(),
        ))
    }

    pub fn get_token(&self, caller: &Caller, account: i64, id: i64) -> Answer {
        if let Err(answer) = self.readable(caller, account) {
            return answer;
        }
        match self.token_in(account, id) {
            Some(t) => Answer::ok(token_json(t)),
            None => Answer::not_found(),
        }
    }

    pub fn create_token(
        &mut self,
        caller: &Caller,
        account: i64,
        body: Option<&Value>,
        now: DateTime<Utc>,
    ) -> Answer {
        let acct = match self.writable(caller, account) {
            Ok(a) => a,
            Err(answer) => return answer,
        };
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
            .filter_map(|l| parse_resource(l, &mut errors))
            .collect();
        let name = body.get("name").and_then(Value::as_str).unwrap_or("");
        if let Some(message) = name_error(name) {
            errors.insert("name".into(), json!([message]));
        }
        let expires_at = match resolve_expiry(body.get("expires_at"), self.default_expiry, now) {
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
            // guess: a token made in an account names that account's resources only.
            if !acct.holds(r.resource_type.kind(), r.resource_id)
                || !Self::can_administer(&acct, caller, r)
            {
                return Answer::forbidden();
            }
        }
        let name = name.to_string();
        let (id, secret) = self.add_new_token(
            Some(account),
            caller.name.clone(),
            resources,
            expires_at,
            |_| name.clone(),
        );
        Answer::ok(token_with_secret_json(self.tokens.get(&id), secret))
    }

    pub fn reset_token(
        &mut self,
        caller: &Caller,
        account: i64,
        id: i64,
        body: Option<&Value>,
        now: DateTime<Utc>,
    ) -> Answer {
        let acct = match self.writable(caller, account) {
            Ok(a) => a,
            Err(answer) => return answer,
        };
        let Some(old) = self.token_in(account, id).cloned() else {
            return Answer::not_found();
        };
        if !Self::can_administer_all(&acct, caller, &old.resources) {
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
        let expires_at = match resolve_expiry(expiry_value, self.default_expiry, now) {
            Ok(e) => e,
            Err(message) => return Answer::invalid("expires_at", message),
        };
        let grace_end = whole_seconds(now) + chrono::Duration::hours(RESET_GRACE_HOURS);
        if let Some(t) = self.tokens.get_mut(&id) {
            t.reset = true;
            t.expires_at = Some(t.expires_at.map_or(grace_end, |own| own.min(grace_end)));
        }
        // spec §2.4 (REAL): a new record, named "<old name> <new id>", same resources.
        // guess, spec §4.3/§10.11: a name already ending in an id gets another one appended.
        // guess, spec §4.7: the new token takes the request's expiry (or the default), not the old one's.
        let (new_id, secret) = self.add_new_token(
            old.home,
            caller.name.clone(),
            old.resources.clone(),
            expires_at,
            |new_id| format!("{} {new_id}", old.name),
        );
        Answer::ok(token_with_secret_json(self.tokens.get(&new_id), secret))
    }

    /// The checks shared by deleting a token and deleting its access.
    fn check_deletable(
        &self,
        caller: &Caller,
        account: i64,
        id: i64,
        now: DateTime<Utc>,
    ) -> Result<(), Answer> {
        let acct = self.writable(caller, account)?;
        let Some(target) = self.token_in(account, id) else {
            return Err(Answer::not_found());
        };
        if !Self::can_administer_all(&acct, caller, &target.resources) {
            return Err(Answer::forbidden());
        }
        if let Some(domain) = self.last_holder_of_domain(&acct, target, now) {
            // guess, spec §5/§11: status and body of the refusal.
            return Err(Answer::invalid(
                "base",
                &format!("Cannot delete the last API token with access to domain {domain}"),
            ));
        }
        Ok(())
    }

    /// Deletes a token if the rules allow it; `done` is the answer then.
    fn delete_checked(
        &mut self,
        caller: &Caller,
        account: i64,
        id: i64,
        now: DateTime<Utc>,
        done: Answer,
    ) -> Answer {
        match self.check_deletable(caller, account, id, now) {
            Ok(()) => {
                self.remove_token(id);
                done
            }
            Err(answer) => answer,
        }
    }

    pub fn delete_token(
        &mut self,
        caller: &Caller,
        account: i64,
        id: i64,
        now: DateTime<Utc>,
    ) -> Answer {
        self.delete_checked(caller, account, id, now, Answer::no_content())
    }

    /// guess, spec §8.1: any caller with admin in the account may list; viewer-only callers get 403.
    pub fn accesses(&self, caller: &Caller, account: i64) -> Answer {
        let acct = match self.readable(caller, account) {
            Ok(a) => a,
            Err(answer) => return answer,
        };
        if !Self::is_admin_in(acct, caller) {
            return Answer::forbidden();
        }
        // guess, spec §8.1: what the caller may do with each access follows its rights on the resources.
        let permissions = |resources: &[Resource]| {
            access_permissions_json(Self::can_administer_all(acct, caller, resources))
        };
        let mut out: Vec<(i64, Value)> = acct
            .others
            .iter()
            .map(|o| (o.access_id, other_access_json(o, permissions(&o.resources))))
            .collect();
        out.extend(
            self.tokens_of(account)
                .map(|t| (t.access_id, token_access_json(t, permissions(&t.resources)))),
        );
        out.sort_by_key(|(id, _)| *id);
        Answer::ok(Value::Array(out.into_iter().map(|(_, v)| v).collect()))
    }

    /// spec §8.1: removes the access; for an ApiToken it deletes the token (the same rules as delete).
    pub fn delete_access(
        &mut self,
        caller: &Caller,
        account: i64,
        access_id: i64,
        now: DateTime<Utc>,
    ) -> Answer {
        let done = Answer::ok(json!({ "id": access_id }));
        let acct = match self.writable(caller, account) {
            Ok(a) => a,
            Err(answer) => return answer,
        };
        if let Some(token_id) = self.token_of_access(account, access_id) {
            return self.delete_checked(caller, account, token_id, now, done);
        }
        let Some(pos) = acct.others.iter().position(|o| o.access_id == access_id) else {
            return Answer::not_found();
        };
        let other = &acct.others[pos];
        // guess, spec §8.1: an owner cannot be removed, and only an admin of all its resources may remove it.
        let is_owner = other.resources.iter().any(|r| r.access_level.0 >= 1000);
        if is_owner || !Self::can_administer_all(&acct, caller, &other.resources) {
            return Answer::forbidden();
        }
        if let Some(a) = self.account_mut(account) {
            a.others.remove(pos);
        }
        done
    }

    pub fn bulk_permissions(
        &mut self,
        caller: &Caller,
        account: i64,
        access_id: i64,
        body: Option<&Value>,
    ) -> Answer {
        let acct = match self.writable(caller, account) {
            Ok(a) => a,
            Err(answer) => return answer,
        };
        let token_id = self.token_of_access(account, access_id);
        let current: Vec<Resource> = match token_id {
            Some(id) => self
                .tokens
                .get(&id)
                .map(|t| t.resources.clone())
                .unwrap_or_default(),
            None => match acct.others.iter().find(|o| o.access_id == access_id) {
                Some(o) => o.resources.clone(),
                None => return Answer::not_found(),
            },
        };
        let lines = match body.and_then(|b| b.get("permissions")) {
            Some(Value::Array(items)) if !items.is_empty() => items,
            // guess, spec §8.2: the message for a missing or empty list.
            _ => return Answer::invalid("permissions", "can't be blank"),
        };
        if !Self::can_administer_all(&acct, caller, &current) {
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
                parse_resource(&with_level, &mut errors)
            } else {
                parse_resource(line, &mut errors)
            };
            let Some(r) = parsed else { continue };
            if !acct.holds(r.resource_type.kind(), r.resource_id)
                || !Self::can_administer(&acct, caller, &r)
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
                if let Some(o) = self
                    .account_mut(account)
                    .and_then(|a| a.others.iter_mut().find(|o| o.access_id == access_id))
                {
                    o.resources = next;
                }
            }
        }
        Answer::ok(json!({"message": "Permissions have been updated!"}))
    }

    /// spec §8.3: the nodes the caller administers; an ancestor kept only for its children shows level 1.
    pub fn resource_tree(&self, caller: &Caller, account: i64) -> Answer {
        let acct = match self.readable(caller, account) {
            Ok(a) => a,
            Err(answer) => return answer,
        };
        let held = &caller.resources;
        let level = |kind, id| Self::effective_level(acct, held, kind, id);
        let mut account_children = Vec::new();
        for p in &acct.projects {
            let sandboxes: Vec<Value> = p
                .sandboxes
                .iter()
                .filter_map(|(sid, sname)| {
                    let l = level(ResourceKind::Sandbox, *sid);
                    (l >= 100).then(|| tree_node_json(*sid, sname, "sandbox", l, vec![]))
                })
                .collect();
            let l = level(ResourceKind::Project, p.id);
            if l >= 100 || !sandboxes.is_empty() {
                let shown = if l >= 100 { l } else { 1 };
                account_children.push(tree_node_json(p.id, &p.name, "project", shown, sandboxes));
            }
        }
        for (did, dname) in &acct.domains {
            let l = level(ResourceKind::Domain, *did);
            if l >= 100 {
                account_children.push(tree_node_json(*did, dname, "domain", l, vec![]));
            }
        }
        let l = level(ResourceKind::Account, acct.id);
        if l < 100 && account_children.is_empty() {
            return Answer::ok(json!([]));
        }
        let shown = if l >= 100 { l } else { 1 };
        // spec §8.3 (REAL): the account node is named "Account".
        Answer::ok(json!([tree_node_json(
            acct.id,
            "Account",
            "account",
            shown,
            account_children
        )]))
    }

    /// OAS account-management `GET /api/organizations/{id}/sub_accounts`: every account of the
    /// organization, for a caller with an organization resource on it (guess: any level).
    pub fn sub_accounts(&self, caller: &Caller, organization: i64) -> Answer {
        if self.organization_id() != Some(organization) || self.organization_level(caller).is_none()
        {
            // OAS account-management: "Insufficient organization permissions or wrong organization".
            return Answer::forbidden();
        }
        let list = self
            .accounts
            .iter()
            .map(|a| json!({"id": a.id, "name": a.name}));
        Answer::ok(Value::Array(list.collect()))
    }

    /// OAS account-management `POST …/sub_accounts` `{"account": {"name": …}}`: an empty account in the
    /// organization (guess: no projects, domains or tokens); needs organization admin (guess).
    pub fn create_sub_account(
        &mut self,
        caller: &Caller,
        organization: i64,
        body: Option<&Value>,
    ) -> Answer {
        if self.organization_id() != Some(organization)
            || self.organization_level(caller).is_none_or(|l| l < 100)
        {
            return Answer::forbidden();
        }
        let name = body
            .and_then(|b| b.get("account"))
            .and_then(|a| a.get("name"))
            .and_then(Value::as_str)
            .map(str::trim)
            .unwrap_or("");
        if name.is_empty() {
            // guess: Rails' message, as for a token's name (spec §11).
            return Answer::invalid("name", "can't be blank");
        }
        if let Some(message) = name_error(name) {
            return Answer::invalid("name", &message);
        }
        let id = self.next_account_id();
        self.accounts
            .push(AccountData::new(id, name.to_string(), vec![], vec![]));
        Answer::ok(json!({"id": id, "name": name}))
    }

    /// guess: account ids are handed out above the highest one (production's are monotonic too).
    pub(super) fn next_account_id(&self) -> i64 {
        self.accounts.iter().map(|a| a.id).max().unwrap_or(0) + 1
    }
}
