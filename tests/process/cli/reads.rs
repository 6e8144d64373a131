//! `accounts`, `list` and `get` in every format, against the seeded simulator.

use super::harness::{filters, serve};
use serde_json::json;

fn snapshot(name: &str, text: &str) {
    insta::with_settings!({ filters => filters(), prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!(name, text);
    });
}

#[test]
fn accounts_in_every_format() {
    let sim = serve();
    for format in ["table", "json", "csv"] {
        let run = sim.run(&["accounts", "--output", format]);
        assert_eq!(run.code, 0, "{run:?}");
        assert!(run.stderr.is_empty(), "{run:?}");
        snapshot(&format!("accounts_{format}"), &run.stdout);
    }
}

#[test]
fn list_in_every_format() {
    let sim = serve();
    for format in ["table", "json", "csv"] {
        let run = sim.run(&["list", "--output", format]);
        assert_eq!(run.code, 0, "{run:?}");
        snapshot(&format!("list_{format}"), &run.stdout);
    }
    // json keeps the API's field names and parses back.
    let run = sim.run(&["list", "-o", "json"]);
    let tokens: Vec<serde_json::Value> = serde_json::from_str(&run.stdout).unwrap();
    assert!(tokens.len() > 3);
    for key in [
        "id",
        "name",
        "last_4_digits",
        "created_by",
        "expires_at",
        "resources",
    ] {
        assert!(tokens[0].get(key).is_some(), "{key}");
    }
    assert!(tokens.iter().all(|t| t.get("token").is_none()));
}

#[test]
fn get_in_every_format() {
    let sim = serve();
    let list = sim.run(&["list", "-o", "json"]);
    let tokens: Vec<serde_json::Value> = serde_json::from_str(&list.stdout).unwrap();
    let id = tokens[0]["id"].as_i64().unwrap().to_string();
    for format in ["table", "json", "csv"] {
        let run = sim.run(&["get", &id, "--output", format]);
        assert_eq!(run.code, 0, "{run:?}");
        snapshot(&format!("get_{format}"), &run.stdout);
    }
}

#[test]
fn the_account_is_the_only_one_without_an_id() {
    let sim = serve();
    let run = sim
        .command(&["list", "-o", "json"])
        .env_remove("MAILTRAP_ACCOUNT_ID")
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(0));
}

#[test]
fn an_account_the_token_cannot_see_is_a_usage_error() {
    let sim = serve();
    let run = sim.run(&["list", "--account-id", "1"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("account 1"), "{run:?}");
    assert!(run.stdout.is_empty());
}

#[test]
fn a_bad_token_exits_3_without_echoing_it() {
    let sim = serve();
    let run: super::harness::Run = sim
        .command(&["list"])
        .env("MAILTRAP_API_TOKEN", "bogus-token-value")
        .output()
        .unwrap()
        .into();
    assert_eq!(run.code, 3, "{run:?}");
    assert!(run.stdout.is_empty());
    assert!(run.stderr.starts_with("error: "), "{run:?}");
    assert_eq!(run.stderr.trim_end().lines().count(), 1, "{run:?}");
    assert!(!run.stderr.contains("bogus-token-value"));
    assert!(!run.stderr.contains(&sim.token));
}

#[test]
fn an_unknown_token_exits_4() {
    let sim = serve();
    let run = sim.run(&["get", "987654321"]);
    assert_eq!(run.code, 4, "{run:?}");
    assert!(run.stderr.contains("token 987654321"), "{run:?}");
    assert!(run.stdout.is_empty());
}

#[test]
fn csv_cells_that_would_be_formulas_start_with_a_quote() {
    let sim = serve();
    sim.create_token(r#"=HYPERLINK("http://evil.example","x")"#);
    sim.create_token("@SUM(1+1)");
    let run = sim.run(&["list", "--output", "csv"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stdout
            .contains(r#","'=HYPERLINK(""http://evil.example"",""x"")","#),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains(",'@SUM(1+1),"), "{}", run.stdout);
    for line in run.stdout.lines() {
        for cell in line.split(',') {
            let cell = cell.trim_start_matches('"');
            assert!(!cell.starts_with(['=', '+', '-', '@']), "{line}");
        }
    }
}

#[test]
fn unreadable_tokens_go_to_stderr_and_the_rest_to_stdout_with_exit_8() {
    let sim = serve();
    let good = json!({"id": 1, "name": "fine", "last_4_digits": "ab12", "created_by": "me",
                      "expires_at": null, "resources": [
                          {"resource_type": "account", "resource_id": 1, "access_level": "superuser"}]});
    let body = json!([
        good,
        {"id": 2, "name": "broken date", "expires_at": "tomorrow"},
        {"id": "seven", "name": "bad id"},
    ]);
    for format in ["table", "json", "csv"] {
        sim.inject_fault(
            json!({"method": "GET", "path": "/api_tokens", "replace_body": body.to_string()}),
        );
        let run = sim.run(&["list", "--output", format]);
        assert_eq!(run.code, 8, "{format}: {run:?}");
        assert!(run.stdout.contains("fine"), "{format}: {run:?}");
        assert!(run.stdout.contains("superuser"), "{format}: {run:?}");
        assert!(!run.stdout.contains("broken date"), "{format}: {run:?}");
        assert!(
            run.stderr.contains("2 of 3 tokens could not be read"),
            "{format}: {run:?}"
        );
        assert!(
            run.stderr
                .contains("(id 2) \"broken date\" could not be read: expires_at"),
            "{format}: {run:?}"
        );
        assert!(run.stderr.contains("\"bad id\""), "{format}: {run:?}");
        if format == "json" {
            // Written a token at a time, the list is still one whole JSON array of the readable tokens.
            let listed: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
            assert_eq!(listed.as_array().map(Vec::len), Some(1), "{run:?}");
        }
    }
}
