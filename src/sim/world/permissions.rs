//! Who may do what: the level a token's resources give on a resource of an account (the account covers
//! everything in it, a project its sandboxes), which accounts a token sees, and the checks the rules make.

use chrono::{DateTime, Utc};

use crate::api::{Resource, ResourceKind};

use super::store::{AccountData, Caller, TokenRecord, World};

/// How a caller stands towards one account.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Standing {
    /// Not visible: `403 Account access forbidden`.
    Unseen,
    /// Visible only through an organization resource: listed, nothing readable inside (guess, docs
    /// organization-and-sub-accounts: an organization token lists and creates sub-accounts, no more).
    ThroughOrganization,
    /// Resources below the account level only (projects, sandboxes, domains), and not its home.
    Narrow,
    /// Its home, or an account resource on it: may read its tokens, accesses and tree.
    Member,
}

impl World {
    /// The level `held` gives on (kind, id) inside `account`: the account covers everything, a project its
    /// sandboxes. guess: an organization resource gives nothing inside an account (docs
    /// organization-and-sub-accounts: organization tokens "cannot be used to access resources from other
    /// sub-accounts").
    pub(super) fn effective_level(
        account: &AccountData,
        held: &[Resource],
        kind: ResourceKind,
        id: i64,
    ) -> i64 {
        held.iter()
            .filter(|r| {
                let rid = r.resource_id;
                match r.resource_type.kind() {
                    ResourceKind::Account => rid == account.id,
                    ResourceKind::Project => {
                        (kind == ResourceKind::Project && id == rid)
                            || (kind == ResourceKind::Sandbox
                                && account.project_of_sandbox(id) == Some(rid))
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

    pub(super) fn can_administer(account: &AccountData, caller: &Caller, r: &Resource) -> bool {
        Self::effective_level(
            account,
            &caller.resources,
            r.resource_type.kind(),
            r.resource_id,
        ) >= 100
    }

    pub(super) fn can_administer_all(
        account: &AccountData,
        caller: &Caller,
        list: &[Resource],
    ) -> bool {
        list.iter()
            .all(|r| Self::can_administer(account, caller, r))
    }

    /// Admin on the account or on something inside it. Viewer-only tokens may not create, reset, delete
    /// or change permissions there (spec §11); guess: admin in another account does not count.
    pub(super) fn is_admin_in(account: &AccountData, caller: &Caller) -> bool {
        caller.resources.iter().any(|r| {
            r.access_level.is_admin() && account.holds(r.resource_type.kind(), r.resource_id)
        })
    }

    /// The caller's account-level access to `account` (0 when none).
    pub(super) fn account_level(account: &AccountData, caller: &Caller) -> i64 {
        caller
            .resources
            .iter()
            .filter(|r| {
                r.resource_type.kind() == ResourceKind::Account && r.resource_id == account.id
            })
            .map(|r| r.access_level.0)
            .max()
            .unwrap_or(0)
    }

    /// Whether the caller holds an organization resource on this world's organization: its level, if so.
    pub(super) fn organization_level(&self, caller: &Caller) -> Option<i64> {
        let org = self.organization.as_ref()?;
        caller
            .resources
            .iter()
            .filter(|r| {
                r.resource_type.kind() == ResourceKind::Organization && r.resource_id == org.id
            })
            .map(|r| r.access_level.0)
            .max()
    }

    pub(super) fn standing(&self, account: &AccountData, caller: &Caller) -> Standing {
        // guess, spec §11: any caller whose home is the account reads its tokens, whatever its resources.
        if caller.home == Some(account.id) || Self::account_level(account, caller) >= 10 {
            Standing::Member
        } else if caller
            .resources
            .iter()
            .any(|r| account.holds(r.resource_type.kind(), r.resource_id))
        {
            Standing::Narrow
        } else if self.organization_level(caller).is_some() {
            Standing::ThroughOrganization
        } else {
            Standing::Unseen
        }
    }

    /// spec §11: the domain a live token is the last live holder of in its account, if any (it may not be
    /// deleted).
    pub(super) fn last_holder_of_domain(
        &self,
        account: &AccountData,
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
                !self.tokens_of(account.id).any(|t| {
                    t.id != target.id
                        && t.is_live(now)
                        && t.resources.iter().any(|o| {
                            o.resource_type.kind() == ResourceKind::Domain
                                && o.resource_id == r.resource_id
                        })
                })
            })
            .map(|r| {
                account
                    .domains
                    .iter()
                    .find(|d| d.0 == r.resource_id)
                    .map_or_else(|| r.resource_id.to_string(), |d| d.1.clone())
            })
    }
}
