//! The API client (`src/api/`) against the simulator over real loopback HTTP.

mod endpoints;
mod errors;
mod limiter;
#[path = "../sim/support.rs"]
pub mod support;
mod timeline;
