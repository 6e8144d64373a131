//! The two promises where they live, in the built binary in a pseudo-terminal: nothing changes the
//! account without a confirmation the operator meant (a paste or keys typed ahead never confirm), and no
//! new secret is lost (OSC 52 is not a copy, a stop signal saves it). The simulator's request log is the
//! witness of what was sent.

use std::time::{Duration, Instant};

use super::harness::Session;
use super::server::Served;

pub(super) const DEADLINE: Duration = Duration::from_secs(30);

/// Waits, with a deadline, until `cond` holds.
pub(super) fn wait_until(what: &str, mut cond: impl FnMut() -> bool) {
    let start = Instant::now();
    while !cond() {
        assert!(start.elapsed() < DEADLINE, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

pub(super) fn table(session: &mut Session) {
    session.wait_for_screen("the token table", |s| {
        s.contains("Tokens (") && s.contains("● connected")
    });
}

/// The live console against `served`, its config, log and state in `home`.
fn console_with_home(served: &Served, home: &std::path::Path) -> Session {
    let home = home.to_str().expect("a UTF-8 temp path");
    Session::spawn(&[], &served.env(&[("MAILTRAP_TOKENS_HOME", home)]))
}

/// Selects the second row, asks to reset it and confirms once the question is on screen.
fn confirm_reset_of_the_second_row(session: &mut Session) {
    session.send("j");
    session.send("R");
    session.wait_for_screen("the reset question", |s| s.contains("Reset token"));
    session.send("y");
}

/// The one file a rescue wrote into `dir`.
fn rescued_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let files: Vec<_> = std::fs::read_dir(dir)
        .expect("the secrets directory")
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    files
}

/// Every key sent so far has been handled once a refresh sent after them reached the server: the
/// console reads its input in order.
pub(super) fn barrier(session: &mut Session, served: &Served) {
    let before = served.count("GET /api/accounts/");
    session.send("r");
    wait_until("the refresh behind the keys", || {
        served.count("GET /api/accounts/") > before
    });
}

#[test]
fn a_bracketed_paste_is_text_for_the_filter_and_never_an_action() {
    let served = Served::start();
    let mut session = Session::spawn(&[], &served.env(&[]));
    table(&mut session);
    assert!(
        session.raw_contains(b"\x1b[?2004h"),
        "bracketed paste is on"
    );
    session.send("/");
    session.paste("Legacy\rRy");
    session.wait_for_screen("the pasted text in the filter", |s| {
        s.contains("filter: /Legacy Ry")
    });
    session.paste("Old webhook\rDy");
    session.send("\x1b"); // Esc: the filter goes
    session.wait_for_screen("the whole table", |s| !s.contains("filter:"));
    // A paste at the table, outside any text field, does nothing at all.
    session.paste("hello\ry\rRy\rDy");
    barrier(&mut session, &served);
    assert_eq!(served.writes(), Vec::<String>::new(), "nothing was changed");
    assert!(
        !session.screen().contains("Reset token"),
        "no dialog opened"
    );
    session.quit_restoring_the_terminal(DEADLINE);
}

#[test]
fn keys_in_the_same_burst_as_the_one_that_opened_a_dialog_never_confirm_it() {
    let served = Served::start();
    let mut session = Session::spawn(&[], &served.env(&[]));
    table(&mut session);
    // As a terminal without bracketed paste delivers a paste: one write, every byte a key.
    session.send("/Legacy\rRy");
    session.wait_for_screen("the reset question, still asking", |s| {
        s.contains("Reset token Legacy integration")
            && s.contains("Ignored a key that came with others")
    });
    session.send("\x1b"); // Esc: cancel
    session.wait_for_screen("the question gone", |s| !s.contains("Reset token"));
    session.send("\x1b"); // Esc at the table: the filter goes
    session.wait_for_screen("the whole table", |s| !s.contains("filter:"));
    session.send("/Old webhook\rDy");
    session.wait_for_screen("the delete question, still asking", |s| {
        s.contains("Delete token Old webhook relay")
    });
    session.send("\x1b");
    session.wait_for_screen("the question gone", |s| !s.contains("Delete token"));
    barrier(&mut session, &served);
    assert_eq!(served.writes(), Vec::<String>::new(), "nothing was changed");

    // A key that comes after the dialog is drawn is the operator's answer.
    session.send("\x1b");
    session.wait_for_screen("the whole table", |s| !s.contains("filter:"));
    session.send("/Legacy\r");
    session.wait_for_screen("one row", |s| s.contains("(1 of "));
    session.send("R");
    session.wait_for_screen("the reset question", |s| s.contains("Reset token"));
    session.send("y");
    session.wait_for_screen("the secret", |s| s.contains("Token reset"));
    assert_eq!(served.writes().len(), 1, "one reset: {:?}", served.writes());
    session.signal(libc::SIGKILL);
}

#[test]
fn a_burst_at_an_unsaved_secret_cannot_close_it_and_sigterm_saves_it_to_a_private_file() {
    let home = tempfile::tempdir().unwrap();
    let served = Served::start();
    let mut session = console_with_home(&served, home.path());
    table(&mut session);
    confirm_reset_of_the_second_row(&mut session);
    session.wait_for_screen("the secret", |s| s.contains("Token reset"));
    let secret = session.secret_on_screen().expect("the secret is drawn");
    // Typed ahead, Enter would ask "close anyway?" and `y` would answer it: a burst answers nothing.
    session.send("hello\ry");
    session.wait_for_screen("the burst ignored", |s| {
        s.contains("Ignored a key that came with others") && s.contains(&secret)
    });
    assert!(
        !session.screen().contains("Close anyway?"),
        "nothing was asked"
    );
    // Enter alone asks; the question is answered only by a key typed after it showed.
    session.send("\r");
    session.wait_for_screen("the question", |s| s.contains("Close anyway?"));
    session.send("n");
    session.wait_for_screen("the secret again", |s| {
        !s.contains("Close anyway?") && s.contains(&secret)
    });
    session.signal(libc::SIGTERM);
    let status = session.wait_for_exit(DEADLINE);
    assert_eq!(status.exit_code(), 143, "128 + SIGTERM");
    session.assert_terminal_restored_then_text();
    let dir = home.path().join("state").join("secrets");
    let files = rescued_files(&dir);
    assert_eq!(
        std::fs::read_to_string(&files[0]).unwrap(),
        format!("{secret}\n")
    );
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&files[0]), 0o600);
    assert_eq!(mode(&dir), 0o700);
    assert_eq!(mode(&home.path().join("state")), 0o700);
    let name = files[0].file_name().unwrap().to_str().unwrap();
    wait_until("the path printed", || {
        let printed = session.raw_text().replace("\r\n", "").replace('\n', "");
        printed.contains(name)
    });
}

#[test]
fn s_saves_the_secret_into_the_state_directorys_secrets_and_asks_first_inside_a_git_work_tree() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let home = tempfile::tempdir().unwrap();
    let served = Served::start();
    let mut session = console_with_home(&served, home.path());
    table(&mut session);
    confirm_reset_of_the_second_row(&mut session);
    session.wait_for_screen("the secret", |s| s.contains("Token reset"));
    let secret = session.secret_on_screen().expect("the secret is drawn");
    session.send("s");
    session.wait_for_screen("the save said", |s| s.contains("saved to"));
    let dir = home.path().join("state").join("secrets");
    let files = rescued_files(&dir);
    assert_eq!(
        std::fs::read_to_string(&files[0]).unwrap(),
        format!("{secret}\n")
    );
    assert_eq!(mode(&files[0]), 0o600);
    assert_eq!(mode(&dir), 0o700);
    // The successor is named `<old name> <id>`: its id is in the file name once.
    let name = files[0].file_name().unwrap().to_str().unwrap().to_string();
    let id = name
        .trim_end_matches(".token")
        .rsplit(['_', '-'])
        .next()
        .unwrap()
        .to_string();
    assert!(id.chars().all(|c| c.is_ascii_digit()), "{name}");
    assert_eq!(name.matches(id.as_str()).count(), 1, "{name}");
    session.send("\r");
    session.wait_for_screen("closed without asking", |s| !s.contains("Token reset"));
    session.send("q");
    assert!(session.wait_for_exit(DEADLINE).success());

    // `[secrets] dir` inside a git work tree: `s` asks, and only the `y` typed after it saves.
    let repo = home.path().join("repo");
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    let keys = repo.join("keys");
    std::fs::write(
        home.path().join("config.toml"),
        format!("[secrets]\ndir = {:?}\n", keys.to_str().unwrap()),
    )
    .unwrap();
    // A fresh account: the second row of the first one has been reset already.
    let served = Served::start();
    let mut session = console_with_home(&served, home.path());
    table(&mut session);
    confirm_reset_of_the_second_row(&mut session);
    session.wait_for_screen("the secret", |s| s.contains("Token reset"));
    let secret = session.secret_on_screen().expect("the secret is drawn");
    session.send("sy");
    session.wait_for_screen("the question, the burst's y ignored", |s| {
        s.contains("Save there anyway?") && s.contains("Ignored a key that came with others")
    });
    assert!(!keys.exists(), "nothing written before the answer");
    session.send("y");
    session.wait_for_screen("the save said", |s| s.contains("saved to"));
    let files = rescued_files(&keys);
    assert_eq!(
        std::fs::read_to_string(&files[0]).unwrap(),
        format!("{secret}\n")
    );
    assert_eq!(mode(&files[0]), 0o600);
    assert_eq!(mode(&keys), 0o700);
    session.send("\r");
    session.wait_for_screen("closed without asking", |s| !s.contains("Token reset"));
    session.send("q");
    assert!(session.wait_for_exit(DEADLINE).success());
}

#[test]
fn an_osc52_copy_alone_leaves_closing_guarded() {
    // No DISPLAY (the environment is cleared): the auto route sends OSC 52, which nothing confirms.
    let served = Served::start();
    let mut session = Session::spawn(&[], &served.env(&[]));
    table(&mut session);
    confirm_reset_of_the_second_row(&mut session);
    session.wait_for_screen("the secret", |s| s.contains("Token reset"));
    session.send("c");
    session.wait_for_screen("the copy said as sent", |s| {
        s.contains("cannot confirm that anything received it")
    });
    assert!(session.raw_contains(b"\x1b]52;c;"), "the sequence was sent");
    session.send("\r");
    session.wait_for_screen("still asking, and why", |s| {
        s.contains("Close anyway?") && s.contains("OSC 52")
    });
    session.send("y");
    session.wait_for_screen("closed on the explicit answer", |s| {
        !s.contains("Token reset")
    });
    session.quit_restoring_the_terminal(DEADLINE);
}

#[test]
fn every_stop_signal_restores_the_terminal_with_its_exit_status() {
    for signal in [
        libc::SIGINT,
        libc::SIGHUP,
        libc::SIGQUIT,
        libc::SIGUSR1,
        libc::SIGUSR2,
        libc::SIGALRM,
    ] {
        let mut session = Session::spawn(&["demo"], &[]);
        table(&mut session);
        session.signal(signal);
        let status = session.wait_for_exit(DEADLINE);
        assert_eq!(
            status.exit_code(),
            128 + signal as u32,
            "signal {signal}: {status:?}"
        );
        session.assert_terminal_restored();
    }
}

#[test]
fn a_huge_paste_is_applied_once_capped_and_the_console_keeps_answering() {
    let mut session = Session::spawn(&["demo"], &[]);
    table(&mut session);
    session.send("/");
    session.paste(&"x".repeat(1 << 20));
    session.wait_for_screen("the cap said", |s| {
        s.contains("holds at most 256 characters")
    });
    // Unbracketed, a large paste is a flood of keys: it costs nothing past the cap either.
    session.send(&"y".repeat(20_000));
    session.send("\x1b");
    session.wait_for_screen("Esc handled: the filter is gone", |s| {
        !s.contains("filter:")
    });
    session.send("q");
    let status = session.wait_for_exit(DEADLINE);
    assert!(status.success(), "{status:?}");
}

#[test]
fn a_config_path_that_is_a_fifo_or_dev_zero_starts_in_bounded_time() {
    for kind in ["fifo", "zero"] {
        let home = tempfile::tempdir().unwrap();
        let config = home.path().join("config.toml");
        match kind {
            "fifo" => {
                let c = std::ffi::CString::new(config.to_str().unwrap()).unwrap();
                // SAFETY: mkfifo only creates a FIFO at a path in this test's own directory.
                assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
            }
            _ => std::os::unix::fs::symlink("/dev/zero", &config).unwrap(),
        }
        let home_path = home.path().to_str().unwrap().to_string();
        let mut session =
            Session::spawn(&["demo"], &[("MAILTRAP_TOKENS_HOME", home_path.as_str())]);
        session.wait_for_screen("the table with the problem counted", |s| {
            s.contains("● connected") && s.contains("1 config problem")
        });
        session.send("?");
        session.wait_for_screen("the reason in the help", |s| {
            s.contains("it is not a regular")
        });
        session.send("\x1b");
        session.send("q");
        let status = session.wait_for_exit(DEADLINE);
        assert!(status.success(), "{kind}: {status:?}");
    }
}

#[test]
fn the_console_refuses_an_output_that_is_not_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x.out");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_mailtrap-tokens"))
        .arg("demo")
        .env("TERM", "xterm-256color")
        .env("MAILTRAP_TOKENS_HOME", dir.path())
        .stdout(std::fs::File::create(&out).unwrap())
        .stderr(std::process::Stdio::piped())
        .output()
        .unwrap();
    assert_eq!(status.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&status.stderr);
    assert!(stderr.contains("--dump-screen"), "{stderr}");
    assert_eq!(
        std::fs::read(&out).unwrap(),
        b"",
        "nothing was drawn into the file"
    );

    let mut session = Session::spawn(&["demo"], &[("TERM", "dumb")]);
    let status = session.wait_for_exit(DEADLINE);
    assert_eq!(status.exit_code(), 2);
    // The process may be gone before its last bytes are read from the terminal.
    wait_until("the refusal on the terminal", || {
        session.screen().contains("TERM=dumb")
    });
}

/// Whether `needle` is anywhere in the readable memory of process `pid`, other than in the raw HTTP
/// response that brought it (status line and headers, then the body, as one text): the HTTP library's
/// connection buffer keeps that until the connection's next answers overwrite it, out of this program's
/// reach. A copy of the body alone (what the client decodes) counts.
fn memory_holds(pid: i32, needle: &[u8]) -> bool {
    use std::io::{Read, Seek, SeekFrom};
    let maps = std::fs::read_to_string(format!("/proc/{pid}/maps")).expect("the memory map");
    let mut mem =
        std::fs::File::open(format!("/proc/{pid}/mem")).expect("the memory (root may read it)");
    for line in maps.lines() {
        let mut parts = line.split_whitespace();
        let (Some(range), Some(perms)) = (parts.next(), parts.next()) else {
            continue;
        };
        let path = parts.nth(3).unwrap_or("");
        if !perms.starts_with('r') || path.starts_with("[v") {
            continue; // [vvar], [vsyscall], [vdso] cannot be read this way
        }
        let Some((start, end)) = range.split_once('-') else {
            continue;
        };
        let (start, end) = (
            u64::from_str_radix(start, 16).unwrap(),
            u64::from_str_radix(end, 16).unwrap(),
        );
        let mut region = vec![0u8; (end - start) as usize];
        if mem.seek(SeekFrom::Start(start)).is_err() || mem.read_exact(&mut region).is_err() {
            continue;
        }
        let raw_answer = |at: usize| {
            let before = &region[at.saturating_sub(4096)..at];
            let Some(body) = before.windows(4).rposition(|w| w == b"\r\n\r\n") else {
                return false;
            };
            let head = &before[..body];
            !before[body..].contains(&0) && head.windows(9).any(|w| w == b"HTTP/1.1 ")
        };
        if region
            .windows(needle.len())
            .enumerate()
            .any(|(at, w)| w == needle && !raw_answer(at))
        {
            return true;
        }
    }
    false
}

#[test]
fn the_answer_that_carried_a_secret_is_gone_from_memory_once_the_dialog_closes() {
    let served = Served::start();
    let mut session = Session::spawn(&[], &served.env(&[]));
    table(&mut session);
    confirm_reset_of_the_second_row(&mut session);
    session.wait_for_screen("the secret", |s| s.contains("Token reset"));
    let secret = session.secret_on_screen().expect("the secret is drawn");
    assert!(
        memory_holds(session.pid(), secret.as_bytes()),
        "the scan finds a secret that is held"
    );
    session.send("\r");
    session.wait_for_screen("close anyway?", |s| s.contains("Close anyway?"));
    session.send("y");
    session.wait_for_screen("the table again", |s| !s.contains("Token reset"));
    for _ in 0..5 {
        barrier(&mut session, &served);
    }
    assert!(
        !memory_holds(session.pid(), secret.as_bytes()),
        "a copy of the secret outlived its dialog"
    );
    session.send("q");
    let status = session.wait_for_exit(DEADLINE);
    assert!(status.success(), "{status:?}");
}

#[test]
fn sigterm_while_a_reset_is_in_flight_waits_for_its_answer_and_keeps_the_secret() {
    let home = tempfile::tempdir().unwrap();
    let served = Served::start();
    served.inject_fault(serde_json::json!({
        "path": "/reset", "method": "POST", "latency_ms": 1500
    }));
    let mut session = console_with_home(&served, home.path());
    table(&mut session);
    confirm_reset_of_the_second_row(&mut session);
    session.wait_for_screen("the reset on its way", |s| s.contains('⟳'));
    session.signal(libc::SIGTERM);
    let status = session.wait_for_exit(DEADLINE);
    assert_eq!(status.exit_code(), 143);
    let files = rescued_files(&home.path().join("state").join("secrets"));
    let secret = std::fs::read_to_string(&files[0]).unwrap();
    let secret = secret.trim_end();
    assert!(
        secret.len() == 32 && secret.chars().all(|c| c.is_ascii_hexdigit()),
        "the file holds the new secret"
    );
    wait_until("it said it waited", || {
        session.raw_text().contains("waiting up to")
    });
}

#[test]
fn closing_the_terminal_window_with_a_secret_on_screen_saves_it() {
    let home = tempfile::tempdir().unwrap();
    let served = Served::start();
    let mut session = console_with_home(&served, home.path());
    table(&mut session);
    confirm_reset_of_the_second_row(&mut session);
    session.wait_for_screen("the secret", |s| s.contains("Token reset"));
    let secret = session.secret_on_screen().expect("the secret is drawn");
    // Every write to the terminal now fails (EIO): nothing on the way out may panic and drop the secret.
    session.close_terminal();
    session.wait_for_exit(DEADLINE);
    let files = rescued_files(&home.path().join("state").join("secrets"));
    assert_eq!(
        std::fs::read_to_string(&files[0]).unwrap(),
        format!("{secret}\n")
    );
}
