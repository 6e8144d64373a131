//! The domains view: each sending domain with every token whose permissions name it, and at what level.
//! It answers "who can send from this domain", the web app's Integration tab the other way round. A
//! token with account-wide access can act on every domain; those are counted once for the whole view
//! rather than listed under each domain.

use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};

use crate::api::{AccessLevel, ResourceKind, ResourceNode, TokenId};
use crate::text::SafeText;

use super::super::table::TokenTable;
use super::list::ListRow;

/// What the domains view says of one token under its domain.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DomainMark {
    /// Neither of the below.
    None,
    /// The token Mailtrap made when the domain was added (`<domain> token <id>`, by `System`).
    AutoCreated,
    /// The only live token that names the domain: Mailtrap refuses to delete it.
    Last,
    /// Both.
    AutoCreatedAndLast,
    /// No token names the domain (the row stands for the domain alone).
    NoToken,
}

impl DomainMark {
    /// For a narrow column.
    pub fn short_text(self) -> &'static str {
        match self {
            DomainMark::AutoCreated => "auto",
            DomainMark::Last => "⚑ last",
            DomainMark::AutoCreatedAndLast => "⚑ last · auto",
            DomainMark::NoToken => "no token",
            DomainMark::None => "",
        }
    }

    pub fn text(self) -> &'static str {
        match self {
            DomainMark::None => "",
            DomainMark::AutoCreated => "auto-created",
            DomainMark::Last => "⚑ last token",
            DomainMark::AutoCreatedAndLast => "⚑ last token · auto-created",
            DomainMark::NoToken => "no token names it",
        }
    }
}

#[derive(Clone, Debug)]
pub struct DomainRow {
    pub domain_id: i64,
    pub domain: SafeText,
    pub token: Option<TokenId>,
    /// The token's row in the table it was made from.
    row: Option<usize>,
    pub token_name: SafeText,
    pub level: Option<AccessLevel>,
    pub creator: SafeText,
    pub mark: DomainMark,
    /// The token is expired or in its reset grace: it names the domain but will not act on it for long.
    pub ending: bool,
}

impl ListRow for DomainRow {
    type Key = (i64, Option<TokenId>);
    const SORTS: &'static [&'static str] = &["Domain", "Token", "Level", "Creator"];

    fn key(&self) -> Self::Key {
        (self.domain_id, self.token)
    }

    fn token(&self) -> Option<TokenId> {
        self.token
    }

    fn row(&self) -> Option<usize> {
        self.row
    }

    fn search_text(&self) -> String {
        let id = self.token.map(|id| id.to_string()).unwrap_or_default();
        format!(
            "{}\n{}\n{}\n{id}",
            self.domain, self.token_name, self.creator
        )
    }

    fn compare(&self, other: &Self, column: usize) -> Ordering {
        // Case-insensitive without a lowercased copy per comparison.
        let text = |a: &SafeText, b: &SafeText| {
            a.chars()
                .flat_map(char::to_lowercase)
                .cmp(b.chars().flat_map(char::to_lowercase))
        };
        match column {
            1 => text(&self.token_name, &other.token_name),
            // Highest first in the ascending order: the widest grant is what the eye meets.
            2 => other.level.cmp(&self.level),
            3 => text(&self.creator, &other.creator),
            _ => Ordering::Equal,
        }
    }
}

/// How many live tokens hold account-wide access, by level: they can act on every domain.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AccountWide {
    pub admins: usize,
    pub viewers: usize,
}

/// The rows, domain by domain (by name), each domain's tokens by level (highest first) then name; and the
/// account-wide tokens.
pub fn build(table: &TokenTable, now: DateTime<Utc>) -> (Vec<DomainRow>, AccountWide) {
    let mut names: BTreeMap<i64, String> = BTreeMap::new();
    ResourceNode::walk(&table.tree, |node, _| {
        if node.resource_type.kind() == ResourceKind::Domain {
            names.insert(node.id, node.name.clone());
        }
    });
    let mut holders: HashMap<i64, Vec<(usize, AccessLevel)>> = HashMap::new();
    let mut wide = AccountWide::default();
    for (i, row) in table.rows.iter().enumerate() {
        if row.unreadable().is_some() {
            continue;
        }
        let live = live(table, row.token.id, row.token.expires_at, now);
        for r in &row.token.resources {
            match r.resource_type.kind() {
                ResourceKind::Domain => holders
                    .entry(r.resource_id)
                    .or_default()
                    .push((i, r.access_level)),
                ResourceKind::Account if live => {
                    if r.access_level.is_admin() {
                        wide.admins += 1;
                    } else {
                        wide.viewers += 1;
                    }
                }
                _ => {}
            }
        }
    }
    // Domains the tokens name but the tree does not (a tree not loaded, or not readable) are still shown.
    for id in holders.keys() {
        names.entry(*id).or_default();
    }
    let mut domains: Vec<(i64, SafeText)> = names
        .into_iter()
        .map(|(id, name)| {
            let shown = if name.is_empty() {
                SafeText::from(format!("domain #{id}"))
            } else {
                SafeText::new(&name)
            };
            (id, shown)
        })
        .collect();
    domains.sort_by_cached_key(|(id, name)| (name.to_lowercase(), *id));
    let mut out = Vec::new();
    for (domain_id, domain) in domains {
        let mut members = holders.remove(&domain_id).unwrap_or_default();
        if members.is_empty() {
            out.push(DomainRow {
                domain_id,
                domain,
                token: None,
                row: None,
                token_name: SafeText::literal("—"),
                level: None,
                creator: SafeText::default(),
                mark: DomainMark::NoToken,
                ending: false,
            });
            continue;
        }
        members.sort_by_cached_key(|&(i, level)| {
            let t = &table.rows[i].token;
            (std::cmp::Reverse(level), t.name.to_lowercase(), t.id)
        });
        members.dedup_by_key(|(i, _)| *i);
        let live_count = members
            .iter()
            .filter(|(i, _)| {
                let t = &table.rows[*i].token;
                live(table, t.id, t.expires_at, now)
            })
            .count();
        let auto_name = format!("{} token ", domain.as_str());
        for (i, level) in members {
            let row = &table.rows[i];
            let t = &row.token;
            let is_live = live(table, t.id, t.expires_at, now);
            let auto = t.created_by == "System"
                && t.name.strip_prefix(&auto_name) == Some(t.id.to_string().as_str());
            let last = is_live && live_count == 1;
            let mark = match (auto, last) {
                (true, true) => DomainMark::AutoCreatedAndLast,
                (true, false) => DomainMark::AutoCreated,
                (false, true) => DomainMark::Last,
                (false, false) => DomainMark::None,
            };
            let token_name = SafeText::new(&t.name);
            let creator = super::super::super::columns::creator(&t.created_by);
            out.push(DomainRow {
                domain_id,
                domain: domain.clone(),
                token: Some(t.id),
                row: Some(i),
                token_name,
                level: Some(level),
                creator,
                mark,
                ending: !is_live,
            });
        }
    }
    (out, wide)
}

/// Live: neither expired nor in its reset grace (such a token still names the domain, but does not
/// count as one that keeps it reachable).
fn live(
    table: &TokenTable,
    id: TokenId,
    expires_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> bool {
    !table.reset_grace.contains_key(&id) && expires_at.is_none_or(|at| at > now)
}
