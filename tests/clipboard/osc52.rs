use std::io::{self, Write};

use mailtrap_tokens::clipboard::{Clipboard, ClipboardConfig, Content, CopyOutcome, Route, osc52};

const FAKE: &str = "FAKE-SECRET-osc52";

/// Records each write call separately, to prove the sequence goes out in one write.
#[derive(Default)]
struct Writes(Vec<Vec<u8>>);

impl Write for Writes {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.push(buf.to_vec());
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

fn no_native() -> mailtrap_tokens::clipboard::BackendFactory {
    Box::new(|| Err("no native clipboard in this test".into()))
}

#[test]
fn the_sequence_is_plain_osc52_with_st_in_one_write() {
    let mut out = Writes::default();
    osc52::send(FAKE, &mut out).unwrap();
    assert_eq!(out.0.len(), 1, "one write");
    // base64("FAKE-SECRET-osc52") = RkFLRS1TRUNSRVQtb3NjNTI=
    assert_eq!(
        out.0[0],
        b"\x1b]52;c;RkFLRS1TRUNSRVQtb3NjNTI=\x1b\\".to_vec()
    );
}

#[test]
fn oversized_text_is_refused_not_truncated() {
    let mut out = Vec::new();
    let err = osc52::send(&"x".repeat(60_000), &mut out).unwrap_err();
    assert!(err.contains("too long"), "{err}");
    assert!(out.is_empty());
}

#[test]
fn routes_choose_and_say_which_was_used() {
    let config = |route| ClipboardConfig {
        route,
        ..ClipboardConfig::default()
    };
    let mut out = Vec::new();
    let mut c = Clipboard::with_backend(config(Route::Osc52), true, no_native());
    assert_eq!(c.copy(FAKE, Content::Secret, &mut out), CopyOutcome::Osc52);
    assert!(out.starts_with(b"\x1b]52;c;"));

    let mut out = Vec::new();
    let mut c = Clipboard::with_backend(config(Route::Off), true, no_native());
    let outcome = c.copy(FAKE, Content::Secret, &mut out);
    assert!(!outcome.succeeded());
    assert!(outcome.message().contains("turned off"));
    assert!(out.is_empty());

    // Native only, no display: says why, sends nothing to the terminal.
    let mut c = Clipboard::with_backend(config(Route::Native), false, no_native());
    let outcome = c.copy(FAKE, Content::Secret, &mut out);
    assert!(
        outcome.message().contains("no DISPLAY or WAYLAND_DISPLAY"),
        "{outcome:?}"
    );
    assert!(out.is_empty());

    // Auto: no display → OSC 52; a display whose clipboard fails → OSC 52 too.
    for display in [false, true] {
        let mut out = Vec::new();
        let mut c = Clipboard::with_backend(config(Route::Auto), display, no_native());
        let outcome = c.copy(FAKE, Content::Secret, &mut out);
        assert_eq!(outcome, CopyOutcome::Osc52);
        assert_eq!(
            outcome.message(),
            "sent to the terminal by OSC 52, which cannot confirm that anything received it"
        );
        assert!(
            outcome.succeeded() && !outcome.confirmed(),
            "sent, not kept"
        );
        assert!(!out.is_empty());
    }
    assert_eq!("OSC52".parse::<Route>(), Ok(Route::Osc52));
    assert!("xclip".parse::<Route>().is_err());
}
