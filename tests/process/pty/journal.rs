//! The console journals what it sends: in a real terminal, a confirmed reset leaves its "sent" and its
//! result line in the state directory's journal, one request in the simulator's log, and no secret in
//! the file.

use std::time::{Duration, Instant};

use mailtrap_tokens::journal::{Action, Journal, read_entries};

use super::custody::{DEADLINE, table};
use super::harness::Session;
use super::server::Served;

#[test]
fn a_reset_in_the_console_journals_sent_and_result() {
    let served = Served::start();
    let home = tempfile::tempdir().unwrap();
    let home_text = home.path().to_str().expect("a UTF-8 temp path");
    let mut session = Session::spawn(&[], &served.env(&[("MAILTRAP_TOKENS_HOME", home_text)]));
    table(&mut session);
    session.send("j");
    session.send("R");
    session.wait_for_screen("the reset question", |s| s.contains("Reset token"));
    session.send("y");
    session.wait_for_screen("the secret", |s| s.contains("Token reset"));
    let secret = session.secret_on_screen().expect("the secret is drawn");

    let journal = Journal::in_state_dir(&home.path().join("state"));
    let start = Instant::now();
    let entries = loop {
        // The result line follows the answer, which the secret on screen shows has come.
        let (entries, warnings) = read_entries(&journal).unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        if entries.iter().any(|e| e.answer.is_some()) {
            break entries;
        }
        assert!(start.elapsed() < DEADLINE, "no result line: {entries:?}");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(entries.len(), 1, "{entries:?}");
    let reset = &entries[0];
    assert_eq!(reset.sent.action, Action::Reset);
    assert_eq!(reset.result_text(), "done");
    let answer = reset.answer.as_ref().unwrap();
    assert_eq!(
        answer.new_last4.as_ref().map(|l| l.as_str()),
        Some(&secret[secret.len() - 4..])
    );
    let writes = served.writes();
    assert_eq!(writes.len(), 1, "one request for the one entry: {writes:?}");
    assert!(
        writes[0].ends_with(&format!("/api_tokens/{}/reset", reset.sent.token.unwrap())),
        "{writes:?}"
    );
    let text = std::fs::read_to_string(journal.path()).unwrap();
    assert_eq!(text.lines().count(), 2, "{text}");
    assert!(
        !text.contains(&secret),
        "the secret never reaches the journal"
    );

    session.send("s");
    session.wait_for_screen("the save said", |s| s.contains("saved to"));
    session.send("\r");
    session.wait_for_screen("closed", |s| !s.contains("Token reset"));
    session.send("q");
    assert!(session.wait_for_exit(DEADLINE).success());
}
