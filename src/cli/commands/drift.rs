//! `drift`: the account's tokens compared with the snapshot the last look kept; the new snapshot is kept
//! in its place, what changed is printed, and the exit code is 12 when anything did (for cron jobs).

use chrono::Utc;
use serde::Serialize;

use super::failure::Failure;
use super::setup::{account, client, print};
use crate::api::AccountId;
use crate::cli::args::{DriftArgs, DriftFormat, GlobalArgs};
use crate::cli::output;
use crate::drift::{Change, Drift, Snapshot, ago, compare, load, save, snapshot_path};
use crate::text::sanitize;

/// `drift --output json`.
#[derive(Serialize)]
struct Report<'a> {
    account: AccountId,
    /// No snapshot to compare with (the first look, or the last one could not be read): one was kept.
    first_snapshot: bool,
    /// When the snapshot compared with was taken.
    since: Option<chrono::DateTime<Utc>>,
    taken_at: chrono::DateTime<Utc>,
    tokens: usize,
    /// Tokens the list could not read; none of them is counted as deleted.
    unreadable: usize,
    summary: String,
    changes: &'a [Change],
}

pub async fn drift(global: &GlobalArgs, args: DriftArgs) -> Result<(), Failure> {
    let client = client(global)?;
    let account = account(&client, global).await?;
    let list = client
        .list_tokens(account)
        .await
        .map_err(Failure::api_about("listing tokens"))?;
    let state_dir = crate::config::Paths::discover()
        .map(|p| p.state_dir)
        .ok_or_else(|| {
            Failure::Usage(
                "there is no state directory to keep the snapshot in (no home directory; set \
                 MAILTRAP_TOKENS_HOME)"
                    .into(),
            )
        })?;
    let path = snapshot_path(&state_dir, account);
    let api_url = client.base_url().as_str().to_string();
    let loaded = load(&path, account, &api_url);
    if let Some(warning) = &loaded.warning {
        eprintln!("warning: {}", sanitize(warning));
    }
    let now = Utc::now();
    let snapshot = Snapshot::of_list(account, &api_url, &list, now, loaded.snapshot.as_ref());
    let drift = loaded
        .snapshot
        .as_ref()
        .map(|before| compare(before, &snapshot));
    if let Err(e) = save(&path, &snapshot) {
        eprintln!(
            "warning: the new snapshot could not be kept in {} ({e}); the next look compares with the \
             one before",
            sanitize(&path.display().to_string())
        );
    }
    if !list.unreadable.is_empty() {
        eprintln!(
            "warning: {} token{} could not be read; none of them is counted as deleted",
            list.unreadable.len(),
            if list.unreadable.len() == 1 { "" } else { "s" }
        );
    }
    let summary = drift
        .as_ref()
        .map_or_else(|| "first snapshot".to_string(), Drift::summary);
    let text = match args.output {
        DriftFormat::Json => {
            let report = Report {
                account,
                first_snapshot: drift.is_none(),
                since: drift.as_ref().map(|d| d.since),
                taken_at: now,
                tokens: snapshot.tokens.len(),
                unreadable: list.unreadable.len(),
                summary: summary.clone(),
                changes: drift.as_ref().map_or(&[], |d| d.changes.as_slice()),
            };
            output::json(&report).map_err(|e| Failure::Output {
                what: format!("cannot format the output: {e}"),
            })?
        }
        DriftFormat::Table => table(account, snapshot.tokens.len(), drift.as_ref(), now),
    };
    print(&text)?;
    match drift {
        Some(drift) if !drift.is_empty() => Err(Failure::Drift { summary }),
        _ => Ok(()),
    }
}

/// The changes for a person: a line saying since when, then one row per change with its details.
fn table(
    account: AccountId,
    tokens: usize,
    drift: Option<&Drift>,
    now: chrono::DateTime<Utc>,
) -> String {
    let Some(drift) = drift else {
        return format!(
            "No earlier snapshot of account {account}: recorded one of {tokens} token{}; the next \
             `drift` compares with it.\n",
            if tokens == 1 { "" } else { "s" }
        );
    };
    let since = format!(
        "{} ({} ago)",
        output::timestamp(drift.since),
        ago(now - drift.since)
    );
    if drift.is_empty() {
        return format!("No changes to account {account} since {since}.\n");
    }
    let rows: Vec<Vec<String>> = drift
        .changes
        .iter()
        .map(|change| {
            vec![
                change.kind_label().to_string(),
                change.token_id().to_string(),
                output::fit(&change.token_name(), 48),
                change.details().join("; "),
            ]
        })
        .collect();
    format!(
        "Since {since}: {}\n\n{}",
        drift.summary(),
        output::table(&["CHANGE", "ID", "NAME", "DETAILS"], &rows)
    )
}
