//! Runs the built binary in a pseudo-terminal and keeps both the raw output and the parsed screen.

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, ExitStatus, PtySize, native_pty_system};

const ROWS: u16 = 30;
const COLS: u16 = 110;
const DEADLINE: Duration = Duration::from_secs(30);
/// The least time between two actions of the operator (the console treats keys 25 ms apart as one burst).
const ACTION_GAP: Duration = Duration::from_millis(60);

struct Output {
    raw: Vec<u8>,
    parser: vt100::Parser,
}

pub struct Session {
    child: Box<dyn Child + Send + Sync>,
    writer: Option<Box<dyn Write + Send>>,
    closing: Arc<std::sync::atomic::AtomicBool>,
    reader_thread: Option<std::thread::JoinHandle<()>>,
    last_send: Option<Instant>,
    output: Arc<Mutex<Output>>,
    // Kept open so the child's terminal stays alive until the session ends.
    master: Option<Box<dyn portable_pty::MasterPty + Send>>,
}

impl Session {
    pub fn spawn(args: &[&str], env: &[(&str, &str)]) -> Self {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("a pseudo-terminal");
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_mailtrap-tokens"));
        cmd.args(args);
        cmd.env_clear();
        cmd.env("TERM", "xterm-256color");
        cmd.env("PATH", std::env::var("PATH").unwrap_or_default());
        cmd.env("HOME", std::env::temp_dir());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = pty.slave.spawn_command(cmd).expect("the binary starts");
        drop(pty.slave);
        let mut reader = pty.master.try_clone_reader().expect("a reader");
        let writer = pty.master.take_writer().expect("a writer");
        let output = Arc::new(Mutex::new(Output {
            raw: Vec::new(),
            parser: vt100::Parser::new(
                std::num::NonZeroU16::new(ROWS).unwrap(),
                std::num::NonZeroU16::new(COLS).unwrap(),
                0,
            ),
        }));
        let sink = Arc::clone(&output);
        let closing = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let stop = Arc::clone(&closing);
        let fd = pty.master.as_raw_fd().expect("the master's descriptor");
        let reader_thread = std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            loop {
                // Waits in poll, not in read, so that closing the terminal can end this thread (and with
                // it the last handle on the master, which is what hangs the terminal up).
                let mut pfd = libc::pollfd {
                    fd,
                    events: libc::POLLIN,
                    revents: 0,
                };
                // SAFETY: poll reads one pollfd this thread owns; `fd` stays open until this loop ends.
                let ready = unsafe { libc::poll(&mut pfd, 1, 50) };
                if stop.load(std::sync::atomic::Ordering::SeqCst) {
                    break;
                }
                if ready <= 0 {
                    continue;
                }
                let Ok(n) = reader.read(&mut buf) else { break };
                if n == 0 {
                    break;
                }
                let mut out = sink.lock().unwrap();
                out.raw.extend_from_slice(&buf[..n]);
                out.parser.process(&buf[..n]);
            }
        });
        Self {
            child,
            writer: Some(writer),
            closing,
            reader_thread: Some(reader_thread),
            last_send: None,
            output,
            master: Some(pty.master),
        }
    }

    /// Whether the raw bytes the program wrote contain `needle` (escape sequences included).
    pub fn raw_contains(&self, needle: &[u8]) -> bool {
        let out = self.output.lock().unwrap();
        out.raw.windows(needle.len()).any(|w| w == needle)
    }

    pub fn screen(&self) -> String {
        self.output.lock().unwrap().parser.screen().contents()
    }

    /// Waits, with a deadline, until the screen satisfies `cond`.
    pub fn wait_for_screen(&mut self, what: &str, cond: impl Fn(&str) -> bool) {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if cond(&screen) {
                // What is on screen was drawn after the key that caused it was read: the next action
                // keeps its gap from now too, so a slow machine never makes it part of that key's burst.
                self.last_send = Some(Instant::now());
                return;
            }
            if start.elapsed() > DEADLINE {
                panic!("timed out waiting for {what}; the screen:\n{screen}");
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("exited ({status:?}) while waiting for {what}; the screen:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The new secret on screen: the one run of 32 hex characters the secret dialog draws.
    pub fn secret_on_screen(&self) -> Option<String> {
        self.screen()
            .split(|c: char| !c.is_ascii_hexdigit())
            .find(|w| w.len() == 32)
            .map(str::to_string)
    }

    /// Everything written so far, as text (escape sequences included).
    pub fn raw_text(&self) -> String {
        String::from_utf8_lossy(&self.output.lock().unwrap().raw).into_owned()
    }

    pub fn pid(&self) -> i32 {
        self.child.process_id().expect("a pid") as i32
    }

    /// Text as a terminal with bracketed paste sends it.
    pub fn paste(&mut self, text: &str) {
        self.send(&format!("\x1b[200~{text}\x1b[201~"));
    }

    /// One action of the operator: its bytes in one write, at least `ACTION_GAP` after the previous one,
    /// as a person answers what they see (keys closer together are one burst to the console).
    pub fn send(&mut self, keys: &str) {
        if let Some(elapsed) = self.last_send.map(|t| t.elapsed())
            && elapsed < ACTION_GAP
        {
            std::thread::sleep(ACTION_GAP - elapsed);
        }
        self.last_send = Some(Instant::now());
        let writer = self.writer.as_mut().expect("the terminal is open");
        writer.write_all(keys.as_bytes()).unwrap();
        writer.flush().unwrap();
    }

    /// Closes the terminal under the program, as closing its window does: the kernel hangs it up.
    pub fn close_terminal(&mut self) {
        self.closing
            .store(true, std::sync::atomic::Ordering::SeqCst);
        if let Some(thread) = self.reader_thread.take() {
            let _ = thread.join();
        }
        self.writer = None;
        self.master = None;
    }

    pub fn signal(&mut self, signal: i32) {
        let pid = self.child.process_id().expect("a pid") as i32;
        // SAFETY: kill() only sends a signal to the child this test started.
        let rc = unsafe { libc::kill(pid, signal) };
        assert_eq!(rc, 0);
    }

    pub fn wait_for_exit(&mut self, limit: Duration) -> ExitStatus {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            if start.elapsed() > limit {
                let _ = self.child.kill();
                panic!("did not exit in {limit:?}; the screen:\n{}", self.screen());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// `q`, then the console exits with success within `limit` and leaves the terminal as it found it.
    pub fn quit_restoring_the_terminal(&mut self, limit: Duration) {
        self.send("q");
        let status = self.wait_for_exit(limit);
        assert!(status.success(), "exit status {status:?}");
        self.assert_terminal_restored();
    }

    /// The alternate screen was entered and left and the cursor shown again; text may follow (what a
    /// stopping console says on stderr once the terminal is back).
    pub fn assert_terminal_restored_then_text(&self) {
        let start = Instant::now();
        loop {
            let raw = self.raw_text();
            let left = raw.rfind("\x1b[?1049l") > raw.rfind("\x1b[?1049h");
            if left || start.elapsed() > Duration::from_secs(5) {
                assert!(
                    raw.contains("\x1b[?1049h"),
                    "never entered the alternate screen"
                );
                assert!(left, "the alternate screen was not left");
                assert!(
                    raw.rfind("\x1b[?25h") > raw.rfind("\x1b[?25l"),
                    "cursor hidden"
                );
                assert!(
                    raw.rfind("\x1b[?2004l") > raw.rfind("\x1b[?2004h"),
                    "bracketed paste was left on"
                );
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The alternate screen was entered and left, the cursor shown again, and nothing drawn after.
    pub fn assert_terminal_restored(&self) {
        // The reader thread may still be draining the last bytes; give it a bounded moment.
        let start = Instant::now();
        loop {
            let out = self.output.lock().unwrap();
            let raw = String::from_utf8_lossy(&out.raw).into_owned();
            let left = raw.ends_with("\x1b[?1049l");
            if left || start.elapsed() > Duration::from_secs(5) {
                assert!(
                    raw.contains("\x1b[?1049h"),
                    "never entered the alternate screen"
                );
                assert!(
                    left,
                    "the output does not end by leaving the alternate screen: {:?}",
                    &raw[raw.len().saturating_sub(80)..]
                );
                if raw.contains("\x1b[?2004h") {
                    assert!(
                        raw.rfind("\x1b[?2004l") > raw.rfind("\x1b[?2004h"),
                        "bracketed paste was left on"
                    );
                }
                let hidden = raw.rfind("\x1b[?25l");
                let shown = raw.rfind("\x1b[?25h");
                assert!(shown > hidden, "the cursor was left hidden");
                let screen = out.parser.screen();
                assert!(!screen.alternate_screen());
                assert!(!screen.hide_cursor());
                return;
            }
            drop(out);
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}
