use mailtrap_tokens::keys::action::Action;
use mailtrap_tokens::keys::keymap::{Keymap, keymap_table};
use std::collections::BTreeMap;

#[test]
fn the_default_keymap_table() {
    insta::assert_snapshot!(keymap_table(&Keymap::default()));
}

#[test]
fn the_table_follows_overrides() {
    let mut overrides = BTreeMap::new();
    overrides.insert("refresh".to_string(), vec!["f5".to_string()]);
    overrides.insert("filter".to_string(), vec!["|".to_string()]);
    let (keymap, warnings) = Keymap::with_overrides(&overrides);
    assert!(warnings.is_empty());
    let table = keymap_table(&keymap);
    assert!(table.contains("| `F5` | Refresh now |"), "{table}");
    // A pipe key must not break the Markdown row.
    assert!(
        table.contains("| `\\|` | Filter the rows as you type |"),
        "{table}"
    );
    assert_eq!(keymap.label(Action::Refresh), "F5");
}
