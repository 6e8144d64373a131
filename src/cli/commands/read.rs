//! `accounts`, `list` and `get`: reads, printed in the chosen format.

use chrono::Utc;

use super::failure::Failure;
use super::setup::{account, client, print};
use crate::api::TokenId;
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
    let account = account(&client, global).await?;
    let list = client
        .list_tokens(account)
        .await
        .map_err(Failure::api_about("listing tokens"))?;
    let tokens = &list.tokens;
    let text = match format {
        OutputFormat::Table => output::tokens_table(tokens, Utc::now()),
        OutputFormat::Json => output::json(tokens).map_err(encoding_failure)?,
        OutputFormat::Csv => output::tokens_csv(tokens).map_err(encoding_failure)?,
    };
    print(&text)?;
    if list.unreadable.is_empty() {
        Ok(())
    } else {
        Err(Failure::Unreadable {
            printed: tokens.len(),
            tokens: list.unreadable,
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
