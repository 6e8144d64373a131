use mailtrap_tokens::config::theme::{self, PALETTES, ROLES, Theme, ThemeConfig};
use mailtrap_tokens::config::{no_color_requested, resolve_theme};
use ratatui::style::{Color, Modifier, Style};

#[test]
fn every_shipped_palette_sets_every_role_correctly() {
    assert!(PALETTES.len() >= 4);
    for name in ["default", "light", "high-contrast", "mono"] {
        let (theme, problems) =
            theme::palette(name).unwrap_or_else(|| panic!("{name} is not shipped"));
        assert!(problems.is_empty(), "{name}: {problems:?}");
        assert_eq!(theme.name, name);
        let (resolved, warnings) = resolve_theme(
            &ThemeConfig {
                name: name.into(),
                ..Default::default()
            },
            false,
        );
        assert!(warnings.is_empty());
        assert_eq!(resolved, theme);
    }
}

#[test]
fn the_default_palette_file_is_the_built_in_default() {
    let (theme, _) = theme::palette("default").unwrap();
    assert_eq!(theme, Theme::default());
}

#[test]
fn the_mono_palette_has_no_colour_at_all() {
    let (theme, _) = theme::palette("mono").unwrap();
    assert_eq!(
        theme.without_color(),
        Theme {
            selected: theme.selected.add_modifier(Modifier::REVERSED),
            button_focused: theme.button_focused.add_modifier(Modifier::REVERSED),
            ..theme.clone()
        }
    );
}

#[test]
fn palettes_differ_from_each_other() {
    let themes: Vec<Theme> = theme::palette_names()
        .map(|n| theme::palette(n).unwrap().0)
        .collect();
    for (i, a) in themes.iter().enumerate() {
        for b in &themes[i + 1..] {
            let same = ROLES.iter().all(|r| a.role(r) == b.role(r));
            assert!(!same, "{} and {} are the same palette", a.name, b.name);
        }
    }
}

#[test]
fn no_color_strips_colours_but_keeps_states_visible() {
    for name in theme::palette_names() {
        let (theme, _) = resolve_theme(
            &ThemeConfig {
                name: name.into(),
                ..Default::default()
            },
            true,
        );
        for role in ROLES {
            let style = theme.role(role).unwrap();
            assert_eq!((style.fg, style.bg), (None, None), "{name}.{role}");
        }
        assert!(theme.selected.add_modifier.contains(Modifier::REVERSED));
        assert!(
            theme
                .button_focused
                .add_modifier
                .contains(Modifier::REVERSED)
        );
        assert!(theme.warn.add_modifier.contains(Modifier::BOLD), "{name}");
        assert!(theme.danger.add_modifier.contains(Modifier::BOLD), "{name}");
    }
}

#[test]
fn role_overrides_apply_on_top_of_the_palette_and_before_no_color() {
    let mut config = ThemeConfig {
        name: "high-contrast".into(),
        ..Default::default()
    };
    config.overrides.insert("warn".into(), "bold red".into());
    let (theme, warnings) = resolve_theme(&config, false);
    assert!(warnings.is_empty());
    assert_eq!(
        theme.warn,
        Style::new().fg(Color::Red).add_modifier(Modifier::BOLD)
    );
    let (plain, _) = resolve_theme(&config, true);
    assert_eq!(plain.warn, Style::new().add_modifier(Modifier::BOLD));
}

#[test]
fn resolving_an_unloaded_config_still_warns() {
    let mut config = ThemeConfig {
        name: "neon".into(),
        ..Default::default()
    };
    config.overrides.insert("warn".into(), "blod".into());
    let (theme, warnings) = resolve_theme(&config, false);
    assert_eq!(theme.name, "default");
    assert_eq!(warnings.len(), 2);
    insta::assert_snapshot!(super::shown(&warnings));
}

#[test]
fn the_no_color_flag_always_wins() {
    // The environment variable is read, not set, here: tests share the process environment.
    assert!(no_color_requested(true));
    let env_set = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    assert_eq!(no_color_requested(false), env_set);
}
