//! Runs the request effects as tokio tasks. It owns the one `api::Client`; every answer goes back to the loop
//! as a `Msg` over one channel, tagged with its request id. A newer token load aborts the older task.

use tokio::sync::mpsc::UnboundedSender;
use tokio::task::JoinHandle;

use crate::api::{AccountId, ApiError, Client, CreatedToken, TokenId, resolve_account};
use crate::journal::{Journal, Note, not_journaled};
use std::path::PathBuf;

use crate::custody::save_secret_new;
use crate::drift;
use crate::rotation::{PlaceBook, handoff, places};

use super::effect::Effect;
use super::msg::Msg;
use super::state::table::{ListedRows, row_maker};

pub struct Executor {
    client: Client,
    tx: UnboundedSender<Msg>,
    tokens_tasks: std::collections::HashMap<crate::api::AccountId, JoinHandle<()>>,
    /// Where the places lists are kept; `None` keeps them in memory only.
    state_dir: Option<PathBuf>,
    /// The journal every write goes through; `None` (no state directory: tests, the demo) journals
    /// nothing.
    journal: Option<Journal>,
    /// Drift snapshots are read and kept in the state directory (not by `--dump-screen`: a picture is
    /// not a look, and must not move the baseline the next look compares with).
    snapshots: bool,
    /// The snapshot being saved: its parts go to the thread that writes it.
    snapshot_save: Option<SnapshotSave>,
}

/// A snapshot save in progress (see `Effect::SaveSnapshot`).
struct SnapshotSave {
    save: u64,
    parts: std::sync::mpsc::Sender<(Vec<drift::TokenRecord>, bool)>,
}

/// Writes snapshot save `save` as its parts come, answering each; a save whose parts stop coming (a newer
/// one started) ends with its temporary file removed and no answer.
fn write_snapshot(
    path: &std::path::Path,
    save: u64,
    account: crate::api::AccountId,
    api_url: &str,
    taken_at: chrono::DateTime<chrono::Utc>,
    parts: &std::sync::mpsc::Receiver<(Vec<drift::TokenRecord>, bool)>,
    tx: &UnboundedSender<Msg>,
) {
    let failed = |e: std::io::Error| {
        let _ = tx.send(Msg::SnapshotSaved {
            save,
            result: Err(e.to_string()),
        });
    };
    let mut writer = match drift::SnapshotWriter::create(path, account, api_url, taken_at) {
        Ok(writer) => writer,
        Err(e) => return failed(e),
    };
    while let Ok((records, last)) = parts.recv() {
        if let Err(e) = writer.write(&records) {
            return failed(e);
        }
        drop(records);
        if last {
            let result = writer.finish().map_err(|e| e.to_string());
            let _ = tx.send(Msg::SnapshotSaved { save, result });
            return;
        }
        let _ = tx.send(Msg::SnapshotPartWritten { save });
    }
}

impl Executor {
    pub fn new(client: Client, tx: UnboundedSender<Msg>) -> Self {
        Self {
            client,
            tx,
            tokens_tasks: std::collections::HashMap::new(),
            state_dir: None,
            journal: None,
            snapshots: true,
            snapshot_save: None,
        }
    }

    /// Keeps the places lists in `dir` (the state directory), and journals every write there.
    pub fn with_state_dir(mut self, dir: PathBuf) -> Self {
        self.journal = Some(Journal::in_state_dir(&dir));
        self.state_dir = Some(dir);
        self
    }

    /// Reads and keeps no drift snapshot (the stored one is as if absent, and stays as it is).
    pub fn without_snapshots(mut self) -> Self {
        self.snapshots = false;
        self
    }

    /// Keeps the places lists in `dir` but journals nothing (the demo, whose writes reach only the
    /// embedded simulator).
    pub fn without_journal(mut self) -> Self {
        self.journal = None;
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
        let journal = self.journal.clone();
        match effect {
            Effect::ResolveAccount { req, wanted } => {
                tokio::spawn(async move {
                    let result = resolve_account(&client, wanted).await;
                    reply(Msg::AccountResolved { req, result }, &client);
                });
            }
            Effect::LoadTokens { req, account } => {
                // An older list of the same account is stale once this one is asked for; the other
                // accounts' lists (the inventory) load beside it.
                self.tokens_tasks.retain(|_, task| !task.is_finished());
                if let Some(old) = self.tokens_tasks.remove(&account) {
                    old.abort();
                }
                let task = tokio::spawn(async move {
                    let result = client
                        .list_tokens_as(account, row_maker(account))
                        .await
                        .map(|(rows, unreadable)| ListedRows::made(rows, unreadable));
                    reply(Msg::TokensLoaded { req, result }, &client);
                });
                self.tokens_tasks.insert(account, task);
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
                journal: note,
            } => {
                tokio::spawn(async move {
                    let result = journaled(journal, account, note, made, async || {
                        client
                            .reset_token(account, token, crate::api::Expiry::ServerDefault)
                            .await
                    })
                    .await;
                    reply(Msg::TokenReset { req, token, result }, &client);
                });
            }
            Effect::DeleteToken {
                req,
                account,
                token,
                journal: note,
            } => {
                tokio::spawn(async move {
                    let result = journaled(
                        journal,
                        account,
                        note,
                        |_| None,
                        async || client.delete_token(account, token).await,
                    )
                    .await;
                    reply(Msg::TokenDeleted { req, token, result }, &client);
                });
            }
            Effect::CreateToken {
                req,
                account,
                new,
                journal: note,
            } => {
                tokio::spawn(async move {
                    let result = journaled(journal, account, note, made, async || {
                        client.create_token(account, &new).await
                    })
                    .await;
                    reply(Msg::TokenCreated { req, result }, &client);
                });
            }
            Effect::UpdatePermissions {
                req,
                account,
                token,
                changes,
                journal: note,
            } => {
                tokio::spawn(async move {
                    // The access is looked up first: a read, journaled by nobody; the PUT is the write.
                    let result = match client.token_access(account, token).await {
                        Ok(access) => {
                            journaled(
                                journal,
                                account,
                                note,
                                |_| None,
                                async || {
                                    client
                                        .update_permissions(account, access.id, &changes)
                                        .await
                                },
                            )
                            .await
                        }
                        Err(e) => Err(e),
                    };
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
            Effect::LoadSnapshot { account, against } => {
                let tx = self.tx.clone();
                let dir = self.state_dir.clone().filter(|_| self.snapshots);
                let api_url = self.client.base_url().to_string();
                tokio::task::spawn_blocking(move || {
                    let loaded = match dir {
                        Some(dir) => drift::load_against(
                            &drift::snapshot_path(&dir, account),
                            account,
                            &api_url,
                            Some(&against),
                        ),
                        None => drift::Loaded::default(),
                    };
                    let _ = tx.send(Msg::SnapshotLoaded { account, loaded });
                });
            }
            Effect::SaveSnapshot {
                save,
                account,
                taken_at,
                records,
                last,
            } => {
                let Some(dir) = self.state_dir.clone().filter(|_| self.snapshots) else {
                    // Kept nowhere: the save is over at its first part.
                    let _ = self.tx.send(Msg::SnapshotSaved {
                        save,
                        result: Ok(()),
                    });
                    return;
                };
                if self.snapshot_save.as_ref().is_none_or(|s| s.save != save) {
                    // A save's first part; one not finished is left, its temporary file removed.
                    let (parts, rx) = std::sync::mpsc::channel();
                    let path = drift::snapshot_path(&dir, account);
                    let api_url = self.client.base_url().to_string();
                    let tx = self.tx.clone();
                    tokio::task::spawn_blocking(move || {
                        write_snapshot(&path, save, account, &api_url, taken_at, &rx, &tx);
                    });
                    self.snapshot_save = Some(SnapshotSave { save, parts });
                }
                if let Some(current) = &self.snapshot_save {
                    let _ = current.parts.send((records, last));
                }
                if last {
                    self.snapshot_save = None;
                }
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
            Effect::PlanRequests {
                req,
                account,
                items,
            } => {
                tokio::spawn(async move {
                    let result = plan_requests(&client, account, &items).await;
                    reply(Msg::RequestsPlanned { req, result }, &client);
                });
            }
            // The clipboard and the terminal belong to the loop.
            Effect::CopyToClipboard { .. } | Effect::Suspend | Effect::Quit => {}
        }
    }
}

/// Sends one write between its two journal lines: "sent" first (when it cannot be written, nothing
/// is sent and the answer says so), the result after. The journal is a local file appended under a
/// lock, a few microseconds, so it is written from the task itself.
async fn journaled<T>(
    journal: Option<Journal>,
    account: AccountId,
    note: Note,
    made: impl Fn(&T) -> Option<(TokenId, &str)>,
    send: impl AsyncFnOnce() -> Result<T, ApiError>,
) -> Result<T, ApiError> {
    let Some(journal) = journal else {
        return send().await;
    };
    let recording = match journal.record_sent(account, note) {
        Ok(recording) => recording,
        Err(e) => return Err(not_journaled(&e)),
    };
    let result = send().await;
    let new = result.as_ref().ok().and_then(&made);
    if let Err(e) = recording.finish(&result, new) {
        tracing::warn!(error = %e, "the journal did not take a write's result");
    }
    result
}

/// The token a reset or a create made, for its result line.
fn made(created: &CreatedToken) -> Option<(TokenId, &str)> {
    Some((created.token.id, created.token.last_4_digits.as_str()))
}

/// The requests a bulk run would send, as the client builds them; a permission edit's access ids are
/// read once for all its tokens.
async fn plan_requests(
    client: &Client,
    account: crate::api::AccountId,
    items: &[super::effect::PlanItem],
) -> Result<Vec<String>, ApiError> {
    use super::effect::PlanItem;
    let needs_accesses = items.iter().any(|i| matches!(i, PlanItem::Permissions(..)));
    let accesses = if needs_accesses {
        client.account_accesses(account).await?
    } else {
        Vec::new()
    };
    let mut lines = Vec::new();
    for item in items {
        let plan = match item {
            PlanItem::Reset(id) => {
                client.plan_reset(account, *id, crate::api::Expiry::ServerDefault)?
            }
            PlanItem::Delete(id) => client.plan_delete(account, *id)?,
            PlanItem::Permissions(id, changes) => {
                let Some(access) = accesses.iter().find(|a| a.api_token_id() == Some(*id)) else {
                    lines.push(format!(
                        "(token {id}: the account lists no access for it, so nothing would be sent)"
                    ));
                    continue;
                };
                client.plan_update_permissions(account, access.id, changes)?
            }
        };
        lines.push(plan.to_string());
    }
    Ok(lines)
}
