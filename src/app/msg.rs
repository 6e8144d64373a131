//! Everything that can happen to the console, as one message type: keys, time, the terminal, and the answers
//! to the requests that `Effect`s started. Every answer carries the id of its request; `update` drops an
//! answer whose id is no longer the current one (a stale refresh must not overwrite a newer list).

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use crossterm::event::KeyEvent;

use crate::api::AccountChoice;
use crate::api::{Account, AccountId, ApiError, CreatedToken, ResourceNode, TokenId};
use crate::app::state::table::ListedRows;
use crate::clipboard::CopyOutcome;
use crate::rotation::{HandoffOutcome, HandoffRun, PlaceBook};

/// Identifies one request; handed out by `State::next_request_id`.
pub type RequestId = u64;

#[derive(Debug)]
pub enum Msg {
    /// A key pressed by someone looking at the current state (tests and scripted drivers).
    Key(KeyEvent),
    /// A key as the terminal delivered it. It answers a dialog only once that dialog, as it asks now, has
    /// been drawn (`State::frame_drawn`): keys typed or pasted ahead, in the same burst as the key that
    /// opened it, never confirm anything.
    TerminalKey(KeyEvent),
    /// The clock moved: countdowns, status expiry and auto-refresh are checked against it.
    Tick(DateTime<Utc>),
    /// The frame is on screen and nothing is waiting: time for what the first frame did not need.
    Idle,
    Resize(u16, u16),
    /// Bracketed paste: text for the field with focus, never keys.
    Paste(String),
    /// The mouse wheel (with mouse capture on): negative is up.
    Scroll(i32),
    /// A left click at this terminal cell (with mouse capture on).
    Click {
        column: u16,
        row: u16,
    },
    AccountResolved {
        req: RequestId,
        result: Result<AccountChoice, ApiError>,
    },
    /// One account's list, its rows made as it was read.
    TokensLoaded {
        req: RequestId,
        result: Result<ListedRows, ApiError>,
    },
    ResourceTreeLoaded {
        req: RequestId,
        result: Result<Vec<ResourceNode>, ApiError>,
    },
    TokenReset {
        req: RequestId,
        token: TokenId,
        result: Result<CreatedToken, ApiError>,
    },
    TokenDeleted {
        req: RequestId,
        token: TokenId,
        result: Result<(), ApiError>,
    },
    TokenCreated {
        req: RequestId,
        result: Result<CreatedToken, ApiError>,
    },
    PermissionsUpdated {
        req: RequestId,
        token: TokenId,
        result: Result<(), ApiError>,
    },
    SecretVerified {
        req: RequestId,
        result: Result<Vec<Account>, ApiError>,
    },
    /// The clipboard's answer to `Effect::CopyToClipboard`.
    Copied(CopyOutcome),
    SecretSaved(Result<PathBuf, String>),
    /// A read is being retried after `reason`, in `wait_ms`: the status line says it is waiting.
    Retrying {
        reason: String,
        wait_ms: u64,
    },
    PlacesLoaded {
        account: AccountId,
        result: Result<PlaceBook, String>,
    },
    PlacesSaved(Result<(), String>),
    /// The account's stored snapshot, as `Effect::LoadSnapshot` read it (none, or a warning, is no
    /// failure).
    SnapshotLoaded {
        account: AccountId,
        loaded: crate::drift::Loaded,
    },
    /// A part of snapshot save `save` is written, and the next may come.
    SnapshotPartWritten {
        save: u64,
    },
    /// Snapshot save `save` is in place, or failed.
    SnapshotSaved {
        save: u64,
        result: Result<(), String>,
    },
    /// One hand-off command finished (or was stopped).
    HandedOff {
        token: TokenId,
        run: HandoffRun,
        outcome: HandoffOutcome,
    },
    /// The exact requests a bulk preview asked for, one line each (method and URL, then the body).
    RequestsPlanned {
        req: RequestId,
        result: Result<Vec<String>, ApiError>,
    },
    /// `X-Ratelimit-Remaining` after a request finished.
    RateRemaining(Option<u32>),
}
