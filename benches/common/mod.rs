//! Shared by the criterion benches: a console state loaded with N synthetic tokens, exactly as the console
//! loads it (the simulator's `--tokens N` data, fetched over loopback HTTP once, fed through `update`).

use chrono::{DateTime, Duration, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use mailtrap_tokens::api::AccountChoice;
use mailtrap_tokens::app::effect::Effect;
use mailtrap_tokens::app::msg::Msg;
use mailtrap_tokens::app::state::{DEFAULT_REFRESH, SortColumn, StartView, State, StateConfig};
use mailtrap_tokens::app::update::{start, update};
use mailtrap_tokens::app::view;
use mailtrap_tokens::config::Theme;
use mailtrap_tokens::keys::keymap::Keymap;

pub mod account;

pub const COLS: u16 = 120;
pub const ROWS: u16 = 40;

/// A console state after the first load of an account with `extra` synthetic tokens beyond the demo seed,
/// and the clock reading every frame is drawn at (fixed, so countdowns do not change between iterations).
pub fn loaded_state(extra: usize) -> (State, DateTime<Utc>) {
    loaded_state_in(extra, StartView::default())
}

/// `loaded_state`, showing `view` (a view's name as `--view` takes it).
pub fn loaded_view(extra: usize, view: &str) -> (State, DateTime<Utc>) {
    let start = view.parse().unwrap_or_else(|e| panic!("{e}"));
    loaded_state_in(extra, start)
}

fn loaded_state_in(extra: usize, start_view: StartView) -> (State, DateTime<Utc>) {
    let account::Fetched {
        account,
        tokens,
        tree,
        ..
    } = account::fetched(extra);
    let now = Utc::now();
    let mut state = State::new(bench_config(Some(account.id), start_view));
    let effects = start(&mut state, now);
    let Some(Effect::ResolveAccount { req, .. }) = effects.first() else {
        panic!("the console starts by resolving the account: {effects:?}");
    };
    let msg = Msg::AccountResolved {
        req: *req,
        result: Ok(AccountChoice::Chosen(account)),
    };
    let mut tokens = Some(tokens);
    let mut tree = Some(tree);
    // The named account's list and tree are asked for at start, beside the account.
    let mut loads = effects[1..].to_vec();
    loads.extend(update(&mut state, msg, now));
    for effect in loads {
        let msg = match effect {
            Effect::LoadTokens { req, .. } => Msg::TokensLoaded {
                req,
                result: Ok(tokens.take().expect("one token load").into()),
            },
            Effect::LoadResourceTree { req, .. } => Msg::ResourceTreeLoaded {
                req,
                result: Ok(tree.take().expect("one tree load")),
            },
            // No places are kept for the bench's account.
            Effect::LoadPlaces { account } => Msg::PlacesLoaded {
                account,
                result: Ok(Default::default()),
            },
            // Nor a snapshot of an earlier look: nothing to compare with.
            Effect::LoadSnapshot { account, .. } => Msg::SnapshotLoaded {
                account,
                loaded: Default::default(),
            },
            other => panic!("unexpected effect {other:?}"),
        };
        update(&mut state, msg, now);
    }
    assert!(state.requests.has_tokens(), "the state holds the tokens");
    idle(&mut state, now);
    (state, now)
}

/// A console state showing the inventory of `accounts` accounts with `per_account` tokens each (the
/// simulator's synthetic tokens, fetched once and given each account ids of its own), every list and tree
/// answered through `update` as the console takes them.
#[allow(dead_code)] // used by the frame bench only
pub fn loaded_inventory(accounts: usize, per_account: usize) -> (State, DateTime<Utc>) {
    let account::Fetched {
        account,
        tokens,
        tree,
        ..
    } = account::fetched(per_account.saturating_sub(20));
    let now = Utc::now();
    let mut state = State::new(bench_config(None, StartView::default()));
    let effects = start(&mut state, now);
    let Some(Effect::ResolveAccount { req, .. }) = effects.first() else {
        panic!("the console starts by resolving the account: {effects:?}");
    };
    let ids: Vec<i64> = (0..accounts as i64).map(|k| account.id + 1 + k).collect();
    let listed = ids
        .iter()
        .enumerate()
        .map(|(k, &id)| mailtrap_tokens::api::Account {
            id,
            name: format!("{} {k:02}", account.name),
            access_levels: account.access_levels.clone(),
        })
        .collect();
    let msg = Msg::AccountResolved {
        req: *req,
        result: Ok(AccountChoice::Ambiguous(listed)),
    };
    for effect in update(&mut state, msg, now) {
        let msg = match effect {
            Effect::LoadTokens { req, account } => {
                let k = ids.iter().position(|&id| id == account).unwrap_or(0) as i64;
                let mut list = tokens.clone();
                for t in &mut list.tokens {
                    t.id += (k + 1) * 100_000_000;
                }
                Msg::TokensLoaded {
                    req,
                    result: Ok(list.into()),
                }
            }
            Effect::LoadResourceTree { req, .. } => Msg::ResourceTreeLoaded {
                req,
                result: Ok(tree.clone()),
            },
            // No places are kept for the bench's accounts.
            Effect::LoadPlaces { account } => Msg::PlacesLoaded {
                account,
                result: Ok(Default::default()),
            },
            other => panic!("unexpected effect {other:?}"),
        };
        update(&mut state, msg, now);
    }
    assert_eq!(state.table.rows.len(), accounts * tokens.tokens.len());
    idle(&mut state, now);
    (state, now)
}

/// As the console does once its first frame is on screen: the idle steps, a piece each, until nothing
/// is left to make.
pub fn idle(state: &mut State, now: DateTime<Utc>) {
    while state.table.has_deferred_work() {
        update(state, Msg::Idle, now);
    }
}

/// The settings every bench console runs with: the default keymap and columns, no refresh soon.
fn bench_config(wanted_account: Option<i64>, start_view: StartView) -> StateConfig {
    StateConfig {
        keymap: Keymap::default(),
        wanted_account,
        api_url: "http://127.0.0.1".into(),
        refresh_every: Duration::seconds(DEFAULT_REFRESH),
        rules: Default::default(),
        columns: SortColumn::ALL.to_vec(),
        start_view,
        handoff: Vec::new(),
        local_offset: None,
        writes: Default::default(),
    }
}

pub fn terminal() -> Terminal<TestBackend> {
    let Ok(terminal) = Terminal::new(TestBackend::new(COLS, ROWS));
    terminal
}

/// One full console frame: the view builds the visible rows from the state and renders them; `draw` then
/// diffs the buffer against the previous frame as it would for a real terminal.
pub fn draw_console(terminal: &mut Terminal<TestBackend>, state: &mut State, now: DateTime<Utc>) {
    let theme = theme();
    let Ok(_) = terminal.draw(|f| view::draw_frame(state, now, theme, f));
}

pub fn theme() -> &'static Theme {
    static THEME: std::sync::OnceLock<Theme> = std::sync::OnceLock::new();
    THEME.get_or_init(Theme::default)
}
