//! Building the world from a seed (see `sim::seed` for the file format), plus `serve --tokens N`'s
//! synthetic tokens.

use chrono::{DateTime, Utc};
use serde_json::json;

use crate::api::{AccessLevel, Resource, ResourceType};
use crate::sim::options::DefaultExpiry;
use crate::sim::seed::{Seed, SeedResource, stable_last4};

use super::store::{OtherAccess, Project, TokenFields, UNNUMBERED, World};

fn seed_resources(list: &[SeedResource]) -> Vec<Resource> {
    list.iter()
        .map(|r| Resource {
            resource_type: ResourceType::new(r.resource_type.clone()),
            resource_id: r.resource_id,
            access_level: AccessLevel(r.access_level),
        })
        .collect()
}

fn hours(h: f64) -> chrono::Duration {
    chrono::Duration::seconds((h * 3600.0).round() as i64)
}

/// Where token ids would start if the seed held none (it always holds the operator's).
const BEFORE_FIRST_TOKEN_ID: i64 = 2_490_000;
/// Token accesses live in their own id range, like production's (spec §8.2).
const FIRST_TOKEN_ACCESS_ID: i64 = 5_300_000;

impl World {
    /// Builds the world from a seed; the seed's relative expiries count from `start`. Also returns the secret
    /// of the operator token (the only one anybody is told).
    pub fn from_seed(
        seed: &Seed,
        start: DateTime<Utc>,
        extra_tokens: usize,
        default_expiry: DefaultExpiry,
        cleanup_after: chrono::Duration,
    ) -> (World, String) {
        let projects = seed
            .projects
            .iter()
            .map(|p| Project {
                id: p.id,
                name: p.name.clone(),
                sandboxes: p.sandboxes.iter().map(|s| (s.id, s.name.clone())).collect(),
            })
            .collect();
        let domains = seed
            .domains
            .iter()
            .map(|d| (d.id, d.name.clone()))
            .collect();
        let mut world = World::empty(
            seed.account.id,
            seed.account.name.clone(),
            seed.owner_name.clone(),
            projects,
            domains,
            default_expiry,
            cleanup_after,
        );
        for u in &seed.users {
            world.others.push(OtherAccess {
                access_id: u.access_id,
                specifier_type: "User",
                specifier: json!({"id": u.id, "email": u.email, "name": u.name,
                    "two_factor_authentication_enabled": u.two_factor_authentication_enabled}),
                resources: seed_resources(&u.resources),
            });
        }
        for i in &seed.invites {
            world.others.push(OtherAccess {
                access_id: i.access_id,
                specifier_type: "Invite",
                specifier: json!({"id": i.id, "email": i.email}),
                resources: seed_resources(&i.resources),
            });
        }
        let mut operator_secret = String::new();
        for t in &seed.tokens {
            let fields = TokenFields {
                name: t.name.clone(),
                created_by: t.created_by.clone(),
                expires_at: t.expires_in_hours.map(|h| start + hours(h)),
                resources: seed_resources(&t.resources),
                reset: t.reset,
            };
            let secret = world.add_seeded_token(t.id, fields, t.last_4_digits.as_deref());
            if t.id == seed.operator_token_id {
                operator_secret = secret;
            }
        }
        for d in &seed.domains {
            let fields = TokenFields {
                // spec §5: the auto-created token of a sending domain.
                name: format!("{} token {}", d.name, d.token_id),
                created_by: "System".into(),
                expires_at: None,
                resources: vec![Resource {
                    resource_type: ResourceType::new("domain"),
                    resource_id: d.id,
                    access_level: AccessLevel::ADMIN,
                }],
                reset: false,
            };
            world.add_seeded_token(d.token_id, fields, d.token_last_4_digits.as_deref());
        }
        world.next_token_id = world.next_free_token_id();
        world.add_synthetic_tokens(extra_tokens, start);
        let max_other = world.others.iter().map(|o| o.access_id).max().unwrap_or(0);
        world.next_access_id = max_other.max(FIRST_TOKEN_ACCESS_ID) + 1;
        // Numbered in id order, whatever order the seed lists them in.
        let ids: Vec<i64> = world.tokens.keys().copied().collect();
        for id in ids {
            let access_id = world.take_access_id();
            if let Some(t) = world.tokens.get_mut(&id) {
                t.access_id = access_id;
            }
        }
        world.next_token_id = world.next_free_token_id();
        (world, operator_secret)
    }

    /// A token from the seed or `--tokens`: its last four are fixed (`last4`, else derived from the id) so
    /// that lists are identical between runs; its access id comes once all tokens are in.
    fn add_seeded_token(&mut self, id: i64, fields: TokenFields, last4: Option<&str>) -> String {
        let last4 = last4.map_or_else(|| stable_last4(id), str::to_string);
        self.add_token(id, UNNUMBERED, fields, Some(&last4))
    }

    fn next_free_token_id(&self) -> i64 {
        self.tokens
            .keys()
            .max()
            .copied()
            .unwrap_or(BEFORE_FIRST_TOKEN_ID)
            + 1
    }

    /// `serve --tokens N`: deterministic names, creators, resources and expiries; some in reset grace.
    fn add_synthetic_tokens(&mut self, count: usize, start: DateTime<Utc>) {
        const WORDS: [&str; 12] = [
            "Billing",
            "Webhook",
            "Staging",
            "Analytics",
            "Mobile",
            "Backup",
            "Partner",
            "Import",
            "Export",
            "Monitoring",
            "Support",
            "Campaign",
        ];
        const KINDS: [&str; 6] = ["sync", "worker", "reader", "bot", "relay", "job"];
        const CREATORS: [&str; 5] = [
            "Dana Whitfield",
            "Marcus Oyelaran",
            "Priya Raman",
            "Operator console",
            "CI deploy bot",
        ];
        let account = self.account_id;
        let sandboxes: Vec<i64> = self
            .projects
            .iter()
            .flat_map(|p| p.sandboxes.iter().map(|s| s.0))
            .collect();
        let projects: Vec<i64> = self.projects.iter().map(|p| p.id).collect();
        let domains: Vec<i64> = self.domains.iter().map(|d| d.0).collect();
        let mut i = 0usize;
        let mut made = 0usize;
        while made < count {
            let id = self.take_token_id();
            let name = format!(
                "{} {} {}",
                WORDS[i % WORDS.len()],
                KINDS[(i / 3) % KINDS.len()],
                i + 1
            );
            let pick = |list: &[i64], n: usize| list.get(n % list.len().max(1)).copied();
            let (kind, rid, level) = match i % 5 {
                0 => ("account", Some(account), 10),
                1 => ("project", pick(&projects, i), 100),
                2 => ("sandbox", pick(&sandboxes, i), 10),
                3 => ("domain", pick(&domains, i), 10),
                _ => ("project", pick(&projects, i + 1), 10),
            };
            let (kind, rid) = match rid {
                Some(r) => (kind, r),
                None => ("account", account),
            };
            let in_grace = i % 9 == 4;
            let expires_at = if in_grace {
                Some(start + chrono::Duration::minutes(30 + (i as i64 * 47) % 660))
            } else {
                match i % 7 {
                    0 => None,
                    1 => Some(start - chrono::Duration::hours(1 + (i as i64 % 20))),
                    _ => Some(start + chrono::Duration::hours(6 + (i as i64 * 131) % 9000)),
                }
            };
            let resources = vec![Resource {
                resource_type: ResourceType::new(kind),
                resource_id: rid,
                access_level: AccessLevel(level),
            }];
            let fields = TokenFields {
                name: name.clone(),
                created_by: CREATORS[i % CREATORS.len()].to_string(),
                expires_at,
                resources: resources.clone(),
                reset: in_grace,
            };
            self.add_seeded_token(id, fields, None);
            made += 1;
            if in_grace && made < count {
                // A reset token's successor, as a reset would have made it.
                let successor = self.take_token_id();
                let fields = TokenFields {
                    name: format!("{name} {successor}"),
                    created_by: "Operator console".into(),
                    expires_at: Some(start + chrono::Duration::days(364)),
                    resources,
                    reset: false,
                };
                self.add_token(
                    successor,
                    UNNUMBERED,
                    fields,
                    Some(&stable_last4(successor)),
                );
                made += 1;
            }
            i += 1;
        }
    }
}
