//! What the filter matches, per row: its name, creator, access, id, last digits and account, lowercased.
//!
//! A row's own words (name, id, last digits) are kept end to end in one string, so 100,000 rows cost one
//! allocation rather than 100,000. The words rows share (creator, access, account: a few dozen kinds among
//! thousands of rows) are kept once per kind, and each row points at its kind: a filter asks each kind
//! once, then each row whether its own words or its kind's hold the text. The filter cannot hold a line
//! break, so no match runs from one word into the next, and matching them apart is matching them joined.

use std::collections::HashMap;
use std::fmt::Write as _;

use super::row::TokenRow;

#[derive(Clone, Debug, Default)]
pub(super) struct SearchTexts {
    own: String,
    /// Where each row's own words end in `own`; row `i`'s start where row `i - 1`'s end.
    ends: Vec<usize>,
    /// Each row's kind, an index into `kinds`.
    kind_of: Vec<u32>,
    /// The creator, access and account of each kind, lowercased and joined by line breaks.
    kinds: Vec<Box<str>>,
}

impl SearchTexts {
    /// The rows' texts; their access texts must be made.
    pub(super) fn of(rows: &[TokenRow]) -> Self {
        let mut own = String::new();
        let mut ends = Vec::with_capacity(rows.len());
        let mut kind_of = Vec::with_capacity(rows.len());
        let mut kinds: Vec<Box<str>> = Vec::new();
        let mut known: HashMap<(&str, &str, &str), u32, foldhash::fast::RandomState> =
            HashMap::default();
        let mut one = String::new();
        for row in rows {
            one.clear();
            // Writing into a String cannot fail.
            let _ = write!(
                one,
                "{}\n{}\n{}",
                row.token.name, row.token.id, row.token.last_4_digits
            );
            push_lowercase(&mut own, &mut one);
            ends.push(own.len());
            let shared = (
                row.token.created_by.as_str(),
                row.access().as_str(),
                row.account_name().as_str(),
            );
            let kind = match known.get(&shared) {
                Some(&kind) => kind,
                None => {
                    let kind = u32::try_from(kinds.len()).unwrap_or(u32::MAX);
                    one.clear();
                    let _ = write!(one, "{}\n{}\n{}", shared.0, shared.1, shared.2);
                    let mut lower = String::new();
                    push_lowercase(&mut lower, &mut one);
                    kinds.push(lower.into_boxed_str());
                    known.insert(shared, kind);
                    kind
                }
            };
            kind_of.push(kind);
        }
        own.shrink_to_fit();
        Self {
            own,
            ends,
            kind_of,
            kinds,
        }
    }

    /// Which of the given rows hold `needle` (lowercased), in their order.
    pub(super) fn matching(&self, rows: &[usize], needle: &str) -> Vec<usize> {
        let kinds_match: Vec<bool> = self.kinds.iter().map(|k| k.contains(needle)).collect();
        rows.iter()
            .copied()
            .filter(|&i| {
                let kind = self
                    .kind_of
                    .get(i)
                    .and_then(|&k| kinds_match.get(k as usize));
                kind == Some(&true) || self.own(i).is_some_and(|own| own.contains(needle))
            })
            .collect()
    }

    /// Row `index`'s own words; `None` past the last row.
    fn own(&self, index: usize) -> Option<&str> {
        let start = match index.checked_sub(1) {
            Some(before) => *self.ends.get(before)?,
            None => 0,
        };
        self.own.get(start..*self.ends.get(index)?)
    }
}

/// Appends `text` lowercased (in place when it is ASCII, which most is).
fn push_lowercase(out: &mut String, text: &mut str) {
    if text.is_ascii() {
        text.make_ascii_lowercase();
        out.push_str(text);
    } else {
        out.push_str(&text.to_lowercase());
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
    fn each_row_matches_its_own_fields_and_its_kinds_and_no_neighbours() {
        let rows = vec![
            row(11, "Release BOT", "Dana"),
            row(22, "東京チーム ÄÖ", "Łukasz"),
            row(33, "third", "Eve"),
            row(44, "fourth", "Dana"),
        ];
        let search = SearchTexts::of(&rows);
        let all = [0, 1, 2, 3];
        let matching = |needle: &str| search.matching(&all, needle);
        assert_eq!(matching("release bot"), [0]);
        assert_eq!(matching("ab9z"), [0, 1, 2, 3]);
        assert_eq!(matching("11"), [0]);
        assert_eq!(matching("äö"), [1]);
        assert_eq!(matching("łukasz"), [1]);
        assert_eq!(
            matching("dana"),
            [0, 3],
            "a creator is shared, and matched for each of its rows"
        );
        assert_eq!(matching("th"), [2, 3]);
        // The end of one row and the start of the next are not one text.
        assert!(matching("ab9z東京").is_empty());
        assert!(matching("bot\n22").is_empty());
        assert_eq!(matching(""), all);
        // Only the rows asked about, in the order asked.
        assert_eq!(search.matching(&[3, 0, 7], "dana"), [3, 0]);
    }
}
