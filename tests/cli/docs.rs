//! Completions and the man page need no server.

use crate::harness::BIN;
use std::process::Command;

fn run(args: &[&str]) -> (i32, String) {
    let out = Command::new(BIN).args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn bash_completions_name_the_commands() {
    let (code, text) = run(&["completions", "bash"]);
    assert_eq!(code, 0);
    assert!(text.contains("_mailtrap-tokens()") || text.contains("_mailtrap__tokens()"));
    for command in ["accounts", "list", "reset", "delete", "--expires-in"] {
        assert!(text.contains(command), "missing {command}");
    }
}

#[test]
fn zsh_and_fish_completions_are_printed() {
    for shell in ["zsh", "fish"] {
        let (code, text) = run(&["completions", shell]);
        assert_eq!(code, 0, "{shell}");
        assert!(text.contains("reset"), "{shell}");
    }
}

#[test]
fn the_man_page_is_roff_with_the_exit_codes() {
    let (code, text) = run(&["man"]);
    assert_eq!(code, 0);
    assert!(
        text.starts_with(".ie") || text.starts_with(".TH"),
        "{}",
        &text[..80.min(text.len())]
    );
    assert!(text.contains("mailtrap\\-tokens"));
    assert!(text.contains("rate limited (429)"));
    assert!(text.contains("network or server error"));
}

#[test]
fn help_lists_the_exit_codes() {
    let (code, text) = run(&["--help"]);
    assert_eq!(code, 0);
    assert!(text.contains("Exit codes:"));
    assert!(text.contains("5  refused or invalid (403, 422)"));
}

#[test]
fn bad_arguments_are_usage_errors() {
    let cases: &[&[&str]] = &[
        &["create", "--name", "x"],
        &["create", "--name", "x", "--permission", "account:1"],
        &["create", "--name", "x", "--permission", "account:1:owner"],
        &[
            "create",
            "--name",
            "x",
            "--permission",
            "account:1:admin",
            "--expires-in",
            "3m",
        ],
        &[
            "create",
            "--name",
            "x",
            "--permission",
            "account:1:admin",
            "--expires-at",
            "soon",
        ],
        &[
            "create",
            "--name",
            "x",
            "--permission",
            "account:1:admin",
            "--expires-in",
            "3d",
            "--never-expires",
        ],
        &["get", "forty-two"],
        &["list", "--output", "xml"],
    ];
    for args in cases {
        let out = Command::new(BIN)
            .args(*args)
            .env("MAILTRAP_API_URL", "http://127.0.0.1:9")
            .env("MAILTRAP_API_TOKEN", "not-a-real-token")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("error"),
            "{args:?}"
        );
    }
}

#[test]
fn a_missing_token_is_a_usage_error() {
    let out = Command::new(BIN)
        .args(["list"])
        .env_remove("MAILTRAP_API_TOKEN")
        .env("MAILTRAP_API_URL", "http://127.0.0.1:9")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("MAILTRAP_API_TOKEN"), "{stderr}");
}

#[test]
fn plain_http_to_another_host_is_refused() {
    let out = Command::new(BIN)
        .args(["list"])
        .env("MAILTRAP_API_TOKEN", "not-a-real-token")
        .env("MAILTRAP_API_URL", "http://mailtrap.io")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("refusing plain http://"));
}
