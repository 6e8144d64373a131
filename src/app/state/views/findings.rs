//! The findings view: every hygiene finding of the inventory, worst first; Enter goes to its token.

use std::cmp::Ordering;

use crate::api::TokenId;
use crate::hygiene::{Found, RuleId, Severity};
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

/// The rows, worst first, then in the registry's order of rules, then by token name. `findings` are
/// those the table's readable rows gave.
pub fn build(findings: &[Found], table: &TokenTable) -> Vec<FindingRow> {
    let tokens = table.readable_rows();
    let mut rows: Vec<FindingRow> = findings
        .iter()
        .filter_map(|f| {
            let finding = f.finding(tokens)?;
            Some(FindingRow {
                severity: finding.severity(),
                rule: finding.rule,
                token_id: finding.token_id,
                row: Some(f.token as usize),
                token_name: finding.token_name,
                text: finding.text,
            })
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
