//! `accounts`, `list` and `get`: reads, printed in the chosen format.

use chrono::Utc;

use super::failure::Failure;
use super::setup::{account, client, print, print_token_list};
use crate::api::{Client, TokenId, TokenListAnswer};
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
    let answer = token_list(&client, global).await?;
    let (printed, unreadable) = match format {
        // Each token written as it is read, with every field the server sent: the list is never held as
        // tokens.
        OutputFormat::Json => print_token_list(&answer)?,
        OutputFormat::Table | OutputFormat::Csv => {
            let list = answer
                .decode()
                .map_err(Failure::api_about("listing tokens"))?;
            let text = if format == OutputFormat::Table {
                output::tokens_table(&list.tokens, Utc::now())
            } else {
                output::tokens_csv(&list.tokens).map_err(encoding_failure)?
            };
            print(&text)?;
            (list.tokens.len(), list.unreadable)
        }
    };
    if unreadable.is_empty() {
        Ok(())
    } else {
        Err(Failure::Unreadable {
            printed,
            tokens: unreadable,
        })
    }
}

/// The account's token list as the server sent it. An account named by the settings is checked while
/// its list is on its way (one round trip, not two); the check still decides: a list for an account the
/// token does not see is never printed.
async fn token_list(client: &Client, global: &GlobalArgs) -> Result<TokenListAnswer, Failure> {
    let answer = match global.account_id {
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
    answer.map_err(Failure::api_about("listing tokens"))
}

pub async fn get(global: &GlobalArgs, id: TokenId, format: OutputFormat) -> Result<(), Failure> {
    let client = client(global)?;
    let account = account(&client, global).await?;
    let answer = client
        .token_answer(account, id)
        .await
        .map_err(Failure::api_about(format!("token {id}")))?;
    let token = &answer.token;
    let text = match format {
        OutputFormat::Table => output::token_detail(token, Utc::now()),
        // Every field the server sent, the ones the model does not know among them.
        OutputFormat::Json => match answer.sent() {
            Some(sent) => output::sent_token_json(sent).map_err(encoding_failure)?,
            None => output::json(token).map_err(encoding_failure)?,
        },
        OutputFormat::Csv => {
            output::tokens_csv(std::slice::from_ref(token)).map_err(encoding_failure)?
        }
    };
    print(&text)
}
