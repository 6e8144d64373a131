//! The words of the reset confirmation.

use super::destructive::Target;

pub fn title(target: &Target) -> String {
    format!("Reset token {} ({})?", target.name, target.last4)
}

/// What will happen, in plain words. The new id is unknown before the call, hence `<new id>`.
pub fn body(target: &Target) -> Vec<String> {
    let mut lines = vec![
        "The current token keeps working for 12 hours, then stops.".to_string(),
        format!(
            "A new token `{} <new id>` with the same permissions is created and shown once.",
            target.name
        ),
        "This cannot be undone.".to_string(),
    ];
    if target.is_own_token {
        lines.push(
            "This console runs on this token: it switches to the new one only if you give it the new secret."
                .into(),
        );
    }
    lines
}

pub const CONFIRM_LABEL: &str = "Reset";
