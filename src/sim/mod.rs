//! A simulator of Mailtrap's token API (spec §11), for `serve`, `demo` and the tests. No UI knowledge.
//!
//! From the top down (each file uses only those below it):
//! - `serve`: the `mailtrap-tokens serve` process, from plain `ServeOptions`.
//! - `running`: `RunningSim`, the in-process handle tests and `demo` use.
//! - `http`: the request path: auth, rate limit, body checks, faults, production's headers, the log.
//! - `sdk_proxy`: SDK mode, CONNECT tunnels carrying TLS to the same routes.
//! - `control`: the `/__sim/` control surface, loopback only.
//! - `state`: what every request shares: the world, the clock, faults, the log, the rate windows.
//! - `routes`: which path and method mean which operation (both path styles).
//! - `faults`: injected latency, error statuses, broken bodies and dropped connections.
//! - `world`: the accounts' data (and their organization) and every business rule (create, reset, delete,
//!   accesses, tree, sub-accounts).
//! - `seed`: the seed file format and the embedded demo organization (`assets/seed.json`).
//! - `options`: what a simulator starts with.

pub mod control;
pub mod faults;
pub mod http;
pub mod options;
pub mod routes;
pub mod running;
pub mod sdk_proxy;
pub mod seed;
pub mod serve;
pub mod state;
pub mod world;

pub use control::is_loopback_peer;
pub use faults::{DropPoint, Fault, FaultBody};
pub use options::{DefaultExpiry, SimOptions};
pub use running::{RunningSim, SimError};
pub use serve::ServeOptions;
pub use state::LoggedRequest;
