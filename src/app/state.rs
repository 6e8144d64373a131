//! The console's model. Tokens are stored once; the table shows them through a cached order of indices that
//! is recomputed only when the data, the filter or the sort change. The selection is kept by token id, so a
//! refresh, a filter or a sort never moves it to another token.

use std::cell::Cell;
use std::collections::{HashMap, HashSet, VecDeque};
use std::path::PathBuf;

use chrono::{DateTime, Duration, Utc};

use crate::api::{
    Account, AccountId, ApiError, ApiToken, ResourceKind, ResourceNode, TokenId, TokenList,
};

use super::columns::{self, ResourceNames};
use super::dialogs::{
    ActionMenu, ConfirmDialog, CopyAlternatives, EditPermissionsDialog, SecretDialog, TokenForm,
};
use super::msg::RequestId;
use super::registry::RowContext;
use crate::keys::keymap::Keymap;

/// Where one resource (accounts, tokens, the resource tree) stands.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum LoadState {
    #[default]
    Idle,
    Loading,
    Loaded(DateTime<Utc>),
    Failed(ApiError),
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
            Err(e) => self.state = LoadState::Failed(e),
        }
    }

    pub fn error(&self) -> Option<&ApiError> {
        match &self.state {
            LoadState::Failed(e) => Some(e),
            _ => None,
        }
    }
}

/// Which screen the console is on before the table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Asking `GET /api/accounts` which account to manage.
    Connecting,
    /// Several accounts and none named: the operator picks one.
    PickAccount {
        accounts: Vec<Account>,
        cursor: usize,
    },
    /// The account is known; the table (or its loading or error screen) shows.
    Ready(Account),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortColumn {
    Name,
    Creator,
    Access,
    Expires,
    Token,
}

impl SortColumn {
    pub const ALL: [SortColumn; 5] = [
        SortColumn::Name,
        SortColumn::Creator,
        SortColumn::Access,
        SortColumn::Expires,
        SortColumn::Token,
    ];

    pub fn next(self) -> Self {
        let i = Self::ALL.iter().position(|c| *c == self).unwrap_or(0);
        Self::ALL[(i + 1) % Self::ALL.len()]
    }

    pub fn title(self) -> &'static str {
        match self {
            SortColumn::Name => "Name",
            SortColumn::Creator => "Creator",
            SortColumn::Access => "Access level",
            SortColumn::Expires => "Expires",
            SortColumn::Token => "Token",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sort {
    pub column: SortColumn,
    pub descending: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Info,
    Success,
    Warn,
    Error,
}

/// A message on the status line, gone at `expires_at`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusMessage {
    pub text: String,
    pub level: Level,
    pub expires_at: DateTime<Utc>,
}

/// What sits on top of the table and takes keys first; at most one at a time.
#[derive(Debug)]
pub enum Overlay {
    Help {
        scroll: u16,
    },
    /// The row's action menu (Enter or `.`).
    Menu {
        token: TokenId,
        menu: ActionMenu,
    },
    /// Reset or delete, waiting for "confirmed"; closed as soon as it is confirmed.
    Confirm(Box<ConfirmDialog>),
    /// New token or clone; stays open while its create request runs, so a 422 can go back into it.
    Form(Box<TokenForm>),
    /// Edit permissions; stays open while the save runs.
    EditPermissions {
        token: TokenId,
        dialog: Box<EditPermissionsDialog>,
    },
    /// A new secret, shown once.
    Secret(Box<SecretDialog>),
    /// Copy on a token whose secret this console does not hold.
    CopyAlternatives(CopyAlternatives),
    /// `q` or Ctrl-C while a new secret would be lost; `focus` 0 = Stay (focused first), 1 = Quit.
    QuitConfirm {
        focus: usize,
        reason: String,
    },
    /// Something the operator must read (a change whose answer was lost): stays until acknowledged.
    Notice {
        title: String,
        lines: Vec<String>,
    },
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

/// A reset or create whose answer never arrived; settled against the next list that loads.
#[derive(Clone, Debug)]
pub struct LostWrite {
    pub kind: WriteKind,
    pub known_ids: HashSet<TokenId>,
}

/// A dialog waiting for the resource tree before it can open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WaitingForTree {
    NewToken,
    Clone(TokenId),
    EditPermissions(TokenId),
}

/// One token with what the table derives from it, computed once per data change.
#[derive(Clone, Debug)]
pub struct TokenRow {
    pub token: ApiToken,
    /// The name and creator made safe once per data change, so a frame only fits them to their cells.
    pub name: String,
    pub creator: String,
    pub access: String,
    /// Lowercased name, creator, access, id and last digits: what the filter matches.
    pub search: String,
    /// Index (in `State::rows`) of the token that replaced this one in a reset.
    pub successor: Option<usize>,
    /// The server sent this token in a shape that could not be read: what is wrong with it. The row only
    /// shows it; `token` holds what could be made out (the name, maybe the id) and nothing is done with it.
    pub unreadable: Option<String>,
}

impl TokenRow {
    /// A reset grace: a successor exists and the token has an expiry (reset sets one).
    pub fn in_grace(&self) -> bool {
        self.successor.is_some() && self.token.expires_at.is_some()
    }
}

/// The scroll position of the table, written by the view when it lays out the rows (like ratatui's
/// `TableState`), read by `update` for page sizes and by the loop for "is a countdown visible".
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Viewport {
    pub offset: usize,
    pub height: usize,
    /// The screen row of the first table row (for mouse clicks).
    pub top: u16,
}

/// Settings fixed at start.
#[derive(Clone, Debug)]
pub struct StateConfig {
    pub keymap: Keymap,
    pub wanted_account: Option<AccountId>,
    /// Shown on the "cannot reach" screen.
    pub api_url: String,
    pub refresh_every: Duration,
}

pub const MIN_REFRESH: i64 = 5;
pub const DEFAULT_REFRESH: i64 = 30;
pub const STATUS_SECONDS: i64 = 6;

#[derive(Debug)]
pub struct State {
    pub keymap: Keymap,
    pub wanted_account: Option<AccountId>,
    pub api_url: String,
    pub refresh_every: Duration,

    pub phase: Phase,
    pub accounts: Tracked,
    pub tokens: Tracked,
    pub tree: Tracked,

    pub rows: Vec<TokenRow>,
    pub names: ResourceNames,
    /// All rows in sort order; recomputed on data or sort change.
    sorted: Vec<usize>,
    /// Perf cache (issue 6, goal 2): every row in ascending order for each column of `SortColumn::ALL`,
    /// computed once per data change, so a sort key copies an order instead of sorting 10,000 rows again.
    ascending_by: Vec<Vec<usize>>,
    /// The visible rows: `sorted` narrowed by the filter; recomputed on data, sort or filter change.
    order: Vec<usize>,
    /// The selected token and its position in `order`.
    selected: Option<TokenId>,
    cursor: usize,
    /// A token to select as soon as a list holds it: the one just created, or a reset's successor.
    follow: Option<TokenId>,

    pub filter: String,
    /// Keys go to the filter's text while true.
    pub filter_editing: bool,
    pub sort: Sort,

    pub status: Option<StatusMessage>,
    pub overlay: Option<Overlay>,
    pub rate_remaining: Option<u32>,
    pub viewport: Cell<Viewport>,
    /// Set by `update` when the screen must be drawn again; cleared by the loop after drawing.
    pub needs_redraw: bool,
    next_request: RequestId,

    /// The last four characters of the token this console runs on: rows ending in them are its own.
    pub own_last4: Option<String>,
    /// The console's token cannot change anything (account access below admin, or a 403 on a write).
    pub caller_is_viewer: bool,
    /// The permissions tree as loaded (forms are built from it).
    pub resource_tree: Vec<ResourceNode>,
    /// Old token id → when it stops, for tokens in their reset grace (derived with the rows).
    pub reset_grace: HashMap<TokenId, DateTime<Utc>>,
    /// Domain id → rows that name it, so "the last token of a domain" needs no scan of every token.
    domain_holders: HashMap<i64, Vec<usize>>,
    /// Perf cache (issue 6, goal 1): the tokens of `domain_holders`, cloned once per data change, so the row
    /// context of a domain's token borrows them; cloning them per frame cost 0.3 ms at 10,000 tokens and
    /// 6 ms at 100,000 (a synthetic account has thousands of tokens on one domain).
    domain_tokens: HashMap<i64, Vec<ApiToken>>,
    /// Write requests in flight.
    pub writes: HashMap<RequestId, PendingWrite>,
    pub lost_writes: Vec<LostWrite>,
    /// New secrets that arrived while another dialog was open; shown when it closes.
    pub queued_secrets: VecDeque<Box<SecretDialog>>,
    pub waiting_for_tree: Option<WaitingForTree>,
    /// Problems in the config file, listed in the help.
    pub config_warnings: Vec<String>,
    /// Where `s` in the secret dialog saves.
    pub save_dir: PathBuf,
    /// The open overlay, as it now asks, has been on screen: only then may a terminal key answer it.
    pub overlay_drawn: bool,
    /// Tokens made by a reset or create whose answer was lost: their secret never reached anyone.
    pub secret_not_received: HashSet<TokenId>,
    /// The secret dialog whose copy or save is under way: only it takes the answer.
    pub copy_for: Option<TokenId>,
    pub save_for: Option<TokenId>,
    /// Notices that wait for the dialog in front to close.
    pub queued_notices: VecDeque<(String, Vec<String>)>,
}

/// Which question an overlay is asking: when it changes, the overlay must be drawn again before a key
/// from the terminal may answer it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OverlayFace {
    kind: u8,
    step: u8,
    token: Option<TokenId>,
}

impl State {
    pub fn new(config: StateConfig) -> Self {
        let refresh_every = config.refresh_every.max(Duration::seconds(MIN_REFRESH));
        Self {
            keymap: config.keymap,
            wanted_account: config.wanted_account,
            api_url: config.api_url,
            refresh_every,
            phase: Phase::Connecting,
            accounts: Tracked::default(),
            tokens: Tracked::default(),
            tree: Tracked::default(),
            rows: Vec::new(),
            names: ResourceNames::default(),
            sorted: Vec::new(),
            ascending_by: Vec::new(),
            order: Vec::new(),
            selected: None,
            cursor: 0,
            follow: None,
            filter: String::new(),
            filter_editing: false,
            sort: Sort {
                column: SortColumn::Name,
                descending: false,
            },
            status: None,
            overlay: None,
            rate_remaining: None,
            viewport: Cell::new(Viewport::default()),
            needs_redraw: true,
            next_request: 1,
            own_last4: None,
            caller_is_viewer: false,
            resource_tree: Vec::new(),
            reset_grace: HashMap::new(),
            domain_holders: HashMap::new(),
            domain_tokens: HashMap::new(),
            writes: HashMap::new(),
            lost_writes: Vec::new(),
            queued_secrets: VecDeque::new(),
            waiting_for_tree: None,
            config_warnings: Vec::new(),
            save_dir: PathBuf::from("."),
            overlay_drawn: true,
            secret_not_received: HashSet::new(),
            copy_for: None,
            save_for: None,
            queued_notices: VecDeque::new(),
        }
    }

    /// What the open overlay is asking now (`None` without one).
    pub fn overlay_face(&self) -> Option<OverlayFace> {
        let face = |kind, step, token| OverlayFace { kind, step, token };
        Some(match self.overlay.as_ref()? {
            Overlay::Help { .. } => face(0, 0, None),
            Overlay::Menu { token, .. } => face(1, 0, Some(*token)),
            Overlay::Confirm(d) => face(2, 0, Some(d.action().target().token_id)),
            Overlay::Form(f) => face(3, f.step() as u8, None),
            Overlay::EditPermissions { token, dialog } => {
                face(4, dialog.step() as u8, Some(*token))
            }
            Overlay::Secret(d) => face(5, u8::from(d.is_asking_close()), Some(d.token_id())),
            Overlay::CopyAlternatives(_) => face(6, 0, None),
            Overlay::QuitConfirm { .. } => face(7, 0, None),
            Overlay::Notice { .. } => face(8, 0, None),
        })
    }

    /// The open dialog has a text field with focus, where a plain character is text and answers nothing.
    pub fn overlay_takes_text(&self) -> bool {
        match &self.overlay {
            Some(Overlay::Form(f)) => f.step() == super::dialogs::token_form::Step::Name,
            Some(Overlay::Confirm(d)) => d.typing_name(),
            Some(Overlay::EditPermissions { dialog, .. }) => dialog.typing_name(),
            _ => false,
        }
    }

    /// The loop drew a frame: the overlay on it has been seen.
    pub fn frame_drawn(&mut self) {
        self.overlay_drawn = true;
    }

    /// A key arrived in the same burst as the one before it: it was not typed in answer to what is on
    /// screen, so it cannot answer the open dialog (until the next frame).
    pub fn key_in_burst(&mut self) {
        self.overlay_drawn = false;
    }

    /// Every new secret this console still holds that nothing else keeps (not saved to a file): what a
    /// signal or a lost terminal must not take with it.
    pub fn secrets_in_custody(&self) -> Vec<crate::custody::Rescue<'_>> {
        let open = match &self.overlay {
            Some(Overlay::Secret(d)) => Some(d.as_ref()),
            _ => None,
        };
        open.into_iter()
            .chain(self.queued_secrets.iter().map(|d| d.as_ref()))
            .filter_map(SecretDialog::custody)
            .collect()
    }

    /// Whether a write for this token is in flight (its row shows a marker).
    pub fn row_busy(&self, token: TokenId) -> bool {
        self.writes.values().any(|w| w.token == Some(token))
    }

    /// Whether the row is (one of) the token(s) this console runs on.
    pub fn is_own_token(&self, token: &ApiToken) -> bool {
        self.own_last4
            .as_deref()
            .is_some_and(|l| !l.is_empty() && token.last_4_digits == l)
    }

    /// The ids of every loaded token.
    pub fn known_ids(&self) -> HashSet<TokenId> {
        self.rows.iter().map(|r| r.token.id).collect()
    }

    /// Finds a row by token id.
    pub fn row_by_id(&self, id: TokenId) -> Option<usize> {
        self.rows.iter().position(|r| r.token.id == id)
    }

    /// Whether this console holds the secret of the token (a secret dialog for it is open or queued).
    pub fn holds_secret(&self, id: TokenId) -> bool {
        let open = matches!(&self.overlay, Some(Overlay::Secret(d)) if d.token_id() == id);
        open || self.queued_secrets.iter().any(|d| d.token_id() == id)
    }

    /// New secrets that quitting now would lose: unacknowledged dialogs, and resets or creates whose
    /// answer has not arrived yet.
    pub fn secrets_at_risk(&self) -> usize {
        let open =
            matches!(&self.overlay, Some(Overlay::Secret(d)) if d.has_unacknowledged_secret());
        usize::from(open)
            + self
                .queued_secrets
                .iter()
                .filter(|d| d.has_unacknowledged_secret())
                .count()
            + self.writes.values().filter(|w| w.carries_secret()).count()
    }

    /// Calls `f` with the registry's view of row `index` (the row itself, the tokens that share a domain
    /// with it, the grace map and the tree).
    pub fn with_row_context<R>(
        &self,
        index: usize,
        now: DateTime<Utc>,
        f: impl FnOnce(&RowContext<'_>) -> R,
    ) -> R {
        let row = &self.rows[index];
        let mut domains = row
            .token
            .resources
            .iter()
            .filter(|r| r.resource_type.kind() == ResourceKind::Domain)
            .map(|r| r.resource_id);
        // The common cases borrow: no domain (the row alone), or one domain (its holders, this row among
        // them). A token on several domains gets the merged list built below.
        let single: Option<&[ApiToken]> = match (domains.next(), domains.next()) {
            (None, _) => Some(std::slice::from_ref(&row.token)),
            (Some(domain), None) => self.domain_tokens.get(&domain).map(Vec::as_slice),
            _ => None,
        };
        if let Some(related) = single {
            return f(&self.row_context(row, now, related));
        }
        let mut related: Vec<ApiToken> = vec![row.token.clone()];
        let mut seen: HashSet<usize> = HashSet::from([index]);
        for r in &row.token.resources {
            if r.resource_type.kind() != ResourceKind::Domain {
                continue;
            }
            for &other in self
                .domain_holders
                .get(&r.resource_id)
                .map_or(&[][..], Vec::as_slice)
            {
                if seen.insert(other) {
                    related.push(self.rows[other].token.clone());
                }
            }
        }
        f(&self.row_context(row, now, &related))
    }

    fn row_context<'a>(
        &'a self,
        row: &'a TokenRow,
        now: DateTime<Utc>,
        related: &'a [ApiToken],
    ) -> RowContext<'a> {
        RowContext {
            token: &row.token,
            now,
            holds_secret: self.holds_secret(row.token.id),
            is_own_token: self.is_own_token(&row.token),
            loaded_tokens: related,
            reset_grace: &self.reset_grace,
            resource_tree: &self.resource_tree,
            caller_is_viewer: self.caller_is_viewer,
            request_in_flight: self.row_busy(row.token.id),
            unreadable: row.unreadable.as_deref(),
        }
    }

    /// The selected row's index in `rows`.
    pub fn selected_index(&self) -> Option<usize> {
        self.order.get(self.cursor).copied()
    }

    pub fn next_request_id(&mut self) -> RequestId {
        let id = self.next_request;
        self.next_request += 1;
        id
    }

    pub fn account(&self) -> Option<&Account> {
        match &self.phase {
            Phase::Ready(a) => Some(a),
            _ => None,
        }
    }

    /// The visible rows, in order, as indices into `rows`.
    pub fn order(&self) -> &[usize] {
        &self.order
    }

    pub fn cursor(&self) -> usize {
        self.cursor
    }

    pub fn selected_id(&self) -> Option<TokenId> {
        self.selected
    }

    pub fn selected_row(&self) -> Option<&TokenRow> {
        self.order.get(self.cursor).map(|&i| &self.rows[i])
    }

    /// Whether the token list has arrived at least once.
    pub fn has_tokens(&self) -> bool {
        self.tokens.last_success.is_some()
    }

    pub fn set_status(&mut self, text: impl Into<String>, level: Level, now: DateTime<Utc>) {
        self.set_status_for(text, level, now, STATUS_SECONDS);
    }

    /// A status message that stays `seconds` (for what must not be missed).
    pub fn set_status_for(
        &mut self,
        text: impl Into<String>,
        level: Level,
        now: DateTime<Utc>,
        seconds: i64,
    ) {
        self.status = Some(StatusMessage {
            text: text.into(),
            level,
            expires_at: now + Duration::seconds(seconds),
        });
        self.needs_redraw = true;
    }

    /// Replaces the tokens; derived columns, order and selection follow.
    pub fn set_tokens(&mut self, tokens: Vec<ApiToken>) {
        self.set_token_list(tokens.into());
    }

    /// Replaces the tokens with a list answer: the readable tokens, then a row for each unreadable one.
    pub fn set_token_list(&mut self, list: TokenList) {
        let successors = columns::successors(&list.tokens);
        self.rows = list
            .tokens
            .into_iter()
            .map(|token| TokenRow {
                name: crate::text::sanitize(&token.name),
                creator: columns::creator(&token.created_by),
                access: String::new(),
                search: String::new(),
                successor: successors.get(&token.id).copied(),
                unreadable: None,
                token,
            })
            .collect();
        let mut ids: HashSet<TokenId> = self.rows.iter().map(|r| r.token.id).collect();
        for bad in list.unreadable {
            // The row needs an id of its own (the selection follows ids): the server's if it is one no
            // other row has, else one no server hands out.
            let mut id = bad.id.filter(|id| !ids.contains(id)).unwrap_or(i64::MIN);
            while ids.contains(&id) {
                id = id.wrapping_add(1);
            }
            ids.insert(id);
            let name = match &bad.name {
                Some(name) => crate::text::sanitize(name),
                None => format!("token #{} in the list", bad.position + 1),
            };
            self.rows.push(TokenRow {
                token: ApiToken {
                    id,
                    name: bad.name.clone().unwrap_or_default(),
                    last_4_digits: String::new(),
                    created_by: String::new(),
                    expires_at: None,
                    resources: Vec::new(),
                    opaque_resources: Vec::new(),
                },
                name,
                creator: String::new(),
                access: format!("⚠ {}", bad.reason),
                search: String::new(),
                successor: None,
                unreadable: Some(bad.reason),
            });
        }
        self.secret_not_received.retain(|id| ids.contains(id));
        self.reset_grace = self
            .rows
            .iter()
            .filter(|r| r.in_grace())
            .filter_map(|r| r.token.expires_at.map(|at| (r.token.id, at)))
            .collect();
        self.domain_holders.clear();
        for (i, row) in self.rows.iter().enumerate() {
            for r in &row.token.resources {
                if r.resource_type.kind() == ResourceKind::Domain {
                    self.domain_holders
                        .entry(r.resource_id)
                        .or_default()
                        .push(i);
                }
            }
        }
        if let Some(id) = self.follow
            && self.rows.iter().any(|r| r.token.id == id)
        {
            self.follow = None;
            self.selected = Some(id);
        }
        self.domain_tokens = self
            .domain_holders
            .iter()
            .map(|(&domain, holders)| {
                let tokens = holders.iter().map(|&i| self.rows[i].token.clone());
                (domain, tokens.collect())
            })
            .collect();
        self.derive_columns();
    }

    pub fn set_resource_tree(&mut self, tree: &[ResourceNode]) {
        self.resource_tree = tree.to_vec();
        self.names = ResourceNames::from_tree(tree);
        self.derive_columns();
    }

    fn derive_columns(&mut self) {
        for row in &mut self.rows {
            if row.unreadable.is_none() {
                row.access = columns::token_access(&row.token, &self.names);
            }
            row.search = format!(
                "{}\n{}\n{}\n{}\n{}",
                row.token.name,
                row.token.created_by,
                row.access,
                row.token.id,
                row.token.last_4_digits
            )
            .to_lowercase();
        }
        self.ascending_by = SortColumn::ALL
            .iter()
            .map(|&column| ascending_order(&self.rows, column))
            .collect();
        self.resort();
    }

    /// Recomputes the sorted order (data or sort changed), then the filtered order.
    pub fn resort(&mut self) {
        let column = SortColumn::ALL
            .iter()
            .position(|c| *c == self.sort.column)
            .unwrap_or(0);
        let ascending = match self.ascending_by.get(column) {
            Some(order) if order.len() == self.rows.len() => order,
            _ => &ascending_order(&self.rows, self.sort.column),
        };
        // Ties are broken by id, so the order is total and descending is exactly ascending reversed.
        self.sorted = if self.sort.descending {
            ascending.iter().rev().copied().collect()
        } else {
            ascending.clone()
        };
        self.refilter();
    }

    /// Recomputes the visible order from the sorted order and the filter, keeping the selected token.
    pub fn refilter(&mut self) {
        let needle = self.filter.to_lowercase();
        let rows = &self.rows;
        self.order = if needle.is_empty() {
            self.sorted.clone()
        } else {
            self.sorted
                .iter()
                .copied()
                .filter(|&i| rows[i].search.contains(&needle))
                .collect()
        };
        self.restore_selection();
    }

    /// Puts the cursor back on the selected token; if it is gone, stays at the same position.
    fn restore_selection(&mut self) {
        let found = self
            .selected
            .and_then(|id| self.order.iter().position(|&i| self.rows[i].token.id == id));
        match found {
            Some(pos) => self.cursor = pos,
            None => {
                self.cursor = self.cursor.min(self.order.len().saturating_sub(1));
                self.selected = self.order.get(self.cursor).map(|&i| self.rows[i].token.id);
            }
        }
    }

    /// Selects `id` once a list holds it (the token just created, or a reset's successor).
    pub fn follow_token(&mut self, id: TokenId) {
        self.follow = Some(id);
    }

    /// Moves the cursor to a position in the visible order (clamped).
    pub fn select_position(&mut self, pos: usize) {
        if self.order.is_empty() {
            self.cursor = 0;
            self.selected = None;
            return;
        }
        self.cursor = pos.min(self.order.len() - 1);
        self.selected = Some(self.rows[self.order[self.cursor]].token.id);
    }

    /// Whether a row on screen shows a countdown that changes every second.
    pub fn countdown_visible(&self, now: DateTime<Utc>) -> bool {
        if self.account().is_none() || !self.has_tokens() {
            return false;
        }
        let vp = self.viewport.get();
        let end = (vp.offset + vp.height.max(1)).min(self.order.len());
        self.order
            .get(vp.offset.min(end)..end)
            .unwrap_or(&[])
            .iter()
            .any(|&i| {
                let row = &self.rows[i];
                columns::expiry_text(row.token.expires_at, row.in_grace(), now).ticking
            })
    }

    /// When the next automatic refresh is due, if one should happen at all.
    pub fn auto_refresh_due(&self) -> Option<DateTime<Utc>> {
        self.account()?;
        if self.tokens.in_flight.is_some() || !self.has_tokens() || self.overlay.is_some() {
            return None;
        }
        // A rejected token will not start working by asking again.
        if matches!(
            self.tokens.error(),
            Some(ApiError::Unauthorized { .. } | ApiError::Forbidden { .. })
        ) {
            return None;
        }
        Some(self.tokens.last_attempt? + self.refresh_every)
    }

    /// The next moment the loop must wake without input: a ticking countdown, a status message to clear,
    /// or an auto-refresh.
    pub fn next_wakeup(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let mut next: Option<DateTime<Utc>> = None;
        let mut consider = |t: DateTime<Utc>| next = Some(next.map_or(t, |n| n.min(t)));
        if self.countdown_visible(now) {
            // The next whole second, so every tick lands just after the countdown changes.
            let into_second = i64::from(now.timestamp_subsec_millis());
            consider(now + Duration::milliseconds(1000 - into_second));
        }
        if let Some(status) = &self.status {
            consider(status.expires_at);
        }
        if let Some(due) = self.auto_refresh_due() {
            consider(due);
        }
        next
    }
}

/// Every row index in ascending order of `column`, ties broken by token id. Text columns compare
/// case-insensitively; each row's lowercased key is built once here rather than once per comparison (a
/// 10,000-row sort makes about 140,000 comparisons).
fn ascending_order(rows: &[TokenRow], column: SortColumn) -> Vec<usize> {
    let by_text = |text: fn(&TokenRow) -> &str| {
        // Byte order of UTF-8 is code point order, so comparing the lowercased strings is comparing the
        // lowercased characters one by one.
        let mut keyed: Vec<(String, TokenId, usize)> = rows
            .iter()
            .enumerate()
            .map(|(i, row)| {
                let key = text(row).chars().flat_map(char::to_lowercase).collect();
                (key, row.token.id, i)
            })
            .collect();
        keyed.sort_unstable();
        keyed.into_iter().map(|(_, _, i)| i).collect()
    };
    match column {
        SortColumn::Name => by_text(|r| &r.token.name),
        SortColumn::Creator => by_text(|r| &r.token.created_by),
        SortColumn::Access => by_text(|r| &r.access),
        SortColumn::Expires => {
            let mut order: Vec<usize> = (0..rows.len()).collect();
            // Soonest first; `never` after every date.
            order.sort_unstable_by_key(|&i| {
                let t = &rows[i].token;
                (t.expires_at.is_none(), t.expires_at, t.id, i)
            });
            order
        }
        SortColumn::Token => {
            let mut order: Vec<usize> = (0..rows.len()).collect();
            order.sort_unstable_by(|&a, &b| {
                let (ta, tb) = (&rows[a].token, &rows[b].token);
                ta.last_4_digits
                    .cmp(&tb.last_4_digits)
                    .then(ta.id.cmp(&tb.id))
                    .then(a.cmp(&b))
            });
            order
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The comparison the cached orders replace: case-insensitive text, character by character, then id.
    fn reference_order(rows: &[TokenRow], text: fn(&TokenRow) -> &str) -> Vec<usize> {
        let mut order: Vec<usize> = (0..rows.len()).collect();
        order.sort_by(|&a, &b| {
            let lower = |s: &str| {
                s.chars()
                    .flat_map(char::to_lowercase)
                    .collect::<Vec<char>>()
            };
            lower(text(&rows[a]))
                .cmp(&lower(text(&rows[b])))
                .then(rows[a].token.id.cmp(&rows[b].token.id))
        });
        order
    }

    fn row(id: TokenId, name: &str, creator: &str, last4: &str) -> TokenRow {
        TokenRow {
            token: ApiToken {
                id,
                name: name.into(),
                last_4_digits: last4.into(),
                created_by: creator.into(),
                expires_at: None,
                resources: Vec::new(),
                opaque_resources: Vec::new(),
            },
            name: name.into(),
            creator: creator.into(),
            access: name.to_uppercase(),
            search: String::new(),
            successor: None,
            unreadable: None,
        }
    }

    #[test]
    fn cached_text_orders_match_the_case_insensitive_comparison() {
        let rows = vec![
            row(7, "beta", "Zoë", "00ff"),
            row(3, "Beta", "zoe", "00aa"),
            row(9, "ÄRGER", "Émile", "1111"),
            row(1, "alpha 10", "emile", "00aa"),
            row(4, "Alpha 9", "", "ffff"),
            row(2, "東京", "ZOË", "0000"),
            row(8, "beta", "Zoë", "00ff"),
        ];
        assert_eq!(
            ascending_order(&rows, SortColumn::Name),
            reference_order(&rows, |r| &r.token.name)
        );
        assert_eq!(
            ascending_order(&rows, SortColumn::Creator),
            reference_order(&rows, |r| &r.token.created_by)
        );
        assert_eq!(
            ascending_order(&rows, SortColumn::Access),
            reference_order(&rows, |r| &r.access)
        );
        let by_token: Vec<TokenId> = ascending_order(&rows, SortColumn::Token)
            .into_iter()
            .map(|i| rows[i].token.id)
            .collect();
        assert_eq!(by_token, vec![2, 1, 3, 7, 8, 9, 4]);
    }
}
