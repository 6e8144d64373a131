//! Drift in the console: the snapshot the last look kept (read at start), the session's first list
//! waiting for it, what the comparison found, whether its banner was dismissed, and the newest
//! snapshot, saved after every successful load.

use crate::api::{AccountId, UnreadableToken};
use crate::drift::{Drift, Snapshot, TokenRecord};

#[derive(Debug, Default)]
pub struct DriftState {
    /// The account the snapshot was asked for.
    pub account: Option<AccountId>,
    /// `None` until the stored snapshot is read; then what it held until the first list is compared
    /// with it (`Some(None)`: there was none, or it is no longer needed).
    pub baseline: Option<Option<Snapshot>>,
    /// The session's first list, kept until the stored snapshot is read, with its unreadable rows (so
    /// that the stored records of those can be carried over then).
    pub first: Option<(std::sync::Arc<Snapshot>, Vec<UnreadableToken>)>,
    /// The first list has been compared with the stored snapshot.
    pub compared: bool,
    /// What changed, when anything did.
    pub found: Option<Drift>,
    /// Closing the list of changes dismisses the banner.
    pub dismissed: bool,
    /// The newest list's snapshot while it waits for the stored one to be read: it is saved then (never
    /// before, so that the save cannot overwrite what the comparison needs). Once saved it is not
    /// kept: the table holds the same tokens, and a later list that needs the records it had (for its
    /// unreadable rows) makes them again from the table's rows and `carried`.
    pub latest: Option<std::sync::Arc<Snapshot>>,
    /// The records the newest saved snapshot carried over for rows that could not be read (not in the
    /// table as tokens): nearly always none.
    pub carried: Vec<TokenRecord>,
    /// Snapshots handed to the executor to save and not yet answered for (see `settled_for_idle`).
    pub saves_in_flight: usize,
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

    /// The stored snapshot has been read and compared, and none is being saved: at 100,000 tokens each
    /// holds 13 MB until then, and what the console makes after its first frame (the findings, the
    /// texts, the filter's texts: 25 MB) is made once they are gone rather than beside them.
    pub fn settled_for_idle(&self) -> bool {
        self.settled() && self.saves_in_flight == 0
    }

    /// The stored snapshot has been read (or none was asked for yet).
    pub fn settled(&self) -> bool {
        self.account.is_none() || self.baseline.is_some()
    }
}
