//! What the filter matches, per row: its name, creator, access, id, last digits and account, without
//! regard to case.
//!
//! A row's own words (name, id, last digits) are matched where they are, in the row's token: a lowercased
//! copy of every row's would cost as much as the names themselves (5 MB at 100,000 rows), to save a scan
//! a filter key makes anyway. The words rows share (creator, access, account: a few dozen kinds among
//! thousands of rows) are kept once per kind, lowercased, and each row points at its kind: a filter asks
//! each kind once, then each row whether its own words or its kind's hold the text. The filter cannot
//! hold a line break, so no match runs from one word into the next.

use std::collections::HashMap;
use std::fmt::Write as _;

use super::row::TokenRow;

#[derive(Clone, Debug, Default)]
pub(super) struct SearchTexts {
    /// Each row's kind, an index into `kinds`.
    kind_of: Vec<u32>,
    /// The creator, access and account of each kind, lowercased and joined by line breaks.
    kinds: Vec<Box<str>>,
}

impl SearchTexts {
    /// The rows' kinds; `access` reads a row's access text, which must be made.
    pub(super) fn of<'a>(rows: &'a [TokenRow], access: impl Fn(&'a TokenRow) -> &'a str) -> Self {
        let mut kind_of = Vec::with_capacity(rows.len());
        let mut kinds: Vec<Box<str>> = Vec::new();
        let mut known: HashMap<(&str, &str, &str), u32, foldhash::fast::RandomState> =
            HashMap::default();
        let mut one = String::new();
        for row in rows {
            let shared = (
                row.token.created_by.as_str(),
                access(row),
                row.account_name().as_str(),
            );
            let kind = match known.get(&shared) {
                Some(&kind) => kind,
                None => {
                    let kind = u32::try_from(kinds.len()).unwrap_or(u32::MAX);
                    one.clear();
                    // Writing into a String cannot fail.
                    let _ = write!(one, "{}\n{}\n{}", shared.0, shared.1, shared.2);
                    kinds.push(one.to_lowercase().into_boxed_str());
                    known.insert(shared, kind);
                    kind
                }
            };
            kind_of.push(kind);
        }
        Self { kind_of, kinds }
    }

    /// Which of `order` (indices into `rows`) hold `needle` (lowercased), in their order.
    pub(super) fn matching(&self, rows: &[TokenRow], order: &[u32], needle: &str) -> Vec<u32> {
        let kinds_match: Vec<bool> = self.kinds.iter().map(|k| k.contains(needle)).collect();
        let mut id = String::new();
        order
            .iter()
            .copied()
            .filter(|&i| {
                let i = i as usize;
                let kind = self
                    .kind_of
                    .get(i)
                    .and_then(|&k| kinds_match.get(k as usize));
                if kind == Some(&true) {
                    return true;
                }
                let Some(row) = rows.get(i) else {
                    return false;
                };
                let token = &row.token;
                id.clear();
                let _ = write!(id, "{}", token.id);
                holds(&token.name, needle)
                    || holds(&token.last_4_digits, needle)
                    || id.contains(needle)
            })
            .collect()
    }
}

/// Whether `text`, lowercased, holds `needle` (lowercase). ASCII text, which nearly all is, is read in
/// place; other text is lowercased into a copy.
fn holds(text: &str, needle: &str) -> bool {
    if !text.is_ascii() {
        return text.to_lowercase().contains(needle);
    }
    // Lowercased ASCII is ASCII: a needle with more in it cannot be there.
    if !needle.is_ascii() {
        return false;
    }
    let (hay, needle) = (text.as_bytes(), needle.as_bytes());
    let Some((&first, rest)) = needle.split_first() else {
        return true;
    };
    let last_start = match hay.len().checked_sub(needle.len()) {
        Some(last) => last,
        None => return false,
    };
    memchr::memchr2_iter(first, first.to_ascii_uppercase(), &hay[..=last_start]).any(|at| {
        hay[at + 1..at + needle.len()]
            .iter()
            .zip(rest)
            .all(|(h, n)| h.to_ascii_lowercase() == *n)
    })
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
        let search = SearchTexts::of(&rows, |_| "");
        let all = [0, 1, 2, 3];
        let matching = |needle: &str| search.matching(&rows, &all, needle);
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
        assert_eq!(search.matching(&rows, &[3, 0, 7], "dana"), [3, 0]);
    }

    #[test]
    fn own_words_are_matched_in_place_without_regard_to_case() {
        assert!(holds("Release BOT", "bot"));
        assert!(holds("Release BOT", "release bot"));
        assert!(holds("wxyz", "xyz"), "a match that ends the text");
        assert!(holds("wxyz", "w"), "a match that starts it");
        assert!(holds("anything", ""));
        assert!(!holds("ab", "abc"), "a needle longer than the text");
        assert!(!holds("Release", "relaese"));
        assert!(!holds("bot", "bót"), "ASCII text cannot hold other letters");
        assert!(holds("ÄRGER im Büro", "ärger"));
        assert!(holds("ÄRGER im Büro", "büro"));
        assert!(!holds("ÄRGER", "arger"));
        assert!(holds("a-1_B.2", "_b."), "signs match as they are");
    }
}
