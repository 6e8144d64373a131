//! The command line, defined once: the parser, `--help`, the completions and the man page all come from here.
//! The value parsers live in `input.rs`, which knows nothing of these types.

use chrono::{DateTime, Utc};
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::net::SocketAddr;
use std::path::PathBuf;

use crate::api::Expiry;
use crate::sim::{DefaultExpiry, ServeOptions, SimOptions};

pub const EXIT_CODES_HELP: &str = "\
Exit codes:
  0  done
  1  cancelled at the prompt, or the output could not be written
  2  usage error (bad arguments, missing token or account)
  3  authentication failed (401: token invalid or expired)
  4  not found (404)
  5  refused or invalid (403, 422)
  6  rate limited (429)
  7  network or server error
  8  list: some tokens could not be read (the others were printed; stderr names them)
  9  create/reset: stdout did not take the new secret; it was saved to a 0600 file (stderr says where)
  10 lint: a finding at or above --fail-on (the findings were printed)
  11 create/reset --handoff: a hand-off command failed; the secret was saved to a 0600 file (stderr says where)
  12 drift: the account changed since the last snapshot (the changes were printed; the new snapshot is kept)
  13 read-only: a write was refused before anything was sent (--read-only, or read_only in the config)

Environment:
  MAILTRAP_API_TOKEN    the API token (never taken as an argument, so it stays out of `ps`)
  MAILTRAP_ACCOUNT_ID   the account to manage (else the only account the token sees)
  MAILTRAP_ORGANIZATION_ID
                        the organization `accounts` marks and completes with its sub-accounts
  MAILTRAP_API_URL      the API's base URL (default https://mailtrap.io)
  MAILTRAP_TOKENS_HOME  one directory for the config file, the state and the log (else the platform's)
  MAILTRAP_TOKENS_LOG   log level for the log file (error, warn, info, debug, trace, or a tracing filter)
  NO_COLOR              when set and not empty, no colours (as --no-color)
  TERM                  `dumb` cannot show the console (it then refuses to start)
  DISPLAY, WAYLAND_DISPLAY
                        a native clipboard exists (else copies go through the terminal, OSC 52)
  XDG_CONFIG_HOME, XDG_STATE_HOME, XDG_DATA_HOME, HOME
                        where the config file, the state and the log live (Linux)
  HTTPS_PROXY, HTTP_PROXY, ALL_PROXY, NO_PROXY
                        the proxy the HTTP client goes through";

#[derive(Debug, Parser)]
#[command(
    name = "mailtrap-tokens",
    version,
    about = "A terminal console for a Mailtrap account's API tokens",
    long_about = "A terminal console for a Mailtrap account's API tokens.\n\nWithout a command it opens the console \
                  against the real API; `demo` opens it against an embedded simulator.",
    after_help = EXIT_CODES_HELP
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(flatten)]
    pub console: ConsoleArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// The API's base URL; plain http:// is refused unless the host is a loopback address.
    #[arg(long, env = "MAILTRAP_API_URL", global = true, value_name = "URL")]
    pub api_url: Option<String>,
    /// The account to manage; without it, the only account the token can see.
    #[arg(long, env = "MAILTRAP_ACCOUNT_ID", global = true, value_name = "ID")]
    pub account_id: Option<i64>,
    /// Every account the token can see (`GET /api/accounts`): `list`, `get` and `lint` act on each, and
    /// their rows carry account_id and account_name; `reset`, `delete` and `journal undo` first find the
    /// account that has the token. An account that fails is named on stderr, the others are printed, and
    /// the exit code is the failure's. Conflicts with --account-id; MAILTRAP_ACCOUNT_ID is left aside.
    #[arg(long, global = true)]
    pub all_accounts: bool,
    /// The organization `accounts` marks its accounts with (from its sub-accounts list, which also
    /// adds the ones the token does not see, with access "none").
    #[arg(
        long,
        env = "MAILTRAP_ORGANIZATION_ID",
        global = true,
        value_name = "ID"
    )]
    pub organization_id: Option<i64>,
    /// Use this config file instead of the one in the platform's config directory.
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// No colours (also when NO_COLOR is set); states stay visible through symbols and bold or reversed text.
    #[arg(long, global = true)]
    pub no_color: bool,
    /// Change nothing: the console disables every write (saying why) and the write commands refuse,
    /// sending nothing (exit 13). Wins over the config file's `read_only`.
    #[arg(long, global = true)]
    pub read_only: bool,
    /// Arm this command's write where the config file says `read_only = "until-armed"` (the console
    /// arms with `W` instead).
    #[arg(long, global = true, conflicts_with = "read_only")]
    pub arm: bool,
}

impl GlobalArgs {
    /// The part of the command line the config module reads.
    pub fn config_flags(&self) -> crate::config::ConfigFlags {
        crate::config::ConfigFlags {
            config: self.config.clone(),
            no_color: self.no_color,
        }
    }
}

#[derive(Debug, Clone, Args, Default)]
#[command(next_help_heading = "Console options")]
pub struct ConsoleArgs {
    /// Render the first frame that shows the loaded table at COLSxROWS as plain text on stdout, then exit.
    #[arg(long, value_name = "COLSxROWS", value_parser = crate::cli::input::parse_size, global = true)]
    pub dump_screen: Option<(u16, u16)>,
    /// The view the console opens on (and `--dump-screen` draws): tokens, domains, timeline, findings,
    /// or details (the tokens with the first token's details).
    #[arg(long, value_name = "VIEW", global = true, default_value = "tokens")]
    pub view: crate::app::state::StartView,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Open the console against the embedded simulator with a seeded demo account (no network, no setup).
    Demo(DemoArgs),
    /// Run the API simulator alone; prints MAILTRAP_API_URL, MAILTRAP_API_TOKEN and MAILTRAP_ACCOUNT_ID first
    /// (then MAILTRAP_ORGANIZATION_ID and MAILTRAP_ORGANIZATION_TOKEN when the seed has an organization).
    Serve(ServeArgs),
    /// List the accounts the token can see, with its access in each (owner, admin, viewer, partial,
    /// none); with --organization-id, which belong to that organization.
    Accounts(OutputArgs),
    /// List the account's API tokens.
    List(OutputArgs),
    /// Show one token.
    Get {
        /// The token's id (see `list`).
        id: i64,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Create a token; prints its secret alone on stdout.
    Create(CreateArgs),
    /// Reset a token: the old one keeps working 12 hours; prints the new secret alone on stdout.
    Reset(ResetArgs),
    /// Delete a token; it stops working immediately.
    Delete(DeleteArgs),
    /// Show the journal of the writes this machine sent (every create, reset, delete, permission edit
    /// and undo), or undo a permission edit from it (`journal undo ENTRY`).
    Journal(JournalArgs),
    /// Report the account's hygiene findings (tokens that never expire, expire soon, look redundant…).
    Lint(LintArgs),
    /// Compare the account's tokens with the snapshot the last look kept, keep a new one, and print what
    /// changed in between (exit 12 when anything did).
    Drift(DriftArgs),
    /// Write or locate the config file.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Print shell completions.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), or with --dir write one page per command into a directory.
    Man {
        /// Write `mailtrap-tokens.1` and a page for every subcommand (`mailtrap-tokens-list.1`, …) here,
        /// creating the directory; prints the files written.
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}

#[derive(Debug, Clone, Args, Default)]
pub struct DemoArgs {
    /// Seed this many synthetic tokens beyond the demo account's own.
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub tokens: usize,
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:0", value_name = "ADDR")]
    pub listen: SocketAddr,
    /// Seed file (JSON) instead of the embedded demo account.
    #[arg(long, value_name = "FILE")]
    pub seed: Option<PathBuf>,
    /// Seed this many synthetic tokens beyond the seed file's, in its first account.
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub tokens: usize,
    /// Add this many synthetic sub-accounts ("Synthetic account 1", …) to the organization (made if
    /// the seed has none); the organization token is admin of each.
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub accounts: usize,
    /// Synthetic tokens in each synthetic account.
    #[arg(long, default_value_t = 1000, value_name = "M")]
    pub account_tokens: usize,
    /// What an omitted expires_at means on create and reset.
    #[arg(long, value_enum, default_value_t = DefaultExpiryArg::Year)]
    pub default_expiry: DefaultExpiryArg,
    /// SDK mode: also act as an HTTPS proxy for mailtrap.io, writing the certificate to trust to FILE, so
    /// Mailtrap's official SDKs run unchanged (prints HTTPS_PROXY, NODE_EXTRA_CA_CERTS, REQUESTS_CA_BUNDLE).
    #[arg(long, value_name = "FILE")]
    pub sdk_ca: Option<PathBuf>,
}

impl From<ServeArgs> for ServeOptions {
    fn from(args: ServeArgs) -> Self {
        ServeOptions {
            sim: SimOptions {
                listen: args.listen,
                seed: args.seed,
                extra_tokens: args.tokens,
                synthetic_accounts: args.accounts,
                tokens_per_synthetic_account: args.account_tokens,
                default_expiry: args.default_expiry.into(),
                ..SimOptions::default()
            },
            sdk_ca: args.sdk_ca,
        }
    }
}

/// `--default-expiry`: the simulator's `DefaultExpiry` as the command line spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DefaultExpiryArg {
    /// 365 days, Mailtrap's current default.
    Year,
    /// Never expires, the behaviour before the expiry feature.
    Never,
}

impl From<DefaultExpiryArg> for DefaultExpiry {
    fn from(arg: DefaultExpiryArg) -> Self {
        match arg {
            DefaultExpiryArg::Year => DefaultExpiry::Year,
            DefaultExpiryArg::Never => DefaultExpiry::Never,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum OutputFormat {
    #[default]
    Table,
    Json,
    Csv,
}

#[derive(Debug, Clone, Args, Default)]
pub struct OutputArgs {
    /// Output format; json keeps the API's field names. For create and reset, json prints the new token
    /// with its secret; the others print the secret alone.
    #[arg(long, short, value_enum, default_value_t = OutputFormat::Table)]
    pub output: OutputFormat,
}

#[derive(Debug, Clone, Args, Default)]
#[group(multiple = false)]
pub struct ExpiryArgs {
    /// Expire after a duration: a whole number with h (hours), d (days), w (weeks) or y (365 days), e.g.
    /// 12h, 30d, 1y. Without any expiry flag the server applies its default (365 days).
    #[arg(long, value_name = "DURATION", value_parser = crate::cli::input::parse_expires_in)]
    pub expires_in: Option<chrono::TimeDelta>,
    /// Expire at a date (2027-06-01, midnight UTC) or an RFC 3339 date-time (2027-06-01T12:00:00+02:00).
    #[arg(long, value_name = "DATE", value_parser = crate::cli::input::parse_expires_at)]
    pub expires_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Never expire.
    #[arg(long)]
    pub never_expires: bool,
}

impl ExpiryArgs {
    /// What to send: no flag leaves it to the server's default; clap guarantees at most one flag.
    pub fn to_expiry(&self, now: DateTime<Utc>) -> Expiry {
        if self.never_expires {
            Expiry::Never
        } else if let Some(at) = self.expires_at {
            Expiry::At(at)
        } else if let Some(after) = self.expires_in {
            Expiry::At(now + after)
        } else {
            Expiry::ServerDefault
        }
    }
}

#[derive(Debug, Clone, Args)]
pub struct CreateArgs {
    /// The token's name.
    #[arg(long)]
    pub name: String,
    /// A permission TYPE:ID:admin|viewer, e.g. account:1719941:admin or domain:3:viewer; repeatable.
    /// TYPE is account, project, sandbox (inbox), domain (sending_domain) or another type the API knows.
    #[arg(
        long = "permission",
        value_name = "TYPE:ID:LEVEL",
        required = true,
        value_parser = crate::cli::input::parse_permission
    )]
    pub permissions: Vec<crate::api::Resource>,
    #[command(flatten)]
    pub expiry: ExpiryArgs,
    #[command(flatten)]
    pub output: OutputArgs,
    #[command(flatten)]
    pub handoff: HandoffArgs,
    /// Print the exact requests (method, URL, JSON body) and send nothing; reads needed to build them
    /// are still made.
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Clone, Args, Default)]
pub struct HandoffArgs {
    /// Hand the new secret to this `[[handoff]]` target of the config file (its command gets it on its
    /// standard input) instead of printing it; repeatable. A failed hand-off saves the secret to a 0600
    /// file and exits with 11.
    #[arg(long = "handoff", value_name = "NAME")]
    pub targets: Vec<String>,
}

#[derive(Debug, Clone, Args)]
pub struct ResetArgs {
    /// The token's id (see `list`).
    pub id: i64,
    #[command(flatten)]
    pub expiry: ExpiryArgs,
    /// Do it without asking (required when stdin is not a terminal).
    #[arg(long, short)]
    pub yes: bool,
    #[command(flatten)]
    pub output: OutputArgs,
    #[command(flatten)]
    pub handoff: HandoffArgs,
    /// Print the exact requests (method, URL, JSON body) and send nothing; reads needed to build them
    /// are still made.
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Clone, Args)]
pub struct DeleteArgs {
    /// The token's id (see `list`).
    pub id: i64,
    /// Do it without asking (required when stdin is not a terminal).
    #[arg(long, short)]
    pub yes: bool,
    /// Print the exact requests (method, URL, JSON body) and send nothing; reads needed to build them
    /// are still made.
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Clone, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct JournalArgs {
    #[command(subcommand)]
    pub command: Option<JournalCommand>,
    /// Only the entries sent since then: 30m, 12h, 7d, 2w, or an RFC 3339 time
    /// (2026-11-30T09:00:00Z).
    #[arg(long, value_name = "WHEN", value_parser = crate::cli::input::parse_since)]
    pub since: Option<DateTime<Utc>>,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Clone, Subcommand)]
pub enum JournalCommand {
    /// Put a token's permissions back as they were before a permission edit (or an undo) of the
    /// journal; refused when the token changed since, unless --force. A reset or a delete cannot be undone.
    Undo(UndoArgs),
}

#[derive(Debug, Clone, Args)]
pub struct UndoArgs {
    /// The entry to undo (its 8 characters, from `mailtrap-tokens journal`).
    pub entry: String,
    /// Do it without asking (required when stdin is not a terminal).
    #[arg(long, short)]
    pub yes: bool,
    /// Put the permissions back even though the token's permissions are no longer what the edit left.
    #[arg(long)]
    pub force: bool,
    /// Print the exact requests (method, URL, JSON body) and send nothing; reads needed to build them
    /// are still made.
    #[arg(long)]
    pub dry_run: bool,
}

/// `drift --output`: a table for people, JSON for scripts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum DriftFormat {
    #[default]
    Table,
    Json,
}

#[derive(Debug, Clone, Args, Default)]
pub struct DriftArgs {
    /// Output format.
    #[arg(long, short, value_enum, default_value_t = DriftFormat::Table)]
    pub output: DriftFormat,
}

/// `lint --output`: a table for people, JSON for scripts, SARIF for code-scanning tools.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum LintFormat {
    #[default]
    Table,
    Json,
    /// A SARIF 2.1.0 log: one run, the rules as the tool's rules, each finding a result.
    Sarif,
}

/// `lint --fail-on`: the least severity that makes `lint` exit 10.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Warn,
    Danger,
}

impl From<FailOn> for crate::hygiene::Severity {
    fn from(level: FailOn) -> Self {
        match level {
            FailOn::Warn => Self::Warn,
            FailOn::Danger => Self::Danger,
        }
    }
}

#[derive(Debug, Clone, Args, Default)]
pub struct LintArgs {
    /// Output format.
    #[arg(long, short, value_enum, default_value_t = LintFormat::Table)]
    pub output: LintFormat,
    /// Exit with 10 when any finding is at this severity or above (the findings are printed all the
    /// same); without it, findings never fail the command. The rules and thresholds are set in the config
    /// file's [hygiene] table.
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<FailOn>,
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Write a commented config file with every default (refuses to overwrite).
    Init,
    /// Print where the config, the log and the state live.
    Path,
}

impl From<ConfigCommand> for crate::config::ConfigCommand {
    fn from(command: ConfigCommand) -> Self {
        match command {
            ConfigCommand::Init => Self::Init,
            ConfigCommand::Path => Self::Path,
        }
    }
}

/// Reads the command line. `--all-accounts` beside `--account-id` is a usage error; beside an account
/// named only by `MAILTRAP_ACCOUNT_ID` (as `serve`'s lines export it) the flag wins: what was typed is what
/// was meant.
pub fn parse() -> Cli {
    use clap::parser::ValueSource;
    use clap::{CommandFactory, FromArgMatches};
    let matches = Cli::command().get_matches();
    let source = |m: &clap::ArgMatches| m.value_source("account_id");
    let sources: Vec<ValueSource> = std::iter::once(&matches)
        .chain(matches.subcommand().map(|(_, m)| m))
        .filter_map(source)
        .collect();
    let mut cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    if cli.global.all_accounts {
        if sources.contains(&ValueSource::CommandLine) {
            Cli::command()
                .error(
                    clap::error::ErrorKind::ArgumentConflict,
                    "--all-accounts and --account-id name different things: give one of them",
                )
                .exit();
        }
        cli.global.account_id = None;
    }
    cli
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::input::parse_expires_at;
    use chrono::TimeDelta;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn expiry_flags_map_to_the_three_states() {
        let now = parse_expires_at("2026-01-01").unwrap();
        assert_eq!(ExpiryArgs::default().to_expiry(now), Expiry::ServerDefault);
        let never = ExpiryArgs {
            never_expires: true,
            ..Default::default()
        };
        assert_eq!(never.to_expiry(now), Expiry::Never);
        let within = ExpiryArgs {
            expires_in: Some(TimeDelta::days(30)),
            ..Default::default()
        };
        assert_eq!(
            within.to_expiry(now),
            Expiry::At(parse_expires_at("2026-01-31").unwrap())
        );
        let at = ExpiryArgs {
            expires_at: Some(parse_expires_at("2027-06-01").unwrap()),
            ..Default::default()
        };
        assert_eq!(
            at.to_expiry(now),
            Expiry::At(parse_expires_at("2027-06-01").unwrap())
        );
    }
}
