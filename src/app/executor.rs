//! Runs the request effects as tokio tasks. It owns the one `api::Client`; every answer goes back to the loop
//! as a `Msg` over one channel, tagged with its request id. A newer token load aborts the older task.

use tokio::sync::mpsc::UnboundedSender;
use tokio::task::JoinHandle;

use crate::api::Client;
use crate::cli::session;

use super::effect::Effect;
use super::msg::Msg;

pub struct Executor {
    client: Client,
    tx: UnboundedSender<Msg>,
    tokens_task: Option<JoinHandle<()>>,
}

impl Executor {
    pub fn new(client: Client, tx: UnboundedSender<Msg>) -> Self {
        Self {
            client,
            tx,
            tokens_task: None,
        }
    }

    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Starts the effect's request; must be called inside a tokio runtime. Terminal effects (suspend, quit)
    /// belong to the loop and are ignored here.
    pub fn run(&mut self, effect: Effect) {
        let client = self.client.clone();
        let tx = self.tx.clone();
        // A send fails only when the loop has ended; then nobody needs the answer.
        let reply = move |msg: Msg, client: &Client| {
            let _ = tx.send(msg);
            let _ = tx.send(Msg::RateRemaining(client.rate_remaining()));
        };
        match effect {
            Effect::ResolveAccount { req, wanted } => {
                tokio::spawn(async move {
                    let result = session::resolve_account(&client, wanted).await;
                    reply(Msg::AccountResolved { req, result }, &client);
                });
            }
            Effect::LoadTokens { req, account } => {
                if let Some(old) = self.tokens_task.take() {
                    old.abort(); // its answer would be stale anyway
                }
                self.tokens_task = Some(tokio::spawn(async move {
                    let result = client.list_tokens(account).await;
                    reply(Msg::TokensLoaded { req, result }, &client);
                }));
            }
            Effect::LoadResourceTree { req, account } => {
                tokio::spawn(async move {
                    let result = client.resource_tree(account).await;
                    reply(Msg::ResourceTreeLoaded { req, result }, &client);
                });
            }
            Effect::Suspend | Effect::Quit => {}
        }
    }
}
