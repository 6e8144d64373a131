//! Drift in the built binary: a second console start against an account changed elsewhere shows the
//! banner, `w` lists the change and Esc dismisses it; the console's own delete in the first session is
//! not drift (the snapshot saved after the reload that follows it holds it).

use std::path::Path;

use super::custody::{DEADLINE, table, wait_until};
use super::harness::Session;
use super::server::Served;

fn console(served: &Served, home: &Path) -> Session {
    let home = home.to_str().expect("a UTF-8 temp path");
    Session::spawn(&[], &served.env(&[("MAILTRAP_TOKENS_HOME", home)]))
}

fn snapshot_text(home: &Path, served: &Served) -> String {
    let account = served
        .vars
        .iter()
        .find(|(k, _)| k == "MAILTRAP_ACCOUNT_ID")
        .map(|(_, v)| v.clone())
        .expect("the account");
    std::fs::read_to_string(
        home.join("state")
            .join("snapshots")
            .join(format!("{account}.json")),
    )
    .unwrap_or_default()
}

#[test]
fn a_second_start_shows_what_changed_elsewhere_and_not_the_consoles_own_writes() {
    let served = Served::start();
    let home = tempfile::tempdir().unwrap();

    let mut first = console(&served, home.path());
    table(&mut first);
    assert!(
        !first.screen().contains("Since you last looked"),
        "nothing to compare with on the first start"
    );
    wait_until("the first snapshot", || {
        snapshot_text(home.path(), &served).contains("Old webhook relay")
    });
    // The console's own write: deleted here, so not drift at the next start.
    first.send("/Old webhook\r");
    first.wait_for_screen("the token", |s| s.contains("(1 of "));
    first.send("D");
    first.wait_for_screen("the delete question", |s| {
        s.contains("Delete token Old webhook relay")
    });
    first.send("y");
    first.wait_for_screen("the deletion", |s| s.contains("Deleted"));
    wait_until("the snapshot after the reload", || {
        let text = snapshot_text(home.path(), &served);
        !text.is_empty() && !text.contains("Old webhook relay")
    });
    first.quit_restoring_the_terminal(DEADLINE);

    // Elsewhere: a token created through the API by another client.
    let permission = format!(
        "account:{}:viewer",
        served
            .vars
            .iter()
            .find(|(k, _)| k == "MAILTRAP_ACCOUNT_ID")
            .map(|(_, v)| v.as_str())
            .unwrap_or_default()
    );
    let created = std::process::Command::new(env!("CARGO_BIN_EXE_mailtrap-tokens"))
        .args([
            "create",
            "--name",
            "made elsewhere",
            "--permission",
            &permission,
        ])
        .envs(served.vars.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .env("MAILTRAP_TOKENS_HOME", home.path())
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert!(created.status.success(), "{created:?}");

    let mut second = console(&served, home.path());
    second.wait_for_screen("the banner", |s| {
        s.contains("Tokens (") && s.contains("Since you last looked")
    });
    let screen = second.screen();
    let banner = screen
        .lines()
        .find(|l| l.contains("Since you last looked"))
        .unwrap_or_default();
    assert!(
        banner.contains(" ago): 1 created elsewhere") && banner.contains("w what changed"),
        "only the change made elsewhere: {banner}"
    );
    second.send("w");
    second.wait_for_screen("the list of changes", |s| {
        s.contains("created: made elsewhere")
    });
    assert!(
        !second.screen().contains("Old webhook relay"),
        "{}",
        second.screen()
    );
    second.send("\x1b");
    second.wait_for_screen("the banner dismissed", |s| {
        !s.contains("Since you last looked") && s.contains("Tokens (")
    });
    second.quit_restoring_the_terminal(DEADLINE);
}
