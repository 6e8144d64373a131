//! A snapshot of an account's inventory: for each token what the list says about it (id, name,
//! `…last4`, creator, permissions, expiry) and when it was taken. It never holds a secret: the list has
//! none to give.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use smallvec::SmallVec;

use crate::api::{
    AccessLevel, AccountId, ApiToken, TokenId, TokenList, TokenText, UnreadableToken,
};

/// The version of the file's shape; a file of another version is read as no snapshot.
pub const SNAPSHOT_VERSION: u32 = 1;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    pub version: u32,
    pub account: AccountId,
    /// The API the list came from: the same account id on another API (a simulator, a staging host) is
    /// another inventory, and comparing the two would report everything as changed.
    pub api_url: String,
    pub taken_at: DateTime<Utc>,
    /// By id, ascending.
    pub tokens: Vec<TokenRecord>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TokenRecord {
    pub id: TokenId,
    /// As the server sent it; made safe where it is shown.
    pub name: TokenText,
    pub last4: TokenText,
    pub created_by: TokenText,
    /// Each as `type:id:level`, sorted, so two snapshots compare by equality. Nearly always one, held in
    /// the record rather than in an allocation of its own.
    pub permissions: SmallVec<[TokenText; 1]>,
    pub expires_at: Option<DateTime<Utc>>,
}

impl TokenRecord {
    pub fn of(token: &ApiToken) -> Self {
        let level = |l: AccessLevel| l.name().map_or_else(|| l.0.to_string(), str::to_string);
        let mut permissions: SmallVec<[TokenText; 1]> = token
            .resources
            .iter()
            .map(|r| {
                compact_str::format_compact!(
                    "{}:{}:{}",
                    r.resource_type.as_str(),
                    r.resource_id,
                    level(r.access_level)
                )
            })
            .chain(token.opaque_resources.iter().map(|r| {
                compact_str::format_compact!(
                    "{}:{}:{}",
                    r.resource_type.as_str(),
                    r.resource_id,
                    r.access_level
                )
            }))
            .collect();
        permissions.sort();
        permissions.dedup();
        Self {
            id: token.id,
            name: token.name.clone(),
            last4: token.last_4_digits.clone(),
            created_by: token.created_by.clone(),
            permissions,
            expires_at: token.expires_at,
        }
    }
}

/// The API's address as snapshots keep it: without a trailing slash, so `http://h/` and `http://h` agree.
pub fn api_key(url: &str) -> String {
    url.trim_end_matches('/').to_string()
}

impl Snapshot {
    /// The snapshot of `list`. A token the list could not read is not known to be gone: its record in
    /// `previous` is carried over unchanged (matched by id, else by name), and while a row that names
    /// neither cannot be read, every token of `previous` missing from the list is carried over, since
    /// any of them may be that row. So an unreadable row never reads as a deletion.
    pub fn of_list(
        account: AccountId,
        api_url: &str,
        list: &TokenList,
        now: DateTime<Utc>,
        previous: Option<&Snapshot>,
    ) -> Self {
        Self::of_tokens(
            account,
            api_url,
            list.iter(),
            &list.unreadable,
            now,
            previous,
        )
    }

    /// [`Self::of_list`] of a list's readable tokens and the ones it could not read.
    pub fn of_tokens<'a>(
        account: AccountId,
        api_url: &str,
        tokens: impl Iterator<Item = &'a ApiToken>,
        unreadable: &[UnreadableToken],
        now: DateTime<Utc>,
        previous: Option<&Snapshot>,
    ) -> Self {
        let mut snapshot = Self {
            version: SNAPSHOT_VERSION,
            account,
            api_url: api_key(api_url),
            taken_at: now,
            tokens: tokens.map(TokenRecord::of).collect(),
        };
        // Sorting would set aside room for half the records even when they are in order already, as a
        // list often comes.
        if !snapshot.tokens.is_sorted_by_key(|t| t.id) {
            snapshot.tokens.sort_by_key(|t| t.id);
        }
        snapshot.tokens.dedup_by_key(|t| t.id);
        if let Some(previous) = previous {
            snapshot.carry_unreadable(unreadable, previous);
        }
        snapshot
    }

    /// Carries over from `previous` the records of the tokens `unreadable` may be (see [`Self::of_list`]).
    fn carry_unreadable(&mut self, unreadable: &[UnreadableToken], previous: &Snapshot) {
        let carried = Self::carried(previous, unreadable, |id| {
            self.tokens.binary_search_by_key(&id, |t| t.id).is_ok()
        });
        if carried.is_empty() {
            return;
        }
        self.tokens.extend(carried);
        self.tokens.sort_by_key(|t| t.id);
        self.tokens.dedup_by_key(|t| t.id);
    }

    /// The records of `previous` that a row of `unreadable` may be, among the tokens `listed` does not
    /// hold: those of its id or name, or all of them while a row names neither. By id, the first of an
    /// id `previous` holds twice.
    pub fn carried(
        previous: &Snapshot,
        unreadable: &[UnreadableToken],
        listed: impl Fn(TokenId) -> bool,
    ) -> Vec<TokenRecord> {
        if unreadable.is_empty() {
            return Vec::new();
        }
        let anonymous = unreadable
            .iter()
            .any(|u| u.id.is_none() && u.name.is_none());
        let mut carried: Vec<TokenRecord> = previous
            .tokens
            .iter()
            .filter(|record| !listed(record.id))
            .filter(|record| {
                anonymous
                    || unreadable.iter().any(|u| match u.id {
                        Some(id) => id == record.id,
                        None => u.name.as_deref() == Some(record.name.as_str()),
                    })
            })
            .cloned()
            .collect();
        carried.sort_by_key(|t| t.id);
        carried.dedup_by_key(|t| t.id);
        carried
    }

    /// The same snapshot, of the API at `api_url`.
    pub fn of_api(mut self, api_url: &str) -> Self {
        self.api_url = api_key(api_url);
        self
    }
}
