//! Every key a binding can be written as, read back from the label the console shows for it, and pressed
//! the way a terminal reports it (crossterm's decoding of legacy terminal input) through the real `update`.

use super::common::*;
use crate::console_driver::*;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use mailtrap_tokens::app::msg::Msg;
use mailtrap_tokens::app::state::{Overlay, State, StateConfig};
use mailtrap_tokens::keys::keymap::{KeyBinding, Keymap};
use std::collections::BTreeMap;

/// Every spelling the `[keys]` parser accepts, with each modifier prefix.
fn every_key_text() -> Vec<String> {
    let mut bases: Vec<String> = [
        "enter",
        "esc",
        "tab",
        "backtab",
        "backspace",
        "delete",
        "insert",
        "up",
        "down",
        "left",
        "right",
        "home",
        "end",
        "pageup",
        "pagedown",
        "space",
        "minus",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    bases.extend((1..=24).map(|n| format!("f{n}")));
    bases.extend((b'!'..=b'~').map(|b| (b as char).to_string()));
    bases.extend(["é", "É", "ß", "東", "→"].iter().map(|s| s.to_string()));
    let mut out = Vec::new();
    for prefix in [
        "",
        "ctrl-",
        "alt-",
        "shift-",
        "ctrl-alt-",
        "ctrl-shift-",
        "alt-shift-",
        "CTRL-",
    ] {
        for base in &bases {
            out.push(format!("{prefix}{base}"));
            out.push(format!("{prefix}{}", base.to_uppercase()));
        }
    }
    out
}

/// The event a terminal sends for this key: Ctrl with a letter arrives as the lower-case letter, a capital
/// letter as the letter with Shift, Shift-Tab as BackTab with Shift.
fn as_a_terminal_sends(key: KeyBinding) -> KeyEvent {
    let mods = key.modifiers;
    match key.code {
        KeyCode::Char(c) if mods.contains(KeyModifiers::CONTROL) => {
            KeyEvent::new(KeyCode::Char(c.to_ascii_lowercase()), mods)
        }
        KeyCode::Char(c) if c.is_uppercase() => {
            KeyEvent::new(KeyCode::Char(c), mods | KeyModifiers::SHIFT)
        }
        KeyCode::BackTab => KeyEvent::new(KeyCode::BackTab, mods | KeyModifiers::SHIFT),
        code => KeyEvent::new(code, mods),
    }
}

fn console_with(keymap: Keymap) -> State {
    loaded_with(StateConfig { keymap, ..config() }, demo_tokens())
}

#[test]
fn every_label_parses_back_to_its_key_and_fires_as_a_terminal_sends_it() {
    let mut keys: Vec<KeyBinding> = every_key_text()
        .iter()
        .filter_map(|text| text.parse().ok())
        .collect();
    keys.sort_by_key(|k| format!("{k:?}"));
    keys.dedup();
    assert!(keys.len() > 500, "only {} keys parsed", keys.len());
    for key in keys {
        let label = key.to_string();
        assert_eq!(label.parse::<KeyBinding>(), Ok(key), "label {label:?}");
        let overrides = BTreeMap::from([("help".to_string(), vec![label.clone()])]);
        let (keymap, warnings) = Keymap::with_overrides(&overrides);
        if key.is_fixed() {
            // Ctrl-C and Ctrl-Z are handled before the keymap is asked: refused, never shown.
            assert!(warnings[0].0.contains("is fixed"), "{warnings:?}");
            assert_ne!(
                keymap.label(mailtrap_tokens::keys::action::Action::Help),
                label
            );
            continue;
        }
        assert_eq!(
            keymap.label(mailtrap_tokens::keys::action::Action::Help),
            label
        );
        let mut state = console_with(keymap);
        send(&mut state, Msg::Key(as_a_terminal_sends(key)));
        assert!(
            matches!(state.overlays.open, Some(Overlay::Help { .. })),
            "{label:?} bound to help did not open it"
        );
    }
}

#[test]
fn ctrl_with_a_capital_and_shift_tab_fire() {
    for (written, event) in [
        (
            "ctrl-Q",
            KeyEvent::new(KeyCode::Char('q'), KeyModifiers::CONTROL),
        ),
        (
            "shift-tab",
            KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT),
        ),
        (
            "Shift-Tab",
            KeyEvent::new(KeyCode::BackTab, KeyModifiers::NONE),
        ),
    ] {
        // Shift-Tab is the previous view's key by default: it moves to F9 to free it.
        let overrides = BTreeMap::from([
            ("help".to_string(), vec![written.to_string()]),
            ("previous_view".to_string(), vec!["f9".to_string()]),
        ]);
        let (keymap, warnings) = Keymap::with_overrides(&overrides);
        assert!(warnings.is_empty(), "{warnings:?}");
        let mut state = console_with(keymap);
        send(&mut state, Msg::Key(event));
        assert!(
            matches!(state.overlays.open, Some(Overlay::Help { .. })),
            "{written} did not fire"
        );
    }
}
