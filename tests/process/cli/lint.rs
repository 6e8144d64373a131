//! `lint` against `serve`: every format, the SARIF log's shape, `--fail-on` and its exit code, and the
//! config file's `[hygiene]` table.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::harness::{Run, Served, serve};

/// `lint` with a config home of its own (so the machine's config file cannot change the result) and,
/// when given, a config file holding `config`.
fn lint(sim: &Served, args: &[&str], config: Option<&str>) -> Run {
    let home = tempfile::tempdir().unwrap();
    let mut full = vec!["lint"];
    full.extend_from_slice(args);
    let file = home.path().join("lint.toml");
    let file_text = file.display().to_string();
    if let Some(text) = config {
        std::fs::write(&file, text).unwrap();
        full.extend_from_slice(&["--config", &file_text]);
    }
    sim.command(&full)
        .env("MAILTRAP_TOKENS_HOME", home.path())
        .output()
        .unwrap()
        .into()
}

fn parse(run: &Run) -> Value {
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {run:?}"))
}

/// rule id → the token names it fired on, from `lint --output json`.
fn by_rule(findings: &Value) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for f in findings.as_array().expect("an array of findings") {
        out.entry(f["rule"].as_str().unwrap().to_string())
            .or_default()
            .insert(f["token_name"].as_str().unwrap().to_string());
    }
    out
}

#[test]
fn json_lists_every_rule_on_the_demo_account_and_never_fails_by_default() {
    let sim = serve();
    let run = lint(&sim, &["--output", "json"], None);
    assert_eq!(run.code, 0, "{run:?}");
    let findings = parse(&run);
    let rules = by_rule(&findings);
    let ids: BTreeSet<String> = mailtrap_tokens::hygiene::RuleId::all()
        .map(|r| r.to_string())
        .collect();
    assert_eq!(
        rules.keys().cloned().collect::<BTreeSet<_>>(),
        ids,
        "{rules:#?}"
    );
    assert_eq!(
        rules["admin-never-expires"],
        BTreeSet::from(["Legacy integration".to_string()])
    );
    assert_eq!(
        rules["own-admin-never-expires"],
        BTreeSet::from(["Operator console".to_string()])
    );
    for f in findings.as_array().unwrap() {
        for key in ["rule", "severity", "token_name", "text", "hint"] {
            assert!(f[key].as_str().is_some_and(|s| !s.is_empty()), "{key}: {f}");
        }
        assert!(f["token_id"].as_i64().is_some(), "{f}");
        assert!(
            ["info", "warn", "danger"].contains(&f["severity"].as_str().unwrap()),
            "{f}"
        );
    }
    // Worst first.
    let rank = |s: &str| ["danger", "warn", "info"].iter().position(|x| *x == s);
    let ranks: Vec<_> = findings
        .as_array()
        .unwrap()
        .iter()
        .map(|f| rank(f["severity"].as_str().unwrap()))
        .collect();
    assert!(ranks.windows(2).all(|w| w[0] <= w[1]), "{ranks:?}");
}

#[test]
fn the_table_reads_without_colour_and_the_summary_goes_to_stderr() {
    let sim = serve();
    let run = lint(&sim, &[], None);
    assert_eq!(run.code, 0, "{run:?}");
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(
        lines[0].starts_with("SEVERITY  RULE") && lines[0].contains("HINT"),
        "{run:?}"
    );
    assert!(
        lines[1].starts_with("✖ danger  own-admin-never-expires"),
        "{run:?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("⚠ warn    in-reset-grace") && l.contains("Zapier sync")),
        "{run:?}"
    );
    assert!(lines.iter().any(|l| l.starts_with("ℹ info")), "{run:?}");
    assert!(!run.stdout.contains('\x1b'), "no escape sequences");
    assert_eq!(
        run.stderr.trim(),
        "16 findings: 3 danger, 3 warn, 10 info",
        "{run:?}"
    );
}

#[test]
fn sarif_is_one_run_with_the_rules_and_a_result_per_finding() {
    let sim = serve();
    let json = parse(&lint(&sim, &["--output", "json"], None));
    let run = lint(&sim, &["--output", "sarif"], None);
    assert_eq!(run.code, 0, "{run:?}");
    let log = parse(&run);
    assert_eq!(log["version"], "2.1.0");
    assert!(log["$schema"].as_str().unwrap().contains("sarif-2.1.0"));
    let runs = log["runs"].as_array().expect("runs");
    assert_eq!(runs.len(), 1);
    let driver = &runs[0]["tool"]["driver"];
    assert_eq!(driver["name"], "mailtrap-tokens");
    assert!(driver["version"].as_str().is_some());
    let rules = driver["rules"].as_array().expect("tool.driver.rules");
    assert_eq!(rules.len(), mailtrap_tokens::hygiene::RULES.len());
    let mut rule_ids = Vec::new();
    for rule in rules {
        let id = rule["id"].as_str().expect("a rule id");
        assert!(
            rule["shortDescription"]["text"]
                .as_str()
                .is_some_and(|t| !t.is_empty())
        );
        assert!(rule["help"]["text"].as_str().is_some_and(|t| !t.is_empty()));
        assert!(
            ["note", "warning", "error"]
                .contains(&rule["defaultConfiguration"]["level"].as_str().unwrap())
        );
        rule_ids.push(id.to_string());
    }
    let results = runs[0]["results"].as_array().expect("results");
    let findings = json.as_array().unwrap();
    assert_eq!(results.len(), findings.len());
    for (result, finding) in results.iter().zip(findings) {
        let rule_id = result["ruleId"].as_str().unwrap();
        assert_eq!(rule_id, finding["rule"]);
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rule_ids[index], rule_id);
        let level = match finding["severity"].as_str().unwrap() {
            "info" => "note",
            "warn" => "warning",
            "danger" => "error",
            other => panic!("severity {other}"),
        };
        assert_eq!(result["level"], level);
        assert_eq!(rules[index]["defaultConfiguration"]["level"], level);
        let message = result["message"]["text"].as_str().unwrap();
        assert!(
            message.contains(finding["text"].as_str().unwrap()),
            "{message}"
        );
        let location = &result["locations"][0]["logicalLocations"][0];
        assert_eq!(location["name"], finding["token_name"]);
        assert_eq!(
            location["fullyQualifiedName"],
            format!(
                "accounts/{}/api_tokens/{}",
                sim.account,
                finding["token_id"].as_i64().unwrap()
            )
        );
    }
}

#[test]
fn fail_on_exits_10_at_or_above_the_threshold_after_printing() {
    let sim = serve();
    for level in ["warn", "danger"] {
        let run = lint(&sim, &["--output", "json", "--fail-on", level], None);
        assert_eq!(run.code, 10, "{level}: {run:?}");
        assert!(!parse(&run).as_array().unwrap().is_empty(), "{run:?}");
        assert!(
            run.stderr
                .contains(&format!("at {level} or above (--fail-on {level})")),
            "{run:?}"
        );
    }
    // No danger left once the rules that find it are off: danger passes, warn still fails.
    let calm = "[hygiene]\ndisabled = [\"own-admin-never-expires\", \"admin-never-expires\", \
                \"expires-very-soon\"]\n";
    let run = lint(
        &sim,
        &["--output", "json", "--fail-on", "danger"],
        Some(calm),
    );
    assert_eq!(run.code, 0, "{run:?}");
    let run = lint(&sim, &["--output", "json", "--fail-on", "warn"], Some(calm));
    assert_eq!(run.code, 10, "{run:?}");
    // … and with expires-very-soon off, its token is reported as expiring soon (warn).
    let rules = by_rule(&parse(&run));
    assert!(
        rules["expires-soon"].contains("Release smoke check"),
        "{rules:#?}"
    );
}

#[test]
fn the_config_file_sets_thresholds_and_warns_about_unknown_rules() {
    let sim = serve();
    let run = lint(
        &sim,
        &["--output", "json"],
        Some(
            "[hygiene]\nexpires_soon_days = 30\ndisabled = [\"no-such-rule\", \"duplicate-permissions\"]\n",
        ),
    );
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stderr.contains("warning:")
            && run.stderr.contains("hygiene.disabled")
            && run.stderr.contains("\"no-such-rule\" is not a rule id"),
        "{run:?}"
    );
    let rules = by_rule(&parse(&run));
    assert!(!rules.contains_key("duplicate-permissions"), "{rules:#?}");
    for name in ["Load test runner", "Mobile app analytics"] {
        assert!(rules["expires-soon"].contains(name), "{name}: {rules:#?}");
    }
}

#[test]
fn bad_arguments_are_usage_errors() {
    let sim = serve();
    for args in [
        &["--output", "csv"][..],
        &["--fail-on", "info"][..],
        &["--fail-on"][..],
    ] {
        let run = lint(&sim, args, None);
        assert_eq!(run.code, 2, "{args:?}: {run:?}");
        assert!(run.stdout.is_empty(), "{run:?}");
    }
}
