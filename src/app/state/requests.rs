//! The requests ledger: the three loads (accounts, tokens, the resource tree), the writes in flight, the
//! writes whose answer was lost, the request ids, and what the server says of the rate limit.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};

use crate::api::{AccountId, ApiError, ResourceNode, TokenId};
use crate::journal::{EntryId, Permission};
use crate::text::SafeText;

use super::super::msg::RequestId;

/// Where one resource (accounts, tokens, the resource tree) stands.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum LoadState {
    #[default]
    Idle,
    Loading,
    Loaded(DateTime<Utc>),
    Failed(Failure),
}

/// A failed load, with the words its screen says, made safe when the failure arrived.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    pub error: ApiError,
    pub headline: SafeText,
    /// What the server or the connection said; after the API's URL when `names_url`.
    pub detail: SafeText,
    pub names_url: bool,
}

impl Failure {
    pub fn of(error: ApiError) -> Self {
        let (headline, detail, names_url) = match &error {
            ApiError::Unauthorized { .. } => (
                "The API token is invalid or has expired (401)",
                SafeText::literal("The server refused the token."),
                false,
            ),
            ApiError::Forbidden { message } => (
                "The token lacks a permission (403)",
                SafeText::new(message).after("The server said: "),
                false,
            ),
            ApiError::Connection { message } => {
                ("Cannot reach the API", SafeText::new(message), true)
            }
            ApiError::Timeout => ("The API did not answer in time", SafeText::default(), true),
            other => (
                "Could not load the tokens",
                SafeText::from(other.to_string()),
                false,
            ),
        };
        Self {
            headline: SafeText::literal(headline),
            detail,
            names_url,
            error,
        }
    }

    /// The detail line, after `api_url` where the failure is about reaching it.
    pub fn detail_line(&self, api_url: &SafeText) -> String {
        match (self.names_url, self.detail.is_empty()) {
            (true, true) => api_url.to_string(),
            (true, false) => format!("{api_url}: {}", self.detail),
            (false, _) => self.detail.to_string(),
        }
    }
}

/// A resource's load state, the request now in flight (answers to any other id are stale) and when it was
/// last asked for (auto-refresh counts from there).
#[derive(Clone, Debug, Default)]
pub struct Tracked {
    pub state: LoadState,
    pub in_flight: Option<RequestId>,
    pub last_attempt: Option<DateTime<Utc>>,
    pub last_success: Option<DateTime<Utc>>,
}

impl Tracked {
    pub fn start(&mut self, req: RequestId, now: DateTime<Utc>) {
        self.state = LoadState::Loading;
        self.in_flight = Some(req);
        self.last_attempt = Some(now);
    }

    /// Whether an answer with this id is the one we wait for; a stale id is dropped by the caller.
    pub fn accepts(&self, req: RequestId) -> bool {
        self.in_flight == Some(req)
    }

    pub fn finish(&mut self, result: Result<(), ApiError>, now: DateTime<Utc>) {
        self.in_flight = None;
        match result {
            Ok(()) => {
                self.state = LoadState::Loaded(now);
                self.last_success = Some(now);
            }
            Err(e) => self.state = LoadState::Failed(Failure::of(e)),
        }
    }

    /// Forgets the request in flight (its answer will be stale), as if it had never been asked.
    pub fn abandon(&mut self, req: RequestId) {
        if self.in_flight == Some(req) {
            self.in_flight = None;
            if self.state == LoadState::Loading {
                self.state = LoadState::Idle;
            }
        }
    }

    pub fn error(&self) -> Option<&ApiError> {
        self.failure().map(|f| &f.error)
    }

    pub fn failure(&self) -> Option<&Failure> {
        match &self.state {
            LoadState::Failed(f) => Some(f),
            _ => None,
        }
    }
}

/// What a write request in flight is doing, kept until its answer arrives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WriteKind {
    /// `old_name` is the token's name as the server has it (not sanitized), for the lost-answer check.
    Reset {
        old_name: String,
    },
    Delete {
        name: String,
    },
    Create {
        name: String,
    },
    EditPermissions {
        name: String,
    },
    Verify,
}

#[derive(Clone, Debug)]
pub struct PendingWrite {
    pub kind: WriteKind,
    /// The row the request acts on (its row shows a marker).
    pub token: Option<TokenId>,
    /// The token ids in the list when the request was sent: a token not among them after a lost answer
    /// was made by this request.
    pub known_ids: HashSet<TokenId>,
}

impl PendingWrite {
    /// Whether losing this request's answer loses a secret.
    pub fn carries_secret(&self) -> bool {
        matches!(
            self.kind,
            WriteKind::Reset { .. } | WriteKind::Create { .. }
        )
    }
}

/// A permission edit of this session that `u` can undo: the journal entry it was sent as, and the
/// token's permissions before and after it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UndoableEdit {
    pub entry: EntryId,
    pub token: TokenId,
    pub before: Vec<Permission>,
    pub after: Vec<Permission>,
}

/// A permission change in flight: the edit it makes, and whether it is itself an undo.
#[derive(Clone, Debug)]
pub struct PendingEdit {
    pub edit: UndoableEdit,
    pub is_undo: bool,
}

/// A reset or create whose answer never arrived; settled against the next list that loads.
#[derive(Clone, Debug)]
pub struct LostWrite {
    pub kind: WriteKind,
    pub known_ids: HashSet<TokenId>,
}

#[derive(Debug)]
pub struct Requests {
    pub accounts: Tracked,
    pub tokens: Tracked,
    pub tree: Tracked,
    /// Write requests in flight.
    pub writes: HashMap<RequestId, PendingWrite>,
    /// Resets and creates whose answer never came, waiting for the next list to settle them.
    pub lost_writes: Vec<LostWrite>,
    /// `X-Ratelimit-Remaining` after the last request.
    pub rate_remaining: Option<u32>,
    /// The permission changes in flight, by request.
    pub edits: HashMap<RequestId, PendingEdit>,
    /// The last permission edit that succeeded in this session, until it is undone.
    pub last_edit: Option<UndoableEdit>,
    /// The last bulk permission edit of this session, token by token (its rows that were done): what
    /// `u` puts back, while no other edit came after it.
    pub last_bulk_edit: Option<Vec<UndoableEdit>>,
    /// The loads sent for the account named at start while that account is still being checked.
    pub ahead: Option<LoadsAhead>,
    /// The accounts are being asked for again to show every account (`A` in a one-account session).
    pub widening: bool,
    next_request: RequestId,
}

/// The token list and tree asked for the account named at start, alongside the question whether the token
/// sees that account: against a server a round trip away, the first frame costs one round trip, not two.
/// Their answers wait here until the account is confirmed; the table never shows a list for an account
/// that was not.
#[derive(Debug)]
pub struct LoadsAhead {
    pub account: AccountId,
    pub tokens_req: RequestId,
    pub tree_req: Option<RequestId>,
    pub tokens: Option<Result<super::table::ListedRows, ApiError>>,
    pub tree: Option<Result<Vec<ResourceNode>, ApiError>>,
}

impl Default for Requests {
    fn default() -> Self {
        Self {
            accounts: Tracked::default(),
            tokens: Tracked::default(),
            tree: Tracked::default(),
            writes: HashMap::new(),
            lost_writes: Vec::new(),
            rate_remaining: None,
            edits: HashMap::new(),
            last_edit: None,
            last_bulk_edit: None,
            ahead: None,
            widening: false,
            next_request: 1,
        }
    }
}

impl Requests {
    pub fn next_request_id(&mut self) -> RequestId {
        let id = self.next_request;
        self.next_request += 1;
        id
    }

    /// Whether a write for this token is in flight (its row shows a marker).
    pub fn row_busy(&self, token: TokenId) -> bool {
        self.writes.values().any(|w| w.token == Some(token))
    }

    /// Resets and creates in flight: each would bring a secret that must not be lost.
    pub fn secrets_awaited(&self) -> usize {
        self.writes.values().filter(|w| w.carries_secret()).count()
    }

    /// Whether the token list has arrived at least once.
    /// Drops the loads sent ahead of the account check, and whatever they brought.
    pub fn abandon_ahead(&mut self) {
        if let Some(ahead) = self.ahead.take() {
            self.tokens.abandon(ahead.tokens_req);
            if let Some(req) = ahead.tree_req {
                self.tree.abandon(req);
            }
        }
    }

    pub fn has_tokens(&self) -> bool {
        self.tokens.last_success.is_some()
    }

    /// Tracks a write until its answer.
    pub fn track_write(
        &mut self,
        kind: WriteKind,
        token: Option<TokenId>,
        known_ids: HashSet<TokenId>,
    ) -> RequestId {
        let req = self.next_request_id();
        self.writes.insert(
            req,
            PendingWrite {
                kind,
                token,
                known_ids,
            },
        );
        req
    }
}
