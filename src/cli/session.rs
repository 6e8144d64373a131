//! Where the console and the commands get their client and account from: the environment, never an argument.

use crate::api::{Account, ApiError, Client, Secret, client::DEFAULT_BASE_URL};
use crate::cli::args::GlobalArgs;

pub const TOKEN_ENV: &str = "MAILTRAP_API_TOKEN";

/// The API token from `MAILTRAP_API_TOKEN`. A secret is never taken from the command line (it would show
/// in `ps`).
pub fn token_from_env() -> Result<Secret, ApiError> {
    match std::env::var(TOKEN_ENV) {
        Ok(t) if !t.trim().is_empty() => Ok(Secret::new(t.trim().to_string())),
        _ => Err(ApiError::Config(format!(
            "no API token: set {TOKEN_ENV} (create one at https://mailtrap.io/settings/api-tokens)"
        ))),
    }
}

pub fn base_url(global: &GlobalArgs) -> String {
    global
        .api_url
        .clone()
        .unwrap_or_else(|| DEFAULT_BASE_URL.to_string())
}

/// A client for the URL and token the user configured.
pub fn client(global: &GlobalArgs) -> Result<Client, ApiError> {
    Client::new(&base_url(global), token_from_env()?)
}

/// The error a script gets when the account is ambiguous: every account, so the user can pick one.
pub fn ambiguous_message(accounts: &[Account]) -> String {
    let mut text = String::from(
        "this token can see several accounts; choose one with --account-id or MAILTRAP_ACCOUNT_ID:\n",
    );
    for a in accounts {
        text.push_str(&format!("  {}  {}\n", a.id, crate::text::sanitize(&a.name)));
    }
    text
}
