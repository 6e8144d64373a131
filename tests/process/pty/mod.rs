//! End to end: the built binary in a pseudo-terminal, its screen read back with a vt100 parser. These catch
//! what TestBackend cannot: terminal setup, key input, and restoration on exit.
mod accounts;
mod bulk;
mod custody;
mod drift;
mod handoff;
mod harness;
mod journal;
mod server;
mod views;

use std::io::BufRead;
use std::time::Duration;

use harness::Session;

/// A loopback port that nothing listens on.
fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

#[test]
fn unreachable_api_shows_a_retry_screen_and_q_restores_the_terminal() {
    let url = format!("http://127.0.0.1:{}", closed_port());
    let mut session = Session::spawn(
        &[],
        &[
            ("MAILTRAP_API_URL", url.as_str()),
            ("MAILTRAP_API_TOKEN", "pty-test-token-not-a-secret"),
        ],
    );
    session.wait_for_screen("the loading frame", |s| s.contains("Loading tokens…"));
    session.wait_for_screen("the unreachable screen", |s| {
        s.contains("Cannot reach the API")
    });
    assert!(session.screen().contains("retry"));
    session.quit_restoring_the_terminal(Duration::from_secs(20));
}

#[test]
fn sigterm_restores_the_terminal() {
    let url = format!("http://127.0.0.1:{}", closed_port());
    let mut session = Session::spawn(
        &[],
        &[
            ("MAILTRAP_API_URL", url.as_str()),
            ("MAILTRAP_API_TOKEN", "pty-test-token-not-a-secret"),
        ],
    );
    session.wait_for_screen("the first frame", |s| s.contains("mailtrap-tokens"));
    session.signal(libc::SIGTERM);
    session.wait_for_exit(Duration::from_secs(20));
    session.assert_terminal_restored();
}

/// Starts `serve` and returns its process with the three `KEY=value` lines it prints first.
fn serve() -> (std::process::Child, Vec<(String, String)>) {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_mailtrap-tokens"))
        .args(["serve", "--listen", "127.0.0.1:0"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut lines = std::io::BufReader::new(stdout).lines();
    let mut vars = Vec::new();
    for _ in 0..3 {
        let line = lines.next().expect("serve prints three lines").unwrap();
        let (k, v) = line.split_once('=').expect("KEY=value");
        vars.push((k.to_string(), v.to_string()));
    }
    (child, vars)
}

fn table_filter_and_quit(mut session: Session) {
    // Every list answered (the demo's inventory shows the first account's rows while the others load).
    session.wait_for_screen("the token table, every list answered", |s| {
        s.contains("Tokens (") && s.contains('…') && s.contains("● connected")
    });
    session.send("/");
    session.send("zz-no-such-token");
    session.wait_for_screen("the narrowed table", |s| {
        s.contains("(0 of ") && s.contains("No token matches /zz-no-such-token")
    });
    session.send("\x1b"); // Esc clears the filter
    session.wait_for_screen("the whole table again", |s| !s.contains("(0 of "));
    session.quit_restoring_the_terminal(Duration::from_secs(20));
}

#[test]
fn live_console_against_serve_filters_and_quits_cleanly() {
    let (mut server, vars) = serve();
    let env: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let session = Session::spawn(&[], &env);
    table_filter_and_quit(session);
    let _ = server.kill();
    let _ = server.wait();
}

#[test]
fn demo_filters_and_quits_cleanly() {
    let session = Session::spawn(&["demo"], &[]);
    table_filter_and_quit(session);
}
