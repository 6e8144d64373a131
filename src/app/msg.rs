//! Everything that can happen to the console, as one message type: keys, time, the terminal, and the answers
//! to the requests that `Effect`s started. Every answer carries the id of its request; `update` drops an
//! answer whose id is no longer the current one (a stale refresh must not overwrite a newer list).

use chrono::{DateTime, Utc};
use crossterm::event::KeyEvent;

use crate::api::{ApiError, ApiToken, ResourceNode};
use crate::cli::session::AccountChoice;

/// Identifies one request; handed out by `State::next_request_id`.
pub type RequestId = u64;

#[derive(Debug)]
pub enum Msg {
    Key(KeyEvent),
    /// The clock moved: countdowns, status expiry and auto-refresh are checked against it.
    Tick(DateTime<Utc>),
    Resize(u16, u16),
    Paste(String),
    AccountResolved {
        req: RequestId,
        result: Result<AccountChoice, ApiError>,
    },
    TokensLoaded {
        req: RequestId,
        result: Result<Vec<ApiToken>, ApiError>,
    },
    ResourceTreeLoaded {
        req: RequestId,
        result: Result<Vec<ResourceNode>, ApiError>,
    },
    /// `X-Ratelimit-Remaining` after a request finished.
    RateRemaining(Option<u32>),
}
