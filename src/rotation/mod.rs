//! Carrying a rotation through: where each token is used (its places, kept locally per account), the
//! cut-over checklist of a reset token, and handing a new secret to the commands that put it where it is
//! used.
//!
//! - `places.rs`: the places of each token, their ticks, and the file they are kept in (0600).
//! - `handoff.rs`: which `[[handoff]]` targets a token goes to, their command lines, and running one with
//!   the secret on its standard input only.

pub mod handoff;
pub mod places;

pub use handoff::{HandoffOutcome, HandoffRun, Vars, matching_targets, runs_for};
pub use places::{Place, PlaceBook};
