//! The README shows generated things (the key table, the default config file, a screenshot); these tests
//! keep each one identical to what the code produces, so the README cannot drift.

mod layers;

use mailtrap_tokens::keys::keymap::{Keymap, keymap_table};

fn readme() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md is readable")
}

/// Puts `expected` between the markers of section `name` in README.md (`UPDATE_README=1`). The tests run
/// in parallel, so each rewrite reads and writes the file under one lock, and none undoes another's.
fn rewrite_section(name: &str, expected: &str) {
    static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _held = LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let readme = readme();
    let marked = |text: &str| format!("<!-- {name}:start -->\n{text}<!-- {name}:end -->");
    let current = section(&readme, name);
    // Written beside it and renamed over it, so a test reading it meanwhile never sees half a file.
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/README.md");
    let partial = format!("{path}.{name}.partial");
    std::fs::write(
        &partial,
        readme.replacen(&marked(&current), &marked(expected), 1),
    )
    .expect("README.md's folder is writable");
    std::fs::rename(&partial, path).expect("README.md can be replaced");
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

/// The README's table of hygiene rules is the registry's. `UPDATE_README=1 cargo test --test process
/// readme::` rewrites it after a change to a rule.
#[test]
fn the_readme_lists_every_hygiene_rule() {
    let mut expected =
        String::from("| id | severity | finding | what to do |\n|---|---|---|---|\n");
    for rule in mailtrap_tokens::hygiene::RULES {
        expected.push_str(&format!(
            "| `{}` | {} {} | {} | {} |\n",
            rule.id,
            rule.severity.symbol(),
            rule.severity,
            rule.text,
            rule.hint.replace('|', "\\|")
        ));
    }
    if std::env::var_os("UPDATE_README").is_some() {
        rewrite_section("hygiene", &expected);
        return;
    }
    assert_eq!(
        section(&readme(), "hygiene"),
        expected,
        "README.md's hygiene rules are out of date: run `UPDATE_README=1 cargo test --test process readme::`"
    );
}

/// `UPDATE_README=1 cargo test --test process readme::` rewrites it after a change to the file.
#[test]
fn the_readme_shows_the_default_config_file() {
    let shipped = include_str!("../../assets/config.default.toml");
    let expected = format!("```toml\n{shipped}```\n");
    if std::env::var_os("UPDATE_README").is_some() {
        rewrite_section("config", &expected);
        return;
    }
    assert_eq!(
        section(&readme(), "config"),
        expected,
        "README.md's config file is out of date: run `UPDATE_README=1 cargo test --test process readme::`"
    );
}

/// The README's screenshot is the demo account as the console draws it at 120×24, on a frozen clock so
/// that countdowns are fixed. `UPDATE_README=1 cargo test --test process readme::` rewrites it after a
/// change.
#[tokio::test]
async fn the_readme_screenshot_is_the_demo_as_drawn() {
    use crate::console_driver::{Live, sim_config};
    use chrono::{DateTime, TimeZone, Utc};
    use mailtrap_tokens::api::Client;
    use mailtrap_tokens::sim::{RunningSim, SimOptions};

    fn frozen_at() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 26, 9, 0, 0).unwrap()
    }
    let sim = RunningSim::start(SimOptions {
        frozen_at: Some(frozen_at()),
        ..SimOptions::default()
    })
    .await
    .expect("the simulator starts");
    let client = Client::new(&sim.url(), sim.operator_token()).expect("a loopback client");
    let mut console = Live::start_as_run(sim_config(&sim), client, frozen_at);
    console.settle().await;
    assert!(
        console.state.requests.has_tokens() && console.state.requests.tree.last_success.is_some(),
        "the demo loaded"
    );
    let screen = console.screen(120, 24);
    let expected = format!("```text\n{screen}```\n");
    if std::env::var_os("UPDATE_README").is_some() {
        rewrite_section("screen", &expected);
        return;
    }
    assert_eq!(
        section(&readme(), "screen"),
        expected,
        "README.md's screenshot is out of date: run `UPDATE_README=1 cargo test --test process readme::`"
    );
}
