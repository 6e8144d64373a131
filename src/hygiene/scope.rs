//! The "a narrower scope would do" heuristic: an account-admin token whose name names exactly one project,
//! sandbox or sending domain of the account (`Storefront order emails` and the project `Storefront`).
//!
//! What it can know: the token's name and the account's resource tree. What it cannot: what the token is
//! actually used for. Mailtrap keeps no usage record a client can read, so a token named after a project
//! may still create tokens, invite users or read billing, which only an account admin can do. Hence info,
//! never more, and never a finding when the name names no resource or several.

use std::collections::HashMap;

use crate::api::{ResourceKind, ResourceNode};
use crate::text::SafeText;

/// A resource a name can point at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NamedResource {
    pub kind: ResourceKind,
    pub id: i64,
    pub name: SafeText,
}

/// The projects, sandboxes and domains of the tree by their name in words (see [`words`]).
#[derive(Debug, Default)]
pub struct ResourceIndex {
    by_words: HashMap<String, Vec<NamedResource>>,
    /// The most words any indexed name has: no longer run of a token's words can match.
    longest: usize,
}

/// Longer names are not looked for: a name of more words than this is a sentence, not a resource name.
const MAX_WORDS: usize = 8;

impl ResourceIndex {
    pub fn from_tree(roots: &[ResourceNode]) -> Self {
        let mut index = ResourceIndex::default();
        ResourceNode::walk(roots, |node, _| {
            let kind = node.resource_type.kind();
            if !matches!(
                kind,
                ResourceKind::Project | ResourceKind::Sandbox | ResourceKind::Domain
            ) {
                return;
            }
            let parts = words(&node.name);
            if parts.is_empty() || parts.len() > MAX_WORDS {
                return;
            }
            index.longest = index.longest.max(parts.len());
            let list = index.by_words.entry(parts.join(" ")).or_default();
            if !list.iter().any(|r| r.kind == kind && r.id == node.id) {
                list.push(NamedResource {
                    kind,
                    id: node.id,
                    name: SafeText::new(&node.name),
                });
            }
        });
        index
    }

    /// The one resource `name` names, if it names exactly one: every run of its words is looked up.
    pub fn only_resource_named_in(&self, name: &str) -> Option<&NamedResource> {
        if self.by_words.is_empty() {
            return None;
        }
        let parts = words(name);
        let mut found: Option<&NamedResource> = None;
        let mut key = String::new();
        for start in 0..parts.len() {
            for len in 1..=self.longest.min(parts.len() - start) {
                key.clear();
                for (i, part) in parts[start..start + len].iter().enumerate() {
                    if i > 0 {
                        key.push(' ');
                    }
                    key.push_str(part);
                }
                for resource in self.by_words.get(&key).into_iter().flatten() {
                    match found {
                        None => found = Some(resource),
                        Some(seen) if seen.kind == resource.kind && seen.id == resource.id => {}
                        Some(_) => return None,
                    }
                }
            }
        }
        found
    }
}

/// A name as lowercase words: letters and digits, with `.`, `-` and `_` kept inside a word (so
/// `mail.acme.example` is one word and never matches `acme.example`) and trimmed from its ends.
pub fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || matches!(c, '.' | '-' | '_')))
        .map(|w| w.trim_matches(|c| matches!(c, '.' | '-' | '_')))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{AccessLevel, ResourceType};

    fn node(kind: &str, id: i64, name: &str, children: Vec<ResourceNode>) -> ResourceNode {
        ResourceNode {
            id,
            name: name.into(),
            resource_type: ResourceType::new(kind),
            access_level: AccessLevel::ADMIN,
            resources: children,
        }
    }

    fn tree() -> Vec<ResourceNode> {
        vec![node(
            "account",
            1,
            "Acme",
            vec![
                node(
                    "project",
                    10,
                    "Marketing site",
                    vec![node("sandbox", 11, "QA", vec![])],
                ),
                node("project", 20, "Storefront", vec![]),
                node("domain", 30, "acme.example", vec![]),
                node("domain", 31, "mail.acme.example", vec![]),
            ],
        )]
    }

    #[test]
    fn one_named_resource_is_found_whole_words_only() {
        let index = ResourceIndex::from_tree(&tree());
        let found = |name: &str| index.only_resource_named_in(name).map(|r| r.id);
        assert_eq!(found("Storefront order emails"), Some(20));
        assert_eq!(found("marketing SITE publisher"), Some(10));
        assert_eq!(found("Sender for mail.acme.example."), Some(31));
        assert_eq!(found("acme.example relay"), Some(30));
        // Part of a word, part of a name, or two resources: nothing.
        assert_eq!(found("Storefronts"), None);
        assert_eq!(found("Marketing emails"), None);
        assert_eq!(found("Storefront and QA"), None);
        assert_eq!(found("Legacy integration"), None);
        // The account itself is no narrower scope.
        assert_eq!(found("Acme admin"), None);
    }
}
