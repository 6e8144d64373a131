//! The inventory's hygiene findings, made once per data change (a new list, tree or own token), never
//! per frame: for the findings view, the Findings column and the details.

use chrono::{DateTime, Utc};

use crate::hygiene::{Found, Inventory, RuleConfig, found};

use super::table::{FindingSummary, TokenTable};

#[derive(Debug, Default)]
pub struct Hygiene {
    pub rules: RuleConfig,
    /// The findings by row (an index into the table's readable rows, which are the inventory's tokens),
    /// then worst first: a row's are found with a binary search.
    findings: Vec<Found>,
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
        let mut made = found(&inventory, now, &self.rules);
        // They are made in rule order (worst first), so by row then rule a row's keep that order. Not a
        // stable sort by row alone: that would set aside a copy of all of them to sort.
        made.sort_unstable_by_key(|f| (f.token, f.rule.index()));
        self.findings = made;
        self.made_for = Some((table.generation(), own_last4.map(str::to_string)));
        table.set_finding_summaries(|row| self.summary(row));
        self.revision = self.revision.wrapping_add(1);
        true
    }

    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// The findings, if they were made from `table` as it is now (they name its rows by index); none
    /// when they were made from other data.
    pub fn of_table(&self, table: &TokenTable) -> &[Found] {
        if self.made_for.as_ref().map(|(g, _)| *g) == Some(table.generation()) {
            &self.findings
        } else {
            &[]
        }
    }

    /// The findings about row `index` of `table`, worst first (see `of_table`).
    pub fn of_row(&self, table: &TokenTable, index: usize) -> &[Found] {
        if self.of_table(table).is_empty() {
            return &[];
        }
        self.of_index(index)
    }

    fn of_index(&self, index: usize) -> &[Found] {
        let Ok(index) = u32::try_from(index) else {
            return &[];
        };
        let start = self.findings.partition_point(|f| f.token < index);
        let end = start + self.findings[start..].partition_point(|f| f.token == index);
        &self.findings[start..end]
    }

    /// The worst of row `index`'s findings and how many there are; `None` when it has none.
    fn summary(&self, index: usize) -> Option<FindingSummary> {
        let found = self.of_index(index);
        let worst = found.iter().map(Found::severity).max()?;
        Some(FindingSummary {
            worst,
            count: u32::try_from(found.len()).unwrap_or(u32::MAX),
        })
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::api::{AccessLevel, ApiToken, Resource, ResourceType};
    use crate::hygiene::RuleId;

    fn token(id: i64, name: &str, admin: bool) -> ApiToken {
        let level = if admin {
            AccessLevel::ADMIN
        } else {
            AccessLevel::VIEWER
        };
        ApiToken {
            id,
            name: name.into(),
            last_4_digits: "ab12".into(),
            created_by: "Ops".into(),
            expires_at: None,
            resources: [Resource {
                resource_type: ResourceType::new("account"),
                resource_id: 7,
                access_level: level,
            }]
            .into_iter()
            .collect(),
            opaque_resources: Default::default(),
        }
    }

    /// Findings name their token by its row: once the table holds another list, they answer for no row
    /// until they are made again, rather than for whichever token took the row.
    #[test]
    fn findings_answer_only_for_the_table_they_were_made_from() {
        let now = Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).unwrap();
        let mut table = TokenTable::default();
        table.set_tokens(vec![token(1, "root", true), token(2, "reader", false)]);
        let mut hygiene = Hygiene::new(RuleConfig::default());
        assert!(hygiene.ensure(&mut table, None, now));
        let rules = |hygiene: &Hygiene, table: &TokenTable, row: usize| -> Vec<RuleId> {
            hygiene.of_row(table, row).iter().map(|f| f.rule).collect()
        };
        assert!(rules(&hygiene, &table, 0).contains(&RuleId::AdminNeverExpires));
        assert!(!rules(&hygiene, &table, 1).contains(&RuleId::AdminNeverExpires));
        assert_eq!(
            table.rows[0].findings.map(|f| f.count),
            Some(rules(&hygiene, &table, 0).len() as u32)
        );
        // The same tokens in the other order: row 0 is now the reader.
        table.set_tokens(vec![token(2, "reader", false), token(1, "root", true)]);
        assert!(hygiene.of_table(&table).is_empty());
        assert!(hygiene.of_row(&table, 0).is_empty());
        assert!(hygiene.ensure(&mut table, None, now));
        assert!(!rules(&hygiene, &table, 0).contains(&RuleId::AdminNeverExpires));
        assert!(rules(&hygiene, &table, 1).contains(&RuleId::AdminNeverExpires));
        let full = hygiene.of_row(&table, 1)[0].finding(table.readable_rows());
        assert_eq!(
            full.map(|f| (f.token_id, f.token_name.to_string())),
            Some((1, "root".to_string()))
        );
    }
}
