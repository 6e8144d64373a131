//! `serve` in its own process for the console under test, with its request log as the witness of what
//! the console actually sent.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

pub struct Served {
    child: Child,
    pub vars: Vec<(String, String)>,
    pub url: String,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Served {
    pub fn start() -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_mailtrap-tokens"))
            .args(["serve", "--listen", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("serve starts");
        let stdout = child.stdout.take().expect("serve's stdout");
        let mut lines = BufReader::new(stdout).lines();
        let vars: Vec<(String, String)> = (0..3)
            .map(|_| {
                let line = lines.next().expect("serve prints three lines").unwrap();
                let (k, v) = line.split_once('=').expect("KEY=value");
                (k.to_string(), v.to_string())
            })
            .collect();
        let url = vars
            .iter()
            .find(|(k, _)| k == "MAILTRAP_API_URL")
            .map(|(_, v)| v.clone())
            .expect("the URL");
        Self { child, vars, url }
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
