//! What moving, filtering and sorting need of whichever view shows (the token table or a derived
//! view), so that one set of keys drives them all.

use crate::api::TokenId;
use crate::text::SafeText;

/// The most characters a filter holds: more cannot narrow a list of token names any further.
pub const MAX_FILTER_CHARS: usize = 256;

/// The part of the table on screen, like ratatui's `TableState`: set by the layout step before each frame
/// (never by drawing), read by `update` for page sizes and clicks and by the loop for "is a countdown
/// visible".
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Viewport {
    pub offset: usize,
    pub height: usize,
    /// The screen row of the first table row (for mouse clicks).
    pub top: u16,
}

impl Viewport {
    /// Fits to `height` rows of a list of `len` starting at screen row `top`, scrolling just enough to
    /// keep the row at `cursor` in view.
    pub fn fit(&mut self, cursor: usize, len: usize, top: u16, height: usize) {
        self.height = height;
        self.top = top;
        if cursor < self.offset {
            self.offset = cursor;
        } else if height > 0 && cursor >= self.offset + height {
            self.offset = cursor + 1 - height;
        }
        self.offset = self.offset.min(len.saturating_sub(height));
    }
}

pub trait Browse {
    /// Moves the cursor to a position in the visible order (clamped).
    fn select_position(&mut self, pos: usize);
    fn cursor(&self) -> usize;
    fn visible_len(&self) -> usize;
    fn filter(&self) -> &SafeText;
    fn filter_mut(&mut self) -> &mut SafeText;
    fn filter_editing(&self) -> bool;
    fn set_filter_editing(&mut self, on: bool);
    /// Shows the rows the filter's text matches now.
    fn apply_filter(&mut self);
    /// False when the view keeps one order.
    fn sort_next(&mut self) -> bool;
    fn sort_reverse(&mut self) -> bool;
    fn viewport(&self) -> Viewport;
    fn fit_viewport(&mut self, top: u16, height: usize);
    /// The token the selected row is about.
    fn selected_token(&self) -> Option<TokenId>;
    /// Where that token is (or was, when the view was made) in the table's rows.
    fn selected_table_row(&self) -> Option<usize>;
    /// The tokens of the rows the filter shows, in order, each once (what "mark every shown row"
    /// marks). Rows that are about no token, or whose token could not be read, are left out.
    fn shown_tokens(&self) -> Vec<TokenId>;

    /// Changes the filter's text and shows what it matches (capped at `MAX_FILTER_CHARS`).
    fn edit_filter(&mut self, edit: &mut dyn FnMut(&mut SafeText)) {
        let filter = self.filter_mut();
        edit(filter);
        let over = filter.chars().count().saturating_sub(MAX_FILTER_CHARS);
        for _ in 0..over {
            filter.pop();
        }
        self.apply_filter();
    }

    /// Moves the cursor by `by` rows (negative is up), clamped to the visible rows.
    fn move_by(&mut self, by: isize) {
        self.select_position(self.cursor().saturating_add_signed(by));
    }
}
