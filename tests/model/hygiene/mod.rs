//! The hygiene rules against the simulator's demo seed, which holds a token for every rule: each rule
//! fires on the tokens it is about and on no other, the config's thresholds and switches change that, and
//! the texts are safe whatever the names.

mod hostile;
mod rules;
mod settings;

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use mailtrap_tokens::api::{ApiToken, ResourceNode};
use mailtrap_tokens::hygiene::{Finding, Inventory, RuleConfig, RuleId, findings};

use crate::support::{client, start};

/// The demo account as a client reads it, on the simulator's frozen clock.
pub struct Seeded {
    pub tokens: Vec<ApiToken>,
    pub tree: Vec<ResourceNode>,
    pub own_last4: String,
    pub now: DateTime<Utc>,
}

impl Seeded {
    pub async fn load() -> Seeded {
        let sim = start().await;
        let api = client(&sim);
        let account = sim.account_id();
        let tokens = api.list_tokens(account).await.unwrap().tokens;
        let tree = api.resource_tree(account).await.unwrap();
        let own_last4 = sim.operator_token().last4();
        let now = sim.now();
        sim.shutdown().await;
        Seeded {
            tokens,
            tree,
            own_last4,
            now,
        }
    }

    pub fn inventory(&self) -> Inventory<'_> {
        Inventory {
            tokens: &self.tokens,
            tree: &self.tree,
            own_last4: Some(&self.own_last4),
        }
    }

    pub fn findings(&self, config: &RuleConfig) -> Vec<Finding> {
        findings(&self.inventory(), self.now, config)
    }
}

/// The names of the tokens `rule` fired on.
pub fn fired_on(found: &[Finding], rule: RuleId) -> BTreeSet<String> {
    found
        .iter()
        .filter(|f| f.rule == rule)
        .map(|f| f.token_name.to_string())
        .collect()
}

pub fn names(list: &[&str]) -> BTreeSet<String> {
    list.iter().map(|n| n.to_string()).collect()
}
