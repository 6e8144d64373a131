//! The `[hygiene]` table: which rules run and the expiry thresholds, read leniently like the rest.

use super::{parse, shown};
use mailtrap_tokens::hygiene::{RuleConfig, RuleId};

#[test]
fn thresholds_and_disabled_rules_are_read() {
    let (config, warnings) = parse(
        "[hygiene]\ndisabled = [\"duplicate-permissions\", \"creator-token-gone\"]\n\
         expires_soon_days = 14\nexpires_very_soon_days = 2\n",
    );
    assert!(warnings.is_empty(), "{warnings:?}");
    let rules = &config.hygiene;
    assert_eq!(rules.expires_soon_days, 14);
    assert_eq!(rules.expires_very_soon_days, 2);
    assert!(!rules.runs(RuleId::DuplicatePermissions));
    assert!(!rules.runs(RuleId::CreatorTokenGone));
    assert!(rules.runs(RuleId::AdminNeverExpires));
    // One id alone, as a string, is a list of one.
    let (config, warnings) = parse("[hygiene]\ndisabled = \"expires-soon\"\n");
    assert!(warnings.is_empty(), "{warnings:?}");
    assert!(!config.hygiene.runs(RuleId::ExpiresSoon));
}

#[test]
fn an_unknown_rule_id_is_a_warning_and_the_others_still_count() {
    let (config, warnings) = parse(
        "[hygiene]\ndisabled = [\"admin-never-expire\", \"no-permissions\", 7]\nexpires_soon_days = 10\n",
    );
    let text = shown(&warnings);
    assert_eq!(warnings.len(), 2, "{text}");
    assert!(
        text.contains("config.toml:2:")
            && text.contains("hygiene.disabled")
            && text.contains("\"admin-never-expire\" is not a rule id")
            && text.contains("admin-never-expires"),
        "{text}"
    );
    assert!(text.contains("found an integer"), "{text}");
    assert!(!config.hygiene.runs(RuleId::NoPermissions));
    assert!(config.hygiene.runs(RuleId::AdminNeverExpires));
    assert_eq!(config.hygiene.expires_soon_days, 10);
}

#[test]
fn bad_thresholds_keep_their_defaults() {
    let (config, warnings) =
        parse("[hygiene]\nexpires_soon_days = 0\nexpires_very_soon_days = \"1d\"\ncolour = true\n");
    let text = shown(&warnings);
    assert_eq!(config.hygiene, RuleConfig::default(), "{text}");
    assert_eq!(warnings.len(), 3, "{text}");
    assert!(
        text.contains("hygiene.expires_soon_days") && text.contains("0 is not between 1 and 3650"),
        "{text}"
    );
    assert!(
        text.contains("hygiene.expires_very_soon_days")
            && text.contains("expected a number of days"),
        "{text}"
    );
    assert!(
        text.contains("hygiene.colour") && text.contains("unknown key"),
        "{text}"
    );
    let (config, warnings) = parse("[hygiene]\nexpires_soon_days = 99999\n");
    assert_eq!(config.hygiene.expires_soon_days, 7);
    assert_eq!(warnings.len(), 1);
    let (_, warnings) = parse("hygiene = 3\n");
    assert!(
        shown(&warnings).contains("a [hygiene] section"),
        "{warnings:?}"
    );
}

#[test]
fn a_very_soon_beyond_soon_is_kept_with_a_warning() {
    let (config, warnings) =
        parse("[hygiene]\nexpires_soon_days = 3\nexpires_very_soon_days = 5\n");
    assert_eq!(config.hygiene.expires_soon_days, 3);
    assert_eq!(config.hygiene.expires_very_soon_days, 5);
    let text = shown(&warnings);
    assert!(text.contains("only very soon"), "{text}");
}
