//! Running the rules over an inventory: one pass over the tokens for the rules about one token, one
//! grouping for identical permission sets, then one sort, worst first.

use std::borrow::Borrow;
use std::collections::{HashMap, HashSet};

use chrono::{DateTime, TimeDelta, Utc};

use super::finding::{Finding, Found, Inventory};
use super::lineage::successors;
use super::rules::RuleId;
use super::scope::ResourceIndex;
use super::settings::RuleConfig;
use crate::api::{ApiToken, ResourceKind};
use crate::text::{SafeText, SharedText, SharedTexts};

/// Mailtrap deletes an expired token this long after it expired (spec §4.5, the simulator's cleanup).
pub const PURGE_AFTER: TimeDelta = TimeDelta::hours(24);

/// The creator Mailtrap names for the tokens it makes itself (a sending domain's token, spec §5).
const SYSTEM_CREATOR: &str = "System";

/// Every finding of every rule `config` runs, worst first (then in registry order, then by token id).
/// Computed from the data alone: call it when the data changes, not when a frame is drawn.
pub fn findings<T: Borrow<ApiToken>>(
    inventory: &Inventory<'_, T>,
    now: DateTime<Utc>,
    config: &RuleConfig,
) -> Vec<Finding> {
    found(inventory, now, config)
        .iter()
        .filter_map(|f| f.finding(inventory.tokens))
        .collect()
}

/// `findings`, each naming its token by its place in the inventory rather than by a copy of its id and
/// name: what a console keeps beside the tokens (100,000 findings at 24 bytes each).
pub fn found<T: Borrow<ApiToken>>(
    inventory: &Inventory<'_, T>,
    now: DateTime<Utc>,
    config: &RuleConfig,
) -> Vec<Found> {
    let tokens = inventory.tokens;
    let replaced_by = successors(tokens);
    let mut out = Vec::new();
    let own = OwnToken::new(inventory, config);
    let scope = config
        .runs(RuleId::AdminScopeNarrower)
        .then(|| ResourceIndex::from_tree(inventory.tree));
    let creators = CreatorCheck::new(tokens, now, config);
    // Findings that say the same share one text: an expiry's words repeat by the hour across thousands.
    let mut said = SharedTexts::default();
    let mut push = |rule: RuleId, token: u32, text: SafeText| {
        if config.runs(rule) {
            out.push(Found {
                rule,
                token,
                text: said.shared(text),
            });
        }
    };
    for (index, token) in tokens.iter().enumerate() {
        let token = token.borrow();
        // A list of more than 4 billion tokens is not one this program could have read.
        let Ok(index) = u32::try_from(index) else {
            break;
        };
        let expired = token.expires_at.is_some_and(|at| at <= now);
        if expired {
            push(
                RuleId::ExpiredAwaitingPurge,
                index,
                purge_text(token.expires_at, now),
            );
            continue;
        }
        if let (Some(&next), Some(stops)) = (replaced_by.get(&token.id), token.expires_at) {
            let successor = tokens.get(next).map(|t| SafeText::new(&t.borrow().name));
            push(
                RuleId::InResetGrace,
                index,
                grace_text(stops, now, successor.as_ref()),
            );
            continue;
        }
        // A live token: neither expired nor on its way out after a reset.
        let admin = is_account_admin(token);
        if admin && token.expires_at.is_none() {
            if own.is(token) {
                push(RuleId::OwnAdminNeverExpires, index, own.text());
            } else {
                push(
                    RuleId::AdminNeverExpires,
                    index,
                    SafeText::literal("an account admin that never expires"),
                );
            }
        }
        if let Some(at) = token.expires_at {
            let left = at - now;
            if left <= config.expires_very_soon() && config.runs(RuleId::ExpiresVerySoon) {
                push(RuleId::ExpiresVerySoon, index, expiry_text(at, now));
            } else if left <= config.expires_soon() {
                push(RuleId::ExpiresSoon, index, expiry_text(at, now));
            }
        }
        if token.resources.is_empty() && token.opaque_resources.is_empty() {
            push(
                RuleId::NoPermissions,
                index,
                SafeText::literal("has no permissions"),
            );
        }
        if admin
            && let Some(resource) = scope
                .as_ref()
                .and_then(|index| index.only_resource_named_in(&token.name))
        {
            let mut text = SafeText::from(format!(
                "an account admin, but its name names only the {} “",
                resource.kind.label().to_lowercase()
            ));
            text.push(&resource.name);
            text.push(&SafeText::literal("”"));
            push(RuleId::AdminScopeNarrower, index, text);
        }
        if creators.is_gone(&token.created_by) {
            let mut text = SafeText::literal("created by “");
            text.push_raw(&token.created_by);
            text.push(&SafeText::literal(
                "”, a token that is no longer in the list",
            ));
            push(RuleId::CreatorTokenGone, index, text);
        }
    }
    if config.runs(RuleId::DuplicatePermissions) {
        duplicates(tokens, now, &replaced_by, &mut out);
    }
    out.sort_unstable_by_key(|f| (f.rule.index(), tokens[f.token as usize].borrow().id));
    out.shrink_to_fit();
    out
}

/// Account admin (or owner) on the account itself.
fn is_account_admin(token: &ApiToken) -> bool {
    token
        .resources
        .iter()
        .any(|r| r.resource_type.kind() == ResourceKind::Account && r.access_level.is_admin())
}

/// The tokens that may be the one this program runs on: those ending in the same four characters.
struct OwnToken<'a> {
    last4: Option<&'a str>,
    /// How many tokens end that way (more than one: the match is ambiguous, and the text says so).
    matches: usize,
}

impl<'a> OwnToken<'a> {
    fn new<T: Borrow<ApiToken>>(inventory: &Inventory<'a, T>, config: &RuleConfig) -> Self {
        let last4 = inventory
            .own_last4
            .filter(|l| !l.is_empty() && config.runs(RuleId::OwnAdminNeverExpires));
        let matches = last4.map_or(0, |l| {
            inventory
                .tokens
                .iter()
                .filter(|t| Borrow::<ApiToken>::borrow(*t).last_4_digits == l)
                .count()
        });
        Self { last4, matches }
    }

    fn is(&self, token: &ApiToken) -> bool {
        self.last4.is_some_and(|l| token.last_4_digits == l)
    }

    fn text(&self) -> SafeText {
        let mut text = SafeText::literal("the token this program runs on (…");
        text.push_raw(self.last4.unwrap_or_default());
        text.push(&SafeText::literal(
            ") is an account admin that never expires",
        ));
        if self.matches > 1 {
            text.push(&SafeText::from(format!(
                "; {} tokens end in these four characters, so it may be another of them",
                self.matches
            )));
        }
        text
    }
}

/// Whether a creator names a token that is gone. `created_by` is a plain name, a person's or a token's,
/// with nothing to tell them apart; only a name that ends in a number is taken for a token's (Mailtrap's
/// own names do: `<domain> token <id>`, and a reset's `<name> <id>`; people's names do not). A deleted
/// token with a plain name (`CI deploy bot`) looks like a person and is not reported.
struct CreatorCheck<'a> {
    /// The creators of live tokens that have a token's shape (a few names, shared by many tokens) that
    /// no token in the list is named; none when no creator has that shape.
    gone: HashSet<&'a str>,
}

impl<'a> CreatorCheck<'a> {
    fn new<T: Borrow<ApiToken>>(tokens: &'a [T], now: DateTime<Utc>, config: &RuleConfig) -> Self {
        if !config.runs(RuleId::CreatorTokenGone) {
            return Self {
                gone: HashSet::new(),
            };
        }
        // The creators are looked up among the names, rather than every name kept to look creators up
        // in: 100,000 names would be a set of megabytes, the creators are a handful.
        let mut gone: HashSet<&str> = tokens
            .iter()
            .map(Borrow::borrow)
            .filter(|t: &&ApiToken| t.expires_at.is_none_or(|at| at > now))
            .map(|t| t.created_by.as_str())
            .filter(|c| has_token_shape(c) && *c != SYSTEM_CREATOR)
            .collect();
        if !gone.is_empty() {
            for token in tokens {
                gone.remove(token.borrow().name.as_str());
            }
        }
        Self { gone }
    }

    fn is_gone(&self, creator: &str) -> bool {
        self.gone.contains(creator)
    }
}

fn has_token_shape(name: &str) -> bool {
    name.rsplit_once(' ').is_some_and(|(head, number)| {
        !head.trim().is_empty() && !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit())
    })
}

/// One permission in a form that compares across spellings (`domain` 3 and `sending_domain` 3 are one).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Grant<'a> {
    Typed {
        kind: ResourceKind,
        /// The spelling, only for a type this build does not know (two unknown types are not one).
        other: &'a str,
        id: i64,
        level: i64,
    },
    Opaque {
        kind: &'a str,
        id: String,
        level: String,
    },
}

fn grants(token: &ApiToken) -> Vec<Grant<'_>> {
    let mut out: Vec<Grant<'_>> = token
        .resources
        .iter()
        .map(|r| {
            let kind = r.resource_type.kind();
            Grant::Typed {
                kind,
                other: if kind == ResourceKind::Other {
                    r.resource_type.as_str()
                } else {
                    ""
                },
                id: r.resource_id,
                level: r.access_level.0,
            }
        })
        .chain(token.opaque_resources.iter().map(|o| Grant::Opaque {
            kind: o.resource_type.as_str(),
            id: o.resource_id.to_string(),
            level: o.access_level.to_string(),
        }))
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Live tokens (not expired, not in a reset grace: those go away on their own) with one permission set.
fn duplicates<T: Borrow<ApiToken>>(
    tokens: &[T],
    now: DateTime<Utc>,
    replaced_by: &HashMap<i64, usize>,
    out: &mut Vec<Found>,
) {
    // Most tokens hold only permissions of known types: their sets are kept as plain numbers, which hash
    // and compare several times faster than `Grant`s (a set of those can never equal one with an unknown
    // type or an opaque permission, so the two maps never hold the same set).
    let mut plain: HashMap<Vec<(ResourceKind, i64, i64)>, Vec<usize>> = HashMap::new();
    let mut other: HashMap<Vec<Grant<'_>>, Vec<usize>> = HashMap::new();
    for (i, token) in tokens.iter().enumerate() {
        let token = token.borrow();
        let live = token.expires_at.is_none_or(|at| at > now)
            && !(token.expires_at.is_some() && replaced_by.contains_key(&token.id));
        if !live {
            continue;
        }
        let known = token.opaque_resources.is_empty()
            && token
                .resources
                .iter()
                .all(|r| r.resource_type.kind() != ResourceKind::Other);
        if known {
            let mut set: Vec<(ResourceKind, i64, i64)> = token
                .resources
                .iter()
                .map(|r| (r.resource_type.kind(), r.resource_id, r.access_level.0))
                .collect();
            set.sort_unstable();
            set.dedup();
            if !set.is_empty() {
                plain.entry(set).or_default().push(i);
            }
        } else {
            let set = grants(token);
            if !set.is_empty() {
                other.entry(set).or_default().push(i);
            }
        }
    }
    let groups = plain.into_values().chain(other.into_values());
    // The texts are made once per group; the findings are then made in the tokens' own order, so the
    // 100,000 tokens are read front to back rather than group by group (which missed the cache on
    // every member).
    let mut texts: Vec<SharedText> = Vec::new();
    // Each token's text in `texts`, or `NO_GROUP`: 4 bytes a token.
    let mut membership: Vec<u32> = vec![NO_GROUP; tokens.len()];
    for members in groups.filter(|m| m.len() > 1) {
        let others = members.len() - 1;
        // Each names another member: the first names the second, the rest name the first.
        let (Ok(for_first), Ok(for_rest)) =
            (u32::try_from(texts.len()), u32::try_from(texts.len() + 1))
        else {
            break;
        };
        texts.push(duplicate_text(tokens[members[1]].borrow(), others).into());
        texts.push(duplicate_text(tokens[members[0]].borrow(), others).into());
        for (n, &i) in members.iter().enumerate() {
            membership[i] = if n == 0 { for_first } else { for_rest };
        }
    }
    for (at, text) in membership.into_iter().enumerate() {
        let (Some(text), Ok(token)) = (texts.get(text as usize), u32::try_from(at)) else {
            continue;
        };
        out.push(Found {
            rule: RuleId::DuplicatePermissions,
            token,
            text: text.clone(),
        });
    }
}

/// A token in no group of duplicates (`duplicates`' membership).
const NO_GROUP: u32 = u32::MAX;

fn duplicate_text(named: &ApiToken, others: usize) -> SafeText {
    let mut text = SafeText::literal("has exactly the permissions of “");
    text.push_raw(&named.name);
    text.push(&SafeText::literal("”"));
    match others {
        1 => {}
        2 => text.push(&SafeText::literal(" and 1 other token")),
        n => text.push(&SafeText::from(format!(" and {} other tokens", n - 1))),
    }
    text
}

/// A span in its two largest units, in words: `4 hours 59 minutes`, `1 day 5 hours`, `5 hours`,
/// `12 minutes`; rounded down to the minute.
pub fn about(span: TimeDelta) -> String {
    let minutes = span.num_minutes().max(0);
    let units = [
        (minutes / 1440, "day"),
        ((minutes / 60) % 24, "hour"),
        (minutes % 60, "minute"),
    ];
    let Some(first) = units.iter().position(|(n, _)| *n > 0) else {
        return "less than a minute".into();
    };
    let word = |(n, unit): (i64, &str)| format!("{n} {unit}{}", if n == 1 { "" } else { "s" });
    match units.get(first + 1).filter(|(n, _)| *n > 0) {
        Some(&next) => format!("{} {}", word(units[first]), word(next)),
        None => word(units[first]),
    }
}

fn utc(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M UTC").to_string()
}

fn expiry_text(at: DateTime<Utc>, now: DateTime<Utc>) -> SafeText {
    SafeText::from(format!("expires in {} ({})", about(at - now), utc(at)))
}

fn grace_text(stops: DateTime<Utc>, now: DateTime<Utc>, successor: Option<&SafeText>) -> SafeText {
    let mut text = SafeText::from(format!(
        "was reset and stops working in {} ({})",
        about(stops - now),
        utc(stops)
    ));
    if let Some(name) = successor {
        text.push(&SafeText::literal("; replaced by “"));
        text.push(name);
        text.push(&SafeText::literal("”"));
    }
    text
}

fn purge_text(expired_at: Option<DateTime<Utc>>, now: DateTime<Utc>) -> SafeText {
    let Some(at) = expired_at else {
        return SafeText::literal("has expired");
    };
    let purge = at + PURGE_AFTER;
    let text = if purge > now {
        format!(
            "expired {} ago; Mailtrap purges it 24 h after expiry, in about {}",
            about(now - at),
            about(purge - now)
        )
    } else {
        format!(
            "expired {} ago; Mailtrap's cleanup, due 24 h after expiry, has not removed it yet",
            about(now - at)
        )
    };
    SafeText::from(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{AccessLevel, OpaqueResource, Resource, ResourceType, Scalar};

    #[test]
    fn spans_read_in_one_unit() {
        assert_eq!(about(TimeDelta::seconds(59)), "less than a minute");
        assert_eq!(about(TimeDelta::minutes(1)), "1 minute");
        assert_eq!(about(TimeDelta::minutes(299)), "4 hours 59 minutes");
        assert_eq!(about(TimeDelta::hours(30)), "1 day 6 hours");
        assert_eq!(about(TimeDelta::hours(48)), "2 days");
        assert_eq!(about(TimeDelta::minutes(48 * 60 + 1)), "2 days");
        assert_eq!(about(TimeDelta::hours(-3)), "less than a minute");
    }

    #[test]
    fn only_names_ending_in_a_number_look_like_tokens() {
        assert!(has_token_shape("Nightly backup 2490950"));
        assert!(has_token_shape("acme.example token 2490311"));
        assert!(!has_token_shape("Dana Whitfield"));
        assert!(!has_token_shape("CI deploy bot"));
        assert!(!has_token_shape("2490950"));
        assert!(!has_token_shape("Release v2"));
    }

    fn token(id: i64, perms: Vec<(&str, i64, i64)>, opaque: Vec<OpaqueResource>) -> ApiToken {
        ApiToken {
            id,
            name: format!("t{id}").into(),
            last_4_digits: "abcd".into(),
            created_by: "Dana".into(),
            expires_at: None,
            resources: perms
                .into_iter()
                .map(|(kind, id, level)| Resource {
                    resource_type: ResourceType::new(kind),
                    resource_id: id,
                    access_level: AccessLevel(level),
                })
                .collect(),
            opaque_resources: opaque.into(),
        }
    }

    #[test]
    fn findings_that_say_the_same_share_one_text() {
        let now = Utc::now();
        let mut tokens: Vec<ApiToken> = (1..=4)
            .map(|id| token(id, vec![("project", 5, 10)], vec![]))
            .collect();
        for id in [10, 11] {
            let mut expired = token(id, vec![("project", id, 10)], vec![]);
            expired.expires_at = Some(now - TimeDelta::hours(3));
            tokens.push(expired);
        }
        let inventory = Inventory {
            tokens: &tokens,
            tree: &[],
            own_last4: None,
        };
        let found = findings(&inventory, now, &RuleConfig::default());
        let text_of = |rule: RuleId, id: i64| {
            found
                .iter()
                .find(|f| f.rule == rule && f.token_id == id)
                .map(|f| f.text.as_str().as_ptr())
        };
        // The duplicates after the first all name the first, in one text.
        let rest = text_of(RuleId::DuplicatePermissions, 2);
        assert!(rest.is_some());
        assert_eq!(rest, text_of(RuleId::DuplicatePermissions, 3));
        assert_eq!(rest, text_of(RuleId::DuplicatePermissions, 4));
        assert_ne!(rest, text_of(RuleId::DuplicatePermissions, 1));
        // Texts made one by one that come out the same are shared too.
        let expired = text_of(RuleId::ExpiredAwaitingPurge, 10);
        assert!(expired.is_some());
        assert_eq!(expired, text_of(RuleId::ExpiredAwaitingPurge, 11));
    }

    #[test]
    fn identical_sets_group_across_spellings_and_never_across_unknown_types() {
        let opaque = || OpaqueResource {
            resource_type: ResourceType::new("domain"),
            resource_id: Scalar::Text("x-1".into()),
            access_level: Scalar::Int(100),
        };
        let tokens = vec![
            // One set, spelled two ways and in two orders, once with a repeat.
            token(1, vec![("domain", 3, 100), ("project", 5, 10)], vec![]),
            token(
                2,
                vec![("project", 5, 10), ("sending_domain", 3, 100)],
                vec![],
            ),
            token(
                3,
                vec![("domain", 3, 100), ("project", 5, 10), ("project", 5, 10)],
                vec![],
            ),
            // Unknown types: the same spelling groups, another spelling does not.
            token(4, vec![("quantum", 3, 100)], vec![]),
            token(5, vec![("quantum", 3, 100)], vec![]),
            token(6, vec![("widget", 3, 100)], vec![]),
            // An opaque permission beside a known one: never one set with the known one alone.
            token(7, vec![("domain", 9, 100)], vec![opaque()]),
            token(8, vec![("domain", 9, 100)], vec![opaque()]),
            token(9, vec![("domain", 9, 100)], vec![]),
        ];
        let inventory = Inventory {
            tokens: &tokens,
            tree: &[],
            own_last4: None,
        };
        let now = Utc::now();
        let found: Vec<i64> = findings(&inventory, now, &RuleConfig::default())
            .into_iter()
            .filter(|f| f.rule == RuleId::DuplicatePermissions)
            .map(|f| f.token_id)
            .collect();
        assert_eq!(found, vec![1, 2, 3, 4, 5, 7, 8]);
    }
}
