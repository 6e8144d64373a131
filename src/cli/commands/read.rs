//! `accounts`, `list` and `get`: reads, printed in the chosen format; `list` and `get` over every account
//! with `--all-accounts`.

use std::io::Write;

use chrono::Utc;

use super::failure::Failure;
use super::setup::{account, all_accounts, client, find_token, print, print_token_list};
use crate::api::{
    Account, ApiError, Client, ListStop, TokenId, TokenList, TokenListAnswer, UnreadableToken,
};
use crate::cli::args::{GlobalArgs, OutputFormat};
use crate::cli::output::{self, AccountRow};

fn encoding_failure(e: impl std::fmt::Display) -> Failure {
    Failure::Output {
        what: format!("cannot format the output: {e}"),
    }
}

pub async fn accounts(global: &GlobalArgs, format: OutputFormat) -> Result<(), Failure> {
    let client = client(global)?;
    let rows = match global.organization_id {
        None => client
            .accounts()
            .await
            .map_err(Failure::api_about("listing accounts"))?
            .iter()
            .map(|a| AccountRow::new(a, None))
            .collect(),
        Some(organization) => {
            let (accounts, subs) =
                tokio::join!(client.accounts(), client.sub_accounts(organization));
            let accounts = accounts.map_err(Failure::api_about("listing accounts"))?;
            match subs {
                Ok(subs) => {
                    let mut rows: Vec<AccountRow> = accounts
                        .iter()
                        .map(|a| {
                            let member = subs.iter().any(|s| s.id == a.id);
                            AccountRow::new(a, member.then_some(organization))
                        })
                        .collect();
                    // The organization's accounts this token does not see at all.
                    rows.extend(
                        subs.iter()
                            .filter(|s| !accounts.iter().any(|a| a.id == s.id))
                            .map(|s| {
                                let unseen = Account {
                                    id: s.id,
                                    name: s.name.clone(),
                                    access_levels: vec![],
                                };
                                AccountRow::new(&unseen, Some(organization))
                            }),
                    );
                    rows
                }
                // A token without organization rights still lists the accounts it sees.
                Err(e @ ApiError::Forbidden { .. }) => {
                    eprintln!(
                        "warning: organization {organization}: its sub-accounts cannot be listed ({e}); \
                         the accounts below are not marked with it"
                    );
                    accounts.iter().map(|a| AccountRow::new(a, None)).collect()
                }
                Err(e) => {
                    return Err(Failure::api_about(format!(
                        "listing the sub-accounts of organization {organization}"
                    ))(e));
                }
            }
        }
    };
    let text = match format {
        OutputFormat::Table => output::accounts_table(&rows),
        OutputFormat::Json => output::json(&rows).map_err(encoding_failure)?,
        OutputFormat::Csv => output::accounts_csv(&rows).map_err(encoding_failure)?,
    };
    print(&text)
}

pub async fn list(global: &GlobalArgs, format: OutputFormat) -> Result<(), Failure> {
    let client = client(global)?;
    if global.all_accounts {
        return list_all(&client, format).await;
    }
    let answer = token_list(&client, global).await?;
    let (printed, unreadable) = match format {
        // Each token written as it is read, with every field the server sent: the list is never held as
        // tokens.
        OutputFormat::Json => print_token_list(answer).await?,
        OutputFormat::Table | OutputFormat::Csv => {
            let list = answer
                .collect()
                .await
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

/// What a list over several accounts met: the accounts that failed (said on stderr as they fail) and
/// the tokens that could not be read.
#[derive(Default)]
struct Tally {
    printed: usize,
    unreadable: Vec<UnreadableToken>,
    failed: Vec<Failure>,
}

impl Tally {
    /// Says on stderr that an account failed, and keeps the failure for the exit code.
    /// The account's token list, or `None` after counting its failure.
    async fn list_of(&mut self, client: &Client, account: &Account) -> Option<TokenList> {
        match client.list_tokens(account.id).await {
            Ok(list) => Some(list),
            Err(e) => {
                self.account_failed(account, e);
                None
            }
        }
    }

    fn account_failed(&mut self, account: &Account, error: ApiError) {
        let failure = Failure::api_about(format!(
            "account {} ({}): listing tokens",
            account.id,
            crate::text::sanitize(&account.name)
        ))(error);
        let _ = writeln!(std::io::stderr(), "{}", failure.message().trim_end());
        self.failed.push(failure);
    }

    /// The outcome: the first failed account's failure, else the unreadable tokens, else done.
    fn outcome(self, accounts: usize) -> Result<(), Failure> {
        let failed = self.failed.len();
        if let Some(first) = self.failed.into_iter().next() {
            return Err(Failure::Reported {
                code: first.exit_code(),
                summary: format!(
                    "error: {failed} of {accounts} accounts could not be read (named above); the others \
                     were printed"
                ),
            });
        }
        if self.unreadable.is_empty() {
            Ok(())
        } else {
            Err(Failure::Unreadable {
                printed: self.printed,
                tokens: self.unreadable,
            })
        }
    }
}

/// `list --all-accounts`: every account's tokens, one account at a time, each row with its account. An
/// account that fails is named on stderr and the others are still printed.
async fn list_all(client: &Client, format: OutputFormat) -> Result<(), Failure> {
    let accounts = all_accounts(client).await?;
    let mut tally = Tally::default();
    match format {
        OutputFormat::Json => {
            let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
            let written = list_all_json(client, &accounts, &mut out, &mut tally).await;
            let flushed = written.and_then(|()| out.flush());
            if let Err(e) = flushed
                && e.kind() != std::io::ErrorKind::BrokenPipe
            {
                return Err(Failure::Output {
                    what: e.to_string(),
                });
            }
        }
        OutputFormat::Csv => {
            let mut header = true;
            for account in &accounts {
                let Some(list) = tally.list_of(client, account).await else {
                    continue;
                };
                let text =
                    output::tokens_csv_rows_in(account.id, &account.name, &list.tokens, header)
                        .map_err(encoding_failure)?;
                header = false;
                print(&text)?;
                tally.printed += list.tokens.len();
                tally.unreadable.extend(list.unreadable);
            }
            if header {
                // No account could be listed: the header alone, so a reader still gets the columns.
                let head = output::tokens_csv_header_in_accounts();
                print(&output::csv_rows(Some(&head), vec![]).map_err(encoding_failure)?)?;
            }
        }
        OutputFormat::Table => {
            let now = Utc::now();
            let mut rows = Vec::new();
            for account in &accounts {
                let Some(list) = tally.list_of(client, account).await else {
                    continue;
                };
                let cell = output::account_cell(account.id, &account.name);
                rows.extend(list.tokens.iter().map(|t| {
                    let mut row = vec![cell.clone()];
                    row.extend(output::tokens_table_row(t, now));
                    row
                }));
                tally.printed += list.tokens.len();
                tally.unreadable.extend(list.unreadable);
            }
            let mut header = vec!["ACCOUNT"];
            header.extend(output::TOKENS_TABLE_HEADER);
            print(&output::table(&header, &rows))?;
        }
    }
    tally.outcome(accounts.len())
}

/// The JSON of `list --all-accounts`: one array, each account's answer read and written as it arrives,
/// so no account's answer is held whole.
async fn list_all_json<W: Write>(
    client: &Client,
    accounts: &[Account],
    out: &mut W,
    tally: &mut Tally,
) -> std::io::Result<()> {
    let mut elements = output::JsonElements::open(out)?;
    for account in accounts {
        let answer = match client.token_list_answer(account.id).await {
            Ok(answer) => answer,
            Err(e) => {
                tally.account_failed(account, e);
                continue;
            }
        };
        let read = answer
            .decode_with(
                output::SentTokens::in_account(account.id, &account.name),
                |made| {
                    tally.printed += made.count;
                    elements.laid_out(made)
                },
            )
            .await;
        match read {
            Ok(unreadable) => tally.unreadable.extend(unreadable),
            // What was read before the answer broke off stays printed; the account is named as failed.
            Err(ListStop::Api(e)) => tally.account_failed(account, e),
            Err(ListStop::Each(e)) => return Err(e),
        }
    }
    elements.close()
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
    let (found_in, answer) = if global.all_accounts {
        let (account, answer) = find_token(&client, id).await?;
        (Some(account), answer)
    } else {
        let account = account(&client, global).await?;
        let answer = client
            .token_answer(account, id)
            .await
            .map_err(Failure::api_about(format!("token {id}")))?;
        (None, answer)
    };
    let token = &answer.token;
    let text = match (format, &found_in) {
        (OutputFormat::Table, None) => output::token_detail(token, Utc::now()),
        (OutputFormat::Table, Some(a)) => format!(
            "account     {}\n{}",
            output::account_cell(a.id, &a.name),
            output::token_detail(token, Utc::now())
        ),
        // Every field the server sent, the ones the model does not know among them.
        (OutputFormat::Json, None) => match answer.sent() {
            Some(sent) => output::sent_token_json(sent).map_err(encoding_failure)?,
            None => output::json(token).map_err(encoding_failure)?,
        },
        (OutputFormat::Json, Some(a)) => {
            let sent = match answer.sent() {
                Some(sent) => sent.to_string(),
                None => serde_json::to_string(token).map_err(encoding_failure)?,
            };
            output::sent_token_json_in(a.id, &a.name, &sent).map_err(encoding_failure)?
        }
        (OutputFormat::Csv, None) => {
            output::tokens_csv(std::slice::from_ref(token)).map_err(encoding_failure)?
        }
        (OutputFormat::Csv, Some(a)) => {
            output::tokens_csv_rows_in(a.id, &a.name, std::slice::from_ref(token), true)
                .map_err(encoding_failure)?
        }
    };
    print(&text)
}
