//! Text from the server is made safe here, in one place, before anything draws or prints it.

/// Replaces every control character (C0, DEL, C1) and the invisible formatting characters that can
/// reorder or hide text (bidi overrides and isolates, zero-width characters) with a visible replacement character (or drops invisible ones)
/// so nothing from the data can reach a terminal as an escape sequence.
pub fn sanitize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\t' | '\n' | '\r' => out.push(' '),
            c if c.is_control() => out.push('\u{FFFD}'),
            '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2069}'
            | '\u{FEFF}' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_never_survive() {
        let hostile = "a\x1b]52;c;ZXZpbA==\x07b\x1b[2Jc\u{202E}d\u{200B}e\x7f\u{9b}";
        let safe = sanitize(hostile);
        assert!(!safe.chars().any(|c| c.is_control()), "{safe:?}");
        assert!(!safe.contains('\u{202E}'));
    }
}
