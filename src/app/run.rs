//! The console's loop: crossterm's event stream, the executor's answers and a wake-up timer feed one `Msg` at
//! a time into `update`; the screen is drawn only when `update` says something changed. The first frame is
//! drawn before any request starts.

use std::time::Duration as StdDuration;

use chrono::{DateTime, Utc};
use crossterm::event::{Event, EventStream, KeyEventKind, MouseButton, MouseEventKind};
use futures::StreamExt;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

use std::io::Write;

use crate::api::Client;
use crate::clipboard::{Clipboard, ClipboardConfig, Content};
use crate::config::Theme;

use super::dump;
use super::effect::Effect;
use super::executor::Executor;
use super::msg::Msg;
use super::state::{State, StateConfig};
use super::terminal::TerminalGuard;
use super::update::{start, update};
use super::view;

/// Everything a console session needs; built by `run_demo` or `run_live`.
pub struct Console {
    pub client: Client,
    pub config: StateConfig,
    pub theme: Theme,
    /// The clipboard route and how soon a copied secret is cleared.
    pub clipboard: ClipboardConfig,
    /// Capture the mouse (wheel scrolls, click selects).
    pub mouse: bool,
    /// Problems in the config file, one line each; the console shows them.
    pub config_warnings: Vec<String>,
}

/// The console's state as `run` builds it: the own token's last digits, the config's warnings (and a
/// status line pointing at them), and the save directory.
pub fn initial_state(
    config: StateConfig,
    client: &Client,
    warnings: Vec<String>,
    now: DateTime<Utc>,
) -> State {
    let mut state = State::new(config);
    state.own_last4 = Some(client.token().last4());
    state.save_dir = std::env::current_dir().unwrap_or_else(|_| ".".into());
    if !warnings.is_empty() {
        let n = warnings.len();
        let help = state.keymap.label(super::action::Action::Help);
        state.set_status(
            format!(
                "{n} config problem{} — see {help} help",
                if n == 1 { "" } else { "s" }
            ),
            super::state::Level::Warn,
            now,
        );
    }
    state.config_warnings = warnings;
    state
}

/// The client with a hook that tells the console when a read waits to be retried (429, 5xx, network).
pub fn client_reporting_retries(client: Client, tx: &UnboundedSender<Msg>) -> Client {
    let tx = tx.clone();
    client.on_retry(move |notice| {
        let _ = tx.send(Msg::Retrying {
            reason: notice.reason.clone(),
            wait_ms: u64::try_from(notice.wait.as_millis()).unwrap_or(u64::MAX),
        });
    })
}

/// Copies through the one clipboard; OSC 52 goes to `terminal` in one write. The answer is the `Msg`.
pub fn copy(
    clipboard: &mut Clipboard,
    text: &str,
    content: Content,
    terminal: &mut dyn Write,
) -> Msg {
    Msg::Copied(clipboard.copy(text, content, terminal))
}

/// Runs the console (or, with `dump`, renders one frame off screen) and returns the exit code.
pub async fn run(console: Console, dump: Option<(u16, u16)>) -> i32 {
    let (tx, rx) = unbounded_channel();
    let client = client_reporting_retries(console.client, &tx);
    let state = initial_state(console.config, &client, console.config_warnings, Utc::now());
    let executor = Executor::new(client, tx.clone());
    match dump {
        Some((cols, rows)) => dump::run(state, executor, rx, &console.theme, cols, rows).await,
        None => match interactive(
            state,
            executor,
            (tx, rx),
            &console.theme,
            Clipboard::new(console.clipboard),
            console.mouse,
        )
        .await
        {
            Ok(code) => code,
            Err(e) => {
                // The guard has restored the terminal by now, so this reaches a normal screen.
                eprintln!("mailtrap-tokens: the terminal failed: {e}");
                1
            }
        },
    }
}

/// Rows the wheel moves per notch.
const WHEEL_ROWS: i32 = 3;

/// Turns a terminal event into a message; only key presses count.
fn event_to_msg(event: Event) -> Option<Msg> {
    match event {
        Event::Key(key) if key.kind == KeyEventKind::Press => Some(Msg::Key(key)),
        Event::Mouse(mouse) => match mouse.kind {
            MouseEventKind::ScrollUp => Some(Msg::Scroll(-WHEEL_ROWS)),
            MouseEventKind::ScrollDown => Some(Msg::Scroll(WHEEL_ROWS)),
            MouseEventKind::Down(MouseButton::Left) => Some(Msg::Click {
                column: mouse.column,
                row: mouse.row,
            }),
            _ => None,
        },
        Event::Resize(w, h) => Some(Msg::Resize(w, h)),
        Event::Paste(text) => Some(Msg::Paste(text)),
        _ => None,
    }
}

fn instant_at(at: DateTime<Utc>, now: DateTime<Utc>) -> tokio::time::Instant {
    let wait = (at - now).to_std().unwrap_or(StdDuration::ZERO);
    tokio::time::Instant::now() + wait
}

/// Resolves when the process is asked to stop (SIGTERM, SIGINT, SIGHUP), so the guard can restore the
/// terminal before exiting.
#[cfg(unix)]
struct StopSignals {
    term: tokio::signal::unix::Signal,
    int: tokio::signal::unix::Signal,
    hup: tokio::signal::unix::Signal,
}

#[cfg(unix)]
impl StopSignals {
    fn new() -> std::io::Result<Self> {
        use tokio::signal::unix::{SignalKind, signal};
        Ok(Self {
            term: signal(SignalKind::terminate())?,
            int: signal(SignalKind::interrupt())?,
            hup: signal(SignalKind::hangup())?,
        })
    }

    async fn recv(&mut self) {
        tokio::select! {
            _ = self.term.recv() => {}
            _ = self.int.recv() => {}
            _ = self.hup.recv() => {}
        }
    }
}

#[cfg(not(unix))]
struct StopSignals;

#[cfg(not(unix))]
impl StopSignals {
    fn new() -> std::io::Result<Self> {
        Ok(Self)
    }

    async fn recv(&mut self) {
        let _ = tokio::signal::ctrl_c().await;
    }
}

async fn interactive(
    mut state: State,
    mut executor: Executor,
    (tx, mut rx): (UnboundedSender<Msg>, UnboundedReceiver<Msg>),
    theme: &Theme,
    mut clipboard: Clipboard,
    mouse: bool,
) -> std::io::Result<i32> {
    let mut guard = TerminalGuard::enter_with(mouse)?;
    let mut signals = StopSignals::new()?;
    let mut events = EventStream::new();

    guard
        .terminal
        .draw(|f| view::render(&state, Utc::now(), theme, f))?;
    state.needs_redraw = false;
    for effect in start(&mut state, Utc::now()) {
        executor.run(effect);
    }

    loop {
        if state.needs_redraw {
            guard
                .terminal
                .draw(|f| view::render(&state, Utc::now(), theme, f))?;
            state.needs_redraw = false;
        }
        let now = Utc::now();
        let wake = state.next_wakeup(now).map(|at| instant_at(at, now));
        let msg = tokio::select! {
            event = events.next() => match event {
                Some(Ok(event)) => match event_to_msg(event) {
                    Some(msg) => msg,
                    None => continue,
                },
                Some(Err(e)) => return Err(e),
                None => return Ok(0),
            },
            Some(msg) = rx.recv() => msg,
            _ = tokio::time::sleep_until(wake.unwrap_or_else(tokio::time::Instant::now)), if wake.is_some() => {
                Msg::Tick(Utc::now())
            }
            _ = signals.recv() => return Ok(0),
        };
        let mut effects = update(&mut state, msg, Utc::now());
        // Take in whatever else already arrived before drawing, so a frame shows the latest state.
        while let Ok(msg) = rx.try_recv() {
            effects.extend(update(&mut state, msg, Utc::now()));
        }
        for effect in effects {
            match effect {
                Effect::Quit => return Ok(0),
                Effect::Suspend => {
                    guard.suspend()?;
                    state.needs_redraw = true;
                }
                // Between two frames, on this thread: the OSC 52 bytes cannot land inside a frame.
                Effect::CopyToClipboard { text, content } => {
                    let msg = copy(
                        &mut clipboard,
                        text.expose_secret(),
                        content,
                        &mut std::io::stdout().lock(),
                    );
                    let _ = tx.send(msg);
                }
                other => executor.run(other),
            }
        }
    }
}
