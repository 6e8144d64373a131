//! The orders the table can be sorted in: each column's, ties broken by token id, so every order is total
//! and descending is exactly ascending reversed.

use crate::api::TokenText;

use super::row::TokenRow;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortColumn {
    Name,
    Creator,
    Access,
    Expires,
    Token,
    Id,
    Findings,
    /// The token's account: shown in the inventory of several accounts.
    Account,
}

impl SortColumn {
    /// The columns the table shows unless the config file says otherwise, in their order.
    pub const ALL: [SortColumn; 5] = [
        SortColumn::Name,
        SortColumn::Creator,
        SortColumn::Access,
        SortColumn::Expires,
        SortColumn::Token,
    ];

    /// Every column there is.
    pub const EVERY: [SortColumn; 8] = [
        SortColumn::Name,
        SortColumn::Creator,
        SortColumn::Access,
        SortColumn::Expires,
        SortColumn::Token,
        SortColumn::Id,
        SortColumn::Findings,
        SortColumn::Account,
    ];

    /// The name the config file's `[tokens] columns` uses.
    pub fn name(self) -> &'static str {
        match self {
            SortColumn::Name => "name",
            SortColumn::Creator => "creator",
            SortColumn::Access => "access",
            SortColumn::Expires => "expires",
            SortColumn::Token => "token",
            SortColumn::Id => "id",
            SortColumn::Findings => "findings",
            SortColumn::Account => "account",
        }
    }

    pub fn parse(name: &str) -> Option<SortColumn> {
        let name = name.trim().to_ascii_lowercase();
        Self::EVERY.into_iter().find(|c| c.name() == name)
    }

    pub(super) fn slot(self) -> usize {
        Self::EVERY.iter().position(|c| *c == self).unwrap_or(0)
    }

    pub fn title(self) -> &'static str {
        match self {
            SortColumn::Name => "Name",
            SortColumn::Creator => "Creator",
            SortColumn::Access => "Access level",
            SortColumn::Expires => "Expires",
            SortColumn::Token => "Token",
            SortColumn::Id => "Id",
            SortColumn::Findings => "Findings",
            SortColumn::Account => "Account",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sort {
    pub column: SortColumn,
    pub descending: bool,
}

/// Every row index in ascending order of `column`, ties broken by token id. Text columns compare
/// case-insensitively; each row's lowercased key is built once here rather than once per comparison (a
/// 10,000-row sort makes about 140,000 comparisons).
pub(super) fn ascending_order(rows: &[TokenRow], column: SortColumn) -> Vec<usize> {
    let by_text = |text: fn(&TokenRow) -> &str| {
        // Byte order of UTF-8 is code point order, so comparing the lowercased strings is comparing the
        // lowercased characters one by one. A key of up to 24 bytes (most names) is held inline: 100,000
        // keys are then no allocations, and take 32 bytes each.
        let keyed: Vec<(TokenText, usize)> = rows
            .iter()
            .enumerate()
            .map(|(i, row)| {
                let text = text(row);
                // Most names are ASCII, where lowercasing is a byte copy.
                let key = if text.is_ascii() {
                    let mut key = TokenText::from(text);
                    key.make_ascii_lowercase();
                    key
                } else {
                    text.chars().flat_map(char::to_lowercase).collect()
                };
                (key, i)
            })
            .collect();
        sorted_by_key(keyed, rows)
    };
    match column {
        SortColumn::Name => by_text(|r| &r.token.name),
        SortColumn::Creator => by_text(|r| &r.token.created_by),
        SortColumn::Account => by_text(|r| r.account_name().as_str()),
        SortColumn::Access => by_text(|r| r.access().as_str()),
        SortColumn::Expires => {
            let mut order: Vec<usize> = (0..rows.len()).collect();
            // Soonest first; `never` after every date.
            order.sort_unstable_by_key(|&i| {
                let t = &rows[i].token;
                (t.expires_at.is_none(), t.expires_at, t.id, i)
            });
            order
        }
        SortColumn::Id => {
            let mut order: Vec<usize> = (0..rows.len()).collect();
            order.sort_unstable_by_key(|&i| (rows[i].token.id, i));
            order
        }
        SortColumn::Findings => {
            let mut order: Vec<usize> = (0..rows.len()).collect();
            // Worst first, then most; rows without findings last.
            order.sort_unstable_by_key(|&i| {
                let f = rows[i].findings;
                (
                    std::cmp::Reverse(f.map(|f| (f.worst, f.count))),
                    rows[i].token.id,
                    i,
                )
            });
            order
        }
        SortColumn::Token => {
            let mut order: Vec<usize> = (0..rows.len()).collect();
            order.sort_unstable_by(|&a, &b| {
                let (ta, tb) = (&rows[a].token, &rows[b].token);
                ta.last_4_digits
                    .cmp(&tb.last_4_digits)
                    .then(ta.id.cmp(&tb.id))
                    .then(a.cmp(&b))
            });
            order
        }
    }
}

/// At least this many rows are sorted in two halves at once, one on a thread of its own, and merged.
const SORTED_IN_HALVES: usize = 20_000;

/// The rows in order of their keys, ties by token id (then place: the order is total, so sorting two
/// halves and merging them gives exactly the order one sort gives).
fn sorted_by_key(mut keyed: Vec<(TokenText, usize)>, rows: &[TokenRow]) -> Vec<usize> {
    let order = |(key_a, a): &(TokenText, usize), (key_b, b): &(TokenText, usize)| {
        key_a
            .cmp(key_b)
            .then_with(|| rows[*a].token.id.cmp(&rows[*b].token.id))
            .then(a.cmp(b))
    };
    let mid = keyed.len() / 2;
    let (left, right) = keyed.split_at_mut(mid);
    let halves = worth_halves(left.len() + right.len())
        && std::thread::scope(|scope| {
            let Ok(other) = std::thread::Builder::new()
                .name("sort".into())
                .spawn_scoped(scope, || left.sort_unstable_by(order))
            else {
                return false;
            };
            right.sort_unstable_by(order);
            other.join().is_ok()
        });
    if !halves {
        keyed.sort_unstable_by(order);
        return keyed.into_iter().map(|(_, i)| i).collect();
    }
    let (left, right) = keyed.split_at(mid);
    let mut merged = Vec::with_capacity(keyed.len());
    let (mut l, mut r) = (left.iter().peekable(), right.iter().peekable());
    while let (Some(a), Some(b)) = (l.peek(), r.peek()) {
        if order(b, a).is_lt() {
            merged.push(b.1);
            r.next();
        } else {
            merged.push(a.1);
            l.next();
        }
    }
    merged.extend(l.map(|(_, i)| *i));
    merged.extend(r.map(|(_, i)| *i));
    merged
}

/// Whether sorting in halves is worth a thread: a long list, and a second core to sort on.
fn worth_halves(len: usize) -> bool {
    len >= SORTED_IN_HALVES && std::thread::available_parallelism().is_ok_and(|n| n.get() > 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{ApiToken, TokenId};
    use crate::text::{SafeText, Sanitized};

    use super::super::row::RowTexts;

    /// The comparison the cached orders replace: case-insensitive text, character by character, then id.
    fn reference_order(rows: &[TokenRow], text: fn(&TokenRow) -> &str) -> Vec<usize> {
        let mut order: Vec<usize> = (0..rows.len()).collect();
        order.sort_by(|&a, &b| {
            let lower = |s: &str| {
                s.chars()
                    .flat_map(char::to_lowercase)
                    .collect::<Vec<char>>()
            };
            lower(text(&rows[a]))
                .cmp(&lower(text(&rows[b])))
                .then(rows[a].token.id.cmp(&rows[b].token.id))
        });
        order
    }

    fn assert_name_and_creator_orders_match(rows: &[TokenRow]) {
        assert_eq!(
            ascending_order(rows, SortColumn::Name),
            reference_order(rows, |r| &r.token.name)
        );
        assert_eq!(
            ascending_order(rows, SortColumn::Creator),
            reference_order(rows, |r| &r.token.created_by)
        );
    }

    fn row(id: TokenId, name: &str, creator: &str, last4: &str) -> TokenRow {
        let token = ApiToken {
            id,
            name: name.into(),
            last_4_digits: last4.into(),
            created_by: creator.into(),
            expires_at: None,
            resources: Default::default(),
            opaque_resources: Default::default(),
        };
        let mut row = TokenRow::new(token, 0, Default::default(), None);
        row.texts = Some(Box::new(RowTexts {
            name: Sanitized::of(name),
            creator: Sanitized::of(creator),
            access: SafeText::new(&name.to_uppercase()).into(),
            widths: Default::default(),
        }));
        row
    }

    #[test]
    fn cached_text_orders_match_the_case_insensitive_comparison() {
        let rows = vec![
            row(7, "beta", "Zoë", "00ff"),
            row(3, "Beta", "zoe", "00aa"),
            row(9, "ÄRGER", "Émile", "1111"),
            row(1, "alpha 10", "emile", "00aa"),
            row(4, "Alpha 9", "", "ffff"),
            row(2, "東京", "ZOË", "0000"),
            row(8, "beta", "Zoë", "00ff"),
        ];
        assert_name_and_creator_orders_match(&rows);
        assert_eq!(
            ascending_order(&rows, SortColumn::Access),
            reference_order(&rows, |r| r.access().as_str())
        );
        let by_token: Vec<TokenId> = ascending_order(&rows, SortColumn::Token)
            .into_iter()
            .map(|i| rows[i].token.id)
            .collect();
        assert_eq!(by_token, vec![2, 1, 3, 7, 8, 9, 4]);
    }

    #[test]
    fn a_long_list_sorted_in_halves_is_in_the_order_one_sort_gives() {
        // Names that repeat (ties broken by id, then place), differ in case only, and are not ASCII.
        let names = [
            "relay", "Relay", "ärger", "b", "relay 2", "", "Zoë", "zoe", "東京",
        ];
        let rows: Vec<TokenRow> = (0..SORTED_IN_HALVES + 1001)
            .map(|i| {
                let id = ((i * 7919) % 5003) as TokenId;
                let name = format!("{} {}", names[i % names.len()], (i * 31) % 97);
                row(id, &name, names[(i / 3) % names.len()], "abcd")
            })
            .collect();
        assert!(
            worth_halves(rows.len())
                || std::thread::available_parallelism().is_ok_and(|n| n.get() == 1)
        );
        assert_name_and_creator_orders_match(&rows);
    }
}
