//! A bulk action's run: the marked tokens it was confirmed for, where each one stands (waiting, sent,
//! done, failed, its answer lost, not sent and why), and the new secrets a bulk reset brought, held in
//! custody until they are copied or saved. Each token gets at most one request; only a 429, which says
//! the server did not act, lets that one request go again after its `Retry-After`.

use std::collections::HashSet;

use chrono::{DateTime, Utc};

use crate::api::{AccountId, ApiToken, Secret, TokenId};
use crate::text::SafeText;

pub use super::super::dialogs::bulk_preview::{BulkAction, BulkTarget};
use super::super::msg::RequestId;

/// How many of a run's requests are handed to the client at once. The client's limiter paces them to
/// the account's budget; a small number keeps "stop" meaning "nothing more goes out".
pub const MAX_IN_FLIGHT: usize = 4;

/// Where one token of the run stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ItemState {
    /// Not sent yet.
    Waiting,
    /// A 429 said the server did not act: sent again from this time on.
    WaitingUntil(DateTime<Utc>),
    Sent(RequestId),
    Done(SafeText),
    Failed(SafeText),
    /// No answer came: whether the server acted is unknown, and it is not sent again.
    AnswerLost(SafeText),
    /// Never sent, and why (refused before the run, or the run was stopped).
    NotSent(SafeText),
}

impl ItemState {
    pub fn is_open(&self) -> bool {
        matches!(
            self,
            ItemState::Waiting | ItemState::WaitingUntil(_) | ItemState::Sent(_)
        )
    }
}

/// A new secret from a bulk reset, in custody until copied or saved.
#[derive(Debug)]
pub struct BulkSecret {
    pub token: ApiToken,
    pub name: SafeText,
    pub last4: SafeText,
    pub secret: Secret,
    pub copied: bool,
    pub saved: bool,
}

#[derive(Debug)]
pub struct BulkRun {
    pub action: BulkAction,
    pub account: AccountId,
    pub targets: Vec<BulkTarget>,
    pub states: Vec<ItemState>,
    /// Why the rest was not sent, once the run was stopped.
    pub stopped: Option<SafeText>,
    pub secrets: Vec<BulkSecret>,
    /// The token ids listed when the run started: a reset whose answer was lost is found by the ids that
    /// were not there.
    pub known_ids: HashSet<TokenId>,
    pub started_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    /// How many 429s the run met (each one re-sent once its wait was over).
    pub rate_limited: usize,
    /// The file with every secret is being written.
    pub saving: bool,
    /// A permission edit's rows as sent (by position): what an undo of the run puts back.
    pub edits: std::collections::HashMap<usize, super::requests::UndoableEdit>,
}

impl BulkRun {
    pub fn new(
        action: BulkAction,
        account: AccountId,
        targets: Vec<BulkTarget>,
        known_ids: HashSet<TokenId>,
        now: DateTime<Utc>,
    ) -> Self {
        let states = targets
            .iter()
            .map(|t| match &t.refused {
                Some(why) => ItemState::NotSent(SafeText::from(format!("refused: {why}"))),
                None => ItemState::Waiting,
            })
            .collect();
        Self {
            action,
            account,
            targets,
            states,
            stopped: None,
            secrets: Vec::new(),
            known_ids,
            started_at: now,
            finished_at: None,
            rate_limited: 0,
            saving: false,
            edits: Default::default(),
        }
    }

    /// The item whose request this is.
    pub fn item_of(&self, req: RequestId) -> Option<usize> {
        self.states.iter().position(|s| *s == ItemState::Sent(req))
    }

    pub fn in_flight(&self) -> usize {
        self.states
            .iter()
            .filter(|s| matches!(s, ItemState::Sent(_)))
            .count()
    }

    /// The next item that may be sent now, if the run may send more.
    pub fn next_ready(&self, now: DateTime<Utc>) -> Option<usize> {
        if self.stopped.is_some() || self.in_flight() >= MAX_IN_FLIGHT {
            return None;
        }
        self.states.iter().position(|s| match s {
            ItemState::Waiting => true,
            ItemState::WaitingUntil(at) => *at <= now,
            _ => false,
        })
    }

    /// When the earliest item waiting out a 429 may go.
    pub fn next_retry(&self) -> Option<DateTime<Utc>> {
        if self.stopped.is_some() {
            return None;
        }
        self.states
            .iter()
            .filter_map(|s| match s {
                ItemState::WaitingUntil(at) => Some(*at),
                _ => None,
            })
            .min()
    }

    /// Stops sending: every item not sent yet is left unsent, with `why`. Requests already out finish.
    pub fn stop(&mut self, why: &str) -> usize {
        if self.stopped.is_none() {
            self.stopped = Some(SafeText::new(why));
        }
        let mut left = 0;
        for state in &mut self.states {
            if matches!(state, ItemState::Waiting | ItemState::WaitingUntil(_)) {
                *state = ItemState::NotSent(SafeText::new(why));
                left += 1;
            }
        }
        left
    }

    /// Nothing is waiting or out any more.
    pub fn is_finished(&self) -> bool {
        !self.states.iter().any(ItemState::is_open)
    }

    /// (done, failed or lost, not sent, still open) counts.
    pub fn counts(&self) -> RunCounts {
        let mut c = RunCounts::default();
        for s in &self.states {
            match s {
                ItemState::Done(_) => c.done += 1,
                ItemState::Failed(_) => c.failed += 1,
                ItemState::AnswerLost(_) => c.lost += 1,
                ItemState::NotSent(_) => c.not_sent += 1,
                ItemState::Waiting | ItemState::WaitingUntil(_) | ItemState::Sent(_) => c.open += 1,
            }
        }
        c
    }

    /// Requests that went out (answered or not): what "sent" means to the operator.
    pub fn sent(&self) -> usize {
        let c = self.counts();
        c.done + c.failed + c.lost + self.in_flight()
    }

    /// New secrets neither copied nor saved.
    pub fn unacknowledged_secrets(&self) -> usize {
        self.secrets
            .iter()
            .filter(|s| !s.copied && !s.saved)
            .count()
    }

    /// Resets sent whose answer (and secret) has not come yet.
    pub fn secrets_awaited(&self) -> usize {
        if !self.action.brings_secrets() {
            return 0;
        }
        self.in_flight()
    }

    /// The secrets a stopping process must rescue: every one not saved to a file.
    pub fn custody(&self) -> impl Iterator<Item = crate::custody::Rescue<'_>> {
        self.secrets
            .iter()
            .filter(|s| !s.saved)
            .map(|s| crate::custody::Rescue {
                name: s.token.name.as_str(),
                id: s.token.id,
                secret: &s.secret,
            })
    }

    pub fn holds_secret(&self, id: TokenId) -> bool {
        self.secrets.iter().any(|s| s.token.id == id)
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RunCounts {
    pub done: usize,
    pub failed: usize,
    pub lost: usize,
    pub not_sent: usize,
    pub open: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(id: TokenId, refused: Option<&str>) -> BulkTarget {
        BulkTarget {
            token: id,
            name: SafeText::literal("t"),
            last4: SafeText::literal("…abcd"),
            server_name: "t".into(),
            is_own_token: false,
            restore: None,
            refused: refused.map(String::from),
        }
    }

    #[test]
    fn a_run_sends_at_most_its_share_and_stops_what_is_not_out() {
        let now: DateTime<Utc> = "2026-12-01T10:00:00Z".parse().unwrap();
        let targets = (1..=7)
            .map(|i| target(i, (i == 2).then_some("no")))
            .collect();
        let mut run = BulkRun::new(BulkAction::Delete, 1, targets, HashSet::new(), now);
        assert_eq!(run.counts().not_sent, 1);
        let mut req = 100;
        while let Some(i) = run.next_ready(now) {
            req += 1;
            run.states[i] = ItemState::Sent(req);
        }
        assert_eq!(run.in_flight(), MAX_IN_FLIGHT);
        assert_eq!(run.item_of(101), Some(0));
        assert_eq!(run.item_of(102), Some(2), "the refused one was skipped");
        run.states[0] = ItemState::WaitingUntil(now + chrono::Duration::seconds(3));
        assert_eq!(run.next_ready(now), Some(5), "a 429 waits its turn");
        assert_eq!(run.next_ready(now + chrono::Duration::seconds(3)), Some(0));
        assert_eq!(run.stop("stopped"), 3);
        assert_eq!(run.next_ready(now + chrono::Duration::seconds(9)), None);
        assert!(!run.is_finished(), "three requests are still out");
        for i in 0..run.states.len() {
            if matches!(run.states[i], ItemState::Sent(_)) {
                run.states[i] = ItemState::Done(SafeText::literal("deleted"));
            }
        }
        assert!(run.is_finished());
        assert_eq!(run.sent(), 3);
    }
}
