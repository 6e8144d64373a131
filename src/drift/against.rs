//! Reading a stored snapshot against the list it is to be compared with: a record the list holds as it
//! was is counted, not kept. At 100,000 tokens the stored snapshot is 13 MB in memory; what differs from
//! the list since the last look is nearly always a few records.
//!
//! The comparison of the few is the comparison of all (`compare`): a token the same in both reports
//! nothing, and the ones the comparison reads beyond their own id (the older token of a reset, found by
//! the name its new token was given) are kept whether or not they changed.

use std::collections::HashSet;
use std::hash::BuildHasher;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};

use chrono::{DateTime, Utc};

use super::compare::{Drift, compare, reset_origin_name};
use super::snapshot::{Snapshot, TokenRecord};
use crate::api::{ApiToken, TokenId, TokenText, UnreadableToken};

/// The list a stored snapshot is read against: each token's record, as a fingerprint.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Against {
    /// Each token's id, ascending; the first of an id listed twice, as `Snapshot::of_tokens` keeps it.
    ids: Vec<TokenId>,
    /// The fingerprint of each of `ids`' records. Apart from the ids: side by side, a 128-bit number's
    /// alignment would pad each pair to 32 bytes.
    prints: Vec<u128>,
    /// The names the list's tokens named as a reset names its new token (`"<old name> <new id>"`) were
    /// made from: the stored tokens of those names may be the older token of a reset.
    origins: HashSet<TokenText>,
}

impl Against {
    pub fn of_tokens<'a>(tokens: impl Iterator<Item = &'a ApiToken>) -> Self {
        let (mut ids, mut prints) = (Vec::new(), Vec::new());
        let mut origins = HashSet::new();
        for token in tokens {
            let record = TokenRecord::of(token);
            ids.push(record.id);
            prints.push(fingerprint(&record));
            if let Some(name) = reset_origin_name(&record) {
                origins.insert(TokenText::from(name));
            }
        }
        // A list nearly always comes by id, and is kept as it came; else it is put in order through
        // the places of its ids (4 bytes each), not a copy of the pairs.
        if !ids.is_sorted_by(|a, b| a < b) {
            let mut order: Vec<u32> = (0..ids.len())
                .filter_map(|i| u32::try_from(i).ok())
                .collect();
            order.sort_unstable_by_key(|&i| (ids[i as usize], i));
            order.dedup_by_key(|i| ids[*i as usize]);
            ids = order.iter().map(|&i| ids[i as usize]).collect();
            prints = order.iter().map(|&i| prints[i as usize]).collect();
        }
        Self {
            ids,
            prints,
            origins,
        }
    }

    /// Whether the comparison can do without `stored`: the list holds its token as it was, and no token
    /// of the list may have been made by resetting it.
    fn leaves_out(&self, stored: &TokenRecord) -> bool {
        let same = self
            .ids
            .binary_search(&stored.id)
            .is_ok_and(|at| self.prints[at] == fingerprint(stored));
        same && !self.origins.contains(stored.name.as_str())
    }
}

/// The changes from a stored snapshot read against a list (`load_against`; `unchanged` is what it
/// left out) to that list's `tokens`: what `compare` gives for the whole stored snapshot and the whole
/// list, made from the records that differ.
pub fn compare_read<'a>(
    before: &Snapshot,
    unchanged: &[TokenId],
    tokens: impl Iterator<Item = &'a ApiToken>,
    unreadable: &[UnreadableToken],
    now: DateTime<Utc>,
) -> Drift {
    // What the stored snapshot left out is the same in the list: the list's records of those are left
    // out too (but those of an id the file also holds as it differs: a file may hold an id twice).
    let mut kept: Vec<TokenId> = before.tokens.iter().map(|t| t.id).collect();
    kept.sort_unstable();
    let left_out =
        |id: &TokenId| unchanged.binary_search(id).is_ok() && kept.binary_search(id).is_err();
    let tokens = tokens.filter(|t| !left_out(&t.id));
    let after = Snapshot::of_tokens(before.account, "", tokens, unreadable, now, Some(before));
    compare(before, &after)
}

/// A record's fingerprint: 128 bits, so that two records that differ are never taken for the same.
fn fingerprint(record: &TokenRecord) -> u128 {
    let half = |seed: u64| foldhash::quality::FixedState::with_seed(seed).hash_one(record);
    (u128::from(half(0x6d74_7472)) << 64) | u128::from(half(0x7370_6e73))
}

/// A stored snapshot read against a list: its records that the list does not hold as they were, and
/// the ids of those it does, ascending.
pub(super) struct Reduced<'a>(pub(super) &'a Against);

impl<'de> DeserializeSeed<'de> for Reduced<'_> {
    type Value = (Snapshot, Vec<TokenId>);

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Reduced<'_> {
    type Value = (Snapshot, Vec<TokenId>);

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a snapshot")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let (mut version, mut account, mut api_url, mut taken_at) = (None, None, None, None);
        let mut records = None;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "version" => version = Some(map.next_value()?),
                "account" => account = Some(map.next_value()?),
                "api_url" => api_url = Some(map.next_value()?),
                "taken_at" => taken_at = Some(map.next_value()?),
                "tokens" => records = Some(map.next_value_seed(Records(self.0))?),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let (tokens, mut unchanged) = records.ok_or_else(|| de::Error::missing_field("tokens"))?;
        unchanged.sort_unstable();
        let snapshot = Snapshot {
            version: version.ok_or_else(|| de::Error::missing_field("version"))?,
            account: account.ok_or_else(|| de::Error::missing_field("account"))?,
            api_url: api_url.ok_or_else(|| de::Error::missing_field("api_url"))?,
            taken_at: taken_at.ok_or_else(|| de::Error::missing_field("taken_at"))?,
            tokens,
        };
        Ok((snapshot, unchanged))
    }
}

/// The `tokens` array, one record at a time.
struct Records<'a>(&'a Against);

impl<'de> DeserializeSeed<'de> for Records<'_> {
    type Value = (Vec<TokenRecord>, Vec<TokenId>);

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Records<'_> {
    type Value = (Vec<TokenRecord>, Vec<TokenId>);

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a list of token records")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let (mut kept, mut unchanged) = (Vec::new(), Vec::new());
        while let Some(record) = seq.next_element::<TokenRecord>()? {
            if self.0.leaves_out(&record) {
                unchanged.push(record.id);
            } else {
                kept.push(record);
            }
        }
        Ok((kept, unchanged))
    }
}
