//! The `[hygiene]` settings on the demo seed: switched-off rules find nothing, thresholds move tokens.

use mailtrap_tokens::config::Config;
use mailtrap_tokens::hygiene::{RuleConfig, RuleId};

use super::{Seeded, fired_on, names};

#[tokio::test]
async fn a_disabled_rule_finds_nothing_and_the_others_are_unchanged() {
    let seed = Seeded::load().await;
    let all = seed.findings(&RuleConfig::default());
    for rule in RuleId::all() {
        let mut config = RuleConfig::default();
        config.disabled.insert(rule);
        let found = seed.findings(&config);
        assert!(fired_on(&found, rule).is_empty(), "{rule} still fired");
        // Two rules hand their tokens to a milder one when switched off.
        let (heir, heirs_tokens) = match rule {
            RuleId::OwnAdminNeverExpires => (
                RuleId::AdminNeverExpires,
                names(&["Legacy integration", "Operator console"]),
            ),
            RuleId::ExpiresVerySoon => (
                RuleId::ExpiresSoon,
                names(&["Load test runner", "Release smoke check"]),
            ),
            _ => (rule, Default::default()),
        };
        let unchanged = |f: &&mailtrap_tokens::hygiene::Finding| f.rule != rule && f.rule != heir;
        let expected: Vec<_> = all.iter().filter(unchanged).cloned().collect();
        let others: Vec<_> = found.iter().filter(unchanged).cloned().collect();
        assert_eq!(others, expected, "disabling {rule} changed other rules");
        if heir != rule {
            assert_eq!(fired_on(&found, heir), heirs_tokens, "{rule} → {heir}");
        }
    }
}

#[tokio::test]
async fn thresholds_from_the_config_file_move_tokens_between_rules() {
    let seed = Seeded::load().await;
    let (config, warnings) = Config::parse(
        "[hygiene]\nexpires_soon_days = 30\nexpires_very_soon_days = 2\n",
        None,
    );
    assert!(warnings.is_empty(), "{warnings:?}");
    let found = seed.findings(&config.hygiene);
    assert_eq!(
        fired_on(&found, RuleId::ExpiresVerySoon),
        names(&["Release smoke check", "Load test runner"])
    );
    // 25 and exactly 30 days away.
    assert_eq!(
        fired_on(&found, RuleId::ExpiresSoon),
        names(&["Mobile app analytics", "Staging sandbox reader"])
    );
    // With very soon switched off, what it would have said is said as soon.
    let (config, _) = Config::parse("[hygiene]\ndisabled = [\"expires-very-soon\"]\n", None);
    let found = seed.findings(&config.hygiene);
    assert_eq!(
        fired_on(&found, RuleId::ExpiresSoon),
        names(&["Release smoke check", "Load test runner"])
    );
}
