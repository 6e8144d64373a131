//! The README shows generated things (the key table, the default config file, a screenshot); these tests
//! keep each one identical to what the code produces, so the README cannot drift. `layers.rs` holds the
//! module layer table the README quotes, and checks that the source keeps to it.

mod layers;

use mailtrap_tokens::keys::keymap::{Keymap, keymap_table};

fn readme() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md is readable")
}

/// The text between `<!-- NAME:start -->\n` and `<!-- NAME:end -->`.
fn section(readme: &str, name: &str) -> String {
    let start = format!("<!-- {name}:start -->\n");
    let end = format!("<!-- {name}:end -->");
    let from = readme
        .find(&start)
        .unwrap_or_else(|| panic!("README.md has {start:?}"))
        + start.len();
    let to = readme[from..]
        .find(&end)
        .unwrap_or_else(|| panic!("README.md has {end:?}"))
        + from;
    readme[from..to].to_string()
}

#[test]
fn the_readme_shows_the_default_keymap() {
    assert_eq!(
        section(&readme(), "keys"),
        keymap_table(&Keymap::default()),
        "README.md's key table is out of date: paste keymap_table's output between the markers"
    );
}

#[test]
fn the_readme_shows_the_default_config_file() {
    let shipped = include_str!("../../assets/config.default.toml");
    assert_eq!(
        section(&readme(), "config"),
        format!("```toml\n{shipped}```\n"),
        "README.md's config file is out of date: paste assets/config.default.toml between the markers"
    );
}

/// The README's screenshot is the demo account as the console draws it at 120×24, on a frozen clock so
/// that countdowns are fixed. `UPDATE_README=1 cargo test --test readme` rewrites it after a change.
#[tokio::test]
async fn the_readme_screenshot_is_the_demo_as_drawn() {
    use chrono::{Duration, TimeZone, Utc};
    use mailtrap_tokens::api::Client;
    use mailtrap_tokens::app::{dump, executor::Executor, run, state::StateConfig, update};
    use mailtrap_tokens::sim::{RunningSim, SimOptions};

    let sim = RunningSim::start(SimOptions {
        frozen_at: Some(Utc.with_ymd_and_hms(2026, 11, 26, 9, 0, 0).unwrap()),
        ..SimOptions::default()
    })
    .await
    .expect("the simulator starts");
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let client = Client::new(&sim.url(), sim.operator_token()).expect("a loopback client");
    let config = StateConfig {
        keymap: Keymap::default(),
        wanted_account: Some(sim.account_id()),
        api_url: sim.url(),
        refresh_every: Duration::seconds(30),
    };
    let mut state = run::initial_state(config, &client, Vec::new(), sim.now());
    let mut executor = Executor::new(client, tx);
    for effect in update::start(&mut state, sim.now()) {
        executor.run(effect);
    }
    let deadline = std::time::Duration::from_secs(20);
    while !(state.requests.has_tokens()
        && state.requests.tree.last_success.is_some()
        && state.requests.tokens.in_flight.is_none())
    {
        let msg = tokio::time::timeout(deadline, rx.recv())
            .await
            .expect("the demo loads within the deadline")
            .expect("the executor is alive");
        for effect in update::update(&mut state, msg, sim.now()) {
            executor.run(effect);
        }
    }
    while let Ok(msg) = rx.try_recv() {
        for effect in update::update(&mut state, msg, sim.now()) {
            executor.run(effect);
        }
    }
    let screen = dump::render_text(&mut state, sim.now(), &Default::default(), 120, 24);
    let expected = format!("```text\n{screen}```\n");
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/README.md");
    let readme = readme();
    if std::env::var_os("UPDATE_README").is_some() {
        let current = section(&readme, "screen");
        std::fs::write(path, readme.replacen(&current, &expected, 1))
            .expect("README.md is writable");
        return;
    }
    assert_eq!(
        section(&readme, "screen"),
        expected,
        "README.md's screenshot is out of date: run `UPDATE_README=1 cargo test --test readme`"
    );
}
