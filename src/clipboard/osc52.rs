//! OSC 52: asking the terminal to set its clipboard. Built by crossterm's `CopyToClipboard`
//! (`ESC ] 52 ; c ; <base64> ESC \`), sent plain, in one write so a repaint cannot split it.

use crossterm::Command;
use crossterm::clipboard::CopyToClipboard;
use std::io::Write;

use crate::api::Secret;

/// Terminals drop larger payloads (k9s uses the same cap); a token is far smaller.
pub const MAX_SEQUENCE_BYTES: usize = 74_994;

/// The escape sequence for `text`, held as a `Secret` so it is wiped after use.
pub fn sequence(text: &str) -> Secret {
    let mut out = String::new();
    // Writing into a String cannot fail.
    let _ = CopyToClipboard::to_clipboard_from(text.as_bytes()).write_ansi(&mut out);
    Secret::new(out)
}

/// Writes the sequence for `text` to `out` in one write and flushes.
pub fn send(text: &str, out: &mut dyn Write) -> Result<(), String> {
    let seq = sequence(text);
    let bytes = seq.expose_secret().as_bytes();
    if bytes.len() > MAX_SEQUENCE_BYTES {
        return Err(format!(
            "the text is too long for OSC 52 ({} bytes, terminals accept about {MAX_SEQUENCE_BYTES})",
            bytes.len()
        ));
    }
    out.write_all(bytes)
        .and_then(|()| out.flush())
        .map_err(|e| format!("could not write to the terminal: {e}"))
}
