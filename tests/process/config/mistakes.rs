//! Every kind of mistake, each with the exact line the console shows.

use super::{parse, shown};
use mailtrap_tokens::config::Config;

fn check(name: &str, text: &str) -> Config {
    let (config, warnings) = parse(text);
    assert!(!warnings.is_empty(), "{name}: expected a warning");
    for w in &warnings {
        assert!(w.line.is_some(), "{name}: {w} has no line");
        assert!(!w.to_string().contains('\n'), "{name}: {w} is not one line");
    }
    insta::assert_snapshot!(name, shown(&warnings));
    config
}

#[test]
fn syntax_error() {
    check(
        "syntax_error",
        "mouse = true\n[clipboard\nroute = \"osc52\"\n",
    );
}

#[test]
fn key_written_twice() {
    check("key_written_twice", "mouse = true\nmouse = false\n");
}

#[test]
fn wrong_type() {
    let config = check(
        "wrong_type",
        "refresh_interval = \"30s\"\nmouse = \"yes\"\ndefault_account = \"acme\"\nclipboard = 3\n\
         [keys]\nquit = 5\n",
    );
    assert_eq!(config, Config::default());
}

#[test]
fn unknown_key() {
    check(
        "unknown_key",
        "refesh_interval = 10\n[clipboard]\nroute = \"auto\"\ntimeout = 5\n",
    );
}

#[test]
fn unknown_action() {
    let config = check("unknown_action", "[keys]\nfrobnicate = [\"x\"]\n");
    assert_eq!(
        config
            .keymap()
            .label(mailtrap_tokens::keys::action::Action::Quit),
        "q"
    );
}

#[test]
fn duplicate_key() {
    let config = check("duplicate_key", "[keys]\nrefresh = [\"f5\", \"j\"]\n");
    let keymap = config.keymap();
    use mailtrap_tokens::keys::action::Action;
    assert_eq!(keymap.label(Action::Refresh), "F5/j");
    assert_eq!(keymap.label(Action::MoveDown), "↓");
}

#[test]
fn duplicate_key_between_two_overrides() {
    check(
        "duplicate_key_between_two_overrides",
        "[keys]\nquit = [\"z\"]\ndelete = [\"z\"]\n",
    );
}

#[test]
fn bad_key_name() {
    let config = check(
        "bad_key_name",
        "[keys]\nrefresh = [\"ctrl-\", \"hyper-r\"]\n",
    );
    assert_eq!(
        config
            .keymap()
            .label(mailtrap_tokens::keys::action::Action::Refresh),
        "r/Ctrl-R"
    );
}

#[test]
fn empty_key_list() {
    check("empty_key_list", "[keys]\nquit = []\n");
}

#[test]
fn unknown_theme() {
    let config = check("unknown_theme", "[theme]\nname = \"solarized\"\n");
    assert_eq!(config.theme(false).name, "default");
}

#[test]
fn unknown_theme_role() {
    check("unknown_theme_role", "[theme]\nlink = \"blue\"\n");
}

#[test]
fn bad_colour() {
    check(
        "bad_colour",
        "[theme]\nwarn = \"#ffaa0\"\ndanger = \"red blue\"\nok = \"\"\n",
    );
}

#[test]
fn refresh_below_floor() {
    let config = check("refresh_below_floor", "refresh_interval = 1\n");
    assert_eq!(config.refresh_interval, 5);
}

#[test]
fn bad_clipboard_settings() {
    check(
        "bad_clipboard_settings",
        "[clipboard]\nroute = \"pigeon\"\nclear_after = -1\n",
    );
}

#[test]
fn bad_default_account() {
    let config = check(
        "bad_default_account",
        "default_account = 0\nrefresh_interval = 99999999999999999999\n",
    );
    assert_eq!(config.default_account, None);
}

#[test]
fn an_oversized_file_is_refused_unread_and_a_file_of_mistakes_lists_a_bounded_number() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.toml");
    std::fs::write(&big, "# padding\n".repeat(200_000)).unwrap();
    let loaded = Config::load(Some(&big));
    assert_eq!(loaded.warnings.len(), 1, "{:?}", loaded.warnings);
    assert!(loaded.warnings[0].to_string().contains("may be at most"));

    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "this is = = not toml\n".repeat(40_000)).unwrap();
    let loaded = Config::load(Some(&bad));
    assert!(loaded.warnings.len() <= 51, "{}", loaded.warnings.len());
    let last = loaded.warnings.last().unwrap().to_string();
    assert!(last.contains(" more problem"), "{last}");

    // Half a million lines that are not UTF-8: a bounded list, the count last.
    let binary = dir.path().join("binary.toml");
    std::fs::write(&binary, b"\xff\n".repeat(500_000)).unwrap();
    let loaded = Config::load(Some(&binary));
    assert_eq!(loaded.warnings.len(), 51, "{}", loaded.warnings.len());
    let last = loaded.warnings.last().unwrap().to_string();
    assert!(last.contains("and 499950 more problems"), "{last}");
}
