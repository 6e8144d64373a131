//! Hostile names reach findings only as safe text.

use mailtrap_tokens::api::{AccessLevel, ApiToken, Resource, ResourceType};
use mailtrap_tokens::hygiene::{Inventory, RuleConfig, RuleId, findings};

use crate::hostile::hostile_strings;

fn admin(id: i64, name: &str, created_by: &str) -> ApiToken {
    ApiToken {
        id,
        name: name.into(),
        last_4_digits: "abcd".into(),
        created_by: created_by.into(),
        expires_at: None,
        resources: vec![Resource {
            resource_type: ResourceType::new("account"),
            resource_id: 1,
            access_level: AccessLevel::ADMIN,
        }]
        .into(),
        opaque_resources: Vec::new().into(),
    }
}

#[test]
fn every_text_of_every_finding_is_safe() {
    let tokens: Vec<ApiToken> = hostile_strings()
        .into_iter()
        .enumerate()
        .map(|(i, (_, s))| admin(i as i64 + 1, &s, &format!("{s} 123")))
        .collect();
    let inventory = Inventory {
        tokens: &tokens,
        tree: &[],
        own_last4: Some("ab\x1b[2Jcd"),
    };
    let found = findings(&inventory, chrono::Utc::now(), &RuleConfig::default());
    for rule in [
        RuleId::AdminNeverExpires,
        RuleId::DuplicatePermissions,
        RuleId::CreatorTokenGone,
    ] {
        assert!(found.iter().any(|f| f.rule == rule), "{rule}");
    }
    for f in &found {
        for text in [f.token_name.as_str(), f.text.as_str()] {
            assert_eq!(mailtrap_tokens::text::sanitize(text), text, "{f:?}");
        }
    }
}
