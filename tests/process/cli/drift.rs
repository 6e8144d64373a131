//! `drift` against `serve`: the first run records a snapshot, an unchanged account is no drift (exit 0),
//! changes made through the API are (exit 12), the JSON's shape, a damaged snapshot, unreadable rows, the
//! file's mode and contents; and a drift across two runs with Mailtrap's official Python SDK making the
//! changes in between.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::harness::{Run, Served, redact, serve, serve_sdk};

/// `drift ARGS` with `home` as the state's home.
fn drift(sim: &Served, home: &Path, args: &[&str]) -> Run {
    let mut full = vec!["drift"];
    full.extend_from_slice(args);
    sim.command(&full)
        .env("MAILTRAP_TOKENS_HOME", home)
        .output()
        .unwrap()
        .into()
}

fn snapshot_file(home: &Path, sim: &Served) -> PathBuf {
    home.join("state")
        .join("snapshots")
        .join(format!("{}.json", sim.account))
}

fn parse(run: &Run) -> Value {
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {run:?}"))
}

/// kind → the names of the tokens it is about, in the report's order.
fn kinds(report: &Value) -> Vec<(String, String)> {
    report["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .map(|c| {
            let kind = c["kind"].as_str().unwrap().to_string();
            let token = c.get("token").or_else(|| c.get("old")).unwrap_or(c);
            (kind, token["name"].as_str().unwrap_or("").to_string())
        })
        .collect()
}

/// Creates a viewer token through the binary; returns its id and its secret.
fn create(sim: &Served, name: &str) -> (i64, String) {
    let permission = format!("account:{}:viewer", sim.account);
    let run = sim.run(&[
        "create",
        "--name",
        name,
        "--permission",
        &permission,
        "--output",
        "json",
    ]);
    assert_eq!(run.code, 0, "{run:?}");
    let token = parse(&run);
    (
        token["id"].as_i64().unwrap(),
        token["token"].as_str().unwrap().to_string(),
    )
}

/// The snapshot is private and holds no secret: neither the secrets given here nor anything of their
/// shape.
fn assert_private_and_secret_free(path: &Path, secrets: &[&str]) {
    let mode = std::fs::metadata(path).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "{}", path.display());
    let text = std::fs::read_to_string(path).unwrap();
    for secret in secrets {
        assert!(!text.contains(secret), "a secret in the snapshot");
    }
    assert_eq!(
        redact(&text),
        text,
        "nothing shaped like a secret in the snapshot"
    );
}

#[test]
fn the_first_run_records_a_snapshot_and_an_unchanged_account_is_no_drift() {
    let sim = serve();
    let home = tempfile::tempdir().unwrap();
    let first = drift(&sim, home.path(), &[]);
    assert_eq!(first.code, 0, "{first:?}");
    assert!(
        first.stdout.starts_with("No earlier snapshot of account"),
        "{first:?}"
    );
    let path = snapshot_file(home.path(), &sim);
    assert_private_and_secret_free(&path, &[&sim.token]);
    let again = drift(&sim, home.path(), &[]);
    assert_eq!(again.code, 0, "{again:?}");
    assert!(
        again.stdout.starts_with("No changes to account"),
        "{again:?}"
    );
    let json = drift(&sim, home.path(), &["--output", "json"]);
    assert_eq!(json.code, 0, "{json:?}");
    let report = parse(&json);
    assert_eq!(report["first_snapshot"], json!(false));
    assert_eq!(report["summary"], json!("no changes"));
    assert_eq!(report["changes"], json!([]));
    assert_eq!(report["account"].to_string(), sim.account);
    assert!(report["since"].is_string() && report["taken_at"].is_string());
}

#[test]
fn changes_made_through_the_api_are_drift_and_exit_12_once() {
    let sim = serve();
    let home = tempfile::tempdir().unwrap();
    let (to_reset, _) = create(&sim, "to be reset");
    let (to_delete, _) = create(&sim, "to be deleted");
    assert_eq!(drift(&sim, home.path(), &[]).code, 0);

    let (_, created_secret) = create(&sim, "made elsewhere");
    let reset = sim.run(&["reset", &to_reset.to_string(), "--yes"]);
    assert_eq!(reset.code, 0, "{reset:?}");
    let reset_secret = reset.stdout.trim().to_string();
    let deleted = sim.run(&["delete", &to_delete.to_string(), "--yes"]);
    assert_eq!(deleted.code, 0, "{deleted:?}");

    let run = drift(&sim, home.path(), &["--output", "json"]);
    assert_eq!(run.code, 12, "{run:?}");
    assert_eq!(
        run.stderr.trim(),
        "drift: 1 created, 1 deleted, 1 reset",
        "{run:?}"
    );
    let report = parse(&run);
    assert_eq!(report["first_snapshot"], json!(false));
    assert_eq!(report["summary"], json!("1 created, 1 deleted, 1 reset"));
    assert_eq!(
        kinds(&report),
        [
            ("created".to_string(), "made elsewhere".to_string()),
            ("deleted".to_string(), "to be deleted".to_string()),
            ("reset".to_string(), "to be reset".to_string()),
        ]
    );
    let reset_change = &report["changes"][2];
    assert_eq!(reset_change["old"]["id"], json!(to_reset));
    assert_eq!(
        reset_change["new"]["name"],
        json!(format!("to be reset {}", reset_change["new"]["id"]))
    );
    assert!(
        reset_change["old_expires_at"].is_string(),
        "the old token's grace end: {reset_change}"
    );
    let deleted_change = &report["changes"][1];
    assert_eq!(deleted_change["purged"], json!(false));
    assert_eq!(
        deleted_change["token"]["permissions"],
        json!([format!("account:{}:viewer", sim.account)])
    );
    assert_private_and_secret_free(
        &snapshot_file(home.path(), &sim),
        &[&sim.token, &created_secret, &reset_secret],
    );

    // Recorded: the same account again is no drift.
    let calm = drift(&sim, home.path(), &[]);
    assert_eq!(calm.code, 0, "{calm:?}");

    // A hostile name reaches the table made safe.
    create(&sim, "evil\u{1b}[2J\u{202e}name\u{7}");
    let table = drift(&sim, home.path(), &[]);
    assert_eq!(table.code, 12, "{table:?}");
    assert!(table.stdout.contains("Since "), "{table:?}");
    assert!(table.stdout.contains(": 1 created\n"), "{table:?}");
    let row = table
        .stdout
        .lines()
        .find(|l| l.starts_with("created"))
        .unwrap_or_else(|| panic!("{table:?}"));
    assert!(row.contains("evil"), "{row}");
    assert!(
        !table
            .stdout
            .chars()
            .any(|c| (c.is_control() && c != '\n') || c == '\u{202e}'),
        "{table:?}"
    );
}

#[test]
fn a_damaged_snapshot_is_a_warning_and_counts_as_none() {
    let sim = serve();
    let home = tempfile::tempdir().unwrap();
    let path = snapshot_file(home.path(), &sim);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, "{\"version\": 1, \"tokens\": [tru").unwrap();
    let run = drift(&sim, home.path(), &[]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stderr.contains("warning:") && run.stderr.contains("damaged"),
        "{run:?}"
    );
    assert!(run.stdout.starts_with("No earlier snapshot"), "{run:?}");
    assert!(path.with_extension("json.unreadable").exists());
    let again = drift(&sim, home.path(), &[]);
    assert_eq!(again.code, 0, "{again:?}");
    assert!(again.stdout.starts_with("No changes"), "{again:?}");
    assert!(again.stderr.is_empty(), "{again:?}");
}

#[test]
fn a_token_the_list_cannot_read_is_not_taken_as_deleted() {
    let sim = serve();
    let home = tempfile::tempdir().unwrap();
    assert_eq!(drift(&sim, home.path(), &[]).code, 0);
    let path = format!("/api/accounts/{}/api_tokens", sim.account);
    let (status, body) = sim.get_text(&path);
    assert_eq!(status, 200);
    let mut tokens: Vec<Value> = serde_json::from_str(&body).unwrap();
    // One token whose expiry is not a date (unreadable, its id still known) and one gone for real.
    tokens[3]["expires_at"] = json!("the day after tomorrow");
    let gone = tokens.remove(4);
    sim.inject_fault(json!({
        "method": "GET",
        "path": "/api_tokens",
        "replace_body": serde_json::to_string(&tokens).unwrap(),
    }));
    let run = drift(&sim, home.path(), &["--output", "json"]);
    assert_eq!(run.code, 12, "{run:?}");
    assert!(run.stderr.contains("1 token could not be read"), "{run:?}");
    let report = parse(&run);
    assert_eq!(report["unreadable"], json!(1));
    assert_eq!(
        kinds(&report),
        [(
            "deleted".to_string(),
            gone["name"].as_str().unwrap().to_string()
        )]
    );
}

fn skip_or_fail(why: &str) {
    if std::env::var_os("CI_REQUIRE_SDKS").is_some_and(|v| v == "1") {
        panic!("CI_REQUIRE_SDKS=1 but {why}");
    }
    eprintln!("skipped: {why}");
}

#[test]
fn changes_made_by_the_official_python_sdk_between_two_runs_are_drift() {
    let Some(python) = std::env::var_os("MAILTRAP_SDK_PYTHON") else {
        return skip_or_fail(
            "MAILTRAP_SDK_PYTHON is not set (a python with `pip install mailtrap`)",
        );
    };
    let dir = tempfile::tempdir().unwrap();
    let ca = dir.path().join("sim-ca.pem");
    let sim = serve_sdk(&ca);
    let home = tempfile::tempdir().unwrap();
    let (to_reset, _) = create(&sim, "rotated by python");
    let (to_delete, _) = create(&sim, "deleted by python");
    let first = drift(&sim, home.path(), &[]);
    assert_eq!(first.code, 0, "{first:?}");

    let script = format!(
        "{}/tests/sdk/python_sdk_drift.py",
        env!("CARGO_MANIFEST_DIR")
    );
    let output = std::process::Command::new(&python)
        .arg(&script)
        .envs(sim.sdk_env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .env("NO_PROXY", "")
        .env("MAILTRAP_API_TOKEN", &sim.token)
        .env("MAILTRAP_ACCOUNT_ID", &sim.account)
        .env("RESET_ID", to_reset.to_string())
        .env("DELETE_ID", to_delete.to_string())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).to_string();
    assert!(
        output.status.success(),
        "{script}: {}\nstdout: {stdout}\nstderr: {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    // The SDK's requests reached this simulator, as it logged them.
    let requests = sim.api_requests();
    for wanted in [
        format!("POST /api/accounts/{}/api_tokens", sim.account),
        format!(
            "POST /api/accounts/{}/api_tokens/{to_reset}/reset",
            sim.account
        ),
        format!(
            "DELETE /api/accounts/{}/api_tokens/{to_delete}",
            sim.account
        ),
    ] {
        assert!(
            requests.iter().any(|r| r.starts_with(&wanted)),
            "{wanted} in {requests:?}"
        );
    }

    let second = drift(&sim, home.path(), &["--output", "json"]);
    assert_eq!(second.code, 12, "{second:?}");
    let report = parse(&second);
    assert_eq!(
        kinds(&report),
        [
            ("created".to_string(), "made by python".to_string()),
            ("deleted".to_string(), "deleted by python".to_string()),
            ("reset".to_string(), "rotated by python".to_string()),
        ],
        "{stdout}"
    );
    assert_private_and_secret_free(&snapshot_file(home.path(), &sim), &[&sim.token]);
    assert_eq!(drift(&sim, home.path(), &[]).code, 0);
}
