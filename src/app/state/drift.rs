//! Drift in the console: the snapshot the last look kept (read at start), the session's first list
//! waiting for it, what the comparison found, whether its banner was dismissed, and the newest
//! snapshot, saved after every successful load.

use crate::api::{AccountId, UnreadableToken};
use crate::drift::{Drift, Snapshot};

#[derive(Debug, Default)]
pub struct DriftState {
    /// The account the snapshot was asked for.
    pub account: Option<AccountId>,
    /// `None` until the stored snapshot is read; then what it held (`Some(None)`: there was none).
    pub baseline: Option<Option<Snapshot>>,
    /// The session's first list, kept until the stored snapshot is read, with its unreadable rows (so
    /// that the stored records of those can be carried over then).
    pub first: Option<(Snapshot, Vec<UnreadableToken>)>,
    /// The first list has been compared with the stored snapshot.
    pub compared: bool,
    /// What changed, when anything did.
    pub found: Option<Drift>,
    /// Closing the list of changes dismisses the banner.
    pub dismissed: bool,
    /// The newest list's snapshot: saved after each load once the stored one has been read (never
    /// before, so that the save cannot overwrite what the comparison needs).
    pub latest: Option<std::sync::Arc<Snapshot>>,
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

    /// The stored snapshot has been read (or none was asked for yet).
    pub fn settled(&self) -> bool {
        self.account.is_none() || self.baseline.is_some()
    }
}
