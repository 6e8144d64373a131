//! A simulator of Mailtrap's token API (spec §11), for `serve`, `demo` and the tests. No UI knowledge.
//!
//! - `seed`: the seed file format and the embedded demo account (`assets/seed.json`).
//! - `world`: the account's data and every business rule (create, reset, delete, accesses, tree).
//! - `routes`: which path and method mean which operation (both path styles).
//! - `http`: the axum listener: auth, rate limit, body checks, faults, the request log.
//! - `control`: the `/__sim/` control surface, loopback only.
//! - `faults`: injected latency, error statuses, broken bodies and dropped connections.
//! - `running`: `RunningSim`, the in-process handle tests and `demo` use.
//! - `serve`: the `mailtrap-tokens serve` command.

pub mod control;
pub mod faults;
pub mod http;
pub mod routes;
pub mod running;
pub mod sdk_proxy;
pub mod seed;
pub mod serve;
pub mod world;

use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::cli::args::DefaultExpiry;

pub use control::is_loopback_peer;
pub use faults::{DropPoint, Fault, FaultBody};
pub use running::RunningSim;

pub struct SimOptions {
    pub listen: SocketAddr,
    /// `None`: the embedded demo seed.
    pub seed: Option<PathBuf>,
    /// Synthetic tokens beyond the seed (`serve --tokens N`).
    pub extra_tokens: usize,
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
            default_expiry: DefaultExpiry::Year,
            frozen_at: None,
            rate_limit: 150,
            rate_window: Duration::from_secs(10),
            // guess, spec §4.5/§11: the reset doc's 24 h, not the expiry doc's 90 days.
            cleanup_after: chrono::Duration::hours(24),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SimError {
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("seed {file}: {message}")]
    Seed { file: String, message: String },
}

/// One line of the request log: never a header, a body or a query string.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoggedRequest {
    pub method: String,
    pub path: String,
    /// 0 when the connection was dropped before any answer.
    pub status: u16,
}
