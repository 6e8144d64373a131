//! The simulator's rules (spec §11), over real loopback HTTP with raw requests.

mod control;
mod official_sdks;
mod organization;
mod permissions;
mod protocol;
mod rules;
mod serve_process;
