//! End to end: `serve` seeded with hostile names, the built console in a pseudo-terminal, and the RAW bytes
//! it wrote searched for any escape sequence that came from the data.
#![cfg(unix)]

use super::names::write_hostile_seed;
use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_mailtrap-tokens");

/// Kills the `serve` process this test started when the test ends, however it ends.
struct Server(std::process::Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn serve(seed: &std::path::Path) -> (Server, Vec<(String, String)>) {
    let mut child = Command::new(BIN)
        .args(["serve", "--listen", "127.0.0.1:0", "--seed"])
        .arg(seed)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let server = Server(child);
    let mut lines = BufReader::new(stdout).lines();
    let vars = (0..3)
        .map(|_| {
            let line = lines.next().expect("serve prints three lines").unwrap();
            let (k, v) = line.split_once('=').unwrap();
            (k.to_string(), v.to_string())
        })
        .collect();
    (server, vars)
}

#[test]
fn the_console_writes_no_escape_sequence_from_hostile_data() {
    let dir = tempfile::tempdir().unwrap();
    let seed = write_hostile_seed(dir.path());
    let (_server, vars) = serve(&seed);
    let pty = native_pty_system()
        .openpty(PtySize {
            rows: 40,
            cols: 140,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = CommandBuilder::new(BIN);
    cmd.env_clear();
    cmd.env("TERM", "xterm-256color");
    cmd.env("PATH", std::env::var("PATH").unwrap_or_default());
    cmd.env("HOME", dir.path());
    cmd.env("MAILTRAP_TOKENS_HOME", dir.path());
    for (k, v) in &vars {
        cmd.env(k, v);
    }
    let mut child = pty.slave.spawn_command(cmd).unwrap();
    drop(pty.slave);
    let mut reader = pty.master.try_clone_reader().unwrap();
    let mut writer = pty.master.take_writer().unwrap();
    let raw = Arc::new(Mutex::new(Vec::<u8>::new()));
    let sink = Arc::clone(&raw);
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            sink.lock().unwrap().extend_from_slice(&buf[..n]);
        }
    });
    let screen = || {
        let mut parser = vt100::Parser::new(
            std::num::NonZeroU16::new(40).unwrap(),
            std::num::NonZeroU16::new(140).unwrap(),
            0,
        );
        parser.process(&raw.lock().unwrap());
        parser.screen().contents()
    };
    // The table with the hostile names is on screen (drawn safely: "pwned" is the payload's text).
    let deadline = Instant::now() + Duration::from_secs(30);
    while !screen().contains("pwned") {
        if let Ok(Some(status)) = child.try_wait() {
            panic!("the console exited ({status:?}):\n{}", screen());
        }
        assert!(Instant::now() < deadline, "no table in time:\n{}", screen());
        std::thread::sleep(Duration::from_millis(25));
    }
    // Scroll through every row so each hostile name is drawn, then quit.
    for _ in 0..30 {
        writer.write_all(b"j").unwrap();
    }
    writer.write_all(b"q").unwrap();
    writer.flush().unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("the console did not quit:\n{}", screen());
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    let bytes = raw.lock().unwrap().clone();
    let text = String::from_utf8_lossy(&bytes);
    // The capture is real: the console's own sequences and the (made safe) payload text are in it.
    assert!(text.contains("\x1b[?1049h") && text.contains("pwned"));
    for (what, needle) in [
        ("an OSC title from the data", "\x1b]0;pwned"),
        ("an OSC title from the data", "\x1b]2;pwned"),
        ("an OSC 52 clipboard write", "\x1b]52;"),
        ("an OSC 8 hyperlink", "\x1b]8;"),
        ("a DCS string", "\x1bP"),
        ("an APC string", "\x1b_"),
        ("a screen clear from the data", "\x1b[2J\x1b[H"),
        ("a C1 CSI", "\u{9b}"),
        ("a C1 OSC", "\u{9d}"),
        ("a bidi override", "\u{202E}"),
        ("a zero-width space", "\u{200B}"),
    ] {
        assert!(
            !text.contains(needle),
            "the console wrote {what}: {needle:?}"
        );
    }
    assert!(!bytes.contains(&0u8), "a NUL byte reached the terminal");
    assert!(!bytes.contains(&0x7f), "a DEL byte reached the terminal");
    assert!(!bytes.contains(&0x07), "a BEL reached the terminal");
}
