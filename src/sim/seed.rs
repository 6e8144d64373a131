//! The seed file: one account with its projects, sandboxes, sending domains, tokens, users and invites.
//! Expiries are offsets from the simulator clock's start, so a frozen clock gives identical data every run.

use std::collections::HashSet;

use serde::Deserialize;

/// The demo account every `serve` and test starts from unless told otherwise.
pub const EMBEDDED_SEED: &str = include_str!("../../assets/seed.json");

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Seed {
    pub account: SeedAccount,
    /// The person tokens issued directly by tests are attributed to.
    pub owner_name: String,
    pub operator_token_id: i64,
    #[serde(default)]
    pub projects: Vec<SeedProject>,
    #[serde(default)]
    pub domains: Vec<SeedDomain>,
    #[serde(default)]
    pub tokens: Vec<SeedToken>,
    #[serde(default)]
    pub users: Vec<SeedUser>,
    #[serde(default)]
    pub invites: Vec<SeedInvite>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedAccount {
    pub id: i64,
    pub name: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedProject {
    pub id: i64,
    pub name: String,
    #[serde(default)]
    pub sandboxes: Vec<SeedSandbox>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedSandbox {
    pub id: i64,
    pub name: String,
}

/// A sending domain; its auto-created token `"<domain> token <token_id>"` (Domain Admin, by `System`) is added
/// for it (spec §5).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedDomain {
    pub id: i64,
    pub name: String,
    pub token_id: i64,
    #[serde(default)]
    pub token_last_4_digits: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedResource {
    pub resource_type: String,
    pub resource_id: i64,
    pub access_level: i64,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedToken {
    pub id: i64,
    pub name: String,
    pub created_by: String,
    /// Hours from the clock's start; negative = already expired; absent or null = never expires.
    #[serde(default)]
    pub expires_in_hours: Option<f64>,
    /// The token was reset earlier and is in its 12-hour grace (its successor is another seed token).
    #[serde(default)]
    pub reset: bool,
    /// Fixed so that lists are identical between runs; the rest of the secret is random.
    #[serde(default)]
    pub last_4_digits: Option<String>,
    /// May be empty: the API refuses to make a token without permissions, but a list can still carry one
    /// (the demo shows what the console makes of it).
    pub resources: Vec<SeedResource>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedUser {
    pub access_id: i64,
    pub id: i64,
    pub name: String,
    pub email: String,
    #[serde(default)]
    pub two_factor_authentication_enabled: bool,
    pub resources: Vec<SeedResource>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedInvite {
    pub access_id: i64,
    pub id: i64,
    pub email: String,
    pub resources: Vec<SeedResource>,
}

impl Seed {
    /// Parses and checks a seed; the error says what is wrong in words (the caller adds the file name).
    pub fn parse(text: &str) -> Result<Seed, String> {
        let seed: Seed = serde_json::from_str(text).map_err(|e| e.to_string())?;
        seed.check()?;
        Ok(seed)
    }

    fn check(&self) -> Result<(), String> {
        let mut token_ids = HashSet::new();
        for id in self
            .tokens
            .iter()
            .map(|t| t.id)
            .chain(self.domains.iter().map(|d| d.token_id))
        {
            if id <= 0 || !token_ids.insert(id) {
                return Err(format!("token id {id} is not positive or is used twice"));
            }
        }
        let mut resource_ids = HashSet::new();
        for (kind, id) in self
            .projects
            .iter()
            .map(|p| ("project", p.id))
            .chain(
                self.projects
                    .iter()
                    .flat_map(|p| p.sandboxes.iter().map(|s| ("sandbox", s.id))),
            )
            .chain(self.domains.iter().map(|d| ("domain", d.id)))
        {
            if !resource_ids.insert((kind, id)) {
                return Err(format!("{kind} id {id} is used twice"));
            }
        }
        let mut access_ids = HashSet::new();
        for id in self
            .users
            .iter()
            .map(|u| u.access_id)
            .chain(self.invites.iter().map(|i| i.access_id))
        {
            if !access_ids.insert(id) {
                return Err(format!("access id {id} is used twice"));
            }
        }
        let resources = self
            .tokens
            .iter()
            .map(|t| (format!("token {}", t.id), &t.resources))
            .chain(
                self.users
                    .iter()
                    .map(|u| (format!("user {}", u.id), &u.resources)),
            )
            .chain(
                self.invites
                    .iter()
                    .map(|i| (format!("invite {}", i.id), &i.resources)),
            );
        for (owner, list) in resources {
            for r in list {
                let known = match r.resource_type.as_str() {
                    "account" | "organization" => true,
                    "project" => resource_ids.contains(&("project", r.resource_id)),
                    "sandbox" | "inbox" => resource_ids.contains(&("sandbox", r.resource_id)),
                    "domain" | "sending_domain" | "mailsend_domain" => {
                        resource_ids.contains(&("domain", r.resource_id))
                    }
                    _ => false,
                };
                if !known {
                    return Err(format!(
                        "{owner}: resource {} {} is not in the seed",
                        r.resource_type, r.resource_id
                    ));
                }
                if ![10, 50, 100, 1000].contains(&r.access_level) {
                    return Err(format!(
                        "{owner}: access_level {} is not 10, 50, 100 or 1000",
                        r.access_level
                    ));
                }
            }
        }
        for t in &self.tokens {
            if let Some(l4) = &t.last_4_digits
                && !is_last4(l4)
            {
                return Err(format!(
                    "token {}: last_4_digits {l4:?} is not 4 lowercase hex characters",
                    t.id
                ));
            }
            if t.expires_in_hours
                .is_some_and(|h| !h.is_finite() || h.abs() > 1e6)
            {
                return Err(format!("token {}: expires_in_hours is out of range", t.id));
            }
        }
        for d in &self.domains {
            if let Some(l4) = &d.token_last_4_digits
                && !is_last4(l4)
            {
                return Err(format!(
                    "domain {}: token_last_4_digits {l4:?} is not 4 lowercase hex characters",
                    d.id
                ));
            }
        }
        let operator = self
            .tokens
            .iter()
            .find(|t| t.id == self.operator_token_id)
            .ok_or_else(|| {
                format!(
                    "operator_token_id {} names no token in \"tokens\"",
                    self.operator_token_id
                )
            })?;
        let is_account_admin = operator.resources.iter().any(|r| {
            r.resource_type == "account"
                && r.resource_id == self.account.id
                && r.access_level >= 100
        });
        if !is_account_admin || operator.expires_in_hours.is_some() || operator.reset {
            return Err(format!(
                "the operator token {} must be an account admin that never expires",
                operator.id
            ));
        }
        Ok(())
    }
}

fn is_last4(text: &str) -> bool {
    text.len() == 4
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// A stable `last_4_digits` for a token the seed gives none.
pub fn stable_last4(id: i64) -> String {
    let mixed = (id as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 48;
    format!("{:04x}", mixed & 0xffff)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_seed_is_valid() {
        let seed = Seed::parse(EMBEDDED_SEED).unwrap();
        assert_eq!(seed.account.name, "Acme Corp");
        assert_eq!(seed.domains.len(), 3);
    }

    #[test]
    fn a_bad_seed_says_what_is_wrong() {
        let err = Seed::parse(
            r#"{"account":{"id":1,"name":"A"},"owner_name":"O","operator_token_id":5}"#,
        )
        .unwrap_err();
        assert!(err.contains("operator_token_id 5"), "{err}");
        let err = Seed::parse("{").unwrap_err();
        assert!(err.contains("line 1"), "{err}");
    }
}
