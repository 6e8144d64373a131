//! The inventory's hygiene findings, made once per data change (a new list, tree or own token), never
//! per frame: for the findings view, the Findings column and the details.

use chrono::{DateTime, Utc};

use crate::api::TokenId;
use crate::hygiene::{Finding, Inventory, RuleConfig, findings};

use super::table::{FindingSummary, TokenTable};

#[derive(Debug, Default)]
pub struct Hygiene {
    pub rules: RuleConfig,
    pub findings: Vec<Finding>,
    /// Where the findings are in `findings`, by token (then worst first): the details find a token's
    /// with a binary search, and 100,000 tokens cost one index each rather than a map's entry and list.
    by_token: Vec<u32>,
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
        self.findings = Vec::new();
        self.by_token = Vec::new();
        self.findings = findings(&inventory, now, &self.rules);
        let found = &self.findings;
        let mut by_token: Vec<u32> = (0..found.len())
            .filter_map(|at| u32::try_from(at).ok())
            .collect();
        // Stable, so a token's findings keep the worst-first order they are made in.
        by_token.sort_by_key(|&at| found[at as usize].token_id);
        self.by_token = by_token;
        table.set_finding_summaries(|token| self.summary(token));
        self.made_for = Some((table.generation(), own_last4.map(str::to_string)));
        self.revision = self.revision.wrapping_add(1);
        true
    }

    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// The findings about one token, worst first.
    pub fn of(&self, token: TokenId) -> impl Iterator<Item = &Finding> {
        let id_at = |at: &u32| self.findings.get(*at as usize).map(|f| f.token_id);
        let start = self.by_token.partition_point(|at| id_at(at) < Some(token));
        self.by_token[start..].iter().map_while(move |&at| {
            self.findings
                .get(at as usize)
                .filter(|f| f.token_id == token)
        })
    }

    /// The worst of a token's findings and how many there are; `None` when it has none.
    fn summary(&self, token: TokenId) -> Option<FindingSummary> {
        self.of(token).fold(None, |summary, f| {
            Some(match summary {
                None => FindingSummary {
                    worst: f.severity(),
                    count: 1,
                },
                Some(FindingSummary { worst, count }) => FindingSummary {
                    worst: worst.max(f.severity()),
                    count: count + 1,
                },
            })
        })
    }
}
