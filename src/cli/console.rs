//! Starting the console: `mailtrap-tokens` against the real API and `mailtrap-tokens demo` against the
//! embedded simulator. This reads the command line and the config and hands `app::run` a ready
//! `Console`, so the console itself knows nothing of clap or of the simulator.

use chrono::Duration;

use crate::api::{AccountId, Client};
use crate::app::run::{self, Console};
use crate::app::state::{
    DEFAULT_REFRESH, GuardSource, SortColumn, StartView, StateConfig, WritePolicy,
};
use crate::app::terminal;
use crate::cli::args::{ConsoleArgs, DemoArgs, GlobalArgs};
use crate::cli::session;
use crate::clipboard::{ClipboardConfig, Route};
use crate::config::{ClipboardRoute, Startup, Theme};
use crate::keys::keymap::Keymap;

/// The theme the command line and the environment ask for: no colours with `--no-color` or `NO_COLOR`.
pub fn theme_for(global: &GlobalArgs) -> Theme {
    let no_color = global.no_color || std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    if no_color {
        Theme::default().without_color()
    } else {
        Theme::default()
    }
}

fn runtime() -> Result<tokio::runtime::Runtime, i32> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        // A thread that ran a blocking task (a snapshot's save, a file's write) retires a second after it,
        // not ten (tokio's default), so a console left idle has no thread waking up to retire.
        .thread_keep_alive(std::time::Duration::from_secs(1))
        .enable_all()
        .build()
        .map_err(|e| {
            eprintln!("mailtrap-tokens: cannot start the async runtime: {e}");
            1
        })
}

/// What the config file decides for a console session (besides the client): the state's settings,
/// the theme, the clipboard, the mouse, and the warnings to show.
struct Settings {
    keymap: Keymap,
    theme: Theme,
    refresh_every: Duration,
    clipboard: ClipboardConfig,
    mouse: bool,
    default_account: Option<AccountId>,
    warnings: Vec<String>,
    /// Where `s` saves and where secrets go when a signal stops the console: `[secrets] dir`, else the
    /// state directory's `secrets`, else (no home directory) `secrets` in the current one.
    secrets_dir: std::path::PathBuf,
    rules: crate::hygiene::RuleConfig,
    columns: Vec<SortColumn>,
    handoff: Vec<crate::config::HandoffTarget>,
    state_dir: Option<std::path::PathBuf>,
    writes: WritePolicy,
}

impl Settings {
    fn from_startup(startup: &Startup, global: &GlobalArgs) -> Self {
        let config = &startup.config;
        let writes = if global.read_only {
            WritePolicy::read_only_flag()
        } else {
            WritePolicy {
                global: config.read_only,
                per_account: config.account_write_modes(),
                arm_for: Duration::minutes(i64::try_from(config.arm_minutes).unwrap_or(10)),
                source: GuardSource::Config,
            }
        };
        let route = match config.clipboard.route {
            ClipboardRoute::Auto => Route::Auto,
            ClipboardRoute::Native => Route::Native,
            ClipboardRoute::Osc52 => Route::Osc52,
            ClipboardRoute::Off => Route::Off,
        };
        Self {
            keymap: startup.keymap.clone(),
            theme: startup.theme.clone(),
            refresh_every: Duration::from_std(config.refresh())
                .unwrap_or_else(|_| Duration::seconds(DEFAULT_REFRESH)),
            clipboard: ClipboardConfig {
                route,
                clear_secret_after: config.clipboard.clear_after(),
            },
            mouse: config.mouse,
            default_account: config.default_account,
            warnings: startup.warnings.iter().map(ToString::to_string).collect(),
            secrets_dir: config
                .secrets_dir(startup.paths.as_ref().map(|p| p.state_dir.as_path()))
                .unwrap_or_else(|| {
                    crate::custody::secrets_dir(
                        &std::env::current_dir().unwrap_or_else(|_| ".".into()),
                    )
                }),
            rules: config.hygiene.clone(),
            handoff: config.handoff.clone(),
            state_dir: startup.paths.as_ref().map(|p| p.state_dir.clone()),
            writes,
            // The reader kept only known names.
            columns: config
                .tokens
                .columns
                .iter()
                .filter_map(|name| SortColumn::parse(name))
                .collect(),
        }
    }

    fn console(
        self,
        client: Client,
        wanted_account: Option<AccountId>,
        api_url: String,
        start_view: StartView,
    ) -> Console {
        Console {
            client,
            config: StateConfig {
                keymap: self.keymap,
                wanted_account,
                api_url,
                refresh_every: self.refresh_every,
                rules: self.rules,
                columns: self.columns,
                start_view,
                handoff: self.handoff,
                local_offset: None,
                writes: self.writes,
            },
            theme: self.theme,
            clipboard: self.clipboard,
            mouse: self.mouse,
            config_warnings: self.warnings,
            secrets_dir: self.secrets_dir,
            state_dir: self.state_dir,
            journal: true,
        }
    }
}

/// The console draws on a terminal and nowhere else: drawn into a file or a pipe, its frames (and any
/// secret on them) would land there. `None` when it may start, else the exit code after saying why.
fn refuse_without_terminal(console: &ConsoleArgs) -> Option<i32> {
    if console.dump_screen.is_some() {
        return None;
    }
    let why = terminal::why_not_a_terminal()?;
    eprintln!(
        "mailtrap-tokens: the console needs a terminal: {why}. Use `--dump-screen COLSxROWS` for a \
         picture of it, or the commands (`list`, `get`, `create`, `reset`, `delete`) in scripts."
    );
    Some(2)
}

pub fn run_demo(global: &GlobalArgs, console: &ConsoleArgs, demo: &DemoArgs) -> i32 {
    if let Some(code) = refuse_without_terminal(console) {
        return code;
    }
    // Kept to the end: it holds the log file open.
    let startup = crate::config::startup(&global.config_flags());
    let settings = Settings::from_startup(&startup, global);
    let runtime = match runtime() {
        Ok(r) => r,
        Err(code) => return code,
    };
    let code = runtime.block_on(demo::run(settings, console, demo));
    drop(startup);
    code
}

pub fn run_live(global: &GlobalArgs, console: &ConsoleArgs) -> i32 {
    if let Some(code) = refuse_without_terminal(console) {
        return code;
    }
    // Kept to the end: it holds the log file open.
    let startup = crate::config::startup(&global.config_flags());
    let settings = Settings::from_startup(&startup, global);
    let client = match session::client(global) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("mailtrap-tokens: {e}\n{}", e.advice());
            return e.exit_code();
        }
    };
    let runtime = match runtime() {
        Ok(r) => r,
        Err(code) => return code,
    };
    // `--all-accounts` opens the inventory of every account, whatever the config names by default.
    let wanted = if global.all_accounts {
        None
    } else {
        global.account_id.or(settings.default_account)
    };
    let console_setup = settings.console(client, wanted, session::base_url(global), console.view);
    let code = runtime.block_on(run::run(console_setup, console.dump_screen));
    drop(startup);
    if console.dump_screen.is_some() {
        // The picture is printed and nothing is left running that matters: the process ends without
        // waiting for the runtime's threads to be told and to stop, one after the other.
        runtime.shutdown_background();
    }
    code
}

mod demo {
    //! `mailtrap-tokens demo`: the console against the simulator embedded in the binary.

    use super::*;

    use crate::sim::{RunningSim, SimOptions};

    pub(super) async fn run(settings: Settings, console: &ConsoleArgs, demo: &DemoArgs) -> i32 {
        let options = SimOptions {
            extra_tokens: demo.tokens,
            ..SimOptions::default()
        };
        let sim = match RunningSim::start(options).await {
            Ok(sim) => sim,
            Err(e) => {
                eprintln!("mailtrap-tokens: cannot start the demo simulator: {e}");
                return 1;
            }
        };
        // With an organization in the seed, the demo runs on its token and names no account: it opens
        // on the inventory of every account (admin in one, viewer in one, no token access in one).
        let (token, wanted) = match sim.organization_token() {
            Some(token) => (token, None),
            None => (sim.operator_token(), Some(sim.account_id())),
        };
        let client = match Client::new(&sim.url(), token) {
            Ok(c) => c,
            Err(e) => {
                eprintln!("mailtrap-tokens: {e}");
                return e.exit_code();
            }
        };
        let mut setup = settings.console(client, wanted, sim.url(), console.view);
        setup.journal = false;
        let code = run::run(setup, console.dump_screen).await;
        sim.shutdown().await;
        code
    }
}
