//! Drift in the console: the snapshot the last look kept (read against the session's first list), what
//! the comparison found, whether its banner was dismissed, and the saves of the newest list, after every
//! successful load.

use chrono::{DateTime, Utc};

use crate::api::{AccountId, UnreadableToken};
use crate::drift::{Drift, Snapshot, TokenRecord};

#[derive(Debug, Default)]
pub struct DriftState {
    /// The account the snapshot is kept for.
    pub account: Option<AccountId>,
    /// `None` until the stored snapshot is read; then what it held until the first list is compared
    /// with it (`Some(None)`: there was none, or it is no longer needed).
    pub baseline: Option<Option<Snapshot>>,
    /// How many lists of the account have come this session.
    pub lists: u64,
    /// The stored snapshot was asked for, read against the list that was `lists` then: an answer read
    /// against an older list is asked for again.
    pub asked_for: Option<u64>,
    /// The newest list's unreadable rows, while the stored snapshot is read (their stored records are
    /// carried over then).
    pub unreadable: Vec<UnreadableToken>,
    /// What changed, when anything did.
    pub found: Option<Drift>,
    /// Closing the list of changes dismisses the banner.
    pub dismissed: bool,
    /// The records the newest saved snapshot carried over for rows that could not be read (not in the
    /// table as tokens): nearly always none. No snapshot is kept once saved: the table holds the same
    /// tokens, and a later list that needs the records it had (for its unreadable rows) makes them
    /// again from the table's rows and these.
    pub carried: Vec<TokenRecord>,
    /// The snapshot being saved, a part at a time (see `settled_for_idle`).
    pub saving: Option<Saving>,
    /// Saves started this session, across accounts: an answer names its save by this count.
    pub saves: u64,
    /// A failed save is said once a session.
    pub save_failure_said: bool,
    /// No snapshot is made or kept (`--dump-screen`): a picture is not a look.
    pub disabled: bool,
}

impl DriftState {
    /// The banner shows: changes were found and their list not yet closed.
    pub fn banner_shown(&self) -> bool {
        self.found.is_some() && !self.dismissed
    }

    /// The stored snapshot has been read and compared, and none is being saved: what the console makes
    /// after its first frame (the findings, the texts, the orders) waits for the save's parts rather
    /// than adding to them.
    pub fn settled_for_idle(&self) -> bool {
        self.settled() && self.saving.is_none()
    }

    /// The stored snapshot has been read (or none is kept: no account yet, or no snapshots at all).
    pub fn settled(&self) -> bool {
        self.disabled || self.account.is_none() || self.baseline.is_some()
    }
}

/// A snapshot of the account's tokens in the table, saved a part at a time: the records of one part are
/// made as the part before is written, so that 100,000 tokens are never all made into records at once.
#[derive(Debug)]
pub struct Saving {
    /// Names the save in the executor's answers.
    pub id: u64,
    pub account: AccountId,
    pub taken_at: DateTime<Utc>,
    /// The table's generation the save reads: a table made again since is saved again, from the start.
    pub generation: u64,
    /// The account's readable rows, as indices into them, by token id (the first row of an id).
    pub order: Vec<u32>,
    /// How far `order` and `DriftState::carried` have been made into parts.
    pub next: usize,
    pub next_carried: usize,
    /// The last part is with the executor.
    pub finishing: bool,
}
