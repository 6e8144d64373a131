//! The words of the delete confirmation.

use super::destructive::Target;

pub fn title(target: &Target) -> String {
    format!("Delete token {} ({})?", target.name, target.last4)
}

pub fn body(target: &Target) -> Vec<String> {
    let mut lines = vec!["The token stops working immediately. This cannot be undone.".to_string()];
    if target.is_account_admin {
        lines.push("This token has admin access to the whole account.".into());
    }
    if target.is_own_token {
        lines.push("This console runs on this token and will stop working too.".into());
    }
    lines
}

pub const CONFIRM_LABEL: &str = "Delete";
