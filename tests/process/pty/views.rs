//! The views in the built binary: switched by keys, and a row key in a derived view acts on that row's
//! token and no other, through the same confirmations (the simulator's request log is the witness).

use super::custody::{DEADLINE, barrier, table};
use super::harness::Session;
use super::server::Served;

/// The selected token's id, read off the details panel.
fn id_in_details(screen: &str) -> String {
    screen
        .lines()
        .find_map(|l| {
            let (_, rest) = l.split_once("│ Id")?;
            rest.split_whitespace().next().map(str::to_string)
        })
        .unwrap_or_else(|| panic!("no Id in the details:\n{screen}"))
}

#[test]
fn keys_in_every_view_act_on_the_rows_token_and_only_after_a_confirmation() {
    let served = Served::start();
    let mut session = Session::spawn(&[], &served.env(&[]));
    table(&mut session);

    // The domains view: the last token of a domain cannot be deleted from there either.
    session.send("2");
    session.wait_for_screen("the domains view", |s| {
        s.contains("Domains (") && s.contains("│ Domains │")
    });
    session.send("/mail.acme\r");
    session.wait_for_screen("one domain", |s| s.contains("(1 of "));
    session.send("D");
    session.wait_for_screen("the refusal", |s| s.contains("last token with access"));
    barrier(&mut session, &served);
    assert_eq!(
        served.writes(),
        Vec::<String>::new(),
        "a refused delete sends nothing"
    );
    session.send("\x1b");

    // The findings view: Enter goes to the token; its details give its id; D asks before deleting it.
    session.send("4");
    session.wait_for_screen("the findings view", |s| s.contains("Findings ("));
    session.send("/Old webhook\r");
    session.wait_for_screen("its finding", |s| {
        s.contains("(1 of ") && s.contains("expired-awaiting-purge")
    });
    session.send("\r");
    session.wait_for_screen("the token in the tokens view", |s| {
        s.contains("│ Tokens │") && s.lines().any(|l| l.starts_with("▶ Old webhook relay"))
    });
    session.send("i");
    session.wait_for_screen("the details", |s| s.contains("Details"));
    let id = id_in_details(&session.screen());
    session.send("D");
    session.wait_for_screen("the delete question", |s| {
        s.contains("Delete token Old webhook relay")
    });
    assert_eq!(
        served.writes(),
        Vec::<String>::new(),
        "nothing sent before the answer"
    );
    session.send("y");
    session.wait_for_screen("the deletion", |s| s.contains("Deleted"));
    let writes = served.writes();
    assert_eq!(writes.len(), 1, "{writes:?}");
    assert!(
        writes[0].starts_with("DELETE ") && writes[0].ends_with(&format!("/api_tokens/{id}")),
        "the row's own token: {writes:?}"
    );
    session.quit_restoring_the_terminal(DEADLINE);
}
