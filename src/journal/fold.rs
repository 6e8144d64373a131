//! Reading the journal as entries: each request's "sent" line and its result line folded into one.

use std::collections::HashMap;

use super::entry::{Answered, EntryId, Line, Sent};

/// One request: what was sent, and how it ended if that was recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub sent: Sent,
    /// `None`: sent, no result recorded (the process stopped before the answer, or could not write it).
    pub answer: Option<Answered>,
}

impl Entry {
    pub fn id(&self) -> &EntryId {
        &self.sent.entry
    }

    /// `done`, the error's kind, or `sent, no result recorded`.
    pub fn result_text(&self) -> &'static str {
        match &self.answer {
            Some(a) => a.result.as_str(),
            None => "sent, no result recorded",
        }
    }
}

/// The entries in the order they were sent, and a warning for each result line whose sent line is
/// missing (it is skipped).
pub fn fold(lines: Vec<(usize, Line)>) -> (Vec<Entry>, Vec<String>) {
    let mut entries: Vec<Entry> = Vec::new();
    let mut by_id: HashMap<EntryId, usize> = HashMap::new();
    let mut warnings = Vec::new();
    for (number, line) in lines {
        match line {
            Line::Sent(sent) => {
                by_id.insert(sent.entry.clone(), entries.len());
                entries.push(Entry { sent, answer: None });
            }
            Line::Result(answer) => match by_id.get(&answer.entry) {
                Some(&index) if entries[index].answer.is_none() => {
                    entries[index].answer = Some(answer);
                }
                Some(_) => warnings.push(format!(
                    "journal line {number} skipped: a second result for entry {}",
                    answer.entry
                )),
                None => warnings.push(format!(
                    "journal line {number} skipped: a result for entry {}, which has no sent line",
                    answer.entry
                )),
            },
        }
    }
    (entries, warnings)
}
