//! What `update` asks the outside world to do. `executor.rs` runs the requests; the loop in `run.rs` handles
//! the terminal ones (suspend, quit) and the clipboard (an OSC 52 copy is written to the terminal between
//! frames, never in the middle of one).

use std::path::PathBuf;

use crate::api::{AccountId, NewToken, PermissionChange, Secret, TokenId};
use crate::clipboard::Content;
use crate::drift::{Against, TokenRecord};
use crate::journal::Note;
use crate::rotation::{HandoffRun, PlaceBook};

use super::msg::RequestId;

/// One write a preview plans.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PlanItem {
    Reset(TokenId),
    Delete(TokenId),
    Permissions(TokenId, Vec<PermissionChange>),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Effect {
    /// `GET /api/accounts`, then pick `wanted` (or the only one); answered by `Msg::AccountResolved`.
    ResolveAccount {
        req: RequestId,
        wanted: Option<AccountId>,
    },
    /// Answered by `Msg::TokensLoaded`.
    LoadTokens {
        req: RequestId,
        account: AccountId,
    },
    /// Answered by `Msg::ResourceTreeLoaded`.
    LoadResourceTree {
        req: RequestId,
        account: AccountId,
    },
    /// `POST …/api_tokens/{id}/reset`, sent once, never retried; answered by `Msg::TokenReset`. Every
    /// write carries its `journal` note: the executor appends it as "sent" before the request and the
    /// result after, and sends nothing when the journal cannot be written.
    ResetToken {
        req: RequestId,
        account: AccountId,
        token: TokenId,
        journal: Note,
    },
    /// `DELETE …/api_tokens/{id}`; answered by `Msg::TokenDeleted`.
    DeleteToken {
        req: RequestId,
        account: AccountId,
        token: TokenId,
        journal: Note,
    },
    /// `POST …/api_tokens`, sent once, never retried; answered by `Msg::TokenCreated`.
    CreateToken {
        req: RequestId,
        account: AccountId,
        new: NewToken,
        journal: Note,
    },
    /// Finds the token's account access, then the bulk permissions `PUT`; answered by
    /// `Msg::PermissionsUpdated`. An undo is one of these, its note's action `undo`.
    UpdatePermissions {
        req: RequestId,
        account: AccountId,
        token: TokenId,
        changes: Vec<PermissionChange>,
        journal: Note,
    },
    /// `GET /api/accounts` with a new secret; answered by `Msg::SecretVerified`.
    VerifySecret {
        req: RequestId,
        secret: Secret,
    },
    /// Handled by the loop with its one clipboard; answered by `Msg::Copied`.
    CopyToClipboard {
        text: Secret,
        content: Content,
    },
    /// Writes the secret to a new 0600 file at `path`, or beside it with `-2`, `-3`, … when that name
    /// is taken; answered by `Msg::SecretSaved` with the path written.
    SaveSecret {
        path: PathBuf,
        secret: Secret,
    },
    /// Reads the account's places list from the state directory; answered by `Msg::PlacesLoaded`.
    LoadPlaces {
        account: AccountId,
    },
    /// Writes the account's places list whole; answered by `Msg::PlacesSaved`.
    SavePlaces {
        account: AccountId,
        book: PlaceBook,
    },
    /// Reads the account's snapshot of the last look from the state directory, against the list it is
    /// to be compared with (only what differs from it is kept); answered by `Msg::SnapshotLoaded`.
    LoadSnapshot {
        account: AccountId,
        against: std::sync::Arc<Against>,
    },
    /// Writes a part of the account's snapshot (the executor names the API it came from): the records
    /// follow the save's earlier parts in ascending id. A save's first part starts its file and leaves
    /// any save not finished; its `last` puts the file in place of the old snapshot. Answered by
    /// `Msg::SnapshotPartWritten`, or by `Msg::SnapshotSaved` once the last part is written or the save
    /// failed.
    SaveSnapshot {
        save: u64,
        account: AccountId,
        taken_at: chrono::DateTime<chrono::Utc>,
        records: Vec<TokenRecord>,
        last: bool,
    },
    /// Runs each hand-off command in turn with the secret on its standard input; answered by one
    /// `Msg::HandedOff` per run.
    HandOff {
        /// The new token the secret belongs to.
        token: TokenId,
        runs: Vec<HandoffRun>,
        secret: Secret,
    },
    /// The exact requests of a bulk preview, built by the client's own builders (the account accesses are
    /// read for a permission edit, as `--dry-run` reads them); answered by `Msg::RequestsPlanned`.
    PlanRequests {
        req: RequestId,
        account: AccountId,
        items: Vec<PlanItem>,
    },
    /// Ctrl-Z: give the terminal back to the shell until resumed.
    Suspend,
    Quit,
}
