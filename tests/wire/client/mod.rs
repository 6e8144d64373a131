//! The API client (`src/api/`) against the simulator over real loopback HTTP.

mod endpoints;
mod errors;
mod limiter;
mod timeline;
