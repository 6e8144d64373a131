//! The inventory's hygiene findings, made once per data change (a new list, tree or own token), never
//! per frame: for the findings view, the Findings column and the details.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use crate::api::TokenId;
use crate::hygiene::{Finding, Inventory, RuleConfig, findings};

use super::table::{FindingSummary, TokenTable};

#[derive(Debug, Default)]
pub struct Hygiene {
    pub rules: RuleConfig,
    pub findings: Vec<Finding>,
    /// Where each token's findings are in `findings`, so the details find them without a scan.
    positions: HashMap<TokenId, Vec<usize>>,
    /// The data the findings were made from: the table's generation and the own token's last four.
    made_for: Option<(u64, Option<String>)>,
    /// Counts the times the findings were made, so the findings view knows when to make its rows again.
    revision: u64,
}

impl Hygiene {
    pub fn new(rules: RuleConfig) -> Self {
        Self {
            rules,
            ..Self::default()
        }
    }

    /// Whether the findings are those of the data as it is now.
    pub fn is_current(&self, table: &TokenTable, own_last4: Option<&str>) -> bool {
        self.made_for
            .as_ref()
            .is_some_and(|(g, own)| *g == table.generation() && own.as_deref() == own_last4)
    }

    /// Makes the findings again if the data changed since they were made; true when it did.
    pub fn ensure(
        &mut self,
        table: &mut TokenTable,
        own_last4: Option<&str>,
        now: DateTime<Utc>,
    ) -> bool {
        if self.is_current(table, own_last4) {
            return false;
        }
        let inventory = Inventory {
            tokens: table.readable_rows(),
            tree: &table.tree,
            own_last4,
        };
        self.findings = findings(&inventory, now, &self.rules);
        let mut by_token: HashMap<TokenId, FindingSummary> = HashMap::new();
        self.positions.clear();
        for (at, f) in self.findings.iter().enumerate() {
            self.positions.entry(f.token_id).or_default().push(at);
            let summary = by_token.entry(f.token_id).or_insert(FindingSummary {
                worst: f.severity(),
                count: 0,
            });
            summary.worst = summary.worst.max(f.severity());
            summary.count += 1;
        }
        table.set_finding_summaries(&by_token);
        self.made_for = Some((table.generation(), own_last4.map(str::to_string)));
        self.revision = self.revision.wrapping_add(1);
        true
    }

    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// The findings about one token, worst first.
    pub fn of(&self, token: TokenId) -> impl Iterator<Item = &Finding> {
        self.positions
            .get(&token)
            .into_iter()
            .flatten()
            .filter_map(|&at| self.findings.get(at))
    }
}
