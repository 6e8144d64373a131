//! Which account to manage, from what `GET /api/accounts` shows the token. Both the console and the
//! commands ask it, so it sits with the client rather than with either of them.

use super::client::Client;
use super::error::ApiError;
use super::models::Account;

/// What `GET /api/accounts` tells about which account to manage.
#[derive(Debug)]
pub enum AccountChoice {
    Chosen(Account),
    /// Several accounts and none named: the console asks, a command fails with this list.
    Ambiguous(Vec<Account>),
}

/// Picks the account: the one named by id (checked against what the token sees), else the only one.
pub async fn resolve_account(
    client: &Client,
    wanted: Option<i64>,
) -> Result<AccountChoice, ApiError> {
    let accounts = client.accounts().await?;
    match wanted {
        Some(id) => accounts
            .into_iter()
            .find(|a| a.id == id)
            .map(AccountChoice::Chosen)
            .ok_or_else(|| {
                ApiError::Config(format!(
                    "account {id} is not visible to this token (see `mailtrap-tokens accounts`)"
                ))
            }),
        None => match accounts.len() {
            0 => Err(ApiError::Config("this token can see no account".into())),
            1 => Ok(AccountChoice::Chosen(
                accounts.into_iter().next().expect("one account"),
            )),
            _ => Ok(AccountChoice::Ambiguous(accounts)),
        },
    }
}
