//! `lint`: the account's hygiene findings, printed in the chosen format, and exit 10 under `--fail-on`
//! when any is at that severity or above.

use chrono::Utc;

use super::failure::Failure;
use super::setup::{account, client, print};
use crate::api::ApiError;
use crate::cli::args::{GlobalArgs, LintArgs, LintFormat};
use crate::cli::{lint_output, output};
use crate::config::Config;
use crate::hygiene::{Inventory, Severity, findings};

pub async fn lint(global: &GlobalArgs, args: LintArgs) -> Result<(), Failure> {
    // The rules and thresholds come from the config file; a mistake in it is said and never fatal.
    let loaded = Config::load(global.config.as_deref());
    for warning in &loaded.warnings {
        eprintln!("warning: {warning}");
    }
    let rules = loaded.config.hygiene;
    let client = client(global)?;
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
