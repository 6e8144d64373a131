//! A list the operator browses that is not the token table: its rows, the order they show in (the
//! builder's order, or one column's), a filter, and a selection kept by the row's key so that a rebuild
//! after a refresh, a filter or a sort never moves it to another row.

use std::cmp::Ordering;
use std::fmt::Debug;

use crate::api::TokenId;
use crate::text::SafeText;

use super::super::browse::{Browse, Viewport};

/// One row of a [`ListView`].
pub trait ListRow {
    /// What names the row across rebuilds (a refresh makes every row again).
    type Key: Clone + Debug + PartialEq;
    /// The titles of the columns the list sorts by, in the order the sort key cycles through them. The
    /// first is the builder's own order; empty: the list keeps its order (a timeline).
    const SORTS: &'static [&'static str];

    fn key(&self) -> Self::Key;
    /// The token the row is about, if any: row actions, Enter and the details act on it.
    fn token(&self) -> Option<TokenId>;
    /// Where that token was in the table's rows when the view was made (checked before use: the table
    /// may hold a newer list by then).
    fn row(&self) -> Option<usize>;
    /// The text the filter matches (lowercased by the list). Made only once a filter is typed: most
    /// views are looked at without one, and a view's rows are made on the key that shows it.
    fn search_text(&self) -> String;
    /// Compares by sort column `column` (1 and up; 0 is the builder's order).
    fn compare(&self, other: &Self, column: usize) -> Ordering;
}

#[derive(Debug)]
pub struct ListView<R: ListRow> {
    rows: Vec<R>,
    /// Each row's lowercased `search_text`, made when a filter first needs them (empty until then).
    search: Vec<String>,
    /// Indices into `rows` in sort order, narrowed by the filter.
    visible: Vec<usize>,
    selected: Option<R::Key>,
    cursor: usize,
    pub filter: SafeText,
    pub filter_editing: bool,
    /// Index into `R::SORTS`.
    pub sort: usize,
    pub descending: bool,
    pub viewport: Viewport,
    /// The table's data generation the rows were built from.
    pub(crate) built_for: Option<u64>,
}

impl<R: ListRow> Default for ListView<R> {
    fn default() -> Self {
        Self {
            rows: Vec::new(),
            search: Vec::new(),
            visible: Vec::new(),
            selected: None,
            cursor: 0,
            filter: SafeText::default(),
            filter_editing: false,
            sort: 0,
            descending: false,
            viewport: Viewport::default(),
            built_for: None,
        }
    }
}

impl<R: ListRow> ListView<R> {
    /// Replaces the rows (in the builder's order); the sort, the filter and the selection carry over.
    pub fn set_rows(&mut self, rows: Vec<R>) {
        self.rows = rows;
        self.search.clear();
        self.resort();
    }

    pub fn rows(&self) -> &[R] {
        &self.rows
    }

    fn resort(&mut self) {
        let mut order: Vec<usize> = (0..self.rows.len()).collect();
        if self.sort > 0 {
            let rows = &self.rows;
            let column = self.sort;
            // Stable, so rows equal in the column keep the builder's order.
            order.sort_by(|&a, &b| rows[a].compare(&rows[b], column));
        }
        if self.descending {
            order.reverse();
        }
        let needle = self.filter.to_lowercase();
        if !needle.is_empty() {
            if self.search.len() != self.rows.len() {
                self.search = self
                    .rows
                    .iter()
                    .map(|r| r.search_text().to_lowercase())
                    .collect();
            }
            let search = &self.search;
            order.retain(|&i| search[i].contains(&needle));
        }
        self.visible = order;
        let found = self.selected.as_ref().and_then(|key| {
            self.visible
                .iter()
                .position(|&i| self.rows[i].key() == *key)
        });
        match found {
            Some(pos) => self.cursor = pos,
            None => self.select_position(self.cursor),
        }
    }

    /// The visible rows, in order, as indices into `rows()`.
    pub fn order(&self) -> &[usize] {
        &self.visible
    }

    pub fn cursor(&self) -> usize {
        self.cursor
    }

    pub fn selected_row(&self) -> Option<&R> {
        self.visible.get(self.cursor).map(|&i| &self.rows[i])
    }

    /// The rows on screen, as indices into `rows()`.
    pub fn on_screen(&self) -> &[usize] {
        let vp = self.viewport;
        let end = (vp.offset + vp.height).min(self.visible.len());
        self.visible.get(vp.offset.min(end)..end).unwrap_or(&[])
    }

    /// The sort column's title and direction, when the list is sorted by a column of its own.
    pub fn sorted_by(&self) -> Option<(&'static str, bool)> {
        R::SORTS.get(self.sort).map(|t| (*t, self.descending))
    }
}

impl<R: ListRow> Browse for ListView<R> {
    fn select_position(&mut self, pos: usize) {
        if self.visible.is_empty() {
            self.cursor = 0;
            self.selected = None;
            return;
        }
        self.cursor = pos.min(self.visible.len() - 1);
        self.selected = Some(self.rows[self.visible[self.cursor]].key());
    }

    fn cursor(&self) -> usize {
        self.cursor
    }

    fn visible_len(&self) -> usize {
        self.visible.len()
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
        self.resort();
    }

    fn sort_next(&mut self) -> bool {
        if R::SORTS.is_empty() {
            return false;
        }
        self.sort = (self.sort + 1) % R::SORTS.len();
        self.descending = false;
        self.resort();
        true
    }

    fn sort_reverse(&mut self) -> bool {
        if R::SORTS.is_empty() {
            return false;
        }
        self.descending = !self.descending;
        self.resort();
        true
    }

    fn viewport(&self) -> Viewport {
        self.viewport
    }

    fn fit_viewport(&mut self, top: u16, height: usize) {
        let len = self.visible.len();
        self.viewport.fit(self.cursor, len, top, height);
    }

    fn selected_token(&self) -> Option<TokenId> {
        self.selected_row().and_then(ListRow::token)
    }

    fn shown_tokens(&self) -> Vec<TokenId> {
        let mut seen = std::collections::HashSet::new();
        self.visible
            .iter()
            .filter_map(|&i| self.rows[i].token())
            .filter(|id| seen.insert(*id))
            .collect()
    }

    fn selected_table_row(&self) -> Option<usize> {
        self.selected_row().and_then(ListRow::row)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Word(&'static str, u32);

    impl ListRow for Word {
        type Key = &'static str;
        const SORTS: &'static [&'static str] = &["Given", "Length"];
        fn key(&self) -> &'static str {
            self.0
        }
        fn token(&self) -> Option<TokenId> {
            Some(i64::from(self.1))
        }
        fn row(&self) -> Option<usize> {
            None
        }
        fn search_text(&self) -> String {
            self.0.to_string()
        }
        fn compare(&self, other: &Self, _: usize) -> Ordering {
            self.0.len().cmp(&other.0.len())
        }
    }

    #[test]
    fn the_selection_follows_its_row_through_sorts_filters_and_rebuilds() {
        let mut list = ListView::default();
        list.set_rows(vec![Word("ccc", 1), Word("a", 2), Word("bb", 3)]);
        list.select_position(2);
        assert_eq!(list.selected_token(), Some(3));
        assert!(list.sort_next());
        assert_eq!(list.order(), &[1, 2, 0]);
        assert_eq!(list.selected_token(), Some(3), "the sort kept the row");
        list.edit_filter(&mut |f| f.push_raw("b"));
        assert_eq!(list.order(), &[2]);
        assert_eq!(list.selected_token(), Some(3));
        list.edit_filter(&mut |f| f.clear());
        list.set_rows(vec![Word("bb", 3), Word("dddd", 4)]);
        assert_eq!(list.selected_token(), Some(3), "the rebuild kept the row");
        list.set_rows(vec![Word("dddd", 4)]);
        assert_eq!(
            list.selected_token(),
            Some(4),
            "a row that went leaves the cursor in place"
        );
        assert!(list.sort_reverse());
        assert!(list.descending);
    }
}
