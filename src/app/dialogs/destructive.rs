//! The typed list of actions that change or destroy a token. A confirm dialog turns one of these into
//! "confirmed"; the console's executor is the only thing that runs it.

use crate::api::{ApiToken, PermissionChange, ResourceKind, TokenId};
use crate::journal::{EntryId, Permission};
use crate::text::SafeText;

/// The token a destructive action targets, as the dialog names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub token_id: TokenId,
    /// The token's name, as shown and as the typed-name check compares it.
    pub name: SafeText,
    /// `…dcf7`
    pub last4: SafeText,
    /// The console authenticates with this token.
    pub is_own_token: bool,
    /// The token has admin access to the whole account.
    pub is_account_admin: bool,
}

impl Target {
    pub fn from_token(token: &ApiToken, is_own_token: bool) -> Self {
        Self {
            token_id: token.id,
            name: SafeText::new(&token.name),
            last4: SafeText::new(&token.last_4_digits).after("…"),
            is_own_token,
            is_account_admin: token.resources.iter().any(|r| {
                r.resource_type.kind() == ResourceKind::Account && r.access_level.is_admin()
            }),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Destructive {
    /// `POST …/api_tokens/{id}/reset`.
    Reset(Target),
    /// `DELETE …/api_tokens/{id}`.
    Delete(Target),
    /// The bulk permissions update for the token's account access.
    EditPermissions {
        target: Target,
        changes: Vec<PermissionChange>,
    },
    /// The bulk update that puts back the permissions a permission edit of this session replaced.
    UndoPermissions {
        target: Target,
        changes: Vec<PermissionChange>,
        /// The permissions the token will have again.
        restores: Vec<Permission>,
        /// The journal entry of the edit undone.
        undoes: EntryId,
    },
}

impl Destructive {
    pub fn target(&self) -> &Target {
        match self {
            Destructive::Reset(t) | Destructive::Delete(t) => t,
            Destructive::EditPermissions { target, .. }
            | Destructive::UndoPermissions { target, .. } => target,
        }
    }

    /// Acting on the console's own token, or deleting an account-admin token, needs the name typed.
    pub fn needs_typed_name(&self) -> bool {
        let t = self.target();
        t.is_own_token || matches!(self, Destructive::Delete(t) if t.is_account_admin)
    }
}
