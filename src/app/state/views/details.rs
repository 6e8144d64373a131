//! What the details of one token show, made safe from the table's data: the token's facts, its lineage,
//! its permissions placed in the account's resource tree, the domains it can send from, and its findings.
//! Made when the details are drawn, for the selected token alone.

use chrono::{DateTime, Utc};

use crate::api::{AccessLevel, ApiToken, ResourceKind, ResourceNode, TokenId};
use crate::hygiene::Finding;
use crate::rotation::Place;
use crate::text::SafeText;

use super::super::super::columns;
use super::super::hygiene::Hygiene;
use super::super::table::TokenTable;

/// One line of the permissions: a node of the tree (indented by depth) with the token's level on it, if
/// it holds one; or a permission the tree does not hold.
#[derive(Clone, Debug)]
pub struct PermissionLine {
    pub depth: usize,
    pub name: SafeText,
    pub level: Option<AccessLevel>,
    /// Not in the tree, or kept as the server sent it: shown, never changed.
    pub aside: bool,
}

#[derive(Clone, Debug)]
pub struct Details {
    pub id: TokenId,
    /// The token's account, in the inventory of several (empty in a one-account session).
    pub account: SafeText,
    pub name: SafeText,
    pub creator: SafeText,
    pub masked: SafeText,
    pub own_token: bool,
    pub expires_at: Option<DateTime<Utc>>,
    pub in_grace: bool,
    /// The token this one replaced in a reset (still in its grace), and the one that replaced this one.
    pub replaced: Option<(SafeText, TokenId)>,
    pub replaced_by: Option<(SafeText, TokenId)>,
    pub permissions: Vec<PermissionLine>,
    /// The sending domains it can act on, with its level there.
    pub domains: Vec<(SafeText, AccessLevel)>,
    pub findings: Vec<Finding>,
    /// Where it is used, each ticked once it holds a reset's new secret.
    pub places: Vec<(SafeText, bool)>,
    /// The key that edits them, as the keymap has it.
    pub places_key: SafeText,
    /// The server sent it in a shape that could not be read: why.
    pub unreadable: Option<SafeText>,
}

/// The details of row `index`.
pub fn build(
    table: &TokenTable,
    hygiene: &Hygiene,
    places: &[Place],
    places_key: SafeText,
    own_token: bool,
    index: usize,
) -> Details {
    let row = &table.rows[index];
    let token = &row.token;
    let replaced = table
        .predecessor(index)
        .map(|old| &table.rows[old])
        .filter(|old| old.in_grace())
        .map(|old| (SafeText::new(&old.token.name), old.token.id));
    let replaced_by = row
        .successor()
        .filter(|_| row.in_grace())
        .and_then(|i| table.rows.get(i))
        .map(|next| (SafeText::new(&next.token.name), next.token.id));
    // In the inventory the tree is every account's: the token's own account's part names its resources.
    let tree = table.tree_of(row.account);
    let account = if row.account_name().is_empty() {
        SafeText::default()
    } else {
        let mut label = row.account_name().clone();
        label.push(&SafeText::from(format!(" #{}", row.account)));
        label
    };
    Details {
        id: token.id,
        account,
        name: SafeText::new(&token.name),
        creator: columns::creator(&token.created_by),
        masked: columns::masked_token(&token.last_4_digits),
        own_token,
        expires_at: token.expires_at,
        in_grace: row.in_grace(),
        replaced,
        replaced_by,
        permissions: permissions(token, &tree),
        domains: domains(token, &tree),
        findings: hygiene
            .of_row(table, index)
            .iter()
            .filter_map(|f| f.finding(table.readable_rows()))
            .collect(),
        places: places
            .iter()
            .map(|p| (SafeText::new(&p.place), p.done))
            .collect(),
        places_key,
        unreadable: row.unreadable().map(SafeText::new),
    }
}

/// The token's permission on this node, if it names it.
fn grant_on(token: &ApiToken, node: &ResourceNode) -> Option<AccessLevel> {
    let kind = node.resource_type.kind();
    token
        .resources
        .iter()
        .find(|r| r.resource_id == node.id && r.resource_type.kind() == kind)
        .map(|r| r.access_level)
}

fn node_name(node: &ResourceNode) -> SafeText {
    let kind = node.resource_type.kind().label().to_lowercase();
    if node.name.is_empty() {
        SafeText::from(format!("#{} ({kind})", node.id))
    } else {
        let mut name = SafeText::new(&node.name);
        name.push(&SafeText::from(format!(" ({kind})")));
        name
    }
}

fn in_tree(tree: &[ResourceNode], kind: ResourceKind, id: i64) -> bool {
    let mut found = false;
    ResourceNode::walk(tree, |node, _| {
        found |= node.id == id && node.resource_type.kind() == kind;
    });
    found
}

/// The tree's nodes the token holds, with the nodes above them for context; then what the tree does
/// not hold.
fn permissions(token: &ApiToken, tree: &[ResourceNode]) -> Vec<PermissionLine> {
    fn visit(node: &ResourceNode, depth: usize, token: &ApiToken, out: &mut Vec<PermissionLine>) {
        let grant = grant_on(token, node);
        let mut below = Vec::new();
        for child in &node.resources {
            visit(child, depth + 1, token, &mut below);
        }
        // A node is listed when the token holds it or something under it.
        if grant.is_none() && below.is_empty() {
            return;
        }
        out.push(PermissionLine {
            depth,
            name: node_name(node),
            level: grant,
            aside: false,
        });
        out.extend(below);
    }
    let mut out = Vec::new();
    for root in tree {
        visit(root, 0, token, &mut out);
    }
    for r in &token.resources {
        if !in_tree(tree, r.resource_type.kind(), r.resource_id) {
            out.push(PermissionLine {
                depth: 0,
                name: SafeText::from(format!(
                    "{} #{} (not in the tree)",
                    r.resource_type.as_str(),
                    r.resource_id
                )),
                level: Some(r.access_level),
                aside: true,
            });
        }
    }
    for o in &token.opaque_resources {
        out.push(PermissionLine {
            depth: 0,
            name: SafeText::from(format!(
                "{} #{} level {} (as sent; read only)",
                o.resource_type.as_str(),
                o.resource_id,
                o.access_level
            )),
            level: None,
            aside: true,
        });
    }
    out
}

/// The sending domains the token can act on: named in its permissions, or under a resource it holds
/// (the account).
fn domains(token: &ApiToken, tree: &[ResourceNode]) -> Vec<(SafeText, AccessLevel)> {
    fn visit(
        node: &ResourceNode,
        token: &ApiToken,
        above: Option<AccessLevel>,
        out: &mut Vec<(SafeText, AccessLevel)>,
    ) {
        let level = grant_on(token, node).max(above);
        if node.resource_type.kind() == ResourceKind::Domain
            && let Some(level) = level
        {
            let name = if node.name.is_empty() {
                SafeText::from(format!("domain #{}", node.id))
            } else {
                SafeText::new(&node.name)
            };
            out.push((name, level));
        }
        for child in &node.resources {
            visit(child, token, level, out);
        }
    }
    let mut out = Vec::new();
    for root in tree {
        visit(root, token, None, &mut out);
    }
    for r in &token.resources {
        if r.resource_type.kind() == ResourceKind::Domain
            && !in_tree(tree, ResourceKind::Domain, r.resource_id)
        {
            out.push((
                SafeText::from(format!("domain #{}", r.resource_id)),
                r.access_level,
            ));
        }
    }
    out
}
