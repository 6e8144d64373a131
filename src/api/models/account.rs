//! Accounts, the accesses in them (a token's permissions are edited through its access) and the tree of
//! resources a permission can name.

use serde::{Deserialize, Serialize};

use super::permission::{AccessLevel, Resource, ResourceType, int_or_string};
use super::token::TokenId;

pub type AccountId = i64;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub id: AccountId,
    pub name: String,
    #[serde(default)]
    pub access_levels: Vec<AccessLevel>,
}

/// An account of an organization, as `GET /api/organizations/{id}/sub_accounts` lists it (OAS).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubAccount {
    pub id: AccountId,
    pub name: String,
}

/// One line of a bulk permission update (spec §8.2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PermissionChange {
    pub resource_type: ResourceType,
    pub resource_id: i64,
    /// `Some(level)` upserts the level; `None` removes the permission (`_destroy: true`).
    pub access_level: Option<AccessLevel>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountAccess {
    pub id: i64,
    pub specifier_type: String,
    #[serde(default)]
    pub specifier: serde_json::Value,
    #[serde(default)]
    pub resources: Vec<Resource>,
}

impl AccountAccess {
    /// The token id when this access belongs to an API token (spec §8.2, the lookup for "Edit permissions").
    pub fn api_token_id(&self) -> Option<TokenId> {
        if self.specifier_type != "ApiToken" {
            return None;
        }
        self.specifier.get("id").and_then(|v| {
            v.as_i64()
                .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
        })
    }
}

/// A node of the permissions resource tree (spec §8.3); `access_level` is the caller's own level on it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourceNode {
    #[serde(deserialize_with = "int_or_string")]
    pub id: i64,
    #[serde(default)]
    pub name: String,
    #[serde(rename = "type")]
    pub resource_type: ResourceType,
    #[serde(default = "unknown_level")]
    pub access_level: AccessLevel,
    #[serde(default)]
    pub resources: Vec<ResourceNode>,
}

fn unknown_level() -> AccessLevel {
    AccessLevel(0)
}

impl ResourceNode {
    /// Visits every node depth-first with its depth; iterative so a hostile, deeply nested tree cannot
    /// overflow the stack.
    pub fn walk<'a>(roots: &'a [ResourceNode], mut visit: impl FnMut(&'a ResourceNode, usize)) {
        let mut stack: Vec<(&ResourceNode, usize)> = roots.iter().rev().map(|n| (n, 0)).collect();
        while let Some((node, depth)) = stack.pop() {
            visit(node, depth);
            stack.extend(node.resources.iter().rev().map(|c| (c, depth + 1)));
        }
    }
}
