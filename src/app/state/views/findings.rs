//! The findings view: every hygiene finding of the inventory, worst first; Enter goes to its token.

use std::cmp::Ordering;
use std::collections::HashMap;

use crate::api::TokenId;
use crate::hygiene::{Finding, RuleId, Severity};
use crate::text::{SafeText, SharedText};

use super::super::table::TokenTable;
use super::list::ListRow;

#[derive(Clone, Debug)]
pub struct FindingRow {
    pub severity: Severity,
    pub rule: RuleId,
    pub token_id: TokenId,
    pub token_name: SafeText,
    pub text: SharedText,
    /// The token's row in the table the findings were made from.
    row: Option<usize>,
}

impl ListRow for FindingRow {
    type Key = (RuleId, TokenId);
    const SORTS: &'static [&'static str] = &["Severity", "Rule", "Token"];

    fn key(&self) -> Self::Key {
        (self.rule, self.token_id)
    }

    fn token(&self) -> Option<TokenId> {
        Some(self.token_id)
    }

    fn row(&self) -> Option<usize> {
        self.row
    }

    fn search_text(&self) -> String {
        format!(
            "{}\n{}\n{}\n{}\n{}",
            self.severity.word(),
            self.rule.as_str(),
            self.token_name,
            self.text,
            self.token_id
        )
    }

    fn compare(&self, other: &Self, column: usize) -> Ordering {
        match column {
            1 => self.rule.as_str().cmp(other.rule.as_str()),
            2 => self
                .token_name
                .chars()
                .flat_map(char::to_lowercase)
                .cmp(other.token_name.chars().flat_map(char::to_lowercase)),
            _ => Ordering::Equal,
        }
    }
}

/// The rows, worst first, then in the registry's order of rules, then by token name.
pub fn build(findings: &[Finding], table: &TokenTable) -> Vec<FindingRow> {
    let rows_by_id: HashMap<TokenId, usize> = table
        .readable_rows()
        .iter()
        .enumerate()
        .map(|(i, r)| (r.token.id, i))
        .collect();
    let mut rows: Vec<FindingRow> = findings
        .iter()
        .map(|f| FindingRow {
            severity: f.severity(),
            rule: f.rule,
            token_id: f.token_id,
            row: rows_by_id.get(&f.token_id).copied(),
            token_name: f.token_name.clone(),
            text: f.text.clone(),
        })
        .collect();
    rows.sort_by_cached_key(|r| {
        (
            std::cmp::Reverse(r.severity),
            r.rule.index(),
            r.token_name.to_lowercase(),
            r.token_id,
        )
    });
    rows
}
