//! `assets/config.default.toml` (what `config init` writes) lists every default, correctly.

use mailtrap_tokens::config::Config;
use mailtrap_tokens::config::file::DEFAULT_CONFIG_TOML;
use mailtrap_tokens::keys::action::ACTIONS;

#[test]
fn the_default_file_parses_to_the_defaults() {
    let (config, warnings) = super::parse(DEFAULT_CONFIG_TOML);
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(config, Config::default());
    // And the strict serde reading agrees (no unknown or misspelt keys).
    let strict: Config = toml::from_str(DEFAULT_CONFIG_TOML).unwrap();
    assert_eq!(strict, Config::default());
}

#[test]
fn the_default_file_lists_every_action_with_its_default_keys() {
    for info in ACTIONS {
        let keys: Vec<String> = info.default_keys.iter().map(|k| format!("{k:?}")).collect();
        let line = format!("# {} = [{}]", info.name, keys.join(", "));
        assert!(
            DEFAULT_CONFIG_TOML.lines().any(|l| l.starts_with(&line)),
            "assets/config.default.toml lacks {line:?}"
        );
    }
}

#[test]
fn the_default_file_uncommented_gives_the_default_keymap() {
    let uncommented: String = DEFAULT_CONFIG_TOML
        .lines()
        .map(|l| {
            let is_key_line = ACTIONS
                .iter()
                .any(|i| l.starts_with(&format!("# {} = [", i.name)));
            if is_key_line { &l[2..] } else { l }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let (config, warnings) = super::parse(&uncommented);
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(config.keys.len(), ACTIONS.len());
    let default = mailtrap_tokens::keys::keymap::Keymap::default();
    let keymap = config.keymap();
    for info in ACTIONS {
        assert_eq!(keymap.label(info.action), default.label(info.action));
    }
}

#[test]
fn the_default_file_names_every_theme_role_and_palette() {
    for role in mailtrap_tokens::config::theme::ROLES {
        assert!(DEFAULT_CONFIG_TOML.contains(role), "{role}");
    }
    for name in mailtrap_tokens::config::theme::palette_names() {
        assert!(
            DEFAULT_CONFIG_TOML.contains(&format!("\"{name}\"")),
            "{name}"
        );
    }
}

#[test]
fn the_default_file_names_every_hygiene_rule() {
    for id in mailtrap_tokens::hygiene::RuleId::all() {
        assert!(DEFAULT_CONFIG_TOML.contains(id.as_str()), "{id}");
    }
}
