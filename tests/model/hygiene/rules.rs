//! Each rule on the demo seed: the token it was put there for, and no other.

use chrono::TimeDelta;
use mailtrap_tokens::hygiene::{RULES, RuleConfig, RuleId, Severity};

use super::{Seeded, fired_on, names};

/// What every rule is expected to find in the seed, by token name.
fn expected(rule: RuleId) -> Vec<&'static str> {
    match rule {
        RuleId::OwnAdminNeverExpires => vec!["Operator console"],
        RuleId::AdminNeverExpires => vec!["Legacy integration"],
        RuleId::ExpiresVerySoon => vec!["Release smoke check"],
        RuleId::ExpiresSoon => vec!["Load test runner"],
        RuleId::InResetGrace => vec!["Zapier sync"],
        RuleId::NoPermissions => vec!["Retired importer"],
        RuleId::ExpiredAwaitingPurge => vec!["Old webhook relay"],
        RuleId::AdminScopeNarrower => vec!["Storefront order emails"],
        RuleId::DuplicatePermissions => vec![
            // Account admin.
            "Operator console",
            "Legacy integration",
            "Storefront order emails",
            // Account viewer.
            "Billing reports (read only)",
            "Quarterly export job for the finance team's reconciliation spreadsheet, owned by the data \
             platform group (do not delete)",
            // Domain admin on acme.example.
            "acme.example token 2490311",
            "東京チーム 📨 送信トークン",
        ],
        RuleId::CreatorTokenGone => vec!["Backup restore reader"],
    }
}

#[tokio::test]
async fn every_rule_fires_on_its_tokens_and_no_other() {
    let seed = Seeded::load().await;
    let found = seed.findings(&RuleConfig::default());
    for rule in RuleId::all() {
        assert_eq!(
            fired_on(&found, rule),
            names(&expected(rule)),
            "{rule}: {:#?}",
            found.iter().filter(|f| f.rule == rule).collect::<Vec<_>>()
        );
    }
    // Each token once per rule.
    let mut pairs: Vec<_> = found.iter().map(|f| (f.rule, f.token_id)).collect();
    let before = pairs.len();
    pairs.sort();
    pairs.dedup();
    assert_eq!(pairs.len(), before, "a rule reported a token twice");
}

#[tokio::test]
async fn findings_come_worst_first_with_the_registry_severity() {
    let seed = Seeded::load().await;
    let found = seed.findings(&RuleConfig::default());
    assert!(!found.is_empty());
    for pair in found.windows(2) {
        assert!(pair[0].severity() >= pair[1].severity(), "{pair:#?}");
    }
    for f in &found {
        assert_eq!(f.severity(), RULES[f.rule.index()].severity);
        assert_eq!(f.hint(), RULES[f.rule.index()].hint);
    }
    // The registry itself is in that order, so sorting by it sorts by severity.
    for pair in RULES.windows(2) {
        assert!(pair[0].severity >= pair[1].severity, "{pair:?}");
    }
    let count = |s: Severity| found.iter().filter(|f| f.severity() == s).count();
    assert_eq!(
        (
            count(Severity::Danger),
            count(Severity::Warn),
            count(Severity::Info)
        ),
        (3, 3, 10)
    );
}

#[tokio::test]
async fn the_texts_carry_the_particulars() {
    let seed = Seeded::load().await;
    let found = seed.findings(&RuleConfig::default());
    let text = |rule: RuleId| {
        found
            .iter()
            .find(|f| f.rule == rule)
            .map(|f| f.text.to_string())
            .unwrap_or_else(|| panic!("{rule} found nothing"))
    };
    assert_eq!(
        text(RuleId::OwnAdminNeverExpires),
        format!(
            "the token this program runs on (…{}) is an account admin that never expires",
            seed.own_last4
        )
    );
    assert!(text(RuleId::ExpiresVerySoon).starts_with("expires in 5 hours ("));
    assert!(text(RuleId::ExpiresSoon).starts_with("expires in 1 day 6 hours ("));
    let grace = text(RuleId::InResetGrace);
    assert!(
        grace.starts_with("was reset and stops working in 7 hours 30 minutes (")
            && grace.ends_with("; replaced by “Zapier sync 2491310”"),
        "{grace}"
    );
    assert_eq!(
        text(RuleId::ExpiredAwaitingPurge),
        "expired 3 hours ago; Mailtrap purges it 24 h after expiry, in about 21 hours"
    );
    assert_eq!(
        text(RuleId::AdminScopeNarrower),
        "an account admin, but its name names only the project “Storefront”"
    );
    assert_eq!(
        text(RuleId::CreatorTokenGone),
        "created by “Nightly backup 2490950”, a token that is no longer in the list"
    );
    let dup = |name: &str| {
        found
            .iter()
            .find(|f| f.rule == RuleId::DuplicatePermissions && f.token_name == name)
            .map(|f| f.text.to_string())
            .unwrap_or_default()
    };
    assert_eq!(
        dup("東京チーム 📨 送信トークン"),
        "has exactly the permissions of “acme.example token 2490311”"
    );
    assert_eq!(
        dup("Legacy integration"),
        "has exactly the permissions of “Operator console” and 1 other token"
    );
}

#[tokio::test]
async fn time_moves_tokens_from_rule_to_rule() {
    let mut seed = Seeded::load().await;
    let config = RuleConfig::default();
    // Past the reset grace: the old Zapier token has expired, and its successor has no twin any more.
    seed.now += TimeDelta::hours(8);
    let found = seed.findings(&config);
    assert!(fired_on(&found, RuleId::InResetGrace).is_empty());
    assert_eq!(
        fired_on(&found, RuleId::ExpiredAwaitingPurge),
        names(&["Old webhook relay", "Zapier sync", "Release smoke check"])
    );
    // The load test runner is now within a day.
    assert_eq!(
        fired_on(&found, RuleId::ExpiresVerySoon),
        names(&["Load test runner"])
    );
    // A day on, the relay is past Mailtrap's 24 hours and still listed: the text says the purge is late.
    seed.now += TimeDelta::hours(16);
    let late = seed
        .findings(&config)
        .into_iter()
        .find(|f| f.rule == RuleId::ExpiredAwaitingPurge && f.token_name == "Old webhook relay")
        .map(|f| f.text.to_string())
        .unwrap_or_default();
    assert_eq!(
        late,
        "expired 1 day 3 hours ago; Mailtrap's cleanup, due 24 h after expiry, has not removed it yet"
    );
}

#[tokio::test]
async fn without_its_own_last_four_the_console_token_is_an_admin_like_any_other() {
    let seed = Seeded::load().await;
    let mut inventory = seed.inventory();
    inventory.own_last4 = None;
    let found = mailtrap_tokens::hygiene::findings(&inventory, seed.now, &RuleConfig::default());
    assert!(fired_on(&found, RuleId::OwnAdminNeverExpires).is_empty());
    assert_eq!(
        fired_on(&found, RuleId::AdminNeverExpires),
        names(&["Legacy integration", "Operator console"])
    );
}

#[test]
fn an_empty_inventory_has_no_findings() {
    let found = mailtrap_tokens::hygiene::findings(
        &mailtrap_tokens::hygiene::Inventory::<mailtrap_tokens::api::ApiToken>::default(),
        chrono::Utc::now(),
        &RuleConfig::default(),
    );
    assert!(found.is_empty());
}
