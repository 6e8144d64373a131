//! The console's colours. Every state colour shows also has a symbol or a modifier (bold, reversed),
//! so `NO_COLOR` loses nothing.

use ratatui::style::{Color, Modifier, Style};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use super::warning::ConfigWarning;

/// Every role a palette sets and the config file's `[theme]` table may override, in display order.
pub const ROLES: &[&str] = &[
    "text",
    "dim",
    "title",
    "border",
    "header",
    "selected",
    "key",
    "ok",
    "info",
    "warn",
    "danger",
    "disabled",
    "button",
    "button_focused",
];

/// The palettes shipped in `assets/themes/`, embedded so the binary needs no files beside it.
pub const PALETTES: &[(&str, &str)] = &[
    ("default", include_str!("../../assets/themes/default.toml")),
    ("light", include_str!("../../assets/themes/light.toml")),
    (
        "high-contrast",
        include_str!("../../assets/themes/high-contrast.toml"),
    ),
    ("mono", include_str!("../../assets/themes/mono.toml")),
];

pub const DEFAULT_PALETTE: &str = "default";

/// Resolved styles, one per role. The view asks for roles, never for raw colours.
#[derive(Clone, Debug, PartialEq)]
pub struct Theme {
    pub name: String,
    pub text: Style,
    pub dim: Style,
    pub title: Style,
    pub border: Style,
    pub header: Style,
    pub selected: Style,
    pub key: Style,
    pub ok: Style,
    pub info: Style,
    pub warn: Style,
    pub danger: Style,
    pub disabled: Style,
    pub button: Style,
    pub button_focused: Style,
}

impl Default for Theme {
    fn default() -> Self {
        Self {
            name: "default".into(),
            text: Style::new(),
            dim: Style::new().fg(Color::DarkGray),
            title: Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            border: Style::new().fg(Color::DarkGray),
            header: Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
            selected: Style::new()
                .bg(Color::Blue)
                .fg(Color::White)
                .add_modifier(Modifier::REVERSED.union(Modifier::BOLD)),
            key: Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            ok: Style::new().fg(Color::Green),
            info: Style::new().fg(Color::Cyan),
            warn: Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
            danger: Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
            disabled: Style::new().fg(Color::DarkGray).add_modifier(Modifier::DIM),
            button: Style::new(),
            button_focused: Style::new().add_modifier(Modifier::REVERSED.union(Modifier::BOLD)),
        }
    }
}

impl Theme {
    /// The same roles with every colour removed: modifiers stay, so selection and warnings stay visible.
    pub fn without_color(&self) -> Self {
        let strip = |s: Style| Style {
            fg: None,
            bg: None,
            underline_color: None,
            ..s
        };
        Self {
            name: self.name.clone(),
            text: strip(self.text),
            dim: strip(self.dim),
            title: strip(self.title),
            border: strip(self.border),
            header: strip(self.header),
            selected: strip(self.selected).add_modifier(Modifier::REVERSED),
            key: strip(self.key),
            ok: strip(self.ok),
            info: strip(self.info),
            warn: strip(self.warn),
            danger: strip(self.danger),
            disabled: strip(self.disabled),
            button: strip(self.button),
            button_focused: strip(self.button_focused).add_modifier(Modifier::REVERSED),
        }
    }
}

impl Theme {
    pub fn role(&self, role: &str) -> Option<Style> {
        Some(match role {
            "text" => self.text,
            "dim" => self.dim,
            "title" => self.title,
            "border" => self.border,
            "header" => self.header,
            "selected" => self.selected,
            "key" => self.key,
            "ok" => self.ok,
            "info" => self.info,
            "warn" => self.warn,
            "danger" => self.danger,
            "disabled" => self.disabled,
            "button" => self.button,
            "button_focused" => self.button_focused,
            _ => return None,
        })
    }

    pub fn role_mut(&mut self, role: &str) -> Option<&mut Style> {
        Some(match role {
            "text" => &mut self.text,
            "dim" => &mut self.dim,
            "title" => &mut self.title,
            "border" => &mut self.border,
            "header" => &mut self.header,
            "selected" => &mut self.selected,
            "key" => &mut self.key,
            "ok" => &mut self.ok,
            "info" => &mut self.info,
            "warn" => &mut self.warn,
            "danger" => &mut self.danger,
            "disabled" => &mut self.disabled,
            "button" => &mut self.button,
            "button_focused" => &mut self.button_focused,
            _ => return None,
        })
    }
}

/// The `[theme]` table: a shipped palette by name plus whole-style overrides of single roles.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ThemeConfig {
    pub name: String,
    /// Role name → style spec (see [`parse_style`]); replaces that role's whole style.
    #[serde(flatten)]
    pub overrides: BTreeMap<String, String>,
}

impl Default for ThemeConfig {
    fn default() -> Self {
        Self {
            name: DEFAULT_PALETTE.into(),
            overrides: BTreeMap::new(),
        }
    }
}

const MODIFIER_NAMES: &[(&str, Modifier)] = &[
    ("bold", Modifier::BOLD),
    ("dim", Modifier::DIM),
    ("italic", Modifier::ITALIC),
    ("underlined", Modifier::UNDERLINED),
    ("underline", Modifier::UNDERLINED),
    ("reversed", Modifier::REVERSED),
    ("reverse", Modifier::REVERSED),
    ("crossed_out", Modifier::CROSSED_OUT),
    ("strikethrough", Modifier::CROSSED_OUT),
    ("slow_blink", Modifier::SLOW_BLINK),
    ("blink", Modifier::SLOW_BLINK),
    ("rapid_blink", Modifier::RAPID_BLINK),
    ("hidden", Modifier::HIDDEN),
];

/// Parses a style spec: words in any order, e.g. `"yellow"`, `"#ffaa00"`, `"bold red"`,
/// `"bold white on blue"`, `"reversed"`, or `"none"` for the terminal's own style.
/// Colours are ratatui's names (`red`, `light_red`, `dark_gray` …), `#rrggbb` or a 0–255 index.
pub fn parse_style(spec: &str) -> Result<Style, String> {
    let mut style = Style::new();
    let mut fg_set = false;
    let mut words = spec.split_whitespace();
    let mut any = false;
    while let Some(word) = words.next() {
        any = true;
        let lower = word.to_ascii_lowercase();
        if matches!(lower.as_str(), "none" | "plain" | "default") {
            continue;
        }
        if lower == "on" {
            let colour = words.next().ok_or_else(|| {
                format!("{spec:?}: \"on\" must be followed by a background colour")
            })?;
            style = style.bg(parse_colour(colour, spec)?);
            continue;
        }
        if let Some((_, m)) = MODIFIER_NAMES.iter().find(|(n, _)| *n == lower) {
            style = style.add_modifier(*m);
            continue;
        }
        let colour = parse_colour(word, spec)?;
        if fg_set {
            return Err(format!(
                "{spec:?} names two foreground colours; write \"on COLOUR\" for a background"
            ));
        }
        fg_set = true;
        style = style.fg(colour);
    }
    if !any {
        return Err("an empty style; write \"none\" for the terminal's own style".into());
    }
    Ok(style)
}

fn parse_colour(word: &str, spec: &str) -> Result<Color, String> {
    word.parse::<Color>().map_err(|_| {
        let which = if word == spec.trim() {
            format!("{word:?}")
        } else {
            format!("{word:?} in {spec:?}")
        };
        format!(
            "{which} is not a colour or a modifier (colours: red, light_red, dark_gray, #ffaa00, 0-255; \
             modifiers: bold, dim, italic, underlined, reversed, crossed_out)"
        )
    })
}

pub fn palette_names() -> impl Iterator<Item = &'static str> {
    PALETTES.iter().map(|(name, _)| *name)
}

/// A shipped palette by name, with the problems found in its file (none for the shipped ones; a test
/// checks). A role the file misses or gets wrong keeps the default palette's style.
pub fn palette(name: &str) -> Option<(Theme, Vec<String>)> {
    let (name, text) = PALETTES.iter().find(|(n, _)| *n == name)?;
    let mut theme = Theme {
        name: (*name).to_string(),
        ..Theme::default()
    };
    let mut problems = Vec::new();
    let table: toml::Table = match text.parse() {
        Ok(t) => t,
        Err(e) => {
            problems.push(format!("{name}: {e}"));
            return Some((theme, problems));
        }
    };
    for role in ROLES {
        if !table.contains_key(*role) {
            problems.push(format!("{name}: role {role} is missing"));
        }
    }
    for (role, value) in &table {
        let Some(slot) = theme.role_mut(role) else {
            problems.push(format!("{name}: {role} is not a role"));
            continue;
        };
        match value.as_str().map(parse_style) {
            Some(Ok(style)) => *slot = style,
            Some(Err(e)) => problems.push(format!("{name}: {role}: {e}")),
            None => problems.push(format!("{name}: {role}: not a string")),
        }
    }
    Some((theme, problems))
}

/// The theme the console draws with: the named palette, the role overrides, then colour removed when
/// `no_color`. Problems become warnings and leave the palette's style in place.
pub fn resolve_theme(config: &ThemeConfig, no_color: bool) -> (Theme, Vec<ConfigWarning>) {
    let mut warnings = Vec::new();
    let mut theme = match palette(&config.name) {
        Some((theme, _)) => theme,
        None => {
            warnings.push(ConfigWarning::new(
                Some("theme.name".into()),
                unknown_palette_message(&config.name),
            ));
            Theme::default()
        }
    };
    for (role, spec) in &config.overrides {
        let key = Some(format!("theme.{role}"));
        let Some(slot) = theme.role_mut(role) else {
            warnings.push(ConfigWarning::new(key, unknown_role_message(role)));
            continue;
        };
        match parse_style(spec) {
            Ok(style) => *slot = style,
            Err(e) => warnings.push(ConfigWarning::new(key, e)),
        }
    }
    if no_color {
        theme = theme.without_color();
    }
    (theme, warnings)
}

pub(crate) fn unknown_palette_message(name: &str) -> String {
    format!(
        "no theme is called {name:?}; using \"{DEFAULT_PALETTE}\" (themes: {})",
        palette_names().collect::<Vec<_>>().join(", ")
    )
}

pub(crate) fn unknown_role_message(role: &str) -> String {
    format!(
        "{role:?} is not a theme role (roles: name, {})",
        ROLES.join(", ")
    )
}

/// `--no-color`, or the `NO_COLOR` environment variable set to anything but the empty string
/// (<https://no-color.org>).
pub fn no_color_requested(flag: bool) -> bool {
    flag || std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn styles_parse() {
        assert_eq!(parse_style("yellow"), Ok(Style::new().fg(Color::Yellow)));
        assert_eq!(
            parse_style("bold red on #102030"),
            Ok(Style::new()
                .fg(Color::Red)
                .bg(Color::Rgb(16, 32, 48))
                .add_modifier(Modifier::BOLD))
        );
        assert_eq!(parse_style("none"), Ok(Style::new()));
        assert_eq!(
            parse_style("light_red"),
            Ok(Style::new().fg(Color::LightRed))
        );
        assert!(parse_style("").is_err());
        assert!(parse_style("red blue").is_err());
        assert!(parse_style("bold on").is_err());
        assert!(parse_style("blod").is_err());
    }

    #[test]
    fn every_role_is_readable_and_writable_by_name() {
        let mut theme = Theme::default();
        let marker = |i: usize| Style::new().fg(Color::Indexed(i as u8));
        for (i, role) in ROLES.iter().enumerate() {
            *theme.role_mut(role).unwrap() = marker(i);
        }
        // Distinct markers: a name wired to the wrong field shows up here.
        for (i, role) in ROLES.iter().enumerate() {
            assert_eq!(theme.role(role), Some(marker(i)), "{role}");
        }
        assert!(theme.role("link").is_none());
        assert!(theme.role_mut("link").is_none());
    }

    #[test]
    fn overrides_replace_one_role() {
        let mut cfg = ThemeConfig::default();
        cfg.overrides.insert("warn".into(), "#ffaa00".into());
        let (theme, warnings) = resolve_theme(&cfg, false);
        assert!(warnings.is_empty());
        assert_eq!(theme.warn, Style::new().fg(Color::Rgb(0xff, 0xaa, 0)));
        assert_eq!(theme.danger, Theme::default().danger);
    }
}
