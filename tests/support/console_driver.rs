//! The one way the tests drive the console model: build a `State`, feed it `Msg`s through the real update,
//! draw a frame off screen (ratatui's `TestBackend`) and read it back, or run its effects against the
//! simulator with the real executor. Tests call these functions, never `app::update` or `app::view`
//! themselves, so a change to how the console is stepped or drawn is made here once.
//!
//! Included into each binary that needs it with
//! `#[path = "../support/console_driver.rs"] mod console_driver;`.

#![allow(dead_code)]

use std::time::Duration as StdDuration;

use chrono::{DateTime, TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use mailtrap_tokens::api::AccountChoice;
use mailtrap_tokens::api::{Account, Client};
use mailtrap_tokens::app::effect::Effect;
use mailtrap_tokens::app::executor::Executor;
use mailtrap_tokens::app::msg::Msg;
use mailtrap_tokens::app::state::{State, StateConfig};
use mailtrap_tokens::app::{dump, run, update, view};
use mailtrap_tokens::config::Theme;
use mailtrap_tokens::keys::keymap::Keymap;
use mailtrap_tokens::sim::RunningSim;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};

// ---------------------------------------------------------------------------------------------------------
// The clock and the settings

/// The fixed clock every offline test runs at.
pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 5, 1, 12, 0, 0).unwrap()
}

/// The default keymap, an auto-refresh every 30 s, this account wanted, and an API nobody listens on.
pub fn state_config(account: i64) -> StateConfig {
    StateConfig {
        keymap: Keymap::default(),
        wanted_account: Some(account),
        api_url: "http://127.0.0.1:9".into(),
        refresh_every: chrono::Duration::seconds(30),
        rules: Default::default(),
        columns: mailtrap_tokens::app::state::SortColumn::ALL.to_vec(),
        start_view: Default::default(),
        handoff: Vec::new(),
        // Local times in frames as UTC, wherever the tests run.
        local_offset: chrono::FixedOffset::east_opt(0),
        writes: Default::default(),
    }
}

/// [`state_config`] for the simulator's account, at its URL.
pub fn sim_config(sim: &RunningSim) -> StateConfig {
    StateConfig {
        api_url: sim.url(),
        ..state_config(sim.account_id())
    }
}

// ---------------------------------------------------------------------------------------------------------
// A console fed by hand, at the fixed clock

/// A fresh console and the effects it started with.
pub fn new_console(config: StateConfig) -> (State, Vec<Effect>) {
    let mut state = State::new(config);
    let effects = update::start(&mut state, now());
    (state, effects)
}

/// A fresh console that has asked for its account; returns the request id of that ask. (The token list and
/// tree it asked for alongside, for the account named, are in [`connect_with_loads`].)
pub fn connect(config: StateConfig) -> (State, u64) {
    let (state, req, _) = connect_with_loads(config);
    (state, req)
}

/// A fresh console that has asked for its account and, when one is named, for that account's token list
/// and tree at the same time; returns the account request's id and those loads.
pub fn connect_with_loads(config: StateConfig) -> (State, u64, Vec<Effect>) {
    let wanted_account = config.wanted_account;
    let (state, mut effects) = new_console(config);
    let req = match effects.first() {
        Some(Effect::ResolveAccount { req, wanted }) => {
            assert_eq!(*wanted, wanted_account);
            *req
        }
        other => panic!("expected a ResolveAccount first, got {other:?}"),
    };
    let loads = effects.split_off(1);
    match wanted_account {
        Some(account) => {
            let (tokens, tree) = load_requests(&loads, account);
            assert!(
                tokens.is_some() && tree.is_some() && loads.len() == 2,
                "the named account's list and tree are asked for at once: {loads:?}"
            );
        }
        None => assert!(loads.is_empty(), "nothing but the account: {loads:?}"),
    }
    (state, req, loads)
}

/// Answers the account request `req` with `account`; returns the effects (the loads).
pub fn choose_account(state: &mut State, req: u64, account: Account) -> Vec<Effect> {
    send(
        state,
        Msg::AccountResolved {
            req,
            result: Ok(AccountChoice::Chosen(account)),
        },
    )
}

/// The ids of the token and tree requests among `effects`; a token load must be for `account`.
pub fn load_requests(effects: &[Effect], account: i64) -> (Option<u64>, Option<u64>) {
    let mut tokens = None;
    let mut tree = None;
    for e in effects {
        match e {
            Effect::LoadTokens { req, account: a } => {
                assert_eq!(*a, account);
                tokens = Some(*req);
            }
            Effect::LoadResourceTree { req, .. } => tree = Some(*req),
            _ => {}
        }
    }
    (tokens, tree)
}

/// Feeds a message through the real update at the fixed clock; returns its effects.
pub fn send(state: &mut State, msg: Msg) -> Vec<Effect> {
    send_at(state, msg, now())
}

/// Feeds a message through the real update at `now`.
/// The idle steps the console takes once its frame is on screen, one piece of the rest at a time,
/// until nothing is left to make; fails if that takes more steps than there are pieces.
pub fn idle(state: &mut State) {
    for _ in 0..32 {
        if !state.table.has_deferred_work() {
            return;
        }
        send(state, Msg::Idle);
    }
    panic!("the idle steps never finished");
}

pub fn send_at(state: &mut State, msg: Msg, now: DateTime<Utc>) -> Vec<Effect> {
    update::update(state, msg, now)
}

// ---------------------------------------------------------------------------------------------------------
// Keys, as a terminal reports them

/// A key pressed without modifiers; a capital letter comes with Shift.
pub fn key(code: KeyCode) -> KeyEvent {
    let modifiers = match code {
        KeyCode::Char(c) if c.is_ascii_uppercase() => KeyModifiers::SHIFT,
        _ => KeyModifiers::NONE,
    };
    KeyEvent::new(code, modifiers)
}

/// A character typed: [`key`] of it.
pub fn ch(c: char) -> KeyEvent {
    key(KeyCode::Char(c))
}

/// Ctrl with a letter.
pub fn ctrl_key(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
}

/// The keys that type `text`.
pub fn typed(text: &str) -> Vec<KeyEvent> {
    text.chars().map(ch).collect()
}

/// [`key`] as the console's message.
pub fn press(code: KeyCode) -> Msg {
    Msg::Key(key(code))
}

/// [`ch`] as the console's message.
pub fn char_key(c: char) -> Msg {
    Msg::Key(ch(c))
}

/// [`ctrl_key`] as the console's message.
pub fn ctrl(c: char) -> Msg {
    Msg::Key(ctrl_key(c))
}

/// The release of a character key (terminals with the kitty protocol report them).
pub fn release(c: char) -> Msg {
    let mut key = KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
    key.kind = KeyEventKind::Release;
    Msg::Key(key)
}

// ---------------------------------------------------------------------------------------------------------
// Driving either kind of console

/// A console a test types into: a bare `State` (effects dropped) or a [`Live`] one (effects run).
pub trait Drive {
    fn state(&self) -> &State;
    fn feed(&mut self, msg: Msg);
}

impl Drive for State {
    fn state(&self) -> &State {
        self
    }

    fn feed(&mut self, msg: Msg) {
        send(self, msg);
    }
}

/// Types `text`, one key a character.
pub fn type_text(console: &mut impl Drive, text: &str) {
    for c in text.chars() {
        console.feed(char_key(c));
    }
}

/// Moves the selection to the row named `name`: to the top, then down until it is selected.
pub fn select(console: &mut impl Drive, name: &str) {
    console.feed(char_key('g'));
    for _ in 0..console.state().table.order().len() {
        if selected_name(console.state()).as_deref() == Some(name) {
            return;
        }
        console.feed(char_key('j'));
    }
    panic!(
        "no row named {name:?}: {:?}",
        visible_names(console.state())
    );
}

pub fn selected_name(state: &State) -> Option<String> {
    state.table.selected_row().map(|r| r.token.name.to_string())
}

/// The names of the rows the table shows, in its order.
pub fn visible_names(state: &State) -> Vec<String> {
    state
        .table
        .order()
        .iter()
        .map(|&i| state.table.rows[i as usize].token.name.to_string())
        .collect()
}

// ---------------------------------------------------------------------------------------------------------
// Frames

/// A frame drawn off screen: `.backend()` is what a snapshot shows, `.backend().buffer()` its cells.
pub type Screen = Terminal<TestBackend>;

/// The console drawn at `width`×`height`, the fixed clock, the default theme.
pub fn draw(state: &mut State, width: u16, height: u16) -> Screen {
    draw_with(state, width, height, &Theme::default())
}

/// [`draw`] with another theme.
pub fn draw_with(state: &mut State, width: u16, height: u16, theme: &Theme) -> Screen {
    render(state, now(), theme, width, height)
}

/// [`draw`] at another moment.
pub fn draw_at(state: &mut State, now: DateTime<Utc>, width: u16, height: u16) -> Screen {
    render(state, now, &Theme::default(), width, height)
}

fn render(state: &mut State, now: DateTime<Utc>, theme: &Theme, width: u16, height: u16) -> Screen {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|f| view::draw_frame(state, now, theme, f))
        .unwrap();
    terminal
}

/// One widget (a dialog, say) drawn on its own over the whole `width`×`height` area, default theme.
pub fn draw_widget(
    width: u16,
    height: u16,
    render: impl FnOnce(Rect, &mut Buffer, &Theme),
) -> Screen {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    let theme = Theme::default();
    terminal
        .draw(|frame| {
            let area = frame.area();
            render(area, frame.buffer_mut(), &theme);
        })
        .unwrap();
    terminal
}

/// The frame as plain text (wide characters once), for `contains` checks.
pub fn text(screen: &Screen) -> String {
    dump::buffer_to_text(screen.backend().buffer())
}

/// The cell (x, y) where `needle` starts on screen, the first in reading order; a wide character counts
/// once, though it covers two cells.
pub fn find(screen: &Screen, needle: &str) -> Option<(u16, u16)> {
    let buffer = screen.backend().buffer();
    let first = needle.chars().next()?.to_string();
    for y in 0..buffer.area.height {
        for x in 0..buffer.area.width {
            if buffer[(x, y)].symbol() == first {
                let mut s = String::new();
                let mut cx = x;
                while s.len() < needle.len() && cx < buffer.area.width {
                    let symbol = buffer[(cx, y)].symbol();
                    s.push_str(symbol);
                    // A wide character covers the next cell too.
                    cx += unicode_width::UnicodeWidthStr::width(symbol).max(1) as u16;
                }
                if s.starts_with(needle) {
                    return Some((x, y));
                }
            }
        }
    }
    None
}

/// [`find`] that fails the test, showing the frame, when `needle` is not on screen.
pub fn locate(screen: &Screen, needle: &str) -> (u16, u16) {
    find(screen, needle).unwrap_or_else(|| panic!("{needle:?} not on screen:\n{}", text(screen)))
}

/// Every cell of the frame is free of control characters and invisible format characters: nothing the
/// data carried can reach the terminal as an escape sequence.
pub fn assert_clean_buffer(buffer: &Buffer, context: &str) {
    for (i, cell) in buffer.content.iter().enumerate() {
        let symbol = cell.symbol();
        let bad = symbol.chars().find(|&c| {
            c.is_control()
                || mailtrap_tokens::text::is_invisible_format(c)
                || matches!(c, '\u{2028}' | '\u{2029}')
        });
        assert!(
            bad.is_none(),
            "{context}: cell {i} holds {symbol:?} (char {:?})",
            bad
        );
    }
}

// ---------------------------------------------------------------------------------------------------------
// A console whose effects run: the real executor and `api::Client`, against the simulator

/// How long a live console waits for any one answer before the test fails.
pub const ANSWER_DEADLINE: StdDuration = StdDuration::from_secs(20);

/// A console with the real executor: every effect it sends is run (inside the test's tokio runtime), and
/// the answers come back on `rx` to be fed in with [`Live::settle`], never a sleep.
pub struct Live {
    pub state: State,
    pub executor: Executor,
    pub rx: UnboundedReceiver<Msg>,
    clock: fn() -> DateTime<Utc>,
}

impl Live {
    /// `State::new(config)` over `client` as it is, started; its clock is `clock`.
    pub fn start(config: StateConfig, client: Client, clock: fn() -> DateTime<Utc>) -> Live {
        let (tx, rx) = unbounded_channel();
        let state = State::new(config);
        Live::begin(state, Executor::new(client, tx), rx, clock)
    }

    /// As [`Live::start`], with the executor keeping its state (the journal, places, snapshots) in `dir`.
    pub fn start_in(
        config: StateConfig,
        client: Client,
        clock: fn() -> DateTime<Utc>,
        dir: std::path::PathBuf,
    ) -> Live {
        let (tx, rx) = unbounded_channel();
        let state = State::new(config);
        Live::begin(
            state,
            Executor::new(client, tx).with_state_dir(dir),
            rx,
            clock,
        )
    }

    /// The console as the program builds it (`run::initial_state`: the own token's last digits, the save
    /// directory; the client reporting its retries), started.
    pub fn start_as_run(config: StateConfig, client: Client, clock: fn() -> DateTime<Utc>) -> Live {
        let (tx, rx) = unbounded_channel();
        let client = run::client_reporting_retries(client, &tx);
        let state = run::initial_state(config, &client, Vec::new(), clock());
        Live::begin(state, Executor::new(client, tx), rx, clock)
    }

    /// [`Live::start_as_run`] with a state directory: the executor keeps its places lists there and
    /// journals every write there, as the program does.
    pub fn start_as_run_in(
        config: StateConfig,
        client: Client,
        clock: fn() -> DateTime<Utc>,
        state_dir: std::path::PathBuf,
    ) -> Live {
        let (tx, rx) = unbounded_channel();
        let client = run::client_reporting_retries(client, &tx);
        let state = run::initial_state(config, &client, Vec::new(), clock());
        let executor = Executor::new(client, tx).with_state_dir(state_dir);
        Live::begin(state, executor, rx, clock)
    }

    fn begin(
        mut state: State,
        executor: Executor,
        rx: UnboundedReceiver<Msg>,
        clock: fn() -> DateTime<Utc>,
    ) -> Live {
        let effects = update::start(&mut state, clock());
        let mut live = Live {
            state,
            executor,
            rx,
            clock,
        };
        live.run(effects);
        live
    }

    pub fn now(&self) -> DateTime<Utc> {
        (self.clock)()
    }

    /// Runs effects through the executor. The console here must stay up and copies nothing.
    pub fn run(&mut self, effects: Vec<Effect>) {
        for effect in effects {
            assert!(
                !matches!(effect, Effect::Quit | Effect::CopyToClipboard { .. }),
                "unexpected {effect:?}: the console must stay up"
            );
            self.executor.run(effect);
        }
    }

    /// Feeds a message through the real update and runs what it asks for.
    pub fn send(&mut self, msg: Msg) {
        let now = self.now();
        let effects = update::update(&mut self.state, msg, now);
        self.run(effects);
    }

    /// Whether a read or a write is still in flight.
    pub fn busy(&self) -> bool {
        let s = &self.state;
        let r = &s.requests;
        let inventory_busy = s.session.inventory.as_ref().is_some_and(|i| {
            i.slots
                .iter()
                .any(|slot| slot.tokens.in_flight.is_some() || slot.tree.in_flight.is_some())
        });
        r.accounts.in_flight.is_some()
            || r.tokens.in_flight.is_some()
            || r.tree.in_flight.is_some()
            || !r.writes.is_empty()
            || inventory_busy
    }

    /// The next answer; fails after [`ANSWER_DEADLINE`].
    pub async fn next(&mut self) -> Msg {
        tokio::time::timeout(ANSWER_DEADLINE, self.rx.recv())
            .await
            .expect("an answer within the deadline")
            .expect("the channel is open")
    }

    /// Feeds answers in until nothing is in flight, then whatever else already arrived (rate readings).
    pub async fn settle(&mut self) {
        while self.busy() {
            let msg = self.next().await;
            self.send(msg);
        }
        while let Ok(msg) = self.rx.try_recv() {
            self.send(msg);
        }
    }

    /// [`key`] of `code`.
    pub fn key(&mut self, code: KeyCode) {
        self.send(press(code));
    }

    pub fn chars(&mut self, text: &str) {
        type_text(self, text);
    }

    pub fn select(&mut self, name: &str) {
        select(self, name);
    }

    /// The frame at `width`×`height` on the console's clock, as text.
    pub fn screen(&mut self, width: u16, height: u16) -> String {
        let now = self.now();
        text(&draw_at(&mut self.state, now, width, height))
    }
}

impl Drive for Live {
    fn state(&self) -> &State {
        &self.state
    }

    fn feed(&mut self, msg: Msg) {
        self.send(msg);
    }
}
