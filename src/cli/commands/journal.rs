//! `journal`: the writes this machine sent, one entry per request; and `journal undo ENTRY`, which puts
//! a token's permissions back as they were before a permission edit.

use std::io::IsTerminal;

use serde_json::json;

use super::confirm::{Consent, ask, consent};
use super::failure::Failure;
use super::record;
use super::setup::{client, print};
use crate::api::ApiToken;
use crate::cli::args::{GlobalArgs, JournalArgs, JournalCommand, OutputFormat, UndoArgs};
use crate::cli::output;
use crate::journal::{
    Action, Entry, EntryId, Journal, Note, Permission, changes_to_restore, permission_set,
    read_entries,
};
use crate::text::sanitize;

pub async fn journal(global: &GlobalArgs, args: JournalArgs) -> Result<(), Failure> {
    match args.command {
        Some(JournalCommand::Undo(undo_args)) => undo(global, undo_args).await,
        None => show(&args),
    }
}

/// The state directory's journal, for reading (nothing is written by reading it).
fn journal_file() -> Result<Journal, Failure> {
    crate::config::Paths::discover()
        .map(|p| Journal::in_state_dir(&p.state_dir))
        .ok_or_else(|| Failure::Usage("there is no home directory, so no journal".into()))
}

/// The entries, each torn or garbled line warned of on stderr (never a failure).
fn entries() -> Result<Vec<Entry>, Failure> {
    let journal = journal_file()?;
    let (entries, warnings) = read_entries(&journal).map_err(|e| Failure::Output {
        what: sanitize(&e.to_string()),
    })?;
    for warning in warnings {
        eprintln!("warning: {warning}");
    }
    Ok(entries)
}

fn show(args: &JournalArgs) -> Result<(), Failure> {
    let entries: Vec<Entry> = entries()?
        .into_iter()
        .filter(|e| args.since.is_none_or(|since| e.sent.time >= since))
        .collect();
    let text = match args.output.output {
        OutputFormat::Table => {
            let rows: Vec<Vec<String>> = entries.iter().map(|e| table_row(e, 40)).collect();
            output::table(
                &[
                    "ENTRY",
                    "TIME (UTC)",
                    "ACCOUNT",
                    "ACTION",
                    "TOKEN",
                    "NAME",
                    "LAST4",
                    "RESULT",
                    "CHANGE",
                ],
                &rows,
            )
        }
        OutputFormat::Csv => csv(&entries).map_err(|e| Failure::Output {
            what: e.to_string(),
        })?,
        OutputFormat::Json => {
            let all: Vec<serde_json::Value> = entries.iter().map(entry_json).collect();
            output::json(&all).map_err(|e| Failure::Output {
                what: e.to_string(),
            })?
        }
    };
    print(&text)
}

/// The token an entry is about: the one acted on, or the one a create made.
fn token_of(e: &Entry) -> Option<i64> {
    e.sent
        .token
        .or_else(|| e.answer.as_ref().and_then(|a| a.new_token))
}

/// `…ab12`, or `…ab12 → …cd34` for a reset, `→ …cd34` for a create.
fn last4_of(e: &Entry) -> String {
    let old = e
        .sent
        .last4
        .as_ref()
        .map(|l| format!("…{}", sanitize(l.as_str())));
    let new = e
        .answer
        .as_ref()
        .and_then(|a| a.new_last4.as_ref())
        .map(|l| format!("…{}", sanitize(l.as_str())));
    match (old, new) {
        (Some(old), Some(new)) => format!("{old} → {new}"),
        (Some(one), None) | (None, Some(one)) => one,
        (None, None) => String::new(),
    }
}

fn result_of(e: &Entry) -> String {
    match &e.sent.undoes {
        Some(undone) => format!("{} (undoes {undone})", e.result_text()),
        None => e.result_text().to_string(),
    }
}

/// `project 2 admin→viewer, domain 3 none→viewer` for a permission edit or an undo.
fn change_of(e: &Entry) -> String {
    if !matches!(e.sent.action, Action::EditPermissions | Action::Undo) {
        return String::new();
    }
    let (Some(before), Some(after)) = (&e.sent.before, &e.sent.after) else {
        return String::new();
    };
    let level = |set: &[Permission], p: &Permission| {
        set.iter()
            .find(|q| q.resource_type == p.resource_type && q.resource_id == p.resource_id)
            .map(|q| crate::api::AccessLevel(q.access_level).to_string())
            .unwrap_or_else(|| "none".into())
    };
    let mut keys: Vec<&Permission> = before.iter().chain(after.iter()).collect();
    keys.sort_by(|a, b| (&a.resource_type, a.resource_id).cmp(&(&b.resource_type, b.resource_id)));
    keys.dedup_by(|a, b| a.resource_type == b.resource_type && a.resource_id == b.resource_id);
    let parts: Vec<String> = keys
        .into_iter()
        .filter_map(|p| {
            let (was, now) = (level(before, p), level(after, p));
            (was != now).then(|| {
                format!(
                    "{} {} {was}→{now}",
                    sanitize(&p.resource_type),
                    p.resource_id
                )
            })
        })
        .collect();
    if parts.is_empty() {
        "no change".into()
    } else {
        parts.join(", ")
    }
}

fn table_row(e: &Entry, change_width: usize) -> Vec<String> {
    vec![
        e.id().to_string(),
        e.sent.time.format("%Y-%m-%d %H:%M:%S").to_string(),
        e.sent.account.to_string(),
        e.sent.action.as_str().to_string(),
        token_of(e).map(|t| t.to_string()).unwrap_or_default(),
        output::fit(&sanitize(e.sent.name.as_str()), 40),
        last4_of(e),
        result_of(e),
        output::fit(&change_of(e), change_width),
    ]
}

fn csv(entries: &[Entry]) -> Result<String, csv::Error> {
    let permissions = |set: &Option<Vec<Permission>>| {
        set.as_ref()
            .map(|s| {
                s.iter()
                    .map(|p| {
                        format!(
                            "{}:{}:{}",
                            sanitize(&p.resource_type),
                            p.resource_id,
                            p.access_level
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(";")
            })
            .unwrap_or_default()
    };
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record([
        "entry",
        "time",
        "account",
        "action",
        "token",
        "name",
        "last4",
        "result",
        "new_token",
        "new_last4",
        "before",
        "after",
        "undoes",
    ])?;
    for e in entries {
        let answer = e.answer.as_ref();
        let row = [
            e.id().to_string(),
            e.sent
                .time
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            e.sent.account.to_string(),
            e.sent.action.as_str().to_string(),
            e.sent.token.map(|t| t.to_string()).unwrap_or_default(),
            sanitize(e.sent.name.as_str()),
            e.sent
                .last4
                .as_ref()
                .map(|l| sanitize(l.as_str()))
                .unwrap_or_default(),
            e.result_text().to_string(),
            answer
                .and_then(|a| a.new_token)
                .map(|t| t.to_string())
                .unwrap_or_default(),
            answer
                .and_then(|a| a.new_last4.as_ref())
                .map(|l| sanitize(l.as_str()))
                .unwrap_or_default(),
            permissions(&e.sent.before),
            permissions(&e.sent.after),
            e.sent
                .undoes
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
        ];
        writer.write_record(row.into_iter().map(output::csv_cell))?;
    }
    let bytes = writer.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

fn entry_json(e: &Entry) -> serde_json::Value {
    let answer = e.answer.as_ref();
    json!({
        "entry": e.id(),
        "time": e.sent.time,
        "account": e.sent.account,
        "action": e.sent.action,
        "token": e.sent.token,
        "name": e.sent.name,
        "last4": e.sent.last4,
        "before": e.sent.before,
        "after": e.sent.after,
        "undoes": e.sent.undoes,
        "result": answer.map(|a| a.result.as_str()),
        "result_time": answer.map(|a| a.time),
        "new_token": answer.and_then(|a| a.new_token),
        "new_last4": answer.and_then(|a| a.new_last4.clone()),
    })
}

fn describe(set: &[Permission]) -> String {
    if set.is_empty() {
        return "no permissions".into();
    }
    set.iter()
        .map(|p| sanitize(&p.describe()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `journal undo ENTRY`: the entry's "before" put back, once the token is seen to be as the entry left it.
async fn undo(global: &GlobalArgs, args: UndoArgs) -> Result<(), Failure> {
    let wanted = EntryId::parse(&args.entry).ok_or_else(|| {
        Failure::Usage(format!(
            "{:?} is not an entry id (8 hex characters, from `mailtrap-tokens journal`)",
            sanitize(&args.entry)
        ))
    })?;
    let entry = entries()?
        .into_iter()
        .find(|e| *e.id() == wanted)
        .ok_or_else(|| Failure::Usage(format!("the journal has no entry {wanted}")))?;
    let (token_id, before, after) = undoable(&entry)?;
    if !args.dry_run
        && let Some(refused) = super::setup::write_refused(global, entry.sent.account, "undo")
    {
        return Err(refused);
    }
    let consent = if args.dry_run {
        Consent::Given
    } else {
        consent(args.yes, std::io::stdin().is_terminal(), "undo")?
    };
    let journal = if args.dry_run {
        None
    } else {
        Some(record::journal()?)
    };
    let client = client(global)?;
    let account = if global.all_accounts {
        // The account that has the token now (the journal's, unless the token is elsewhere).
        let found = super::setup::find_token(&client, token_id).await?.0.id;
        if !args.dry_run
            && found != entry.sent.account
            && let Some(refused) = super::setup::write_refused(global, found, "undo")
        {
            return Err(refused);
        }
        found
    } else {
        entry.sent.account
    };
    let token = client
        .get_token(account, token_id)
        .await
        .map_err(Failure::api_about(format!("token {token_id}")))?;
    let now = permission_set(&token.resources);
    if now != after && !args.force {
        return Err(Failure::Usage(format!(
            "token {token_id} changed since entry {wanted}: it now has {}, not {} as that edit left \
             it; nothing was sent (--force puts {} back anyway)",
            describe(&now),
            describe(&after),
            describe(&before)
        )));
    }
    let changes = changes_to_restore(&now, &before);
    if changes.is_empty() {
        eprintln!(
            "token {token_id} already has {}: nothing to undo, nothing was sent",
            describe(&before)
        );
        return Ok(());
    }
    let explanation = format!(
        "Undo entry {wanted} on {}:\n  now:      {}\n  restores: {}",
        named(&token),
        describe(&now),
        describe(&before)
    );
    let access = client
        .token_access(account, token_id)
        .await
        .map_err(Failure::api_about(format!(
            "the access of token {token_id}"
        )))?;
    let Some(journal) = journal else {
        eprintln!("{explanation}");
        let plan = client
            .plan_update_permissions(account, access.id, &changes)
            .map_err(Failure::api_about("planning the undo"))?;
        return record::print_plan(&[plan], OutputFormat::Table);
    };
    if consent == Consent::AskOnTerminal {
        let agreed = ask(
            &explanation,
            "Put them back?",
            &mut std::io::stdin().lock(),
            &mut std::io::stderr(),
        )
        .map_err(|e| Failure::Usage(format!("could not read the answer: {e}")))?;
        if !agreed {
            return Err(Failure::Cancelled);
        }
    } else {
        eprintln!("{explanation}");
    }
    let note = Note::about(Action::Undo, token.id, &token.name, &token.last_4_digits)
        .with_permissions(now, before)
        .undoing(wanted.clone());
    let recording = record::sent(&journal, account, note)?;
    let undo_entry = recording.entry().clone();
    let result = client
        .update_permissions(account, access.id, &changes)
        .await;
    record::finish(recording, &result, None);
    result.map_err(Failure::api_about(format!("undoing entry {wanted}")))?;
    eprintln!(
        "undid entry {wanted}: {} has its permissions back as before (journal entry {undo_entry})",
        named(&token)
    );
    Ok(())
}

/// An entry that can be undone: a permission edit (or an undo) that was done, with both sets recorded.
fn undoable(entry: &Entry) -> Result<(i64, Vec<Permission>, Vec<Permission>), Failure> {
    let id = entry.id();
    match entry.sent.action {
        Action::EditPermissions | Action::Undo => {}
        Action::Reset | Action::Delete => {
            return Err(Failure::Usage(format!(
                "entry {id} is a {}: a reset/delete cannot be undone",
                entry.sent.action.as_str()
            )));
        }
        Action::Create => {
            return Err(Failure::Usage(format!(
                "entry {id} is a create: it cannot be undone (delete the token it made if it should go)"
            )));
        }
    }
    if entry.answer.as_ref().map(|a| a.result) != Some(crate::journal::Outcome::Done) {
        return Err(Failure::Usage(format!(
            "entry {id} was not done (its result: {}), so there is nothing to undo",
            entry.result_text()
        )));
    }
    match (entry.sent.token, &entry.sent.before, &entry.sent.after) {
        (Some(token), Some(before), Some(after)) => Ok((token, before.clone(), after.clone())),
        _ => Err(Failure::Usage(format!(
            "entry {id} does not record the permissions before and after, so it cannot be undone"
        ))),
    }
}

fn named(token: &ApiToken) -> String {
    format!(
        "token {} \"{}\" ({})",
        token.id,
        sanitize(&token.name),
        output::last4(token)
    )
}
