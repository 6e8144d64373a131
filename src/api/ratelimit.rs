//! Keeps every client in this process under Mailtrap's limit of 150 requests per 10 seconds per token
//! (spec §6), and lets a 429 or an exhausted `X-Ratelimit-Remaining` pause all of them together.

use sha2::{Digest, Sha256};
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;
use tokio::time::Instant;

pub const LIMIT: usize = 150;
/// Mailtrap's window is 10 s; the margin absorbs the network's jitter between our send and their count.
pub const WINDOW: Duration = Duration::from_millis(10_250);

#[derive(Debug)]
pub struct RateLimiter {
    limit: usize,
    window: Duration,
    state: Mutex<LimiterState>,
}

#[derive(Debug, Default)]
struct LimiterState {
    sent: VecDeque<Instant>,
    paused_until: Option<Instant>,
}

impl RateLimiter {
    pub fn new(limit: usize, window: Duration) -> Self {
        Self {
            limit: limit.max(1),
            window,
            state: Mutex::new(LimiterState::default()),
        }
    }

    /// The limiter shared by every client using this token in this process.
    pub fn for_token(token: &str) -> Arc<RateLimiter> {
        static SHARED: OnceLock<Mutex<HashMap<[u8; 32], Arc<RateLimiter>>>> = OnceLock::new();
        let key: [u8; 32] = Sha256::digest(token.as_bytes()).into();
        let mut map = SHARED
            .get_or_init(Default::default)
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        map.entry(key)
            .or_insert_with(|| Arc::new(RateLimiter::new(LIMIT, WINDOW)))
            .clone()
    }

    /// Waits until one more request fits in the window, then counts it.
    pub async fn acquire(&self) {
        loop {
            let wait_until = {
                let mut st = self.state.lock().unwrap_or_else(|p| p.into_inner());
                let now = Instant::now();
                while st
                    .sent
                    .front()
                    .is_some_and(|t| now.duration_since(*t) >= self.window)
                {
                    st.sent.pop_front();
                }
                match st.paused_until {
                    Some(until) if until > now => until,
                    _ if st.sent.len() < self.limit => {
                        st.sent.push_back(now);
                        return;
                    }
                    _ => st.sent.front().map_or(now, |t| *t + self.window),
                }
            };
            tokio::time::sleep_until(wait_until).await;
        }
    }

    /// Holds every request back until `until` (a 429's `Retry-After`, or the server saying none are left).
    pub fn pause_until(&self, until: Instant) {
        let mut st = self.state.lock().unwrap_or_else(|p| p.into_inner());
        if st.paused_until.is_none_or(|p| p < until) {
            st.paused_until = Some(until);
        }
    }

    /// The end of the current pause, if one is in force.
    pub fn paused_until(&self) -> Option<Instant> {
        let st = self.state.lock().unwrap_or_else(|p| p.into_inner());
        st.paused_until.filter(|u| *u > Instant::now())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn the_window_holds_the_overflow_back() {
        let limiter = RateLimiter::new(3, Duration::from_secs(10));
        let start = Instant::now();
        for _ in 0..3 {
            limiter.acquire().await;
        }
        assert_eq!(Instant::now(), start);
        limiter.acquire().await;
        assert_eq!(
            Instant::now().duration_since(start),
            Duration::from_secs(10)
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_pause_holds_everyone() {
        let limiter = RateLimiter::new(100, Duration::from_secs(10));
        let start = Instant::now();
        limiter.pause_until(start + Duration::from_secs(4));
        limiter.acquire().await;
        assert_eq!(Instant::now().duration_since(start), Duration::from_secs(4));
    }
}
