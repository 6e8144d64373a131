//! The timeline: every moment ahead at which a token stops (its expiry, or the end of its reset grace)
//! or is purged by Mailtrap (a day after it stopped), soonest first; and how many tokens stop in each of
//! the next weeks, so that a wave of expiries shows weeks ahead.

use std::cmp::Ordering;

use chrono::{DateTime, Duration, Utc};

use crate::api::TokenId;
use crate::hygiene::PURGE_AFTER;
use crate::text::SafeText;

use super::super::table::TokenTable;
use super::list::ListRow;

/// The weeks the chart counts.
pub const WEEKS: usize = 12;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EventKind {
    /// The end of a reset grace: the old token stops working.
    GraceEnds,
    Expires,
    /// Mailtrap deletes the expired token.
    Purged,
}

impl EventKind {
    pub fn text(self) -> &'static str {
        match self {
            EventKind::GraceEnds => "reset grace ends",
            EventKind::Expires => "expires",
            EventKind::Purged => "purged",
        }
    }
}

#[derive(Clone, Debug)]
pub struct EventRow {
    pub at: DateTime<Utc>,
    pub kind: EventKind,
    pub token_id: TokenId,
    pub token_name: SafeText,
    /// The token's row in the table it was made from.
    row: usize,
    /// The token that replaced this one, for a grace's end.
    pub successor: Option<SafeText>,
}

impl ListRow for EventRow {
    type Key = (TokenId, EventKind);
    const SORTS: &'static [&'static str] = &[];

    fn key(&self) -> Self::Key {
        (self.token_id, self.kind)
    }

    fn token(&self) -> Option<TokenId> {
        Some(self.token_id)
    }

    fn row(&self) -> Option<usize> {
        Some(self.row)
    }

    fn search_text(&self) -> String {
        format!(
            "{}\n{}\n{}",
            self.token_name,
            self.token_id,
            self.kind.text()
        )
    }

    fn compare(&self, _: &Self, _: usize) -> Ordering {
        Ordering::Equal
    }
}

/// The events after `now`, soonest first, and the tokens that stop in each of the next `WEEKS` weeks
/// (week 0 starts now).
pub fn build(table: &TokenTable, now: DateTime<Utc>) -> (Vec<EventRow>, [u64; WEEKS]) {
    let mut out = Vec::new();
    let mut weeks = [0u64; WEEKS];
    for (index, row) in table.rows.iter().enumerate() {
        let (Some(at), None) = (row.token.expires_at, row.unreadable()) else {
            continue;
        };
        let t = &row.token;
        let in_grace = row.in_grace();
        let successor = row
            .successor()
            .filter(|_| in_grace)
            .map(|i| SafeText::new(&table.rows[i].token.name));
        let kind = if in_grace {
            EventKind::GraceEnds
        } else {
            EventKind::Expires
        };
        let name = SafeText::new(&t.name);
        if at > now {
            let week = (at - now).num_seconds() / Duration::weeks(1).num_seconds();
            if let Some(slot) = usize::try_from(week).ok().and_then(|w| weeks.get_mut(w)) {
                *slot += 1;
            }
            out.push(EventRow {
                at,
                kind,
                token_id: t.id,
                token_name: name.clone(),
                row: index,
                successor,
            });
        }
        let purge = at + PURGE_AFTER;
        if purge > now {
            out.push(EventRow {
                at: purge,
                kind: EventKind::Purged,
                token_id: t.id,
                token_name: name,
                row: index,
                successor: None,
            });
        }
    }
    // Many tokens end at the same moment (made together, reset together): their names break the tie,
    // by the table's own name order when it is made, else lowercased once per event.
    match table.name_ranks() {
        Some(ranks) => {
            out.sort_unstable_by_key(|e| (e.at, e.kind, ranks.get(e.row).copied(), e.token_id))
        }
        None => out.sort_by_cached_key(|e| (e.at, e.kind, e.token_name.to_lowercase(), e.token_id)),
    }
    (out, weeks)
}
