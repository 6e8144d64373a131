//! The state every request path shares: the world, the simulator's clock, the pending faults, the request
//! log and the rate-limit windows, behind one lock.

use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, MutexGuard, OnceLock};
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::faults::FaultQueue;
use super::world::World;

/// One line of the request log: never a header, a body or a query string.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoggedRequest {
    pub method: String,
    pub path: String,
    /// 0 when the connection was dropped before any answer.
    pub status: u16,
}

/// The simulator's clock: real time plus an offset, or a frozen instant plus an offset.
#[derive(Clone, Debug)]
pub struct Clock {
    frozen: Option<DateTime<Utc>>,
    offset: chrono::Duration,
}

impl Clock {
    pub fn new(frozen: Option<DateTime<Utc>>) -> Self {
        Self {
            frozen,
            offset: chrono::Duration::zero(),
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.frozen.unwrap_or_else(Utc::now) + self.offset
    }

    pub fn advance(&mut self, by: chrono::Duration) {
        self.offset += by;
    }
}

/// Per token id, the sim-clock times of the requests in the current window.
#[derive(Debug, Default)]
pub struct RateWindows {
    times: HashMap<i64, VecDeque<DateTime<Utc>>>,
}

impl RateWindows {
    /// Counts a request by `token` at `now`: `Ok(requests left in the window)`, or, when the window is
    /// full, `Err(seconds until a request is free again)` and the request is not counted.
    pub fn count(
        &mut self,
        token: i64,
        now: DateTime<Utc>,
        limit: usize,
        window: chrono::Duration,
    ) -> Result<usize, u64> {
        let times = self.times.entry(token).or_default();
        while times.front().is_some_and(|t| *t + window <= now) {
            times.pop_front();
        }
        if times.len() >= limit {
            let free_at = times.front().map_or(now, |t| *t + window);
            let millis = (free_at - now).num_milliseconds().max(0) as u64;
            return Err(millis.div_ceil(1000).max(1));
        }
        times.push_back(now);
        Ok(limit - times.len())
    }
}

pub struct Inner {
    pub world: World,
    pub clock: Clock,
    pub faults: FaultQueue,
    pub log: Vec<LoggedRequest>,
    pub windows: RateWindows,
}

pub struct Shared {
    inner: Mutex<Inner>,
    /// Set in SDK mode: CONNECT requests are tunnelled into this TLS server (see `sdk_proxy`).
    pub sdk_tls: OnceLock<tokio_rustls::TlsAcceptor>,
    pub rate_limit: usize,
    pub rate_window: chrono::Duration,
}

impl Shared {
    pub fn new(world: World, clock: Clock, rate_limit: usize, rate_window: Duration) -> Self {
        Self {
            inner: Mutex::new(Inner {
                world,
                clock,
                faults: FaultQueue::default(),
                log: Vec::new(),
                windows: RateWindows::default(),
            }),
            sdk_tls: OnceLock::new(),
            rate_limit: rate_limit.max(1),
            rate_window: chrono::Duration::from_std(rate_window)
                .unwrap_or_else(|_| chrono::Duration::seconds(10)),
        }
    }

    /// Nothing holding this lock panics on input; a poisoned lock still holds consistent data.
    pub fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }
}
