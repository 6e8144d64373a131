//! The simulator's control surface (`/__sim/`, spec §11) as the process tests use it: the request log,
//! the witness of what a program sent, and fault injection.

fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
        .block_on(future)
}

/// The API requests the simulator at `url` has received, as `METHOD /path` in order; the log's own reads
/// are left out.
pub fn api_requests(url: &str) -> Vec<String> {
    let body: serde_json::Value = block_on(async {
        reqwest::Client::new()
            .get(format!("{url}/__sim/requests"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    });
    let entries = body
        .as_array()
        .or_else(|| body.get("requests").and_then(|r| r.as_array()))
        .cloned()
        .expect("the request log is a list");
    entries
        .iter()
        .map(|e| {
            format!(
                "{} {}",
                e["method"].as_str().unwrap_or("?"),
                e["path"].as_str().unwrap_or("?")
            )
        })
        .filter(|line| !line.contains("/__sim/"))
        .collect()
}

/// Queues a fault (`POST /__sim/faults`) for the next matching requests.
pub fn inject_fault(url: &str, fault: &serde_json::Value) {
    let status = block_on(async {
        reqwest::Client::new()
            .post(format!("{url}/__sim/faults"))
            .json(fault)
            .send()
            .await
            .unwrap()
            .status()
    });
    assert!(
        status.is_success(),
        "the simulator took the fault: {status}"
    );
}
