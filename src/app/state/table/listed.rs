//! One account's list answer as the table's rows: made on the decoders while the answer is read
//! ([`row_maker`]), so a long list's tokens are never moved into rows afterwards, nor held as tokens
//! and as rows at once.

use std::sync::Arc;

use crate::api::{AccountId, ApiToken, Made, TokenList, UnreadableToken};

use super::row::{AccountLabel, TokenRow};

/// How many tokens [`ListedRows::from`] moves into rows before it gives their room back.
const MOVE_SLICE: usize = 4096;

/// One account's list as rows: every readable token's row, in the list's order, and the tokens that
/// could not be read.
#[derive(Clone, Debug, Default)]
pub struct ListedRows {
    pub(super) rows: Vec<TokenRow>,
    pub unreadable: Vec<UnreadableToken>,
}

impl ListedRows {
    /// The rows [`row_maker`] made, and the tokens set aside.
    pub fn made(rows: Vec<TokenRow>, unreadable: Vec<UnreadableToken>) -> Self {
        Self { rows, unreadable }
    }

    /// The readable tokens, in the list's order.
    pub fn tokens(&self) -> impl ExactSizeIterator<Item = &ApiToken> {
        self.rows.iter().map(|r| &r.token)
    }

    /// The list as the client reads it (the inventory keeps each account's list so).
    pub fn into_list(self) -> TokenList {
        let tokens = self.rows.into_iter().map(|r| r.token).collect();
        TokenList::collected(tokens, self.unreadable)
    }
}

impl From<TokenList> for ListedRows {
    fn from(list: TokenList) -> Self {
        // Moved from the back a slice at a time, each slice's room handed back at once: moving all
        // 100,000 tokens in one go would hold the decoded list whole beside the rows made from it
        // (a fresh buffer's pages count only once written, so the two together stay near one).
        let mut tokens = list.tokens;
        let mut rows = Vec::with_capacity(tokens.len());
        while !tokens.is_empty() {
            let from = tokens.len().saturating_sub(MOVE_SLICE);
            rows.extend(
                tokens
                    .drain(from..)
                    .rev()
                    .map(|t| TokenRow::new(t, 0, None, None)),
            );
            tokens.shrink_to_fit();
        }
        rows.reverse();
        Self {
            rows,
            unreadable: list.unreadable,
        }
    }
}

impl From<Vec<ApiToken>> for ListedRows {
    fn from(tokens: Vec<ApiToken>) -> Self {
        TokenList::from(tokens).into()
    }
}

/// The digest that makes each token of `account`'s list answer into its row, on the decoders (see
/// [`crate::api::Digest`]).
pub fn row_maker(account: AccountId) -> Made<impl Fn(ApiToken) -> TokenRow + Clone + Send + Sync> {
    Made(move |token| TokenRow::new(token, account, None, None))
}

/// An account's label, or none: the rows of a table of one account share no name (and count no
/// reference to one each).
pub(super) fn label_of(name: crate::text::SafeText) -> Option<Arc<AccountLabel>> {
    (!name.is_empty()).then(|| Arc::new(AccountLabel::new(name)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::ParallelReader;

    fn tokens(n: i64) -> Vec<ApiToken> {
        (0..n)
            .map(|i| ApiToken {
                id: 1000 + i,
                name: format!("token {i}").into(),
                last_4_digits: "abcd".into(),
                created_by: "ci".into(),
                expires_at: None,
                resources: Default::default(),
                opaque_resources: Default::default(),
            })
            .collect()
    }

    #[tokio::test]
    async fn rows_made_on_the_decoders_hold_the_lists_tokens_in_order_with_their_account() {
        let mut text = serde_json::to_string(&tokens(5000)).unwrap();
        // One token the model cannot read, set aside as the reader alone sets it aside.
        text.insert_str(1, r#"{"id":"x","name":"odd"},"#);
        let alone = TokenList::decode(text.as_bytes()).unwrap();
        let mut reader = ParallelReader::new(Arc::new(row_maker(42))).expecting(Some(text.len()));
        let mut rows = Vec::new();
        let mut each = |made: &mut Vec<TokenRow>| {
            rows.append(made);
            Ok(())
        };
        for piece in text.as_bytes().chunks(50_000) {
            reader.feed(piece, &mut each).await.unwrap();
        }
        let unreadable = reader.finish(&mut each).await.unwrap();
        let listed = ListedRows::made(rows, unreadable);
        assert!(listed.tokens().eq(alone.iter()));
        assert_eq!(listed.unreadable, alone.unreadable);
        assert!(
            listed
                .rows
                .iter()
                .all(|r| r.account == 42 && r.account_label.is_none())
        );
        assert_eq!(listed.into_list(), alone);
    }

    #[test]
    fn a_list_made_into_rows_and_back_is_the_same_list() {
        let list = TokenList::from(tokens(10_000));
        let rows = ListedRows::from(list.clone());
        assert!(rows.tokens().eq(list.iter()));
        assert_eq!(rows.into_list(), list);
    }
}
