//! `RunningSim`: a simulator listening on loopback inside the current tokio runtime.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use super::faults::Fault;
use super::http::router;
use super::options::SimOptions;
use super::sdk_proxy::make_tls;
use super::seed::{EMBEDDED_SEED, Seed};
use super::state::{Clock, LoggedRequest, Shared};
use super::world::{Synthetic, World};
use crate::api::{Resource, Secret, TokenId};

#[derive(Debug, thiserror::Error)]
pub enum SimError {
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("seed {file}: {message}")]
    Seed { file: String, message: String },
}

/// Dropping it stops the server.
pub struct RunningSim {
    shared: Arc<Shared>,
    addr: SocketAddr,
    operator: Secret,
    account_id: i64,
    /// The organization's demo token, when there is an organization.
    organization_token: Option<Secret>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

/// Reads the seed the options name, or the embedded one.
pub fn load_seed(options: &SimOptions) -> Result<Seed, SimError> {
    match &options.seed {
        None => Seed::parse(EMBEDDED_SEED).map_err(|message| SimError::Seed {
            file: "(embedded assets/seed.json)".into(),
            message,
        }),
        Some(path) => {
            let file = path.display().to_string();
            let text = std::fs::read_to_string(path).map_err(|e| SimError::Seed {
                file: file.clone(),
                message: format!("cannot read it: {e}"),
            })?;
            Seed::parse(&text).map_err(|message| SimError::Seed { file, message })
        }
    }
}

impl RunningSim {
    /// Binds, then serves on a task of the current runtime.
    pub async fn start(options: SimOptions) -> Result<RunningSim, SimError> {
        let seed = load_seed(&options)?;
        let clock = Clock::new(options.frozen_at);
        let synthetic = Synthetic {
            tokens: options.extra_tokens,
            accounts: options.synthetic_accounts,
            tokens_per_account: options.tokens_per_synthetic_account,
        };
        let built = World::from_seed(
            &seed,
            clock.now(),
            synthetic,
            options.default_expiry,
            options.cleanup_after,
        );
        let (world, operator) = (built.world, built.operator);
        let organization_token = built.organization_token.map(|(_, s)| Secret::new(s));
        let account_id = world.primary_account_id();
        let shared = Arc::new(Shared::new(
            world,
            clock,
            options.rate_limit,
            options.rate_window,
        ));
        let listener = tokio::net::TcpListener::bind(options.listen)
            .await
            .map_err(|source| SimError::Bind {
                addr: options.listen,
                source,
            })?;
        let addr = listener.local_addr().map_err(|source| SimError::Bind {
            addr: options.listen,
            source,
        })?;
        let app = router(shared.clone());
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let service = app.into_make_service_with_connect_info::<SocketAddr>();
            let result = axum::serve(listener, service)
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await;
            if let Err(e) = result {
                tracing::warn!(error = %e, "the simulator stopped");
            }
        });
        Ok(RunningSim {
            shared,
            addr,
            operator: Secret::new(operator),
            account_id,
            organization_token,
            stop: Some(stop),
            task: Some(task),
        })
    }

    /// Turns on SDK mode (see `sdk_proxy`) and returns the PEM certificate the SDK must trust.
    pub fn enable_sdk_mode(&self) -> Result<String, String> {
        let (pem, acceptor) = make_tls()?;
        self.shared
            .sdk_tls
            .set(acceptor)
            .map_err(|_| "SDK mode is already on".to_string())?;
        Ok(pem)
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The seeded account-admin token that never expires.
    pub fn operator_token(&self) -> Secret {
        self.operator.clone()
    }

    /// The first account: the operator token's.
    pub fn account_id(&self) -> i64 {
        self.account_id
    }

    /// The organization every account belongs to, if the seed (or `synthetic_accounts`) made one.
    pub fn organization_id(&self) -> Option<i64> {
        self.shared.lock().world.organization_id()
    }

    /// The organization token the demo runs as (the seed's `demo_token_id`), if there is one.
    pub fn organization_token(&self) -> Option<Secret> {
        self.organization_token.clone()
    }

    /// Every account, in seed order (then the synthetic ones, then those created since).
    pub fn account_ids(&self) -> Vec<i64> {
        self.shared.lock().world.account_ids()
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.shared.lock().clock.now()
    }

    pub fn advance_clock(&self, by: chrono::Duration) {
        self.shared.lock().clock.advance(by);
    }

    pub fn requests(&self) -> Vec<LoggedRequest> {
        self.shared.lock().log.clone()
    }

    pub fn clear_requests(&self) {
        self.shared.lock().log.clear();
    }

    pub fn inject_fault(&self, fault: Fault) {
        self.shared.lock().faults.push(fault);
    }

    pub fn clear_faults(&self) {
        self.shared.lock().faults.clear();
    }

    /// Adds a token directly, attributed to the account owner (e.g. a viewer token for a test).
    pub fn issue_token(
        &self,
        name: &str,
        resources: Vec<Resource>,
        expires_at: Option<DateTime<Utc>>,
    ) -> (TokenId, Secret) {
        self.issue_token_in(self.account_id, name, resources, expires_at)
    }

    /// Adds a token directly to `account`'s token list, attributed to the owner.
    pub fn issue_token_in(
        &self,
        account: i64,
        name: &str,
        resources: Vec<Resource>,
        expires_at: Option<DateTime<Utc>>,
    ) -> (TokenId, Secret) {
        let (id, secret) =
            self.shared
                .lock()
                .world
                .issue(Some(account), name, resources, expires_at);
        (id, Secret::new(secret))
    }

    /// Stops accepting, lets open requests finish (bounded), then returns.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(mut task) = self.task.take()
            && tokio::time::timeout(Duration::from_secs(5), &mut task)
                .await
                .is_err()
        {
            task.abort();
        }
    }
}

impl Drop for RunningSim {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}
