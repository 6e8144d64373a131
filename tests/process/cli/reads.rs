//! `accounts`, `list` and `get` in every format, against the seeded simulator.

use super::harness::{Served, filters, serve};
use serde_json::{Value, json};

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

/// Fields production may add one day, as the simulator's `extra_fields` fault adds them to every token: a
/// plain one, and a nested object whose strings would drive a terminal if printed raw.
fn unknown_fields() -> Value {
    json!({
        "last_used_at": "2026-11-30T08:15:00Z",
        "future": {
            "nested": [1, "x\u{1b}[31m", {"deeper": [true, null, 2.5, -7]}],
            "note": "bidi \u{202e} and C1 \u{9b}31m",
        },
    })
}

/// Every key of a JSON text in document order, with `{`, `}`, `[` and `]` marking where each nested
/// object and array begins and ends: two texts with equal lists hold their fields in the same order.
fn keys_in_order(text: &str) -> Vec<String> {
    struct Keys(Vec<String>);
    impl<'de> serde::Deserialize<'de> for Keys {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            d.deserialize_any(KeysVisitor)
        }
    }
    struct KeysVisitor;
    impl<'de> serde::de::Visitor<'de> for KeysVisitor {
        type Value = Keys;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("JSON")
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Keys, A::Error> {
            let mut out = vec!["{".to_string()];
            while let Some(key) = map.next_key::<String>()? {
                out.push(key);
                out.extend(map.next_value::<Keys>()?.0);
            }
            out.push("}".into());
            Ok(Keys(out))
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Keys, A::Error> {
            let mut out = vec!["[".to_string()];
            while let Some(inner) = seq.next_element::<Keys>()? {
                out.extend(inner.0);
            }
            out.push("]".into());
            Ok(Keys(out))
        }
        fn visit_bool<E>(self, _: bool) -> Result<Keys, E> {
            Ok(Keys(Vec::new()))
        }
        fn visit_i64<E>(self, _: i64) -> Result<Keys, E> {
            Ok(Keys(Vec::new()))
        }
        fn visit_u64<E>(self, _: u64) -> Result<Keys, E> {
            Ok(Keys(Vec::new()))
        }
        fn visit_f64<E>(self, _: f64) -> Result<Keys, E> {
            Ok(Keys(Vec::new()))
        }
        fn visit_str<E>(self, _: &str) -> Result<Keys, E> {
            Ok(Keys(Vec::new()))
        }
        fn visit_unit<E>(self) -> Result<Keys, E> {
            Ok(Keys(Vec::new()))
        }
    }
    serde_json::from_str::<Keys>(text).expect("JSON").0
}

/// The printed JSON holds what the server sent: the same values, the same fields in the same order.
fn assert_as_sent(printed: &str, sent: &str) {
    let printed_value: Value = serde_json::from_str(printed).expect("the output is JSON");
    let sent_value: Value = serde_json::from_str(sent).expect("the simulator sent JSON");
    assert_eq!(printed_value, sent_value);
    assert_eq!(keys_in_order(printed), keys_in_order(sent));
}

/// No raw escape, C1 control or bidi override reached stdout; the escape is there, written as `\u001b`.
fn assert_terminal_safe(run: &super::harness::Run) {
    for c in ['\u{1b}', '\u{9b}', '\u{202e}'] {
        assert!(!run.stdout.contains(c), "{c:?} in {run:?}");
    }
    assert!(run.stdout.contains(r#""x\u001b[31m""#), "{run:?}");
    assert!(
        run.stdout.contains(r#""bidi \u202e and C1 \u009b31m""#),
        "{run:?}"
    );
}

fn list_path(sim: &Served) -> String {
    format!("/api/accounts/{}/api_tokens", sim.account)
}

#[test]
fn list_json_passes_on_every_field_the_server_sent_in_its_order() {
    let sim = serve();
    let extra = unknown_fields();
    // Two answers: one for this test to read as sent, one for the binary.
    sim.inject_fault(
        json!({"method": "GET", "path": "/api_tokens", "count": 2, "extra_fields": extra}),
    );
    let (status, sent) = sim.get_text(&list_path(&sim));
    assert_eq!(status, 200);
    let run = sim.run(&["list", "--output", "json"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stderr.is_empty(), "{run:?}");
    assert_as_sent(&run.stdout, &sent);
    let listed: Vec<Value> = serde_json::from_str(&run.stdout).unwrap();
    assert!(listed.len() > 3);
    for token in &listed {
        assert_eq!(token["future"], extra["future"], "{token}");
        assert_eq!(token["last_used_at"], extra["last_used_at"], "{token}");
        assert!(
            token["id"].is_i64() && token.get("token").is_none(),
            "{token}"
        );
    }
    assert_terminal_safe(&run);
}

#[test]
fn get_json_passes_on_every_field_the_server_sent_in_its_order() {
    let sim = serve();
    let extra = unknown_fields();
    let list = sim.run(&["list", "-o", "json"]);
    let tokens: Vec<Value> = serde_json::from_str(&list.stdout).unwrap();
    let id = tokens[0]["id"].as_i64().unwrap().to_string();
    let path = format!("{}/{id}", list_path(&sim));
    sim.inject_fault(json!({"method": "GET", "path": path, "count": 2, "extra_fields": extra}));
    let (status, sent) = sim.get_text(&path);
    assert_eq!(status, 200);
    let run = sim.run(&["get", &id, "--output", "json"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_as_sent(&run.stdout, &sent);
    let token: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(token["future"], extra["future"]);
    assert_eq!(token["last_used_at"], extra["last_used_at"]);
    assert_terminal_safe(&run);
}

/// `text` without the relative part of each expiry (`(in 23d 4h)`), which moves with the clock.
fn without_relative_times(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(open) = rest.find(" (") {
        out.push_str(&rest[..open]);
        match rest[open..].find(')') {
            Some(close) => rest = &rest[open + close + 1..],
            None => rest = "",
        }
    }
    out.push_str(rest);
    out
}

#[test]
fn table_and_csv_are_the_same_with_fields_the_model_does_not_know() {
    let sim = serve();
    let list = sim.run(&["list", "-o", "json"]);
    let tokens: Vec<Value> = serde_json::from_str(&list.stdout).unwrap();
    let id = tokens[0]["id"].as_i64().unwrap().to_string();
    for args in [
        vec!["list", "--output", "table"],
        vec!["list", "--output", "csv"],
        vec!["get", &id, "--output", "table"],
        vec!["get", &id, "--output", "csv"],
    ] {
        let plain = sim.run(&args);
        assert_eq!(plain.code, 0, "{args:?}: {plain:?}");
        sim.inject_fault(
            json!({"method": "GET", "path": "/api_tokens", "extra_fields": unknown_fields()}),
        );
        let with_extra = sim.run(&args);
        assert_eq!(with_extra.code, 0, "{args:?}: {with_extra:?}");
        assert_eq!(
            without_relative_times(&with_extra.stdout),
            without_relative_times(&plain.stdout),
            "{args:?}"
        );
        assert!(!with_extra.stdout.contains("future"), "{args:?}");
    }
    assert!(
        sim.api_requests()
            .iter()
            .filter(|r| r.contains("/api_tokens"))
            .count()
            >= 9,
        "every run asked the server"
    );
}

#[test]
fn unreadable_tokens_are_reported_as_before_beside_tokens_with_unknown_fields() {
    let sim = serve();
    // The readable token's own fields in production's order (spec §2.1), then unknown ones.
    let sent_good = r#"{"resources":[{"resource_type":"account","resource_id":1,"access_level":100,"scope":{"why":"x\u001b[2J"}}],"id":1,"name":"fine","last_4_digits":"ab12","created_by":"me","expires_at":null,"last_used_at":"2026-11-30T08:15:00Z","future":{"nested":[1,"x\u001b[31m"]}}"#;
    let body = format!(
        r#"[{sent_good},{{"id":2,"name":"broken date","expires_at":"tomorrow","future":{{"a":1}}}},{{"id":"seven","name":"bad id"}}]"#
    );
    let mut stderrs = Vec::new();
    for format in ["table", "json", "csv"] {
        sim.inject_fault(json!({"method": "GET", "path": "/api_tokens", "replace_body": body}));
        let run = sim.run(&["list", "--output", format]);
        assert_eq!(run.code, 8, "{format}: {run:?}");
        assert!(run.stdout.contains("fine"), "{format}: {run:?}");
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
        assert!(!run.stdout.contains('\u{1b}'), "{format}: {run:?}");
        if format == "json" {
            let listed: Vec<Value> = serde_json::from_str(&run.stdout).expect("JSON");
            assert_eq!(listed.len(), 1, "{run:?}");
            assert_as_sent(&run.stdout, &format!("[{sent_good}]"));
        } else {
            assert!(!run.stdout.contains("future"), "{format}: {run:?}");
        }
        stderrs.push(run.stderr);
    }
    assert!(stderrs.iter().all(|e| *e == stderrs[0]), "{stderrs:?}");
}

#[test]
fn a_secret_in_a_list_or_get_answer_is_never_printed() {
    let sim = serve();
    // Built here so that no file holds a secret-shaped string (tests/secrets/files.rs).
    let secret = "0123456789abcdef".repeat(2);
    // Only create and reset answers carry `token`; a list or get that did would still not print it.
    sim.inject_fault(json!({"method": "GET", "path": "/api_tokens", "count": 2,
                            "extra_fields": {"token": secret, "last_used_at": null}}));
    let list = sim.run(&["list", "--output", "json"]);
    assert_eq!(list.code, 0, "{list:?}");
    let tokens: Vec<Value> = serde_json::from_str(&list.stdout).unwrap();
    let id = tokens[0]["id"].as_i64().unwrap().to_string();
    let get = sim.run(&["get", &id, "--output", "json"]);
    assert_eq!(get.code, 0, "{get:?}");
    for run in [&list, &get] {
        assert!(!run.stdout.contains(&secret), "{run:?}");
        assert!(!run.stdout.contains("\"token\""), "{run:?}");
        assert!(run.stdout.contains("\"last_used_at\": null"), "{run:?}");
    }
}

#[test]
fn a_list_cut_off_in_transfer_prints_what_came_says_it_is_incomplete_and_fails() {
    let sim = serve();
    sim.inject_fault(json!({"method": "GET", "path": "/api_tokens", "drop": "midway"}));
    let run = sim.run(&["list", "--output", "json"]);
    assert_ne!(run.code, 0, "{run:?}");
    assert!(
        run.stderr.contains("the answer broke off after") && run.stderr.contains("incomplete"),
        "{run:?}"
    );
    assert!(
        run.stdout.contains("\"last_4_digits\""),
        "the first tokens are printed: {run:?}"
    );
    assert!(
        serde_json::from_str::<Value>(&run.stdout).is_err(),
        "the array is left open, so no reader takes it for the whole list: {run:?}"
    );
    let lists = sim
        .api_requests()
        .iter()
        .filter(|r| r.ends_with("/api_tokens"))
        .count();
    assert_eq!(lists, 1, "tokens already printed are not asked for again");
    // Broken before its first token, the list is asked for again and printed whole.
    sim.inject_fault(json!({"method": "GET", "path": "/api_tokens", "drop": "after"}));
    let run = sim.run(&["list", "--output", "json"]);
    assert_eq!(run.code, 0, "{run:?}");
    let listed: Value = serde_json::from_str(&run.stdout).expect("the whole list");
    assert!(listed.as_array().is_some_and(|a| !a.is_empty()), "{run:?}");
}
