//! The marked tokens that bulk actions act on. Marks are token ids, so a refresh, a filter, a sort or a
//! view switch never moves them to another token; a token that leaves the list loses its mark.

use std::collections::{BTreeSet, HashSet};

use crate::api::TokenId;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Marks {
    ids: BTreeSet<TokenId>,
}

impl Marks {
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn contains(&self, id: TokenId) -> bool {
        self.ids.contains(&id)
    }

    /// Marks the token, or unmarks it if it was marked; `true` when it is marked now.
    pub fn toggle(&mut self, id: TokenId) -> bool {
        if self.ids.remove(&id) {
            false
        } else {
            self.ids.insert(id);
            true
        }
    }

    /// Marks every one of `ids`; how many were not marked before.
    pub fn mark_all(&mut self, ids: impl IntoIterator<Item = TokenId>) -> usize {
        ids.into_iter().filter(|id| self.ids.insert(*id)).count()
    }

    /// Unmarks everything; how many were marked.
    pub fn clear(&mut self) -> usize {
        let n = self.ids.len();
        self.ids.clear();
        n
    }

    pub fn unmark(&mut self, id: TokenId) {
        self.ids.remove(&id);
    }

    /// Keeps the marks of the tokens still listed; how many were dropped.
    pub fn keep_listed(&mut self, listed: &HashSet<TokenId>) -> usize {
        let before = self.ids.len();
        self.ids.retain(|id| listed.contains(id));
        before - self.ids.len()
    }

    /// The marked ids, smallest first.
    pub fn ids(&self) -> impl Iterator<Item = TokenId> + '_ {
        self.ids.iter().copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_toggle_and_leave_with_their_tokens() {
        let mut marks = Marks::default();
        assert!(marks.toggle(3));
        assert!(!marks.toggle(3));
        assert_eq!(marks.mark_all([1, 2, 3, 2]), 3);
        assert_eq!(marks.mark_all([1]), 0);
        let listed: HashSet<TokenId> = [1, 3, 9].into();
        assert_eq!(marks.keep_listed(&listed), 1);
        assert_eq!(marks.ids().collect::<Vec<_>>(), vec![1, 3]);
        assert_eq!(marks.clear(), 2);
        assert!(marks.is_empty());
    }
}
