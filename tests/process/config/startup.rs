use mailtrap_tokens::config::{ConfigFlags, Paths, Startup};
use mailtrap_tokens::keys::action::Action;

fn global(config: Option<std::path::PathBuf>, no_color: bool) -> ConfigFlags {
    ConfigFlags { config, no_color }
}

#[test]
fn the_config_file_in_the_paths_gives_keymap_theme_and_warnings() {
    let home = tempfile::tempdir().unwrap();
    let paths = Paths::in_dir(home.path());
    std::fs::write(
        &paths.config_file,
        "[theme]\nname = \"light\"\n[keys]\nquit = [\"z\"]\nrefresh = [\"j\"]\n",
    )
    .unwrap();
    let s = Startup::from_paths(&global(None, false), Some(paths.clone()), None);
    assert_eq!(s.keymap.label(Action::Quit), "z");
    assert_eq!(s.theme.name, "light");
    assert!(s.theme.title.fg.is_some());
    assert_eq!(s.warnings.len(), 1, "{:?}", s.warnings);
    assert_eq!(s.warnings[0].line, Some(5));
    assert_eq!(s.paths, Some(paths));
}

#[test]
fn the_config_flag_wins_and_no_color_strips_colour() {
    let home = tempfile::tempdir().unwrap();
    let paths = Paths::in_dir(home.path());
    std::fs::write(&paths.config_file, "mouse = true\n").unwrap();
    let other = home.path().join("other.toml");
    std::fs::write(&other, "refresh_interval = 90\n").unwrap();
    let s = Startup::from_paths(&global(Some(other.clone()), true), Some(paths), None);
    assert!(!s.config.mouse);
    assert_eq!(s.config.refresh_interval, 90);
    assert_eq!(s.paths.unwrap().config_file, other);
    assert_eq!((s.theme.title.fg, s.theme.selected.bg), (None, None));
    assert!(s.warnings.is_empty());
}
