//! What a simulator is started with.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use chrono::{DateTime, Utc};

/// What an omitted `expires_at` means on create and reset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DefaultExpiry {
    /// 365 days, Mailtrap's current default.
    Year,
    /// Never expires, the behaviour before the expiry feature.
    Never,
}

pub struct SimOptions {
    pub listen: SocketAddr,
    /// `None`: the embedded demo seed.
    pub seed: Option<PathBuf>,
    /// Synthetic tokens beyond the seed, in the first account (`serve --tokens N`).
    pub extra_tokens: usize,
    /// Synthetic sub-accounts "Synthetic account k" beyond the seed's (`serve --accounts N`); the
    /// organization is made if the seed has none, and its demo token is admin of each.
    pub synthetic_accounts: usize,
    /// Synthetic tokens in each synthetic account (`serve --account-tokens M`).
    pub tokens_per_synthetic_account: usize,
    /// What an omitted `expires_at` means on create and reset.
    pub default_expiry: DefaultExpiry,
    /// `Some(t)`: the clock starts at `t` and moves only through `advance_clock`; `None`: real time.
    pub frozen_at: Option<DateTime<Utc>>,
    pub rate_limit: usize,
    /// Measured on the simulator's clock.
    pub rate_window: Duration,
    /// How long after expiry an expired token disappears.
    pub cleanup_after: chrono::Duration,
}

impl Default for SimOptions {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            seed: None,
            extra_tokens: 0,
            synthetic_accounts: 0,
            tokens_per_synthetic_account: 1000,
            default_expiry: DefaultExpiry::Year,
            frozen_at: None,
            rate_limit: 150,
            rate_window: Duration::from_secs(10),
            // guess, spec §4.5/§11: the reset doc's 24 h, not the expiry doc's 90 days.
            cleanup_after: chrono::Duration::hours(24),
        }
    }
}
