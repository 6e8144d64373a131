//! What changed in an account's tokens between two looks: a snapshot of the inventory (never a secret)
//! kept per account in the state directory, and the comparison of two snapshots.
//!
//! - `snapshot.rs`: what a snapshot holds and how one is taken from a token list.
//! - `compare.rs`: the changes between two snapshots, in a fixed order, and their summary.
//! - `against.rs`: a stored snapshot read against a list, keeping only what differs.
//! - `store.rs`: where a snapshot is kept, read leniently and written whole.

mod against;
mod compare;
mod snapshot;
mod store;

pub use against::{Against, compare_read};
pub use compare::{Change, Drift, compare};
pub use snapshot::{Snapshot, TokenRecord};
pub use store::{Loaded, SnapshotWriter, load, load_against, save, snapshot_path};

/// `2d`, `5h`, `12m`, `<1m`: how long ago a snapshot was taken, in its largest unit.
pub fn ago(span: chrono::TimeDelta) -> String {
    let minutes = span.num_minutes().max(0);
    match (minutes / 1440, minutes / 60, minutes) {
        (0, 0, 0) => "<1m".into(),
        (0, 0, m) => format!("{m}m"),
        (0, h, _) => format!("{h}h"),
        (d, _, _) => format!("{d}d"),
    }
}

#[cfg(test)]
mod tests;
