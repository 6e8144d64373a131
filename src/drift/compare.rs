//! The changes between two snapshots of one account: tokens created and deleted (and of those, purged
//! after their expiry), reset, renamed, with other permissions or another expiry. Always in one order:
//! by kind as listed here, then by token id.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::snapshot::{Snapshot, TokenRecord};
use crate::api::{TokenId, TokenText};
use crate::text::sanitize;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change {
    Created {
        token: TokenRecord,
    },
    /// Gone from the list; `purged` when its expiry had passed by the later snapshot (Mailtrap's cleanup
    /// takes expired tokens), else someone deleted it.
    Deleted {
        token: TokenRecord,
        purged: bool,
    },
    /// `new` replaced `old`: a token named `"<old name> <new id>"` with a greater id (what a reset makes),
    /// or the same id with other last four characters. The old token's expiry moving to the end of its
    /// grace is part of the reset, not a change of its own.
    Reset {
        old: TokenRecord,
        new: TokenRecord,
        /// When the old token stops (its grace's end), if the later snapshot still lists it.
        old_expires_at: Option<DateTime<Utc>>,
    },
    Renamed {
        id: TokenId,
        before: TokenText,
        after: TokenText,
    },
    PermissionsChanged {
        id: TokenId,
        name: TokenText,
        before: Vec<TokenText>,
        after: Vec<TokenText>,
    },
    ExpiryChanged {
        id: TokenId,
        name: TokenText,
        before: Option<DateTime<Utc>>,
        after: Option<DateTime<Utc>>,
    },
}

/// What changed between two snapshots.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Drift {
    /// When the earlier snapshot was taken.
    pub since: DateTime<Utc>,
    /// When the later one was.
    pub until: DateTime<Utc>,
    pub changes: Vec<Change>,
}

impl Change {
    fn rank(&self) -> (u8, TokenId) {
        match self {
            Change::Created { token } => (0, token.id),
            Change::Deleted { token, .. } => (1, token.id),
            Change::Reset { old, .. } => (2, old.id),
            Change::Renamed { id, .. } => (3, *id),
            Change::PermissionsChanged { id, .. } => (4, *id),
            Change::ExpiryChanged { id, .. } => (5, *id),
        }
    }

    /// The kind in a few words: `created`, `deleted`, `purged after expiry`, `reset`, …
    pub fn kind_label(&self) -> &'static str {
        match self {
            Change::Created { .. } => "created",
            Change::Deleted { purged: false, .. } => "deleted",
            Change::Deleted { purged: true, .. } => "purged after expiry",
            Change::Reset { .. } => "reset",
            Change::Renamed { .. } => "renamed",
            Change::PermissionsChanged { .. } => "permissions changed",
            Change::ExpiryChanged { .. } => "expiry changed",
        }
    }

    /// The token it is about, by id.
    pub fn token_id(&self) -> TokenId {
        self.rank().1
    }

    /// The token's name as it reads now (the earlier one where it is gone), made safe for a terminal.
    pub fn token_name(&self) -> String {
        let name = match self {
            Change::Created { token } | Change::Deleted { token, .. } => &token.name,
            Change::Reset { old, .. } => &old.name,
            Change::Renamed { after, .. } => after,
            Change::PermissionsChanged { name, .. } | Change::ExpiryChanged { name, .. } => name,
        };
        sanitize(name)
    }

    /// What changed, one line each, made safe for a terminal.
    pub fn details(&self) -> Vec<String> {
        let list = |p: &[TokenText]| {
            if p.is_empty() {
                "none".to_string()
            } else {
                sanitize(&p.join(", "))
            }
        };
        let described = |t: &TokenRecord| {
            vec![
                format!(
                    "id {}, …{}, created by {}",
                    t.id,
                    sanitize(&t.last4),
                    if t.created_by.is_empty() {
                        "(unknown)".to_string()
                    } else {
                        sanitize(&t.created_by)
                    }
                ),
                format!("permissions: {}", list(&t.permissions)),
                format!("expires: {}", expiry(t.expires_at)),
            ]
        };
        match self {
            Change::Created { token } | Change::Deleted { token, .. } => described(token),
            Change::Reset { old, new, .. } if old.id == new.id => vec![format!(
                "id {}: …{} became …{}",
                old.id,
                sanitize(&old.last4),
                sanitize(&new.last4)
            )],
            Change::Reset {
                old,
                new,
                old_expires_at,
            } => vec![
                format!(
                    "id {} (…{}) replaced by \"{}\" (id {}, …{})",
                    old.id,
                    sanitize(&old.last4),
                    sanitize(&new.name),
                    new.id,
                    sanitize(&new.last4)
                ),
                format!("the old one stops: {}", expiry(*old_expires_at)),
            ],
            Change::Renamed { id, before, after } => vec![format!(
                "id {id}: \"{}\" → \"{}\"",
                sanitize(before),
                sanitize(after)
            )],
            Change::PermissionsChanged {
                id, before, after, ..
            } => {
                let added: Vec<TokenText> = after
                    .iter()
                    .filter(|p| !before.contains(p))
                    .cloned()
                    .collect();
                let removed: Vec<TokenText> = before
                    .iter()
                    .filter(|p| !after.contains(p))
                    .cloned()
                    .collect();
                let mut lines = vec![
                    format!("id {id}, before: {}", list(before)),
                    format!("after: {}", list(after)),
                ];
                if !added.is_empty() {
                    lines.push(format!("added: {}", list(&added)));
                }
                if !removed.is_empty() {
                    lines.push(format!("removed: {}", list(&removed)));
                }
                lines
            }
            Change::ExpiryChanged {
                id, before, after, ..
            } => vec![format!("id {id}: {} → {}", expiry(*before), expiry(*after))],
        }
    }
}

fn expiry(t: Option<DateTime<Utc>>) -> String {
    t.map_or_else(
        || "never".to_string(),
        |t| t.format("%Y-%m-%d %H:%M UTC").to_string(),
    )
}

impl Drift {
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// `2 created, 1 deleted, 1 permissions changed`; `no changes` when there are none. Purged tokens are
    /// counted among the deleted and named apart: `3 deleted (1 purged after expiry)`.
    pub fn summary(&self) -> String {
        let mut counts = [0usize; 6];
        let mut purged = 0;
        for change in &self.changes {
            counts[usize::from(change.rank().0)] += 1;
            if matches!(change, Change::Deleted { purged: true, .. }) {
                purged += 1;
            }
        }
        let words = [
            "created",
            "deleted",
            "reset",
            "renamed",
            "permissions changed",
            "expiry changed",
        ];
        let parts: Vec<String> = counts
            .iter()
            .zip(words)
            .filter(|(n, _)| **n > 0)
            .map(|(n, word)| {
                if word == "deleted" && purged > 0 {
                    format!("{n} {word} ({purged} purged after expiry)")
                } else {
                    format!("{n} {word}")
                }
            })
            .collect();
        if parts.is_empty() {
            "no changes".into()
        } else {
            parts.join(", ")
        }
    }
}

/// `"ci deploy"` for a token named `"ci deploy 42"` with id 42: the name a reset's new token was given.
pub(super) fn reset_origin_name(record: &TokenRecord) -> Option<&str> {
    let suffix = format!(" {}", record.id);
    record.name.strip_suffix(suffix.as_str())
}

/// A snapshot's records by id, ascending, one per id (the last, should a file hold one twice). A
/// snapshot this program made is in that order already, so this is one pass over it.
fn by_id(snapshot: &Snapshot) -> Vec<&TokenRecord> {
    let mut records: Vec<&TokenRecord> = snapshot.tokens.iter().collect();
    if !records.is_sorted_by_key(|t| t.id) {
        records.sort_by_key(|t| t.id);
    }
    let mut one_each: Vec<&TokenRecord> = Vec::with_capacity(records.len());
    for record in records {
        match one_each.last_mut() {
            Some(last) if last.id == record.id => *last = record,
            _ => one_each.push(record),
        }
    }
    one_each
}

fn find<'a>(records: &[&'a TokenRecord], id: TokenId) -> Option<&'a TokenRecord> {
    records
        .binary_search_by_key(&id, |t| t.id)
        .ok()
        .map(|at| records[at])
}

/// The changes from `before` to `after` (both of one account), in their fixed order.
pub fn compare(before: &Snapshot, after: &Snapshot) -> Drift {
    let old = by_id(before);
    let new = by_id(after);
    let mut changes = Vec::new();
    // The old tokens whose reset is reported, so their expiry moving to the grace's end is not reported
    // again; the nearest older token of that name is the one reset (as in the hygiene's lineage).
    let mut reset_origins: HashMap<TokenId, TokenId> = HashMap::new();
    // The old tokens' ids by name, made only if some new token's name is a reset's.
    let mut old_by_name: Option<HashMap<&str, Vec<TokenId>>> = None;
    let mut old_ids = old.iter().map(|t| t.id).peekable();
    // Both are in id order: one walk finds the new tokens the old snapshot has not.
    let created = new.iter().filter(|t| {
        while old_ids.next_if(|&id| id < t.id).is_some() {}
        old_ids.peek() != Some(&t.id)
    });
    for token in created {
        let origin = reset_origin_name(token).and_then(|name| {
            let named = old_by_name.get_or_insert_with(|| {
                let mut by_name: HashMap<&str, Vec<TokenId>> = HashMap::new();
                for o in &old {
                    by_name.entry(o.name.as_str()).or_default().push(o.id);
                }
                by_name
            });
            named
                .get(name)?
                .iter()
                .rev()
                .find(|&&id| id < token.id && !reset_origins.contains_key(&id))
                .copied()
        });
        match origin.and_then(|id| find(&old, id)) {
            Some(origin) => {
                reset_origins.insert(origin.id, token.id);
                changes.push(Change::Reset {
                    old: origin.clone(),
                    new: (*token).clone(),
                    old_expires_at: find(&new, origin.id).and_then(|o| o.expires_at),
                });
            }
            None => changes.push(Change::Created {
                token: (*token).clone(),
            }),
        }
    }
    let mut new_at = new.iter().peekable();
    for token in &old {
        while new_at.next_if(|t| t.id < token.id).is_some() {}
        let Some(now) = new_at.peek().copied().filter(|t| t.id == token.id) else {
            let purged = token.expires_at.is_some_and(|t| t <= after.taken_at);
            changes.push(Change::Deleted {
                token: (*token).clone(),
                purged,
            });
            continue;
        };
        if token.last4 != now.last4 && !token.last4.is_empty() && !now.last4.is_empty() {
            changes.push(Change::Reset {
                old: (*token).clone(),
                new: (*now).clone(),
                old_expires_at: now.expires_at,
            });
        }
        if token.name != now.name {
            changes.push(Change::Renamed {
                id: token.id,
                before: token.name.clone(),
                after: now.name.clone(),
            });
        }
        if token.permissions != now.permissions {
            changes.push(Change::PermissionsChanged {
                id: token.id,
                name: now.name.clone(),
                before: token.permissions.to_vec(),
                after: now.permissions.to_vec(),
            });
        }
        if token.expires_at != now.expires_at && !reset_origins.contains_key(&token.id) {
            changes.push(Change::ExpiryChanged {
                id: token.id,
                name: now.name.clone(),
                before: token.expires_at,
                after: now.expires_at,
            });
        }
    }
    changes.sort_by_key(Change::rank);
    Drift {
        since: before.taken_at,
        until: after.taken_at,
        changes,
    }
}
