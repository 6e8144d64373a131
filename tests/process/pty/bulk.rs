//! Bulk actions and read-only in the built binary, with the simulator's request log as the witness: a
//! burst never confirms a bulk preview, a confirmed bulk delete sends one request per token it listed,
//! a signal during a bulk reset's dialog saves every new secret, and read-only sends nothing at all.

use super::custody::{DEADLINE, barrier, table};
use super::harness::Session;
use super::server::Served;

fn console(served: &Served, home: &tempfile::TempDir, args: &[&str]) -> Session {
    let dir = home.path().to_str().unwrap().to_string();
    Session::spawn(args, &served.env(&[("MAILTRAP_TOKENS_HOME", &dir)]))
}

/// The number the preview says it will send (`N requests will be sent`).
fn requests_promised(screen: &str) -> usize {
    let at = screen
        .find(" requests will be sent")
        .expect("the preview says how many requests it sends");
    screen[..at]
        .rsplit(|c: char| !c.is_ascii_digit())
        .next()
        .and_then(|n| n.parse().ok())
        .expect("a number before it")
}

#[test]
fn a_bulk_delete_takes_a_typed_count_no_burst_confirms_it_and_each_token_gets_one_request() {
    let served = Served::start();
    let home = tempfile::tempdir().unwrap();
    let mut session = console(&served, &home, &[]);
    table(&mut session);
    session.send("a");
    session.wait_for_screen("every row marked", |s| s.contains(" marked"));
    session.send("D");
    session.wait_for_screen("the preview", |s| s.contains("Type the number of tokens"));
    let screen = session.screen();
    let promised = requests_promised(&screen);
    assert!(promised > 5, "{screen}");
    assert!(
        screen.contains("refused: the console's own token"),
        "{screen}"
    );
    // The count and Enter typed ahead in one burst: the count is text, Enter is held back.
    session.send(&format!("{promised}\r"));
    session.wait_for_screen("the burst's Enter ignored", |s| {
        s.contains("Ignored a key that came with others")
    });
    // Keys are handled in order and the Enter was the last: nothing went out for this burst.
    assert_eq!(served.writes(), Vec::<String>::new(), "nothing was sent");
    session.send("\r");
    session.wait_for_screen("every answer", |s| {
        s.contains(&format!("{promised}/{promised} answered"))
    });
    let writes = served.writes();
    assert_eq!(writes.len(), promised, "{writes:?}");
    let mut unique = writes.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), promised, "one request per token: {writes:?}");
    assert!(
        writes.iter().all(|w| w.starts_with("DELETE ")),
        "{writes:?}"
    );
    session.send("\x1b");
    session.wait_for_screen("the table again", |s| !s.contains(" answered"));
    session.quit_restoring_the_terminal(DEADLINE);
}

/// Marks Legacy integration and Billing reports (each found with the filter), resets both in bulk and
/// waits for both secrets in the run's dialog.
fn reset_two_marked(session: &mut Session) {
    table(session);
    for name in ["Legacy", "Billing reports"] {
        session.send(&format!("/{name}\r"));
        session.wait_for_screen("one row", |s| s.contains("(1 of "));
        session.send(" ");
        session.send("\x1b");
        session.wait_for_screen("the whole table", |s| !s.contains("filter:"));
    }
    session.wait_for_screen("two marked", |s| s.contains("2 marked"));
    session.send("R");
    session.wait_for_screen("the preview", |s| s.contains("Reset 2 marked tokens?"));
    session.send("y");
    session.wait_for_screen("both secrets", |s| {
        s.contains("2/2 answered") && s.contains("New secrets (2)")
    });
}

#[test]
fn sigterm_with_a_bulk_resets_secrets_in_its_dialog_saves_each_to_a_private_file() {
    let served = Served::start();
    let home = tempfile::tempdir().unwrap();
    let mut session = console(&served, &home, &[]);
    reset_two_marked(&mut session);
    assert_eq!(served.count("POST "), 2, "{:?}", served.writes());
    // Esc would ask "close anyway?": the secrets are still only in the console.
    session.send("\x1b");
    session.wait_for_screen("the question", |s| s.contains("Close anyway?"));
    session.send("n");
    session.wait_for_screen("the dialog again", |s| !s.contains("Close anyway?"));
    session.signal(libc::SIGTERM);
    let status = session.wait_for_exit(DEADLINE);
    assert_eq!(status.exit_code(), 143, "128 + SIGTERM");
    session.assert_terminal_restored_then_text();
    let dir = home.path().join("state").join("secrets");
    let files: Vec<_> = std::fs::read_dir(&dir)
        .expect("the secrets directory")
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 2, "one file per new secret: {files:?}");
    use std::os::unix::fs::PermissionsExt;
    for file in &files {
        let mode = std::fs::metadata(file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{file:?}");
        let secret = std::fs::read_to_string(file).unwrap();
        let secret = secret.trim_end();
        assert!(
            secret.len() == 32 && secret.chars().all(|c| c.is_ascii_hexdigit()),
            "{file:?}"
        );
        // The dialog showed each new token's last four characters: the file holds its secret.
        let last4 = &secret[secret.len() - 4..];
        assert!(
            session.raw_text().contains(&format!("…{last4}")),
            "{file:?}"
        );
    }
}

#[test]
fn read_only_sends_no_write_whatever_is_pressed_or_pasted() {
    let served = Served::start();
    let home = tempfile::tempdir().unwrap();
    let mut session = console(&served, &home, &["--read-only"]);
    table(&mut session);
    assert!(
        session.screen().contains("READ-ONLY"),
        "{}",
        session.screen()
    );
    session.send("R");
    session.wait_for_screen("the refusal", |s| s.contains("read-only (--read-only)"));
    for keys in ["D", "e", "n", "C", "y", "\r", "\x1b", "a", "R", "y", "D"] {
        session.send(keys);
    }
    session.paste("yy\r");
    session.send("W");
    session.wait_for_screen("arming refused", |s| s.contains("Writes cannot be armed"));
    session.send("\x1b");
    barrier(&mut session, &served);
    assert_eq!(
        served.writes(),
        Vec::<String>::new(),
        "read-only sent a write"
    );
    session.quit_restoring_the_terminal(DEADLINE);
}

#[test]
fn until_armed_refuses_writes_until_w_and_then_sends_the_one_confirmed() {
    let served = Served::start();
    let home = tempfile::tempdir().unwrap();
    std::fs::write(
        home.path().join("config.toml"),
        "read_only = \"until-armed\"\narm_minutes = 5\n",
    )
    .unwrap();
    let mut session = console(&served, &home, &[]);
    table(&mut session);
    assert!(session.screen().contains("READ-ONLY (not armed)"));
    session.send("/Legacy\r");
    session.wait_for_screen("one row", |s| s.contains("(1 of "));
    session.send("R");
    session.wait_for_screen("the refusal", |s| s.contains("writes are not armed"));
    session.send("W");
    session.wait_for_screen("armed", |s| {
        s.contains("WRITES ARMED 4:5") || s.contains("WRITES ARMED 5:00")
    });
    session.send("R");
    session.wait_for_screen("the reset question", |s| s.contains("Reset token"));
    session.send("y");
    session.wait_for_screen("the secret", |s| s.contains("Token reset"));
    assert_eq!(served.writes().len(), 1, "{:?}", served.writes());
    session.signal(libc::SIGKILL);
}

#[test]
fn an_osc52_copy_of_a_bulk_secret_leaves_closing_guarded_and_a_save_keeps_them_all() {
    // No DISPLAY: the copy goes out as OSC 52, which nothing confirms; only the file keeps the secrets.
    let served = Served::start();
    let home = tempfile::tempdir().unwrap();
    let mut session = console(&served, &home, &[]);
    reset_two_marked(&mut session);
    session.send("c");
    session.wait_for_screen("the copy said as sent", |s| {
        s.contains("cannot confirm that anything received it")
    });
    assert!(session.raw_contains(b"\x1b]52;c;"), "the sequence was sent");
    session.send("\x1b");
    session.wait_for_screen("still asking", |s| s.contains("Close anyway?"));
    session.send("n");
    session.wait_for_screen("the dialog again", |s| !s.contains("Close anyway?"));
    session.send("s");
    session.wait_for_screen("saved", |s| s.contains("Saved every new secret"));
    let dir = home.path().join("state").join("secrets");
    let files: Vec<_> = std::fs::read_dir(&dir)
        .expect("the secrets directory")
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "one file for the run: {files:?}");
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&files[0]).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let text = std::fs::read_to_string(&files[0]).unwrap();
    let secrets: Vec<&str> = text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.rsplit('\t').next())
        .collect();
    assert_eq!(secrets.len(), 2, "{text}");
    for secret in secrets {
        assert!(secret.len() == 32 && secret.chars().all(|c| c.is_ascii_hexdigit()));
        let last4 = &secret[28..];
        assert!(session.raw_text().contains(&format!("…{last4}")));
    }
    // Saved: closing no longer asks.
    session.send("\x1b");
    session.wait_for_screen("closed without asking", |s| {
        !s.contains("New secrets") && !s.contains("Close anyway?")
    });
    session.quit_restoring_the_terminal(DEADLINE);
}
