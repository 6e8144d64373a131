use mailtrap_tokens::config::ConfigCommand;
use mailtrap_tokens::config::command::run_config_command;
use mailtrap_tokens::config::{Config, Paths};

fn run(cmd: ConfigCommand, paths: &Paths) -> (i32, String, String) {
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = run_config_command(&cmd, paths, &mut out, &mut err);
    (
        code,
        String::from_utf8(out).unwrap(),
        String::from_utf8(err).unwrap(),
    )
}

#[test]
fn init_then_path_then_init_again() {
    let home = tempfile::tempdir().unwrap();
    let paths = Paths::in_dir(&home.path().join("nested"));
    let home_text = home.path().display().to_string();
    let masked = |text: &str| text.replace(&home_text, "[HOME]");

    let (code, out, err) = run(ConfigCommand::Path, &paths);
    assert_eq!(code, 0, "{err}");
    insta::assert_snapshot!("path_before_init", masked(&out));

    let (code, out, err) = run(ConfigCommand::Init, &paths);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("wrote"), "{out}");
    let loaded = Config::load(Some(&paths.config_file));
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    assert_eq!(loaded.config, Config::default());

    let (code, out, _) = run(ConfigCommand::Path, &paths);
    assert_eq!(code, 0);
    insta::assert_snapshot!("path_after_init", masked(&out));

    // A second init never overwrites what the user may have edited.
    std::fs::write(&paths.config_file, "mouse = true\n").unwrap();
    let (code, out, err) = run(ConfigCommand::Init, &paths);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    insta::assert_snapshot!("init_refuses_to_overwrite", masked(&err));
    assert_eq!(
        std::fs::read_to_string(&paths.config_file).unwrap(),
        "mouse = true\n"
    );
}

#[test]
fn init_honours_the_config_override() {
    let home = tempfile::tempdir().unwrap();
    let explicit = home.path().join("elsewhere/my.toml");
    let paths = Paths::in_dir(home.path()).with_config_override(Some(&explicit));
    let (code, _, err) = run(ConfigCommand::Init, &paths);
    assert_eq!(code, 0, "{err}");
    assert!(explicit.exists());
    assert!(!home.path().join("config.toml").exists());
}
