//! `mailtrap-tokens serve`: the simulator as a process, for people and for end-to-end tests.

use std::io::Write;
use std::path::PathBuf;

use super::options::SimOptions;
use super::running::{RunningSim, SimError};

/// What `serve` runs with; the command line builds it.
pub struct ServeOptions {
    pub sim: SimOptions,
    /// SDK mode: the file to write the certificate the SDKs must trust to.
    pub sdk_ca: Option<PathBuf>,
}

pub fn run(options: ServeOptions) -> i32 {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("mailtrap-tokens serve: cannot start the runtime: {e}");
            return 1;
        }
    };
    runtime.block_on(serve(options))
}

async fn serve(options: ServeOptions) -> i32 {
    let sim = match RunningSim::start(options.sim).await {
        Ok(sim) => sim,
        Err(e @ SimError::Seed { .. }) => {
            eprintln!("mailtrap-tokens serve: {e}");
            return 2;
        }
        Err(e) => {
            eprintln!("mailtrap-tokens serve: {e}");
            return 1;
        }
    };
    let sdk_lines = match &options.sdk_ca {
        Some(file) => match sdk_mode(&sim, file) {
            Ok(lines) => lines,
            Err(e) => {
                eprintln!("mailtrap-tokens serve: --sdk-ca {}: {e}", file.display());
                return 2;
            }
        },
        None => String::new(),
    };
    let operator = sim.operator_token();
    let mut out = std::io::stdout().lock();
    let printed = writeln!(
        out,
        "MAILTRAP_API_URL={}\nMAILTRAP_API_TOKEN={}\nMAILTRAP_ACCOUNT_ID={}",
        sim.url(),
        operator.expose_secret(),
        sim.account_id()
    )
    .and_then(|()| out.write_all(sdk_lines.as_bytes()))
    .and_then(|()| out.flush());
    if let Err(e) = printed {
        eprintln!("mailtrap-tokens serve: cannot write to stdout: {e}");
        return 1;
    }
    // After the lines scripts read (`head -n 3`, and the SDK lines): a reader that stopped before these
    // closed the pipe, which must not stop the simulator, so their failure is no error.
    let organization = match (sim.organization_id(), sim.organization_token()) {
        (Some(org), Some(token)) => format!(
            "MAILTRAP_ORGANIZATION_ID={org}\nMAILTRAP_ORGANIZATION_TOKEN={}\n",
            token.expose_secret()
        ),
        (Some(org), None) => format!("MAILTRAP_ORGANIZATION_ID={org}\n"),
        _ => String::new(),
    };
    let _ = out
        .write_all(organization.as_bytes())
        .and_then(|()| out.flush());
    drop(out);
    eprintln!(
        "mailtrap-tokens serve: simulating Mailtrap at {}; Ctrl-C stops it",
        sim.url()
    );
    wait_for_stop().await;
    sim.shutdown().await;
    0
}

/// Turns SDK mode on, writes the certificate, and returns the environment lines that point an SDK here.
fn sdk_mode(sim: &RunningSim, file: &std::path::Path) -> Result<String, String> {
    let pem = sim.enable_sdk_mode()?;
    std::fs::write(file, pem).map_err(|e| format!("cannot write the certificate: {e}"))?;
    let file = file.display();
    Ok(format!(
        "HTTPS_PROXY={}\nNODE_EXTRA_CA_CERTS={file}\nREQUESTS_CA_BUNDLE={file}\n",
        sim.url()
    ))
}

async fn wait_for_stop() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
