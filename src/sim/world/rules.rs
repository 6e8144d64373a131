//! What each request does to the world (spec §11): list and read, create, reset (with its grace), delete,
//! the accesses and their permissions, the resource tree, and the purge of long-expired tokens.
//! Every function takes the simulator's `now`; nothing here reads a clock.

use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};

use crate::api::{Resource, ResourceKind};

use super::input::{name_error, parse_resource, resolve_expiry, whole_seconds};
use super::store::{Caller, World};
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
        Answer::ok(Value::Array(self.tokens.values().map(token_json).collect()))
    }

    pub fn get_token(&self, id: i64) -> Answer {
        match self.tokens.get(&id) {
            Some(t) => Answer::ok(token_json(t)),
            None => Answer::not_found(),
        }
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
            if !self.resource_exists(r.resource_type.kind(), r.resource_id)
                || !self.can_administer(caller, r)
            {
                return Answer::forbidden();
            }
        }
        let name = name.to_string();
        let (id, secret) =
            self.add_new_token(caller.name.clone(), resources, expires_at, |_| name.clone());
        Answer::ok(token_with_secret_json(self.tokens.get(&id), secret))
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
            caller.name.clone(),
            old.resources.clone(),
            expires_at,
            |new_id| format!("{} {new_id}", old.name),
        );
        Answer::ok(token_with_secret_json(self.tokens.get(&new_id), secret))
    }

    /// The checks shared by deleting a token and deleting its access.
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

    /// Deletes a token if the rules allow it; `done` is the answer then.
    fn delete_checked(
        &mut self,
        caller: &Caller,
        id: i64,
        now: DateTime<Utc>,
        done: Answer,
    ) -> Answer {
        match self.check_deletable(caller, id, now) {
            Ok(()) => {
                self.remove_token(id);
                done
            }
            Err(answer) => answer,
        }
    }

    pub fn delete_token(&mut self, caller: &Caller, id: i64, now: DateTime<Utc>) -> Answer {
        self.delete_checked(caller, id, now, Answer::no_content())
    }

    /// guess, spec §8.1: any caller with admin somewhere may list; viewer-only callers get 403.
    pub fn accesses(&self, caller: &Caller) -> Answer {
        if !Self::is_admin_somewhere(caller) {
            return Answer::forbidden();
        }
        // guess, spec §8.1: what the caller may do with each access follows its rights on the resources.
        let permissions = |resources: &[Resource]| {
            access_permissions_json(self.can_administer_all(caller, resources))
        };
        let mut out: Vec<(i64, Value)> = self
            .others
            .iter()
            .map(|o| (o.access_id, other_access_json(o, permissions(&o.resources))))
            .collect();
        out.extend(
            self.tokens
                .values()
                .map(|t| (t.access_id, token_access_json(t, permissions(&t.resources)))),
        );
        out.sort_by_key(|(id, _)| *id);
        Answer::ok(Value::Array(out.into_iter().map(|(_, v)| v).collect()))
    }

    /// spec §8.1: removes the access; for an ApiToken it deletes the token (the same rules as delete).
    pub fn delete_access(&mut self, caller: &Caller, access_id: i64, now: DateTime<Utc>) -> Answer {
        let done = Answer::ok(json!({ "id": access_id }));
        if let Some(token_id) = self.token_of_access(access_id) {
            return self.delete_checked(caller, token_id, now, done);
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
        done
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
                parse_resource(&with_level, &mut errors)
            } else {
                parse_resource(line, &mut errors)
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
        let mut account_children = Vec::new();
        for p in &self.projects {
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
        for (did, dname) in &self.domains {
            let l = level(ResourceKind::Domain, *did);
            if l >= 100 {
                account_children.push(tree_node_json(*did, dname, "domain", l, vec![]));
            }
        }
        let l = level(ResourceKind::Account, self.account_id);
        if l < 100 && account_children.is_empty() {
            return Answer::ok(json!([]));
        }
        let shown = if l >= 100 { l } else { 1 };
        // spec §8.3 (REAL): the account node is named "Account".
        Answer::ok(json!([tree_node_json(
            self.account_id,
            "Account",
            "account",
            shown,
            account_children
        )]))
    }
}
