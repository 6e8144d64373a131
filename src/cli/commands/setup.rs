//! What every command starts from and ends with: the client, the account it works on, and stdout.

use std::io::Write;

use super::failure::Failure;
use crate::api::{
    Account, AccountChoice, AccountId, ApiError, Client, ListStop, TokenAnswer, TokenId,
    TokenListAnswer, UnreadableToken, resolve_account,
};
use crate::cli::args::GlobalArgs;
use crate::cli::session;
use crate::config::WriteMode;

/// The client from `MAILTRAP_API_TOKEN` and `--api-url` / `MAILTRAP_API_URL`.
pub(super) fn client(global: &GlobalArgs) -> Result<Client, Failure> {
    session::client(global).map_err(|e| match e {
        ApiError::Config(text) => Failure::Usage(text),
        other => Failure::api(other),
    })
}

/// The account to work on: `--account-id` / `MAILTRAP_ACCOUNT_ID` checked against what the token sees, or
/// the only account; several without a choice is a usage error listing them.
pub(super) async fn account(client: &Client, global: &GlobalArgs) -> Result<AccountId, Failure> {
    chosen_account(resolve_account(client, global.account_id).await)
}

/// Every account `GET /api/accounts` lists, for `--all-accounts`.
pub(super) async fn all_accounts(client: &Client) -> Result<Vec<Account>, Failure> {
    client
        .accounts()
        .await
        .map_err(Failure::api_about("listing accounts"))
}

/// `--all-accounts` with one token: the first listed account whose `GET` of the token answers 200, with
/// that answer. An account that does not have it (404) or may not be read (403) is passed over; any other
/// failure stops the search, which could otherwise name the wrong account.
pub(super) async fn find_token(
    client: &Client,
    id: TokenId,
) -> Result<(Account, TokenAnswer), Failure> {
    let accounts = all_accounts(client).await?;
    let count = accounts.len();
    for account in accounts {
        match client.token_answer(account.id, id).await {
            Ok(answer) => return Ok((account, answer)),
            Err(ApiError::NotFound | ApiError::Forbidden { .. }) => {}
            Err(e) => {
                return Err(Failure::api_about(format!(
                    "looking for token {id} in account {}",
                    account.id
                ))(e));
            }
        }
    }
    Err(Failure::api_about(format!(
        "token {id} is in none of the {count} accounts this token can see"
    ))(ApiError::NotFound))
}

/// The account a command about token `id` works on: with `--all-accounts`, the one that has it;
/// otherwise as [`account`].
pub(super) async fn account_of(
    client: &Client,
    global: &GlobalArgs,
    id: TokenId,
) -> Result<AccountId, Failure> {
    if global.all_accounts {
        Ok(find_token(client, id).await?.0.id)
    } else {
        account(client, global).await
    }
}

/// The account a write goes to, once the write settings allow it: `--read-only`, or the config's
/// `read_only` (the account's own, else the global one) refuse before any write is sent. Where no
/// account named on the command line or in the environment could allow it, nothing at all is sent.
/// With `--all-accounts` and a `token`, the account is the one that has it.
pub(super) async fn writable_account(
    client: &Client,
    global: &GlobalArgs,
    what: &str,
    token: Option<TokenId>,
) -> Result<AccountId, Failure> {
    let config = crate::config::Config::load(global.config.as_deref()).config;
    // Read-only everywhere: no account could allow it, so not even the account is asked for.
    let no_exception = config
        .account_write_modes()
        .values()
        .all(|m| !(m.allows_writes() || global.arm && *m == WriteMode::UntilArmed));
    if (global.read_only || global.account_id.is_some() || no_exception)
        && let Some(failure) = refusal(global, &config, global.account_id, what)
    {
        return Err(failure);
    }
    let id = match token {
        Some(token) => account_of(client, global, token).await?,
        None => account(client, global).await?,
    };
    match refusal(global, &config, Some(id), what) {
        Some(failure) => Err(failure),
        None => Ok(id),
    }
}

/// Why a write to `account` is refused by `--read-only` or the config's `read_only`, if it is.
pub(super) fn write_refused(
    global: &GlobalArgs,
    account: AccountId,
    what: &str,
) -> Option<Failure> {
    let config = crate::config::Config::load(global.config.as_deref()).config;
    refusal(global, &config, Some(account), what)
}

/// `account` is `None` where it is not known yet: the global setting decides.
fn refusal(
    global: &GlobalArgs,
    config: &crate::config::Config,
    account: Option<AccountId>,
    what: &str,
) -> Option<Failure> {
    if global.read_only {
        return Some(Failure::ReadOnly(format!("{what} refused: --read-only")));
    }
    let mode = match account {
        Some(id) => config.write_mode(id),
        None => config.read_only,
    };
    let scope = match account {
        Some(id) if config.accounts.contains_key(&id.to_string()) => {
            format!("the config file's [accounts.{id}] read_only")
        }
        _ => "the config file's read_only".to_string(),
    };
    let why = match mode {
        WriteMode::Allowed => return None,
        WriteMode::ReadOnly => format!("{what} refused: {scope} is true"),
        WriteMode::UntilArmed if global.arm => return None,
        WriteMode::UntilArmed => {
            format!("{what} refused: {scope} is \"until-armed\"; pass --arm to send this write")
        }
    };
    Some(Failure::ReadOnly(why))
}

fn chosen_account(choice: Result<AccountChoice, ApiError>) -> Result<AccountId, Failure> {
    match choice {
        Ok(AccountChoice::Chosen(account)) => Ok(account.id),
        Ok(AccountChoice::Ambiguous(accounts)) => Err(Failure::Usage(
            session::ambiguous_message(&accounts).trim_end().to_string(),
        )),
        Err(ApiError::Config(text)) => Err(Failure::Usage(text)),
        Err(e) => Err(Failure::api_about("finding the account")(e)),
    }
}

/// Writes a command's result to stdout. A reader that went away (`| head`) is not an error.
pub(crate) fn print(text: &str) -> Result<(), Failure> {
    match write_stdout(text) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Failure::Output {
            what: e.to_string(),
        }),
    }
}

/// `list --output json`: the readable tokens of `answer` written to stdout as they are read, each with
/// every field the server sent; returns how many were printed and the ones that could not be read. A
/// reader that went away is not an error.
pub(crate) async fn print_token_list(
    answer: TokenListAnswer,
) -> Result<(usize, Vec<UnreadableToken>), Failure> {
    let mut printed = 0;
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let output_failure = |e: std::io::Error, printed| match e.kind() {
        std::io::ErrorKind::BrokenPipe => Ok((printed, Vec::new())),
        _ => Err(Failure::Output {
            what: e.to_string(),
        }),
    };
    let mut elements = match crate::cli::output::JsonElements::open(&mut out) {
        Ok(elements) => elements,
        Err(e) => return output_failure(e, 0),
    };
    let read = answer
        .decode_with(crate::cli::output::SentTokens::plain(), |made| {
            printed += made.count;
            elements.laid_out(made)
        })
        .await;
    match read {
        // The array is closed only when the whole list was read: one that broke off does not end as if
        // it were whole.
        Ok(unreadable) => match elements.close().and_then(|()| out.flush()) {
            Ok(()) => Ok((printed, unreadable)),
            Err(e) => output_failure(e, printed),
        },
        Err(ListStop::Api(e)) => {
            // What was read before the answer broke off stays printed (the array left open, so no parser
            // takes it for the whole list); the error says the rest is missing.
            drop(elements);
            let _ = out.flush();
            let context = match printed {
                0 => "listing tokens".to_string(),
                n => format!(
                    "listing tokens (the answer broke off after {n} printed; the list is incomplete)"
                ),
            };
            Err(Failure::api_about(context)(e))
        }
        Err(ListStop::Each(e)) => output_failure(e, printed),
    }
}

/// Where a secret file goes: the config's `[secrets] dir` (`--config` honoured), else the state
/// directory's `secrets/`, else (no home directory at all) `secrets/` in the current directory.
pub(super) fn secrets_dir(global: &GlobalArgs) -> std::path::PathBuf {
    let config = crate::config::Config::load(global.config.as_deref()).config;
    let state_dir = crate::config::Paths::discover().map(|p| p.state_dir);
    config.secrets_dir(state_dir.as_deref()).unwrap_or_else(|| {
        crate::custody::secrets_dir(&std::env::current_dir().unwrap_or_else(|_| ".".into()))
    })
}

/// Writes to stdout and flushes; every error counts (for a secret, a reader that went away lost it).
pub(crate) fn write_stdout(text: &str) -> std::io::Result<()> {
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn several_accounts_without_a_choice_list_them_and_exit_2() {
        let account = |id, name: &str| crate::api::Account {
            id,
            name: name.into(),
            access_levels: vec![],
        };
        let failure = chosen_account(Ok(AccountChoice::Ambiguous(vec![
            account(1, "Acme"),
            account(2, "Evil\x1b[2J Inc"),
        ])))
        .unwrap_err();
        assert_eq!(failure.exit_code(), 2);
        let text = failure.message();
        assert!(text.starts_with("error: "), "{text}");
        assert!(text.contains("--account-id"), "{text}");
        assert!(text.contains("  1  Acme\n"), "{text}");
        assert!(text.contains("  2  Evil"), "{text}");
        assert!(!text.contains('\x1b'), "{text}");
        assert_eq!(
            chosen_account(Ok(AccountChoice::Chosen(account(7, "x")))).unwrap(),
            7
        );
        let hidden = chosen_account(Err(ApiError::Config("account 9 is not visible".into())));
        assert_eq!(hidden.unwrap_err().exit_code(), 2);
        let offline = chosen_account(Err(ApiError::Timeout)).unwrap_err();
        assert_eq!(offline.exit_code(), 7);
        assert!(offline.message().contains("finding the account"));
    }
}
