//! The simulated accounts (and their organization) and every rule of spec §11 that does not depend on HTTP.
//!
//! - `store`: the data (tokens and the hashes of their secrets, accesses, resources, id counters).
//! - `from_seed`: building it from a seed, plus synthetic tokens.
//! - `permissions`: who may do what on which resource.
//! - `input`: reading a request's expiry, resources, access levels and name.
//! - `rules`: what each request does (create, reset and its grace, delete, accesses, tree, purge).
//! - `wire`: the answers and the JSON shape of each record.

mod from_seed;
mod input;
mod permissions;
mod rules;
mod store;
mod wire;

pub use from_seed::{Built, Synthetic};
pub use input::parse_access_level;
pub use store::{Caller, TokenRecord, World};
pub use wire::Answer;
