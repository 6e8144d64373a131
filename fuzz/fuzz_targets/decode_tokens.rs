//! Any bytes as an API answer: the decoders and the error-body parser return, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mailtrap_tokens::api::answer::{parse_error_messages, safe_excerpt};
use mailtrap_tokens::api::{Account, ApiToken, CreatedToken, ResourceNode, TokenList};

fuzz_target!(|data: &[u8]| {
    let _ = serde_json::from_slice::<Vec<ApiToken>>(data);
    if let Ok(list) = TokenList::decode(data) {
        for bad in &list.unreadable {
            let _ = bad.to_string();
        }
    }
    let _ = serde_json::from_slice::<ApiToken>(data);
    let _ = serde_json::from_slice::<Vec<Account>>(data);
    if let Ok(created) = serde_json::from_slice::<CreatedToken>(data) {
        // Debug must not show the secret, whatever it is.
        let shown = format!("{created:?}");
        let raw = created.secret.expose_secret();
        assert!(raw.chars().count() <= 4 || !shown.contains(raw));
    }
    if let Ok(tree) = serde_json::from_slice::<Vec<ResourceNode>>(data) {
        let mut n = 0usize;
        ResourceNode::walk(&tree, |_, _| n += 1);
    }
    if let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) {
        for e in parse_error_messages(&value) {
            assert!(!e.message.chars().any(char::is_control));
        }
    }
    let excerpt = safe_excerpt(data, 120);
    assert!(!excerpt.chars().any(char::is_control));
    let text = String::from_utf8_lossy(data);
    let safe = mailtrap_tokens::text::sanitize(&text);
    assert!(!safe.chars().any(char::is_control));
});
