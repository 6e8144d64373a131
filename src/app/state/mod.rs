//! The console's model, one part per concern: the session (account, settings, the console's own token),
//! the token table (rows, orders, selection, filter, sort, viewport), the requests ledger (loads, writes in
//! flight, lost answers, request ids) and the overlays (the dialog on top and what waits behind it), plus
//! the status line. Each part owns its data and the methods that keep it consistent; what needs several
//! parts at once is here.

pub mod browse;
pub mod bulk;
pub mod drift;
pub mod guard;
pub mod hygiene;
pub mod inventory;
pub mod marks;
pub mod overlays;
pub mod places;
pub mod requests;
pub mod session;
pub mod status;
pub mod table;
pub mod views;

use chrono::{DateTime, Duration, Utc};

use crate::api::ApiError;

use super::registry::{EditToUndo, RowContext};

pub use browse::Browse;
pub use guard::{GuardSource, WriteGuard, WritePolicy};
pub use hygiene::Hygiene;
pub use inventory::{AccountAccess, AccountSlot, Inventory};
pub use overlays::{Overlay, OverlayFace, Overlays, WaitingForTree};
pub use requests::{
    Failure, LoadState, LostWrite, PendingEdit, PendingWrite, Requests, Tracked, UndoableEdit,
    WriteKind,
};
pub use session::{DEFAULT_REFRESH, MIN_REFRESH, Phase, Session, StateConfig};
pub use status::{IMPORTANT_SECONDS, Level, STATUS_SECONDS, StatusMessage};
pub use table::{
    AccountRows, FindingSummary, MAX_FILTER_CHARS, Sort, SortColumn, TokenRow, TokenTable, Viewport,
};
pub use views::{DetailsKey, StartView, ViewKind, Views};

#[derive(Debug)]
pub struct State {
    pub session: Session,
    pub table: TokenTable,
    /// Which view shows, and the views made from the table.
    pub views: Views,
    pub hygiene: Hygiene,
    /// Where each token is used, and the cut-over checklists.
    pub places: places::PlacesState,
    /// What changed elsewhere since the last look, and the snapshot kept for the next one.
    pub drift: drift::DriftState,
    pub requests: Requests,
    pub overlays: Overlays,
    /// The tokens bulk actions act on.
    pub marks: marks::Marks,
    /// The bulk action running, or done and waiting for its dialog to close.
    pub bulk: Option<bulk::BulkRun>,
    pub status: Option<StatusMessage>,
    /// Set by `update` when the screen must be drawn again; cleared by the loop after drawing.
    pub needs_redraw: bool,
}

impl State {
    pub fn new(config: StateConfig) -> Self {
        let mut table = TokenTable::default();
        table.set_columns(&config.columns);
        let mut views = Views::default();
        views.start_on(config.start_view);
        Self {
            hygiene: Hygiene::new(config.rules.clone()),
            places: places::PlacesState::default(),
            drift: drift::DriftState::default(),
            views,
            session: Session::new(config),
            table,
            requests: Requests::default(),
            overlays: Overlays::default(),
            marks: marks::Marks::default(),
            bulk: None,
            status: None,
            needs_redraw: true,
        }
    }

    /// The loop drew a frame: the overlay on it has been seen.
    pub fn frame_drawn(&mut self) {
        self.overlays.drawn = true;
    }

    /// A key arrived in the same burst as the one before it: it was not typed in answer to what is on
    /// screen, so it cannot answer the open dialog (until the next frame).
    pub fn key_in_burst(&mut self) {
        self.overlays.drawn = false;
    }

    /// New secrets that quitting now would lose: unacknowledged dialogs, and resets or creates whose
    /// answer has not arrived yet.
    pub fn secrets_at_risk(&self) -> usize {
        self.overlays.unacknowledged_secrets()
            + self.requests.secrets_awaited()
            + self
                .bulk
                .as_ref()
                .map_or(0, bulk::BulkRun::unacknowledged_secrets)
    }

    /// Every new secret this console still holds that no file keeps: the secret dialogs' and a bulk
    /// reset's. What a signal or a lost terminal must not take with it.
    pub fn secrets_in_custody(&self) -> Vec<crate::custody::Rescue<'_>> {
        let mut held = self.overlays.secrets_in_custody();
        if let Some(run) = &self.bulk {
            held.extend(run.custody());
        }
        held
    }

    /// Calls `f` with the registry's view of row `index` (the row itself, the tokens that share a domain
    /// with it, the grace map and the tree).
    pub fn with_row_context<R>(
        &self,
        index: usize,
        now: DateTime<Utc>,
        f: impl FnOnce(&RowContext<'_>) -> R,
    ) -> R {
        self.table.with_related(index, |row, related| {
            f(&RowContext {
                token: &row.token,
                now,
                holds_secret: self.overlays.holds_secret(row.token.id),
                is_own_token: self.session.is_own_token(&row.token),
                loaded_tokens: related,
                reset_grace: &self.table.reset_grace,
                resource_tree: &self.table.tree,
                caller_is_viewer: self.session.viewer_in(row.account),
                writes_refused: self.session.guard.standing_refusal_in(row.account),
                request_in_flight: self.requests.row_busy(row.token.id),
                unreadable: row.unreadable(),
                undoable_edit: self.requests.last_edit.as_ref().map(|edit| EditToUndo {
                    token: edit.token,
                    unchanged_since: edit.token != row.token.id
                        || crate::journal::permission_set(&row.token.resources) == edit.after,
                }),
            })
        })
    }

    /// The account a write about token `id` goes to: the session's, or in the inventory the account of
    /// the token's row.
    pub fn account_of_token(&self, id: crate::api::TokenId) -> Option<crate::api::AccountId> {
        match &self.session.phase {
            Phase::Ready(account) => Some(account.id),
            Phase::Inventory => self.table.row_by_id(id).map(|i| self.table.rows[i].account),
            Phase::Connecting => None,
        }
    }

    /// The account a new token would be made in: the session's, the one the inventory is narrowed to,
    /// else the selected row's.
    pub fn creating_in(&self) -> Option<crate::api::AccountId> {
        self.session.current_account().or_else(|| {
            let index = self.selected_token_index()?;
            Some(self.table.rows[index].account)
        })
    }

    /// The one account the marked tokens are in, or why there is none (a bulk run sends to one account).
    pub fn marks_account(&self) -> Result<crate::api::AccountId, String> {
        if let Phase::Ready(account) = &self.session.phase {
            return Ok(account.id);
        }
        let mut accounts: Vec<crate::api::AccountId> = self
            .marks
            .ids()
            .filter_map(|id| self.table.row_by_id(id).map(|i| self.table.rows[i].account))
            .collect();
        accounts.sort_unstable();
        accounts.dedup();
        match accounts.as_slice() {
            [one] => Ok(*one),
            [] => Err("no marked token is listed".into()),
            many => Err(format!(
                "the marked tokens are in {} accounts; a bulk action works in one account at a time \
                 (narrow the table to one account first)",
                many.len()
            )),
        }
    }

    /// The view that shows, as something to move through, filter and sort.
    pub fn browsed(&self) -> &dyn Browse {
        match self.views.active {
            ViewKind::Tokens => &self.table,
            ViewKind::Domains => &self.views.domains,
            ViewKind::Timeline => &self.views.timeline,
            ViewKind::Findings => &self.views.findings,
        }
    }

    pub fn browsed_mut(&mut self) -> &mut dyn Browse {
        match self.views.active {
            ViewKind::Tokens => &mut self.table,
            ViewKind::Domains => &mut self.views.domains,
            ViewKind::Timeline => &mut self.views.timeline,
            ViewKind::Findings => &mut self.views.findings,
        }
    }

    /// The row (index into the table's rows) of the token the shown view has selected: what row
    /// actions, the hints and the details act on.
    pub fn selected_token_index(&self) -> Option<usize> {
        match self.views.active {
            ViewKind::Tokens => self.table.selected_index(),
            _ => {
                let view = self.browsed();
                let id = view.selected_token()?;
                // The row the view was made with, if the table still holds the token there; else a search.
                view.selected_table_row()
                    .filter(|&i| self.table.rows.get(i).is_some_and(|r| r.token.id == id))
                    .or_else(|| self.table.row_by_id(id))
            }
        }
    }

    /// The details of the token the shown view has selected, as the layout step last made them.
    pub fn selected_details(&self) -> Option<&views::Details> {
        let index = self.selected_token_index()?;
        let (key, details) = self.views.details_made.as_ref()?;
        (key.row == index && key.token == self.table.rows[index].token.id).then_some(details)
    }

    /// Makes the selected token's details if the selection or the data changed since they were made.
    fn fit_details(&mut self) {
        let Some(index) = self.selected_token_index() else {
            self.views.details_made = None;
            return;
        };
        let token = &self.table.rows[index].token;
        let places = self.places.book.of(token.id);
        let (generation, findings) = (self.table.generation(), self.hygiene.revision());
        // Compared in place: a frame that changes nothing copies nothing.
        let current = self.views.details_made.as_ref().is_some_and(|(k, _)| {
            k.row == index
                && k.token == token.id
                && k.generation == generation
                && k.findings == findings
                && k.places == places
        });
        if current {
            return;
        }
        let key = views::DetailsKey {
            row: index,
            token: token.id,
            generation,
            findings,
            places: places.to_vec(),
        };
        let own = self.session.is_own_token(token);
        let places_key = self
            .session
            .keymap
            .label(crate::keys::action::Action::Places);
        let details =
            views::details::build(&self.table, &self.hygiene, places, places_key, own, index);
        self.views.details_made = Some((key, details));
    }

    /// Whether what shows needs the hygiene findings.
    fn findings_shown(&self) -> bool {
        self.views.active == ViewKind::Findings
            || self.views.details
            || self.table.columns.contains(&SortColumn::Findings)
    }

    /// Makes the findings, if the data changed since they were made; true when it made them.
    pub fn ensure_findings(&mut self, now: DateTime<Utc>) -> bool {
        self.requests.has_tokens() && {
            let own = self.session.own_last4.as_deref();
            self.hygiene.ensure(&mut self.table, own, now)
        }
    }

    /// Makes what the shown view needs from the data, if the data changed since it was made: the
    /// findings, and the rows of a derived view. Never per frame: once per data change.
    pub fn fit_views(&mut self, now: DateTime<Utc>) {
        if self.findings_shown() {
            self.ensure_findings(now);
        }
        let generation = self.table.generation();
        let views = &mut self.views;
        match views.active {
            ViewKind::Tokens => {}
            ViewKind::Domains => {
                if views.domains.built_for != Some(generation) {
                    let (rows, wide) = views::domains::build(&self.table, now);
                    views.domains.set_rows(rows);
                    views.account_wide = wide;
                    views.domains.built_for = Some(generation);
                }
            }
            ViewKind::Timeline => {
                if views.timeline.built_for != Some(generation) {
                    let (rows, weeks) = views::timeline::build(&self.table, now);
                    views.timeline.set_rows(rows);
                    views.weeks = weeks;
                    views.weeks_start = Some(now);
                    views.timeline.built_for = Some(generation);
                }
            }
            ViewKind::Findings => {
                let revision = self.hygiene.revision();
                if views.findings.built_for != Some(revision) {
                    views.findings.set_rows(views::findings::build(
                        self.hygiene.of_table(&self.table),
                        &self.table,
                    ));
                    views.findings.built_for = Some(revision);
                }
            }
        }
        if self.views.details {
            self.fit_details();
        }
    }

    /// Whether the table (not a loading or error screen) is what shows.
    pub fn table_shown(&self) -> bool {
        self.session.shows_accounts() && self.requests.has_tokens()
    }

    /// A token that left the lists leaves the marks too.
    pub fn forget_unlisted_marks(&mut self) {
        if !self.marks.is_empty() {
            let listed = self.table.known_ids();
            self.marks.keep_listed(&listed);
        }
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
        self.status = Some(StatusMessage::new(text, level, now, seconds));
    }

    /// Whether a row on screen shows a countdown that changes every second.
    pub fn countdown_visible(&self, now: DateTime<Utc>) -> bool {
        self.table_shown() && self.table.countdown_on_screen(now)
    }

    /// When the next automatic refresh is due, if one should happen at all.
    pub fn auto_refresh_due(&self) -> Option<DateTime<Utc>> {
        if !self.session.shows_accounts() {
            return None;
        }
        let tokens = &self.requests.tokens;
        if tokens.in_flight.is_some() || !self.requests.has_tokens() || self.overlays.is_open() {
            return None;
        }
        // A rejected token will not start working by asking again.
        if matches!(
            tokens.error(),
            Some(ApiError::Unauthorized { .. } | ApiError::Forbidden { .. })
        ) {
            return None;
        }
        Some(tokens.last_attempt? + self.session.refresh_every)
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
        if let Some(until) = self.session.guard.armed_until() {
            // The title counts the armed time down by the second, and the disarming is on time.
            let into_second = i64::from(now.timestamp_subsec_millis());
            consider((now + Duration::milliseconds(1000 - into_second)).min(until));
        }
        if let Some(retry) = self.bulk.as_ref().and_then(bulk::BulkRun::next_retry) {
            consider(retry);
        }
        next
    }
}
