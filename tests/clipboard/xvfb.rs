//! A real X clipboard: Xvfb on a free display, the console's clipboard code copies a fake secret,
//! arboard reads it back, its targets carry the mark that keeps it out of clipboard managers' history,
//! and it is cleared after the configured delay. Without Xvfb the test says so, and fails only when
//! `CI_REQUIRE_XVFB=1`.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use mailtrap_tokens::clipboard::{Clipboard, ClipboardConfig, Content, CopyOutcome, Route};

use super::wait_until;

const FAKE: &str = "FAKE-SECRET-xvfb-clipboard";

struct Xvfb(Child);

impl Drop for Xvfb {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn xvfb_exists() -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join("Xvfb").is_file()))
}

fn start_xvfb() -> (Xvfb, u32) {
    let n = (90..200)
        .find(|n| {
            !Path::new(&format!("/tmp/.X11-unix/X{n}")).exists()
                && !Path::new(&format!("/tmp/.X{n}-lock")).exists()
        })
        .expect("a free X display number");
    let child = Command::new("Xvfb")
        .arg(format!(":{n}"))
        .args(["-nolisten", "tcp", "-screen", "0", "640x480x24"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start Xvfb");
    let server = Xvfb(child);
    wait_until("Xvfb's socket", Duration::from_secs(10), || {
        Path::new(&format!("/tmp/.X11-unix/X{n}")).exists()
    });
    (server, n)
}

/// The names of the targets the CLIPBOARD owner offers, asked as a clipboard manager asks (TARGETS).
fn clipboard_targets(display: &str) -> Vec<String> {
    use x11rb::connection::Connection;
    use x11rb::protocol::Event;
    use x11rb::protocol::xproto::{AtomEnum, ConnectionExt, CreateWindowAux, WindowClass};
    let (conn, screen) = x11rb::connect(Some(display)).expect("connect to Xvfb");
    let root = conn.setup().roots[screen].root;
    let window = conn.generate_id().unwrap();
    conn.create_window(
        x11rb::COPY_DEPTH_FROM_PARENT,
        window,
        root,
        0,
        0,
        1,
        1,
        0,
        WindowClass::INPUT_OUTPUT,
        0,
        &CreateWindowAux::new(),
    )
    .unwrap();
    let atom = |name: &[u8]| conn.intern_atom(false, name).unwrap().reply().unwrap().atom;
    let (clipboard, targets, property) =
        (atom(b"CLIPBOARD"), atom(b"TARGETS"), atom(b"MT_TARGETS"));
    conn.convert_selection(window, clipboard, targets, property, x11rb::CURRENT_TIME)
        .unwrap();
    conn.flush().unwrap();
    let mut answered = false;
    wait_until(
        "the clipboard owner to answer TARGETS",
        Duration::from_secs(10),
        || {
            while let Some(event) = conn.poll_for_event().unwrap() {
                if let Event::SelectionNotify(e) = event {
                    assert_ne!(e.property, x11rb::NONE, "the owner refused TARGETS");
                    answered = true;
                }
            }
            answered
        },
    );
    let reply = conn
        .get_property(false, window, property, AtomEnum::ATOM, 0, 1024)
        .unwrap()
        .reply()
        .unwrap();
    reply
        .value32()
        .expect("a list of atoms")
        .map(|a| {
            String::from_utf8_lossy(&conn.get_atom_name(a).unwrap().reply().unwrap().name)
                .into_owned()
        })
        .collect()
}

#[test]
fn copies_to_a_real_x_clipboard_and_clears_it() {
    if !xvfb_exists() {
        eprintln!("Xvfb is not installed: the real X clipboard test did not run");
        assert!(
            std::env::var("CI_REQUIRE_XVFB").as_deref() != Ok("1"),
            "CI_REQUIRE_XVFB=1 but Xvfb is not installed"
        );
        return;
    }
    let (_server, n) = start_xvfb();
    // Only this test reads DISPLAY; the other tests pass the display flag explicitly.
    unsafe {
        std::env::set_var("DISPLAY", format!(":{n}"));
        std::env::remove_var("WAYLAND_DISPLAY");
    }
    let config = ClipboardConfig {
        route: Route::Auto,
        clear_secret_after: Some(Duration::from_millis(1500)),
    };
    let mut clipboard = Clipboard::new(config);
    let mut terminal = Vec::new();
    let outcome = clipboard.copy(FAKE, Content::Secret, &mut terminal);
    assert!(matches!(outcome, CopyOutcome::Native { .. }), "{outcome:?}");
    assert!(terminal.is_empty());

    // Another X client (a separate arboard handle) reads what the console's clipboard serves.
    let mut reader = arboard::Clipboard::new().expect("connect to Xvfb");
    wait_until("the secret to be readable", Duration::from_secs(10), || {
        reader.get_text().is_ok_and(|t| t == FAKE)
    });
    let targets = clipboard_targets(&format!(":{n}"));
    assert!(
        targets.iter().any(|t| t == "x-kde-passwordManagerHint"),
        "the secret is not marked to be kept out of clipboard history: {targets:?}"
    );
    wait_until("the secret to be cleared", Duration::from_secs(15), || {
        reader.get_text().map_or(true, |t| t != FAKE)
    });
}
