//! `create`, `reset` and `delete`. The new secret is the only thing on stdout (or, with `--output json`,
//! the new token with its secret), so `SECRET=$(mailtrap-tokens reset 42 --yes)` works; the summary goes
//! to stderr.

use std::io::IsTerminal;

use chrono::Utc;
use serde::Serialize;
use zeroize::Zeroizing;

use super::confirm::{Consent, ask, consent};
use super::failure::Failure;
use super::record;
use super::setup::{account, account_of, client, writable_account, write_stdout};
use crate::api::{ApiToken, Client, CreatedToken, NewToken, TokenId};
use crate::cli::args::{CreateArgs, DeleteArgs, GlobalArgs, OutputFormat, ResetArgs};
use crate::cli::output;
use crate::config::HandoffTarget;
use crate::journal::{Action, Note, permission_set};
use crate::rotation::{Vars, handoff, runs_for};
use crate::text::sanitize;

pub async fn create(global: &GlobalArgs, args: CreateArgs) -> Result<(), Failure> {
    if global.all_accounts {
        return Err(Failure::Usage(
            "create makes a token in one account: name it with --account-id (or MAILTRAP_ACCOUNT_ID) \
             instead of --all-accounts"
                .into(),
        ));
    }
    let targets = handoff_targets(global, &args.handoff.targets)?;
    if args.dry_run {
        let client = client(global)?;
        let account = account(&client, global).await?;
        let new = new_token(&args);
        let plan = client
            .plan_create(account, &new)
            .map_err(Failure::api_about("planning the create"))?;
        return record::print_plan(&[plan], args.output.output);
    }
    if targets.is_empty() {
        refuse_blind_stdout("create")?;
    }
    let journal = record::journal()?;
    let client = client(global)?;
    let account = writable_account(&client, global, "create", None).await?;
    let new = new_token(&args);
    let recording = record::sent(&journal, account, Note::create(&new.name, &new.resources))?;
    let result = client.create_token(account, &new).await;
    let made = result
        .as_ref()
        .ok()
        .map(|c| (c.token.id, c.token.last_4_digits.as_str()));
    record::finish(recording, &result, made);
    let created = result.map_err(Failure::api_about("creating the token"))?;
    if !targets.is_empty() {
        say(&format!("created {}", summary(&created.token)));
        return hand_off(global, &created, account, None, &targets).await;
    }
    // The secret first: a failing stderr must not stand between it and stdout.
    emit_secret(global, &created, args.output.output)?;
    say(&format!("created {}", summary(&created.token)));
    Ok(())
}

fn new_token(args: &CreateArgs) -> NewToken {
    NewToken {
        name: args.name.clone(),
        resources: args.permissions.clone(),
        expiry: args.expiry.to_expiry(Utc::now()),
    }
}

/// The `[[handoff]]` targets named on the command line, found before anything is sent.
fn handoff_targets(global: &GlobalArgs, names: &[String]) -> Result<Vec<HandoffTarget>, Failure> {
    if names.is_empty() {
        return Ok(Vec::new());
    }
    let loaded = crate::config::Config::load(global.config.as_deref());
    for warning in &loaded.warnings {
        eprintln!("warning: {warning}");
    }
    let known = &loaded.config.handoff;
    names
        .iter()
        .map(|name| {
            known
                .iter()
                .find(|t| t.name == *name)
                .cloned()
                .ok_or_else(|| {
                    let names: Vec<&str> = known.iter().map(|t| t.name.as_str()).collect();
                    let listed = if names.is_empty() {
                        "the config file has no [[handoff]] tables".to_string()
                    } else {
                        format!("the config file's are: {}", names.join(", "))
                    };
                    Failure::Usage(format!(
                        "no hand-off is named {:?} ({listed}); nothing was sent",
                        sanitize(name)
                    ))
                })
        })
        .collect()
}

/// Hands the new secret to `targets` (each command gets it on its standard input), keeps the account's
/// places list in step (a reset's places follow the new token; the places a command updated are ticked),
/// and, if any command fails, saves the secret to a new 0600 file so that it is not lost.
async fn hand_off(
    global: &GlobalArgs,
    created: &CreatedToken,
    account: crate::api::AccountId,
    old: Option<TokenId>,
    targets: &[HandoffTarget],
) -> Result<(), Failure> {
    let new = created.token.id;
    let state_dir = crate::config::Paths::discover().map(|p| p.state_dir);
    let book_path = state_dir
        .as_ref()
        .map(|dir| crate::rotation::places::book_path(dir, account));
    let mut book = match &book_path {
        Some(path) => crate::rotation::places::load(path).unwrap_or_else(|why| {
            say(&format!("warning: {why}"));
            Default::default()
        }),
        None => Default::default(),
    };
    if let Some(old) = old {
        book.follow(old, new);
    }
    let checklist = old.unwrap_or(new);
    let places = book.of(checklist).to_vec();
    let name = sanitize(&created.token.name);
    let vars = Vars {
        name: &name,
        id: new,
        account,
    };
    let mut failed = Vec::new();
    for target in targets {
        for run in runs_for(target, &vars, &places) {
            let outcome = handoff::run(&run, &created.secret).await;
            say(&format!("hand-off {}", outcome.describe(&run.target)));
            if outcome.succeeded() {
                book.tick(checklist, &run.places);
            } else {
                failed.push(outcome.describe(&run.target).into_string());
            }
        }
    }
    if let Some(path) = &book_path
        && let Err(e) = crate::rotation::places::save(path, &book)
    {
        say(&format!("warning: the places list could not be saved: {e}"));
    }
    if failed.is_empty() {
        return Ok(());
    }
    let dir = super::setup::secrets_dir(global);
    match crate::custody::rescue(&dir, &created.token.name, new, &created.secret) {
        Ok(path) => Err(Failure::HandoffFailed { failed, path }),
        Err(e) => Err(lost_secret(
            &created.token,
            &format!(
                "the hand-off failed ({}) and saving it to a file failed too ({e})",
                failed.join("; ")
            ),
        )),
    }
}

pub async fn reset(global: &GlobalArgs, args: ResetArgs) -> Result<(), Failure> {
    let targets = handoff_targets(global, &args.handoff.targets)?;
    if args.dry_run {
        let client = client(global)?;
        let account = account_of(&client, global, args.id).await?;
        let plan = client
            .plan_reset(account, args.id, args.expiry.to_expiry(Utc::now()))
            .map_err(Failure::api_about("planning the reset"))?;
        return record::print_plan(&[plan], args.output.output);
    }
    if targets.is_empty() {
        refuse_blind_stdout("reset")?;
    }
    let consent = consent(args.yes, std::io::stdin().is_terminal(), "reset")?;
    let journal = record::journal()?;
    let client = client(global)?;
    let account = writable_account(&client, global, "reset", Some(args.id)).await?;
    let about = format!("token {}", args.id);
    // Read first: the journal names the token and its last four.
    let token = fetch(&client, account, args.id).await?;
    if consent == Consent::AskOnTerminal {
        let name = sanitize(&token.name);
        let explanation = format!(
            "Reset {}?\n  - its current secret keeps working for 12 hours (or until it expires, if sooner), \
             then stops;\n  - a new token \"{name} <new id>\" with the same permissions is created, and its \
             secret is shown once.",
            summary(&token)
        );
        confirm(&explanation, "Reset it?")?;
    }
    let expiry = args.expiry.to_expiry(Utc::now());
    let note = Note::about(Action::Reset, token.id, &token.name, &token.last_4_digits);
    let recording = record::sent(&journal, account, note)?;
    let result = client.reset_token(account, args.id, expiry).await;
    let made = result
        .as_ref()
        .ok()
        .map(|c| (c.token.id, c.token.last_4_digits.as_str()));
    record::finish(recording, &result, made);
    let created = result.map_err(Failure::api_about(about))?;
    if !targets.is_empty() {
        say(&format!(
            "reset token {}: the old secret keeps working for up to 12 hours; new {}",
            args.id,
            summary(&created.token)
        ));
        return hand_off(global, &created, account, Some(args.id), &targets).await;
    }
    emit_secret(global, &created, args.output.output)?;
    say(&format!(
        "reset token {}: the old secret keeps working for up to 12 hours; new {}",
        args.id,
        summary(&created.token)
    ));
    Ok(())
}

/// A line on stderr that never panics (a closed or full stderr loses the words, not the command).
fn say(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{line}");
}

pub async fn delete(global: &GlobalArgs, args: DeleteArgs) -> Result<(), Failure> {
    if args.dry_run {
        let client = client(global)?;
        let account = account_of(&client, global, args.id).await?;
        let plan = client
            .plan_delete(account, args.id)
            .map_err(Failure::api_about("planning the delete"))?;
        return record::print_plan(&[plan], OutputFormat::Table);
    }
    let consent = consent(args.yes, std::io::stdin().is_terminal(), "delete")?;
    let journal = record::journal()?;
    let client = client(global)?;
    let account = writable_account(&client, global, "delete", Some(args.id)).await?;
    let about = format!("token {}", args.id);
    // Read first: the journal names the token, its last four and the permissions that go with it.
    let token = fetch(&client, account, args.id).await?;
    let described = summary(&token);
    if consent == Consent::AskOnTerminal {
        let explanation =
            format!("Delete {described}?\n  It stops working immediately; this cannot be undone.");
        confirm(&explanation, "Delete it?")?;
    }
    let mut note = Note::about(Action::Delete, token.id, &token.name, &token.last_4_digits);
    note.before = Some(permission_set(&token.resources));
    let recording = record::sent(&journal, account, note)?;
    let result = client.delete_token(account, args.id).await;
    record::finish(recording, &result, None);
    result.map_err(Failure::api_about(about))?;
    eprintln!("deleted {described}");
    Ok(())
}

async fn fetch(client: &Client, account: i64, id: TokenId) -> Result<ApiToken, Failure> {
    client
        .get_token(account, id)
        .await
        .map_err(Failure::api_about(format!("token {id}")))
}

fn confirm(explanation: &str, question: &str) -> Result<(), Failure> {
    let agreed = ask(
        explanation,
        question,
        &mut std::io::stdin().lock(),
        &mut std::io::stderr(),
    )
    .map_err(|e| Failure::Usage(format!("could not read the answer: {e}")))?;
    if agreed {
        Ok(())
    } else {
        Err(Failure::Cancelled)
    }
}

/// `token 43 "Deploy key 43" (…dcf7), expires 2027-06-01 00:00 UTC (in 364d 23h)`.
pub fn summary(token: &ApiToken) -> String {
    format!(
        "token {} \"{}\" ({}), expires {}",
        token.id,
        sanitize(&token.name),
        output::last4(token),
        output::expiry(token.expires_at, Utc::now())
    )
}

/// The token as the API returned it, `token` included.
#[derive(Serialize)]
struct WithSecret<'a> {
    #[serde(flatten)]
    token: &'a ApiToken,
    #[serde(rename = "token")]
    secret: &'a str,
}

fn emit_secret(
    global: &GlobalArgs,
    created: &CreatedToken,
    format: OutputFormat,
) -> Result<(), Failure> {
    let text = match format {
        OutputFormat::Json => Zeroizing::new(
            output::json(&WithSecret {
                token: &created.token,
                secret: created.secret.expose_secret(),
            })
            .map_err(|e| lost_secret(&created.token, &e.to_string()))?,
        ),
        OutputFormat::Table | OutputFormat::Csv => {
            Zeroizing::new(format!("{}\n", created.secret.expose_secret()))
        }
    };
    match write_stdout(&text) {
        Ok(()) => Ok(()),
        Err(e) => Err(rescue_secret(global, created, &e.to_string())),
    }
}

/// The secret was made but stdout did not take it: it goes to a new 0600 file in the secrets directory
/// (the config's `[secrets] dir`, else the state directory's `secrets/`), and the failure says where.
fn rescue_secret(global: &GlobalArgs, created: &CreatedToken, what: &str) -> Failure {
    let dir = super::setup::secrets_dir(global);
    match crate::custody::rescue(&dir, &created.token.name, created.token.id, &created.secret) {
        Ok(path) => Failure::SecretSaved {
            what: what.to_string(),
            path,
        },
        Err(e) => lost_secret(
            &created.token,
            &format!("{what}; saving it to a file failed too ({e})"),
        ),
    }
}

/// A secret written to a closed stdout or to /dev/null is lost the moment it is made: refuse before
/// anything is sent.
fn refuse_blind_stdout(verb: &str) -> Result<(), Failure> {
    match stdout_discards() {
        Some(why) => Err(Failure::Usage(format!(
            "standard output is {why}, so the new secret would be lost; nothing was sent. Send the \
             output of `{verb}` to a file or a variable instead"
        ))),
        None => Ok(()),
    }
}

/// `Some("closed")` or `Some("/dev/null")` when whatever is written to stdout is lost.
#[cfg(unix)]
fn stdout_discards() -> Option<&'static str> {
    use std::os::unix::fs::MetadataExt;
    // SAFETY: fcntl and fstat only read the state of descriptor 1 into a local value.
    unsafe {
        let flags = libc::fcntl(libc::STDOUT_FILENO, libc::F_GETFL);
        if flags == -1 {
            return Some("closed");
        }
        if flags & libc::O_ACCMODE == libc::O_RDONLY {
            return Some("open for reading only");
        }
        let mut st: libc::stat = std::mem::zeroed();
        if libc::fstat(libc::STDOUT_FILENO, &mut st) != 0 {
            return Some("closed");
        }
        let null = std::fs::metadata("/dev/null").ok()?;
        let is_char = st.st_mode & libc::S_IFMT == libc::S_IFCHR;
        (is_char && st.st_rdev as u64 == null.rdev()).then_some("/dev/null")
    }
}

#[cfg(not(unix))]
fn stdout_discards() -> Option<&'static str> {
    None
}

/// The token exists but its secret could not be handed over: say how to recover.
fn lost_secret(token: &ApiToken, what: &str) -> Failure {
    Failure::Output {
        what: format!(
            "{what}; token {} was created but its secret was not printed: reset it to get a new secret",
            token.id
        ),
    }
}
