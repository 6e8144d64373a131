//! The built binary never echoes `MAILTRAP_API_TOKEN`: not on a rejected token, not on a bad URL, not on
//! a dropped connection, not in its log at trace level. `create` prints the new secret on stdout only.

use crate::assert_no_secret;
use crate::support::*;
use mailtrap_tokens::api::Secret;
use mailtrap_tokens::sim::{DropPoint, Fault};
use std::path::Path;
use std::time::Duration;

const BIN: &str = env!("CARGO_BIN_EXE_mailtrap-tokens");

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

async fn run(home: &Path, token: &Secret, url: &str, args: &[&str]) -> Run {
    let child = tokio::process::Command::new(BIN)
        .args(args)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("MAILTRAP_TOKENS_HOME", home)
        .env("MAILTRAP_TOKENS_LOG", "trace")
        .env("MAILTRAP_API_TOKEN", token.expose_secret())
        .env("MAILTRAP_API_URL", url)
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::null())
        .kill_on_drop(true)
        .output();
    let out = tokio::time::timeout(Duration::from_secs(60), child)
        .await
        .expect("the command finishes")
        .unwrap();
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn log_text(home: &Path) -> String {
    std::fs::read_to_string(home.join("state").join("mailtrap-tokens.log")).unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn error_paths_never_echo_the_token() {
    let sim = start().await;
    let home = tempfile::tempdir().unwrap();
    // A bogus token shaped like a real one, and a real one from the simulator.
    let bogus = Secret::new(format!("{}9", &sim.operator_token().expose_secret()[..31]));
    let real = sim
        .issue_token(
            "Binary probe",
            vec![resource("account", sim.account_id(), 100)],
            None,
        )
        .1;
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", l.local_addr().unwrap())
    };
    let mut cases = vec![
        ("bogus token", bogus.clone(), sim.url(), "list"),
        ("bad URL", real.clone(), "not a url".to_string(), "list"),
        (
            "plain http elsewhere",
            real.clone(),
            "http://192.0.2.2:1".into(),
            "list",
        ),
        ("nothing listening", real.clone(), closed, "list"),
        (
            "bogus token, accounts",
            bogus.clone(),
            sim.url(),
            "accounts",
        ),
    ];
    sim.inject_fault(Fault {
        drop: Some(DropPoint::Before),
        count: 100,
        ..Fault::default()
    });
    cases.push(("dropped connections", real.clone(), sim.url(), "list"));
    for (label, token, url, command) in cases {
        let out = run(home.path(), &token, &url, &[command]).await;
        assert_ne!(out.code, Some(0), "{label}: {}", out.stdout);
        assert!(!out.stderr.trim().is_empty(), "{label}: says nothing");
        let all = format!("{}\n{}", out.stdout, out.stderr);
        assert_no_secret(label, &all, &[&token, &sim.operator_token()]);
        assert!(!has_secret_shape(&all), "{label}: {all}");
    }
    assert_no_secret("the log", &log_text(home.path()), &[&bogus, &real]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_prints_the_new_secret_on_stdout_only_and_never_logs_it() {
    let sim = start().await;
    let home = tempfile::tempdir().unwrap();
    let operator = sim.operator_token();
    let permission = format!("account:{}:viewer", sim.account_id());
    let out = run(
        home.path(),
        &operator,
        &sim.url(),
        &[
            "create",
            "--name",
            "Stdout probe",
            "--permission",
            &permission,
            "--never-expires",
        ],
    )
    .await;
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let tokens = client(&sim).list_tokens(sim.account_id()).await.unwrap();
    let made = tokens.iter().find(|t| t.name == "Stdout probe").unwrap();
    let secret_line = out
        .stdout
        .lines()
        .find(|l| l.trim().ends_with(made.last_4_digits.as_str()) && l.trim().len() >= 32)
        .unwrap_or_else(|| panic!("no secret on stdout: {}", out.stdout))
        .trim()
        .to_string();
    let secret = Secret::new(secret_line);
    assert!(client_as(&sim, secret.clone()).accounts().await.is_ok());
    assert_no_secret("stderr", &out.stderr, &[&secret, &operator]);
    assert_no_secret("stdout", &out.stdout, &[&operator]);
    let log = log_text(home.path());
    assert_no_secret("the log", &log, &[&secret, &operator]);
}
