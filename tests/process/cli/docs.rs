//! Completions and the man page need no server.

use super::harness::BIN;
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
    for command in [
        "accounts",
        "list",
        "reset",
        "delete",
        "lint",
        "--expires-in",
        "--fail-on",
    ] {
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

#[test]
fn man_dir_writes_a_page_per_subcommand_with_its_options() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("man1");
    let (code, listed) = run(&["man", "--dir", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{listed}");
    for (page, options) in [
        (
            "mailtrap-tokens.1",
            &["\\-\\-api\\-url", "rate limited (429)"][..],
        ),
        (
            "mailtrap-tokens-list.1",
            &["\\-\\-output", "\\-\\-api\\-url"][..],
        ),
        (
            "mailtrap-tokens-create.1",
            &[
                "\\-\\-permission",
                "\\-\\-expires\\-in",
                "\\-\\-never\\-expires",
            ][..],
        ),
        ("mailtrap-tokens-reset.1", &["\\-\\-yes"][..]),
        ("mailtrap-tokens-delete.1", &["\\-\\-yes"][..]),
        (
            "mailtrap-tokens-serve.1",
            &["\\-\\-listen", "\\-\\-sdk\\-ca"][..],
        ),
        ("mailtrap-tokens-get.1", &["\\-\\-output"][..]),
        (
            "mailtrap-tokens-lint.1",
            &["\\-\\-fail\\-on", "\\-\\-output", "sarif"][..],
        ),
        ("mailtrap-tokens-config-init.1", &[][..]),
        ("mailtrap-tokens-man.1", &["\\-\\-dir"][..]),
    ] {
        let path = out.join(page);
        assert!(
            listed.contains(&path.display().to_string()),
            "{page} not listed: {listed}"
        );
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{page}: {e}"));
        assert!(text.starts_with(".ie") || text.starts_with(".TH"), "{page}");
        for option in options {
            assert!(text.contains(option), "{page} lacks {option}");
        }
    }
}

/// The environment variables `src/` reads: `env::var("X")`, `env::var(CONST)` with `const CONST = "X"`,
/// a list of names read in a loop, and `#[arg(env = "X")]`.
fn variables_read_in_src() -> std::collections::BTreeSet<String> {
    let mut files = Vec::new();
    let mut dirs = vec![std::path::PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src"
    ))];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(std::fs::read_to_string(&path).unwrap());
            }
        }
    }
    let all = files.join("\n");
    let constant = |name: &str| {
        let pattern = format!("const {name}: &str = \"");
        let start = all.find(&pattern)? + pattern.len();
        Some(all[start..].split('"').next()?.to_string())
    };
    let names_in = |text: &str| -> Vec<String> {
        text.split('"')
            .skip(1)
            .step_by(2)
            .filter(|s| s.len() > 1 && s.chars().all(|c| c.is_ascii_uppercase() || c == '_'))
            .map(str::to_string)
            .collect()
    };
    let mut found = std::collections::BTreeSet::new();
    for text in &files {
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            if line.trim_start().starts_with("//") {
                continue;
            }
            for call in ["env::var(", "env::var_os("] {
                for (at, _) in line.match_indices(call) {
                    let arg = &line[at + call.len()..];
                    let arg = arg.split([')', ',']).next().unwrap_or("").trim();
                    if let Some(name) = arg.strip_prefix('"') {
                        found.insert(name.trim_end_matches('"').to_string());
                    } else if let Some(value) = constant(arg) {
                        found.insert(value);
                    } else {
                        // A name read in a loop: the list is in the lines just above.
                        let from = i.saturating_sub(4);
                        let near = lines[from..=i].join("\n");
                        let names = names_in(&near);
                        assert!(!names.is_empty(), "cannot tell what {line:?} reads");
                        found.extend(names);
                    }
                }
            }
            // clap's `env = "NAME"`; not `target_env = "gnu"`, a build condition.
            for (at, _) in line.match_indices("env = \"") {
                if line[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_') {
                    continue;
                }
                let name = &line[at + 7..];
                found.insert(name.split('"').next().unwrap_or("").to_string());
            }
        }
    }
    found
}

#[test]
fn help_lists_every_environment_variable_the_program_reads() {
    let (code, text) = run(&["--help"]);
    assert_eq!(code, 0);
    let block = text
        .split("Environment:")
        .nth(1)
        .expect("an Environment block");
    let read = variables_read_in_src();
    for must in [
        "MAILTRAP_API_TOKEN",
        "MAILTRAP_TOKENS_HOME",
        "NO_COLOR",
        "DISPLAY",
        "WAYLAND_DISPLAY",
    ] {
        assert!(read.contains(must), "the scan missed {must}: {read:?}");
    }
    // Read by dependencies, not by a line of ours: `directories` for the paths, reqwest for proxies.
    let by_dependencies = [
        "XDG_CONFIG_HOME",
        "XDG_STATE_HOME",
        "XDG_DATA_HOME",
        "HOME",
        "HTTPS_PROXY",
        "HTTP_PROXY",
        "ALL_PROXY",
        "NO_PROXY",
    ];
    for name in read.iter().map(String::as_str).chain(by_dependencies) {
        let listed = block
            .split(|c: char| !(c.is_ascii_uppercase() || c == '_'))
            .any(|word| word == name);
        assert!(
            listed,
            "{name} is read but not in --help's environment block:\n{block}"
        );
    }
}
