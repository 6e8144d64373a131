//! The seed file: one account with its projects, sandboxes, sending domains, tokens, users and invites,
//! and optionally an organization it belongs to, with more accounts of the same shape (`sub_accounts`)
//! and the organization's own tokens. Expiries are offsets from the simulator clock's start, so a frozen
//! clock gives identical data every run.

use std::collections::{HashMap, HashSet};

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
    /// The organization every account of the seed belongs to; without it, the seed is one standalone
    /// account.
    #[serde(default)]
    pub organization: Option<SeedOrganization>,
    /// The organization's other accounts, after the top-level one.
    #[serde(default)]
    pub sub_accounts: Vec<SeedSubAccount>,
    /// Tokens of the organization itself: listed in no account.
    #[serde(default)]
    pub organization_tokens: Vec<SeedToken>,
    /// The organization token the demo's organization view runs as (`RunningSim::organization_token`).
    #[serde(default)]
    pub demo_token_id: Option<i64>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedOrganization {
    pub id: i64,
    pub name: String,
}

/// One more account of the organization: the same fields as the top level's account.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedSubAccount {
    pub account: SeedAccount,
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

/// One account of a seed, the top-level one or a sub-account, read the same way.
#[derive(Clone, Copy, Debug)]
pub struct AccountSeed<'a> {
    pub account: &'a SeedAccount,
    pub projects: &'a [SeedProject],
    pub domains: &'a [SeedDomain],
    pub tokens: &'a [SeedToken],
    pub users: &'a [SeedUser],
    pub invites: &'a [SeedInvite],
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

    /// Every account of the seed, the top-level one first.
    pub fn accounts(&self) -> Vec<AccountSeed<'_>> {
        let first = AccountSeed {
            account: &self.account,
            projects: &self.projects,
            domains: &self.domains,
            tokens: &self.tokens,
            users: &self.users,
            invites: &self.invites,
        };
        let rest = self.sub_accounts.iter().map(|s| AccountSeed {
            account: &s.account,
            projects: &s.projects,
            domains: &s.domains,
            tokens: &s.tokens,
            users: &s.users,
            invites: &s.invites,
        });
        std::iter::once(first).chain(rest).collect()
    }

    fn check(&self) -> Result<(), String> {
        let accounts = self.accounts();
        if self.organization.is_none()
            && (!self.sub_accounts.is_empty()
                || !self.organization_tokens.is_empty()
                || self.demo_token_id.is_some())
        {
            return Err(
                "sub_accounts, organization_tokens and demo_token_id need an \"organization\""
                    .into(),
            );
        }
        let mut account_ids = HashSet::new();
        for a in &accounts {
            if a.account.id <= 0 || !account_ids.insert(a.account.id) {
                return Err(format!(
                    "account id {} is not positive or is used twice",
                    a.account.id
                ));
            }
        }
        // Ids are unique across the whole seed: one id space per kind, as the simulator has.
        let mut token_ids = HashSet::new();
        let all_token_ids = accounts
            .iter()
            .flat_map(|a| {
                a.tokens
                    .iter()
                    .map(|t| t.id)
                    .chain(a.domains.iter().map(|d| d.token_id))
            })
            .chain(self.organization_tokens.iter().map(|t| t.id));
        for id in all_token_ids {
            if id <= 0 || !token_ids.insert(id) {
                return Err(format!("token id {id} is not positive or is used twice"));
            }
        }
        // (kind, id) → the account holding it.
        let mut holder: HashMap<(&str, i64), i64> = HashMap::new();
        for a in &accounts {
            let owned = a
                .projects
                .iter()
                .map(|p| ("project", p.id))
                .chain(
                    a.projects
                        .iter()
                        .flat_map(|p| p.sandboxes.iter().map(|s| ("sandbox", s.id))),
                )
                .chain(a.domains.iter().map(|d| ("domain", d.id)));
            for (kind, id) in owned {
                if holder.insert((kind, id), a.account.id).is_some() {
                    return Err(format!("{kind} id {id} is used twice"));
                }
            }
        }
        let mut access_ids = HashSet::new();
        for id in accounts.iter().flat_map(|a| {
            a.users
                .iter()
                .map(|u| u.access_id)
                .chain(a.invites.iter().map(|i| i.access_id))
        }) {
            if !access_ids.insert(id) {
                return Err(format!("access id {id} is used twice"));
            }
        }
        let organization = self.organization.as_ref().map(|o| o.id);
        // Where each resource line must point: `Some(account)` for a user's or invite's own account, `None`
        // for a token (which may reach other accounts, like the organization's tokens do).
        let check_resources = |owner: String, list: &[SeedResource], within: Option<i64>| {
            for r in list {
                // `Some(None)`: the organization, which holds every account.
                let account_of: Option<Option<i64>> = match r.resource_type.as_str() {
                    "account" => account_ids
                        .contains(&r.resource_id)
                        .then_some(Some(r.resource_id)),
                    "organization" => (Some(r.resource_id) == organization).then_some(None),
                    "project" => holder.get(&("project", r.resource_id)).copied().map(Some),
                    "sandbox" | "inbox" => {
                        holder.get(&("sandbox", r.resource_id)).copied().map(Some)
                    }
                    "domain" | "sending_domain" | "mailsend_domain" => {
                        holder.get(&("domain", r.resource_id)).copied().map(Some)
                    }
                    _ => None,
                };
                let known = match (account_of, within) {
                    (None, _) => false,
                    (Some(None), _) | (Some(Some(_)), None) => true,
                    (Some(Some(a)), Some(w)) => a == w,
                };
                if !known {
                    let place = within.map_or_else(String::new, |w| format!(" of account {w}"));
                    return Err(format!(
                        "{owner}: resource {} {} is not in the seed{place}",
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
            Ok(())
        };
        let all_tokens = accounts
            .iter()
            .flat_map(|a| a.tokens.iter())
            .chain(self.organization_tokens.iter());
        for t in all_tokens.clone() {
            check_resources(format!("token {}", t.id), &t.resources, None)?;
        }
        for a in &accounts {
            let own = Some(a.account.id);
            for u in a.users {
                check_resources(format!("user {}", u.id), &u.resources, own)?;
            }
            for i in a.invites {
                check_resources(format!("invite {}", i.id), &i.resources, own)?;
            }
        }
        for t in all_tokens {
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
        for d in accounts.iter().flat_map(|a| a.domains.iter()) {
            if let Some(l4) = &d.token_last_4_digits
                && !is_last4(l4)
            {
                return Err(format!(
                    "domain {}: token_last_4_digits {l4:?} is not 4 lowercase hex characters",
                    d.id
                ));
            }
        }
        if let Some(demo) = self.demo_token_id
            && !self.organization_tokens.iter().any(|t| t.id == demo)
        {
            return Err(format!(
                "demo_token_id {demo} names no token in \"organization_tokens\""
            ));
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

    #[test]
    fn the_embedded_seed_has_an_organization_of_three_accounts() {
        let seed = Seed::parse(EMBEDDED_SEED).unwrap();
        assert_eq!(seed.organization.as_ref().map(|o| o.id), Some(88100));
        let names: Vec<&str> = seed
            .accounts()
            .iter()
            .map(|a| a.account.name.as_str())
            .collect();
        assert_eq!(names, ["Acme Corp", "Acme Labs", "Acme Retail EU"]);
        assert_eq!(seed.demo_token_id, Some(2460001));
    }

    /// The embedded seed with one change made to its JSON.
    fn altered(change: impl FnOnce(&mut serde_json::Value)) -> Result<Seed, String> {
        let mut value: serde_json::Value = serde_json::from_str(EMBEDDED_SEED).unwrap();
        change(&mut value);
        Seed::parse(&value.to_string())
    }

    #[test]
    fn the_organization_parts_are_checked() {
        let err = altered(|v| {
            v.as_object_mut().unwrap().remove("organization");
        })
        .unwrap_err();
        assert!(err.contains("need an \"organization\""), "{err}");
        // A token id used in two accounts.
        let err =
            altered(|v| v["sub_accounts"][1]["tokens"][0]["id"] = 2491002.into()).unwrap_err();
        assert!(err.contains("token id 2491002"), "{err}");
        // A project id used in two accounts.
        let err =
            altered(|v| v["sub_accounts"][0]["projects"][0]["id"] = 2550469.into()).unwrap_err();
        assert!(err.contains("project id 2550469"), "{err}");
        // A user naming a project of another account.
        let err = altered(|v| {
            v["sub_accounts"][0]["users"][0]["resources"][0] =
                serde_json::json!({"resource_type": "project", "resource_id": 2550469, "access_level": 10})
        })
        .unwrap_err();
        assert!(err.contains("not in the seed of account 1931405"), "{err}");
        // A token naming an account or an organization that is not in the seed.
        let err =
            altered(|v| v["organization_tokens"][0]["resources"][2]["resource_id"] = 1.into())
                .unwrap_err();
        assert!(err.contains("organization 1"), "{err}");
        let err = altered(|v| {
            v["sub_accounts"][0]["tokens"][0]["resources"][0]["resource_id"] = 5.into()
        })
        .unwrap_err();
        assert!(err.contains("account 5"), "{err}");
        let err = altered(|v| v["demo_token_id"] = 2490101.into()).unwrap_err();
        assert!(err.contains("demo_token_id 2490101"), "{err}");
        // The older type spellings are accepted.
        altered(|v| {
            v["sub_accounts"][0]["tokens"][2]["resources"][0]["resource_type"] = "inbox".into()
        })
        .unwrap();
    }
}
