//! The orders the table can be sorted in: each column's, ties broken by token id, so every order is total
//! and descending is exactly ascending reversed.

use std::cmp::Ordering;
use std::collections::HashMap;

use crate::api::TokenId;

use super::row::{AccessTexts, TokenRow};

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

/// How much of an order is made: all of it, or only its first rows (what a first frame shows).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Span {
    /// Every row, ascending.
    All,
    /// The first `count` rows of the ascending order (or, `descending`, of the descending order, which is
    /// ascending reversed) exactly as the whole order has them; the other rows follow in no order.
    First { count: usize, descending: bool },
}

/// Every row index in ascending order of `column`, ties broken by token id. Text columns compare
/// case-insensitively, through a key made once per row rather than lowercasing at each comparison (a
/// 10,000-row sort makes about 140,000 comparisons).
pub(super) fn ascending_order(
    rows: &[TokenRow],
    accesses: &AccessTexts,
    column: SortColumn,
) -> Vec<u32> {
    ordered(rows, accesses, column, Span::All)
}

/// The rows in `column`'s order, as far as `span` asks (see [`Span`]). Only the first rows is a
/// selection and a short sort: a tenth of the whole sort's time at 100,000 rows.
pub(super) fn ordered<'a>(
    rows: &'a [TokenRow],
    accesses: &'a AccessTexts,
    column: SortColumn,
    span: Span,
) -> Vec<u32> {
    let by_text = |text: &(dyn Fn(&'a TokenRow) -> &'a str + Sync)| {
        // A column of a few texts (creators, access levels, accounts) is ordered by each text's rank
        // among them, a number; one of many (names) by the start of each text, texts whose starts are
        // alike compared whole. Either key is 16 bytes a row with its place: 1.6 MB at 100,000 rows.
        if let Some(ranks) = text_ranks(rows, text) {
            let keyed: Vec<Ranked> = ranks
                .into_iter()
                .zip(rows)
                .enumerate()
                .filter_map(|(i, (rank, row))| {
                    let place = u32::try_from(i).ok()?;
                    Some((rank, place, row.token.id))
                })
                .collect();
            let order = |(rank_a, a, id_a): &Ranked, (rank_b, b, id_b): &Ranked| {
                (rank_a, id_a, a).cmp(&(rank_b, id_b, b))
            };
            return in_order(keyed, span, order, |k| k.1);
        }
        let keyed: Vec<Started> = rows
            .iter()
            .enumerate()
            .filter_map(|(i, row)| Some((key_start(text(row)), u32::try_from(i).ok()?)))
            .collect();
        let order = |(start_a, a): &Started, (start_b, b): &Started| {
            let (row_a, row_b) = (&rows[*a as usize], &rows[*b as usize]);
            start_a
                .cmp(start_b)
                .then_with(|| cmp_lowercase_past_start(text(row_a), text(row_b)))
                .then_with(|| row_a.token.id.cmp(&row_b.token.id))
                .then(a.cmp(b))
        };
        in_order(keyed, span, order, |k| k.1)
    };
    let by_index = |order: &dyn Fn(usize, usize) -> Ordering| {
        // A row's index fits: `TokenRow::successor` holds one in a `u32` too.
        let mut all: Vec<u32> = (0..rows.len())
            .filter_map(|i| u32::try_from(i).ok())
            .collect();
        arrange(&mut all, span, |&a, &b| order(a as usize, b as usize));
        all
    };
    match column {
        SortColumn::Name => by_text(&|r| &r.token.name),
        SortColumn::Creator => by_text(&|r| &r.token.created_by),
        SortColumn::Account => by_text(&|r| r.account_name().as_str()),
        SortColumn::Access => by_text(&|r| r.access(accesses).as_str()),
        SortColumn::Expires => by_index(&|a, b| {
            // Soonest first; `never` after every date.
            let key = |i: usize| {
                let t = &rows[i].token;
                (t.expires_at.is_none(), t.expires_at, t.id, i)
            };
            key(a).cmp(&key(b))
        }),
        SortColumn::Id => by_index(&|a, b| (rows[a].token.id, a).cmp(&(rows[b].token.id, b))),
        SortColumn::Findings => by_index(&|a, b| {
            // Worst first, then most; rows without findings last.
            let key = |i: usize| {
                let f = rows[i].findings;
                (
                    std::cmp::Reverse(f.map(|f| (f.worst, f.count))),
                    rows[i].token.id,
                    i,
                )
            };
            key(a).cmp(&key(b))
        }),
        SortColumn::Token => by_index(&|a, b| {
            let (ta, tb) = (&rows[a].token, &rows[b].token);
            ta.last_4_digits
                .cmp(&tb.last_4_digits)
                .then(ta.id.cmp(&tb.id))
                .then(a.cmp(&b))
        }),
    }
}

/// Orders `items` by the total order `ascending`, as far as `span` asks.
fn arrange<T>(items: &mut [T], span: Span, ascending: impl Fn(&T, &T) -> Ordering) {
    match span {
        Span::All => items.sort_unstable_by(ascending),
        Span::First { count, descending } => {
            // The order is total, so the descending order is exactly the ascending one reversed.
            let order = |a: &T, b: &T| {
                let o = ascending(a, b);
                if descending { o.reverse() } else { o }
            };
            if count < items.len() {
                items.select_nth_unstable_by(count, order);
                items[..count].sort_unstable_by(order);
            } else {
                items.sort_unstable_by(order);
            }
        }
    }
}

/// How many bytes of a text's start its sort key holds.
const KEY_START: usize = 12;

/// A row's sort key by a column of many texts: the text's first `KEY_START` bytes lowercased (zeros
/// after a shorter one), and the row's place.
type Started = ([u8; KEY_START], u32);

/// A row's sort key by a column of few texts: its text's rank among them, its place, its token's id.
type Ranked = (u32, u32, TokenId);

/// The first `KEY_START` bytes of `text` lowercased. Two texts whose starts differ are in the order of
/// their starts: UTF-8's byte order is the order of the characters, and a zero after a shorter text is
/// below any byte a longer one has there, or equal to it (then the whole texts decide).
fn key_start(text: &str) -> [u8; KEY_START] {
    let mut start = [0; KEY_START];
    if text.is_ascii() {
        for (key, byte) in start.iter_mut().zip(text.bytes()) {
            *key = byte.to_ascii_lowercase();
        }
        return start;
    }
    let mut at = 0;
    for c in text.chars().flat_map(char::to_lowercase) {
        let mut utf8 = [0; 4];
        for &byte in c.encode_utf8(&mut utf8).as_bytes() {
            let Some(key) = start.get_mut(at) else {
                return start;
            };
            *key = byte;
            at += 1;
        }
    }
    start
}

/// `cmp_lowercase` of two texts whose starts (`key_start`) are alike: when both begin with `KEY_START`
/// ASCII bytes, those are the same once lowercased, and only what follows them is compared. Names of many
/// tokens often share their first dozen letters ("Analytics bot 1…").
fn cmp_lowercase_past_start(a: &str, b: &str) -> Ordering {
    match (a.get(..KEY_START), b.get(..KEY_START)) {
        (Some(start_a), Some(start_b)) if start_a.is_ascii() && start_b.is_ascii() => {
            cmp_lowercase(&a[KEY_START..], &b[KEY_START..])
        }
        _ => cmp_lowercase(a, b),
    }
}

/// Two texts in the order of their lowercased characters.
fn cmp_lowercase(a: &str, b: &str) -> Ordering {
    if a.is_ascii() && b.is_ascii() {
        a.bytes()
            .map(|c| c.to_ascii_lowercase())
            .cmp(b.bytes().map(|c| c.to_ascii_lowercase()))
    } else {
        a.chars()
            .flat_map(char::to_lowercase)
            .cmp(b.chars().flat_map(char::to_lowercase))
    }
}

/// Each row's rank among the distinct texts of a column (texts the same but for case rank the same),
/// if there are few: at most a sixteenth of the rows, or 64. Else none, found early on: the texts are
/// then not worth keeping apart.
fn text_ranks<'a>(
    rows: &'a [TokenRow],
    text: &(dyn Fn(&'a TokenRow) -> &'a str + Sync),
) -> Option<Vec<u32>> {
    let few = (rows.len() / 16).max(64);
    let mut distinct: HashMap<&str, u32, foldhash::fast::RandomState> = HashMap::default();
    let mut of_row = Vec::with_capacity(rows.len());
    for row in rows {
        let next = u32::try_from(distinct.len()).ok()?;
        of_row.push(*distinct.entry(text(row)).or_insert(next));
        if distinct.len() > few {
            return None;
        }
    }
    let mut texts: Vec<(&str, u32)> = distinct.into_iter().collect();
    texts.sort_unstable_by(|(a, _), (b, _)| cmp_lowercase(a, b));
    let mut rank_of = vec![0; texts.len()];
    let mut rank = 0;
    for (n, (text, at)) in texts.iter().enumerate() {
        if n > 0 && cmp_lowercase(texts[n - 1].0, text).is_ne() {
            rank += 1;
        }
        rank_of[*at as usize] = rank;
    }
    for at in &mut of_row {
        *at = rank_of[*at as usize];
    }
    Some(of_row)
}

/// The places of `keyed` in `order` (a total order), as far as `span` asks.
fn in_order<K: Send>(
    mut keyed: Vec<K>,
    span: Span,
    order: impl Fn(&K, &K) -> Ordering + Sync,
    place: impl Fn(&K) -> u32,
) -> Vec<u32> {
    if span == Span::All {
        return sorted(keyed, order, place);
    }
    arrange(&mut keyed, span, order);
    keyed.iter().map(place).collect()
}

/// At least this many rows are sorted in two halves at once, one on a thread of its own, and merged.
const SORTED_IN_HALVES: usize = 20_000;

/// The places of `keyed` in `order` (a total order: sorting two halves and merging them gives exactly
/// the order one sort gives).
fn sorted<K: Send>(
    mut keyed: Vec<K>,
    order: impl Fn(&K, &K) -> Ordering + Sync,
    place: impl Fn(&K) -> u32,
) -> Vec<u32> {
    let mid = keyed.len() / 2;
    let (left, right) = keyed.split_at_mut(mid);
    let halves = worth_halves(left.len() + right.len())
        && std::thread::scope(|scope| {
            let Ok(other) = std::thread::Builder::new()
                .name("sort".into())
                .spawn_scoped(scope, || left.sort_unstable_by(&order))
            else {
                return false;
            };
            right.sort_unstable_by(&order);
            other.join().is_ok()
        });
    if !halves {
        keyed.sort_unstable_by(order);
        return keyed.iter().map(place).collect();
    }
    let (left, right) = keyed.split_at(mid);
    let mut merged = Vec::with_capacity(keyed.len());
    let (mut l, mut r) = (left.iter().peekable(), right.iter().peekable());
    while let (Some(a), Some(b)) = (l.peek(), r.peek()) {
        if order(b, a).is_lt() {
            merged.push(place(b));
            r.next();
        } else {
            merged.push(place(a));
            l.next();
        }
    }
    merged.extend(l.map(&place));
    merged.extend(r.map(&place));
    merged
}

/// Whether sorting in halves is worth a thread: a long list, and a second core to sort on.
fn worth_halves(len: usize) -> bool {
    len >= SORTED_IN_HALVES && crate::api::cores() > 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{ApiToken, TokenId};
    use crate::text::SafeText;

    /// The comparison the cached orders replace: case-insensitive text, character by character, then id.
    fn reference_order<'a>(
        rows: &'a [TokenRow],
        text: impl Fn(&'a TokenRow) -> &'a str,
    ) -> Vec<u32> {
        let mut order: Vec<u32> = (0..rows.len() as u32).collect();
        order.sort_by(|&a, &b| {
            let (a, b) = (a as usize, b as usize);
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

    fn assert_name_and_creator_orders_match(rows: &[TokenRow], accesses: &AccessTexts) {
        assert_eq!(
            ascending_order(rows, accesses, SortColumn::Name),
            reference_order(rows, |r| &r.token.name)
        );
        assert_eq!(
            ascending_order(rows, accesses, SortColumn::Creator),
            reference_order(rows, |r| &r.token.created_by)
        );
    }

    /// A row whose access text is its name in capitals.
    fn row(
        accesses: &mut AccessTexts,
        id: TokenId,
        name: &str,
        creator: &str,
        last4: &str,
    ) -> TokenRow {
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
        row.access = accesses.index_of(SafeText::new(&name.to_uppercase()));
        row
    }

    #[test]
    fn cached_text_orders_match_the_case_insensitive_comparison() {
        let a = &mut AccessTexts::default();
        let rows = vec![
            row(a, 7, "beta", "Zoë", "00ff"),
            row(a, 3, "Beta", "zoe", "00aa"),
            row(a, 9, "ÄRGER", "Émile", "1111"),
            row(a, 1, "alpha 10", "emile", "00aa"),
            row(a, 4, "Alpha 9", "", "ffff"),
            row(a, 2, "東京", "ZOË", "0000"),
            row(a, 8, "beta", "Zoë", "00ff"),
        ];
        let a = &*a;
        assert_name_and_creator_orders_match(&rows, a);
        assert_eq!(
            ascending_order(&rows, a, SortColumn::Access),
            reference_order(&rows, |r| r.access(a).as_str())
        );
        let by_token: Vec<TokenId> = ascending_order(&rows, a, SortColumn::Token)
            .into_iter()
            .map(|i| rows[i as usize].token.id)
            .collect();
        assert_eq!(by_token, vec![2, 1, 3, 7, 8, 9, 4]);
    }

    #[test]
    fn a_long_list_sorted_in_halves_is_in_the_order_one_sort_gives() {
        // Names that repeat (ties broken by id, then place), differ in case only, and are not ASCII.
        let names = [
            "relay", "Relay", "ärger", "b", "relay 2", "", "Zoë", "zoe", "東京",
        ];
        let mut accesses = AccessTexts::default();
        let rows: Vec<TokenRow> = (0..SORTED_IN_HALVES + 1001)
            .map(|i| {
                let id = ((i * 7919) % 5003) as TokenId;
                let name = format!("{} {}", names[i % names.len()], (i * 31) % 97);
                row(
                    &mut accesses,
                    id,
                    &name,
                    names[(i / 3) % names.len()],
                    "abcd",
                )
            })
            .collect();
        assert!(worth_halves(rows.len()) || crate::api::cores() == 1);
        assert_name_and_creator_orders_match(&rows, &accesses);
    }

    #[test]
    fn the_first_rows_of_an_order_are_the_whole_orders_first_rows() {
        let names = ["relay", "Relay", "ärger", "b", "", "Zoë", "zoe", "東京"];
        let mut accesses = AccessTexts::default();
        let rows: Vec<TokenRow> = (0..3000)
            .map(|i| {
                let id = ((i * 7919) % 1009) as TokenId;
                let name = format!("{} {}", names[i % names.len()], (i * 31) % 97);
                let last4 = format!("{:04x}", (i * 13) % 200);
                let mut row = row(
                    &mut accesses,
                    id,
                    &name,
                    names[(i / 3) % names.len()],
                    &last4,
                );
                if i % 5 == 0 {
                    row.token.expires_at =
                        chrono::DateTime::from_timestamp((i % 7) as i64 * 1000, 0);
                }
                row
            })
            .collect();
        for column in SortColumn::EVERY {
            let ascending = ascending_order(&rows, &accesses, column);
            let descending: Vec<u32> = ascending.iter().rev().copied().collect();
            for count in [0, 1, 700, 2999, 3000, 5000] {
                for (whole, descending) in [(&ascending, false), (&descending, true)] {
                    let span = Span::First { count, descending };
                    let mut first = ordered(&rows, &accesses, column, span);
                    let shown = count.min(rows.len());
                    assert_eq!(
                        first[..shown],
                        whole[..shown],
                        "{column:?}, first {count}, descending {descending}"
                    );
                    first.sort_unstable();
                    assert!(
                        first.iter().copied().eq(0..rows.len() as u32),
                        "every row, once"
                    );
                }
            }
        }
    }

    /// Pieces of texts whose lowercase is longer or shorter than they are, that differ in case only, a
    /// zero byte, and a long start many texts share.
    const PIECES: [&str; 16] = [
        "a",
        "A",
        "ä",
        "Ä",
        "İ",
        "ß",
        "ẞ",
        "\0",
        " ",
        "relay ",
        "Relay ",
        "support worker 6",
        "1",
        "東京",
        "Σ",
        "ς",
    ];

    fn text_of(pieces: &[usize]) -> String {
        pieces.iter().map(|&p| PIECES[p % PIECES.len()]).collect()
    }

    proptest::proptest! {
        #[test]
        fn text_orders_by_start_or_by_rank_are_the_case_insensitive_order(
            names in proptest::collection::vec(proptest::collection::vec(0..PIECES.len(), 0..7), 1..300),
            creators in 1..100usize,
        ) {
            let mut accesses = AccessTexts::default();
            let rows: Vec<TokenRow> = names
                .iter()
                .enumerate()
                .map(|(i, name)| {
                    let id = ((i * 7919) % 211) as TokenId;
                    let creator = text_of(&names[i % creators]);
                    row(&mut accesses, id, &text_of(name), &creator, "abcd")
                })
                .collect();
            assert_name_and_creator_orders_match(&rows, &accesses);
            assert_eq!(
                ascending_order(&rows, &accesses, SortColumn::Access),
                reference_order(&rows, |r| r.access(&accesses).as_str())
            );
        }
    }

    #[test]
    fn many_texts_are_ordered_by_their_starts_and_few_by_their_ranks() {
        let mut accesses = AccessTexts::default();
        let rows: Vec<TokenRow> = (0..2000)
            .map(|i| {
                let name = format!("Support worker {} {}", (i * 31) % 997, PIECES[i % 16]);
                let creator = PIECES[(i / 7) % PIECES.len()];
                row(&mut accesses, (i % 1500) as TokenId, &name, creator, "abcd")
            })
            .collect();
        assert!(text_ranks(&rows, &|r| r.token.name.as_str()).is_none());
        assert!(text_ranks(&rows, &|r| r.token.created_by.as_str()).is_some());
        assert_name_and_creator_orders_match(&rows, &accesses);
    }
}
