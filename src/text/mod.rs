//! Text from the server is made safe here, in one place, before anything draws or prints it.

/// Replaces every control character (C0, DEL, C1) and the invisible formatting characters that can
/// reorder or hide text (bidi overrides, isolates and marks, zero-width characters, invisible tag
/// characters) with a visible replacement character (or drops invisible ones) so nothing from the data can
/// reach a terminal as an escape sequence or disguise what it says.
pub fn sanitize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            // Line and paragraph separators would break a row the way a newline does.
            '\t' | '\n' | '\r' | '\u{2028}' | '\u{2029}' => out.push(' '),
            c if c.is_control() => out.push('\u{FFFD}'),
            c if is_invisible_format(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// Unicode format characters (category Cf) that a terminal draws as nothing but that change how the text
/// around them reads: bidi controls, zero-width joiners and spaces, the BOM, interlinear annotation marks,
/// and the tag block (used to smuggle invisible ASCII).
pub fn is_invisible_format(c: char) -> bool {
    matches!(c,
        '\u{00AD}'
        | '\u{061C}'
        | '\u{180E}'
        | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}'
        | '\u{FEFF}'
        | '\u{FFF9}'..='\u{FFFB}'
        | '\u{E0000}'..='\u{E007F}')
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

    #[test]
    fn marks_tags_and_separators_do_not_survive() {
        let hostile = "pay\u{061C}\u{E0041}\u{E0042}me\u{2028}now\u{00AD}\u{2066}x\u{2069}";
        assert_eq!(sanitize(hostile), "payme nowx");
    }
}
