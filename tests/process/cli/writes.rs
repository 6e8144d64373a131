//! `create`, `reset` and `delete`: the secret alone on stdout, confirmation rules and exit codes.

use super::harness::{redact, serve};

/// 32 lowercase hex characters, checked without writing one down.
fn is_secret(text: &str) -> bool {
    text.len() == 32
        && text
            .chars()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
}

#[test]
fn create_prints_the_secret_alone_and_it_authenticates() {
    let sim = serve();
    let permission = format!("account:{}:admin", sim.account);
    let run = sim.run(&[
        "create",
        "--name",
        "ci deploy",
        "--permission",
        &permission,
        "--expires-in",
        "30d",
    ]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.ends_with('\n'));
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{run:?}");
    assert!(is_secret(lines[0]), "{run:?}");
    assert_eq!(sim.get_status("/api/accounts", lines[0]), 200);
    // The summary is on stderr and never the secret.
    assert!(run.stderr.contains("ci deploy"), "{run:?}");
    assert!(!run.stderr.contains(lines[0]));
}

#[test]
fn create_json_is_the_api_object_with_its_token() {
    let sim = serve();
    let permission = format!("account:{}:viewer", sim.account);
    let run = sim.run(&[
        "create",
        "--name",
        "reader",
        "--permission",
        &permission,
        "--never-expires",
        "-o",
        "json",
    ]);
    assert_eq!(run.code, 0, "{run:?}");
    let token: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(token["name"], "reader");
    assert!(token["expires_at"].is_null());
    assert_eq!(token["resources"][0]["access_level"], 10);
    let secret = token["token"].as_str().unwrap();
    assert!(is_secret(secret));
    assert_eq!(token["last_4_digits"].as_str().unwrap(), &secret[28..]);
}

#[test]
fn reset_output_captured_in_a_variable_authenticates() {
    let sim = serve();
    let id = sim.create_token("to reset").to_string();
    // Exactly what a script does; the shell hands back what the variable holds, bracketed.
    let run = sim.shell(
        r#"SECRET=$("$BIN" reset "$1" --yes) || exit $?; printf '[%s]' "$SECRET""#,
        &[&id],
    );
    assert_eq!(run.code, 0, "{run:?}");
    let captured = run
        .stdout
        .strip_prefix('[')
        .and_then(|s| s.strip_suffix(']'))
        .unwrap();
    assert!(is_secret(captured), "{run:?}");
    assert_eq!(sim.get_status("/api/accounts", captured), 200);
    assert!(run.stderr.contains(&format!("reset token {id}")), "{run:?}");
    assert!(!run.stderr.contains(captured));
}

#[test]
fn a_second_reset_is_refused_with_exit_5() {
    let sim = serve();
    let id = sim.create_token("reset twice").to_string();
    assert_eq!(sim.run(&["reset", &id, "--yes"]).code, 0);
    let again = sim.run(&["reset", &id, "--yes"]);
    assert_eq!(again.code, 5, "{again:?}");
    assert!(again.stdout.is_empty());
    assert!(again.stderr.contains("already reset"), "{again:?}");
}

#[test]
fn an_expiry_in_the_past_is_refused_with_exit_5() {
    let sim = serve();
    let permission = format!("account:{}:admin", sim.account);
    let run = sim.run(&[
        "create",
        "--name",
        "old",
        "--permission",
        &permission,
        "--expires-at",
        "2020-01-01",
    ]);
    assert_eq!(run.code, 5, "{run:?}");
    assert!(run.stderr.contains("expires_at"), "{run:?}");
}

#[test]
fn delete_with_yes_removes_the_token() {
    let sim = serve();
    let id = sim.create_token("to delete").to_string();
    let run = sim.run(&["delete", &id, "--yes"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.is_empty());
    assert_eq!(sim.run(&["get", &id]).code, 4);
    assert_eq!(sim.run(&["delete", &id, "--yes"]).code, 4);
}

#[test]
fn without_yes_and_without_a_terminal_nothing_is_sent() {
    let sim = serve();
    let id = sim.create_token("untouchable").to_string();
    let before = sim.api_requests();
    for verb in ["reset", "delete"] {
        // stdin is /dev/null here, and a pipe that says "y" is not a terminal either.
        let run = sim.run(&[verb, &id]);
        assert_eq!(run.code, 2, "{run:?}");
        assert!(run.stderr.contains("--yes"), "{run:?}");
        assert!(run.stdout.is_empty());
        let piped = sim.run_with_stdin(&[verb, &id], "y\n");
        assert_eq!(piped.code, 2, "{piped:?}");
    }
    assert_eq!(
        sim.api_requests(),
        before,
        "no request reached the simulator"
    );
    assert_eq!(sim.run(&["get", &id]).code, 0, "the token is untouched");
}

#[test]
fn no_secret_reaches_stderr_on_failure() {
    let sim = serve();
    let run = sim.run(&["reset", "987654321", "--yes"]);
    assert_eq!(run.code, 4, "{run:?}");
    assert_eq!(redact(&run.stderr), run.stderr);
    assert!(!run.stderr.contains(&sim.token));
}

#[test]
fn refusals_limits_and_outages_map_to_their_exit_codes() {
    let sim = serve();
    let permission = format!("account:{}:admin", sim.account);
    let create = ["create", "--name", "n", "--permission", permission.as_str()];
    let cases = [
        (
            serde_json::json!({"method": "POST", "status": 403, "body": "json"}),
            5,
        ),
        (
            serde_json::json!({"method": "POST", "status": 429, "retry_after": 1}),
            6,
        ),
        (
            serde_json::json!({"method": "POST", "status": 500, "body": "html"}),
            7,
        ),
        (serde_json::json!({"method": "POST", "drop": "before"}), 7),
    ];
    for (fault, code) in cases {
        sim.inject_fault(fault.clone());
        let run = sim.run(&create);
        assert_eq!(run.code, code, "{fault}: {run:?}");
        assert!(run.stdout.is_empty(), "{fault}: {run:?}");
        assert!(
            run.stderr.starts_with("error: creating the token: "),
            "{run:?}"
        );
        assert_eq!(run.stderr.trim_end().lines().count(), 1, "{run:?}");
    }
    // Writes are never retried: each failed create reached the server exactly once.
    let posts = sim
        .api_requests()
        .into_iter()
        .filter(|r| r.starts_with("POST "))
        .count();
    assert!(posts <= 4, "{posts} POSTs for 4 creates");
}

#[test]
fn create_and_reset_refuse_a_closed_or_null_stdout_before_sending_anything() {
    let sim = serve();
    let permission = format!("account:{}:viewer", sim.account);
    let before = sim.api_requests().len();
    for redirect in [">&-", ">/dev/null"] {
        let run = sim.shell(
            &format!("\"$BIN\" create --name lost --permission \"$1\" --never-expires {redirect}"),
            &[&permission],
        );
        assert_eq!(run.code, 2, "{redirect}: {run:?}");
        assert!(run.stderr.contains("would be lost"), "{run:?}");
        let run = sim.shell(&format!("\"$BIN\" reset 2491466 --yes {redirect}"), &[]);
        assert_eq!(run.code, 2, "{redirect}: {run:?}");
    }
    assert_eq!(
        sim.api_requests().len(),
        before,
        "nothing was sent: {:?}",
        sim.api_requests()
    );
}

#[test]
fn a_secret_that_stdout_cannot_take_is_saved_to_a_private_file_with_its_own_exit_code() {
    let sim = serve();
    let home = tempfile::tempdir().unwrap();
    // /dev/full takes the open and refuses the write (ENOSPC), as a full disk would.
    let run = sim.shell(
        "MAILTRAP_TOKENS_HOME=\"$1\" \"$BIN\" reset 2491466 --yes > /dev/full",
        &[home.path().to_str().unwrap()],
    );
    assert_eq!(run.code, 9, "{run:?}");
    let dir = home.path().join("state").join("secrets");
    let files: Vec<_> = std::fs::read_dir(&dir)
        .expect("the secrets directory")
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    let secret = std::fs::read_to_string(&files[0]).unwrap();
    assert!(is_secret(secret.trim_end()), "the file holds the secret");
    assert_eq!(sim.get_status("/api/accounts", secret.trim_end()), 200);
    assert!(
        run.stderr.contains(&files[0].display().to_string()),
        "the path is said: {}",
        redact(&run.stderr)
    );
    assert!(!run.stderr.contains(secret.trim_end()), "never the secret");
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&files[0]).unwrap().permissions().mode() & 0o777,
        0o600
    );
    // A reader that went away (`| true`) loses the secret just the same: it is saved too.
    let run = sim.shell(
        "MAILTRAP_TOKENS_HOME=\"$1\" \"$BIN\" reset \"$2\" --yes | true",
        &[home.path().to_str().unwrap(), "2491002"],
    );
    assert!(matches!(run.code, 0 | 9), "{run:?}");
}
