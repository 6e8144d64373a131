//! Who may do what: the level a token's resources give on a resource (the account covers everything, a
//! project its sandboxes), and the checks the rules make with it.

use chrono::{DateTime, Utc};

use crate::api::{Resource, ResourceKind};

use super::store::{Caller, TokenRecord, World};

impl World {
    /// The level `held` gives on (kind, id): the account covers everything, a project its sandboxes.
    pub(super) fn effective_level(&self, held: &[Resource], kind: ResourceKind, id: i64) -> i64 {
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

    pub(super) fn can_administer(&self, caller: &Caller, r: &Resource) -> bool {
        self.effective_level(&caller.resources, r.resource_type.kind(), r.resource_id) >= 100
    }

    pub(super) fn can_administer_all(&self, caller: &Caller, list: &[Resource]) -> bool {
        list.iter().all(|r| self.can_administer(caller, r))
    }

    /// Admin on at least one resource. Viewer-only tokens may not create, reset, delete or change
    /// permissions (spec §11).
    pub fn is_admin_somewhere(caller: &Caller) -> bool {
        caller.resources.iter().any(|r| r.access_level.is_admin())
    }

    /// spec §11: the domain a live token is the last live holder of, if any (it may not be deleted).
    pub(super) fn last_holder_of_domain(
        &self,
        target: &TokenRecord,
        now: DateTime<Utc>,
    ) -> Option<String> {
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
}
