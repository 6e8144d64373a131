//! The `[secrets]` table: where secret files go, read leniently (a bad value keeps the state
//! directory's `secrets/` and says why).

use super::{parse, shown};
use std::path::Path;

#[test]
fn an_absolute_dir_is_the_secrets_directory_and_unset_is_the_state_dirs() {
    let (config, warnings) = parse("[secrets]\ndir = \"/srv/keys\"\n");
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(config.secrets.dir.as_deref(), Some(Path::new("/srv/keys")));
    assert_eq!(
        config.secrets_dir(Some(Path::new("/state"))).as_deref(),
        Some(Path::new("/srv/keys"))
    );
    let (config, warnings) = parse("");
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(config.secrets.dir, None);
    assert_eq!(
        config.secrets_dir(Some(Path::new("/state"))).as_deref(),
        Some(Path::new("/state/secrets"))
    );
    assert_eq!(config.secrets_dir(None), None);
}

#[test]
fn a_bad_dir_keeps_the_default_with_a_warning_naming_the_line() {
    for (value, why) in [
        ("\"~/keys\"", "starts with ~, which is not expanded here"),
        ("\"keys\"", "is not an absolute path"),
        ("\"\"", "is empty"),
        ("\"/tmp/a\\u001b]52;c;x\"", "holds a control character"),
        ("42", "expected a directory path in quotes"),
    ] {
        let (config, warnings) = parse(&format!("mouse = true\n[secrets]\ndir = {value}\n"));
        let text = shown(&warnings);
        assert_eq!(warnings.len(), 1, "{value}: {text}");
        assert!(text.contains("config.toml:3:"), "{value}: {text}");
        assert!(text.contains("secrets.dir"), "{value}: {text}");
        assert!(text.contains(why), "{value}: {text}");
        assert!(
            text.contains("the state directory's secrets/"),
            "{value}: {text}"
        );
        assert!(!text.contains('\u{1b}'), "{value}: {text}");
        assert_eq!(config.secrets.dir, None, "{value}");
        // The rest of the file still counts.
        assert!(config.mouse);
    }
    let (_, warnings) = parse("[secrets]\npath = \"/x\"\n");
    let text = shown(&warnings);
    assert!(
        text.contains("secrets.path") && text.contains("unknown key"),
        "{text}"
    );
}
