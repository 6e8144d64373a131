//! The words of the undo confirmation (`u` right after a permission edit): the permissions the token
//! will have again, one per line.

use crate::api::{AccessLevel, ResourceType};
use crate::journal::Permission;

use super::destructive::Target;

pub fn title(target: &Target) -> String {
    format!(
        "Undo the permission edit of {} ({})?",
        target.name, target.last4
    )
}

/// `Account #1824170: admin`, with the resource type as the table names it.
fn permission_words(p: &Permission) -> String {
    let kind = ResourceType::new(p.resource_type.clone()).kind().label();
    format!(
        "· {} #{}: {}",
        kind,
        p.resource_id,
        AccessLevel(p.access_level)
    )
}

pub fn body(restores: &[Permission]) -> Vec<String> {
    let mut lines = vec!["The token gets back the permissions it had before the edit:".to_string()];
    if restores.is_empty() {
        lines.push("· no permissions".into());
    }
    lines.extend(restores.iter().map(permission_words));
    lines.push("The change is journaled as an undo and applies at once.".into());
    lines
}

pub const CONFIRM_LABEL: &str = "Undo";
