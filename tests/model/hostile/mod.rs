//! Hostile input: server data carrying terminal escapes and invisible characters, absurd sizes and
//! shapes, served by the simulator and decoded by the client; config text a user could get wrong.
//! Nothing panics, nothing undecodable crashes, and `text::sanitize` makes every string safe to draw.

mod config_text;
pub mod fixtures;
pub mod names;
#[cfg(unix)]
mod pty;
mod shapes;
mod view;

/// Strings a server could send to take over a terminal or disguise a name. Built at run time so the
/// source holds no raw escape bytes.
pub fn hostile_strings() -> Vec<(&'static str, String)> {
    let esc = '\x1b';
    vec![
        ("ESC alone", format!("a{esc}b")),
        ("CSI clear screen", format!("x{esc}[2J{esc}[H")),
        ("CSI colours", format!("{esc}[31;1mred{esc}[0m")),
        ("OSC title (BEL)", format!("{esc}]0;pwned\x07name")),
        ("OSC title (ST)", format!("{esc}]2;pwned{esc}\\name")),
        (
            "OSC 52 clipboard",
            format!("{esc}]52;c;ZWNobyBwd25lZA==\x07copy"),
        ),
        (
            "OSC 8 hyperlink",
            format!("{esc}]8;;https://evil.example{esc}\\link{esc}]8;;{esc}\\"),
        ),
        ("DCS", format!("{esc}Pq#0;2;0;0;0{esc}\\dcs")),
        ("APC", format!("{esc}_Gf=100;AAAA{esc}\\apc")),
        ("C1 CSI (U+009B)", "\u{9b}2Jc1".to_string()),
        ("C1 OSC (U+009D)", "\u{9d}0;t\u{9c}c1".to_string()),
        ("BEL", "ring\x07ring".to_string()),
        ("NUL", "nul\0byte".to_string()),
        ("DEL", "del\x7fete".to_string()),
        ("backspaces", "admin\x08\x08\x08\x08\x08guest".to_string()),
        ("carriage return", "visible\rhidden".to_string()),
        ("newline", "two\nlines".to_string()),
        ("RLO bidi override", "invoice\u{202E}fdp.exe".to_string()),
        ("LRI/PDI isolates", "a\u{2066}b\u{2069}c".to_string()),
        ("ALM bidi mark", "a\u{061C}b".to_string()),
        (
            "zero-width space/joiner",
            "ad\u{200B}m\u{200D}in".to_string(),
        ),
        ("BOM", "\u{FEFF}bom".to_string()),
        ("tag characters", "ok\u{E0041}\u{E0042}".to_string()),
        ("line separator", "a\u{2028}b\u{2029}c".to_string()),
        (
            "everything at once",
            format!("{esc}]52;c;AA==\x07\u{202E}\0\x7f\u{9b}{esc}P{esc}_"),
        ),
    ]
}

/// What `sanitize` promises: no C0, DEL or C1 control, no bidi control, no zero-width or tag character.
pub fn is_safe(text: &str) -> bool {
    text.chars().all(|c| {
        let code = c as u32;
        code >= 0x20
            && code != 0x7f
            && !(0x80..=0x9f).contains(&code)
            && !mailtrap_tokens::text::is_invisible_format(c)
            && !matches!(c, '\u{2028}' | '\u{2029}')
    })
}

pub fn assert_safe(label: &str, text: &str) {
    let safe = mailtrap_tokens::text::sanitize(text);
    assert!(is_safe(&safe), "{label}: {safe:?}");
    assert!(!safe.contains('\x1b'), "{label}");
}
