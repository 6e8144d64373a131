//! Where each token of the account is used (the places list kept in the state directory) and what the
//! console has said about an unfinished cut-over.

use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::{DateTime, Duration, Utc};

use crate::api::{AccountId, TokenId};
use crate::rotation::PlaceBook;

#[derive(Debug, Default)]
pub struct PlacesState {
    pub book: PlaceBook,
    /// The account whose list is loaded; `None` until it is (nothing is saved before, so a list not yet
    /// read is never overwritten).
    pub account: Option<AccountId>,
    /// Reset tokens whose last hour with places unticked the status line has said.
    pub warned: HashSet<TokenId>,
    /// In the inventory of several accounts: the accounts whose lists are loaded (each is saved to its
    /// own file, and only once read), and the account each token's places were read from.
    pub loaded: BTreeSet<AccountId>,
    pub origin: HashMap<TokenId, AccountId>,
}

/// How long before a grace's end unticked places turn the row to danger and are said once.
pub const LAST_HOUR: Duration = Duration::hours(1);

impl PlacesState {
    /// Whether a reset token's checklist has places left with an hour or less of its grace to go.
    pub fn cut_over_late(&self, token: TokenId, stops: DateTime<Utc>, now: DateTime<Utc>) -> bool {
        let (done, all) = self.book.progress(token);
        done < all && stops - now <= LAST_HOUR
    }
}
