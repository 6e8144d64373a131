//! `accounts`, `list` and `get`: reads, printed in the chosen format.

use chrono::Utc;

use super::failure::Failure;
use super::setup::{account, client, print, print_json, print_token_list};
use crate::api::{Client, TokenId};
use crate::cli::args::{GlobalArgs, OutputFormat};
use crate::cli::output;

fn encoding_failure(e: impl std::fmt::Display) -> Failure {
    Failure::Output {
        what: format!("cannot format the output: {e}"),
    }
}

pub async fn accounts(global: &GlobalArgs, format: OutputFormat) -> Result<(), Failure> {
    let client = client(global)?;
    let accounts = client
        .accounts()
        .await
        .map_err(Failure::api_about("listing accounts"))?;
    let text = match format {
        OutputFormat::Table => output::accounts_table(&accounts),
        OutputFormat::Json => output::json(&accounts).map_err(encoding_failure)?,
        OutputFormat::Csv => output::accounts_csv(&accounts).map_err(encoding_failure)?,
    };
    print(&text)
}

pub async fn list(global: &GlobalArgs, format: OutputFormat) -> Result<(), Failure> {
    let client = client(global)?;
    if format == OutputFormat::Json {
        return list_json(global, &client).await;
    }
    let listed = match global.account_id {
        // The account named is checked while its list is on its way: one round trip, not two. Its answer
        // still decides: a list for an account the token does not see is never printed.
        Some(id) => {
            let (checked, list) = tokio::join!(account(&client, global), client.list_tokens(id));
            checked?;
            list
        }
        None => client.list_tokens(account(&client, global).await?).await,
    };
    let list = listed.map_err(Failure::api_about("listing tokens"))?;
    let tokens = &list.tokens;
    match format {
        OutputFormat::Table => print(&output::tokens_table(tokens, Utc::now()))?,
        OutputFormat::Json => print_json(tokens)?,
        OutputFormat::Csv => print(&output::tokens_csv(tokens).map_err(encoding_failure)?)?,
    }
    if list.unreadable.is_empty() {
        Ok(())
    } else {
        Err(Failure::Unreadable {
            printed: tokens.len(),
            tokens: list.unreadable,
        })
    }
}

/// `list --output json`: each token is written as it is read from the answer, so the list is never held
/// as tokens, and the output is the same as from the whole list at once.
async fn list_json(global: &GlobalArgs, client: &Client) -> Result<(), Failure> {
    let answer = match global.account_id {
        // As in `list`: the account is checked while its list is on its way, and its answer decides.
        Some(id) => {
            let (checked, answer) =
                tokio::join!(account(client, global), client.token_list_answer(id));
            checked?;
            answer
        }
        None => {
            client
                .token_list_answer(account(client, global).await?)
                .await
        }
    };
    let answer = answer.map_err(Failure::api_about("listing tokens"))?;
    let mut printed = 0;
    let unreadable = print_token_list(&answer, &mut printed)?;
    if unreadable.is_empty() {
        Ok(())
    } else {
        Err(Failure::Unreadable {
            printed,
            tokens: unreadable,
        })
    }
}

pub async fn get(global: &GlobalArgs, id: TokenId, format: OutputFormat) -> Result<(), Failure> {
    let client = client(global)?;
    let account = account(&client, global).await?;
    let token = client
        .get_token(account, id)
        .await
        .map_err(Failure::api_about(format!("token {id}")))?;
    let text = match format {
        OutputFormat::Table => output::token_detail(&token, Utc::now()),
        OutputFormat::Json => output::json(&token).map_err(encoding_failure)?,
        OutputFormat::Csv => {
            output::tokens_csv(std::slice::from_ref(&token)).map_err(encoding_failure)?
        }
    };
    print(&text)
}
