//! The token table: the rows as the last list gave them, what each row derives from its token, and how the
//! table is looked at (sort, filter, selection, scroll). Tokens are stored once; the table shows them
//! through a cached order of indices that is recomputed only when the data, the filter or the sort change.
//! The selection is kept by token id, so a refresh, a filter or a sort never moves it to another token.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};

use crate::api::{AccountId, ApiToken, ResourceKind, ResourceNode, TokenId, TokenList};
use crate::text::{SafeStr, SafeText};

use super::super::columns::{self, ResourceNames};
use super::super::registry::Related;
use super::browse::Browse;
pub use super::browse::{MAX_FILTER_CHARS, Viewport};

mod listed;
mod order;
mod row;
mod search;

pub use listed::{ListedRows, row_maker};
pub use order::{Sort, SortColumn};
use order::{Span, ascending_order, ordered};
use row::{AccessTexts, make_texts, make_unreadable};
pub use row::{FindingSummary, TextWidths, TokenRow};
use search::SearchTexts;

/// The orders the table shows rows in, as indices into `TokenTable::rows`, and what filtering needs.
/// What the first frame does not need is made later: when it is first asked for, or a piece at a time
/// by `derive_next` once the frame is on screen.
#[derive(Clone, Debug, Default)]
struct Orders {
    /// Every row in ascending order for each column of `SortColumn::EVERY`, kept per data change, so a sort
    /// key copies an order instead of sorting 10,000 rows again; `None` until it is needed.
    /// Held as `u32`, half a `usize`: at 100,000 rows each is 0.4 MB rather than 0.8.
    ascending_by: Vec<Option<Box<[u32]>>>,
    /// What rows share of what the filter matches: their creator, access and account, lowercased once
    /// per kind (made when the filter first needs it, or once the first frame is on screen).
    search: SearchTexts,
    /// `search` is current.
    search_ready: bool,
    /// The access texts rows made since the data last changed, so that rows with the same access share it.
    accesses: AccessTexts,
    /// Every row's texts are made (`TokenRow::texts_ready`).
    texts_ready: bool,
    /// All rows in sort order; recomputed on data or sort change. As `u32`, like `ascending_by`.
    sorted: Vec<u32>,
    /// `sorted` narrowed by the filter, recomputed on data, sort or filter change; none while no filter
    /// narrows it (`sorted` is then shown, not a copy of it).
    filtered: Option<Vec<u32>>,
    /// Set when only this many first rows of `sorted` (and `visible`, the same order unfiltered) are in
    /// their place, the rest in no order: a new long list's first frame shows no more (see
    /// `TokenTable::resort`). Whatever comes next, the next update or a frame showing more, orders all.
    first_ordered: Option<usize>,
}

impl Orders {
    /// The rows shown, in order, as indices into the table's rows.
    fn visible(&self) -> &[u32] {
        self.filtered.as_deref().unwrap_or(&self.sorted)
    }
}

/// One account's part of the table: its list, and why the list failed if it did (then the list is
/// what an earlier load brought, or empty).
#[derive(Debug)]
pub struct AccountRows {
    pub account: AccountId,
    /// Empty outside the inventory (the table then shows no Account column).
    pub name: SafeText,
    pub list: ListedRows,
    pub failure: Option<String>,
}

/// A long list's first order places this many rows more than the screen shows (see `TokenTable::resort`).
const FIRST_ORDERED_ROWS: usize = 256;

/// From this many rows, a new list's resets' successors are found on a thread of its own while this one
/// makes the first order (below it, the thread's start costs more than the overlap saves).
const ORDERED_BESIDE_ROWS: usize = 4_096;

fn worth_a_thread(rows: usize) -> bool {
    rows >= ORDERED_BESIDE_ROWS && crate::api::cores() > 1
}

/// Domain id → the rows that can act on it, so "the last token of a domain" needs no scan of every token.
#[derive(Clone, Debug, Default)]
struct DomainIndex {
    holders: HashMap<i64, Vec<usize>>,
}

#[derive(Debug)]
pub struct TokenTable {
    pub rows: Vec<TokenRow>,
    pub names: ResourceNames,
    /// The permissions tree as loaded (forms are built from it, access levels named with it).
    pub tree: Vec<ResourceNode>,
    orders: Orders,
    /// The selected token and its position in the visible order.
    selected: Option<TokenId>,
    cursor: usize,
    /// A token to select as soon as a list holds it: the one just created, or a reset's successor.
    follow: Option<TokenId>,
    pub filter: SafeText,
    /// Keys go to the filter's text while true.
    pub filter_editing: bool,
    pub sort: Sort,
    /// Old token id → when it stops, for tokens in their reset grace (derived with the rows).
    pub reset_grace: HashMap<TokenId, DateTime<Utc>>,
    /// New row → the row it replaced in a reset (the inverse of `TokenRow::successor`).
    predecessors: HashMap<usize, usize>,
    domains: DomainIndex,
    /// Tokens made by a reset or create whose answer was lost: their secret never reached anyone.
    pub secret_not_received: HashSet<TokenId>,
    pub viewport: Viewport,
    /// The columns shown, in order (the config file's `[tokens] columns`); the sort key cycles through them.
    pub columns: Vec<SortColumn>,
    /// How many rows, from the first, hold a readable token (the unreadable ones follow).
    readable: usize,
    /// Counts data changes (a new list or tree), so what is derived elsewhere knows when it is stale.
    generation: u64,
}

impl Default for TokenTable {
    fn default() -> Self {
        Self {
            rows: Vec::new(),
            names: ResourceNames::default(),
            tree: Vec::new(),
            orders: Orders::default(),
            selected: None,
            cursor: 0,
            follow: None,
            filter: SafeText::default(),
            filter_editing: false,
            sort: Sort {
                column: SortColumn::Name,
                descending: false,
            },
            reset_grace: HashMap::new(),
            predecessors: HashMap::new(),
            domains: DomainIndex::default(),
            secret_not_received: HashSet::new(),
            viewport: Viewport::default(),
            columns: SortColumn::ALL.to_vec(),
            readable: 0,
            generation: 0,
        }
    }
}

impl TokenTable {
    /// Replaces the tokens; derived columns, order and selection follow.
    pub fn set_tokens(&mut self, tokens: Vec<ApiToken>) {
        self.set_token_list(tokens.into());
    }

    /// Replaces the tokens with one account's list answer: the readable tokens, then a row for each
    /// unreadable one.
    pub fn set_token_list(&mut self, list: TokenList) {
        let account = self.rows.first().map_or(0, |r| r.account);
        self.set_account_lists(vec![AccountRows {
            account,
            name: SafeText::default(),
            list: list.into(),
            failure: None,
        }]);
    }

    /// Replaces the tokens with the lists of several accounts (the inventory): every readable token of
    /// every account, then the unreadable ones, then a row for each account whose list failed, which
    /// says why in place of its tokens.
    pub fn set_account_lists(&mut self, accounts: Vec<AccountRows>) {
        // The old rows go first: a refresh of 100,000 would otherwise hold them beside the new ones.
        self.rows = Vec::new();
        let mut rows: Vec<TokenRow> = Vec::new();
        // Each account's readable rows: a reset's successor is found within its token's account.
        let mut accounts_rows = Vec::with_capacity(accounts.len());
        let mut bad_rows = Vec::new();
        for AccountRows {
            account,
            name: account_name,
            list,
            failure,
        } in accounts
        {
            let label = listed::label_of(account_name);
            let offset = rows.len();
            let mut own = list.rows;
            // Rows made for another account or name (the inventory's, made from the lists it keeps) are
            // told theirs; a table of one account's rows, made as its list was read, is not touched.
            if label.is_some() || own.first().is_some_and(|r| r.account != account) {
                for row in &mut own {
                    row.account = account;
                    row.account_label.clone_from(&label);
                }
            }
            if rows.is_empty() {
                rows = own;
            } else {
                rows.append(&mut own);
            }
            accounts_rows.push(offset..rows.len());
            for bad in list.unreadable {
                let name = match &bad.name {
                    Some(name) => SafeText::new(name),
                    None => SafeText::from(format!("token #{} in the list", bad.position + 1)),
                };
                bad_rows.push((
                    account,
                    label.clone(),
                    bad.id,
                    name,
                    bad.name,
                    bad.reason,
                    false,
                ));
            }
            if let Some(reason) = failure {
                let name = SafeText::literal("✖ its token list did not load");
                bad_rows.push((account, label.clone(), None, name, None, reason, true));
            }
        }
        self.rows = rows;
        self.readable = self.rows.len();
        // The ids are needed only to number unreadable rows and to drop marks of tokens that are gone.
        let mut ids: HashSet<TokenId> =
            if bad_rows.is_empty() && self.secret_not_received.is_empty() {
                HashSet::new()
            } else {
                self.rows.iter().map(|r| r.token.id).collect()
            };
        for (account, account_label, server_id, name, raw_name, reason, not_listed) in bad_rows {
            // The row needs an id of its own (the selection follows ids): the server's if it is one no
            // other row has, else one no server hands out.
            let mut id = server_id.filter(|id| !ids.contains(id)).unwrap_or(i64::MIN);
            while ids.contains(&id) {
                id = id.wrapping_add(1);
            }
            ids.insert(id);
            let mut row = TokenRow::new(
                ApiToken {
                    id,
                    name: raw_name.unwrap_or_default().into(),
                    last_4_digits: Default::default(),
                    created_by: Default::default(),
                    expires_at: None,
                    resources: Default::default(),
                    opaque_resources: Default::default(),
                },
                account,
                account_label,
                None,
            );
            make_unreadable(&mut row, name, reason, not_listed);
            self.rows.push(row);
        }
        self.secret_not_received.retain(|id| ids.contains(id));
        if let Some(id) = self.follow
            && self.rows.iter().any(|r| r.token.id == id)
        {
            self.follow = None;
            self.selected = Some(id);
        }
        self.clear_derived();
        if self.sort.column == SortColumn::Access {
            self.ensure_texts();
        }
        // The first order and the domains' index are made while another core finds the resets'
        // successors: neither reads what the other makes.
        let plan = self.first_order_plan();
        let (rows, accesses) = (&self.rows, &self.orders.accesses);
        let find_successors = || -> Vec<(usize, usize)> {
            accounts_rows
                .iter()
                .flat_map(|range| {
                    let start = range.start;
                    let pairs = columns::successor_pairs(&rows[range.clone()]);
                    pairs
                        .into_iter()
                        .map(move |(old, new)| (start + old, start + new))
                })
                .collect()
        };
        let (successors, beside) = match plan {
            Some((column, span, _)) if worth_a_thread(rows.len()) => std::thread::scope(|scope| {
                // The longer work stays here: a new thread can wait a while for a core (up to a
                // millisecond, traced, while the read's threads wind down).
                let successors = std::thread::Builder::new()
                    .name("successors".into())
                    .spawn_scoped(scope, find_successors);
                let beside = (ordered(rows, accesses, column, span), DomainIndex::of(rows));
                let successors = match successors.map(|s| s.join()) {
                    Ok(Ok(successors)) => successors,
                    _ => find_successors(),
                };
                (successors, Some(beside))
            }),
            _ => (find_successors(), None),
        };
        let (first_order, domains) = beside.unzip();
        for &(old, new) in &successors {
            self.rows[old].set_successor(Some(new));
        }
        self.predecessors = successors.iter().map(|&(old, new)| (new, old)).collect();
        self.reset_grace = successors
            .iter()
            .filter_map(|&(old, _)| {
                let token = &self.rows[old].token;
                token.expires_at.map(|at| (token.id, at))
            })
            .collect();
        self.domains = domains.unwrap_or_else(|| DomainIndex::of(&self.rows));
        match (plan, first_order) {
            (Some((_, _, first)), Some(order)) => self.set_first_order(order, first),
            _ => self.resort(),
        }
    }

    pub fn set_resource_tree(&mut self, tree: &[ResourceNode]) {
        self.tree = tree.to_vec();
        self.names = ResourceNames::from_tree(tree);
        self.forget_derived();
    }

    /// The part of the tree of one account (the inventory's forest has a root per account); the whole
    /// tree when no root is that account.
    pub fn tree_of(&self, account: AccountId) -> Vec<ResourceNode> {
        let own: Vec<ResourceNode> = self
            .tree
            .iter()
            .filter(|n| n.resource_type.kind() == ResourceKind::Account && n.id == account)
            .cloned()
            .collect();
        if own.is_empty() {
            self.tree.clone()
        } else {
            own
        }
    }

    /// The row that row `index` replaced in a reset, if it is still listed.
    pub fn predecessor(&self, index: usize) -> Option<usize> {
        self.predecessors.get(&index).copied()
    }

    /// Each row's place in the name order (case-insensitive, ties by id), when that order is made.
    pub fn name_ranks(&self) -> Option<Vec<u32>> {
        let order = self
            .orders
            .ascending_by
            .get(SortColumn::Name.slot())?
            .as_ref()?;
        let mut ranks = vec![0u32; self.rows.len()];
        for (rank, &row) in order.iter().enumerate() {
            if let Some(slot) = ranks.get_mut(row as usize) {
                *slot = u32::try_from(rank).unwrap_or(u32::MAX);
            }
        }
        Some(ranks)
    }

    /// Counts data changes: a new list or tree.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// The rows whose token could be read (what the hygiene rules look at).
    pub fn readable_rows(&self) -> &[TokenRow] {
        &self.rows[..self.readable.min(self.rows.len())]
    }

    /// Sets each row's findings; the Findings order is made again when next needed.
    pub fn set_finding_summaries(&mut self, of: impl Fn(usize) -> Option<FindingSummary>) {
        let readable = self.readable;
        for (index, row) in self.rows.iter_mut().enumerate() {
            row.findings = if index < readable { of(index) } else { None };
        }
        if let Some(order) = self
            .orders
            .ascending_by
            .get_mut(SortColumn::Findings.slot())
        {
            *order = None;
        }
        if self.sort.column == SortColumn::Findings {
            self.resort();
        }
    }

    /// Shows these columns (an empty list, or one without Name, keeps what makes a row recognisable).
    pub fn set_columns(&mut self, columns: &[SortColumn]) {
        let mut shown: Vec<SortColumn> = Vec::new();
        for c in columns {
            if !shown.contains(c) {
                shown.push(*c);
            }
        }
        if !shown.contains(&SortColumn::Name) {
            shown.insert(0, SortColumn::Name);
        }
        self.columns = shown;
        if !self.columns.contains(&self.sort.column) {
            self.sort.column = SortColumn::Name;
            self.resort();
        }
    }

    /// The column after the sort's, among those shown.
    pub fn next_sort_column(&self) -> SortColumn {
        let at = self
            .columns
            .iter()
            .position(|c| *c == self.sort.column)
            .map_or(0, |i| i + 1);
        self.columns
            .get(at % self.columns.len().max(1))
            .copied()
            .unwrap_or(SortColumn::Name)
    }

    fn forget_derived(&mut self) {
        // The access texts name resources from the tree: every row's texts are made again, when needed.
        for row in &mut self.rows {
            row.forget_texts();
        }
        self.clear_derived();
        self.resort();
    }

    /// Forgets what was derived from the rows and the tree, but for the rows' own texts (new rows have
    /// none) and the order.
    fn clear_derived(&mut self) {
        self.generation = self.generation.wrapping_add(1);
        self.orders.texts_ready = false;
        self.orders.ascending_by = vec![None; SortColumn::EVERY.len()];
        self.orders.search = SearchTexts::default();
        self.orders.search_ready = false;
        self.orders.accesses = AccessTexts::default();
    }

    /// The rows' lowercased creator, access and account, once per kind: what the filter matches beside
    /// each row's own words.
    fn ensure_search(&mut self) {
        if self.orders.search_ready {
            return;
        }
        self.ensure_texts();
        let accesses = &self.orders.accesses;
        self.orders.search = SearchTexts::of(&self.rows, |r| r.access(accesses).as_str());
        self.orders.search_ready = true;
    }

    /// The ascending order of `column`, sorted now if it has not been since the data changed.
    fn ascending(&mut self, column: SortColumn) -> &[u32] {
        let at = column.slot();
        if self.orders.ascending_by.len() != SortColumn::EVERY.len() {
            self.orders.ascending_by = vec![None; SortColumn::EVERY.len()];
        }
        if column == SortColumn::Access && self.orders.ascending_by[at].is_none() {
            self.ensure_texts();
        }
        let (rows, accesses) = (&self.rows, &self.orders.accesses);
        self.orders.ascending_by[at].get_or_insert_with(|| {
            // A row's index fits: `TokenRow::successor` holds one in a `u32` too.
            ascending_order(rows, accesses, column).into_boxed_slice()
        })
    }

    /// Makes every row's texts (those not made yet).
    pub fn ensure_texts(&mut self) {
        if self.orders.texts_ready {
            return;
        }
        for row in &mut self.rows {
            make_texts(row, &self.names, &mut self.orders.accesses);
        }
        self.orders.texts_ready = true;
    }

    /// Makes the texts of the rows on screen (and of the tokens that replaced them, which they name) and
    /// of the selected row: all a frame reads before the rest are made.
    pub fn ensure_texts_on_screen(&mut self) {
        if self.orders.texts_ready {
            return;
        }
        let on_screen = self.on_screen();
        let mut wanted: Vec<usize> = on_screen.iter().map(|&i| i as usize).collect();
        wanted.extend(
            on_screen
                .iter()
                .filter_map(|&i| self.rows[i as usize].successor()),
        );
        wanted.extend(self.selected_index());
        for i in wanted {
            self.ensure_row_texts(i);
        }
    }

    /// Makes row `index`'s texts, if they are not made yet.
    pub fn ensure_row_texts(&mut self, index: usize) {
        if let Some(row) = self.rows.get_mut(index) {
            make_texts(row, &self.names, &mut self.orders.accesses);
        }
    }

    /// Whether some of what the table derives is still to be made (see `derive_next`).
    pub fn has_deferred_work(&self) -> bool {
        self.orders.first_ordered.is_some()
            || !self.orders.texts_ready
            || !self.orders.search_ready
            || self.unordered_column().is_some()
    }

    /// Makes the next piece of what the first frame did not need: the whole order, the rows' texts, a
    /// shown column's order, or the filter's texts; so that the first sort or filter key is as quick as
    /// the next. Nothing shown changes.
    pub fn derive_next(&mut self) {
        if self.orders.first_ordered.is_some() {
            self.resort_all();
        } else if !self.orders.texts_ready {
            self.ensure_texts();
        } else if let Some(column) = self.unordered_column() {
            self.ascending(column);
        } else {
            self.ensure_search();
        }
    }

    /// A shown column whose order is not made yet.
    fn unordered_column(&self) -> Option<SortColumn> {
        self.columns.iter().copied().find(|c| {
            self.orders
                .ascending_by
                .get(c.slot())
                .is_none_or(Option::is_none)
        })
    }

    /// Recomputes the sorted order (data or sort changed), then the filtered order.
    ///
    /// A long list's first order, with no row selected and no filter (a first load), is made only as far
    /// as a frame could show: the screen and some rows more. The rest is ordered by the next update of any
    /// kind, or once the frame is on screen (`derive_next`), or by a frame that shows more.
    pub fn resort(&mut self) {
        if self.sort.column == SortColumn::Access {
            self.ensure_texts();
        }
        match self.first_order_plan() {
            Some((column, span, first)) => {
                let order = ordered(&self.rows, &self.orders.accesses, column, span);
                self.set_first_order(order, first);
            }
            None => self.resort_all(),
        }
    }

    /// The column and span of a first order (see `resort`), when the rows are ordered only so far.
    fn first_order_plan(&self) -> Option<(SortColumn, Span, usize)> {
        let column = self.sort.column;
        let first = FIRST_ORDERED_ROWS + self.viewport.offset + self.viewport.height;
        let cached = self
            .orders
            .ascending_by
            .get(column.slot())
            .is_some_and(Option::is_some);
        let first_load = self.selected.is_none() && self.cursor < first && self.filter.is_empty();
        let span = Span::First {
            count: first,
            descending: self.sort.descending,
        };
        (self.rows.len() > 2 * first && first_load && !cached).then_some((column, span, first))
    }

    /// Shows a first order of which only the first `first` rows are in place.
    fn set_first_order(&mut self, order: Vec<u32>, first: usize) {
        self.orders.sorted = order;
        self.orders.first_ordered = Some(first);
        self.orders.filtered = None;
        self.restore_selection();
    }

    /// `resort`, every row.
    fn resort_all(&mut self) {
        self.orders.first_ordered = None;
        let descending = self.sort.descending;
        let column = self.sort.column;
        let ascending = self.ascending(column);
        // Ties are broken by id, so the order is total and descending is exactly ascending reversed.
        let sorted = if descending {
            ascending.iter().rev().copied().collect()
        } else {
            ascending.to_vec()
        };
        self.orders.sorted = sorted;
        self.refilter();
    }

    /// Recomputes the visible order from the sorted order and the filter, keeping the selected token.
    pub fn refilter(&mut self) {
        let needle = self.filter.to_lowercase();
        if !needle.is_empty() {
            self.ensure_search();
        }
        self.orders.filtered = (!needle.is_empty()).then(|| {
            self.orders
                .search
                .matching(&self.rows, &self.orders.sorted, &needle)
        });
        self.restore_selection();
    }

    /// Puts the cursor back on the selected token; if it is gone, stays at the same position.
    fn restore_selection(&mut self) {
        let found = self.selected.and_then(|id| {
            self.orders
                .visible()
                .iter()
                .position(|&i| self.rows[i as usize].token.id == id)
        });
        match found {
            Some(pos) => self.cursor = pos,
            None => {
                self.cursor = self
                    .cursor
                    .min(self.orders.visible().len().saturating_sub(1));
                self.selected = self.selected_index().map(|i| self.rows[i].token.id);
            }
        }
    }

    /// Selects `id` once a list holds it (the token just created, or a reset's successor).
    pub fn follow_token(&mut self, id: TokenId) {
        self.follow = Some(id);
    }

    /// Selects the token `id`, clearing a filter that hides it; false when no row holds it.
    pub fn select_id(&mut self, id: TokenId) -> bool {
        let Some(index) = self.row_by_id(id) else {
            return false;
        };
        let shown = |orders: &Orders| orders.visible().iter().position(|&i| i as usize == index);
        if shown(&self.orders).is_none() {
            self.filter.clear();
            self.filter_editing = false;
            self.refilter();
        }
        match shown(&self.orders) {
            Some(pos) => {
                self.select_position(pos);
                true
            }
            None => false,
        }
    }

    /// Moves the cursor to a position in the visible order (clamped).
    pub fn select_position(&mut self, pos: usize) {
        let visible = self.orders.visible();
        if visible.is_empty() {
            self.cursor = 0;
            self.selected = None;
            return;
        }
        self.cursor = pos.min(visible.len() - 1);
        self.selected = Some(self.rows[visible[self.cursor] as usize].token.id);
    }

    /// Fits the viewport to `height` rows starting at screen row `top`, scrolling just enough to keep the
    /// cursor in view, as `TableState` does.
    pub fn fit_viewport(&mut self, top: u16, height: usize) {
        let len = self.orders.visible().len();
        self.viewport.fit(self.cursor, len, top, height);
        if self
            .orders
            .first_ordered
            .is_some_and(|first| self.viewport.offset + self.viewport.height > first)
        {
            self.order_all();
        }
    }

    /// Orders every row, where only the first were (see `resort`). Every update starts with this: only a
    /// frame reads a part of the order.
    pub fn order_all(&mut self) {
        if self.orders.first_ordered.is_some() {
            self.resort_all();
        }
    }

    /// The rows on screen, as indices into `rows`.
    pub fn on_screen(&self) -> &[u32] {
        let vp = self.viewport;
        let order = self.orders.visible();
        let end = (vp.offset + vp.height).min(order.len());
        order.get(vp.offset.min(end)..end).unwrap_or(&[])
    }

    /// Whether a row on screen shows a countdown that changes every second.
    pub fn countdown_on_screen(&self, now: DateTime<Utc>) -> bool {
        let vp = self.viewport;
        let order = self.orders.visible();
        let end = (vp.offset + vp.height.max(1)).min(order.len());
        order
            .get(vp.offset.min(end)..end)
            .unwrap_or(&[])
            .iter()
            .any(|&i| {
                let row = &self.rows[i as usize];
                columns::expiry_text(row.token.expires_at, row.in_grace(), now).ticking
            })
    }

    /// The ids of every loaded token.
    pub fn known_ids(&self) -> HashSet<TokenId> {
        self.rows.iter().map(|r| r.token.id).collect()
    }

    /// Finds a row by token id.
    pub fn row_by_id(&self, id: TokenId) -> Option<usize> {
        self.rows.iter().position(|r| r.token.id == id)
    }

    /// The token's name as the list has it, made safe, or its id when the list no longer holds it.
    pub fn shown_name(&self, id: TokenId) -> String {
        self.row_by_id(id)
            .map(|i| self.rows[i].name().to_string())
            .unwrap_or_else(|| format!("#{id}"))
    }

    /// A row's access level as the Access column shows it (for an unreadable row, what is wrong with it);
    /// empty until the row's texts are made.
    pub fn access<'a>(&'a self, row: &'a TokenRow) -> SafeStr<'a> {
        row.access(&self.orders.accesses)
    }

    /// The selected row's index in `rows`.
    pub fn selected_index(&self) -> Option<usize> {
        self.orders.visible().get(self.cursor).map(|&i| i as usize)
    }

    /// The visible rows, in order, as indices into `rows`.
    pub fn order(&self) -> &[u32] {
        self.orders.visible()
    }

    pub fn cursor(&self) -> usize {
        self.cursor
    }

    pub fn selected_id(&self) -> Option<TokenId> {
        self.selected
    }

    pub fn selected_row(&self) -> Option<&TokenRow> {
        self.selected_index().map(|i| &self.rows[i])
    }

    /// Calls `f` with row `index` and the tokens that share a domain with it (the row among them).
    pub fn with_related<R>(&self, index: usize, f: impl FnOnce(&TokenRow, Related<'_>) -> R) -> R {
        let row = &self.rows[index];
        let mut domains = row
            .token
            .resources
            .iter()
            .filter(|r| r.resource_type.kind() == ResourceKind::Domain)
            .map(|r| r.resource_id);
        let holders = |domain: i64| {
            self.domains
                .holders
                .get(&domain)
                .map_or(&[][..], Vec::as_slice)
        };
        // No domain: the row alone. One domain: its holders, this row among them. Several: the holders
        // of each, once.
        let related: Vec<&ApiToken> = match (domains.next(), domains.next()) {
            (None, _) => return f(row, Related::Tokens(std::slice::from_ref(&row.token))),
            (Some(domain), None) => holders(domain)
                .iter()
                .map(|&i| &self.rows[i].token)
                .collect(),
            _ => {
                let mut seen: HashSet<usize> = HashSet::from([index]);
                let mut related = vec![&row.token];
                for r in &row.token.resources {
                    if r.resource_type.kind() != ResourceKind::Domain {
                        continue;
                    }
                    for &other in holders(r.resource_id) {
                        if seen.insert(other) {
                            related.push(&self.rows[other].token);
                        }
                    }
                }
                related
            }
        };
        f(row, Related::Refs(&related))
    }
}

impl DomainIndex {
    fn of(rows: &[TokenRow]) -> Self {
        let mut holders: HashMap<i64, Vec<usize>> = HashMap::new();
        for (i, row) in rows.iter().enumerate() {
            for r in &row.token.resources {
                if r.resource_type.kind() == ResourceKind::Domain {
                    holders.entry(r.resource_id).or_default().push(i);
                }
            }
        }
        Self { holders }
    }
}

impl Browse for TokenTable {
    fn select_position(&mut self, pos: usize) {
        TokenTable::select_position(self, pos);
    }

    fn cursor(&self) -> usize {
        self.cursor
    }

    fn visible_len(&self) -> usize {
        self.orders.visible().len()
    }

    fn filter(&self) -> &SafeText {
        &self.filter
    }

    fn filter_editing(&self) -> bool {
        self.filter_editing
    }

    fn set_filter_editing(&mut self, on: bool) {
        self.filter_editing = on;
    }

    fn filter_mut(&mut self) -> &mut SafeText {
        &mut self.filter
    }

    fn apply_filter(&mut self) {
        self.refilter();
    }

    fn sort_next(&mut self) -> bool {
        self.sort.column = self.next_sort_column();
        self.sort.descending = false;
        self.resort();
        true
    }

    fn sort_reverse(&mut self) -> bool {
        self.sort.descending = !self.sort.descending;
        self.resort();
        true
    }

    fn viewport(&self) -> Viewport {
        self.viewport
    }

    fn fit_viewport(&mut self, top: u16, height: usize) {
        TokenTable::fit_viewport(self, top, height);
    }

    fn selected_token(&self) -> Option<TokenId> {
        self.selected
    }

    fn selected_table_row(&self) -> Option<usize> {
        self.selected_index()
    }

    fn shown_tokens(&self) -> Vec<TokenId> {
        self.orders
            .visible()
            .iter()
            .map(|&i| &self.rows[i as usize])
            .filter(|row| row.unreadable().is_none())
            .map(|row| row.token.id)
            .collect()
    }
}
