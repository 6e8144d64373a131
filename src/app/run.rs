//! The console's loop: crossterm's event stream, the executor's answers and a wake-up timer feed one `Msg` at
//! a time into `update`; the screen is drawn only when `update` says something changed. The first frame is
//! drawn before any request starts.

use std::collections::VecDeque;
use std::time::Duration as StdDuration;

use chrono::{DateTime, Utc};
use crossterm::event::{Event, KeyEventKind, MouseButton, MouseEventKind};
use futures::FutureExt;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

use std::io::Write;

use crate::api::Client;
use crate::clipboard::{Clipboard, ClipboardConfig, Content};
use crate::config::Theme;
use crate::text::SafeText;

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
    /// The secrets directory: `s` saves there, and a signal writes the secrets still on screen there.
    pub secrets_dir: std::path::PathBuf,
    /// Where the places lists are kept; `None` (no state directory) keeps them for this run only.
    pub state_dir: Option<std::path::PathBuf>,
    /// Journal every write in the state directory (`false` for the demo, whose writes reach only its
    /// embedded simulator).
    pub journal: bool,
}

/// The console's state as `run` builds it: the own token's last digits, the config's warnings (and a
/// status line pointing at them).
pub fn initial_state(
    config: StateConfig,
    client: &Client,
    warnings: Vec<String>,
    now: DateTime<Utc>,
) -> State {
    let mut state = State::new(config);
    state.session.own_last4 = Some(client.token().last4());
    if !warnings.is_empty() {
        let n = warnings.len();
        let help = state
            .session
            .keymap
            .label(crate::keys::action::Action::Help);
        state.set_status(
            format!(
                "{n} config problem{} — see {help} help",
                if n == 1 { "" } else { "s" }
            ),
            super::state::Level::Warn,
            now,
        );
    }
    state.session.config_warnings = warnings.iter().map(SafeText::from).collect();
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
    let (tx, mut rx) = unbounded_channel();
    let client = client_reporting_retries(console.client, &tx);
    let mut state = initial_state(console.config, &client, console.config_warnings, Utc::now());
    // Looked up once here: the update that opens the save question does no I/O.
    state.session.save_dir = crate::custody::SaveTarget::at(console.secrets_dir.clone());
    let mut executor = Executor::new(client, tx.clone());
    if let Some(dir) = &console.state_dir {
        executor = executor.with_state_dir(dir.clone());
        if !console.journal {
            executor = executor.without_journal();
        }
    }
    let Some((cols, rows)) = dump else {
        // Before the first list is asked for: the console lives on after it.
        super::memory::keep_thresholds();
        let mut signals = match StopSignals::new() {
            Ok(s) => s,
            Err(e) => {
                eprintln!("mailtrap-tokens: cannot watch for signals: {e}");
                return 1;
            }
        };
        // A panic in the loop still ends in `finish`: the hook has restored the terminal, and the
        // secrets in custody are rescued like on a signal.
        let ended = std::panic::AssertUnwindSafe(interactive(
            &mut state,
            &mut executor,
            (&tx, &mut rx),
            &console.theme,
            Clipboard::new(console.clipboard),
            console.mouse,
            &mut signals,
        ))
        .catch_unwind()
        .await
        .unwrap_or_else(|_| {
            Err(std::io::Error::other(
                "the console stopped on an internal error",
            ))
        });
        // The guard has restored the terminal by now: everything below reaches a normal screen.
        return finish(state, ended, &mut rx, &mut signals, &console.secrets_dir).await;
    };
    // A picture of the console is not a look at the account: the drift baseline stays as it is.
    state.drift.disabled = true;
    dump::run(
        state,
        executor.without_snapshots(),
        rx,
        &console.theme,
        cols,
        rows,
    )
    .await
}

/// How an interactive session ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ended {
    /// The operator quit (any secret at risk was given up by answering "quit anyway").
    Quit,
    /// A signal asked the process to stop.
    Signal(i32),
    /// The terminal's input ended.
    InputClosed,
}

/// How long a stopping console waits for the answer to a reset or create already sent, so that its
/// secret is kept rather than lost with the process.
const STOP_WAIT: StdDuration = StdDuration::from_secs(10);

/// After the terminal is restored: on anything but a deliberate quit, every secret still in custody is
/// written to its own 0600 file and its path said on stderr. A signal's exit status is 128 + its number.
async fn finish(
    mut state: State,
    ended: std::io::Result<Ended>,
    rx: &mut UnboundedReceiver<Msg>,
    signals: &mut StopSignals,
    rescue_dir: &std::path::Path,
) -> i32 {
    let code = match &ended {
        Ok(Ended::Quit) => return 0,
        Ok(Ended::Signal(n)) => 128 + n,
        Ok(Ended::InputClosed) => 0,
        Err(_) => 1,
    };
    let mut said = Vec::new();
    if let Err(e) = &ended {
        said.push(format!("mailtrap-tokens: the terminal failed: {e}"));
    }
    if let Some(run) = state.bulk.as_mut() {
        // Only what is already out is waited for; nothing more is sent by a stopping console.
        run.stop("not sent: the console was stopping");
    }
    let waiting = state
        .requests
        .writes
        .values()
        .filter(|w| w.carries_secret())
        .count();
    if waiting > 0 {
        say(&format!(
            "mailtrap-tokens: waiting up to {} s for the answer to {waiting} change{} that carr{} a new \
             secret (signal again to stop waiting)…",
            STOP_WAIT.as_secs(),
            if waiting == 1 { "" } else { "s" },
            if waiting == 1 { "ies" } else { "y" },
        ));
        let deadline = tokio::time::Instant::now() + STOP_WAIT;
        while state.requests.writes.values().any(|w| w.carries_secret()) {
            let msg = tokio::select! {
                msg = rx.recv() => match msg { Some(msg) => msg, None => break },
                _ = tokio::time::sleep_until(deadline) => break,
                _ = signals.recv() => break,
            };
            // Only the answer matters now: whatever it would start next is not started.
            let _ = update(&mut state, msg, Utc::now());
        }
        let lost = state
            .requests
            .writes
            .values()
            .filter(|w| w.carries_secret())
            .count()
            + state.requests.lost_writes.len();
        if lost > 0 {
            said.push(format!(
                "mailtrap-tokens: no answer came to {lost} change{}; if the server acted, reset the new \
                 token again to get a secret",
                if lost == 1 { "" } else { "s" }
            ));
        }
    }
    // The files first: a terminal that is gone (SIGHUP) fails every write to stderr.
    let custody = state.secrets_in_custody();
    let rescued = !custody.is_empty();
    said.extend(crate::custody::rescue_all(rescue_dir, &custody));
    for line in &said {
        say(line);
    }
    if rescued && code == 0 { 1 } else { code }
}

/// One line on stderr; a stderr that cannot be written (the terminal went away) is not a reason to stop.
fn say(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{line}");
}

/// Rows the wheel moves per notch.
const WHEEL_ROWS: i32 = 3;

/// Turns a terminal event into a message; only key presses count.
fn event_to_msg(event: Event) -> Option<Msg> {
    match event {
        Event::Key(key) if key.kind == KeyEventKind::Press => Some(Msg::TerminalKey(key)),
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

/// The signals that stop the console. Each one restores the terminal and keeps the secrets in custody
/// before the process ends; without a handler, SIGQUIT, SIGUSR1, SIGUSR2 and SIGALRM would end it with
/// the terminal still in raw mode on the alternate screen.
#[cfg(unix)]
struct StopSignals {
    signals: Vec<(i32, tokio::signal::unix::Signal)>,
}

#[cfg(unix)]
impl StopSignals {
    fn new() -> std::io::Result<Self> {
        use tokio::signal::unix::{SignalKind, signal};
        let mut signals = Vec::new();
        for n in [
            libc::SIGTERM,
            libc::SIGINT,
            libc::SIGHUP,
            libc::SIGQUIT,
            libc::SIGUSR1,
            libc::SIGUSR2,
            libc::SIGALRM,
        ] {
            signals.push((n, signal(SignalKind::from_raw(n))?));
        }
        Ok(Self { signals })
    }

    /// The number of the next stop signal.
    async fn recv(&mut self) -> i32 {
        let waits = self.signals.iter_mut().map(|(n, s)| {
            let n = *n;
            Box::pin(async move {
                s.recv().await;
                n
            })
        });
        futures::future::select_all(waits).await.0
    }
}

#[cfg(not(unix))]
struct StopSignals;

#[cfg(not(unix))]
impl StopSignals {
    fn new() -> std::io::Result<Self> {
        Ok(Self)
    }

    async fn recv(&mut self) -> i32 {
        let _ = tokio::signal::ctrl_c().await;
        2
    }
}

/// Events the loop takes from the terminal before it handles any of them: enough for any burst a
/// person or a paste makes, bounded so a flood cannot grow memory without end.
const MAX_BURST: usize = 4096;

/// Keys closer together than this are one burst (a paste, a held key, a roll of two fingers), however the
/// terminal split them into reads: none but the first can answer a dialog.
const BURST_GAP: StdDuration = StdDuration::from_millis(25);

/// When the last frame was drawn and the last key arrived: what decides whether a key was typed in answer
/// to what is on screen.
struct KeyTimes {
    frame_at: std::time::Instant,
    last_key: Option<std::time::Instant>,
    /// The last frame drawn was large enough to show the dialogs.
    last_frame_showed_overlays: bool,
}

impl Default for KeyTimes {
    fn default() -> Self {
        Self {
            frame_at: std::time::Instant::now(),
            last_key: None,
            last_frame_showed_overlays: false,
        }
    }
}

impl KeyTimes {
    /// A key that arrived before the last frame was drawn, or within `BURST_GAP` of the key before it,
    /// was not typed in answer to the screen: the open dialog cannot take it (until the next frame).
    fn note(&mut self, state: &mut State, event: &Event, arrived: std::time::Instant) {
        if !matches!(event, Event::Key(_)) {
            return;
        }
        let in_burst = self
            .last_key
            .is_some_and(|at| arrived.saturating_duration_since(at) < BURST_GAP);
        if in_burst || arrived < self.frame_at {
            state.key_in_burst();
        }
        self.last_key = Some(arrived);
    }
}

/// The shortest time between two frames while input keeps arriving.
const FRAME_GAP: StdDuration = StdDuration::from_millis(16);

/// Terminal events as the reader thread saw them arrive.
type Arrival = (std::io::Result<Event>, std::time::Instant);

/// Reads the terminal on a thread of its own, stamping each event with the moment it arrived, so the
/// loop knows what arrived before a frame was drawn however busy it was. (crossterm's own zero-timeout
/// poll does not read the terminal with `use-dev-tty`, so the loop cannot ask it what is waiting.)
fn spawn_reader() -> UnboundedReceiver<Arrival> {
    let (tx, rx) = unbounded_channel();
    let spawned = std::thread::Builder::new()
        .name("terminal-input".into())
        .spawn(move || {
            loop {
                let event = crossterm::event::read();
                let failed = event.is_err();
                if tx.send((event, std::time::Instant::now())).is_err() || failed {
                    break;
                }
            }
        });
    if let Err(e) = spawned {
        tracing::error!(error = %e, "the terminal reader could not start");
    }
    rx
}

/// Draws a frame and notes it: its dialogs have now been seen (unless the "too small" screen hid them),
/// and keys arriving from now on answer what it shows.
fn draw(
    guard: &mut TerminalGuard,
    state: &mut State,
    theme: &Theme,
    keys: &mut KeyTimes,
) -> std::io::Result<()> {
    // The open dialog, if any, was on the last frame as it is now (its question unchanged since).
    let seen_before = state.overlays.drawn && keys.last_frame_showed_overlays;
    let started = std::time::Instant::now();
    let completed = guard
        .terminal
        .draw(|f| view::draw_frame(state, Utc::now(), theme, f))?;
    let shown = view::overlays_fit(completed.area.width, completed.area.height);
    state.needs_redraw = false;
    keys.frame_at = frame_seen_from(seen_before, started, std::time::Instant::now());
    keys.last_frame_showed_overlays = shown;
    if shown {
        state.frame_drawn();
    }
    Ok(())
}

/// From when keys answer what a frame shows. A key that arrives while a frame is being drawn was typed
/// looking at the frame before: when that one showed the same dialog (a countdown's redraw), the key
/// answers it; when this frame is the first to show it, only keys from its end on do.
fn frame_seen_from(
    seen_before: bool,
    started: std::time::Instant,
    ended: std::time::Instant,
) -> std::time::Instant {
    if seen_before { started } else { ended }
}

/// The live loop. Everything that has already arrived from the terminal is taken before anything new is
/// drawn, and each key reaches `update` as a `Msg::TerminalKey`. A key answers a dialog only if the
/// dialog, as it asks now, was on screen before the key arrived, and the key did not follow the one
/// before it within `BURST_GAP`: keys typed or pasted ahead never confirm anything.
async fn interactive(
    state: &mut State,
    executor: &mut Executor,
    (tx, rx): (&UnboundedSender<Msg>, &mut UnboundedReceiver<Msg>),
    theme: &Theme,
    mut clipboard: Clipboard,
    mouse: bool,
    signals: &mut StopSignals,
) -> std::io::Result<Ended> {
    let mut guard = TerminalGuard::enter_with(mouse)?;
    let mut input = spawn_reader();
    let mut burst: VecDeque<(Event, std::time::Instant)> = VecDeque::new();
    let mut keys = KeyTimes::default();
    let mut streaming = false;

    draw(&mut guard, state, theme, &mut keys)?;
    for effect in start(state, Utc::now()) {
        executor.run(effect);
    }

    loop {
        // What has arrived belongs to the screen the operator saw before the next one.
        while burst.len() < MAX_BURST {
            match input.try_recv() {
                Ok((event, at)) => burst.push_back((event?, at)),
                Err(_) => break,
            }
        }
        // Only while a flood keeps the loop from its `select!`, which watches the signals otherwise.
        if !burst.is_empty()
            && let Some(n) = signals.recv().now_or_never()
        {
            return Ok(Ended::Signal(n));
        }
        let msg = if let Some((event, arrived)) = burst.pop_front() {
            streaming = true;
            keys.note(state, &event, arrived);
            match event_to_msg(event) {
                Some(msg) => msg,
                None => continue,
            }
        } else {
            // While keys stream in (a paste without bracketed paste, a held key), frames wait for a
            // pause of a frame's length: drawing after each key would make a flood take minutes.
            let left = FRAME_GAP.saturating_sub(keys.frame_at.elapsed());
            if state.needs_redraw
                && streaming
                && !left.is_zero()
                && let Ok(Some((event, at))) = tokio::time::timeout(left, input.recv()).await
            {
                burst.push_back((event?, at));
                continue;
            }
            streaming = false;
            if state.needs_redraw {
                draw(&mut guard, state, theme, &mut keys)?;
            }
            if state.table.has_deferred_work() && state.drift.settled_for_idle() {
                update(state, Msg::Idle, Utc::now());
                super::memory::give_back_free();
                // The next piece once what arrived meanwhile is handled.
                continue;
            }
            let now = Utc::now();
            let wake = state.next_wakeup(now).map(|at| instant_at(at, now));
            tokio::select! {
                arrival = input.recv() => match arrival {
                    Some((event, at)) => {
                        // Handled at the top, with whatever else arrived with it.
                        burst.push_back((event?, at));
                        continue;
                    }
                    None => return Ok(Ended::InputClosed),
                },
                Some(msg) = rx.recv() => msg,
                _ = tokio::time::sleep_until(wake.unwrap_or_else(tokio::time::Instant::now)), if wake.is_some() => {
                    Msg::Tick(Utc::now())
                }
                n = signals.recv() => return Ok(Ended::Signal(n)),
            }
        };
        let mut effects = update(state, msg, Utc::now());
        // Take in whatever else already arrived before drawing, so a frame shows the latest state.
        while let Ok(msg) = rx.try_recv() {
            effects.extend(update(state, msg, Utc::now()));
        }
        for effect in effects {
            match effect {
                Effect::Quit => return Ok(Ended::Quit),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_during_a_redraw_answers_only_a_dialog_the_frame_before_showed() {
        let started = std::time::Instant::now();
        let ended = started + StdDuration::from_millis(8);
        let during = started + StdDuration::from_millis(3);
        let answers = |seen_before| during >= frame_seen_from(seen_before, started, ended);
        assert!(
            answers(true),
            "a countdown's redraw of a dialog already seen"
        );
        assert!(!answers(false), "the first frame to show the dialog");
    }
}
