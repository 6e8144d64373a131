use chrono::{TimeZone, Utc};

use super::*;

fn at(s: i64) -> chrono::DateTime<Utc> {
    Utc.timestamp_opt(1_800_000_000 + s, 0).single().unwrap()
}

fn sent(action: Action, token: i64) -> Sent {
    Note::about(action, token, "CI deploy", "…ab12").sent(1824170, at(0))
}

#[test]
fn a_sent_line_and_its_result_fold_into_one_entry() {
    let dir = tempfile::tempdir().unwrap();
    let journal = Journal::in_state_dir(&dir.path().join("state"));
    let reset = sent(Action::Reset, 7);
    let delete = sent(Action::Delete, 8);
    journal.append(&Line::Sent(reset.clone())).unwrap();
    journal.append(&Line::Sent(delete.clone())).unwrap();
    let done = Answered::new(&reset, Outcome::Done, at(1)).made(9, "cd34");
    journal.append(&Line::Result(done.clone())).unwrap();
    let (entries, warnings) = read_entries(&journal).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0].sent, reset);
    assert_eq!(entries[0].answer.as_ref(), Some(&done));
    assert_eq!(entries[0].result_text(), "done");
    assert_eq!(entries[1].sent.last4.as_ref().unwrap().as_str(), "ab12");
    assert_eq!(entries[1].result_text(), "sent, no result recorded");

    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(journal.path())
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
    let dir_mode = std::fs::metadata(dir.path().join("state"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(dir_mode & 0o777, 0o700);
}

#[test]
fn a_torn_last_line_is_skipped_with_a_warning_and_closed_before_the_next() {
    let dir = tempfile::tempdir().unwrap();
    let journal = Journal::in_state_dir(dir.path());
    let first = sent(Action::Delete, 1);
    journal.append(&Line::Sent(first.clone())).unwrap();
    let whole = serde_json::to_string(&Line::Sent(sent(Action::Delete, 2))).unwrap();
    let mut text = std::fs::read_to_string(journal.path()).unwrap();
    text.push_str(&whole[..whole.len() / 2]);
    std::fs::write(journal.path(), &text).unwrap();

    let (entries, warnings) = read_entries(&journal).unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(
        warnings,
        vec!["journal line 2 skipped: cut short (torn)".to_string()]
    );

    // The next line does not run on from the torn one.
    let third = sent(Action::Delete, 3);
    journal.append(&Line::Sent(third.clone())).unwrap();
    let (entries, warnings) = read_entries(&journal).unwrap();
    let ids: Vec<_> = entries.iter().map(|e| e.sent.token).collect();
    assert_eq!(ids, vec![Some(1), Some(3)]);
    assert_eq!(
        warnings,
        vec!["journal line 2 skipped: not a journal line (garbled)".to_string()]
    );
}

#[test]
fn a_garbled_middle_line_and_an_orphan_result_are_skipped_by_number() {
    let a = sent(Action::Reset, 1);
    let b = sent(Action::Reset, 2);
    let orphan = Answered::new(&sent(Action::Reset, 3), Outcome::Refused, at(2));
    let text = format!(
        "{}\n{{\"line\":\"sent\",\"entry\":\"zz\"}}\n\u{0}\u{1b}[2J garbage\n{}\n{}\n{}\n",
        serde_json::to_string(&Line::Sent(a.clone())).unwrap(),
        serde_json::to_string(&Line::Sent(b.clone())).unwrap(),
        serde_json::to_string(&Line::Result(orphan)).unwrap(),
        serde_json::to_string(&Line::Result(Answered::new(&b, Outcome::AnswerLost, at(3))))
            .unwrap(),
    );
    let read = file::parse_lines(text.as_bytes());
    assert_eq!(
        read.warnings,
        vec![
            "journal line 2 skipped: not a journal line (garbled)".to_string(),
            "journal line 3 skipped: not a journal line (garbled)".to_string(),
        ]
    );
    let (entries, warnings) = fold(read.lines);
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[1].result_text(), "answer_lost");
    assert_eq!(warnings.len(), 1);
    assert!(
        warnings[0].starts_with("journal line 5 skipped: a result for entry"),
        "{warnings:?}"
    );
}

#[test]
fn two_writers_appending_at_once_never_interleave() {
    let dir = tempfile::tempdir().unwrap();
    let journal = Journal::in_state_dir(dir.path());
    const EACH: usize = 500;
    let writers: Vec<_> = (0..2)
        .map(|writer| {
            let journal = journal.clone();
            std::thread::spawn(move || {
                // Each writer has its own open file, as two processes would.
                let appender = journal.open().unwrap();
                for i in 0..EACH {
                    // A long name makes each line several kilobytes, past any one-page write.
                    let mut note = Note::about(
                        Action::EditPermissions,
                        (writer * EACH + i) as i64,
                        &format!("writer {writer} {}", "x".repeat(3000)),
                        "abcd",
                    );
                    note.before = Some(Vec::new());
                    appender
                        .append(&Line::Sent(note.sent(1, at(i as i64))))
                        .unwrap();
                }
            })
        })
        .collect();
    for w in writers {
        w.join().unwrap();
    }
    let read = journal.read().unwrap();
    assert!(
        read.warnings.is_empty(),
        "{:?}",
        &read.warnings[..read.warnings.len().min(3)]
    );
    assert_eq!(read.lines.len(), 2 * EACH);
    let mut tokens: Vec<i64> = read
        .lines
        .iter()
        .filter_map(|(_, l)| match l {
            Line::Sent(s) => s.token,
            Line::Result(_) => None,
        })
        .collect();
    tokens.sort();
    assert_eq!(tokens, (0..2 * EACH as i64).collect::<Vec<_>>());
}

#[test]
fn a_journal_that_is_not_a_file_cannot_be_opened() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join(FILE_NAME)).unwrap();
    let journal = Journal::in_state_dir(dir.path());
    let err = journal.open().err().unwrap().to_string();
    assert!(err.contains("journal"), "{err}");
}
