//! The README shows generated things (the key table, the default config file, a screenshot); these tests
//! keep each one identical to what the code produces, so the README cannot drift.

use mailtrap_tokens::app::keymap::{Keymap, keymap_table};

fn readme() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md is readable")
}

/// The text between `<!-- NAME:start -->\n` and `<!-- NAME:end -->`.
fn section(readme: &str, name: &str) -> String {
    let start = format!("<!-- {name}:start -->\n");
    let end = format!("<!-- {name}:end -->");
    let from = readme
        .find(&start)
        .unwrap_or_else(|| panic!("README.md has {start:?}"))
        + start.len();
    let to = readme[from..]
        .find(&end)
        .unwrap_or_else(|| panic!("README.md has {end:?}"))
        + from;
    readme[from..to].to_string()
}

#[test]
fn the_readme_shows_the_default_keymap() {
    assert_eq!(
        section(&readme(), "keys"),
        keymap_table(&Keymap::default()),
        "README.md's key table is out of date: paste keymap_table's output between the markers"
    );
}

#[test]
fn the_readme_shows_the_default_config_file() {
    let shipped = include_str!("../../assets/config.default.toml");
    assert_eq!(
        section(&readme(), "config"),
        format!("```toml\n{shipped}```\n"),
        "README.md's config file is out of date: paste assets/config.default.toml between the markers"
    );
}
