//! How `lint` prints its findings: an aligned table for people, and the SARIF 2.1.0 log that
//! code-scanning tools read. JSON of the findings themselves goes through `output::json` unchanged.

use serde_json::{Value, json};

use crate::api::AccountId;
use crate::cli::output;
use crate::hygiene::{Finding, RULES, RuleConfig, Severity};

/// Token names longer than this are cut in the table (json and SARIF keep them whole).
const NAME_COLUMNS: usize = 40;
/// A finding's text can quote another token's name; past this it is cut in the table.
const TEXT_COLUMNS: usize = 120;

/// `✖ danger`: the symbol and the word, so the severity reads without colour.
pub fn severity_label(severity: Severity) -> String {
    format!("{} {}", severity.symbol(), severity.word())
}

pub fn table(found: &[Finding]) -> String {
    let rows: Vec<Vec<String>> = found
        .iter()
        .map(|f| {
            vec![
                severity_label(f.severity()),
                f.rule.to_string(),
                f.token_id.to_string(),
                f.token_name.fit(NAME_COLUMNS),
                f.text.fit(TEXT_COLUMNS),
                f.hint().to_string(),
            ]
        })
        .collect();
    output::table(
        &["SEVERITY", "RULE", "ID", "TOKEN", "FINDING", "HINT"],
        &rows,
    )
}

/// `12 findings: 3 danger, 4 warn, 5 info`, for stderr.
pub fn summary(found: &[Finding]) -> String {
    let count = |s: Severity| found.iter().filter(|f| f.severity() == s).count();
    let noun = if found.len() == 1 {
        "finding"
    } else {
        "findings"
    };
    let parts: Vec<String> = Severity::ALL
        .iter()
        .map(|s| format!("{} {}", count(*s), s.word()))
        .collect();
    format!("{} {noun}: {}", found.len(), parts.join(", "))
}

/// The SARIF schema this log follows (OASIS SARIF 2.1.0).
const SARIF_SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// A SARIF 2.1.0 log with one run: the rules that ran are the driver's rules, each finding a result
/// whose logical location is the token (`accounts/<account>/api_tokens/<id>`, the API's own path).
pub fn sarif(found: &[Finding], config: &RuleConfig, account: AccountId) -> Value {
    let ran: Vec<_> = RULES.iter().filter(|r| config.runs(r.id)).collect();
    let rules: Vec<Value> = ran
        .iter()
        .map(|r| {
            json!({
                "id": r.id.as_str(),
                "shortDescription": { "text": r.text },
                "help": { "text": r.hint },
                "defaultConfiguration": { "level": r.severity.sarif_level() },
                "properties": { "severity": r.severity.word() },
            })
        })
        .collect();
    let results: Vec<Value> = found
        .iter()
        .map(|f| {
            let mut result = json!({
                "ruleId": f.rule.as_str(),
                "level": f.severity().sarif_level(),
                "message": {
                    "text": format!("“{}” ({}): {}", f.token_name, f.token_id, f.text),
                },
                "locations": [{
                    "logicalLocations": [{
                        "name": f.token_name.as_str(),
                        "fullyQualifiedName": format!("accounts/{account}/api_tokens/{}", f.token_id),
                        "kind": "object",
                    }],
                }],
                // What stays the same between runs, so a tool can tell a new finding from an old one.
                "partialFingerprints": {
                    "ruleAndToken/v1": format!("{}:{account}:{}", f.rule, f.token_id),
                },
                "properties": { "tokenId": f.token_id, "hint": f.hint() },
            });
            if let Some(index) = ran.iter().position(|r| r.id == f.rule) {
                result["ruleIndex"] = json!(index);
            }
            result
        })
        .collect();
    json!({
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "mailtrap-tokens",
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": rules,
                },
            },
            "results": results,
        }],
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hygiene::RuleId;
    use crate::text::SafeText;

    fn finding(rule: RuleId, id: i64, name: &str) -> Finding {
        Finding {
            rule,
            token_id: id,
            token_name: SafeText::new(name),
            text: SafeText::literal("an account admin that never expires").into(),
        }
    }

    #[test]
    fn the_table_spells_the_severity_out_beside_its_symbol() {
        let found = vec![
            finding(RuleId::AdminNeverExpires, 7, "Legacy"),
            finding(RuleId::DuplicatePermissions, 8, "部署トークン 🚀"),
        ];
        let text = table(&found);
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[0].starts_with("SEVERITY"), "{text}");
        assert!(
            lines[1].starts_with("✖ danger  admin-never-expires"),
            "{text}"
        );
        assert!(lines[2].starts_with("ℹ info"), "{text}");
        assert_eq!(summary(&found), "2 findings: 1 danger, 0 warn, 1 info");
    }

    #[test]
    fn sarif_names_only_the_rules_that_ran_and_indexes_them() {
        let mut config = RuleConfig::default();
        config.disabled.insert(RuleId::OwnAdminNeverExpires);
        let log = sarif(
            &[finding(RuleId::AdminNeverExpires, 7, "Legacy")],
            &config,
            42,
        );
        let run = &log["runs"][0];
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        assert_eq!(rules.len(), RULES.len() - 1);
        let result = &run["results"][0];
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], "admin-never-expires");
        assert_eq!(result["level"], "error");
        assert_eq!(
            result["locations"][0]["logicalLocations"][0]["fullyQualifiedName"],
            "accounts/42/api_tokens/7"
        );
    }
}
