//! What the filter matches, per row: its name, creator, access, id, last digits and account, lowercased.
//! All rows' texts are kept end to end in one string, so 100,000 rows cost one allocation rather than
//! 100,000 (each of which cost about as much again in its pointer and the allocator's rounding).

use std::fmt::Write as _;

use super::row::TokenRow;

#[derive(Clone, Debug, Default)]
pub(super) struct SearchTexts {
    text: String,
    /// Where each row's text ends in `text`; row `i`'s starts where row `i - 1`'s ends.
    ends: Vec<usize>,
}

impl SearchTexts {
    /// The rows' texts; their access texts must be made.
    pub(super) fn of(rows: &[TokenRow]) -> Self {
        let mut text = String::new();
        let mut ends = Vec::with_capacity(rows.len());
        let mut one = String::new();
        for row in rows {
            one.clear();
            // Writing into a String cannot fail.
            let _ = write!(
                one,
                "{}\n{}\n{}\n{}\n{}\n{}",
                row.token.name,
                row.token.created_by,
                row.access(),
                row.token.id,
                row.token.last_4_digits,
                row.account_name()
            );
            if one.is_ascii() {
                one.make_ascii_lowercase();
                text.push_str(&one);
            } else {
                text.push_str(&one.to_lowercase());
            }
            ends.push(text.len());
        }
        text.shrink_to_fit();
        Self { text, ends }
    }

    /// Whether row `index`'s text holds `needle` (lowercased); a row with no text holds nothing.
    pub(super) fn matches(&self, index: usize, needle: &str) -> bool {
        let start = match index.checked_sub(1) {
            Some(before) => self.ends.get(before).copied(),
            None => Some(0),
        };
        match (start, self.ends.get(index)) {
            (Some(start), Some(&end)) => self
                .text
                .get(start..end)
                .is_some_and(|row| row.contains(needle)),
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::ApiToken;

    fn row(id: i64, name: &str, creator: &str) -> TokenRow {
        let token = ApiToken {
            id,
            name: name.into(),
            last_4_digits: "Ab9Z".into(),
            created_by: creator.into(),
            expires_at: None,
            resources: Default::default(),
            opaque_resources: Default::default(),
        };
        TokenRow::new(token, 1, None, None)
    }

    #[test]
    fn each_row_matches_its_own_fields_and_no_neighbours() {
        let rows = vec![
            row(11, "Release BOT", "Dana"),
            row(22, "東京チーム ÄÖ", "Łukasz"),
            row(33, "third", "Eve"),
        ];
        let search = SearchTexts::of(&rows);
        assert!(search.matches(0, "release bot"));
        assert!(search.matches(0, "ab9z"));
        assert!(search.matches(0, "11"));
        assert!(search.matches(1, "äö"));
        assert!(search.matches(1, "łukasz"));
        assert!(search.matches(2, "third\neve"));
        // The end of one row and the start of the next are not one text.
        assert!(!search.matches(0, "ab9z東京"));
        assert!(!search.matches(1, "bot"));
        assert!(!search.matches(3, ""));
        assert!(search.matches(2, ""));
    }
}
