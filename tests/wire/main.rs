//! The API client and the simulator over real loopback HTTP: one test binary for what used to be three.
//! Run one area with `cargo test --test wire faults::`.
//!
//! - `client`: the API client (`src/api/`) against the simulator.
//! - `sim`: the simulator's rules (spec §11), with raw requests; Mailtrap's official SDKs against it.
//! - `faults`: network and server faults injected by the simulator, through the client and the console.

mod client;
#[path = "../support/console_driver.rs"]
mod console_driver;
mod faults;
mod sim;
#[path = "../support/sim.rs"]
mod support;
