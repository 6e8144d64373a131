//! How many threads can run at once, asked of the system once: `available_parallelism` reads the
//! cgroup's quota files on every call (tens of microseconds), and the list's reader, the table's order
//! and its sort each ask on their way.

use std::sync::OnceLock;

/// Threads that can run at once (at least one).
pub fn cores() -> usize {
    static CORES: OnceLock<usize> = OnceLock::new();
    *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}
