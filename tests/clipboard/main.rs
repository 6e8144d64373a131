//! The clipboard routes: the exact OSC 52 bytes, route choice, the native thread's clear-if-unchanged
//! and recreate-after-error (with a fake backend), and a real X clipboard under Xvfb.

mod native_fake;
mod osc52;
mod xvfb;

use std::time::{Duration, Instant};

/// Waits for `condition` with a bound; fails the test when the bound passes.
pub fn wait_until(what: &str, bound: Duration, mut condition: impl FnMut() -> bool) {
    let start = Instant::now();
    while !condition() {
        assert!(
            start.elapsed() < bound,
            "timed out after {bound:?} waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}
