//! Starts `mailtrap-tokens serve` on port 0, runs the binary against it and reads the simulator's
//! request log.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

pub const BIN: &str = env!("CARGO_BIN_EXE_mailtrap-tokens");

/// How long `serve` may take to print its three lines before the test fails.
const START_LIMIT: Duration = Duration::from_secs(60);

pub struct Served {
    child: Child,
    pub url: String,
    pub token: String,
    pub account: String,
    /// `MAILTRAP_ORGANIZATION_ID` and `MAILTRAP_ORGANIZATION_TOKEN`, which `serve` prints after the others
    /// when the seed has an organization (the embedded one does).
    pub organization: String,
    pub organization_token: String,
    /// What SDK mode adds (`HTTPS_PROXY`, `REQUESTS_CA_BUNDLE`, …), as `serve --sdk-ca` printed it.
    pub sdk_env: Vec<(String, String)>,
    /// `MAILTRAP_TOKENS_HOME` of every command run against it: the journal and the secrets stay here,
    /// never in the home of whoever runs the tests.
    pub home: tempfile::TempDir,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The result of one run of the binary.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(o: Output) -> Self {
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

impl std::fmt::Debug for Run {
    // Shown when an assertion fails: never the secret-carrying stdout in full.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit {}\nstderr: {}\nstdout: {}",
            self.code,
            self.stderr,
            redact(&self.stdout)
        )
    }
}

/// Replaces every run of exactly 32 hex characters (the shape of a secret).
pub fn redact(text: &str) -> String {
    let mut out = String::new();
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        if run.len() == 32 {
            out.push_str("[secret]");
        } else {
            out.push_str(run);
        }
        run.clear();
    };
    for c in text.chars() {
        if c.is_ascii_hexdigit() {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
}

/// The embedded seed's organization adds two lines after the first three.
const ORGANIZATION_LINES: usize = 2;

pub fn serve() -> Served {
    serve_printing(&[], 3 + ORGANIZATION_LINES)
}

/// `serve` in SDK mode: also an HTTPS proxy for mailtrap.io, its certificate written to `ca`.
pub fn serve_sdk(ca: &std::path::Path) -> Served {
    let ca = ca.display().to_string();
    serve_printing(&["--sdk-ca", &ca], 6 + ORGANIZATION_LINES)
}

/// `serve` with `extra` arguments, which prints `lines` lines of `KEY=VALUE`.
fn serve_printing(extra: &[&str], lines_expected: usize) -> Served {
    let mut child = Command::new(BIN)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .args(extra)
        .env_remove("MAILTRAP_API_URL")
        .env_remove("MAILTRAP_API_TOKEN")
        .env_remove("MAILTRAP_ACCOUNT_ID")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut lines = BufReader::new(stdout).lines();
        for _ in 0..lines_expected {
            match lines.next() {
                Some(Ok(line)) => {
                    if tx.send(line).is_err() {
                        return;
                    }
                }
                _ => return,
            }
        }
        // Keep draining so the server never blocks on a full pipe.
        for _ in lines {}
    });
    let mut served = Served {
        child,
        url: String::new(),
        token: String::new(),
        account: String::new(),
        organization: String::new(),
        organization_token: String::new(),
        sdk_env: Vec::new(),
        home: tempfile::tempdir().unwrap(),
    };
    for _ in 0..lines_expected {
        let line = rx
            .recv_timeout(START_LIMIT)
            .expect("serve printed its three lines in time");
        let (key, value) = line.split_once('=').expect("KEY=VALUE");
        match key {
            "MAILTRAP_API_URL" => served.url = value.to_string(),
            "MAILTRAP_API_TOKEN" => served.token = value.to_string(),
            "MAILTRAP_ACCOUNT_ID" => served.account = value.to_string(),
            "MAILTRAP_ORGANIZATION_ID" => served.organization = value.to_string(),
            "MAILTRAP_ORGANIZATION_TOKEN" => served.organization_token = value.to_string(),
            other if lines_expected > 3 + ORGANIZATION_LINES => {
                served.sdk_env.push((other.into(), value.into()))
            }
            other => panic!("unexpected line from serve: {other}=…"),
        }
    }
    assert!(
        !served.url.is_empty() && !served.token.is_empty() && !served.account.is_empty(),
        "serve printed the URL, the token and the account"
    );
    served
}

impl Served {
    /// The binary with this simulator's URL, token and account in its environment; stdin is not a terminal.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(BIN);
        c.args(args)
            .env("MAILTRAP_API_URL", &self.url)
            .env("MAILTRAP_API_TOKEN", &self.token)
            .env("MAILTRAP_ACCOUNT_ID", &self.account)
            .env("MAILTRAP_TOKENS_HOME", self.home.path())
            .env_remove("MAILTRAP_TOKENS_LOG")
            .stdin(Stdio::null());
        c
    }

    /// The binary as [`Self::command`] makes it, running on `token` and with no account chosen (as
    /// `--all-accounts` wants: it conflicts with MAILTRAP_ACCOUNT_ID).
    pub fn command_as(&self, token: &str, args: &[&str]) -> Command {
        let mut c = self.command(args);
        c.env("MAILTRAP_API_TOKEN", token)
            .env_remove("MAILTRAP_ACCOUNT_ID");
        c
    }

    /// Runs [`Self::command_as`] on the organization token.
    pub fn run_org(&self, args: &[&str]) -> Run {
        self.command_as(&self.organization_token, args)
            .output()
            .unwrap()
            .into()
    }

    /// The journal the commands run here write.
    pub fn journal_path(&self) -> std::path::PathBuf {
        self.home.path().join("state").join("journal.jsonl")
    }

    /// Runs a `sh` script with this simulator's environment; `$BIN` is the binary.
    pub fn shell(&self, script: &str, args: &[&str]) -> Run {
        Command::new("sh")
            .arg("-c")
            .arg(script)
            .arg("sh")
            .args(args)
            .env("BIN", BIN)
            .env("MAILTRAP_API_URL", &self.url)
            .env("MAILTRAP_API_TOKEN", &self.token)
            .env("MAILTRAP_ACCOUNT_ID", &self.account)
            .env("MAILTRAP_TOKENS_HOME", self.home.path())
            .stdin(Stdio::null())
            .output()
            .unwrap()
            .into()
    }

    pub fn run(&self, args: &[&str]) -> Run {
        self.command(args).output().unwrap().into()
    }

    pub fn run_with_stdin(&self, args: &[&str], input: &str) -> Run {
        let mut child = self
            .command(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // The command may refuse and exit before reading its input (that is what some tests check), so a
        // broken pipe here is an expected outcome, not a failure.
        let written = child.stdin.take().unwrap().write_all(input.as_bytes());
        if let Err(e) = written {
            assert_eq!(
                e.kind(),
                std::io::ErrorKind::BrokenPipe,
                "writing the child's stdin: {e}"
            );
        }
        child.wait_with_output().unwrap().into()
    }

    /// `GET path` with a token, over plain HTTP; returns the status.
    pub fn get_status(&self, path: &str, token: &str) -> u16 {
        runtime().block_on(async {
            reqwest::Client::new()
                .get(format!("{}{path}", self.url))
                .bearer_auth(token)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        })
    }

    /// `GET path` with this simulator's token, over plain HTTP: the status and the body as sent.
    pub fn get_text(&self, path: &str) -> (u16, String) {
        runtime().block_on(async {
            let answer = reqwest::Client::new()
                .get(format!("{}{path}", self.url))
                .bearer_auth(&self.token)
                .send()
                .await
                .unwrap();
            let status = answer.status().as_u16();
            (status, answer.text().await.unwrap())
        })
    }

    /// The API requests the simulator has received (method and path), from `/__sim/requests`; the log's own
    /// reads are left out.
    pub fn api_requests(&self) -> Vec<String> {
        crate::sim_control::api_requests(&self.url)
    }

    /// Queues a fault (`POST /__sim/faults`, spec §11) for the next matching requests.
    pub fn inject_fault(&self, fault: serde_json::Value) {
        crate::sim_control::inject_fault(&self.url, &fault);
    }

    /// Creates a throwaway account-admin token through the binary and returns its id.
    pub fn create_token(&self, name: &str) -> i64 {
        let permission = format!("account:{}:admin", self.account);
        let run = self.run(&[
            "create",
            "--name",
            name,
            "--permission",
            &permission,
            "--output",
            "json",
        ]);
        assert_eq!(run.code, 0, "{run:?}");
        let token: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        token["id"].as_i64().unwrap()
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// Snapshot filters: secrets, last-4 suffixes (random per run) and absolute times (the simulator's seed is
/// relative to its start).
pub fn filters() -> Vec<(&'static str, &'static str)> {
    vec![
        (r"\b[0-9a-f]{32}\b", "[secret]"),
        (r"…[0-9a-f]{4}\b", "…[last4]"),
        (
            r#""last_4_digits": "[0-9a-f]{4}""#,
            r#""last_4_digits": "[last4]""#,
        ),
        (r"\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC", "[time]"),
        (r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z", "[time]"),
        // The csv column after expires_at (a time or empty) is last_4_digits.
        (r"((?:\[time\])?),[0-9a-f]{4},", "$1,[last4],"),
    ]
}
