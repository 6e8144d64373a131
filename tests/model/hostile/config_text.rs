//! Config text a user (or a broken editor) could produce: the parser never panics, keeps defaults for what
//! it cannot read, and every warning names the line and contains no raw control character.

use mailtrap_tokens::config::Config;
use std::path::Path;

fn parse(text: &str) -> (Config, Vec<String>) {
    let (config, warnings) = Config::parse(text, Some(Path::new("/home/u/.config/mt/config.toml")));
    let shown = warnings.iter().map(ToString::to_string).collect();
    (config, shown)
}

#[test]
fn control_characters_in_keys_and_values_are_not_echoed_raw() {
    let esc = '\x1b';
    let texts = [
        format!("refresh_interval = \"{esc}]52;c;AA==\x07\"\n"),
        format!("[theme]\naccent = \"{esc}[31m\"\n"),
        format!("[keys]\nrefresh = [\"{esc}[A\"]\n"),
        format!("\"{esc}]0;title\x07\" = 1\n"),
        "mouse = true\u{202E}\n".to_string(),
        "refresh_interval = 30\0\n".to_string(),
    ];
    for text in texts {
        let (_, warnings) = parse(&text);
        assert!(!warnings.is_empty(), "{text:?} gave no warning");
        for w in &warnings {
            assert!(
                !w.chars().any(|c| c.is_control()),
                "{text:?} → warning with a raw control char: {w:?}"
            );
            assert!(w.contains("config.toml:"), "{w}");
        }
    }
}

fn absurd(which: &str) -> String {
    match which {
        "deep array" => format!("x = {}{}", "[".repeat(5_000), "]".repeat(5_000)),
        "deep table" => format!("x = {}{}", "{a = ".repeat(5_000), "}".repeat(5_000)),
        "long line" => format!("refresh_interval = {}", "9".repeat(100_000)),
        _ => (0..2_000)
            .map(|i| format!("[keys]\nk{i} = [\"x\"]\n"))
            .collect(),
    }
}

#[test]
fn absurd_sizes_and_nesting_do_not_crash() {
    for which in ["deep array", "deep table", "long line", "many tables"] {
        let text = absurd(which);
        let started = std::time::Instant::now();
        let (config, warnings) = parse(&text);
        assert!(!warnings.is_empty());
        // The unreadable settings keep their defaults.
        assert_eq!(config.refresh_interval, 30);
        eprintln!("{which}: {:?}", started.elapsed());
    }
}

#[test]
fn a_bad_line_keeps_the_good_settings_and_names_its_line() {
    let (config, warnings) = parse("mouse = true\nrefresh_interval = \"soon\"\n[[[\n");
    assert!(config.mouse);
    assert_eq!(config.refresh_interval, 30);
    assert!(
        warnings.iter().any(|w| w.contains("config.toml:2")),
        "{warnings:?}"
    );
    assert!(
        warnings.iter().any(|w| w.contains("config.toml:3")),
        "{warnings:?}"
    );
}
