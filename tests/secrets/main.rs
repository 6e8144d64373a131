//! No secret leaks: not into the log at its most verbose, `Debug` output, error messages, panic messages,
//! committed snapshots, the binary's output on error paths, or a plain-http connection to another host.
//! Every secret checked here was issued by the simulator at run time.

mod binary;
mod files;
mod flows;
mod plain_http;
#[path = "../support/sim.rs"]
pub mod support;

use mailtrap_tokens::api::Secret;

/// Fails if any of the secrets occurs in `text`; `what` says where the text came from.
pub fn assert_no_secret(what: &str, text: &str, secrets: &[&Secret]) {
    for secret in secrets {
        let raw = secret.expose_secret();
        assert!(!raw.is_empty());
        assert!(
            !text.contains(raw),
            "{what} holds the secret ending …{} ({} bytes of text)",
            secret.last4(),
            text.len()
        );
    }
}
