//! The `[tokens]` table: which columns the token table shows, in which order, read leniently.

use super::{parse, shown};
use mailtrap_tokens::config::DEFAULT_TOKEN_COLUMNS;

#[test]
fn the_columns_are_read_in_their_order() {
    let (config, warnings) =
        parse("[tokens]\ncolumns = [\"name\", \"findings\", \"ID\", \"expires\"]\n");
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(config.tokens.columns, ["name", "findings", "id", "expires"]);
    let (config, _) = parse("");
    assert_eq!(config.tokens.columns, DEFAULT_TOKEN_COLUMNS);
}

#[test]
fn an_unknown_or_repeated_column_is_left_out_with_a_warning_and_the_name_always_shows() {
    let (config, warnings) = parse("[tokens]\ncolumns = [\"access\", \"owner\", \"access\", 3]\n");
    let text = shown(&warnings);
    assert_eq!(warnings.len(), 4, "{text}");
    assert!(text.contains("config.toml:2:"), "{text}");
    assert!(
        text.contains("unknown column \"owner\"") && text.contains("name, creator, access"),
        "{text}"
    );
    assert!(text.contains("\"access\" is listed twice"), "{text}");
    assert!(text.contains("the name column is always shown"), "{text}");
    assert_eq!(config.tokens.columns, ["name", "access"]);
    let (config, warnings) = parse("[tokens]\ncolumns = \"name\"\nwidth = 3\n");
    let text = shown(&warnings);
    assert!(
        text.contains("tokens.columns") && text.contains("a list of column names"),
        "{text}"
    );
    assert!(
        text.contains("tokens.width") && text.contains("unknown key"),
        "{text}"
    );
    assert_eq!(config.tokens.columns, DEFAULT_TOKEN_COLUMNS);
}
