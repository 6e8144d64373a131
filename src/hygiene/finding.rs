//! What the rules read (the inventory) and what they give (findings).

use std::borrow::Borrow;

use serde::ser::{Serialize, SerializeStruct, Serializer};

use super::rules::{RuleId, Severity};
use crate::api::{ApiToken, ResourceNode, TokenId};
use crate::text::{SafeText, SharedText};

/// Everything the rules look at, borrowed from wherever the data lives: a command's token list, or the
/// console's rows (which hold their tokens beside what the table derives), so nothing is copied.
#[derive(Debug)]
pub struct Inventory<'a, T = ApiToken> {
    pub tokens: &'a [T],
    /// The account's resource tree: the names of its projects, sandboxes and domains.
    pub tree: &'a [ResourceNode],
    /// The last four characters of the secret this program runs on, when it runs on one.
    pub own_last4: Option<&'a str>,
}

impl<T> Clone for Inventory<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Inventory<'_, T> {}

impl<T> Default for Inventory<'_, T> {
    fn default() -> Self {
        Self {
            tokens: &[],
            tree: &[],
            own_last4: None,
        }
    }
}

/// One rule's verdict on one token. Its texts are safe to print: server text in them was made safe.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub rule: RuleId,
    pub token_id: TokenId,
    pub token_name: SafeText,
    /// The rule's one line with this token's particulars (when, which other token, which resource),
    /// shared by the findings that say the same (a list of 100,000 has thousands alike).
    pub text: SharedText,
}

impl Finding {
    pub fn severity(&self) -> Severity {
        self.rule.severity()
    }

    pub fn hint(&self) -> &'static str {
        self.rule.rule().hint
    }
}

/// A finding as kept beside the tokens it is about: its token named by its place in the inventory
/// (`Inventory::tokens`) rather than by a copy of its id and name, so that a console that keeps
/// 100,000 findings keeps 24 bytes for each.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    pub rule: RuleId,
    /// The token's index in the inventory's tokens.
    pub token: u32,
    /// As `Finding::text`.
    pub text: SharedText,
}

impl Found {
    pub fn severity(&self) -> Severity {
        self.rule.severity()
    }

    /// The finding in full, `tokens` being those of the inventory it was made from.
    pub fn finding<T: Borrow<ApiToken>>(&self, tokens: &[T]) -> Option<Finding> {
        let token = tokens.get(self.token as usize)?.borrow();
        Some(Finding {
            rule: self.rule,
            token_id: token.id,
            token_name: SafeText::new(&token.name),
            text: self.text.clone(),
        })
    }
}

impl Serialize for Finding {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Finding", 6)?;
        st.serialize_field("rule", &self.rule)?;
        st.serialize_field("severity", &self.severity())?;
        st.serialize_field("token_id", &self.token_id)?;
        st.serialize_field("token_name", self.token_name.as_str())?;
        st.serialize_field("text", self.text.as_str())?;
        st.serialize_field("hint", self.hint())?;
        st.end()
    }
}
