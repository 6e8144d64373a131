//! Faults seen through the console: the real `update`, the real `Executor` running the requests against
//! the simulator, and the real view. The console stays up and says in words what happened and what to do;
//! a failed refresh keeps the list on screen.

use crate::support::*;
use mailtrap_tokens::api::Client;
use mailtrap_tokens::app::dump::buffer_to_text;
use mailtrap_tokens::app::effect::Effect;
use mailtrap_tokens::app::executor::Executor;
use mailtrap_tokens::app::msg::Msg;
use mailtrap_tokens::app::state::{State, StateConfig};
use mailtrap_tokens::app::update::{self, update};
use mailtrap_tokens::app::view;
use mailtrap_tokens::config::Theme;
use mailtrap_tokens::keys::keymap::Keymap;
use mailtrap_tokens::sim::{Fault, FaultBody, RunningSim};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::time::Duration;
use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};

struct Console {
    state: State,
    executor: Executor,
    rx: UnboundedReceiver<Msg>,
}

impl Console {
    fn start(sim: &RunningSim, api: Client) -> Self {
        let (tx, rx) = unbounded_channel();
        let mut state = State::new(StateConfig {
            keymap: Keymap::default(),
            wanted_account: Some(sim.account_id()),
            api_url: sim.url(),
            refresh_every: chrono::Duration::seconds(30),
        });
        let mut executor = Executor::new(api, tx);
        for effect in update::start(&mut state, chrono::Utc::now()) {
            executor.run(effect);
        }
        Console {
            state,
            executor,
            rx,
        }
    }

    fn feed(&mut self, msg: Msg) {
        for effect in update(&mut self.state, msg, chrono::Utc::now()) {
            assert!(
                !matches!(effect, Effect::Quit),
                "the console must stay up on a fault"
            );
            self.executor.run(effect);
        }
    }

    /// Runs answers through `update` until no request is in flight (bounded).
    async fn settle(&mut self) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
        while self.state.requests.accounts.in_flight.is_some()
            || self.state.requests.tokens.in_flight.is_some()
            || self.state.requests.tree.in_flight.is_some()
        {
            let msg = tokio::time::timeout_at(deadline, self.rx.recv())
                .await
                .expect("the console settles in time")
                .expect("the executor is alive");
            self.feed(msg);
        }
    }

    fn screen(&mut self) -> String {
        let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
        terminal
            .draw(|f| view::draw_frame(&mut self.state, chrono::Utc::now(), &Theme::default(), f))
            .unwrap();
        buffer_to_text(terminal.backend().buffer())
    }
}

fn key(c: char) -> Msg {
    Msg::Key(crossterm::event::KeyEvent::new(
        crossterm::event::KeyCode::Char(c),
        crossterm::event::KeyModifiers::NONE,
    ))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_gateway_error_on_the_first_load_is_a_screen_in_words_and_r_retries() {
    let sim = start().await;
    sim.inject_fault(Fault {
        path: Some("/api_tokens".into()),
        status: Some(502),
        body: Some(FaultBody::Html),
        count: 4,
        ..Fault::default()
    });
    let mut console = Console::start(&sim, client(&sim));
    console.settle().await;
    let screen = console.screen();
    assert!(screen.contains("Could not load the tokens"), "{screen}");
    assert!(screen.contains("server error (502)"), "{screen}");
    assert!(screen.contains("retry in a moment"), "{screen}");
    assert!(!screen.contains("<html"), "{screen}");
    // The gateway is back: `r` loads the list.
    console.feed(key('r'));
    console.settle().await;
    let screen = console.screen();
    assert!(screen.contains("CI deploy bot"), "{screen}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_refresh_keeps_the_list_and_says_why() {
    let sim = start().await;
    let mut console = Console::start(&sim, client(&sim));
    console.settle().await;
    assert!(console.screen().contains("CI deploy bot"));
    sim.inject_fault(Fault {
        path: Some("/api_tokens".into()),
        status: Some(503),
        body: Some(FaultBody::Html),
        count: 4,
        ..Fault::default()
    });
    console.feed(key('r'));
    console.settle().await;
    let screen = console.screen();
    assert!(
        screen.contains("CI deploy bot"),
        "the list is kept:\n{screen}"
    );
    assert!(screen.contains("Refresh failed"), "{screen}");
    assert!(screen.contains("503"), "{screen}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_expired_mid_session_is_a_401_in_the_status_line_and_the_list_stays() {
    let sim = start().await;
    let account = sim.account_id();
    let mut console = Console::start(&sim, client(&sim));
    console.settle().await;
    client(&sim)
        .reset_token(account, 2490101, mailtrap_tokens::api::Expiry::Never)
        .await
        .unwrap();
    sim.advance_clock(chrono::Duration::hours(12) + chrono::Duration::minutes(1));
    console.feed(key('r'));
    console.settle().await;
    let screen = console.screen();
    assert!(screen.contains("Refresh failed"), "{screen}");
    assert!(screen.contains("401"), "{screen}");
    assert!(
        screen.contains("CI deploy bot"),
        "the list is kept:\n{screen}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_timeout_and_an_unreachable_server_are_screens_in_words() {
    let sim = start().await;
    sim.inject_fault(Fault {
        latency_ms: Some(2_000),
        count: 20,
        ..Fault::default()
    });
    let impatient = Client::with_options(
        &sim.url(),
        sim.operator_token(),
        mailtrap_tokens::api::ClientOptions {
            request_timeout: Duration::from_millis(200),
            read_retries: 1,
            ..fast_options()
        },
    )
    .unwrap();
    let mut console = Console::start(&sim, impatient);
    console.settle().await;
    let screen = console.screen();
    assert!(
        screen.contains("The API did not answer in time"),
        "{screen}"
    );
    assert!(screen.contains("Check the network"), "{screen}");
}
