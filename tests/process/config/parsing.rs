use super::parse;
use mailtrap_tokens::config::{ClipboardRoute, Config};
use mailtrap_tokens::keys::action::Action;
use ratatui::style::{Color, Style};
use std::time::Duration;

#[test]
fn an_empty_file_is_the_defaults() {
    let (config, warnings) = parse("");
    assert_eq!(config, Config::default());
    assert!(warnings.is_empty());
    assert_eq!(config.refresh(), Duration::from_secs(30));
    assert_eq!(
        config.clipboard.clear_after(),
        Some(Duration::from_secs(30))
    );
    assert!(!config.mouse);
}

#[test]
fn a_full_valid_file_is_read_without_warnings() {
    let (config, warnings) = parse(
        r##"
refresh_interval = 60
mouse = true
default_account = 1719941

[clipboard]
route = "osc52"
clear_after = 0

[theme]
name = "light"
warn = "#ffaa00"
danger = "bold white on red"

[keys]
refresh = ["f5", "ctrl-r"]
quit = "Q"
"##,
    );
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(config.refresh_interval, 60);
    assert!(config.mouse);
    assert_eq!(config.default_account, Some(1719941));
    assert_eq!(config.clipboard.route, ClipboardRoute::Osc52);
    assert_eq!(config.clipboard.clear_after(), None);
    assert_eq!(config.theme.name, "light");
    let theme = config.theme(false);
    assert_eq!(theme.name, "light");
    assert_eq!(theme.warn, Style::new().fg(Color::Rgb(0xff, 0xaa, 0)));
    let keymap = config.keymap();
    assert_eq!(keymap.label(Action::Refresh), "F5/Ctrl-R");
    assert_eq!(keymap.label(Action::Quit), "Q");
    // Actions not named keep their defaults.
    assert_eq!(keymap.label(Action::MoveDown), "↓/j");
}

#[test]
fn a_partial_file_keeps_the_other_defaults() {
    let (config, warnings) = parse("[clipboard]\nroute = \"off\"\n");
    assert!(warnings.is_empty());
    assert_eq!(
        config,
        Config {
            clipboard: mailtrap_tokens::config::ClipboardConfig {
                route: ClipboardRoute::Off,
                ..Default::default()
            },
            ..Config::default()
        }
    );
}

#[test]
fn one_wrong_setting_keeps_every_right_one() {
    let (config, warnings) = parse(
        "refresh_interval = \"often\"\nmouse = true\n[clipboard]\nroute = \"carrier pigeon\"\nclear_after = 5\n\
         [theme]\nname = \"mono\"\nwarn = \"blod\"\ndanger = \"underlined\"\n[keys]\nquit = [\"z\", 7]\n",
    );
    assert_eq!(warnings.len(), 4, "{warnings:#?}");
    assert_eq!(config.refresh_interval, 30);
    assert!(config.mouse);
    assert_eq!(config.clipboard.route, ClipboardRoute::Auto);
    assert_eq!(config.clipboard.clear_after, 5);
    assert_eq!(config.theme.name, "mono");
    assert!(!config.theme.overrides.contains_key("warn"));
    assert_eq!(config.theme.overrides["danger"], "underlined");
    assert_eq!(config.keymap().label(Action::Quit), "z");
}

#[test]
fn a_syntax_error_keeps_what_the_parser_recovered() {
    let (config, warnings) =
        parse("mouse = true\nrefresh_interval = = 3\n[clipboard]\nroute = \"osc52\"\n");
    assert!(!warnings.is_empty());
    assert_eq!(warnings[0].line, Some(2));
    assert!(config.mouse);
    assert_eq!(config.clipboard.route, ClipboardRoute::Osc52);
}

#[test]
fn a_theme_from_a_loaded_config_has_no_second_round_of_warnings() {
    let (config, warnings) = parse("[theme]\nname = \"neon\"\nwarn = \"blod\"\nlink = \"blue\"\n");
    assert_eq!(warnings.len(), 3);
    let (_, again) = mailtrap_tokens::config::resolve_theme(&config.theme, false);
    assert!(again.is_empty(), "{again:?}");
}

#[test]
fn the_default_file_location_missing_is_silent_but_a_named_one_is_not() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.toml");
    let silent = Config::load_file(&missing, false);
    assert!(silent.warnings.is_empty());
    assert_eq!(silent.config, Config::default());
    assert_eq!(silent.path.as_deref(), Some(missing.as_path()));

    let named = Config::load(Some(&missing));
    assert_eq!(named.warnings.len(), 1);
    let line = named.warnings[0].to_string();
    assert!(line.starts_with(&missing.display().to_string()), "{line}");
    assert!(line.contains("cannot be read"), "{line}");
}

#[test]
fn a_file_on_disk_is_read_and_its_warnings_name_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("config.toml");
    std::fs::write(&file, "mouse = true\nrefresh_interval = 2\n").unwrap();
    let loaded = Config::load(Some(&file));
    assert!(loaded.config.mouse);
    assert_eq!(loaded.config.refresh_interval, 5);
    let shown = super::shown(&loaded.warnings).replace(&dir.path().display().to_string(), "[DIR]");
    insta::assert_snapshot!("file_on_disk", shown);
}

#[test]
fn a_file_that_is_not_text_is_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("config.toml");
    std::fs::write(&file, b"mouse = true\n\xff\xfe").unwrap();
    let loaded = Config::load(Some(&file));
    // The bad bytes cost their own line only: the setting before them is kept.
    assert!(loaded.config.mouse);
    assert_eq!(loaded.warnings.len(), 1);
    assert_eq!(loaded.warnings[0].line, Some(2));
    assert!(loaded.warnings[0].to_string().contains("not UTF-8"));
}
