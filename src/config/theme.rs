//! The console's colours. Every state colour shows also has a symbol or a modifier (bold, reversed),
//! so `NO_COLOR` loses nothing.

use ratatui::style::{Color, Modifier, Style};

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
