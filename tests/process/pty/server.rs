//! `serve` in its own process for the console under test, with its request log as the witness of what
//! the console actually sent.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

pub struct Served {
    child: Child,
    pub vars: Vec<(String, String)>,
    pub url: String,
    /// The seed's first account (its `MAILTRAP_ACCOUNT_ID`), kept aside when the console is not given it.
    pub first_account: Option<String>,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Served {
    pub fn start() -> Self {
        Self::start_reading(3)
    }

    /// `serve` with its organization: the console runs on the organization's token and names no
    /// account, so it opens on the inventory of every account.
    pub fn start_organization() -> Self {
        let mut served = Self::start_reading(5);
        served.first_account = served.var("MAILTRAP_ACCOUNT_ID").map(str::to_string);
        let token = served
            .vars
            .iter()
            .find(|(k, _)| k == "MAILTRAP_ORGANIZATION_TOKEN")
            .map(|(_, v)| v.clone())
            .expect("serve names the organization's token");
        served.vars.retain(|(k, _)| {
            !matches!(
                k.as_str(),
                "MAILTRAP_ACCOUNT_ID" | "MAILTRAP_ORGANIZATION_TOKEN" | "MAILTRAP_ORGANIZATION_ID"
            )
        });
        for (k, v) in &mut served.vars {
            if k == "MAILTRAP_API_TOKEN" {
                *v = token.clone();
            }
        }
        served
    }

    /// The value `serve` printed for `key`.
    pub fn var(&self, key: &str) -> Option<&str> {
        self.vars
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    fn start_reading(lines_to_read: usize) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_mailtrap-tokens"))
            .args(["serve", "--listen", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("serve starts");
        let stdout = child.stdout.take().expect("serve's stdout");
        let mut lines = BufReader::new(stdout).lines();
        let vars: Vec<(String, String)> = (0..lines_to_read)
            .map(|_| {
                let line = lines.next().expect("serve prints its lines").unwrap();
                let (k, v) = line.split_once('=').expect("KEY=value");
                (k.to_string(), v.to_string())
            })
            .collect();
        let url = vars
            .iter()
            .find(|(k, _)| k == "MAILTRAP_API_URL")
            .map(|(_, v)| v.clone())
            .expect("the URL");
        Self {
            child,
            vars,
            url,
            first_account: None,
        }
    }

    /// The variables plus `extra`, for `Session::spawn`.
    pub fn env<'a>(&'a self, extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
        let mut env: Vec<(&str, &str)> = self
            .vars
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        env.extend_from_slice(extra);
        env
    }

    /// Every API request the simulator received, as `METHOD /path`, in order.
    pub fn requests(&self) -> Vec<String> {
        crate::sim_control::api_requests(&self.url)
    }

    /// The requests that change the account (anything but GET).
    pub fn writes(&self) -> Vec<String> {
        self.requests()
            .into_iter()
            .filter(|r| !r.starts_with("GET "))
            .collect()
    }

    pub fn count(&self, prefix: &str) -> usize {
        self.requests()
            .iter()
            .filter(|r| r.starts_with(prefix))
            .count()
    }
}

impl Served {
    /// Queues a fault (`POST /__sim/faults`) for the next matching request.
    pub fn inject_fault(&self, fault: serde_json::Value) {
        crate::sim_control::inject_fault(&self.url, &fault);
    }
}
