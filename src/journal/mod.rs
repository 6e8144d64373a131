//! The journal of writes: every create, reset, delete, permission edit and undo that the console or a
//! command sends is appended to `<state dir>/journal.jsonl`, one "sent" line before the request goes
//! out and one result line after its answer, so a crash in between still leaves a trace. Never a
//! secret: the types here have no place for one.
//!
//! - `entry.rs`: what a line holds (ids, actions, names, last-4s, permissions, outcomes) and the
//!   permission arithmetic an undo needs.
//! - `file.rs`: appending under a lock, reading with torn lines skipped.
//! - `fold.rs`: a request's two lines folded into one entry.
//! - `record.rs`: one write's two lines, the first before anything is sent.

pub mod entry;
pub mod file;
pub mod fold;
pub mod record;

pub use entry::{
    Action, Answered, EntryId, Last4, Line, Name, Note, Outcome, Permission, Sent, apply_changes,
    changes_to_restore, permission_set,
};
pub use file::{Appender, FILE_NAME, Journal, ReadLines};
pub use fold::{Entry, fold};
pub use record::{Recording, not_journaled};

/// The journal's entries and every warning met reading it.
pub fn read_entries(journal: &Journal) -> std::io::Result<(Vec<Entry>, Vec<String>)> {
    let read = journal.read()?;
    let (entries, mut warnings) = fold(read.lines);
    let mut all = read.warnings;
    all.append(&mut warnings);
    Ok((entries, all))
}

#[cfg(test)]
mod tests;
