//! The live keymap: the defaults of `action::ACTIONS` with the user's partial overrides on top.

use crate::text::SafeText;
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::str::FromStr;

use super::action::{ACTIONS, Action, Scope};

/// One key with its modifiers, written like `ctrl-r`, `G`, `pagedown`, `?`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct KeyBinding {
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
}

impl KeyBinding {
    pub fn new(code: KeyCode, modifiers: KeyModifiers) -> Self {
        Self::normalized(code, modifiers)
    }

    /// One spelling per key, the one a terminal reports, so a parsed binding and a key press compare equal:
    /// Shift is folded into the character itself (`G`, not `shift-g`); Ctrl with a letter is the lower-case
    /// letter (terminals cannot tell Ctrl-Q from Ctrl-q and send the latter); Shift-Tab is `BackTab`.
    fn normalized(code: KeyCode, modifiers: KeyModifiers) -> Self {
        match code {
            KeyCode::Char(c) => {
                let mut c = if modifiers.contains(KeyModifiers::SHIFT) {
                    c.to_ascii_uppercase()
                } else {
                    c
                };
                if modifiers.contains(KeyModifiers::CONTROL) {
                    c = c.to_ascii_lowercase();
                }
                Self {
                    code: KeyCode::Char(c),
                    modifiers: modifiers - KeyModifiers::SHIFT,
                }
            }
            KeyCode::Tab if modifiers.contains(KeyModifiers::SHIFT) => Self {
                code: KeyCode::BackTab,
                modifiers: modifiers - KeyModifiers::SHIFT,
            },
            KeyCode::BackTab => Self {
                code: KeyCode::BackTab,
                modifiers: modifiers - KeyModifiers::SHIFT,
            },
            _ => Self { code, modifiers },
        }
    }

    /// Ctrl-C and Ctrl-Z (with any other modifier too) are handled before the keymap, so a binding to
    /// them would never fire.
    pub fn is_fixed(&self) -> bool {
        matches!(self.code, KeyCode::Char('c' | 'z'))
            && self.modifiers.contains(KeyModifiers::CONTROL)
    }

    pub fn from_event(event: &KeyEvent) -> Self {
        Self::normalized(event.code, event.modifiers)
    }
}

impl FromStr for KeyBinding {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let mut modifiers = KeyModifiers::NONE;
        let mut rest = text.trim();
        if rest.is_empty() {
            return Err("an empty key".into());
        }
        loop {
            let lower = rest.to_ascii_lowercase();
            let (prefix, flag) = if lower.starts_with("ctrl-") {
                ("ctrl-", KeyModifiers::CONTROL)
            } else if lower.starts_with("alt-") {
                ("alt-", KeyModifiers::ALT)
            } else if lower.starts_with("shift-") {
                ("shift-", KeyModifiers::SHIFT)
            } else {
                break;
            };
            if rest.len() == prefix.len() {
                break;
            }
            modifiers |= flag;
            rest = &rest[prefix.len()..];
        }
        let lower = rest.to_ascii_lowercase();
        let code = match lower.as_str() {
            "enter" | "return" => KeyCode::Enter,
            "esc" | "escape" => KeyCode::Esc,
            "tab" => KeyCode::Tab,
            "backtab" => KeyCode::BackTab,
            "backspace" => KeyCode::Backspace,
            "delete" | "del" => KeyCode::Delete,
            "insert" | "ins" => KeyCode::Insert,
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "pageup" | "pgup" => KeyCode::PageUp,
            "pagedown" | "pgdn" => KeyCode::PageDown,
            // The arrows as the help and hint bar print them, so every label reads back as its key.
            "↑" => KeyCode::Up,
            "↓" => KeyCode::Down,
            "←" => KeyCode::Left,
            "→" => KeyCode::Right,
            "space" => KeyCode::Char(' '),
            "minus" => KeyCode::Char('-'),
            f if f.len() > 1
                && f.starts_with('f')
                && f[1..].parse::<u8>().is_ok_and(|n| (1..=24).contains(&n)) =>
            {
                KeyCode::F(f[1..].parse().unwrap_or(1))
            }
            _ => {
                let mut chars = rest.chars();
                match (chars.next(), chars.next()) {
                    // Whitespace other than "space" would not survive the trim of a label read back.
                    (Some(c), None) if !c.is_control() && !c.is_whitespace() => KeyCode::Char(c),
                    _ => {
                        return Err(format!(
                            "{text:?} is not a key (try e.g. \"x\", \"ctrl-r\", \"pagedown\", \"f5\")"
                        ));
                    }
                }
            }
        };
        Ok(Self::normalized(code, modifiers))
    }
}

impl fmt::Display for KeyBinding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.modifiers.contains(KeyModifiers::CONTROL) {
            f.write_str("Ctrl-")?;
        }
        if self.modifiers.contains(KeyModifiers::ALT) {
            f.write_str("Alt-")?;
        }
        if self.modifiers.contains(KeyModifiers::SHIFT) {
            f.write_str("Shift-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("Space"),
            KeyCode::Char(c) if self.modifiers.contains(KeyModifiers::CONTROL) => {
                write!(f, "{}", c.to_ascii_uppercase())
            }
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Enter => f.write_str("Enter"),
            KeyCode::Esc => f.write_str("Esc"),
            KeyCode::Tab => f.write_str("Tab"),
            KeyCode::BackTab => f.write_str("Shift-Tab"),
            KeyCode::Backspace => f.write_str("Backspace"),
            KeyCode::Delete => f.write_str("Del"),
            KeyCode::Insert => f.write_str("Ins"),
            KeyCode::Up => f.write_str("↑"),
            KeyCode::Down => f.write_str("↓"),
            KeyCode::Left => f.write_str("←"),
            KeyCode::Right => f.write_str("→"),
            KeyCode::Home => f.write_str("Home"),
            KeyCode::End => f.write_str("End"),
            KeyCode::PageUp => f.write_str("PgUp"),
            KeyCode::PageDown => f.write_str("PgDn"),
            KeyCode::F(n) => write!(f, "F{n}"),
            other => write!(f, "{other:?}"),
        }
    }
}

/// A problem in the user's key overrides; shown in the console, never fatal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeymapWarning(pub String);

/// A problem in one `[keys]` entry: `entry` is the action name as written, `key_index` the position of the
/// offending key in its list (when one key is to blame).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeymapIssue {
    pub entry: String,
    pub key_index: Option<usize>,
    pub message: String,
}

#[derive(Clone, Debug)]
pub struct Keymap {
    by_key: HashMap<KeyBinding, Action>,
    by_action: BTreeMap<Action, Vec<KeyBinding>>,
    /// Each action's label, made once: the hint bar names a score of keys every frame.
    labels: BTreeMap<Action, SafeText>,
}

impl Default for Keymap {
    fn default() -> Self {
        Self::with_overrides(&BTreeMap::new()).0
    }
}

impl Keymap {
    /// The defaults with `overrides` (action name → keys) on top. An override replaces that action's keys.
    /// Unknown actions, unparsable keys and keys bound twice are reported and leave the defaults in place.
    pub fn with_overrides(overrides: &BTreeMap<String, Vec<String>>) -> (Self, Vec<KeymapWarning>) {
        let (keymap, issues) = Self::with_overrides_detailed(overrides);
        let warnings = issues
            .into_iter()
            .map(|i| KeymapWarning(format!("[keys] {}: {}", i.entry, i.message)))
            .collect();
        (keymap, warnings)
    }

    /// Like [`Keymap::with_overrides`], with each problem tied to the override entry (and the key in its
    /// list) it comes from, so the config loader can point at the line.
    pub fn with_overrides_detailed(
        overrides: &BTreeMap<String, Vec<String>>,
    ) -> (Self, Vec<KeymapIssue>) {
        let mut issues = Vec::new();
        let mut by_action: BTreeMap<Action, Vec<KeyBinding>> = ACTIONS
            .iter()
            .map(|i| {
                let keys = i
                    .default_keys
                    .iter()
                    .filter_map(|k| k.parse().ok())
                    .collect();
                (i.action, keys)
            })
            .collect();
        for (name, keys) in overrides {
            let action = match name.parse::<Action>() {
                Ok(a) => a,
                Err(_) => {
                    let names: Vec<_> = ACTIONS.iter().map(|i| i.name).collect();
                    issues.push(KeymapIssue {
                        entry: name.clone(),
                        key_index: None,
                        message: format!(
                            "no action is called {name:?}; the binding is ignored (actions: {})",
                            names.join(", ")
                        ),
                    });
                    continue;
                }
            };
            if keys.is_empty() {
                issues.push(KeymapIssue {
                    entry: name.clone(),
                    key_index: None,
                    message:
                        "an empty list of keys; the default keys stay (every action keeps a key)"
                            .into(),
                });
                continue;
            }
            let mut parsed: Vec<KeyBinding> = Vec::new();
            for (index, key) in keys.iter().enumerate() {
                match key.parse::<KeyBinding>() {
                    Ok(k) if k.is_fixed() => issues.push(KeymapIssue {
                        entry: name.clone(),
                        key_index: Some(index),
                        message: format!(
                            "{k} is fixed (Ctrl-C closes the top dialog, then quits; Ctrl-Z \
                             suspends) and cannot be bound"
                        ),
                    }),
                    Ok(k) if !parsed.contains(&k) => parsed.push(k),
                    Ok(_) => {}
                    Err(e) => issues.push(KeymapIssue {
                        entry: name.clone(),
                        key_index: Some(index),
                        message: e,
                    }),
                }
            }
            if !parsed.is_empty() {
                by_action.insert(action, parsed);
            }
        }
        let mut by_key: HashMap<KeyBinding, Action> = HashMap::new();
        let mut conflicts = Vec::new();
        for (action, keys) in &by_action {
            for key in keys {
                if let Some(other) = by_key.get(key).copied() {
                    conflicts.push((*key, other, *action));
                } else {
                    by_key.insert(*key, *action);
                }
            }
        }
        for (key, first, second) in conflicts {
            // The user's binding wins over a default it collides with; two user bindings: the first stays.
            let user_first = overrides.contains_key(first.name());
            let user_second = overrides.contains_key(second.name());
            let keeper = match (user_first, user_second) {
                (false, true) => second,
                _ => first,
            };
            let loser = if keeper == first { second } else { first };
            by_key.insert(key, keeper);
            if let Some(keys) = by_action.get_mut(&loser) {
                keys.retain(|k| *k != key);
            }
            // Point at the user's entry that made the collision (the later one when both are the user's).
            let entry = if user_second { second } else { first };
            let key_index = overrides.get(entry.name()).and_then(|keys| {
                keys.iter()
                    .position(|k| k.parse::<KeyBinding>().is_ok_and(|k| k == key))
            });
            issues.push(KeymapIssue {
                entry: entry.name().to_string(),
                key_index,
                message: format!(
                    "{key} is bound to both {} and {}; it stays on {}",
                    first.name(),
                    second.name(),
                    keeper.name()
                ),
            });
        }
        let labels = ACTIONS
            .iter()
            .map(|info| (info.action, joined_label(by_action.get(&info.action))))
            .collect();
        (
            Self {
                by_key,
                by_action,
                labels,
            },
            issues,
        )
    }

    /// The action for a key press; releases and repeats never count.
    pub fn lookup(&self, event: &KeyEvent) -> Option<Action> {
        if event.kind != KeyEventKind::Press {
            return None;
        }
        self.by_key.get(&KeyBinding::from_event(event)).copied()
    }

    pub fn keys_for(&self, action: Action) -> &[KeyBinding] {
        self.by_action.get(&action).map_or(&[], Vec::as_slice)
    }

    /// The keys as people read them, e.g. `↑/k`.
    /// The keys bound to `action` as the screen shows them (made safe: a binding comes from the config file).
    pub fn label(&self, action: Action) -> SafeText {
        self.label_ref(action).clone()
    }

    /// `label`, borrowed: what a frame draws without copying.
    pub fn label_ref(&self, action: Action) -> &SafeText {
        static UNBOUND: std::sync::OnceLock<SafeText> = std::sync::OnceLock::new();
        self.labels
            .get(&action)
            .unwrap_or_else(|| UNBOUND.get_or_init(|| joined_label(None)))
    }
}

/// The keys of one action joined as the screen shows them, `unbound` when there are none.
fn joined_label(keys: Option<&Vec<KeyBinding>>) -> SafeText {
    let keys = keys.map_or(&[][..], Vec::as_slice);
    if keys.is_empty() {
        return SafeText::literal("unbound");
    }
    let joined = keys
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("/");
    SafeText::new(&joined)
}

/// Where an action applies, as the help screen and the README say it.
pub fn scope_label(scope: Scope) -> &'static str {
    match scope {
        Scope::Navigation => "lists",
        Scope::Table => "token table",
        Scope::Row => "selected row or its menu",
        Scope::Views => "views",
        Scope::Global => "anywhere",
    }
}

/// The live keymap as a Markdown table (Key | Action | Where), in the order of `ACTIONS`. The README's key
/// table is this table for the default keymap (a test compares them).
pub fn keymap_table(keymap: &Keymap) -> String {
    let mut out = String::from("| Key | Action | Where |\n|---|---|---|\n");
    for info in ACTIONS {
        let keys = keymap.keys_for(info.action);
        let keys = if keys.is_empty() {
            "unbound".to_string()
        } else {
            keys.iter()
                .map(|k| markdown_code(&k.to_string()))
                .collect::<Vec<_>>()
                .join(" ")
        };
        let action = if info.dangerous {
            format!("{} (changes the account)", info.description)
        } else {
            info.description.to_string()
        };
        out.push_str(&format!(
            "| {keys} | {action} | {} |\n",
            scope_label(info.scope)
        ));
    }
    out
}

/// Inline code that survives inside a Markdown table cell, whatever the key is.
fn markdown_code(text: &str) -> String {
    let text = text.replace('|', "\\|");
    if text.contains('`') {
        format!("`` {text} ``")
    } else {
        format!("`{text}`")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode, m: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, m)
    }

    #[test]
    fn defaults_resolve() {
        let km = Keymap::default();
        assert_eq!(
            km.lookup(&press(KeyCode::Char('j'), KeyModifiers::NONE)),
            Some(Action::MoveDown)
        );
        assert_eq!(
            km.lookup(&press(KeyCode::Char('G'), KeyModifiers::SHIFT)),
            Some(Action::Bottom)
        );
        assert_eq!(
            km.lookup(&press(KeyCode::Char('r'), KeyModifiers::CONTROL)),
            Some(Action::Refresh)
        );
        assert_eq!(
            km.lookup(&press(KeyCode::Char('R'), KeyModifiers::SHIFT)),
            Some(Action::Reset)
        );
        let mut release = press(KeyCode::Char('j'), KeyModifiers::NONE);
        release.kind = KeyEventKind::Release;
        assert_eq!(km.lookup(&release), None);
    }

    #[test]
    fn keys_parse_and_print() {
        for (text, shown) in [
            ("ctrl-r", "Ctrl-R"),
            ("G", "G"),
            ("shift-g", "G"),
            ("pagedown", "PgDn"),
            ("f5", "F5"),
        ] {
            let k: KeyBinding = text.parse().unwrap();
            assert_eq!(k.to_string(), shown);
        }
        assert_eq!(
            "ctrl--".parse::<KeyBinding>().map(|k| k.to_string()),
            Ok("Ctrl--".into())
        );
        assert!("nonsense".parse::<KeyBinding>().is_err());
        assert!("".parse::<KeyBinding>().is_err());
    }

    #[test]
    fn overrides_warn_on_unknown_actions_and_duplicates() {
        let mut o = BTreeMap::new();
        o.insert("frobnicate".to_string(), vec!["x".to_string()]);
        o.insert("refresh".to_string(), vec!["j".to_string()]);
        let (km, warnings) = Keymap::with_overrides(&o);
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(warnings[0].0.contains("frobnicate"));
        assert!(warnings[1].0.contains("move_down") && warnings[1].0.contains("refresh"));
        assert_eq!(
            km.lookup(&press(KeyCode::Char('j'), KeyModifiers::NONE)),
            Some(Action::Refresh)
        );
        assert_eq!(km.label(Action::MoveDown), "↓");
    }
}
