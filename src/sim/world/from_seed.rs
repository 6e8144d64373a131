//! Building the world from a seed (see `sim::seed` for the file format): its accounts, the organization
//! and its tokens, plus `serve --tokens N`'s synthetic tokens and `serve --accounts N`'s synthetic accounts.

use chrono::{DateTime, Utc};
use serde_json::json;

use crate::api::{AccessLevel, Resource, ResourceType};
use crate::sim::options::DefaultExpiry;
use crate::sim::seed::{AccountSeed, Seed, SeedResource, SeedToken, stable_last4};

use super::input::stored_type;
use super::store::{
    AccountData, Organization, OtherAccess, Project, TokenFields, TokenRecord, UNNUMBERED, World,
};

fn seed_resources(list: &[SeedResource]) -> Vec<Resource> {
    list.iter()
        .map(|r| Resource {
            resource_type: stored_type(&r.resource_type),
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
/// guess: the id of the organization `serve --accounts N` makes when the seed has none.
const SYNTHETIC_ORGANIZATION_ID: i64 = 88_900;

/// What a world starts with beyond its seed.
#[derive(Clone, Copy, Debug)]
pub struct Synthetic {
    /// Synthetic tokens in the first account (`serve --tokens N`).
    pub tokens: usize,
    /// Synthetic sub-accounts (`serve --accounts N`)…
    pub accounts: usize,
    /// …with this many synthetic tokens each (`serve --account-tokens M`).
    pub tokens_per_account: usize,
}

/// A world just built, with the only secrets anybody is told.
pub struct Built {
    pub world: World,
    /// The seeded operator's token.
    pub operator: String,
    /// The organization token the demo runs as, when there is an organization.
    pub organization_token: Option<(i64, String)>,
}

fn account_data(a: &AccountSeed<'_>) -> AccountData {
    let projects = a
        .projects
        .iter()
        .map(|p| Project {
            id: p.id,
            name: p.name.clone(),
            sandboxes: p.sandboxes.iter().map(|s| (s.id, s.name.clone())).collect(),
        })
        .collect();
    let domains = a.domains.iter().map(|d| (d.id, d.name.clone())).collect();
    let mut data = AccountData::new(a.account.id, a.account.name.clone(), projects, domains);
    for u in a.users {
        data.others.push(OtherAccess {
            access_id: u.access_id,
            specifier_type: "User",
            specifier: json!({"id": u.id, "email": u.email, "name": u.name,
                "two_factor_authentication_enabled": u.two_factor_authentication_enabled}),
            resources: seed_resources(&u.resources),
        });
    }
    for i in a.invites {
        data.others.push(OtherAccess {
            access_id: i.access_id,
            specifier_type: "Invite",
            specifier: json!({"id": i.id, "email": i.email}),
            resources: seed_resources(&i.resources),
        });
    }
    data
}

fn seed_token_fields(t: &SeedToken, start: DateTime<Utc>, home: Option<i64>) -> TokenFields {
    TokenFields {
        name: t.name.clone(),
        created_by: t.created_by.clone(),
        expires_at: t.expires_in_hours.map(|h| start + hours(h)),
        resources: seed_resources(&t.resources),
        reset: t.reset,
        home,
    }
}

impl World {
    /// Builds the world from a seed; the seed's relative expiries count from `start`.
    pub fn from_seed(
        seed: &Seed,
        start: DateTime<Utc>,
        synthetic: Synthetic,
        default_expiry: DefaultExpiry,
        cleanup_after: chrono::Duration,
    ) -> Built {
        let accounts = seed.accounts();
        let mut world = World::empty(
            account_data(&accounts[0]),
            seed.owner_name.clone(),
            default_expiry,
            cleanup_after,
        );
        world
            .accounts
            .extend(accounts.iter().skip(1).map(account_data));
        world.organization = seed.organization.as_ref().map(|o| Organization {
            id: o.id,
            name: o.name.clone(),
        });
        let mut operator = String::new();
        let mut organization_token = None;
        for a in &accounts {
            let home = Some(a.account.id);
            for t in a.tokens {
                let fields = seed_token_fields(t, start, home);
                let secret = world.add_seeded_token(t.id, fields, t.last_4_digits.as_deref());
                if t.id == seed.operator_token_id && home == Some(seed.account.id) {
                    operator = secret;
                }
            }
            for d in a.domains {
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
                    home,
                };
                world.add_seeded_token(d.token_id, fields, d.token_last_4_digits.as_deref());
            }
        }
        for t in &seed.organization_tokens {
            let fields = seed_token_fields(t, start, None);
            let secret = world.add_seeded_token(t.id, fields, t.last_4_digits.as_deref());
            if seed.demo_token_id == Some(t.id) {
                organization_token = Some((t.id, secret));
            }
        }
        // Sub-accounts' seeded ids sit below the first account's, so new tokens get the ids they always had.
        world.next_token_id = world.next_free_token_id();
        let primary = world.primary_account_id();
        world.add_synthetic_tokens(primary, synthetic.tokens, start);
        if synthetic.accounts > 0 {
            organization_token =
                Some(world.add_synthetic_accounts(synthetic, start, organization_token));
        }
        let max_other = world
            .accounts
            .iter()
            .flat_map(|a| a.others.iter().map(|o| o.access_id))
            .max()
            .unwrap_or(0);
        world.next_access_id = max_other.max(FIRST_TOKEN_ACCESS_ID) + 1;
        // Numbered in id order, the first account's tokens first (their access ids are what they were
        // before there were other accounts), whatever order the seed lists them in.
        let (first, rest): (Vec<&TokenRecord>, Vec<&TokenRecord>) =
            world.tokens.values().partition(|t| t.home == Some(primary));
        let ids: Vec<i64> = first.iter().chain(rest.iter()).map(|t| t.id).collect();
        for id in ids {
            let access_id = world.take_access_id();
            if let Some(t) = world.tokens.get_mut(&id) {
                t.access_id = access_id;
            }
        }
        world.next_token_id = world.next_free_token_id();
        Built {
            world,
            operator,
            organization_token,
        }
    }

    /// `serve --accounts N`: N empty sub-accounts "Synthetic account k", each with synthetic tokens; the
    /// organization (made if the seed has none) and its demo token, which gets admin on each of them.
    fn add_synthetic_accounts(
        &mut self,
        synthetic: Synthetic,
        start: DateTime<Utc>,
        demo: Option<(i64, String)>,
    ) -> (i64, String) {
        let organization = match &self.organization {
            Some(o) => o.id,
            None => {
                self.organization = Some(Organization {
                    id: SYNTHETIC_ORGANIZATION_ID,
                    name: "Synthetic organization".into(),
                });
                SYNTHETIC_ORGANIZATION_ID
            }
        };
        let mut granted = Vec::new();
        for k in 1..=synthetic.accounts {
            let id = self.next_account_id();
            self.accounts.push(AccountData::new(
                id,
                format!("Synthetic account {k}"),
                vec![],
                vec![],
            ));
            self.add_synthetic_tokens(id, synthetic.tokens_per_account, start);
            granted.push(Resource {
                resource_type: ResourceType::new("account"),
                resource_id: id,
                access_level: AccessLevel::ADMIN,
            });
        }
        match demo {
            Some((id, secret)) => {
                if let Some(t) = self.tokens.get_mut(&id) {
                    t.resources.extend(granted);
                }
                (id, secret)
            }
            None => {
                // guess: like the seed's organization token, admin of the first account too.
                let mut resources = vec![
                    Resource {
                        resource_type: ResourceType::new("organization"),
                        resource_id: organization,
                        access_level: AccessLevel::VIEWER,
                    },
                    Resource {
                        resource_type: ResourceType::new("account"),
                        resource_id: self.primary_account_id(),
                        access_level: AccessLevel::ADMIN,
                    },
                ];
                resources.extend(granted);
                let id = self.take_token_id();
                let fields = TokenFields {
                    name: "Organization console".into(),
                    created_by: self.owner_name.clone(),
                    expires_at: None,
                    resources,
                    reset: false,
                    home: None,
                };
                (id, self.add_seeded_token(id, fields, None))
            }
        }
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

    /// `serve --tokens N` (and each synthetic account's tokens): deterministic names, creators, resources
    /// and expiries in `account`; some in reset grace.
    fn add_synthetic_tokens(&mut self, account: i64, count: usize, start: DateTime<Utc>) {
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
        let Some(data) = self.account(account) else {
            return;
        };
        let sandboxes: Vec<i64> = data
            .projects
            .iter()
            .flat_map(|p| p.sandboxes.iter().map(|s| s.0))
            .collect();
        let projects: Vec<i64> = data.projects.iter().map(|p| p.id).collect();
        let domains: Vec<i64> = data.domains.iter().map(|d| d.0).collect();
        let home = Some(account);
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
                home,
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
                    home,
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
