//! `lint`: the account's hygiene findings (or every account's, with `--all-accounts`), printed in the
//! chosen format, and exit 10 under `--fail-on` when any is at that severity or above.

use chrono::Utc;
use serde::Serialize;

use super::failure::Failure;
use super::setup::{account, all_accounts, client, print};
use crate::api::{Account, ApiError, Client};
use crate::cli::args::{GlobalArgs, LintArgs, LintFormat};
use crate::cli::{lint_output, output};
use crate::config::Config;
use crate::hygiene::{Finding, Inventory, RuleConfig, Severity, findings};

/// A finding of `lint --all-accounts --output json`: its account first, then the finding's own fields.
#[derive(Serialize)]
struct InAccount<'a> {
    account_id: i64,
    account_name: &'a str,
    #[serde(flatten)]
    finding: &'a Finding,
}

/// One account's findings and the tokens of it that could not be read.
struct Linted {
    findings: Vec<Finding>,
    printed: usize,
    unreadable: Vec<crate::api::UnreadableToken>,
}

/// Lints one account: its list, its tree (a token that may not read it still gets the findings that
/// need no resource name) and the caller's own last four.
async fn lint_account(
    client: &Client,
    account: i64,
    rules: &RuleConfig,
    about: &str,
) -> Result<Linted, ApiError> {
    let (list, tree) = tokio::join!(client.list_tokens(account), client.resource_tree(account));
    let list = list?;
    let tree = match tree {
        Ok(tree) => tree,
        Err(ApiError::Forbidden { .. }) => {
            eprintln!(
                "warning: this token may not read {about}'s resources, so no finding can name one"
            );
            Vec::new()
        }
        Err(e) => return Err(e),
    };
    let own_last4 = client.token().last4();
    let inventory = Inventory {
        tokens: &list.tokens,
        tree: &tree,
        own_last4: Some(&own_last4),
    };
    Ok(Linted {
        findings: findings(&inventory, Utc::now(), rules),
        printed: list.tokens.len(),
        unreadable: list.unreadable,
    })
}

/// `lint --all-accounts`: every account linted in turn; one that fails is named on stderr and the others
/// are printed, each finding with its account.
async fn lint_all(client: &Client, args: &LintArgs, rules: &RuleConfig) -> Result<(), Failure> {
    let accounts = all_accounts(client).await?;
    let mut done: Vec<(Account, Linted)> = Vec::new();
    let mut failed: Vec<Failure> = Vec::new();
    for account in accounts.iter() {
        let about = format!("account {}", account.id);
        match lint_account(client, account.id, rules, &about).await {
            Ok(linted) => done.push((account.clone(), linted)),
            Err(e) => {
                let failure = Failure::api_about(format!(
                    "account {} ({}): linting",
                    account.id,
                    crate::text::sanitize(&account.name)
                ))(e);
                eprintln!("{}", failure.message().trim_end());
                failed.push(failure);
            }
        }
    }
    let encoding = |e: serde_json::Error| Failure::Output {
        what: format!("cannot format the output: {e}"),
    };
    let text = match args.output {
        LintFormat::Table => done
            .iter()
            .map(|(a, l)| {
                format!(
                    "{}\n{}",
                    crate::cli::output::account_cell(a.id, &a.name),
                    lint_output::table(&l.findings)
                )
            })
            .collect::<Vec<_>>()
            .join("\n"),
        LintFormat::Json => {
            let rows: Vec<InAccount<'_>> = done
                .iter()
                .flat_map(|(a, l)| {
                    l.findings.iter().map(|f| InAccount {
                        account_id: a.id,
                        account_name: &a.name,
                        finding: f,
                    })
                })
                .collect();
            output::json(&rows).map_err(encoding)?
        }
        LintFormat::Sarif => {
            // One log, one run per account.
            let mut logs = done
                .iter()
                .map(|(a, l)| lint_output::sarif(&l.findings, rules, a.id));
            let mut log = logs
                .next()
                .unwrap_or_else(|| lint_output::sarif(&[], rules, 0));
            let more: Vec<serde_json::Value> = logs
                .filter_map(|other| other.get("runs").and_then(|r| r.as_array()).cloned())
                .flatten()
                .collect();
            if let Some(runs) = log.get_mut("runs").and_then(|r| r.as_array_mut()) {
                runs.extend(more);
            }
            output::json(&log).map_err(encoding)?
        }
    };
    print(&text)?;
    let all: Vec<Finding> = done
        .iter()
        .flat_map(|(_, l)| l.findings.iter().cloned())
        .collect();
    if args.output == LintFormat::Table {
        eprintln!("{}", lint_output::summary(&all));
    }
    if let Some(first) = failed.first() {
        return Err(Failure::Reported {
            code: first.exit_code(),
            summary: format!(
                "error: {} of {} accounts could not be linted (named above); the others were printed",
                failed.len(),
                accounts.len()
            ),
        });
    }
    if let Some(level) = args.fail_on {
        let threshold = Severity::from(level);
        let count = all.iter().filter(|f| f.severity() >= threshold).count();
        if count > 0 {
            return Err(Failure::Findings { count, threshold });
        }
    }
    let unreadable: Vec<_> = done
        .iter_mut()
        .flat_map(|(_, l)| std::mem::take(&mut l.unreadable))
        .collect();
    if unreadable.is_empty() {
        Ok(())
    } else {
        Err(Failure::Unreadable {
            printed: done.iter().map(|(_, l)| l.printed).sum(),
            tokens: unreadable,
        })
    }
}

pub async fn lint(global: &GlobalArgs, args: LintArgs) -> Result<(), Failure> {
    // The rules and thresholds come from the config file; a mistake in it is said and never fatal.
    let loaded = Config::load(global.config.as_deref());
    for warning in &loaded.warnings {
        eprintln!("warning: {warning}");
    }
    let rules = loaded.config.hygiene;
    let client = client(global)?;
    if global.all_accounts {
        return lint_all(&client, &args, &rules).await;
    }
    let account = account(&client, global).await?;
    let (list, tree) = tokio::join!(client.list_tokens(account), client.resource_tree(account));
    let list = list.map_err(Failure::api_about("listing tokens"))?;
    let tree = match tree {
        Ok(tree) => tree,
        // A token that may not read the tree can still be linted; only resource names are missing.
        Err(ApiError::Forbidden { .. }) => {
            eprintln!(
                "warning: this token may not read the account's resources, so no finding can name one"
            );
            Vec::new()
        }
        Err(e) => return Err(Failure::api_about("reading the account's resources")(e)),
    };
    let own_last4 = client.token().last4();
    let inventory = Inventory {
        tokens: &list.tokens,
        tree: &tree,
        own_last4: Some(&own_last4),
    };
    let found = findings(&inventory, Utc::now(), &rules);
    let encoding = |e: serde_json::Error| Failure::Output {
        what: format!("cannot format the output: {e}"),
    };
    let text = match args.output {
        LintFormat::Table => lint_output::table(&found),
        LintFormat::Json => output::json(&found).map_err(encoding)?,
        LintFormat::Sarif => {
            output::json(&lint_output::sarif(&found, &rules, account)).map_err(encoding)?
        }
    };
    print(&text)?;
    if args.output == LintFormat::Table {
        eprintln!("{}", lint_output::summary(&found));
    }
    if let Some(level) = args.fail_on {
        let threshold = Severity::from(level);
        let count = found.iter().filter(|f| f.severity() >= threshold).count();
        if count > 0 {
            return Err(Failure::Findings { count, threshold });
        }
    }
    if list.unreadable.is_empty() {
        Ok(())
    } else {
        Err(Failure::Unreadable {
            printed: list.tokens.len(),
            tokens: list.unreadable,
        })
    }
}
