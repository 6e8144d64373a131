//! What the write commands share: the journal every write goes through (opened before anything is
//! sent, so a journal that cannot be written stops the command), and printing a dry run's requests.

use super::failure::Failure;
use super::setup::print;
use crate::api::{AccountId, ApiError, PlannedRequest, TokenId};
use crate::cli::args::OutputFormat;
use crate::cli::output;
use crate::journal::{Journal, Note, Recording};

/// The state directory's journal, opened once to prove it can be written.
pub(super) fn journal() -> Result<Journal, Failure> {
    let Some(paths) = crate::config::Paths::discover() else {
        return Err(Failure::Usage(
            "there is no home directory for the journal of writes (set MAILTRAP_TOKENS_HOME); \
             nothing was sent"
                .into(),
        ));
    };
    let journal = Journal::in_state_dir(&paths.state_dir);
    journal.open().map_err(|e| unwritable(&e))?;
    Ok(journal)
}

fn unwritable(e: &std::io::Error) -> Failure {
    Failure::Usage(format!(
        "{}; every write is journaled first, so nothing was sent",
        crate::text::sanitize(&e.to_string())
    ))
}

/// The "sent" line, just before the request goes out.
pub(super) fn sent(
    journal: &Journal,
    account: AccountId,
    note: Note,
) -> Result<Recording, Failure> {
    journal
        .record_sent(account, note)
        .map_err(|e| unwritable(&e))
}

/// The result line. The request is already answered, so a journal that fails now is only warned of.
pub(super) fn finish<T>(
    recording: Recording,
    result: &Result<T, ApiError>,
    made: Option<(TokenId, &str)>,
) {
    let entry = recording.entry().clone();
    if let Err(e) = recording.finish(result, made) {
        eprintln!(
            "warning: the journal did not take the result of entry {entry}: {}",
            crate::text::sanitize(&e.to_string())
        );
    }
}

/// A dry run's requests on stdout: each as its method and URL, then its body as JSON; or, with
/// `--output json`, one array of `{method, url, body}`. Strings are escaped as everywhere in json, so
/// a hostile name cannot reach the terminal raw.
pub(super) fn print_plan(plans: &[PlannedRequest], format: OutputFormat) -> Result<(), Failure> {
    let text = match format {
        OutputFormat::Json => {
            let all: Vec<serde_json::Value> = plans.iter().map(PlannedRequest::to_json).collect();
            output::json(&all).map_err(|e| Failure::Output {
                what: e.to_string(),
            })?
        }
        OutputFormat::Table | OutputFormat::Csv => {
            let mut text = String::new();
            for plan in plans {
                text.push_str(&crate::text::sanitize(&plan.request_line()));
                text.push('\n');
                if let Some(body) = &plan.body {
                    let json = output::json(body).map_err(|e| Failure::Output {
                        what: e.to_string(),
                    })?;
                    text.push_str(json.trim_end());
                    text.push('\n');
                }
            }
            text
        }
    };
    print(&text)?;
    eprintln!("dry run: nothing was sent");
    Ok(())
}
