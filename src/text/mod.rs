//! Text from the server is made safe here, in one place, before anything draws or prints it; and it is fitted
//! into terminal cells here, measured in cells (not bytes or chars) and cut only between graphemes.

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

mod safe;

pub use safe::{SafeStr, SafeText, Sanitized, SharedText, SharedTexts};

/// Replaces every control character (C0, DEL, C1) and the invisible formatting characters that can
/// reorder or hide text (bidi overrides, isolates and marks, zero-width characters, invisible tag
/// characters) with a visible replacement character (or drops invisible ones) so nothing from the data can
/// reach a terminal as an escape sequence or disguise what it says.
pub fn sanitize(text: &str) -> String {
    // Most text has nothing to replace: one read, then one copy.
    if is_safe(text) {
        return text.to_string();
    }
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

/// Whether `sanitize` would leave the text as it is.
pub fn is_safe(text: &str) -> bool {
    let kept = |c: char| {
        !c.is_control() && !is_invisible_format(c) && !matches!(c, '\u{2028}' | '\u{2029}')
    };
    text.bytes().all(|b| (0x20..0x7f).contains(&b)) || text.chars().all(kept)
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

/// How many terminal cells the text takes.
pub fn display_width(text: &str) -> usize {
    UnicodeWidthStr::width(text)
}

/// Fits already-safe text into `max` cells: unchanged when it fits, else cut on a grapheme boundary and ended
/// with `…`, so a wide character or an emoji sequence is never split and the result never exceeds `max`.
pub fn truncate_to_width(text: &str, max: usize) -> String {
    if display_width(text) <= max {
        return text.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let budget = max - 1; // one cell for the ellipsis
    // Printable ASCII is one cell and one grapheme a byte: cut by bytes, skipping the segmentation that
    // costs most of a frame's fitting.
    if text.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        let mut out = String::with_capacity(budget + '…'.len_utf8());
        out.push_str(&text[..budget.min(text.len())]);
        out.push('…');
        return out;
    }
    let mut out = String::new();
    let mut used = 0;
    for grapheme in text.graphemes(true) {
        let w = display_width(grapheme);
        if used + w > budget {
            break;
        }
        used += w;
        out.push_str(grapheme);
    }
    out.push('…');
    out
}

/// `sanitize` then `truncate_to_width`: the one call for drawing server text into a fixed-width cell.
pub fn fit(text: &str, max: usize) -> String {
    truncate_to_width(&sanitize(text), max)
}

/// `word` with its first letter in upper case.
pub fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The `s` of a plural: empty for one.
pub fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
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

    #[test]
    fn short_text_is_unchanged() {
        assert_eq!(truncate_to_width("ci-deploy", 9), "ci-deploy");
        assert_eq!(truncate_to_width("", 0), "");
    }

    #[test]
    fn cuts_with_an_ellipsis_within_the_width() {
        assert_eq!(truncate_to_width("ci-deploy", 5), "ci-d…");
        assert_eq!(truncate_to_width("ci-deploy", 1), "…");
        assert_eq!(truncate_to_width("ci-deploy", 0), "");
    }

    #[test]
    fn wide_characters_are_measured_and_never_split() {
        // Each CJK character takes two cells: five cells hold two of them and the ellipsis.
        let cut = truncate_to_width("日本語のトークン", 6);
        assert_eq!(cut, "日本…");
        assert!(display_width(&cut) <= 6);
        // A family emoji is one grapheme made of several code points; it goes whole or not at all.
        let family = "👨\u{200D}👩\u{200D}👧 team";
        let cut = truncate_to_width(family, 2);
        assert_eq!(cut, "…");
        let cut = truncate_to_width(family, 4);
        assert!(cut.starts_with("👨\u{200D}👩\u{200D}👧"), "{cut:?}");
    }

    #[test]
    fn combining_marks_stay_with_their_letter() {
        let text = "e\u{301}e\u{301}e\u{301}e\u{301}";
        assert_eq!(truncate_to_width(text, 3), "e\u{301}e\u{301}…");
    }

    #[test]
    fn fit_sanitizes_first() {
        let out = fit("a\x1b[2Jbcdef", 4);
        assert!(!out.contains('\x1b'));
        assert!(display_width(&out) <= 4);
    }
}
