//! How each table column shows a token: the access summary, the live expiry, the successor of a reset token
//! and the masked token. Pure functions of the data and the injected clock.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};

use crate::api::{
    AccessLevel, ApiToken, OpaqueResource, Resource, ResourceKind, ResourceNode, Scalar,
};
use crate::text::{SafeStr, SafeText};

/// Resource names from the permissions tree, by what the resource is (so `sending_domain` 3 and `domain` 3
/// find the same name) and id.
#[derive(Clone, Debug, Default)]
pub struct ResourceNames {
    by_resource: HashMap<(ResourceKind, i64), String>,
}

impl ResourceNames {
    pub fn from_tree(roots: &[ResourceNode]) -> Self {
        let mut by_resource = HashMap::new();
        ResourceNode::walk(roots, |node, _| {
            if !node.name.is_empty() {
                by_resource.insert(
                    (node.resource_type.kind(), node.id),
                    crate::text::sanitize(&node.name),
                );
            }
        });
        Self { by_resource }
    }

    pub fn name(&self, resource: &Resource) -> Option<&str> {
        self.by_resource
            .get(&(resource.resource_type.kind(), resource.resource_id))
            .map(String::as_str)
    }
}

fn level_word(level: AccessLevel) -> String {
    level.to_string()
}

use crate::text::capitalized;

/// The access a person reads at a glance: `Account admin`, `Domain admin · example.com`,
/// `Viewer · 3 resources`; an unknown resource type is shown as the server spelled it. Raw text: made
/// safe as a whole by `token_access`, the one way out of here.
fn access_summary(resources: &[Resource], names: &ResourceNames) -> String {
    match resources {
        [] => "No access".to_string(),
        [one] => {
            let kind = one.resource_type.kind();
            let what = if kind == ResourceKind::Other {
                one.resource_type.as_str().to_string()
            } else {
                kind.label().to_string()
            };
            let head = format!("{what} {}", level_word(one.access_level));
            match kind {
                ResourceKind::Account | ResourceKind::Organization => head,
                _ => match names.name(one) {
                    Some(name) => format!("{head} · {name}"),
                    None => format!("{head} · #{}", one.resource_id),
                },
            }
        }
        many => {
            // Account-wide access outweighs anything listed beside it.
            if let Some(account) = many
                .iter()
                .find(|r| r.resource_type.kind() == ResourceKind::Account)
            {
                return format!(
                    "Account {} +{}",
                    level_word(account.access_level),
                    many.len() - 1
                );
            }
            let mut levels: Vec<AccessLevel> = many.iter().map(|r| r.access_level).collect();
            levels.sort_unstable_by(|a, b| b.cmp(a));
            levels.dedup();
            if let [level] = levels.as_slice() {
                format!(
                    "{} · {} resources",
                    capitalized(&level_word(*level)),
                    many.len()
                )
            } else {
                // Highest level first, so the widest grant is what the eye meets: `Mixed · 1 admin, 2 viewer`.
                let parts: Vec<String> = levels
                    .iter()
                    .map(|level| {
                        let n = many.iter().filter(|r| r.access_level == *level).count();
                        format!("{n} {}", level_word(*level))
                    })
                    .collect();
                format!("Mixed · {}", parts.join(", "))
            }
        }
    }
}

/// A permission kept as the server sent it: `Account superuser · #1`, `Project admin · #proj-7`.
fn opaque_text(r: &OpaqueResource) -> String {
    let kind = r.resource_type.kind();
    let what = if kind == ResourceKind::Other {
        r.resource_type.as_str().to_string()
    } else {
        kind.label().to_string()
    };
    let level = match &r.access_level {
        Scalar::Int(i) => AccessLevel(*i).to_string(),
        Scalar::Text(t) => match AccessLevel::parse(t) {
            Some(level) => level.to_string(),
            None => t.clone(),
        },
    };
    let id = r.resource_id.to_string();
    format!("{what} {level} · #{id}")
}

/// The access column of a token, its opaque permissions included.
pub fn token_access(token: &ApiToken, names: &ResourceNames) -> SafeText {
    let text = match (token.resources.as_slice(), &*token.opaque_resources) {
        (typed, []) => access_summary(typed, names),
        ([], [one]) => opaque_text(one),
        ([], many) => format!("{} permissions as sent", many.len()),
        (typed, odd) => format!("{} +{} as sent", access_summary(typed, names), odd.len()),
    };
    SafeText::from(text)
}

pub use crate::hygiene::lineage::{successor_pairs, successors};

/// How urgent an expiry is; every level but `Calm` has a symbol as well as a colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Urgency {
    Calm,
    /// Under 24 h in a reset grace, under 7 d for an ordinary expiry.
    Soon,
    /// Under 1 h.
    Critical,
    Expired,
}

impl Urgency {
    pub fn symbol(self) -> &'static str {
        match self {
            Urgency::Calm => "",
            Urgency::Soon => "⏳",
            Urgency::Critical => "⚠",
            Urgency::Expired => "✖",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExpiryText {
    pub text: String,
    pub urgency: Urgency,
    /// The text changes every second, so the screen needs a 1 Hz tick while this row is visible.
    pub ticking: bool,
}

/// The Expires column at `now`. `in_grace`: the token was reset and counts down its last 12 hours.
pub fn expiry_text(
    expires_at: Option<DateTime<Utc>>,
    in_grace: bool,
    now: DateTime<Utc>,
) -> ExpiryText {
    let Some(at) = expires_at else {
        return ExpiryText {
            text: "never".into(),
            urgency: Urgency::Calm,
            ticking: false,
        };
    };
    let left = at - now;
    if left <= Duration::zero() {
        return ExpiryText {
            text: format!("expired {} ago", coarse(now - at)),
            urgency: Urgency::Expired,
            ticking: now - at < Duration::minutes(1),
        };
    }
    let warn_under = if in_grace {
        Duration::hours(24)
    } else {
        Duration::days(7)
    };
    let urgency = if left < Duration::hours(1) {
        Urgency::Critical
    } else if left < warn_under {
        Urgency::Soon
    } else {
        Urgency::Calm
    };
    if in_grace {
        let secs = left.num_seconds();
        ExpiryText {
            text: format!(
                "resets in {}:{:02}:{:02}",
                secs / 3600,
                secs % 3600 / 60,
                secs % 60
            ),
            urgency,
            ticking: true,
        }
    } else {
        ExpiryText {
            text: format!("in {}", coarse(left)),
            urgency,
            ticking: left < Duration::hours(1),
        }
    }
}

/// `23d`, `30h`, `42m`, `9s`: the largest unit that keeps two significant steps.
fn coarse(d: Duration) -> String {
    if d >= Duration::hours(48) {
        format!("{}d", d.num_days())
    } else if d >= Duration::hours(1) {
        format!("{}h", d.num_hours())
    } else if d >= Duration::minutes(1) {
        format!("{}m", d.num_minutes())
    } else {
        format!("{}s", d.num_seconds().max(0))
    }
}

/// The Token column: the last four characters the API shows, never more.
pub fn masked_token(last_4_digits: &str) -> SafeText {
    // Made per row drawn: one allocation when the digits are safe as sent.
    match SafeStr::checked(last_4_digits) {
        Some(digits) => digits.after("…"),
        None => SafeText::new(last_4_digits).after("…"),
    }
}

/// What the Creator column shows for a token the server names no creator of.
pub const NO_CREATOR: &str = "—";

/// The server names no creator of the token: the Creator column shows `NO_CREATOR`.
pub fn creator_is_blank(created_by: &str) -> bool {
    created_by.trim().is_empty()
}

/// The Creator column: `System` for auto-created domain tokens, as the server says.
pub fn creator(created_by: &str) -> SafeText {
    if creator_is_blank(created_by) {
        SafeText::literal(NO_CREATOR)
    } else {
        SafeText::new(created_by)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{ResourceType, TokenId};
    use chrono::TimeZone;

    fn res(t: &str, id: i64, level: i64) -> Resource {
        Resource {
            resource_type: ResourceType::new(t),
            resource_id: id,
            access_level: AccessLevel(level),
        }
    }

    fn token(id: TokenId, name: &str) -> ApiToken {
        ApiToken {
            id,
            name: name.into(),
            last_4_digits: "dcf7".into(),
            created_by: "me".into(),
            expires_at: None,
            resources: Default::default(),
            opaque_resources: Default::default(),
        }
    }

    #[test]
    fn summaries_read_at_a_glance() {
        let tree: Vec<ResourceNode> = serde_json::from_str(
            r#"[{"id":1,"name":"Account","type":"account","access_level":100,"resources":[
                {"id":3,"name":"example.com","type":"domain","access_level":100,"resources":[]}]}]"#,
        )
        .unwrap();
        let names = ResourceNames::from_tree(&tree);
        assert_eq!(
            access_summary(&[res("account", 1, 100)], &names),
            "Account admin"
        );
        assert_eq!(
            access_summary(&[res("sending_domain", 3, 100)], &names),
            "Domain admin · example.com"
        );
        assert_eq!(
            access_summary(&[res("project", 9, 10)], &names),
            "Project viewer · #9"
        );
        assert_eq!(
            access_summary(
                &[
                    res("sandbox", 8, 10),
                    res("project", 9, 100),
                    res("domain", 3, 10)
                ],
                &names
            ),
            "Mixed · 1 admin, 2 viewer"
        );
        assert_eq!(
            access_summary(
                &[
                    res("project", 9, 10),
                    res("sandbox", 8, 10),
                    res("domain", 3, 10)
                ],
                &names
            ),
            "Viewer · 3 resources"
        );
        assert_eq!(
            access_summary(&[res("quantum_widget", 42, 77)], &names),
            "quantum_widget level 77 · #42"
        );
        assert_eq!(access_summary(&[], &names), "No access");
    }

    #[test]
    fn successors_follow_the_name_plus_id_rule() {
        let tokens = vec![
            token(10, "ci-deploy"),
            token(20, "ci-deploy 20"),
            token(5, "other 10"), // names an older id: not a successor
            token(30, "unrelated"),
        ];
        let s = successors(&tokens);
        assert_eq!(s.get(&10), Some(&1));
        assert_eq!(s.len(), 1);
    }

    #[test]
    fn expiry_reads_live() {
        let now = Utc.with_ymd_and_hms(2026, 5, 1, 12, 0, 0).unwrap();
        let grace = expiry_text(
            Some(now + Duration::seconds(11 * 3600 + 59 * 60 + 12)),
            true,
            now,
        );
        assert_eq!(grace.text, "resets in 11:59:12");
        assert_eq!(grace.urgency, Urgency::Soon);
        assert!(grace.ticking);
        let far = expiry_text(
            Some(now + Duration::days(23) + Duration::hours(2)),
            false,
            now,
        );
        assert_eq!((far.text.as_str(), far.urgency), ("in 23d", Urgency::Calm));
        let week = expiry_text(Some(now + Duration::days(3)), false, now);
        assert_eq!(week.urgency, Urgency::Soon);
        let hours = expiry_text(Some(now + Duration::hours(5)), false, now);
        assert_eq!(hours.text, "in 5h");
        let critical = expiry_text(Some(now + Duration::minutes(30)), false, now);
        assert_eq!(critical.urgency, Urgency::Critical);
        assert!(critical.ticking);
        let gone = expiry_text(Some(now - Duration::hours(2)), false, now);
        assert_eq!(
            (gone.text.as_str(), gone.urgency),
            ("expired 2h ago", Urgency::Expired)
        );
        assert_eq!(expiry_text(None, false, now).text, "never");
    }
}
