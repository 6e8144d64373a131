//! Network and server faults injected by the simulator (`/__sim/faults`, `RunningSim::inject_fault`), seen
//! through the API client: every error says in words what happened and what to do, reads are retried,
//! writes never are (the simulator's request log proves it), and an answer that never arrived is not
//! mistaken for a failure that did not happen.

mod bulk;
mod console;
mod network;
mod server;
mod session;

use mailtrap_tokens::api::ApiError;
use mailtrap_tokens::sim::RunningSim;

/// The error's sentence and advice are words a person can act on, and carry no markup or control bytes.
pub fn assert_explained(err: &ApiError, says: &str, advises: &str) {
    let text = err.to_string();
    assert!(text.contains(says), "{err:?} says {text:?}, not {says:?}");
    assert!(
        err.advice().contains(advises),
        "{err:?} advises {:?}, not {advises:?}",
        err.advice()
    );
    assert!(!text.contains('<'), "markup leaked: {text:?}");
    assert!(
        !text.chars().any(char::is_control),
        "control char: {text:?}"
    );
    assert!(!crate::support::has_secret_shape(&text), "{text}");
}

/// How many requests with this method the simulator received (whatever became of them).
pub fn sent(sim: &RunningSim, method: &str) -> usize {
    sim.requests().iter().filter(|r| r.method == method).count()
}
