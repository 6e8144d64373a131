//! `reset` and `delete` on a real terminal (a pty): they explain what will happen and act only on "y".

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

use super::harness::{BIN, Served, serve};

const LIMIT: Duration = Duration::from_secs(60);

struct OnTerminal {
    child: Box<dyn portable_pty::Child + Send + Sync>,
    screen: Arc<Mutex<String>>,
    keyboard: Box<dyn Write + Send>,
    // Held so the terminal stays open while the child runs.
    _master: Box<dyn portable_pty::MasterPty + Send>,
}

impl OnTerminal {
    fn start(sim: &Served, args: &[&str]) -> Self {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: 40,
                cols: 200,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut command = CommandBuilder::new(BIN);
        command.args(args);
        command.env("MAILTRAP_API_URL", &sim.url);
        command.env("MAILTRAP_API_TOKEN", &sim.token);
        command.env("MAILTRAP_ACCOUNT_ID", &sim.account);
        let child = pair.slave.spawn_command(command).unwrap();
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let screen = Arc::new(Mutex::new(String::new()));
        let sink = screen.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        let keyboard = pair.master.take_writer().unwrap();
        OnTerminal {
            child,
            screen,
            keyboard,
            _master: pair.master,
        }
    }

    fn wait_for(&self, text: &str) -> String {
        let deadline = Instant::now() + LIMIT;
        loop {
            let screen = self.screen.lock().unwrap().clone();
            if screen.contains(text) {
                return screen;
            }
            assert!(Instant::now() < deadline, "{text:?} never appeared");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn type_line(&mut self, line: &str) {
        self.keyboard
            .write_all(format!("{line}\r").as_bytes())
            .unwrap();
        self.keyboard.flush().unwrap();
    }

    fn exit_code(&mut self) -> u32 {
        let deadline = Instant::now() + LIMIT;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.exit_code();
            }
            assert!(Instant::now() < deadline, "the command never ended");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for OnTerminal {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
        }
    }
}

fn writes_to(sim: &Served, id: &str) -> Vec<String> {
    sim.api_requests()
        .into_iter()
        .filter(|r| !r.starts_with("GET ") && r.contains(&format!("/api_tokens/{id}")))
        .collect()
}

#[test]
fn delete_on_a_terminal_explains_and_a_no_changes_nothing() {
    let sim = serve();
    let id = sim.create_token("asked first").to_string();
    let mut term = OnTerminal::start(&sim, &["delete", &id]);
    let screen = term.wait_for("[y/N]");
    assert!(screen.contains("asked first"), "{screen}");
    assert!(screen.contains("stops working immediately"), "{screen}");
    assert!(screen.contains("cannot be undone"), "{screen}");
    term.type_line("n");
    assert_eq!(term.exit_code(), 1);
    assert!(term.wait_for("cancelled").contains("nothing was changed"));
    assert!(writes_to(&sim, &id).is_empty());
    assert_eq!(sim.run(&["get", &id]).code, 0);
}

#[test]
fn reset_on_a_terminal_explains_and_a_yes_resets() {
    let sim = serve();
    let id = sim.create_token("asked too").to_string();
    let mut term = OnTerminal::start(&sim, &["reset", &id]);
    let screen = term.wait_for("[y/N]");
    assert!(screen.contains("12 hours"), "{screen}");
    assert!(screen.contains("\"asked too <new id>\""), "{screen}");
    term.type_line("y");
    assert_eq!(term.exit_code(), 0);
    term.wait_for(&format!("reset token {id}"));
    assert_eq!(
        writes_to(&sim, &id),
        vec![format!(
            "POST /api/accounts/{}/api_tokens/{id}/reset",
            sim.account
        )]
    );
}
