//! Mailtrap's official SDKs, unchanged, against the simulator in SDK mode: they hard-code
//! `https://mailtrap.io`, and reach the simulator through `HTTPS_PROXY` with its certificate trusted.
//! `.ci/run` installs the SDKs (PyPI, npm) and names them with `MAILTRAP_SDK_PYTHON` (a python that has
//! `mailtrap`) and `MAILTRAP_SDK_NODE_PATH` (a `node_modules` holding `mailtrap`); without them the tests
//! say why they skip, and fail instead when `CI_REQUIRE_SDKS=1`.

use std::process::Command;

use mailtrap_tokens::sim::{RunningSim, SimOptions};

fn skip_or_fail(why: &str) {
    if std::env::var_os("CI_REQUIRE_SDKS").is_some_and(|v| v == "1") {
        panic!("CI_REQUIRE_SDKS=1 but {why}");
    }
    eprintln!("skipped: {why}");
}

/// Runs one SDK script against a fresh simulator in SDK mode; returns its stdout.
async fn run_sdk_script(program: &str, script: &str, extra_env: &[(&str, String)]) -> String {
    let sim = RunningSim::start(SimOptions::default())
        .await
        .expect("the simulator starts");
    let pem = sim.enable_sdk_mode().expect("SDK mode starts");
    let dir = tempfile::tempdir().expect("a temp dir");
    let ca = dir.path().join("sim-ca.pem");
    std::fs::write(&ca, pem).expect("the certificate is written");
    let script = format!("{}/tests/sdk/{script}", env!("CARGO_MANIFEST_DIR"));
    let mut command = Command::new(program);
    command
        .arg(&script)
        .env("MAILTRAP_API_TOKEN", sim.operator_token().expose_secret())
        .env("MAILTRAP_ACCOUNT_ID", sim.account_id().to_string())
        .env("HTTPS_PROXY", sim.url())
        .env("https_proxy", sim.url())
        .env("NO_PROXY", "")
        .env("REQUESTS_CA_BUNDLE", &ca)
        .env("NODE_EXTRA_CA_CERTS", &ca);
    for (key, value) in extra_env {
        command.env(key, value);
    }
    // The SDK blocks; run it off the runtime so the simulator keeps serving.
    let output = tokio::task::spawn_blocking(move || command.output())
        .await
        .expect("the SDK process is joined")
        .expect("the SDK process starts");
    let stdout = String::from_utf8_lossy(&output.stdout).to_string();
    assert!(
        output.status.success(),
        "{script} failed: {}\nstdout: {stdout}\nstderr: {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    let requests = sim.requests();
    assert!(
        requests
            .iter()
            .any(|r| r.method == "POST" && r.path.ends_with("/reset") && r.status == 200),
        "the SDK's reset reached the simulator: {requests:?}"
    );
    stdout
}

fn expect_every_step(stdout: &str, name: &str) {
    for step in [
        "list ",
        "create ",
        &format!("get {name}"),
        &format!("reset {name} "),
        "delete ok",
    ] {
        assert!(stdout.contains(step), "missing {step:?} in:\n{stdout}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_official_python_sdk_works_unchanged() {
    let Some(python) = std::env::var_os("MAILTRAP_SDK_PYTHON") else {
        return skip_or_fail(
            "MAILTRAP_SDK_PYTHON is not set (a python with `pip install mailtrap`)",
        );
    };
    let stdout = run_sdk_script(&python.to_string_lossy(), "python_sdk_check.py", &[]).await;
    expect_every_step(&stdout, "python sdk");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_official_node_sdk_works_unchanged() {
    let Some(modules) = std::env::var_os("MAILTRAP_SDK_NODE_PATH") else {
        return skip_or_fail(
            "MAILTRAP_SDK_NODE_PATH is not set (a node_modules with `npm install mailtrap`)",
        );
    };
    let node_path = [("NODE_PATH", modules.to_string_lossy().to_string())];
    let stdout = run_sdk_script("node", "node_sdk_check.js", &node_path).await;
    expect_every_step(&stdout, "node sdk");
}
