//! Runs the request effects as tokio tasks. It owns the one `api::Client`; every answer goes back to the loop
//! as a `Msg` over one channel, tagged with its request id. A newer token load aborts the older task.

use tokio::sync::mpsc::UnboundedSender;
use tokio::task::JoinHandle;

use crate::api::{ApiError, Client, resolve_account};
use std::path::PathBuf;

use crate::custody::save_secret_new;
use crate::drift;
use crate::rotation::{PlaceBook, handoff, places};

use super::effect::Effect;
use super::msg::Msg;

pub struct Executor {
    client: Client,
    tx: UnboundedSender<Msg>,
    tokens_task: Option<JoinHandle<()>>,
    /// Where the places lists are kept; `None` keeps them in memory only.
    state_dir: Option<PathBuf>,
}

impl Executor {
    pub fn new(client: Client, tx: UnboundedSender<Msg>) -> Self {
        Self {
            client,
            tx,
            tokens_task: None,
            state_dir: None,
        }
    }

    /// Keeps the places lists in `dir` (the state directory).
    pub fn with_state_dir(mut self, dir: PathBuf) -> Self {
        self.state_dir = Some(dir);
        self
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
                    let result = resolve_account(&client, wanted).await;
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
            Effect::ResetToken {
                req,
                account,
                token,
            } => {
                tokio::spawn(async move {
                    let result = client
                        .reset_token(account, token, crate::api::Expiry::ServerDefault)
                        .await;
                    reply(Msg::TokenReset { req, token, result }, &client);
                });
            }
            Effect::DeleteToken {
                req,
                account,
                token,
            } => {
                tokio::spawn(async move {
                    let result = client.delete_token(account, token).await;
                    reply(Msg::TokenDeleted { req, token, result }, &client);
                });
            }
            Effect::CreateToken { req, account, new } => {
                tokio::spawn(async move {
                    let result = client.create_token(account, &new).await;
                    reply(Msg::TokenCreated { req, result }, &client);
                });
            }
            Effect::UpdatePermissions {
                req,
                account,
                token,
                changes,
            } => {
                tokio::spawn(async move {
                    let result = update_permissions(&client, account, token, &changes).await;
                    reply(Msg::PermissionsUpdated { req, token, result }, &client);
                });
            }
            Effect::VerifySecret { req, secret } => {
                let tx = self.tx.clone();
                tokio::spawn(async move {
                    let result = client.with_token(secret).accounts().await;
                    let _ = tx.send(Msg::SecretVerified { req, result });
                });
            }
            Effect::SaveSecret { path, secret } => {
                let tx = self.tx.clone();
                tokio::task::spawn_blocking(move || {
                    let result = save_secret_new(&path, &secret).map_err(|e| e.to_string());
                    let _ = tx.send(Msg::SecretSaved(result));
                });
            }
            Effect::LoadPlaces { account } => {
                let tx = self.tx.clone();
                let dir = self.state_dir.clone();
                tokio::task::spawn_blocking(move || {
                    let result = match dir {
                        Some(dir) => places::load(&places::book_path(&dir, account)),
                        None => Ok(PlaceBook::default()),
                    };
                    let _ = tx.send(Msg::PlacesLoaded { account, result });
                });
            }
            Effect::SavePlaces { account, book } => {
                let tx = self.tx.clone();
                let dir = self.state_dir.clone();
                tokio::task::spawn_blocking(move || {
                    let result = match dir {
                        Some(dir) => places::save(&places::book_path(&dir, account), &book)
                            .map_err(|e| e.to_string()),
                        None => Ok(()),
                    };
                    let _ = tx.send(Msg::PlacesSaved(result));
                });
            }
            Effect::LoadSnapshot { account } => {
                let tx = self.tx.clone();
                let dir = self.state_dir.clone();
                let api_url = self.client.base_url().to_string();
                tokio::task::spawn_blocking(move || {
                    let loaded = match dir {
                        Some(dir) => {
                            drift::load(&drift::snapshot_path(&dir, account), account, &api_url)
                        }
                        None => drift::Loaded::default(),
                    };
                    let _ = tx.send(Msg::SnapshotLoaded { account, loaded });
                });
            }
            Effect::SaveSnapshot { account, snapshot } => {
                let tx = self.tx.clone();
                let dir = self.state_dir.clone();
                let snapshot = snapshot.of_api(self.client.base_url().as_str());
                tokio::task::spawn_blocking(move || {
                    let result = match dir {
                        Some(dir) => drift::save(&drift::snapshot_path(&dir, account), &snapshot)
                            .map_err(|e| e.to_string()),
                        None => Ok(()),
                    };
                    let _ = tx.send(Msg::SnapshotSaved(result));
                });
            }
            Effect::HandOff {
                token,
                runs,
                secret,
            } => {
                let tx = self.tx.clone();
                tokio::spawn(async move {
                    // One at a time: two commands writing the same place must not race.
                    for run in runs {
                        let outcome = handoff::run(&run, &secret).await;
                        let _ = tx.send(Msg::HandedOff {
                            token,
                            run,
                            outcome,
                        });
                    }
                });
            }
            // The clipboard and the terminal belong to the loop.
            Effect::CopyToClipboard { .. } | Effect::Suspend | Effect::Quit => {}
        }
    }
}

/// Edit permissions goes through the token's account access: find it, then send the bulk update.
async fn update_permissions(
    client: &Client,
    account: crate::api::AccountId,
    token: crate::api::TokenId,
    changes: &[crate::api::PermissionChange],
) -> Result<(), ApiError> {
    let accesses = client.account_accesses(account).await?;
    let access = accesses
        .iter()
        .find(|a| a.api_token_id() == Some(token))
        .ok_or_else(|| {
            ApiError::Config(
                "the account lists no access for this token, so its permissions cannot be edited \
                 here (unsupported for this token)"
                    .into(),
            )
        })?;
    client.update_permissions(account, access.id, changes).await
}
