//! `mailtrap-tokens serve` as a process: the three lines first (then the organization's two), then a
//! working API; a bad seed exits 2.

use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_mailtrap-tokens");

#[tokio::test]
async fn serve_prints_url_token_and_account_then_serves() {
    let mut child = Command::new(BIN)
        .args(["serve", "--listen", "127.0.0.1:0", "--tokens", "3"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut read = Vec::new();
    // The three lines scripts read with `head -n 3`, then the embedded seed's organization.
    for _ in 0..5 {
        let line = tokio::time::timeout(Duration::from_secs(30), lines.next_line())
            .await
            .expect("serve prints its lines in time")
            .unwrap()
            .expect("a line");
        read.push(line);
    }
    let url = read[0]
        .strip_prefix("MAILTRAP_API_URL=http://127.0.0.1:")
        .expect("url line");
    assert!(url.parse::<u16>().unwrap() > 0);
    let token = read[1]
        .strip_prefix("MAILTRAP_API_TOKEN=")
        .expect("token line")
        .to_string();
    assert_eq!(token.len(), 32);
    assert!(
        token
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    );
    assert_eq!(read[2], "MAILTRAP_ACCOUNT_ID=1824170");
    assert_eq!(read[3], "MAILTRAP_ORGANIZATION_ID=88100");
    let org_token = read[4]
        .strip_prefix("MAILTRAP_ORGANIZATION_TOKEN=")
        .expect("organization token line");
    assert!(org_token.len() == 32 && org_token.ends_with("0c9a") && org_token != token);
    let base = read[0].strip_prefix("MAILTRAP_API_URL=").unwrap();
    let list: serde_json::Value = reqwest::Client::new()
        .get(format!("{base}/api/accounts/1824170/api_tokens"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        list.as_array().unwrap().len(),
        crate::support::seeded_tokens() + 3
    );
    child.start_kill().unwrap();
    let _ = tokio::time::timeout(Duration::from_secs(10), child.wait()).await;
}

#[tokio::test]
async fn a_bad_seed_file_is_named_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken-seed.json");
    std::fs::write(&path, "{\"account\": {\"id\": 1, \"name\": \"A\"}, \"owner_name\": \"O\", \"operator_token_id\": 3, \"tokens\": [}").unwrap();
    let out = tokio::time::timeout(
        Duration::from_secs(30),
        Command::new(BIN)
            .args(["serve", "--seed"])
            .arg(&path)
            .output(),
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("broken-seed.json") && err.contains("line 1"),
        "{err}"
    );

    std::fs::write(
        &path,
        r#"{"account": {"id": 1, "name": "A"}, "owner_name": "O", "operator_token_id": 3}"#,
    )
    .unwrap();
    let out = Command::new(BIN)
        .args(["serve", "--seed"])
        .arg(&path)
        .output()
        .await
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("operator_token_id 3"));
}
