//! Handing a new secret off in the built binary: `h` in the secret dialog runs the `[[handoff]]` command
//! of the config file (the fake one of `tests/handoff`), which gets the secret on its standard input; a
//! success lets the dialog close without asking, a failure keeps the "close anyway?" guard.

use super::custody::{DEADLINE, table};
use super::harness::Session;
use super::server::Served;

const SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/handoff/fake-handoff.sh");

/// A home whose config file hands off to the fake command in `mode`.
fn home(mode: &str) -> tempfile::TempDir {
    let home = tempfile::tempdir().unwrap();
    std::fs::create_dir(home.path().join("calls")).unwrap();
    std::fs::write(
        home.path().join("config.toml"),
        format!(
            "[[handoff]]\nname = \"vault\"\ncommand = [\"sh\", \"{SCRIPT}\", \"{mode}\", \"{{name}}\"]\ntimeout = 20\n"
        ),
    )
    .unwrap();
    home
}

fn console(served: &Served, home: &tempfile::TempDir) -> Session {
    let dir = home.path().to_str().unwrap().to_string();
    let calls = home.path().join("calls").to_str().unwrap().to_string();
    Session::spawn(
        &[],
        &served.env(&[("MAILTRAP_TOKENS_HOME", &dir), ("FAKE_HANDOFF_DIR", &calls)]),
    )
}

fn reset_legacy(session: &mut Session) {
    table(session);
    session.send("/Legacy\r");
    session.wait_for_screen("one row", |s| s.contains("(1 of "));
    session.send("R");
    session.wait_for_screen("the reset question", |s| s.contains("Reset token"));
    session.send("y");
    session.wait_for_screen("the secret", |s| s.contains("Token reset"));
}

#[test]
fn a_hand_off_in_the_dialog_gives_the_command_the_secret_and_keeps_it() {
    let served = Served::start();
    let home = home("ok");
    let mut session = console(&served, &home);
    reset_legacy(&mut session);
    let shown = session.secret_on_screen().expect("the secret is on screen");
    session.send("h");
    session.wait_for_screen("the hand-off's result", |s| s.contains("✓ vault: done"));
    let given = std::fs::read_to_string(home.path().join("calls/call-1.stdin")).unwrap();
    assert_eq!(
        given,
        format!("{shown}\n"),
        "the command got the secret, exactly"
    );
    let argv = std::fs::read_to_string(home.path().join("calls/call-1.argv")).unwrap();
    let env = std::fs::read_to_string(home.path().join("calls/call-1.env")).unwrap();
    assert!(
        !argv.contains(&shown) && !env.contains(&shown),
        "stdin only"
    );
    assert!(argv.contains("Legacy integration"), "{argv}");
    session.send("\r");
    session.wait_for_screen("the table again, without asking", |s| {
        !s.contains("Token reset") && !s.contains("Close anyway")
    });
    session.quit_restoring_the_terminal(DEADLINE);
}

#[test]
fn a_failed_hand_off_keeps_the_guard_on_the_secret() {
    let served = Served::start();
    let home = home("fail");
    let mut session = console(&served, &home);
    reset_legacy(&mut session);
    session.send("h");
    session.wait_for_screen("the failure", |s| {
        s.contains("✗ vault: exit status: 3") && s.contains("permission denied")
    });
    session.send("\r");
    session.wait_for_screen("the guard", |s| s.contains("Close anyway?"));
    session.send("n");
    session.wait_for_screen("the secret still shown", |s| {
        s.contains("Token reset") && !s.contains("Close anyway?")
    });
    session.signal(libc::SIGKILL);
}
